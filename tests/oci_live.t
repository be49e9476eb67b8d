#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pause, resume, ps, events --stats and update (issue 17), each on an OCI
# container and on a named argv sandbox: a paused workload stops counting
# while a control counter beside it goes on, and counts again once resumed;
# ps names init and the workload; events' figures are the cgroup files';
# update writes the files and a workload meets the new pids limit (which
# it did not before). KILL and delete --force reach a paused container.
# Refusals are one line and 125. Last, a cgroup v1 view (a private mount
# namespace without the cgroup2 mount): no freezer, pause refused in one
# line, the rest works. The VM tier runs this file too (tests/vm/guest.list):
# there cgroup2 alone holds the controllers, and update writes v2's files.
. "$(dirname "$0")/lib/tap.sh"
need_root
NB=${NUCLEUS_BIN:-$OUT/nucleus}

tmp=$(mktemp -d)
chmod 755 "$tmp"
st=$tmp/state
n=live$$
bg=
cleanup() {
	local j
	for j in $(jobs -p); do kill -9 "$j"; done 2>/dev/null
	for j in c1 c2; do "$NB" --root "$st" delete --force $j; done 2>/dev/null
	"$NB" delete --force "$n" 2>/dev/null
	"$NB" delete --force "$n-v1" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

V2=/sys/fs/cgroup/unified
grep -q " $V2 .* - cgroup2 " /proc/self/mountinfo || V2=/sys/fs/cgroup
lines() { wc -l <"$1"; }
ended() { ! kill -0 "$1" 2>/dev/null; } # PID: gone (bash reaps its jobs)
grows() { [ "$(lines "$1")" -gt "$2" ]; } # FILE N: past N lines
# The container's own FILE of controller CTRL: v1's when it has a
# directory there, else v2's.
cgfile() { # CTRL FILE
	local p
	p=$(awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' /proc/"$init"/cgroup)
	if [ -n "$p" ] && [ "$p" != / ]; then
		cat "/sys/fs/cgroup/$1$p/$2"
	else
		cat "$V2$(sed -n 's/^0:://p' /proc/"$init"/cgroup)/$2"
	fi
}
# jget [PARENT.]KEY: a member of the one-line JSON of events on stdin, in
# its flat PARENT object (with sed: the VM has no python).
jget() {
	local k=${1##*.} p=${1%.*}
	if [ "$p" = "$1" ]; then
		sed -n "s/^{\"$k\":\"\{0,1\}\([^\",}]*\).*/\1/p;s/^{.*,\"$k\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -1
	else
		sed -n "s/.*\"${p##*.}\":{[^{}]*\"$k\":\([^,}]*\).*/\1/p"
	fi
}
# The number of members of memory.raw.
rawn() { sed -n 's/.*"raw":{\([^}]*\)}.*/\1,/p' | tr -cd , | wc -c; }
# busybox date (the VM) has no %N: the clock from bash itself.
wait_for() {
	local end=$((${EPOCHREALTIME/[.,]/} / 1000 + ${1%.*} * 1000))
	shift
	until "$@"; do
		[ $((${EPOCHREALTIME/[.,]/} / 1000)) -lt "$end" ] || return 1
		sleep 0.01
	done
}
# The memory limit as runc's types give it ("max": 2^64-1).
memlim() {
	local v
	v=$(cgfile memory memory.limit_in_bytes 2>/dev/null || cgfile memory memory.max)
	[ "$v" = max ] && v=18446744073709551615
	echo "$v"
}
# cpu.max's two fields, or v1's quota and period.
cpuq() {
	cgfile cpu cpu.max 2>/dev/null ||
		echo "$(cgfile cpu cpu.cfs_quota_us) $(cgfile cpu cpu.cfs_period_us)"
}
one_line() { # DESC: the last run failed with 125 and one line
	is "$rc:$(printf '%s\n' "$err" | wc -l)" "125:1" "$1: 125, one line: $err"
}

# A control counter on the host, beside every pause.
"$PROBE" count >"$tmp/ctl" &

# suite LABEL ID OUT EXEC...: the verbs on a running sandbox, whose
# workload counts into OUT; EXEC runs a command inside it; $L is the verb
# prefix (nucleus --root R).
suite() {
	local label=$1 id=$2 cnt=$3 c0 n1 work ev mem got want
	shift 3
	init=$("${L[@]}" state "$id" | sed -n 's/.*"pid": \([0-9]*\),.*/\1/p')
	ok "$label: its workload counts" wait_for 10 grows "$cnt" 5
	work=$(tr -d " " </proc/"$init"/task/"$init"/children) # pgrep -P: not in the VM

	run "${L[@]}" ps --format json "$id"
	like "$out" "^\[([0-9]+,)*[0-9]+\]$" "$label: ps --format json: an array of pids"
	like ",${out//[][]/}," ",$init," "  with init ($init)"
	like ",${out//[][]/}," ",$work," "  and the workload ($work)"
	run "${L[@]}" ps "$id"
	is "$(head -1 <<<"$out")" PID "$label: ps: a table of pids"
	like "$out" "^$init$" "  init's line"
	like "$out" "^$work$" "  the workload's line"

	run "${L[@]}" events --stats "$id"
	ev=$out
	is "$rc:$(jget type <<<"$ev"):$(jget id <<<"$ev")" "0:stats:$id" "$label: events --stats: one stats event"
	is "$(jget data.memory.usage.limit <<<"$ev")" "$(memlim)" \
		"  memory.usage.limit is the cgroup's limit ($(memlim))"
	mem=$(jget data.memory.usage.usage <<<"$ev")
	ok "  memory.usage.usage is a real figure ($mem)" test "$mem" -gt 0
	is "$(jget data.memory.usage.failcnt <<<"$ev")" "$(cgfile memory memory.failcnt 2>/dev/null || echo 0)" \
		"  memory.usage.failcnt is the cgroup's"
	is "$(rawn <<<"$ev")" "$(cgfile memory memory.stat | wc -l)" \
		"  memory.raw has a member for each line of memory.stat"
	like "$(jget data.memory.raw.pgfault <<<"$ev")" '^[0-9]+$' \
		"  ... of numbers: pgfault"
	is "$(jget data.pids.current <<<"$ev")" "$(cgfile pids pids.current)" "  pids.current is the cgroup's ($(cgfile pids pids.current))"
	is "$(jget data.pids.limit <<<"$ev")" "$(cgfile pids pids.max)" "  pids.limit is pids.max"
	ok "  cpu.usage.total is a real figure" test "$(jget data.cpu.usage.total <<<"$ev")" -gt 0
	ok "  cpu.usage kernel and user are numbers" test "$(jget data.cpu.usage.kernel <<<"$ev")" -ge 0 -a "$(jget data.cpu.usage.user <<<"$ev")" -ge 0

	run "${L[@]}" pause "$id"
	is "$rc$err" 0 "$label: pause"
	like "$("${L[@]}" state "$id")" '"status": "paused"' "  state says paused"
	like "$("${L[@]}" list)" "^$id +$init +paused" "  list says paused"
	is "$(cgfile - cgroup.events | sed -n 's/^frozen //p')" 1 "  cgroup.events says frozen"
	n1=$(lines "$cnt")
	c0=$(lines "$tmp/ctl")
	ok "  control: the host's counter goes on (30 lines, 300 ms)" wait_for 20 grows "$tmp/ctl" $((c0 + 30))
	is "$(lines "$cnt")" "$n1" "  meanwhile the paused workload counted nothing"
	run "${L[@]}" pause "$id"
	one_line "  pause of a paused one"
	run "${L[@]}" resume "$id"
	is "$rc$err" 0 "$label: resume"
	ok "  the workload counts again" wait_for 10 grows "$cnt" "$n1"
	like "$("${L[@]}" state "$id")" '"status": "running"' "  state says running"
	run "${L[@]}" resume "$id"
	one_line "  resume of a running one"

	run "$@" forks 10
	is "$out" forked=10 "$label: control: a workload forks 10 under its pids limit"
	run "${L[@]}" update --pids-limit 5 "$id"
	is "$rc$err" 0 "$label: update --pids-limit 5"
	is "$(cgfile pids pids.max)" 5 "  pids.max is 5"
	is "$("${L[@]}" events --stats "$id" | jget data.pids.limit)" 5 "  events --stats reads it back"
	run "$@" forks 10
	like "$out" "^forked=[0-4] EAGAIN$" "  a workload now meets it: $out"
	run "${L[@]}" update --memory 128M "$id"
	is "$rc$err" 0 "$label: update --memory 128M"
	is "$(memlim)" 134217728 "  the memory limit is 128M"
	run "${L[@]}" update --memory 128M --memory-swap 192M "$id"
	is "$rc:$(cgfile memory memory.memsw.limit_in_bytes 2>/dev/null ||
		cgfile memory memory.swap.max)" \
		"0:$(cgfile memory memory.swap.max >/dev/null 2>&1 && echo 67108864 || echo 201326592)" \
		"  --memory-swap 192M: memory plus swap (v1), or swap alone (v2)${err:+: $err}"
	is "$("${L[@]}" events --stats "$id" | jget data.memory.usage.limit)" 134217728 "  events --stats reads it back"
	run "${L[@]}" update --memory 12Q "$id"
	one_line "  update --memory 12Q"
	is "$(memlim)" 134217728 "  and the limit is as it was"
	printf '{"memory":{"limit":201326592},"pids":{"limit":-1},"cpu":{"shares":512}}' >"$tmp/r.json"
	run "${L[@]}" update -r - "$id" <"$tmp/r.json"
	is "$rc$err" 0 "$label: update -r - (LinuxResources JSON on stdin)"
	is "$(memlim):$(cgfile pids pids.max)" 201326592:max "  memory 192M, pids unlimited"
	got=$(cgfile cpu cpu.shares 2>/dev/null) && want=512 ||
		{ got=$(cgfile cpu cpu.weight) && want=20; } # runc's conversion
	is "$got" "$want" "  cpu shares 512"
	run "$@" forks 10
	is "$out" forked=10 "  and 10 forks again"
	run "${L[@]}" update --cpu-quota 20000 --cpu-period 50000 "$id"
	is "$rc$err" 0 "$label: update --cpu-quota 20000 --cpu-period 50000"
	is "$(cpuq)" "20000 50000" "  the cgroup's quota and period"
	run "${L[@]}" update --cpu-quota -1 "$id"
	like "$rc:$(cpuq)" "^0:(-1|max) 50000$" "  --cpu-quota -1: no quota, the period kept"
	for bad in "--memory" "--bogus 1" "--pids-limit x" "--format json"; do
		# shellcheck disable=SC2086
		run "${L[@]}" update $bad "$id"
		one_line "  update $bad"
	done
	run "${L[@]}" ps --format xml "$id"
	one_line "  ps --format xml"
	run "${L[@]}" events "$id"
	one_line "  events without --stats"
	run "${L[@]}" update -r - "$id" <<<'{"memory":'
	one_line "  update -r - of broken JSON"
	run "${NOBODY[@]}" "${L[@]}" pause "$id"
	one_line "  a rootless user pausing root's container"
	is "$("${L[@]}" state "$id" | grep -o '"status": "[a-z]*"')" '"status": "running"' "  which still runs"
}

# An OCI container: the probe counting, a CPU quota so that it has a cpu
# cgroup, 256M whose v1 memory+swap is 256M too (raising it needs memsw
# raised first).
b=$tmp/b
mkdir -p "$b/rootfs"
cp "$PROBE" "$b/rootfs/app"
cat >"$b/config.json" <<'JSON'
{"ociVersion":"1.0.2","process":{"args":["/app","count"],"cwd":"/","env":["PATH=/"]},
 "root":{"path":"rootfs","readonly":true},"hostname":"box",
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"}],
 "linux":{"namespaces":[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}],
  "resources":{"memory":{"limit":268435456},"pids":{"limit":64},"cpu":{"quota":50000,"period":100000}}}}
JSON
L=("$NB" --root "$st")
"${L[@]}" run c1 --detach --bundle "$b" >"$tmp/c1.out" 2>"$tmp/c1.err" </dev/null
is "$?" 0 "an OCI container runs (detached)"
suite OCI c1 "$tmp/c1.out" "${L[@]}" exec c1 /app
run "${L[@]}" update --memory 512M c1
is "$rc:$(memlim)" 0:536870912 "OCI: update --memory 512M, above its memory+swap as created${err:+: $err}"

"${L[@]}" pause c1
"${L[@]}" kill c1 KILL
is "$?" 0 "OCI: kill KILL of a paused container"
ok "  it stops" wait_for 10 sh -c '"$@" state c1 | grep -q stopped' - "${L[@]}"
run "${L[@]}" pause c1
one_line "  pause of a stopped one"
run "${L[@]}" update --pids-limit 9 c1
one_line "  update of a stopped one"
"${L[@]}" delete c1
run "${L[@]}" pause c1
one_line "  pause of an unknown ID"

"${L[@]}" run c2 --detach --bundle "$b" >"$tmp/c2.out" 2>&1 </dev/null
init=$("${L[@]}" state c2 | sed -n 's/.*"pid": \([0-9]*\),.*/\1/p')
dirs=$(sed -n 's#^[0-9]*:\([^:]*\):\(/.*nucleus-.*\)#\1\2#p' /proc/"$init"/cgroup)
"${L[@]}" pause c2
run "${L[@]}" delete --force c2
is "$rc$err" 0 "OCI: delete --force of a paused container"
ok "  its state is gone" test ! -e "$st/c2"
left() { # the cgroup directories of $dirs still there
	local d c p
	for d in $dirs; do
		c=${d%%/*} p=/${d#*/}
		[ -z "$c" ] && f=$V2$p || f=/sys/fs/cgroup/$c$p
		[ -e "$f" ] && echo "$f"
	done
}
ok "  and so are its cgroups (${dirs//$'\n'/ })" wait_for 10 eval '[ -z "$(left)" ]'

# A named argv sandbox, with --cpus so that it has a cpu cgroup.
L=("$NB" --root /run/nucleus)
"$NUCLEUS" --name "$n" --cpus 0.5 -- "$PROBE" count >"$tmp/n.out" 2>"$tmp/n.err" &
bg=$!
ok "a named sandbox runs" wait_for 10 sh -c '"$0" state "$1" 2>/dev/null | grep -q running' "$NB" "$n"
suite named "$n" "$tmp/n.out" "$NB" exec "$n" -- "$PROBE"
"$NB" pause "$n"
"$NB" kill "$n" KILL
wait_for 20 ended "$bg" && wait "$bg"
is "$?" 137 "named: kill KILL of a paused sandbox: its nucleus exits 137"
bg=

# cgroup v1 only: a mount namespace whose cgroupfs has no cgroup2 (the
# global hierarchies untouched). The sandbox gets v1 cgroups but no
# freezer (nucleus makes none in v1), so pause is refused in one line and
# the sandbox runs on; update works on its v1 directories.
if [ "$V2" = /sys/fs/cgroup/unified ]; then
	unshare -m --propagation private sh -c 'umount -l /sys/fs/cgroup/unified && exec sleep 600' &
	h=$!
	wait_for 10 sh -c '! grep -q " cgroup2 " /proc/$0/mountinfo' "$h"
	V1=(nsenter -t "$h" -m)
	"${V1[@]}" "$NUCLEUS" --name "$n-v1" -- "$PROBE" count >"$tmp/v1.out" 2>"$tmp/v1.err" &
	bg=$!
	ok "v1: a named sandbox runs" wait_for 10 sh -c '"$0" state "$1" 2>/dev/null | grep -q running' "$NB" "$n-v1"
	init=$("$NB" state "$n-v1" | sed -n 's/.*"pid": \([0-9]*\),.*/\1/p')
	is "$(sed -n 's/^0:://p' /proc/"$init"/cgroup)" / "v1: the sandbox has no cgroup2 directory"
	wait_for 10 grows "$tmp/v1.out" 5
	run "${V1[@]}" "$NB" pause "$n-v1"
	one_line "v1: pause (no freezer)"
	like "$err" "cgroup.freeze" "  naming the freezer it lacks"
	n1=$(lines "$tmp/v1.out")
	ok "  the sandbox runs on" wait_for 10 grows "$tmp/v1.out" "$n1"
	is "$("$NB" state "$n-v1" | grep -o '"status": "[a-z]*"')" '"status": "running"' "  and its state says running"
	run "${V1[@]}" "$NB" update --pids-limit 7 "$n-v1"
	is "$rc:$(cat /sys/fs/cgroup/pids"$(sed -n 's/^[0-9]*:pids://p' /proc/"$init"/cgroup)"/pids.max)" 0:7 \
		"v1: update --pids-limit"
	"$NB" kill "$n-v1" TERM
	wait_for 20 ended "$bg" && wait "$bg"
	is "$?" 143 "v1: kill TERM: its nucleus exits 143"
	bg=
	kill "$h"
else
	skip "no cgroup2 at /sys/fs/cgroup/unified: this host's own view is v1 or v2 only" unsupported
fi
done_testing
