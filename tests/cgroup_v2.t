#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cgroup v2 with its controllers, as in the VM (make vm-check) and on pure
# v2 hosts: controllers handed down to the parent by nucleus, the limit
# files written (memory.max, memory.swap.max, cpu.max, cpu.weight, pids.max,
# cpuset.cpus, io.max), each limit met by a workload beside a control run,
# OOM read from memory.events, throttling from cpu.stat, the child placed
# by clone3 into its cgroup, and nothing left behind. Needs only bash,
# busybox (or coreutils), nucleus and the probe: no python in the guest.
# On this project's hybrid development host it skips (no v2 controllers).
. "$(dirname "$0")/lib/tap.sh"
need_root
V2=/sys/fs/cgroup
awk -v m=$V2 '$2 == m && $3 == "cgroup2" { f = 1 } END { exit !f }' /proc/mounts ||
	skip_all "no cgroup v2 mounted at $V2 (hybrid or v1 host): the VM runs this" unsupported
own=$(sed -n 's/^0:://p' /proc/self/cgroup)
own=${own%/}
for c in memory pids cpu; do
	grep -qw $c $V2/cgroup.controllers ||
		skip_all "cgroup v2 has no $c controller here" unsupported
done
# Our own cgroup must hand the controllers down; only the VM's root (the
# guest is ours to configure) is ever written by this test.
missing=
for c in memory pids cpu cpuset io; do
	grep -qw $c "$V2$own/cgroup.subtree_control" || missing="$missing +$c"
done
if [ -n "$missing" ] && [ -z "$own" ] && [ "${NUCLEUS_VM:-0}" = 1 ]; then
	for c in $missing; do echo "$c" >$V2/cgroup.subtree_control 2>/dev/null; done
fi
for c in memory pids cpu; do
	grep -qw $c "$V2$own/cgroup.subtree_control" ||
		skip_all "our cgroup '$own/' does not delegate $c" unsupported
done

tmp=$(mktemp -d)
chmod 755 "$tmp"
P=ntest-v2-$$
trap 'kill $(jobs -p) 2>/dev/null; rmdir "$V2$own/$P/"* "$V2$own/$P" "$V2$own/ntest-busy-$$" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$V2$own/$P"
json() { grep -o "\"$1\":[0-9a-z]*" "$2" | head -n1 | cut -d: -f2; }
hold() { # NAME FLAGS...: a sandbox that sleeps, once it is running
	local name=$1
	shift
	: >"$tmp/ready"
	"$NUCLEUS" --cgroup-parent "$P" --name "$name" "$@" -- \
		/bin/sh -c 'echo ready; exec sleep 60' >"$tmp/ready" 2>"$tmp/hold.err" &
	hold_pid=$!
	for _ in $(seq 1000); do grep -q ready "$tmp/ready" && return 0; sleep 0.01; done
	return 1
}
release() { kill -TERM "$hold_pid"; wait "$hold_pid" 2>/dev/null; }
C=$V2$own/$P/nucleus-v2a

ok "a sandbox holds in $P" hold v2a --memory 32M --memory-high 24M --cpus 0.5 --cpu-weight 50 \
	--pids 99 --cpuset 0
for c in memory pids cpu cpuset; do
	ok "nucleus handed $c down to $P" grep -qw $c "$V2$own/$P/cgroup.subtree_control"
done
is "$(cat "$C/memory.max")" 33554432 "memory.max"
is "$(cat "$C/memory.high")" 25165824 "memory.high for --memory-high"
if [ -e "$C/memory.swap.max" ]; then
	is "$(cat "$C/memory.swap.max")" 0 "memory.swap.max: no swap by default"
else
	skip "no swap accounting in this kernel" unsupported
fi
is "$(cat "$C/cpu.max")" "50000 100000" "cpu.max for --cpus 0.5"
is "$(cat "$C/cpu.weight")" 50 "cpu.weight"
is "$(cat "$C/pids.max")" 99 "pids.max"
is "$(cat "$C/cpuset.cpus")" 0 "cpuset.cpus"
w=$(head -n1 "$C/cgroup.procs")
is "$(cat "/proc/$w/cgroup")" "0::$own/$P/nucleus-v2a" "the init is in the cgroup (host view)"
release
is "$(ls -d "$V2$own/$P"/nucleus-* 2>/dev/null)" "" "removed after the end"

run "$NUCLEUS" --cgroup-parent "$P" -- "$PROBE" cgroup
is "$out" "0::/" "inside: a cgroup namespace rooted at the sandbox's cgroup"
run "$NUCLEUS" --cgroup-parent "$own/$P" --name v2abs -- /bin/sh -c 'cat /proc/1/cgroup'
is "$rc:$out" "0:0::/" "an absolute --cgroup-parent $own/$P"

disk=$(for d in /sys/block/*; do case ${d##*/} in loop* | ram* | zram*) ;; *) cat "$d/dev"; break ;; esac; done 2>/dev/null)
if [ -n "$disk" ] && grep -qw io "$V2$own/cgroup.subtree_control"; then
	ok "io: a sandbox holds" hold v2io --io-max "$disk rbps=1048576 wiops=max"
	like "$(cat "$V2$own/$P/nucleus-v2io/io.max")" "^$disk rbps=1048576 wbps=max riops=max wiops=max" \
		"io.max for --io-max '$disk rbps=1048576 wiops=max'"
	release
else
	skip "no disk or no io controller" unsupported
	skip "no disk or no io controller" unsupported
fi

run "$NUCLEUS" --cgroup-parent "$P" --memory 32M --stats "$tmp/s.json" -- \
	dd if=/dev/zero of=/dev/null bs=64M count=1
is "$rc" 137 "--memory 32M: a 64 MiB buffer is OOM-killed: 137"
like "$err" oom_kill "stderr says oom_kill"
is "$(json oom_kills "$tmp/s.json")" 1 "memory.events: oom_kill 1"
run "$NUCLEUS" --cgroup-parent "$P" --memory 32M --stats "$tmp/s.json" -- \
	dd if=/dev/zero of=/dev/null bs=8M count=1
is "$rc:$(json oom_kills "$tmp/s.json")" "0:0" "control: 8 MiB under 32M, no OOM"
ok "memory.peak $(json memory_peak_bytes "$tmp/s.json") > 8 MiB" \
	test "$(json memory_peak_bytes "$tmp/s.json")" -gt 8000000
ok "pids.peak $(json pids_peak "$tmp/s.json") >= 2" test "$(json pids_peak "$tmp/s.json")" -ge 2

run "$NUCLEUS" --cgroup-parent "$P" --pids 10 -- "$PROBE" forks 20
is "$out" "forked=8 EAGAIN" "--pids 10: the 9th fork fails with EAGAIN"
run "$NUCLEUS" --cgroup-parent "$P" --pids 30 -- "$PROBE" forks 20
is "$out" "forked=20" "control: --pids 30"

run "$NUCLEUS" --cgroup-parent "$P" --cpus 0.1 --stats "$tmp/q.json" -- "$PROBE" spin 2
run "$NUCLEUS" --cgroup-parent "$P" --stats "$tmp/c.json" -- "$PROBE" spin 2
q=$(($(json cpu_user_us "$tmp/q.json") + $(json cpu_system_us "$tmp/q.json")))
c=$(($(json cpu_user_us "$tmp/c.json") + $(json cpu_system_us "$tmp/c.json")))
ok "--cpus 0.1: at most 0.45 s of CPU in 2 s ($q us)" test "$q" -le 450000
ok "control: more than twice as much ($c us)" test "$c" -gt $((2 * q))
ok "cpu.stat throttled_usec $(json cpu_throttled_us "$tmp/q.json") > 0" \
	test "$(json cpu_throttled_us "$tmp/q.json")" -gt 0

run "$NUCLEUS" --cgroup-parent "$P" --cpuset 0 -- "$PROBE" status Cpus_allowed_list
is "$out" 0 "--cpuset 0: pinned"

# A parent that holds a process cannot hand controllers down (no internal
# processes): agent warns, production refuses.
mkdir "$V2$own/ntest-busy-$$"
sleep 60 &
echo $! >"$V2$own/ntest-busy-$$/cgroup.procs"
run "$NUCLEUS" --cgroup-parent "ntest-busy-$$" --memory 32M -- /bin/true
is "$rc" 0 "agent: a busy parent runs without the limit"
[ "$rc" = 0 ] || diag "$err"
like "$err" 'not enforced: --memory.*holds processes' "... and says why"
run "$NUCLEUS" --mode production --cgroup-parent "ntest-busy-$$" --memory 32M -- /bin/true
is "$rc" 125 "production: 125"
kill %% 2>/dev/null
wait 2>/dev/null
for _ in $(seq 500); do [ -z "$(cat "$V2$own/ntest-busy-$$/cgroup.procs")" ] && break; sleep 0.01; done

run "$NUCLEUS" --cgroup-parent "$P" --timeout 0.2 -- /bin/sh -c 'sleep 30 & sleep 30 & wait'
is "$rc" 124 "timeout: 124"
is "$(ls -d "$V2$own/$P"/nucleus-* 2>/dev/null)" "" "no nucleus cgroup left in $P"
done_testing
