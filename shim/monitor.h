/* SPDX-License-Identifier: MIT */
/* The outer nucleus after setup: forwards signals, enforces --timeout, and
 * turns the sandbox init's end into the exit code of DESIGN.md. */
#ifndef NUCLEUS_MONITOR_H
#define NUCLEUS_MONITOR_H

#include "config.h"
#include "sandbox.h"

#include <signal.h>

/* The signals forwarded to the sandbox; blocked before clone. */
void monitor_signals(sigset_t *set);
int monitor_run(const struct config *cfg, const struct sandbox *sb, int sigfd);

#endif
