#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Inputs `make fuzz` found a crash with (tests/fuzz/crashes/NAME-*,
# committed there), replayed on the real binary, so a fixed bug stays
# fixed. nucleus-init's (init-args-*): split on NUL bytes as the harness
# splits them into variables and argv, handed to nucleus-init, which must
# end with one line of stderr at most and no crash. It runs as a workload
# inside nucleus: an input that parses could name any command. Crashes of
# the shim's pure parsers become cases of tests/unit/ instead.
. "$(dirname "$0")/lib/tap.sh"
need_root

CRASHES=$TOP/tests/fuzz/crashes
vars=(NUCLEUS_INIT_PGROUP NUCLEUS_INIT_GRACE NUCLEUS_INIT_PDEATHSIG
	NUCLEUS_INIT_VERBOSITY NUCLEUS_INIT_REMAP_EXIT)

# One line of stderr at most, and no death by a signal (>= 129 would be
# 128+N through the chain; 125 is a refusal, fine).
sane() { # DESC
	local lines
	lines=$(printf '%s' "$err" | grep -c '')
	ok "$1: exit $rc, not killed by a signal" test "$rc" -lt 129
	ok "$1: $lines line(s) on stderr" test "$lines" -le 1
}

n=0
for f in "$CRASHES"/init-args-*; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	mapfile -d '' piece <"$f"
	mask=$(printf '%d' "'${piece[0]:0:1}")
	[ -n "${piece[0]}" ] || mask=0
	env=()
	i=1
	for v in 0 1 2 3 4; do
		if ((mask >> v & 1)) && [ $i -lt ${#piece[@]} ]; then
			env+=("${vars[$v]}=${piece[$i]}")
			i=$((i + 1))
		fi
	done
	run "$NUCLEUS" --clearenv -- /usr/bin/env "${env[@]}" "$NUCLEUS_INIT" "${piece[@]:$i}"
	sane "nucleus-init, ${f##*/}"
done

[ $n -gt 0 ] || skip "no crash input in tests/fuzz/crashes" unsupported
done_testing
