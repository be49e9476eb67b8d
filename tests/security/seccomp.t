#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# seccomp (sandbox-peers.md §4): the architecture is checked first, so
# i386 (int 0x80) and x32 calls are killed even under a profile that
# allows everything; clone3 answers ENOSYS, so libcs fall back to clone,
# whose flags the filter sees (and threads still work); io_uring and
# AF_VSOCK are refused (they bypass what a network filter inspects); a
# filter the workload stacks on top cannot loosen ours. Each call is made
# bwrap's try-syscall way: with bogus pointers or fds, so that a call that
# reaches the kernel says EFAULT/EBADF/EINVAL (the control, under
# --seccomp-profile none) and one the filter stops says EPERM/ENOSYS. As
# root and as nobody, under default and strict.
. "$(dirname "$0")/lib.sh"

SYSABI=$OUT/sysabi
printf 'default allow\n' >"$tmp/allow-all.policy"
chmod 644 "$tmp/allow-all.policy"

# name, then the probe's raw syscall: NR and arguments.
calls='mount 165 1 1 1 0 1
umount2 166 1 0
chroot 161 1
setns 308 -1 0
unshare 272 2147483648
keyctl 250 9999
add_key 248 1 1 0 0 0
request_key 249 1 1 1 0
perf_event_open 298 1 0 -1 -1 0
userfaultfd 323 65535
io_uring_setup 425 1 1
io_uring_enter 426 -1 0 0 0 0 0
io_uring_register 427 -1 0 0 0
open_tree 428 -1 1 0
settimeofday 164 1 0
clock_settime 227 0 1
socket(AF_VSOCK) 41 40 999 0
clone3 435 1 88'

for who in root nobody; do
	# Arch first: even a profile allowing every call kills other ABIs.
	run as "$who" "$NUCLEUS" --seccomp-profile none -- "$SYSABI" int80
	is "$out:$rc" ok:0 "$who: control: i386 int 0x80 getpid works without a filter"
	for p in default strict "$tmp/allow-all.policy"; do
		run as "$who" "$NUCLEUS" --seccomp-profile "$p" -- "$SYSABI" int80
		is "$rc" 159 "$who: ${p##*/}: i386 int 0x80: killed by SIGSYS"
		run as "$who" "$NUCLEUS" --seccomp-profile "$p" -- "$SYSABI" x32
		is "$rc" 159 "$who: ${p##*/}: x32 call: killed by SIGSYS"
	done

	# Each call: reaches the kernel without a filter, stopped with one.
	while read -r name args; do
		run as "$who" "$NUCLEUS" --seccomp-profile none -- "$PROBE" raw $args
		like "$out" '^E(FAULT|BADF|INVAL|OPNOTSUPP)$' "$who: $name: control: reaches the kernel ($out)"
		for p in default strict; do
			want=EPERM
			case $name in
			clone3) want=ENOSYS ;; # libc falls back to clone
			socket*) want=EAFNOSUPPORT ;; # "no such family"
			esac
			run as "$who" "$NUCLEUS" --seccomp-profile $p -- "$PROBE" raw $args
			is "$out" $want "$who: $name: $p: $want"
		done
	done <<<"$calls"

	# clone3's ENOSYS is what lets threads be made: with clone.
	run as "$who" "$NUCLEUS" -- python3 -c \
		'import threading; t = threading.Thread(target=print, args=("thread",)); t.start(); t.join()'
	is "$out:$rc" thread:0 "$who: default: threads work (clone3 ENOSYS, clone fallback)"
	run as "$who" "$NUCLEUS" -- "$SYSABI" clone user
	is "$out" EPERM "$who: default: clone(CLONE_NEWUSER): EPERM"
	run as "$who" "$NUCLEUS" --seccomp-profile none -- "$SYSABI" clone user
	is "$out" ok "$who: control: clone(CLONE_NEWUSER) without a filter"

	# A vsock socket for real: the kernel has the family.
	run as "$who" "$NUCLEUS" --seccomp-profile none -- "$PROBE" raw 41 40 1 0
	like "$out" '^[0-9]+$' "$who: control: an AF_VSOCK socket without a filter (fd $out)"
	run as "$who" "$NUCLEUS" --share net -- "$PROBE" raw 41 40 1 0
	is "$out" EAFNOSUPPORT "$who: --share net (network not restricted) still no AF_VSOCK"
	run as "$who" "$NUCLEUS" --share net -- "$PROBE" io-uring
	is "$out" EPERM "$who: --share net: still no io_uring"
done

# Stacking: the workload loads an allow-everything filter of its own; the
# kernel runs every filter and the strictest answer wins.
cat >"$tmp/stack.py" <<'EOF'
import ctypes, errno, struct
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
class Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
def call(nr, *a):
    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(x) for x in a])
    return "ok" if r >= 0 else errno.errorcode[ctypes.get_errno()]
allow = ctypes.create_string_buffer(struct.pack("HBBI", 0x06, 0, 0, 0x7fff0000))
prog = Prog(1, ctypes.addressof(allow))
libc.prctl(38, 1, 0, 0, 0)                          # no_new_privs
out = ["stacked" if libc.prctl(22, 2, ctypes.byref(prog), 0, 0) == 0 else "unstacked"]
out.append(call(272, 0x10000000))                   # unshare(CLONE_NEWUSER)
out.append(call(425, 1, 1))                         # io_uring_setup, bad pointer
out.append(call(165, 1, 1, 1, 0, 1))                # mount, bad pointers
print(" ".join(out))
EOF
chmod 644 "$tmp/stack.py"
for who in root nobody; do
	run as "$who" "$NUCLEUS" --ro-bind "$tmp" "$tmp" --seccomp-profile none -- python3 "$tmp/stack.py"
	is "$out" "stacked ok EFAULT EFAULT" "$who: control: no filter of ours: the workload's allows all"
	for p in default strict; do
		run as "$who" "$NUCLEUS" --ro-bind "$tmp" "$tmp" --seccomp-profile $p -- python3 "$tmp/stack.py"
		is "$out" "stacked EPERM EPERM EPERM" "$who: $p: an allow-all filter stacked on ours loosens nothing"
	done
done
done_testing
