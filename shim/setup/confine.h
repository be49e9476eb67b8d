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
#include "setup/landlock.h"
#include "setup/prepared.h"

#include <stddef.h>
#include <stdint.h>

struct capsets {
	uint64_t eff, prm, inh, bnd, amb;
};

/* What each step found, read back, for --report and --audit (the child's
 * own: confine_apply passes it from step to step). */
struct confined {
	struct caps_found {
		struct capsets final; /* read back */
		uint64_t wanted;
		int done;
		int bnd_kept; /* unprivileged: the bounding set stays */
	} caps;
	struct rlimits_found {
		struct rlimit_found {
			uint64_t soft, hard;
			int source; /* host, default, flag */
		} r[CONFINE_NLIMITS];
		int done;
	} rlimits;
	struct landlock_found landlock;
};

/* seccomp.c, in the parent before clone: reads and compiles the profile,
 * so a bad one is exit 125 before anything exists. */
void seccomp_prepare(const struct config *cfg, struct prepared *prep);
/* seccomp.c: loads the filter; the last step before execveat of init. */
void seccomp_apply(const struct config *cfg, const struct prepared *prep);
/* seccomp.c: `"seccomp": {...}` for the report and the audit. */
void seccomp_report(const struct config *cfg, const struct prepared *prep,
		    struct json *j);

/* caps.c: bounding set, then ambient/inheritable/permitted/effective, read
 * back and verified equal to --cap-add (or empty). */
void caps_apply(const struct config *cfg, struct caps_found *found);
/* rlimit.c: --oom-score-adj and --sysctl, before the capability drop. */
void procfs_apply(const struct config *cfg);
/* rlimit.c: --rlimit values and the defaults (core 0), read back. */
void rlimit_apply(const struct config *cfg, struct rlimits_found *found);
/* landlock.c: probes the ABI, builds and enforces the ruleset. */
void landlock_apply(const struct config *cfg, struct landlock_found *ll,
		    enum tier tier);

/* Members for --report and the audit, `"key": {...}` each. */
void caps_report(struct json *j, const struct caps_found *found);
void rlimit_report(struct json *j, const struct rlimits_found *found);
void landlock_report(struct json *j, const struct landlock_found *ll);
/* `"net": {...}`: the network mode and, on the host's network, what
 * Landlock denies and what nothing enforces (landlock.c). */
void landlock_net_report(struct json *j, const struct config *cfg,
			 const struct landlock_found *ll);
/* In the child, after mounts and identity: caps, rlimits, no_new_privs,
 * Landlock, seccomp, in that order; the last step before exec. */
void confine_apply(const struct config *cfg, const struct prepared *prep);

#endif
