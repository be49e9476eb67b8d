#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --name (issue 17): an argv sandbox registered in the state directory while
# it runs, reached by list, state, exec and kill like an OCI container;
# names are unique, a dead monitor's stale entry never blocks a new run, and
# a rootless user neither sees nor enters root's.
. "$(dirname "$0")/lib/tap.sh"
need_root
NB=$NUCLEUS_BIN

tmp=$(mktemp -d)
chmod 755 "$tmp"
n=t$$-$RANDOM
bg=
cleanup() {
	[ -n "$bg" ] && kill -9 "$bg" 2>/dev/null
	"$NB" delete --force "$n" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
state() { "$NB" state "$n" 2>/dev/null | sed -n 's/.*"status": "\([a-z]*\)".*/\1/p'; }

"$NUCLEUS" --name "$n" -- "$PROBE" sleep 60 &
bg=$!
ok "--name: the sandbox is registered, running" wait_for 10 sh -c '[ "$("$0" state "$1" 2>/dev/null | grep -c running)" = 1 ]' "$NB" "$n"
run "$NB" list
like "$out" "^$n +[0-9]+ +running" "nucleus list shows it"
init=$("$NB" state "$n" | sed -n 's/.*"pid": \([0-9]*\),.*/\1/p')
like "$(readlink /proc/"$init"/exe)" 'memfd:nucleus-init' "  state's pid is its init"
run "$NB" exec "$n" -- "$PROBE" ns pid
is "$out" "$(readlink /proc/"$init"/ns/pid)" "nucleus exec NAME: in the sandbox's pid namespace"
run "$NB" exec "$n" -- "$PROBE" caps
is "$out" "$("$NUCLEUS" -- "$PROBE" caps)" "  with the capability sets of a workload of the same flags"
run "$NB" exec "$n" -- "$PROBE" ls /home
is "$out" ENOENT "  and its mount tree (no host /home)"
run "$NB" exec -u 1000:1000 "$n" -- "$PROBE" id
like "$out" '^uid=1000 gid=1000 ' "  exec -u 1000:1000"
run "$NB" exec --process /dev/null "$n"
is "$rc" 125 "  exec --process: only for OCI containers, 125"

run "$NUCLEUS" --name "$n" -- "$PROBE" getpid
is "$rc" 125 "the same name while it runs: 125"
like "$err" "a sandbox of that name is running" "  one line saying so"

"$NB" kill "$n" TERM
wait "$bg"
is "$?" 143 "nucleus kill NAME TERM: the sandbox's nucleus exits 143"
bg=
ok "  its entry is gone" test -z "$("$NB" list | grep "^$n ")"

# A monitor killed outright leaves a stale entry; it never blocks.
"$NUCLEUS" --name "$n" -- "$PROBE" sleep 60 &
bg=$!
wait_for 10 sh -c '"$0" state "$1" 2>/dev/null | grep -q running' "$NB" "$n"
kill -9 "$bg"
wait "$bg" 2>/dev/null
bg=
ok "a killed monitor: its entry reads stopped" wait_for 10 sh -c '"$0" state "$1" | grep -q stopped' "$NB" "$n"
# ... and so does one killed while it was still setting up (creating).
sed -i 's/"nucleus_status": *"[a-z]*"/"nucleus_status":"creating"/' "/run/nucleus/$n/state.json"
like "$(cat "/run/nucleus/$n/state.json")" '"nucleus_status":"creating"' "  (its entry made to say creating)"
like "$("$NB" state "$n")" '"status": "stopped"' "  a creating entry whose monitor is gone reads stopped"
run "$NUCLEUS" --name "$n" -- "$PROBE" getpid
is "$rc:$out" "0:2" "  and the name runs again at once"

# Rootless: its own state directory; root's is out of reach.
mkdir -m 700 "$tmp/xdg" && chown 65534:65534 "$tmp/xdg"
"$NUCLEUS" --name "$n" -- "$PROBE" sleep 60 &
bg=$!
wait_for 10 sh -c '"$0" state "$1" 2>/dev/null | grep -q running' "$NB" "$n"
run "${NOBODY[@]}" env XDG_RUNTIME_DIR="$tmp/xdg" "$NB" list
unlike "$out" "$n" "a rootless user's list does not show root's sandbox"
run "${NOBODY[@]}" "$NB" --root /run/nucleus exec "$n" -- "$PROBE" getpid
is "$rc" 125 "  nor can it exec into it (125)"
kill "$bg"
wait "$bg" 2>/dev/null
bg=

# A rootless user with no state directory: the name still names the
# sandbox's cgroup, and it runs, unregistered.
run "${NOBODY[@]}" env -u XDG_RUNTIME_DIR "$NUCLEUS" --name "$n-nx" -- "$PROBE" getpid
is "$rc:$out" "0:2" "rootless, no XDG_RUNTIME_DIR: --name runs${err:+: $err}"

# A setup that fails after the name is claimed removes its entry.
mkfifo "$tmp/fifo"
run "$NUCLEUS" --name "$n-bad" --env-file "$tmp/fifo" -- "$PROBE" getpid
is "$rc" 125 "a failing setup: 125"
ok "  its entry is gone" test ! -e "/run/nucleus/$n-bad"
run "$NUCLEUS" --name "$n-bad" -- "$PROBE" getpid
is "$rc:$out" "0:2" "  the name runs at once"

for bad in "" "a/b" ".x" "a b"; do
	run "$NUCLEUS" --name "$bad" -- "$PROBE" getpid
	is "$rc" 125 "--name '$bad': 125"
done
done_testing
