#!/bin/bash
# SPDX-License-Identifier: MIT
# In the VM: the machine as the guest's tests find it. nucleus-init is the
# real PID 1 (from its file, in system mode) and reaps orphans that reparent
# to it; the kernel is the older one of the matrix (Debian 12's 6.1, Landlock
# ABI 2, where the host has 6.18 and ABI 7); cgroup v2 has every controller
# and they work for a child cgroup (pids.max, memory.max with an OOM kill),
# each beside a control run without the limit; the virtio disk and the loop
# device that io.max tests need are there.
. "$(dirname "$0")/lib.sh"
need_root
[ "${NUCLEUS_VM:-}" = 1 ] || skip_all "runs in the VM only (make vm-check)" unsupported

# PID 1
if [ -e /sbin/nucleus-init ]; then
	is "$(readlink /proc/1/exe)" /sbin/nucleus-init "PID 1 is nucleus-init, from its file"
else
	skip "nucleus-init not built: PID 1 is the busybox stand-in" unsupported
fi
is "$(cut -d' ' -f3 /proc/1/stat)" S "PID 1 sleeps in its loop (not a zombie, not stopped)"
# An orphan reparents to PID 1, which must reap it when it exits.
# (Its stdout is not the pipe of $(...), which would wait for it.)
orphan=$(sh -c 'sleep 1 >/dev/null & echo $!')
for _ in $(seq 50); do
	ppid=$(cut -d' ' -f4 "/proc/$orphan/stat" 2>/dev/null)
	[ "$ppid" = 1 ] && break
	sleep 0.02
done
is "$ppid" 1 "an orphan is reparented to PID 1"
for _ in $(seq 100); do [ -e "/proc/$orphan" ] || break; sleep 0.1; done
ok "... and reaped by it once it exits (no zombie left)" test ! -e "/proc/$orphan"

# The older kernel of the matrix
like "$(uname -r)" '^6\.1\.' "guest kernel is Debian 12's 6.1 ($(uname -r))"
run "$PROBE" raw 444 0 0 1 # landlock_create_ruleset(NULL, 0, VERSION)
is "$out" 2 "guest Landlock ABI is 2 (the host's is 7)"

# cgroup v2, every controller, as a systemd machine leaves it
cg=/sys/fs/cgroup
is "$(awk '$2 == "/sys/fs/cgroup" { print $3 }' /proc/mounts)" cgroup2 \
	"cgroup2 is mounted at /sys/fs/cgroup"
for c in cpuset cpu io memory pids; do
	like " $(cat $cg/cgroup.subtree_control) " " $c " "controller $c enabled for children"
done

mkdir $cg/vm-pids
echo 5 >$cg/vm-pids/pids.max
run sh -c "echo \$\$ >$cg/vm-pids/cgroup.procs && exec $PROBE forks 20"
like "$out" '^forked=[0-4] EAGAIN' "pids.max=5 stops forks with EAGAIN ($out)"
run "$PROBE" forks 20
is "$out" forked=20 "control: 20 forks without the limit"
rmdir $cg/vm-pids

mkdir $cg/vm-mem
echo 32M >$cg/vm-mem/memory.max
# tmpfs pages are charged to the writer's cgroup and, with no swap, cannot
# be reclaimed: the writer must be OOM-killed. (probe alloc is not used: the
# compiler drops its malloc+touch+free as dead code.)
run sh -c "echo \$\$ >$cg/vm-mem/cgroup.procs && exec dd if=/dev/zero of=/dev/shm/vm-oom bs=1M count=96"
is "$rc" 137 "memory.max=32M: writing 96 MiB to tmpfs is killed by SIGKILL"
like "$(cat $cg/vm-mem/memory.events)" 'oom_kill [1-9]' "... and memory.events counts the OOM kill"
rm -f /dev/shm/vm-oom
run dd if=/dev/zero of=/dev/shm/vm-oom bs=1M count=96
is "$rc" 0 "control: 96 MiB without the limit"
rm -f /dev/shm/vm-oom
rmdir $cg/vm-mem

# Devices for io.max
ok "virtio disk /dev/vda is a block device" test -b /dev/vda
ok "loop devices are available (/dev/loop-control)" test -c /dev/loop-control
done_testing
