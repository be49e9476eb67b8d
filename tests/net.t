#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Networking as root: --net none (lo works, nothing routes out), --net host
# (the host's namespace and loopback), --net pasta (outbound only through
# pasta; the host's loopback only through --forward-host; --publish reaches a
# server inside; DNS through pasta to the host's resolver), --egress-allow
# (nftables in the sandbox's own namespace: the allowed port answers, another
# port of the same peer is refused, the host's ruleset is never touched), and
# pasta never outlives its sandbox. Every peer is on loopback or in a network
# namespace this test makes; no real outside address is ever used.
# tests/net_rootless.t has the unprivileged variants.
. "$(dirname "$0")/lib/tap.sh"
need_root
command -v python3 >/dev/null || skip_all "python3 needed for the test peers"
command -v pasta >/dev/null || skip_all "pasta needed (Debian package passt)"
command -v nft >/dev/null || skip_all "nft needed (Debian package nftables)"

tmp=$(mktemp -d)
chmod 755 "$tmp"
. "$(dirname "$0")/net-helpers.sh"
trap net_cleanup EXIT
N=("$NUCLEUS" --ro-bind "$tmp" "$tmp")
cli=(python3 "$tmp/cli.py")
net_peer_ns || skip_all "cannot make a test network namespace"

# --- none: the default --------------------------------------------------------
run "${N[@]}" -- "$PROBE" ifaces
is "$out" "lo up" "none: only lo, and it is up"
run "${N[@]}" -- "$PROBE" ns net
host_net=$(readlink /proc/self/ns/net)
ok "none: a network namespace of its own ($out)" test -n "$out" -a "$out" != "$host_net"
run "${N[@]}" --net none -- python3 -c '
import socket
for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    l = socket.socket(fam); l.bind((addr, 0)); l.listen(1)
    c = socket.create_connection((addr, l.getsockname()[1]), timeout=3)
    a, _ = l.accept(); c.sendall(b"x"); print(addr, a.recv(1).decode())'
is "$(echo $out)" "127.0.0.1 x ::1 x" "none: TCP over 127.0.0.1 and ::1 works inside"
net_peer_srv peer4 tcp "$PEER4"
p4=$port
run "${cli[@]}" tcp "$PEER4" "$p4" hello-host
is "$out" hello-host "control: the host reaches the test peer $PEER4:$p4"
run "${N[@]}" -- "$PROBE" connect-tcp "$PEER4" "$p4"
is "$out" ENETUNREACH "none: no route out to the same peer"
run "${N[@]}" -- "$PROBE" connect-tcp "$PEER6" 80
is "$out" ENETUNREACH "none: no IPv6 route out either"

# --- host -----------------------------------------------------------------------
net_host_srv hostlo tcp 127.0.0.1
hp=$port
run "${N[@]}" --net host -- "$PROBE" ns net
is "$out" "$host_net" "host: the host's network namespace"
run "${N[@]}" --net host --allow-connect "$hp" -- "${cli[@]}" tcp 127.0.0.1 "$hp" via-host
is "$out" via-host "host: a listener on the host's 127.0.0.1 answers (--allow-connect $hp)"
run "${N[@]}" --net host -- "$PROBE" connect-tcp 127.0.0.1 "$hp"
is "$out" EACCES "host: Landlock denies TCP ports not given to --allow-connect"
run "${N[@]}" --share net --allow-connect "$hp" -- "${cli[@]}" tcp 127.0.0.1 "$hp" via-share
is "$out" via-share "--share net is still the host's network (alias of --net host)"
run "${N[@]}" -- "$PROBE" connect-tcp 127.0.0.1 "$hp"
is "$out" ECONNREFUSED "control: none has its own 127.0.0.1, without that listener"

# --- production -------------------------------------------------------------------
run "${N[@]}" --mode production --net host -- "$PROBE" getpid
is "$rc" 125 "production: --net host without --allow-host-net is 125"
like "$err" "^nucleus: args: --net host: .*refused in --mode production without --allow-host-net" "... naming the flag"
is "$out" "" "... and nothing ran"
run "${N[@]}" --mode production --share net -- "$PROBE" getpid
is "$rc" 125 "production: --share net without --allow-host-net is 125"
run "${N[@]}" --mode production --net host --allow-host-net -- "$PROBE" ns net
is "$rc:$out" "0:$host_net" "production: --allow-host-net permits the host's network"

# --- bad values, end to end ------------------------------------------------------------
bad() { # NEEDLE ARGS...: 125, one line naming the flag, nothing ran
	local needle=$1
	shift
	run "${N[@]}" "$@" -- "$PROBE" getpid
	is "$rc:$out" "125:" "refused: $*"
	like "$err" "^nucleus: args: $needle" "... says: $err"
	is "$(printf '%s\n' "$err" | wc -l)" 1 "... in one line"
}
bad "--net: 'bridge' is not none, host or pasta" --net bridge
bad "--publish: '80' is not HOST:CONTAINER" --net pasta --publish 80
bad "--publish: needs --net pasta" --publish 8080:80
bad "--forward-host: needs --net pasta" --forward-host 5432
bad "--egress-allow: '10.0.0.300/8' is not CIDR" --egress-allow 10.0.0.300/8
bad "--egress-allow: '10.0.0.1/8' has bits set beyond /8" --egress-allow 10.0.0.1/8
bad "--egress-allow: would filter the host's own network" --net host --egress-allow 10.0.0.0/8
bad "--share net: conflicts with --net pasta" --share net --net pasta

# --- pasta ------------------------------------------------------------------------------
run "${N[@]}" --net pasta -- "$PROBE" ifaces
like "$(echo $out)" "^lo up [a-z0-9]+ up$" "pasta: lo and pasta's interface, both up ($(echo $out))"
run "${N[@]}" --net pasta -- cat /etc/resolv.conf
like "$out" "^nameserver 169\.254\.1\.1$" "pasta: /etc/resolv.conf names pasta's DNS forwarder"
ok "... over an unchanged host file" test "$(grep -c 169.254.1.1 /etc/resolv.conf)" = 0
# systemd-resolved hosts: /etc/resolv.conf links into /run, which the
# sandbox has not. Emulated in a private mount namespace by a copy of /etc
# where it is such a dangling link, bound over /etc.
cat >"$tmp/resolved.sh" <<EOF
mount -t tmpfs tmpfs "$tmp/etc" && cp -a /etc/. "$tmp/etc/" &&
	ln -sfn ../run/systemd/resolve/stub-resolv.conf "$tmp/etc/resolv.conf" &&
	mount --bind "$tmp/etc" /etc && exec "\$@"
EOF
mkdir "$tmp/etc"
run unshare -m sh "$tmp/resolved.sh" "${N[@]}" --net pasta -- sh -c \
	'readlink /etc/resolv.conf || cat /etc/resolv.conf'
like "$out" "^nameserver 169\.254\.1\.1$" "a host resolv.conf that is a symlink out of /etc: the sandbox still reads pasta's"
run "${N[@]}" --net pasta -- "${cli[@]}" tcp "$PEER4" "$p4" via-pasta
is "$out" via-pasta "pasta: the test peer $PEER4 answers through pasta"
# pasta gives the sandbox IPv6 only when the host has an IPv6 default route.
have6=$(ip -6 route show default 2>/dev/null)
net_peer_srv peer6 tcp "$PEER6"
p6=$port
if [ -n "$have6" ]; then
	run "${N[@]}" --net pasta -- "${cli[@]}" tcp "$PEER6" "$p6" via-pasta6
	is "$out" via-pasta6 "pasta: and over IPv6 ($PEER6)"
else
	skip "no IPv6 default route on this host: pasta gives no IPv6" unsupported
fi
run "${N[@]}" --net pasta -- "${cli[@]}" tcp 127.0.0.1 "$hp" no-map
is "$out" ECONNREFUSED "pasta: the host's loopback listener is not at the sandbox's 127.0.0.1"
run "${N[@]}" --net pasta --forward-host "$hp" -- "${cli[@]}" tcp 127.0.0.1 "$hp" forwarded
is "$out" forwarded "pasta --forward-host $hp: the host's loopback listener answers"
run "${N[@]}" --net pasta --forward-host "$hp:7777" -- "${cli[@]}" tcp 127.0.0.1 7777 remapped
is "$out" remapped "pasta --forward-host $hp:7777: at another port inside"
ok "the host's listener saw exactly the forwarded clients" \
	test "$(cat "$tmp/hostlo.log" | tr '\n' ' ')" = "got via-host got via-share got forwarded got remapped "

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
pub=$(free_port)
run "${cli[@]}" tcp 127.0.0.1 "$pub" nothing-yet
is "$out" ECONNREFUSED "control: nothing listens on host port $pub"
net_serve pub "${N[@]}" --net pasta --publish "$pub:8080" -- \
	python3 "$tmp/srv.py" tcp 0.0.0.0 8080 /dev/null
inner=$port
npid=$serve_pid
pp=$(net_pasta_of "$npid")
run "${cli[@]}" tcp 127.0.0.1 "$pub" published
is "$inner:$out" "8080:published" "--publish $pub:8080: a server inside answers on the host's port"
ok "pasta runs while the sandbox does (pid $pp)" test -n "$pp"
kill -TERM "$npid"
wait "$npid"
ok "... and is gone once nucleus has returned" net_gone "${pp:-0}"
run "${cli[@]}" tcp 127.0.0.1 "$pub" after
is "$out" ECONNREFUSED "... with its host port closed"

# The same port on both sides: Debian 12's pasta (2023-03) loses the UDP
# replies of a remapped port (H:C with H != C) sent to the host's loopback.
upub=$(free_port)
net_serve upub "${N[@]}" --net pasta --publish "$upub:$upub/udp" -- \
	python3 "$tmp/srv.py" udp 0.0.0.0 "$upub" /dev/null
run "${cli[@]}" udp 127.0.0.1 "$upub" datagram
is "$out" datagram "--publish $upub:$upub/udp: a UDP server inside answers"
kill -TERM "$serve_pid"

# --- egress: nftables in the sandbox's own namespace ------------------------------------------
net_peer_srv peer4b tcp "$PEER4"
p4b=$port
net_peer_srv peer4u udp "$PEER4"
p4u=$port
run "${N[@]}" --net pasta -- "${cli[@]}" tcp "$PEER4" "$p4b" control-b
is "$out" control-b "control: without --egress-allow the peer's port $p4b answers"
E=("${N[@]}" --net pasta --egress-allow "$PEER4:$p4")
run "${E[@]}" -- "${cli[@]}" tcp "$PEER4" "$p4" allowed
is "$out" allowed "--egress-allow $PEER4:$p4: that port answers"
run "${E[@]}" -- "${cli[@]}" tcp "$PEER4" "$p4b" denied
is "$out" ECONNREFUSED "... port $p4b of the same peer is refused at once"
run "${E[@]}" -- "${cli[@]}" udp "$PEER4" "$p4u" denied-udp
is "$out" EPERM "... UDP to it is refused too"
if [ -n "$have6" ]; then
	run "${E[@]}" -- "${cli[@]}" tcp "$PEER6" "$p6" denied6
	is "$out" ECONNREFUSED "... and IPv6 to the peer"
else
	skip "no IPv6 default route on this host: pasta gives no IPv6" unsupported
fi
ok "the peer never saw a denied client" \
	test "$(cat "$tmp"/peer4b.log "$tmp"/peer4u.log "$tmp"/peer6.log | tr '\n' ' ')" = "got control-b ${have6:+got via-pasta6 }"
run "${N[@]}" --net pasta --egress-allow "$NET4" --egress-allow "[$PEER6]:$p6" -- sh -c \
	"${cli[*]} tcp $PEER4 $p4b net; ${cli[*]} udp $PEER4 $p4u net-udp"
is "$(echo $out)" "net net-udp" "--egress-allow $NET4: every port and protocol of the /30"
if [ -n "$have6" ]; then
	run "${N[@]}" --net pasta --egress-allow "$NET4" --egress-allow "[$PEER6]:$p6" -- \
		"${cli[@]}" tcp "$PEER6" "$p6" v6
	is "$out" v6 "--egress-allow [$PEER6]:$p6: that IPv6 port"
else
	skip "no IPv6 default route on this host: pasta gives no IPv6" unsupported
fi
run "${E[@]}" -- sh -c "nft delete table inet nucleus; ${cli[*]} tcp $PEER4 $p4b tampered"
is "$out" ECONNREFUSED "the workload cannot delete the rules (no CAP_NET_ADMIN): still refused"

# The rules are in the sandbox's namespace while it runs, never the host's.
host_rules=$(nft list ruleset)
net_serve live "${E[@]}" -- sh -c 'echo ready 0; exec sleep 30'
npid=$serve_pid
init=$(net_init_of "$npid")
run nsenter -t "$init" -n nft list ruleset
like "$out" "table inet nucleus" "the sandbox's namespace holds table inet nucleus"
like "$out" "ip daddr $PEER4 .*th dport $p4 accept" "... with the allowed peer"
is "$(nft list ruleset)" "$host_rules" "the host's ruleset is unchanged meanwhile"
unlike "$(nft list tables)" "nucleus" "... and has no nucleus table"
kill -TERM "$npid"

# Egress in --net none: only lo exists there, so the test moves one end of
# a veth pair into the running sandbox (as an orchestrator would), the other
# into the peer namespace, and the workload tries both peer ports.
run "${N[@]}" --egress-allow 10.0.0.0/8 -- "$PROBE" ping-lo
is "$out" ok "none with --egress-allow: lo still works"
n=$(($$ % 200 + 20))
VIN=10.214.$n.1 VPEER=10.214.$n.2
net_peer_srv vpeer1 tcp 0.0.0.0
vp1=$port
net_peer_srv vpeer2 tcp 0.0.0.0
vp2=$port
mkfifo "$tmp/go.fifo"
net_serve vnone "${N[@]}" --egress-allow "$VPEER:$vp1" -- sh -c \
	"echo ready 0; read go <$tmp/go.fifo; ${cli[*]} tcp $VPEER $vp1 veth-allowed; ${cli[*]} tcp $VPEER $vp2 veth-denied"
init=$(net_init_of "$serve_pid")
ip link add nvx$$ type veth peer name nvy$$ &&
	ip link set nvy$$ netns "$net_ns" &&
	ip -n "$net_ns" addr add "$VPEER/30" dev nvy$$ &&
	ip -n "$net_ns" link set nvy$$ up &&
	ip link set nvx$$ netns "$init" &&
	nsenter -t "$init" -n ip addr add "$VIN/30" dev nvx$$ &&
	nsenter -t "$init" -n ip link set nvx$$ up
ok "a veth end moved into the running --net none sandbox" test $? = 0
echo go >"$tmp/go.fifo"
read -r -t 20 -u "$serve_fd" a
read -r -t 20 -u "$serve_fd" b
is "$a $b" "veth-allowed ECONNREFUSED" "none --egress-allow $VPEER:$vp1 over the veth: that port answers, $vp2 refused"
wait "$serve_pid"

# DNS: pasta forwards to the host's resolver, here one of the test on
# loopback, named by a resolv.conf bound in a private mount namespace.
# Its address is this run's own: a second test suite beside this one
# serves on the host's loopback too.
dns_ip=127.77.$(($$ / 250 % 250 + 1)).$(($$ % 250 + 1))
cat >"$tmp/resolv.conf" <<EOF
nameserver $dns_ip
EOF
cat >"$tmp/dns.sh" <<EOF
mount --bind "$tmp/resolv.conf" /etc/resolv.conf || exit 1
python3 "$tmp/dns.py" $dns_ip "$tmp/dns.log" >"$tmp/dns.fifo" &
read -r line <"$tmp/dns.fifo"
"\$@"
r=\$?
kill \$!
wait \$! # gone, port 53 free, before the next run's server binds it
exit \$r
EOF
mkfifo "$tmp/dns.fifo"
run unshare -m bash "$tmp/dns.sh" "${N[@]}" --net pasta -- getent ahostsv4 dns.nucleus.test
like "$out" "^192\.0\.2\.123 " "DNS: a name resolves inside through pasta to the host's resolver"
like "$(cat "$tmp/dns.log" 2>/dev/null)" "query dns.nucleus.test 1" "... which saw the query"
run unshare -m bash "$tmp/dns.sh" "${N[@]}" --net pasta --egress-allow 10.0.0.0/8 -- getent ahostsv4 egress.nucleus.test
like "$out" "^192\.0\.2\.123 " "DNS still works under --egress-allow (the forwarder is allowed)"

# Landlock's TCP rules (--allow-connect) on top of pasta.
run "${N[@]}" --net pasta --allow-connect "$p4" -- sh -c \
	"${cli[*]} tcp $PEER4 $p4 landlock-ok; ${cli[*]} tcp $PEER4 $p4b landlock-no"
is "$(echo $out)" "landlock-ok EACCES" "--net pasta --allow-connect $p4: that port works, Landlock denies $p4b"

# Where the kernel refuses every namespace (tests/denyns, a seccomp filter
# like a container runtime's), nucleus degrades to a sandbox without its own
# network namespace: pasta would then configure the host's, and no egress
# rule would load. Both are refused instead.
if [ -x "$OUT/denyns" ]; then
	tag=$((20000 + ($$ + 1) % 20000))
	for flag in "--net pasta --publish $tag:$tag" "--egress-allow 10.0.0.0/8"; do
		run "$OUT/denyns" all "${N[@]}" $flag -- "$PROBE" getpid
		is "$rc:$out" "125:" "no namespaces allowed: ${flag% --publish*} is refused (125), nothing ran"
		like "$err" "nucleus: net: .*need a network namespace of the sandbox's own" "... saying why"
		is "$(net_tagged_pasta "$tag")" "" "... and no pasta was started"
	done
	run "$OUT/denyns" all "${N[@]}" -- "$PROBE" ns net
	is "$rc:$out" "0:$host_net" "control: without them the degraded sandbox runs (on the host's network)"
else
	skip "build/out/denyns not built"
fi

# --- pasta's lifetime -----------------------------------------------------------------------
net_serve kill9 "${N[@]}" --net pasta -- sh -c 'echo ready 0; exec sleep 30'
npid=$serve_pid
pp=$(net_pasta_of "$npid")
ok "a running sandbox has its pasta (pid $pp)" test -n "$pp"
kill -KILL "$npid"
wait "$npid" 2>/dev/null
for _ in $(seq 50); do net_gone "${pp:-0}" && break; sleep 0.1; done
ok "nucleus killed with SIGKILL: its pasta dies too (PDEATHSIG)" net_gone "${pp:-0}"

# A pasta that cannot start is a setup error: here a host with no route
# out (a fresh network namespace), where pasta finds no interface to copy.
tag=$((20000 + $$ % 20000))
run unshare -n "${N[@]}" --net pasta --publish "$tag:$tag" -- "$PROBE" getpid
is "$rc:$out" "125:" "pasta fails to start (no routable interface): 125, nothing ran"
like "$err" "nucleus: net: pasta failed before it was ready \(exit 1\)" "... saying pasta failed"
is "$(net_tagged_pasta "$tag")" "" "... and leaves no pasta behind"
done_testing
