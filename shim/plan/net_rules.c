// SPDX-License-Identifier: MIT
/*
 * The text nucleus hands to its two network helpers, printed from parsed
 * values only: the nftables ruleset of --egress-allow (read by `nft -f -`
 * inside the sandbox's network namespace) and pasta's port specs. Pure, so
 * the unit tests check the exact rules. Denials reject rather than drop: a
 * dropped SYN leaves connect() waiting for minutes, while a TCP reset fails
 * it at once (ECONNREFUSED) and other protocols get EPERM from send.
 */
#include "plan/net_rules.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>

struct out {
	char *buf;
	size_t len, off;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o,
						      const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->off < o->len ? o->buf + o->off : NULL,
		      o->off < o->len ? o->len - o->off : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->off += (size_t)n;
}

static void put_cidr(struct out *o, const struct net_cidr *c)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(c->v6 ? AF_INET6 : AF_INET, c->addr, a, sizeof(a));
	put(o, "\t\t%s daddr %s/%u", c->v6 ? "ip6" : "ip", a, c->prefix);
	if (c->port)
		put(o, " meta l4proto { tcp, udp } th dport %u", c->port);
	put(o, " accept\n");
}

size_t net_rules(const struct net_config *net, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };

	if (len)
		buf[0] = '\0';
	put(&o, "table inet nucleus {\n"
		"\tchain egress {\n"
		"\t\ttype filter hook output priority filter; policy drop;\n"
		"\t\toifname \"lo\" accept\n"
		/* replies of published ports, ICMP errors of allowed flows */
		"\t\tct state established,related accept\n"
		/* IPv6 finds its neighbours and routers through ICMPv6 */
		"\t\ticmpv6 type { nd-router-solicit, nd-neighbor-solicit, "
		"nd-neighbor-advert } accept\n");
	if (net->mode == NET_PASTA)
		put(&o, "\t\tip daddr %s udp dport 53 accept\n", NET_DNS_ADDR);
	for (unsigned i = 0; i < net->n_egress; i++)
		put_cidr(&o, &net->egress[i]);
	put(&o, "\t\tmeta l4proto tcp reject with tcp reset\n"
		"\t\treject with icmpx admin-prohibited\n"
		"\t}\n"
		"}\n");
	return o.off;
}

size_t net_pasta_ports(const struct net_config *net, int forward, int udp,
		       char *buf, size_t len)
{
	const struct net_port *p = forward ? net->forward : net->publish;
	unsigned n = forward ? net->n_forward : net->n_publish;
	struct out o = { buf, len, 0 };

	if (len)
		buf[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		if (p[i].udp != udp)
			continue;
		/* -t/-u: listen on the host, connect inside; -T/-U: the
		 * other way round, so the sandbox port comes first. */
		put(&o, "%s%u:%u", o.off ? "," : "",
		    forward ? p[i].sandbox : p[i].host,
		    forward ? p[i].host : p[i].sandbox);
	}
	if (!o.off)
		put(&o, "none");
	return o.off;
}
