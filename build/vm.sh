#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The VM test tier's recipe: fetches Debian's kernel (linux-image-amd64),
# busybox-static and bash-static as .deb files with `apt-get download` into
# build/cache/vm (nothing is installed on the host), extracts the
# uncompressed vmlinux from the bzImage, packs an initramfs (cpio newc) from
# the project's static binaries and its tests, and boots it in QEMU with
# nucleus-init as the guest's real PID 1. Everything the guest says comes back
# on the serial console, written to a log file that tests/vm.t reads.
#
#   build/vm.sh fetch                 kernel, busybox, bash into the cache
#   build/vm.sh initramfs             build/cache/vm/initramfs.cpio
#   build/vm.sh boot LOG SECS [K=V...] -- INIT-ARGS...
#                                     boot once; the console goes to LOG;
#                                     exit: QEMU's (0: the guest powered off),
#                                     124 when it ran past SECS seconds
#   build/vm.sh accel                 print the accelerator boot would use
#   build/vm.sh info                  kernel, machine and accelerator in use
#
# K=V words become kernel command line words before "--", so NAME=value
# reaches PID 1 (and so the guest's tests) as an environment variable.
# Knobs: VM_ACCEL=tcg|kvm (default: tcg; kvm only once a probe boot under
# KVM has powered off in time, cached in build/cache/vm/accel), VM_MACHINE=
# microvm|pc, VM_MEM (MiB, 512), VM_SMP (1), VM_APPEND (extra kernel words).
# Progress goes to stderr as "vm: ...".

set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
readonly ROOT=$PWD
readonly VM=${VM_CACHE:-$ROOT/build/cache/vm}
readonly OUT=${NUCLEUS_OUT:-$ROOT/build/out}
readonly KDIR=$VM/kernel
# Loaded in this order by the guest: the package has no modules.dep, so the
# order follows each .ko's depends= field. The virtio transports for a disk
# on either machine type, the disk, the loop device.
readonly MODULES='virtio_ring virtio virtio_mmio virtio_pci_legacy_dev
	virtio_pci_modern_dev virtio_pci virtio_blk loop'

log() { printf 'vm: %s\n' "$*" >&2; }
die() { printf 'vm: error: %s\n' "$*" >&2; exit 1; }
need() {
	local t
	for t; do
		command -v "$t" >/dev/null 2>&1 ||
			die "'$t' not found (Debian: apt-get install qemu-system-x86 cpio xz-utils)"
	done
}

# The versioned package linux-image-amd64 points at, e.g. linux-image-6.1.0-56-amd64.
kernel_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

# apt-get download as root warns that _apt cannot write the cwd: the
# sandbox user is pointless for a download into our own cache.
apt_download() {
	(cd "$VM/debs" && apt-get -q -o APT::Sandbox::User=root download "$@") >&2
}

fetch_debs() {
	local pkg
	need apt-get apt-cache dpkg-deb
	mkdir -p "$VM/debs"
	pkg=$(kernel_package)
	if [[ -z $pkg && $(id -u) == 0 ]]; then
		log "apt-get update (no package list knows linux-image-amd64)"
		apt-get -q update >&2 || true
		pkg=$(kernel_package)
	fi
	[[ -n $pkg ]] || die "apt-cache knows no linux-image-amd64: run apt-get update"
	rm -f "$VM"/debs/*.deb
	log "downloading $pkg busybox-static bash-static"
	apt_download "$pkg" busybox-static bash-static ||
		die "apt-get download $pkg busybox-static bash-static failed"
}

# The payload of a bzImage is one compressed ELF: find its magic, unpack.
extract_vmlinux() {
	local img=$1 dst=$2 magic tool off
	for magic in '\xfd7zXZ\x00:xz -dc' '\x28\xb5\x2f\xfd:zstd -dcq' \
		'\x1f\x8b\x08:gzip -dc'; do
		tool=${magic#*:}
		command -v "${tool%% *}" >/dev/null 2>&1 || continue
		for off in $(LC_ALL=C grep -obUaP "${magic%%:*}" "$img" |
			cut -d: -f1 | head -5); do
			tail -c +$((off + 1)) "$img" | $tool >"$dst.tmp" 2>/dev/null || true
			if [[ $(head -c 4 "$dst.tmp" | od -An -tx1 | tr -d ' ') == 7f454c46 ]]; then
				mv "$dst.tmp" "$dst"
				return 0
			fi
		done
	done
	rm -f "$dst.tmp"
	return 1
}

unpack_kernel() {
	local deb tmp m
	deb=$(ls "$VM"/debs/linux-image-[0-9]*.deb)
	tmp=$(mktemp -d "$VM/unpack.XXXXXX")
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards \
		'./boot/vmlinuz-*' './boot/config-*' \
		'./lib/modules/*/kernel/drivers/virtio/*.ko' \
		'./lib/modules/*/kernel/drivers/block/virtio_blk.ko' \
		'./lib/modules/*/kernel/drivers/block/loop.ko'
	rm -rf "$KDIR" && mkdir -p "$KDIR/modules"
	mv "$tmp"/boot/vmlinuz-* "$KDIR/vmlinuz"
	mv "$tmp"/boot/config-* "$KDIR/config"
	basename "$deb" | sed 's/_amd64.deb$//' >"$KDIR/release"
	for m in $MODULES; do
		find "$tmp/lib/modules" -name "$m.ko" -exec mv {} "$KDIR/modules/" \;
	done
	echo $MODULES | tr ' ' '\n' >"$KDIR/modules/order"
	rm -rf "$tmp"
	if extract_vmlinux "$KDIR/vmlinuz" "$KDIR/vmlinux"; then
		log "kernel $(cat "$KDIR/release"): vmlinux extracted"
	else
		log "kernel $(cat "$KDIR/release"): no vmlinux; -M pc with the bzImage"
	fi
}

unpack_tools() {
	local tmp
	tmp=$(mktemp -d "$VM/unpack.XXXXXX")
	dpkg-deb --fsys-tarfile "$VM"/debs/busybox-static_*.deb |
		tar -x -C "$tmp" ./bin/busybox
	dpkg-deb --fsys-tarfile "$VM"/debs/bash-static_*.deb |
		tar -x -C "$tmp" ./bin/bash-static
	mkdir -p "$VM/bin"
	mv "$tmp/bin/busybox" "$VM/bin/busybox"
	mv "$tmp/bin/bash-static" "$VM/bin/bash"
	rm -rf "$tmp"
}

cmd_fetch() {
	if [[ -s $KDIR/vmlinuz && -x $VM/bin/busybox && -x $VM/bin/bash ]]; then
		return 0
	fi
	mkdir -p "$VM"
	fetch_debs
	unpack_kernel
	unpack_tools
	rm -f "$VM/accel" "$VM"/debs/*.deb # 70 MB; what is needed is unpacked
}

# copy_exec FILE: a dynamic host binary and the libraries it loads.
copy_exec() {
	local stage=$1 bin=$2 lib
	install -D -m 0755 "$bin" "$stage/bin/${bin##*/}"
	for lib in $(ldd "$bin" 2>/dev/null | grep -oE '/[^ ]+'); do
		[[ -e $stage$lib ]] || install -D -m 0755 "$(readlink -f "$lib")" "$stage$lib"
	done
}

stage_base() {
	local s=$1 a
	mkdir -p "$s"/{bin,sbin,dev,proc,sys,tmp,run,mnt,root,etc,lib/modules}
	mkdir -p "$s/nucleus/build/out" "$s/nucleus/tests"
	# Merged /usr, as on Debian: one bin directory for every path.
	mkdir -p "$s/usr" && ln -s ../bin "$s/usr/bin" && ln -s ../sbin "$s/usr/sbin"
	install -m 0755 "$VM/bin/busybox" "$s/bin/busybox"
	install -m 0755 "$VM/bin/bash" "$s/bin/bash"
	for a in $("$VM/bin/busybox" --list); do
		[[ -e $s/bin/$a ]] || ln -s busybox "$s/bin/$a"
	done
	# The rootless tests need util-linux's setpriv (busybox's has no --reuid).
	if command -v setpriv >/dev/null && command -v ldd >/dev/null; then
		copy_exec "$s" "$(command -v setpriv)"
	fi
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
		>"$s/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$s/etc/group"
	cp "$KDIR"/modules/* "$s/lib/modules/"
}

# The project: static binaries in build/out, the tests as in the tree, and
# nucleus-init as /sbin/nucleus-init (or the busybox stand-in until it exists).
stage_project() {
	local s=$1 f
	for f in nucleus nucleus-init probe; do
		[[ -x $OUT/$f ]] && install -m 0755 "$OUT/$f" "$s/nucleus/build/out/$f"
	done
	cp -a "$ROOT"/tests/*.t "$ROOT/tests/lib" "$ROOT/tests/vm" "$s/nucleus/tests/"
	cp -a "$ROOT"/tests/*.sh "$s/nucleus/tests/" 2>/dev/null || true
	if [[ -x $OUT/nucleus-init ]]; then
		install -m 0755 "$OUT/nucleus-init" "$s/sbin/nucleus-init"
	else
		install -m 0755 "$ROOT/tests/vm/fallback-init" "$s/sbin/vm-fallback-init"
	fi
}

cmd_initramfs() {
	local s
	need cpio
	cmd_fetch
	[[ -x $OUT/nucleus ]] || die "$OUT/nucleus missing: run make first"
	s=$(mktemp -d "$VM/stage.XXXXXX")
	chmod 0755 "$s" # the guest's / : mktemp's 0700 would lock out nobody
	trap 'rm -rf "$s"' RETURN
	stage_base "$s"
	stage_project "$s"
	# Uncompressed: under TCG the guest unpacks a plain cpio much faster
	# than it inflates a gzip one. /dev/console comes from the kernel's
	# built-in initramfs, so building this needs no root.
	(cd "$s" && find . | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) >"$VM/initramfs.cpio.tmp"
	mv "$VM/initramfs.cpio.tmp" "$VM/initramfs.cpio"
	log "initramfs: $(du -k "$VM/initramfs.cpio" | cut -f1) KiB," \
		"init: $([[ -x $OUT/nucleus-init ]] && echo nucleus-init || echo busybox stand-in)"
}

# The host's TSC rate in kHz. microvm has no PIT/HPET to calibrate against;
# under TCG the guest's TSC runs at the host's, so telling the guest that rate
# keeps its clock right. Empty when unknown: then -M pc, which has timers.
host_tsc_khz() {
	local mhz
	mhz=$(dmesg 2>/dev/null | grep -oP \
		'tsc: (Refined TSC clocksource calibration: |Detected )\K[0-9.]+(?= MHz)' |
		tail -1)
	# In a VM, /proc/cpuinfo's "cpu MHz" is the TSC's (no frequency scaling).
	if [[ -z $mhz ]] && grep -qw hypervisor /proc/cpuinfo &&
		grep -qw constant_tsc /proc/cpuinfo; then
		mhz=$(awk -F': ' '/^cpu MHz/ { print $2; exit }' /proc/cpuinfo)
	fi
	[[ -n $mhz ]] && awk -v m="$mhz" 'BEGIN { printf "%d\n", m * 1000 }'
}

machine() {
	local m=${VM_MACHINE:-}
	if [[ -z $m ]]; then
		m=pc
		[[ -s $KDIR/vmlinux && -n $(host_tsc_khz) ]] && m=microvm
	fi
	echo "$m"
}

# The kernel words and QEMU flags of one machine type, into KWORDS/QFLAGS.
machine_flags() {
	local m=$1 disk=$2 kernel=$KDIR/vmlinuz
	[[ -s $KDIR/vmlinux ]] && kernel=$KDIR/vmlinux
	case $m in
	microvm)
		[[ -s $KDIR/vmlinux ]] || die "-M microvm needs the extracted vmlinux"
		QFLAGS=(-M microvm,isa-serial=on,rtc=on -kernel "$KDIR/vmlinux"
			-device virtio-blk-device,drive=d0)
		KWORDS=("tsc_early_khz=$(host_tsc_khz)") ;;
	pc)	# The vmlinux boots through its PVH note, faster than the bzImage.
		QFLAGS=(-M pc -kernel "$kernel" -device virtio-blk-pci,drive=d0)
		KWORDS=() ;;
	*)	die "VM_MACHINE=$m: microvm or pc" ;;
	esac
	QFLAGS+=(-drive "if=none,id=d0,format=raw,file=$disk")
}

# qemu LOG SECS ACCEL RDINIT WORDS... -- INIT-ARGS...: one boot, console to LOG.
qemu_run() {
	local log=$1 secs=$2 accel=$3 rdinit=$4 disk rc=0 words=() cpu=max
	shift 4
	while [[ $# -gt 0 && $1 != -- ]]; do words+=("$1"); shift; done
	[[ ${1:-} == -- ]] && shift
	# The kernel ends init's argv at a second "--": nucleus-init stops at
	# its first non-option instead, so none is needed.
	[[ " $* " != *" -- "* ]] || die "no '--' in init's arguments (the kernel drops what follows)"
	disk=$log.disk
	truncate -s 64M "$disk"
	machine_flags "$(machine)" "$disk"
	[[ $accel == kvm ]] && cpu=host && KWORDS=()
	# loglevel=1: only KERN_EMERG (panics, "reboot: Power down") shares the
	# console with the guest's TAP; mitigations=off: about 30% faster TCG.
	: >"$log"
	timeout -k 5 "$secs" qemu-system-x86_64 "${QFLAGS[@]}" -accel "$accel" \
		-cpu "$cpu" -m "${VM_MEM:-512}" -smp "${VM_SMP:-1}" -nodefaults \
		-no-user-config -display none -no-reboot -serial "file:$log" \
		-initrd "$VM/initramfs.cpio" -append "console=ttyS0 loglevel=1 \
panic=-1 mitigations=off rdinit=$rdinit ${KWORDS[*]} ${VM_APPEND:-} \
${words[*]} -- $*" </dev/null 2>"$log.qemu" || rc=$?
	rm -f "$disk"
	return $rc
}

# KVM only if a tiny boot under it powers off in time: nested KVM that hangs
# a stock kernel exists (it does on the machine this was written on).
cmd_accel() {
	local a=tcg t
	if [[ -n ${VM_ACCEL:-} ]]; then echo "$VM_ACCEL"; return 0; fi
	if [[ -s $VM/accel ]]; then cat "$VM/accel"; return 0; fi
	if [[ -r /dev/kvm && -w /dev/kvm && -s $VM/initramfs.cpio ]]; then
		t=$(mktemp "$VM/kvm-probe.XXXXXX")
		if VM_MACHINE=pc qemu_run "$t" 10 kvm /bin/poweroff -- -f &&
			grep -q 'reboot: Power down' "$t"; then
			a=kvm
		fi
		log "KVM probe: $([[ $a == kvm ]] && echo works || echo 'no (hung or failed): TCG')"
		rm -f "$t" "$t.qemu"
	fi
	echo "$a" >"$VM/accel"
	echo "$a"
}

cmd_boot() {
	local log=${1:?LOG} secs=${2:?SECS} rdinit=/sbin/nucleus-init accel
	shift 2
	need qemu-system-x86_64 timeout
	[[ -s $VM/initramfs.cpio ]] || die "no initramfs: run build/vm.sh initramfs"
	cpio -t --quiet <"$VM/initramfs.cpio" 2>/dev/null |
		grep -qx sbin/nucleus-init || rdinit=/sbin/vm-fallback-init
	accel=$(cmd_accel)
	qemu_run "$log" "$secs" "$accel" "$rdinit" "$@"
}

cmd_info() {
	echo "kernel=$(cat "$KDIR/release" 2>/dev/null || echo none)"
	echo "machine=$(machine)"
	echo "accel=$(cmd_accel)"
	echo "tsc_khz=$(host_tsc_khz)"
}

case ${1:-} in
fetch) cmd_fetch ;;
initramfs) cmd_initramfs ;;
boot) shift; cmd_boot "$@" ;;
accel) cmd_accel ;;
info) cmd_info ;;
*) die "usage: build/vm.sh fetch|initramfs|boot LOG SECS [K=V...] -- ARGS|accel|info" ;;
esac
