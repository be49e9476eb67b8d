/* SPDX-License-Identifier: MIT */
/*
 * The confinement steps the child runs after its mounts, in this order:
 * capabilities, rlimits, no_new_privs, Landlock, seccomp. Each step also
 * describes what it enforced, as a JSON fragment for --report.
 */
#ifndef NUCLEUS_CONFINE_H
#define NUCLEUS_CONFINE_H

#include "config.h"

#include <stddef.h>

/* seccomp.c: loads the filter; the last step before execveat of init. */
void seccomp_apply(const struct config *cfg);
/* seccomp.c: `"seccomp": {...}` for the report; returns bytes written. */
size_t seccomp_report(const struct config *cfg, char *buf, size_t len);

#endif
