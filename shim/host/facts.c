// SPDX-License-Identifier: MIT
/*
 * host_facts_read(): the few host facts plan_make() decides on, so that the
 * plan itself makes no syscall and its unit tests choose the host.
 */
#include "host/facts.h"

#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#define LANDLOCK_CREATE_RULESET_VERSION 1u

void host_facts_read(struct host_facts *facts)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);

	facts->pid1 = getpid() == 1;
	/* 0 when the kernel has no Landlock (ENOSYS) or it is off. */
	facts->landlock_abi = abi < 0 ? 0 : (int)abi;
}
