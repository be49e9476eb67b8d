#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Landlock: the default rules (read+exec /usr /bin /sbin /lib*, read /etc
# /proc, read-write /tmp and the null-like devices, nothing else), the
# --landlock-* flags, TCP bind/connect with --share net, scoping of abstract
# unix sockets and signals. Every denial is shown beside a control: the same
# action under --no-landlock, or with the flag that allows it. The tests
# compare with and without Landlock so they hold whether the sandbox sees
# the host tree read-only or a tmpfs root (a path missing there is ENOENT in
# both runs, never mistaken for a denial). Every mount gets its rule, so
# writes outside the rules are shown on a mount made writable on purpose.
. "$(dirname "$0")/lib/tap.sh"
need_root

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"; kill $(jobs -p) 2>/dev/null' EXIT
abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))' 2>/dev/null)
[ "${abi:-0}" -ge 1 ] 2>/dev/null || skip_all "this kernel has no Landlock" unsupported
diag "kernel Landlock ABI $abi"

# denied DESC ACTION...: EACCES with Landlock, not EACCES without it.
denied() {
	local d=$1; shift
	run "$NUCLEUS" --no-landlock -- "$PROBE" "$@"
	local without=${out%%$'\n'*}
	run "$NUCLEUS" -- "$PROBE" "$@"
	is "$out" EACCES "$d: EACCES (without Landlock: $without)"
	ok "... control: the same action without Landlock is not EACCES" test "$without" != EACCES
}
# allowed DESC ACTION...: the same result with and without Landlock.
allowed() {
	local d=$1; shift
	run "$NUCLEUS" --no-landlock -- "$PROBE" "$@"
	local without=$out
	run "$NUCLEUS" -- "$PROBE" "$@"
	is "$out" "$without" "$d: as without Landlock (${out%%$'\n'*})"
	ok "... and not a Landlock denial" test "$out" != EACCES
}

# --- filesystem -------------------------------------------------------------
# Directories list everywhere (a rule of "/" with the list right only);
# file contents, writes and exec still need rules of their own.
allowed "list /" ls /
allowed "read /etc/passwd" read /etc/passwd
allowed "list /usr/bin" seq ls /usr/bin -- exit 0
allowed "read /proc/self/status" read /proc/self/status
run "$NUCLEUS" --no-landlock -- "$PROBE" ls /root
if [ "$out" = ENOENT ]; then
	allowed "/root is absent in this layout" ls /root
else
	denied "list /root" ls /root
fi
# Writable mounts outside the rules: the /dev tmpfs, the /run/secrets tmpfs.
denied "create a file in /dev" create /dev/nucleus-x
allowed "list /dev" ls /dev
echo secret >"$tmp/sec"
run "$NUCLEUS" --no-landlock --secret "$tmp/sec:/run/secrets/s" -- "$PROBE" create /run/secrets/new
is "$out" ok "control: without Landlock a file can be created beside a secret"
run "$NUCLEUS" --secret "$tmp/sec:/run/secrets/s" -- "$PROBE" seq cat /run/secrets/s -- create /run/secrets/new
is "$(echo $out)" "secret EACCES" "with Landlock the secret reads, the create is EACCES"
run "${NOBODY[@]}" "$NUCLEUS" -- "$PROBE" create /dev/nucleus-x
is "$out" EACCES "rootless: create a file in /dev: EACCES"
# What the command line declares writable, Landlock lets write.
run "$NUCLEUS" -- "$PROBE" put /proc/self/comm x
is "$out" EROFS "/proc is read-only by default (the mount says so first)"
run "$NUCLEUS" --proc-rw -- "$PROBE" put /proc/self/comm x
is "$out" ok "--proc-rw: declared writable, Landlock allows the write"
allowed "create in /tmp" create /tmp/nucleus-landlock-$$
allowed "write /dev/null" dev-null
run "$NUCLEUS" -- /bin/sh -c 'echo x >/dev/null && echo ok'
is "$out" ok "a shell redirects to /dev/null (O_TRUNC needs the truncate right)"
run "${NOBODY[@]}" "$NUCLEUS" -- "$PROBE" ls /
like "$(echo $out)" '^bin .*usr' "rootless: / lists under Landlock too"
run "${NOBODY[@]}" "$NUCLEUS" -- "$PROBE" read /etc/passwd
is "$out" ok "rootless: control: /etc/passwd reads"

# --- exec -------------------------------------------------------------------
run "$NUCLEUS" -- "$PROBE" exec /usr/bin/true
is "$rc:$out" "0:" "exec /usr/bin/true works"
cp /bin/true "$tmp/true"
# A binary in /tmp: copied there inside when /tmp is writable, else the
# host's copy (visible while the sandbox sees the host tree).
intmp='cp /bin/true /tmp/nx-true 2>/dev/null && exec "$0" exec /tmp/nx-true; exec "$0" exec "$1"'
run "$NUCLEUS" --landlock-exec "$OUT" -- /bin/sh -c "$intmp" "$PROBE" "$tmp/true"
is "$out" EACCES "exec from /tmp: EACCES"
run "$NUCLEUS" --no-landlock -- /bin/sh -c "$intmp" "$PROBE" "$tmp/true"
is "$rc:$out" "0:" "control: without Landlock it runs"
run "$NUCLEUS" --landlock-exec "$OUT" --landlock-exec /tmp -- /bin/sh -c "$intmp" "$PROBE" "$tmp/true"
is "$rc:$out" "0:" "control: --landlock-exec /tmp allows it"
run "$NUCLEUS" --copy "$tmp/true" /tmp/t -- /bin/sh -c '/tmp/t; echo $?; cp /tmp/t /tmp/u && /tmp/u; echo $?'
is "$(echo $out)" "0 126" "a file placed by --copy may run; a copy the workload makes in /tmp may not"
run "$NUCLEUS" --tmpfs /scratch --bind "$tmp" /mnt -- /bin/sh -c \
	'cp /bin/true /scratch/t && /scratch/t; echo $?; /mnt/true; echo $?'
is "$(echo $out)" "126 0" "a --tmpfs is like /tmp (no exec); a --bind may run programs"
run "$NUCLEUS" -- /bin/sh -c 'exec 2>/dev/null; ls /usr >/dev/null && python3 -c "print(6*7)"'
is "$out" 42 "sh, ls and python3 run from /usr"

# --- paths that do not exist --------------------------------------------------
run "$NUCLEUS" --landlock-ro /nonexistent -- /bin/sh -c 'exit 5'
is "$rc" 5 "agent: a missing --landlock-ro path is skipped"
like "$err" "landlock: --landlock-ro '/nonexistent': No such file or directory; skipped \(agent mode\)" "... with a warning"
run "$NUCLEUS" --mode production --landlock-rw /nonexistent -- /bin/sh -c 'exit 5'
is "$rc" 125 "production: a missing --landlock-rw path is 125"
like "$err" "^nucleus: landlock: --landlock-rw '/nonexistent': No such file or directory$" "... in one line"
run "$NUCLEUS" --landlock-ro relative -- /bin/true
is "$rc" 125 "a relative --landlock-ro path: 125"

# --- a kernel below the minimum ABI ----------------------------------------------
# Agent mode goes on, with one line on stderr and an entry in the report,
# whether the minimum is the default (3) or --landlock-min-abi's. A kernel
# without Landlock is made for real: tests/denyns.c's filter answers ENOSYS
# to landlock_create_ruleset around nucleus (the VM's ABI 2 guest checks
# the same in tests/vm/guest/landlock.t).
DENY=$OUT/denyns
run "$DENY" landlock "$NUCLEUS" --report fd:3 -- "$PROBE" exit 0 3>"$tmp/r-abi"
is "$rc" 0 "no Landlock, agent, default minimum: the command runs"
like "$err" '^nucleus: landlock: kernel Landlock ABI is 0, below the minimum 3' "... one stderr line says Landlock is below the minimum"
is "$(printf '%s\n' "$err" | grep -c .)" 1 "... and only that line"
like "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["warnings"])' "$tmp/r-abi")" 'ABI 0 is below the minimum 3' \
	"... and the report says it too"
run "$DENY" landlock "$NUCLEUS" --share net -- "$PROBE" exit 0
is "$(printf '%s\n' "$err" | grep -c 'Landlock ABI is 0')" 1 "no Landlock, --share net (TCP rules needed too): still one line"
run "$NUCLEUS" --landlock-min-abi $((abi + 1)) -- "$PROBE" exit 0
is "$rc" 0 "agent, --landlock-min-abi $((abi + 1)) on ABI $abi: runs"
like "$err" "^nucleus: landlock: kernel Landlock ABI is $abi, below --landlock-min-abi $((abi + 1))" "... with one line on stderr"
run "$DENY" landlock "$NUCLEUS" --mode production -- "$PROBE" exit 0
is "$rc" 125 "no Landlock, production: 125"
run "$NUCLEUS" -- "$PROBE" exit 0
is "$rc:$err" "0:" "control: ABI $abi, agent: nothing on stderr"

# --- TCP (ABI 4) --------------------------------------------------------------
if [ "$abi" -ge 4 ]; then
	tcp_listener
	run "$NUCLEUS" --share net -- "$PROBE" connect-tcp 127.0.0.1 "$port"
	is "$out" EACCES "--share net: TCP connect to a host listener: EACCES"
	run "$NUCLEUS" --share net --allow-connect "$port" -- "$PROBE" connect-tcp 127.0.0.1 "$port"
	is "$out" ok "control: --allow-connect $port connects"
	wait
	run "$NUCLEUS" --share net -- "$PROBE" bind-tcp 127.0.0.1 23456
	is "$out" EACCES "--share net: TCP bind: EACCES"
	run "$NUCLEUS" --share net --allow-bind 23456 -- "$PROBE" bind-tcp 127.0.0.1 23456
	is "$out" ok "control: --allow-bind 23456 binds"
	run "$NUCLEUS" --share net --allow-bind 23456 -- "$PROBE" bind-tcp 127.0.0.1 23457
	is "$out" EACCES "... and only that port"
	run "$NUCLEUS" -- "$PROBE" bind-tcp 127.0.0.1 23456
	is "$out" ok "own network namespace: TCP is not restricted (nothing to reach)"
	run "${NOBODY[@]}" "$NUCLEUS" --share net -- "$PROBE" bind-tcp 127.0.0.1 23456
	is "$out" EACCES "rootless --share net: TCP bind: EACCES"
else
	skip "Landlock ABI $abi has no TCP rules" unsupported
fi

# --- scoping (ABI 6) ------------------------------------------------------------
abstract_listener() { # NAME: a host listener on @NAME, ready when bound
	"$PROBE" abstract-bind "$1" 10 >/dev/null 2>&1 &
	for _ in $(seq 250); do
		grep -q "@$1" /proc/net/unix && return 0
		sleep 0.02
	done
	return 1
}
if [ "$abi" -ge 6 ]; then
	abstract_listener "nucleus-lt-$$"
	run "$NUCLEUS" --share net -- "$PROBE" abstract-connect "nucleus-lt-$$"
	is "$out" EPERM "abstract unix socket to a host listener: EPERM"
	run "$NUCLEUS" --share net --no-landlock -- "$PROBE" abstract-connect "nucleus-lt-$$"
	is "$out" ok "control: without Landlock it connects"
	wait
	sleep 60 &
	victim=$!
	run "$NUCLEUS" --share pid -- "$PROBE" kill "$victim" TERM
	is "$out" EPERM "signal to a host process: EPERM"
	ok "... and it is still alive" kill -0 "$victim"
	run "$NUCLEUS" --share pid --no-landlock -- "$PROBE" kill "$victim" TERM
	is "$out" ok "control: without Landlock the same kill works"
	run "$NUCLEUS" -- /bin/sh -c 'sleep 10 & kill $!; wait $!; echo $?'
	is "$out" 143 "a signal within the sandbox is delivered"
	"${NOBODY[@]}" "$PROBE" abstract-bind "nucleus-lt2-$$" 10 >/dev/null 2>&1 &
	for _ in $(seq 250); do grep -q "@nucleus-lt2-$$" /proc/net/unix && break; sleep 0.02; done
	run "${NOBODY[@]}" "$NUCLEUS" --share net -- "$PROBE" abstract-connect "nucleus-lt2-$$"
	is "$out" EPERM "rootless: abstract unix socket to the user's own host listener: EPERM"
	run "${NOBODY[@]}" "$NUCLEUS" --share net --no-landlock -- "$PROBE" abstract-connect "nucleus-lt2-$$"
	is "$out" ok "control: without Landlock it connects"
	wait
else
	skip "Landlock ABI $abi has no scoping" unsupported
fi
done_testing
