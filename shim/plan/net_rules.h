/* SPDX-License-Identifier: MIT */
/*
 * The text nucleus hands to nft and pasta, derived from struct net_config
 * alone: pure, so the unit tests check it byte for byte.
 */
#ifndef NUCLEUS_NET_RULES_H
#define NUCLEUS_NET_RULES_H

#include "cli/config.h"

#include <stddef.h>

/* What pasta maps to the host's resolver; /etc/resolv.conf names it. A
 * link-local address: never a real peer, and routed through pasta's tap. */
#define NET_DNS_ADDR "169.254.1.1"

/* The nft ruleset of --egress-allow, and pasta's port
 * spec ("none" or "A:B,C:D") for -t/-u (forward=0) or -T/-U (forward=1).
 * Both return the bytes needed, like snprintf. */
size_t net_rules(const struct net_config *net, char *buf, size_t len);
size_t net_pasta_ports(const struct net_config *net, int forward, int udp,
		       char *buf, size_t len);

#endif
