/* SPDX-License-Identifier: MIT */
/*
 * The verbs of a living container or named sandbox that act on its
 * cgroup, as runc spells them: `pause ID`, `resume ID`, `ps [--format
 * table|json] ID`, `events --stats ID` and `update [--memory N]
 * [--memory-swap N] [--pids-limit N] [--cpu-quota N] [--cpu-period N]
 * [--cpu-share N] [-r FILE|-] ID` (options and ID in any order).
 */
#ifndef NUCLEUS_OCI_LIVE_H
#define NUCLEUS_OCI_LIVE_H

/* Runs verb, the kth of the above, on argv, what follows it; its exit
 * code. */
int oci_live(int rootfd, const char *verb, int k, int argc, char **argv);

#endif
