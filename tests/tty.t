#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Terminals (issue 17): `nucleus --tty` relays the caller's terminal to a
# pty of the sandbox's own devpts (raw on our side, so ^C and ^Z are the
# sandbox's line discipline's to turn into signals; window size initial
# and on resize; our mode restored on every end), and `nucleus exec -t`
# does the same for a process in a running sandbox, or hands the master to
# --console-socket (as conmon and containerd's shim want it), for an OCI
# container and for a --name sandbox. tests/lib/tty_drive.py is the user at
# a terminal; tests/lib/console.py the socket's taker.
. "$(dirname "$0")/lib/tap.sh"
need_root
NB=$NUCLEUS_BIN

tmp=$(mktemp -d)
chmod 755 "$tmp"
st=$tmp/state
n=tty$$-$RANDOM
bg=
cleanup() {
	[ -n "$bg" ] && kill -9 "$bg" 2>/dev/null
	"$NB" delete --force "$n" 2>/dev/null
	"$NB" --root "$st" delete --force c1 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
D() { python3 "$TOP/tests/lib/tty_drive.py" "$@"; }
C() { rm -f "$tmp/s.sock"; python3 "$TOP/tests/lib/console.py" "$tmp/s.sock" "$@"; }
host_dev=$(stat -c %d /dev/pts/ptmx)

run D size=33,77 expect=ready mode send='\r' -- "$NUCLEUS" --tty -- sh -c \
	'tty; stty size; test -t 0 && test -t 1 && test -t 2 && echo isatty; stat -c dev=%d /dev/pts/ptmx; echo ready; read x; exit 3'
like "$out" "^/dev/pts/0
33 77
isatty
" "--tty: fds 0-2 are a terminal, pts/0, with our window size"
pdev=$(printf '%s\n' "$out" | sed -n 's/^dev=//p')
ok "  of the sandbox's own devpts ($pdev), not the host's ($host_dev)" \
	test -n "$pdev" -a "$pdev" != "$host_dev"
like "$out" "outer_dev=$host_dev" "  control: our side's pty is the host's devpts"
like "$out" "mode: raw" "  our terminal is raw while it runs"
like "$out" "rc=3
termios: same" "  the workload's exit code, and our terminal's mode restored"

run D size=33,77 expect=ready size=40,120 -- "$NUCLEUS" --tty -- sh -c \
	'echo ready; i=0; while [ "$(stty size)" = "33 77" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; stty size'
like "$out" "ready
40 120" "a resize of our terminal reaches the sandbox's pty (SIGWINCH)"

run D expect=ready send='hello\r' -- "$NUCLEUS" --tty -- sh -c 'echo ready; read x; echo got:$x'
like "$out" "ready
hello
got:hello" "typed input reaches the workload, echoed by the sandbox's line discipline"

# The probe prints its pid and sleeps, SIGINT's default all along (a shell
# that catches it between its echo and its fork would wait for its sleep).
run D expect='[0-9]' send='\x03' -- "$NUCLEUS" --tty -- "$PROBE" seq getpid -- sleep 30
like "$out" "rc=130
termios: same" "^C interrupts the workload: 130, mode restored"

# Job control inside: ^Z stops the foreground job of an interactive shell.
run D expect='P> ' send="sh -c 'echo g\"\"o; exec sleep 30'\r" expect=go \
	send='\x1a' expect='Stopped.*
P> ' send='exit 5\r' expect='stopped jobs' send='exit 5\r' -- \
	"$NUCLEUS" --tty -- env PS1='P> ' sh -i
like "$out" "\[1\] \+ Stopped +sh -c" "^Z stops the foreground job of the sandbox's shell"
like "$out" "rc=5
termios: same" "  which then exits 5; mode restored"

# Its pid came through the relay, so our side was raw (set before it).
run D expect='[0-9]' -- "$NUCLEUS" --tty --timeout 1 -- "$PROBE" seq getpid -- sleep 30
like "$out" "^[0-9]+
outer_dev=[0-9]+
rc=124
termios: same" "--timeout: 124, mode restored"
run D expect='[0-9]' kill=TERM -- "$NUCLEUS" --tty -- "$PROBE" seq getpid -- sleep 30
like "$out" "rc=143
termios: same" "TERM to nucleus: forwarded, 143, mode restored"

run D -- "$NUCLEUS" --tty -- seq 20000
is "$(printf '%s\n' "$out" | grep -cxE '[0-9]+')" 20000 "every line of the output arrives, the last ones after the workload ended"

run "$NUCLEUS" --tty -- true </dev/null
is "$rc:$err" "125:nucleus: args: --tty: stdin is not a terminal" "stdin not a terminal: 125, one line"
run "$NUCLEUS" --tty --console-socket "$tmp/s.sock" -- true </dev/null
is "$rc" 125 "--tty with --console-socket: 125"
is "$(printf '%s\n' "$err" | wc -l)" 1 "  one line: $err"

# exec into a --name sandbox: -t relays, --console-socket hands out.
"$NUCLEUS" --name "$n" -- sleep 60 </dev/null &
bg=$!
ok "a --name sandbox runs" wait_for 10 sh -c '"$0" state "$1" 2>/dev/null | grep -q running' "$NB" "$n"
run D size=30,90 expect=ready mode send='\r' -- "$NB" exec -t "$n" -- sh -c \
	'tty; stty size; test -t 0 && test -t 1 && echo isatty; stat -c dev=%d /dev/pts/ptmx; echo ready; read x; exit 4'
like "$out" "^/dev/pts/[0-9]+
30 90
isatty
" "exec -t NAME: a terminal with our window size"
pdev=$(printf '%s\n' "$out" | sed -n 's/^dev=//p')
ok "  of the sandbox's devpts ($pdev), not the host's" test -n "$pdev" -a "$pdev" != "$host_dev"
like "$out" "mode: raw" "  our terminal raw meanwhile"
like "$out" "rc=4
termios: same" "  its exit code; mode restored"
run D expect='[0-9]' send='\x03' -- "$NB" exec -t "$n" -- "$PROBE" seq getpid -- sleep 30
like "$out" "rc=130" "exec -t NAME: ^C interrupts it: 130"
run C -- "$NB" exec --tty --console-socket "$tmp/s.sock" "$n" -- sh -c 'test -t 0 && test -t 2 && echo isatty; exit 6'
is "$out" "$(printf 'isatty\nrc=6')" "exec --tty --console-socket NAME: a terminal, its master sent; exit 6"
run C --send-after '\x03' -- "$NB" exec --tty --console-socket "$tmp/s.sock" "$n" -- "$PROBE" seq getpid -- sleep 30
like "$out" "rc=130" "  ^C on the master: 130"
run "$NB" exec "$n" -- sh -c 'test -t 0 || echo notatty'
is "$out" notatty "  control: exec without -t has no terminal"
kill "$bg"
wait "$bg"
bg=

# exec into an OCI container: the rootfs is the probe only.
b=$tmp/b
mkdir -p "$b/rootfs"
cp "$PROBE" "$b/rootfs/app"
printf '{"ociVersion":"1.0.2","process":{"args":["/app","sleep","60"],"cwd":"/"},"root":{"path":"rootfs","readonly":true},"mounts":[{"destination":"/proc","type":"proc","source":"proc"},{"destination":"/dev","type":"tmpfs","source":"tmpfs"},{"destination":"/dev/pts","type":"devpts","source":"devpts","options":["newinstance","ptmxmode=0666","mode=0620"]}],"linux":{"namespaces":[{"type":"pid"},{"type":"mount"},{"type":"ipc"},{"type":"uts"},{"type":"network"}]}}\n' >"$b/config.json"
"$NB" --root "$st" run c1 --detach --bundle "$b" </dev/null >/dev/null 2>&1
is "$?" 0 "an OCI container runs (detached, no terminal)"
run C -- "$NB" --root "$st" exec --tty --console-socket "$tmp/s.sock" c1 /app seq ctty -- exit 7
like "$out" "^tty=1 name=/dev/pts/0 sid=([0-9]+) pgrp=\1 fg=\1
rc=7" "OCI exec --tty --console-socket: pts/0 of its devpts, its controlling terminal; exit 7"
printf '{"terminal":true,"args":["/app","seq","ctty","--","sleep","30"],"cwd":"/"}' >"$tmp/p.json"
run C --send-after '\x03' -- "$NB" --root "$st" exec --process "$tmp/p.json" --console-socket "$tmp/s.sock" --detach c1
like "$out" "^tty=1 name=/dev/pts/0 .*
rc=0" "OCI exec --process {terminal: true} --console-socket --detach (containerd's way)"
run D expect=fg= send='\x03' -- "$NB" --root "$st" exec -t c1 /app seq ctty -- sleep 30
like "$out" "tty=1 name=/dev/pts/0 .*
outer_dev=.*
rc=130
termios: same" "OCI exec -t: relayed; ^C: 130; mode restored"
sed 's|"args":\["/app","sleep","60"\]|"terminal":true,"args":["/app","seq","ctty","--","exit","3"]|' "$b/config.json" >"$tmp/t.json"
cp "$tmp/t.json" "$b/config.json"
run D -- "$NB" --root "$st" run o3 --bundle "$b"
like "$out" "^tty=1 name=/dev/pts/0 .*
outer_dev=.*
rc=3
termios: same" "OCI run in the foreground, process.terminal, no socket: relayed as --tty (runc's way)"
run "$NB" --root "$st" exec --console-socket "$tmp/s.sock" c1 /app getpid
is "$rc:$err" "125:nucleus: args: exec --console-socket: needs --tty or process.terminal" "exec --console-socket without a terminal: 125, one line"
run "$NB" --root "$st" exec --tty --detach c1 /app getpid
is "$rc:$err" "125:nucleus: args: exec --detach: a terminal needs --console-socket" "exec -t --detach without a socket: 125, one line"
done_testing
