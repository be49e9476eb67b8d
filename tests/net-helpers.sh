# SPDX-License-Identifier: MIT
# Shared by tests/net*.t: small python3 peers (an echo server for TCP or UDP,
# a client that prints the echo or the errno name, a DNS server answering
# *.nucleus.test), servers started with a readiness line read from a FIFO
# (no sleeps), a test-made network namespace joined to the host by a veth
# pair (never a real outside address), and the pasta child of a nucleus.
# Sourced after lib/tap.sh; needs $tmp (readable by the sandbox).

net_bg_pids=()
net_ns=
net_cleanup() {
	local p
	for p in "${net_bg_pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${net_bg_pids[@]}"; do wait "$p" 2>/dev/null; done
	[ -z "$net_ns" ] || ip netns del "$net_ns" 2>/dev/null
	rm -rf "$tmp"
}

cat >"$tmp/srv.py" <<'EOF'
# srv.py tcp|udp ADDR PORT LOG: echoes one line per TCP connection (or each
# UDP datagram); prints "ready PORT" once bound, logs "got LINE" to LOG.
import socket, sys, threading
proto, addr, port, log = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM if proto == 'tcp' else socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
if proto == 'tcp':
    s.listen(16)
out = open(log, 'a', buffering=1)
print("ready", s.getsockname()[1], flush=True)
def serve(c):
    with c:
        f = c.makefile('rwb')
        line = f.readline()
        out.write("got %s\n" % line.decode().strip())
        f.write(line)
        f.flush()
while True:
    if proto == 'tcp':
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()
    else:
        d, peer = s.recvfrom(2048)
        out.write("got %s\n" % d.decode().strip())
        s.sendto(d, peer)
EOF

cat >"$tmp/cli.py" <<'EOF'
# cli.py tcp|udp ADDR PORT TOKEN: sends TOKEN, prints the echo, or the errno
# name (ECONNREFUSED, EPERM, ETIMEDOUT...) and exits 1.
import errno, socket, sys
proto, addr, port, token = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
try:
    if proto == 'tcp':
        s = socket.create_connection((addr, port), timeout=5)
        s.sendall((token + '\n').encode())
        print(s.makefile().readline().strip() or "EOF")
    else:
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.settimeout(5)
        s.sendto(token.encode(), (addr, port))
        print(s.recvfrom(2048)[0].decode().strip())
except socket.timeout:
    print("ETIMEDOUT")
    sys.exit(1)
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e)))
    sys.exit(1)
EOF

cat >"$tmp/dns.py" <<'EOF'
# dns.py ADDR LOG: a DNS server on ADDR:53 answering A queries for
# *.nucleus.test with 192.0.2.123 and everything else with no answer.
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 53))
out = open(sys.argv[2], 'a', buffering=1)
print("ready 53", flush=True)
while True:
    q, peer = s.recvfrom(512)
    i, labels = 12, []
    while q[i]:
        labels.append(q[i + 1:i + 1 + q[i]].decode())
        i += q[i] + 1
    qtype = struct.unpack('!H', q[i + 1:i + 3])[0]
    name = '.'.join(labels)
    out.write("query %s %d\n" % (name, qtype))
    ans = b''
    if qtype == 1 and name.endswith('nucleus.test'):
        ans = b'\xc0\x0c' + struct.pack('!HHIH', 1, 1, 60, 4) + \
            socket.inet_aton('192.0.2.123')
    s.sendto(q[:2] + b'\x81\x80' + struct.pack('!HHHH', 1, 1 if ans else 0,
             0, 0) + q[12:i + 5] + ans, peer)
EOF
chmod 644 "$tmp"/*.py

# net_serve NAME CMD...: runs CMD in the background, its stdout on a FIFO;
# waits for its "ready PORT" line and sets $port, $serve_pid, and $serve_fd
# (the FIFO, kept open: later lines can be read, and a later write never
# meets a closed pipe).
net_serve() {
	local name=$1 line
	shift
	mkfifo "$tmp/$name.fifo"
	"$@" >"$tmp/$name.fifo" 2>"$tmp/$name.err" &
	serve_pid=$!
	net_bg_pids+=($!)
	exec {serve_fd}<"$tmp/$name.fifo"
	port=
	read -r -t 20 -u "$serve_fd" line && port=${line##* }
	[ -n "$port" ] || diag "$name did not start: $(cat "$tmp/$name.err")"
}

# A server of the test on the host: net_host_srv NAME tcp|udp ADDR.
net_host_srv() {
	net_serve "$1" python3 "$tmp/srv.py" "$2" "$3" 0 "$tmp/$1.log"
}

# net_peer_ns: a network namespace of the test, joined to the host by a
# veth pair: the host side is $HOST4/$HOST6, the peer $PEER4/$PEER6 (the
# private /30 $NET4 and a ULA /64), and no route leads anywhere else.
net_peer_ns() {
	local n=$(($$ % 200 + 20)) h=nnh$$ p=nnp$$
	net_ns=nucleus-net-$$
	HOST4=10.213.$n.1 PEER4=10.213.$n.2 NET4=10.213.$n.0/30
	HOST6=fd42:213:$n::1 PEER6=fd42:213:$n::2
	ip netns add "$net_ns" &&
		ip link add "$h" type veth peer name "$p" &&
		ip link set "$p" netns "$net_ns" &&
		ip addr add "$HOST4/30" dev "$h" &&
		ip -6 addr add "$HOST6/64" dev "$h" nodad &&
		ip link set "$h" up &&
		ip -n "$net_ns" addr add "$PEER4/30" dev "$p" &&
		ip -n "$net_ns" -6 addr add "$PEER6/64" dev "$p" nodad &&
		ip -n "$net_ns" link set "$p" up &&
		ip -n "$net_ns" link set lo up
}

# A server in the peer namespace: net_peer_srv NAME tcp|udp ADDR.
net_peer_srv() {
	net_serve "$1" ip netns exec "$net_ns" python3 "$tmp/srv.py" "$2" "$3" 0 \
		"$tmp/$1.log"
}

# The pasta process a running nucleus (pid $1) started, if any, and the
# sandbox's init (whose namespaces are the sandbox's).
net_pasta_of() {
	ps -o pid=,comm= --ppid "$1" | awk '$2 ~ /^pas/ { print $1 }'
}
net_init_of() {
	ps -o pid=,comm= --ppid "$1" | awk '$2 !~ /^pas/ { print $1 }'
}
# Every live pasta process of the machine (passt.avx2 once re-executed).
net_all_pasta() {
	ps -eo pid=,stat=,comm= | awk '$2 !~ /^Z/ && $3 ~ /^pas/ { print $1 }'
}
# net_tagged_pasta PORT: the live pastas publishing PORT (a port that only
# one test asks for: pasta runs with an empty environment, so its command
# line is what tells ours from another test suite's pastas meanwhile).
net_tagged_pasta() {
	local p
	for p in $(net_all_pasta); do
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qw -- "$1" && echo "$p"
	done
}

# Whether pid $1 is gone (or dead: a zombie not yet reaped by init).
net_gone() {
	local s
	s=$(ps -o stat= -p "$1" 2>/dev/null) || return 0
	case $s in Z*) return 0 ;; esac
	return 1
}
