/* SPDX-License-Identifier: MIT */
/*
 * Who the workload is and what it inherits: user namespace maps, uid, gid
 * and groups, the environment, the session, the fds that survive exec.
 */
#ifndef NUCLEUS_IDENTITY_H
#define NUCLEUS_IDENTITY_H

#include "cli/config.h"
#include "host/tier.h"
#include "lib/subids.h"

#include <limits.h>
#include <sys/types.h>

/* What the parent learnt before clone, in struct prepared: inside the
 * namespace geteuid() is 0 and the host's cwd may be gone. */
struct identity {
	int userns;	 /* a user namespace is used (tier_clone may
				* clear it) */
	int root_caller; /* nucleus runs as root */
	/* The maps to write (identity_check), by newuidmap/newgidmap when
	 * newidmap is set: ranges for a caller that is not root. */
	struct id_map uid_map, gid_map;
	int newidmap;
	char cwd[PATH_MAX]; /* the caller's, the workload's if it exists */
};

/* Parent, before clone: whether a user namespace is used (id->userns),
 * who runs nucleus, its maps, and the checks that depend on it (--user
 * and --groups inside the maps: so nothing is half-applied). */
void identity_check(const struct config *cfg, struct identity *id);
/* --die-with-parent: the monitor gets SIGKILL when its parent dies (and
 * its sandbox with it, through the child's own PDEATHSIG); race-free. */
void identity_die_with_parent(const struct config *cfg);
/* In place, after the last id change (which clears it): armed again. */
void identity_die_with_parent_again(const struct config *cfg);
/* Before anything runs: --user and --groups names, and --user's default
 * group, from the sandbox's own /etc (the image's with --rootfs); a name
 * that is not there is exit 125. */
void identity_resolve(struct config *cfg);
/* Whether the child switches uid/gid/groups itself (root without a user
 * namespace, --map-subids, --uid-map) rather than getting them from the
 * map. */
int identity_switches(const struct config *cfg, const struct identity *id);
/* Parent, after clone: the maps of the child's user namespace. */
void identity_write_maps(const struct identity *id, pid_t pid);
/* Child of a root caller in a user namespace (--userns, --map-subids,
 * --uid-map; with --uid-map any caller's), before the mounts: takes the
 * mapped ids, drops root's groups. */
void identity_enter(const struct config *cfg, const struct identity *id);
/* Child, before pivot_root: the --env-file contents, by env op index (NULL
 * for other ops), read while the host's files are still reachable. */
char **identity_load_env(const struct config *cfg);
/* An --env-file's text (a regular file under 1 MiB); dies otherwise. */
char *identity_env_read(const char *file);
/* Its KEY=VALUE lines, in order, to put(); blank lines and # comments
 * skipped, a bad line is exit 125 naming FILE:LINE. text is cut up. */
void identity_env_parse(const char *file, char *text,
			void (*put)(void *arg, const char *key, size_t klen,
				    const char *value),
			void *arg);
/* Child, after the mounts: groups, gid, uid; session; cwd; environment
 * (with identity_load_env's files). */
void identity_apply(const struct config *cfg, const struct identity *id,
		    const struct tier_state *ts, char *const *files);
/* Monitor: with --no-new-session, the terminal's foreground group before
 * the sandbox (or -1), given back when it ends. */
pid_t identity_tty_save(const struct config *cfg);
void identity_tty_restore(pid_t fg);
/* Child, just before exec: everything >= 3 close-on-exec but --keep-fd. */
void identity_fds(const struct config *cfg);

#endif
