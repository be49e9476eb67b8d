#!/bin/bash
# SPDX-License-Identifier: MIT
# Self-test of tests/probe.c on the host, as root: every isolation test trusts
# the probe's word, so here each reported outcome is checked against a case
# whose answer is known: control runs that must print ok, runs as nobody or
# against missing files that must print a given errno, and the exit codes of
# the output contract (0 ok, 1 errno, 2 usage, 128+N killed).
. "$(dirname "$0")/lib/tap.sh"
need_root
[ -x "$PROBE" ] || skip_all "build first: $PROBE missing"

T=$(mktemp -d)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT

# The output contract.
run "$PROBE" --help
like "$out" 'connect-tcp ADDR PORT' "--help lists the actions"
run "$PROBE" no-such-action
is "$rc:$out" "2:" "unknown action: exit 2, nothing on stdout"
run "$PROBE" read
is "$rc" 2 "missing argument: exit 2"
run "$PROBE" read /etc/passwd
is "$rc:$out" "0:ok" "read /etc/passwd: ok"
run "$PROBE" read "$T/missing"
is "$rc:$out" "1:ENOENT" "read a missing file: ENOENT, exit 1"
run "$PROBE" exit 7
is "$rc:$out" "7:" "exit 7: status 7"
run "$PROBE" signal-self TERM
is "$rc" 143 "signal-self TERM: killed, 128+15"
run "$PROBE" seq getpid -- raw 39
like "$out" '^[0-9]+$' "getpid prints a number"
is "${out##*$'\n'}" "${out%%$'\n'*}" "raw 39 (getpid) prints the same pid"
run "$PROBE" seq read /etc/passwd -- read "$T/missing" -- id
is "$rc:$out" "1:ok
ENOENT" "seq stops at the first failure"

# Files.
run "$PROBE" create "$T/f"
is "$out" ok "create in a fresh directory: ok"
run "$PROBE" create "$T/f"
is "$out" EEXIST "create again: EEXIST"
chmod 0400 "$T/f"
run "$PROBE" write "$T/f"
is "$out" ok "write a 0400 file as root (CAP_DAC_OVERRIDE): ok"
run "${NOBODY[@]}" "$PROBE" write "$T/f"
is "$out" EACCES "write a 0400 file as nobody: EACCES"
run "$PROBE" seq mkdir "$T/d" -- symlink d "$T/l" -- readlink "$T/l" -- \
	rmdir "$T/d" -- unlink "$T/l"
is "$out" "ok
ok
d
ok
ok" "mkdir, symlink, readlink, rmdir, unlink"
touch "$T/b" "$T/a" "$T/c"
run "$PROBE" ls "$T"
is "$out" "a
b
c
f" "ls prints sorted names"
run "$PROBE" stat /dev/null
like "$out" '^type=chr mode=0666 rdev=1:3 ' "stat /dev/null: chr 0666 1:3"
run "$PROBE" statfs /proc
like "$out" '^type=0x9fa0 flags=' "statfs /proc: PROC_SUPER_MAGIC"
run "$PROBE" dev-null
is "$out" ok "dev-null: ok"
run "$PROBE" open-exe-w /proc/self/exe
is "$out" ETXTBSY "open-exe-w of the running binary: ETXTBSY"
run "$PROBE" exec /bin/sh -c 'exit 3'
is "$rc:$out" "3:" "exec runs the program with its arguments"

# Identity and process.
run "${NOBODY[@]}" "$PROBE" id
is "$out" "uid=65534 gid=65534 euid=65534 egid=65534 groups=" "id as nobody"
run "${NOBODY[@]}" "$PROBE" caps
like "$out" '^CapInh=0+ CapPrm=0+ CapEff=0+ CapBnd=[0-9a-f]+ CapAmb=0+$' \
	"caps as nobody: no inheritable, permitted, effective, ambient"
run "$PROBE" caps
unlike "$out" 'CapEff=0+ ' "caps as root: effective set not empty"
run setpriv --no-new-privs "$PROBE" seq nnp -- status NoNewPrivs
is "$out" "1
1" "nnp and status NoNewPrivs see no_new_privs"
# Close whatever fds the harness leaked, so that the list is exact.
closefds='for f in /proc/$$/fd/*; do f=${f##*/}; [ "$f" -gt 2 ] &&
	eval "exec $f>&-"; done 2>/dev/null; exec "$@"'
run bash -c "$closefds" _ "$PROBE" fds
is "$out" "0 1 2" "fds lists 0 1 2"
run bash -c "$closefds" _ bash -c 'exec "$0" fds 5</dev/null' "$PROBE"
is "$out" "0 1 2 5" "fds lists an extra open fd"
run bash -c 'ulimit -Sn 64; exec "$1" rlimit NOFILE' _ "$PROBE"
like "$out" '^64 ([0-9]+|unlimited)$' "rlimit NOFILE prints soft and hard"
run "$PROBE" rlimit BOGUS
is "$rc" 2 "rlimit of an unknown name: exit 2"
run "${NOBODY[@]}" "$PROBE" setuid 0
is "$out" EPERM "setuid 0 as nobody: EPERM"

# Privileged operations: granted to root, refused to nobody, never harmful.
run "$PROBE" reboot
is "$out" EINVAL "reboot as root: EINVAL (permitted, bad magic)"
run "${NOBODY[@]}" "$PROBE" reboot
is "$out" EPERM "reboot as nobody: EPERM"
run "$PROBE" acct
is "$out" ENOENT "acct as root: ENOENT (permitted, no such file)"
run "${NOBODY[@]}" "$PROBE" acct
is "$out" EPERM "acct as nobody: EPERM"
run "${NOBODY[@]}" "$PROBE" mount-tmpfs "$T"
is "$out" EPERM "mount-tmpfs as nobody: EPERM"
run unshare -m --propagation private "$PROBE" mount-tmpfs "$T"
is "$out" ok "mount-tmpfs as root in a private mount ns: ok"
run "$PROBE" umount /proc
is "$rc" 2 "umount refuses to run in the host's mount namespace"
mkdir "$T/m"
run unshare -m --propagation private sh -c \
	'mount -t tmpfs x "$1" && exec "$2" umount "$1"' _ "$T/m" "$PROBE"
is "$out" ok "umount of a test-made mount in a private mount ns: ok"
run "$PROBE" sethostname nucleus-probe
is "$rc" 2 "sethostname refuses to rename the host"
run unshare -u "$PROBE" seq sethostname nucleus-probe -- hostname
is "$out" "ok
nucleus-probe" "sethostname in a new uts ns: ok"
run "${NOBODY[@]}" "$PROBE" seq unshare user -- caps
like "$out" '^ok
CapInh=0+ CapPrm=0*1f+ ' "unshare user as nobody: full caps inside"
run "$PROBE" seq fork -- vfork -- clone3
is "$out" "ok
ok
ok" "fork, vfork, clone3"

# Network.
run "$PROBE" socket unix stream
is "$out" ok "socket unix stream: ok"
run "$PROBE" ping-lo
is "$out" ok "ping-lo on the host: ok"
"$PROBE" listen-tcp 127.0.0.1 0 5 >"$T/lout" 2>"$T/lerr" &
for _ in $(seq 50); do
	port=$(sed -n 's/.*listening on port //p' "$T/lerr")
	[ -n "$port" ] && break
	sleep 0.1
done
run "$PROBE" connect-tcp 127.0.0.1 "${port:-1}"
is "$out" ok "connect-tcp to listen-tcp on loopback: ok"
wait $!
is "$?:$(cat "$T/lout")" "0:ok" "listen-tcp served one client"
run "$PROBE" abstract-connect "nucleus-probe-none-$$"
is "$out" ECONNREFUSED "abstract-connect with no listener: ECONNREFUSED"

# Resources.
run bash -c 'ulimit -n 16; exec "$1" open-many 100' _ "$PROBE"
like "$rc:$out" '^1:opened=[0-9]+ EMFILE$' \
	"open-many under RLIMIT_NOFILE: EMFILE"
run bash -c 'ulimit -f 1024; exec "$1" write-file "$2" 2' _ "$PROBE" "$T/big"
is "$out" EFBIG "write-file under RLIMIT_FSIZE: EFBIG"
run "$PROBE" forks 3
is "$out" "forked=3" "forks 3: all children started"

# TTY: a pty from script(1); legacy TIOCSTI is allowed for root.
if command -v script >/dev/null; then
	run script -qec "$PROBE tiocsti" /dev/null </dev/null
	like "$out" 'ok' "tiocsti on a pty as root: ok"
else
	skip "script(1) missing" unsupported
fi
run "$PROBE" tiocsti </dev/null
is "$out" ENOTTY "tiocsti without a tty: ENOTTY"

done_testing
