#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# nucleus-init, part 4: under seccomp filters. The sandbox's strict profile
# may deny fork (musl's fork() is that syscall): init spawns with a
# vfork-style clone and keeps working. The hygiene steps (setpgid, the
# subreaper prctl, close_range) degrade with a warning or a fallback;
# the steps init cannot live without (signalfd, poll, wait4, the spawn) fail
# with 125 before the workload ever runs, instead of losing signals later.

. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/init-helpers.sh"

I=$NUCLEUS_INIT

run "$DENY" fork,vfork "$DENY" --fork
is "$out" "Operation not permitted" "control: the filter denies the fork syscall"
run "$DENY" fork,vfork "$I" -t 0.3 -- bash -c 'trap "" TERM; sleep 30 & exit 3'
is "$rc/$err" "3/" "fork and vfork denied: init spawns, drains and exits with the code"
run "$DENY" fork,vfork,rt_sigtimedwait unshare -pf --mount-proc "$I" -- sh -c 'exit 4'
is "$rc" 4 "...as PID 1 too, with rt_sigtimedwait denied as well (signalfd only)"

run "$DENY" setpgid "$I" -g -- sh -c 'exit 5'
is "$rc" 5 "setpgid denied: the workload still runs"
is "$err" "nucleus-init: setpgid (the workload shares init's process group): Operation not permitted" \
	"...with one warning"
run "$DENY" prctl "$I" -- sh -c 'exit 6'
is "$rc" 6 "prctl denied: the workload still runs"
is "$err" "nucleus-init: PR_SET_CHILD_SUBREAPER (orphans will not be reaped): Operation not permitted" \
	"...with one warning (no subreaper)"
run "$DENY" prctl "$I" -p TERM -- true
is "$rc" 125 "prctl denied and -p asked for: 125 (asked, not best effort)"
run "$DENY" close_range "$I" -- sh -c 'while [ "$(readlink /proc/$PPID/cwd)" != / ]; do sleep 0.01; done; sleep 0.05; ls /proc/$PPID/fd | sort -n | tr "\n" " "' 5</dev/null 9</dev/null
is "$out" "0 1 2 3 " "close_range denied: init still closes the inherited fds"

for sc in signalfd4 poll wait4 pipe2 clone; do
	rm -f "$T/ran"
	run "$DENY" "$sc" "$I" -- touch "$T/ran"
	is "$rc" 125 "$sc denied: 125"
	like "$err" "^nucleus-init: [a-z0-9]+: Operation not permitted$" "...one line naming the step"
	nok "...and the workload never ran" exists "$T/ran"
done

done_testing
