#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cgview.sh NAME -- CMD...: runs CMD (crun, runc, runsc, or a harness that
# starts them) in a private cgroup view, so an OCI runtime can create all the
# cgroups it wants without touching the host's hierarchies. On this hybrid
# machine the host's own supervisor lives in the v1 memory hierarchy and runc
# and runsc create their cgroups at the root of every hierarchy they see;
# crun refuses hybrid layouts outright. So: a child cgroup NAME is made below
# our own cgroup in every v1 hierarchy (never anything at the root level of a
# hierarchy we do not own), CMD is moved into it, and inside a new cgroup and
# mount namespace a tmpfs replaces /sys/fs/cgroup with the v1 hierarchies
# mounted again: their root is now NAME, and cgroup2 (controller-less here)
# is left out, so runtimes see a plain v1 host. Afterwards whatever a runtime
# left below NAME is reported on stderr ("cgview: leftover ...") and removed,
# and NAME itself is removed. Exit status: CMD's.
set -euo pipefail

hierarchies() { # prints "MOUNTPOINT CONTROLLERS OWN-PATH" per v1 hierarchy
	local ctrls path
	while IFS=: read -r _ ctrls path; do
		[ -n "$ctrls" ] || continue # the cgroup2 line, 0::/
		awk -v want="$ctrls" -v path="$path" '
		{ for (i = 1; $i != "-"; i++) ; }
		$(i + 1) != "cgroup" { next }
		{
			n = split($(i + 3), o, ","); split(want, w, ",")
			for (k in w) { hit = 0
				for (j = 1; j <= n; j++) if (o[j] == w[k]) hit = 1
				if (!hit) next }
			root = $4; rel = path
			if (root != "/" && index(path, root) == 1)
				rel = substr(path, length(root) + 1)
			if (rel == "") rel = "/"
			print $5, want, rel; exit
		}' /proc/self/mountinfo
	done </proc/self/cgroup
}

if [ "${1:-}" = __inside ]; then
	# New mount + cgroup namespace: our cgroups are the roots from here on.
	shift
	mount -t tmpfs -o mode=0755,nosuid,nodev,noexec cgview /sys/fs/cgroup
	while read -r mp ctrls _; do
		mkdir -p "/sys/fs/cgroup/${mp##*/}"
		mount -t cgroup -o "$ctrls" cgroup "/sys/fs/cgroup/${mp##*/}"
	done <"$CGVIEW_LIST"
	exec "$@"
fi

name=$1
shift
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || { echo "usage: cgview.sh NAME -- CMD..." >&2; exit 2; }
case $name in */* | .* | '') echo "cgview: bad name '$name'" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "cgview: needs root" >&2; exit 2; }

CGVIEW_LIST=$(mktemp)
export CGVIEW_LIST
hierarchies >"$CGVIEW_LIST"
dirs=()
cleanup() {
	local d left
	for d in "${dirs[@]}"; do
		[ -d "$d" ] || continue
		# Deepest first: a runtime's leftovers are a leak worth reporting.
		left=$(find "$d" -mindepth 1 -depth -type d 2>/dev/null || true)
		if [ -n "$left" ]; then
			printf 'cgview: leftover %s\n' $left >&2
			printf '%s\n' $left | xargs -r rmdir 2>/dev/null || true
		fi
		rmdir "$d" 2>/dev/null || echo "cgview: cannot remove $d" >&2
	done
	rm -f "$CGVIEW_LIST"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # so that the EXIT trap runs on ^C too
while read -r mp _ rel; do
	d="$mp${rel%/}/$name"
	mkdir "$d"
	dirs+=("$d")
	# A new v1 cpuset starts empty and refuses tasks until it has some.
	if [ -f "$d/cpuset.cpus" ]; then
		cat "${d%/*}/cpuset.cpus" >"$d/cpuset.cpus"
		cat "${d%/*}/cpuset.mems" >"$d/cpuset.mems"
	fi
done <"$CGVIEW_LIST"
rc=0
(
	for d in "${dirs[@]}"; do echo "$BASHPID" >"$d/cgroup.procs"; done
	exec unshare --cgroup --mount --propagation private -- \
		"$0" __inside "$@"
) || rc=$?
exit "$rc"
