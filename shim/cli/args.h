/* SPDX-License-Identifier: MIT */
/*
 * What the argv parser's tables are made of. Each subsystem owns one table of
 * flags (args.c: general, args_fs.c: filesystem and identity, args_confine.c:
 * confinement), so each row carries its help line and a pure setter that
 * fills struct config or explains, in one line, why the value is refused.
 */
#ifndef NUCLEUS_ARGS_H
#define NUCLEUS_ARGS_H

#include "cli/config.h"

struct option_row {
	const char *name;  /* long name without -- */
	char short_name;   /* 0 when none */
	const char *value; /* metavar, NULL for a switch */
	unsigned attr;	   /* OPT_* bits below */
	/* Pure: fills cfg, or writes one line into err and returns -1. */
	int (*set)(struct config *cfg, const char *v, char *err, size_t len);
	const char *help;
};
/* Attributes of a row, which the plan reads instead of lists kept by hand
 * elsewhere. OPT_REPEAT is 1 so that a row's plain 0 or 1 still reads. */
enum {
	OPT_REPEAT = 1u << 0,  /* may be given more than once */
	OPT_MONITOR = 1u << 1, /* only the monitor outside can honour it:
				* in place (inplace.c) production refuses
				* it and agent mode drops it, saying so */
	OPT_NATIVE = 1u << 2,  /* only the native runtime honours it:
				* --runtime gvisor refuses it */
};
/* A metavar with a space ("SRC DEST") marks a flag of two values: set()
 * gets the first as v and the second in cfg->value2. */

struct option_table {
	const struct option_row *rows;
	size_t n;
};

extern const struct option_table args_main_table, args_fs_table,
	args_confine_table, args_seccomp_table, args_res_table, args_net_table,
	args_gvisor_table;

/* Row k of all tables in --help order, or NULL past the end. */
const struct option_row *args_row(size_t k);
/* Whether the command line gave row k (parse_args records it). */
int args_given(const struct config *cfg, size_t k);

/* After every flag is read: --share net and --net agree (args_net.c). */
void args_net_default(struct config *cfg);

/* snprintf into err, returns -1: `return args_fail(err, len, "...")`. */
__attribute__((format(printf, 3, 4))) int args_fail(char *err, size_t len,
						    const char *fmt, ...);

#endif
