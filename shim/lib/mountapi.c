// SPDX-License-Identifier: MIT
/*
 * Thin wrappers over open_tree, move_mount, mount_setattr, fsopen/fsmount
 * and openat2, and the helpers that create mount targets inside the new
 * root without ever leaving it. Every path a helper takes is relative to the
 * root fd it is given and resolved with RESOLVE_IN_ROOT.
 */
#include "lib/mountapi.h"
#include "lib/util.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int sys_open_tree(int dfd, const char *path, unsigned flags)
{
	return (int)syscall(SYS_open_tree, dfd, path, flags);
}

int sys_move_mount(int from, int to)
{
	return (int)syscall(SYS_move_mount, from, "", to, "",
			    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

int sys_mount_setattr(int dfd, const char *path, unsigned flags, uint64_t set,
		      uint64_t clr)
{
	struct mount_attr a = { .attr_set = set, .attr_clr = clr };

	return (int)syscall(SYS_mount_setattr, dfd, path, flags, &a, sizeof(a));
}

int sys_openat2(int dfd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct open_how how = { .flags = flags, .resolve = resolve };

	return (int)syscall(SYS_openat2, dfd, path, &how, sizeof(how));
}

static void fs_option(int fd, const char *type, char *opt)
{
	char *eq = strchr(opt, '=');
	long r;

	if (eq)
		*eq = '\0';
	r = eq ? syscall(SYS_fsconfig, fd, FSCONFIG_SET_STRING, opt, eq + 1, 0)
	       : syscall(SYS_fsconfig, fd, FSCONFIG_SET_FLAG, opt, NULL, 0);
	if (r < 0)
		die_errno("%s option '%s'", type, opt);
}

int fs_try_new(const char *type, const char *opts, uint64_t attrs)
{
	char buf[256], *save = NULL;
	cleanup_fd int fd = (int)syscall(SYS_fsopen, type, FSOPEN_CLOEXEC);
	int mfd;

	if (fd < 0)
		return -errno;
	snprintf(buf, sizeof(buf), "%s", opts ? opts : "");
	for (char *o = strtok_r(buf, ",", &save); o;
	     o = strtok_r(NULL, ",", &save))
		fs_option(fd, type, o);
	if (syscall(SYS_fsconfig, fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -errno;
	mfd = (int)syscall(SYS_fsmount, fd, FSMOUNT_CLOEXEC, attrs);
	return mfd < 0 ? -errno : mfd;
}

int fs_new(const char *type, const char *opts, uint64_t attrs)
{
	int mfd = fs_try_new(type, opts, attrs);

	if (mfd < 0) {
		errno = -mfd;
		die_errno("create %s", type);
	}
	return mfd;
}

int root_open(int root, const char *path, int dir)
{
	int fd = sys_openat2(root, path,
			     O_PATH | O_CLOEXEC | (dir ? O_DIRECTORY : 0),
			     RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);

	return fd < 0 ? -errno : fd;
}

/* The parent directory of path inside root (created), and its last name. */
static int root_parent(int root, const char *path, char *name, size_t len)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash || strlen(slash + 1) >= len ||
	    (size_t)(slash - path) >= sizeof(dir))
		die("bad path '%s'", path);
	snprintf(name, len, "%s", slash + 1);
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	return root_mkdir_p(root, dir[0] ? dir : "/", 0755);
}

int root_mkdir_p(int root, const char *path, unsigned mode)
{
	char name[NAME_MAX + 1];
	cleanup_fd int parent = -1;
	int fd = root_open(root, path, 1);

	if (fd >= 0 || fd != -ENOENT) {
		errno = -fd;
		if (fd < 0)
			die_errno("'%s'", path);
		return fd;
	}
	parent = root_parent(root, path, name, sizeof(name));
	if (mkdirat(parent, name, mode) < 0 && errno != EEXIST)
		die_errno("mkdir '%s'", path);
	fd = root_open(root, path, 1);
	if (fd < 0) {
		errno = -fd;
		die_errno("'%s'", path);
	}
	return fd;
}

int root_mkfile(int root, const char *path)
{
	char name[NAME_MAX + 1];
	cleanup_fd int parent = -1;
	int fd = root_open(root, path, 0);

	if (fd >= 0)
		return fd;
	parent = root_parent(root, path, name, sizeof(name));
	/* Never follow or truncate what is there (CVE-2024-45310). */
	fd = openat(parent, name,
		    O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0)
		die_errno("create '%s'", path);
	close(fd);
	fd = root_open(root, path, 0);
	if (fd < 0) {
		errno = -fd;
		die_errno("'%s'", path);
	}
	return fd;
}

void mount_attach(int mfd, int target, const char *what)
{
	if (sys_move_mount(mfd, target) < 0)
		die_errno("mount %s", what);
}

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

/* The helper that holds the namespace while its maps are written. Its
 * own fd table (no CLONE_FILES): it drops its copy of the write end, so
 * the caller's close is the EOF it waits for. */
static int unmapped_holder(void *arg)
{
	const int *p = arg;
	char c;

	close(p[1]);
	(void)!read(p[0], &c, 1); /* EOF: the namespace is taken */
	return 0;
}

void idmap_helper_reap(pid_t *helper)
{
	if (*helper > 0)
		while (waitpid(*helper, NULL, __WALL) < 0 && errno == EINTR)
			;
	*helper = -1;
}

int idmap_unmapped_userns(pid_t *helper)
{
	static const char map[] = "4294967294 4294967294 1\n";
	/* Static: the helper may still run on it once we have returned. */
	static char stack[8192] __attribute__((aligned(16)));
	cleanup_fd int pidfd = -1;
	char path[64];
	int p[2], fd = -1, err;
	pid_t pid, host_pid = 0;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	/* CLONE_VM: no copy of the address space for a helper that only
	 * blocks in read() on its own stack. */
	pid = clone(unmapped_holder, stack + sizeof(stack),
		    CLONE_VM | CLONE_NEWUSER | CLONE_PIDFD | SIGCHLD, p,
		    &pidfd);
	if (pid < 0) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	/* The host's /proc, seen from a new pid namespace: the helper's
	 * number there is the one its pidfd tells. */
	err = pidfd_pid(pidfd, &host_pid);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", host_pid);
	if (!err)
		err = write_proc(path, map);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", host_pid);
	if (!err)
		err = write_proc(path, map);
	snprintf(path, sizeof(path), "/proc/%d/ns/user", host_pid);
	if (!err && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		err = -errno;
	close(p[1]); /* it exits now: reap it with idmap_helper_reap() */
	close(p[0]);
	*helper = pid;
	return err ? err : fd;
}

int idmap_set(int tree, uint64_t attrs, int userns)
{
	struct mount_attr a = { .attr_set = attrs | MOUNT_ATTR_IDMAP,
				.userns_fd = (uint64_t)userns };

	return (int)syscall(SYS_mount_setattr, tree, "",
			    AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a));
}
