#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cgroups on a hybrid host (v1 controllers, cgroup2 without them), as this
# machine is: the sandbox is in its own cgroup in every hierarchy before it
# runs, and each limit is proven by a workload that runs into it beside a
# control run that does not: memory (OOM kill, 137, oom_kill reported),
# pids (fork fails with EAGAIN), cpu quota (throttled, measurably slower),
# cpuset, blkio throttling. Bad values are 125 with nothing created;
# rootless runs without a cgroup and says so (production: 125).
# Pure cgroup v2 hosts run tests/cgroup_v2.t instead.
. "$(dirname "$0")/lib/tap.sh"
need_root
[ -d /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/pids ] ||
	skip_all "no v1 memory and pids hierarchies: tests/cgroup_v2.t covers v2 hosts" unsupported
[ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] ||
	skip_all "no cgroup2 beside the v1 hierarchies (not a hybrid host)" unsupported

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
own_mem=/sys/fs/cgroup/memory$(sed -n 's/^[0-9]*:memory://p' /proc/self/cgroup)
own_mem=${own_mem%/}
tag=cgt$$
# Milliseconds from bash itself: busybox date (the VM) has no %N.
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }

# Every nucleus cgroup directory of this test ($tag in its name).
ours() {
	ls -d /sys/fs/cgroup/{unified,pids,cpu,cpuset,blkio}/nucleus-*"$tag"* \
		"$own_mem"/nucleus-*"$tag"* 2>/dev/null
}
json() { # KEY FILE: a number (or null) of the --stats JSON
	grep -o "\"$1\":[0-9a-z]*" "$2" | head -n1 | cut -d: -f2
}
# hold NAME FLAGS...: a sandbox that sleeps, once it is running.
hold() {
	local name=$1
	shift
	: >"$tmp/ready"
	"$NUCLEUS" --name "$name" "$@" -- /bin/sh -c 'echo ready; exec sleep 60' \
		>"$tmp/ready" 2>"$tmp/hold.err" &
	hold_pid=$!
	for _ in $(seq 500); do grep -q ready "$tmp/ready" && return 0; sleep 0.01; done
	return 1
}
release() { kill -TERM "$hold_pid"; wait "$hold_pid" 2>/dev/null; }

# Placement: in a nucleus cgroup in every hierarchy, and a cgroup namespace.
ok "a sandbox that holds" hold "$tag-a" --memory 64M --memory-high 48M --cpus 1 --cpuset 0
for h in unified pids cpu cpuset; do
	d=/sys/fs/cgroup/$h/nucleus-$tag-a
	ok "$h: the sandbox is in $d" grep -q . "$d/cgroup.procs"
done
ok "memory: the sandbox is below our own memory cgroup" \
	grep -q . "$own_mem/nucleus-$tag-a/cgroup.procs"
is "$(cat "$own_mem/nucleus-$tag-a/memory.limit_in_bytes")" 67108864 "memory.limit_in_bytes"
is "$(cat "$own_mem/nucleus-$tag-a/memory.soft_limit_in_bytes")" 50331648 "--memory-high: v1's memory.soft_limit_in_bytes"
is "$(cat "$own_mem/nucleus-$tag-a/memory.memsw.limit_in_bytes" 2>/dev/null || echo 67108864)" \
	67108864 "no swap by default: memsw = memory"
is "$(cat /sys/fs/cgroup/pids/nucleus-$tag-a/pids.max)" 1024 "pids.max: the agent default 1024"
is "$(cat /sys/fs/cgroup/cpu/nucleus-$tag-a/cpu.cfs_quota_us)" 100000 "cpu.cfs_quota_us for --cpus 1"
release
is "$(ours)" "" "the cgroups are gone after the sandbox ends"

rep=$(mktemp)
run "$NUCLEUS" --memory 32M --report "$rep" -- /bin/true
like "$(python3 -c 'import json, sys; c = json.load(open(sys.argv[1]))["cgroup"]; print(c["name"], c["limits"]["memory"])' "$rep")" \
	'^nucleus-[0-9a-f]{16} 33554432$' "--report: the cgroup, its limits"
rm -f "$rep"
run "$NUCLEUS" --memory-high 64M --memory 32M -- /bin/true
is "$rc" 125 "--memory-high above --memory: 125"

run "$NUCLEUS" -- "$PROBE" cgroup
like "$out" '^0::/$' "inside, cgroup2 shows / (a cgroup namespace rooted at the sandbox)"
like "$out" ':pids:/nucleus-[0-9a-f]{16}' "inside, v1 pids shows the random nucleus-<id>"
run "$NUCLEUS" -- "$PROBE" ns cgroup
ok "a new cgroup namespace ($out)" test -n "$out" -a "$out" != "$(readlink /proc/self/ns/cgroup)"

# Memory: OOM at the limit is 137 and reported; under it, fine.
run "$NUCLEUS" --memory 32M --stats "$tmp/s.json" -- dd if=/dev/zero of=/dev/null bs=64M count=1
is "$rc" 137 "--memory 32M: a 64 MiB buffer is OOM-killed: 137"
like "$err" 'oom_kill' "stderr says oom_kill"
is "$(json oom_kills "$tmp/s.json")" 1 "stats: oom_kills 1"
run "$NUCLEUS" --memory 32M --stats "$tmp/s.json" -- dd if=/dev/zero of=/dev/null bs=8M count=1
is "$rc" 0 "control: an 8 MiB buffer under --memory 32M: 0"
is "$(json oom_kills "$tmp/s.json")" 0 "control: oom_kills 0"
ok "control: peak memory above 8 MiB ($(json memory_peak_bytes "$tmp/s.json"))" \
	test "$(json memory_peak_bytes "$tmp/s.json")" -gt 8000000

# pids: forks fail with EAGAIN beyond the limit (init and probe count).
run "$NUCLEUS" --pids 10 -- "$PROBE" forks 20
is "$out" "forked=8 EAGAIN" "--pids 10: the 9th fork fails with EAGAIN"
run "$NUCLEUS" --pids 30 -- "$PROBE" forks 20
is "$out" "forked=20" "control: --pids 30 allows 20 forks"
run "$NUCLEUS" -- "$PROBE" forks 1100
is "$out" "forked=1022 EAGAIN" "agent default: 1024 tasks"
run "$NUCLEUS" --pids 0 -- "$PROBE" forks 1100
is "$out" "forked=1100" "--pids 0: unlimited"

# cpu: a quota of 0.1 CPU throttles a 2 s spin; without it, far more runs.
run "$NUCLEUS" --cpus 0.1 --stats "$tmp/q.json" -- "$PROBE" spin 2
run "$NUCLEUS" --stats "$tmp/c.json" -- "$PROBE" spin 2
q=$(($(json cpu_user_us "$tmp/q.json") + $(json cpu_system_us "$tmp/q.json")))
c=$(($(json cpu_user_us "$tmp/c.json") + $(json cpu_system_us "$tmp/c.json")))
diag "cpu used in 2 s: --cpus 0.1: $q us, no quota: $c us"
ok "--cpus 0.1: at most 0.45 s of CPU in 2 s ($q us)" test "$q" -le 450000
ok "control: more than twice as much without a quota ($c us)" test "$c" -gt $((2 * q))
ok "throttling shows in cpu.stat ($(json cpu_throttled_us "$tmp/q.json") us)" \
	test "$(json cpu_throttled_us "$tmp/q.json")" -gt 0
ok "weight: a sandbox that holds" hold "$tag-w" --cpu-weight 50
is "$(cat /sys/fs/cgroup/cpu/nucleus-$tag-w/cpu.shares)" 512 "--cpu-weight 50: cpu.shares 512"
release

# cpuset: pinned to the set, control: every CPU.
run "$NUCLEUS" --cpuset 0 -- "$PROBE" status Cpus_allowed_list
is "$out" 0 "--cpuset 0: Cpus_allowed_list 0"
run "$NUCLEUS" -- "$PROBE" status Cpus_allowed_list
is "$out" "$(sed -n 's/^Cpus_allowed_list:\t*//p' /proc/self/status)" "control: every CPU of ours"

# blkio: O_DIRECT reads of 2 MiB at rbps=1M take about 2 s; without, fast.
io=$(mktemp -d /var/tmp/nucleus-io.XXXXXX)
head -c 2M /dev/urandom >"$io/f"
chmod -R a+rX "$io"
dev=$(stat -c '%Hd:%Ld' "$io/f")
[ -e "/sys/dev/block/$dev/partition" ] && dev=$(cat "/sys/dev/block/$dev/../dev")
if [ -e "/sys/dev/block/$dev" ]; then
	t0=$(now_ms)
	run "$NUCLEUS" --ro-bind "$io" "$io" --io-max "$dev rbps=1M" -- \
		dd if="$io/f" of=/dev/null bs=256k iflag=direct
	ms=$(($(now_ms) - t0))
	is "$rc" 0 "--io-max $dev rbps=1M: dd reads"
	ok "... throttled: 2 MiB took ${ms} ms (>= 1000)" test "$ms" -ge 1000
	t0=$(now_ms)
	run "$NUCLEUS" --ro-bind "$io" "$io" -- dd if="$io/f" of=/dev/null bs=256k iflag=direct
	ms=$(($(now_ms) - t0))
	ok "control: without --io-max it took ${ms} ms (< 1000)" test "$ms" -lt 1000
else
	skip "no block device under $io" unsupported
	skip "no block device under $io" unsupported
	skip "no block device under $io" unsupported
fi
rm -rf "$io"

# Bad values: 125, one line naming the flag, nothing created.
# (the last three pass the parser and fail once the cgroup exists)
while IFS='|' read -r flag value; do
	run "$NUCLEUS" --name "$tag-bad" "$flag" "$value" -- /bin/true
	is "$rc:$(printf '%s\n' "$err" | wc -l)" "125:1" "$flag '$value': 125, one line"
	like "$err" -- "$flag" "$flag '$value': the error names $flag"
	is "$(ours)" "" "$flag '$value': no cgroup left"
done <<EOF
--memory|12Q
--cpus|0
--cpus|-1
--pids|abc
--cgroup-parent|nonexistent-$tag
--memory-swap|1G
--cpuset|7
--io-max|4095:0 rbps=1M
EOF

# --cgroup-parent: relative to our own cgroup, in every hierarchy used.
for h in unified pids; do mkdir "/sys/fs/cgroup/$h/ntest-parent-$tag"; done
mkdir "$own_mem/ntest-parent-$tag"
run "$NUCLEUS" --cgroup-parent "ntest-parent-$tag" -- "$PROBE" cgroup
like "$out" ":pids:/ntest-parent-$tag/nucleus-" "--cgroup-parent: below the parent"
is "$(ls /sys/fs/cgroup/pids/ntest-parent-$tag "$own_mem/ntest-parent-$tag" | grep -c nucleus-)" 0 \
	"... and removed from it"
for h in unified pids; do rmdir "/sys/fs/cgroup/$h/ntest-parent-$tag"; done
rmdir "$own_mem/ntest-parent-$tag"

# One name, one sandbox.
ok "a named sandbox holds" hold "$tag-n"
run "$NUCLEUS" --name "$tag-n" -- /bin/true
is "$rc" 125 "the same --name again while it runs: 125"
like "$err" 'running' "... saying that it is running"
release
run "$NUCLEUS" --name "$tag-n" -- /bin/true
is "$rc" 0 "the name is free again once it ended"

# Rootless: no cgroup access; agent runs without limits and says so.
run "${NOBODY[@]}" "$NUCLEUS" --memory 64M -- /bin/sh -c 'echo ran'
is "$rc:$out" "0:ran" "rootless agent with --memory: runs"
like "$err" 'not enforced: --memory' "... and says --memory is not enforced"
run "${NOBODY[@]}" "$NUCLEUS" -- /bin/true
is "$rc" 0 "rootless without limits: runs"
unlike "$err" 'cgroup' "... silently (the default pids limit is not a request)"
run "${NOBODY[@]}" "$NUCLEUS" --mode production --pids 10 -- /bin/true
is "$rc" 125 "rootless production with --pids: 125"
like "$err" 'cannot enforce --pids' "... naming the flag"
run "$NUCLEUS" --mode production -- "$PROBE" forks 1100
is "$out" "forked=1100" "production: no default pids limit"
is "$(ours)" "" "no cgroup of this test left anywhere"
done_testing
