# SPDX-License-Identifier: MIT
# Sourced by the guest's test files (tests/vm/guest/*.sh, run with bash in
# the VM by rc.sh): the host's TAP helpers of tests/lib/tap.sh, plus TODO.
# While $TODO is set, a failing test prints "not ok N - ... # TODO $TODO"
# and does not count as a failure: a test of a known, reported bug stays in
# the suite and says "TODO passed" once the bug is fixed.
. "$(dirname "${BASH_SOURCE[0]}")/../../lib/tap.sh"
TODO=

_tap_result() { # STATUS DESC
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n - $2${TODO:+ # TODO $TODO}"
	elif [ -n "$TODO" ]; then
		echo "not ok $_tap_n - $2 # TODO $TODO"
	else
		_tap_fail=$((_tap_fail + 1))
		echo "not ok $_tap_n - $2"
	fi
}

# True when nucleus --help lists the flag (features that are still landing).
has_flag() { "$NUCLEUS_BIN" --help 2>/dev/null | grep -q -- "--$1\b"; }

# Sets TODO when nucleus cannot run at all on this kernel for a known,
# reported reason: on Linux 6.1 the shim's first mount into a tree it has
# not attached yet (its new /dev) is EINVAL; newer kernels accept it.
todo_if_known_broken() {
	run "$NUCLEUS" -- /bin/true
	[ "$rc" = 0 ] && return 0
	diag "nucleus -- /bin/true: exit $rc: $err"
	case $err in
	*mount*"Invalid argument"*)
		TODO="nucleus on Linux $(uname -r): $err" ;;
	esac
}
