#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --runtime gvisor (issue 8): the same flags make the same sandbox under
# runsc. The workload sees gVisor's kernel, not the host's; exit codes,
# signals and --timeout keep the monitor's contract; the file system shows
# what the native sandbox shows; nothing is left behind in TMPDIR or in the
# cgroup hierarchies; and what gVisor cannot honour is refused with 125.
. "$(dirname "$0")/lib/tap.sh"
need_root

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
# A TMPDIR of our own: whatever nucleus or runsc leaves behind shows here.
mkdir -m 0755 "$tmp/td"
export TMPDIR=$tmp/td
cgroups() { find /sys/fs/cgroup -mindepth 1 -type d 2>/dev/null | sort; }
cg_before=$(cgroups)
tmp_before=$(ls -d /tmp/nucleus-gvisor.* 2>/dev/null | sort)

command -v runsc >/dev/null ||
	skip_all "runsc is not installed (Debian package runsc)"
G=("$NUCLEUS" --runtime gvisor --gvisor-platform ptrace)
run "${G[@]}" -- /bin/true
[ "$rc" = 0 ] || skip_all "runsc cannot start a sandbox here: ${err:-exit $rc}"
ok "control: a sandbox under runsc runs /bin/true" true

# gVisor's kernel, not the host's.
run "${G[@]}" -- /bin/uname -r
host_release=$(uname -r)
ok "uname -r inside ('$out') differs from the host's ('$host_release')" \
	test -n "$out" -a "$out" != "$host_release"
run "$NUCLEUS" -- /bin/uname -r
is "$out" "$host_release" "control: the native sandbox shows the host's kernel"
run "${G[@]}" -- /bin/dmesg
like "$out" 'gVisor' "dmesg shows gVisor's own boot messages"
run "${G[@]}" -- "$PROBE" getpid
is "$out" 2 "nucleus-init is PID 1 inside gVisor, the workload PID 2"

# Exit codes: the workload's own, 128+N, 126, 127.
for code in 0 3 255; do
	run "${G[@]}" -- "$PROBE" exit $code
	is "$rc" $code "exit $code comes back as $code"
done
run "${G[@]}" -- "$PROBE" signal-self USR1
is "$rc" 138 "killed by SIGUSR1: 128+10"
run "${G[@]}" -- "$PROBE" signal-self KILL
is "$rc" 137 "killed by SIGKILL: 128+9"
run "${G[@]}" -- /nonexistent
is "$rc" 127 "a missing command: 127"
run "${G[@]}" -- /etc/passwd
is "$rc" 126 "a command that cannot be executed: 126"
out=$(echo from-stdin | "${G[@]}" -- /bin/cat)
is "$out" from-stdin "stdin reaches the workload"

# The same file system as the native sandbox for the same flags.
run "${G[@]}" -- "$PROBE" ls /
gv_root=$(printf '%s\n' "$out" | grep -vx sys | tr '\n' ' ')
# (natively, the default Landlock rules forbid listing / itself)
run "$NUCLEUS" --no-landlock -- "$PROBE" ls /
is "$gv_root" "$(printf '%s\n' "$out" | tr '\n' ' ')" \
	"/ holds what it holds natively (gVisor adds only its own /sys)"
for d in /home /root /var /srv; do
	[ -e $d ] || continue
	run "${G[@]}" -- "$PROBE" stat $d
	is "$out" ENOENT "host $d is invisible"
done
run "${G[@]}" -- "$PROBE" read /etc/passwd
is "$out" ok "control: /etc/passwd is readable"
run "${G[@]}" -- "$PROBE" create /usr/nucleus-x
# (EACCES: the workload is "other" for the host's root-owned /usr, issue 14)
like "$out" '^(EROFS|EACCES)$' "/usr is read-only: $out"
run "${G[@]}" -- "$PROBE" create /nucleus-x
is "$out" EROFS "the root itself is read-only"
run "${G[@]}" -- "$PROBE" create /tmp/x
is "$out" ok "/tmp is writable"
run "${G[@]}" -- "$PROBE" dev-null
is "$out" ok "/dev/null works"
mkdir "$tmp/data"
echo host >"$tmp/data/f"
run "${G[@]}" --ro-bind "$tmp/data" /data -- "$PROBE" cat /data/f
is "$out" host "--ro-bind: visible"
run "${G[@]}" --ro-bind "$tmp/data" /data -- "$PROBE" create /data/new
is "$out" EROFS "--ro-bind: read-only"
run "${G[@]}" --bind "$tmp/data" /data -- "$PROBE" create /data/new
is "$out" ok "control: --bind is writable"
ok "... and the write reached the host" test -e "$tmp/data/new"
run "${G[@]}" --bind-try /nonexistent /x -- /bin/true
is "$rc" 0 "--bind-try: a missing source is not an error"
run "${G[@]}" --tmpfs /scratch:size=1M -- "$PROBE" write-file /scratch/f 2
is "$out" ENOSPC "--tmpfs size=1M is enforced by gVisor's tmpfs"
run "${G[@]}" --tmpfs /scratch -- "$PROBE" create /scratch/f
is "$out" ok "control: a --tmpfs without size takes the file"

# Issue 14: nothing the host keeps from "other" is readable inside with
# the default root, for a root caller whatever the workload's identity
# (gVisor's gofer is host root; the workload is uid 0 in gVisor). Every
# file of the host's /etc without o+r, down two levels, and every
# directory there without o+x.
mapfile -t hidden_f < <(find /etc -maxdepth 2 -type f ! -perm -o+r 2>/dev/null | sort)
mapfile -t hidden_d < <(find /etc -maxdepth 2 -mindepth 1 -type d ! -perm -o+x 2>/dev/null | sort)
ok "the host has root-only files in /etc to try: ${hidden_f[*]:0:4}..." test "${#hidden_f[@]}" -gt 0
try_secrets() { # one line per path: the probe's answer
	"${G[@]}" "$@" -- /bin/sh -c 'p=$1; shift; for f; do "$p" read "$f"; done' sh "$PROBE" "${hidden_f[@]}"
	"${G[@]}" "$@" -- /bin/sh -c 'p=$1; shift; for d; do "$p" ls "$d" >/dev/null || echo EACCES; done' sh "$PROBE" "${hidden_d[@]}"
}
for who in "" "--user 65534" "--user 1000:42 --groups 42,0"; do
	got=$(try_secrets $who 2>&1 | sort | uniq -c | sed 's/^ *//' | tr '\n' ' ')
	is "$got" "$((${#hidden_f[@]} + ${#hidden_d[@]})) EACCES " \
		"as root, workload ${who:-uid 0}: every root-only host file and dir under /etc is refused"
done
run "${G[@]}" -- /bin/head -c5 /etc/shadow
is "$out:$rc" ":1" "as root: /etc/shadow is unreadable (head fails)"
run "${G[@]}" -- "$PROBE" read /etc/hostname
is "$out" ok "control: the world-readable /etc/hostname beside it reads"
run "${G[@]}" -- "$PROBE" ls /etc/ssl
like "$out" 'certs' "control: a world-searchable /etc directory lists"
run "${G[@]}" --ro-bind /etc/shadow /etc/shadow -- /bin/head -c5 /etc/shadow
is "$out" "$(head -c5 /etc/shadow)" "caller's choice: --ro-bind /etc/shadow /etc/shadow reads"
run "${G[@]}" --ro-bind /etc/shadow /shadow -- /bin/head -c5 /shadow
is "$out" "$(head -c5 /etc/shadow)" "caller's choice: --ro-bind /etc/shadow /shadow reads"
run "${G[@]}" --ro-bind /etc /host-etc -- /bin/head -c5 /host-etc/shadow
is "$out" "$(head -c5 /etc/shadow)" "caller's choice: an explicit bind of all of /etc reads it"
echo mine >"$tmp/mine"
run "${G[@]}" --bind "$tmp/mine" /etc/gshadow -- /bin/sh -c 'echo more >>/etc/gshadow; cat /etc/gshadow'
is "$(printf '%s' "$out" | tr '\n' ' '):$(tr '\n' ' ' <"$tmp/mine")" "mine more:mine more " \
	"a writable --bind onto a root-only /etc file: the caller's file, written"
# gVisor's /proc is its own: none of the host's root-only files reads.
mapfile -t hidden_p < <(find /proc -maxdepth 1 -type f ! -perm -o+r 2>/dev/null | sort)
got=$("${G[@]}" -- /bin/sh -c 'p=$1; shift; for f; do "$p" read "$f"; done' sh "$PROBE" "${hidden_p[@]}" | grep -cx ok)
is "$got" 0 "none of the host's ${#hidden_p[@]} root-only /proc files reads (${hidden_p[*]:0:3}...)"

mkdir -p "$tmp/ctx" && echo ctx >"$tmp/ctx/f"
run "${G[@]}" --context "$tmp/ctx" -- /bin/sh -c 'pwd; cat f; echo x >g 2>/dev/null || echo ro'
is "$(printf '%s\n' "$out" | tr '\n' ' ')" "/context ctx ro " "--context: read-only at /context, the cwd"

# --rootfs: the image's own entries, bound, and nothing made inside it.
mkdir -p "$tmp/img/bin" "$tmp/img/etc" "$tmp/img/opt"
cp "$PROBE" "$tmp/img/bin/probe"
ln -s bin "$tmp/img/sbin"
img_before=$(find "$tmp/img" | sort)
GB=("$NUCLEUS_BIN" --runtime gvisor --gvisor-platform ptrace) # no bind of $TOP
run "${GB[@]}" --rootfs "$tmp/img" --bind "$tmp/data" /data -- /bin/probe ls /
is "$(printf '%s\n' "$out" | tr '\n' ' ')" "bin data dev etc opt proc sbin sys tmp " \
	"--rootfs: the image's entries, /dev, /proc, /tmp, the bind (and gVisor's /sys)"
run "${GB[@]}" --rootfs "$tmp/img" -- /sbin/probe create /bin/x
is "$out" EROFS "--rootfs is read-only (through the image's own symlink)"
run "${GB[@]}" --rootfs "$tmp/img" --bind "$tmp/data" /opt/x -- /bin/true
is "$rc" 125 "--rootfs: a mount point missing in the image is refused"
is "$(find "$tmp/img" | sort)" "$img_before" "... and the image is left as it was"

# Identity, environment, host name, cwd.
run "${G[@]}" -- "$PROBE" caps
is "$out" "CapInh=0000000000000000 CapPrm=0000000000000000 CapEff=0000000000000000 CapBnd=0000000000000000 CapAmb=0000000000000000" \
	"no capability at all"
run "${G[@]}" -- "$PROBE" nnp
is "$out" 1 "no_new_privs is set"
run "${G[@]}" --user 1000:1001 --groups 7 -- "$PROBE" id
is "$out" "uid=1000 gid=1001 euid=1000 egid=1001 groups=7" "--user and --groups"
run "${G[@]}" -- /bin/sh -c 'echo "$PATH $HOME"'
is "$out" "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /tmp" \
	"the native default environment"
echo 'FROMFILE=yes' >"$tmp/env"
run "${G[@]}" --clearenv --setenv A 1 -e B=2 --env-file "$tmp/env" --unsetenv A -- /usr/bin/env
# runsc adds HOME (from the image's /etc/passwd) to an environment without.
is "$(printf '%s\n' "$out" | sort | tr '\n' ' ')" "B=2 FROMFILE=yes HOME=/root " \
	"--clearenv, --setenv, --env, --env-file, --unsetenv in argv order"
run "${G[@]}" -- "$PROBE" socket inet raw
is "$out" EPERM "no raw socket without CAP_NET_RAW"
run "${G[@]}" --cap-add NET_RAW -- "$PROBE" socket inet raw 1
is "$out" ok "--cap-add NET_RAW: a raw socket (runsc --net-raw)"
run "$NUCLEUS_BIN" --runtime gvisor --cap-add CHOWN --user 1000 -- /bin/true
is "$rc" 125 "--cap-add with a non-root --user is refused (no ambient capabilities in runsc)"
run "${G[@]}" --rlimit NOFILE=64:128 -- "$PROBE" rlimit NOFILE
is "$out" "64 128" "--rlimit NOFILE=64:128"
run "${G[@]}" -- "$PROBE" rlimit CORE
is "$out" "0 0" "CORE 0:0 by default, as natively"
run "${G[@]}" -- "$PROBE" rlimit STACK
is "$out" "$("$NUCLEUS" -- "$PROBE" rlimit STACK)" "other limits: the caller's, as natively"
run "$NUCLEUS_BIN" --runtime gvisor --rlimit NOFILE=64:999999999 -- /bin/true
is "$rc" 125 "--rlimit above the current hard limit: 125 (only lowering, as natively)"
run "${G[@]}" --hostname box -- "$PROBE" hostname
is "$out" box "--hostname"
run "${G[@]}" --chdir /usr/share -- "$PROBE" cwd
is "$out" /usr/share "--chdir"
run "${G[@]}" -- "$PROBE" ifaces
is "$out" "lo up" "no network but loopback"
# (other suites make and remove interfaces meanwhile: those of the host
# before and after must all be seen)
host_if=$(ls /sys/class/net | sort)
run "${G[@]}" --share net -- "$PROBE" ifaces
host_if=$(comm -12 <(printf '%s\n' "$host_if") <(ls /sys/class/net | sort))
is "$(comm -23 <(printf '%s\n' "$host_if") <(printf '%s\n' "$out" | cut -d' ' -f1 | sort) | tr '\n' ' ')" "" \
	"--share net: the host's interfaces (runsc --network host): $(printf '%s' "$out" | cut -d' ' -f1 | tr '\n' ' ')"

# Signals and --timeout, as the monitor promises natively.
set -m
start_trapper() {
	: >"$tmp/out"
	"${G[@]}" -- /bin/bash -c "trap 'echo got-TERM; exit 42' TERM; echo ready; while :; do sleep 0.05; done" \
		>"$tmp/out" 2>"$tmp/err" &
	pid=$!
	for _ in $(seq 400); do grep -q ready "$tmp/out" && return 0; sleep 0.05; done
	return 1
}
start_trapper
kill -TERM $pid
wait $pid
rc=$?
is "$(tail -n1 "$tmp/out"):$rc" "got-TERM:42" "SIGTERM to nucleus reaches the workload"
"${G[@]}" -- /bin/bash -c 'echo ready; exec sleep 30' >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 400); do grep -q ready "$tmp/out" && break; sleep 0.05; done
kill -TERM $pid
wait $pid
is "$?" 143 "SIGTERM to nucleus ends a plain sleep with 128+15"
# ^C at a terminal: runsc has a session of its own, so the tty's INT
# reaches nucleus alone, which forwards it to the workload.
cat >"$tmp/ctrlc.py" <<'PY'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
buf, end = b"", time.time() + 20
while b"ready" not in buf and time.time() < end:
    if select.select([fd], [], [], 0.1)[0]:
        buf += os.read(fd, 1024)
os.write(fd, b"\x03")
end = time.time() + 10
while time.time() < end:
    try:
        if select.select([fd], [], [], 0.1)[0]:
            buf += os.read(fd, 1024)
    except OSError:
        break
code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
print("got-INT" if b"got-INT" in buf else "no-INT", code)
PY
run python3 "$tmp/ctrlc.py" "$NUCLEUS_BIN" --runtime gvisor --gvisor-platform ptrace -- \
	/bin/bash -c 'trap "echo got-INT; exit 42" INT; echo ready; while :; do sleep 0.05; done'
is "$out" "got-INT 42" "^C at a terminal reaches the workload's INT trap"
start=$(date +%s%N)
run "${G[@]}" --timeout 0.5 -- /bin/sleep 30
ms=$((($(date +%s%N) - start) / 1000000))
is "$rc" 124 "--timeout: exit 124"
ok "--timeout 0.5 ended a 30 s sleep in ${ms} ms" test "$ms" -lt 5000
like "$err" 'timeout' "--timeout says so on stderr"
start=$(date +%s%N)
# (a timeout long enough for bash to have set its trap under gVisor)
run "${G[@]}" --timeout 2 --kill-after 0.5 -- /bin/bash -c 'trap "" TERM; while :; do sleep 0.05; done'
ms=$((($(date +%s%N) - start) / 1000000))
is "$rc" 124 "TERM ignored: still 124"
ok "KILL after the grace: ${ms} ms (>= 2500, < 8000)" test "$ms" -ge 2500 -a "$ms" -lt 8000
run "${G[@]}" --timeout 30 -- "$PROBE" exit 3
is "$rc" 3 "control: a workload faster than --timeout keeps its own code"

# Bad input: 125, one line naming the flag, nothing created.
bad() { # DESC NEEDLE ARGS...
	local d=$1 needle=$2
	shift 2
	run "$NUCLEUS_BIN" "$@"
	is "$rc" 125 "$d: 125"
	like "$err" "$needle" "... naming it: ${err%%$'\n'*}"
}
bad "--runtime bogus" '--runtime' --runtime bogus -- /bin/true
bad "--runtime twice" '--runtime' --runtime gvisor --runtime native -- /bin/true
bad "--gvisor-platform bogus" '--gvisor-platform' --gvisor-platform x86 -- /bin/true
bad "--gvisor-platform without --runtime gvisor" '--gvisor-platform' \
	--gvisor-platform ptrace -- /bin/true
bad "--dir under gVisor" '--dir' --runtime gvisor --dir /x -- /bin/true
bad "--keep-fd under gVisor" '--keep-fd' --runtime gvisor --keep-fd 3 -- /bin/true 3</dev/null
bad "--share pid under gVisor" '--share' --runtime gvisor --share pid -- /bin/true
bad "--seccomp-profile strict in production" '--seccomp-profile' \
	--runtime gvisor --mode production --seccomp-profile strict -- /bin/true
bad "--seccomp-bpf in production" '--seccomp-bpf' \
	--runtime gvisor --mode production --seccomp-bpf /dev/null -- /bin/true
run "${G[@]}" --seccomp-profile strict -- /bin/true
is "$rc" 0 "agent mode: --seccomp-profile strict runs..."
like "$err" 'seccomp-profile is not enforced under gVisor' "... and says it is not enforced"
bad "--landlock-ro in production" '--landlock-ro' \
	--runtime gvisor --mode production --landlock-ro /usr -- /bin/true
run "${G[@]}" --landlock-rw /tmp --allow-connect 80 -- /bin/true
is "$rc" 0 "agent mode: Landlock flags run..."
like "$err" 'landlock-ro/--landlock-rw/--landlock-exec is not enforced under gVisor' "... said for --landlock-rw"
like "$err" 'allow-connect/--allow-bind is not enforced' "... and for --allow-connect"
bad "--bind of a missing source" 'mount: bind source' --runtime gvisor --bind /nonexistent /x -- /bin/true
bad "a mount point runsc would make in the host's /usr" 'must exist' \
	--runtime gvisor --bind "$tmp/data" /usr/nucleus-gvisor-mp -- /bin/true
nok "... and /usr/nucleus-gvisor-mp was not created on the host" test -e /usr/nucleus-gvisor-mp
bad "a mount point through the /bin symlink" 'symlink' \
	--runtime gvisor --bind "$tmp/data" /bin/nucleus-x -- /bin/true
bad "--chdir to a missing directory" '^nucleus: chdir: ' \
	--runtime gvisor --chdir /usr/nucleus-gvisor-cwd -- /bin/true
nok "... and runsc did not create it in the host's /usr" test -e /usr/nucleus-gvisor-cwd
bad "an argument that is not UTF-8" 'UTF-8' --runtime gvisor -- /bin/echo $'\xff'
bad "a missing --init" 'nucleus-init|init' --runtime gvisor --init /nonexistent -- /bin/true

# runsc itself: found only where root alone can write. In a private mount
# namespace, a group-writable runsc in /usr/local/sbin, the first place
# looked at, must be refused rather than run.
run unshare -m --propagation private sh -c '
	mount -t tmpfs -o mode=0755 none /usr/local/sbin &&
	cp /usr/bin/true /usr/local/sbin/runsc && chmod 0775 /usr/local/sbin/runsc &&
	exec "$0" --runtime gvisor -- /bin/true' "$NUCLEUS_BIN"
is "$rc" 125 "a group-writable runsc is refused"
like "$err" 'writable by group or others' "... and the error says why"

# The default platform probe picks one that works.
run "$NUCLEUS" --runtime gvisor --timings -- /bin/true
is "$rc" 0 "default platform: runs"
like "$err" 'gvisor: platform (systrap|ptrace)' "... and --timings names the platform chosen"

# kvm, asked for, hangs on hosts whose /dev/kvm is nested virtualisation:
# --timeout still ends it, and cleans up.
start=$(date +%s%N)
run timeout -s KILL 60 "$NUCLEUS" --runtime gvisor --gvisor-platform kvm \
	--timeout 3 --kill-after 1 -- /bin/true
ms=$((($(date +%s%N) - start) / 1000000))
like "$rc" '^(0|124|125)$' \
	"--gvisor-platform kvm: works (0), is ended by --timeout (124) or refused by runsc (125, no /dev/kvm): $rc"
ok "... within ${ms} ms (< 20000)" test "$ms" -lt 20000

# The cgroup of the native sandbox holds runsc and all it starts (gVisor's
# kernel holds the workload's memory): its limits bind the whole sandbox.
run "${G[@]}" --memory 200M -- "$PROBE" alloc 50
is "$out" ok "--memory 200M: control, 50 MiB fit"
run "${G[@]}" --memory 200M -- "$PROBE" alloc 400
is "$rc" 137 "--memory 200M: 400 MiB end in a KILL"
like "$err" 'oom_kill' "... by the OOM killer, says the monitor"
run "${G[@]}" --stats "$tmp/stats.json" --audit "$tmp/audit.log" -- "$PROBE" exit 6
is "$rc" 6 "--stats, --audit: the workload's code"
like "$(cat "$tmp/stats.json")" '"exit_code":6,.*"pids_peak":[1-9]' "--stats: the code and the sandbox's pids"
cg_dir=$(sed -n 's/.*"v2":"\([^"]*\)".*/\1/p' "$tmp/stats.json")
ok "--stats names the sandbox's cgroup: $cg_dir" test -n "$cg_dir"
nok "... which is gone" test -e "$cg_dir"
like "$(cat "$tmp/audit.log")" '"event":"exec",.*"runtime":"gvisor"' "--audit: an exec record of runsc"
bad "--sd-notify under gVisor" '--sd-notify' --runtime gvisor --sd-notify -- /bin/true
bad "--net pasta under gVisor" '--net pasta' --runtime gvisor --net pasta -- /bin/true
run "${G[@]}" --net host -- "$PROBE" ifaces
like "$out" 'lo up' "--net host is --share net: runs"
ok "... with more than lo" test "$(printf '%s\n' "$out" | wc -l)" -gt 1

# --report: runtime gvisor, runsc's version, what enforces each layer.
run "${G[@]}" --report "$tmp/report.json" --seccomp-profile strict -- "$PROBE" exit 4
is "$rc" 4 "--report: the workload's code"
report=$(cat "$tmp/report.json" 2>/dev/null)
ok "--report: valid JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/report.json"
like "$report" '"runtime": "gvisor"' "--report says runtime gvisor"
like "$report" "\"version\": \"$(runsc --version | sed -n 's/^runsc version //p' | sed 's/[.~]/./g')\"" \
	"--report gives runsc's version"
like "$report" '"platform": "ptrace", "platform_probed": false' "... the platform, and that it was asked for"
like "$report" '"seccomp": \{"requested": "strict", "enforced": false' "... seccomp: not enforced"
like "$report" '"warnings": \["--seccomp-profile: not enforced under gVisor"\]' "... and the warning"
run "${G[@]}" --report fd:3 -- "$PROBE" exit 0 3>"$tmp/report-fd.json"
like "$(cat "$tmp/report-fd.json")" '"runtime": "gvisor"' "--report fd:3"
run "${G[@]}" --report /nonexistent/report.json -- /bin/true
is "$rc" 125 "--report into a missing directory: 125 before anything runs"
run "$NUCLEUS" --runtime gvisor --gvisor-platform systrap --report "$tmp/r2.json" -- /bin/true
if [ "$rc" = 125 ]; then
	nok "no report of a sandbox runsc could not start (systrap unknown here)" test -e "$tmp/r2.json"
else
	ok "systrap works here: a report" test -s "$tmp/r2.json"
fi

# Rootless: runsc --rootless as uid 65534.
run env TMPDIR=/tmp "${NOBODY[@]}" "$NUCLEUS_BIN" --runtime gvisor --gvisor-platform ptrace \
	--ro-bind "$OUT" /out -- /out/probe exit 5
is "$rc" 5 "as uid 65534: the workload's exit code"
run env TMPDIR=/tmp "${NOBODY[@]}" "$NUCLEUS_BIN" --runtime gvisor --gvisor-platform ptrace \
	--ro-bind "$OUT" /out -- /out/probe read /etc/shadow
is "$out" EACCES "as uid 65534: /etc/shadow is unreadable"

# Issue 14: a SIGKILLed monitor takes runsc, its gofer, its sandbox and
# the sandbox's ptrace stubs (which have no command line to be found by)
# with it, whatever the identity: every process below the monitor, known
# by pid and start time, must be gone within a deadline.
tree() { # PID: PID:STARTTIME of every descendant
	local c
	for c in $(pgrep -P "$1"); do
		echo "$c:$(sed 's/.*) //' "/proc/$c/stat" 2>/dev/null | cut -d' ' -f20)"
		tree "$c"
	done
}
alive() { # PID:STARTTIME...: those still there
	local e
	for e; do
		[ "$(sed 's/.*) //' "/proc/${e%:*}/stat" 2>/dev/null | cut -d' ' -f20)" = "${e#*:}" ] &&
			printf '%s ' "${e%:*}"
	done
}
kill_monitor() { # DESC RUNNER... (runs RUNNER -- sh -c 'echo ready; sleep')
	local d=$1 td m left i procs
	shift
	td=$(mktemp -d "$tmp/kill.XXXXXX")
	chmod 1777 "$td"
	env TMPDIR="$td" "$@" -- /bin/sh -c 'echo ready; exec sleep 3737.5' \
		>"$td.out" 2>&1 &
	m=$!
	for i in $(seq 600); do grep -q ready "$td.out" && break; sleep 0.05; done
	procs=($(tree $m))
	ok "$d: the sandbox runs: runsc, gofer, sandbox, stubs (${#procs[@]} processes)" \
		test "${#procs[@]}" -ge 4
	kill -KILL $m
	wait $m 2>/dev/null
	for i in $(seq 300); do
		left=$(alive "${procs[@]}")
		[ -z "$left" ] && break
		sleep 0.05
	done
	is "$left" "" "$d: SIGKILL of the monitor leaves none of them within 15 s"
	for i in $left; do kill -KILL "$i" 2>/dev/null; done
}
KG=("$NUCLEUS_BIN" --runtime gvisor --gvisor-platform ptrace)
kill_monitor "as root" "${KG[@]}"
kill_monitor "--user 1000" "${KG[@]}" --user 1000
kill_monitor "--user 1000:1000 --groups 5,6" "${KG[@]}" --user 1000:1000 --groups 5,6
kill_monitor "--userns" "${KG[@]}" --userns
kill_monitor "rootless (uid 65534)" "${NOBODY[@]}" "${KG[@]}"

# Cleanup: every run above ended (success, failure, timeout, signal) and
# none left a bundle in TMPDIR or /tmp, nor a cgroup anywhere.
is "$(ls -A "$TMPDIR")" "" "nothing left in TMPDIR"
# Only new ones count: another run beside this one may remove its own.
is "$(comm -13 <(printf '%s\n' "$tmp_before") <(ls -d /tmp/nucleus-gvisor.* 2>/dev/null | sort) | grep . || true)" "" "no bundle left in /tmp"
# (runsc would name them after the container, nucleus-gvisor-PID; the
# native control runs above make and remove nucleus-HEX cgroups of their own)
new_cg=$(comm -13 <(printf '%s\n' "$cg_before") <(cgroups) | grep -E 'nucleus-gvisor-|runsc' || true)
is "$new_cg" "" "no cgroup made by runsc in any hierarchy"
ok "no runsc process of ours left" eval "! pgrep -f -- '--root=$TMPDIR/' >/dev/null"
done_testing
