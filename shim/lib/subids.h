/* SPDX-License-Identifier: MIT */
/* --map-subids: full id ranges from /etc/subuid and /etc/subgid, written by
 * the setuid helpers newuidmap/newgidmap (package uidmap). */
#ifndef NUCLEUS_SUBIDS_H
#define NUCLEUS_SUBIDS_H

#include <sys/types.h>

/* The caller's subordinate uid and gid ranges. */
struct subids {
	struct subid_range {
		unsigned long start, count;
	} uid, gid;
};

/* Parent, before clone: ranges and helpers exist; dies otherwise. */
void subids_check(uid_t uid, gid_t gid, struct subids *s);
/* Parent, after clone: 0 = the caller, 1..N = its subordinate ids. */
void subids_map(pid_t pid, uid_t uid, gid_t gid, const struct subids *s);

#endif
