// SPDX-License-Identifier: MIT
/*
 * config.json to nucleus's argv (oci.h). Each part of the spec becomes the
 * flags a user would type, in a fixed order, so the one parser checks it
 * and the one plan decides; what has no flag yet and matters to isolation
 * is refused with one line naming the field, never dropped in silence.
 */
#include "cli/oci.h"
#include "cli/config.h"
#include "lib/json.h"
#include "lib/json_read.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct oci {
	struct oci_args *out;
	int cap;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct oci *o,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->err, o->errlen, fmt, ap);
	va_end(ap);
	/* Bytes of the bundle are quoted back: keep the message one line. */
	for (char *p = o->err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

/* Appends a copy of s (n bytes) to argv, which stays NULL-terminated. */
static int push_n(struct oci *o, const char *s, size_t n)
{
	struct oci_args *a = o->out;
	char *c;

	if (a->argc + 2 > o->cap) {
		int cap = o->cap ? o->cap * 2 : 32;
		char **v = realloc(a->argv, (size_t)cap * sizeof(*v));

		if (!v)
			return fail(o, "config.json: out of memory");
		a->argv = v;
		o->cap = cap;
	}
	if (!(c = malloc(n + 1)))
		return fail(o, "config.json: out of memory");
	memcpy(c, s, n);
	c[n] = '\0';
	a->argv[a->argc++] = c;
	a->argv[a->argc] = NULL;
	return 0;
}

static int push(struct oci *o, const char *s)
{
	return push_n(o, s, strlen(s));
}

/* A flag and its value, or nothing when the value is NULL. */
static int flag(struct oci *o, const char *name, const char *v)
{
	if (!v)
		return 0;
	return push(o, name) < 0 ? -1 : push(o, v);
}

__attribute__((format(printf, 3, 4))) static int flagf(struct oci *o,
						       const char *name,
						       const char *fmt, ...)
{
	char v[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	return flag(o, name, v);
}

/* v as a C string, or NULL (and err) when present but not one. */
static const char *str(struct oci *o, const struct jr *v, const char *field)
{
	const char *s = jr_cstr(v);

	if (!s)
		fail(o, "%s: not a string without NUL bytes", field);
	return s;
}

/* A boolean field: 1, 0, or dflt when absent; -1 (err) otherwise. */
static int boolean(struct oci *o, const struct jr *v, const char *field,
		   int dflt)
{
	if (!v)
		return dflt;
	if (v->type == JR_TRUE || v->type == JR_FALSE)
		return v->type == JR_TRUE;
	return fail(o, "%s: not a boolean", field);
}

static int is_type(struct oci *o, const struct jr *v, enum jr_type t,
		   const char *field)
{
	static const char *const names[] = { "null",	  "a boolean",
					     "a boolean", "a number",
					     "a string",  "an array",
					     "an object" };

	if (v && v->type != t)
		return fail(o, "%s: not %s", field, names[t]);
	return 0;
}

/* root.path: a relative one is below the bundle, and its '..' may not climb
 * out of it (the spec's intent; runc's securejoin). */
static int root(struct oci *o, const struct jr *spec, const char *bundle)
{
	const struct jr *r = jr_get(spec, "root");
	const char *p, *c;
	char *buf;
	size_t base, n;
	int ro;

	if (!r || is_type(o, r, JR_OBJ, "root") < 0)
		return r ? -1 : fail(o, "root: missing");
	if (!(p = str(o, jr_get(r, "path"), "root.path")) ||
	    (ro = boolean(o, jr_get(r, "readonly"), "root.readonly", 0)) < 0)
		return -1;
	if (!*p)
		return fail(o, "root.path: empty");
	if (p[0] == '/')
		return flag(o, "--rootfs", p) < 0 ||
				       (!ro && push(o, "--rootfs-rw") < 0)
			       ? -1
			       : 0;
	if (bundle[0] != '/')
		return fail(o, "bundle: '%s' is not an absolute path", bundle);
	base = strlen(bundle);
	while (base > 1 && bundle[base - 1] == '/')
		base--;
	if (!(buf = malloc(base + strlen(p) + 2)))
		return fail(o, "config.json: out of memory");
	memcpy(buf, bundle, base);
	n = base;
	for (c = p; *c; c += strspn(c, "/")) {
		size_t k = strcspn(c, "/");

		if (k == 2 && !strncmp(c, "..", 2)) {
			if (n == base) {
				free(buf);
				return fail(o,
					    "root.path: '%s' climbs out "
					    "of the bundle",
					    p);
			}
			while (n > base && buf[--n] != '/')
				;
		} else if (k && !(k == 1 && c[0] == '.')) {
			buf[n++] = '/';
			memcpy(buf + n, c, k);
			n += k;
		}
		c += k;
	}
	buf[n] = '\0';
	n = (size_t)flag(o, "--rootfs", buf);
	free(buf);
	return n || (!ro && push(o, "--rootfs-rw") < 0) ? -1 : 0;
}

/* process.env: the process gets exactly these (OCI), nothing of ours. */
static int env(struct oci *o, const struct jr *e)
{
	char field[32];
	int i = 0;

	if (is_type(o, e, JR_ARR, "process.env") < 0 ||
	    push(o, "--clearenv") < 0)
		return -1;
	for (const struct jr *v = e ? e->kid : NULL; v; v = v->next, i++) {
		const char *s;

		snprintf(field, sizeof(field), "process.env[%d]", i);
		if (!(s = str(o, v, field)))
			return -1;
		if (!strchr(s, '=') || s[0] == '=')
			return fail(o, "%s: '%s' is not KEY=VALUE", field, s);
		if (flag(o, "--env", s) < 0)
			return -1;
	}
	return 0;
}

/* process.args, kept for after "--". */
static int args(struct oci *o, const struct jr *a)
{
	char field[32];
	int i = 0;

	if (!a || is_type(o, a, JR_ARR, "process.args") < 0)
		return a ? -1 : fail(o, "process.args: missing");
	if (!a->kid)
		return fail(o, "process.args: empty");
	if (push(o, "--") < 0)
		return -1;
	for (const struct jr *v = a->kid; v; v = v->next, i++) {
		snprintf(field, sizeof(field), "process.args[%d]", i);
		if (!str(o, v, field) || push(o, v->str) < 0)
			return -1;
	}
	return 0;
}

/* A field's name with an index, for messages: "mounts[3]". */
static const char *at(char *buf, size_t n, const char *field, int i)
{
	snprintf(buf, n, "%s[%d]", field, i);
	return buf;
}

/* Whether argv has "flag name" already: the sets may repeat a name. */
static int has_flag(const struct oci *o, const char *flag, const char *name)
{
	for (int i = 1; i < o->out->argc; i++)
		if (!strcmp(o->out->argv[i - 1], flag) &&
		    !strcmp(o->out->argv[i], name))
			return 1;
	return 0;
}

/* Whether list l (of strings) holds s. */
static int in_list(const struct jr *l, const char *s)
{
	for (const struct jr *v = l ? l->kid : NULL; v; v = v->next)
		if (v->type == JR_STR && !strcmp(v->str, s))
			return 1;
	return 0;
}

/* process.capabilities: the five sets as the workload sees them after its
 * exec. Bounding, inheritable and ambient map to their flags. Effective
 * and permitted become --cap-add where the exec keeps them: for uid 0,
 * those the bounding set has (the kernel keeps no other); for any other
 * uid, only the ambient ones (the rest are lost, as with runc).
 * A name nucleus does not know is refused by the parser when it is in a
 * set that is kept. */
static int caps(struct oci *o, const struct jr *c, int root)
{
	static const char *const sets[] = { "bounding", "inheritable",
					    "ambient", "effective",
					    "permitted" },
				 *const flags[] = { "--cap-bound",
						    "--cap-inheritable",
						    "--cap-ambient",
						    "--cap-add", "--cap-add" };
	const struct jr *bnd = jr_get(c, "bounding"),
			*amb = jr_get(c, "ambient");
	char f[64];

	if (!c || is_type(o, c, JR_OBJ, "process.capabilities") < 0)
		return c ? -1 : 0;
	for (int k = 0; k < 5; k++) {
		const struct jr *l = jr_get(c, sets[k]);
		int i = 0;

		snprintf(f, sizeof(f), "process.capabilities.%s", sets[k]);
		if (is_type(o, l, JR_ARR, f) < 0)
			return -1;
		for (const struct jr *v = l ? l->kid : NULL; v; v = v->next) {
			if (!str(o, v, at(f, sizeof(f), sets[k], i++)))
				return -1;
			if (k >= 3 && (!in_list(bnd, v->str) ||
				       (!root && !in_list(amb, v->str))))
				continue;
			if (!has_flag(o, flags[k], v->str) &&
			    flag(o, flags[k], v->str) < 0)
				return -1;
		}
	}
	return 0;
}

/* A limit of rlimits or resources: -1 and 2^64-1 are unlimited. */
static int limit(const struct jr *v, char *buf, size_t n)
{
	int64_t x;

	if (v && v->type == JR_NUM && !strcmp(v->str, "18446744073709551615"))
		return snprintf(buf, n, "unlimited"), 0;
	if (jr_int(v, -1, INT64_MAX, &x) < 0)
		return -1;
	if (x < 0)
		snprintf(buf, n, "unlimited");
	else
		snprintf(buf, n, "%lld", (long long)x);
	return 0;
}

/* process.rlimits: [{type, soft, hard}] as --rlimit NAME=SOFT:HARD. */
static int rlimits(struct oci *o, const struct jr *l)
{
	char f[32], soft[24], hard[24];
	int i = 0;

	if (is_type(o, l, JR_ARR, "process.rlimits") < 0)
		return -1;
	for (const struct jr *v = l ? l->kid : NULL; v; v = v->next, i++) {
		const char *t = jr_cstr(jr_get(v, "type"));

		at(f, sizeof(f), "process.rlimits", i);
		if (!t || limit(jr_get(v, "soft"), soft, sizeof(soft)) < 0 ||
		    limit(jr_get(v, "hard"), hard, sizeof(hard)) < 0)
			return fail(o, "%s: not {type, soft, hard}", f);
		if (flagf(o, "--rlimit", "%.24s=%s:%s", t, soft, hard) < 0)
			return -1;
	}
	return 0;
}

/* process.user: numeric ids (OCI's), as --user and --groups take them. */
static int user(struct oci *o, const struct jr *u)
{
	const struct jr *g = jr_get(u, "additionalGids");
	char list[256];
	int64_t uid, gid, x;
	size_t n = 0;

	if (!u)
		return 0;
	if (is_type(o, u, JR_OBJ, "process.user") < 0)
		return -1;
	if (jr_int(jr_get(u, "uid"), 0, UINT32_MAX - 1, &uid) < 0 ||
	    jr_int(jr_get(u, "gid"), 0, UINT32_MAX - 1, &gid) < 0)
		return fail(o, "process.user: uid and gid must be numbers "
			       "below 2^32-1");
	if (flagf(o, "--user", "%lld:%lld", (long long)uid, (long long)gid) <
		    0 ||
	    is_type(o, g, JR_ARR, "process.user.additionalGids") < 0)
		return -1;
	if (!g || !g->kid)
		return 0;
	for (const struct jr *v = g->kid; v; v = v->next) {
		if (jr_int(v, 0, UINT32_MAX - 1, &x) < 0 ||
		    n + 12 > sizeof(list))
			return fail(o, "process.user.additionalGids: not a "
				       "short list of gids");
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%lld",
				      n ? "," : "", (long long)x);
	}
	return flag(o, "--groups", list);
}

/* Whether process.user names uid 0 or none (1), else 0. */
static int root_user(const struct jr *u)
{
	int64_t uid = 0;

	jr_int(jr_get(u, "uid"), 0, UINT32_MAX, &uid);
	return uid == 0;
}

static int process(struct oci *o, const struct jr *p)
{
	const struct jr *cwd = jr_get(p, "cwd"), *oom;
	int64_t adj;

	if (!p || is_type(o, p, JR_OBJ, "process") < 0)
		return p ? -1 : fail(o, "process: missing");
	if (cwd &&
	    (!str(o, cwd, "process.cwd") || flag(o, "--chdir", cwd->str) < 0))
		return -1;
	if ((o->out->terminal = boolean(o, jr_get(p, "terminal"),
					"process.terminal", 0)) < 0)
		return -1;
	/* nucleus always sets no_new_privs: false is met by being stricter. */
	if (boolean(o, jr_get(p, "noNewPrivileges"), "process.noNewPrivileges",
		    1) < 0 ||
	    user(o, jr_get(p, "user")) < 0 ||
	    caps(o, jr_get(p, "capabilities"), root_user(jr_get(p, "user"))) <
		    0 ||
	    rlimits(o, jr_get(p, "rlimits")) < 0)
		return -1;
	if ((oom = jr_get(p, "oomScoreAdj")) &&
	    jr_int(oom, -1000, 1000, &adj) < 0)
		return fail(o, "process.oomScoreAdj: not a number from -1000 "
			       "to 1000");
	if (oom && flagf(o, "--oom-score-adj", "%lld", (long long)adj) < 0)
		return -1;
	return env(o, jr_get(p, "env"));
}

/* Whether options (an array of strings) holds opt. */
static int has_opt(const struct jr *opts, const char *opt)
{
	for (const struct jr *v = opts ? opts->kid : NULL; v; v = v->next)
		if (v->type == JR_STR && !strcmp(v->str, opt))
			return 1;
	return 0;
}

/* Options that are no file system's: propagation (every nucleus mount is
 * private), bind's own, and runc's tmpcopyup (podman's, on a read-only
 * root's tmpfs: here the tmpfs starts empty, the image's files below it
 * are not copied up). */
static int skip_opt(const char *o)
{
	static const char *const t[] = {
		"bind",	      "rbind",	     "private",	  "rprivate",
		"shared",     "rshared",     "slave",	  "rslave",
		"unbindable", "runbindable", "tmpcopyup", "notmpcopyup"
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(o, t[i]))
			return 1;
	return 0;
}

/* A file system by type as --mount TYPE DEST:source=SRC,OPTS. */
static int fs_mount(struct oci *o, const char *f, const char *t, const char *d,
		    const char *src, const struct jr *opts)
{
	size_t n = strlen(d) + strlen(src ? src : t) + 9;
	char *v;
	int r;

	if (strchr(d, ':'))
		return fail(o, "%s.destination: '%s' holds a ':'", f, d);
	if (src && (strchr(src, ',') || !*src))
		src = NULL;
	for (const struct jr *x = opts ? opts->kid : NULL; x; x = x->next) {
		if (x->type != JR_STR || strchr(x->str, ',') || !*x->str)
			return fail(o, "%s.options: not a list of words", f);
		n += strlen(x->str) + 1;
	}
	if (!(v = malloc(n)))
		return fail(o, "config.json: out of memory");
	n = (size_t)sprintf(v, "%s:source=%s", d, src ? src : t);
	for (const struct jr *x = opts ? opts->kid : NULL; x; x = x->next)
		if (!skip_opt(x->str))
			n += (size_t)sprintf(v + n, ",%s", x->str);
	r = flag(o, "--mount", t) < 0 ? -1 : push(o, v);
	free(v);
	return r;
}

/* One mounts[] entry, in the config's order: a bind, or a file system of
 * its own; a cgroup file system is left out (nucleus shows no cgroup
 * tree), and a type with no flag is refused. */
static int mount1(struct oci *o, const struct jr *m, const char *f,
		  const char *bundle)
{
	const char *d = jr_cstr(jr_get(m, "destination")),
		   *t = jr_cstr(jr_get(m, "type")),
		   *src = jr_cstr(jr_get(m, "source"));
	const struct jr *opts = jr_get(m, "options");
	int ro = has_opt(opts, "ro");
	char *abs;
	int r;

	if (!d || is_type(o, opts, JR_ARR, f) < 0)
		return d ? -1 : fail(o, "%s.destination: missing", f);
	if (has_opt(opts, "bind") || has_opt(opts, "rbind") ||
	    (t && !strcmp(t, "bind"))) {
		if (!src || !*src)
			return fail(o, "%s.source: missing", f);
		if (src[0] == '/')
			return flag(o, ro ? "--ro-bind" : "--bind", src) < 0
				       ? -1
				       : push(o, d);
		if (!(abs = malloc(strlen(bundle) + strlen(src) + 2)))
			return fail(o, "config.json: out of memory");
		sprintf(abs, "%s/%s", bundle, src);
		r = flag(o, ro ? "--ro-bind" : "--bind", abs);
		free(abs);
		return r < 0 ? -1 : push(o, d);
	}
	if (!t)
		return fail(o, "%s.type: missing", f);
	if (!strcmp(t, "cgroup") || !strcmp(t, "cgroup2"))
		return 0;
	if (!strcmp(t, "tmpfs") || !strcmp(t, "proc") || !strcmp(t, "devpts") ||
	    !strcmp(t, "mqueue") || !strcmp(t, "sysfs"))
		return fs_mount(o, f, t, d, src, opts);
	return fail(o, "%s: type '%s' is not supported", f, t);
}

/* A list of paths as one flag each: maskedPaths, readonlyPaths. */
static int paths(struct oci *o, const struct jr *l, const char *field,
		 const char *name)
{
	char f[48];
	int i = 0;

	if (is_type(o, l, JR_ARR, field) < 0)
		return -1;
	for (const struct jr *v = l ? l->kid : NULL; v; v = v->next, i++)
		if (!str(o, v, at(f, sizeof(f), field, i)) ||
		    flag(o, name, v->str) < 0)
			return -1;
	return 0;
}

/* linux.devices: each as --device TYPE:MAJOR:MINOR:MODE[:UID:GID] PATH
 * ("u", unbuffered, is a character device to mknod). */
static int devices(struct oci *o, const struct jr *l)
{
	char f[40], spec[96];
	int i = 0;

	if (is_type(o, l, JR_ARR, "linux.devices") < 0)
		return -1;
	for (const struct jr *d = l ? l->kid : NULL; d; d = d->next, i++) {
		const char *t = jr_cstr(jr_get(d, "type")),
			   *p = jr_cstr(jr_get(d, "path"));
		int64_t maj = 0, min = 0, mode = 0666, uid = -1, gid = -1;
		int n;

		at(f, sizeof(f), "linux.devices", i);
		if (!t || !p || strlen(t) != 1 || !strchr("cubp", *t) ||
		    (*t != 'p' &&
		     (jr_int(jr_get(d, "major"), 0, 4095, &maj) < 0 ||
		      jr_int(jr_get(d, "minor"), 0, 1048575, &min) < 0)) ||
		    (jr_get(d, "fileMode") &&
		     jr_int(jr_get(d, "fileMode"), 0, 07777, &mode) < 0) ||
		    (jr_get(d, "uid") &&
		     jr_int(jr_get(d, "uid"), 0, UINT32_MAX - 1, &uid) < 0) ||
		    (jr_get(d, "gid") &&
		     jr_int(jr_get(d, "gid"), 0, UINT32_MAX - 1, &gid) < 0))
			return fail(o,
				    "%s: not {path, type c/u/b/p, major, "
				    "minor, fileMode, uid, gid}",
				    f);
		n = snprintf(spec, sizeof(spec), "%c:%lld:%lld:%llo",
			     *t == 'u' ? 'c' : *t, (long long)maj,
			     (long long)min, (unsigned long long)mode);
		if (uid >= 0 || gid >= 0)
			snprintf(spec + n, sizeof(spec) - (size_t)n,
				 ":%lld:%lld", (long long)(uid < 0 ? 0 : uid),
				 (long long)(gid < 0 ? 0 : gid));
		if (flag(o, "--device", spec) < 0 || push(o, p) < 0)
			return -1;
	}
	return 0;
}

/* The config's mounts are the container's: nucleus adds none of its own
 * (--no-default-mounts) but the standard devices the spec requires, in
 * the image's /dev when no mount gives one; then the masked and
 * read-only paths, over them. */
static int mounts(struct oci *o, const struct jr *spec, const char *bundle)
{
	const struct jr *l = jr_get(spec, "mounts"),
			*lin = jr_get(spec, "linux");
	char f[32];
	int i = 0;

	if (is_type(o, l, JR_ARR, "mounts") < 0 ||
	    push(o, "--no-default-mounts") < 0 ||
	    push(o, "--mkdir-mountpoints") < 0)
		return -1;
	for (const struct jr *m = l ? l->kid : NULL; m; m = m->next, i++)
		if (mount1(o, m, at(f, sizeof(f), "mounts", i), bundle) < 0)
			return -1;
	if (is_type(o, lin, JR_OBJ, "linux") < 0 ||
	    devices(o, jr_get(lin, "devices")) < 0)
		return -1;
	return paths(o, jr_get(lin, "maskedPaths"), "linux.maskedPaths",
		     "--mask") < 0
		       ? -1
		       : paths(o, jr_get(lin, "readonlyPaths"),
			       "linux.readonlyPaths", "--remount-ro");
}

/* linux.uidMappings, gidMappings: --uid-map, --gid-map, with a user
 * namespace only; the parser refuses host id 0, overlaps, too many. */
static int idmaps(struct oci *o, const struct jr *lin, int user)
{
	static const char *const f[] = { "linux.uidMappings",
					 "linux.gidMappings" },
				 *const key[] = { "containerID", "hostID",
						  "size" };

	for (int k = 0; k < 2; k++) {
		const struct jr *l = jr_get(lin, f[k] + 6);
		int64_t x[3];

		if (is_type(o, l, JR_ARR, f[k]) < 0)
			return -1;
		if (l && l->kid && !user)
			return fail(o, "%s: needs a user namespace", f[k]);
		for (const struct jr *v = l ? l->kid : NULL; v; v = v->next) {
			for (int j = 0; j < 3; j++)
				if (jr_int(jr_get(v, key[j]), 0, UINT32_MAX,
					   &x[j]))
					return fail(o, "%s: no number %s", f[k],
						    key[j]);
			if (flagf(o, k ? "--gid-map" : "--uid-map",
				  "%lld:%lld:%lld", (long long)x[0],
				  (long long)x[1], (long long)x[2]) < 0)
				return -1;
		}
	}
	return 0;
}

/* linux.namespaces: what the spec leaves out is the host's (--share);
 * a network, ipc or uts one with a path is entered (--join-ns). */
static int namespaces(struct oci *o, const struct jr *l)
{
	static const char *const shared[] = { "network", "ipc", "uts", "pid" },
				 *const flags[] = { "net", "ipc", "uts",
						    "pid" };
	const struct jr *ns = jr_get(l, "namespaces");
	char f[40];
	int i = 0, have = 0, user = 0;

	if (is_type(o, ns, JR_ARR, "linux.namespaces") < 0)
		return -1;
	for (const struct jr *v = ns ? ns->kid : NULL; v; v = v->next, i++) {
		const char *t = jr_cstr(jr_get(v, "type"));
		int k = 0;

		at(f, sizeof(f), "linux.namespaces", i);
		if (!t)
			return fail(o, "%s: no type", f);
		while (k < 4 && strcmp(t, shared[k]))
			k++;
		if (jr_get(v, "path") && k < 4) { /* net, ipc, uts, pid */
			if (!str(o, jr_get(v, "path"), f) ||
			    flag(o, "--join-ns", flags[k]) < 0 ||
			    push(o, jr_get(v, "path")->str) < 0)
				return -1;
		} else if (jr_get(v, "path"))
			return fail(o,
				    "%s.path: joining a %s namespace is not "
				    "supported yet",
				    f, t);
		if (k < 4)
			have |= 1 << k;
		else if (!strcmp(t, "user"))
			user = 1;
		else if (strcmp(t, "mount") && strcmp(t, "cgroup"))
			return fail(o, "%s: type '%s' is not supported", f, t);
	}
	for (int k = 0; k < 4; k++)
		if (!(have & 1 << k) && flag(o, "--share", flags[k]) < 0)
			return -1;
	if (user && push(o, "--userns") < 0)
		return -1;
	return idmaps(o, l, user);
}

/* linux.resources.blockIO's throttle lists as --io-max, one per device
 * (the flag's form: "MAJ:MIN rbps=N wbps=N riops=N wiops=N"). */
static int blkio(struct oci *o, const struct jr *b)
{
	static const char *const list[] = { "throttleReadBpsDevice",
					    "throttleWriteBpsDevice",
					    "throttleReadIOPSDevice",
					    "throttleWriteIOPSDevice" },
				 *const key[] = { "rbps", "wbps", "riops",
						  "wiops" };
	struct {
		int64_t maj, min;
		char spec[160];
	} d[8];
	int n = 0;

	for (int l = 0; l < 4; l++)
		for (const struct jr *e = jr_get(b, list[l])
						  ? jr_get(b, list[l])->kid
						  : NULL;
		     e; e = e->next) {
			int64_t maj, min, rate;
			int i = 0;

			if (jr_int(jr_get(e, "major"), 0, UINT32_MAX, &maj) <
				    0 ||
			    jr_int(jr_get(e, "minor"), 0, UINT32_MAX, &min) <
				    0 ||
			    jr_int(jr_get(e, "rate"), 0, INT64_MAX, &rate) < 0)
				return fail(o,
					    "linux.resources.blockIO.%s: not "
					    "{major, minor, rate}",
					    list[l]);
			while (i < n && (d[i].maj != maj || d[i].min != min))
				i++;
			if (i == n) {
				if (n == 8)
					return fail(o, "linux.resources."
						       "blockIO: more than 8 "
						       "devices");
				d[n].maj = maj, d[n].min = min;
				snprintf(d[n++].spec, sizeof(d[0].spec),
					 "%lld:%lld", (long long)maj,
					 (long long)min);
			}
			snprintf(d[i].spec + strlen(d[i].spec),
				 sizeof(d[0].spec) - strlen(d[i].spec),
				 " %s=%lld", key[l], (long long)rate);
		}
	for (int i = 0; i < n; i++)
		if (flag(o, "--io-max", d[i].spec) < 0)
			return -1;
	return 0;
}

/* linux.resources: memory (limit, swap), pids, cpu (quota, shares, cpus)
 * and blockIO's throttles, each to its flag. The rest (reservations,
 * hugepages, realtime, network classes, device rules) has no flag yet and
 * is not applied: README says so. */
static int resources(struct oci *o, const struct jr *r)
{
	const struct jr *cpu = jr_get(r, "cpu"), *mem = jr_get(r, "memory");
	int64_t q, p, m = -1, n = -1, sw = -1, sh = 0;

	if (!r || is_type(o, r, JR_OBJ, "linux.resources") < 0)
		return r ? -1 : 0;
	if ((jr_get(mem, "limit") &&
	     jr_int(jr_get(mem, "limit"), -1, INT64_MAX, &m) < 0) ||
	    (jr_get(mem, "swap") &&
	     jr_int(jr_get(mem, "swap"), -1, INT64_MAX, &sw) < 0))
		return fail(o, "linux.resources.memory: limit and swap must "
			       "be numbers");
	if (jr_get(jr_get(r, "pids"), "limit") &&
	    jr_int(jr_get(jr_get(r, "pids"), "limit"), -1, INT64_MAX, &n) < 0)
		return fail(o, "linux.resources.pids.limit: not a number");
	if (jr_get(cpu, "shares") &&
	    jr_int(jr_get(cpu, "shares"), 0, 262144, &sh) < 0)
		return fail(o, "linux.resources.cpu.shares: not 0-262144");
	/* swap is memory plus swap, as v1's memsw: the flag wants the swap */
	if (m > 0 && sw > 0 && sw < m)
		return fail(o, "linux.resources.memory.swap: below the limit");
	/* shares 1024 (v1's default) is weight 100 (v2's), as nucleus writes */
	if ((m > 0 && flagf(o, "--memory", "%lld", (long long)m) < 0) ||
	    (m > 0 && sw > 0 &&
	     flagf(o, "--memory-swap", "%lld", (long long)(sw - m)) < 0) ||
	    (n > 0 && flagf(o, "--pids", "%lld", (long long)n) < 0) ||
	    (sh > 0 &&
	     flagf(o, "--cpu-weight", "%lld",
		   (long long)(sh * 100 / 1024 < 1 ? 1 : sh * 100 / 1024)) <
		     0) ||
	    (jr_get(cpu, "cpus") &&
	     (!str(o, jr_get(cpu, "cpus"), "linux.resources.cpu.cpus") ||
	      flag(o, "--cpuset", jr_get(cpu, "cpus")->str) < 0)) ||
	    blkio(o, jr_get(r, "blockIO")) < 0)
		return -1;
	if (!jr_get(cpu, "quota"))
		return 0;
	if (jr_int(jr_get(cpu, "quota"), -1, INT64_MAX / 1000, &q) < 0 ||
	    jr_int(jr_get(cpu, "period"), 1, INT64_MAX, &p) < 0)
		return fail(o, "linux.resources.cpu: quota and period must be "
			       "numbers");
	q = q * 1000 / p; /* thousandths of a CPU */
	return q <= 0 ? 0
		      : flagf(o, "--cpus", "%lld.%03lld", (long long)(q / 1000),
			      (long long)(q % 1000));
}

/* One value of the tree back to JSON text, as it was given (numbers keep
 * their text): nucleus-policy reads the profile, not this front-end. */
static void tree_json(struct json *j, const struct jr *v)
{
	switch (v->type) {
	case JR_NULL:
		json_raw(j, v->key, "null");
		return;
	case JR_FALSE:
	case JR_TRUE:
		json_bool(j, v->key, v->type == JR_TRUE);
		return;
	case JR_NUM:
		json_raw(j, v->key, v->str);
		return;
	case JR_STR:
		json_strn(j, v->key, v->str, v->len);
		return;
	case JR_ARR:
		json_list(j, v->key);
		break;
	case JR_OBJ:
		json_begin(j, v->key);
		break;
	}
	for (const struct jr *k = v->kid; k; k = k->next)
		tree_json(j, k);
	if (v->type == JR_ARR)
		json_list_end(j);
	else
		json_close(j);
}

/* linux.seccomp: the profile is handed on whole, as a file the verb
 * writes, so the filter is the one `--seccomp-profile FILE.json` compiles.
 * Its flags (TSYNC, LOG, SPEC_ALLOW) are not applied: nucleus loads its
 * filter before any thread exists and keeps the speculation mitigations;
 * a seccomp notify listener is refused. */
static int seccomp(struct oci *o, const struct jr *s)
{
	struct json j;
	const char *t;

	if (!s || is_type(o, s, JR_OBJ, "linux.seccomp") < 0)
		return s ? -1 : 0;
	if (jr_get(s, "listenerPath"))
		return fail(o, "linux.seccomp.listenerPath: not supported yet");
	if (!jr_get(s, "defaultAction"))
		return fail(o, "linux.seccomp: no defaultAction");
	json_start(&j);
	for (const struct jr *k = s->kid; k; k = k->next)
		tree_json(&j, k);
	if (!(t = json_end(&j))) {
		json_free(&j);
		return fail(o, "config.json: out of memory");
	}
	o->out->seccomp = j.buf;
	return flag(o, "--seccomp-profile",
		    o->out->seccomp_path ? o->out->seccomp_path
					 : "seccomp.json");
}

/* linux.sysctl: {"key": "value"} as --sysctl KEY=VALUE; which keys the
 * sandbox may set is the plan's rule (runc's: only namespaced ones). */
static int sysctls(struct oci *o, const struct jr *s)
{
	char kv[256];

	if (!s || is_type(o, s, JR_OBJ, "linux.sysctl") < 0)
		return s ? -1 : 0;
	for (const struct jr *v = s->kid; v; v = v->next) {
		if (!jr_cstr(v) || strlen(v->key) + v->len + 2 > sizeof(kv))
			return fail(o,
				    "linux.sysctl: '%.64s': not a short "
				    "string",
				    v->key);
		snprintf(kv, sizeof(kv), "%s=%s", v->key, v->str);
		if (flag(o, "--sysctl", kv) < 0)
			return -1;
	}
	return 0;
}

/* Fields that change what the sandbox is, with no flag yet: refused. */
static int unsupported(struct oci *o, const struct jr *spec)
{
	static const char *const in[] = { "createContainer", "startContainer" },
				 *const lin[] = { "intelRdt" };
	const struct jr *h = jr_get(spec, "hooks");

	/* The other hooks are the verbs' (runtime/oci_hooks.c). */
	if (is_type(o, h, JR_OBJ, "hooks") < 0)
		return -1;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		if (jr_get(h, in[i]))
			return fail(o,
				    "hooks.%s: a hook inside the container is "
				    "not supported yet",
				    in[i]);
	for (size_t i = 0; i < sizeof(lin) / sizeof(lin[0]); i++)
		if (jr_get(jr_get(spec, "linux"), lin[i]))
			return fail(o, "linux.%s: not supported yet", lin[i]);
	/* here rather than in translate(): one call where the refusal was */
	return sysctls(o, jr_get(jr_get(spec, "linux"), "sysctl"));
}

/* annotations "run.nucleus.*": what config.json has no field for; other
 * keys are other tools' and are ignored. mode: agent or production;
 * landlock.ro, .rw, .exec: ':'-separated paths the rules add (README). A
 * production container refuses an AppArmor or SELinux label: nucleus
 * enforces neither, and production never runs on what it cannot. */
static int annotations(struct oci *o, const struct jr *spec, const struct jr *p)
{
	static const char *const keys[] = { "run.nucleus.mode",
					    "run.nucleus.landlock.ro",
					    "run.nucleus.landlock.rw",
					    "run.nucleus.landlock.exec" },
				 *const flags[] = { "--mode", "--landlock-ro",
						    "--landlock-rw",
						    "--landlock-exec" };
	const struct jr *a = jr_get(spec, "annotations");
	const char *v;

	if (is_type(o, a, JR_OBJ, "annotations") < 0)
		return -1;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		if (!jr_get(a, keys[k]))
			continue;
		if (!(v = str(o, jr_get(a, keys[k]), keys[k])))
			return -1;
		if (!k && flag(o, flags[k], v) < 0)
			return -1;
		if (!k && !strcmp(v, "production") &&
		    (jr_get(p, "apparmorProfile") || jr_get(p, "selinuxLabel")))
			return fail(o, "process: an AppArmor or SELinux label "
				       "is not enforced by nucleus: production "
				       "refuses it");
		for (const char *c = v; k && *c; c += strspn(c, ":")) {
			size_t n = strcspn(c, ":");

			if (n && (push(o, flags[k]) < 0 || push_n(o, c, n) < 0))
				return -1;
			c += n;
		}
	}
	return 0;
}

static int version(struct oci *o, const struct jr *spec)
{
	const char *v = str(o, jr_get(spec, "ociVersion"), "ociVersion");

	if (!v)
		return -1;
	if (strncmp(v, "1.", 2))
		return fail(o, "ociVersion: '%s' is not 1.x", v);
	return 0;
}

/* p: config.json's process, or exec's process.json in its place. */
static int translate(struct oci *o, const struct jr *spec, const struct jr *p,
		     const char *bundle)
{
	const struct jr *h;

	if (is_type(o, spec, JR_OBJ, "config.json") < 0 ||
	    version(o, spec) < 0 || push(o, "nucleus") < 0 ||
	    root(o, spec, bundle) < 0 || process(o, p) < 0)
		return -1;
	if ((h = jr_get(spec, "hostname")) &&
	    (!str(o, h, "hostname") || flag(o, "--hostname", h->str) < 0))
		return -1;
	if (unsupported(o, spec) < 0 || mounts(o, spec, bundle) < 0 ||
	    is_type(o, jr_get(spec, "linux"), JR_OBJ, "linux") < 0 ||
	    namespaces(o, jr_get(spec, "linux")) < 0 ||
	    resources(o, jr_get(jr_get(spec, "linux"), "resources")) < 0 ||
	    seccomp(o, jr_get(jr_get(spec, "linux"), "seccomp")) < 0 ||
	    annotations(o, spec, p) < 0)
		return -1;
	return args(o, jr_get(p, "args"));
}

int oci_argv_process(const char *json, size_t len, const char *proc,
		     size_t plen, const char *bundle, struct oci_args *out,
		     char *err, size_t errlen)
{
	struct oci o = { out, 0, err, errlen };
	char why[160];
	struct jr *spec = jr_parse(json, len, why, sizeof(why)), *p = NULL;
	int r = -1;

	out->argc = 0;
	out->argv = NULL;
	out->seccomp = NULL;
	if (!spec)
		return fail(&o, "config.json: %s", why);
	if (proc && !(p = jr_parse(proc, plen, why, sizeof(why))))
		fail(&o, "process.json: %s", why);
	else
		r = translate(&o, spec, proc ? p : jr_get(spec, "process"),
			      bundle);
	jr_free(p);
	jr_free(spec);
	if (r < 0) {
		for (int i = 0; i < out->argc; i++)
			free(out->argv[i]);
		free(out->argv);
		free(out->seccomp);
		out->seccomp = NULL;
		out->argc = 0;
		out->argv = NULL;
	}
	return r;
}

int oci_argv(const char *json, size_t len, const char *bundle,
	     struct oci_args *out, char *err, size_t errlen)
{
	return oci_argv_process(json, len, NULL, 0, bundle, out, err, errlen);
}
