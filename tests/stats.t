#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --stats FILE|fd:N: one JSON object at exit, whatever the end (exit code,
# signal, timeout, setup failure), with sane figures (wall time, cpu
# user/system, peak memory, peak tasks, OOM kills), never on the workload's
# stdout; a sink that cannot be opened is 125 before anything is created.
. "$(dirname "$0")/lib/tap.sh"
need_root
command -v python3 >/dev/null || skip_all "python3 is needed to parse JSON"

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
# get FILE EXPR: a value of the JSON in FILE, by a Python expression on d.
get() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps(eval(sys.argv[2])))' "$1" "$2"
}

run "$NUCLEUS" --stats "$tmp/s.json" -- /bin/sh -c 'echo out; sleep 0.2; exit 7'
is "$rc:$out" "7:out" "the workload's code and stdout are untouched"
ok "the stats file is valid JSON" eval "python3 -m json.tool \"$tmp/s.json\" >/dev/null"
is "$(get "$tmp/s.json" '[d["exit_code"], d["signal"], d["timed_out"]]')" \
	'[7, null, false]' "exit_code 7, no signal, not timed out"
ok "wall_ms $(get "$tmp/s.json" 'd["wall_ms"]') covers the 200 ms sleep" \
	test "$(get "$tmp/s.json" 'd["wall_ms"]')" -ge 200
is "$(get "$tmp/s.json" 'all(isinstance(d[k], int) and d[k] >= 0 for k in
	("cpu_user_us", "cpu_system_us", "memory_peak_bytes"))')" true \
	"cpu user/system and peak memory are counts"
ok "pids_peak $(get "$tmp/s.json" 'd["pids_peak"]') counts init, sh and sleep" \
	test "$(get "$tmp/s.json" 'd["pids_peak"]')" -ge 3
is "$(get "$tmp/s.json" 'd["oom_kills"]')" 0 "no OOM kill"
like "$(get "$tmp/s.json" 'd["cgroup"]["name"]')" '^"nucleus-[0-9a-f]{16}"$' \
	"the cgroup's random name"
is "$(get "$tmp/s.json" 'd["cgroup"]["limits"]["pids"]')" 1024 "the limits in force"

run "$NUCLEUS" --stats "$tmp/p.json" -- "$PROBE" spin 0.3
ok "a 0.3 s spin used >= 0.1 s of CPU ($(get "$tmp/p.json" 'd["cpu_user_us"]') us user)" \
	test "$(get "$tmp/p.json" 'd["cpu_user_us"] + d["cpu_system_us"]')" -ge 100000

run "$NUCLEUS" --stats fd:3 -- /bin/sh -c 'kill -TERM $$' 3>"$tmp/fd.json"
is "$rc" 143 "killed by TERM: 143"
is "$(get "$tmp/fd.json" '[d["exit_code"], d["signal"]]')" '[143, 15]' \
	"--stats fd:3: exit_code 143, signal 15"

# A plain "exit 130" is an exit, not SIGINT: init's exit code cannot tell
# them apart (128+N), its published raw status can (init/loop.c).
run "$NUCLEUS" --stats "$tmp/e130.json" --audit "$tmp/e130.log" -- \
	/bin/sh -c 'exit 130'
is "$rc" 130 "exit 130: 130"
is "$(get "$tmp/e130.json" '[d["exit_code"], d["signal"]]')" '[130, null]' \
	"... the stats say exit_code 130, no signal"
is "$(python3 -c 'import json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
print([L[-1]["event"], L[-1]["exit_code"], L[-1]["signal"]])' "$tmp/e130.log")" \
	"['exit', 130, None]" "... and so does the audit log's exit record"
run "$NUCLEUS" --stats "$tmp/int.json" -- /bin/sh -c 'kill -INT $$'
is "$rc:$(get "$tmp/int.json" '[d["exit_code"], d["signal"]]')" '130:[130, 2]' \
	"killed by INT: 130, signal 2"
run "${NOBODY[@]}" "$NUCLEUS" --stats fd:3 -- /bin/sh -c 'exit 130' 3>"$tmp/r130.json"
is "$(get "$tmp/r130.json" '[d["exit_code"], d["signal"]]')" '[130, null]' \
	"rootless: exit 130 is no signal either"
run "${NOBODY[@]}" "$NUCLEUS" --stats fd:3 -- /bin/sh -c 'kill -USR1 $$' 3>"$tmp/r10.json"
is "$(get "$tmp/r10.json" '[d["exit_code"], d["signal"]]')" '[138, 10]' \
	"rootless: killed by USR1: 138, signal 10"
# Control: every exit code is itself, none is a signal.
for c in $(seq 0 255); do
	"$NUCLEUS" --stats fd:3 -- /bin/sh -c "exit $c" 3>"$tmp/c$c.json"
	echo "$?" >"$tmp/c$c.rc"
done
is "$(python3 -c 'import json, sys
bad = []
for c in range(256):
    d = json.load(open("%s/c%d.json" % (sys.argv[1], c)))
    rc = int(open("%s/c%d.rc" % (sys.argv[1], c)).read())
    if (rc, d["exit_code"], d["signal"]) != (c, c, None):
        bad.append((c, rc, d["exit_code"], d["signal"]))
print(bad)' "$tmp")" "[]" "all 256 exit codes: the code itself, no signal"

run "$NUCLEUS" --timeout 0.1 --stats "$tmp/t.json" -- sleep 5
is "$(get "$tmp/t.json" '[d["exit_code"], d["timed_out"]]')" '[124, true]' \
	"timeout: exit_code 124, timed_out"

run "$NUCLEUS" --chdir /nonexistent --stats "$tmp/f.json" -- /bin/true
is "$rc" 125 "a setup failure after the cgroup exists: 125"
is "$(get "$tmp/f.json" 'd["exit_code"]')" 125 "... and the stats say so"

run "$NUCLEUS" --stats "$tmp/o.json" -- /bin/echo hi
is "$out" hi "stdout holds the workload's output only"

# --stats that cannot be written: production 125, agent a warning and the
# workload's code; a pipe with no reader is EPIPE, not a silent 141.
for mode in production agent; do
	want=125; [ $mode = agent ] && want=7
	run "$NUCLEUS" --mode $mode --stats /dev/full -- /bin/sh -c 'exit 7'
	is "$rc" $want "$mode: --stats /dev/full: $want"
	like "$err" -- '--stats: write: No space left' "... says so on stderr"
	run bash -c '"$@" 3>&1 | true; exit ${PIPESTATUS[0]}' _ \
		"$NUCLEUS" --mode $mode --stats fd:3 -- /bin/sh -c 'exit 7'
	is "$rc" $want "$mode: --stats fd:3 into a pipe with no reader: $want"
	like "$err" -- '--stats: write: Broken pipe' "... says so on stderr"
done
run "$NUCLEUS" --mode production --stats /dev/full --audit "$tmp/sf.log" -- /bin/true
is "$(python3 -c 'import json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
print([L[-2]["event"], L[-2]["errno_name"], L[-1]["exit_code"]])' "$tmp/sf.log")" \
	"['error', 'ENOSPC', 125]" "... and the audit log records the failure and the 125"

ln -s "$tmp/target" "$tmp/link"
for sink in /nonexistent/dir/s.json fd:9 "$tmp/link" fd:2; do
	run "$NUCLEUS" --stats "$sink" -- /bin/true
	is "$rc" 125 "--stats $sink: 125"
	like "$err" -- '--stats' "... naming the flag"
done
ok "no file written through the symlink" test ! -e "$tmp/target"
run "$NUCLEUS" --stats fd:3 -- /bin/true 3</dev/null
is "$rc" 125 "--stats fd:3 open read-only: 125"

run "${NOBODY[@]}" "$NUCLEUS" --stats fd:3 -- /bin/sh -c 'exit 4' 3>"$tmp/r.json"
is "$rc" 4 "rootless: runs"
is "$(get "$tmp/r.json" '[d["exit_code"], d["cgroup"], d["memory_peak_bytes"]]')" \
	'[4, null, null]' "rootless stats: no cgroup, so no peak memory"
ok "... cpu time from the reaped children" \
	test "$(get "$tmp/r.json" 'd["cpu_user_us"]')" -ge 0
done_testing
