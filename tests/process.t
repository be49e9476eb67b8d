#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What the process is given besides its command: the five capability sets as
# --cap-bound, --cap-inheritable and --cap-ambient list them (OCI's), the
# oom_score_adj, and sysctls of the sandbox's own namespaces. Each is read
# back inside the sandbox, beside a control without the flag; a sysctl that
# would change the host is refused and the host's value stays.
. "$(dirname "$0")/lib/tap.sh"
need_root

sets() { "$@" -- "$PROBE" seq status CapInh -- status CapPrm -- status CapEff -- status CapBnd -- status CapAmb; }
z=0000000000000000 kill=0000000000000020 both=0000000000000021 chown=0000000000000001

# --- capabilities -------------------------------------------------------------
run sets "$NUCLEUS" --cap-add kill
is "$(echo $out)" "$z $kill $kill $kill $z" "control: uid 0 --cap-add: inheritable and ambient empty"
run sets "$NUCLEUS" --cap-add kill --cap-bound chown --cap-inheritable kill
is "$(echo $out)" "$kill $kill $kill $both $z" \
	"uid 0: --cap-bound and --cap-inheritable as listed; no_new_privs keeps the exec from granting chown back"
run sets "$NUCLEUS" --user 1000 --cap-add kill --cap-add chown
is "$(echo $out)" "$both $both $both $both $both" "control: uid 1000 --cap-add: kept through ambient"
run sets "$NUCLEUS" --user 1000 --cap-add kill --cap-add chown --cap-inheritable kill \
	--cap-inheritable chown --cap-ambient kill
is "$(echo $out)" "$both $kill $kill $both $kill" \
	"uid 1000 with --cap-ambient: exactly the ambient one survives the exec"
run sets "$NUCLEUS" --user 1000 --cap-add kill --cap-inheritable kill
is "$(echo $out)" "$kill $z $z $kill $z" "uid 1000, inheritable but no ambient: nothing held, as the kernel rules"
run "$NUCLEUS" --cap-add kill --cap-ambient kill -- /bin/true
is "$rc" 125 "--cap-ambient without --cap-inheritable: 125"
like "$err" "^nucleus: args: --cap-ambient: each needs --cap-add and --cap-inheritable too" "... saying why"
run "$NUCLEUS" --cap-inheritable chown -- /bin/true
like "$rc:$err" "^125:nucleus: args: --cap-inheritable: each must be in the bounding set" \
	"--cap-inheritable outside the bounding set: 125"

# --- oom_score_adj ------------------------------------------------------------
host_oom=$(cat /proc/self/oom_score_adj)
run "$NUCLEUS" -- cat /proc/self/oom_score_adj
is "$out" "$host_oom" "control: the caller's oom_score_adj is inherited"
run "$NUCLEUS" --oom-score-adj 500 -- cat /proc/self/oom_score_adj
is "$rc:$out" "0:500" "--oom-score-adj 500"
run "$NUCLEUS" --user 1000 --oom-score-adj 300 -- cat /proc/self/oom_score_adj
is "$rc:$out" "0:300" "--oom-score-adj with --user 1000"
run "${NOBODY[@]}" "$NUCLEUS" --oom-score-adj $((host_oom - 1)) -- /bin/true
like "$rc:$err" "^125:nucleus: procfs: --oom-score-adj \\(below the caller's: needs CAP_SYS_RESOURCE\\)" \
	"unprivileged: below the caller's value is refused, 125"
run "$NUCLEUS" --oom-score-adj 1001 -- /bin/true
is "$rc" 125 "--oom-score-adj 1001: out of range, 125"

# --- sysctl -------------------------------------------------------------------
shm=$(cat /proc/sys/kernel/shmmax) fwd=$(cat /proc/sys/net/ipv4/ip_forward)
want=$((shm == 65536 ? 65537 : 65536)) wfwd=$((1 - fwd))
run "$NUCLEUS" -- cat /proc/sys/kernel/shmmax
is "$out" "$shm" "control: a new ipc namespace starts from the kernel's shmmax"
run "$NUCLEUS" --sysctl kernel.shmmax=$want --sysctl net.ipv4.ip_forward=$wfwd -- \
	/bin/sh -c 'cat /proc/sys/kernel/shmmax /proc/sys/net/ipv4/ip_forward'
is "$(echo $out)" "$want $wfwd" "--sysctl kernel.shmmax and net.ipv4.ip_forward set inside"
is "$(cat /proc/sys/kernel/shmmax) $(cat /proc/sys/net/ipv4/ip_forward)" "$shm $fwd" "... and the host's values unchanged"
swap=$(cat /proc/sys/vm/swappiness)
run "$NUCLEUS" --sysctl vm.swappiness=$((swap == 1 ? 2 : 1)) -- /bin/true
like "$rc:$err" "^125:nucleus: args: --sysctl: 'vm.swappiness' is not in a namespace of the sandbox's own" \
	"a host-wide sysctl is refused, 125"
is "$(cat /proc/sys/vm/swappiness)" "$swap" "... and the host's value unchanged"
run "$NUCLEUS" --share ipc --sysctl kernel.shmmax=$want -- /bin/true
is "$rc:$(cat /proc/sys/kernel/shmmax)" "125:$shm" "--share ipc: an ipc sysctl would be the host's: 125, unchanged"
run "$NUCLEUS" --sysctl kernel.nosuch=1 -- /bin/true
is "$rc" 125 "a sysctl the kernel lacks: 125"

done_testing
