#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# nucleus exec ID (issues 16 and 17): a new process in a running container,
# in every one of its namespaces and cgroups, and exactly as confined as its
# workload: the same probes run as the workload (nucleus run) and through
# exec give the same answers, beside controls that show the probes can
# tell. Then the command line's and --process's changes, --detach, and the
# refusals (125, one line).
. "$(dirname "$0")/lib/tap.sh"
need_root
NB=${NUCLEUS_BIN:-$OUT/nucleus}

tmp=$(mktemp -d)
chmod 755 "$tmp"
st=$tmp/state
cleanup() {
	"$NB" --root "$st" delete --force c1 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
N() { "$NB" --root "$st" "$@"; }

b=$tmp/b
mkdir -p "$b/rootfs"
cp "$PROBE" "$b/rootfs/app"
config() { # ARGS...: config.json running /app ARGS
	local a
	a=$(printf '"%s",' /app "$@")
	cat >"$b/config.json" <<JSON
{"ociVersion":"1.0.2","process":{"args":[${a%,}],"cwd":"/","env":["PATH=/","A=1"],
 "capabilities":{"bounding":["CAP_KILL","CAP_CHOWN"],"effective":["CAP_KILL"],"permitted":["CAP_KILL"]},
 "noNewPrivileges":true},
 "root":{"path":"rootfs","readonly":true},"hostname":"box",
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
  {"destination":"/data","type":"tmpfs","source":"tmpfs","options":["mode=1777"]}],
 "linux":{"namespaces":[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}],
  "resources":{"pids":{"limit":64}}}}
JSON
}

# What the workload itself gets, one probe per run.
config sleep 60
probes=("caps" "nnp" "status Seccomp" "status Seccomp_filters" "hostname" "mount-tmpfs /data"
	"unshare user" "ptrace-attach 1" "keyctl" "bpf" "create /x" "mknod-char /data/n 1 3"
	"create /data/ok" "sethostname evil" "rlimit NOFILE")
declare -A want
for p in "${probes[@]}"; do
	# shellcheck disable=SC2086
	config $p
	want[$p]=$(N run "w$RANDOM" --bundle "$b" 2>&1)
done
config sleep 60
N run c1 --detach --bundle "$b" </dev/null >/dev/null 2>&1
is "$?" 0 "a container runs (detached)"
init=$(N state c1 | sed -n 's/.*"pid": \([0-9]*\),.*/\1/p')

for p in "${probes[@]}"; do
	# shellcheck disable=SC2086
	run N exec c1 /app $p
	is "$out$err" "${want[$p]}" "exec: '$p' answers as the workload's did"
done
caps() { # BOUNDING EFFECTIVE: a process.json running /app caps
	printf '{"args":["/app","caps"],"cwd":"/","capabilities":{"bounding":[%s],"effective":[%s],"permitted":[%s]}}' \
		"$1" "$2" "$2" >"$tmp/c.json"
}
caps '"CAP_KILL","CAP_CHOWN"' '"CAP_KILL"'
run N exec --process "$tmp/c.json" c1
is "$out" "${want[caps]}" "exec --process with the workload's own capability: the same sets"
caps '"CAP_KILL","CAP_SYS_ADMIN"' '"CAP_KILL","CAP_SYS_ADMIN"'
run N exec --process "$tmp/c.json" c1
is "$rc" 125 "exec --process asking for a capability the workload lacks: 125"
like "$err" "CAP_SYS_ADMIN is more than the container's workload holds" "  one line naming it: $err"
run "$NUCLEUS" --cap-add CAP_SYS_ADMIN -- "$PROBE" caps
unlike "$out" "${want[caps]}" "  control: the probe tells other capability sets apart"

# Namespaces and cgroups: init's, every one.
for ns in mnt pid net ipc uts cgroup; do
	run N exec c1 /app ns $ns
	is "$out" "$(readlink /proc/"$init"/ns/$ns)" "exec: in the container's $ns namespace"
done
N exec --detach --pid-file "$tmp/e.pid" c1 /app sleep 30 </dev/null >"$tmp/e.out" 2>&1
is "$?" 0 "exec --detach returns at once $(cat "$tmp/e.out")"
epid=$(cat "$tmp/e.pid")
is "$(cat /proc/"$epid"/cgroup)" "$(cat /proc/"$init"/cgroup)" "  the exec'd process is in every cgroup of the container's"
is "$(readlink /proc/"$epid"/ns/pid)" "$(readlink /proc/"$init"/ns/pid)" "  and in its pid namespace"
is "$(grep -E '^(Cap|NoNewPrivs|Seccomp)' /proc/"$epid"/status)" \
	"$(grep -E '^(Cap|NoNewPrivs|Seccomp)' /proc/"$(pgrep -P "$init")"/status)" \
	"  its capability sets, no_new_privs and seccomp are the workload's"
kill "$epid"

# Its own: exit code, command line changes, --process.
run N exec c1 /app exit 7
is "$rc" 7 "exec: the process's exit code"
run N exec c1 -- /app env A
is "$out" 1 "exec: the container's environment"
run N exec -e A=2 -e B=3 c1 /app env A
is "$out" 2 "exec -e: a variable replaced"
run N exec --cwd /data c1 /app cwd
is "$out" /data "exec --cwd"
run N exec -u 1000:1000 c1 /app id
like "$out" '^uid=1000 gid=1000 ' "exec -u 1000:1000"
printf '{"args":["/app","env","X"],"env":["X=from-process"],"cwd":"/"}' >"$tmp/p.json"
run N exec --process "$tmp/p.json" c1
is "$out" from-process "exec --process FILE"
run N exec c1 /nonexistent
is "$rc" 127 "exec of a missing command: 127"
run N exec c1 /app readlink /proc/self/fd/0 <"$tmp/p.json"
like "$out" 'p\.json$' "exec: the process's stdin is exec's (no report pipe closes fd 0)"

# Refusals.
for bad in "--tty --detach c1 /app getpid" "--console-socket /x c1 /app getpid" "nosuch /app getpid" "c1" "--process $tmp/p.json c1 /app getpid" "--bogus c1 /app getpid"; do
	# shellcheck disable=SC2086
	run N exec $bad
	is "$rc" 125 "exec $bad: 125"
	is "$(printf '%s\n' "$err" | wc -l)" 1 "  one line: $err"
done
N kill c1 KILL
wait_for 10 sh -c '"$0" --root "$1" state c1 | grep -q stopped' "$NB" "$st"
run N exec c1 /app getpid
is "$rc" 125 "exec into a stopped container: 125"
done_testing
