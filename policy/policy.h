/* SPDX-License-Identifier: MIT */
/*
 * seccomp profiles as data: the text format of policy/README.md and docker/OCI
 * JSON profiles are both parsed into one list of rules, which libseccomp then
 * turns into a single BPF program. This is the library of nucleus-policy,
 * the compiler that builds the embedded built-in profiles at build time and
 * custom ones at run time (the shim runs it, so libseccomp stays out of the
 * shim), so both paths mean exactly the same thing. Parsing is pure; only
 * bpfgen.c calls libseccomp.
 */
#ifndef NUCLEUS_POLICY_H
#define NUCLEUS_POLICY_H

#include <stddef.h>
#include <stdint.h>

#define POLICY_MAX_INSNS 4096 /* the kernel's BPF_MAXINSNS */
#define POLICY_MAX_DEPTH 8    /* nested includes */

/* Comparisons, as libseccomp's enum scmp_compare numbers them. */
enum policy_op {
	POP_NE = 1,
	POP_LT,
	POP_LE,
	POP_EQ,
	POP_GE,
	POP_GT,
	POP_MASKED_EQ,
};

struct policy_cond {
	uint8_t arg; /* 0..5 */
	uint8_t op;  /* enum policy_op */
	uint64_t mask, val;
};

/* One rule: when every condition holds, syscall nr gets action. */
struct policy_rule {
	int32_t nr;
	uint32_t action; /* a SECCOMP_RET_* value, errno included */
	uint8_t ncond;
	struct policy_cond cond[6];
};

struct policy {
	uint32_t def_action;
	int has_default;
	struct policy_rule *rules;
	size_t n, cap;
	unsigned skipped; /* names this libseccomp does not know, ignored */
	int depth;	  /* include nesting while parsing */
};

/*
 * Finds the text of `include NAME` seen in file `from`: built-in profile
 * names first, then a file relative to `from`. Sets *text (malloc'd, freed
 * by the parser) and *len, or writes one line into err and returns -1.
 */
struct policy_io {
	int (*load)(const struct policy_io *io, const char *name,
		    const char *from, char **path, char **text, size_t *len,
		    char *err, size_t errlen);
	void *data;
};

/* Text format. Errors read "FILE:LINE: what". 0 or -1. */
int policy_parse_text(struct policy *p, const char *file, const char *text,
		      size_t len, const struct policy_io *io, char *err,
		      size_t errlen);
/* docker/OCI JSON. kernel_release (uname -r) decides includes.minKernel. */
int policy_parse_json(struct policy *p, const char *file, const char *text,
		      size_t len, const char *kernel_release, char *err,
		      size_t errlen);
void policy_free(struct policy *p);

/* Adds a rule; an unconditional one replaces every earlier rule of nr. */
int policy_add(struct policy *p, const struct policy_rule *r, int replace);
/* Syscall number of name on this arch: -1 unknown, -2 another arch's. */
int policy_syscall_nr(const char *name);
/* "errno EPERM", "kill", ... for reports and dumps. */
size_t policy_action_name(uint32_t action, char *buf, size_t len);

/* Reads name, relative to the directory of file `from` unless absolute,
 * at most 1 MiB. *path and *text are malloc'd. 0 or -1 with err set. */
int policy_load_file(const char *name, const char *from, char **path,
		     char **text, size_t *len, char *err, size_t errlen);

/* Compiles with libseccomp into one program of *n instructions (8 bytes
 * each, malloc'd). 0 or -1 with err set. */
int policy_compile(const struct policy *p, void **prog, size_t *n, char *err,
		   size_t errlen);

#endif
