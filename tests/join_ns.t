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
holder= pod=
cleanup() {
	[ -n "$holder" ] && kill "$holder" 2>/dev/null
	[ -n "$pod" ] && kill $pod 2>/dev/null
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
for bad in "net /etc/passwd" "net $ns/ipc" "uts $ns/net" "pid $ns/net" "net rel/path"; do
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

# A pod's shared process namespace (Kubernetes shareProcessNamespace; its
# PID 1 is the pause container): the sandbox's init is a subreaper there.
unshare -p -f --kill-child sh -c 'exec sleep 60' </dev/null >/dev/null 2>&1 &
pod=$!
wait_for 5 sh -c "pgrep -P $pod >/dev/null"
p1=$(pgrep -P "$pod")
pod="$pod $p1"
run "${N[@]}" --join-ns pid "/proc/$p1/ns/pid" -- "$PROBE" seq ns pid -- cat /proc/1/comm -- getpid
set -- $out
is "$rc:$1" "0:$(readlink "/proc/$p1/ns/pid")" "--join-ns pid: the sandbox is in the pod's pid namespace${err:+: $err}"
is "$2" sleep "  its PID 1 is the pod's (/proc/1/comm: sleep)"
ok "  the workload is not pid 1 or 2 of a namespace of its own (getpid $3)" test "${3:-1}" -gt 2
run "${N[@]}" -- "$PROBE" seq ns pid -- getpid
is "$rc:$(echo $out | cut -d' ' -f2)" "0:2" "  control: without it, a pid namespace of its own (workload pid 2)"
run "${N[@]}" --join-ns pid "/proc/$p1/ns/pid" -- "$PROBE" exit 7
is "$rc" 7 "  the workload's exit code"
is "$(ls /proc/"$p1"/task/ | wc -l):$(pgrep -c -P "$p1")" "1:0" "  nothing of it is left in the pod"
run "${N[@]}" --join-ns pid "/proc/$p1/ns/pid" --share pid -- "$PROBE" getpid
is "$rc" 125 "--join-ns pid with --share pid: 125"
run "${NOBODY[@]}" "$NUCLEUS" --join-ns pid "/proc/$p1/ns/pid" -- "$PROBE" getpid
is "$rc:$(printf '%s\n' "$err" | wc -l)" "125:1" "  rootless: entering root's pid namespace is refused, one line: $err"
done_testing
