/* SPDX-License-Identifier: MIT */
/*
 * What the Landlock step found, for --report and --audit: the ABI, the
 * rights handled and every rule with whether it applied. landlock_apply()
 * fills it in the child, after pivot_root (the paths are the sandbox's);
 * the report writers read it. It belongs to the child's confine_apply(),
 * which passes it from step to step: no module keeps it.
 */
#ifndef NUCLEUS_LANDLOCK_H
#define NUCLEUS_LANDLOCK_H

#include "cli/config.h"

#include <limits.h>
#include <stdint.h>

/* The /lib* directories of the root given a default rule, at most. */
#define LANDLOCK_MAX_LIBS 16

struct ll_rule {
	const char *path;
	unsigned access; /* LL_* */
	int origin;	 /* default, flag, mount */
	int err;	 /* 0: applied; else why it was skipped */
};

struct landlock_found {
	int requested, enforced, abi, min_abi, net_wanted, errata;
	int net_on_host;  /* --net none, yet the host's network namespace */
	int confine_only; /* tier confine-only: /tmp, /dev/shm are the host's */
	uint64_t fs, net, scoped;
	unsigned flags;
	/* Defaults, /lib* dirs, flags, then one per mount operation: as
	 * many as the command line has (the kernel takes any number). */
	struct ll_rule *rules;
	unsigned n_rules, cap_rules;
	const struct confine_config *c;
	char libs[LANDLOCK_MAX_LIBS][NAME_MAX + 2]; /* the rules' /lib* paths */
};

#endif
