/* SPDX-License-Identifier: MIT */
/* The outer nucleus: prepares what lives outside the sandbox (audit and
 * stats sinks, the sd_notify relay, the cgroup) before the runtime builds
 * it, places it before it is released, then forwards signals, enforces
 * --timeout, relays sd_notify, cleans up, and turns the sandbox's end into
 * the exit code of DESIGN.md, whichever runtime (runtime.h) built it. */
#ifndef NUCLEUS_MONITOR_H
#define NUCLEUS_MONITOR_H

#include "cli/config.h"
#include "host/notify.h"
#include "runtime/runtime.h"

#include <signal.h>

/* One run, filled by its caller up to sigfd; the rest is the monitor's. */
struct named;
struct tty_relay;

struct monitor {
	const struct config *cfg;
	const struct runtime_ops *ops;
	void *rt;		    /* the runtime's state, for ops */
	int sigfd;		    /* the forwarded signals, blocked */
	struct notify_relay notify; /* --sd-notify's relay */
	struct cgroup_set cg;	    /* the sandbox's cgroups */
	uint64_t tprep, t0;	    /* monitor_prepare, monitor_attach */
	int stats_warned;	    /* --stats said once that it cannot write */
	struct named *named;	    /* --name's entry: removed by a failure */
	struct tty_relay *tty;	    /* --tty's relay, or NULL */
};

/* The signals forwarded to the sandbox; blocked before clone. */
void monitor_signals(sigset_t *set);
/* Before the sandbox exists: returns the v2 cgroup fd for
 * CLONE_INTO_CGROUP, or -1. From here on a setup failure (die) undoes
 * everything created, the runtime's part included. */
int monitor_prepare(struct monitor *m);
/* Once the sandbox's first process exists, before it is released: v1
 * cgroup attach, audit. */
void monitor_attach(struct monitor *m, pid_t pid);
/* The sandbox's setup failed (its reason already said): undo, 125. */
__attribute__((noreturn)) void monitor_fail(struct monitor *m);
/* Watches the running sandbox to its end; returns nucleus's exit code. */
int monitor_run(struct monitor *m);

#endif
