/* SPDX-License-Identifier: MIT */
/*
 * sd_notify for a sandbox run as a systemd Type=notify service: the host's
 * NOTIFY_SOCKET never reaches the workload; with --sd-notify the monitor
 * gives it a socket of its own and relays only readiness messages, as the
 * service's main process (MAINPID = the monitor).
 */
#ifndef NUCLEUS_NOTIFY_H
#define NUCLEUS_NOTIFY_H

#include "cli/config.h"

/* Before clone: with --sd-notify, binds the relay socket (its path into
 * res_notify_socket, the source of the sandbox's /run/notify) and returns
 * its fd; else -1. The sandbox's environment never holds the host's
 * NOTIFY_SOCKET: it starts from a clean one. */
int notify_setup(const struct config *cfg);
/* Relays the pending datagrams (READY=1, STATUS=, STOPPING=1, WATCHDOG=1
 * lines only) to the host's NOTIFY_SOCKET. */
void notify_relay(int fd);
/* Removes the socket file; safe to call twice. */
void notify_cleanup(void);

#endif
