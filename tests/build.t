#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The build's promises: both binaries fully static (no INTERP, no NEEDED),
# within their stripped size budgets, and --help/--version work before any
# privileged step.
. "$(dirname "$0")/lib/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for b in nucleus nucleus-init probe; do
	like "$(file -L "$OUT/$b")" 'statically linked' "$b: file says statically linked"
	nok "$b: no INTERP segment" eval "readelf -lW '$OUT/$b' | grep -q INTERP"
	nok "$b: no NEEDED entry" eval "readelf -dW '$OUT/$b' | grep -q NEEDED"
done

budget() { # NAME BYTES
	strip -o "$tmp/$1" "$OUT/$1"
	local size
	size=$(stat -c %s "$tmp/$1")
	diag "$1 stripped: $size bytes (budget $2)"
	ok "$1 stripped is $size <= $2 bytes" test "$size" -le "$2"
}
budget nucleus-init 32768
budget nucleus 262144

run "$NUCLEUS" --version
is "$rc" 0 "--version exits 0"
like "$out" '^nucleus [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the version"
run "${NOBODY[@]}" "$NUCLEUS" --help
is "$rc" 0 "--help exits 0, even unprivileged"
like "$out" '^usage: nucleus' "--help prints usage on stdout"
is "$err" "" "--help writes nothing on stderr"

# Every flag of --help is in the man page, and the other way round.
help_flags=$(printf '%s\n' "$out" | grep -oE -- '--[a-z][a-z-]+' | sort -u)
# The OCI verbs' own options (section OCI RUNTIME) are not argv flags.
man_flags=$(awk '/^\.SH/ { oci = /OCI RUNTIME/ } !oci' "$TOP/shim/nucleus.1" |
	grep -oE -- '\\-\\-[a-z][a-z\\-]+' |
	sed 's/\\//g' | sort -u)
is "$help_flags" "$man_flags" "nucleus.1 documents exactly the flags of --help"

# make install: stripped static binaries and the man pages under DESTDIR.
run make -s -C "$TOP" install DESTDIR="$tmp/dest" PREFIX=/usr
is "$rc" 0 "make install DESTDIR=... PREFIX=/usr"
for b in nucleus nucleus-init; do
	like "$(file -L "$tmp/dest/usr/bin/$b")" 'statically linked.*, stripped' "installed $b is static and stripped"
done
ok "man pages installed" test -f "$tmp/dest/usr/share/man/man1/nucleus.1" -a -f "$tmp/dest/usr/share/man/man8/nucleus-init.8"
run "$tmp/dest/usr/bin/nucleus" --ro-bind "$TOP" "$TOP" -- "$PROBE" getpid
is "$out" 2 "the installed nucleus finds its nucleus-init beside it"
done_testing
