#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --sd-notify against a fake service manager (a real unix datagram socket):
# READY=1, STATUS=, WATCHDOG=1 and STOPPING=1 from the workload, sent to
# its NOTIFY_SOCKET=/run/notify, reach the host's NOTIFY_SOCKET with
# MAINPID = nucleus (the service's main process); nothing else does (no
# MAINPID=1, no FDSTORE=1). Without --sd-notify the host's socket is not
# even named inside; the relay socket is gone after.
. "$(dirname "$0")/lib/tap.sh"
need_root
py=$(command -v /usr/bin/python3 python3 | head -n1)
[ -n "$py" ] || skip_all "python3 is needed for the fake notify listener"

tmp=$(mktemp -d)
mkdir "$tmp/w"
chmod 755 "$tmp"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
cat >"$tmp/listen.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("listening", flush=True)
s.settimeout(20)
try:
    while True:
        m = s.recv(8192).decode()
        print(m.strip("\n").replace("\n", "|"), flush=True)
        if "STOPPING=1" in m:
            break
except socket.timeout:
    print("timeout", flush=True)
PY
listen() { # starts the fake service manager on $tmp/host.sock
	rm -f "$tmp/host.sock"
	: >"$tmp/got"
	"$py" "$tmp/listen.py" "$tmp/host.sock" >"$tmp/got" &
	lpid=$!
	for _ in $(seq 500); do grep -q listening "$tmp/got" && return 0; sleep 0.01; done
	return 1
}
# From inside: one datagram to $NOTIFY_SOCKET, its lines joined by |.
cat >"$tmp/send.py" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(sys.argv[1].replace("|", "\n").encode(), os.environ["NOTIFY_SOCKET"])
PY
send="$py $tmp/send.py"

ok "a fake service manager listens" listen
NOTIFY_SOCKET=$tmp/host.sock "$NUCLEUS" --ro-bind "$tmp" "$tmp" --bind "$tmp/w" /w --sd-notify -- /bin/sh -c \
	"echo \"\$NOTIFY_SOCKET\"; stat -c %i /run/notify >/w/inode; $send 'READY=1|STATUS=up|MAINPID=1|FDSTORE=1' &&
	 $send 'WATCHDOG=1|EXTEND_TIMEOUT_USEC=1' && $send STOPPING=1" >"$tmp/inside" &
npid=$!
wait $npid
is "$?" 0 "the sandbox ran"
wait $lpid
is "$(sed 1d "$tmp/got")" "MAINPID=$npid|READY=1|STATUS=up
MAINPID=$npid|WATCHDOG=1
MAINPID=$npid|STOPPING=1" "relayed with MAINPID=nucleus; MAINPID=1, FDSTORE=1, EXTEND_TIMEOUT_USEC dropped"
is "$(cat "$tmp/inside")" /run/notify "the workload's NOTIFY_SOCKET is its own /run/notify"
# Ours, by the inode the workload saw (a second test suite beside this
# one has relays of its own meanwhile).
ino=$(cat "$tmp/w/inode")
is "$(find /run/nucleus "${XDG_RUNTIME_DIR:-/nonexistent}" /tmp -maxdepth 1 -name 'notify-*' -inum "${ino:-0}" 2>/dev/null)" "" "the relay socket (inode ${ino:-?}) is removed at exit"

if command -v systemd-notify >/dev/null; then
	ok "listening again" listen
	NOTIFY_SOCKET=$tmp/host.sock "$NUCLEUS" --sd-notify -- /bin/sh -c \
		'systemd-notify --ready --status=via-systemd-notify && systemd-notify STOPPING=1' &
	npid=$!
	wait $npid
	wait $lpid
	like "$(sed -n 2p "$tmp/got")" "^MAINPID=$npid\|READY=1\|STATUS=via-systemd-notify" \
		"systemd-notify --ready inside reaches the host"
else
	skip "systemd-notify is not installed" unsupported
	skip "systemd-notify is not installed" unsupported
fi

run env NOTIFY_SOCKET="$tmp/host.sock" "$NUCLEUS" -- "$PROBE" env NOTIFY_SOCKET
is "$out" ENOENT "without --sd-notify the workload gets no NOTIFY_SOCKET"
run env -u NOTIFY_SOCKET "$NUCLEUS" --sd-notify -- /bin/true
is "$rc" 0 "agent: --sd-notify without NOTIFY_SOCKET runs"
like "$err" 'NOTIFY_SOCKET is not set' "... with a warning"
run env -u NOTIFY_SOCKET "$NUCLEUS" --mode production --sd-notify -- /bin/true
is "$rc" 125 "production: --sd-notify without NOTIFY_SOCKET is 125"
run env NOTIFY_SOCKET=relative "$NUCLEUS" --sd-notify -- /bin/true
is "$rc" 125 "a NOTIFY_SOCKET that is neither a path nor @name: 125"
done_testing
