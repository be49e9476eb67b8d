#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real software under the built-in seccomp profiles: a filter that breaks
# sh, ls, python3, gcc or git is a filter nobody can use. And nucleus-init,
# which runs under the same filter, must still start the workload, pass its
# exit code, forward signals and reap orphans under every profile.
. "$(dirname "$0")/lib/tap.sh"
need_root

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

# The program suite, one line of output each, in the sandbox's /tmp.
cat >"$tmp/suite.sh" <<'EOF'
set -e
cd /tmp
echo "sh: $(echo ok)"
ls /usr/bin >/dev/null && echo "ls: ok"
python3 -c 'import json, sqlite3, subprocess, threading
t = threading.Thread(target=lambda: None); t.start(); t.join()
db = sqlite3.connect(":memory:"); db.execute("create table t (x)")
print("python3:", json.dumps(subprocess.run(["true"]).returncode))'
printf '#include <stdio.h>\nint main(void) { puts("gcc: ok"); return 0; }\n' >h.c
gcc -O2 -o h h.c && ./h
git init -q repo && cd repo && git config user.email t@t && git config user.name t
echo x >f && git add f && git commit -qm m && echo "git: $(git rev-list --count HEAD)"
EOF
want=$(printf 'sh: ok\nls: ok\npython3: 0\ngcc: ok\ngit: 1')
# --landlock-exec /tmp: the compiled program runs from there (Landlock
# forbids exec from /tmp otherwise, which is not what this tests).
for p in default strict; do
	run "$NUCLEUS" --seccomp-profile $p --landlock-exec /tmp \
		--ro-bind "$tmp" "$tmp" -- /bin/sh "$tmp/suite.sh"
	is "$out" "$want" "$p: sh, ls, python3 (threads, sqlite, subprocess), gcc, git"
	is "$rc" 0 "$p: the suite exits 0"
	[ "$rc" = 0 ] || diag "$err"
done

# A web server and its client on the sandbox's loopback: threads, sockets,
# select/epoll.
cat >"$tmp/web.py" <<'EOF'
import http.server, os, threading, urllib.request
os.chdir("/tmp")
open("index.html", "w").write("served\n")
h = http.server.SimpleHTTPRequestHandler
h.log_message = lambda *a: None
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
threading.Thread(target=s.serve_forever, daemon=True).start()
url = "http://127.0.0.1:%d/index.html" % s.server_port
print(urllib.request.urlopen(url).read().decode().strip())
EOF
run "$NUCLEUS" --ro-bind "$tmp" "$tmp" -- python3 "$tmp/web.py"
is "$out" served "default: a python web server answers its client"
run "$NUCLEUS" --seccomp-profile strict --ro-bind "$tmp" "$tmp" -- \
	python3 "$tmp/web.py"
like "$err" 'Address family not supported' "strict: the web server cannot open its socket"
isnt_zero() { [ "$1" != 0 ]; }
ok "strict: ... and fails" isnt_zero "$rc"

# nucleus-init under every profile: exit codes, signals, orphans.
# Two orphans exit; init must reap them (polled for up to 10 s: no fixed
# sleep decides the outcome).
reap='(sh -c "exit 0" &); (sh -c "exit 0" &)
for i in $(seq 100); do
	z=$(grep -l "^State:.*Z" /proc/[0-9]*/status 2>/dev/null | wc -l)
	[ "$z" = 0 ] && break; sleep 0.1
done
echo "zombies=$z"; exit 7'
mkfifo "$tmp/ready"
for p in default strict none; do
	run "$NUCLEUS" --seccomp-profile $p -- /bin/sh -c "$reap"
	is "$out/$rc" "zombies=0/7" "$p: init reaps orphans, passes exit code 7"
	"$NUCLEUS" --seccomp-profile $p --bind "$tmp" "$tmp" -- \
		/bin/sh -c 'echo >"$0"; exec sleep 30' "$tmp/ready" &
	pid=$!
	read -r _ <"$tmp/ready" # the workload runs: init is up
	kill -TERM $pid
	wait $pid
	is "$?" 143 "$p: TERM forwarded by init to the workload: 143"
	run "$NUCLEUS" --seccomp-profile $p -- /nonexistent
	is "$rc" 127 "$p: init reports a missing command: 127"
done
done_testing
