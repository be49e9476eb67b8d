#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Networking as an unprivileged user (uid 65534 through setpriv), where the
# sandbox's namespaces belong to its own user namespace: --net none and
# host, nft loading --egress-allow rules inside a userns-owned namespace,
# and pasta, which is rootless by design: outbound to a peer in a network
# namespace of the test, egress allow/deny, --publish, --forward-host, DNS
# configuration, and no pasta left behind. The peers are made by this test
# (run as root); only nucleus runs unprivileged.
#
# Rootless pasta opens /dev/net/tun itself. Where that node is root-only
# (0600, as on this development machine; Debian's udev makes it 0666), the
# test re-runs itself in a private mount namespace with a 0666 node of the
# same device bound over it, which the host never sees.
. "$(dirname "$0")/lib/tap.sh"
need_root
command -v python3 >/dev/null || skip_all "python3 needed for the test peers"
command -v pasta >/dev/null || skip_all "pasta needed (Debian package passt)"
command -v nft >/dev/null || skip_all "nft needed (Debian package nftables)"

if [ -z "${NUCLEUS_NET_TUN:-}" ] && [ -c /dev/net/tun ] &&
	! "${NOBODY[@]}" sh -c ': <>/dev/net/tun' 2>/dev/null; then
	d=$(mktemp -d)
	exec unshare -m bash -c 'mount -t tmpfs -o mode=0755 tmpfs "$1" &&
		mknod -m 0666 "$1/tun" c 10 200 &&
		mount --bind "$1/tun" /dev/net/tun &&
		NUCLEUS_NET_TUN=$1 exec "$0"' "$0" "$d"
fi

tmp=$(mktemp -d)
chmod 755 "$tmp"
. "$(dirname "$0")/net-helpers.sh"
cleanup() {
	net_cleanup
	if [ -n "${NUCLEUS_NET_TUN:-}" ]; then
		umount -l "$NUCLEUS_NET_TUN" 2>/dev/null
		rmdir "$NUCLEUS_NET_TUN"
	fi
}
trap cleanup EXIT
[ -z "${NUCLEUS_NET_TUN:-}" ] ||
	diag "/dev/net/tun is root-only here: a 0666 node is bound over it in a private mount namespace"
N=("${NOBODY[@]}" "$NUCLEUS" --ro-bind "$tmp" "$tmp")
cli=(python3 "$tmp/cli.py")
net_peer_ns || skip_all "cannot make a test network namespace"
net_peer_srv peer tcp "$PEER4"
pp4=$port
net_peer_srv peerb tcp "$PEER4"
pp4b=$port
host_net=$(readlink /proc/self/ns/net)

# --- none and host ------------------------------------------------------------------
run "${N[@]}" -- "$PROBE" ifaces
is "$out" "lo up" "rootless none: only lo, up"
run "${N[@]}" -- python3 -c '
import socket
for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    l = socket.socket(fam); l.bind((addr, 0)); l.listen(1)
    c = socket.create_connection((addr, l.getsockname()[1]), timeout=3)
    a, _ = l.accept(); c.sendall(b"x"); print(addr, a.recv(1).decode())'
is "$(echo $out)" "127.0.0.1 x ::1 x" "rootless none: TCP over 127.0.0.1 and ::1"
run "${N[@]}" -- "$PROBE" connect-tcp "$PEER4" "$pp4"
is "$out" ENETUNREACH "rootless none: no route to the test peer"
run "${N[@]}" --net host -- "$PROBE" ns net
is "$out" "$host_net" "rootless --net host: the host's network namespace"
run "${N[@]}" --egress-allow 10.0.0.0/8 -- "$PROBE" ping-lo
is "$rc:$out" "0:ok" "rootless none --egress-allow: nft loads the rules in a userns-owned namespace"

# --- pasta -------------------------------------------------------------------------------
run "${N[@]}" --net pasta -- "$PROBE" ifaces
like "$(echo $out)" "^lo up [a-z0-9]+ up$" "rootless pasta: lo and pasta's interface, up"
run "${N[@]}" --net pasta -- cat /etc/resolv.conf
like "$out" "^nameserver 169\.254\.1\.1$" "rootless pasta: resolv.conf names pasta's DNS forwarder"
run "${N[@]}" --net pasta -- "${cli[@]}" tcp "$PEER4" "$pp4" rootless-out
is "$out" rootless-out "rootless pasta: the test peer answers through pasta"
E=("${N[@]}" --net pasta --egress-allow "$PEER4:$pp4")
run "${E[@]}" -- sh -c "${cli[*]} tcp $PEER4 $pp4 allowed; ${cli[*]} tcp $PEER4 $pp4b denied"
is "$(echo $out)" "allowed ECONNREFUSED" "rootless --egress-allow $PEER4:$pp4: that port answers, $pp4b refused"
is "$(cat "$tmp/peerb.log")" "" "... the denied port never saw a client"

net_host_srv hostlo tcp 127.0.0.1
hp=$port
run "${N[@]}" --net pasta -- "${cli[@]}" tcp 127.0.0.1 "$hp" no
is "$out" ECONNREFUSED "rootless pasta: the host's loopback is not reachable by default"
run "${N[@]}" --net pasta --forward-host "$hp" -- "${cli[@]}" tcp 127.0.0.1 "$hp" fwd
is "$out" fwd "rootless pasta --forward-host $hp: it is"

pub=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
net_serve pub "${N[@]}" --net pasta --publish "$pub:8080" -- \
	python3 "$tmp/srv.py" tcp 0.0.0.0 8080 /dev/null
pasta_pid=$(net_pasta_of "$serve_pid")
run "${cli[@]}" tcp 127.0.0.1 "$pub" published
is "$out" published "rootless --publish $pub:8080: a server inside answers"
is "$(ps -o user= -p "${pasta_pid:-0}")" nobody "pasta runs as the unprivileged user"
kill -TERM "$serve_pid"
wait "$serve_pid"
ok "... and is gone once nucleus has returned" net_gone "${pasta_pid:-0}"

net_serve kill9 "${N[@]}" --net pasta -- sh -c 'echo ready 0; exec sleep 30'
pasta_pid=$(net_pasta_of "$serve_pid")
kill -KILL "$serve_pid"
wait "$serve_pid" 2>/dev/null
for _ in $(seq 50); do net_gone "${pasta_pid:-0}" && break; sleep 0.1; done
ok "rootless nucleus killed with SIGKILL: its pasta (pid $pasta_pid) dies too" net_gone "${pasta_pid:-0}"
done_testing
