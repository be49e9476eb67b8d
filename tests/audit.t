#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --audit FILE|fd:N: JSON lines, one per event (start, cgroup, namespaces,
# mounts, confine, exec, exit; error on a setup failure), each valid JSON whatever the argv
# holds, RFC 3339 UTC timestamps with milliseconds, appended, never on the
# workload's stdout.
. "$(dirname "$0")/lib/tap.sh"
need_root
command -v python3 >/dev/null || skip_all "python3 is needed to parse JSON"

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
# q FILE EXPR: EXPR over L, the list of the log's records.
q() {
	python3 -c 'import json, sys
L = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
print(json.dumps(eval(sys.argv[2]), ensure_ascii=False))' "$1" "$2"
}

run "$NUCLEUS" --audit "$tmp/a.log" --name "aud$$" -- /bin/echo hi
is "$out" hi "the workload's stdout holds only its own output"
is "$(q "$tmp/a.log" '[r["event"] for r in L]')" \
	'["start", "cgroup", "namespaces", "mounts", "confine", "exec", "exit"]' "events in order"
is "$(q "$tmp/a.log" 'L[0]["argv"]')" '["/bin/echo", "hi"]' "start: argv"
is "$(q "$tmp/a.log" '[L[0]["mode"], L[0]["name"]]')" '["agent", "aud'$$'"]' "start: mode, name"
is "$(q "$tmp/a.log" 'L[1]["cgroup"]["name"]')" "\"nucleus-aud$$\"" "cgroup: its name"
is "$(q "$tmp/a.log" 'sorted(set(["pid", "mnt", "net", "ipc", "uts", "cgroup"]) - set(L[2]["new"]))')" \
	'[]' "namespaces: pid, mnt, net, ipc, uts and cgroup are new"
is "$(q "$tmp/a.log" '[L[3]["root"], L[3]["proc"]]')" '["tmpfs", "ro"]' "mounts: a tmpfs root, /proc read-only"
is "$(q "$tmp/a.log" '[L[4]["tier"], L[4]["layers"]["seccomp"]["enforced"], len(L[4]["layers"]["seccomp"]["sha256"]), L[4]["layers"]["landlock"]["enforced"], L[4]["layers"]["caps"]["effective"]]')" \
	'["full", true, 64, true, []]' "confine: tier, seccomp with its sha256, Landlock, no capability"
is "$(q "$tmp/a.log" '[L[6]["exit_code"], L[6]["signal"], L[6]["timed_out"]]')" \
	'[0, null, false]' "exit: code, signal, timed out"
ok "exit: duration $(q "$tmp/a.log" 'L[6]["wall_ms"]') ms" \
	test "$(q "$tmp/a.log" 'L[6]["wall_ms"]')" -ge 0
is "$(q "$tmp/a.log" 'len(set(r["pid"] for r in L))')" 1 "every record names the monitor's pid"
like "$(q "$tmp/a.log" 'L[0]["time"]')" \
	'^"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z"$' \
	"timestamps: RFC 3339, UTC, milliseconds"
now=$(date -u +%s)
ok "... and near now" python3 -c 'import datetime, sys
t = datetime.datetime.strptime(sys.argv[1].strip("\""), "%Y-%m-%dT%H:%M:%S.%fZ")
sys.exit(abs(t.replace(tzinfo=datetime.timezone.utc).timestamp() - int(sys.argv[2])) > 60)' \
	"$(q "$tmp/a.log" 'L[0]["time"]')" "$now"

# Hostile argv: quotes, backslashes, control characters, invalid UTF-8.
run "$NUCLEUS" --audit "$tmp/a.log" -- /bin/true "a\"b" 'c\d' "$(printf 'e\nf\tg\001')" \
	"$(printf 'h\377i')" "ü€😀"
is "$(q "$tmp/a.log" 'len(L)')" 14 "appended: two runs, fourteen records, all valid JSON"
is "$(q "$tmp/a.log" 'L[7]["argv"][1:]')" \
	'["a\"b", "c\\d", "e\nf\tg\u0001", "h�i", "ü€😀"]' \
	"argv survives: escaped, invalid UTF-8 as U+FFFD"

run "$NUCLEUS" --audit fd:3 --chdir /nonexistent -- /bin/true 3>"$tmp/f.log"
is "$rc" 125 "a setup failure: 125"
is "$(q "$tmp/f.log" '[r["event"] for r in L][-2:]')" '["error", "exit"]' \
	"... logged as an error, then the exit"
is "$(q "$tmp/f.log" 'L[-1]["exit_code"]')" 125 "... with exit code 125"
is "$(q "$tmp/f.log" 'L[-2]["step"]')" '"sandbox"' "... the step: the sandbox's setup (stderr says which)"

# The error record carries die()'s errno: name and text.
is "$(q "$tmp/f.log" '[[r.get("errno_name"), r.get("strerror")] for r in L if r["event"] == "error"][0]')" \
	'["ENOENT", "No such file or directory"]' "... the failing step's errno, by name and text"
is "$(q "$tmp/f.log" '[r["step"] for r in L if r["event"] == "error"][0]')" '"chdir"' \
	"... and its own step"

# A sink that cannot be written: production fails (125), agent warns and
# the workload's code stands. Every sink kind: FILE, fd:N, a pipe with no
# reader (EPIPE, never a silent SIGPIPE 141).
for mode in production agent; do
	want=125; [ $mode = agent ] && want=7
	run "$NUCLEUS" --mode $mode --audit /dev/full -- /bin/sh -c 'exit 7'
	is "$rc" $want "$mode: --audit /dev/full: $want"
	like "$err" -- '--audit: write: No space left' "... says so on stderr"
	run "$NUCLEUS" --mode $mode --audit fd:3 -- /bin/sh -c 'exit 7' 3>/dev/full
	is "$rc" $want "$mode: --audit fd:3 on /dev/full: $want"
	like "$err" -- '--audit: write' "... says so on stderr"
	run bash -c '"$@" 3>&1 | true; exit ${PIPESTATUS[0]}' _ \
		"$NUCLEUS" --mode $mode --audit fd:3 -- /bin/sh -c 'exit 7'
	is "$rc" $want "$mode: --audit fd:3 into a pipe with no reader: $want"
	like "$err" -- '--audit: write: Broken pipe' "... says so on stderr"
done

# The sandbox child's own records (mounts, confine) fail too: a log
# whose RLIMIT_FSIZE (2 MiB: the init memfd is far smaller) leaves room
# for the monitor's first records only
# (SIGXFSZ ignored, so the write is EFBIG).
: >"$tmp/sz.log"
"$NUCLEUS" --name "aud-sz$$" --audit "$tmp/sz.log" -- /bin/true
room=$(q "$tmp/sz.log" 'sum(len(json.dumps(r, ensure_ascii=False, separators=(",", ":"))) + 1 for r in L[:3]) + 40')
for mode in production agent; do
	want=125; [ $mode = agent ] && want=0
	head -c $((2048 * 1024 - room)) /dev/zero >"$tmp/sz.log"
	run bash -c 'trap "" XFSZ; ulimit -f 2048; exec "$@"' _ \
		"$NUCLEUS" --mode $mode --name "aud-sz$$" --audit "$tmp/sz.log" -- /bin/true
	is "$rc" $want "$mode: the child's record not written: $want"
	like "$err" -- '^nucleus: mount: --audit: write: File too large' \
		"... the child says so, with its step"
done

run "$NUCLEUS" --audit fd:3 --timeout 0.1 -- sleep 5 3>"$tmp/t.log"
is "$(q "$tmp/t.log" '[L[-1]["exit_code"], L[-1]["timed_out"]]')" '[124, true]' \
	"timeout: exit 124, timed_out"
run "$NUCLEUS" --audit fd:3 --memory 16M -- dd if=/dev/zero of=/dev/null bs=32M count=1 3>"$tmp/m.log"
is "$(q "$tmp/m.log" '[L[-1]["exit_code"], L[-1]["oom_kills"]]')" '[137, 1]' \
	"OOM: exit 137, oom_kills 1"

run "$NUCLEUS" --audit /nonexistent/a.log -- /bin/true
is "$rc" 125 "--audit into a missing directory: 125"
like "$err" -- "--audit" "... naming the flag"
run "$NUCLEUS" --audit fd:1 -- /bin/true
is "$rc" 125 "--audit fd:1 (the workload's stdout): 125"
done_testing
