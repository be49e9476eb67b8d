/* SPDX-License-Identifier: MIT */
/* --name: an argv sandbox in the OCI verbs' state directory (named.c). */
#ifndef NUCLEUS_NAMED_H
#define NUCLEUS_NAMED_H

#include <sys/types.h>

struct named {
	const char *name;
	int root, dir; /* root < 0: no --name */
};

/* Before setup: the entry made (exit 125 if a live sandbox has the name;
 * a stale one is replaced), "creating", with the argv kept for exec. */
void named_claim(struct named *n, const char *name, int argc, char **argv);
/* Once init runs: its pid, "running". */
void named_running(const struct named *n, pid_t init);
/* When the sandbox has ended: the entry removed. */
void named_release(struct named *n);

#endif
