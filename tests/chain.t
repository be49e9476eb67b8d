#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The chain end to end: nucleus -> sealed memfd nucleus-init -> workload, in
# new namespaces, and the exit code contract of DESIGN.md: the workload's
# code, 128+N, 124, 125, 126, 127. As root here and as an unprivileged user.
. "$(dirname "$0")/lib/tap.sh"
need_root

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

run "$NUCLEUS" -- /bin/echo hello
is "$out" hello "echo hello runs through the chain"
is "$rc" 0 "exit 0"

# All 256 exit codes come back unchanged.
bad=
for i in $(seq 0 255); do
	"$NUCLEUS" -- /bin/sh -c "exit $i"
	r=$?
	[ "$r" = "$i" ] || bad="$bad $i->$r"
done
is "$bad" "" "all 256 exit codes pass through"

run "$NUCLEUS" -- /bin/sh -c 'kill -TERM $$'
is "$rc" 143 "workload killed by TERM: 143"
run "$NUCLEUS" -- /bin/sh -c 'kill -KILL $$'
is "$rc" 137 "workload killed by KILL: 137"
run "$NUCLEUS" -- /bin/sh -c 'kill -SEGV $$'
is "$rc" 139 "workload killed by SEGV: 139"

run "$NUCLEUS" -- /nonexistent/cmd
is "$rc" 127 "missing command: 127"
like "$err" 'nucleus-init: .*/nonexistent/cmd.*No such file' "127 says which command"
run "$NUCLEUS" -- /bin/sh -c 'exit 127'
is "$rc" 127 "a workload that exits 127 itself ..."
is "$err" "" "... prints no init error (told apart)"
printf 'not a program\n' >"$tmp/noexec"
chmod 644 "$tmp/noexec"
run "$NUCLEUS" --ro-bind "$tmp" "$tmp" -- "$tmp/noexec"
is "$rc" 126 "not executable: 126"
like "$err" 'Permission denied' "126 explains"
run "$NUCLEUS" -- echo path-search
is "$out" path-search "a bare command name is searched in PATH"

# Namespaces: new pid, mount, net, ipc, uts (control: --share keeps them).
for ns in pid mnt net ipc uts; do
	host=$(readlink /proc/self/ns/$ns)
	run "$NUCLEUS" -- "$PROBE" ns $ns
	ok "$ns namespace differs from the host's ($out)" test -n "$out" -a "$out" != "$host"
done
for ns in net ipc uts; do
	run "$NUCLEUS" --share $ns -- "$PROBE" ns $ns
	is "$out" "$(readlink /proc/self/ns/$ns)" "--share $ns keeps the host's $ns namespace"
done
run "$NUCLEUS" -- "$PROBE" getpid
is "$out" 2 "the workload is pid 2 (init is 1)"
run "$NUCLEUS" -- "$PROBE" ls /proc
is "$(printf '%s\n' "$out" | grep -E '^[0-9]+$' | sort -n | tr '\n' ' ')" "1 2 " \
	"fresh /proc: only init and the workload are visible"
run "$NUCLEUS" -- "$PROBE" ifaces
is "$out" "lo up" "only a loopback, and it is up"
run "$NUCLEUS" -- "$PROBE" ping-lo
is "$out" ok "127.0.0.1 works inside"
run "${NOBODY[@]}" "$NUCLEUS" -- "$PROBE" ping-lo
is "$out" ok "... rootless too"
run "$NUCLEUS" -- "$PROBE" connect-tcp 10.255.255.1 80
like "$out" 'ENETUNREACH|EHOSTUNREACH' "no route out ($out)"
run "$PROBE" connect-tcp 10.255.255.1 80
unlike "$out" 'ENETUNREACH' "control: the host has a route out"
run "$NUCLEUS" -- "$PROBE" hostname
is "$out" nucleus "default host name"
run "$NUCLEUS" --hostname box-1 -- "$PROBE" hostname
is "$out" box-1 "--hostname"
is "$(hostname)" "$(cat /proc/sys/kernel/hostname)" "host name of the host untouched"

# The host's /tmp is not the sandbox's: a host file there is invisible,
# and what the sandbox writes in its /tmp never reaches the host.
run "$PROBE" create "$tmp/outside"
is "$out" ok "control: create a file in the host's /tmp"
run "$NUCLEUS" -- "$PROBE" read "$tmp/outside"
is "$out" ENOENT "the host's /tmp is not visible inside"
run "$NUCLEUS" -- "$PROBE" create "$tmp/inside"
is "$out" ENOENT "... not even its directories"
run "$NUCLEUS" -- "$PROBE" create /tmp/nucleus-chain-$$
is "$out" ok "the sandbox's own /tmp is writable"
ok "... and nothing appeared on the host" test ! -e /tmp/nucleus-chain-$$

# /proc/1/exe is the sealed memfd: not writable, not the host file.
run "$NUCLEUS" -- "$PROBE" open-exe-w /proc/1/exe
like "$out" '^E[A-Z]+$' "open /proc/1/exe for writing fails ($out)"
run "$NUCLEUS" -- "$PROBE" readlink /proc/1/exe
like "$out" '^(/memfd:nucleus-init.*|EACCES)$' "/proc/1/exe is the memfd (or unreadable: init is non-dumpable): $out"
cp "$NUCLEUS_INIT" "$tmp/init-copy"
run "$PROBE" open-exe-w "$tmp/init-copy"
is "$out" ok "control: a writable copy of init opens for writing"

# --chdir, --init
run "$NUCLEUS" --chdir /usr -- "$PROBE" cwd
is "$out" /usr "--chdir sets the working directory"
run "$NUCLEUS" --init "$tmp/init-copy" -- /bin/true
is "$rc" 0 "--init PATH runs that init"

# Rootless: the same chain as an unprivileged user, through a user namespace.
run "${NOBODY[@]}" "$NUCLEUS" -- /bin/sh -c 'id -u; exit 9'
is "$rc" 9 "rootless: exit code passes through"
is "$out" 0 "rootless: the caller is uid 0 inside its user namespace"
run "${NOBODY[@]}" "$NUCLEUS" -- "$PROBE" ns net
ok "rootless: own net namespace" test -n "$out" -a "$out" != "$(readlink /proc/self/ns/net)"
done_testing
