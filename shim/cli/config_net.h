/* SPDX-License-Identifier: MIT */
/*
 * The network part of struct config (flags in args_net.c): which network
 * the sandbox gets (none, the host's, or pasta's user-mode one), the ports
 * pasta forwards each way, and the egress allow list that becomes nftables
 * rules inside the sandbox's own network namespace. Addresses are stored
 * parsed, in network byte order, so no flag text ever reaches nft.
 */
#ifndef NUCLEUS_CONFIG_NET_H
#define NUCLEUS_CONFIG_NET_H

#include <stdint.h>

#define NET_MAX_PORTS 64
#define NET_MAX_EGRESS 64

/* NET_DEFAULT: no --net given; args_net_default() turns it into NONE, or
 * HOST for --share net. */
enum net_mode {
	NET_DEFAULT,
	NET_NONE,
	NET_HOST,
	NET_PASTA
};

/* One forwarded port: --publish (host -> sandbox) or --forward-host
 * (sandbox loopback -> host loopback). */
struct net_port {
	uint16_t host;
	uint16_t sandbox;
	uint8_t udp; /* 0: TCP */
};

/* One --egress-allow entry: an address prefix and maybe one port. */
struct net_cidr {
	uint8_t v6;	  /* 0: IPv4 (addr[0..3]) */
	uint8_t prefix;	  /* 0..32 or 0..128 */
	uint8_t addr[16]; /* host bits are zero (checked) */
	uint16_t port;	  /* 0: every port */
};

struct net_config {
	enum net_mode mode;			/* --net */
	int allow_host;				/* --allow-host-net */
	struct net_port publish[NET_MAX_PORTS]; /* --publish */
	unsigned n_publish;
	struct net_port forward[NET_MAX_PORTS]; /* --forward-host */
	unsigned n_forward;
	struct net_cidr egress[NET_MAX_EGRESS]; /* --egress-allow */
	unsigned n_egress;
};

#endif
