#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The seccomp filter, enforced by the kernel: every call the built-in
# profiles refuse is tried inside the sandbox under default and strict and
# must fail, and the same call under --seccomp-profile none (same
# namespaces, same privileges) is the control that must get through to the
# kernel. Where the kernel itself would refuse for lack of a privilege, the
# call carries an invalid argument that the kernel rejects first (EFAULT,
# EBADF, EINVAL: bwrap's try-syscall trick), so the control proves the call
# reached the kernel and the filter's EPERM proves the filter answered.
# Arch violations (i386 int 0x80, x32) must kill the process.
. "$(dirname "$0")/lib/tap.sh"
need_root
SYSABI=$OUT/sysabi
[ -x "$SYSABI" ] || skip_all "build/out/sysabi not built"

# The privileges a control needs to get past the kernel's own checks
# (mount, chroot, bpf, userfaultfd, raw sockets; Landlock refuses mounts),
# given to the filtered runs too: the filter is the only difference.
PRIV=(--no-landlock --cap-add sys_admin --cap-add sys_chroot
	--cap-add sys_ptrace --cap-add net_raw)

# denied WHAT CONTROL FILTERED CMD...: CONTROL without a filter, FILTERED
# under default and under strict.
denied() {
	local what=$1 control=$2 want=$3 p
	shift 3
	run "$NUCLEUS" "${PRIV[@]}" --seccomp-profile none -- "$@"
	is "$out" "$control" "$what: control, no filter: $control"
	for p in default strict; do
		run "$NUCLEUS" "${PRIV[@]}" --seccomp-profile $p -- "$@"
		is "$out" "$want" "$what: $p: $want"
	done
}

# The filter is there, and only when asked for.
for p in default strict; do
	run "$NUCLEUS" --seccomp-profile $p -- "$PROBE" status Seccomp
	is "$out" 2 "$p: /proc/self/status Seccomp: 2 (filter mode) inside"
done
run "$NUCLEUS" -- "$PROBE" status Seccomp
is "$out" 2 "no flag: the default profile is loaded"
run "$NUCLEUS" --seccomp-profile none -- "$PROBE" status Seccomp
is "$out" 0 "none: no filter at all (Seccomp: 0)"
run "$NUCLEUS" -- "$PROBE" status Seccomp_filters
is "$out" 1 "one filter: deny and allow rules chained in one program"

# Namespaces: unshare, setns, and clone() with a namespace flag (the path
# libcs take after clone3's ENOSYS).
denied "unshare(user)" ok EPERM "$PROBE" unshare user
denied "unshare(bad flags)" EINVAL EPERM "$PROBE" raw 272 -1
denied "setns(-1)" EBADF EPERM "$PROBE" raw 308 -1 0
for ns in user net mnt pid; do
	denied "clone(CLONE_NEW${ns^^})" ok EPERM "$SYSABI" clone $ns
done
run "$NUCLEUS" -- "$SYSABI" clone none
is "$out" ok "default: clone() without namespace flags (fork) works"
denied "clone3" ok ENOSYS "$PROBE" clone3

# The mount family.
denied "mount a tmpfs" ok EPERM "$PROBE" mount-tmpfs /tmp
denied "mount(NULL...)" EFAULT EPERM "$PROBE" raw 165 0 0 0 0 0
denied "umount2(NULL)" EFAULT EPERM "$PROBE" raw 166 0 0
denied "pivot_root(NULL)" EFAULT EPERM "$PROBE" raw 155 0 0
denied "chroot" ok EPERM "$PROBE" chroot /tmp
denied "open_tree" EFAULT EPERM "$PROBE" raw 428 -1 0 0
denied "move_mount" EFAULT EPERM "$PROBE" raw 429 -1 0 -1 0 0
denied "fsopen" EFAULT EPERM "$PROBE" raw 430 0 0
denied "fsconfig" EINVAL EPERM "$PROBE" raw 431 -1 0 0 0 0
denied "fsmount" EBADF EPERM "$PROBE" raw 432 -1 0 0
denied "fspick" EFAULT EPERM "$PROBE" raw 433 -1 0 0
denied "mount_setattr" EINVAL EPERM "$PROBE" raw 442 -1 0 0 0 0

# Kernel attack surface.
denied "bpf(PROG_LOAD)" ok EPERM "$PROBE" bpf
denied "perf_event_open" ok EPERM "$PROBE" perf
denied "keyctl" ok EPERM "$PROBE" keyctl
denied "add_key" ok EPERM "$PROBE" add-key
denied "request_key(NULL)" EFAULT EPERM "$PROBE" raw 249 0 0 0 0
denied "userfaultfd" ok EPERM "$PROBE" userfaultfd
denied "io_uring_setup" ok EPERM "$PROBE" io-uring
denied "io_uring_enter(-1)" EBADF EPERM "$PROBE" raw 426 -1 0 0 0 0 0
denied "io_uring_register(-1)" EINVAL EPERM "$PROBE" raw 427 -1 0 0 0
denied "open_by_handle_at" EFAULT EPERM "$PROBE" raw 304 -1 0 0
# This kernel has neither kexec nor modules: its own answer is ENOSYS, so
# EPERM shows the filter answered before the kernel could.
denied "kexec_load" "$("$PROBE" kexec)" EPERM "$PROBE" kexec
denied "kexec_file_load" "$("$PROBE" raw 320 -1 -1 0 0 0)" EPERM \
	"$PROBE" raw 320 -1 -1 0 0 0
denied "init_module" "$("$PROBE" module-load)" EPERM "$PROBE" module-load
denied "finit_module" "$("$PROBE" raw 313 -1 0 0)" EPERM "$PROBE" raw 313 -1 0 0
denied "delete_module" "$("$PROBE" raw 176 0 0)" EPERM "$PROBE" raw 176 0 0

# Other architectures' entry points are killed, never answered.
run "$NUCLEUS" --seccomp-profile none -- "$SYSABI" int80
is "$out/$rc" ok/0 "i386 int 0x80 getpid: control, no filter: works"
run "$NUCLEUS" --seccomp-profile none -- "$SYSABI" x32
is "$out/$rc" ENOSYS/1 "x32 getpid: control: ENOSYS (this kernel has no x32)"
for p in default strict; do
	run "$NUCLEUS" --seccomp-profile $p -- "$SYSABI" int80
	is "$out/$rc" /159 "$p: i386 int 0x80: killed by SIGSYS (159)"
	run "$NUCLEUS" --seccomp-profile $p -- "$SYSABI" x32
	is "$out/$rc" /159 "$p: x32 syscall: killed by SIGSYS (159)"
done

# Terminal injection, on a real pty: TIOCSTI, and TIOCSTI with the high 32
# bits of the request set (CVE-2019-10063), TIOCLINUX.
if command -v script >/dev/null; then
	tty_probe() { # PROFILE ACTION
		script -qc "'$NUCLEUS' --no-new-session --seccomp-profile $1 -- \
'$PROBE' $2" /dev/null </dev/null | tr -d '\r'
	}
	for a in tiocsti tiocsti-hi; do
		like "$(tty_probe none $a)" 'ok$' "$a: control on a pty: the byte is pushed"
		for p in default strict; do
			is "$(tty_probe $p $a)" EPERM "$a: $p: EPERM"
		done
	done
	unlike "$(tty_probe none tioclinux)" EPERM "tioclinux: control: not EPERM (no VT here)"
	is "$(tty_probe default tioclinux)" EPERM "tioclinux: default: EPERM"
else
	skip "script(1) missing: no pty for the TIOCSTI tests"
fi

# What strict refuses and default allows: the network beyond AF_UNIX,
# ptrace.
run "$NUCLEUS" --seccomp-profile default -- "$PROBE" socket inet stream
is "$out" ok "default: an AF_INET socket"
run "$NUCLEUS" --seccomp-profile strict -- "$PROBE" socket inet stream
is "$out" EAFNOSUPPORT "strict: no AF_INET socket (EAFNOSUPPORT)"
run "$NUCLEUS" --seccomp-profile strict -- "$PROBE" socket inet6 dgram
is "$out" EAFNOSUPPORT "strict: no AF_INET6 socket"
run "$NUCLEUS" --seccomp-profile strict -- "$PROBE" socket unix stream
is "$out" ok "strict: AF_UNIX sockets work"
denied "AF_PACKET socket" ok EAFNOSUPPORT "$PROBE" socket packet raw
trace='sleep 5 & p=$!; "$0" ptrace-attach $p; r=$?; kill $p; exit $r'
run "$NUCLEUS" --seccomp-profile default -- /bin/sh -c "$trace" "$PROBE"
is "$out" ok "default: ptrace a process of the sandbox"
run "$NUCLEUS" --seccomp-profile strict -- /bin/sh -c "$trace" "$PROBE"
is "$out" EPERM "strict: ptrace: EPERM"

# Rootless: the same filter through a user namespace.
run "${NOBODY[@]}" "$NUCLEUS" -- "$PROBE" status Seccomp
is "$out" 2 "rootless: the default filter is loaded"
run "${NOBODY[@]}" "$NUCLEUS" --seccomp-profile none -- "$PROBE" unshare user
is "$out" ok "rootless: control: unshare(user) works without a filter"
run "${NOBODY[@]}" "$NUCLEUS" -- "$PROBE" unshare user
is "$out" EPERM "rootless: unshare(user): EPERM"
run "${NOBODY[@]}" "$NUCLEUS" -- "$PROBE" clone3
is "$out" ENOSYS "rootless: clone3: ENOSYS"
run "${NOBODY[@]}" "$NUCLEUS" -- "$SYSABI" int80
is "$rc" 159 "rootless: int 0x80: killed"
done_testing
