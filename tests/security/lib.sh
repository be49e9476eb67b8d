# SPDX-License-Identifier: MIT
# Shared by the security suite (tests/security/*.t, one file per class of
# CVE that hit a peer sandbox): the TAP helpers, a scratch directory that
# the unprivileged user can traverse, a minimal image for --rootfs runs,
# and `as`, which runs a command as root or as nobody so every attack is
# tried both ways.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"
need_root

# SEC_TMP: where the scratch directory goes (mounts.t wants it off /tmp,
# which an image's own /tmp would hide).
tmp=$(mktemp -d -p "${SEC_TMP:-/tmp}" nucleus-sec.XXXXXX)
chmod 755 "$tmp"
cleanup_hooks=()
_sec_cleanup() {
	for h in "${cleanup_hooks[@]}"; do eval "$h"; done
	rm -rf "$tmp"
}
trap _sec_cleanup EXIT

# own_binaries: copies of nucleus, nucleus-init and the probe in $tmp/bin,
# so that a rebuild of build/out meanwhile (exec: ETXTBSY) cannot touch
# this test; sets N to the nucleus and PROBE to the probe there.
own_binaries() {
	mkdir "$tmp/bin"
	cp "$NUCLEUS_BIN" "$NUCLEUS_INIT" "$PROBE" "$tmp/bin/"
	N=$tmp/bin/nucleus
	PROBE=$tmp/bin/probe
}

# as WHO CMD...: WHO is root or nobody.
as() {
	local who=$1; shift
	if [ "$who" = nobody ]; then "${NOBODY[@]}" "$@"; else "$@"; fi
}

# mkimage DIR WHO [SUBDIR...]: a --rootfs image holding only a static probe
# at /probe and the empty directories named, owned by WHO.
mkimage() {
	local dir=$1 who=$2 d; shift 2
	mkdir -p "$dir"
	cp "$PROBE" "$dir/probe"
	for d in "$@"; do mkdir -p "$dir/$d"; done
	[ "$who" = nobody ] && chown -R 65534:65534 "$dir"
	return 0
}

# tree DIR: every entry below DIR with its type and size, one a line, so
# two snapshots compare with =.
tree() { (cd "$1" && find . -printf '%p %y %s\n' | sort); }

# Mount points below the scratch directory in the host's table.
host_mounts() { grep -c " $tmp" /proc/self/mountinfo; }
