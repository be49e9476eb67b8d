// SPDX-License-Identifier: MIT
/*
 * The sandbox's mount tree, built fd by fd in the child's private mount
 * namespace and then pivoted into. Default root: a tmpfs holding read-only,
 * nosuid, nodev binds of the host's /usr, /bin, /sbin, /lib*, /etc and
 * nothing else of the host; a tmpfs /tmp, a real /dev, a fresh read-only
 * /proc with the OCI masked paths hidden. Then the user's operations in argv
 * order, then the root itself is made read-only and the old root detached.
 */
#include "host/audit.h"
#include "host/identity.h"
#include "plan/plan.h"
#include "setup/mount.h"
#include "lib/mountapi.h"
#include "host/report.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BIND_RO (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)
#define BIND_RW (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)

/* A detached clone of a host tree with attrs set before it is visible. */
int mount_clone(const char *src, uint64_t attrs)
{
	int tree = sys_open_tree(AT_FDCWD, src,
				 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
					 AT_RECURSIVE);

	if (tree < 0)
		return -errno;
	if (sys_mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, attrs,
			      0) < 0)
		die_errno("set attributes on '%s'", src);
	return tree;
}

void mount_bind(int root, const char *src, const char *dest, int ro, int try)
{
	struct stat st;
	cleanup_fd int tree = -1, target = -1;

	if (stat(src, &st) < 0) {
		if (try && errno == ENOENT)
			return;
		die_errno("bind source '%s'", src);
	}
	tree = mount_clone(src, ro ? BIND_RO : BIND_RW);
	if (tree < 0) {
		errno = -tree;
		die_errno("bind '%s'", src);
	}
	target = S_ISDIR(st.st_mode) ? root_mkdir_p(root, dest, 0755)
				     : root_mkfile(root, dest);
	mount_attach(tree, target, dest);
}

void mount_prepare(const struct config *cfg, struct prepared *prep)
{
	int fd;

	prep->host_idmap = -1;
	prep->idmap_helper = -1;
	if (geteuid() != 0 || cfg->fs.rootfs)
		return; /* rootless ids, or no host directory bound */
	fd = idmap_unmapped_userns(&prep->idmap_helper);
	if (fd >= 0)
		prep->host_idmap = fd;
	else
		prep->host_idmap_err = -fd;
}

void mount_prepare_end(struct prepared *prep)
{
	idmap_helper_reap(&prep->idmap_helper);
	close_fdp(&prep->host_idmap); /* the child has its copy */
}

/* The idmapping of the host's directories, for a workload with the host's
 * ids only (-2: none wanted, its ids are not the host's); -1 when none
 * could be made (a caller whose user namespaces are refused), and then
 * each directory is masked instead (mount_host_dir). */
static int mount_host_idmap(const struct prepared *prep)
{
	int fd = prep->host_idmap;

	if (prep->id.userns) {
		close_fdp(&fd);
		return -2;
	}
	return fd;
}

/* Entries a host directory's walk may look at when there is no idmapped
 * view, ~2 us each: /etc's ~1,300 fit; /usr's ~160,000 (0.3 s) do not. */
#define MASK_BUDGET 5000

/* One host directory, read-only, through the idmapping. Where there is
 * none, or the file system refuses idmapped mounts (tmpfs before Linux
 * 6.3: an initramfs root), its entries that "other" may not read are
 * masked one by one, walked, within MASK_BUDGET: said in the report; a
 * directory too large to walk is exit 125 in production and a warning in
 * agent mode, as its root-only files stay readable. */
static void mount_host_dir(const struct config *cfg, int root, const char *path,
			   int idmap, int idmap_err)
{
	cleanup_fd int tree = -1, target = -1, null = -1;
	unsigned n, budget = MASK_BUDGET;
	int err = idmap_err ? idmap_err : ENOTSUP;

	if (idmap == -2) {
		mount_bind(root, path, path, 1, 0);
		return;
	}
	tree = sys_open_tree(AT_FDCWD, path,
			     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
				     AT_RECURSIVE);
	if (tree < 0)
		die_errno("bind '%s'", path);
	target = root_mkdir_p(root, path, 0755);
	if (idmap >= 0 && idmap_set(tree, BIND_RO, idmap) == 0) {
		mount_attach(tree, target, path);
		return;
	}
	if (idmap >= 0)
		err = errno;
	if (sys_mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, BIND_RO,
			      0) < 0)
		die_errno("set attributes on '%s'", path);
	null = mount_null(root, target);
	mount_attach(tree, target, path);
	close_fdp(&target);
	target = root_open(root, path, 1);
	if (target < 0) {
		errno = -target;
		die_errno("open '%s'", path);
	}
	n = mount_mask_private(null, target, ".", 0, 64, 0, &budget);
	if (budget) {
		report_note("mount: '%s': no id-mapped view (%s): its %u "
			    "entries kept from other are masked instead",
			    path, strerror(err), n);
		return;
	}
	errno = err;
	if (cfg->mode == MODE_PRODUCTION)
		die_errno("'%s': no id-mapped view, and over %d entries to "
			  "mask: its root-only files would be readable",
			  path, MASK_BUDGET);
	warnx("'%s': its root-only files stay readable: no id-mapped view "
	      "(%s), and over %d entries to mask",
	      path, strerror(err), MASK_BUDGET);
	report_note("mount: '%s': root-only files readable: no id-mapped "
		    "view (%s), over %d entries to mask",
		    path, strerror(err), MASK_BUDGET);
}

/* Merged-/usr hosts have /bin -> usr/bin: keep the link, not a bind. */
static void mount_host_dirs(const struct config *cfg, int root, int idmap,
			    int idmap_err)
{
	char link[256];

	for (size_t i = 0; i < PLAN_N_HOST_DIRS; i++) {
		const char *path = plan_host_dirs[i];
		struct stat st;
		ssize_t n;

		if (lstat(path, &st) < 0)
			continue;
		if (!S_ISLNK(st.st_mode)) {
			mount_host_dir(cfg, root, path, idmap, idmap_err);
			continue;
		}
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			die_errno("readlink '%s'", path);
		link[n] = '\0';
		if (symlinkat(link, root, path + 1) < 0)
			die_errno("symlink '%s'", path);
	}
}

void mount_tmpfs(int root, const char *dest, const char *opts, uint64_t attrs)
{
	cleanup_fd int target = root_mkdir_p(root, dest, 0755);
	cleanup_fd int mfd = fs_new("tmpfs", opts, attrs);

	mount_attach(mfd, target, dest);
}

/* The new root, attached on top of "/" of this private namespace: a mount
 * point for pivot_root that hides no host path, since lookups start at the
 * process root beneath it until pivot_root; returns its fd. */
static int mount_new_root(const struct config *cfg)
{
	cleanup_fd int at = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int mfd;

	if (at < 0)
		die_errno("open /");
	if (cfg->fs.rootfs) {
		mfd = mount_clone(cfg->fs.rootfs,
				  cfg->fs.rootfs_rw || cfg->fs.mkdir_mountpoints
					  ? BIND_RW
					  : BIND_RO);
		if (mfd < 0) {
			errno = -mfd;
			die_errno("--rootfs '%s'", cfg->fs.rootfs);
		}
	} else {
		mfd = fs_new("tmpfs", "mode=0755,size=1M", BIND_RW);
	}
	mount_attach(mfd, at, "new root");
	return mfd;
}

/* With --rootfs, the standard mounts go only where the image has a
 * directory, and never through a symlink: an image's /proc or /dev link
 * is refused (CVE-2019-16884, crun CVE-2026-47766). */
static int wants(const struct config *cfg, int root, const char *dir)
{
	struct stat st;
	int fd;

	if (!cfg->fs.rootfs)
		return 1;
	fd = sys_openat2(root, dir + 1, O_PATH | O_NOFOLLOW | O_CLOEXEC,
			 RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || fstat(fd, &st) < 0)
		die_errno("--rootfs: %s", dir);
	close(fd);
	if (!S_ISDIR(st.st_mode))
		die("--rootfs: %s is not a directory: refusing to mount on it",
		    dir);
	return 1;
}

static void mount_pivot(int root)
{
	if (fchdir(root) < 0)
		die_errno("fchdir new root");
	/* pivot_root(".", "."): the old root ends up stacked under the new
	 * one, and is detached at once: nothing of it stays reachable. */
	if (syscall(SYS_pivot_root, ".", ".") == 0) {
		if (umount2(".", MNT_DETACH) < 0)
			die_errno("detach the old root");
	} else if (errno == EINVAL) {
		/* An initramfs root can never be pivoted away (the kernel's
		 * rootfs): the new root already covers it, so enter it like
		 * switch_root does; capabilities to climb out are dropped. */
		if (chroot(".") < 0)
			die_errno("chroot into the new root");
	} else {
		die_errno("pivot_root");
	}
	if (chdir("/") < 0)
		die_errno("chdir /");
}

/* --audit: what the mount tree is, once it is in place. */
static void mount_audit(const struct config *cfg)
{
	struct json j;
	unsigned secrets = 0;

	if (!audit_begin(&j, "mounts"))
		return;
	for (unsigned i = 0; i < cfg->fs.n_ops; i++)
		secrets += cfg->fs.ops[i].kind == FS_SECRET;
	json_str(&j, "root", cfg->fs.rootfs ? cfg->fs.rootfs : "tmpfs");
	json_bool(&j, "root_writable", cfg->fs.rootfs && cfg->fs.rootfs_rw);
	json_str(&j, "proc", cfg->fs.proc_rw ? "rw" : "ro");
	json_str(&j, "context", cfg->fs.context);
	json_str(&j, "context_mode",
		 !cfg->fs.context	? NULL
		 : cfg->fs.context_copy ? "copy"
					: "bind");
	json_uint(&j, "operations", cfg->fs.n_ops - secrets);
	json_uint(&j, "secrets", secrets);
	audit_end(&j);
}

/* --no-default-mounts with a mount at /dev: the standard devices come
 * from that one (a tmpfs there gets them) or not at all. */
static int dev_given(const struct config *cfg)
{
	for (unsigned i = 0; cfg->fs.no_default_mounts && i < cfg->fs.n_ops;
	     i++)
		if (cfg->fs.ops[i].dest_len == 4 &&
		    !strncmp(cfg->fs.ops[i].dest, "/dev", 4))
			return 1;
	return 0;
}

void mount_setup(const struct config *cfg, const struct prepared *prep)
{
	int root, idmap;

	die_step = "mount";
	/* First, before anything is mounted: nothing may leak to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die_errno("make / private");
	idmap = cfg->fs.rootfs ? -1 : mount_host_idmap(prep);
	root = mount_new_root(cfg);
	if (!cfg->fs.rootfs)
		mount_host_dirs(cfg, root, idmap, prep->host_idmap_err);
	close_fdp(&idmap);
	if (!cfg->fs.no_default_mounts && wants(cfg, root, "/tmp"))
		mount_tmpfs(root, "/tmp", "mode=1777", BIND_RW);
	if (!dev_given(cfg) && wants(cfg, root, "/dev"))
		mount_dev(cfg, root, "/dev");
	if (!cfg->fs.no_default_mounts && wants(cfg, root, "/proc"))
		mount_proc(cfg, &prep->id, root, "/proc");
	mount_context(cfg, root);
	mount_ops(cfg, prep, root);
	/* The root tmpfs itself is read-only once its mount points exist,
	 * as is a --rootfs whose missing ones were made. */
	if ((!cfg->fs.rootfs ||
	     (cfg->fs.mkdir_mountpoints && !cfg->fs.rootfs_rw)) &&
	    sys_mount_setattr(root, "", AT_EMPTY_PATH, MOUNT_ATTR_RDONLY, 0) <
		    0)
		die_errno("make the root read-only");
	mount_pivot(root);
	close(root);
	mount_audit(cfg);
}
