#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --mount TYPE DEST[:OPTS], --mask, --remount-ro, --no-default-mounts and
# --mkdir-mountpoints (issue 16: what an OCI config's mounts, maskedPaths
# and readonlyPaths become). Each claim is tried and shown to hold beside a
# control where the same action works; bad input is 125, one line, and
# leaves no mount behind.
. "$(dirname "$0")/lib/tap.sh"
need_root

tmp=$(mktemp -d)
chmod 755 "$tmp"
mounts_before=$(wc -l </proc/self/mountinfo)
trap 'rm -rf "$tmp"' EXIT
N=("$NUCLEUS")
mi() { "${N[@]}" "$@" -- "$PROBE" cat /proc/self/mountinfo; }

# A tmpfs with the config's options, its source as mountinfo shows it.
out=$(mi --mount tmpfs /data:source=shm,size=64k,mode=0700,noexec)
like "$out" ' /data rw,nosuid,nodev,noexec,[a-z,]* - tmpfs shm rw,size=64k,mode=700' \
	"--mount tmpfs: size, mode, noexec, source=shm; nosuid,nodev forced"
run "${N[@]}" --mount tmpfs /data -- "$PROBE" create /data/f
is "$out" ok "  it is writable (Landlock follows the mount)"
run "${N[@]}" --mount tmpfs /data:ro -- "$PROBE" create /data/f
is "$out" EROFS "  ro: it is not"
run "${N[@]}" --mount tmpfs /data:nodiratime,strictatime -- "$PROBE" statfs /data
like "$out" 'type=0x1021994 ' "  atime flags are mount flags, not tmpfs options"

# sysfs: read-only whatever OPTS say.
run "${N[@]}" --mount sysfs /sys:rw -- "$PROBE" statfs /sys
like "$out" 'type=0x62656572 flags=ro,nosuid,nodev,noexec' "--mount sysfs: read-only, noexec even with rw"
run "${N[@]}" --mount sysfs /sys -- "$PROBE" write /sys/kernel/profiling
is "$out" EROFS "  a write to it fails"
run "${N[@]}" -- "$PROBE" stat /sys/kernel
is "$out" ENOENT "  control: no /sys at all without it"

# devpts: a new instance; a pty opens through it.
out=$(mi --mount devpts /dev/pts:source=devpts,ptmxmode=0666,mode=0620)
like "$out" ' /dev/pts rw,nosuid,[a-z,]* - devpts devpts rw,mode=620,ptmxmode=666' "--mount devpts: options, dev kept"
run "${N[@]}" --mount devpts /dev/pts:ptmxmode=0666 -- "$PROBE" open-rw /dev/pts/ptmx
is "$out" ok "  its ptmx opens"

# mqueue and proc.
out=$(mi --mount mqueue /dev/mqueue)
like "$out" ' /dev/mqueue rw,nosuid,nodev,[a-z,]* - mqueue mqueue rw' "--mount mqueue"
run "${N[@]}" --mount proc /p2 -- "$PROBE" read /p2/kallsyms
is "$out" ok "--mount proc: /proc's masks (kallsyms reads as /dev/null)"
run "${N[@]}" --mount proc /p2 -- "$PROBE" cat /p2/kallsyms
is "$out" "" "  and it is empty"
run "${N[@]}" --mount proc /p2 -- "$PROBE" statfs /p2
like "$out" 'type=0x9fa0 flags=ro,' "  read-only like /proc"

# A tmpfs at /dev gets the standard devices and links.
run "${N[@]}" --no-default-mounts --mount tmpfs /dev:mode=755 -- "$PROBE" seq write /dev/null -- readlink /dev/fd -- stat /dev/zero
like "$(echo $out)" '^ok /proc/self/fd type=chr .*rdev=1:5' "a tmpfs /dev: /dev/null writable, /dev/fd, /dev/zero"

# --mask
mkdir -p "$tmp/d/sub"
echo secret >"$tmp/d/file"
echo secret >"$tmp/d/sub/x"
run "${N[@]}" --ro-bind "$tmp/d" /d -- "$PROBE" cat /d/file
is "$out" secret "control: the file reads"
run "${N[@]}" --ro-bind "$tmp/d" /d --mask /d/file -- "$PROBE" cat /d/file
is "$out" "" "--mask FILE: it reads empty"
run "${N[@]}" --ro-bind "$tmp/d" /d --mask /d/file -- "$PROBE" stat /d/file
like "$out" 'rdev=1:3' "  it is /dev/null"
run "${N[@]}" --ro-bind "$tmp/d" /d --mask /d/sub -- "$PROBE" ls /d/sub
is "$out" "" "--mask DIR: it lists empty"
run "${N[@]}" --ro-bind "$tmp/d" /d -- "$PROBE" ls /d/sub
is "$out" x "  control: it lists x"
run "${N[@]}" --ro-bind "$tmp/d" /d --mask /d/sub -- "$PROBE" create /d/sub/y
is "$out" EROFS "  and nothing can be put in it"
run "${N[@]}" --mask /nonexistent -- "$PROBE" getpid
is "$out" 2 "--mask of a missing path: nothing to hide, runs"

# --remount-ro
run "${N[@]}" --bind "$tmp/d" /d -- "$PROBE" create /d/w1
is "$out" ok "control: a --bind is writable"
run "${N[@]}" --bind "$tmp/d" /d --remount-ro /d -- "$PROBE" create /d/w2
is "$out" EROFS "--remount-ro: no longer"
run "${N[@]}" --bind "$tmp/d" /d --tmpfs /d/sub --remount-ro /d -- "$PROBE" create /d/sub/w3
is "$out" EROFS "  nor any mount below it"
run "${N[@]}" --bind "$tmp/d" /d --remount-ro /d/file -- "$PROBE" write /d/file
is "$out" EROFS "  a file too"
run "${N[@]}" --bind "$tmp/d" /d --remount-ro /d/file -- "$PROBE" create /d/w4
is "$out" ok "  and only it"
ok "  the host's side stays writable" test -f "$tmp/d/w1" -a -f "$tmp/d/w4" -a ! -e "$tmp/d/w2"

# --device: made with its numbers, mode and owner; usable; rootless binds.
run "${N[@]}" --device c:10:666:0660:0:5 /dev/t1 --device b:8:666 /dev/t2 --device p:0:0:0600 /dev/t3 -- \
	"$PROBE" seq stat /dev/t1 -- stat /dev/t2 -- stat /dev/t3
like "$(echo $out)" '^type=chr mode=0660 rdev=10:666 uid=0 gid=5 size=0 type=blk mode=0666 rdev=8:666 .* type=fifo mode=0600 ' \
	"--device: char, block, FIFO with numbers, mode, owner"
run "${N[@]}" -- "$PROBE" stat /dev/t1
is "$out" ENOENT "  control: none without it"
run "${N[@]}" --device c:1:3 /dev/mynull -- "$PROBE" write /dev/mynull
is "$out" ok "  a made null device writes"
run "${NOBODY[@]}" "${N[@]}" --device c:1:5 /dev/zero -- "$PROBE" read /dev/zero
is "$out" ok "  rootless: the host's node, bound, reads"
run "${NOBODY[@]}" "${N[@]}" --device c:10:666 /dev/t1 -- "$PROBE" getpid
is "$rc" 125 "  rootless, no such host node: 125"
run "${N[@]}" --device c:1:3 /tmp/n -- "$PROBE" write /tmp/n
is "$out" EACCES "  on a nodev mount (/tmp) it stays unusable"
run "${N[@]}" --cap-add CAP_MKNOD -- "$PROBE" mknod-char /dev/x 1 3
is "$out" EACCES "  and the workload cannot make one itself, even with CAP_MKNOD"

# --no-default-mounts, --mkdir-mountpoints with --rootfs.
r=$tmp/root
mkdir -p "$r/proc" "$r/tmp" "$r/dev"
cp "$PROBE" "$r/probe"
run "$NUCLEUS_BIN" --rootfs "$r" -- /probe statfs /tmp
like "$out" 'type=0x1021994 ' "control: --rootfs gets nucleus's /tmp"
run "$NUCLEUS_BIN" --rootfs "$r" --no-default-mounts -- /probe seq ls /proc -- statfs /tmp
like "$(echo $out)" "^type=0x$(stat -f -c %t "$r") flags=ro," "--no-default-mounts: /proc empty, /tmp the image's"
run "$NUCLEUS_BIN" --rootfs "$r" --no-default-mounts -- /probe stat /dev/null
like "$out" 'rdev=1:3' "  /dev still gets its devices when no mount gives /dev"
run "$NUCLEUS_BIN" --rootfs "$r" --tmpfs /newdir -- /probe getpid
is "$rc" 125 "a missing mount point in a read-only --rootfs: 125"
run "$NUCLEUS_BIN" --rootfs "$r" --mkdir-mountpoints --tmpfs /newdir -- /probe seq create /newdir/f -- create /x
is "$(echo $out)" 'ok EROFS' "--mkdir-mountpoints: made, mounted; the root is still read-only"
ok "  the mount point is in the image's directory" test -d "$r/newdir"
run "$NUCLEUS_BIN" --rootfs "$r" --mkdir-mountpoints --rootfs-rw -- /probe create /y
is "$out" ok "  with --rootfs-rw the root stays writable"

# Bad input: 125, one line, nothing mounted.
for bad in "--mount nfs /x" "--mount tmpfs rel" "--mount tmpfs /x:," \
	"--mount tmpfs /x:bogus=1" "--mount devpts /p:nosuchopt" "--device x:1:3 /dev/a" \
	"--device c:1:3:999 /dev/a" "--device c:1 /dev/a" "--device c:1:3:0600:5 /dev/a"; do
	# shellcheck disable=SC2086
	run "${N[@]}" $bad -- "$PROBE" getpid
	is "$rc" 125 "$bad: 125"
	is "$(printf '%s\n' "$err" | wc -l)" 1 "  one line: $err"
done
run "${N[@]}" --mask rel -- "$PROBE" getpid
is "$rc" 125 "--mask of a relative path: 125"
is "$(wc -l </proc/self/mountinfo)" "$mounts_before" "no mount left in the host's namespace"
done_testing
