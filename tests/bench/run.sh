#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench: nucleus side by side with bwrap, crun, runc, runsc, unshare and
# the small inits (tini, catatonit, dumb-init), all from Debian's packages,
# which this script installs when run as root. A benchmark, not a test: this
# 2-core machine is noisy, so what counts are medians and ratios taken in the
# same run. It measures startup-to-exit with hyperfine, nucleus's own phases
# (NUCLEUS_TIMINGS=1), stripped sizes, peak RSS, syscall cost under each
# seccomp profile, and sandboxes per second with a leak check. Every
# measurement is one JSON line in build/out/bench/results.jsonl; report.jq
# turns them into build/out/bench.json and the Markdown table printed here
# and written to build/out/bench.md. OCI runtimes run inside cgview.sh's
# private cgroup view: never against this host's global hierarchies.
#
# Options: --quick (a few runs each: checks the script, measures nothing),
# --no-install. Knobs (environment): RUNS ROUNDS WARMUP DURATION PARALLEL
# GETPPID_N PIPE_N LOOP_REPS PHASE_RUNS BIND_RUNS THROUGHPUT_PEERS
# NUCLEUS_NSONLY_FLAGS.
# shellcheck disable=SC2016 # the single-quoted $names are jq's
set -euo pipefail
cd "$(dirname "$0")/../.."
TOP=$PWD
OUT=$TOP/build/out
B=$OUT/bench
NUC=$OUT/nucleus
INIT=$OUT/nucleus-init
TOOL=$B/benchtool
STRUE=$B/true
CGVIEW=$TOP/tests/bench/cgview.sh
RES=$B/results.jsonl
LOG=$B/bench.log

QUICK=0
INSTALL=1
for a in "$@"; do
	case $a in
	--quick) QUICK=1 ;;
	--no-install) INSTALL=0 ;;
	*) echo "usage: tests/bench/run.sh [--quick] [--no-install]" >&2; exit 2 ;;
	esac
done
if [ "$QUICK" = 1 ]; then
	: "${RUNS:=3}" "${ROUNDS:=1}" "${WARMUP:=1}" "${DURATION:=1}"
	: "${GETPPID_N:=20000}" "${PIPE_N:=5000}" "${LOOP_REPS:=1}"
	: "${PHASE_RUNS:=3}" "${BIND_RUNS:=2}"
	: "${THROUGHPUT_PEERS:=}"
fi
RUNS=${RUNS:-60}
ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-2}
DURATION=${DURATION:-30}
PARALLEL=${PARALLEL:-2}
GETPPID_N=${GETPPID_N:-500000}
PIPE_N=${PIPE_N:-100000}
LOOP_REPS=${LOOP_REPS:-9}
PHASE_RUNS=${PHASE_RUNS:-$RUNS}
BIND_RUNS=${BIND_RUNS:-10}
THROUGHPUT_PEERS=${THROUGHPUT_PEERS-bwrap crun}

log() { printf 'bench: %s\n' "$*" >&2; }
emit() { jq -nc "$@" >>"$RES"; } # one measurement, one JSON line
have() { command -v "$1" >/dev/null 2>&1; }
median() { sort -n | awk '{a[NR] = $1} END {
	if (NR) print (NR % 2 ? a[(NR + 1) / 2] \
		: (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

# ---------------------------------------------------------------- setup ---

# Debian package of each peer; installed only when missing, only as root.
PKGS="hyperfine:hyperfine bwrap:bubblewrap crun:crun runc:runc runsc:runsc
tini:tini catatonit:catatonit dumb-init:dumb-init unshare:util-linux jq:jq
musl-gcc:musl-tools strip:binutils file:file"
SECCOMP_JSON=/usr/share/containers/seccomp.json
install_peers() {
	local want=() p
	for p in $PKGS; do have "${p%%:*}" || want+=("${p#*:}"); done
	[ -f "$SECCOMP_JSON" ] || want+=(golang-github-containers-common)
	[ ${#want[@]} -gt 0 ] || return 0
	if [ "$INSTALL" = 0 ] || [ "$(id -u)" != 0 ]; then
		log "missing (compared as n/a): ${want[*]}"
		log "install with: apt-get install ${want[*]}"
		return 0
	fi
	log "installing ${want[*]}"
	# Another apt may hold the lock on a shared machine: wait for it.
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		-o DPkg::Lock::Timeout=300 --no-install-recommends "${want[@]}" \
		>>"$LOG" 2>&1 || log "apt-get install failed: see $LOG"
}

build_helpers() {
	local f="-Os -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Werror
		-Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -static"
	# shellcheck disable=SC2086 # $f is a list of flags
	musl-gcc $f -o "$TOOL" tests/bench/benchtool.c
	# shellcheck disable=SC2086
	musl-gcc $f -s -o "$STRUE" tests/bench/true.c
}

# A minimal OCI bundle per workload; the rootfs is shared: empty but for
# the static helpers, with /usr and /etc bound read-only like the host tree
# nucleus and bwrap show (Debian's /bin and /lib are links into /usr).
BUN=$B/oci
make_bundles() {
	local r=$BUN/rootfs l
	rm -rf "$BUN"
	mkdir -p "$r"/{usr,etc,proc,dev,sys,tmp}
	for l in bin lib lib64 sbin; do ln -s "usr/$l" "$r/$l"; done
	cp "$STRUE" "$TOOL" "$r/"
	(cd "$BUN" && { runc spec 2>/dev/null || crun spec; } &&
		mv config.json base.json)
	bundle true-bin '["/bin/true"]'
	bundle true-static '["/true"]'
	bundle getppid "[\"/benchtool\",\"getppid\",\"$GETPPID_N\"]"
	bundle pipe "[\"/benchtool\",\"pipe\",\"$PIPE_N\"]"
	[ -f "$SECCOMP_JSON" ] || return 0
	docker_profile >"$BUN/docker-seccomp.json"
	bundle getppid-docker "[\"/benchtool\",\"getppid\",\"$GETPPID_N\"]" docker
	bundle pipe-docker "[\"/benchtool\",\"pipe\",\"$PIPE_N\"]" docker
}

bundle() { # NAME ARGS-JSON [docker]
	local sc=/dev/null
	[ -n "${3:-}" ] && sc=$BUN/docker-seccomp.json
	mkdir -p "$BUN/$1"
	jq --argjson args "$2" --arg root "$BUN/rootfs" --slurpfile sc "$sc" '
	.process.terminal = false | .process.args = $args |
	.root.path = $root |
	.mounts += [{destination: "/usr", type: "bind", source: "/usr",
		     options: ["rbind", "ro", "nosuid", "nodev"]},
		    {destination: "/etc", type: "bind", source: "/etc",
		     options: ["rbind", "ro", "nosuid", "nodev"]}] |
	if ($sc | length) > 0 then
		.linux.seccomp = $sc[0] |
		.process.capabilities |= (.bounding = $sc[0].caps |
			.effective = $sc[0].caps | .permitted = $sc[0].caps) |
		del(.linux.seccomp.caps)
	else . end' "$BUN/base.json" >"$BUN/$1/config.json"
}

# Docker's default profile as Docker itself would load it for a container
# with Docker's default capabilities on x86-64: entries conditioned on other
# capabilities or arches dropped, the rest in OCI form.
DOCKER_CAPS='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER",
"CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP",
"CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL",
"CAP_AUDIT_WRITE"]'
docker_profile() {
	jq --argjson caps "$DOCKER_CAPS" '
	def has($l): . as $x | $l | index([$x]) != null;
	def ok: ((.includes.arches // null) == null
		   or (.includes.arches | index(["amd64"])) != null)
		and ((.excludes.arches // []) | index(["amd64"])) == null
		and all((.includes.caps // [])[]; has($caps))
		and (any((.excludes.caps // [])[]; has($caps)) | not);
	{defaultAction, defaultErrnoRet, caps: $caps,
	 architectures: [.archMap[] | select(.architecture ==
		"SCMP_ARCH_X86_64") | .architecture, .subArchitectures[]],
	 syscalls: [.syscalls[] | select(ok) |
		{names, action} + (if (.args // []) != [] then {args} else {} end)
		+ (if .errnoRet then {errnoRet} else {} end)]}' "$SECCOMP_JSON"
}

# -------------------------------------------------------------- startup ---

nucleus_flags() { "$NUC" --help | grep -o -- '--[a-z][a-z-]*' | sort -u; }
has_flag() { grep -qx -- "$1" <<<"$NFLAGS"; } # NFLAGS: nucleus_flags, once

# Flags that turn off every layer but the namespaces, as far as they exist.
nsonly_flags() {
	if [ -n "${NUCLEUS_NSONLY_FLAGS+x}" ]; then
		echo "$NUCLEUS_NSONLY_FLAGS"
		return
	fi
	local f=""
	if has_flag --seccomp-profile; then f="$f --seccomp-profile none"; fi
	if has_flag --no-landlock; then f="$f --no-landlock"; fi
	echo "${f# }"
}

# nucleus's default tree is a tmpfs with the host's /usr, /etc and the
# /bin-style links or dirs, read-only, plus /tmp, /proc and /dev: bwrap gets
# the same (shim/setup/mount.c host_dirs). Both also see the helpers' directory.
root_setup() {
	local d t
	NUCB=$NUC
	BWRAP="bwrap --unshare-all"
	if has_flag --ro-bind; then NUCB="$NUC --ro-bind $B $B"; fi
	for d in usr bin sbin lib lib32 lib64 libx32 etc; do
		if [ -L "/$d" ]; then
			t=$(readlink "/$d")
			BWRAP="$BWRAP --symlink $t /$d"
		elif [ -d "/$d" ]; then
			BWRAP="$BWRAP --ro-bind /$d /$d"
		fi
	done
	BWRAP="$BWRAP --tmpfs /tmp --proc /proc --dev /dev --ro-bind $B $B"
}

# KEY TARGET → the command line (no spaces in paths: hyperfine -N splits).
startup_cmd() {
	local t=$STRUE id="bench$$"
	[ "$2" = bin ] && t=/bin/true
	case $1 in
	exec) echo "$t" ;;
	nucleus) echo "$NUCB -- $t" ;;
	nucleus-nsonly) echo "$NUCB $NSONLY -- $t" ;;
	nucleus-sharenet) echo "$NUCB --share net -- $t" ;;
	nucleus-tini) echo "$NUCB --init $(command -v tini-static) -- $t" ;;
	bwrap) echo "$BWRAP $t" ;;
	unshare) echo "unshare -pfmnui --mount-proc $t" ;;
	crun) echo "crun --root $BUN/state-crun run -b $BUN/true-$2 $id" ;;
	runc) echo "runc --root $BUN/state-runc run -b $BUN/true-$2 $id" ;;
	runsc) echo "runsc --root $BUN/state-runsc --ignore-cgroups --platform=ptrace" \
		"--network=none do $t" ;;
	nucleus-init) echo "$INIT -- $t" ;;
	tini) echo "tini -s -- $t" ;;
	tini-static) echo "tini-static -s -- $t" ;;
	catatonit) echo "catatonit -- $t" ;;
	dumb-init) echo "dumb-init $t" ;;
	esac
}

# key|label|group|where|tool it needs
STARTUP="exec|plain exec|base|host|
nucleus|nucleus (default)|sandbox|host|$NUC
nucleus-nsonly|nucleus, namespaces only|sandbox|host|$NUC
nucleus-sharenet|nucleus --share net|sandbox|host|$NUC
nucleus-tini|nucleus --init tini-static|sandbox|host|tini-static
bwrap|bwrap --unshare-all, same tree|sandbox|host|bwrap
unshare|unshare -pfmnui --mount-proc|sandbox|host|unshare
crun|crun run, OCI bundle|sandbox|view|crun
runc|runc run, OCI bundle|sandbox|view|runc
runsc|runsc do, ptrace|sandbox|view|runsc
nucleus-init|nucleus-init (subreaper)|init|host|$INIT
tini|tini -s|init|host|tini
tini-static|tini-static -s|init|host|tini-static
catatonit|catatonit|init|host|catatonit
dumb-init|dumb-init|init|host|dumb-init"

# WHERE CMD...: on the host, or inside the private cgroup view.
where() {
	local w=$1
	shift
	if [ "$w" = view ]; then "$CGVIEW" "bench-$$" -- "$@"; else "$@"; fi
}

# The rows run in ROUNDS rounds, each one hyperfine of RUNS/ROUNDS runs per
# row, so that a burst of load from the other engineers' tests on this
# shared machine lands on many rows instead of spoiling one; a row's median
# is over the times of all its rounds.
TIMES=$B/times

row_json() { # KEY LABEL GROUP WHERE TARGET [CMDLINE]: the row's fixed fields
	jq -nc --arg k "$1" --arg l "$2" --arg g "$3" --arg w "$4" --arg t "$5" \
		--arg c "${6:-}" '{kind: "startup", key: $k, label: $l, group: $g,
		target: $t, private_cgroup_view: ($w == "view")} +
		(if $c == "" then {} else {cmd: $c} end)'
}

# KEY LABEL GROUP WHERE NEED TARGET: prints the row to measure, or emits
# why it cannot be (not installed, fails once) and prints nothing.
startup_row() {
	local key=$1 label=$2 group=$3 w=$4 need=$5 tgt=$6 cmd err
	if [ -n "$need" ] && ! have "$need"; then
		emit --argjson b "$(row_json "$@")" '$b + {na: "not installed"}'
		return 0
	fi
	if [ "$key" = nucleus-nsonly ] && [ -z "$NSONLY" ]; then
		emit --argjson b "$(row_json "$@")" \
			'$b + {na: "no flag turns layers off yet: same as default"}'
		return 0
	fi
	cmd=$(startup_cmd "$key" "$tgt")
	# shellcheck disable=SC2086 # the command line is split on purpose
	if ! err=$(where "$w" $cmd 2>&1 >/dev/null </dev/null); then
		emit --argjson b "$(row_json "$key" "$label" "$group" "$w" "$tgt" \
			"$cmd")" --arg e "${err%%$'\n'*}" '$b + {na: ("fails: " + $e)}'
		log "$key ($tgt): fails: ${err%%$'\n'*}"
		return 0
	fi
	printf '%s|%s|%s|%s|%s|%s\n' "$key" "$label" "$group" "$w" "$tgt" "$cmd"
}

# ID WHERE CMDLINE RUNS: one hyperfine; its times go to $TIMES/ID.
hf_round() {
	local j=$B/hf.json
	rm -f "$j"
	where "$2" hyperfine -N --style none --warmup "$WARMUP" --runs "$4" \
		--export-json "$j" -- "$3" >>"$LOG" 2>&1 </dev/null || true
	if [ -s "$j" ]; then jq -c '.results[0].times' "$j" >>"$TIMES/$1"; fi
}

emit_startup() { # KEY LABEL GROUP WHERE TARGET CMDLINE
	local b
	b=$(row_json "$@")
	if [ ! -s "$TIMES/$1-$5" ]; then
		emit --argjson b "$b" '$b + {na: "hyperfine failed"}'
		return 0
	fi
	emit --argjson b "$b" --slurpfile t "$TIMES/$1-$5" '
	def med: if length % 2 == 1 then .[(length - 1) / 2]
		else (.[length / 2 - 1] + .[length / 2]) / 2 end;
	($t | add | sort) as $x | ($x | length) as $n
	| $b + {runs: $n, median_ms: ($x | med * 1000),
		mean_ms: ($x | add / $n * 1000), min_ms: ($x[0] * 1000),
		p90_ms: ($x[($n * 0.9 | floor)] * 1000)}'
}

bench_startup() {
	local key label group w need tgt cmd r rows=() per
	rm -rf "$TIMES"
	mkdir -p "$TIMES"
	while IFS='|' read -r -u 3 key label group w need; do
		for tgt in static bin; do
			r=$(startup_row "$key" "$label" "$group" "$w" "$need" "$tgt")
			[ -z "$r" ] || rows+=("$r")
		done
	done 3<<<"$STARTUP"
	per=$(((RUNS + ROUNDS - 1) / ROUNDS))
	[ "$per" -ge 2 ] || per=2
	for ((r = 1; r <= ROUNDS; r++)); do
		log "startup: round $r of $ROUNDS, ${#rows[@]} rows, $per runs each"
		for cmd in "${rows[@]}"; do
			IFS='|' read -r key label group w tgt cmd <<<"$cmd"
			hf_round "$key-$tgt" "$w" "$cmd" "$per"
		done
	done
	for cmd in "${rows[@]}"; do
		IFS='|' read -r key label group w tgt cmd <<<"$cmd"
		emit_startup "$key" "$label" "$group" "$w" "$tgt" "$cmd"
	done
}

# --------------------------------------------------------------- phases ---

# VARIANT FLAGS...: PHASE_RUNS runs of the static true, NUCLEUS_TIMINGS=1.
# Lines read "nucleus: timing: PHASE N us (at T us)", T counted from the
# start. The child's marks interleave with the monitor's, so a phase's own
# cost is its T minus the T of the mark before it in time, not the N shown.
bench_phases() {
	local v=$1 i p d at n raw=$B/phases-$1.txt
	shift
	: >"$raw"
	for ((i = 0; i < PHASE_RUNS; i++)); do
		# shellcheck disable=SC2086 # $NUCB is a command line
		NUCLEUS_TIMINGS=1 $NUCB "$@" -- "$STRUE" 2>&1 >/dev/null </dev/null |
			awk -v r="$i" '$2 == "timing:" { print r, $3, $(NF - 1) }' \
			>>"$raw" || true
	done
	sort -k1,1n -k3,3n "$raw" |
		awk '$1 != run { run = $1; prev = 0 }
		     { print $2, $3 - prev, $3; prev = $3 }' >"$raw.d"
	# shellcheck disable=SC2013 # phase names are words
	for p in $(awk '{ print $1 }' "$raw.d" | sort -u); do
		d=$(awk -v p="$p" '$1 == p { print $2 }' "$raw.d" | median)
		at=$(awk -v p="$p" '$1 == p { print $3 }' "$raw.d" | median)
		n=$(awk -v p="$p" '$1 == p' "$raw.d" | wc -l)
		emit --arg v "$v" --arg f "$*" --arg p "$p" --argjson d "$d" \
			--argjson at "$at" --argjson n "$n" '{kind: "phase",
			variant: $v, flags: $f, phase: $p, median_us: $d,
			at_us: $at, runs: $n}'
	done
}

# ---------------------------------------------------------------- binds ---

# Startup-to-exit with N --ro-bind of distinct files (issue 19): nucleus
# should grow linearly; bwrap is quadratic (621 ms at 1000). The median of
# BIND_RUNS wall-clock runs per N, in ms.
bench_binds() {
	local tool n i s ms d=$B/binds
	local -a args
	mkdir -p "$d"
	for i in $(seq 1 5000); do : >"$d/f$i"; done
	for tool in nucleus bwrap; do
		[ "$tool" = nucleus ] || have bwrap || continue
		for n in 10 100 1000 5000; do
			args=()
			for i in $(seq 1 "$n"); do
				args+=(--ro-bind "$d/f$i" "/x/f$i")
			done
			ms=$(for ((i = 0; i < BIND_RUNS; i++)); do
				s=$(date +%s%N)
				# shellcheck disable=SC2086 # command lines
				if [ "$tool" = nucleus ]; then
					$NUCB "${args[@]}" -- "$STRUE"
				else
					$BWRAP "${args[@]}" -- "$STRUE"
				fi >/dev/null 2>&1 </dev/null || continue
				echo $((($(date +%s%N) - s) / 1000))
			done | median)
			log "binds: $tool $n: ${ms:-?} us"
			emit --arg t "$tool" --argjson n "$n" \
				--argjson us "${ms:-null}" '{kind: "binds",
				tool: $t, binds: $n, median_us: $us}'
		done
	done
}

# ---------------------------------------------------------------- sizes ---

bench_sizes() {
	local spec name path st libs tmp=$B/stripped
	for spec in nucleus="$NUC" nucleus-init="$INIT" bwrap crun runc runsc \
		unshare tini tini-static catatonit dumb-init static-true="$STRUE"; do
		name=${spec%%=*}
		path=${spec#*=}
		[ "$path" = "$spec" ] && path=$(command -v "$name" || true)
		if [ -z "$path" ] || [ ! -f "$path" ]; then
			emit --arg t "$name" '{kind: "size", tool: $t,
				na: "not installed"}'
			continue
		fi
		strip -o "$tmp" "$path" 2>/dev/null || cp "$path" "$tmp"
		st=true
		if readelf -lW "$path" | grep -q INTERP ||
			readelf -dW "$path" | grep -q NEEDED; then st=false; fi
		# What a dynamic binary also needs loaded, as installed.
		libs=$( (ldd "$path" 2>/dev/null || true) |
			awk '$2 == "=>" && $3 ~ /^\// { print $3 }
			     $1 ~ /^\// { print $1 }' | sort -u |
			xargs -r stat -L -c %s | awk '{ s += $1 } END { print s + 0 }')
		emit --arg t "$name" --arg p "$path" --argjson st "$st" \
			--argjson b "$(stat -c %s "$tmp")" \
			--argjson f "$(stat -L -c %s "$path")" --argjson l "$libs" \
			'{kind: "size", tool: $t, path: $p, static: $st,
			  stripped_bytes: $b, file_bytes: $f, libs_bytes: $l}'
	done
	rm -f "$tmp"
}

# ------------------------------------------------------------------ rss ---

fd_kinds() { # PID → "0=pipe 1=pipe ..." with ids and inode numbers dropped
	local f l out=()
	for f in /proc/"$1"/fd/*; do
		l=$(readlink "$f" 2>/dev/null) || continue
		l=${l#anon_inode:}
		l=${l%%:\[*}
		l=${l//[\[\]]/}
		out+=("${f##*/}=$l")
	done
	echo "${out[*]}"
}

tree() { # PID DEPTH → "PID DEPTH" for it and every descendant
	local c
	echo "$1 $2"
	# shellcheck disable=SC2013 # pids are words
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		tree "$c" $(($2 + 1))
	done
}

# TOOL CMD...: CMD runs `benchtool hold`; once it says ready, every process
# from CMD down to the workload (excluded) is fully set up: read its peak
# RSS and open fds, then close its stdin to let it finish.
bench_rss() {
	local tool=$1 line pid p depth comm w
	shift
	# Only 0-2 for the tool: bash's own saved fds would show as its fds.
	coproc HOLD {
		for f in /proc/self/fd/*; do
			f=${f##*/}
			[ "$f" -gt 2 ] && eval "exec $f>&-" 2>/dev/null
		done
		exec "$@" 2>>"$LOG"
	}
	pid=$HOLD_PID
	if ! read -r -t 20 line <&"${HOLD[0]}" || [ "$line" != ready ]; then
		emit --arg t "$tool" '{kind: "rss", tool: $t, na: "no ready"}'
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		return 0
	fi
	while read -r p depth; do
		comm=$(cat /proc/"$p"/comm 2>/dev/null) || continue
		[ "$comm" = benchtool ] && continue
		emit --arg t "$tool" --arg c "$comm" --argjson d "$depth" \
			--argjson h "$(awk '/^VmHWM/ { print $2 }' /proc/"$p"/status)" \
			--argjson r "$(awk '/^VmRSS/ { print $2 }' /proc/"$p"/status)" \
			--arg fds "$(fd_kinds "$p")" '{kind: "rss", tool: $t,
			depth: $d, comm: $c, hwm_kb: $h, rss_kb: $r,
			fds: ($fds | split(" "))}'
	done < <(tree "$pid" 0)
	w=${HOLD[1]}
	exec {w}>&- # EOF on the workload's stdin: it exits
	wait "$pid" || true
}

bench_rss_all() {
	local t
	# shellcheck disable=SC2086 # command lines
	bench_rss nucleus $NUCB -- "$TOOL" hold
	# shellcheck disable=SC2086
	have bwrap && bench_rss bwrap $BWRAP "$TOOL" hold
	bench_rss nucleus-init "$INIT" -- "$TOOL" hold
	for t in tini tini-static; do
		have "$t" && bench_rss "$t" "$t" -s -- "$TOOL" hold
	done
	have catatonit && bench_rss catatonit catatonit -- "$TOOL" hold
	have dumb-init && bench_rss dumb-init dumb-init "$TOOL" hold
	return 0
}

# -------------------------------------------------------------- syscalls ---

# VARIANT LOOP → the command line running `benchtool LOOP N` that way.
syscall_cmd() {
	local n=$GETPPID_N id="bench$$" sc=${1#nucleus-seccomp-}
	[ "$2" = pipe ] && n=$PIPE_N
	case $1 in
	plain) echo "$TOOL $2 $n" ;;
	nucleus) echo "$NUCB -- $TOOL $2 $n" ;;
	nucleus-seccomp-*) echo "$NUCB --seccomp-profile $sc -- $TOOL $2 $n" ;;
	crun) echo "crun --root $BUN/state-crun run -b $BUN/$2 $id" ;;
	crun-docker) echo "crun --root $BUN/state-crun run -b $BUN/$2-docker $id" ;;
	esac
}

# VARIANT|WHERE|LABEL per line: what bench_syscalls compares.
syscall_variants() {
	local prof
	echo "plain|host|no sandbox"
	echo "nucleus|host|nucleus (default)"
	if has_flag --seccomp-profile; then
		for prof in none default strict; do
			echo "nucleus-seccomp-$prof|host|nucleus --seccomp-profile $prof"
		done
	fi
	have crun && [ -d "$BUN/getppid" ] && echo "crun|view|crun, no seccomp"
	[ -d "$BUN/getppid-docker" ] &&
		echo "crun-docker|view|crun, docker default profile"
	return 0
}

# VARIANT LABEL: one JSON line from the loops' values in $B/sc/. Noise
# here only ever adds time, so the figure used is the best round; the
# median is kept beside it.
emit_syscall() {
	local g p gm pm
	g=$(sort -n "$B/sc/$1-getppid" 2>/dev/null | head -n 1 || true)
	p=$(sort -n "$B/sc/$1-pipe" 2>/dev/null | head -n 1 || true)
	if [ -z "$g" ] || [ -z "$p" ]; then
		emit --arg v "$1" --arg l "$2" '{kind: "syscall", variant: $v,
			label: $l, na: "the loop did not run"}'
		return 0
	fi
	gm=$(median <"$B/sc/$1-getppid")
	pm=$(median <"$B/sc/$1-pipe")
	emit --arg v "$1" --arg l "$2" --argjson g "$g" --argjson p "$p" \
		--argjson gm "$gm" --argjson pm "$pm" \
		--argjson n "$(wc -l <"$B/sc/$1-getppid")" \
		--arg c "$(syscall_cmd "$1" getppid)" '{kind: "syscall",
		variant: $v, label: $l, cmd: $c, rounds: $n, getppid_ns: $g,
		pipe_ns: $p, getppid_median_ns: $gm, pipe_median_ns: $pm}'
}

# LOOP_REPS rounds over all variants (interleaved, like the startup rows);
# each value is CPU ns per iteration.
bench_syscalls() {
	local i v w label loop x variants prof
	variants=$(syscall_variants)
	rm -rf "$B/sc"
	mkdir -p "$B/sc"
	for ((i = 0; i < LOOP_REPS; i++)); do
		while IFS='|' read -r -u 3 v w label; do
			for loop in getppid pipe; do
				# shellcheck disable=SC2046 # split on purpose
				x=$(where "$w" $(syscall_cmd "$v" "$loop") \
					2>>"$LOG" </dev/null) || x=
				[[ $x =~ ^[0-9.]+$ ]] && echo "$x" >>"$B/sc/$v-$loop"
			done
		done 3<<<"$variants"
	done
	while IFS='|' read -r -u 3 v w label; do
		emit_syscall "$v" "$label"
	done 3<<<"$variants"
	if ! has_flag --seccomp-profile; then
		for prof in none default strict; do
			emit --arg v "nucleus-seccomp-$prof" --arg l \
				"nucleus --seccomp-profile $prof" '{kind: "syscall",
				variant: $v, label: $l, na:
				"no --seccomp-profile flag in nucleus --help yet"}'
		done
		return 0
	fi
	for prof in none default strict; do
		bench_phases "seccomp-$prof" --seccomp-profile "$prof"
	done
}

# ----------------------------------------------------------- throughput ---

# Names that nucleus, or a runtime, leaves behind when it leaks: cgroups
# called nucleus-*, host mounts, nucleus processes (the monitor's binary or
# the memfd init), and OCI runtime state directories.
leak_names() {
	find /sys/fs/cgroup -type d -name 'nucleus-*' 2>/dev/null | sed 's/^/cgroup /'
	awk '{ print "mount", $5 }' /proc/self/mountinfo
	local e
	for e in /proc/[0-9]*/exe; do
		case $(readlink "$e" 2>/dev/null) in
		"$NUC" | /memfd:nucleus-init*) echo "process ${e%/exe}" ;;
		esac
	done
	find "$BUN"/state-* -mindepth 1 -maxdepth 1 2>/dev/null |
		sed 's/^/oci-state /'
	return 0
}

# BEFORE-FILE → what is new since then and still there after a grace: other
# engineers' tests run on this machine too, and theirs come and go.
leaks_since() {
	local i new
	for ((i = 0; i < 20; i++)); do
		new=$(leak_names | sort | comm -13 "$1" -)
		[ -z "$new" ] && return 0
		sleep 0.1 # nothing signals "the other engineer's run is over"
	done
	echo "$new"
}

# TOOL WHERE CMD...: PARALLEL workers start CMD again and again for DURATION.
bench_throughput() {
	local tool=$1 w=$2 before=$B/leaks-before out err leaks why
	shift 2
	leak_names | sort >"$before"
	log "throughput: $tool, $PARALLEL in parallel for ${DURATION}s"
	out=$(where "$w" "$TOOL" spawn "$DURATION" "$PARALLEL" -- "$@" \
		2>"$B/spawn.err" </dev/null) || true
	err=$(grep '^cgview: leftover' "$B/spawn.err" || true)
	leaks=$( (leaks_since "$before"; [ -z "$err" ] || echo "$err") |
		jq -Rsc 'split("\n") | map(select(. != ""))')
	read -r ok fail secs <<<"$out"
	# The runs' own stderr: the most frequent line says why runs failed.
	why=$(grep -v '^cgview: ' "$B/spawn.err" | sort | uniq -c | sort -rn |
		head -n 1 | sed 's/^ *//' || true)
	if [ -z "${secs:-}" ]; then
		emit --arg t "$tool" '{kind: "throughput", tool: $t,
			na: "harness failed"}'
		return 0
	fi
	emit --arg t "$tool" --arg c "$*" --argjson ok "$ok" --argjson f "$fail" \
		--argjson s "$secs" --argjson p "$PARALLEL" --argjson l "$leaks" \
		--arg why "$why" '{kind: "throughput", tool: $t, cmd: $c,
		parallel: $p, ok: $ok, failed: $f, seconds: $s,
		per_s: ($ok / $s), leaks: $l} +
		(if $why == "" then {} else {stderr_top: $why} end)'
}

bench_throughputs() {
	local t
	# shellcheck disable=SC2086 # command lines
	bench_throughput nucleus host $NUCB -- "$STRUE"
	for t in $THROUGHPUT_PEERS; do
		have "$t" || continue
		# shellcheck disable=SC2086 # a command line
		case $t in
		bwrap) bench_throughput bwrap host $BWRAP "$STRUE" ;;
		crun | runc) bench_throughput "$t" view "$t" --root \
			"$BUN/state-$t" run -b "$BUN/true-static" @ID@ ;;
		*) log "no throughput recipe for $t" ;;
		esac
	done
}

# ----------------------------------------------------------------- main ---

meta() {
	local dirty=false
	# The binaries may hold uncommitted work: say so beside the commit.
	if [ -n "$(git status --porcelain -- shim init policy Makefile \
		2>/dev/null)" ]; then dirty=true; fi
	emit --argjson dirty "$dirty" --arg date "$(date -u +%FT%TZ)" \
		--arg k "$(uname -r)" \
		--argjson cpus "$(nproc)" --argjson runs "$RUNS" \
		--argjson rounds "$ROUNDS" \
		--argjson warmup "$WARMUP" --argjson dur "$DURATION" \
		--argjson par "$PARALLEL" --argjson quick "$QUICK" \
		--arg v "$("$NUC" --version)" --arg ns "$NSONLY" \
		--arg nucb "${NUCB#"$NUC"}" --arg bwrap "$BWRAP" \
		--arg flags "$(tr '\n' ' ' <<<"$NFLAGS")" \
		--arg hf "$(hyperfine --version 2>/dev/null || echo none)" \
		--argjson gn "$GETPPID_N" --argjson pn "$PIPE_N" \
		--argjson lr "$LOOP_REPS" \
		--arg commit "$(git rev-parse --short HEAD 2>/dev/null || true)" \
		--arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
		'{kind: "meta", date: $date, kernel: $k, cpus: $cpus,
		  runs: $runs, rounds: $rounds, warmup: $warmup,
		  throughput_seconds: $dur, parallel: $par,
		  quick: ($quick == 1), nucleus: $v, commit: $commit,
		  dirty: $dirty, load_start: $load,
		  nucleus_flags: ($flags | split(" ") | map(select(. != ""))),
		  nsonly_flags: $ns, hyperfine: $hf, getppid_n: $gn,
		  pipe_n: $pn, loop_rounds: $lr, nucleus_extra: $nucb,
		  bwrap: $bwrap}'
}

main() {
	local f
	for f in "$NUC" "$INIT"; do
		[ -x "$f" ] || { echo "bench: $f missing: run make" >&2; exit 1; }
	done
	case $TOP in *[[:space:]]*)
		echo "bench: the path $TOP has spaces: hyperfine -N would split it" >&2
		exit 1 ;;
	esac
	mkdir -p "$B/bin"
	# A snapshot: other engineers rebuild build/out while this runs, and a
	# binary replaced mid-run fails runs (the default init is beside it).
	cp "$NUC" "$INIT" "$B/bin/"
	NUC=$B/bin/nucleus
	INIT=$B/bin/nucleus-init
	: >"$RES"
	: >"$LOG"
	install_peers
	for f in jq musl-gcc; do
		have "$f" || { echo "bench: $f is needed" >&2; exit 1; }
	done
	build_helpers
	if have runc || have crun; then make_bundles; fi
	NFLAGS=$(nucleus_flags)
	NSONLY=$(nsonly_flags)
	root_setup
	meta
	bench_sizes
	bench_startup
	log "phases"
	bench_phases default
	# (--seccomp-profile none alone is measured with the profiles)
	# shellcheck disable=SC2086 # a list of flags
	case $NSONLY in "" | "--seccomp-profile none") ;;
	*) bench_phases nsonly $NSONLY ;; esac
	log "binds"
	bench_binds
	log "rss"
	bench_rss_all
	log "syscalls"
	bench_syscalls
	bench_throughputs
	emit --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
		'{kind: "end", load_end: $load}'
	jq -s -f tests/bench/report.jq "$RES" >"$OUT/bench.json"
	jq -r -f tests/bench/markdown.jq "$OUT/bench.json" >"$OUT/bench.md"
	cat "$OUT/bench.md"
	echo
	echo "JSON: $OUT/bench.json  Markdown: $OUT/bench.md  log: $LOG"
}

main
