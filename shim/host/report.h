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

struct cgroup_set;

#define REPORT_NS 8 /* pid mnt net ipc uts user cgroup time */

/* The monitor's side, owned by its caller from report_prepare to
 * report_write: its end of the pipe and what came through it. */
struct report_pipe {
	int rd;		      /* -1: no --report */
	int wr;		      /* our copy of the child's end: collect closes */
	uid_t uid;	      /* the caller's, before ids */
	struct json fragment; /* what the child sent */
};

/* The child's side, in struct prepared: filled before clone (or the
 * in-place unshare), read by its confine step. */
struct report_child {
	int wr;	     /* the fragment's pipe; in place the sink; -1: none */
	int peer;    /* the monitor's end, closed by the child; -1: none */
	int inplace; /* no parent: wr takes the whole object */
	uid_t uid;   /* the caller's, before ids */
	char host_ns[REPORT_NS][48]; /* the parent's, read before clone */
};

/* Checks the sink (125 if unusable). No-op without --report. */
void report_check(const struct config *cfg);
/* Parent, before clone: checks the sink and makes the pipe, one end
 * each. */
void report_prepare(const struct config *cfg, struct report_pipe *rp,
		    struct report_child *rc);
/* In place (inplace.c, no fork, before unshare): the child's steps write
 * the whole object to the sink themselves; FILE is created at once. */
void report_prepare_inplace(const struct config *cfg, struct report_child *rc);
/* Parent, after releasing the child: closes the parent's copy of the
 * child's end and reads the fragment until its exec closes the pipe. */
void report_collect(struct report_pipe *rp);
/* Parent, once init runs: writes the object, cg's description in it; on
 * failure kills the sandbox (its pidfd) and exits 125. */
void report_write(const struct config *cfg, const struct cgroup_set *cg,
		  const struct tier_state *ts, const struct report_pipe *rp,
		  pid_t pid, int pidfd);

/* Child: records one degradation (agent mode) for the report. */
__attribute__((format(printf, 1, 2))) void report_note(const char *fmt, ...);
/* Child: whether a fragment is wanted (--report given). */
static inline int report_child_wanted(const struct report_child *rc)
{
	return rc->wr >= 0;
}
/* Child: `"namespaces": {...}`, its own against the parent's. The
 * fragment is a spaced json_init one: the report is read by people. */
void report_namespaces(struct json *j, const struct config *cfg,
		       const struct report_child *rc);
/* Child, after seccomp: adds the warnings to the fragment its confine
 * steps described (setup/confine.c) and sends it (a write to a pipe:
 * what any filter lets init do anyway); in place, the whole object. */
void report_child_send(const struct config *cfg, const struct tier_state *ts,
		       const struct report_child *rc, struct json *j);

#endif
