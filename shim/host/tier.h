/* SPDX-License-Identifier: MIT */
/*
 * Degradation tiers: what the kernel let us build, declared instead of
 * silently weakened. full: every namespace asked for; no-userns: the
 * namespaces that need no user namespace (it was denied); confine-only: no
 * namespace at all, the rest (Landlock, seccomp, caps, rlimits,
 * no_new_privs) still applied. Agent mode takes the best that works and
 * says so; production refuses below --min-tier with the reason.
 */
#ifndef NUCLEUS_TIER_H
#define NUCLEUS_TIER_H

#include "cli/config.h"

#include <stdint.h>
#include <sys/types.h>

/* The tier the sandbox runs at, in struct prepared: set by the parent
 * before the clone that succeeds, so the child (a copy) knows which
 * namespace steps to skip. Zero-initialised: full. */
struct tier_state {
	enum tier tier;
	char reason[256]; /* why below full, for the report ("" when full) */
};

const char *tier_name(enum tier t);
/* Clones with flags, falling back tier by tier on a refusal the kernel
 * gives for namespaces; *flags ends as what was used, *userns is cleared
 * below full. The child sees 0. */
pid_t tier_clone(const struct config *cfg, struct tier_state *ts, int *userns,
		 uint64_t *flags, pid_t (*clone_fn)(uint64_t flags, void *arg),
		 void *arg);

#endif
