#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Where users put nucleus, emulated on this host without a container engine:
#  - FROM scratch: a root directory holding one static program and nothing
#    else (no shell, no libc, no init file) runs under --rootfs: init comes
#    from the sealed memfd, so the image needs no file of ours.
#  - Dockerfile ENTRYPOINT prefix (build/examples/Dockerfile): the image's
#    ENTRYPOINT and CMD, read from that file, run as PID 1 of a new pid
#    namespace whose root is the image (unshare -pf --root, over a bind
#    mount as a container runtime leaves it). nucleus --share pid then
#    restricts itself in place and execs init with no fork: init is PID 1,
#    the workload pid 2, no monitor beside them; the confinement equals the
#    cloned sandbox's; SIGTERM to PID 1 (docker stop) ends the workload, 143.
. "$(dirname "$0")/lib/tap.sh"
need_root
NB=${NUCLEUS_BIN:-$OUT/nucleus}
"$NB" --help | grep -q -- '--rootfs ' ||
	skip_all "nucleus has no --rootfs yet (the filesystem work is landing)" unsupported
command -v unshare >/dev/null || skip_all "unshare missing (util-linux)"

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

# wait_workload PID: prints the pid of init (/proc/N/exe is the memfd), a
# descendant of PID, once it has a child (the workload). Bounded: 10 s.
wait_workload() {
	local root=$1 i p kids todo
	for i in $(seq 200); do
		todo=$root
		while [ -n "$todo" ]; do
			p=${todo%% *}
			todo=${todo#"$p"}
			kids=$(cat /proc/"$p"/task/*/children 2>/dev/null)
			case $(readlink /proc/"$p"/exe 2>/dev/null) in
			*memfd:nucleus-init*)
				[ -n "$kids" ] && { echo "$p"; return 0; } ;;
			esac
			todo=$(echo $todo $kids)
		done
		sleep 0.05
	done
	return 1
}

# FROM scratch
img=$tmp/scratch
mkdir -p "$img" && cp "$PROBE" "$img/app" && chmod 755 "$img" "$img/app"
is "$(cd "$img" && find . | sort | tr '\n' ' ')" ". ./app " "the image holds one file, /app"
nok "/app is static: no ELF interpreter, no libc" sh -c "readelf -lW '$img/app' | grep -q INTERP"
run "$NB" --rootfs "$img" -- /app ls /
is "$out" app "inside, / holds only /app"
run "$NB" --rootfs "$img" -- /app stat /bin/sh
is "$out" ENOENT "no shell inside"
run "$PROBE" stat /bin/sh
like "$out" '^type=' "control: the host has /bin/sh"
run "$NB" --rootfs "$img" -- /app getppid
is "$out" 1 "the workload's parent is PID 1: init from the memfd, no init file in the image"
run "$NB" --rootfs "$img" -- /app exit 7
is "$rc" 7 "exit code 7 passes through"
run "$NB" --rootfs "$img" -- /app signal-self SEGV
is "$rc" 139 "killed by SIGSEGV: 139"
run "$NB" --rootfs "$img" -- /bin/sh -c true
is "$rc" 127 "a command the image lacks: 127"
run "$NB" --rootfs "$img" -- /app create /new
is "$out" EROFS "the image is read-only inside"
ok "... and nothing appeared in it" test ! -e "$img/new"
run "${NOBODY[@]}" "$NB" --rootfs "$img" -- /app exit 5
is "$rc" 5 "rootless: the same image runs as uid 65534"
"$NB" --rootfs "$img" -- /app sleep 30 &
pid=$!
# Seen from the host: the workload cannot read /proc/1/exe (no caps, init
# not dumpable).
ok "a long workload runs under init from the memfd" eval 'wait_workload $pid >/dev/null'
kill -TERM $pid
wait $pid
is "$?" 143 "SIGTERM to nucleus ends it: 143"

# Dockerfile ENTRYPOINT prefix
df=$TOP/build/examples/Dockerfile
read -ra entry <<<"$(sed -n 's/^ENTRYPOINT \[\(.*\)\]$/\1/p' "$df" | tr -d '",')"
read -ra cmd <<<"$(sed -n 's/^CMD \[\(.*\)\]$/\1/p' "$df" | tr -d '",')"
like "${entry[*]}" '^/nucleus .*--share pid.* --$' "the Dockerfile's ENTRYPOINT: ${entry[*]}"
for w in "${entry[@]}"; do
	case $w in --) ;; --*) "$NB" --help | grep -q -- "$w " ||
		_tap_result 1 "ENTRYPOINT flag $w is not in nucleus --help" ;;
	esac
done
dimg=$tmp/docker
mkdir -p "$dimg/proc" && chmod 755 "$dimg"
cp "$NB" "$dimg/nucleus" && cp "$NUCLEUS_INIT" "$dimg/nucleus-init"
cp "$PROBE" "$dimg/app"
# docker run IMAGE [CMD...]: ENTRYPOINT + CMD as PID 1 of a new pid
# namespace rooted at the image, which is a mount point as under a runtime.
docker_run() {
	unshare -m --propagation private bash -c '
		img=$1; shift
		mount --bind "$img" "$img" || exit 99
		exec unshare -pf --mount-proc=/proc --root="$img" "$@"' _ \
		"$dimg" "${entry[@]}" "$@"
}
run docker_run /app getpid
is "$out" 2 "in place: the workload is pid 2"
run docker_run /app getppid
is "$out" 1 "... its parent is PID 1"
run docker_run /app ls /proc
is "$(grep -E '^[0-9]+$' <<<"$out" | tr '\n' ' ')" "1 2 " "no monitor process beside init and the workload"
run "$NUCLEUS" --share pid -- "$PROBE" getppid
like "$out" '^[0-9]+$' "control: --share pid when not PID 1 clones a sandbox init ..."
ok "... which is not PID 1 (the workload's parent is $out)" test "$out" != 1
run docker_run /app exit 3
is "$rc" 3 "exit code 3 passes through PID 1"
run docker_run /app signal-self SEGV
is "$rc" 139 "killed by SIGSEGV: 139"
run docker_run /app create /new
is "$out" EROFS "the image root is read-only"
for a in caps nnp "status Seccomp" "status NoNewPrivs" "status CapBnd"; do
	run "$NB" --rootfs "$dimg" -- /app $a
	want=$out
	run docker_run /app $a
	is "$out" "$want" "in place, $a is as in a cloned sandbox ($want)"
done
run docker_run /app ns net
ok "own net namespace ($out)" test -n "$out" -a "$out" != "$(readlink /proc/self/ns/net)"
run docker_run "${cmd[0]}" hostname
is "$out" nucleus "own uts namespace, host name nucleus"
run unshare -pf --mount-proc "$NUCLEUS" --share pid --timeout 1 -- "$PROBE" sleep 30
is "$rc" 124 "with --timeout the monitor stays as PID 1 and enforces it: 124"
run unshare -pf --mount-proc setsid "$NUCLEUS" --share pid -- "$PROBE" getppid
is "$out" 1 "PID 1 that already leads its session (as Docker's does) works too"

docker_run "${cmd[0]}" sleep 30 &
job=$!
pid1=$(wait_workload $job)
ok "docker run: the workload runs under PID 1" test -n "$pid1"
like "$(readlink /proc/"${pid1:-0}"/exe)" 'memfd:nucleus-init' \
	"... PID 1 is nucleus-init from the memfd: nucleus exec'd it in place, no fork"
kill -TERM "${pid1:-0}"
wait $job
is "$?" 143 "docker stop (SIGTERM to PID 1) ends the workload: 143"
# In place there is no monitor: what only a monitor does is refused in
# production, said and dropped in agent mode, never silently ignored.
run unshare -pf "$NUCLEUS" --share pid --mode production --memory 64M -- /bin/true
is "$rc" 125 "in place, production: --memory (a monitor's job) is refused"
like "$err" 'needs the nucleus monitor' "... saying why"
run unshare -pf "$NUCLEUS" --share pid --pids 10 -- /bin/true
is "$rc" 0 "in place, agent: runs ..."
like "$err" '--pids is not applied' "... and says what it drops"
done_testing
