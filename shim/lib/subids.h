/* SPDX-License-Identifier: MIT */
/* User namespace maps of more than one id (--map-subids, --uid-map,
 * --gid-map) for a caller that is not root, written by the setuid helpers
 * newuidmap/newgidmap (package uidmap), which check /etc/subuid and
 * /etc/subgid. */
#ifndef NUCLEUS_SUBIDS_H
#define NUCLEUS_SUBIDS_H

#include <stdint.h>
#include <sys/types.h>

#define IDMAP_MAX 8 /* ranges of one map */

/* One line of a uid_map or gid_map: ids in..in+count-1 of the namespace
 * are the host's host..host+count-1. */
struct id_map {
	struct id_range {
		uint32_t in, host, count;
	} r[IDMAP_MAX];
	unsigned n;
};

/* The helpers are root's and unwritable by others; dies otherwise. */
void subids_helpers_check(void);
/* Parent, before clone: the caller's own id at 0 (none for root), its
 * first subordinate range above, into u and g; dies when there is none. */
void subids_check(uid_t uid, gid_t gid, struct id_map *u, struct id_map *g);
/* Parent, after clone: the maps of pid's user namespace, by the helpers. */
void subids_map(pid_t pid, const struct id_map *u, const struct id_map *g);

#endif
