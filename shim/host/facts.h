/* SPDX-License-Identifier: MIT */
/*
 * What the plan needs to know of the host, read in one place before it is
 * made: whether nucleus is PID 1 (in place) and the kernel's Landlock ABI
 * (production's floor). Reading them has no effect on the host.
 */
#ifndef NUCLEUS_FACTS_H
#define NUCLEUS_FACTS_H

#include "plan/plan.h"

void host_facts_read(struct host_facts *facts);

#endif
