#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# build/deps.sh never edits the system's apt configuration: libseccomp's
# source package comes through a private apt configuration under its cache
# (its own deb-src list, lists and cache directories), still checked against
# the .dsc. The code path is checked offline; a fetch into a fresh cache, as
# root and as nobody, runs when Debian's mirror answers.
. "$(dirname "$0")/lib/tap.sh"

D=$TOP/build/deps.sh
# Every line of deps.sh that names /etc only reads it.
writes=$(grep -nE '/etc/' "$D" | grep -vE '^[0-9]+:[[:space:]]*#' |
	grep -E '(>|\binstall\b|\btee\b|\bcp\b|\bmv\b|\bln\b|\brm\b|\bsed -i\b)' || true)
is "$writes" "" "deps.sh has no command that writes under /etc"
for o in Dir::Etc::SourceList Dir::Etc::SourceParts Dir::State::Lists Dir::Cache; do
	like "$(grep -F "$o=" "$D")" '"\$APTDIR/' "apt's $o points under the private \$APTDIR"
done
like "$(grep -nE 'apt_src (update|source)' "$D" | wc -l)" '^2$' \
	"both apt-get update and apt-get source run with the private configuration"
like "$(grep -c 'verify_dsc_files "\$dsc"' "$D")" '^[1-9]' "the .dsc checksum check stays on the fetch path"

# The cached build does not fetch at all.
run "$D"
is "$rc" 0 "deps.sh with a built cache: exit 0"
unlike "$err" 'apt-get' "...and no apt-get ran (cached)"

if ! timeout 10 bash -c '</dev/tcp/deb.debian.org/80' 2>/dev/null; then
	skip "deb.debian.org unreachable: the network fetch is not tested"
	done_testing
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
touch "$tmp/stamp"
mkdir -m 755 "$tmp/root"
run env NUCLEUS_DEPS_CACHE="$tmp/root" "$D" --fetch-only
is "$rc" 0 "--fetch-only into a fresh cache, as root: exit 0"
like "$err" 'sha256 ok: libseccomp_[^ ]*\.orig\.tar' "...the orig tarball checked against the .dsc"
ok "...the .dsc and the orig tarball are in the cache" \
	eval "ls '$tmp/root/src/'*.dsc '$tmp/root/src/'*.orig.tar.* >/dev/null"
like "$(cat "$tmp/root/apt/sources.list" "$tmp/root/apt/sources.list.d/"* 2>/dev/null)" \
	'deb-src' "...from the private deb-src list"
changed=$(find /etc/apt /var/lib/apt/lists -newer "$tmp/stamp" 2>/dev/null | head -5)
is "$changed" "" "...and nothing under /etc/apt or /var/lib/apt/lists changed"
# Without root it cannot write /etc at all, and needs not.
mkdir -m 777 "$tmp/nobody"
run "${NOBODY[@]}" env NUCLEUS_DEPS_CACHE="$tmp/nobody" "$D" --fetch-only
is "$rc" 0 "--fetch-only as nobody: the private configuration needs no root"
ok "...the source is there" eval "ls '$tmp/nobody/src/'*.dsc >/dev/null"
done_testing
