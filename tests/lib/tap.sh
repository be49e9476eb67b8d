# SPDX-License-Identifier: MIT
# A small TAP producer for the shell tests, run by prove. Sourced by every
# tests/*.t; gives plan/ok/is/like, a `run` that captures stdout, stderr and
# the exit code of one command, and skips that turn into failures when
# NUCLEUS_MUST_WORK=1 (CI) so nothing this machine supports is silently skipped.

set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${NUCLEUS_OUT:-$TOP/build/out}
# The binary itself, and the wrapper tests use: it binds the source tree
# read-only into the sandbox so $PROBE and test helpers are reachable.
NUCLEUS_BIN=$OUT/nucleus
NUCLEUS=$TOP/tests/lib/nucleus
NUCLEUS_INIT=$OUT/nucleus-init
PROBE=$OUT/probe
export TOP OUT NUCLEUS NUCLEUS_BIN NUCLEUS_INIT PROBE
# An unprivileged identity for the rootless tests.
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --)

_tap_n=0
_tap_fail=0
_tap_planned=

plan() { _tap_planned=$1; echo "1..$1"; }
done_testing() {
	[ -n "$_tap_planned" ] || echo "1..$_tap_n"
	[ "$_tap_fail" -eq 0 ]
	exit $?
}
skip_all() {
	if [ "${NUCLEUS_MUST_WORK:-0}" = 1 ] && [ "${2:-}" != unsupported ]; then
		echo "1..1"
		echo "not ok 1 - skipped, but NUCLEUS_MUST_WORK=1: $1"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}
diag() { printf '# %s\n' "$@" >&2; }
_tap_result() { # STATUS DESC
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n - $2"
	else
		_tap_fail=$((_tap_fail + 1))
		echo "not ok $_tap_n - $2"
	fi
}
ok() { # DESC CMD... : passes when CMD succeeds
	local d=$1; shift
	if "$@"; then _tap_result 0 "$d"; else _tap_result 1 "$d"; fi
}
nok() { # DESC CMD... : passes when CMD fails
	local d=$1; shift
	if "$@"; then _tap_result 1 "$d"; else _tap_result 0 "$d"; fi
}
is() { # GOT WANT DESC
	if [ "$1" = "$2" ]; then _tap_result 0 "$3"; else
		_tap_result 1 "$3"
		diag "got:  '$1'" "want: '$2'"
	fi
}
# like GOT [--] ERE DESC: the optional -- lets ERE start with a dash.
like() {
	local got=$1
	shift
	[ "$1" = -- ] && shift
	if printf '%s' "$got" | grep -Eq -- "$1"; then _tap_result 0 "$2"; else
		_tap_result 1 "$2"
		diag "got:  '$got'" "want match: /$1/"
	fi
}
unlike() { # GOT [--] ERE DESC
	local got=$1
	shift
	[ "$1" = -- ] && shift
	if printf '%s' "$got" | grep -Eq -- "$1"; then
		_tap_result 1 "$2"
		diag "got:  '$got'" "must not match: /$1/"
	else _tap_result 0 "$2"; fi
}
skip() { # REASON [unsupported]: one skipped test
	if [ "${NUCLEUS_MUST_WORK:-0}" = 1 ] && [ "${2:-}" != unsupported ]; then
		_tap_result 1 "skipped, but NUCLEUS_MUST_WORK=1: $1"
	else
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n # SKIP $1"
	fi
}
# run CMD...: sets $out, $err and $rc; never aborts the test.
run() {
	local ef
	ef=$(mktemp)
	out=$("$@" 2>"$ef")
	rc=$?
	err=$(cat "$ef")
	rm -f "$ef"
}
# wait_for SECONDS CMD...: polls CMD every 10 ms until it succeeds (0) or
# SECONDS pass (1). Tests wait on conditions like this, never on a fixed
# sleep, so a loaded machine only makes them slower.
wait_for() {
	local end=$(($(date +%s%N) + ${1%.*} * 1000000000))
	shift
	until "$@"; do
		[ "$(date +%s%N)" -lt "$end" ] || return 1
		sleep 0.01
	done
}
need_root() { [ "$(id -u)" = 0 ] || skip_all "needs root"; }
# tcp_listener: a one-client TCP listener on the host's loopback (the
# probe, in the background), its output in $tmp/l.out; sets $port once it
# listens (1 after 5 s without).
tcp_listener() {
	: >"$tmp/l.err"
	"$PROBE" listen-tcp 127.0.0.1 0 10 >"$tmp/l.out" 2>"$tmp/l.err" &
	for _ in $(seq 250); do
		port=$(grep -oE '[0-9]+$' "$tmp/l.err") && return 0
		sleep 0.02
	done
	return 1
}
# SUBIDS=(subids_env LINES...): a command prefix under which /etc/subuid
# and /etc/subgid hold LINES (a private mount namespace); an array, so that
# $! of "${SUBIDS[@]}" CMD & is CMD itself.
subids_env() {
	printf '%s\n' "$@" >"$tmp/subids"
	SUBIDS=(unshare -m sh -c 'mount --bind "$0" /etc/subuid && mount --bind "$0" /etc/subgid && exec "$@"' "$tmp/subids")
}
[ -x "$NUCLEUS_BIN" ] || { echo "1..0 # SKIP build first: $NUCLEUS_BIN missing"; exit 1; }
