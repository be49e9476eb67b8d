/* SPDX-License-Identifier: MIT */
/*
 * Who the workload is and what it inherits: user namespace maps, uid, gid
 * and groups, the environment, the session, the fds that survive exec.
 */
#ifndef NUCLEUS_IDENTITY_H
#define NUCLEUS_IDENTITY_H

#include "cli/config.h"

#include <sys/types.h>

/* Parent, before clone: whether a user namespace is used, and the checks
 * that depend on who runs nucleus (so nothing is half-applied). */
int identity_userns(const struct config *cfg);
/* The tier code's override when the user namespace was refused. */
void identity_set_userns(int on);
/* --die-with-parent: the monitor gets SIGKILL when its parent dies (and
 * its sandbox with it, through the child's own PDEATHSIG); race-free. */
void identity_die_with_parent(const struct config *cfg);
/* In place, after the last id change (which clears it): armed again. */
void identity_die_with_parent_again(const struct config *cfg);
void identity_check(const struct config *cfg);
/* Before anything runs: --user and --groups names, and --user's default
 * group, from the sandbox's own /etc (the image's with --rootfs); a name
 * that is not there is exit 125. */
void identity_resolve(struct config *cfg);
/* Whether the child switches uid/gid/groups itself (root without a user
 * namespace, or --map-subids) rather than getting them from the map. */
int identity_switches(const struct config *cfg);
/* Parent, after clone: the single-id maps of the child's user namespace. */
void identity_write_maps(const struct config *cfg, pid_t pid, uid_t uid,
			 gid_t gid);
/* Child of a root caller in a user namespace (--userns, --map-subids),
 * before the mounts: takes the mapped ids, drops root's groups. */
void identity_enter(const struct config *cfg);
/* Child, before pivot_root: read --env-file contents while the host's
 * files are still reachable. */
void identity_load_env(const struct config *cfg);
/* An --env-file's text (a regular file under 1 MiB); dies otherwise. */
char *identity_env_read(const char *file);
/* Its KEY=VALUE lines, in order, to put(); blank lines and # comments
 * skipped, a bad line is exit 125 naming FILE:LINE. text is cut up. */
void identity_env_parse(const char *file, char *text,
			void (*put)(void *arg, const char *key, size_t klen,
				    const char *value),
			void *arg);
/* Child, after the mounts: groups, gid, uid; session; cwd; environment. */
void identity_apply(const struct config *cfg);
/* Monitor: with --no-new-session, the terminal's foreground group before
 * the sandbox, given back when it ends. */
void identity_tty_save(const struct config *cfg);
void identity_tty_restore(void);
/* Child, just before exec: everything >= 3 close-on-exec but --keep-fd. */
void identity_fds(const struct config *cfg);

#endif
