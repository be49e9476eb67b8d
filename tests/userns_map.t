#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --uid-map/--gid-map CONTAINER:HOST:SIZE (issue 16: OCI's linux.uidMappings
# and gidMappings): the ranges are the user namespace's maps, the workload
# takes its ids in them before it touches a file, and its kernel ids are
# never the host's root: what it creates is the mapped host id's, what the
# host keeps from "other" stays closed even when bound in. A range over
# host id 0, overlaps, ids outside the maps and a kernel that refuses the
# namespace are 125 with nothing left behind. Rootless, newuidmap and
# newgidmap check the ranges against /etc/subuid and /etc/subgid (given to
# nobody in a private mount namespace only). `exec` into such a container
# gets the mapped ids too, never the host's root.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/security/cgroup-lib.sh"
need_root
NB=${NUCLEUS_BIN:-$OUT/nucleus}

tmp=$(mktemp -d)
chmod 755 "$tmp"
st=$tmp/state
cleanup_hooks=()
cleanup() {
	local d h
	for d in "$st"/*/; do
		[ -d "$d" ] && "$NB" --root "$st" delete --force "$(basename "$d")"
	done 2>/dev/null
	for h in "${cleanup_hooks[@]}"; do eval "$h"; done
	rm -rf "$tmp"
}
trap cleanup EXIT
N=("$NUCLEUS")
M=(--uid-map 0:100000:65536 --gid-map 0:100000:65536)

run "${N[@]}" "${M[@]}" -- /bin/cat /proc/self/uid_map /proc/self/gid_map
is "$(echo $out)" "0 100000 65536 0 100000 65536" "root: the ranges are the namespace's uid_map and gid_map"
run "${N[@]}" "${M[@]}" -- "$PROBE" id
is "$out" "uid=0 gid=0 euid=0 egid=0 groups=" "uid 0 inside, root's groups dropped"

# What the workload makes is the mapped host id's (control: the single-id
# map's nobody); --user's ids are offsets into the range.
mkdir -m 777 "$tmp/w"
run "${N[@]}" "${M[@]}" --bind "$tmp/w" /w -- "$PROBE" create /w/mapped
is "$out:$(stat -c %u:%g "$tmp/w/mapped" 2>&1)" "ok:100000:100000" "a file made on a bind is host 100000's"
run "${N[@]}" --userns --bind "$tmp/w" /w -- "$PROBE" create /w/single
is "$out:$(stat -c %u:%g "$tmp/w/single" 2>&1)" "ok:65534:65534" "control: without the maps, the single-id map's nobody"
run "${N[@]}" "${M[@]}" --user 1000:1001 --groups 5 --bind "$tmp/w" /w -- \
	/bin/sh -c '"$0" id && "$0" create /w/u1000' "$PROBE"
is "$(echo $out):$(stat -c %u:%g "$tmp/w/u1000" 2>&1)" \
	"uid=1000 gid=1001 euid=1000 egid=1001 groups=5 ok:101000:101001" \
	"--user and --groups inside the maps: host 100000 + the ids"

# The host's root-only files, even bound in explicitly: the workload is
# "other" to them (control: a 0644 file; and root without a user
# namespace, whose explicit bind of /etc/shadow reads).
printf s >"$tmp/secret"
chmod 600 "$tmp/secret"
printf p >"$tmp/public"
chmod 644 "$tmp/public"
bind=(--ro-bind "$tmp/secret" /secret --ro-bind "$tmp/public" /public --ro-bind /etc/shadow /shadow)
run "${N[@]}" "${M[@]}" "${bind[@]}" -- /bin/sh -c 'for f in /secret /shadow /etc/shadow /public; do "$0" read $f; done' "$PROBE"
is "$(echo $out)" "EACCES EACCES EACCES ok" "a 0600 root file, /etc/shadow bound in and the host's own: EACCES; a 0644 one reads"
run "${N[@]}" "${bind[@]}" -- /bin/sh -c 'for f in /secret /shadow; do "$0" read $f; done' "$PROBE"
is "$(echo $out)" "ok ok" "control: root without a user namespace reads what it binds"

# Refusals: one line, 125, before anything exists (no cgroup, no file).
cg_test_parent userns-map || diag "no cgroup parent of our own: cgroup leftovers not checked"
refuse() { # NEEDLE DESC FLAGS...
	local needle=$1 desc=$2
	shift 2
	run "${N[@]}" --cgroup-parent "$P" "$@" --bind "$tmp/w" /w -- "$PROBE" create /w/never
	is "$rc:$(wc -l <<<"$err")" 125:1 "$desc: 125, one line"
	like "$err" "$needle" "  ... saying why"
	is "$(ls "$tmp/w/never" 2>/dev/null):$(cg_leftovers "$P")" ":" "  ... nothing ran, no cgroup left"
	rm -f "$tmp/w/never"
}
refuse "--uid-map: '0:0:65536' maps host id 0 \(root\): refused" "a uid range over host id 0" \
	--uid-map 0:0:65536 --gid-map 0:100000:65536
refuse "--gid-map: '1:0:1' maps host id 0" "a gid range over host id 0" \
	--uid-map 0:100000:65536 --gid-map 0:100000:1 --gid-map 1:0:1
refuse "--uid-map: '5:200000:10' overlaps an earlier range" "container sides overlap" \
	--uid-map 0:100000:10 --uid-map 5:200000:10 --gid-map 0:100000:10
refuse "--gid-map: '50:100005:10' overlaps" "host sides overlap" \
	--uid-map 0:100000:10 --gid-map 0:100000:10 --gid-map 50:100005:10
refuse "--user/--groups: uid 5000 or gid 5000 not in the maps" \
	"--user outside the maps" --uid-map 0:100000:100 --gid-map 0:100000:100 --user 5000
refuse "gid 70000 not in the maps" "--groups outside the maps" \
	"${M[@]}" --groups 70000
refuse "--uid-map and --gid-map go together" "--uid-map alone" --uid-map 0:100000:10
refuse "--uid-map is not supported with --runtime gvisor" "--runtime gvisor" --runtime gvisor "${M[@]}"
run "${N[@]}" "${M[@]}" --user 5000 -- "$PROBE" id
is "$out" "uid=5000 gid=5000 euid=5000 egid=5000 groups=" "control: --user 5000 inside the maps runs"

# A kernel that refuses the user namespace: 125, never a sandbox without
# it (control: --userns alone steps down to tier no-userns).
if [ -x "$OUT/denyns" ]; then
	run "$OUT/denyns" user "${N[@]}" "${M[@]}" -- "$PROBE" id
	is "$rc" 125 "user namespaces refused: 125"
	like "$err" "--uid-map needs a user namespace" "  ... saying why"
	run "$OUT/denyns" user "${N[@]}" --userns -- "$PROBE" id
	is "$rc" 0 "control: --userns alone runs at tier no-userns"
else
	skip "build/out/denyns not built"
fi
run "${N[@]}" --mode production "${M[@]}" -- "$PROBE" id
is "$rc:$out" "0:uid=0 gid=0 euid=0 egid=0 groups=" "--mode production runs with the maps"
run unshare -pf --mount-proc "${N[@]}" --share pid "${M[@]}" -- /bin/cat /proc/self/uid_map
is "$(echo $out)" "0 100000 65536" "in place (PID 1, --share pid): the maps, written from outside"

# Rootless: newuidmap/newgidmap write the ranges /etc/subuid and
# /etc/subgid give the caller (nobody, in a private mount namespace).
if [ -u /usr/bin/newuidmap ] && [ -u /usr/bin/newgidmap ]; then
	subids_env 65534:200000:65536
	R=("${SUBIDS[@]}" "${NOBODY[@]}" "${N[@]}")
	run "${R[@]}" --uid-map 0:200000:65536 --gid-map 0:200000:65536 --bind "$tmp/w" /w -- \
		/bin/sh -c 'cat /proc/self/uid_map /proc/self/gid_map; "$0" id; "$0" create /w/rootless' "$PROBE"
	is "$(echo $out):$(stat -c %u:%g "$tmp/w/rootless" 2>&1)" \
		"0 200000 65536 0 200000 65536 uid=0 gid=0 euid=0 egid=0 groups= ok:200000:200000" \
		"rootless: its subordinate ranges, uid 0 inside, files are host 200000's"
	run "${R[@]}" --uid-map 0:65534:1 --uid-map 1:200000:65536 --gid-map 0:65534:1 \
		--gid-map 1:200000:65536 --user 1000:1000 --groups 5 -- "$PROBE" id
	is "$out" "uid=1000 gid=1000 euid=1000 egid=1000 groups=5" "rootless: its own id and its range; --user and --groups in them"
	run "${R[@]}" --uid-map 0:200000:10 --gid-map 0:65534:1 -- "$PROBE" id
	is "$rc:$out" "0:uid=0 gid=0 euid=0 egid=0 groups=" "rootless: a gid map of its own gid only (setgroups denied) runs"
	run "${R[@]}" --uid-map 0:300000:65536 --gid-map 0:200000:65536 -- /bin/true
	is "$rc" 125 "rootless: a range not in /etc/subuid: 125"
	like "$err" "newuidmap: uid range .* not allowed" "  ... newuidmap says which"
	like "$err" "nucleus: userns: /usr/bin/newuidmap failed .*/etc/subuid" "  ... and nucleus, in one line"
	nok "  ... no process of it left" pgrep -u 65534 -f -- "--uid-map 0:300000:65536"
	run "${R[@]}" --uid-map 0:0:1 --gid-map 0:200000:10 -- /bin/true
	is "$rc" 125 "rootless: host id 0 refused too"
	run "${SUBIDS[@]}" unshare -pf --mount-proc "${NOBODY[@]}" "${N[@]}" --share pid \
		--uid-map 0:200000:100 --gid-map 0:200000:100 -- /bin/cat /proc/self/uid_map
	is "$(echo $out)" "0 200000 100" "rootless in place: newuidmap runs from outside the namespace"
	run "${SUBIDS[@]}" unshare -pf --mount-proc "${NOBODY[@]}" "${N[@]}" --share pid --map-subids -- /bin/cat /proc/self/uid_map
	is "$(echo $out)" "0 65534 1 1 200000 65536" "rootless in place: --map-subids too"
else
	skip "newuidmap/newgidmap (package uidmap) are not installed"
fi

# OCI: linux.uidMappings/gidMappings through `nucleus run`, and `exec`
# into the container: the mapped ids, never the host's root (control: a
# container without a user namespace, where exec is the host's root).
bundle() { # DIR NS-EXTRA LINUX-EXTRA ARGS...
	local b=$1 ns=$2 lin=$3 a
	shift 3
	mkdir -p "$b/rootfs/proc"
	cp "$PROBE" "$b/rootfs/app"
	a=$(printf '"%s",' /app "$@")
	printf '{"ociVersion":"1.0.2","process":{"args":[%s],"cwd":"/"},"root":{"path":"rootfs","readonly":true},"mounts":[{"destination":"/proc","type":"proc","source":"proc"}],"linux":{"namespaces":[{"type":"pid"},{"type":"mount"},{"type":"ipc"},{"type":"uts"},{"type":"network"}%s]%s}}\n' \
		"${a%,}" "$ns" "$lin" >"$b/config.json"
}
U=',{"type":"user"}'
MAPS=',"uidMappings":[{"containerID":0,"hostID":100000,"size":65536}],"gidMappings":[{"containerID":0,"hostID":100000,"size":65536}]'
bundle "$tmp/b1" "$U" "$MAPS" cat /proc/self/uid_map
run "$NB" --root "$st" run m1 --bundle "$tmp/b1"
is "$rc:$(echo $out)" "0:0 100000 65536" "OCI: uidMappings become the container's uid_map"
bundle "$tmp/b0" "" "$MAPS" cat /proc/self/uid_map
run "$NB" --root "$st" run m0 --bundle "$tmp/b0"
is "$rc:$err" "125:nucleus: config.json: linux.uidMappings: needs a user namespace" "OCI: mappings without a user namespace: 125"
exec_host_uid() { # ID BUNDLE: the host uid:gid of a process exec runs in it
	"$NB" --root "$st" run "$1" --detach --bundle "$2" </dev/null >/dev/null 2>&1 &&
		"$NB" --root "$st" exec --detach --pid-file "$tmp/$1.pid" "$1" /app sleep 30 &&
		ps -o uid=,gid= -p "$(cat "$tmp/$1.pid")" | tr -s ' ' | sed 's/^ //; s/ /:/'
	"$NB" --root "$st" delete --force "$1" 2>/dev/null
}
bundle "$tmp/b2" "$U" "$MAPS" sleep 60
is "$(exec_host_uid m2 "$tmp/b2")" 100000:100000 "OCI exec with the maps: host 100000, not root"
bundle "$tmp/b3" "$U" "" sleep 60
is "$(exec_host_uid m3 "$tmp/b3")" 65534:65534 "OCI exec with a single-id user namespace: host nobody, not root"
bundle "$tmp/b4" "" "" sleep 60
is "$(exec_host_uid m4 "$tmp/b4")" 0:0 "control: without a user namespace, exec is the host's root (caps dropped)"
is "$(ls -A "$st")" "" "no state left behind"

done_testing
