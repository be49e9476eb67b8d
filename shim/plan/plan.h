/* SPDX-License-Identifier: MIT */
/*
 * The plan: every rule that ties flags together, and every decision that
 * depends on the mode (agent or production) and on a few facts about the
 * host, made once from struct config before anything exists. Pure: no
 * syscall, no allocation, no exit, so each refusal is a unit test; main()
 * turns a refusal into `nucleus: <step>: <message>` and exit 125. Which
 * flags need the monitor (OPT_MONITOR) or the native runtime (OPT_NATIVE)
 * is read from the option rows (cli/args.h), never from a list kept here.
 */
#ifndef NUCLEUS_PLAN_H
#define NUCLEUS_PLAN_H

#include "cli/config.h"

#include <stddef.h>

/* What the rules need to know of the host (host/facts.c reads it). */
struct host_facts {
	int pid1;	  /* nucleus is PID 1 of its pid namespace */
	int landlock_abi; /* 0: no Landlock in this kernel, or it is off */
};

/* Which runtime runs the sandbox. */
enum plan_runtime {
	PLAN_CLONE,   /* clone3 a child; the monitor stays outside */
	PLAN_INPLACE, /* PID 1 of a shared pid ns restricts itself: no fork */
	PLAN_GVISOR,  /* runsc builds it; nucleus stays the monitor */
};

#define PLAN_MAX_WARN 8

struct plan {
	enum plan_runtime runtime;
	/* On refusal: the step die() names; else NULL. */
	const char *step;
	/* Bit k: row k was given but agent mode drops it (in place: no
	 * monitor); main says so, one line each. */
	unsigned char dropped[NUCLEUS_MAX_ROWS / 8];
	/* Under gVisor, agent mode: what its kernel does not enforce, said
	 * on stderr and in --report; NULL-terminated. */
	const char *gvisor_warn[PLAN_MAX_WARN];
};

/* The default root (no --rootfs): these host directories, read-only.
 * One list for every runtime (setup/mount.c, runtime/gvisor_oci.c). */
#define PLAN_N_HOST_DIRS 8
extern const char plan_host_dirs[PLAN_N_HOST_DIRS][8];

/* 0, or -1 with one line in err and plan->step set. */
int plan_make(const struct config *cfg, const struct host_facts *facts,
	      struct plan *plan, char *err, size_t errlen);
/* Whether agent mode drops row k (plan->dropped). */
int plan_dropped(const struct plan *plan, size_t k);

#endif
