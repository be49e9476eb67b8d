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
is "$out" "uid=1000 gid=$(id -g 1000 2>/dev/null || echo 1000) euid=1000 egid=$(id -g 1000 2>/dev/null || echo 1000) groups=5,6" "--groups; --user UID alone: the primary group of /etc/passwd, never root's"

# Names and default groups (issue 14, item 9), from the sandbox's /etc.
nobody_gid=$(id -g nobody)
run "${N[@]}" --user 4242 -- "$PROBE" id
is "$out" "uid=4242 gid=4242 euid=4242 egid=4242 groups=" "--user UID with no passwd entry: gid = the uid's number, not 0"
run "${N[@]}" --user nobody -- "$PROBE" id
is "$out" "uid=65534 gid=$nobody_gid euid=65534 egid=$nobody_gid groups=" "--user NAME: uid and primary group from /etc/passwd"
run "${N[@]}" --user nobody:adm --groups adm,shadow,5 -- "$PROBE" id
adm=$(getent group adm | cut -d: -f3)
want=$(printf '%s\n' "$adm" "$(getent group shadow | cut -d: -f3)" 5 | sort -n | paste -sd,)
is "$out" "uid=65534 gid=$adm euid=65534 egid=$adm groups=$want" "--user NAME:GROUP and --groups names from /etc/group"
run "${N[@]}" --user no-such-user -- /bin/true
is "$rc:$err" "125:nucleus: identity: --user: no user 'no-such-user' in /etc/passwd" "an unknown user: 125, one line"
run "${N[@]}" --groups no-such-group -- /bin/true
is "$rc:$err" "125:nucleus: identity: --groups: no group 'no-such-group' in /etc/group" "an unknown group: 125, one line"
for bad in 9abc a/b 'a b' "$(printf 'x%.0s' $(seq 40))" :; do
	run "${N[@]}" --user "$bad" -- /bin/true
	is "$rc" 125 "--user '$bad': not a number or a name: 125"
done
run "${NOBODY[@]}" "${N[@]}" --user nobody -- /bin/sh -c 'id -u; id -g; cat /proc/self/uid_map'
is "$(echo $out)" "65534 $nobody_gid 65534 65534 1" "rootless --user NAME: resolved, then mapped"
# An image's own /etc, never the host's; an image's passwd that points
# out is resolved inside it; a FIFO there never hangs.
img=$tmp/img
mkdir -p "$img/etc" "$img/proc" "$img/dev" "$img/tmp"
cp "$PROBE" "$img/probe"
printf 'app:x:2000:3000::/:/probe\nop:x:2001:0::/:/probe\n' >"$img/etc/passwd"
printf 'staff:x:3001:\n' >"$img/etc/group"
run "$NUCLEUS_BIN" --rootfs "$img" --user app --groups staff -- /probe id
is "$out" "uid=2000 gid=3000 euid=2000 egid=3000 groups=3001" "--rootfs: names from the image's /etc"
run "$NUCLEUS_BIN" --rootfs "$img" --user op -- /probe id
is "$out" "uid=2001 gid=2001 euid=2001 egid=2001 groups=" "--rootfs: a passwd entry with group 0 gets the uid's number instead"
run "$NUCLEUS_BIN" --rootfs "$img" --user 1000 -- /probe id
is "$out" "uid=1000 gid=1000 euid=1000 egid=1000 groups=" "--rootfs: a uid the image does not name: gid = the uid"
run "$NUCLEUS_BIN" --rootfs "$img" --user nobody -- /probe id
is "$rc" 125 "--rootfs: the host's names are not the image's"
ln -sf ../../../../../../../../etc/passwd "$img/etc/group"
run "$NUCLEUS_BIN" --rootfs "$img" --user app:cloudsdk -- /probe id
is "$rc" 125 "--rootfs: an image's /etc/group symlink out is resolved inside the image"
rm "$img/etc/group"
mkfifo "$img/etc/group"
run timeout 10 "$NUCLEUS_BIN" --rootfs "$img" --user app:staff -- /probe id
is "$rc" 125 "--rootfs: a FIFO as /etc/group: 125, no hang"
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
	subids_env 65534:200000:65536
	run "${SUBIDS[@]}" "${NOBODY[@]}" "${N[@]}" --map-subids -- /bin/cat /proc/self/uid_map
	is "$(echo $out)" "0 65534 1 1 200000 65536" "--map-subids: the caller at 0, its subordinate range above"
	run "${SUBIDS[@]}" "${NOBODY[@]}" "${N[@]}" --map-subids --user 1000:1000 --groups 5 -- "$PROBE" id
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
