// SPDX-License-Identifier: MIT
/*
 * /dev and /proc for the sandbox. /dev is its own tmpfs holding binds of the
 * host's harmless devices, a private devpts instance, /dev/shm and the usual
 * links, so writing /dev/null just works. /proc is a fresh instance of the
 * sandbox's pid namespace, read-only unless --proc-rw, with the OCI masked
 * paths hidden behind /dev/null or an empty read-only tmpfs.
 */
#include "host/identity.h"
#include "setup/mount.h"
#include "lib/mountapi.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Tables of char arrays, not of pointers: nothing to relocate, so they
 * stay read-only data. */
static const struct {
	char name[8];
	unsigned major, minor;
} dev_nodes[] = { { "null", 1, 3 },   { "zero", 1, 5 },	   { "full", 1, 7 },
		  { "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 } };
static const char dev_links[][2][16] = {
	{ "/proc/self/fd", "fd" },	 { "/proc/self/fd/0", "stdin" },
	{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
	{ "pts/ptmx", "ptmx" },
};
static const char masked_files[][16] = {
	"kcore",       "keys",	      "latency_stats", "timer_list",
	"timer_stats", "sched_debug", "sysrq-trigger", "kallsyms",
	"kmsg",	       "config.gz",
};
static const char masked_dirs[][12] = { "acpi", "asound", "scsi", "firmware" };
/* With --proc-rw, these stay read-only (the OCI readonlyPaths). */
static const char ro_dirs[][4] = { "sys", "bus", "irq", "fs" };

/* A bind of the host's node; a host without one (a bare initramfs) gets
 * a node of its own where we may create one, else an empty file. */
static void dev_node(int dev, const char *name, unsigned major, unsigned minor)
{
	char host[128]; /* "/dev/" and the longest entry of any table */
	cleanup_fd int tree = -1, target = -1;
	int fd;

	snprintf(host, sizeof(host), "/dev/%s", name);
	tree = mount_clone(host, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if ((tree == -ENOENT || tree == -ENXIO) &&
	    mknodat(dev, name, S_IFCHR | 0666, makedev(major, minor)) == 0)
		return;
	fd = openat(dev, name,
		    O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0666);
	if (fd < 0)
		die_errno("create /dev/%s", name);
	close(fd);
	if (tree == -ENOENT || tree == -ENXIO)
		return;
	if (tree < 0) {
		errno = -tree;
		die_errno("bind %s", host);
	}
	target = openat(dev, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (target < 0)
		die_errno("open /dev/%s", name);
	mount_attach(tree, target, host);
}

void mount_dev_nodes(int dev)
{
	for (size_t i = 0; i < sizeof(dev_nodes) / sizeof(dev_nodes[0]); i++)
		dev_node(dev, dev_nodes[i].name, dev_nodes[i].major,
			 dev_nodes[i].minor);
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++)
		if (symlinkat(dev_links[i][0], dev, dev_links[i][1]) < 0)
			die_errno("symlink /dev/%s", dev_links[i][1]);
}

void mount_dev(const struct config *cfg, int root, const char *dest)
{
	cleanup_fd int at = root_mkdir_p(root, dest, 0755);
	cleanup_fd int dev = fs_new("tmpfs", "mode=0755,size=64k",
				    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	cleanup_fd int pts = -1, shm = -1, ptsfs = -1, shmfs = -1;

	(void)cfg;
	/* Attached first: kernels before 6.15 refuse mounts on a detached
	 * tree (EINVAL on Debian 12's 6.1), and the nodes below are mounts. */
	mount_attach(dev, at, dest);
	mount_dev_nodes(dev);
	if (mkdirat(dev, "pts", 0755) < 0 || mkdirat(dev, "shm", 01777) < 0)
		die_errno("mkdir /dev/pts, /dev/shm");
	pts = openat(dev, "pts", O_PATH | O_DIRECTORY | O_CLOEXEC);
	shm = openat(dev, "shm", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pts < 0 || shm < 0)
		die_errno("open /dev/pts, /dev/shm");
	ptsfs = fs_new("devpts", "newinstance,ptmxmode=0666,mode=0620",
		       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	mount_attach(ptsfs, pts, "/dev/pts");
	shmfs = fs_new("tmpfs", "mode=1777",
		       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	mount_attach(shmfs, shm, "/dev/shm");
}

/* No /dev/null anywhere (a FROM-scratch image as the host's own root):
 * an empty file on a private read-only tmpfs hides a file as well. The
 * tmpfs is attached at the /proc mount point first, under the procfs about
 * to cover it, since only an attached mount can be cloned. */
static int proc_empty_file(int at)
{
	cleanup_fd int mfd = fs_new("tmpfs", "size=4k,mode=0555",
				    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
					    MOUNT_ATTR_NOEXEC);
	int fd = openat(mfd, "empty", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
			0444);

	if (fd < 0)
		die_errno("create an empty file to mask /proc with");
	close(fd);
	if (sys_mount_setattr(mfd, "", AT_EMPTY_PATH, MOUNT_ATTR_RDONLY, 0) < 0)
		die_errno("read-only mask file");
	mount_attach(mfd, at, "the empty mask file");
	fd = openat(mfd, "empty", O_PATH | O_CLOEXEC);
	if (fd < 0)
		die_errno("open the empty mask file");
	return fd;
}

/* The source of every file mask, opened once: the sandbox's /dev/null, or
 * the host's when the sandbox has none (an image without /dev, a --tmpfs
 * /dev), so the masks are never silently left out. It must be char 1:3,
 * and each mask is cloned from this fd, never from a path looked up again
 * (CVE-2025-31133: a swapped /dev/null must not become a bind source). */
static int proc_null(int root, int at)
{
	struct stat st;
	int fd = root_open(root, "/dev/null", 0);

	if (fd == -ENOENT) /* before pivot_root: the host's /dev/null */
		fd = open("/dev/null", O_PATH | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return proc_empty_file(at); /* FROM scratch: none */
	if (fd < 0) {
		errno = fd == -1 ? errno : -fd;
		die_errno("/dev/null, to mask /proc with");
	}
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) ||
	    st.st_rdev != makedev(1, 3))
		die("/dev/null is not the null device: refusing to mask with "
		    "it");
	return fd;
}

static void proc_mask_file(int null, int proc, const char *name)
{
	cleanup_fd int target = -1, tree = -1;

	target = openat(proc, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (target < 0)
		return; /* this kernel has no such file */
	tree = sys_open_tree(
		null, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (tree < 0)
		die_errno("clone /dev/null");
	mount_attach(tree, target, name);
}

static void proc_mask_dir(int proc, const char *name)
{
	cleanup_fd int target = -1, mfd = -1;

	target = openat(proc, name,
			O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (target < 0)
		return;
	mfd = fs_new("tmpfs", "size=4k,mode=0555",
		     MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			     MOUNT_ATTR_NOEXEC);
	mount_attach(mfd, target, name);
}

static void proc_ro_dir(int proc, const char *name)
{
	cleanup_fd int target = -1, tree = -1;

	target = openat(proc, name,
			O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (target < 0)
		return;
	tree = sys_open_tree(proc, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0 || sys_mount_setattr(tree, "", AT_EMPTY_PATH,
					  MOUNT_ATTR_RDONLY, 0) < 0)
		die_errno("read-only /proc/%s", name);
	mount_attach(tree, target, name);
}

/* A new procfs; in a user namespace sharing the host's pid namespace the
 * kernel refuses one, and the host's /proc (the same pids) is cloned. */
static int proc_instance(const struct config *cfg, uint64_t attrs)
{
	int proc = fs_try_new("proc",
			      cfg->mode == MODE_PRODUCTION
				      ? "source=proc,hidepid=2"
				      : "source=proc",
			      attrs);

	if (proc == -EPERM && (cfg->share & SHARE_PID))
		proc = mount_clone("/proc", attrs);
	if (proc < 0) {
		errno = -proc;
		die_errno("mount proc");
	}
	return proc;
}

/* Below DIR (relative to the mounted tree `tree`), every entry that
 * "other" may not read (a file) or search (a directory) is masked, as
 * found by walking the tree rather than named in a list, so whatever the
 * host keeps from other is hidden from a workload that owns it (one with
 * the host's root ids), while the rest stays as it is. maxdepth bounds the
 * walk, and *budget the entries it looks at (0 once spent: the walk was
 * cut short); with `proc`, the pid directories (the sandbox's own
 * processes) and sys are not walked. Returns how many entries it masked. */
unsigned mount_mask_private(int null, int tree, const char *dir, int depth,
			    int maxdepth, int proc, unsigned *budget)
{
	int dfd = openat(tree, dir,
			 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
	struct dirent *e;
	char path[PATH_MAX];
	unsigned n = 0;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	while (*budget && (e = readdir(d))) {
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    (proc && depth == 0 &&
		     ((e->d_name[0] >= '0' && e->d_name[0] <= '9') ||
		      !strcmp(e->d_name, "sys"))))
			continue;
		if ((e->d_type != DT_DIR && e->d_type != DT_REG &&
		     e->d_type != DT_UNKNOWN) ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		(*budget)--;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     e->d_name) >= sizeof(path))
			die("'%s/%s': a path too long to mask", dir, e->d_name);
		if (S_ISREG(st.st_mode) && !(st.st_mode & S_IROTH)) {
			proc_mask_file(null, tree, path);
			n++;
		} else if (S_ISDIR(st.st_mode) && !(st.st_mode & S_IXOTH)) {
			proc_mask_dir(tree, path);
			n++;
		} else if (S_ISDIR(st.st_mode) && depth < maxdepth) {
			n += mount_mask_private(null, tree, path, depth + 1,
						maxdepth, proc, budget);
		}
	}
	closedir(d);
	return n;
}

int mount_null(int root, int at)
{
	return proc_null(root, at);
}

void mount_proc(const struct config *cfg, const struct identity *id, int root,
		const char *dest)
{
	cleanup_fd int at = root_mkdir_p(root, dest, 0555);
	uint64_t attrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			 MOUNT_ATTR_NOEXEC |
			 (cfg->fs.proc_rw ? 0 : MOUNT_ATTR_RDONLY);
	cleanup_fd int proc = proc_instance(cfg, attrs);
	cleanup_fd int null = proc_null(root, at);

	/* Attached first: masks are mounted on paths of the live mount. */
	mount_attach(proc, at, dest);
	for (size_t i = 0; i < sizeof(masked_files) / sizeof(masked_files[0]);
	     i++)
		proc_mask_file(null, proc, masked_files[i]);
	for (size_t i = 0; i < sizeof(masked_dirs) / sizeof(masked_dirs[0]);
	     i++)
		proc_mask_dir(proc, masked_dirs[i]);
	for (size_t i = 0;
	     cfg->fs.proc_rw && i < sizeof(ro_dirs) / sizeof(ro_dirs[0]); i++)
		proc_ro_dir(proc, ro_dirs[i]);
	/* A workload with the host's root ids owns /proc's root-only files
	 * (slabinfo, vmallocinfo, pagetypeinfo, kpage*, tty/driver): masked.
	 * Two levels: deeper walks cost a millisecond, and /proc/sys, not
	 * walked, has root-only sysctls that hold no secret (kernel.cad_pid
	 * reads 0 from a new pid namespace; vm.mmap_rnd_bits and the
	 * usermodehelper capability masks are tunables) in ~300 lookups. */
	if (!id->userns)
		mount_mask_private(null, proc, ".", 0, 1, 1,
				   &(unsigned){ ~0u });
}

void mount_mqueue(int root, const char *dest)
{
	cleanup_fd int at = root_mkdir_p(root, dest, 0755);
	cleanup_fd int mfd = fs_new("mqueue", NULL,
				    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
					    MOUNT_ATTR_NOEXEC);

	mount_attach(mfd, at, dest);
}
