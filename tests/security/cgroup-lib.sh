# SPDX-License-Identifier: MIT
# cgroup helpers of the security suite (cgroups.t, churn.t): a parent
# cgroup of the test's own, below this process's cgroup in each hierarchy
# nucleus uses by default (cgroup2, v1 memory, v1 pids), passed to nucleus
# as --cgroup-parent so that nothing another test runs meanwhile is
# counted; and the nucleus-* directories left below it. Only directories
# below our own cgroup are made; no file of any hierarchy is written.

# The hierarchies: "unified" is cgroup2 (line 0:: of /proc/self/cgroup).
cg_hierarchies() {
	local h
	for h in unified memory pids; do [ -n "$(cg_mount $h)" ] && echo $h; done
}
cg_mount() { # HIER: its mount point, or nothing
	awk -v h="$1" '{
		for (i = 7; i <= NF; i++) if ($i == "-") break
		t = $(i + 1); o = "," $(i + 3) ","
		if ((h == "unified" && t == "cgroup2") ||
		    (t == "cgroup" && index(o, "," h ","))) { print $5; exit }
	}' /proc/self/mountinfo
}
cg_own() { # HIER: our own cgroup path in it
	local key=$1
	[ "$key" = unified ] && key=
	awk -F: -v k="$key" '$2 == k { print $3; exit }' /proc/self/cgroup
}
cg_dir() { # HIER REL: the directory of REL below our own cgroup
	local own
	own=$(cg_own "$1")
	echo "$(cg_mount "$1")${own%/}/$2"
}
# cg_test_parent NAME: makes NAME-$$ in every hierarchy, sets P to it and
# registers its removal; returns 1 when none could be made.
cg_test_parent() {
	local h made=0
	P=$1-$$
	for h in $(cg_hierarchies); do
		mkdir -p "$(cg_dir $h "$P")" 2>/dev/null && made=1
		cleanup_hooks+=("rmdir '$(cg_dir $h "$P")'/nucleus-* '$(cg_dir $h "$P")' 2>/dev/null")
	done
	[ $made = 1 ]
}
# cg_leftovers REL: nucleus-* directories below REL, in any hierarchy.
cg_leftovers() {
	local h
	for h in $(cg_hierarchies); do
		(cd "$(cg_dir $h "$1")" 2>/dev/null && ls -d nucleus-* 2>/dev/null)
	done | sort -u
}
