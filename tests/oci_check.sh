#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make oci-check: the OCI runtime-tools validation suite (../shared's
# oci-validation/run.sh, or $RUNTIME_TOOLS_SRC holding it) against nucleus
# and, in the same run, against runc when it is installed. Prints both
# figures per file and in total, and fails when nucleus passes fewer TAP
# points than runc (or than runc's recorded 3385 with no runc here), or
# fails a file runc passes that is not among the deviations README explains.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${NUCLEUS_OUT:-$top/build/out}
src=${RUNTIME_TOOLS_SRC:-}
for d in "$src" "$top/../shared/oci-validation" /work/shared/oci-validation; do
	[ -n "$d" ] && [ -x "$d/run.sh" ] && { src=$d; break; }
done
[ -x "$src/run.sh" ] || { echo "oci-check: no oci-validation/run.sh (set RUNTIME_TOOLS_SRC)" >&2; exit 2; }
work=${OCI_CHECK_WORK:-${TMPDIR:-/tmp}/nucleus-oci-validation}
# Files where nucleus knowingly differs (README, "The OCI runtime"):
# always no_new_privs (process.noNewPrivileges false is met by being
# stricter: linux_uid_mappings fails that point alone), cgroupsPath and the
# cgroup resources beyond memory, pids and the CPU quota, hooks, joining
# namespaces by path, rootfs propagation.
explained="default mounts process process_capabilities_fail process_oom_score_adj
 process_user root_readonly_true linux_sysctl linux_uid_mappings linux_devices
 hostname delete_resources config_updates_without_affect linux_masked_paths
 linux_readonly_paths linux_rootfs_propagation linux_ns_itype
 linux_ns_path linux_cgroups_cpus linux_cgroups_memory
 linux_cgroups_pids linux_cgroups_relative_cpus linux_cgroups_relative_memory
 linux_cgroups_relative_pids linux_cgroups_devices linux_cgroups_relative_devices "
bash "$src/run.sh" "$out/nucleus" "$work" >"$work.nucleus" 2>&1 || true
runc=$(command -v runc || true)
if [ -n "$runc" ]; then
	bash "$src/run.sh" "$runc" "$work" >"$work.runc" 2>&1 || true
else
	: >"$work.runc"
fi
awk -v explained="$(echo $explained) " '
FNR == 1 { f++ }
/ ok=/ { split($2, a, "="); split($3, b, "="); ok[f, $1] = a[2]; bad[f, $1] = b[2]; if (f == 1) name[++n] = $1 }
END {
	printf "%-32s %14s %14s\n", "file", "nucleus ok/not", "runc ok/not"
	for (i = 1; i <= n; i++) {
		k = name[i]
		printf "%-32s %8d/%-5d %8s/%-5s\n", k, ok[1, k], bad[1, k], ok[2, k], bad[2, k]
		tn += ok[1, k]; tr += ok[2, k]
		if (ok[2, k] > 0 && bad[2, k] == 0 && bad[1, k] > 0 && index(" " explained, " " k " ") == 0) {
			print "oci-check: " k " fails for nucleus, passes for runc, and README does not say why"
			worse = 1
		}
	}
	floor = tr ? tr : 3385
	printf "total: nucleus %d passed, runc %s\n", tn, tr ? tr " passed" : "not installed (3385 recorded)"
	if (tn < floor) { print "oci-check: nucleus passes fewer than runc"; worse = 1 }
	exit worse
}' "$work.nucleus" "$work.runc"
