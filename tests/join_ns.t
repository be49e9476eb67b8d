#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --join-ns NS PATH (issue 16: what a pod's or podman's linux.namespaces[]
# path becomes): the sandbox is in that very net, ipc and uts namespace, sees
# what its owner set up there, keeps its host name unless told, and is not
# held to --share net's TCP rules; a path that is not such a namespace, or a
# network flag that would write into someone else's namespace, is 125 with
# one line. The holder is a plain `unshare` process, as a pause container is.
. "$(dirname "$0")/lib/tap.sh"
need_root

tmp=$(mktemp -d)
chmod 755 "$tmp"
holder=
cleanup() {
	[ -n "$holder" ] && kill "$holder" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
N=("$NUCLEUS")

# The pod: its own net, ipc and uts namespaces, lo up, a host name, and a
# TCP listener on its loopback.
unshare -n -i -u sh -c 'ip link set lo up; hostname podhost
	"$0" listen-tcp 127.0.0.1 4711 20 >"$1.out" 2>"$1.err" & exec sleep 60' "$PROBE" "$tmp/l" &
holder=$!
wait_for 5 grep -q 4711 "$tmp/l.err"
ns=/proc/$holder/ns
J=(--join-ns net "$ns/net" --join-ns ipc "$ns/ipc" --join-ns uts "$ns/uts")

run "${N[@]}" "${J[@]}" -- "$PROBE" seq ns net -- ns ipc -- ns uts
is "$(echo $out)" "$(readlink "$ns/net" "$ns/ipc" "$ns/uts" | xargs)" "the sandbox is in the pod's net, ipc and uts namespaces"
run "${N[@]}" -- "$PROBE" ns net
unlike "$out" "$(readlink "$ns/net")" "  control: without --join-ns, a namespace of its own"
run "${N[@]}" "${J[@]}" -- "$PROBE" hostname
is "$out" podhost "  the pod's host name is kept"
run "${N[@]}" "${J[@]}" -- "$PROBE" connect-tcp 127.0.0.1 4711
is "$out" ok "  the pod's loopback service is reachable (no --share net TCP rules)"
run "${N[@]}" -- "$PROBE" connect-tcp 127.0.0.1 4711
is "$out" ECONNREFUSED "  control: not from a namespace of its own"
run "${N[@]}" --join-ns uts "$ns/uts" --hostname web -- "$PROBE" hostname
is "$out" web "--hostname names the joined uts namespace"
is "$(nsenter -u -t "$holder" hostname)" web "  as its owner sees"

# Refusals: 125, one line, before anything exists.
for bad in "net /etc/passwd" "net $ns/ipc" "uts $ns/net" "pid $ns/pid" "net rel/path"; do
	# shellcheck disable=SC2086
	run "${N[@]}" --join-ns $bad -- "$PROBE" getpid
	is "$rc" 125 "--join-ns $bad: 125"
	is "$(printf '%s\n' "$err" | wc -l)" 1 "  one line: $err"
done
for bad in "--net pasta" "--net host" "--egress-allow 10.0.0.0/8"; do
	# shellcheck disable=SC2086
	run "${N[@]}" --join-ns net "$ns/net" $bad -- "$PROBE" getpid
	is "$rc" 125 "--join-ns net with $bad: 125 (the namespace is its owner's)"
done
run "${N[@]}" --join-ns net "$ns/net" --join-ns net "$ns/net" -- "$PROBE" getpid
is "$rc" 125 "the same NS twice: 125"
done_testing
