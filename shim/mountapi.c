// SPDX-License-Identifier: MIT
/*
 * Thin wrappers over open_tree, move_mount, mount_setattr, fsopen/fsmount
 * and openat2, and the helpers that create mount targets inside the new
 * root without ever leaving it. Every path a helper takes is relative to the
 * root fd it is given and resolved with RESOLVE_IN_ROOT.
 */
#include "mountapi.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

int sys_mount_setattr(int dfd, const char *path, unsigned flags,
		      uint64_t set, uint64_t clr)
{
	struct mount_attr a = { .attr_set = set, .attr_clr = clr };

	return (int)syscall(SYS_mount_setattr, dfd, path, flags, &a,
			    sizeof(a));
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
