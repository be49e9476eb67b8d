/* SPDX-License-Identifier: MIT */
/*
 * Creating the sandbox: the clone into new namespaces, what the parent does
 * for the child before releasing it (id maps), and the child's ordered
 * ratchet that ends in execveat of nucleus-init.
 */
#ifndef NUCLEUS_SANDBOX_H
#define NUCLEUS_SANDBOX_H

#include "cli/config.h"
#include "runtime/monitor.h"
#include "setup/prepared.h"

#include <signal.h>
#include <sys/types.h>

/* The clone runtime's state: its caller fills prep and mask. */
struct sandbox {
	struct prepared *prep; /* what the host prepared for the child */
	const sigset_t *mask;  /* the signal mask the child restores */
	pid_t pid;	       /* host pid of the sandbox's init */
	int pidfd;	       /* never reaches a recycled pid */
	int errfd; /* read end: one byte = setup failed, EOF = init runs */
	int pasta; /* pasta's pidfd (--net pasta), or -1 */
};

/* The monitor's view of it (runtime.h); start is sandbox_start. */
extern const struct runtime_ops sandbox_runtime;
/* Clones the child and returns once it has exec'd init (or failed: exit
 * 125); rt is a struct sandbox. */
void sandbox_start(void *rt, struct monitor *m);

/* The clone flags for cfg: every namespace not shared, a user namespace
 * when identity.c says so, CLONE_PIDFD. */
uint64_t sandbox_clone_flags(const struct config *cfg,
			     const struct prepared *prep);
/* In the new namespaces (the cloned child, or nucleus itself in place):
 * host name, network, mounts, then identity, session, env and cwd. */
void sandbox_steps(const struct config *cfg, const struct prepared *prep);
/* The last step: fds closed, execveat of init's memfd; never returns. */
__attribute__((noreturn)) void sandbox_exec_init(const struct config *cfg,
						 const struct prepared *prep);

#endif
