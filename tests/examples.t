#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The examples in build/examples do what they say: the agent example runs
# untrusted Python on a secret-free copy of the project, without a network,
# and leaves a report and stats behind.
. "$(dirname "$0")/lib/tap.sh"
need_root
command -v python3 >/dev/null || skip_all "python3 is not installed"

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/proj"
echo 'API_KEY=hunter2' >"$tmp/proj/.env"
cat >"$tmp/proj/task.py" <<'PY'
import os, socket
print("files:", sorted(os.listdir(".")))
open("out.txt", "w").write("written")
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    print("net: open")
except OSError as e:
    print("net:", type(e).__name__)
PY
cd "$tmp/proj"
run env NUCLEUS="$NUCLEUS" "$TOP/build/examples/agent-python.sh" task.py
is "$rc" 0 "agent-python.sh runs the task"
like "$out" "files: .*'task.py'" "... on a copy of the project"
unlike "$out" "\.env" "... without its .env"
like "$out" "net: OSError|net: .*Unreachable" "... with no route out"
ok "... whose writes stay in the sandbox" test ! -e "$tmp/proj/out.txt"
is "$(python3 -c 'import json; r=json.load(open("report.json")); print(r["tier"], r["no_new_privs"])')" "full True" \
	"report.json: tier full, no_new_privs"
ok "stats.json parses" python3 -c 'import json; json.load(open("stats.json"))'
done_testing
