#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Mount targets (sandbox-peers.md §4): a target swapped for a symlink to a
# host directory while nucleus sets up never makes anything outside the root
# (runc CVE-2021-30465, CVE-2025-52565/52881); an image whose /dev, /proc or
# /tmp is a symlink or not a directory is refused and creates nothing
# outside (crun CVE-2026-47766, CVE-2019-16884/19921, CVE-2023-27561); a
# /dev/null that is not char 1:3 never becomes a mask (CVE-2025-31133), and
# the masks are there whatever /dev the sandbox has; files are created
# O_EXCL|O_NOFOLLOW, never through a symlink, never truncated
# (CVE-2024-45310); /proc writes land only on procfs (fstatfs). As root and
# as nobody; each attack beside a control where the same action works.
SEC_TMP=/var/tmp
. "$(dirname "$0")/lib.sh"

mounts_before=$(host_mounts)

# The race: a helper flips R/mnt/t between a directory and a symlink to a
# host directory (absolute, then relative with ..) in a tight loop while
# nucleus makes things below /mnt/t, 200 times. RESOLVE_IN_ROOT keeps every
# lookup inside R; without it the host directory fills up.
flip='
	use File::Path qw(rmtree);
	my ($dir, $abs, $rel) = @ARGV;
	chdir $dir or die;
	sub away { rename "t", "x"; if (-l "x") { unlink "x" } else { rmtree "x" } }
	for (my $n = 0;; $n++) {
		away(); mkdir "t";
		away(); symlink(($n & 1) ? $rel : $abs, "t");
	}'
race() { # WHO
	local who=$1 R=$tmp/$1/root V=$tmp/$1/victim n=200 ran=0 refused=0 other=0
	local src=$tmp/$who/src fpid before
	# In-root twins of the victim: where the flipped name leads inside R.
	mkimage "$R" "$who" mnt/t "$V" victim
	mkdir -p "$V" "$src/d"
	echo canary >"$V/canary"
	echo data >"$src/f"
	[ "$who" = nobody ] && chown -R 65534:65534 "$V" "$src"
	before=$(tree "$V")
	# Control: from the host, the flipped name does lead into the victim.
	ln -s "$V" "$R/mnt/s"
	as "$who" mkdir "$R/mnt/s/ctl"
	ok "$who: control: the host follows R/mnt/s into the victim" test -d "$V/ctl"
	rmdir "$V/ctl"
	run as "$who" "$NUCLEUS_BIN" --rootfs "$R" --rootfs-rw --dir /mnt/s/d \
		--copy "$src/f" /mnt/s/c -- /probe cat /mnt/s/c
	is "$out:$rc" data:0 "$who: a static symlink to the host: the copy lands inside the root"
	ok "$who: ... at R/$V (resolved in the root)" test -f "$R/$V/c" -a -d "$R/$V/d"
	is "$(tree "$V")" "$before" "$who: ... and the victim is untouched"
	rm "$R/mnt/s"

	# Started directly (no function, no subshell): $! is the flipper.
	if [ "$who" = nobody ]; then
		"${NOBODY[@]}" perl -e "$flip" "$R/mnt" "$V" ../../victim >/dev/null &
	else
		perl -e "$flip" "$R/mnt" "$V" ../../victim >/dev/null &
	fi
	fpid=$!
	cleanup_hooks+=("kill $fpid 2>/dev/null")
	for i in $(seq $n); do
		case $((i % 6)) in
		0) op=(--dir /mnt/t/d$i) ;;
		1) op=(--tmpfs /mnt/t/m$i) ;;
		2) op=(--bind "$src/d" /mnt/t/b$i) ;;
		3) op=(--copy "$src/f" /mnt/t/c$i) ;;
		4) op=(--ro-bind "$src/f" /mnt/t/f$i) ;;
		5) op=(--symlink /x /mnt/t/l$i) ;;
		esac
		as "$who" "$NUCLEUS_BIN" --rootfs "$R" --rootfs-rw "${op[@]}" \
			-- /probe exit 0 2>/dev/null
		case $? in
		0) ran=$((ran + 1)) ;;
		125) refused=$((refused + 1)) ;;
		*) other=$((other + 1)) ;;
		esac
	done
	kill "$fpid"
	wait "$fpid" 2>/dev/null
	diag "$who: $n runs during the flips: $ran ran, $refused refused (125)"
	is "$other" 0 "$who: $n runs under the race: each ran or was refused (125)"
	is "$(tree "$V")" "$before" "$who: the host directory is untouched after $n raced runs"
	is "$(host_mounts)" "$mounts_before" "$who: no mount reached the host's table"
}
race root
race nobody

# An image's /dev, /proc or /tmp that is a symlink out, or not a directory.
for who in root nobody; do
	V=$tmp/$who/out
	mkdir -p "$V"
	[ "$who" = nobody ] && chown 65534:65534 "$V"
	for d in dev proc tmp; do
		for link in "$V" "../../../../../../../..$V"; do
			R=$tmp/$who/img-$d
			rm -rf "$R"
			mkimage "$R" "$who" dev proc tmp
			rmdir "$R/$d"
			ln -s "$link" "$R/$d"
			run as "$who" "$NUCLEUS_BIN" --rootfs "$R" -- /probe exit 0
			is "$rc" 125 "$who: image /$d -> $link: refused (125)"
			like "$err" "/$d" "$who: ... naming /$d"
		done
		R=$tmp/$who/img-$d
		rm -rf "$R"
		mkimage "$R" "$who" dev proc tmp
		rmdir "$R/$d"
		echo x >"$R/$d"
		run as "$who" "$NUCLEUS_BIN" --rootfs "$R" -- /probe exit 0
		is "$rc" 125 "$who: image /$d a regular file: refused (125)"
	done
	is "$(ls -A "$V")" "" "$who: nothing was created outside the images"
	R=$tmp/$who/img-ok
	mkimage "$R" "$who" dev proc tmp
	run as "$who" "$NUCLEUS_BIN" --rootfs "$R" -- /probe stat /dev/null
	like "$out" 'type=chr .*rdev=1:3' "$who: control: image with real directories runs, /dev/null is 1:3"
	is "$(ls -A "$R/dev")" "" "$who: ... and the image's own /dev stays empty (a tmpfs on top)"
done

# Masks: only a char 1:3 /dev/null may hide a /proc file; when the sandbox
# has no /dev/null at all (an image without /dev, a --tmpfs /dev) the
# masks are still there, never silently left out.
masked() { # OUT DESC
	like "$1" 'type=chr .*rdev=1:3' "$2"
}
echo secret >"$tmp/notnull"
chmod 644 "$tmp/notnull"
for who in root nobody; do
	run as "$who" "$NUCLEUS" --proc /p2 -- "$PROBE" stat /p2/timer_list
	masked "$out" "$who: control: --proc /p2 masks /p2/timer_list with /dev/null"
	run as "$who" "$NUCLEUS" --bind "$tmp/notnull" /dev/null --proc /p2 \
		-- "$PROBE" cat /p2/timer_list
	is "$rc" 125 "$who: /dev/null bound to a regular file: --proc refuses to mask with it"
	like "$err" 'not the null device' "$who: ... and says why"
	run as "$who" "$NUCLEUS" --tmpfs /dev --proc /p2 -- "$PROBE" stat /p2/timer_list
	masked "$out" "$who: --tmpfs /dev (no /dev/null): /p2/timer_list still masked ($out)"
	R=$tmp/$who/img-nodev
	mkimage "$R" "$who" proc
	for f in timer_list kallsyms sched_debug; do
		[ -e /proc/$f ] || continue
		run as "$who" "$NUCLEUS_BIN" --rootfs "$R" -- /probe stat /proc/$f
		masked "$out" "$who: image without /dev: /proc/$f still masked ($out)"
	done
done

# No /dev/null anywhere (the host's own root a FROM-scratch image: here a
# mount namespace with an empty /dev): an empty read-only file hides them.
for who in root nobody; do
	pre=()
	[ "$who" = nobody ] && pre=("${NOBODY[@]}")
	run unshare -m --propagation private sh -c \
		'mount -t tmpfs none /dev && exec "$@"' sh "${pre[@]}" \
		"$NUCLEUS_BIN" --rootfs "$tmp/$who/img-nodev" -- /probe stat /proc/timer_list
	like "$out" '^type=reg .*size=0$' "$who: no /dev/null anywhere: /proc/timer_list hidden by an empty file ($out)"
done

# Files: never through a symlink, never over an existing file.
for who in root nobody; do
	V=$tmp/$who/files
	R=$tmp/$who/img-files
	mkdir -p "$V"
	echo host >"$V/target"
	echo new >"$tmp/$who-src"
	mkimage "$R" "$who" etc
	ln -s "$V/target" "$R/etc/link"
	ln -s "$V/new" "$R/etc/dangling"
	echo image >"$R/etc/existing"
	[ "$who" = nobody ] && chown -R 65534:65534 "$V" "$R" "$tmp/$who-src"
	before=$(tree "$V")
	for dest in link dangling existing; do
		for op in --copy --file --bind --secret; do
			case $op in
			--secret) args=(--secret "$tmp/$who-src:/etc/$dest") ;;
			--file) args=(--file 3 /etc/$dest) ;;
			*) args=($op "$tmp/$who-src" /etc/$dest) ;;
			esac
			run as "$who" "$NUCLEUS_BIN" --rootfs "$R" --rootfs-rw \
				"${args[@]}" -- /probe cat /etc/$dest 3<"$tmp/$who-src"
			case $dest:$op in
			existing:--bind | existing:--secret)
				# A mount on top of the file, which stays as it is.
				is "$out:$rc" new:0 "$who: $op over an image's regular file: mounted on top" ;;
			*)
				is "$rc" 125 "$who: $op onto an image's /etc/$dest: refused" ;;
			esac
		done
	done
	is "$(tree "$V")" "$before" "$who: no host file created or written through a symlink"
	is "$(cat "$V/target")" host "$who: ... the link's target keeps its content"
	is "$(cat "$R/etc/existing")" image "$who: ... the image's file is not truncated"
	run as "$who" "$NUCLEUS_BIN" --rootfs "$R" --rootfs-rw --copy "$tmp/$who-src" /etc/fresh \
		-- /probe cat /etc/fresh
	is "$out:$rc" new:0 "$who: control: --copy onto a fresh name works"
done

# /proc writes: nucleus writes a rootless child's maps through the host's
# /proc; in a mount namespace whose /proc is a tmpfs of look-alike files,
# fstatfs must refuse them (CVE-2019-16884's lesson) and leave them empty.
fake_proc() { # OUT-DIR
	unshare -pfm --propagation private bash -c '
		mount -t tmpfs fake /proc || exit 1
		cd /proc && mkdir $(seq 1 300) || exit 1
		for i in $(seq 1 300); do : >$i/setgroups; : >$i/uid_map; : >$i/gid_map; done
		chmod 666 */* && cd /
		setpriv --reuid=65534 --regid=65534 --clear-groups -- \
			"$0/nucleus" --init "$0/nucleus-init" -- /bin/true
		echo "rc=$?"
		cat /proc/*/setgroups /proc/*/uid_map /proc/*/gid_map' "$1"
}
run fake_proc "$OUT"
is "$out" rc=125 "a look-alike /proc (tmpfs): rootless setup refused, nothing written into it"
like "$err" 'setgroups' "... at the first /proc write"

is "$(host_mounts)" "$mounts_before" "the host's mount table has nothing of this test"
done_testing
