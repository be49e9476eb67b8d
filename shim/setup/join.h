/* SPDX-License-Identifier: MIT */
/* --join-ns: namespaces someone else made, entered instead of new ones. */
#ifndef NUCLEUS_JOIN_H
#define NUCLEUS_JOIN_H

#include "cli/config.h"
#include "setup/prepared.h"

/* Before clone (or the in-place unshare): each path opened and checked to
 * be a namespace of its type; dies with the flag named. */
void join_prepare(const struct config *cfg, struct prepared *prep);
/* The monitor, around clone: back < 0 enters the --join-ns pid one for
 * its children to come and returns its own (-1: none to enter); then
 * join_pid(prep, that) goes back to it. */
int join_pid(const struct prepared *prep, int back);
/* In the child, first of its steps: setns into each (but pid). */
void join_enter(const struct prepared *prep);

#endif
