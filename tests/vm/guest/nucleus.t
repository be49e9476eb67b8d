#!/bin/bash
# SPDX-License-Identifier: MIT
# In the VM: nucleus itself on the older kernel of the matrix (Linux 6.1):
# the chain runs a command in new namespaces with init from the memfd, the
# exit code contract holds, the guest's files stay out of reach, rootless
# too. Also whether nucleus works straight from an initramfs root, as it
# would for a user whose initramfs runs it before switch_root.
# A failure known and reported, but not fixed yet, is marked TODO.
. "$(dirname "$0")/lib.sh"
need_root
[ "${NUCLEUS_VM:-}" = 1 ] || skip_all "runs in the VM only (make vm-check)" unsupported

todo_if_known_broken

run "$NUCLEUS" -- /bin/echo hello
is "$out" hello "echo hello runs through the chain on Linux 6.1"
is "$rc" 0 "... exit 0"
run "$NUCLEUS" -- "$PROBE" exit 3
is "$rc" 3 "the workload's exit code 3 passes through"
run "$NUCLEUS" -- "$PROBE" signal-self SEGV
is "$rc" 139 "a workload killed by SIGSEGV: 139"
run "$NUCLEUS" -- /nonexistent
is "$rc" 127 "a missing command: 127"

for ns in pid mnt net; do
	run "$NUCLEUS" -- "$PROBE" ns $ns
	ok "own $ns namespace ($out)" test -n "$out" -a "$out" != "$(readlink /proc/self/ns/$ns)"
done
# Seen from outside: the workload itself may not read /proc/1/exe.
"$NUCLEUS" -- "$PROBE" sleep 10 >/dev/null &
job=$!
exe=
for _ in $(seq 100); do
	init=$(cat /proc/$job/task/*/children 2>/dev/null)
	init=${init%% *} # "PID " with a trailing space
	exe=$(readlink /proc/"${init:-0}"/exe 2>/dev/null)
	# Until it execs, the child of nucleus is nucleus itself.
	case $exe in *memfd:*) break ;; esac
	sleep 0.05
done
kill -TERM $job 2>/dev/null
wait $job
like "$exe" 'memfd:nucleus-init' "the sandbox's PID 1 is init from the sealed memfd ($exe)"
run "$NUCLEUS" -- "$PROBE" getpid
is "$out" 2 "the workload is pid 2"

echo secret >/tmp/vm-guest-file
run "$NUCLEUS" -- "$PROBE" read /tmp/vm-guest-file
is "$out" ENOENT "the guest's /tmp is not visible inside"
todo=$TODO TODO= # a control does not depend on nucleus
run "$PROBE" read /tmp/vm-guest-file
is "$out" ok "control: the guest itself reads it"
TODO=$todo
rm -f /tmp/vm-guest-file

run "${NOBODY[@]}" "$NUCLEUS" -- "$PROBE" exit 9
is "$rc" 9 "rootless (uid 65534, a user namespace): exit code passes through"
[ "$rc" = 9 ] || diag "stderr: $err"

# pivot_root(2) refuses the rootfs mount (EINVAL); until the shim handles
# it (switch_root's MS_MOVE + chroot), a known gap, not a regression.
bare=${NUCLEUS_VM_BARE:-}
TODO=
case $bare in
*rc=0) ;;
*) TODO="nucleus from a bare initramfs root: ${bare//$'\n'/ }" ;;
esac
like "$bare" 'rc=0$' "nucleus runs from the bare initramfs root (the rootfs mount)"
done_testing
