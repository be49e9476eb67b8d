#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# No ceiling of ours (issue 19): thousands of --ro-bind and --setenv work,
# as far as the kernel's ARG_MAX lets argv grow, and startup grows linearly
# with their count (bubblewrap's is quadratic: 621 ms at 1000 binds). The
# time is nucleus's own --timings mark at exec; only a ratio is asserted.
. "$(dirname "$0")/lib/tap.sh"
need_root

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 1 5000); do : >"$tmp/f$i"; done

# binds N: argv words of N --ro-bind of distinct host files under /x.
binds() {
	local i
	for i in $(seq 1 "$1"); do printf -- '--ro-bind\0%s\0/x/f%s\0' "$tmp/f$i" "$i"; done
}

for n in 1000 5000; do
	mapfile -d '' args < <(binds $n)
	run "$NUCLEUS" "${args[@]}" -- /bin/sh -c \
		"test -f /x/f1 && test -f /x/f$n && ls /x | wc -l"
	is "$rc:$out" "0:$n" "$n --ro-bind of distinct files: all are there"
done

mapfile -d '' args < <(for i in $(seq 1 5000); do printf -- '--setenv\0V%s\0v%s\0' "$i" "$i"; done)
run "$NUCLEUS" "${args[@]}" -- /bin/sh -c 'env | grep -c "^V[0-9]*=v"; echo "$V1:$V5000"'
is "$rc:${out//$'\n'/ }" "0:5000 v1:v5000" "5000 --setenv: all set, in order"

# startup N: the fastest of 3 runs, in us from start to exec of the command.
startup() {
	local best= t
	mapfile -d '' args < <(binds "$1")
	for _ in 1 2 3; do
		t=$("$NUCLEUS" --timings "${args[@]}" -- /bin/true 2>&1 |
			sed -n 's/.*timing: exec .*(at \([0-9]*\) us).*/\1/p')
		[ -n "$t" ] || return 1
		[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
	done
	echo "$best"
}
for n in 10 100 1000 5000; do t[$n]=$(startup $n); done
diag "startup to exec: 10: ${t[10]} us, 100: ${t[100]} us, 1000: ${t[1000]} us, 5000: ${t[5000]} us"
ok "startup measured at 10/100/1000/5000 binds" test -n "${t[10]}" -a -n "${t[5000]}"
# Linear: 5x the binds cost about 5x; quadratic would be 25x. The slack
# absorbs a fixed cost and a loaded machine.
ok "linear: t(5000) < 10 t(1000) + 20 ms (${t[5000]} vs ${t[1000]} us)" \
	test "${t[5000]:-0}" -lt $((10 * ${t[1000]:-0} + 20000))
ok "linear: t(1000) < 10 t(100) + 20 ms (${t[1000]} vs ${t[100]} us)" \
	test "${t[1000]:-0}" -lt $((10 * ${t[100]:-0} + 20000))
done_testing
