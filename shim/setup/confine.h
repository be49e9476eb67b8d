/* SPDX-License-Identifier: MIT */
/*
 * The confinement steps the child runs after its mounts, in this order:
 * capabilities, rlimits, no_new_privs, Landlock, seccomp. Each step also
 * describes what it enforced, as a JSON fragment for --report.
 */
#ifndef NUCLEUS_CONFINE_H
#define NUCLEUS_CONFINE_H

#include "cli/config.h"
#include "lib/json.h"
#include "setup/prepared.h"

#include <stddef.h>

/* seccomp.c, in the parent before clone: reads and compiles the profile,
 * so a bad one is exit 125 before anything exists. */
void seccomp_prepare(const struct config *cfg);
/* seccomp.c: loads the filter; the last step before execveat of init. */
void seccomp_apply(const struct config *cfg);
/* seccomp.c: `"seccomp": {...}` for the report and the audit. */
void seccomp_report(const struct config *cfg, struct json *j);

/* caps.c: bounding set, then ambient/inheritable/permitted/effective, read
 * back and verified equal to --cap-add (or empty). */
void caps_apply(const struct config *cfg);
/* rlimit.c: --rlimit values and the defaults (core 0), read back. */
void rlimit_apply(const struct config *cfg);
/* landlock.c: probes the ABI, builds and enforces the ruleset. */
void landlock_apply(const struct config *cfg);

/* Members for --report and the audit, `"key": {...}` each. */
void caps_report(struct json *j);
void rlimit_report(struct json *j);
void landlock_report(struct json *j);
/* `"net": {...}`: the network mode and, on the host's network, what
 * Landlock denies and what nothing enforces (landlock.c). */
void landlock_net_report(struct json *j, const struct config *cfg);
/* In the child, after mounts and identity: caps, rlimits, no_new_privs,
 * Landlock, seccomp, in that order; the last step before exec. */
void confine_apply(const struct config *cfg, const struct prepared *prep);

#endif
