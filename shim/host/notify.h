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

#include <sys/socket.h>
#include <sys/un.h>

/* The monitor's relay: the socket it reads, and the host's to send to. */
struct notify_relay {
	int fd;	     /* the sandbox's socket, or -1 */
	int host_fd; /* ours towards NOTIFY_SOCKET, or -1 */
	socklen_t host_len;
	struct sockaddr_un host;
	char path[108]; /* the relay socket's host path, or "" */
};

/* Before clone: with --sd-notify, binds the relay socket (r->path, the
 * source of the sandbox's /run/notify) into r->fd;
 * else r->fd is -1. The sandbox's environment never holds the host's
 * NOTIFY_SOCKET: it starts from a clean one. */
void notify_setup(const struct config *cfg, struct notify_relay *r);
/* Relays the pending datagrams (READY=1, STATUS=, STOPPING=1, WATCHDOG=1
 * lines only) to the host's NOTIFY_SOCKET. */
void notify_relay(const struct notify_relay *r);
/* Removes the socket file; safe to call twice. */
void notify_cleanup(struct notify_relay *r);

#endif
