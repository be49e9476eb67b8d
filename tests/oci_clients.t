#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real clients drive nucleus as their OCI runtime (issue 16): podman (through
# conmon) and containerd (through its runc-v2 shim, the path Kubernetes
# uses). Both are child subreapers that learn the exit status by reaping the
# pid of --pid-file, so these check that the code they see is the workload's,
# that stop/kill reach it, and that limits and capabilities arrive.
# Everything lives under one temp dir: podman's storage (--root/--runroot),
# containerd's root/state/socket, nucleus's state (a wrapper adds --root);
# nothing of the machine's defaults is touched, nothing is left running.
. "$(dirname "$0")/lib/tap.sh"
need_root
NB=${NUCLEUS_BIN:-$OUT/nucleus}

tmp=$(mktemp -d)
chmod 755 "$tmp"
cd_pid=
cleanup() {
	local d
	[ -n "${P[*]:-}" ] && "${P[@]}" rm -af >/dev/null 2>&1
	if [ -n "$cd_pid" ]; then
		kill "$cd_pid" 2>/dev/null
		wait "$cd_pid" 2>/dev/null
	fi
	for d in "$tmp"/nroot/*/; do
		[ -d "$d" ] && "$NB" --root "$tmp/nroot" delete --force "$(basename "$d")"
	done 2>/dev/null
	umount -R "$tmp/podroot/overlay" 2>/dev/null
	rm -rf "$tmp" 2>/dev/null || { umount -R "$tmp"/* 2>/dev/null; rm -rf "$tmp"; }
}
trap cleanup EXIT

# The busybox rootfs: runtime-tools' (../shared holds its source), with the
# mount points that podman adds on a read-only root: nucleus cannot make
# one there yet (runc makes them before the root turns read-only).
src=${RUNTIME_TOOLS_SRC:-}
for d in "$TOP/../shared" /work/shared; do # a clone anywhere: CI's too
	[ -n "$src" ] || [ ! -e "$d/oci-validation/runtime-tools-260e151.tar.gz" ] ||
		src=$d/oci-validation/runtime-tools-260e151.tar.gz
done
rootfs_tar() {
	mkdir -p "$tmp/rootfs"
	if [ -d "$src" ]; then
		tar -xzf "$src/rootfs-amd64.tar.gz" -C "$tmp/rootfs"
	else
		tar -xzOf "$src" runtime-tools/rootfs-amd64.tar.gz |
			tar -xz -C "$tmp/rootfs"
	fi || return 1
	mkdir -p "$tmp/rootfs/tmp" "$tmp/rootfs/run" "$tmp/rootfs/var/tmp"
	touch "$tmp"/rootfs/run/.containerenv "$tmp"/rootfs/etc/{hosts,hostname,resolv.conf}
	tar -czf "$tmp/rootfs.tar.gz" -C "$tmp/rootfs" .
}
[ -e "$src" ] && rootfs_tar ||
	skip_all "no busybox rootfs: want ../shared/oci-validation/runtime-tools-260e151.tar.gz (or RUNTIME_TOOLS_SRC)"

# The runtime as both clients see it: nucleus with its state in $tmp (podman
# does not pass --runtime-flag to the delete of its cleanup process).
cat >"$tmp/runtime" <<EOF
#!/bin/sh
exec "$NB" --root "$tmp/nroot" "\$@"
EOF
chmod 755 "$tmp/runtime"
# The count of state directories nucleus keeps: none once all is removed.
states() { find "$tmp/nroot" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

podman_tests() {
	local pid m p
	# podman's defaults but for the cgroup manager and the events log.
	printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "none"\n' \
		>"$tmp/containers.conf"
	export CONTAINERS_CONF=$tmp/containers.conf
	P=(podman --root "$tmp/podroot" --runroot "$tmp/podrun"
		--runtime "$tmp/runtime")
	R=(--network none --ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
	run "${P[@]}" import "$tmp/rootfs.tar.gz" localhost/nucleus-bb
	is "$rc" 0 "podman import of the busybox rootfs${err:+: $err}"

	run timeout 60 "${P[@]}" run --rm "${R[@]}" localhost/nucleus-bb \
		sh -c 'echo out; echo err >&2; exit 7'
	is "$rc" 7 "podman run --rm: the workload's exit code (7)${err:+: $err}"
	is "$out" out "podman run: the workload's stdout"
	like "$err" err "podman run: its stderr"

	run timeout 60 "${P[@]}" run --rm "${R[@]}" localhost/nucleus-bb \
		sh -c 'echo $$; cat /proc/1/cmdline | tr "\0" " "'
	is "$rc" 0 "podman run: exit 0"
	like "$out" "^2
nucleus-init " "nucleus-init is the container's PID 1, the workload its child"

	run timeout 60 "${P[@]}" run -d --name d1 "${R[@]}" \
		localhost/nucleus-bb sh -c 'echo up; exec sleep 1000'
	is "$rc" 0 "podman run -d${err:+: $err}"
	ok "podman ps shows it Up" \
		wait_for 10 sh -c '"$@" ps | grep -q "Up .*d1"' - "${P[@]}"
	ok "podman logs shows its output" \
		wait_for 10 sh -c '"$@" logs d1 | grep -qx up' - "${P[@]}"
	run timeout 60 "${P[@]}" exec d1 sh -c 'echo in; exit 5'
	is "$rc:$out" "5:in" "podman exec: its output and exit code (conmon reaps it)${err:+: $err}"
	run timeout 60 "${P[@]}" exec -u 1000 d1 id -u
	is "$out" 1000 "podman exec -u 1000"
	run timeout 60 "${P[@]}" exec d1 sh -c \
		'for p in self 1; do grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/$p/status | tr -d "\n\t"; echo; done'
	is "$(sed -n 1p <<<"$out")" "$(sed -n 2p <<<"$out")" \
		"podman exec: the same caps, no_new_privs and seccomp as the container's PID 1"
	like "$out" "NoNewPrivs:1" "  (no_new_privs on)"
	run timeout 60 "${P[@]}" exec d1 ls -l /proc/1/exe
	like "$out$err" "Permission denied|memfd" "podman exec: init's /proc/1/exe is not the exec'd process's to write"
	run timeout 60 "${P[@]}" stop -t 10 d1
	is "$rc" 0 "podman stop${err:+: $err}"
	run "${P[@]}" inspect d1 --format '{{.State.ExitCode}}'
	is "$out" 143 "stop: TERM ended it, exit code 143 (128+15)"
	run "${P[@]}" rm d1
	is "$rc" 0 "podman rm${err:+: $err}"

	run timeout 60 "${P[@]}" run -d --name k1 "${R[@]}" \
		localhost/nucleus-bb sleep 1000
	run timeout 60 "${P[@]}" kill k1
	is "$rc" 0 "podman kill${err:+: $err}"
	ok "kill: it stops" wait_for 20 sh -c \
		'[ "$("$@" inspect k1 --format "{{.State.Status}}")" = exited ]' \
		- "${P[@]}"
	run "${P[@]}" inspect k1 --format '{{.State.ExitCode}}'
	is "$out" 137 "kill: exit code 137 (128+9)"
	run "${P[@]}" rm -f k1
	is "$rc" 0 "podman rm -f after kill"

	run timeout 60 "${P[@]}" run -d --name m1 "${R[@]}" --memory 64m \
		--pids-limit 50 localhost/nucleus-bb sleep 1000
	is "$rc" 0 "podman run -d --memory --pids-limit${err:+: $err}"
	pid=$("${P[@]}" inspect m1 --format '{{.State.Pid}}')
	m=$(sed -n 's/^[0-9]*:memory://p' "/proc/$pid/cgroup")
	p=$(sed -n 's/^[0-9]*:pids://p' "/proc/$pid/cgroup")
	if [ -z "$m" ]; then # v2
		m=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
		is "$(cat "/sys/fs/cgroup$m/memory.max")" 67108864 "--memory 64m: memory.max"
		is "$(cat "/sys/fs/cgroup$m/pids.max")" 50 "--pids-limit 50: pids.max"
	else
		is "$(cat "/sys/fs/cgroup/memory$m/memory.limit_in_bytes")" 67108864 \
			"--memory 64m: the v1 memory limit"
		is "$(cat "/sys/fs/cgroup/pids$p/pids.max")" 50 "--pids-limit 50: pids.max"
	fi
	run timeout 60 "${P[@]}" rm -f m1
	is "$rc" 0 "podman rm -f of a running container${err:+: $err}"
	ok "rm -f: its cgroup is gone" \
		wait_for 10 sh -c "! [ -e /sys/fs/cgroup/memory$m/tasks ] && ! [ -e /sys/fs/cgroup$m/cgroup.procs ]"

	# podman's --read-only adds tmpfs mounts on /tmp, /var/tmp, /run.
	run timeout 60 "${P[@]}" run --rm "${R[@]}" --read-only \
		localhost/nucleus-bb \
		sh -c 'touch /x 2>&1; touch /tmp/x && echo tmp-ok; grep CapEff /proc/self/status'
	is "$rc" 0 "podman run --read-only${err:+: $err}"
	like "$out" "Read-only file system" "--read-only: the root is read-only"
	like "$out" "tmp-ok" "--read-only: its /tmp tmpfs is writable"
	capeff=$(sed -n 's/CapEff:[[:space:]]*//p' <<<"$out")
	is "$(((0x$capeff >> 12) & 1))" 0 "no CAP_NET_ADMIN by default"
	run timeout 60 "${P[@]}" run --rm "${R[@]}" --cap-add NET_ADMIN \
		localhost/nucleus-bb grep CapEff /proc/self/status
	capeff=$(sed -n 's/CapEff:[[:space:]]*//p' <<<"$out")
	is "$rc.$(((0x${capeff:-0} >> 12) & 1))" 0.1 "--cap-add NET_ADMIN: in CapEff"

	printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}' \
		>"$tmp/deny-mkdir.json"
	run timeout 60 "${P[@]}" run --rm "${R[@]}" \
		--security-opt seccomp="$tmp/deny-mkdir.json" localhost/nucleus-bb \
		sh -c 'mkdir /tmp/d 2>&1; echo rc=$?'
	like "$out" "Operation not permitted
rc=1" "--security-opt seccomp=FILE: its denied mkdir fails with EPERM"
	run timeout 60 "${P[@]}" run --rm "${R[@]}" localhost/nucleus-bb \
		sh -c 'mkdir /tmp/d && echo made'
	is "$out" made "  control: without it, mkdir works"
	printf '#!/bin/sh\nexec %s run --rm -it %s localhost/nucleus-bb sh -c "tty; test -t 0 && echo isatty"\n' \
		"${P[*]}" "${R[*]}" >"$tmp/it.sh"
	chmod 755 "$tmp/it.sh"
	run timeout 60 python3 "$TOP/tests/lib/pty_run.py" "$tmp/it.sh"
	like "$out" "/dev/pts/0
isatty" "podman run -it: a terminal of the container's own devpts (--console-socket)${err:+: $err}"

	run "${P[@]}" ps -aq
	is "$out" "" "podman: no container left"
	is "$(states)" 0 "podman: no nucleus state left"
}

containerd_tests() {
	local i
	printf 'version = 2\nroot = "%s"\nstate = "%s"\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\n[grpc]\n  address = "%s"\n[ttrpc]\n  address = "%s"\n' \
		"$tmp/cd/root" "$tmp/cd/state" "$tmp/cd/c.sock" \
		"$tmp/cd/c.ttrpc" >"$tmp/cd.toml"
	mkdir -p "$tmp/cd"
	containerd --config "$tmp/cd.toml" >"$tmp/cd/log" 2>&1 &
	cd_pid=$!
	C=(ctr --address "$tmp/cd/c.sock")
	ok "containerd answers on its own socket" \
		wait_for 20 sh -c '"$@" version >/dev/null 2>&1' - "${C[@]}"
	# A rootfs straight from a directory (--rootfs: the image operand is
	# its path): no image, no snapshotter; the shim is the runc-v2 one,
	# with nucleus as its runc.
	X=(--runc-binary "$tmp/runtime" --rootfs "$tmp/rootfs")

	run timeout 60 "${C[@]}" run --rm "${X[@]}" c1 sh -c 'echo hi; exit 7'
	is "$rc" 7 "ctr run --rm: the workload's exit code (7)${err:+: $err}"
	is "$out" hi "ctr run: the workload's output"

	run timeout 60 "${C[@]}" run -d "${X[@]}" c2 sleep 1000
	is "$rc" 0 "ctr run -d${err:+: $err}"
	ok "ctr task ls: RUNNING" \
		wait_for 10 sh -c '"$@" task ls | grep -q "^c2 .*RUNNING"' - "${C[@]}"
	run "${C[@]}" task kill c2
	is "$rc" 0 "ctr task kill${err:+: $err}"
	ok "ctr task kill: STOPPED" \
		wait_for 20 sh -c '"$@" task ls | grep -q "^c2 .*STOPPED"' - "${C[@]}"
	run "${C[@]}" task delete c2
	is "$rc" 0 "ctr task delete${err:+: $err}"
	like "$err" "exit code 143" "ctr: the exit code was the workload's (143)"
	run "${C[@]}" container rm c2
	is "$rc" 0 "ctr container rm"

	# A pod's way: the network namespace its pause container holds.
	unshare -n sleep 60 &
	pod=$!
	wait_for 5 test "$(readlink /proc/$pod/ns/net)" != "$(readlink /proc/self/ns/net)"
	run timeout 60 "${C[@]}" run --rm \
		--with-ns "network:/proc/$pod/ns/net" "${X[@]}" c4 readlink /proc/self/ns/net
	is "$out" "$(readlink /proc/$pod/ns/net)" "ctr run --with-ns network:PATH: the container is in that namespace${err:+: $err}"
	kill "$pod"
	"${C[@]}" container rm c4 >/dev/null 2>&1

	# A pod's shared pid namespace (shareProcessNamespace): its PID 1
	# is the pod's, nucleus-init a subreaper beside it.
	unshare -p -f --kill-child sh -c 'exec sleep 60' </dev/null >/dev/null 2>&1 &
	pod=$!
	wait_for 5 sh -c "pgrep -P $pod >/dev/null"
	p1=$(pgrep -P "$pod")
	run timeout 60 "${C[@]}" run --rm \
		--with-ns "pid:/proc/$p1/ns/pid" "${X[@]}" c5 cat /proc/1/comm
	is "$rc:$out" "0:sleep" "ctr run --with-ns pid:PATH: the pod's PID 1 is the container's${err:+: $err}"
	kill "$pod" "$p1" 2>/dev/null
	"${C[@]}" container rm c5 >/dev/null 2>&1

	# A refused config: containerd shows nucleus's line, from log.json.
	run timeout 60 "${C[@]}" run --rm \
		--with-ns "mount:/proc/$$/ns/mnt" "${X[@]}" c3 true
	nok "ctr run of a refused config (a mount namespace by path) fails" \
		test "$rc" = 0
	like "$err" "runtime create failed: config.json: linux\.namespaces.*path" \
		"ctr: the failure carries nucleus's reason, read from --log's JSON"
	"${C[@]}" container rm c3 >/dev/null 2>&1
	is "$(states)" 0 "containerd: no nucleus state left"
}

if command -v podman >/dev/null && command -v conmon >/dev/null; then
	podman_tests
else
	skip "podman (and conmon) missing: apt-get install podman"
fi
if command -v containerd >/dev/null && command -v ctr >/dev/null &&
	command -v containerd-shim-runc-v2 >/dev/null; then
	containerd_tests
else
	skip "containerd missing: apt-get install containerd"
fi

# Terminals through the clients (issue 17): `podman exec -it` and `ctr task
# exec --tty`, each typed at a pty (tests/lib/pty_run.py): the client hands
# nucleus exec a console socket and process.terminal, and gets the master of
# a pty of the container's own devpts (pts/0: its workload has none).
tty_clients() {
	local s=$tmp/tty-exec.sh
	if [ -n "${P[*]:-}" ]; then
		run timeout 60 "${P[@]}" run -d --name t1 "${R[@]}" \
			localhost/nucleus-bb sleep 1000
		is "$rc" 0 "podman run -d, to exec into${err:+: $err}"
		printf '#!/bin/sh\nexec %s exec -it t1 sh -c "tty; test -t 0 && test -t 1 && echo isatty; exit 3"\n' \
			"${P[*]}" >"$s"
		chmod 755 "$s"
		run timeout 60 python3 "$TOP/tests/lib/pty_run.py" "$s"
		is "$rc" 3 "podman exec -it: the exec'd process's exit code${err:+: $err}"
		like "$out" "^/dev/pts/0
isatty" "  its terminal: the container's pts/0 (exec --console-socket)"
		"${P[@]}" rm -f t1 >/dev/null 2>&1
	fi
	if [ -n "${C[*]:-}" ]; then
		run timeout 60 "${C[@]}" run -d "${X[@]}" t2 sleep 1000
		is "$rc" 0 "ctr run -d, to exec into${err:+: $err}"
		printf '#!/bin/sh\nexec %s task exec --exec-id x1 --tty t2 sh -c "tty; test -t 0 && test -t 1 && echo isatty; exit 4"\n' \
			"${C[*]}" >"$s"
		run timeout 60 python3 "$TOP/tests/lib/pty_run.py" "$s"
		is "$rc" 4 "ctr task exec --tty: the exec'd process's exit code${err:+: $err}"
		like "$out" "^/dev/pts/0
isatty" "  its terminal: the container's pts/0 (process.terminal, --console-socket)"
		"${C[@]}" task kill -s KILL t2 >/dev/null 2>&1
		wait_for 20 sh -c '"$@" task ls | grep -q "^t2 .*STOPPED"' - "${C[@]}"
		"${C[@]}" task delete t2 >/dev/null 2>&1
		"${C[@]}" container rm t2 >/dev/null 2>&1
	fi
	is "$(states)" 0 "terminal clients: no nucleus state left"
}
tty_clients

# Living containers through the clients (issue 17): podman pause and
# unpause, top and stats; ctr task pause and resume, metrics and ps. The
# clients call nucleus pause, resume, ps and update (or read the cgroup
# themselves: podman stats, ctr task metrics). The workload counts into
# its log, which stops growing while it is paused, as a control counter on
# the host goes on.
live_clients() {
	local log n1 c0 pid m ctl=$tmp/live-ctl
	grows() { [ "$(wc -l <"$1")" -gt "$2" ]; }
	"$PROBE" count >"$ctl" &
	local cpid=$!
	paused_still() { # LOG: no line more while the control counts 30
		n1=$(wc -l <"$1")
		c0=$(wc -l <"$ctl")
		wait_for 20 grows "$ctl" $((c0 + 30)) && [ "$(wc -l <"$1")" = "$n1" ]
	}
	if [ -n "${P[*]:-}" ]; then
		run timeout 60 "${P[@]}" run -d --name l1 "${R[@]}" --memory 64m \
			--pids-limit 50 localhost/nucleus-bb \
			sh -c 'i=0; while :; do i=$((i+1)); echo $i; usleep 20000; done'
		is "$rc" 0 "podman run -d, a counter${err:+: $err}"
		log=$("${P[@]}" inspect l1 --format '{{.HostConfig.LogConfig.Path}}')
		ok "  it counts (its log: $log)" wait_for 20 grows "$log" 3
		run timeout 60 "${P[@]}" pause l1
		is "$rc" 0 "podman pause${err:+: $err}"
		is "$("${P[@]}" ps -a --filter name=l1 --format '{{.Status}}')" Paused \
			"  podman ps -a: Paused"
		ok "  the workload counts no more" paused_still "$log"
		run timeout 60 "${P[@]}" unpause l1
		is "$rc" 0 "podman unpause${err:+: $err}"
		ok "  it counts again" wait_for 20 grows "$log" "$n1"
		like "$("${P[@]}" ps --filter name=l1 --format '{{.Status}}')" '^Up' \
			"  podman ps: Up"
		run timeout 60 "${P[@]}" top l1 pid comm
		like "$out" "^1 +memfd:nucleus-i" "podman top: init, PID 1 of the container${err:+: $err}"
		like "$out" "^2 +sh$" "  and the workload, PID 2"
		run timeout 60 "${P[@]}" stats --no-stream --format \
			'{{.MemUsage}} {{.PIDs}}' l1
		like "$out" '^[1-9][0-9.]*[kMG]?B / 67\.11MB [1-9][0-9]*$' \
			"podman stats --no-stream: memory used of 64 MiB, pids: $out${err:+: $err}"
		run timeout 60 "${P[@]}" update --memory 128m l1
		is "$rc" 0 "podman update --memory 128m (nucleus update --resources)${err:+: $err}"
		pid=$("${P[@]}" inspect l1 --format '{{.State.Pid}}')
		m=$(sed -n 's/^[0-9]*:memory://p' "/proc/$pid/cgroup")
		if [ -n "$m" ]; then
			m=/sys/fs/cgroup/memory$m/memory.limit_in_bytes
		else
			m=/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$pid/cgroup")/memory.max
		fi
		is "$(cat "$m")" 134217728 "  the container's memory limit is 128 MiB"
		"${P[@]}" rm -f l1 >/dev/null 2>&1
	fi
	if [ -n "${C[*]:-}" ]; then
		run timeout 60 "${C[@]}" run -d --memory-limit 67108864 "${X[@]}" l2 \
			sh -c 'i=0; while :; do i=$((i+1)); echo $i >>/tmp/n; usleep 20000; done'
		is "$rc" 0 "ctr run -d, a counter${err:+: $err}"
		log=/proc/$("${C[@]}" task ls | awk '$1 == "l2" { print $2 }')/root/tmp/n
		ok "  it counts" wait_for 20 grows "$log" 3
		run "${C[@]}" task pause l2
		is "$rc" 0 "ctr task pause${err:+: $err}"
		ok "  ctr task ls: PAUSED" wait_for 10 sh -c '"$@" task ls | grep -q "^l2 .*PAUSED"' - "${C[@]}"
		ok "  the workload counts no more" paused_still "$log"
		run "${C[@]}" task resume l2
		is "$rc" 0 "ctr task resume${err:+: $err}"
		ok "  ctr task ls: RUNNING" wait_for 10 sh -c '"$@" task ls | grep -q "^l2 .*RUNNING"' - "${C[@]}"
		ok "  it counts again" wait_for 20 grows "$log" "$n1"
		run "${C[@]}" task metrics l2
		like "$out" "memory.usage_in_bytes +[1-9]|memory.usage +[1-9]" "ctr task metrics: memory used${err:+: $err}"
		like "$out" "memory.limit_in_bytes +67108864|memory.limit +67108864" "  its limit"
		like "$out" "pids.current +[1-9]" "  pids"
		pid=$("${C[@]}" task ls | awk '$1 == "l2" { print $2 }')
		run "${C[@]}" task ps l2
		like "$out" "^$pid " "ctr task ps (nucleus ps --format json): init${err:+: $err}"
		like "$out" "^$(pgrep -P "$pid") " "  and the workload"
		"${C[@]}" task kill -s KILL l2 >/dev/null 2>&1
		wait_for 20 sh -c '"$@" task ls | grep -q "^l2 .*STOPPED"' - "${C[@]}"
		"${C[@]}" task delete l2 >/dev/null 2>&1
		"${C[@]}" container rm l2 >/dev/null 2>&1
	fi
	kill "$cpid"
	is "$(states)" 0 "living clients: no nucleus state left"
}
live_clients
done_testing
