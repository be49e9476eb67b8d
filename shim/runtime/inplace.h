/* SPDX-License-Identifier: MIT */
/*
 * The Dockerfile-prefix case: nucleus is PID 1 of a pid namespace it was
 * asked to share (--share pid), so no new sandbox process is needed and none
 * is made. It restricts itself in place and execs nucleus-init from the
 * memfd, which stays PID 1; no monitor remains outside. The plan decides
 * when (PLAN_INPLACE) and refuses what needs the monitor.
 */
#ifndef NUCLEUS_INPLACE_H
#define NUCLEUS_INPLACE_H

#include "cli/config.h"
#include "setup/prepared.h"

/* The child's ratchet of sandbox.c, run by this very process; never
 * returns (exit 125 on failure, like any setup step). */
__attribute__((noreturn)) void inplace_exec(const struct config *cfg,
					    struct prepared *prep);

#endif
