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
# The source package is fetched with a private apt configuration under
# build/cache/apt (its own deb-src list, derived from the system's deb
# entries, and its own lists and cache directories): nothing under /etc or
# /var/lib/apt is written, and it works without root.
# A stamp makes a second run a no-op; SECCOMP_PREFIX=/prefix skips the build
# and uses a libseccomp installed there (Alpine's libseccomp-static: /usr).
# --fetch-only fetches and checks the source into $NUCLEUS_DEPS_CACHE/src
# (default build/cache) and stops: what tests/deps.t runs.
# Nothing is written on stdout; progress goes to stderr as "deps: ...".

set -euo pipefail

# Bump when the way libseccomp is built changes, so old stamps are rebuilt.
readonly RECIPE='musl-gcc -O2 -fPIC static debian-patches r2'

exec 1>&2	# stdout stays empty: callers may capture it

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
readonly ROOT=$PWD
readonly CACHE=${NUCLEUS_DEPS_CACHE:-$ROOT/build/cache}
readonly APTDIR=$CACHE/apt
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
		[dpkg-source]=dpkg-dev [file]=file [prove]=perl [ld.lld]=lld
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

# apt with a configuration of its own: our deb-src list only, our lists
# and cache; the system's apt.conf (a proxy) still applies. Read-only use
# of /etc/apt (the system's sources, keyrings).
readonly APT_PRIVATE=(-o Dir::Etc::SourceList="$APTDIR/sources.list"
	-o Dir::Etc::SourceParts="$APTDIR/sources.list.d"
	-o Dir::State::Lists="$APTDIR/lists" -o Dir::Cache="$APTDIR/cache")
apt_src() { apt_get "${APT_PRIVATE[@]}" "$@"; }

src_index_ready() {
	apt-cache "${APT_PRIVATE[@]}" showsrc --only-source libseccomp 2>/dev/null |
		grep -q '^Package:'
}

# The private source list: a deb-src twin of the distribution's own deb
# entries (Debian's or Ubuntu's, deb822 or one-line), written under
# $APTDIR only.
write_src_list() {
	local src
	for src in /etc/apt/sources.list.d/debian.sources \
		/etc/apt/sources.list.d/ubuntu.sources /etc/apt/sources.list; do
		[[ -f $src ]] && break
	done
	[[ -f $src ]] || die "no Debian apt source found to derive a deb-src entry from"
	mkdir -p "$APTDIR/sources.list.d"
	: >"$APTDIR/sources.list"
	rm -f "$APTDIR"/sources.list.d/*
	if [[ $src == *.sources ]]; then
		deb822_to_src "$src" >"$APTDIR/sources.list.d/nucleus-src.sources"
	else
		sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$src" \
			>"$APTDIR/sources.list"
	fi
	cat "$APTDIR/sources.list" "$APTDIR"/sources.list.d/* | grep -q . ||
		die "no deb entry in $src to mirror as deb-src"
}

# Make "apt-get source libseccomp" possible with the private configuration:
# its list, then an update of its own index (only the source index).
ensure_deb_src() {
	write_src_list
	src_index_ready && return 0
	mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial"
	# apt downloads as the unprivileged _apt user when run as root.
	if is_root && id _apt >/dev/null 2>&1; then
		chown _apt "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial"
	fi
	log "apt-get update (private: $APTDIR)"
	run_logged apt-src-update apt_src update
	src_index_ready || die "apt-cache showsrc libseccomp finds nothing in $APTDIR (see $LOGS/apt-src-update.log)"
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

# seccomp_fetch DIR: the source package, downloaded into DIR (made anew)
# and checked against its .dsc, whose name it leaves in $DSC (stdout is
# stderr here: log lines would mix into a captured name).
DSC=
seccomp_fetch() {
	local work=$1 dsc
	ensure_deb_src
	rm -rf "$work"
	mkdir -p "$work"
	# apt downloads as the unprivileged _apt user when it can write here.
	if is_root && id _apt >/dev/null 2>&1; then
		chown _apt "$work"
	fi
	log "apt-get source --download-only libseccomp"
	(cd "$work" && run_logged apt-source apt_src source --download-only libseccomp)
	dsc=$(cd "$work" && ls -- *.dsc)
	[[ $(wc -l <<<"$dsc") -eq 1 ]] || die "expected one .dsc in $work, got: $dsc"
	(cd "$work" && verify_dsc_files "$dsc")
	DSC=$dsc
}

seccomp_build() {
	local work dsc version srcdir
	rm -rf "$CACHE"/tmp.src.*
	work=$(mktemp -d "$CACHE/tmp.src.XXXXXX")
	seccomp_fetch "$work"
	dsc=$DSC

	cd "$work"
	version=$(sed -n 's/^Version: //p' "$dsc")
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
	if [[ ${1:-} == --fetch-only ]]; then
		seccomp_fetch "$CACHE/src"
		log "libseccomp source fetched and checked in $CACHE/src"
		return 0
	fi
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
