#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# nucleus-init, part 3: reaping and the end of a run. Orphans are reaped as
# PID 1 and as subreaper (PR_SET_CHILD_SUBREAPER is set); leftovers get TERM,
# the grace period (timed), then KILL; -t 0 exits at once; a second TERM cuts
# the grace short; a subreaper never kill(-1)s; no /proc is needed; a forced
# system mode ends in reboot(2), never in an exit; a flood of signals while
# hundreds of children exit loses nothing; and the syscalls init makes are
# exactly the documented ones (strace).

. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/init-helpers.sh"

I=$NUCLEUS_INIT
NS=(unshare -pf --mount-proc)
zombies='awk "/^State:/ && \$2 == \"Z\"" /proc/[0-9]*/status 2>/dev/null | wc -l'
# How many sleep processes still run (not zombies).
running='awk "/^Name:/ {n = \$2} /^State:/ && \$2 != \"Z\" && n == \"sleep\"" /proc/[0-9]*/status 2>/dev/null | wc -l'
# Until, at most 10 s, no orphan runs and the zombies are 0 (reaped) or
# 100 (the control, which never reaps): a deadline, not a guessed sleep.
# The count is the one seen when both held at once (a count taken after
# may catch a process of the count's own pipeline mid-exit under load).
settle='for j in $(seq 1000); do s=$('"$running"')/$('"$zombies"'); case $s in 0/0|0/100) break;; esac; sleep 0.01; done'

# --- reaping -----------------------------------------------------------------
ORPHANS="for i in \$(seq 100); do (sleep 0.1 &); done; $settle; echo \${s#*/}"
run "${NS[@]}" "$I" -- bash -c "$ORPHANS"
is "$rc/$out" "0/0" "PID 1: 100 orphans exit, no zombie is left"
NOREAP='my $p = fork; exec "bash", "-c", $ARGV[0] unless $p; waitpid($p, 0); exit $? >> 8'
run "${NS[@]}" perl -e "$NOREAP" "$ORPHANS"
is "$out" 100 "control: a PID 1 that does not reap leaves 100 zombies"

# The subshell is waited for: once it returns, its orphan is reparented.
run "$I" -t 0 -- bash -c '(sleep 30 & echo $! >"$0"); awk "/^PPid:/ {print \$2}" /proc/$(cat "$0")/status; echo $PPID' "$T/orphan"
set -- $out
is "${1:-x}" "${2:-y}" "subreaper: a double-forked orphan is reparented to init (PR_SET_CHILD_SUBREAPER)"
run bash -c '(sleep 30 & echo $! >"$0"); awk "/^PPid:/ {print \$2}" /proc/$(cat "$0")/status; echo $$; kill $(cat "$0")' "$T/orphan2"
set -- $out
ok "control: under a plain parent it is not ($(echo $out))" [ "${1:-x}" != "${2:-x}" ]
run "$I" -- bash -c "for i in \$(seq 100); do (sleep 0.1 &); done; for j in \$(seq 1000); do [ \"\$(cat /proc/\$PPID/task/\$PPID/children)\" = \"\$\$ \" ] && break; sleep 0.01; done; echo \$(cat /proc/\$PPID/task/\$PPID/children) \$\$"
set -- $out
is "${1:-x}" "${2:-y}" "subreaper: 100 orphans exit, init's only child left is the workload"

# --- the drain ------------------------------------------------------------------
# A leftover that honours TERM: init exits as soon as it is gone.
HONOUR='(trap "echo term >$0.t; exit 0" TERM; touch $0.r; sleep 30 & wait) &
while [ ! -e $0.r ]; do sleep 0.01; done; exit 3'
for mode in sub ns; do
	R=("$I")
	[ $mode = ns ] && R=("${NS[@]}" "$I")
	t0=$(now_ms)
	run "${R[@]}" -- bash -c "$HONOUR" "$T/h-$mode"
	t=$(($(now_ms) - t0))
	is "$rc" 3 "$mode: the workload's code, after the drain"
	ok "$mode: the leftover got SIGTERM" exists "$T/h-$mode.t"
	ok "$mode: init did not wait out the grace once the leftovers were gone (${t} ms)" [ "$t" -lt 1500 ]
done

# A leftover that ignores TERM (and logs it): KILL when the grace is over.
IGNORE='(trap "echo term >>$0.t" TERM; echo $BASHPID >$0.pid; touch $0.r
while :; do sleep 0.05; done) &
while [ ! -e $0.r ]; do sleep 0.01; done; echo ${EPOCHREALTIME/./} >$0.end; exit 3'
for mode in sub ns; do
	R=("$I")
	[ $mode = ns ] && R=("${NS[@]}" "$I")
	run "${R[@]}" -t 0.6 -- bash -c "$IGNORE" "$T/i-$mode"
	t=$(ms_since "$T/i-$mode.end")
	is "$rc" 3 "$mode: -t 0.6, TERM ignored: still the workload's code"
	ok "$mode: KILL came after the 0.6 s grace, +-200 ms (${t} ms)" [ "$t" -ge 580 ] && [ "$t" -le 800 ]
	ok "$mode: the leftover had got SIGTERM first" exists "$T/i-$mode.t"
	[ $mode = sub ] && ok "sub: the leftover is gone" gone "$(cat "$T/i-$mode.pid")"
done

STUBBORN='trap "" TERM; sleep 30 & echo $! >$0.pid; echo ${EPOCHREALTIME/./} >$0.end; exit 3'
for mode in sub ns; do
	R=("$I")
	[ $mode = ns ] && R=("${NS[@]}" "$I")
	run "${R[@]}" -t 0 -- bash -c "$STUBBORN" "$T/z-$mode"
	t=$(ms_since "$T/z-$mode.end")
	is "$rc" 3 "$mode: -t 0: the workload's code"
	ok "$mode: -t 0 exits at once (${t} ms)" [ "$t" -lt 500 ]
done
ok "sub: -t 0 still killed the leftover" wait_for gone "$(cat "$T/z-sub.pid")"
run env NUCLEUS_INIT_GRACE=0.3 "$I" -- bash -c "$STUBBORN" "$T/z-env"
t=$(ms_since "$T/z-env.end")
ok "NUCLEUS_INIT_GRACE=0.3 is -t 0.3 (${t} ms)" [ "$t" -ge 290 ] && [ "$t" -le 500 ]

# A second TERM during the grace period escalates to KILL at once.
# The grace has begun once init's one child is the leftover sleep: the
# workload (bash) is reaped, which is what starts the drain.
_draining() {
	local c
	c=$(children_of "$IPID")
	[ -n "$c" ] && [ "$c" = "${c%% *}" ] && [ "$(cat "/proc/$c/comm" 2>/dev/null)" = sleep ]
}
for mode in sub ns; do
	"start_$mode" -t 5 -- bash -c "$STUBBORN" "$T/e-$mode"
	wait_for _draining
	t0=$(now_ms)
	kill -TERM "$IPID"
	finish "$UNS"
	t=$(($(now_ms) - t0))
	is "$rc" 3 "$mode: TERM during a 5 s grace: the workload's code"
	ok "$mode: ...and init is gone well before the grace ends (${t} ms)" [ "$t" -lt 1500 ]
done

# Graceful stop: TERM to init reaches the workload, which takes 0.5 s.
for mode in sub ns; do
	"start_$mode" -- bash -c 'trap "sleep 0.5; exit 7" TERM; touch $0.r; sleep 30 & wait' "$T/s-$mode"
	wait_for exists "$T/s-$mode.r"
	t0=$(now_ms)
	kill -TERM "$IPID"
	finish "$UNS"
	t=$(($(now_ms) - t0))
	is "$rc" 7 "$mode: TERM to init: the workload shuts down in its time and init exits with its 7"
	ok "$mode: init waited for it (${t} ms)" [ "$t" -ge 450 ]
done

# --- a subreaper never kill(-1)s ---------------------------------------------
# In a pid namespace, so that a bug could only hurt the test: a victim that
# logs TERM, then init (not PID 1 here) drains a leftover.
KILLALL='bash -c "trap \"echo hit >>$0.v\" TERM; touch $0.vr; while :; do sleep 0.02; done" &
while [ ! -e $0.vr ]; do sleep 0.01; done
"$1" -t 0.3 -- bash -c "trap \"\" TERM; sleep 30 & exit 3"; echo "rc=$?"
sleep 0.2; [ -e $0.v ] && echo victim-hit || echo victim-safe
kill -TERM -1; sleep 0.2; [ -e $0.v ] && echo control-hit'
run "${NS[@]}" bash -c "$KILLALL" "$T/k" "$I"
is "$(echo $out)" "rc=3 victim-safe control-hit" \
	"subreaper drain spares an unrelated process; kill(-1) would not (control)"

# --- no /proc -----------------------------------------------------------------
NOPROC='mount -t tmpfs none /proc && ls /proc | wc -l && exec "$0" -t 0.3 -- sh -c "trap \"\" TERM; sleep 30 & exit 9"'
run unshare -pfm --propagation private sh -c "$NOPROC" "$I"
is "$rc/$out" "9/0" "PID 1 with an empty /proc: drains and exits with the code"
NOPROC_SUB='mount -t tmpfs none /proc && "$0" -t 0.3 -- sh -c "trap \"\" TERM; sleep 30 & exit 4"'
t0=$(now_ms)
run unshare -m --propagation private sh -c "$NOPROC_SUB" "$I"
t=$(($(now_ms) - t0))
is "$rc" 4 "subreaper with an empty /proc: the workload's group is killed instead"
ok "...after the grace, without the 2 s give-up (${t} ms)" [ "$t" -lt 1500 ]

# A leftover out of every reach (its own session, no /proc to list it): the
# wait after SIGKILL is bounded, as for a process stuck in D state.
ESCAPE='mount -t tmpfs none /proc && "$0" -t 0.1 -- sh -c "setsid sh -c \"trap \\\"\\\" TERM; echo \\\$\\\$ >$1; exec sleep 30\" >/dev/null 2>&1 & sleep 0.1; exit 5"'
t0=$(now_ms)
run unshare -m --propagation private sh -c "$ESCAPE" "$I" "$T/escaped"
t=$(($(now_ms) - t0))
is "$rc/$err" "5/nucleus-init: children left 2000 ms after SIGKILL; exiting anyway" \
	"an unreachable leftover: init gives up after SIGKILL, with the workload's code"
ok "...2 s after it (${t} ms in all)" [ "$t" -ge 2100 ] && [ "$t" -lt 3500 ]
kill -KILL "$(cat "$T/escaped")" 2>/dev/null

# --- system mode (forced, in a pid namespace) ---------------------------------
# reboot(2) in a pid namespace kills its init: SIGINT for a power-off, SIGHUP
# for a restart, which unshare passes on (130, 129). Init itself never exits.
run "${NS[@]}" "$I" --system -t 0.3 -- sh -c 'exit 3'
is "$rc" 130 "--system: the end is reboot(RB_POWER_OFF) (init killed by SIGINT)"
is "$err" "nucleus-init: workload exited with status 3; powering off" "--system: one line says why"
run "${NS[@]}" "$I" --system --reboot -- sh -c 'exit 3'
is "$rc/$err" "129/nucleus-init: workload exited with status 3; rebooting" "--system --reboot: RB_AUTOBOOT (SIGHUP)"
run "${NS[@]}" "$I" --system -t 0.3 -- bash -c "$STUBBORN" "$T/sys"
t=$(ms_since "$T/sys.end")
ok "--system drains first: TERM, grace, KILL, then power-off (${t} ms, rc $rc)" \
	[ "$rc" = 130 ] && [ "$t" -ge 290 ] && [ "$t" -lt 1000 ]
run "${NS[@]}" "$I" --system -- nosuch-cmd-xyz
is "$rc/$err" "130/nucleus-init: exec nosuch-cmd-xyz: No such file or directory
nucleus-init: init: status 127; powering off" "--system: an exec failure is reported, then power-off"
run "${NS[@]}" "$I" -v -- sh -c 'exit 3'
is "$rc" 3 "control: PID 1 of a pid namespace is not system mode by itself"
like "$err" 'mode namespace init' "...it says namespace init (reboot CAD_OFF: EINVAL)"
run "${NS[@]}" setpriv --bounding-set=-sys_boot --inh-caps=-sys_boot "$I" -v -- sh -c 'exit 3'
is "$rc" 3 "without CAP_SYS_BOOT (reboot: EPERM) PID 1 is still namespace init"
like "$err" 'mode namespace init' "...told by the pid namespace inode"

# --- a flood of signals while children exit ----------------------------------
out=$T/flood
sc_start ns "$out" 20
rt=$(($(ready_field "$out" rtmin) + 1))
for ((i = 0; i < 2000; i++)); do kill -"$rt" "$IPID"; done
wait_total "$out" 2000
sc_stop "$out"
is "$rc/$(count "$out" "$rt")" "0/2000" "2000 real-time signals to init: each forwarded exactly once"
# The issue's numbers: 10k signals while 1k children exit.
# The workload ignores USR1 before the flood starts (else it dies of it on
# a slow start), then waits, up to 20 s, until no orphan runs and no zombie
# is left: a zombie init fails to reap stays, and is counted.
FLOOD='trap "" USR1; touch $0.t; for i in $(seq 1000); do (sleep 0.01 &); done; touch $0.r
for i in $(seq 2000); do [ "$('"$running"')$('"$zombies"')" = 00 ] && break; sleep 0.01; done
'"$zombies"' >$0.z'
start_ns -- bash -c "$FLOOD" "$T/fl"
wait_for exists "$T/fl.t"
for ((i = 0; i < 10000; i++)); do kill -USR1 "$IPID" 2>/dev/null || break; done
finish "$UNS"
ok "10000 USR1 while 1000 orphans exit: init survives, exits 0 ($rc)" [ "$rc" = 0 ]
is "$(cat "$T/fl.z" 2>/dev/null)" 0 "...and every orphan was reaped (no zombie)"

# --- the syscalls init makes are the documented ones -------------------------
if command -v strace >/dev/null; then
	doc=$(sed -n '/Syscalls, all of them/,/\*\//p' "$TOP/init/main.c" | grep -oE '[a-z_0-9]+' | sort -u)
	st=$T/strace
	mkdir -p "$st"
	strace -ff -qq -o "$st/a" "$I" -p TERM -t 0.3 -- sh -c 'trap "" TERM; sleep 30 & exit 3' 2>/dev/null
	strace -ff -qq -o "$st/b" "$I" -- nosuch-cmd-xyz 2>/dev/null
	strace -ff -qq -o "$st/c" "${NS[@]}" "$I" -t 0.3 -- sh -c 'trap "" TERM; sleep 30 & exit 3'
	strace -ff -qq -o "$st/d" "${NS[@]}" "$I" --system -- true 2>/dev/null
	strace -ff -qq -o "$st/e" "${NS[@]}" setpriv --bounding-set=-sys_boot "$I" -- true
	# init's own syscalls: from its execve on; its clone children's: up to
	# and including their own execve.
	used=$(for f in "$st"/*; do
		awk '/^execve\("[^"]*nucleus-init"/ && / = 0$/ {on = 1; next}
			on {sub(/\(.*/, ""); print}' "$f"
		for kid in $(awk '/^execve\("[^"]*nucleus-init"/ && / = 0$/ {on = 1}
			on && /^clone\(/ {print $NF}' "$f"); do
			[ -e "${f%.*}.$kid" ] && awk '{n = $0; sub(/\(.*/, "", n); print n} /^execve\(/ && / = 0$/ {exit}' "${f%.*}.$kid"
		done
	done | grep -E '^[a-z_0-9]+$' | sort -u)
	undoc=$(comm -23 <(echo "$used") <(echo "$doc") | tr '\n' ' ')
	is "$undoc" "" "every syscall init makes is in the list atop init/main.c"
	like "$used" 'signalfd4' "control: the trace did see init's syscalls"
	like "$used" 'setpgid' "control: ...and its child's before exec"
	manlist=$(sed -n '/^\.SH SYSCALLS/,/^\.SH EXAMPLES/p' "$TOP/init/nucleus-init.8")
	missing=
	for s in $used; do grep -qw "$s" <<<"$manlist" || missing="$missing $s"; done
	is "$missing" "" "...and in the man page's SYSCALLS section"
else
	skip "strace missing: the syscall list is unchecked"
fi

done_testing
