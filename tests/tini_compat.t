#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# nucleus-init as a drop-in for tini: each of tini's documented behaviours
# (exit code passthrough, signal forwarding, -g and TINI_KILL_PROCESS_GROUP,
# -s and TINI_SUBREAPER, -e, -p, -v and TINI_VERBOSITY, -w, -l, --version)
# runs once under Debian's tini and once under nucleus-init, and both must
# give the expected result (so a behaviour missing in both still fails).
# The one difference that shows here (no reaping warning without -s: init is
# a subreaper anyway) is asserted as such; tests/tini_compat.t is the list
# of what "drop-in" means. Then nucleus --init
# with tini-static: the sandbox runs a tini, and its ps shows a plain init.

. "$(dirname "$0")/lib/tap.sh"

need_root
[ -x "$NUCLEUS_INIT" ] || skip_all "build first: $NUCLEUS_INIT missing"
TINI=$(command -v tini || true)
[ -n "$TINI" ] || skip_all "tini is not installed (Debian: apt-get install tini)"

T=$(mktemp -d /tmp/nucleus-tini.XXXXXX)
_cleanup() {
	local p
	for p in $(jobs -p); do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap _cleanup EXIT
NI=$NUCLEUS_INIT

# both DESC WANT FUNC ARGS...: FUNC INIT ARGS... prints a result; it must be
# WANT under tini and under nucleus-init.
both() {
	local desc=$1 want=$2 fn=$3 got_t got_n
	shift 3
	got_t=$("$fn" "$TINI" "$@")
	got_n=$("$fn" "$NI" "$@")
	is "$got_t" "$want" "tini: $desc"
	is "$got_n" "$want" "nucleus-init: $desc"
}

# --- exit codes ---------------------------------------------------------------
codes() {
	local c r=
	for c in 0 1 2 42 125 126 127 255; do
		"$1" -s -- sh -c "exit $c" </dev/null 2>/dev/null
		r="$r $?"
	done
	"$1" -s -- sh -c 'kill -KILL $$' </dev/null 2>/dev/null
	r="$r $?"
	"$1" -s -- sh -c 'kill -TERM $$' </dev/null 2>/dev/null
	echo "$r $?"
}
both "exit codes pass through, 128+N when killed by N" \
	" 0 1 2 42 125 126 127 255 137 143" codes

# --- signal forwarding --------------------------------------------------------
# sig_run INIT SIG [INIT_ARGS...] -- WORKLOAD_SCRIPT: starts init in the
# background, waits for $T/ready, sends SIG to init, prints init's exit code
# (or "hung" after 10 s).
sig_run() {
	local init=$1 sig=$2 pid rc
	shift 2
	rm -f "$T/ready"
	D=$T "$init" "$@" </dev/null 2>/dev/null &
	pid=$!
	wait_for 10 test -e "$T/ready" || {
		echo "not ready"
		kill -KILL "$pid"
		return
	}
	kill -"$sig" "$pid"
	wait_for 10 sh -c "! kill -0 $pid 2>/dev/null || grep -q '^[0-9]* ([^)]*) Z' /proc/$pid/stat" ||
		{
			echo hung
			kill -KILL "$pid"
			return
		}
	wait "$pid"
	rc=$?
	echo "$rc"
}
loop='trap "exit 42" TERM; trap "exit 41" USR1; trap "exit 40" HUP
touch "$D/ready"; while :; do sleep 0.05; done'
fwd() { # INIT: TERM, USR1, HUP each reach the workload's traps
	printf '%s %s %s\n' "$(sig_run "$1" TERM -s -- sh -c "$loop")" \
		"$(sig_run "$1" USR1 -s -- sh -c "$loop")" \
		"$(sig_run "$1" HUP -s -- sh -c "$loop")"
}
both "TERM, USR1, HUP are forwarded to the command" "42 41 40" fwd

# -g: the whole group gets it. The command's TERM trap waits for its
# background job, which only ends if the signal reached it too.
grp='(trap "echo bg > \"$D/bg\"; exit 0" TERM; while :; do sleep 0.05; done) &
trap "wait; exit 42" TERM; touch "$D/ready"; while :; do sleep 0.05; done'
pgroup() { # INIT MODE
	rm -f "$T/bg"
	if [ "$2" = env ]; then
		TINI_KILL_PROCESS_GROUP=1 sig_run "$1" TERM -s -- sh -c "$grp"
	else
		sig_run "$1" TERM -s -g -- sh -c "$grp"
	fi
	cat "$T/bg" 2>/dev/null
}
both "-g: the signal reaches the command's process group" "42
bg" pgroup flag
both "TINI_KILL_PROCESS_GROUP=1 is -g" "42
bg" pgroup env

# --- -e -----------------------------------------------------------------------
remap() {
	local r=
	"$1" -s -e 3 -- sh -c 'exit 3' </dev/null
	r="$?"
	"$1" -s -e 3 -- sh -c 'exit 4' </dev/null
	r="$r $?"
	"$1" -s -e 3 -e 4 -- sh -c 'exit 4' </dev/null
	echo "$r $?"
}
both "-e CODE: CODE becomes 0, the rest passes, repeatable" "0 4 0" remap

# --- -p -----------------------------------------------------------------------
# The parent of init exits once the command is ready: init gets SIGTERM
# (-p) and forwards it, so the command's trap runs.
pdeath() {
	rm -f "$T/ready" "$T/pdeath"
	D=$T bash -c '"$0" -s -p SIGTERM -- sh -c "trap \"echo term > \\\"\$D/pdeath\\\"; exit 0\" TERM
		touch \"\$D/ready\"; while :; do sleep 0.05; done" </dev/null 2>/dev/null &
		for i in $(seq 1000); do [ -e "$D/ready" ] && exit 0; sleep 0.01; done' "$1"
	wait_for 10 test -s "$T/pdeath"
	cat "$T/pdeath" 2>/dev/null
}
both "-p SIGTERM: the parent's death is forwarded to the command" term pdeath

# --- -s / TINI_SUBREAPER, -w --------------------------------------------------
reaper_warning() { # INIT MODE: does init warn that it cannot reap?
	local e
	case $2 in
	none) e=$("$1" -- true 2>&1 </dev/null) ;;
	flag) e=$("$1" -s -- true 2>&1 </dev/null) ;;
	env) e=$(TINI_SUBREAPER=1 "$1" -- true 2>&1 </dev/null) ;;
	esac
	grep -qi 'not running as PID 1' <<<"$e" && echo warns || echo quiet
}
both "-s: registered as a subreaper, no reaping warning" quiet reaper_warning flag
both "TINI_SUBREAPER set: as -s" quiet reaper_warning env
is "$(reaper_warning "$TINI" none)" warns \
	"tini without -s, not PID 1: warns that zombies will not be reaped"
is "$(reaper_warning "$NI" none)" quiet \
	"nucleus-init without -s: a subreaper anyway, so nothing to warn (documented difference)"

# An orphan's zombie reparents to init (subreaper), which reaps it; -w says
# so, with tini's words. orphan.sh starts a child that outlives it (so that
# it cannot reap it itself) and prints its pid; the command then waits until
# that orphan is reaped.
cat >"$T/orphan.sh" <<'EOF2'
sh -c 'while kill -0 "$1" 2>/dev/null; do sleep 0.01; done' x $$ >/dev/null 2>&1 &
echo $!
EOF2
orphan='p=$(sh "$D/orphan.sh"); echo "$p" > "$D/orphan"
i=0; while [ -e /proc/$p ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done
[ ! -e /proc/$p ]'
warn_reap() { # INIT [FLAGS...]: "reaped" and whether it was logged
	local init=$1 e rc
	shift
	e=$(D=$T "$init" -s "$@" -- sh -c "$orphan" 2>&1 </dev/null)
	rc=$?
	[ $rc = 0 ] && echo reaped || echo "not reaped ($rc)"
	grep -qiF "reaped zombie process with pid=$(cat "$T/orphan")" <<<"$e" &&
		echo logged || echo silent
}
both "-w: an orphan is reaped and logged as a reaped zombie" "reaped
logged" warn_reap -w
both "without -w: reaped, not logged" "reaped
silent" warn_reap
tini_quiet_w() { TINI_VERBOSITY=0 warn_reap "$@" -w; }
both "TINI_VERBOSITY=0: warnings off, -w included" "reaped
silent" tini_quiet_w

# --- -v / TINI_VERBOSITY --------------------------------------------------------
# tini's info lines go to stdout, nucleus-init's to stderr: both are read.
verbose() { # INIT MODE: is the command's exit status logged?
	local e
	case $2 in
	none) e=$("$1" -s -- sh -c 'exit 3' 2>&1 </dev/null) ;;
	flag) e=$("$1" -s -v -- sh -c 'exit 3' 2>&1 </dev/null) ;;
	env) e=$(TINI_VERBOSITY=2 "$1" -s -- sh -c 'exit 3' 2>&1 </dev/null) ;;
	esac
	grep -qE "exited (normally \(with status '3'\)|with 3)" <<<"$e" &&
		echo logged || echo "silent${e:+: $e}"
}
both "by default nothing is logged" silent verbose none
both "-v logs the command's exit" logged verbose flag
both "TINI_VERBOSITY=2 is one -v" logged verbose env

# --- -l, --version --------------------------------------------------------------
lic() {
	local o
	o=$("$1" -l)
	echo "$? $(grep -c 'MIT License' <<<"$o")"
}
both "-l prints the MIT license and exits 0" "0 1" lic
run "$TINI" --version
like "$rc $out" '^0 tini version [0-9.]+$' "tini --version: 'tini version X'"
run "$NI" --version
like "$rc $out" '^0 nucleus-init [0-9][0-9.]*$' \
	"nucleus-init --version: its own name and version, not tini's"

# --- a command that cannot run -------------------------------------------------
notrun() { # INIT: not found, not executable
	"$1" -s -- /nonexistent 2>/dev/null
	printf '%s ' $?
	"$1" -s -- /etc/passwd 2>/dev/null
	echo $?
}
both "a command not found exits 127, not executable 126" "127 126" notrun

# --- nucleus --init tini-static, and what ps shows --------------------------------
# nucleus passes init the caller's signal mask in NUCLEUS_INIT_SIGMASK, not
# as a flag tini would refuse.
run "$NUCLEUS" -- /bin/sh -c 'tr "\0" " " </proc/1/cmdline; echo; env'
like "$out" '^nucleus-init -- /bin/sh -c ' "the sandbox's /proc/1/cmdline: a plain init, no internal flag"
unlike "$out" 'sigmask|SIGMASK' "...and neither it nor the workload's environment holds the mask"
TS=$(command -v tini-static || true)
if [ -z "$TS" ]; then
	skip "tini-static missing (Debian's tini package ships /usr/bin/tini-static)"
	skip "tini-static missing"
else
	run "$NUCLEUS" --init "$TS" -- /bin/sh -c 'exit 3'
	is "$rc $err" "3 " "nucleus --init tini-static runs, the exit code passes"
	got=$(sig_run "$NUCLEUS" TERM --bind "$T" "$T" --init "$TS" -- /bin/sh -c \
		"trap 'exit 42' TERM; touch $T/ready; while :; do sleep 0.05; done")
	is "$got" 42 "nucleus --init tini-static: a TERM to nucleus reaches the command"
fi

done_testing
