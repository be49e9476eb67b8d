#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Identity, environment, session and fds (issue 4): uid/gid/groups as asked,
# rootful and rootless; the environment exact; a new session by default; no
# fd of the caller leaks into the workload unless --keep-fd asks for it.
. "$(dirname "$0")/lib/tap.sh"
need_root

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
N=("$NUCLEUS")

run "${N[@]}" -- "$PROBE" id
is "$out" "uid=0 gid=0 euid=0 egid=0 groups=" "root: real ids, no supplementary groups"
run "${N[@]}" --user 1000:1001 -- "$PROBE" id
is "$out" "uid=1000 gid=1001 euid=1000 egid=1001 groups=" "--user UID:GID"
run "${N[@]}" --user 1000 --groups 5,6 -- "$PROBE" id
is "$out" "uid=1000 gid=0 euid=1000 egid=0 groups=5,6" "--groups"
run "${N[@]}" --user 1000 -- "$PROBE" setuid 0
is "$out" EPERM "--user: the workload cannot become root again"
run "${N[@]}" --userns -- "$PROBE" id
is "$out" "uid=0 gid=0 euid=0 egid=0 groups=" "--userns as root: uid 0 inside"
run "${N[@]}" --userns -- /bin/cat /proc/self/uid_map
is "$(echo $out)" "0 65534 1" "--userns: a single-id map, never onto the host's root (nobody for a root caller)"

run "${NOBODY[@]}" "${N[@]}" -- "$PROBE" id
is "$out" "uid=0 gid=0 euid=0 egid=0 groups=" "rootless: the caller is uid 0 inside"
run "${NOBODY[@]}" "${N[@]}" --user 1000:1000 -- /bin/sh -c 'id -u; cat /proc/self/uid_map'
is "$(echo $out)" "1000 1000 65534 1" "rootless --user: the caller mapped onto 1000"
run "${NOBODY[@]}" "${N[@]}" --groups 5 -- /bin/true
is "$rc" 125 "rootless --groups: refused (setgroups is denied)"
run "${NOBODY[@]}" "${N[@]}" -- /bin/sh -c 'echo > /dev/null && ls /proc/self/fd >/dev/null && hostname'
is "$out:$rc" "nucleus:0" "rootless: /dev, /proc and the host name work"

# --map-subids: newuidmap/newgidmap with ranges from /etc/subuid and
# /etc/subgid, given to nobody in a private mount namespace only.
if [ -u /usr/bin/newuidmap ]; then
	printf '65534:200000:65536\n' >"$tmp/subids"
	subids() { unshare -m sh -c 'mount --bind "$0" /etc/subuid && mount --bind "$0" /etc/subgid && exec "$@"' "$tmp/subids" "$@"; }
	run subids "${NOBODY[@]}" "${N[@]}" --map-subids -- /bin/cat /proc/self/uid_map
	is "$(echo $out)" "0 65534 1 1 200000 65536" "--map-subids: the caller at 0, its subordinate range above"
	run subids "${NOBODY[@]}" "${N[@]}" --map-subids --user 1000:1000 --groups 5 -- "$PROBE" id
	is "$out" "uid=1000 gid=1000 euid=1000 egid=1000 groups=5" "--map-subids: --user and --groups inside the range"
	run "${NOBODY[@]}" "${N[@]}" --map-subids -- /bin/true
	is "$rc" 125 "--map-subids without a range: 125"
	like "$err" "no range for uid 65534" "... saying why"
else
	skip "newuidmap (package uidmap) is not installed"
fi

# --die-with-parent: the sandbox goes when the caller of nucleus goes.
orphan_test() { # FLAGS...: prints whether the sandbox outlived its parent
	local n=$((31000 + RANDOM % 999))
	bash -c '"$@" & echo $! >"'"$tmp/pid"'"; wait' _ "${N[@]}" "$@" -- /bin/sleep $n &
	local wrapper=$!
	for _ in $(seq 100); do pgrep -f "^/bin/sleep $n\$" >/dev/null && break; sleep 0.05; done
	kill -KILL $wrapper
	wait $wrapper 2>/dev/null
	for _ in $(seq 40); do pgrep -f "^/bin/sleep $n\$" >/dev/null || break; sleep 0.05; done
	if pgrep -f "^/bin/sleep $n\$" >/dev/null; then echo alive; else echo gone; fi
	kill -KILL "$(cat "$tmp/pid")" 2>/dev/null
}
is "$(orphan_test --die-with-parent)" gone "--die-with-parent: the sandbox dies with nucleus's parent"
is "$(orphan_test)" alive "control: without it, the sandbox outlives its parent"

# Environment: exactly what was asked for.
run env -i TERM=xterm FOO=leak "${N[@]}" -- /usr/bin/env
is "$(echo $(printf '%s\n' "$out" | sort))" "HOME=/tmp PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=xterm" \
	"default environment: PATH, HOME, TERM; nothing of the caller's"
run env -i FOO=leak "${N[@]}" --clearenv -- /usr/bin/env
is "$out" "" "--clearenv: empty"
printf '# comment\n\nA=from-file\nB=x=y\n' >"$tmp/env"
run "${N[@]}" --clearenv --setenv A 1 --env C=2=3 --env-file "$tmp/env" --unsetenv A --setenv D 'sp ace' -- /usr/bin/env
is "$(echo $(printf '%s\n' "$out" | sort))" "B=x=y C=2=3 D=sp ace" "--setenv, --env, --env-file, --unsetenv in argv order"
printf 'not a line\n' >"$tmp/badenv"
run "${N[@]}" --env-file "$tmp/badenv" -- /bin/true
is "$rc" 125 "--env-file with a bad line: 125"
like "$err" "badenv:1: not KEY=VALUE" "... naming file and line"

# Session: setsid by default, so no terminal to inject into.
run "${N[@]}" -- /bin/sh -c 'cut -d" " -f6 /proc/self/stat'
is "$out" 1 "a new session by default (its leader is the sandbox's init)"
run "${N[@]}" --no-new-session -- /bin/sh -c 'cut -d" " -f6 /proc/self/stat'
is "$out" 0 "control: --no-new-session keeps the caller's (outside) session"

# --no-new-session under a terminal: init hands the terminal to the
# workload; the caller must have it back afterwards (no EIO on its reads).
if command -v script >/dev/null; then
	fg=$(script -qc "$NUCLEUS --no-new-session -- /bin/true; python3 -c 'import os; print(os.tcgetpgrp(0) == os.getpgrp())'" /dev/null </dev/null | tr -d '\r')
	is "$fg" True "--no-new-session: the caller's group has the terminal's foreground back"
else
	skip "script (util-linux) is not installed"
fi

# fds: only 0-2 survive, unless asked for.
exec 5</etc/passwd 6>"$tmp/w"
run "${N[@]}" -- "$PROBE" fds
is "$out" "0 1 2" "the caller's fds 5 and 6 do not leak"
run "${N[@]}" --keep-fd 5 -- "$PROBE" fds
is "$out" "0 1 2 5" "--keep-fd 5 keeps exactly fd 5"
run "${N[@]}" --keep-fd 5 -- /bin/sh -c 'head -c 4 <&5'
is "$out" "root" "... and it is usable"
exec 5<&- 6>&-
run "${N[@]}" --keep-fd 5 -- /bin/true
is "$rc" 125 "--keep-fd of a closed fd: 125"
run "${N[@]}" --chdir /usr/bin -- "$PROBE" cwd
is "$out" /usr/bin "control: --chdir works, getcwd too"
run "${N[@]}" --chdir /proc/self/fd/3 -- /bin/true
is "$rc" 125 "--chdir /proc/self/fd/N is refused (CVE-2024-21626)"
run "${N[@]}" --chdir /nonexistent -- /bin/true
is "$rc" 125 "--chdir into a missing directory: 125"
done_testing
