#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Churn (issue 11): 500 sandboxes (NUCLEUS_CHURN=N for fewer), two at a
# time, ending every way there is: exit 0 and non-zero, killed by a
# signal, --timeout, a setup that fails on purpose before and after the
# cgroup exists, SIGTERM to nucleus, and SIGKILL of nucleus itself at a
# random moment (setup included). Meanwhile a long-running sandbox's
# monitor is sent a forwarded signal per run. Afterwards: no cgroup left in
# any hierarchy (a SIGKILLed monitor's is reaped by the next start), no
# process of the churn (init on its memfd, workloads, monitors), no zombie,
# no mount in the host's table, no temporary directory, and the
# long-running monitor holds exactly the fds it held before.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cgroup-lib.sh"

n=${NUCLEUS_CHURN:-500}
cg_test_parent churn || skip_all "no writable cgroup hierarchy"
# Copies: other work may rebuild build/out meanwhile (exec: ETXTBSY).
own_binaries
NUCLEUS=$N
CG=(--ro-bind "$tmp/bin" "$tmp/bin" --cgroup-parent "$P")
mark=churn-$$
mounts_before=$(sort /proc/self/mountinfo)
# Temporary files go to TMPDIR (nucleus honours it): a private one here,
# so that other tests running meanwhile cannot blur the check.
export TMPDIR=$tmp/tmpdir
mkdir -m 1777 "$TMPDIR"

# The long-running sandbox; its workload ignores USR1, which the monitor
# forwards (a signalfd read and a pidfd_send_signal per run).
"$NUCLEUS" "${CG[@]}" -- /bin/sh -c 'trap "" USR1; while :; do sleep 1; done' $mark >/dev/null 2>&1 &
long=$!
# Its monitor holds its final fds once the workload runs (init spawned it).
wait_for 30 pgrep -f "^/bin/sh -c trap .* $mark\$" >/dev/null
fds_before=$(ls /proc/$long/fd | sort | tr '\n' ' ')

# One run of kind i % 10; appends "kind code" to the results.
one() {
	local i=$1 kind rc pid
	case $((i % 10)) in
	0) kind=exit0; "$NUCLEUS" "${CG[@]}" -- "$PROBE" exit 0 ;;
	1) kind=exit3; "$NUCLEUS" "${CG[@]}" -- /bin/sh -c 'exit 3' $mark ;;
	2) kind=bind; "$NUCLEUS" "${CG[@]}" --bind /nonexistent-$mark /x -- /bin/true ;;
	3) kind=flag; "$NUCLEUS" "${CG[@]}" --bogus-$mark -- /bin/true ;;
	4) kind=chdir; "$NUCLEUS" "${CG[@]}" --chdir /nonexistent-$mark -- /bin/true ;;
	5 | 6)
		kind=kill9
		"$NUCLEUS" "${CG[@]}" -- /bin/sh -c 'sleep 2' $mark &
		pid=$!
		sleep "0.0$((RANDOM % 60))"
		kill -KILL $pid
		wait $pid ;;
	7) kind=timeout; "$NUCLEUS" "${CG[@]}" --timeout 0.05 -- /bin/sh -c 'sleep 5' $mark ;;
	8) kind=signal; "$NUCLEUS" "${CG[@]}" -- "$PROBE" signal-self KILL ;;
	9)
		kind=term
		"$NUCLEUS" "${CG[@]}" -- /bin/sh -c 'sleep 2' $mark &
		pid=$!
		sleep "0.0$((RANDOM % 60))"
		kill -TERM $pid
		wait $pid ;;
	esac >/dev/null 2>&1
	rc=$?
	echo "$kind $rc" >>"$tmp/results"
}

start=$(date +%s%N)
for i in $(seq $n); do
	[ "$(jobs -rp | wc -l)" -ge 3 ] && wait -n # the long one, and two
	one "$i" &
	kill -USR1 $long
done
while [ "$(jobs -rp | wc -l)" -gt 1 ]; do wait -n; done
ms=$((($(date +%s%N) - start) / 1000000))
diag "$n sandboxes, 2 at a time: $ms ms"

# Every kind ended as it must.
bad=$(awk '$1 != "term" {
	ok = ($1 == "exit0" && $2 == 0) || ($1 == "exit3" && $2 == 3) ||
	     ($1 ~ /^(bind|flag|chdir)$/ && $2 == 125) ||
	     ($1 == "kill9" && $2 == 137) || ($1 == "timeout" && $2 == 124) ||
	     ($1 == "signal" && $2 == 137)
	if (!ok) print
}' "$tmp/results" | sort | uniq -c | tr -s ' \n' '  ')
is "$(wc -l <"$tmp/results")" "$n" "$n sandboxes ran"
is "$bad" "" "each ended with its kind's code ($(cut -d' ' -f1 "$tmp/results" | sort | uniq -c | tr -s ' \n' '  '))"
# SIGTERM to nucleus at a random moment: 143 (125 when it stopped the
# setup). The signals the monitor forwards stay blocked from clone to
# init's signalfd, so one sent while the sandbox's PID 1 has no handler
# yet is queued, not dropped (an init ignores a default-action signal).
lost=$(awk '$1 == "term" && $2 != 143 && $2 != 125' "$tmp/results" | wc -l)
is "$lost" 0 "SIGTERM to nucleus at a random moment: never lost (of $(grep -c ^term "$tmp/results"))"

ok "the long-running sandbox survived the churn" kill -0 $long
fds_after=$(ls /proc/$long/fd | sort | tr '\n' ' ')
is "$fds_after" "$fds_before" "its monitor's fds are the same after $n forwarded signals"
kill -TERM $long
wait $long

# A SIGKILLed monitor's sandbox dies through PR_SET_PDEATHSIG, but not at
# once: wait (bounded) until the churn has no process left and its cgroups
# are empty. Only then may the next start reap them: it never removes a
# cgroup something still runs in.
churn_gone() { ! pgrep -f "$mark" >/dev/null; }
cg_empty() {
	local h
	for h in $(cg_hierarchies); do
		[ -z "$(find "$(cg_dir $h "$P")" -name cgroup.procs -exec cat {} +)" ] || return 1
	done
}
ok "the churn's processes are gone (within 30 s)" wait_for 30 churn_gone
ok "... and its cgroups are empty" wait_for 30 cg_empty
# A SIGKILLed monitor leaves its cgroup: the next start reaps it.
run "$NUCLEUS" "${CG[@]}" -- /bin/true
is "$rc" 0 "one more sandbox, which reaps what SIGKILLed monitors left"
is "$(cg_leftovers "$P")" "" "no cgroup left below the test's parent, in any hierarchy"
procs=
for h in $(cg_hierarchies); do procs="$procs$(find "$(cg_dir $h "$P")" -name cgroup.procs -exec cat {} +)"; done
is "$procs" "" "no process left in any of its cgroups"
is "$(pgrep -f "$mark" | tr '\n' ' ')" "" "no process of the churn left (monitors, inits, workloads)"
is "$(ps -o stat= --ppid $$ | grep -c '^Z')" 0 "no zombie among the test's children"
memfd=
for p in /proc/[0-9]*; do
	[ "$(readlink "$p/exe" 2>/dev/null)" = "/memfd:nucleus-init (deleted)" ] || continue
	grep -q "/$P/" "$p/cgroup" 2>/dev/null && memfd="$memfd ${p#/proc/}"
done
is "$memfd" "" "no init on its memfd left in the churn's cgroups"
# Another suite beside this one may hold a mount of its own for a moment:
# the table must come back to what it was, within a deadline.
mounts_back() { [ "$(sort /proc/self/mountinfo)" = "$mounts_before" ]; }
wait_for 10 mounts_back
is "$(sort /proc/self/mountinfo)" "$mounts_before" "the host's mount table is as before"
is "$(ls -A "$TMPDIR")" "" "no temporary file or directory left in TMPDIR"
done_testing
