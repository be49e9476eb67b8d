// SPDX-License-Identifier: MIT
/*
 * --mount, --mask and --remount-ro: a file system by type with the options
 * a container's config gives it, and the OCI masked and read-only paths.
 * nosuid and nodev stay on whatever the options say (devpts, and a tmpfs
 * at /dev that gets the standard nodes, keep dev: their nodes are the
 * point); a sysfs is read-only (args_fs.c). Targets resolve inside root.
 */
#include "host/identity.h"
#include "setup/mount.h"
#include "lib/mountapi.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <limits.h>
#include <unistd.h>

/* One data option of OPTS (word, n bytes) handed to the file system. */
static void fs_data(int fd, const char *type, const char *word, size_t n)
{
	char key[256];
	const char *eq = memchr(word, '=', n);
	long r;

	if (n >= sizeof(key))
		die("%s option '%.32s...': too long", type, word);
	memcpy(key, word, n);
	key[n] = '\0';
	if (eq)
		key[eq - word] = '\0';
	r = eq ? syscall(SYS_fsconfig, fd, FSCONFIG_SET_STRING, key,
			 key + (eq - word) + 1, 0)
	       : syscall(SYS_fsconfig, fd, FSCONFIG_SET_FLAG, key, NULL, 0);
	if (r < 0)
		die_errno("%s option '%.*s'", type, (int)n, word);
}

/* fsopen(type), OPTS' data options and source (the type's name unless
 * source=NAME), then a detached mount with attrs. */
static int fs_make(const struct fs_op *op, uint64_t attrs)
{
	cleanup_fd int fd = (int)syscall(SYS_fsopen, op->src, FSOPEN_CLOEXEC);
	int source = 0, mfd;

	if (fd < 0)
		die_errno("create %s", op->src);
	for (const char *o = op->opts; o && *o;) {
		size_t n = strcspn(o, ",");
		uint64_t ignored = 0;

		source |= !strncmp(o, "source=", 7);
		if (!fs_mount_flag(o, n, &ignored))
			fs_data(fd, op->src, o, n);
		o += n + (o[n] == ',');
	}
	if (!strcmp(op->src, "devpts"))
		fs_data(fd, op->src, "newinstance", 11);
	if (!source && syscall(SYS_fsconfig, fd, FSCONFIG_SET_STRING, "source",
			       op->src, 0) < 0)
		die_errno("%s source", op->src);
	if (syscall(SYS_fsconfig, fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		die_errno("create %s", op->src);
	mfd = (int)syscall(SYS_fsmount, fd, FSMOUNT_CLOEXEC, attrs);
	if (mfd < 0)
		die_errno("mount %s", op->src);
	return mfd;
}

void mount_fs(const struct config *cfg, const struct prepared *prep, int root,
	      const struct fs_op *op)
{
	int dev = !strcmp(op->src, "tmpfs") && !strcmp(op->dest, "/dev");
	uint64_t attrs = op->attrs | MOUNT_ATTR_NOSUID;
	cleanup_fd int target = -1, mfd = -1;

	/* The one procfs path: masks, hidepid and read-only as everywhere. */
	if (!strcmp(op->src, "proc")) {
		mount_proc(cfg, &prep->id, root, op->dest);
		return;
	}
	if (!dev && strcmp(op->src, "devpts"))
		attrs |= MOUNT_ATTR_NODEV;
	target = root_mkdir_p(root, op->dest, 0755);
	mfd = fs_make(op, attrs);
	mount_attach(mfd, target, op->dest);
	if (dev)
		mount_dev_nodes(mfd);
}

/* --mask: a file behind the verified /dev/null, a directory behind an
 * empty read-only tmpfs; a path the root lacks has nothing to hide. */
void mount_mask(int root, const struct fs_op *op)
{
	cleanup_fd int target = root_open(root, op->dest, 0), null = -1,
		       mfd = -1;
	struct stat st;

	if (target == -ENOENT)
		return;
	if (target < 0 || fstat(target, &st) < 0) {
		errno = target < 0 ? -target : errno;
		die_errno("--mask '%s'", op->dest);
	}
	if (S_ISDIR(st.st_mode)) {
		mfd = fs_new("tmpfs", "size=4k,mode=0555",
			     MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				     MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	} else {
		null = mount_null(root, target);
		mfd = sys_open_tree(null, "",
				    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
					    AT_EMPTY_PATH);
		if (mfd < 0)
			die_errno("clone /dev/null");
	}
	mount_attach(mfd, target, op->dest);
}

/* --remount-ro: a read-only clone of PATH and its submounts over it. */
void mount_remount_ro(int root, const struct fs_op *op)
{
	cleanup_fd int target = root_open(root, op->dest, 0), tree = -1;

	if (target == -ENOENT)
		return;
	if (target < 0) {
		errno = -target;
		die_errno("--remount-ro '%s'", op->dest);
	}
	tree = sys_open_tree(target, "",
			     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
				     AT_EMPTY_PATH | AT_RECURSIVE);
	if (tree < 0 ||
	    sys_mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE,
			      MOUNT_ATTR_RDONLY, 0) < 0)
		die_errno("--remount-ro '%s'", op->dest);
	mount_attach(tree, target, op->dest);
}

/* --device: the node made in place (its type, numbers, mode, owner), or,
 * where mknod is refused (a user namespace) or the path is a mount point
 * already, the host's node of the same path bound, if it is that very
 * device. */
void mount_device(int root, const struct fs_op *op)
{
	mode_t type = op->dev_type == 'c'   ? S_IFCHR
		      : op->dev_type == 'b' ? S_IFBLK
					    : S_IFIFO;
	dev_t dev = type == S_IFIFO ? 0 : makedev(op->major, op->minor);
	const char *slash = strrchr(op->dest, '/');
	char dir[PATH_MAX];
	cleanup_fd int parent = -1, node = -1;
	struct stat st;

	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - op->dest), op->dest);
	parent = root_mkdir_p(root, dir[0] ? dir : "/", 0755);
	(void)unlinkat(parent, slash + 1, 0); /* the image's own, replaced */
	if (mknodat(parent, slash + 1, type | (op->mode & 07777), dev) == 0) {
		if (fchmodat(parent, slash + 1, op->mode & 07777, 0) < 0 ||
		    ((op->uid != (uint32_t)-1 || op->gid != (uint32_t)-1) &&
		     fchownat(parent, slash + 1, op->uid, op->gid,
			      AT_SYMLINK_NOFOLLOW) < 0))
			die_errno("--device '%s'", op->dest);
		return;
	}
	if ((errno != EPERM && errno != EEXIST) || stat(op->dest, &st) < 0 ||
	    (st.st_mode & S_IFMT) != type || st.st_rdev != dev)
		die_errno("--device '%s': cannot make it, and the host has no "
			  "such node to bind",
			  op->dest);
	/* Not mount_bind's nodev: the node is the point. */
	if ((node = mount_clone(op->dest,
				MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC)) < 0) {
		errno = -node;
		die_errno("--device '%s'", op->dest);
	}
	close_fdp(&parent);
	parent = root_mkfile(root, op->dest);
	mount_attach(node, parent, op->dest);
}
