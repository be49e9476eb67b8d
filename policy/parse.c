// SPDX-License-Identifier: MIT
/*
 * The parser of nucleus's seccomp profile text format (policy/README.md):
 * one rule or directive per line, `include` of other profiles, argument
 * conditions with symbolic constants. It fills a struct policy and never
 * touches the kernel, so a bad profile is refused with FILE:LINE before any
 * namespace exists, and the unit tests can feed it anything.
 */
#include "policy.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#define RET_KILL_PROCESS 0x80000000U
#define RET_TRAP 0x00030000U
#define RET_ERRNO 0x00050000U
#define RET_LOG 0x7ffc0000U
#define RET_ALLOW 0x7fff0000U

#define MAX_LINE 4096
#define MAX_TOKENS 512
#define MAX_ALTS 64 /* rules one condition may expand into */

struct named {
	const char *name;
	uint64_t val;
};

/* errno names a profile may use; numbers work too. */
static const struct named errnos[] = {
	{ "EPERM", EPERM },
	{ "ENOENT", ENOENT },
	{ "ESRCH", ESRCH },
	{ "EINTR", EINTR },
	{ "EIO", EIO },
	{ "ENXIO", ENXIO },
	{ "E2BIG", E2BIG },
	{ "ENOEXEC", ENOEXEC },
	{ "EBADF", EBADF },
	{ "ECHILD", ECHILD },
	{ "EAGAIN", EAGAIN },
	{ "ENOMEM", ENOMEM },
	{ "EACCES", EACCES },
	{ "EFAULT", EFAULT },
	{ "EBUSY", EBUSY },
	{ "EEXIST", EEXIST },
	{ "EXDEV", EXDEV },
	{ "ENODEV", ENODEV },
	{ "ENOTDIR", ENOTDIR },
	{ "EISDIR", EISDIR },
	{ "EINVAL", EINVAL },
	{ "ENFILE", ENFILE },
	{ "EMFILE", EMFILE },
	{ "ENOTTY", ENOTTY },
	{ "ETXTBSY", ETXTBSY },
	{ "EFBIG", EFBIG },
	{ "ENOSPC", ENOSPC },
	{ "ESPIPE", ESPIPE },
	{ "EROFS", EROFS },
	{ "EMLINK", EMLINK },
	{ "EPIPE", EPIPE },
	{ "ENOSYS", ENOSYS },
	{ "ENOTSUP", ENOTSUP },
	{ "EOPNOTSUPP", EOPNOTSUPP },
	{ "EAFNOSUPPORT", EAFNOSUPPORT },
	{ "EPROTONOSUPPORT", EPROTONOSUPPORT },
	{ "ENETUNREACH", ENETUNREACH },
	{ "ECONNREFUSED", ECONNREFUSED },
};

/* Constants for argument conditions: the ones the built-in profiles need
 * and their neighbours. Values come from the libc headers, not by hand. */
static const struct named consts[] = {
	{ "AF_UNSPEC", AF_UNSPEC },
	{ "AF_UNIX", AF_UNIX },
	{ "AF_LOCAL", AF_LOCAL },
	{ "AF_INET", AF_INET },
	{ "AF_INET6", AF_INET6 },
	{ "AF_NETLINK", AF_NETLINK },
	{ "AF_PACKET", AF_PACKET },
	{ "AF_KEY", AF_KEY },
	{ "AF_ALG", AF_ALG },
	{ "AF_VSOCK", AF_VSOCK },
	{ "AF_BLUETOOTH", AF_BLUETOOTH },
	{ "CLONE_NEWNS", CLONE_NEWNS },
	{ "CLONE_NEWCGROUP", CLONE_NEWCGROUP },
	{ "CLONE_NEWUTS", CLONE_NEWUTS },
	{ "CLONE_NEWIPC", CLONE_NEWIPC },
	{ "CLONE_NEWUSER", CLONE_NEWUSER },
	{ "CLONE_NEWPID", CLONE_NEWPID },
	{ "CLONE_NEWNET", CLONE_NEWNET },
	{ "CLONE_NEWTIME", 0x80 },
	{ "CLONE_THREAD", CLONE_THREAD },
	{ "CLONE_VM", CLONE_VM },
	{ "TIOCSTI", TIOCSTI },
	{ "TIOCLINUX", TIOCLINUX },
	{ "TIOCSETD", TIOCSETD },
	{ "PROT_READ", PROT_READ },
	{ "PROT_WRITE", PROT_WRITE },
	{ "PROT_EXEC", PROT_EXEC },
	{ "SOCK_STREAM", SOCK_STREAM },
	{ "SOCK_DGRAM", SOCK_DGRAM },
	{ "SOCK_RAW", SOCK_RAW },
	{ "PER_LINUX", 0x0000 },
	{ "PER_LINUX32", 0x0008 },
	{ "UNAME26", 0x0020000 },
	{ "ADDR_NO_RANDOMIZE", 0x0040000 },
	{ "PERSONALITY_QUERY", 0xffffffff },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* One line being parsed: its tokens and where to say errors come from. */
struct line {
	const char *file;
	unsigned lineno;
	char buf[MAX_LINE + 1];
	char *tok[MAX_TOKENS];
	int n;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct line *l,
						      const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(l->err, l->errlen, "%s:%u: %s", l->file, l->lineno, why);
	/* Words of the profile are quoted back: keep the message one line. */
	for (char *p = l->err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

void policy_free(struct policy *p)
{
	free(p->rules);
	p->rules = NULL;
	p->n = p->cap = 0;
}

static int same_class(uint32_t a, uint32_t b)
{
	return (a == RET_ALLOW) == (b == RET_ALLOW);
}

int policy_add(struct policy *p, const struct policy_rule *r, int replace)
{
	size_t k = 0;

	/* Later lines win: `include default` then `allow ptrace` allows it. */
	for (size_t i = 0; replace && i < p->n; i++)
		if (p->rules[i].nr != r->nr)
			p->rules[k++] = p->rules[i];
	if (replace)
		p->n = k;
	/* An unconditional rule of the same class already covers this one. */
	for (size_t i = 0; r->ncond && i < p->n; i++)
		if (p->rules[i].nr == r->nr && !p->rules[i].ncond &&
		    same_class(p->rules[i].action, r->action))
			return 0;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		struct policy_rule *nr = realloc(p->rules, cap * sizeof(*nr));

		if (!nr)
			return -1;
		p->rules = nr;
		p->cap = cap;
	}
	p->rules[p->n++] = *r;
	return 0;
}

static int lookup(const struct named *t, size_t n, const char *s, uint64_t *v)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, s) == 0)
			return *v = t[i].val, 0;
	return -1;
}

/* Decimal, 0x hex or -decimal (two's complement, as the kernel sees it). */
static int parse_number(const char *s, uint64_t *v)
{
	int neg = *s == '-', hex;
	uint64_t x = 0;

	s += neg;
	hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	s += hex ? 2 : 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (hex && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (hex && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return -1;
		if (x > (UINT64_MAX - d) / (hex ? 16 : 10))
			return -1;
		x = x * (hex ? 16 : 10) + d;
	}
	*v = neg ? (uint64_t)0 - x : x;
	return 0;
}

/* NUMBER or CONSTANT, or several joined by '|'. */
static int parse_value(struct line *l, const char *s, uint64_t *v)
{
	char tmp[128];
	const char *p = s;

	*v = 0;
	while (*p) {
		size_t n = strcspn(p, "|");
		uint64_t x;

		if (n == 0 || n >= sizeof(tmp))
			return fail(l, "bad value '%s'", s);
		memcpy(tmp, p, n);
		tmp[n] = '\0';
		if (parse_number(tmp, &x) < 0 &&
		    lookup(consts, NELEM(consts), tmp, &x) < 0)
			return fail(l,
				    "unknown constant '%s' (a number or one "
				    "of the names in policy/README.md)",
				    tmp);
		*v |= x;
		p += n + (p[n] == '|');
	}
	return 0;
}

static int parse_errno(struct line *l, const char *s, uint32_t *act)
{
	uint64_t e;

	if (!s)
		return fail(l, "errno needs a value, e.g. errno EPERM");
	if (lookup(errnos, NELEM(errnos), s, &e) < 0 &&
	    (parse_number(s, &e) < 0 || e < 1 || e > 4095))
		return fail(l, "'%s' is not an errno name or number (1-4095)",
			    s);
	*act = RET_ERRNO | (uint32_t)e;
	return 0;
}

/* ACTION at tok[*i]: allow, errno E, kill, log, trap. */
static int parse_action(struct line *l, int *i, uint32_t *act)
{
	const char *a = l->tok[*i];

	++*i;
	if (strcmp(a, "allow") == 0)
		*act = RET_ALLOW;
	else if (strcmp(a, "kill") == 0)
		*act = RET_KILL_PROCESS;
	else if (strcmp(a, "log") == 0)
		*act = RET_LOG;
	else if (strcmp(a, "trap") == 0)
		*act = RET_TRAP;
	else if (strcmp(a, "errno") == 0)
		return parse_errno(l, *i < l->n ? l->tok[(*i)++] : NULL, act);
	else
		return fail(l,
			    "unknown action '%s' (allow, errno E, kill, "
			    "log, trap, default, include)",
			    a);
	return 0;
}

static int parse_op(const char *s)
{
	static const char *const ops[] = { "!=", "<", "<=", "==", ">=", ">" };

	for (size_t i = 0; i < NELEM(ops); i++)
		if (strcmp(s, ops[i]) == 0)
			return (int)i + POP_NE;
	return -1;
}

/* A condition may stand for several rules (`in` lists, `& MASK != 0`). */
struct alts {
	struct policy_cond c[MAX_ALTS];
	int n;
};

static int add_alt(struct line *l, struct alts *a, struct policy_cond c)
{
	if (a->n == MAX_ALTS)
		return fail(l, "more than %d alternatives in one condition",
			    MAX_ALTS);
	a->c[a->n++] = c;
	return 0;
}

/* `in V, LO..HI, ...`: one equality (masked or not) per value. */
static int parse_in_list(struct line *l, int *i, struct policy_cond c,
			 struct alts *a)
{
	char list[MAX_LINE + 1] = "";
	char *save = NULL, *item;

	for (; *i < l->n && strcmp(l->tok[*i], "and") != 0; ++*i)
		strcat(list, l->tok[*i]); /* fits: tokens came from a line */
	for (item = strtok_r(list, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char *dots = strstr(item, "..");
		uint64_t lo, hi;

		if (dots)
			*dots = '\0';
		if (parse_value(l, item, &lo) < 0 ||
		    (dots && parse_value(l, dots + 2, &hi) < 0))
			return -1;
		if (!dots)
			hi = lo;
		if (hi < lo || hi - lo >= MAX_ALTS)
			return fail(l, "bad range %s..%s", item, dots + 2);
		for (uint64_t v = lo; v <= hi; v++) {
			c.val = v & c.mask;
			if (add_alt(l, a, c) < 0)
				return -1;
		}
	}
	return a->n ? 0 : fail(l, "'in' needs a list of values");
}

/* `& MASK != 0`: any bit of MASK set, one rule per bit. */
static int expand_anybit(struct line *l, struct policy_cond c, struct alts *a)
{
	const uint64_t mask = c.mask;

	for (int b = 0; b < 64; b++) {
		uint64_t bit = (uint64_t)1 << b;

		if (!(mask & bit))
			continue;
		c.val = bit;
		c.mask = bit;
		if (add_alt(l, a, c) < 0)
			return -1;
	}
	return 0;
}

/* aN [& MASK] OP VALUE | aN [& MASK] in LIST */
static int parse_cond(struct line *l, int *i, struct alts *a)
{
	struct policy_cond c = { .mask = UINT64_MAX };
	const char *arg = l->tok[*i];
	int op, masked = 0;

	a->n = 0;
	if (arg[0] != 'a' || arg[1] < '0' || arg[1] > '5' || arg[2])
		return fail(l, "'%s' is not an argument (a0 to a5)", arg);
	c.arg = (uint8_t)(arg[1] - '0');
	if (++*i < l->n && strcmp(l->tok[*i], "&") == 0) {
		if (++*i >= l->n || parse_value(l, l->tok[*i], &c.mask) < 0)
			return *i >= l->n ? fail(l, "'&' needs a mask") : -1;
		masked = 1;
		++*i;
	}
	if (*i < l->n && strcmp(l->tok[*i], "in") == 0) {
		c.op = masked ? POP_MASKED_EQ : POP_EQ;
		return ++*i, parse_in_list(l, i, c, a);
	}
	if (*i >= l->n || (op = parse_op(l->tok[*i])) < 0)
		return fail(l, "expected == != < <= > >= or in after %s%s", arg,
			    masked ? " & MASK" : "");
	if (++*i >= l->n || parse_value(l, l->tok[*i], &c.val) < 0)
		return *i >= l->n ? fail(l, "missing value after operator")
				  : -1;
	++*i;
	if (!masked)
		return c.op = (uint8_t)op, add_alt(l, a, c);
	if (op == POP_EQ)
		return c.op = POP_MASKED_EQ, c.val &= c.mask, add_alt(l, a, c);
	if (op == POP_NE && c.val == 0)
		return c.op = POP_MASKED_EQ, expand_anybit(l, c, a);
	return fail(l, "with '& MASK' only '== VALUE' and '!= 0' work");
}

/* `if COND [and COND]...` into rule r, and the expansion of at most one. */
static int parse_conds(struct line *l, int i, struct policy_rule *r,
		       struct alts *alt, int *alt_at)
{
	struct alts a;

	*alt_at = -1;
	r->ncond = 0;
	if (i == l->n)
		return 0;
	if (strcmp(l->tok[i], "if") != 0 || ++i == l->n)
		return fail(l, "expected 'if CONDITION' after the names");
	for (;;) {
		if (parse_cond(l, &i, &a) < 0)
			return -1;
		for (int k = 0; k < r->ncond; k++)
			if (r->cond[k].arg == a.c[0].arg)
				return fail(l,
					    "a%d is tested twice in one rule "
					    "(write two rules)",
					    a.c[0].arg);
		if (a.n > 1 && *alt_at >= 0)
			return fail(l, "only one condition of a rule may "
				       "expand to several values");
		if (a.n > 1)
			*alt = a, *alt_at = r->ncond;
		r->cond[r->ncond++] = a.c[0];
		if (i == l->n)
			return 0;
		if (strcmp(l->tok[i], "and") != 0 || ++i == l->n)
			return fail(l,
				    "expected 'and CONDITION' after a "
				    "condition, found '%s'",
				    l->tok[i < l->n ? i : i - 1]);
	}
}

/* A syscall name, `?name` (skipped when unknown here) or a number. */
static int parse_name(struct line *l, struct policy *p, const char *s,
		      int32_t *nr)
{
	int opt = s[0] == '?';
	uint64_t v;
	int r;

	if (s[opt] >= '0' && s[opt] <= '9') {
		if (parse_number(s + opt, &v) < 0 || v > 4095)
			return fail(l, "'%s' is not a syscall number (0-4095)",
				    s);
		return *nr = (int32_t)v, 1;
	}
	r = policy_syscall_nr(s + opt);
	if (r >= 0)
		return *nr = r, 1;
	if (opt)
		return p->skipped++, 0;
	if (r == -2)
		return fail(l,
			    "'%s' is not a syscall of this architecture "
			    "(write ?%s to skip it)",
			    s, s);
	return fail(l,
		    "unknown syscall '%s' (write ?%s if it is newer than "
		    "this libseccomp)",
		    s, s);
}

/* ACTION NAME... [if COND [and COND]...] */
static int parse_rule(struct line *l, struct policy *p)
{
	struct policy_rule r = { 0 };
	struct alts alt;
	int i = 0, first, last, alt_at;

	if (parse_action(l, &i, &r.action) < 0)
		return -1;
	first = i;
	while (i < l->n && strcmp(l->tok[i], "if") != 0)
		i++;
	last = i;
	if (first == last)
		return fail(l, "no syscall name after the action");
	if (parse_conds(l, i, &r, &alt, &alt_at) < 0)
		return -1;
	for (i = first; i < last; i++) {
		int k = parse_name(l, p, l->tok[i], &r.nr);

		if (k < 0)
			return -1;
		for (int a = 0; k && a < (alt_at < 0 ? 1 : alt.n); a++) {
			if (alt_at >= 0)
				r.cond[alt_at] = alt.c[a];
			if (policy_add(p, &r, r.ncond == 0) < 0)
				return fail(l, "out of memory");
		}
	}
	return 0;
}

/* `include NAME`: a built-in profile, or a file beside this one. */
static int parse_include(struct line *l, struct policy *p,
			 const struct policy_io *io)
{
	char *path = NULL, *text = NULL;
	size_t len = 0;
	int r;

	if (l->n != 2)
		return fail(l, "include takes one name or path");
	if (p->depth >= POLICY_MAX_DEPTH)
		return fail(l, "includes nested deeper than %d (a loop?)",
			    POLICY_MAX_DEPTH);
	if (!io || !io->load)
		return fail(l, "include is not possible here");
	if (io->load(io, l->tok[1], l->file, &path, &text, &len, l->err,
		     l->errlen) < 0) {
		char why[256];

		snprintf(why, sizeof(why), "%s", l->err);
		return fail(l, "include %s: %s", l->tok[1], why);
	}
	p->depth++;
	r = policy_parse_text(p, path, text, len, io, l->err, l->errlen);
	p->depth--;
	free(path);
	free(text);
	return r;
}

static int parse_line(struct line *l, struct policy *p,
		      const struct policy_io *io)
{
	int i = 1;

	if (strcmp(l->tok[0], "include") == 0)
		return parse_include(l, p, io);
	if (strcmp(l->tok[0], "default") != 0)
		return parse_rule(l, p);
	if (l->n < 2)
		return fail(l, "default needs an action");
	if (parse_action(l, &i, &p->def_action) < 0)
		return -1;
	if (i != l->n)
		return fail(l, "default takes an action only, not '%s'",
			    l->tok[i]);
	p->has_default = 1;
	return 0;
}

/* Splits one line into tokens; a '#' starts a comment. */
static int tokenize(struct line *l, const char *s, size_t n)
{
	char *save = NULL, *t;

	if (n > MAX_LINE)
		return fail(l, "line longer than %d bytes", MAX_LINE);
	memcpy(l->buf, s, n);
	l->buf[n] = '\0';
	if (memchr(l->buf, '\0', n))
		return fail(l, "NUL byte in the profile");
	l->buf[strcspn(l->buf, "#")] = '\0';
	l->n = 0;
	for (t = strtok_r(l->buf, " \t\r\v\f", &save); t;
	     t = strtok_r(NULL, " \t\r\v\f", &save)) {
		if (l->n == MAX_TOKENS)
			return fail(l, "more than %d words", MAX_TOKENS);
		l->tok[l->n++] = t;
	}
	return 0;
}

int policy_parse_text(struct policy *p, const char *file, const char *text,
		      size_t len, const struct policy_io *io, char *err,
		      size_t errlen)
{
	struct line *l = malloc(sizeof(*l));
	size_t off = 0;
	int r = 0;

	if (!l)
		return snprintf(err, errlen, "%s: out of memory", file), -1;
	*l = (struct line){ .file = file, .err = err, .errlen = errlen };
	while (r == 0 && off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - text - off) : len - off;

		l->lineno++;
		r = tokenize(l, text + off, n);
		if (r == 0 && l->n)
			r = parse_line(l, p, io);
		off += n + 1;
	}
	free(l);
	if (r == 0 && p->depth == 0 && !p->has_default)
		return snprintf(err, errlen,
				"%s: no 'default' action (add "
				"e.g. 'default errno ENOSYS' or "
				"'include default')",
				file),
		       -1;
	return r;
}

size_t policy_action_name(uint32_t action, char *buf, size_t len)
{
	const char *name = NULL;
	int n;

	switch (action & 0xffff0000U) {
	case RET_ALLOW:
		name = "allow";
		break;
	case RET_LOG:
		name = "log";
		break;
	case RET_TRAP:
		name = "trap";
		break;
	case RET_KILL_PROCESS:
		name = "kill";
		break;
	case 0:
		name = "kill-thread";
		break;
	case RET_ERRNO:
		for (size_t i = 0; i < NELEM(errnos); i++)
			if (errnos[i].val == (action & 0xffffU))
				name = errnos[i].name;
		n = name ? snprintf(buf, len, "errno %s", name)
			 : snprintf(buf, len, "errno %u", action & 0xffffU);
		return n > 0 ? (size_t)n : 0;
	default:
		break;
	}
	n = name ? snprintf(buf, len, "%s", name)
		 : snprintf(buf, len, "0x%08x", action);
	return n > 0 ? (size_t)n : 0;
}
