#!/bin/bash
# SPDX-License-Identifier: MIT
# The guest's workload under nucleus-init (PID 1): makes the initramfs look
# like a booted Debian machine (proc, sys, devtmpfs, tmpfs /tmp, cgroup2 at
# /sys/fs/cgroup with every controller enabled for children, as systemd
# leaves it; the disk and loop modules loaded), then runs each test file
# named in $NUCLEUS_VM_TESTS (comma separated, relative to /nucleus) with
# bash, between "# vm-file:" and "# vm-exit:" markers that tests/vm.t uses to
# relay the TAP to the host. Its exit status, the number of files that
# failed, is what nucleus-init reports on the console before powering off.
#
# The root of an initramfs is the rootfs mount, which pivot_root(2) refuses
# (EINVAL: it has no parent mount). Stage 1 does what switch_root does for a
# real boot, for this process tree only: a bind of / moved over / and
# chrooted into, a root with a parent; stage 2 runs the tests there.
set -u
export PATH=/bin:/sbin HOME=/root NUCLEUS_VM=1
cd /

stage1() {
	mount -t proc proc /proc
	# Does nucleus work from the bare initramfs root? Reported by
	# tests/vm/guest/nucleus.sh (its exit code and message).
	NUCLEUS_VM_BARE=$(/nucleus/build/out/nucleus -- /bin/true 2>&1; echo "rc=$?")
	export NUCLEUS_VM_BARE
	umount /proc
	mkdir -p /mnt/root
	mount -o bind / /mnt/root
	cd /mnt/root
	mount --move . /
	exec chroot . /bin/bash /nucleus/tests/vm/guest/rc.sh --stage2
}

mounts() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	mkdir -p /dev/pts /dev/shm
	mount -t devpts devpts /dev/pts
	mount -t tmpfs -o mode=1777 tmpfs /dev/shm
	mount -t tmpfs -o mode=1777 tmpfs /tmp
	mount -t tmpfs -o mode=0755 tmpfs /run
	mount -t cgroup2 cgroup2 /sys/fs/cgroup
	mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
	# Every controller for the children, as on a systemd machine.
	sed 's/[^ ][^ ]*/+&/g' /sys/fs/cgroup/cgroup.controllers \
		>/sys/fs/cgroup/cgroup.subtree_control
	ln -s /proc/self/fd /dev/fd 2>/dev/null
}

modules() {
	local m
	for m in $(cat /lib/modules/order); do
		[ -e "/lib/modules/$m.ko" ] || continue
		insmod "/lib/modules/$m.ko" 2>/dev/null ||
			echo "# vm: insmod $m failed (not needed on this machine?)"
	done
	# devtmpfs creates the nodes; give udev-less drivers a moment to probe.
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -b /dev/vda ] && break
		sleep 0.1
	done
}

run_tests() {
	local f rc failed=0 n=0 IFS=,
	for f in ${NUCLEUS_VM_TESTS:-}; do
		n=$((n + 1))
		echo "# vm-file: $f"
		if [ -f "/nucleus/$f" ]; then
			(cd /nucleus && exec bash "$f" </dev/null)
			rc=$?
		else
			echo "# vm: no such test file: $f"
			rc=127
		fi
		echo "# vm-exit: $f $rc"
		[ "$rc" = 0 ] || failed=$((failed + 1))
	done
	echo "# vm-done: $n files, $failed failed"
	return $failed
}

if [ "${1:-}" != --stage2 ]; then
	stage1
fi
mounts
modules
run_tests
