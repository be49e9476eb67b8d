#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Bootstraps everything the nucleus build needs and the host does not ship
# ready for musl: the build tools (installed with apt-get when run as root),
# an include dir build/cache/include that lets musl-gcc see the kernel's
# <linux/*.h>, <asm/*.h> and <asm-generic/*.h> without shadowing musl's own
# headers, and a static libseccomp built with musl-gcc from Debian's source
# package (files checked against the .dsc, Debian's patches applied for the
# newer syscall table) into build/cache/seccomp.
# A stamp makes a second run a no-op; SECCOMP_PREFIX=/prefix skips the build
# and uses a libseccomp installed there (Alpine's libseccomp-static: /usr).
# Nothing is written on stdout; progress goes to stderr as "deps: ...".

set -euo pipefail

# Bump when the way libseccomp is built changes, so old stamps are rebuilt.
readonly RECIPE='musl-gcc -O2 -fPIC static debian-patches r2'

exec 1>&2	# stdout stays empty: callers may capture it

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
readonly ROOT=$PWD
readonly CACHE=$ROOT/build/cache
readonly INC=$CACHE/include
readonly PREFIX=$CACHE/seccomp
readonly STAMP=$PREFIX/.stamp
readonly LOGS=$CACHE/logs

log() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: error: %s\n' "$*"; exit 1; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# run_logged NAME CMD...: run CMD with its output in $LOGS/NAME.log, and
# show the end of that log if it fails, so stderr carries only our lines.
run_logged() {
	local name=$1 rc=0
	shift
	mkdir -p "$LOGS"
	"$@" >"$LOGS/$name.log" 2>&1 || rc=$?
	if [[ $rc -ne 0 ]]; then
		tail -n 30 "$LOGS/$name.log" | sed 's/^/deps: | /'
		die "$name failed (exit $rc): $* (full log: $LOGS/$name.log)"
	fi
}

# apt-get waits for the dpkg lock instead of failing while another
# install runs (a background apt on the same machine is common here).
apt_get() {
	DEBIAN_FRONTEND=noninteractive apt-get -q \
		-o DPkg::Lock::Timeout=600 "$@"
}

APT_UPDATED=0
apt_update_once() {
	[[ $APT_UPDATED -eq 1 ]] && return 0
	log "apt-get update"
	# A broken third-party repo must not stop us: what we need is checked
	# afterwards by whoever called this.
	if ! apt_get update >"$LOGS/apt-update.log" 2>&1; then
		log "warning: apt-get update failed, see $LOGS/apt-update.log"
	fi
	APT_UPDATED=1
}

# Tool -> Debian package. The kernel headers are a file, not a command.
ensure_tools() {
	local -A pkg_of=(
		[musl-gcc]=musl-tools [gperf]=gperf [make]=make [gcc]=gcc
		[dpkg-source]=dpkg-dev [file]=file [prove]=perl
	)
	local tool missing=()
	for tool in "${!pkg_of[@]}"; do
		command -v "$tool" >/dev/null 2>&1 || missing+=("${pkg_of[$tool]}")
	done
	[[ -e /usr/include/linux/seccomp.h ]] || missing+=(linux-libc-dev)
	[[ ${#missing[@]} -eq 0 ]] && return 0

	mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
	if ! command -v apt-get >/dev/null 2>&1; then
		die "missing packages (Debian names): ${missing[*]}; install them with your package manager"
	fi
	if ! is_root; then
		printf 'deps: missing tools; run:\n'
		printf '  sudo apt-get install -y --no-install-recommends %s\n' \
			"${missing[*]}"
		exit 1
	fi
	mkdir -p "$LOGS"
	apt_update_once
	log "installing ${missing[*]}"
	run_logged apt-install apt_get install -y --no-install-recommends \
		"${missing[@]}"
}

# musl-gcc's include path holds only musl. Link in the three kernel header
# trees the code needs, and nothing else (no sys/, bits/: those are musl's).
ensure_include_dir() {
	local triplet asm
	triplet=$(gcc -print-multiarch 2>/dev/null || true)
	asm=/usr/include/$triplet/asm
	[[ -n $triplet && -d $asm ]] || asm=/usr/include/asm
	[[ -d $asm ]] || die "no kernel asm headers at /usr/include/$triplet/asm or /usr/include/asm"
	mkdir -p "$INC"
	link_dir /usr/include/linux "$INC/linux"
	link_dir /usr/include/asm-generic "$INC/asm-generic"
	link_dir "$asm" "$INC/asm"
}

link_dir() {
	local target=$1 link=$2
	[[ -d $target ]] || die "kernel headers missing: $target"
	[[ -L $link && $(readlink "$link") == "$target" ]] && return 0
	rm -rf "$link"
	ln -s "$target" "$link"
}

seccomp_check_prefix() {
	local p=$1 f
	for f in "$p/include/seccomp.h" "$p/lib/libseccomp.a"; do
		[[ -f $f ]] || die "SECCOMP_PREFIX=$p: $f not found (Alpine: apk add libseccomp-dev libseccomp-static)"
	done
	log "using libseccomp from SECCOMP_PREFIX=$p"
}

seccomp_is_fresh() {
	[[ -f $STAMP && -f $PREFIX/include/seccomp.h &&
		-f $PREFIX/lib/libseccomp.a ]] &&
		grep -qxF "recipe $RECIPE" "$STAMP"
}

# Print, on stdout, a deb-src twin of each enabled "deb" stanza of a deb822
# file (same URIs, Suites, Components, Signed-By; continuation lines kept).
deb822_to_src() {
	awk '
	function flush() {
		if (enabled != "no" && f["uris"] != "" &&
		    (" " f["types"] " ") ~ / deb /) {
			printf "%sTypes: deb-src\n", (n++ ? "\n" : "")
			printf "URIs: %s\nSuites: %s\n", f["uris"], f["suites"]
			if (f["components"] != "")
				printf "Components: %s\n", f["components"]
			if (f["signed-by"] != "")
				printf "Signed-By: %s\n", f["signed-by"]
		}
		split("", f); enabled = ""; cur = ""
	}
	/^#/ { next }
	/^[ \t]*$/ { flush(); next }
	/^[ \t]/ { if (cur != "") f[cur] = f[cur] "\n" $0; next }
	{
		i = index($0, ":"); cur = tolower(substr($0, 1, i - 1))
		v = substr($0, i + 1); sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
		f[cur] = v
		if (cur == "enabled") enabled = tolower(v)
	}
	END { flush() }
	' "$1"
}

has_deb_src() {
	grep -qsiE '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/*.sources ||
		grep -qsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list \
			/etc/apt/sources.list.d/*.list
}

src_index_ready() {
	apt-cache showsrc --only-source libseccomp 2>/dev/null | grep -q '^Package:'
}

# Make "apt-get source libseccomp" possible: a deb-src entry mirroring the
# distribution's own deb entries, in a file of ours, then an update.
ensure_deb_src() {
	src_index_ready && return 0
	local src dst
	if ! has_deb_src; then
		for src in /etc/apt/sources.list.d/debian.sources \
			/etc/apt/sources.list.d/ubuntu.sources /etc/apt/sources.list; do
			[[ -f $src ]] && break
		done
		[[ -f $src ]] || die "no Debian apt source found to derive a deb-src entry from"
		mkdir -p "$CACHE"
		if [[ $src == *.sources ]]; then
			dst=/etc/apt/sources.list.d/nucleus-src.sources
			deb822_to_src "$src" >"$CACHE/nucleus-src.tmp"
		else
			dst=/etc/apt/sources.list.d/nucleus-src.list
			sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$src" \
				>"$CACHE/nucleus-src.tmp"
		fi
		[[ -s $CACHE/nucleus-src.tmp ]] || die "no deb entry in $src to mirror as deb-src"
		if ! is_root; then
			printf 'deps: no deb-src entry for libseccomp; run:\n'
			printf '  sudo install -m 644 %s %s && sudo apt-get update\n' \
				"$CACHE/nucleus-src.tmp" "$dst"
			exit 1
		fi
		install -m 644 "$CACHE/nucleus-src.tmp" "$dst"
		rm -f "$CACHE/nucleus-src.tmp"
		log "added $dst"
	elif ! is_root; then
		printf 'deps: apt has no source index for libseccomp; run:\n'
		printf '  sudo apt-get update\n'
		exit 1
	fi
	APT_UPDATED=0	# the new entry needs its own index
	apt_update_once
	src_index_ready || die "apt-cache showsrc libseccomp finds nothing even after apt-get update (see $LOGS/apt-update.log)"
}

# dsc_sha256_rows DSC: print "sha256 size name" rows of Checksums-Sha256.
dsc_sha256_rows() {
	awk '
	/^Checksums-Sha256:/ { on = 1; next }
	on && /^[ \t]/ { print $1, $2, $3; next }
	on { exit }
	' "$1"
}

# Check every file the .dsc lists (the orig tarball first of all) against
# its Checksums-Sha256, independently of apt's own check.
verify_dsc_files() {
	local dsc=$1 sum size name got orig=0
	while read -r sum size name; do
		[[ -f $name ]] || die "$name listed in $dsc was not downloaded"
		got=$(sha256sum "$name" | cut -d' ' -f1)
		[[ $got == "$sum" ]] || die "SHA-256 MISMATCH for $name: .dsc says $sum, file is $got"
		[[ $(stat -c %s "$name") == "$size" ]] || die "size mismatch for $name: .dsc says $size"
		[[ $name == *.orig.tar.* && $name != *.asc ]] && orig=1
		log "sha256 ok: $name"
	done < <(dsc_sha256_rows "$dsc")
	[[ $orig -eq 1 ]] || die "no orig tarball listed in $dsc"
}

seccomp_build() {
	local work dsc version srcdir
	ensure_deb_src
	rm -rf "$CACHE"/tmp.src.*
	work=$(mktemp -d "$CACHE/tmp.src.XXXXXX")
	# apt downloads as the unprivileged _apt user when it can write here.
	if is_root && id _apt >/dev/null 2>&1; then
		chown _apt "$work"
	fi
	log "apt-get source --download-only libseccomp"
	(cd "$work" && run_logged apt-source apt-get -q source --download-only libseccomp)

	cd "$work"
	dsc=$(ls -- *.dsc)
	[[ $(wc -l <<<"$dsc") -eq 1 ]] || die "expected one .dsc in $work, got: $dsc"
	version=$(sed -n 's/^Version: //p' "$dsc")
	verify_dsc_files "$dsc"
	# Debian's patches are needed, not for the build but for the syscall
	# table: 2.5.4-1+deb12u1 adds the syscalls up to Linux 6.7 (fchmodat2,
	# cachestat, futex_wake, ...), which plain 2.5.4 cannot name.
	run_logged dpkg-source dpkg-source -x "$dsc" src
	srcdir=src
	[[ -f $srcdir/configure ]] || die "$dsc unpacked without a configure script"

	log "building libseccomp $version with musl-gcc"
	rm -rf "$PREFIX"
	cd "$srcdir"
	run_logged seccomp-configure env CC=musl-gcc \
		CFLAGS="-O2 -fPIC -idirafter $INC" \
		./configure --enable-static --disable-shared --prefix="$PREFIX"
	run_logged seccomp-make make -j"$(nproc)"
	run_logged seccomp-install make install
	cd "$ROOT"
	rm -rf "$work"

	seccomp_sanity_test
	printf 'version %s\nrecipe %s\n' "$version" "$RECIPE" >"$STAMP"
	log "libseccomp $version ready in $PREFIX"
}

# Prove the archive links into a static musl binary whose filter loads and
# bites: uname(2) is made to fail with EPERM.
seccomp_sanity_test() {
	local t bin desc out rc=0
	t=$(mktemp -d "$CACHE/tmp.test.XXXXXX")
	cat >"$t/t.c" <<'EOF'
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (!ctx)
		return 1;
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(uname), 0))
		return 2;
	if (seccomp_load(ctx))
		return 3;
	seccomp_release(ctx);
	if (uname(&u) != -1 || errno != EPERM)
		return 4;
	puts("ok");
	return 0;
}
EOF
	bin=$t/t
	run_logged seccomp-test-cc musl-gcc -static -O2 -idirafter "$INC" \
		-I"$PREFIX/include" -o "$bin" "$t/t.c" "$PREFIX/lib/libseccomp.a"
	out=$("$bin") || rc=$?
	[[ $rc -eq 0 && $out == ok ]] || die "sanity test: the seccomp test binary failed (exit $rc, output: $out)"
	desc=$(file -b "$bin")
	[[ $desc == *"statically linked"* ]] || die "sanity test: not a static binary: $desc"
	log "sanity test ok: libseccomp.a $(stat -c %s "$PREFIX/lib/libseccomp.a") bytes," \
		"static test binary $(stat -c %s "$bin") bytes"
	rm -rf "$t"
}

main() {
	mkdir -p "$CACHE" "$LOGS"
	# One run at a time: a parallel make may start us twice.
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$CACHE/.lock"
		flock 9
	fi
	ensure_tools
	ensure_include_dir
	if [[ -n ${SECCOMP_PREFIX:-} ]]; then
		seccomp_check_prefix "$SECCOMP_PREFIX"
	elif seccomp_is_fresh; then
		log "libseccomp $(sed -n 's/^version //p' "$STAMP") up to date"
	else
		seccomp_build
	fi
}

main "$@"
