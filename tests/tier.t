#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Degradation tiers, made to happen for real: a seccomp filter that refuses
# namespaces (as Docker's default profile does) around nucleus, a root
# without CAP_SYS_ADMIN. Agent mode runs at the best tier that works, says
# so on stderr and in the report, and still confines; production and
# --min-tier refuse with the reason and a hint. Never a silent unconfined run.
. "$(dirname "$0")/lib/tap.sh"
need_root

DENY=$OUT/denyns
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
hostnet=$(readlink /proc/self/ns/net)

run "$NUCLEUS" --report fd:3 -- "$PROBE" ns net 3>"$tmp/r0"
ok "control: full tier, own net namespace" test "$out" != "$hostnet"
is "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tier"])' "$tmp/r0")" full "control: the report says full"
is "$err" "" "control: nothing on stderr"

# Namespaces refused: confine-only, said loudly, still confined.
run "$DENY" all "$NUCLEUS" --report fd:3 -- "$PROBE" ns net 3>"$tmp/r1"
is "$rc:$out" "0:$hostnet" "namespaces refused: the command runs in the host's namespaces"
like "$err" 'tier confine-only .*Operation not permitted.*hint:' "... and stderr says the tier, why, and a hint"
is "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["tier"], "tier_reason" in r)' "$tmp/r1")" "confine-only True" \
	"... and so does the report"
run "$DENY" all "$NUCLEUS" -- "$PROBE" seq caps -- nnp -- status Seccomp
like "$(echo $out)" 'CapInh=0+ CapPrm=0+ CapEff=0+ CapBnd=0+ CapAmb=0+ 1 2$' "confine-only: no capability, no_new_privs, seccomp filter"
run "$DENY" all "$NUCLEUS" -- "$PROBE" create "$tmp/written"
is "$out" EACCES "confine-only: Landlock refuses a write to a host dir outside its rules"
ok "... and nothing appeared" test ! -e "$tmp/written"
run "$DENY" all "$NUCLEUS" --no-landlock --user 0 -- "$PROBE" create "$tmp/written"
is "$out" ok "control: the same write without Landlock lands (as root: --user 0)"
# No mount namespace hides the host's root-only files: root's workload
# runs as nobody unless --user 0 asks for root (issue 14, item 1).
run "$DENY" all "$NUCLEUS" -- "$PROBE" seq id -- read /etc/shadow
like "$(echo $out)" "^uid=65534 gid=65534 .* EACCES$" "confine-only as root: the workload is nobody, /etc/shadow refused"
like "$err" "runs as nobody" "... and stderr says so"
run "$DENY" all "$NUCLEUS" --user 0 -- "$PROBE" seq id -- read /etc/shadow
like "$(echo $out)" "^uid=0 gid=0 .* ok$" "control: --user 0 keeps root, who reads it"
run "$DENY" all "$NUCLEUS" -- "$PROBE" exit 7
is "$rc" 7 "confine-only: the exit code contract holds"

run "$DENY" all "$NUCLEUS" --mode production -- /bin/true
is "$rc" 125 "production refuses to run below tier full"
like "$err" 'below --min-tier full: confine-only.*hint:' "... with the reason and a hint"
run "$DENY" all "$NUCLEUS" --min-tier no-userns -- /bin/true
is "$rc" 125 "--min-tier no-userns refuses confine-only, in agent mode too"
run "$DENY" all "$NUCLEUS" --mode production --min-tier confine-only -- /bin/true
is "$rc" 0 "production accepts confine-only when it is the declared floor"

# --net none where no network namespace can be made: not looser than
# --share net. Landlock denies TCP connect and bind (ABI 4) and scopes
# abstract unix sockets and signals (ABI 6); the report says what nothing
# here enforces (UDP; connect to a named unix socket, which Landlock governs
# only from ABI 8). Controls: --allow-connect / --allow-bind / --no-landlock.
abi=$("$PROBE" raw 444 0 0 1)
report() { # FILE KEY...: the report's value at KEY... as JSON
	python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2:]: v=v[k]
print(json.dumps(v))' "$@"
}
if [ "${abi:-0}" -ge 6 ]; then
	for who in root nobody; do
		as=()
		[ $who = nobody ] && as=("${NOBODY[@]}")
		tcp_listener
		run "$DENY" all "${as[@]}" "$NUCLEUS" --report fd:3 -- "$PROBE" connect-tcp 127.0.0.1 "$port" 3>"$tmp/rn"
		is "$out" EACCES "confine-only, $who, --net none: TCP connect to a host loopback listener: EACCES"
		run "$DENY" all "${as[@]}" "$NUCLEUS" --allow-connect "$port" -- "$PROBE" connect-tcp 127.0.0.1 "$port"
		is "$out" ok "... control: with --allow-connect $port it connects"
		wait
		run "$DENY" all "${as[@]}" "$NUCLEUS" -- "$PROBE" bind-tcp 127.0.0.1 23461
		is "$out" EACCES "confine-only, $who, --net none: TCP bind: EACCES"
		run "$DENY" all "${as[@]}" "$NUCLEUS" --allow-bind 23461 -- "$PROBE" bind-tcp 127.0.0.1 23461
		is "$out" ok "... control: with --allow-bind 23461 it binds"
		"${as[@]}" "$PROBE" abstract-bind "nucleus-tier-$$" 10 >/dev/null 2>&1 &
		for _ in $(seq 250); do grep -q "@nucleus-tier-$$" /proc/net/unix && break; sleep 0.02; done
		run "$DENY" all "${as[@]}" "$NUCLEUS" -- "$PROBE" abstract-connect "nucleus-tier-$$"
		is "$out" EPERM "confine-only, $who, --net none: abstract unix socket of the host: EPERM"
		run "$DENY" all "${as[@]}" "$NUCLEUS" --no-landlock -- "$PROBE" abstract-connect "nucleus-tier-$$"
		is "$out" ok "... control: without Landlock it connects"
		wait
		is "$(report "$tmp/rn" net)" '{"mode": "none", "namespace": "host", "denied": ["tcp_connect", "tcp_bind", "abstract_unix", "signal"], "not_enforced": ["udp", "named_unix_connect"]}' \
			"confine-only, $who: the report's net section: denied and not enforced"
		like "$(report "$tmp/rn" warnings)" 'UDP .*named unix socket' "... and a warning says what is not restricted"
	done
	run "$DENY" all "$NUCLEUS" --report fd:3 -- "$PROBE" ping-lo 3>"$tmp/rn"
	is "$out" ok "confine-only: UDP is not restricted (listed as not enforced)"
	run "$DENY" all "$NUCLEUS" --report fd:3 --no-landlock -- /bin/true 3>"$tmp/rn"
	like "$(report "$tmp/rn" net not_enforced)" 'tcp_connect.*tcp_bind.*abstract_unix.*signal.*udp' \
		"--no-landlock: the report lists TCP, abstract sockets and signals as not enforced too"
	run "$NUCLEUS" --report fd:3 -- "$PROBE" bind-tcp 127.0.0.1 23461 3>"$tmp/rn"
	is "$out:$(report "$tmp/rn" net)" 'ok:{"mode": "none", "namespace": "own"}' \
		"control: full tier, own network namespace: nothing to deny, TCP binds there"
	run "$DENY" all "$NUCLEUS" --mode production --min-tier confine-only -- "$PROBE" bind-tcp 127.0.0.1 23461
	is "$out" EACCES "production at a declared confine-only floor: the same TCP deny"
else
	skip "Landlock ABI ${abi:-0} has no TCP rules or scoping" unsupported
fi

# Only the user namespace refused: no-userns keeps the other namespaces.
run "$DENY" user "$NUCLEUS" --userns -- "$PROBE" seq ns net -- id
like "$(echo $out)" "^net:.* uid=0 " "--userns refused: no-userns tier, still its own namespaces"
unlike "$out" "$hostnet" "... the net namespace is not the host's"
like "$err" 'tier no-userns' "... and stderr says so"
run "$DENY" user "$NUCLEUS" -- "$PROBE" ns net
unlike "$err" "tier" "control: as root without --userns no tier is stepped down"
like "$err" "root-only files stay readable: no id-mapped view" "... but the id-mapped view of the host's dirs needs a user namespace: said"
run "$DENY" user "$NUCLEUS" --mode production -- /bin/true
is "$rc" 125 "... which production refuses"

# A root without CAP_SYS_ADMIN (a container's default capabilities).
run setpriv --bounding-set -sys_admin --inh-caps -sys_admin -- "$NUCLEUS" -- "$PROBE" ns net
is "$rc:$out" "0:$hostnet" "no CAP_SYS_ADMIN: confine-only"
like "$err" 'tier confine-only' "... said on stderr"

# Rootless with user namespaces refused: confine-only, as that user.
run "$DENY" all "${NOBODY[@]}" "$NUCLEUS" -- "$PROBE" id
is "$rc:$out" "0:uid=65534 gid=65534 euid=65534 egid=65534 groups=" "rootless, no user namespace: confine-only as the caller"
run "$DENY" all "${NOBODY[@]}" "$NUCLEUS" --user 1000 -- /bin/true
is "$rc" 125 "... where --user cannot be honoured: 125"
done_testing
