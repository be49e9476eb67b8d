// SPDX-License-Identifier: MIT
/*
 * The host's system dirs as the default root of --runtime gvisor shows them:
 * idmapped, so that nothing the host keeps from "other" is readable inside,
 * whatever uid the workload has. A caller as root would otherwise run a
 * workload that is uid 0 inside gVisor and owns every root-owned file that
 * runsc's gofer (host root) serves: /etc/shadow, host keys, /etc/ssl/private.
 * The idmap leaves every host id unmapped (the user namespace maps only
 * 4294967294, which owns nothing), so each file shows as owned by the
 * overflow id and everyone, the workload's root and the gofer's alike, is
 * "other" for it: the host kernel itself then refuses what o+r and o+x do
 * not grant, as no capability overrides an unmapped owner. The detached
 * mounts are made here, in the monitor, where a failure is a clean 125;
 * runsc's own child attaches them in a mount namespace of its own, so the
 * host sees nothing and nothing is left to unmount. --rootfs and the
 * caller's binds are the caller's choice and are not touched; a caller
 * that is not root needs none of this, as runsc's gofer then runs with the
 * caller's own rights, which "other" bounds already.
 */
#include "runtime/gvisor.h"
#include "lib/mountapi.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* The unmapped idmapping (mountapi.c), made once: fails closed. */
static void userns_make(struct gvisor_views *vs)
{
	pid_t helper = -1;

	vs->userns_fd = idmap_unmapped_userns(&helper);
	idmap_helper_reap(&helper);
	if (vs->userns_fd < 0) {
		errno = -vs->userns_fd;
		die_errno("host view: user namespace");
	}
}

/* A detached clone of src, to be attached at path. */
static struct gvisor_view *view_new(struct gvisor_views *vs, const char *src,
				    const char *path, int rec)
{
	struct gvisor_view *v;

	vs->v = xgrow(vs->v, &vs->cap, vs->n, sizeof(*vs->v));
	v = &vs->v[vs->n];
	v->path = strdup(path);
	if (!v->path)
		die_errno("strdup");
	v->fd = sys_open_tree(AT_FDCWD, src,
			      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
				      (rec ? AT_RECURSIVE : 0));
	if (v->fd < 0)
		die_errno("host view of '%s': open_tree", src);
	vs->n++;
	return v;
}

const char *gvisor_view(struct gvisor_views *vs, const char *dir,
			const char *name)
{
	char src[PATH_MAX], path[PATH_MAX];
	struct gvisor_view *v;

	if (geteuid() != 0)
		return NULL;
	if (vs->userns_fd < 0)
		userns_make(vs);
	snprintf(src, sizeof(src), "/%s", name);
	if ((size_t)snprintf(path, sizeof(path), "%s/host", dir) >=
	    sizeof(path))
		die("'%s/host': path too long", dir);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		die_errno("mkdir '%s'", path);
	if ((size_t)snprintf(path, sizeof(path), "%s/host/%s", dir, name) >=
	    sizeof(path))
		die("'%s/host/%s': path too long", dir, name);
	if (mkdir(path, 0755) < 0)
		die_errno("mkdir '%s'", path);
	v = view_new(vs, src, path, 1);
	/* Fails closed: without it, the workload as root would read what
	 * the host keeps from "other". */
	if (idmap_set(v->fd,
		      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
		      vs->userns_fd) < 0)
		die_errno("host view of '%s': an idmapped mount, which keeps "
			  "root-only files from the workload, is refused "
			  "(Linux 5.12+ and a file system that supports it; "
			  "or choose the root with --rootfs)",
			  src);
	return v->path;
}

/* runsc's gofer opens a file mount point for reading before it binds onto
 * it, which the view refuses for a file kept from "other" (a caller's
 * --ro-bind /etc/shadow /etc/shadow): the caller's own source goes there
 * first, plainly, for the gofer's bind to cover. */
void gvisor_view_file(struct gvisor_views *vs, const char *src,
		      const char *path)
{
	struct gvisor_view *v = view_new(vs, src, path, 0);

	if (sys_mount_setattr(v->fd, "", AT_EMPTY_PATH,
			      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				      MOUNT_ATTR_NODEV,
			      0) < 0)
		die_errno("host view of '%s': mount_setattr", src);
}

int gvisor_views_attach(const struct gvisor_views *vs)
{
	if (!vs->n)
		return 0;
	if (unshare(CLONE_NEWNS) < 0)
		return -1;
	/* Nothing of ours propagates back to the host's namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	for (unsigned i = 0; i < vs->n; i++) {
		cleanup_fd int target =
			open(vs->v[i].path, O_PATH | O_NOFOLLOW | O_CLOEXEC);

		if (target < 0 || sys_move_mount(vs->v[i].fd, target) < 0)
			return -1;
	}
	return 0;
}
