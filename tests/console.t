#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --console-socket (issue 17's terminals; OCI process.terminal with runc's
# --console-socket, as conmon and containerd's shim use it): the command's
# stdin/out/err are a pty of the sandbox's own devpts, the caller gets its
# master over the unix socket, and it behaves as a terminal: isatty, the
# window size set on the master, input typed, ^C to the workload (130).
# tests/lib/console.py is the taker, in conmon's place.
. "$(dirname "$0")/lib/tap.sh"
need_root
NB=${NUCLEUS_BIN:-$OUT/nucleus}

tmp=$(mktemp -d)
chmod 755 "$tmp"
st=$tmp/state
trap 'rm -rf "$tmp"' EXIT
C() { rm -f "$tmp/s.sock"; python3 "$TOP/tests/lib/console.py" "$tmp/s.sock" "$@"; }

run C --rows 40 --cols 100 -- "$NUCLEUS" --console-socket "$tmp/s.sock" -- \
	sh -c 'tty; stty size; test -t 0 && test -t 1 && test -t 2 && echo isatty'
is "$out" "$(printf '/dev/pts/0\n40 100\nisatty\nrc=0')" \
	"the command's fds 0-2 are a terminal: pts/0 of its own devpts, the master's window size"
run "$NUCLEUS" -- sh -c 'test -t 0 || echo notatty'
is "$out" notatty "  control: without it, no terminal"
run C --send 'hello\n' -- "$NUCLEUS" --console-socket "$tmp/s.sock" -- sh -c 'read x; echo got:$x; stat -Lc dev=%d /proc/self/fd/0'
like "$out" 'got:hello' "input typed on the master reaches the command"
# The slave's own device, not a count of the host's ptys (others open some).
dev=$(printf '%s\n' "$out" | sed -n 's/^dev=//p')
ok "  its pty is not of the host's devpts ($dev, the host's $(stat -c %d /dev/pts/ptmx))" \
	test -n "$dev" -a "$dev" != "$(stat -c %d /dev/pts/ptmx)"
run C --send-after '\x03' -- "$NUCLEUS" --console-socket "$tmp/s.sock" -- "$PROBE" seq getpid -- sleep 20
like "$out" 'rc=130$' "^C on the terminal interrupts the workload: 130"
run "$NUCLEUS" --console-socket "$tmp/none.sock" -- true
is "$rc" 125 "a socket nobody listens on: 125"
run "$NUCLEUS" --console-socket rel.sock -- true
is "$rc" 125 "a relative path: 125"

# OCI: process.terminal with create --console-socket, then start.
b=$tmp/b
mkdir -p "$b/rootfs"
cp "$PROBE" "$b/rootfs/app"
printf '{"ociVersion":"1.0.2","process":{"terminal":true,"args":["/app","seq","status","Pid","--","exec","/app","readlink","/proc/self/fd/0"],"cwd":"/"},"root":{"path":"rootfs","readonly":true},"mounts":[{"destination":"/proc","type":"proc","source":"proc"},{"destination":"/dev","type":"tmpfs","source":"tmpfs"},{"destination":"/dev/pts","type":"devpts","source":"devpts","options":["newinstance","ptmxmode=0666","mode=0620"]}],"linux":{"namespaces":[{"type":"pid"},{"type":"mount"},{"type":"ipc"},{"type":"uts"},{"type":"network"}]}}\n' >"$b/config.json"
run C -- "$NB" --root "$st" run o1 --bundle "$b" --console-socket "$tmp/s.sock"
like "$(echo $out)" '^2 /dev/pts/0 rc=0$' "OCI process.terminal: the workload's stdin is the container's /dev/pts/0"
run "$NB" --root "$st" run o2 --detach --bundle "$b"
is "$rc" 125 "process.terminal, detached, without --console-socket: 125"
like "$err" "process.terminal: needs --console-socket" "  one line saying so"
is "$(ls -A "$st")" "" "  no state left behind"
done_testing
