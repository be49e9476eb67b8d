/* SPDX-License-Identifier: MIT */
/*
 * The confinement part of struct config (flags in args_confine.c): the
 * capabilities kept, the rlimits set, the Landlock rules and ports asked for,
 * and where the --report goes. Pointers point into argv; zero is the default
 * of every field, so the parser's zeroed struct config means "drop every
 * capability, core 0, Landlock with the default rules, no report".
 */
#ifndef NUCLEUS_CONFIG_CONFINE_H
#define NUCLEUS_CONFIG_CONFINE_H

#include "lib/sink.h"

#include <stdint.h>

#define CONFINE_MAX_PATHS 64
#define CONFINE_MAX_PORTS 64
#define CONFINE_MAX_SYSCTL 32
#define CONFINE_NLIMITS 16 /* RLIMIT_NLIMITS on every Linux arch */
#define CONFINE_DEFAULT_MIN_ABI 3
#define CONFINE_MAX_ABI 64
#define RLIM_UNLIMITED UINT64_MAX /* "unlimited" / "infinity" */

/* What a Landlock path rule grants, in words a user thinks in (landlock.c
 * turns them into the kernel's rights for the running ABI). */
enum {
	LL_READ = 1u << 0,  /* read files, list directories */
	LL_WRITE = 1u << 1, /* write, create, remove, rename, truncate */
	LL_EXEC = 1u << 2,  /* execute */
	LL_IOCTL = 1u << 3, /* ioctl on device files (ttys) */
	LL_LIST = 1u << 4,  /* list directories only, no file contents */
};

struct confine_path {
	const char *path; /* absolute, inside the sandbox */
	unsigned access;  /* LL_* */
};

struct confine_config {
	uint64_t cap_add;   /* --cap-add: bit N = capability N is kept */
	uint64_t cap_bound; /* --cap-bound: also left in the bounding set */
	uint64_t cap_inh;   /* --cap-inheritable */
	uint64_t cap_amb;   /* --cap-ambient */
	int oom_score_adj;  /* --oom-score-adj, when has_oom */
	int has_oom;
	const char *sysctl[CONFINE_MAX_SYSCTL]; /* --sysctl KEY=VALUE */
	unsigned n_sysctl;
	unsigned rlimit_set; /* --rlimit: bit N = RLIMIT N given */
	uint64_t rlimit_soft[CONFINE_NLIMITS], rlimit_hard[CONFINE_NLIMITS];
	struct confine_path
		paths[CONFINE_MAX_PATHS]; /* --landlock-ro/rw/exec */
	unsigned n_paths;
	unsigned min_abi; /* --landlock-min-abi; 0 = default (3) */
	int no_landlock;  /* --no-landlock (agent only) */
	uint16_t connect_ports[CONFINE_MAX_PORTS]; /* --allow-connect */
	unsigned n_connect;
	uint16_t bind_ports[CONFINE_MAX_PORTS]; /* --allow-bind */
	unsigned n_bind;
	struct sink report; /* --report FILE|fd:N (fd:0-2 too) */
};

/* Names of capabilities and rlimits, shared by the parser and the report.
 * NULL when unknown. */
const char *cap_name(unsigned cap);
const char *rlimit_name(unsigned resource);
/* The lowest soft value --rlimit takes for resource r (0: no floor). */
uint64_t rlimit_floor(unsigned resource);
struct config;
/* The rules between these flags and the namespaces (cap sets the kernel
 * cannot hold, a sysctl that is not the sandbox's own): 0, or -1 and one
 * line in err. Pure; the plan calls it. */
int confine_check(const struct config *cfg, char *err, size_t len);
#define CONFINE_NCAPS 41 /* CAP_CHECKPOINT_RESTORE (40) is the last known */

#endif
