/* SPDX-License-Identifier: MIT */
/* --console-socket: the workload's terminal, its master handed out. */
#ifndef NUCLEUS_CONSOLE_H
#define NUCLEUS_CONSOLE_H

#include "cli/config.h"
#include "setup/prepared.h"

/* Before clone: connects to the socket (a host path); prep->console.
 * --tty: a socketpair instead, whose other end it returns (else -1). */
int console_prepare(const struct config *cfg, struct prepared *prep);
/* The master sent to sock's peer, or -1 (the peer died first); closes
 * sock. */
int console_recv(int sock);
/* Child, once /dev/pts is the sandbox's: a pty of that devpts, its slave
 * on fds 0-2, its master sent over the socket (SCM_RIGHTS). */
void console_open(const struct prepared *prep);
/* Child, after setsid: the slave becomes the controlling terminal. */
void console_ctty(const struct prepared *prep);

#endif
