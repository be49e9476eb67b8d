#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# nucleus as an OCI runtime, first slice (issue 16): runc's command line
# (`nucleus [--root DIR] VERB ID ...`) on a bundle whose root is a FROM
# scratch image (one static program, as in images.t). run in the
# foreground and --detach, create and start, state, list, kill, delete,
# spec, features; the state directory's rules; bad input is one line and
# exit 125 with nothing left behind; the argv form beside the verbs is
# untouched.
. "$(dirname "$0")/lib/tap.sh"
need_root
NB=${NUCLEUS_BIN:-$OUT/nucleus}

tmp=$(mktemp -d)
chmod 755 "$tmp"
st=$tmp/state
cleanup() {
	local d
	for d in "$st"/*/; do
		[ -d "$d" ] && "$NB" --root "$st" delete --force "$(basename "$d")"
	done 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
N() { "$NB" --root "$st" "$@"; }

# bundle DIR ARGS...: config.json running /app ARGS in a one-file rootfs.
bundle() {
	local b=$1 a
	shift
	mkdir -p "$b/rootfs"
	cp "$PROBE" "$b/rootfs/app"
	a=$(printf '"%s",' /app "$@")
	printf '{"ociVersion":"1.0.2","process":{"args":[%s],"cwd":"/"},"root":{"path":"rootfs","readonly":true}}\n' \
		"${a%,}" >"$b/config.json"
}
status_is() { [ "$(N state "$1" 2>/dev/null | sed -n 's/.*"status": "\([a-z]*\)".*/\1/p')" = "$2" ]; }

bundle "$tmp/exit7" exit 7
run N run c1 --bundle "$tmp/exit7"
is "$rc" 7 "run: the workload's exit code is run's"
is "$(stat -c %a "$st")" 700 "the state root is made 0700"
is "$(ls -A "$st")" "" "run: the state entry is gone once it ended"
run "$NB" --rootfs "$tmp/exit7/rootfs" -- /app exit 3
is "$rc" 3 "the argv form beside the verbs is unchanged"

# --detach, --pid-file, state, list
bundle "$tmp/sleep" sleep 60
# Detached: its monitor keeps the caller's stdio, so not run's pipe.
N run c2 --detach --bundle "$tmp/sleep" --pid-file "$tmp/c2.pid" \
	</dev/null >"$tmp/c2.out" 2>&1
is "$?" 0 "run --detach returns 0 once init runs"
pid=$(cat "$tmp/c2.pid" 2>/dev/null)
like "$(readlink /proc/"$pid"/exe 2>/dev/null)" 'memfd:nucleus-init' "--pid-file names the container's init (nucleus-init)"
run N state c2
like "$out" '"status": "running"' "state: running"
like "$out" "\"pid\": $pid," "state: pid is init's"
like "$out" "\"bundle\": \"$tmp/sleep\"" "state: the bundle's absolute path"
like "$out" '"ociVersion": "1\.0\.2", "id": "c2"' "state: ociVersion and id"
run N list
like "$out" "^c2 +$pid +running" "list: a table row"
run N list --format json
like "$out" '^\[\{"ociVersion":"1\.0\.2","id":"c2",.*"status":"running"' "list --format json"

# Refusals: one line, 125, nothing left behind or disturbed.
run N run c2 --detach --bundle "$tmp/sleep"
is "$rc:$(echo "$err" | wc -l)" "125:1" "a duplicate ID: 125, one line"
like "$err" "container 'c2' exists" "  it names the ID"
ok "  the first c2 still runs" status_is c2 running
run N delete c2
is "$rc" 125 "delete of a running container without --force: 125"
ok "  it still runs" status_is c2 running
run N run c3 --bundle "$tmp/nowhere"
is "$rc" 125 "a missing bundle: 125"
run N run c3 --bundle "$tmp"
like "$rc:$err" '^125:nucleus: .*config\.json' "no config.json: 125, one line naming it"
ok "  no state left behind" test ! -e "$st/c3"
run N run ../x --bundle "$tmp/exit7"
like "$rc:$err" "^125:.*bad container ID" "an ID with a slash: 125"
run "$NB" --systemd-cgroup list
like "$rc:$err" "^125:nucleus: args: --systemd-cgroup: not supported" "--systemd-cgroup: one clear line"
run N frobnicate
is "$rc" 125 "not a verb: 125"
run N run c4 --console-socket /tmp/x --bundle "$tmp/sleep"
is "$rc:$err" "125:nucleus: config.json: --console-socket: process.terminal is false" \
	"--console-socket without process.terminal: 125, one line"
ok "  no state left behind" test ! -e "$st/c4"

# kill, then delete; delete --force of a running one.
run N kill c2 KILL
is "$rc" 0 "kill c2 KILL"
ok "  the container is stopped" wait_for 10 status_is c2 stopped
run N kill c2
is "$rc" 125 "kill of a stopped container: 125"
run N delete c2
is "$rc" 0 "delete of a stopped container"
ok "  its state is gone" test ! -e "$st/c2"
N run c5 -d --bundle "$tmp/sleep" --pid-file "$tmp/c5.pid" </dev/null >/dev/null 2>&1
pid=$(cat "$tmp/c5.pid")
run N delete --force c5
is "$rc" 0 "delete --force of a running container"
ok "  its init is gone" wait_for 10 sh -c "! kill -0 $pid 2>/dev/null"
ok "  its state is gone" test ! -e "$st/c5"
run N state c5
like "$rc:$err" "^125:.*'c5' does not exist" "state of a deleted ID: 125"

# Foreground: a TERM to run reaches the workload (128+15).
"$NB" --root "$st" run c6 --bundle "$tmp/sleep" &
fg=$!
ok "foreground run: state says running" wait_for 10 status_is c6 running
kill -TERM "$fg"
wait "$fg"
is "$?" 143 "  TERM to run ends the workload: 143"
ok "  and its state is gone" test ! -e "$st/c6"

# create, then start: the workload (it makes a file in a bound directory,
# then lists its fds and sleeps) waits for start.
mkdir -p "$tmp/out" "$tmp/hold/rootfs/out"
bundle "$tmp/hold" seq create /out/ran -- fds -- sleep 60
sed -i "s|}}\$|},\"mounts\":[{\"destination\":\"/out\",\"type\":\"bind\",\"source\":\"$tmp/out\",\"options\":[\"rbind\",\"rw\"]}]}|" "$tmp/hold/config.json"
N create k1 --bundle "$tmp/hold" --pid-file "$tmp/k1.pid" </dev/null >"$tmp/k1.out" 2>&1
is "$?" 0 "create returns 0"
pid=$(cat "$tmp/k1.pid" 2>/dev/null)
like "$(readlink /proc/"$pid"/exe 2>/dev/null)" 'memfd:nucleus-init' "  --pid-file names the container's init"
ok "  state: created" status_is k1 created
like "$(N state k1)" "\"pid\": $pid," "  state: pid is init's"
is "$(stat -c %a "$st/k1/exec.fifo" 2>/dev/null)" 600 "  exec.fifo is made 0600"
nok "  the workload has not run" test -e "$tmp/out/ran"
is "$(pgrep -P "$pid" | wc -l)" 0 "  init has no child yet"
run N create k1 --bundle "$tmp/hold"
is "$rc" 125 "  a second create of the ID: 125"
run N start k1
is "$rc:$err" "0:" "start returns 0, silent"
ok "  the workload runs" wait_for 10 test -e "$tmp/out/ran"
ok "  state: running" status_is k1 running
ok "  it got only fds 0-2 (no exec.fifo)" wait_for 10 grep -qx '0 1 2' "$tmp/k1.out"
run sh -c "tr '\\0' '\\n' </proc/\$(pgrep -P $pid)/environ"
is "$rc:$out" "0:" "  nor its variable (its env: config.json's, empty)"
run N start k1
like "$rc:$err" "^125:nucleus: start: container 'k1' is running, not created$" "a second start: 125, one line"
run N kill k1 KILL
ok "  stopped once killed" wait_for 10 status_is k1 stopped
run N start k1
is "$rc" 125 "start of a stopped container: 125"
run N delete k1
ok "  deleted" test ! -e "$st/k1"
run N start nosuch
like "$rc:$err" "^125:.*'nosuch' does not exist" "start of an unknown ID: 125"

# A created container goes with delete --force: no process, cgroup, state.
N create k2 --bundle "$tmp/hold" --pid-file "$tmp/k2.pid" </dev/null >/dev/null 2>&1
pid=$(cat "$tmp/k2.pid")
cg=/sys/fs/cgroup/memory$(sed -n 's/^[0-9]*:memory://p' /proc/"$pid"/cgroup)
ok "  its cgroup exists while created ($cg)" test -d "$cg" -a "$cg" != /sys/fs/cgroup/memory
run N delete --force k2
is "$rc" 0 "delete --force of a created container"
ok "  its init is gone" wait_for 10 sh -c "! kill -0 $pid 2>/dev/null"
ok "  its cgroup is gone" wait_for 10 test ! -d "$cg"
ok "  its state is gone" test ! -e "$st/k2"
N create k3 --bundle "$tmp/hold" --pid-file "$tmp/k3.pid" </dev/null >/dev/null 2>&1
pid=$(cat "$tmp/k3.pid")
run N delete k3
is "$rc" 0 "delete of a created container needs no --force (runc's rule)"
ok "  its init is gone" wait_for 10 sh -c "! kill -0 $pid 2>/dev/null"

# kill of a created container (TERM, the default) ends it; the workload
# never ran.
rm -f "$tmp/out/ran"
N create k4 --bundle "$tmp/hold" --pid-file "$tmp/k4.pid" </dev/null >/dev/null 2>&1
run N kill k4
is "$rc" 0 "kill of a created container"
ok "  it is stopped" wait_for 10 status_is k4 stopped
nok "  its workload never ran" test -e "$tmp/out/ran"
run N start k4
is "$rc" 125 "  start of it now: 125"
N delete k4

# A stale state (its init long gone) reads as stopped; delete removes it.
mkdir -m 700 "$st/old"
printf '{"id":"old","nucleus_status":"running","pid":999999,"bundle":"/x","created":"x","monitor":0,"pid_start":1,"monitor_start":0}\n' >"$st/old/state.json"
ok "a stale state reads as stopped" status_is old stopped
run N delete old
ok "  and delete removes it" test ! -e "$st/old"
echo garbage >"$st/half" && rm "$st/half" && mkdir -m 700 "$st/half" && echo '{"id":' >"$st/half/state.json"
run N list
is "$rc" 0 "list skips a half-written state"
run N delete half
ok "  delete removes it" test ! -e "$st/half"

# The state root: ours, not a symlink.
mkdir "$tmp/theirs" && chown 65534 "$tmp/theirs"
run "$NB" --root "$tmp/theirs" list
like "$rc:$err" "^125:.*owned by uid 65534" "a root owned by someone else: 125"
ln -s "$st" "$tmp/link"
run "$NB" --root "$tmp/link" list
is "$rc" 125 "a symlinked root: 125"

# spec and features
mkdir "$tmp/spec"
run sh -c "cd '$tmp/spec' && '$NB' spec"
is "$rc" 0 "spec writes config.json"
ok "  it is JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/spec/config.json"
like "$(cat "$tmp/spec/config.json")" '"readonly": true' "  with a read-only root"
mkdir "$tmp/spec/rootfs" && cp "$PROBE" "$tmp/spec/rootfs/app"
sed -i 's|"sh"|"/app", "exit", "4"|' "$tmp/spec/config.json"
run N run s1 --bundle "$tmp/spec"
is "$rc" 4 "  spec's config.json runs (its args replaced)"
run sh -c "cd '$tmp/spec' && '$NB' spec"
is "$rc" 125 "spec never overwrites config.json"
run "$NB" features
ok "features prints JSON" python3 -c "import json,sys; json.loads(sys.argv[1])" "$out"

# linux.seccomp: the profile becomes the filter (--seccomp-profile on a
# copy in the state directory). sc_bundle DIR RULES: /app mkdir /d on a
# writable root under defaultAction ALLOW plus RULES.
sc_bundle() {
	mkdir -p "$1/rootfs" && cp "$PROBE" "$1/rootfs/app"
	printf '{"ociVersion":"1.0.2","process":{"args":["/app","mkdir","/d"],"cwd":"/"},"root":{"path":"rootfs"},"linux":{"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_AARCH64"],"flags":["SECCOMP_FILTER_FLAG_LOG"],"syscalls":[%s]}}}\n' \
		"$2" >"$1/config.json"
}
sc_bundle "$tmp/sc" '{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}'
run N run sc1 --bundle "$tmp/sc"
is "$rc:$out" "1:EPERM" "linux.seccomp: a denied mkdir fails with errnoRet 1 (EPERM)"
ok "  the directory was not made" test ! -e "$tmp/sc/rootfs/d"
is "$(ls -A "$st")" "" "  the state (and its seccomp.json) is gone once it ended"
sc_bundle "$tmp/sc0" '{"names":["rmdir"],"action":"SCMP_ACT_ERRNO","errnoRet":1}'
run N run sc2 --bundle "$tmp/sc0"
is "$rc:$out" "0:ok" "  control: without the mkdir rule it succeeds"
ok "  and the directory is there" test -d "$tmp/sc0/rootfs/d"
# runtime-tools' default profile answers close_range with EPERM (it
# predates the call): nucleus then marks the fds close-on-exec one by one.
sc_bundle "$tmp/scr" '{"names":["close_range"],"action":"SCMP_ACT_ERRNO","errnoRet":1}'
sed -i 's|"mkdir","/d"|"fds"|' "$tmp/scr/config.json"
run N run sc4 --bundle "$tmp/scr" 7>"$tmp/fd7" 9>"$tmp/fd9"
is "$rc:$out" "0:0 1 2" "close_range denied by the profile: the workload runs, with only fds 0-2"
sc_bundle "$tmp/sc1" '{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}'
run N run sc3 --bundle "$tmp/sc1"
is "$rc:$(echo "$err" | wc -l)" "125:1" "linux.seccomp that nucleus-policy refuses: 125, one line"
is "$(ls -A "$st")" "" "  nothing left behind"

# create's FIFO travels in NUCLEUS_EXEC_FIFO_FD: a stray one naming any
# other fd (stdout here) is refused, never waited on.
run env NUCLEUS_EXEC_FIFO_FD=1 "$NB" -- /bin/true
is "$rc:$err" "125:nucleus: setup: NUCLEUS_EXEC_FIFO_FD=1: not the FIFO of nucleus create" \
	"a stray NUCLEUS_EXEC_FIFO_FD is refused by nucleus"
run env NUCLEUS_EXEC_FIFO_FD=1 "$NUCLEUS_INIT" -- /bin/true
is "$rc:$err" "125:nucleus-init: NUCLEUS_EXEC_FIFO_FD=1: not a FIFO" \
	"  and by nucleus-init"
run env -u NUCLEUS_EXEC_FIFO_FD "$NB" -- /bin/true
is "$rc" 0 "  control: without it the same run works"
# linux.resources: each to its flag, read back from the cgroup files.
dev=$(cat /sys/block/vda/dev 2>/dev/null || cat /sys/block/loop0/dev)
bundle "$tmp/res" sleep 60
sed -i "s|}}\$|},\"linux\":{\"resources\":{\"memory\":{\"limit\":67108864,\"swap\":100663296},\"cpu\":{\"shares\":512,\"cpus\":\"0\"},\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":${dev%:*},\"minor\":${dev#*:},\"rate\":1048576}]}}}}|" "$tmp/res/config.json"
N create r1 --bundle "$tmp/res" --pid-file "$tmp/r1.pid" </dev/null >"$tmp/r1.out" 2>&1
is "$?" 0 "create with memory, swap, cpu shares and cpus, a blkio throttle$(cat "$tmp/r1.out")"
pid=$(cat "$tmp/r1.pid" 2>/dev/null)
cgf() { cat "/sys/fs/cgroup/$1$(sed -n "s/^[0-9]*:[^:]*\\b$1\\b[^:]*://p" /proc/"$pid"/cgroup)/$2" 2>/dev/null; }
is "$(cgf memory memory.limit_in_bytes)" 67108864 "  memory.limit: memory.limit_in_bytes"
is "$(cgf memory memory.memsw.limit_in_bytes)" 100663296 "  memory.swap (memory + swap): memory.memsw.limit_in_bytes"
is "$(cgf cpu cpu.shares)" 512 "  cpu.shares: cpu.shares"
is "$(cgf cpuset cpuset.cpus)" 0 "  cpu.cpus: cpuset.cpus"
is "$(cgf blkio blkio.throttle.read_bps_device)" "$dev 1048576" "  blockIO.throttleReadBpsDevice: blkio.throttle.read_bps_device"
N delete --force r1

# runc's option forms: -b DIR, --bundle=DIR; a missing value is one line.
run N run f1 -b "$tmp/exit7"
is "$rc" 7 "run -b DIR (the short form)"
run N run f2 --bundle="$tmp/exit7"
is "$rc" 7 "run --bundle=DIR"
run N run f3 --bundle
is "$rc:$err" "125:nucleus: args: --bundle needs a value" "run --bundle with no value: 125, one line"

# --preserve-fds N: the caller's fds 3..N+2 reach the workload, as runc's.
bundle "$tmp/fds" fds
run N run p1 --bundle "$tmp/fds" --preserve-fds 2 3</dev/null 4</dev/null
is "$rc:$out" "0:0 1 2 3 4" "run --preserve-fds 2: the workload has fds 3 and 4${err:+: $err}"
run N run p2 --bundle "$tmp/fds" 3</dev/null 4</dev/null
is "$rc:$out" "0:0 1 2" "  control: without it, only 0, 1, 2"
run N run p3 --bundle "$tmp/fds" --preserve-fds 65
is "$rc" 125 "  --preserve-fds 65: 125"
run N run p4 --bundle "$tmp/fds" --no-pivot --no-new-keyring
is "$rc:$out" "0:0 1 2" "--no-pivot, --no-new-keyring are accepted (nucleus always pivots; seccomp denies keyrings)"
done_testing
