// SPDX-License-Identifier: MIT
/*
 * Flags of the sandbox's world: root, mounts (applied in argv order, in
 * bubblewrap's spirit), identity, environment, fds. Each setter is pure and
 * fills cfg->fs; the mount code trusts what passes here: destinations are
 * absolute and free of `.` and `..` components.
 */
#include "cli/args.h"

#include <string.h>
#include <linux/mount.h>

/* Absolute, no `.`/`..` component, not the root itself. */
static int check_dest(const char *v, char *err, size_t len)
{
	const char *p = v;

	if (v[0] != '/')
		return args_fail(err, len, "'%s' is not an absolute path", v);
	while (*p) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2)))
			return args_fail(err, len,
					 "'%s' has a '.' or '..' component", v);
		p += n;
	}
	if (strspn(v, "/") == strlen(v))
		return args_fail(err, len, "'%s' is the root itself", v);
	return 0;
}

/* DEST's length without trailing slashes: "/x/" names the directory /x,
 * and every op sees DEST through its dest_len. */
static size_t dest_len(const char *v, size_t n)
{
	while (n > 1 && v[n - 1] == '/')
		n--;
	return n;
}

/* Appends an operation whose dest (already checked) is n bytes long. */
static struct fs_op *push_op(struct config *cfg, enum fs_op_kind kind,
			     const char *src, const char *dest, size_t n,
			     char *err, size_t len)
{
	struct fs_config *fs = &cfg->fs;

	if (fs->n_ops >= fs->room) { /* room < argc: the caller's bug */
		args_fail(err, len, "more than %zu mount operations", fs->room);
		return NULL;
	}
	fs->ops[fs->n_ops] = (struct fs_op){ .kind = kind,
					     .src = src,
					     .dest = dest,
					     .dest_len = (unsigned)n,
					     .fd = -1 };
	return &fs->ops[fs->n_ops++];
}

static int add_op(struct config *cfg, enum fs_op_kind kind, const char *src,
		  const char *dest, char *err, size_t len)
{
	if (check_dest(dest, err, len) < 0 ||
	    !push_op(cfg, kind, src, dest, dest_len(dest, strlen(dest)), err,
		     len))
		return -1;
	return 0;
}

#define OP2(fn, kind)                                                          \
	static int fn(struct config *cfg, const char *v, char *err,            \
		      size_t len)                                              \
	{                                                                      \
		return add_op(cfg, kind, v, cfg->value2, err, len);            \
	}
#define OP1(fn, kind)                                                          \
	static int fn(struct config *cfg, const char *v, char *err,            \
		      size_t len)                                              \
	{                                                                      \
		return add_op(cfg, kind, NULL, v, err, len);                   \
	}
OP2(set_bind, FS_BIND)
OP2(set_ro_bind, FS_RO_BIND)
OP2(set_bind_try, FS_BIND_TRY)
OP2(set_ro_bind_try, FS_RO_BIND_TRY)
OP2(set_symlink, FS_SYMLINK)
OP2(set_copy, FS_COPY)
OP1(set_dir, FS_DIR)
OP1(set_proc, FS_PROC)
OP1(set_dev, FS_DEV)
OP1(set_mqueue, FS_MQUEUE)

static int set_file(struct config *cfg, const char *v, char *err, size_t len)
{
	uint64_t fd;

	if (parse_u64(v, 0, 1 << 20, &fd) < 0)
		return args_fail(err, len, "'%s' is not an fd number", v);
	if (add_op(cfg, FS_FILE, NULL, cfg->value2, err, len) < 0)
		return -1;
	cfg->fs.ops[cfg->fs.n_ops - 1].fd = (int)fd;
	return 0;
}

/* One `key=value` option of --tmpfs DEST:size=64M,mode=1777. */
static int tmpfs_option(struct fs_op *op, const char *o, size_t n, char *err,
			size_t len)
{
	char val[32];
	uint64_t mode = 0;
	size_t k = strcspn(o, "=,");

	if (o[k] != '=' || n - k - 1 >= sizeof(val) || n == k + 1)
		return args_fail(err, len, "bad option '%.*s'", (int)n, o);
	memcpy(val, o + k + 1, n - k - 1);
	val[n - k - 1] = '\0';
	if (k == 4 && !strncmp(o, "size", 4) && !parse_size(val, &op->size) &&
	    op->size)
		return 0;
	if (k == 4 && !strncmp(o, "mode", 4) && val[0] == '0' + (val[0] & 7) &&
	    strspn(val, "01234567") == strlen(val) && strlen(val) <= 4) {
		for (const char *p = val; *p; p++)
			mode = mode * 8 + (uint64_t)(*p - '0');
		op->mode = (unsigned)mode;
		op->has_mode = 1;
		return 0;
	}
	return args_fail(err, len, "bad option '%.*s' (size=SIZE, mode=OCTAL)",
			 (int)n, o);
}

static int set_tmpfs(struct config *cfg, const char *v, char *err, size_t len)
{
	const char *colon = strchr(v, ':');
	char dest[NUCLEUS_MAX_VALUE + 1];
	struct fs_op *op;
	size_t n = colon ? (size_t)(colon - v) : strlen(v);

	memcpy(dest, v, n);
	dest[n] = '\0';
	/* Check the copy; store argv's bytes and their length. */
	if (check_dest(dest, err, len) < 0 ||
	    !(op = push_op(cfg, FS_TMPFS, NULL, v, dest_len(v, n), err, len)))
		return -1;
	for (const char *o = colon ? colon + 1 : NULL; o && *o;) {
		size_t k = strcspn(o, ",");

		if (tmpfs_option(op, o, k, err, len) < 0)
			return -1;
		o += k + (o[k] == ',');
	}
	return 0;
}

/* The mount(8) flags of --mount's OPTS, as MOUNT_ATTR_* bits; nosuid and
 * nodev are nucleus's on every mount, so suid and dev are accepted and do
 * nothing. 1 when word is one (attrs updated), 0 for a data option. */
int fs_mount_flag(const char *word, size_t n, uint64_t *attrs)
{
	static const struct {
		char name[12];
		uint64_t set, clr;
	} t[] = {
		{ "ro", MOUNT_ATTR_RDONLY, 0 },
		{ "rw", 0, MOUNT_ATTR_RDONLY },
		{ "noexec", MOUNT_ATTR_NOEXEC, 0 },
		{ "exec", 0, MOUNT_ATTR_NOEXEC },
		{ "nosuid", 0, 0 },
		{ "suid", 0, 0 },
		{ "nodev", 0, 0 },
		{ "dev", 0, 0 },
		{ "defaults", 0, 0 },
		{ "relatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
		{ "noatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME },
		{ "strictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
		{ "nodiratime", MOUNT_ATTR_NODIRATIME, 0 },
		{ "diratime", 0, MOUNT_ATTR_NODIRATIME },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strlen(t[i].name) == n && !strncmp(word, t[i].name, n)) {
			*attrs = (*attrs & ~t[i].clr) | t[i].set;
			return 1;
		}
	return 0;
}

/* --mount TYPE DEST[:OPTS]: a file system of one of the types a container
 * is given; OPTS mount(8)-style, "source=NAME" its mountinfo source. */
static int set_mount(struct config *cfg, const char *v, char *err, size_t len)
{
	static const char types[][8] = { "tmpfs", "proc", "devpts", "mqueue",
					 "sysfs" };
	const char *d = cfg->value2, *colon = strchr(d, ':');
	char dest[NUCLEUS_MAX_VALUE + 1];
	size_t n = colon ? (size_t)(colon - d) : strlen(d), k = 0;
	struct fs_op *op;

	while (k < sizeof(types) / sizeof(types[0]) && strcmp(v, types[k]))
		k++;
	if (k == sizeof(types) / sizeof(types[0]))
		return args_fail(err, len,
				 "'%s': not tmpfs, proc, devpts, mqueue or "
				 "sysfs",
				 v);
	memcpy(dest, d, n);
	dest[n] = '\0';
	if (check_dest(dest, err, len) < 0 ||
	    !(op = push_op(cfg, FS_MOUNT, v, d, dest_len(d, n), err, len)))
		return -1;
	op->opts = colon ? colon + 1 : NULL;
	/* A sysfs is the host's devices: never writable from inside. */
	op->attrs = k == 4 ? MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOEXEC : 0;
	for (const char *o = op->opts; o && *o;) {
		size_t w = strcspn(o, ",");

		if (!w)
			return args_fail(err, len, "'%s': an empty option", d);
		if (fs_mount_flag(o, w, &op->attrs) && k == 4)
			op->attrs |= MOUNT_ATTR_RDONLY;
		o += w + (o[w] == ',');
	}
	return 0;
}

/* The next ':'-separated number of --device's SPEC, in base; -1 if none
 * is there or it is out of [0, max]. */
static int64_t spec_num(const char **p, int base, uint64_t max)
{
	char num[24];
	size_t n = strcspn(*p, ":");
	uint64_t v = 0;

	if (!n || n >= sizeof(num) || **p == '-')
		return -1;
	memcpy(num, *p, n);
	num[n] = '\0';
	*p += n + ((*p)[n] == ':');
	for (const char *c = num; *c; c++) {
		unsigned d = (unsigned)(*c - '0');

		if (d >= (unsigned)base || v > max / (uint64_t)base)
			return -1;
		v = v * (uint64_t)base + d;
	}
	return v > max ? -1 : (int64_t)v;
}

/* --device TYPE:MAJOR:MINOR[:MODE[:UID:GID]] DEST, OCI's linux.devices. */
static int set_device(struct config *cfg, const char *v, char *err, size_t len)
{
	const char *p = v + 2;
	int64_t maj, min, mode = 0666, uid = -1, gid = -1;
	struct fs_op *op;

	if (!strchr("cbp", v[0]) || !v[0] || v[1] != ':' ||
	    (maj = spec_num(&p, 10, 4095)) < 0 ||
	    (min = spec_num(&p, 10, 1048575)) < 0 ||
	    (*p && (mode = spec_num(&p, 8, 07777)) < 0) ||
	    (*p && ((uid = spec_num(&p, 10, UINT32_MAX - 1)) < 0 ||
		    (gid = spec_num(&p, 10, UINT32_MAX - 1)) < 0)) ||
	    *p)
		return args_fail(
			err, len,
			"'%s' is not TYPE:MAJOR:MINOR[:MODE[:UID:GID]] "
			"(TYPE c, b or p)",
			v);
	if (add_op(cfg, FS_DEVICE, NULL, cfg->value2, err, len) < 0)
		return -1;
	op = &cfg->fs.ops[cfg->fs.n_ops - 1];
	op->dev_type = v[0];
	op->major = (unsigned)maj;
	op->minor = (unsigned)min;
	op->mode = (unsigned)mode;
	op->uid = (uint32_t)uid;
	op->gid = (uint32_t)gid;
	return 0;
}

OP1(set_mask, FS_MASK)
OP1(set_remount_ro, FS_REMOUNT_RO)

static int set_rootfs(struct config *cfg, const char *v, char *err, size_t len)
{
	if (v[0] != '/')
		return args_fail(err, len, "'%s' is not an absolute path", v);
	cfg->fs.rootfs = v;
	return 0;
}

static int set_context(struct config *cfg, const char *v, char *err, size_t len)
{
	(void)err, (void)len;
	cfg->fs.context = v;
	return 0;
}

static int set_context_mode(struct config *cfg, const char *v, char *err,
			    size_t len)
{
	if (strcmp(v, "bind") && strcmp(v, "copy"))
		return args_fail(err, len, "'%s' is not bind or copy", v);
	cfg->fs.context_copy = v[0] == 'c';
	return 0;
}

/* SRC:DEST; DEST absolute. The copy lives on the /run/secrets tmpfs. */
static int set_secret(struct config *cfg, const char *v, char *err, size_t len)
{
	const char *colon = strrchr(v, ':');

	if (!colon || colon == v || !colon[1])
		return args_fail(err, len, "'%s' is not SRC:DEST", v);
	if (check_dest(colon + 1, err, len) < 0 ||
	    !push_op(cfg, FS_SECRET, v, colon + 1,
		     dest_len(colon + 1, strlen(colon + 1)), err, len))
		return -1;
	return 0;
}

static int flag_on(int *field)
{
	*field = 1;
	return 0;
}

#define SWITCH(fn, field)                                                      \
	static int fn(struct config *cfg, const char *v, char *err,            \
		      size_t len)                                              \
	{                                                                      \
		(void)v, (void)err, (void)len;                                 \
		return flag_on(&cfg->fs.field);                                \
	}
SWITCH(set_rootfs_rw, rootfs_rw)
SWITCH(set_proc_rw, proc_rw)
SWITCH(set_no_default_mounts, no_default_mounts)
SWITCH(set_mkdir_mountpoints, mkdir_mountpoints)
SWITCH(set_userns, userns)
SWITCH(set_map_subids, map_subids)
SWITCH(set_clearenv, clearenv)
SWITCH(set_no_new_session, no_new_session)
SWITCH(set_die_with_parent, die_with_parent)

/* --uid-map/--gid-map CONTAINER:HOST:SIZE, one range more of the map; a
 * user namespace is implied. Host id 0 is never mapped: the workload's
 * kernel ids are then never root's, whatever it is inside. */
static int add_map(struct config *cfg, struct id_map *m, const char *v,
		   char *err, size_t len)
{
	const char *p = v;
	int64_t x[3]; /* in, host, count */

	for (int k = 0; k < 3; k++)
		x[k] = spec_num(&p, 10, UINT32_MAX - 1);
	if (x[0] < 0 || x[1] < 0 || x[2] < 1 || *p || p[-1] == ':' ||
	    x[0] + x[2] > UINT32_MAX || x[1] + x[2] > UINT32_MAX)
		return args_fail(err, len, "'%s' is not CONTAINER:HOST:SIZE",
				 v);
	if (!x[1])
		return args_fail(err, len,
				 "'%s' maps host id 0 (root): refused", v);
	if (m->n >= IDMAP_MAX)
		return args_fail(err, len, "more than %d ranges", IDMAP_MAX);
	for (unsigned i = 0; i < m->n; i++) {
		const struct id_range *r = &m->r[i];

		if ((x[0] < r->in + r->count && r->in < x[0] + x[2]) ||
		    (x[1] < r->host + r->count && r->host < x[1] + x[2]))
			return args_fail(err, len,
					 "'%s' overlaps an earlier range", v);
	}
	m->r[m->n++] = (struct id_range){ (uint32_t)x[0], (uint32_t)x[1],
					  (uint32_t)x[2] };
	cfg->fs.userns = 1;
	return 0;
}

static int set_uid_map(struct config *cfg, const char *v, char *err, size_t len)
{
	return add_map(cfg, &cfg->fs.uid_map, v, err, len);
}

static int set_gid_map(struct config *cfg, const char *v, char *err, size_t len)
{
	return add_map(cfg, &cfg->fs.gid_map, v, err, len);
}

static int parse_id(const char *s, size_t n, uint32_t *id)
{
	char buf[16];
	uint64_t v;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	/* 2^32-1 is (uid_t)-1, "no change" to setresuid: never an id. */
	if (parse_u64(buf, 0, UINT32_MAX - 1, &v) < 0)
		return -1;
	*id = (uint32_t)v;
	return 0;
}

/* A user or group: a number, or a name (useradd's: a letter or '_' first,
 * then letters, digits, '_', '-', '.', at most FS_NAME_MAX) to resolve in
 * the sandbox's own /etc before clone. */
static int parse_id_or_name(const char *s, size_t n, uint32_t *id,
			    char name[FS_NAME_MAX + 1])
{
	name[0] = '\0';
	if (n && s[0] >= '0' && s[0] <= '9')
		return parse_id(s, n, id);
	if (n == 0 || n > FS_NAME_MAX ||
	    !(s[0] == '_' || ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z')))
		return -1;
	for (size_t i = 1; i < n; i++)
		if (!(s[i] == '_' || s[i] == '-' || s[i] == '.' ||
		      (s[i] >= '0' && s[i] <= '9') ||
		      ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')))
			return -1;
	memcpy(name, s, n);
	name[n] = '\0';
	return 0;
}

static int set_user(struct config *cfg, const char *v, char *err, size_t len)
{
	size_t n = strcspn(v, ":");

	if (parse_id_or_name(v, n, &cfg->fs.uid, cfg->fs.user_name) < 0 ||
	    (v[n] && parse_id_or_name(v + n + 1, strlen(v + n + 1),
				      &cfg->fs.gid, cfg->fs.group_name) < 0))
		return args_fail(err, len,
				 "'%s' is not USER[:GROUP] (numbers "
				 "or names)",
				 v);
	cfg->fs.has_uid = 1;
	cfg->fs.has_gid = v[n] == ':';
	return 0;
}

static int set_groups(struct config *cfg, const char *v, char *err, size_t len)
{
	struct fs_config *fs = &cfg->fs;

	fs->has_groups = 1;
	if (strcmp(v, "none") == 0)
		return 0;
	for (const char *p = v;; p++) {
		size_t n = strcspn(p, ",");

		if (fs->n_groups >= FS_MAX_GROUPS ||
		    parse_id_or_name(p, n, &fs->groups[fs->n_groups],
				     fs->group_names[fs->n_groups]) < 0)
			return args_fail(err, len,
					 "'%s' is not G1,G2,... "
					 "(at most %d numbers or names) or "
					 "none",
					 v, FS_MAX_GROUPS);
		fs->n_groups++;
		p += n;
		if (!*p)
			return 0;
	}
}

int env_name_ok(const char *name, size_t n)
{
	if (n == 0 || n > 255)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c <= ' ' || c > '~' || c == '=')
			return 0;
	}
	return 1;
}

/* klen: the bytes of key that name the variable (--env's "K=V" is kept
 * whole; the child splits it at the first '='). */
static int push_env(struct config *cfg, enum env_op_kind kind, const char *key,
		    size_t klen, const char *value, char *err, size_t len)
{
	struct fs_config *fs = &cfg->fs;

	if (kind != ENV_FILE && !env_name_ok(key, klen))
		return args_fail(err, len,
				 "'%.*s' is not a variable name "
				 "(printable ASCII, no '=' or space)",
				 (int)klen, key);
	if (fs->n_env >= fs->room) /* room < argc: the caller's bug */
		return args_fail(err, len, "more than %zu environment changes",
				 fs->room);
	fs->env[fs->n_env++] = (struct env_op){ kind, key, value };
	return 0;
}

static int set_setenv(struct config *cfg, const char *v, char *err, size_t len)
{
	return push_env(cfg, ENV_SET, v, strlen(v), cfg->value2, err, len);
}

static int set_unsetenv(struct config *cfg, const char *v, char *err,
			size_t len)
{
	return push_env(cfg, ENV_UNSET, v, strlen(v), NULL, err, len);
}

/* K=V: the whole string is kept; the child splits it at the first '='. */
static int set_env(struct config *cfg, const char *v, char *err, size_t len)
{
	const char *eq = strchr(v, '=');

	if (!eq || eq == v)
		return args_fail(err, len, "'%s' is not KEY=VALUE", v);
	return push_env(cfg, ENV_SET, v, (size_t)(eq - v), eq + 1, err, len);
}

static int set_env_file(struct config *cfg, const char *v, char *err,
			size_t len)
{
	return push_env(cfg, ENV_FILE, v, strlen(v), NULL, err, len);
}

static int set_keep_fd(struct config *cfg, const char *v, char *err, size_t len)
{
	uint64_t fd;

	if (parse_u64(v, 3, 1 << 20, &fd) < 0)
		return args_fail(err, len, "'%s' is not an fd number >= 3", v);
	if (cfg->fs.n_keep_fds >= FS_MAX_KEEP_FDS)
		return args_fail(err, len, "more than %d fds", FS_MAX_KEEP_FDS);
	cfg->fs.keep_fds[cfg->fs.n_keep_fds++] = (int)fd;
	return 0;
}

static const struct option_row fs_rows[] = {
	{ "rootfs", 0, "DIR", 0, set_rootfs,
	  "pivot into DIR (read-only) instead of a tmpfs of host binds" },
	{ "rootfs-rw", 0, NULL, 0, set_rootfs_rw, "keep --rootfs writable" },
	{ "mkdir-mountpoints", 0, NULL, OPT_NATIVE, set_mkdir_mountpoints,
	  "create missing mount points in --rootfs's directory, as OCI "
	  "runtimes do (then read-only unless --rootfs-rw)" },
	{ "bind", 0, "SRC DEST", 1, set_bind, "bind host SRC at DEST" },
	{ "ro-bind", 0, "SRC DEST", 1, set_ro_bind,
	  "bind host SRC read-only at DEST" },
	{ "bind-try", 0, "SRC DEST", 1, set_bind_try,
	  "as --bind; a missing SRC is not an error" },
	{ "ro-bind-try", 0, "SRC DEST", 1, set_ro_bind_try,
	  "as --ro-bind; a missing SRC is not an error" },
	{ "tmpfs", 0, "DEST[:OPTS]", 1, set_tmpfs,
	  "a tmpfs at DEST; OPTS: size=SIZE,mode=OCTAL" },
	{ "dir", 0, "DEST", OPT_REPEAT | OPT_NATIVE, set_dir,
	  "create directory DEST" },
	{ "symlink", 0, "TARGET DEST", OPT_REPEAT | OPT_NATIVE, set_symlink,
	  "create symlink DEST pointing to TARGET" },
	{ "copy", 0, "SRC DEST", OPT_REPEAT | OPT_NATIVE, set_copy,
	  "copy host file SRC (at most 16 MiB) to DEST" },
	{ "file", 0, "FD DEST", OPT_REPEAT | OPT_NATIVE, set_file,
	  "copy the contents of FD to DEST" },
	{ "proc", 0, "DEST", 1, set_proc, "a fresh, read-only procfs at DEST" },
	{ "dev", 0, "DEST", OPT_REPEAT | OPT_NATIVE, set_dev,
	  "a minimal /dev at DEST" },
	{ "mqueue", 0, "DEST", OPT_REPEAT | OPT_NATIVE, set_mqueue,
	  "an mqueue fs at DEST" },
	{ "mount", 0, "TYPE DEST[:OPTS]", OPT_REPEAT | OPT_NATIVE, set_mount,
	  "a new tmpfs, proc, devpts, mqueue or sysfs (read-only) at DEST; "
	  "OPTS: ro,noexec,...,source=NAME and the file system's own" },
	{ "device", 0, "SPEC DEST", OPT_REPEAT | OPT_NATIVE, set_device,
	  "a device node at DEST, SPEC TYPE:MAJOR:MINOR[:MODE[:UID:GID]] "
	  "(TYPE c, b or p; made, or the host's bound in a user namespace)" },
	{ "mask", 0, "PATH", OPT_REPEAT | OPT_NATIVE, set_mask,
	  "hide PATH behind /dev/null or an empty read-only directory "
	  "(missing: nothing to hide)" },
	{ "remount-ro", 0, "PATH", OPT_REPEAT | OPT_NATIVE, set_remount_ro,
	  "make PATH and everything below it read-only (missing: ignored)" },
	{ "no-default-mounts", 0, NULL, OPT_NATIVE, set_no_default_mounts,
	  "no /tmp or /proc of nucleus's own, and its /dev only where no "
	  "mount operation gives /dev" },
	{ "proc-rw", 0, NULL, 0, set_proc_rw, "mount /proc writable" },
	{ "context", 0, "DIR", 0, set_context,
	  "host DIR at /context (read-only bind, or --context-mode copy)" },
	{ "context-mode", 0, "MODE", 0, set_context_mode,
	  "bind (default) or copy: a copy without secrets (.ssh, .env*...)" },
	{ "secret", 0, "SRC:DEST", OPT_REPEAT | OPT_NATIVE, set_secret,
	  "a 0400 copy of SRC on the /run/secrets tmpfs, seen at DEST" },
	{ "userns", 0, NULL, 0, set_userns,
	  "a user namespace even as root (implied when not root)" },
	{ "map-subids", 0, NULL, OPT_NATIVE, set_map_subids,
	  "user namespace with the caller's /etc/subuid, /etc/subgid ranges" },
	{ "uid-map", 0, "CONTAINER:HOST:SIZE", OPT_REPEAT | OPT_NATIVE,
	  set_uid_map,
	  "user namespace: uids CONTAINER.. are host HOST.. (8 ranges at "
	  "most, never host 0)" },
	{ "gid-map", 0, "CONTAINER:HOST:SIZE", OPT_REPEAT | OPT_NATIVE,
	  set_gid_map, "the same for gids" },
	{ "user", 0, "USER[:GROUP]", 0, set_user,
	  "run the command as USER and GROUP, numbers or names in the "
	  "sandbox's /etc (GROUP: USER's primary group, else the uid; never "
	  "0 for another uid); in a user namespace, map them" },
	{ "groups", 0, "G1,G2", 0, set_groups,
	  "supplementary groups, numbers or names (root only; default: "
	  "none)" },
	{ "clearenv", 0, NULL, 0, set_clearenv,
	  "start from an empty environment (default: PATH, HOME, TERM)" },
	{ "setenv", 0, "KEY VALUE", 1, set_setenv, "set KEY to VALUE" },
	{ "env", 'e', "KEY=VALUE", 1, set_env, "set KEY to VALUE" },
	{ "unsetenv", 0, "KEY", 1, set_unsetenv, "remove KEY" },
	{ "env-file", 0, "FILE", 1, set_env_file,
	  "set each KEY=VALUE line of FILE (# comments)" },
	{ "no-new-session", 0, NULL, OPT_NATIVE, set_no_new_session,
	  "keep the caller's session (default: setsid, no terminal)" },
	{ "die-with-parent", 0, NULL, 0, set_die_with_parent,
	  "kill the sandbox when the process that started nucleus dies" },
	{ "keep-fd", 0, "N", OPT_REPEAT | OPT_NATIVE, set_keep_fd,
	  "keep fd N open in the command (default: only 0, 1, 2)" },
};

const struct option_table args_fs_table = {
	fs_rows, sizeof(fs_rows) / sizeof(fs_rows[0])
};
