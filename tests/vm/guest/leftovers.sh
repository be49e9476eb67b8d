#!/bin/sh
# SPDX-License-Identifier: MIT
# A workload for the guest's nucleus-init (PID 1) that leaves two processes
# behind and exits 7: one that says so when it gets SIGTERM, one that ignores
# SIGTERM and must be SIGKILLed after the grace period. Run directly by init
# (busybox sh, not a TAP file); tests/vm.t reads the console: the TERM line,
# then init's "workload exited with status 7; powering off", then the
# power-off, all within the time limit.
# The bare initramfs has /dev/console only; sh's "&" wants /dev/null.
mount -t devtmpfs devtmpfs /dev
mkfifo /tmp/ready
# Read and write end in one: two lines are awaited, never an early EOF.
exec 3<>/tmp/ready
sh -c 'trap "echo vm-leftover: got TERM; exit 0" TERM
	echo 1 >/tmp/ready
	sleep 1000 & wait' 3>&- &
sh -c 'trap "" TERM
	echo 2 >/tmp/ready
	while :; do sleep 1000; done' 3>&- &
# Both traps are set once both have written: no sleep needed.
read -r a <&3
read -r b <&3
echo "vm-leftover: ready"
exit 7
