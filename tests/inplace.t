#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# In place (nucleus as PID 1 of a shared pid namespace, `--share pid`) no
# monitor stays outside. Every flag whose option row says it needs the
# monitor (marked [M] in --help, from the same attribute the check reads)
# is refused in production with 125 naming it, and in agent mode dropped
# with one warning naming it: never ignored in silence. The list comes from
# --help, so a flag marked later is tested without editing this file; a
# marked flag with no sample value below fails here.
. "$(dirname "$0")/lib/tap.sh"
need_root

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A valid value for each flag, words split at '|'; a flag that needs
# another comes with it.
declare -A sample=(
	[name]="--name|inplace-t"
	[cgroup-parent]="--cgroup-parent|inplace-t"
	[memory]="--memory|64M"
	[memory-high]="--memory-high|1G"
	[memory-swap]="--memory|64M|--memory-swap|0"
	[cpus]="--cpus|0.5"
	[cpu-weight]="--cpu-weight|50"
	[pids]="--pids|10"
	[cpuset]="--cpuset|0"
	[io-max]="--io-max|8:0 rbps=1M"
	[stats]="--stats|$tmp/stats"
	[audit]="--audit|$tmp/audit"
	[sd-notify]="--sd-notify"
	[egress-allow]="--egress-allow|10.0.0.0/8"
)

run "$NUCLEUS_BIN" --help
# Each help line has its own flag first; a help text may name others.
marked=$(printf '%s\n' "$out" | grep -E ' \[M\]$' |
	sed -E 's/^ +(-[a-zA-Z], )?--([a-z-]+).*/\2/' | sort -u)
ok "--help marks the flags that need the monitor ($(echo $marked))" \
	test -n "$marked"
for f in memory memory-high pids stats audit sd-notify; do
	like " $(echo $marked) " " $f " "--$f is among them"
done

inplace() { unshare -pf --mount-proc "$NUCLEUS" --share pid "$@"; }
# The flag a hand-kept list forgot: production ran it with no limit.
run inplace --mode production --memory-high 1G -- /bin/true
is "$rc" 125 "in place, production, --memory-high: refused (125)"
for f in $marked; do
	IFS='|' read -r -a s <<<"${sample[$f]:-}"
	ok "--$f: this test has a sample value for it" test "${#s[@]}" -gt 0
	[ "${#s[@]}" -gt 0 ] || continue
	run inplace --mode production "${s[@]}" -- /bin/true
	is "$rc" 125 "in place, production, ${s[*]}: refused (125)"
	like "$err" -- "--$f([^a-z-]|\$)" "... naming --$f"
	run inplace "${s[@]}" -- /bin/true
	if [ "$rc" = 125 ]; then
		# Refused outright in both modes (--egress-allow: no step
		# would load its rules), which is still not silent.
		like "$err" -- "--$f.*monitor" "in place, agent, ${s[*]}: refused, naming --$f and the monitor"
	else
		is "$rc" 0 "in place, agent, ${s[*]}: runs"
		is "$(grep -c -- "--$f is not applied" <<<"$err")" 1 \
			"... with one warning that --$f is dropped"
	fi
done

# Dropping --sd-notify drops its bind and NOTIFY_SOCKET too: nothing that
# leads to a relay no monitor made.
run env NOTIFY_SOCKET=/nowhere unshare -pf --mount-proc "$NUCLEUS" \
	--share pid --sd-notify -- /bin/sh -c 'echo "[$NOTIFY_SOCKET]"; test -e /run/notify'
is "$rc:$out" "1:[]" "in place, agent, --sd-notify: no NOTIFY_SOCKET, no /run/notify"
# Control: the same flags with a monitor (not PID 1) are applied, no warning.
run "$NUCLEUS" --share pid --memory-high 1G --stats "$tmp/s2" -- /bin/true
is "$rc:$err" "0:" "control: not PID 1, the monitor applies --memory-high and --stats"
ok "... and writes the stats" test -s "$tmp/s2"
done_testing
