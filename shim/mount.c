// SPDX-License-Identifier: MIT
/*
 * The sandbox's mount tree. For now: the host tree seen read-only through a
 * private copy (nothing we do propagates back to the host), and a fresh /proc
 * that shows only the sandbox's own pid namespace.
 */
#include "sandbox.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

struct mount_attr_v0 {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

static int sys_mount_setattr(int dfd, const char *path, unsigned flags,
			     struct mount_attr_v0 *attr)
{
	return (int)syscall(SYS_mount_setattr, dfd, path, flags, attr,
			    sizeof(*attr));
}

void mount_setup(const struct config *cfg)
{
	struct mount_attr_v0 ro = { .attr_set = MOUNT_ATTR_RDONLY };

	die_step = "mount";
	/* First, before anything is mounted: nothing may leak to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die_errno("make / private");
	if (sys_mount_setattr(AT_FDCWD, "/", AT_RECURSIVE, &ro) < 0)
		die_errno("make / read-only");
	/* A /proc of the host's pid namespace would show every host process. */
	if (!(cfg->share & SHARE_PID) &&
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		die_errno("mount /proc");
}
