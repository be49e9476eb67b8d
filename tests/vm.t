#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The VM tier (make vm-check; make check runs it with the rest): Debian's
# kernel boots in QEMU from an initramfs made of the project's static
# binaries (build/vm.sh), with nucleus-init as the machine's real PID 1.
#  - main: the guest's test files (tests/vm/guest/*.t, the lines of
#    tests/vm/guest.list, and $VM_TESTS) run under tests/vm/guest/rc.sh;
#    their TAP comes back over the serial console and is relayed here, and
#    the machine powers off cleanly with status 0.
#  - exit3, segv, leftovers: workloads that exit 3, die of SIGSEGV, and
#    leave a TERM-handling and a TERM-ignoring process behind: each time
#    init reports the status (3, 139, 7) and powers the machine off, drains
#    the leftovers, and the kernel never panics ("Attempted to kill init").
# VM_TESTS="tests/x.t tests/vm/guest/y.t" adds files to the guest's run;
# VM_KEEP_LOGS=1 keeps the console logs (their directory is printed).
. "$(dirname "$0")/lib/tap.sh"
. "$TOP/tests/vm/lib.sh"

command -v qemu-system-x86_64 >/dev/null ||
	skip_all "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
command -v cpio >/dev/null || skip_all "cpio missing (apt-get install cpio)"
[ "${VM_KEEP_LOGS:-0}" = 1 ] && diag "console logs kept in $VM_LOGS" ||
	trap 'rm -rf "$VM_LOGS"' EXIT
t_start=$(date +%s%N)

run "$VM_SH" fetch
is "$rc" 0 "kernel (linux-image-amd64), busybox-static, bash-static fetched"
[ "$rc" = 0 ] || { diag "$err"; done_testing; }
run "$VM_SH" initramfs
is "$rc" 0 "initramfs packed from build/out and tests/"
[ "$rc" = 0 ] || { diag "$err"; done_testing; }
diag "$(tail -1 <<<"$err")" $("$VM_SH" info | tr '\n' ' ')

# The guest's test files, comma separated for one kernel command line word.
guest_files() {
	(cd "$TOP" && ls tests/vm/guest/*.t
		sed -e 's/#.*//' -e '/^[[:space:]]*$/d' tests/vm/guest.list 2>/dev/null
		printf '%s\n' ${VM_TESTS:-}) | awk 'NF && !seen[$1]++' | paste -sd, -
}
files=$(guest_files)
nfiles=$(tr ',' '\n' <<<"$files" | grep -c .)
has_init=0
cpio -t --quiet <"$TOP/build/cache/vm/initramfs.cpio" | grep -qx sbin/nucleus-init &&
	has_init=1

# The main case first: it alone needs the CPU for a while. The three short
# ones then boot side by side.
vm_start main "${VM_TIMEOUT:-300}" "NUCLEUS_VM_TESTS=$files" \
	"NUCLEUS_MUST_WORK=${NUCLEUS_MUST_WORK:-0}" -- -t 1 /bin/bash \
	/nucleus/tests/vm/guest/rc.sh
vm_load main
vm_relay
is "$vm_files" "$nfiles" "main: all $nfiles guest test files ran"
ok "main: the guest's run finished (# vm-done)" grep -q '^# vm-done' "$vm_log.txt"
vm_check_halt main 0

if [ "$has_init" != 1 ]; then
	skip "nucleus-init is not built: the guest ran the busybox stand-in" unsupported
	done_testing
fi
p=/nucleus/build/out/probe
vm_start exit3 120 -- "$p" exit 3
vm_start segv 120 -- "$p" signal-self SEGV
vm_start leftovers 120 -- -t 1 /bin/sh /nucleus/tests/vm/guest/leftovers.sh

vm_load exit3
vm_check_halt exit3 3
vm_load segv
vm_check_halt segv 139
vm_load leftovers
vm_check_halt leftovers 7
ok "leftovers: both leftovers were running when the workload exited" \
	grep -q '^vm-leftover: ready' "$vm_log.txt"
term=$(grep -n '^vm-leftover: got TERM' "$vm_log.txt" | cut -d: -f1)
down=$(grep -n 'workload exited with status' "$vm_log.txt" | cut -d: -f1)
ok "leftovers: init sent SIGTERM to the one that handles it" test -n "$term"
ok "leftovers: ... before the machine went down (the TERM-ignoring one got KILL)" \
	test -n "$term" -a -n "$down" -a "${term:-0}" -lt "${down:-0}"

diag "vm-check total: $(awk -v a="$t_start" -v b="$(date +%s%N)" \
	'BEGIN { printf "%.1f", (b - a) / 1e9 }') s"
done_testing
