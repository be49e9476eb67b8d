/* SPDX-License-Identifier: MIT */
/* The outer nucleus: prepares what lives outside the sandbox (audit and
 * stats sinks, the sd_notify relay, the cgroup) before clone, places the
 * child before it is released, then forwards signals, enforces --timeout,
 * relays sd_notify, cleans up, and turns the sandbox init's end into the
 * exit code of DESIGN.md. */
#ifndef NUCLEUS_MONITOR_H
#define NUCLEUS_MONITOR_H

#include "cli/config.h"
#include "runtime/sandbox.h"

#include <signal.h>

/* The signals forwarded to the sandbox; blocked before clone. */
void monitor_signals(sigset_t *set);
/* Before clone: returns the v2 cgroup fd for CLONE_INTO_CGROUP, or -1.
 * From here on a setup failure (die) removes everything created. */
int monitor_prepare(const struct config *cfg);
/* After clone, before the child is released: v1 cgroup attach, audit. */
void monitor_attach(const struct config *cfg, pid_t pid);
int monitor_run(const struct config *cfg, const struct sandbox *sb, int sigfd);
/* For a loop of its own (--runtime gvisor): the cgroup emptied and
 * removed, the last --stats and --audit records; returns the exit code. */
int monitor_end(int code, int timed_out);

#endif
