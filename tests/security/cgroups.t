#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cgroups (sandbox-peers.md §4, §7 36-39): the sandbox is in its cgroup in
# every hierarchy before it runs a single instruction of its own (seen
# while its setup is held on a pipe); the limits are in the kernel's files
# as asked while the workload runs; a fork bomb and an OOM stay inside,
# are killed whole and are reported (--stats); a limit nucleus cannot
# enforce is never silently dropped (rootless: a warning in agent mode,
# 125 in production); teardown leaves no cgroup. Root's cgroups go below a
# parent of this test's own (--cgroup-parent), so concurrent runs of other
# tests cannot blur the counts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cgroup-lib.sh"

cg_test_parent sec || skip_all "no writable cgroup hierarchy"
CG=(--cgroup-parent "$P")

# Before the first instruction: the setup child, held reading --file's
# pipe (whose only writer is this shell; a named FIFO is refused at once),
# is already in the sandbox's cgroup in every hierarchy.
mkfifo -m 666 "$tmp/fifo"
exec 7<>"$tmp/fifo" # RDWR never blocks: the writer end, this shell's only
exec 8<"$tmp/fifo"
"$NUCLEUS" "${CG[@]}" --file 8 /x -- /bin/true 2>/dev/null 7>&- &
mon=$!
exec 8<&-
child=
for _ in $(seq 200); do
	child=$(pgrep -P $mon | head -n1)
	[ -n "$child" ] && grep -q pipe_read "/proc/$child/wchan" 2>/dev/null && break
	sleep 0.01
done
for h in $(cg_hierarchies); do
	key=$h
	[ $h = unified ] && key=
	line=$(grep -E "^[0-9]+:$key:" "/proc/$child/cgroup" 2>/dev/null)
	like "$line" "/$P/nucleus-[0-9a-f]+$" "the setup child, before it runs anything, is in its cgroup ($h)"
done
exec 7>&- # EOF releases the reader
wait $mon
is "$?" 0 "... released, the setup completes: 0"
is "$(cg_leftovers "$P")" "" "... and that sandbox's cgroups are gone"

# The limits as written, read from the kernel's files while it runs.
"$NUCLEUS" "${CG[@]}" --memory 48M --pids 40 -- "$PROBE" sleep 30 >/dev/null &
mon=$!
# The workload runs: the limits were written before the clone.
wait_for 30 pgrep -fx "$PROBE sleep 30" >/dev/null
dir=$(cg_dir memory "$P")/$(cg_leftovers "$P" | head -n1)
is "$(cat "$dir/memory.limit_in_bytes" 2>/dev/null)" $((48 << 20)) "--memory 48M: memory.limit_in_bytes in effect"
dir=$(cg_dir pids "$P")/$(cg_leftovers "$P" | head -n1)
is "$(cat "$dir/pids.max" 2>/dev/null)" 40 "--pids 40: pids.max in effect"
kill $mon
wait $mon 2>/dev/null

# Fork bomb: contained by --pids, every process of it gone at the end,
# reported in --stats. Control: the same --pids lets 20 forks through.
run "$NUCLEUS" "${CG[@]}" --pids 30 -- "$PROBE" forks 20
like "$out" '^forked=20$' "control: --pids 30 allows 20 forks"
mark=bomb-$$
run "$NUCLEUS" "${CG[@]}" --pids 30 --timeout 2 --stats fd:3 -- \
	/bin/bash -c 'b() { b | b & }; b; sleep 5' $mark 3>"$tmp/bomb.json"
ok "fork bomb: the sandbox ended (exit $rc)" test "$rc" -ne 125
like "$(cat "$tmp/bomb.json")" '"pids_peak": ?30[,}]' "fork bomb: held at --pids 30, and --stats says so"
is "$(pgrep -f "$mark" | wc -l)" 0 "fork bomb: no process of it is left"
run "$PROBE" forks 20
is "$out" forked=20 "control: the host still forks"

# OOM: killed inside, reported, told apart from a normal exit.
run "$NUCLEUS" "${CG[@]}" --memory 32M --stats fd:3 -- "$PROBE" alloc 64 3>"$tmp/oom.json"
is "$rc" 137 "OOM: a 64 MiB allocation under --memory 32M is killed (137)"
like "$err" oom_kill "... stderr says oom_kill"
like "$(cat "$tmp/oom.json")" '"oom_kills": ?[1-9]' "... and --stats counts it"
run "$NUCLEUS" "${CG[@]}" --memory 32M --stats fd:3 -- "$PROBE" alloc 8 3>"$tmp/ok.json"
is "$rc" 0 "control: 8 MiB under --memory 32M: exit 0"
like "$(cat "$tmp/ok.json")" '"oom_kills": ?0[,}]' "control: no OOM kill counted"

# Rootless, no delegated cgroup: a limit is never silently dropped.
run "${NOBODY[@]}" "$NUCLEUS" --memory 32M -- "$PROBE" exit 0
is "$rc" 0 "rootless agent --memory: runs"
like "$err" 'not enforced: --memory' "... and says --memory is not enforced"
install -m 666 /dev/null "$tmp/ran"
run "${NOBODY[@]}" "$NUCLEUS" --mode production --memory 32M -- "$PROBE" put "$tmp/ran" yes
is "$rc" 125 "rootless production --memory: 125"
like "$err" '[-]-memory' "... naming the flag"
is "$(cat "$tmp/ran")" "" "... and the workload never ran"

is "$(cg_leftovers "$P")" "" "teardown: no cgroup of this test left in any hierarchy"
done_testing
