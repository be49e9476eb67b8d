// SPDX-License-Identifier: MIT
/*
 * The OCI bundle of --runtime gvisor, made from the same flags as the native
 * sandbox: args (nucleus-init first, as PID 1), env, cwd, user, hostname,
 * namespaces, no capabilities, no_new_privs, and a root that is always our
 * own directory, holding read-only binds of the host's system dirs (or of
 * the --rootfs image's entries), then /dev, /proc, /tmp and the user's
 * mounts in argv order; the host's dirs are bound through the idmapped
 * views of gvisor_hostview.c, so the workload is "other" for every host
 * file in them. runsc's gofer makes missing mount points on the
 * host, through the binds before them (seen here: a --bind DEST under a
 * read-only bind of /usr made a directory in the host's /usr), so every
 * mount point must exist already or lie in our own root; flags gVisor cannot
 * honour are refused before anything exists.
 */
#include "runtime/gvisor.h"
#include "host/identity.h"
#include "lib/json.h"
#include "plan/plan.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_PATH                                                           \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* A bind as the gofer sees it: mount points below dest land in src. */
struct gbind {
	const char *dest;
	size_t dlen;
	char *src;	  /* canonical host path */
	const char *view; /* what runsc mounts instead, or NULL */
};

struct bundle {
	const struct config *cfg;
	const char *dir;	    /* the private directory */
	struct gvisor_views *views; /* the host views made for it */
	char root[PATH_MAX];	    /* dir/bundle/rootfs: ours */
	struct json j;		    /* config.json */
	struct json m;	     /* its "mounts", made first: cwd depends on them */
	struct gbind *binds; /* as many as the command line has */
	unsigned nbinds, cap_binds;
};

struct envlist {
	char **v; /* as many as the command line sets */
	unsigned n, cap;
};

/* A JSON string. runsc's decoder would quietly replace invalid UTF-8 with
 * U+FFFD, running something else than asked: such bytes are refused. */
static void oci_str(struct json *j, const char *key, const char *s, size_t n,
		    const char *what)
{
	for (size_t i = 0, k; i < n; i += k)
		if (!(k = json_utf8_len(s + i, n - i)))
			die("%s is not valid UTF-8, which an OCI config cannot "
			    "carry",
			    what);
	json_strn(j, key, s, n);
}

static void oci_cstr(struct json *j, const char *key, const char *s,
		     const char *what)
{
	oci_str(j, key, s, strlen(s), what);
}

/* The last bind whose dest is dest or a parent of it. */
static const struct gbind *bind_under(const struct bundle *b, const char *dest,
				      size_t dlen)
{
	const struct gbind *best = NULL;

	for (unsigned i = 0; i < b->nbinds; i++) {
		const struct gbind *g = &b->binds[i];

		if (g->dlen <= dlen && !memcmp(g->dest, dest, g->dlen) &&
		    (dlen == g->dlen || dest[g->dlen] == '/') &&
		    (!best || g->dlen >= best->dlen))
			best = g;
	}
	return best;
}

/* In our own root the gofer may create what it likes, but must not be led
 * out of it by a symlink (the merged-/usr links, /bin -> usr/bin). */
static void mountpoint_ours(const struct bundle *b, const char *dest,
			    size_t dlen, const char *flag)
{
	char path[PATH_MAX];
	size_t rl = strlen(b->root);
	struct stat st;

	for (size_t i = 1; i <= dlen; i++) {
		if (i < dlen && dest[i] != '/')
			continue;
		if (rl + i >= sizeof(path))
			die("%s '%.*s': path too long", flag, (int)dlen, dest);
		memcpy(path, b->root, rl);
		memcpy(path + rl, dest, i);
		path[rl + i] = '\0';
		if (lstat(path, &st) < 0)
			return;
		if (S_ISLNK(st.st_mode))
			die("%s '%.*s': goes through the symlink '%.*s', which "
			    "runsc would follow on the host",
			    flag, (int)dlen, dest, (int)i, dest);
	}
}

static void mountpoint_check(const struct bundle *b, const char *dest,
			     size_t dlen, const char *flag)
{
	const struct gbind *g = bind_under(b, dest, dlen);
	char host[PATH_MAX], real[PATH_MAX];
	struct stat st;
	int n;

	if (!g) {
		mountpoint_ours(b, dest, dlen, flag);
		return;
	}
	n = snprintf(host, sizeof(host), "%s%.*s", g->src,
		     (int)(dlen - g->dlen), dest + g->dlen);
	if (n < 0 || (size_t)n >= sizeof(host))
		die("%s '%.*s': path too long", flag, (int)dlen, dest);
	if (lstat(host, &st) < 0 || !realpath(host, real) ||
	    strcmp(real, host) != 0)
		die("%s '%.*s': runsc would create or follow '%s' on the host; "
		    "under gVisor a mount point inside a bind must exist",
		    flag, (int)dlen, dest, host);
}

/* One entry of "mounts"; opts is a comma-separated list. */
static void oci_mount(struct bundle *b, const char *dest, size_t dlen,
		      const char *type, const char *src, const char *opts)
{
	json_begin(&b->m, NULL);
	oci_str(&b->m, "destination", dest, dlen, "a mount destination");
	oci_cstr(&b->m, "type", type, "a mount type");
	oci_cstr(&b->m, "source", src, "a mount source");
	json_list(&b->m, "options");
	for (const char *o = opts; *o;) {
		size_t k = strcspn(o, ",");

		oci_str(&b->m, NULL, o, k, "a mount option");
		o += k + (o[k] == ',');
	}
	json_list_end(&b->m);
	json_close(&b->m);
}

/* A bind of host src at dest, remembered for later mount points; view,
 * when not NULL, is what runsc mounts instead (gvisor_view's of src). */
static void oci_bind_view(struct bundle *b, const char *src, const char *view,
			  const char *dest, size_t dlen, int ro,
			  const char *flag)
{
	char *real = realpath(src, NULL);
	const struct gbind *g = bind_under(b, dest, dlen);
	char under[PATH_MAX];
	struct stat st;

	if (!real || stat(real, &st) < 0)
		die_errno("%s source '%s'", flag, src);
	mountpoint_check(b, dest, dlen, flag);
	b->binds = xgrow(b->binds, &b->cap_binds, b->nbinds, sizeof(*b->binds));
	if (g && g->view && !S_ISDIR(st.st_mode)) {
		if ((size_t)snprintf(under, sizeof(under), "%s%.*s", g->view,
				     (int)(dlen - g->dlen),
				     dest + g->dlen) >= sizeof(under))
			die("%s '%.*s': path too long", flag, (int)dlen, dest);
		gvisor_view_file(b->views, real, under);
	}
	oci_mount(b, dest, dlen, "bind", view ? view : real,
		  ro ? "rbind,ro,nosuid,nodev" : "rbind,nosuid,nodev");
	b->binds[b->nbinds++] = (struct gbind){ dest, dlen, real, view };
}

static void oci_bind(struct bundle *b, const char *src, const char *dest,
		     size_t dlen, int ro, const char *flag)
{
	oci_bind_view(b, src, NULL, dest, dlen, ro, flag);
}

/* An entry of the root: a symlink is copied, anything else bound; the
 * host's own dirs (host != 0) through their idmapped view. */
static void root_entry(struct bundle *b, const char *src, const char *name,
		       int ro, int host)
{
	char link[PATH_MAX], at[PATH_MAX], dest[NAME_MAX + 2], *d;
	struct stat st;
	ssize_t n;

	if (lstat(src, &st) < 0)
		return;
	if (S_ISLNK(st.st_mode)) {
		n = readlink(src, link, sizeof(link) - 1);
		if (n < 0)
			die_errno("readlink '%s'", src);
		link[n] = '\0';
		if ((size_t)snprintf(at, sizeof(at), "%s/%s", b->root, name) >=
		    sizeof(at))
			die("'%s': path too long", name);
		if (symlink(link, at) < 0)
			die_errno("symlink '%s'", at);
		return;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return;
	snprintf(dest, sizeof(dest), "/%s", name);
	d = strdup(dest);
	if (!d)
		die_errno("strdup");
	oci_bind_view(b, src,
		      host && S_ISDIR(st.st_mode)
			      ? gvisor_view(b->views, b->dir, name)
			      : NULL,
		      d, strlen(d), ro, "root");
}

/* The image's own /dev, /proc, /tmp, /sys are replaced, as natively. */
static void root_image(struct bundle *b, const char *image, int ro)
{
	static const char *const skip[] = { ".",    "..",  "dev",
					    "proc", "tmp", "sys" };
	char src[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(image);

	if (!d)
		die_errno("--rootfs '%s'", image);
	while ((e = readdir(d))) {
		size_t i = 0;

		while (i < sizeof(skip) / sizeof(*skip) &&
		       strcmp(e->d_name, skip[i]))
			i++;
		if (i < sizeof(skip) / sizeof(*skip))
			continue;
		if ((size_t)snprintf(src, sizeof(src), "%s/%s", image,
				     e->d_name) >= sizeof(src))
			die("--rootfs: path too long");
		root_entry(b, src, e->d_name, ro, 0);
	}
	closedir(d);
}

static void oci_root(struct bundle *b)
{
	const struct fs_config *fs = &b->cfg->fs;

	if (fs->rootfs) {
		char *img = realpath(fs->rootfs, NULL);

		if (!img)
			die_errno("--rootfs '%s'", fs->rootfs);
		root_image(b, img, !fs->rootfs_rw);
		return;
	}
	for (size_t i = 0; i < PLAN_N_HOST_DIRS; i++)
		root_entry(b, plan_host_dirs[i], plan_host_dirs[i] + 1, 1, 1);
}

static void oci_tmpfs(struct bundle *b, const struct fs_op *op, size_t dl)
{
	char opts[80];
	int n = snprintf(opts, sizeof(opts), "nosuid,nodev,mode=0%o",
			 op->has_mode ? op->mode : 0755);

	if (op->size)
		snprintf(opts + n, sizeof(opts) - (size_t)n, ",size=%llu",
			 (unsigned long long)op->size);
	mountpoint_check(b, op->dest, dl, "--tmpfs");
	oci_mount(b, op->dest, dl, "tmpfs", "tmpfs", opts);
}

/* The standard mounts, the context, then the user's, in argv order. */
static void oci_ops(struct bundle *b)
{
	const struct fs_config *fs = &b->cfg->fs;

	oci_mount(b, "/dev", 4, "tmpfs", "tmpfs", "nosuid,noexec,mode=0755");
	oci_mount(b, "/proc", 5, "proc", "proc",
		  fs->proc_rw ? "nosuid,nodev,noexec"
			      : "ro,nosuid,nodev,noexec");
	oci_mount(b, "/tmp", 4, "tmpfs", "tmpfs", "nosuid,nodev,mode=1777");
	if (fs->context)
		oci_bind(b, fs->context, "/context", 8, 1, "--context");
	for (unsigned i = 0; i < fs->n_ops; i++) {
		const struct fs_op *op = &fs->ops[i];
		size_t dl = op->dest_len ? op->dest_len : strlen(op->dest);
		struct stat st;

		switch (op->kind) {
		case FS_PROC:
			mountpoint_check(b, op->dest, dl, "--proc");
			oci_mount(b, op->dest, dl, "proc", "proc",
				  "ro,nosuid,nodev,noexec");
			break;
		case FS_TMPFS:
			oci_tmpfs(b, op, dl);
			break;
		case FS_BIND_TRY:
		case FS_RO_BIND_TRY:
			if (stat(op->src, &st) < 0 && errno == ENOENT)
				break;
			/* fall through */
		case FS_BIND:
		case FS_RO_BIND:
			oci_bind(b, op->src, op->dest, dl,
				 op->kind == FS_RO_BIND ||
					 op->kind == FS_RO_BIND_TRY,
				 "bind");
			break;
		default: /* refused by the plan (OPT_NATIVE) */
			die("mount operation %u is not supported", i);
		}
	}
}

static void env_del(struct envlist *e, const char *key, size_t klen)
{
	for (unsigned i = 0; i < e->n; i++) {
		if (strncmp(e->v[i], key, klen) || e->v[i][klen] != '=')
			continue;
		free(e->v[i]);
		memmove(e->v + i, e->v + i + 1, (e->n - i - 1) * sizeof(*e->v));
		e->n--;
		return;
	}
}

static void env_put(struct envlist *e, const char *key, size_t klen,
		    const char *val)
{
	size_t vl = strlen(val);
	char *s;

	env_del(e, key, klen);
	e->v = xgrow(e->v, &e->cap, e->n, sizeof(*e->v));
	s = malloc(klen + vl + 2);
	if (!s)
		die_errno("malloc");
	memcpy(s, key, klen);
	s[klen] = '=';
	memcpy(s + klen + 1, val, vl + 1);
	e->v[e->n++] = s;
}

static void env_put_cb(void *arg, const char *key, size_t klen,
		       const char *value)
{
	env_put(arg, key, klen, value);
}

/* The same file format and checks as the native sandbox (identity.c). */
static void env_file(struct envlist *e, const char *file)
{
	char *text = identity_env_read(file);

	identity_env_parse(file, text, env_put_cb, e);
	free(text);
}

/* The environment of the native sandbox: PATH, HOME, TERM unless
 * --clearenv, then the user's changes in argv order. */
static void oci_env(struct bundle *b)
{
	static struct envlist e;
	const struct fs_config *fs = &b->cfg->fs;
	const char *term = getenv("TERM");

	die_step = "env";
	if (!fs->clearenv) {
		env_put(&e, "PATH", 4, DEFAULT_PATH);
		env_put(&e, "HOME", 4, "/tmp");
		if (term)
			env_put(&e, "TERM", 4, term);
	}
	for (unsigned i = 0; i < fs->n_env; i++) {
		const struct env_op *op = &fs->env[i];
		size_t kl = strcspn(op->key, "=");

		if (op->kind == ENV_SET)
			env_put(&e, op->key, kl, op->value);
		else if (op->kind == ENV_UNSET)
			env_del(&e, op->key, strlen(op->key));
		else
			env_file(&e, op->key);
	}
	json_list(&b->j, "env");
	for (unsigned i = 0; i < e.n; i++)
		oci_cstr(&b->j, NULL, e.v[i], "an environment variable");
	json_list_end(&b->j);
	die_step = "gvisor";
}

/* Whether dir is a mount point of our own: tmpfs and proc exist inside. */
static int mount_dest(const struct config *cfg, const char *dir)
{
	static const char *const std[] = { "/", "/dev", "/proc", "/tmp" };

	for (size_t i = 0; i < sizeof(std) / sizeof(*std); i++)
		if (!strcmp(dir, std[i]))
			return 1;
	for (unsigned i = 0; i < cfg->fs.n_ops; i++) {
		const struct fs_op *op = &cfg->fs.ops[i];
		size_t dl = op->dest_len ? op->dest_len : strlen(op->dest);

		if ((op->kind == FS_TMPFS || op->kind == FS_PROC) &&
		    strlen(dir) == dl && !memcmp(dir, op->dest, dl))
			return 1;
	}
	return 0;
}

/* runsc makes a missing cwd itself, on the host through a read-only bind
 * too (seen: --chdir /usr/x made the host's /usr/x): so it must exist, as
 * the native sandbox requires anyway. */
static void cwd_check(const struct bundle *b, const char *dir)
{
	const struct gbind *g = bind_under(b, dir, strlen(dir));
	char host[PATH_MAX], real[PATH_MAX];
	struct stat st;

	die_step = "chdir";
	if (!g) {
		if (!mount_dest(b->cfg, dir))
			die("'%s': no such directory in the sandbox", dir);
		return;
	}
	if ((size_t)snprintf(host, sizeof(host), "%s%s", g->src,
			     dir + g->dlen) >= sizeof(host))
		die("'%s': path too long", dir);
	if (stat(host, &st) < 0)
		die_errno("'%s'", dir);
	if (!S_ISDIR(st.st_mode) || !realpath(host, real) ||
	    strcmp(real, host) != 0)
		die("'%s': not a directory reached without symlinks", dir);
}

/* Like the native sandbox: --chdir, /context, or the caller's cwd when
 * the sandbox shows it at the same path (a bind onto itself), else /. */
static const char *oci_cwd(const struct bundle *b)
{
	static char cwd[PATH_MAX];
	const struct gbind *g;

	if (b->cfg->chdir) {
		cwd_check(b, b->cfg->chdir);
		return b->cfg->chdir;
	}
	if (b->cfg->fs.context)
		return "/context";
	if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
		return "/";
	g = bind_under(b, cwd, strlen(cwd));
	if (g && strlen(g->src) == g->dlen && !memcmp(g->src, g->dest, g->dlen))
		return cwd;
	return "/";
}

/* Exactly --cap-add in every set, as natively: by default none at all. */
static void oci_caps(struct bundle *b)
{
	static const char *const sets[] = { "bounding", "effective",
					    "inheritable", "permitted",
					    "ambient" };
	uint64_t add = b->cfg->confine.cap_add;

	json_begin(&b->j, "capabilities");
	for (size_t s = 0; s < sizeof(sets) / sizeof(*sets); s++) {
		json_list(&b->j, sets[s]);
		for (unsigned c = 0; c < CONFINE_NCAPS; c++) {
			char name[40];

			if (!(add >> c & 1) || !cap_name(c))
				continue;
			snprintf(name, sizeof(name), "CAP_%s", cap_name(c));
			json_str(&b->j, NULL, name);
		}
		json_list_end(&b->j);
	}
	json_close(&b->j);
}

/* The native sandbox's limits: --rlimit, else CORE 0, else the caller's
 * (gVisor would otherwise start from its own). Only lowering, as natively. */
static void oci_rlimits(struct bundle *b)
{
	const struct confine_config *c = &b->cfg->confine;

	die_step = "rlimit";
	json_list(&b->j, "rlimits");
	for (unsigned r = 0; r < CONFINE_NLIMITS; r++) {
		struct rlimit rl;
		uint64_t soft, hard;
		char type[32];

		if (getrlimit((int)r, &rl) < 0)
			die_errno("getrlimit %s", rlimit_name(r));
		soft = rl.rlim_cur == RLIM_INFINITY ? RLIM_UNLIMITED
						    : rl.rlim_cur;
		hard = rl.rlim_max == RLIM_INFINITY ? RLIM_UNLIMITED
						    : rl.rlim_max;
		if (c->rlimit_set & (1u << r)) {
			if (c->rlimit_hard[r] > hard)
				die("--rlimit %s: hard limit above the current "
				    "one; nucleus only lowers limits",
				    rlimit_name(r));
			soft = c->rlimit_soft[r];
			hard = c->rlimit_hard[r];
		} else if (r == RLIMIT_CORE) {
			soft = hard = 0;
		}
		snprintf(type, sizeof(type), "RLIMIT_%s", rlimit_name(r));
		json_begin(&b->j, NULL);
		json_str(&b->j, "type", type);
		json_uint(&b->j, "soft", soft);
		json_uint(&b->j, "hard", hard);
		json_close(&b->j);
	}
	json_list_end(&b->j);
	die_step = "gvisor";
}

static void oci_process(struct bundle *b)
{
	const struct config *cfg = b->cfg;
	const struct fs_config *fs = &cfg->fs;

	json_begin(&b->j, "process");
	json_bool(&b->j, "terminal", 0);
	json_begin(&b->j, "user");
	json_uint(&b->j, "uid", fs->has_uid ? fs->uid : 0);
	json_uint(&b->j, "gid", fs->has_gid ? fs->gid : 0);
	json_list(&b->j, "additionalGids");
	for (unsigned i = 0; i < fs->n_groups; i++)
		json_uint(&b->j, NULL, fs->groups[i]);
	json_list_end(&b->j);
	json_close(&b->j);
	json_list(&b->j, "args");
	json_str(&b->j, NULL, GVISOR_INIT_PATH);
	json_str(&b->j, NULL, "--");
	for (int i = 0; i < cfg->argc; i++)
		oci_cstr(&b->j, NULL, cfg->argv[i],
			 "an argument of the command");
	json_list_end(&b->j);
	oci_env(b);
	oci_cstr(&b->j, "cwd", oci_cwd(b), "--chdir");
	die_step = "gvisor";
	oci_caps(b);
	oci_rlimits(b);
	json_bool(&b->j, "noNewPrivileges", 1);
	json_close(&b->j);
}

static void oci_linux(struct bundle *b)
{
	const struct config *cfg = b->cfg;

	const char *ns[] = { "pid", "ipc", "mount",
			     cfg->share & SHARE_UTS ? NULL : "uts",
			     cfg->share & SHARE_NET ? NULL : "network" };

	json_begin(&b->j, "linux");
	json_list(&b->j, "namespaces");
	for (size_t i = 0; i < sizeof(ns) / sizeof(*ns); i++) {
		if (!ns[i])
			continue;
		json_begin(&b->j, NULL);
		json_str(&b->j, "type", ns[i]);
		json_close(&b->j);
	}
	json_list_end(&b->j);
	json_close(&b->j);
	if (!(cfg->share & SHARE_UTS))
		oci_cstr(&b->j, "hostname",
			 cfg->hostname ? cfg->hostname : "nucleus",
			 "--hostname");
}

static void bundle_write(struct bundle *b, const char *dir)
{
	char path[PATH_MAX];
	cleanup_fd int fd = -1;

	snprintf(path, sizeof(path), "%s/bundle/config.json", dir);
	errno = ENOMEM;
	if (!json_end(&b->j) || b->m.oom)
		die_errno("config.json");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0 || write_all(fd, b->j.buf, b->j.len) < 0)
		die_errno("write '%s'", path);
}

void gvisor_bundle(const struct config *cfg, struct gvisor_views *views,
		   const char *dir, const char *init)
{
	static struct bundle b;

	die_step = "gvisor";
	b.cfg = cfg;
	b.views = views;
	b.dir = dir;
	snprintf(b.root, sizeof(b.root), "%s/bundle/rootfs", dir);
	json_init(&b.m, 0);
	die_step = "mount";
	oci_root(&b);
	oci_ops(&b);
	/* Last, so no mount of the user's hides it; its mount point is
	 * checked like theirs. */
	oci_bind(&b, init, GVISOR_INIT_PATH, strlen(GVISOR_INIT_PATH), 1,
		 "nucleus-init");
	die_step = "gvisor";
	json_start(&b.j);
	json_str(&b.j, "ociVersion", "1.0.2");
	oci_process(&b);
	json_begin(&b.j, "root");
	json_str(&b.j, "path", "rootfs");
	json_bool(&b.j, "readonly", 1);
	json_close(&b.j);
	json_list(&b.j, "mounts");
	json_put(&b.j, b.m.buf ? b.m.buf : "", b.m.len);
	json_list_end(&b.j);
	oci_linux(&b);
	bundle_write(&b, dir);
}
