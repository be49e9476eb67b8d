/* SPDX-License-Identifier: MIT */
/*
 * What a runtime is to the monitor: whatever builds the sandbox (our clone,
 * sandbox.c; runsc, gvisor.c; next the OCI lifecycle, whose start returns
 * and whose later verbs signal and wait), it is started, signalled, waited
 * for and cleaned up through one table of operations on its own state, so
 * that one monitor loop (monitor.c) serves them all. In place has none: it
 * execs, and nothing is left to watch.
 */
#ifndef NUCLEUS_RUNTIME_H
#define NUCLEUS_RUNTIME_H

#include "host/cgroup.h"

#include <stdint.h>

#define EXIT_TIMEOUT 124

struct json;
struct monitor;

/* How the sandbox ended, for the exit code, --stats and the audit log. */
struct outcome {
	int code;   /* nucleus's exit code */
	int signal; /* the signal that ended the workload, or 0 */
	int timed_out;
	uint64_t wall_ms;
	struct cgroup_stats st;
};

/* Each takes the runtime's own state, rt. */
struct runtime_ops {
	/* Builds the sandbox and returns once its workload runs; calls
	 * monitor_prepare before anything exists and monitor_attach before
	 * the sandbox's first instruction. */
	void (*start)(void *rt, struct monitor *m);
	/* The members of the audit log's "exec" record. */
	void (*audit_exec)(void *rt, const struct monitor *m, struct json *j);
	/* To the workload: a forwarded signal, or --timeout's TERM. */
	void (*signal)(void *rt, int sig);
	/* Step n of the kill at the end of the grace; returns the ms the
	 * runtime grants before its next step, or 0 when it has none left
	 * (the monitor then kills the cgroup). */
	uint64_t (*kill)(void *rt, int n);
	/* A poll timeout of its own for the monitor: wait (-1: none) or
	 * sooner; NULL when it needs none. */
	int (*tick)(void *rt, int wait);
	/* Readable once the sandbox has ended. */
	int (*end_fd)(const void *rt);
	/* After end_fd: reaps the sandbox, sets o->code and o->signal;
	 * o->timed_out is set on entry. */
	void (*wait)(void *rt, struct outcome *o);
	/* Undoes what exists of the runtime's; again harmless. Called on
	 * every way out, die() included (the monitor's). */
	void (*cleanup)(void *rt);
	/* A TERM to us starts the grace that ends in the kill. */
	int term_grace;
};

#endif
