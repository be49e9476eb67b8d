#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The monitor's death (issue 14, items 2 and 3). A SIGKILLed monitor takes
# its whole sandbox with it on every identity path: the kernel clears the
# parent-death signal when the child's ids change (--user, --groups,
# --map-subids, the ids a user namespace maps), so the child arms it again
# once its identity is final. And a sandbox child killed from outside at
# any moment of the setup never kills its monitor by SIGPIPE (141, silent):
# every run ends 125 with a message, or 128+9, and leaves no cgroup.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cgroup-lib.sh"

own_binaries
subids_env 65534:200000:65536

# gone PATTERN: polls up to 5 s until no process matches.
gone() {
	local i
	for i in $(seq 500); do
		pgrep -f "^/bin/$1" >/dev/null || return 0
		sleep 0.01
	done
	return 1
}
# up PATTERN: polls up to 10 s until a process matches.
up() {
	local i
	for i in $(seq 1000); do
		pgrep -f "^/bin/$1" >/dev/null && return 0
		sleep 0.01
	done
	return 1
}

# kill_monitor DESC CMD...: CMD runs `sleep MARK`; its monitor is killed.
n=0
kill_monitor() {
	local desc=$1 mark pid; shift
	n=$((n + 1))
	mark="37$$.$n"
	"$@" -- /bin/sleep "$mark" >/dev/null 2>&1 &
	pid=$!
	if ! up "sleep $mark"; then
		ok "$desc: the sandbox started" false
		return
	fi
	kill -KILL $pid
	wait $pid 2>/dev/null
	ok "$desc: the SIGKILLed monitor's sandbox is gone" gone "sleep $mark"
	pkill -KILL -f "^/bin/sleep $mark"
}

# Control: the sandbox outlives a monitor that is only stopped, so the
# check above sees a real death, not a sandbox that never ran long.
mark="38$$"
"$N" -- /bin/sleep "$mark" >/dev/null 2>&1 &
pid=$!
up "sleep $mark"
kill -STOP $pid
ok "control: a stopped monitor's sandbox still runs" up "sleep $mark"
kill -KILL $pid
wait $pid 2>/dev/null
ok "control: and dies with it" gone "sleep $mark"

kill_monitor "root" "$N"
kill_monitor "root --user 1000" "$N" --user 1000
kill_monitor "root --user 1000:1000 --groups 5" "$N" --user 1000:1000 --groups 5
kill_monitor "root --userns" "$N" --userns
kill_monitor "root --userns --user 1000" "$N" --userns --user 1000
kill_monitor "rootless" "${NOBODY[@]}" "$N"
kill_monitor "rootless --user 1000" "${NOBODY[@]}" "$N" --user 1000
kill_monitor "rootless --map-subids --user 1000:1000 --groups 5" \
	"${SUBIDS[@]}" "${NOBODY[@]}" "$N" --map-subids --user 1000:1000 --groups 5
kill_monitor "root --die-with-parent --user 1000" "$N" --die-with-parent --user 1000
# In place (PID 1 of a shared pid namespace, no monitor): with
# --die-with-parent, the death of the process that started it.
kill_monitor "in place --die-with-parent --user 1000" unshare -pf --mount-proc "$N" --share pid --die-with-parent --user 1000
# No pid namespace (confine-only): init dies by its parent-death signal,
# and the workload with init.
kill_monitor "root, tier confine-only" "$OUT/denyns" all "$N"
kill_monitor "rootless, tier confine-only" "$OUT/denyns" all "${NOBODY[@]}" "$N"

# The sandbox child SIGKILLed at a random moment of its setup, 150 times.
cg_test_parent death || skip_all "no writable cgroup hierarchy"
cat >"$tmp/killer.py" <<'EOF'
import os, random, signal, subprocess, sys, time
nucleus, parent = sys.argv[1], sys.argv[2]
bad = []
for i in range(150):
    p = subprocess.Popen([nucleus, "--cgroup-parent", parent, "--",
                          "/bin/sh", "-c", "sleep 0.1"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t = time.monotonic() + random.uniform(0, 0.01)
    child = None
    while child is None and p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/task/{p.pid}/children") as f:
                kids = f.read().split()
            child = int(kids[0]) if kids else None
        except OSError:
            break
    while time.monotonic() < t:
        pass
    if child:
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass
    err = p.communicate()[1].decode(errors="replace")
    rc = p.returncode
    if rc not in (0, 125, 137) or (rc == 125 and "nucleus:" not in err):
        bad.append(f"run {i}: exit {rc} stderr {err.strip()!r}")
print("\n".join(bad) if bad else "all ended 0, 125 with a message, or 137")
EOF
got=$(python3 "$tmp/killer.py" "$N" "$P")
is "$got" "all ended 0, 125 with a message, or 137" "a child killed during setup: never 141, never silent"
left=
for h in $(cg_hierarchies); do
	left+=$(ls -d "$(cg_dir $h "$P")"/nucleus-* 2>/dev/null)
done
is "$left" "" "and no cgroup is left behind"
done_testing
