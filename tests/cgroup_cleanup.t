#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The cgroup never outlives its sandbox: 200 sandboxes that end every way
# there is (exit, killed by a signal, OOM, --timeout, a signal to nucleus,
# a setup failure after the cgroup exists, a limit the kernel refuses)
# leave no nucleus cgroup in any hierarchy. SIGKILL of nucleus itself: the
# sandbox dies with it, and the next nucleus run removes what it left.
. "$(dirname "$0")/lib/tap.sh"
need_root

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'kill $(jobs -p) 2>/dev/null; for d in "${kdirs[@]}"; do rmdir "$d" 2>/dev/null; done; rm -rf "$tmp"' EXIT
tag=cln$$
# Milliseconds from bash itself: busybox date (the VM) has no %N.
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
dirs=(/sys/fs/cgroup/*/ "$(sed -n 's#^[0-9]*:memory:#/sys/fs/cgroup/memory#p' /proc/self/cgroup)/")
[ -d /sys/fs/cgroup/unified ] || dirs=(/sys/fs/cgroup/)
ours() { # nucleus cgroups named after $1, in every hierarchy
	local d
	for d in "${dirs[@]}"; do ls -d "$d"nucleus-"$1"* 2>/dev/null; done
}
# start NAME CMD...: a sandbox in the background, once its workload runs.
START_FLAGS=()
start() {
	local name=$1
	shift
	: >"$tmp/ready"
	"$NUCLEUS" "${START_FLAGS[@]}" --name "$name" -- /bin/sh -c 'echo ready; exec "$@"' sh "$@" \
		>"$tmp/ready" 2>/dev/null &
	bg=$!
	wait_for 30 grep -q ready "$tmp/ready"
}

bad=
for i in $(seq 0 199); do
	n=$tag-$i
	case $((i % 8)) in
	0) want=3 && "$NUCLEUS" --name "$n" -- /bin/sh -c 'exit 3' ;;
	1) want=137 && "$NUCLEUS" --name "$n" -- /bin/sh -c 'kill -KILL $$' ;;
	2) want=124 && "$NUCLEUS" --name "$n" --timeout 0.05 --kill-after 0 -- sleep 5 ;;
	3) want=125 && "$NUCLEUS" --name "$n" --chdir /nonexistent -- /bin/true ;;
	4) want=125 && "$NUCLEUS" --name "$n" --cpuset 4095 -- /bin/true ;;
	5) want=137 && "$NUCLEUS" --name "$n" --memory 16M -- dd if=/dev/zero of=/dev/null bs=32M count=1 ;;
	6) want=143 && start "$n" sleep 30 && kill -TERM $bg && wait $bg ;;
	7) want=0 && "$NUCLEUS" --name "$n" --pids 5 --cpus 0.5 -- /bin/true ;;
	esac 2>/dev/null
	r=$?
	[ "$r" = "$want" ] || bad="$bad $i:$r!=$want"
done
is "$bad" "" "200 sandboxes ended with the codes expected"
is "$(ours "$tag-")" "" "... and none left a cgroup in any hierarchy"

for i in 1 2 3 4 5; do
	"$NUCLEUS" --stats "$tmp/s$i.json" -- /bin/true
done
names=$(grep -ho '"name":"nucleus-[0-9a-f]*"' "$tmp"/s*.json | cut -d'"' -f4 | sort -u)
is "$(printf '%s\n' "$names" | wc -l)" 5 "five runs, five random cgroup names"
left=
for n in $names; do left="$left$(ours "${n#nucleus-}")"; done
is "$left" "" "... all removed"

# --timeout with a workload whose children ignore TERM: KILL reaches them
# all, and nucleus is done within 200 ms of timeout + grace, counted from
# the audit log's exec record (setup time excluded: slow under TCG).
ms_of() { # HH:MM:SS.mmm -> ms
	local h=${1%%:*} m=${1#*:} s=${1##*:}
	m=${m%%:*}
	echo $(((10#$h * 3600 + 10#$m * 60) * 1000 + 10#${s%.*} * 1000 + 10#${s#*.}))
}
"$NUCLEUS" --name "$tag-t" --timeout 0.2 --kill-after 0.3 --audit fd:3 -- \
	/bin/sh -c 'trap "" TERM; sleep 30 & sleep 30 & wait' 2>/dev/null 3>"$tmp/t.log"
r=$?
times=$(sed -n 's/.*"time":"[^T]*T\([0-9:.]*\)Z","event":"\(exec\|exit\)".*/\1/p' "$tmp/t.log")
ms=$(($(ms_of "${times#*$'\n'}") - $(ms_of "${times%%$'\n'*}")))
is "$r" 124 "timeout, TERM ignored: 124"
ok "done ${ms} ms after exec: within 200 ms of timeout + grace (500 ms)" \
	test "$ms" -ge 500 -a "$ms" -le 700
is "$(ours "$tag-t")" "" "... and its cgroup is gone"

# SIGKILL of nucleus: the sandbox dies with it (init has PDEATHSIG), the
# directories stay, empty, until the next nucleus run removes them. Below
# a parent of this test's own: any nucleus run below the same parent (a
# second test suite beside this one) reaps them, and must not here.
KP=cln-$$
kdirs=()
while IFS=: read -r _ ctrl path; do # below our own cgroup, in each hierarchy
	case $ctrl in
	"") d=/sys/fs/cgroup; [ -d $d/unified ] && d=$d/unified ;;
	name=*) continue ;;
	*) d=/sys/fs/cgroup/${ctrl%%,*} ;;
	esac
	[ -d "$d" ] && mkdir -p "$d${path%/}/$KP" && kdirs+=("$d${path%/}/$KP/")
done </proc/self/cgroup
ours_k() { local d; for d in "${kdirs[@]}"; do ls -d "$d"nucleus-"$1"* 2>/dev/null; done; }
START_FLAGS=(--cgroup-parent "$KP")
ok "a sandbox runs" start "$tag-k" sleep 60
START_FLAGS=()
w=$(cat "$(ours_k "$tag-k" | head -n1)/cgroup.procs" 2>/dev/null | tail -n1)
ok "its workload is pid $w on the host" test -n "$w"
{ kill -KILL $bg && wait $bg; } 2>/dev/null
for _ in $(seq 500); do [ -d "/proc/$w" ] || break; sleep 0.01; done
ok "the workload died with nucleus" test ! -d "/proc/$w"
ok "its cgroups stay behind: $(ours_k "$tag-k" | wc -l) directories" test -n "$(ours_k "$tag-k")"
"$NUCLEUS" --cgroup-parent "$KP" -- /bin/true
is "$(ours_k "$tag-k")" "" "the next nucleus run below the same parent removed them"
# Its --name entry is stale (the monitor is gone): state says so, delete
# removes it.
like "$("$NUCLEUS_BIN" state "$tag-k" 2>&1)" '"status": "stopped"' "its --name entry reads stopped"
"$NUCLEUS_BIN" delete "$tag-k"
ok "  and delete removes it" test ! -e "/run/nucleus/$tag-k"

# A setup failure once init runs: --report to a FIFO nobody reads fails
# (ENXIO) after the exec, and init, KILLed, must be reaped before the
# cgroup is drained: a zombie keeps a v2 cgroup populated, and the drain
# gave up on it with a second line, "processes survived SIGKILL".
mkfifo "$tmp/fifo"
bad=
for i in $(seq 20); do
	timeout -s KILL 60 "$NUCLEUS" --name "$tag-f$i" --report "$tmp/fifo" -- \
		/bin/sleep 0.01 >/dev/null 2>"$tmp/ferr"
	r=$?
	[ "$r" = 125 ] && [ "$(cat "$tmp/ferr")" = "nucleus: report: --report: No such device or address" ] ||
		bad="$bad $i:$r:$(tr '\n' '|' <"$tmp/ferr")"
done
is "$bad" "" "--report FIFO, no reader: 20 runs, 125 and one line each"
is "$(ours "$tag-f")" "" "... and none left a cgroup in any hierarchy"

ok "a named sandbox runs" start "$tag-r" sleep 60
{ kill -KILL $bg && wait $bg; } 2>/dev/null
for _ in $(seq 500); do grep -q 'populated 0' "/sys/fs/cgroup/unified/nucleus-$tag-r/cgroup.events" 2>/dev/null && break; sleep 0.01; done
run "$NUCLEUS" --name "$tag-r" -- /bin/true
is "$rc" 0 "its name is usable again at once: the stale cgroup is reaped"
is "$(ours "$tag")" "" "nothing of this test is left"
done_testing
