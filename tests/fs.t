#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The sandbox's world (issue 4): a tmpfs root of read-only host binds and
# nothing else of the host, /tmp, /dev and /proc that work, the mount flags in
# argv order, --rootfs, symlink escapes, --context, --secret. Each claim has
# a probe that tries to break it and a control where the same action works.
. "$(dirname "$0")/lib/tap.sh"
need_root

tmp=$(mktemp -d)
chmod 755 "$tmp"
mounts_before=$(wc -l </proc/self/mountinfo)
trap 'rm -rf "$tmp"' EXIT
N=("$NUCLEUS")

# Default root: the host's system dirs, nothing of the host's data.
run "${N[@]}" -- "$PROBE" ls /
top1=$(echo "$TOP" | cut -d/ -f2) # the test's own bind of the source tree
want=$(printf '%s\n' bin dev etc proc sbin tmp usr "$top1" | sort -u | tr '\n' ' ')
is "$(printf '%s\n' "$out" | grep -vE '^lib(32|64|x32)?$' | tr '\n' ' ')" "$want" \
	"/ holds only system dirs, /tmp, /dev, /proc (and the test's bind)"
for d in /home /root /var /run /srv /mnt; do
	[ -e $d ] || continue
	run "${N[@]}" -- "$PROBE" stat $d
	is "$out" ENOENT "host $d is invisible"
done
run "${N[@]}" -- "$PROBE" read /etc/passwd
is "$out" ok "control: /etc/passwd is readable"
run "${N[@]}" -- "$PROBE" create /usr/nucleus-x
is "$out" EROFS "/usr is read-only"
run "${N[@]}" -- "$PROBE" create /nucleus-x
is "$out" EROFS "the root itself is read-only"
run "${N[@]}" -- "$PROBE" statfs /usr
like "$out" 'flags=ro,.*nosuid.*nodev' "/usr: ro, nosuid, nodev"
run "${N[@]}" -- "$PROBE" create /tmp/x
is "$out" ok "/tmp is writable"
run "${N[@]}" -- "$PROBE" statfs /tmp
like "$out" 'type=0x1021994 ' "/tmp is a tmpfs of its own"

# /dev that works.
run "${N[@]}" -- "$PROBE" dev-null
is "$out" ok "writing /dev/null works"
run "${N[@]}" -- "$PROBE" stat /dev/null
like "$out" 'type=chr .*rdev=1:3' "/dev/null is the null device"
run "${N[@]}" -- /bin/sh -c 'head -c 16 /dev/urandom | wc -c; ls /dev/pts; test -L /dev/fd && echo fd'
is "$out" "$(printf '16\nptmx\nfd')" "/dev/urandom, a private devpts, /dev/fd"
run "${N[@]}" -- "$PROBE" create /dev/shm/x
is "$out" ok "/dev/shm is writable"
run "${N[@]}" -- "$PROBE" ls /dev
unlike "$out" 'sda|vda|kmsg|mem' "no host disk or memory device in /dev"

# /proc: fresh, read-only, masked.
run "${N[@]}" -- "$PROBE" write /proc/sys/kernel/hostname
is "$out" EROFS "/proc is read-only"
run "${N[@]}" -- "$PROBE" stat /proc/timer_list
like "$out" 'rdev=1:3' "/proc/timer_list is masked by /dev/null"
run "${N[@]}" -- "$PROBE" ls /proc/acpi
is "$out" "" "/proc/acpi is an empty mask"
run "${N[@]}" --proc-rw -- "$PROBE" put /proc/self/comm renamed
is "$out" ok "--proc-rw: /proc/self/comm writable"
run "${N[@]}" -- "$PROBE" put /proc/self/comm renamed
is "$out" EROFS "control: not without --proc-rw"
run "${N[@]}" --proc-rw -- "$PROBE" write /proc/sys/kernel/hostname
is "$out" EROFS "--proc-rw keeps /proc/sys read-only"

# Binds in argv order.
mkdir "$tmp/data"
echo host >"$tmp/data/f"
run "${N[@]}" --bind "$tmp/data" /data -- "$PROBE" create /data/new
is "$out" ok "--bind: writable inside"
ok "... and the write reached the host" test -e "$tmp/data/new"
run "${N[@]}" --ro-bind "$tmp/data" /data -- "$PROBE" create /data/new2
is "$out" EROFS "--ro-bind: read-only"
run "${N[@]}" --ro-bind "$tmp/data" /data -- "$PROBE" cat /data/f
is "$out" host "--ro-bind: readable"
run "${N[@]}" --bind-try /nonexistent /x -- /bin/true
is "$rc" 0 "--bind-try: missing source is not an error"
run "${N[@]}" --bind /nonexistent /x -- /bin/true
is "$rc" 125 "--bind: missing source is 125"
like "$err" "^nucleus: mount: .*nonexistent.*No such file" "... with a clear message"
mkdir "$tmp/data/inner"
run "${N[@]}" --ro-bind "$tmp/data" /a --bind "$tmp/data" /a/inner -- "$PROBE" create /a/inner/z
is "$out" ok "later operations stack on earlier ones"

run "${N[@]}" --tmpfs /scratch:size=1M,mode=0700 -- /bin/sh -c 'stat -c %a /scratch; '"$PROBE"' write-file /scratch/f 2'
is "$out" "$(printf '700\nENOSPC')" "--tmpfs DEST:size=,mode= honoured"
run "${N[@]}" --dir /a/b/c --symlink /usr/bin /ub -- /bin/sh -c 'test -d /a/b/c && readlink /ub'
is "$out" /usr/bin "--dir and --symlink"
run "${N[@]}" --copy "$tmp/data/f" /opt/f -- "$PROBE" cat /opt/f
is "$out" host "--copy"
run "${N[@]}" --file 7 /opt/g -- "$PROBE" cat /opt/g 7<"$tmp/data/f"
is "$out" host "--file FD"
run "${N[@]}" --mqueue /dev/mqueue -- "$PROBE" statfs /dev/mqueue
like "$out" 'type=0x19800202' "--mqueue"
run "${N[@]}" --proc /proc2 -- "$PROBE" ls /proc2/self
like "$out" status "--proc DEST"
run "${N[@]}" --dev /dev2 -- "$PROBE" stat /dev2/zero
like "$out" 'rdev=1:5' "--dev DEST"

# Bad input: 125, one line, nothing mounted on the host.
for args in "--bind $tmp relative" "--bind $tmp /a/../b" "--tmpfs /x:size=lots" \
	"--rootfs $tmp/data/f" "--user no-such-user" "--context /nonexistent" \
	"--secret /nonexistent:/s" "--file 99 /x" "--keep-fd 99" "--env-file /nonexistent"; do
	run "${N[@]}" $args -- /bin/true
	is "$rc:$(printf '%s\n' "$err" | wc -l)" "125:1" "bad input: $args -> 125, one line"
done
is "$(wc -l </proc/self/mountinfo)" "$mounts_before" "the host's mount table is unchanged"

# --rootfs: a FROM-scratch tree, read-only, and symlink escapes.
mkdir -p "$tmp/root/proc" "$tmp/root/dev" "$tmp/root/tmp"
cp "$PROBE" "$tmp/root/app"
run "$NUCLEUS_BIN" --rootfs "$tmp/root" -- /app ls /
is "$(echo $out)" "app dev proc tmp" "--rootfs: only the image's files"
run "$NUCLEUS_BIN" --rootfs "$tmp/root" -- /app create /x
is "$out" EROFS "--rootfs is read-only"
run "$NUCLEUS_BIN" --rootfs "$tmp/root" --rootfs-rw -- /app create /x
is "$out" ok "--rootfs-rw is writable ..."
ok "... and writes land in the image" test -e "$tmp/root/x"
mkdir -p "$tmp/bare"
cp "$PROBE" "$tmp/bare/app"
run "$NUCLEUS_BIN" --rootfs "$tmp/bare" -- /app getpid
is "$out:$rc" "2:0" "a rootfs with only a static binary runs (init from the memfd)"
ln -s / "$tmp/root/etc"
run "$NUCLEUS_BIN" --rootfs "$tmp/root" --rootfs-rw --bind "$tmp/data" /etc/nucleus-escape -- /app ls /etc/nucleus-escape
is "$rc" 0 "a bind through a rootfs symlink 'etc -> /' works ..."
ok "... but lands inside the rootfs" test -d "$tmp/root/nucleus-escape"
ok "... never on the host" test ! -e /nucleus-escape

mkdir -p "$tmp/evil/host-proc"
cp "$PROBE" "$tmp/evil/app"
ln -s /host-proc "$tmp/evil/proc"
run "$NUCLEUS_BIN" --rootfs "$tmp/evil" -- /app getpid
is "$rc" 125 "a rootfs whose /proc is a symlink is refused (CVE-2019-16884)"
like "$err" 'rootfs: /proc' "... saying which"
rm "$tmp/evil/proc"
ln -s /tmp "$tmp/evil/dev"
run "$NUCLEUS_BIN" --rootfs "$tmp/evil" -- /app getpid
is "$rc" 125 "a rootfs whose /dev is a symlink is refused (crun CVE-2026-47766)"
rm "$tmp/evil/dev"
touch "$tmp/evil/proc"
run "$NUCLEUS_BIN" --rootfs "$tmp/evil" -- /app getpid
is "$rc" 125 "a rootfs whose /proc is a file is refused"

# --context and --secret.
mkdir -p "$tmp/ctx/.git" "$tmp/ctx/.ssh" "$tmp/ctx/src"
for f in .env .env.local id.pem tls.key .ssh/id_rsa .git/HEAD src/main.c README; do echo x >"$tmp/ctx/$f"; done
run "${N[@]}" --context "$tmp/ctx" -- /bin/sh -c 'pwd; ls -A /context'
is "$(echo $out)" "/context .env .env.local .git .ssh README id.pem src tls.key" "--context binds the directory, cwd /context"
run "${N[@]}" --context "$tmp/ctx" -- "$PROBE" create /context/new
is "$out" EROFS "--context bind is read-only"
run "${N[@]}" --context "$tmp/ctx" --context-mode copy -- /bin/sh -c 'ls -A /context; ls /context/.git'
is "$(echo $out)" ".git README src HEAD" "--context-mode copy leaves out secrets, keeps .git"
run "${N[@]}" --context "$tmp/ctx" --context-mode copy -- "$PROBE" create /context/new
is "$out" ok "the copy is writable ..."
ok "... and the host's directory untouched" test ! -e "$tmp/ctx/new"
echo s3cr3t >"$tmp/token"
chmod 644 "$tmp/token"
run "${N[@]}" --secret "$tmp/token:/run/secrets/token" --secret "$tmp/token:/api.key" -- \
	/bin/sh -c 'stat -c %a /run/secrets/token; cat /run/secrets/token /api.key'
is "$(echo $out)" "400 s3cr3t s3cr3t" "--secret: 0400 copies, at /run/secrets and at DEST"
run "${N[@]}" --secret "$tmp/token:/run/secrets/token" -- "$PROBE" statfs /run/secrets
like "$out" 'noexec' "/run/secrets is noexec"
run "${N[@]}" --user 1000 --secret "$tmp/token:/run/secrets/token" -- "$PROBE" write /run/secrets/token
is "$out" EACCES "... owned by the workload's user, read-only for it"

# Rootless: the same world through a user namespace.
R=("${NOBODY[@]}" "$NUCLEUS")
run "${R[@]}" -- "$PROBE" ls /
is "$(printf '%s\n' "$out" | grep -vE '^lib(32|64|x32)?$' | tr '\n' ' ')" "$want" "rootless: the same root"
run "${R[@]}" -- "$PROBE" seq create /tmp/x -- dev-null -- stat /proc/timer_list
like "$(echo $out)" '^ok ok type=chr .*rdev=1:3' "rootless: /tmp writable, /dev/null works, /proc masked"
run "${R[@]}" -- "$PROBE" create /usr/x
is "$out" EROFS "rootless: /usr read-only"
chmod 644 "$tmp/data/f"
run "${R[@]}" --ro-bind "$tmp/data" /data --tmpfs /scratch -- "$PROBE" seq cat /data/f -- create /scratch/y
is "$(echo $out)" "host ok" "rootless: --ro-bind and --tmpfs"
run "${R[@]}" --share pid -- "$PROBE" seq stat /proc/1 -- stat /proc/timer_list
like "$(echo $out)" '^type=dir .*rdev=1:3' "rootless --share pid: the host's /proc (no new procfs allowed), still masked"
chmod -R o+rX "$tmp/bare"
run "${NOBODY[@]}" "$NUCLEUS_BIN" --rootfs "$tmp/bare" -- /app getpid
is "$out:$rc" "2:0" "rootless: --rootfs with only a static binary"

# A DEST with trailing slashes names the same path (issue 14): every flag
# that takes a sandbox path accepts it (it failed with mkdir '/x/').
echo hi >"$tmp/tsrc"
chmod 644 "$tmp/tsrc"
run timeout -s KILL 20 "${N[@]}" --dir /x/ --bind "$tmp" /b/ --ro-bind "$tmp" /rb// \
	--tmpfs /t/:size=1M --symlink /b /l/ --copy "$tmp/tsrc" /c/ \
	--secret "$tmp/tsrc:/run/secrets/k/" --proc /p/ --dev /d/ --mqueue /m/ \
	--bind-try "$tmp" /bt/ --ro-bind-try "$tmp" /rbt/ --file 0 /f/ -- \
	/bin/sh -c 'for p in /x /t /p/1 /m; do [ -d $p ] || echo "no dir $p"; done
		[ -L /l ] || echo "no link /l"
		for f in /b/tsrc /rb/tsrc /bt/tsrc /rbt/tsrc /c /run/secrets/k /d/null /f; do
			[ -e $f ] || echo "no $f"; done; echo done' </dev/null
is "$rc:$out" "0:done" "trailing '/' on every DEST flag: the same paths, all made"
run "${N[@]}" --tmpfs /t/// -- "$PROBE" statfs /t
like "$out" 'type=0x1021994 ' "--tmpfs /t///: a tmpfs at /t"
done_testing
