// SPDX-License-Identifier: MIT
/*
 * Flags of the sandbox's network: --net none|host|pasta, --allow-host-net,
 * the pasta port forwards (--publish, --forward-host) and the egress allow
 * list (--egress-allow). Setters are pure and store parsed numbers, never
 * the flag text, so what later reaches pasta's argv or nft's input is
 * printed by nucleus itself from checked values. args_net_default() runs
 * once every flag is read, so that --share net is --net host in any argv
 * order; the rules that tie these flags together are the plan's.
 */
#include "cli/args.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static int set_net(struct config *cfg, const char *v, char *err, size_t len)
{
	static const char *const names[] = { "none", "host", "pasta" };
	static const enum net_mode modes[] = { NET_NONE, NET_HOST, NET_PASTA };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v, names[i]) == 0) {
			cfg->net.mode = modes[i];
			return 0;
		}
	return args_fail(err, len, "'%s' is not none, host or pasta", v);
}

static int set_allow_host(struct config *cfg, const char *v, char *err,
			  size_t len)
{
	(void)v, (void)err, (void)len;
	cfg->net.allow_host = 1;
	return 0;
}

/* n bytes of s as a port, 1 to 65535; 0 or -1. */
static int port_n(const char *s, size_t n, uint16_t *port)
{
	char buf[8];
	uint64_t v;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (parse_u64(buf, 1, 65535, &v) < 0)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* "A[:B][/tcp|/udp]" into p; B defaults to A unless both are required. */
static int parse_ports(const char *v, int need_both, struct net_port *p)
{
	const char *slash = strchr(v, '/');
	size_t n = slash ? (size_t)(slash - v) : strlen(v);
	const char *colon = memchr(v, ':', n);

	p->udp = 0;
	if (slash && strcmp(slash, "/udp") == 0)
		p->udp = 1;
	else if (slash && strcmp(slash, "/tcp") != 0)
		return -1;
	if (!colon) {
		if (need_both || port_n(v, n, &p->host) < 0)
			return -1;
		p->sandbox = p->host;
		return 0;
	}
	if (port_n(v, (size_t)(colon - v), &p->host) < 0 ||
	    port_n(colon + 1, n - (size_t)(colon - v) - 1, &p->sandbox) < 0)
		return -1;
	return 0;
}

static int set_publish(struct config *cfg, const char *v, char *err, size_t len)
{
	struct net_config *net = &cfg->net;
	struct net_port p;

	if (parse_ports(v, 1, &p) < 0)
		return args_fail(err, len,
				 "'%s' is not HOST:CONTAINER[/udp] "
				 "with ports 1 to 65535",
				 v);
	for (unsigned i = 0; i < net->n_publish; i++)
		if (net->publish[i].host == p.host &&
		    net->publish[i].udp == p.udp)
			return args_fail(err, len,
					 "host port %u/%s published "
					 "twice",
					 p.host, p.udp ? "udp" : "tcp");
	if (net->n_publish >= NET_MAX_PORTS)
		return args_fail(err, len, "more than %d ports", NET_MAX_PORTS);
	net->publish[net->n_publish++] = p;
	return 0;
}

static int set_forward(struct config *cfg, const char *v, char *err, size_t len)
{
	struct net_config *net = &cfg->net;
	struct net_port p;

	if (parse_ports(v, 0, &p) < 0)
		return args_fail(err, len,
				 "'%s' is not HOST[:CONTAINER][/udp] "
				 "with ports 1 to 65535",
				 v);
	for (unsigned i = 0; i < net->n_forward; i++)
		if (net->forward[i].sandbox == p.sandbox &&
		    net->forward[i].udp == p.udp)
			return args_fail(err, len,
					 "sandbox port %u/%s "
					 "forwarded twice",
					 p.sandbox, p.udp ? "udp" : "tcp");
	if (net->n_forward >= NET_MAX_PORTS)
		return args_fail(err, len, "more than %d ports", NET_MAX_PORTS);
	net->forward[net->n_forward++] = p;
	return 0;
}

/* n bytes of s as an address (IPv4 when !v6) with an optional /LEN. */
static int parse_prefix(const char *s, size_t n, int v6, struct net_cidr *c)
{
	char buf[64];
	char *slash;
	uint64_t plen = v6 ? 128 : 32;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (parse_u64(slash + 1, 0, v6 ? 128 : 32, &plen) < 0)
			return -1;
	}
	if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, c->addr) != 1)
		return -1;
	c->v6 = (uint8_t)v6;
	c->prefix = (uint8_t)plen;
	return 0;
}

/* A.B.C.D[/LEN][:PORT], ADDR6[/LEN], ADDR6/LEN:PORT or [ADDR6[/LEN]]:PORT:
 * a port follows only where it cannot be read as part of an IPv6 address. */
static int parse_cidr(const char *v, struct net_cidr *c)
{
	const char *end = v + strlen(v), *port = NULL, *colon;
	int v6 = strchr(v, ':') != strrchr(v, ':') || v[0] == '[';

	memset(c, 0, sizeof(*c));
	if (v[0] == '[') {
		const char *close = strchr(v, ']');

		if (!close || (close[1] && close[1] != ':'))
			return -1;
		port = close[1] ? close + 2 : NULL;
		end = close;
		v++;
	} else if (!v6 || strchr(v, '/')) {
		colon = strrchr(v, ':');
		if (colon && (!v6 || colon > strchr(v, '/'))) {
			port = colon + 1;
			end = colon;
		}
	}
	if (parse_prefix(v, (size_t)(end - v), v6, c) < 0)
		return -1;
	return port ? port_n(port, strlen(port), &c->port) : 0;
}

/* 0 when no bit beyond the prefix is set. */
static int host_bits(const struct net_cidr *c)
{
	unsigned bytes = c->v6 ? 16 : 4;

	for (unsigned i = 0; i < bytes; i++) {
		unsigned keep = c->prefix >= 8 * (i + 1) ? 8
				: c->prefix > 8 * i	 ? c->prefix - 8 * i
							 : 0;
		uint8_t mask = (uint8_t)(0xffu >> keep); /* host bits */

		if (c->addr[i] & mask)
			return 1;
	}
	return 0;
}

static int set_egress(struct config *cfg, const char *v, char *err, size_t len)
{
	struct net_config *net = &cfg->net;
	struct net_cidr c;

	if (parse_cidr(v, &c) < 0)
		return args_fail(err, len,
				 "'%s' is not CIDR[:PORT] (10.0.0.0/8, "
				 "192.0.2.1:443, fd00::/8, "
				 "[fd00::1]:443)",
				 v);
	if (host_bits(&c))
		return args_fail(err, len, "'%s' has bits set beyond /%u", v,
				 c.prefix);
	for (unsigned i = 0; i < net->n_egress; i++)
		if (memcmp(&net->egress[i], &c, sizeof(c)) == 0)
			return args_fail(err, len, "'%s' given twice", v);
	if (net->n_egress >= NET_MAX_EGRESS)
		return args_fail(err, len, "more than %d entries",
				 NET_MAX_EGRESS);
	net->egress[net->n_egress++] = c;
	return 0;
}

/* --share net is the older spelling of --net host, and the default is none.
 * When they clash (--share net --net none) both stay as given: the plan
 * refuses that (plan/plan.c), with the other rules between flags. */
void args_net_default(struct config *cfg)
{
	struct net_config *net = &cfg->net;

	if ((cfg->share & SHARE_NET) && net->mode == NET_DEFAULT)
		net->mode = NET_HOST;
	if (net->mode == NET_DEFAULT)
		net->mode = NET_NONE;
	if (net->mode == NET_HOST)
		cfg->share |= SHARE_NET;
}

static const struct option_row net_rows[] = {
	{ "net", 0, "MODE", 0, set_net,
	  "none (default: only lo), host (the host's; alias --share net) "
	  "or pasta (user-mode, outbound)" },
	{ "allow-host-net", 0, NULL, 0, set_allow_host,
	  "permit --net host in --mode production" },
	{ "publish", 'p', "HOST:CONTAINER[/udp]", 1, set_publish,
	  "forward the host's port HOST to CONTAINER inside (pasta)" },
	{ "forward-host", 0, "HOST[:CONTAINER][/udp]", 1, set_forward,
	  "inside, 127.0.0.1:CONTAINER reaches the host's loopback:HOST "
	  "(pasta)" },
	{ "egress-allow", 0, "CIDR[:PORT]", OPT_REPEAT | OPT_MONITOR,
	  set_egress,
	  "allow outbound traffic only to these (nftables inside; "
	  "repeatable)" },
};
const struct option_table args_net_table = {
	net_rows, sizeof(net_rows) / sizeof(net_rows[0])
};
