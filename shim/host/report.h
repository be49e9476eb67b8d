/* SPDX-License-Identifier: MIT */
/*
 * --report: one JSON object, written once the sandbox's init runs, saying
 * for every layer what was asked for and what the kernel enforced. The child
 * knows what its confinement steps achieved and which namespaces it got; it
 * sends that as a JSON fragment over a close-on-exec pipe, so the parent
 * reads to EOF exactly when init is exec'd (or the child died), adds what
 * only the parent knows (the cgroup) and writes the object: never a report
 * for a sandbox that did not start, never a file left by a failure.
 */
#ifndef NUCLEUS_REPORT_H
#define NUCLEUS_REPORT_H

#include "cli/config.h"
#include "host/tier.h"
#include "lib/json.h"

#include <sys/types.h>

/* Parent, before clone: checks the sink (125 if unusable) and makes the
 * pipe. No-op without --report. */
void report_prepare(const struct config *cfg);
/* In place (inplace.c, no fork, before unshare): the child's steps write
 * the whole object to the sink themselves; FILE is created at once. */
void report_prepare_inplace(const struct config *cfg);
/* Parent, after releasing the child: reads the child's fragment until its
 * exec closes the pipe. */
void report_collect(void);
/* Parent, once init runs: writes the object; on failure kills the sandbox
 * (its pidfd) and exits 125. */
void report_write(const struct config *cfg, const struct tier_state *ts,
		  pid_t pid, int pidfd);

/* Child: records one degradation (agent mode) for the report. */
__attribute__((format(printf, 1, 2))) void report_note(const char *fmt, ...);
/* Child: whether a fragment is wanted (--report given). */
int report_child_wanted(void);
/* Child: `"namespaces": {...}`, its own against the parent's. The
 * fragment is a spaced json_init one: the report is read by people. */
void report_namespaces(struct json *j, const struct config *cfg);
/* Child, after seccomp: adds the warnings to the fragment its confine
 * steps described (setup/confine.c) and sends it (a write to a pipe:
 * what any filter lets init do anyway); in place, the whole object. */
void report_child_send(const struct config *cfg, const struct tier_state *ts,
		       struct json *j);

#endif
