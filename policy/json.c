// SPDX-License-Identifier: MIT
/*
 * Import of docker/OCI seccomp profiles (`--seccomp-profile x.json`), which
 * users have years of: defaultAction (+ defaultErrnoRet), architectures,
 * and syscalls[] with names, action, errnoRet, args, and Docker's
 * includes/excludes. A small streaming JSON reader over the profile's schema
 * fills the same struct policy as the text format, so both compile the same
 * way. Semantics follow runc: unknown syscall names are skipped (profiles
 * list calls newer than our libseccomp), several args on the same index are
 * separate rules (OR), the others of one entry are ANDed.
 */
#include "policy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_NAME 64
#define MAX_NAMES 1024
#define MAX_JSON_DEPTH 32

struct json {
	const char *s, *file, *kernel;
	size_t len, pos;
	unsigned line;
	int depth;
	char *err;
	size_t errlen;
};

/* One syscalls[] entry while it is read. */
struct entry {
	char (*names)[MAX_NAME];
	int nnames;
	uint32_t action;
	int has_action, has_errno, skip;
	uint32_t errno_ret;
	struct policy_cond cond[6];
	int ncond, same_index;
};

__attribute__((format(printf, 2, 3))) static int jfail(struct json *j,
						       const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(j->err, j->errlen, "%s:%u: %s", j->file, j->line, why);
	/* Bytes of the profile are quoted back: keep the message one line. */
	for (char *p = j->err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

static int peek(struct json *j)
{
	while (j->pos < j->len) {
		char c = j->s[j->pos];

		if (c == '\n')
			j->line++;
		else if (c != ' ' && c != '\t' && c != '\r')
			return (unsigned char)c;
		j->pos++;
	}
	return -1;
}

static int expect(struct json *j, char c)
{
	if (peek(j) != c)
		return jfail(j, "bad JSON: expected '%c'", c);
	j->pos++;
	return 0;
}

/* A string into buf (cut at cap-1 bytes: names and actions are short). */
static int jstring(struct json *j, char *buf, size_t cap)
{
	size_t n = 0;

	if (expect(j, '"') < 0)
		return -1;
	while (j->pos < j->len && j->s[j->pos] != '"') {
		char c = j->s[j->pos++];

		if ((unsigned char)c < 0x20)
			return jfail(j, "bad JSON: control character in a "
					"string");
		if (c == '\\') {
			if (j->pos >= j->len)
				break;
			c = j->s[j->pos++];
			if (c == 'u') {
				if (j->len - j->pos < 4)
					break;
				j->pos += 4;
				c = '?';
			} else if (!c || !strchr("\"\\/bfnrt", c)) {
				return jfail(j, "bad JSON: escape \\%c", c);
			}
		}
		if (n + 1 < cap)
			buf[n++] = c;
	}
	if (cap)
		buf[n] = '\0';
	return expect(j, '"');
}

/* An integer, negative ones as the kernel sees them (two's complement). */
static int jnumber(struct json *j, uint64_t *v)
{
	int neg = 0;
	uint64_t x = 0;

	if (peek(j) == '-')
		neg = 1, j->pos++;
	if (j->pos >= j->len || j->s[j->pos] < '0' || j->s[j->pos] > '9')
		return jfail(j, "bad JSON: expected a number");
	while (j->pos < j->len && j->s[j->pos] >= '0' && j->s[j->pos] <= '9') {
		unsigned d = (unsigned)(j->s[j->pos++] - '0');

		if (x > (UINT64_MAX - d) / 10)
			return jfail(j, "number out of range");
		x = x * 10 + d;
	}
	if (j->pos < j->len && strchr(".eE", j->s[j->pos]))
		return jfail(j, "expected an integer");
	*v = neg ? (uint64_t)0 - x : x;
	return 0;
}

static int jskip(struct json *j);

/* Walks an array or object: each call says whether another item follows
 * and, in an object, reads its key. `first` is set by the caller to 1. */
static int jnext(struct json *j, char close, int *first, char *key,
		 size_t keycap)
{
	int c = peek(j);

	if (c == close)
		return j->pos++, j->depth--, 0;
	if (!*first && (expect(j, ',') < 0))
		return -1;
	*first = 0;
	if (close == '}' && (jstring(j, key, keycap) < 0 || expect(j, ':') < 0))
		return -1;
	return 1;
}

static int jopen(struct json *j, char open)
{
	if (++j->depth > MAX_JSON_DEPTH)
		return jfail(j, "JSON nested deeper than %d", MAX_JSON_DEPTH);
	return expect(j, open);
}

static int jskip(struct json *j)
{
	int c = peek(j), first = 1, r;
	char key[8];
	uint64_t v;

	if (c == '"')
		return jstring(j, key, 0);
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';

		if (jopen(j, (char)c) < 0)
			return -1;
		while ((r = jnext(j, close, &first, key, 0)) > 0)
			if (jskip(j) < 0)
				return -1;
		return r;
	}
	for (const char *w = "true\0false\0null\0"; *w; w += strlen(w) + 1)
		if (j->len - j->pos >= strlen(w) &&
		    !memcmp(j->s + j->pos, w, strlen(w)))
			return j->pos += strlen(w), 0;
	return jnumber(j, &v);
}

/* SCMP_ACT_* to a SECCOMP_RET_* base; the errno is added later. */
static int jaction(struct json *j, const char *s, uint32_t *act)
{
	static const struct {
		const char *name;
		uint32_t act;
	} acts[] = {
		{ "SCMP_ACT_ALLOW", 0x7fff0000U },
		{ "SCMP_ACT_ERRNO", 0x00050000U },
		{ "SCMP_ACT_KILL", 0x00000000U },
		{ "SCMP_ACT_KILL_THREAD", 0x00000000U },
		{ "SCMP_ACT_KILL_PROCESS", 0x80000000U },
		{ "SCMP_ACT_TRAP", 0x00030000U },
		{ "SCMP_ACT_TRACE", 0x7ff00000U },
		{ "SCMP_ACT_LOG", 0x7ffc0000U },
	};

	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		if (strcmp(s, acts[i].name) == 0)
			return *act = acts[i].act, 0;
	if (strcmp(s, "SCMP_ACT_NOTIFY") == 0)
		return jfail(j, "SCMP_ACT_NOTIFY needs a listener, which "
				"nucleus does not provide");
	return jfail(j, "unknown action '%s'", s);
}

/* ERRNO and TRACE carry a number; OCI's default for it is EPERM. */
static uint32_t with_errno(uint32_t act, int has, uint32_t e)
{
	if (act == 0x00050000U || act == 0x7ff00000U)
		return act | (has ? e & 0xffffU : EPERM);
	return act;
}

static int jerrno(struct json *j, uint32_t *e)
{
	uint64_t v;

	if (jnumber(j, &v) < 0)
		return -1;
	if (v > 4095)
		return jfail(j, "errnoRet %llu out of range (0-4095)",
			     (unsigned long long)v);
	*e = (uint32_t)v;
	return 0;
}

/* "SCMP_ARCH_X86_64" or "x86_64"; only ours counts (native arch only). */
static int jarches(struct json *j, int *native)
{
	static const char *const known[] = {
		"X86",	       "X86_64", "X32",	      "ARM",	 "AARCH64",
		"MIPS",	       "MIPS64", "MIPS64N32", "MIPSEL",	 "MIPSEL64",
		"MIPSEL64N32", "PPC",	 "PPC64",     "PPC64LE", "S390",
		"S390X",       "PARISC", "PARISC64",  "RISCV64", "LOONGARCH64",
		"M68K",	       "SH",	 "SHEB",
	};
	char s[MAX_NAME], *n;
	int first = 1, r, ok;

	if (jopen(j, '[') < 0)
		return -1;
	while ((r = jnext(j, ']', &first, NULL, 0)) > 0) {
		if (jstring(j, s, sizeof(s)) < 0)
			return -1;
		n = strncmp(s, "SCMP_ARCH_", 10) ? s : s + 10;
		ok = 0;
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			ok |= !strcasecmp(n, known[i]);
		if (!ok)
			return jfail(j, "unknown architecture '%s'", s);
#if defined(__x86_64__)
		*native |= !strcasecmp(n, "X86_64");
#elif defined(__aarch64__)
		*native |= !strcasecmp(n, "AARCH64");
#endif
	}
	return r;
}

static int jnames(struct json *j, struct entry *e)
{
	int first = 1, r;

	if (peek(j) == '"') /* the older "name": "read" */
		return e->nnames >= MAX_NAMES
			       ? jfail(j, "too many names")
			       : jstring(j, e->names[e->nnames++], MAX_NAME);
	if (jopen(j, '[') < 0)
		return -1;
	while ((r = jnext(j, ']', &first, NULL, 0)) > 0) {
		if (e->nnames >= MAX_NAMES)
			return jfail(j, "more than %d names in one entry",
				     MAX_NAMES);
		if (jstring(j, e->names[e->nnames++], MAX_NAME) < 0)
			return -1;
	}
	return r;
}

static int jop(struct json *j, const char *s, uint8_t *op)
{
	static const char *const ops[] = { "SCMP_CMP_NE",	"SCMP_CMP_LT",
					   "SCMP_CMP_LE",	"SCMP_CMP_EQ",
					   "SCMP_CMP_GE",	"SCMP_CMP_GT",
					   "SCMP_CMP_MASKED_EQ" };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(s, ops[i]) == 0)
			return *op = (uint8_t)(i + POP_NE), 0;
	return jfail(j, "unknown op '%s'", s);
}

/* {"index": N, "value": V, "valueTwo": W, "op": "SCMP_CMP_..."} */
static int jarg(struct json *j, struct entry *e)
{
	struct policy_cond c = { .arg = 6 };
	uint64_t v = 0, w = 0, idx = 6;
	char key[32], s[MAX_NAME];
	int first = 1, r;

	if (e->ncond == 6)
		return jfail(j, "more than 6 args in one entry");
	if (jopen(j, '{') < 0)
		return -1;
	while ((r = jnext(j, '}', &first, key, sizeof(key))) > 0) {
		if (!strcmp(key, "index"))
			r = jnumber(j, &idx);
		else if (!strcmp(key, "value"))
			r = jnumber(j, &v);
		else if (!strcmp(key, "valueTwo"))
			r = jnumber(j, &w);
		else if (!strcmp(key, "op"))
			r = jstring(j, s, sizeof(s)) < 0 ? -1
							 : jop(j, s, &c.op);
		else
			r = jskip(j);
		if (r < 0)
			return -1;
	}
	if (r < 0 || idx > 5 || !c.op)
		return r < 0 ? -1 : jfail(j, "an arg needs index 0-5 and op");
	c.arg = (uint8_t)idx;
	c.mask = c.op == POP_MASKED_EQ ? v : UINT64_MAX;
	c.val = c.op == POP_MASKED_EQ ? w : v;
	for (int i = 0; i < e->ncond; i++)
		e->same_index |= e->cond[i].arg == c.arg;
	e->cond[e->ncond++] = c;
	return 0;
}

static int jargs(struct json *j, struct entry *e)
{
	int first = 1, r;

	if (peek(j) == 'n') /* "args": null */
		return jskip(j);
	if (jopen(j, '[') < 0)
		return -1;
	while ((r = jnext(j, ']', &first, NULL, 0)) > 0)
		if (jarg(j, e) < 0)
			return -1;
	return r;
}

/* "4.8" against the running kernel's release: is it at least that? */
static int kernel_at_least(const char *have, const char *want)
{
	unsigned hmaj = 0, hmin = 0, wmaj = 0, wmin = 0;

	if (!have || sscanf(have, "%u.%u", &hmaj, &hmin) < 1 ||
	    sscanf(want, "%u.%u", &wmaj, &wmin) < 1)
		return 1;
	return hmaj != wmaj ? hmaj > wmaj : hmin >= wmin;
}

static int is_native_arch(const char *s)
{
#if defined(__x86_64__)
	return !strcmp(s, "amd64") || !strcmp(s, "x86_64");
#elif defined(__aarch64__)
	return !strcmp(s, "arm64") || !strcmp(s, "aarch64");
#endif
}

/* Docker's "includes"/"excludes": {caps, arches, minKernel}. Entries that
 * need a capability are left out: the sandbox keeps none by default. */
static int jfilter(struct json *j, struct entry *e, int include)
{
	char key[32], s[MAX_NAME];
	int first = 1, r;

	if (jopen(j, '{') < 0)
		return -1;
	while ((r = jnext(j, '}', &first, key, sizeof(key))) > 0) {
		int f2 = 1, native = 0, any = 0, r2;

		if (!strcmp(key, "minKernel")) {
			if (jstring(j, s, sizeof(s)) < 0)
				return -1;
			e->skip |= include && !kernel_at_least(j->kernel, s);
			continue;
		}
		if (strcmp(key, "caps") && strcmp(key, "arches")) {
			if (jskip(j) < 0)
				return -1;
			continue;
		}
		if (jopen(j, '[') < 0)
			return -1;
		while ((r2 = jnext(j, ']', &f2, NULL, 0)) > 0) {
			if (jstring(j, s, sizeof(s)) < 0)
				return -1;
			any = 1;
			native |= is_native_arch(s);
		}
		if (r2 < 0)
			return -1;
		if (!strcmp(key, "caps"))
			e->skip |= include && any;
		else
			e->skip |= include ? any && !native : native;
	}
	return r;
}

static int entry_add(struct policy *p, struct entry *e)
{
	uint32_t act = with_errno(e->action, e->has_errno, e->errno_ret);

	for (int i = 0; i < e->nnames; i++) {
		struct policy_rule r = { .action = act };
		int nr = policy_syscall_nr(e->names[i]);

		if (nr < 0) { /* newer than libseccomp, or another arch's */
			p->skipped++;
			continue;
		}
		r.nr = nr;
		/* runc: args on the same index are alternatives (OR). */
		for (int k = 0; e->same_index && k < e->ncond; k++) {
			r.ncond = 1;
			r.cond[0] = e->cond[k];
			if (policy_add(p, &r, 0) < 0)
				return -1;
		}
		if (e->same_index)
			continue;
		r.ncond = (uint8_t)e->ncond;
		memcpy(r.cond, e->cond, sizeof(r.cond));
		if (policy_add(p, &r, 0) < 0)
			return -1;
	}
	return 0;
}

static int jentry_key(struct json *j, struct entry *e, const char *key)
{
	char s[MAX_NAME];

	if (!strcmp(key, "names") || !strcmp(key, "name"))
		return jnames(j, e);
	if (!strcmp(key, "action"))
		return jstring(j, s, sizeof(s)) < 0
			       ? -1
			       : (e->has_action = 1, jaction(j, s, &e->action));
	if (!strcmp(key, "errnoRet"))
		return e->has_errno = 1, jerrno(j, &e->errno_ret);
	if (!strcmp(key, "args"))
		return jargs(j, e);
	if (!strcmp(key, "includes") || !strcmp(key, "excludes"))
		return jfilter(j, e, key[0] == 'i');
	return jskip(j);
}

static int jentry(struct json *j, struct policy *p, char (*names)[MAX_NAME])
{
	struct entry e = { .names = names };
	unsigned line = j->line;
	char key[32];
	int first = 1, r;

	if (jopen(j, '{') < 0)
		return -1;
	while ((r = jnext(j, '}', &first, key, sizeof(key))) > 0)
		if (jentry_key(j, &e, key) < 0)
			return -1;
	if (r < 0)
		return -1;
	if (!e.has_action)
		return j->line = line, jfail(j, "a syscalls entry without "
						"an action");
	if (e.skip)
		return 0;
	return entry_add(p, &e) < 0 ? jfail(j, "out of memory") : 0;
}

static int jsyscalls(struct json *j, struct policy *p)
{
	char(*names)[MAX_NAME] = malloc(MAX_NAMES * MAX_NAME);
	int first = 1, r;

	if (!names)
		return jfail(j, "out of memory");
	if (jopen(j, '[') < 0) {
		free(names);
		return -1;
	}
	while ((r = jnext(j, ']', &first, NULL, 0)) > 0)
		if (jentry(j, p, names) < 0) {
			r = -1;
			break;
		}
	free(names);
	return r;
}

/* The top-level object; defaultAction may come after the syscalls. */
static int jprofile(struct json *j, struct policy *p, uint32_t *def,
		    int *has_errno, uint32_t *def_errno, int *native)
{
	char key[32], s[MAX_NAME];
	int first = 1, r;

	if (jopen(j, '{') < 0)
		return -1;
	while ((r = jnext(j, '}', &first, key, sizeof(key))) > 0) {
		if (!strcmp(key, "defaultAction"))
			r = jstring(j, s, sizeof(s)) < 0
				    ? -1
				    : (p->has_default = 1, jaction(j, s, def));
		else if (!strcmp(key, "defaultErrnoRet"))
			r = (*has_errno = 1, jerrno(j, def_errno));
		else if (!strcmp(key, "architectures"))
			r = (*native = 0, jarches(j, native));
		else if (!strcmp(key, "syscalls"))
			r = jsyscalls(j, p);
		else
			r = jskip(j);
		if (r < 0)
			return -1;
	}
	return r;
}

int policy_parse_json(struct policy *p, const char *file, const char *text,
		      size_t len, const char *kernel_release, char *err,
		      size_t errlen)
{
	struct json j = { .s = text,
			  .file = file,
			  .kernel = kernel_release,
			  .len = len,
			  .line = 1,
			  .err = err,
			  .errlen = errlen };
	uint32_t def = 0, def_errno = 0;
	int has_errno = 0, native = -1;
	size_t k = 0;

	if (jprofile(&j, p, &def, &has_errno, &def_errno, &native) < 0)
		return -1;
	if (peek(&j) >= 0)
		return jfail(&j, "bad JSON: text after the profile");
	if (!p->has_default)
		return jfail(&j, "no defaultAction");
	if (native == 0)
		return jfail(&j, "architectures does not list this machine's");
	p->def_action = with_errno(def, has_errno, def_errno);
	/* As runc: a rule doing what the default does is left out. */
	for (size_t i = 0; i < p->n; i++)
		if (p->rules[i].action != p->def_action)
			p->rules[k++] = p->rules[i];
	p->n = k;
	return 0;
}
