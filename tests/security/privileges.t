#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Privileges (sandbox-peers.md §4): the monitor and the setup child are
# non-dumpable while they hold privilege, so a process of the same uid
# cannot ptrace them or read their /proc files (CVE-2016-8659,
# CVE-2016-9962); the workload cannot ptrace init or the monitor
# (CVE-2020-5291's goal); the five capability sets are as requested and
# inheritable is empty (CVE-2022-27650); --die-with-parent also holds when
# the parent dies before PR_SET_PDEATHSIG is in place (bwrap a071f9d). As
# root and as nobody where the kernel's rules differ; each attack beside a
# control where the same action works.
. "$(dirname "$0")/lib.sh"

# ptrace-able from the outside, by the same uid? $1: pid, $2: who tries.
attach() { as "$2" "$PROBE" ptrace-attach "$1"; }
owner() { stat -c %U "/proc/$1/environ" 2>/dev/null; }

# Control: a plain process of nobody is attachable by nobody and owns its
# /proc files.
"${NOBODY[@]}" "$PROBE" sleep 30 >/dev/null &
plain=$!
wait_for 10 test "$(readlink "/proc/$plain/exe")" = "$PROBE"
run attach $plain nobody
is "$out" ok "control: nobody can ptrace a plain process of nobody"
is "$(owner $plain)" nobody "control: ... whose /proc files are nobody's"
kill $plain
wait $plain 2>/dev/null

# The setup child, caught during setup: --file reads the caller's fd to EOF
# after the mounts began, with every privilege of the setup held; the fd is
# a pipe whose only writer is this shell (a named FIFO is refused at once,
# tests/host_inputs.t). Rootless, where the dumpable flag is all that
# stands between the setup and any other process of the same uid (root's
# processes hold every capability, and only CAP_SYS_PTRACE matters between
# them).
mkfifo -m 666 "$tmp/fifo"
exec 7<>"$tmp/fifo" # RDWR never blocks: the writer end, this shell's only
exec 8<"$tmp/fifo"
"${NOBODY[@]}" "$NUCLEUS" --file 8 /x -- /bin/true 2>/dev/null 7>&- &
mon=$! # setpriv execs nucleus: the monitor's own pid
exec 8<&-
child=
blocked() {
	child=$(pgrep -P $mon | head -n1)
	[ -n "$child" ] && grep -q pipe_read "/proc/$child/wchan" 2>/dev/null
}
wait_for 10 blocked
ok "nobody: the setup child is blocked reading the pipe (pid $child)" grep -q pipe_read "/proc/$child/wchan"
run attach "$child" nobody
is "$out" EPERM "nobody: the setup child cannot be ptraced by nobody"
is "$(owner "$child")" root "nobody: ... its /proc files are root's (non-dumpable)"
# The rootless monitor holds no privilege yet (it must stay dumpable until
# it has written the child's uid_map); it turns non-dumpable before the
# workload runs, checked below.
exec 7>&- # EOF releases the reader
wait $mon
is "$?" 0 "nobody: released, the setup completes: 0"

# The monitor while the workload runs: non-dumpable, so another process of
# nobody cannot ptrace it or read its /proc files (its fds: the sandbox's
# pidfd, cgroup directories).
"${NOBODY[@]}" "$NUCLEUS" -- "$PROBE" sleep 30 >/dev/null &
mon=$!
running() { [ -n "$(pgrep -P $mon)" ] && [ "$(owner $mon)" = root ]; }
wait_for 10 running
ok "nobody: the sandbox runs (init $(pgrep -P $mon))" test -n "$(pgrep -P $mon)"
run attach $mon nobody
is "$out" EPERM "nobody: the running monitor cannot be ptraced by nobody"
is "$(owner $mon)" root "nobody: ... its /proc files are root's (non-dumpable)"
kill $mon
wait $mon 2>/dev/null

# The workload against init and the monitor. Control: it can ptrace a
# process of its own (the default profile allows debuggers).
for who in root nobody; do
	run as "$who" "$NUCLEUS" -- /bin/sh -c '"$0" sleep 5 & p=$!; "$0" ptrace-attach $p; r=$?; kill $p; exit $r' "$PROBE"
	is "$out" ok "$who: control: the workload can ptrace its own child"
	run as "$who" "$NUCLEUS" -- "$PROBE" ptrace-attach 1
	is "$out" EPERM "$who: the workload cannot ptrace init (pid 1)"
	run as "$who" "$NUCLEUS" --share pid -- /bin/sh -c \
		'"$0" ptrace-attach "$(cut -d" " -f4 /proc/$PPID/stat)"' "$PROBE"
	like "$out" '^E(PERM|SRCH)$' "$who: --share pid: nor the monitor, init's parent ($out)"
done

# Capabilities, read back through capget inside. Without --cap-add all
# five empty; with one, exactly that one, and never an inheritable
# capability beyond it (CVE-2022-27650: an inheritable set lets a later
# exec of a file with inheritable file caps gain them).
zero='CapInh=0+ CapPrm=0+ CapEff=0+ CapBnd=0+ CapAmb=0+'
run "$PROBE" caps
unlike "$out" "$zero" "control: root on the host has capabilities"
for who in root nobody; do
	run as "$who" "$NUCLEUS" -- "$PROBE" caps
	like "$out" "^$zero$" "$who: no --cap-add: all five sets empty"
	run as "$who" "$NUCLEUS" --user 1000 -- "$PROBE" caps
	like "$out" "^$zero$" "$who: --user 1000: all five sets empty"
	run as "$who" "$NUCLEUS" --cap-add chown -- "$PROBE" caps
	like "$out" 'CapPrm=0+1 CapEff=0+1 CapBnd=0+1 ' "$who: --cap-add chown: permitted, effective, bounding = chown"
	like "$out" 'CapInh=0+(1)? ' "$who: ... inheritable holds nothing beyond chown"
	# uid 0 keeps a bounding capability across exec without any
	# inheritable one; only a non-zero --user needs ambient (and so
	# inheritable) to keep it.
	like "$out" '^CapInh=0000000000000000 ' "$who: --cap-add chown as uid 0: inheritable empty"
done

# --die-with-parent when the parent dies before PR_SET_PDEATHSIG: strace
# holds nucleus's first prctl for 0.4 s (-D: strace is no parent of it)
# while the parent exits; nucleus must notice and never start the sandbox.
if command -v strace >/dev/null; then
	delayed=(strace -D -o /dev/null -e trace=prctl -e inject=prctl:delay_enter=400000:when=1)
	for who in root nobody; do
		mark=dwp-$who-$$
		install -m 666 /dev/null "$tmp/dwp-$who"
		# The parent leaves 0.1 s in, while strace holds the prctl for
		# 0.4 s: a deliberate delay, the race under test.
		as "$who" bash -c '"$@" 2>"$0" & sleep 0.1; exit 0' "$tmp/dwp-$who" \
			"${delayed[@]}" "$NUCLEUS" --die-with-parent -- /bin/sh -c 'sleep 30' $mark
		wait_for 10 test -s "$tmp/dwp-$who"
		like "$(cat "$tmp/dwp-$who")" 'parent is already gone' "$who: parent gone before PR_SET_PDEATHSIG: nucleus refuses"
		# A sandbox left running would be `sleep 30`: still there then.
		wait_for 10 eval "! pgrep -f '$mark' >/dev/null"
		is "$(pgrep -f "$mark" | wc -l)" 0 "$who: ... and no sandbox runs orphaned"
		kill $(pgrep -f "$mark") 2>/dev/null
		run as "$who" bash -c '"$@"' x "${delayed[@]}" "$NUCLEUS" --die-with-parent -- "$PROBE" exit 7
		is "$rc" 7 "$who: control: the same delay with a living parent runs the workload"
	done
else
	skip "strace missing: no way to hold nucleus before PR_SET_PDEATHSIG"
fi
done_testing
