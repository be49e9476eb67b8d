// SPDX-License-Identifier: MIT
/*
 * From a parsed profile to one BPF program, with libseccomp doing the code
 * generation (arch check, x32 check, argument comparisons). libseccomp has
 * no per-syscall "otherwise", so an allowlist cannot say "ioctl, except
 * TIOCSTI" in one filter; we build two filters and chain them: the deny
 * rules (default: go on) first, their "allow" returns turned into a jump to
 * the allow rules (default: the profile's default). Also: reading profile
 * files for the parser's includes.
 */
#include "policy.h"
#include "lib/seccomp_bpf.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* libseccomp's binary search tree of syscalls: fewer instructions run per
 * call than its default linear list once a profile has hundreds of names. */
#define POLICY_OPTIMIZE 2

int policy_syscall_nr(const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);

	if (nr >= 0)
		return nr;
	return nr == __NR_SCMP_ERROR ? -1 : -2;
}

static scmp_filter_ctx ctx_new(uint32_t def)
{
	scmp_filter_ctx c = seccomp_init(def);

	/* Other arches (i386 int 0x80) and x32 numbers: kill, never errno. */
	if (c && (seccomp_attr_set(c, SCMP_FLTATR_ACT_BADARCH,
				   SCMP_ACT_KILL_PROCESS) < 0 ||
		  seccomp_attr_set(c, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
		  seccomp_attr_set(c, SCMP_FLTATR_CTL_OPTIMIZE,
				   POLICY_OPTIMIZE) < 0)) {
		seccomp_release(c);
		return NULL;
	}
	return c;
}

static int ctx_add(scmp_filter_ctx c, const struct policy_rule *r, char *err,
		   size_t errlen)
{
	struct scmp_arg_cmp cmp[6];
	char *name;
	int rc;

	for (int i = 0; i < r->ncond; i++) {
		const struct policy_cond *k = &r->cond[i];

		cmp[i] = (struct scmp_arg_cmp){
			.arg = k->arg,
			.op = (enum scmp_compare)k->op,
			.datum_a = k->op == POP_MASKED_EQ ? k->mask : k->val,
			.datum_b = k->op == POP_MASKED_EQ ? k->val : 0,
		};
	}
	rc = seccomp_rule_add_exact_array(c, r->action, r->nr, r->ncond, cmp);
	if (rc == 0)
		return 0;
	name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, r->nr);
	snprintf(err, errlen, "rule for %s (%d): libseccomp: %s",
		 name ? name : "syscall", r->nr, strerror(-rc));
	free(name);
	return -1;
}

/* The program of c, read back through a memfd (libseccomp writes to fds). */
static int ctx_export(scmp_filter_ctx c, struct sock_filter **prog, size_t *n,
		      char *err, size_t errlen)
{
	int fd = memfd_create("nucleus-bpf", MFD_CLOEXEC), rc;
	off_t size;

	if (fd < 0)
		return snprintf(err, errlen, "memfd_create: %s",
				strerror(errno)),
		       -1;
	rc = seccomp_export_bpf(c, fd);
	size = lseek(fd, 0, SEEK_END);
	if (rc < 0 || size <= 0 || size % 8 ||
	    size > POLICY_MAX_INSNS * 8 * 2) {
		close(fd);
		return snprintf(err, errlen, "libseccomp export: %s",
				rc < 0 ? strerror(-rc) : "bad size"),
		       -1;
	}
	*prog = malloc((size_t)size);
	if (!*prog || pread(fd, *prog, (size_t)size, 0) != size) {
		free(*prog);
		close(fd);
		return snprintf(err, errlen, "reading the BPF back failed"), -1;
	}
	close(fd);
	*n = (size_t)size / 8;
	return 0;
}

/*
 * The range tree. libseccomp spends one compare per syscall (512
 * instructions for `default`), and the kernel's load time grows with the
 * instruction count (about 0.17 us each, tests/bench/README.md). A syscall
 * whose only rule has no argument condition needs no compare of its own:
 * consecutive numbers with the same action form one range, and a binary
 * search over the ranges (`default`: 77) returns their action. Numbers with
 * conditions, or beyond the table, jump to libseccomp's program, which holds
 * only their rules. x86-64 only (its arch and x32 prologue is written here);
 * elsewhere, or when a jump would not fit, libseccomp does it all as before.
 */
#define TREE_NRS 1024
#define TREE_LIB 0xffffffffu /* "ask libseccomp": no action has this value */

struct tree {
	uint32_t act[TREE_NRS]; /* per number: an action or TREE_LIB */
	uint32_t start[TREE_NRS + 1], val[TREE_NRS + 1];
	struct sock_filter *out;
	size_t n, nr; /* instructions emitted, ranges */
};

/* act[] from the rules: TREE_LIB where a condition, a second rule or no
 * table slot makes it libseccomp's business. */
static void tree_classify(struct tree *t, const struct policy *p)
{
	unsigned char seen[TREE_NRS] = { 0 };

	for (size_t i = 0; i < TREE_NRS; i++)
		t->act[i] = p->def_action;
	for (size_t i = 0; i < p->n; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (r->nr < 0 || r->nr >= TREE_NRS)
			continue;
		t->act[r->nr] = r->ncond || seen[r->nr] ? TREE_LIB : r->action;
		seen[r->nr] = 1;
	}
	t->nr = 0;
	for (uint32_t i = 0; i <= TREE_NRS; i++) {
		uint32_t v = i < TREE_NRS ? t->act[i] : TREE_LIB;

		if (t->nr && t->val[t->nr - 1] == v)
			continue;
		t->start[t->nr] = i;
		t->val[t->nr++] = v;
	}
}

/* Ranges lo..hi-1, the accumulator holding the number: 0 or -1 if a jump
 * is too long for BPF's 8 bits. A TREE_LIB leaf is patched by tree_emit. */
static int tree_node(struct tree *t, size_t lo, size_t hi)
{
	size_t mid = lo + (hi - lo) / 2, at = t->n++;

	if (hi - lo == 1) {
		t->out[at] = (struct sock_filter)BPF_STMT(
			t->val[lo] == TREE_LIB ? BPF_JMP | BPF_JA
					       : BPF_RET | BPF_K,
			t->val[lo]);
		return 0;
	}
	if (tree_node(t, lo, mid) < 0 || t->n - at - 1 > 255)
		return -1;
	t->out[at] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
						  t->start[mid],
						  (uint8_t)(t->n - at - 1), 0);
	return tree_node(t, mid, hi);
}

/* The prologue and the tree into t->out; 0, or -1 to do without. */
static int tree_emit(struct tree *t)
{
#ifdef __x86_64__
	const struct sock_filter *pro = seccomp_bpf_prologue;
	size_t np = SECCOMP_BPF_PROLOGUE;

	t->out = malloc((np + 2 * t->nr) * sizeof(*t->out));
	if (!t->out)
		return -1;
	memcpy(t->out, pro, np * sizeof(*pro));
	t->n = np;
	if (tree_node(t, 0, t->nr) == 0) {
		for (size_t i = np; i < t->n; i++)
			if (t->out[i].code == (BPF_JMP | BPF_JA))
				t->out[i].k = (uint32_t)(t->n - i - 1);
		return 0;
	}
	free(t->out);
#endif
	t->out = NULL;
	t->n = 0;
	return -1;
}

/* The tree, then deny, whose "allow" returns jump to the first
 * instruction of allow. */
static int chain(const struct tree *t, struct sock_filter *deny, size_t nd,
		 const struct sock_filter *allow, size_t na, void **prog,
		 size_t *n, char *err, size_t errlen)
{
	struct sock_filter *out;
	size_t nt = t->n;

	if (nt + nd + na > POLICY_MAX_INSNS)
		return snprintf(err, errlen,
				"the profile compiles to %zu BPF "
				"instructions, more than the "
				"kernel's %d",
				nt + nd + na, POLICY_MAX_INSNS),
		       -1;
	out = malloc((nt + nd + na) * sizeof(*out));
	if (!out)
		return snprintf(err, errlen, "out of memory"), -1;
	memcpy(out, t->out, nt * sizeof(*out));
	for (size_t i = 0; i < nd; i++) {
		out[nt + i] = deny[i];
		if (deny[i].code == (BPF_RET | BPF_K) &&
		    deny[i].k == SECCOMP_RET_ALLOW)
			out[nt + i] = (struct sock_filter)BPF_JUMP(
				BPF_JMP | BPF_JA, (uint32_t)(nd - i - 1), 0, 0);
	}
	memcpy(out + nt + nd, allow, na * sizeof(*out));
	*prog = out;
	*n = nt + nd + na;
	return 0;
}

static int fill(scmp_filter_ctx allow, scmp_filter_ctx deny,
		const struct policy *p, const struct tree *t, size_t *ndeny,
		char *err, size_t errlen)
{
	*ndeny = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct policy_rule *r = &p->rules[i];
		int is_allow = r->action == SCMP_ACT_ALLOW;

		/* Allowing under a default of allow says nothing; the tree
		 * answers for the numbers it holds. */
		if ((is_allow && p->def_action == SCMP_ACT_ALLOW) ||
		    (t->out && r->nr >= 0 && r->nr < TREE_NRS &&
		     t->act[r->nr] != TREE_LIB))
			continue;
		if (ctx_add(is_allow ? allow : deny, r, err, errlen) < 0)
			return -1;
		*ndeny += !is_allow;
	}
	return 0;
}

int policy_compile(const struct policy *p, void **prog, size_t *n, char *err,
		   size_t errlen)
{
	scmp_filter_ctx allow = ctx_new(p->def_action);
	scmp_filter_ctx deny = ctx_new(SCMP_ACT_ALLOW);
	struct sock_filter *pa = NULL, *pd = NULL;
	struct tree *t = calloc(1, sizeof(*t));
	size_t na = 0, nd = 0, ndeny;
	int rc = -1;

	if (!allow || !deny || !t)
		snprintf(err, errlen, "libseccomp: cannot create a filter");
	else if ((tree_classify(t, p), tree_emit(t), 1) &&
		 fill(allow, deny, p, t, &ndeny, err, errlen) == 0 &&
		 ctx_export(allow, &pa, &na, err, errlen) == 0 &&
		 (!ndeny || ctx_export(deny, &pd, &nd, err, errlen) == 0))
		rc = chain(t, pd, nd, pa, na, prog, n, err, errlen);
	if (t)
		free(t->out);
	free(t);
	free(pa);
	free(pd);
	seccomp_release(allow);
	seccomp_release(deny);
	return rc;
}

#define POLICY_MAX_FILE (1 << 20)

/* Reads a whole profile; callers name it in their errors. */
static int read_all(const char *path, char **text, size_t *len, char *err,
		    size_t errlen)
{
	/* O_NONBLOCK: a FIFO must not hang the open; only a regular file is
	 * read (a FIFO, a tty or a device would never end or never start). */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	FILE *f = NULL;
	size_t n;

	*text = NULL;
	if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		return snprintf(err, errlen, "%s: not a regular file", path),
		       -1;
	}
	if (fd >= 0)
		f = fdopen(fd, "r");
	if (!f) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return snprintf(err, errlen, "%s: %s", path, strerror(e)), -1;
	}
	*text = malloc(POLICY_MAX_FILE + 1);
	n = *text ? fread(*text, 1, POLICY_MAX_FILE + 1, f) : 0;
	if (!*text || ferror(f) || n > POLICY_MAX_FILE) {
		snprintf(err, errlen, "%s: %s", path,
			 !*text	     ? "out of memory"
			 : ferror(f) ? strerror(errno)
				     : "larger than 1 MiB");
		fclose(f);
		free(*text);
		*text = NULL;
		return -1;
	}
	fclose(f);
	*len = n;
	return 0;
}

int policy_load_file(const char *name, const char *from, char **path,
		     char **text, size_t *len, char *err, size_t errlen)
{
	const char *slash = from ? strrchr(from, '/') : NULL;
	int dirlen = slash && name[0] != '/' ? (int)(slash - from) + 1 : 0;
	size_t n = (size_t)dirlen + strlen(name) + 1;

	*path = malloc(n);
	if (!*path)
		return snprintf(err, errlen, "out of memory"), -1;
	snprintf(*path, n, "%.*s%s", dirlen, from ? from : "", name);
	if (read_all(*path, text, len, err, errlen) < 0) {
		free(*path);
		*path = NULL;
		return -1;
	}
	return 0;
}
