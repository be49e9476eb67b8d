/* SPDX-License-Identifier: MIT */
/*
 * The sandbox's network: its own namespace with lo up (--net none), the
 * host's (--net host), or its own namespace joined to the outside by a
 * pasta process that nucleus starts and stops (--net pasta); egress rules
 * are nftables rules inside the sandbox's own namespace, never the host's.
 */
#ifndef NUCLEUS_NET_H
#define NUCLEUS_NET_H

#include "cli/config.h"
#include "plan/net_rules.h"

#include <stddef.h>
#include <sys/types.h>

/* The host tools found before clone, in struct prepared (NULL: none
 * needed); fixed paths, never $PATH: nucleus may run them as root. */
struct net_tools {
	const char *pasta, *nft;
};

/* Parent, before clone: finds pasta and nft, so a missing tool is exit 125
 * before anything exists (what cannot work in place, the plan refused). */
void net_prepare(const struct config *cfg, struct net_tools *t);
/* Parent, after the id maps and before releasing the child: checks that
 * pasta or egress rules get a namespace of the sandbox's own, then pasta
 * joined to the child's namespaces (and user namespace, if userns) and
 * ready (it wrote its pid file). *pasta (-1 on entry) gets pasta's pidfd
 * before the wait, so that a die() from there on stops it: the caller's
 * cleanup, on every way out, calls net_stop. */
void net_start(const struct config *cfg, const struct net_tools *t, int userns,
	       pid_t child, int *pasta);
/* Parent: kills and reaps pasta (its pidfd *pasta), if running; *pasta
 * becomes -1. */
void net_stop(int *pasta);
/* Child, in its new network namespace and before the mounts (nft is a host
 * binary): lo up, then the --egress-allow rules. */
void net_setup(const struct config *cfg, const struct net_tools *t);
/* Child, after pivot_root: /etc/resolv.conf points at NET_DNS_ADDR. */
void net_dns(const struct config *cfg);
/* Child: loopback up (127.0.0.1 and ::1 work; nothing routes out). */
void net_lo_up(void);

#endif
