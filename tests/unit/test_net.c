// SPDX-License-Identifier: MIT
/*
 * Unit tests of the network flags (printing TAP): --net, --allow-host-net,
 * --publish, --forward-host, --egress-allow through the real argv parser,
 * the rules that tie them together in any argv order, and the exact text
 * handed to nft and pasta (net_rules.c), which is built from parsed numbers
 * only, so no flag text can reach either tool.
 */
#include "cli/config.h"
#include "plan/net_rules.h"
#include "plan/plan.h"
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>


static struct config cfg;
static char err[512];

/* Parses a NULL-terminated list followed by "-- x", then makes the plan,
 * which holds the rules between these flags (plan/plan.c): a refusal
 * there reads as a parse error here. */
static enum parse_result parse(const char *first, ...)
{
	static char *argv[64] = { "nucleus" };
	int argc = 1;
	va_list ap;

	va_start(ap, first);
	for (const char *a = first; a && argc < 61; a = va_arg(ap, char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc++] = "--";
	argv[argc++] = "x";
	err[0] = '\0';
	enum parse_result r =
		parse_args(argc, argv, &cfg, tap_room(), err, sizeof(err));
	struct host_facts host = { .pid1 = 0, .landlock_abi = 7 };
	struct plan plan;

	if (r != PARSE_OK)
		return r;
	return plan_make(&cfg, &host, &plan, err, sizeof(err)) < 0
		       ? PARSE_ERROR
		       : PARSE_OK;
}

#define GOOD(desc, ...) ok(parse(__VA_ARGS__, NULL) == PARSE_OK, \
			   "accepts %s (%s)", desc, err)
#define BAD(needle, ...)                                                      \
	do {                                                                  \
		enum parse_result r = parse(__VA_ARGS__, NULL);               \
		ok(r == PARSE_ERROR && strstr(err, needle) &&                 \
			   !strchr(err, '\n'),                                \
		   "rejects " #__VA_ARGS__ " (%s)", err);                     \
	} while (0)

static void test_modes(void)
{
	ok(parse(NULL) == PARSE_OK && cfg.net.mode == NET_NONE &&
		   !(cfg.share & SHARE_NET),
	   "default: --net none, own namespace");
	GOOD("--net host", "--net", "host");
	ok(cfg.net.mode == NET_HOST && (cfg.share & SHARE_NET),
	   "--net host shares the host's namespace");
	GOOD("--share net", "--share", "net");
	ok(cfg.net.mode == NET_HOST, "--share net is --net host");
	GOOD("--share net --net host", "--share", "net", "--net", "host");
	GOOD("--net=pasta", "--net=pasta");
	ok(cfg.net.mode == NET_PASTA && !(cfg.share & SHARE_NET),
	   "--net pasta: own namespace");
	GOOD("host in production with the opt-in", "--mode", "production",
	     "--net", "host", "--allow-host-net");
	GOOD("the opt-in first", "--allow-host-net", "--net", "host", "--mode",
	     "production");
	GOOD("pasta in production", "--mode", "production", "--net", "pasta");
	BAD("--net: 'bridge' is not none, host or pasta", "--net", "bridge");
	BAD("--net given twice", "--net", "none", "--net", "pasta");
	BAD("--net host: the host's network is refused in --mode production",
	    "--net", "host", "--mode", "production");
	BAD("refused in --mode production", "--mode", "production", "--share",
	    "net");
	BAD("--share net: conflicts with --net pasta", "--net", "pasta",
	    "--share", "net");
	BAD("--share net: conflicts with --net none", "--share", "net",
	    "--net", "none");
	BAD("--allow-host-net takes no value", "--allow-host-net=1");
}

static void test_ports(void)
{
	GOOD("publish", "--net", "pasta", "--publish", "8080:80", "-p",
	     "5353:53/udp", "-p", "1:65535/tcp");
	ok(cfg.net.n_publish == 3 && cfg.net.publish[0].host == 8080 &&
		   cfg.net.publish[0].sandbox == 80 && !cfg.net.publish[0].udp &&
		   cfg.net.publish[1].udp && cfg.net.publish[2].sandbox == 65535,
	   "--publish values");
	GOOD("same port twice, tcp and udp", "--net", "pasta", "-p", "53:53",
	     "-p", "53:53/udp");
	GOOD("forward-host", "--forward-host", "5432", "--forward-host",
	     "8080:80/udp", "--net", "pasta");
	ok(cfg.net.n_forward == 2 && cfg.net.forward[0].host == 5432 &&
		   cfg.net.forward[0].sandbox == 5432 &&
		   cfg.net.forward[1].sandbox == 80 && cfg.net.forward[1].udp,
	   "--forward-host values, CONTAINER defaults to HOST");
	BAD("--publish: needs --net pasta", "-p", "80:80");
	BAD("--publish: needs --net pasta", "--net", "host", "-p", "80:80");
	BAD("--forward-host: needs --net pasta", "--forward-host", "80");
	BAD("is not HOST:CONTAINER", "--net", "pasta", "-p", "80");
	BAD("is not HOST:CONTAINER", "--net", "pasta", "-p", "0:80");
	BAD("is not HOST:CONTAINER", "--net", "pasta", "-p", "80:65536");
	BAD("is not HOST:CONTAINER", "--net", "pasta", "-p", "80:80/sctp");
	BAD("is not HOST:CONTAINER", "--net", "pasta", "-p", "80:80/");
	BAD("is not HOST:CONTAINER", "--net", "pasta", "-p", ":80");
	BAD("is not HOST:CONTAINER", "--net", "pasta", "-p", "80:");
	BAD("is not HOST:CONTAINER", "--net", "pasta", "-p", "a:80");
	BAD("is not HOST:CONTAINER", "--net", "pasta", "-p", "1:2:3");
	BAD("is not HOST:CONTAINER", "--net", "pasta", "-p", "-1:80");
	BAD("is not HOST:CONTAINER", "--net", "pasta", "-p", "99999999:80");
	BAD("host port 80/tcp published twice", "--net", "pasta", "-p",
	    "80:80", "-p", "80:81/tcp");
	BAD("sandbox port 80/udp forwarded twice", "--net", "pasta",
	    "--forward-host", "80/udp", "--forward-host", "81:80/udp");
	BAD("is not HOST[:CONTAINER]", "--net", "pasta", "--forward-host",
	    "http");
}

/* --egress-allow TEXT parses to the expected family, prefix and port. */
static void cidr(const char *text, int v6, unsigned prefix, unsigned port,
		 const char *addr)
{
	char a[64] = "";
	int good = parse("--egress-allow", text, NULL) == PARSE_OK &&
		   cfg.net.n_egress == 1;
	const struct net_cidr *c = &cfg.net.egress[0];

	if (good) {
		snprintf(a, sizeof(a), "%u.%u.%u.%u", c->addr[0], c->addr[1],
			 c->addr[2], c->addr[3]);
		if (v6)
			snprintf(a, sizeof(a), "%02x%02x..%02x", c->addr[0],
				 c->addr[1], c->addr[15]);
	}
	ok(good && c->v6 == v6 && c->prefix == prefix && c->port == port &&
		   strcmp(a, addr) == 0,
	   "--egress-allow %s: %s/%u port %u (%s)", text, a, prefix, port,
	   err);
}

static void test_egress(void)
{
	cidr("10.0.0.0/8", 0, 8, 0, "10.0.0.0");
	cidr("192.0.2.1", 0, 32, 0, "192.0.2.1");
	cidr("192.0.2.1:443", 0, 32, 443, "192.0.2.1");
	cidr("192.0.2.0/24:53", 0, 24, 53, "192.0.2.0");
	cidr("0.0.0.0/0", 0, 0, 0, "0.0.0.0");
	cidr("fd00::/8", 1, 8, 0, "fd00..00");
	cidr("fd00::1", 1, 128, 0, "fd00..01");
	cidr("fd00::/64:443", 1, 64, 443, "fd00..00");
	cidr("[fd00::1]:443", 1, 128, 443, "fd00..01");
	cidr("[fd00::/16]:80", 1, 16, 80, "fd00..00");
	cidr("::/0", 1, 0, 0, "0000..00");
	cidr("[fd00::1]", 1, 128, 0, "fd00..01");
	GOOD("egress in none", "--egress-allow", "10.0.0.0/8", "--net",
	     "none");
	GOOD("egress in pasta, repeated", "--net", "pasta", "--egress-allow",
	     "10.0.0.0/8", "--egress-allow", "10.0.0.0/8:80");
	BAD("--egress-allow: would filter the host's own network",
	    "--egress-allow", "10.0.0.0/8", "--net", "host");
	BAD("--egress-allow: would filter", "--share", "net",
	    "--egress-allow", "10.0.0.0/8");
	BAD("has bits set beyond /8", "--egress-allow", "10.0.0.1/8");
	BAD("has bits set beyond /31", "--egress-allow", "10.0.0.1/31");
	BAD("has bits set beyond /64", "--egress-allow", "fd00::1/64");
	BAD("'10.0.0.0/8' given twice", "--egress-allow", "10.0.0.0/8",
	    "--egress-allow", "10.0.0.0/8");
	static const char *const bad[] = {
		"10.0.0.0/33", "10.0.0", "10.0.0.256", "10.0.0.1:0",
		"10.0.0.1:65536", "10.0.0.1:", "10.0.0.1/", "/8", "fd00::/129",
		"[fd00::1]x", "[]:80", "[fd00::1]:", "[10.0.0.1]:80", "fd00::1:x",
		"localhost", "10.0.0.1/8/8", "10.0.0.0/-1", "[fd00::1:80",
		"1.2.3.4 ", " 1.2.3.4", "fe80::1%eth0",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		BAD("is not CIDR[:PORT]", "--egress-allow", bad[i]);
}

static void test_rules(void)
{
	char buf[4096];
	size_t n;

	parse("--net", "pasta", "--egress-allow", "10.1.0.0/16",
	      "--egress-allow", "192.0.2.7:443", "--egress-allow",
	      "[fd00::1]:53", NULL);
	n = net_rules(&cfg.net, buf, sizeof(buf));
	ok(n == strlen(buf) && n < sizeof(buf), "ruleset fits (%zu bytes)", n);
	ok(strstr(buf, "type filter hook output priority filter; "
		       "policy drop;") != NULL,
	   "output chain, default drop");
	ok(strstr(buf, "\t\tip daddr 10.1.0.0/16 accept\n") &&
		   strstr(buf, "\t\tip daddr 192.0.2.7/32 meta l4proto "
			       "{ tcp, udp } th dport 443 accept\n") &&
		   strstr(buf, "\t\tip6 daddr fd00::1/128 meta l4proto "
			       "{ tcp, udp } th dport 53 accept\n"),
	   "one accept per entry, printed from the parsed values");
	ok(strstr(buf, "ip daddr " NET_DNS_ADDR " udp dport 53 accept") != NULL,
	   "pasta: DNS forwarder allowed");
	ok(strstr(buf, "oifname \"lo\" accept") &&
		   strstr(buf, "ct state established,related accept"),
	   "loopback and replies allowed");
	ok(strstr(buf, "reject with tcp reset\n\t\treject with icmpx "
		       "admin-prohibited\n\t}\n}\n") != NULL,
	   "denials rejected at the end");
	ok(net_rules(&cfg.net, buf, 10) == n && strlen(buf) == 9,
	   "a short buffer truncates, the length stays");
	parse("--egress-allow", "10.0.0.0/8", NULL);
	net_rules(&cfg.net, buf, sizeof(buf));
	ok(!strstr(buf, NET_DNS_ADDR), "none: no DNS forwarder rule");
}

static void test_pasta_ports(void)
{
	char buf[1024];

	parse("--net", "pasta", NULL);
	net_pasta_ports(&cfg.net, 0, 0, buf, sizeof(buf));
	ok(strcmp(buf, "none") == 0, "no --publish: -t none");
	parse("--net", "pasta", "-p", "8080:80", "-p", "53:5353/udp", "-p",
	      "9090:90", "--forward-host", "5432:15432", NULL);
	net_pasta_ports(&cfg.net, 0, 0, buf, sizeof(buf));
	ok(strcmp(buf, "8080:80,9090:90") == 0, "-t 8080:80,9090:90 (%s)",
	   buf);
	net_pasta_ports(&cfg.net, 0, 1, buf, sizeof(buf));
	ok(strcmp(buf, "53:5353") == 0, "-u 53:5353 (%s)", buf);
	net_pasta_ports(&cfg.net, 1, 0, buf, sizeof(buf));
	ok(strcmp(buf, "15432:5432") == 0,
	   "-T lists the sandbox port first (%s)", buf);
	net_pasta_ports(&cfg.net, 1, 1, buf, sizeof(buf));
	ok(strcmp(buf, "none") == 0, "-U none (%s)", buf);
}

/* --net pasta and n different --publish. */
static enum parse_result parse_n_ports(int n)
{
	static char ports[NET_MAX_PORTS + 1][16];
	static char *argv[2 * NET_MAX_PORTS + 8];
	int argc = 0;

	argv[argc++] = "nucleus";
	argv[argc++] = "--net";
	argv[argc++] = "pasta";
	for (int i = 0; i < n; i++) {
		snprintf(ports[i], sizeof(ports[i]), "%d:80", 1000 + i);
		argv[argc++] = "-p";
		argv[argc++] = ports[i];
	}
	argv[argc++] = "--";
	argv[argc++] = "x";
	return parse_args(argc, argv, &cfg, tap_room(), err, sizeof(err));
}

static void test_limits(void)
{
	ok(parse_n_ports(NET_MAX_PORTS) == PARSE_OK &&
		   cfg.net.n_publish == NET_MAX_PORTS,
	   "%d --publish accepted", NET_MAX_PORTS);
	ok(parse_n_ports(NET_MAX_PORTS + 1) == PARSE_ERROR &&
		   strstr(err, "more than 64 ports"),
	   "one more is refused (%s)", err);
}

int main(void)
{
	test_modes();
	test_ports();
	test_egress();
	test_rules();
	test_pasta_ports();
	test_limits();
	return tap_done();
}
