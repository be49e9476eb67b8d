// SPDX-License-Identifier: MIT
/*
 * The user's mount operations, in argv order (bind family, tmpfs, dir,
 * symlink, copy, file, proc, dev, mqueue, secret), and --context. Small
 * files are copied, never bound, when the host file must stay out of reach:
 * secrets land as 0400 copies on a noexec tmpfs at /run/secrets.
 */
#include "host/identity.h"
#include "setup/mount.h"
#include "lib/mountapi.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COPY_MAX (16 << 20)
#define CONTEXT_MAX_DEPTH 64
#define SECRETS "/run/secrets"

/* Copies src_fd to a new file dest (O_EXCL, O_NOFOLLOW) inside root. */
static void copy_into(int root, int src_fd, const char *dest, unsigned mode,
		      const char *what)
{
	char buf[65536], name[NAME_MAX + 1];
	const char *slash = strrchr(dest, '/');
	char dir[PATH_MAX];
	cleanup_fd int parent = -1, out = -1;
	uint64_t total = 0;
	ssize_t n;

	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - dest), dest);
	snprintf(name, sizeof(name), "%s", slash + 1);
	parent = root_mkdir_p(root, dir[0] ? dir : "/", 0755);
	out = openat(parent, name,
		     O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC,
		     mode);
	if (out < 0)
		die_errno("create '%s'", dest);
	while ((n = read(src_fd, buf, sizeof(buf))) > 0) {
		total += (uint64_t)n;
		if (total > COPY_MAX)
			die("%s: larger than 16 MiB", what);
		if (write_all(out, buf, (size_t)n) < 0)
			die_errno("write '%s'", dest);
	}
	if (n < 0)
		die_errno("read %s", what);
}

static void op_copy(int root, const struct fs_op *op)
{
	struct stat st;
	cleanup_fd int in =
		host_input_open(AT_FDCWD, op->src, 0, "--copy", COPY_MAX, &st);

	copy_into(root, in, op->dest, st.st_mode & 0755, op->src);
}

/* Binds the file at `from` (inside root) onto `to` (inside root). */
static void bind_within(int root, const char *from, const char *to,
			uint64_t attrs)
{
	cleanup_fd int src = root_open(root, from, 0), tree = -1, target = -1;

	if (src < 0) {
		errno = -src;
		die_errno("'%s'", from);
	}
	tree = sys_open_tree(
		src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (tree < 0 ||
	    sys_mount_setattr(tree, "", AT_EMPTY_PATH, attrs, 0) < 0)
		die_errno("bind '%s'", from);
	target = root_mkfile(root, to);
	mount_attach(tree, target, to);
}

/* A 0400 copy on the noexec /run/secrets tmpfs, never a bind of the host
 * file; seen at DEST through a read-only bind of the copy. */
static void op_secret(const struct config *cfg, const struct identity *id,
		      int root, const struct fs_op *op)
{
	char src[PATH_MAX], at[PATH_MAX];
	const char *colon = strrchr(op->src, ':');
	cleanup_fd int in = -1, fd = -1, dir = root_open(root, SECRETS, 1);
	struct stat st;

	snprintf(src, sizeof(src), "%.*s", (int)(colon - op->src), op->src);
	in = host_input_open(AT_FDCWD, src, 0, "--secret", COPY_MAX, &st);
	if (dir < 0)
		mount_tmpfs(root, SECRETS, "mode=0755,size=16M",
			    MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSUID |
				    MOUNT_ATTR_NODEV);
	if (strncmp(op->dest, SECRETS "/", sizeof(SECRETS)) == 0)
		snprintf(at, sizeof(at), "%s", op->dest);
	else
		snprintf(at, sizeof(at), SECRETS "%s", strrchr(op->dest, '/'));
	copy_into(root, in, at, 0400, src);
	fd = root_open(root, at, 0);
	/* In a user namespace the file is already the workload's own. */
	if (fd < 0 || (cfg->fs.has_uid && identity_switches(cfg, id) &&
		       fchownat(fd, "", cfg->fs.uid,
				cfg->fs.has_gid ? cfg->fs.gid : (gid_t)-1,
				AT_EMPTY_PATH) < 0))
		die_errno("chown '%s'", at);
	if (strcmp(at, op->dest) != 0)
		bind_within(root, at, op->dest,
			    MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOEXEC |
				    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
}

static void op_file(int root, const struct fs_op *op)
{
	char what[32];

	snprintf(what, sizeof(what), "--file %d", op->fd);
	if (fcntl(op->fd, F_GETFD) < 0)
		die_errno("%s", what);
	copy_into(root, op->fd, op->dest, 0644, what);
}

static void op_symlink(int root, const struct fs_op *op)
{
	char name[NAME_MAX + 1], dir[PATH_MAX];
	const char *slash = strrchr(op->dest, '/');
	cleanup_fd int parent = -1;

	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - op->dest), op->dest);
	snprintf(name, sizeof(name), "%s", slash + 1);
	parent = root_mkdir_p(root, dir[0] ? dir : "/", 0755);
	if (symlinkat(op->src, parent, name) < 0)
		die_errno("--symlink '%s'", op->dest);
}

static void op_tmpfs(int root, const struct fs_op *op)
{
	char dest[PATH_MAX], opts[64] = "mode=0755";
	int n = 0;

	snprintf(dest, sizeof(dest), "%.*s", (int)op->dest_len, op->dest);
	if (op->has_mode)
		n = snprintf(opts, sizeof(opts), "mode=0%o", op->mode);
	else
		n = (int)strlen(opts);
	if (op->size)
		snprintf(opts + n, sizeof(opts) - (size_t)n, ",size=%llu",
			 (unsigned long long)op->size);
	mount_tmpfs(root, dest, opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
}

void mount_ops(const struct config *cfg, const struct prepared *prep, int root)
{
	for (unsigned i = 0; i < cfg->fs.n_ops; i++) {
		char dest[PATH_MAX];
		struct fs_op o = cfg->fs.ops[i];
		const struct fs_op *op = &o;

		/* dest_len, not the NUL: the parser trimmed trailing '/'s. */
		if (o.dest_len >= sizeof(dest))
			die("'%s': path too long", o.dest);
		if (o.dest_len) {
			memcpy(dest, o.dest, o.dest_len);
			dest[o.dest_len] = '\0';
			o.dest = dest;
		}
		int ro = op->kind == FS_RO_BIND || op->kind == FS_RO_BIND_TRY;
		int try = op->kind == FS_BIND_TRY || op->kind == FS_RO_BIND_TRY;

		switch (op->kind) {
		case FS_BIND:
		case FS_RO_BIND:
		case FS_BIND_TRY:
		case FS_RO_BIND_TRY:
			mount_bind(root, op->src, op->dest, ro, try);
			break;
		case FS_NOTIFY: /* the monitor's relay, made before clone */
			mount_bind(root, prep->notify_socket, op->dest, 1, 0);
			break;
		case FS_TMPFS:
			op_tmpfs(root, op);
			break;
		case FS_DIR:
			close(root_mkdir_p(root, op->dest, 0755));
			break;
		case FS_SYMLINK:
			op_symlink(root, op);
			break;
		case FS_COPY:
			op_copy(root, op);
			break;
		case FS_FILE:
			op_file(root, op);
			break;
		case FS_PROC:
			mount_proc(cfg, &prep->id, root, op->dest);
			break;
		case FS_DEV:
			mount_dev(cfg, root, op->dest);
			break;
		case FS_MQUEUE:
			mount_mqueue(root, op->dest);
			break;
		case FS_SECRET:
			op_secret(cfg, &prep->id, root, op);
			break;
		case FS_MOUNT:
			mount_fs(cfg, prep, root, op);
			break;
		case FS_MASK:
			mount_mask(root, op);
			break;
		case FS_REMOUNT_RO:
			mount_remount_ro(root, op);
			break;
		case FS_DEVICE:
			mount_device(root, op);
			break;
		}
	}
}

/* Names --context-mode copy leaves out: credentials, keys, env files. */
static int context_secret(const char *name)
{
	static const char *const exact[] = { ".ssh",	".aws",	 ".netrc",
					     ".docker", ".kube", ".gnupg" };
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strcmp(name, exact[i]) == 0)
			return 1;
	return strncmp(name, ".env", 4) == 0 ||
	       (n > 4 && strcmp(name + n - 4, ".pem") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".key") == 0);
}

static void context_copy_dir(int src, int dst, int depth);

/* One entry: directories recurse, regular files are copied, the rest
 * (symlinks, devices, sockets) is left out so nothing points outside. */
static void context_entry(int src, int dst, const char *name, int depth)
{
	struct stat st;
	cleanup_fd int in = -1, out = -1;
	char buf[65536];
	ssize_t n;

	if (context_secret(name) ||
	    fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW))
		return;
	if (S_ISDIR(st.st_mode)) {
		if (mkdirat(dst, name, 0755) < 0)
			die_errno("context mkdir '%s'", name);
		in = openat(src, name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		out = openat(dst, name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (in < 0 || out < 0)
			die_errno("context open '%s'", name);
		context_copy_dir(in, out, depth + 1);
		return;
	}
	if (!S_ISREG(st.st_mode))
		return;
	/* Swapped for a FIFO since the fstatat: refused, never waited on. */
	in = host_input_open(src, name, O_NOFOLLOW, "--context", INT64_MAX,
			     &st);
	out = openat(dst, name,
		     O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
		     st.st_mode & 0755);
	if (out < 0)
		die_errno("context copy '%s'", name);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write_all(out, buf, (size_t)n) < 0)
			die_errno("context write '%s'", name);
	if (n < 0)
		die_errno("context read '%s'", name);
}

static void context_copy_dir(int src, int dst, int depth)
{
	DIR *d;
	struct dirent *e;
	int fd = dup(src);

	if (depth > CONTEXT_MAX_DEPTH)
		die("--context: deeper than %d directories", CONTEXT_MAX_DEPTH);
	if (fd < 0 || !(d = fdopendir(fd)))
		die_errno("--context: read directory");
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			context_entry(src, dst, e->d_name, depth);
	closedir(d);
}

void mount_context(const struct config *cfg, int root)
{
	cleanup_fd int src = -1, dst = -1;

	if (!cfg->fs.context)
		return;
	if (!cfg->fs.context_copy) {
		/* A directory, as in copy mode: never a FIFO bound at /context. */
		src = open(cfg->fs.context, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (src < 0)
			die_errno("--context '%s'", cfg->fs.context);
		mount_bind(root, cfg->fs.context, "/context", 1, 0);
		return;
	}
	src = open(cfg->fs.context, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (src < 0)
		die_errno("--context '%s'", cfg->fs.context);
	mount_tmpfs(root, "/context", "mode=0755",
		    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	dst = root_open(root, "/context", 1);
	if (dst < 0) {
		errno = -dst;
		die_errno("/context");
	}
	/* O_PATH fds cannot be written through: reopen the directory. */
	close(dst);
	dst = sys_openat2(root, "context", O_RDONLY | O_DIRECTORY | O_CLOEXEC,
			  RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS);
	if (dst < 0)
		die_errno("/context");
	context_copy_dir(src, dst, 0);
}
