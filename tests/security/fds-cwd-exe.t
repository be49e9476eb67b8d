#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fds, cwd and exe (sandbox-peers.md §4): only 0-2 and --keep-fd fds reach
# the workload, init holds nothing of the setup (runc CVE-2016-9962,
# CVE-2024-21626); the cwd is always below the root and getcwd works, even
# when --chdir or an image's symlink goes through /proc/self/fd/N while the
# setup still holds fds of host cgroup directories (CVE-2024-21626); neither
# /proc/1/exe nor the monitor's exe can be opened, and the host binaries are
# unchanged after the workload tried (CVE-2019-5736). As root and as nobody;
# each attack beside a control where the same action works.
. "$(dirname "$0")/lib.sh"

sums() { sha256sum "$NUCLEUS_BIN" "$NUCLEUS_INIT" | cut -d' ' -f1 | tr '\n' ' '; }
sums_before=$(sums)

# The caller's fds: files, a directory (the Leaky Vessels kind), a pipe.
for who in root nobody; do
	run as "$who" "$PROBE" fds 5</ 6<"$tmp" 7>/dev/null 8< <(:)
	like "$out" "^0 1 2 5 6 7 8( |$)" "$who: control: the probe on the host sees fds 5-8 ($out)"
	run as "$who" "$NUCLEUS" -- "$PROBE" fds 5</ 6<"$tmp" 7>/dev/null 8< <(:)
	is "$out" "0 1 2" "$who: in the sandbox only 0, 1, 2"
	run as "$who" "$NUCLEUS" --keep-fd 6 -- "$PROBE" fds 5</ 6<"$tmp" 7>/dev/null 8< <(:)
	is "$out" "0 1 2 6" "$who: --keep-fd 6: exactly 0, 1, 2, 6"
done

# init (pid 1) holds nothing of the setup: no cgroup directory, no memfd,
# no pipe of the monitor. Seen from the host while the sandbox runs.
"$NUCLEUS" -- "$PROBE" sleep 30 </dev/null >/dev/null 2>&1 5</ &
mon=$!
# The workload runs: init has spawned it (its spawn pipe then goes too).
workload_runs() {
	init=$(pgrep -P "$mon" | head -n1)
	[ -n "$init" ] && [ "$(readlink "/proc/$init/exe")" != "$NUCLEUS_BIN" ] &&
		[ "$(readlink "/proc/$(pgrep -P "$init" | head -n1)/exe")" = "$PROBE" ]
}
init_fds() { for f in /proc/$init/fd/*; do readlink "$f"; done | sort | tr '\n' ' '; }
# A setup fd leaked into init stays there: the deadline only absorbs load.
init_clean() { ! init_fds | grep -Eq 'cgroup|memfd|pipe|^/ | / '; }
wait_for 10 workload_runs
wait_for 10 init_clean
fds=$(init_fds)
unlike "$fds" 'cgroup|memfd|pipe|^/ | / ' "init's fds: nothing of the setup ($fds)"
like "$(ls "/proc/$mon/fd" | wc -l)" '^[0-9]+$' "control: the monitor itself holds its fds (it is outside)"
kill "$mon"
wait "$mon" 2>/dev/null

# cwd. The setup child holds fds of host cgroup directories (the monitor's
# cgroup, its parents) until exec; --chdir through /proc/self/fd/N must not
# land in one. //proc and /./proc pass a prefix check; an image's symlink
# to /proc/self/fd/N passes any check of the flag's text. --no-landlock:
# this defence alone, not Landlock, must hold.
for who in root nobody; do
	leaked=
	for n in $(seq 3 16); do
		for form in //proc /./proc; do
			run as "$who" "$NUCLEUS" --no-landlock --chdir "$form/self/fd/$n" -- "$PROBE" cwd
			[ "$rc" = 125 ] || leaked="$leaked $form/self/fd/$n:$rc:$out"
		done
	done
	is "$leaked" "" "$who: --chdir //proc/self/fd/N and /./proc/self/fd/N (N 3-16): always 125"
	R=$tmp/$who/img
	mkimage "$R" "$who" tmp proc dev
	for n in $(seq 3 16); do ln -s "/proc/self/fd/$n" "$R/w$n"; done
	leaked=
	for n in $(seq 3 16); do
		run as "$who" "$NUCLEUS_BIN" --rootfs "$R" --no-landlock --chdir "/w$n" -- /probe cwd
		[ "$rc" = 125 ] || leaked="$leaked /w$n:$rc:$out"
	done
	is "$leaked" "" "$who: image symlinks /wN -> /proc/self/fd/N as --chdir: always 125"
	run as "$who" "$NUCLEUS_BIN" --rootfs "$R" --no-landlock --chdir /w5 -- /probe cwd
	like "$err" "magic link" "$who: ... and the error says why"
	R=$tmp/$who/img-plain
	mkimage "$R" "$who" tmp proc dev
	ln -s /tmp "$R/plain"
	run as "$who" "$NUCLEUS_BIN" --rootfs "$R" --chdir /plain -- /probe cwd
	is "$out:$rc" /tmp:0 "$who: control: an image's ordinary symlink /plain -> /tmp works, getcwd /tmp"
	run as "$who" "$NUCLEUS" --chdir /tmp -- "$PROBE" cwd
	is "$out:$rc" /tmp:0 "$who: control: --chdir /tmp, getcwd /tmp"
	run as "$who" env -C / "$NUCLEUS" -- "$PROBE" cwd
	is "$out:$rc" /:0 "$who: default: the caller's cwd (/), getcwd works"
done

# exe: init runs from a sealed, execute-only memfd; the monitor is
# non-dumpable. The workload tries to open both for writing, and to read
# them (the O_PATH-then-reopen route of the CVE-2019-5736 exploit).
for who in root nobody; do
	for a in open-exe-w read write; do
		run as "$who" "$NUCLEUS" -- "$PROBE" $a /proc/1/exe
		like "$out" '^E[A-Z]+$' "$who: $a /proc/1/exe: refused ($out)"
	done
	run as "$who" "$NUCLEUS" -- "$PROBE" readlink /proc/1/exe
	like "$out" '^(EACCES|/memfd:nucleus-init.*)$' "$who: /proc/1/exe is no host file ($out)"
	# --share pid: the monitor is visible, as init's parent.
	script='m=$(cut -d" " -f4 /proc/$PPID/stat); echo "$m"; for a in read open-exe-w write; do "$0" $a /proc/$m/exe; done'
	run as "$who" "$NUCLEUS" --share pid -- /bin/sh -c "$script" "$PROBE"
	mon=$(echo "$out" | head -n1)
	is "$(echo $out | cut -d' ' -f2-)" "EACCES EACCES EACCES" \
		"$who: --share pid: the monitor's exe (pid $mon) cannot be read or opened for writing"
done
run "$PROBE" read /proc/self/exe
is "$out" ok "control: an ordinary process's exe is readable through /proc"
run "$PROBE" open-exe-w /proc/self/exe
is "$out" ETXTBSY "control: opening a running binary for writing: ETXTBSY (the kernel's own guard)"
if run "$NUCLEUS" --cap-add dac_override -- "$PROBE" write /proc/1/exe; [ "$rc" != 125 ]; then
	like "$out" '^E[A-Z]+$' "root with CAP_DAC_OVERRIDE: writing /proc/1/exe still fails ($out: running, sealed)"
else
	skip "--cap-add dac_override refused here"
fi
is "$(sums)" "$sums_before" "the host's nucleus and nucleus-init are unchanged"
done_testing
