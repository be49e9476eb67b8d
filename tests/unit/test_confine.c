// SPDX-License-Identifier: MIT
/*
 * Unit tests of the confinement flags (args_confine.c), printing TAP: every
 * good value lands in cfg->confine exactly, every bad one is PARSE_ERROR with
 * one line naming the flag.
 */
#include "cli/config.h"
#define TAP_PARSE
#define TAP_CHECKS
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void test_caps(void)
{
	struct config cfg;
	char err[512];

	GOOD(cfg.confine.cap_add == 0, "--", "x");
	GOOD(cfg.confine.cap_add == 1ull << 10, "--cap-add",
	     "CAP_NET_BIND_SERVICE", "--", "x");
	GOOD(cfg.confine.cap_add == 1ull << 10, "--cap-add",
	     "net_bind_service", "--", "x");
	GOOD(cfg.confine.cap_add == ((1ull << 0) | (1ull << 40)), "--cap-add",
	     "cap_chown", "--cap-add=Checkpoint_Restore", "--", "x");
	BAD("--cap-add: 'CAP_BOGUS' is not a capability", "--cap-add",
	    "CAP_BOGUS", "--", "x");
	BAD("--cap-add: 'CAP_' is not", "--cap-add", "CAP_", "--", "x");
	BAD("--cap-add: '12' is not", "--cap-add", "12", "--", "x");
	BAD("--cap-add: 'CAP_NET_RAW ' is not", "--cap-add", "CAP_NET_RAW ",
	    "--", "x");
	BAD("--cap-add: 'chown' given twice", "--cap-add", "CAP_CHOWN",
	    "--cap-add", "chown", "--", "x");
	BAD("--cap-add needs a value", "--cap-add");
	BAD("unknown flag '--cap-drop'", "--cap-drop", "ALL", "--", "x");
}

static void test_rlimits(void)
{
	struct config cfg;
	char err[512];
	const struct confine_config *c = &cfg.confine;

	GOOD(c->rlimit_set == 0, "--", "x");
	GOOD(c->rlimit_set == 1u << 7 && c->rlimit_soft[7] == 64 &&
		     c->rlimit_hard[7] == 64,
	     "--rlimit", "NOFILE=64", "--", "x");
	GOOD(c->rlimit_soft[7] == 64 && c->rlimit_hard[7] == 128, "--rlimit",
	     "nofile=64:128", "--", "x");
	GOOD(c->rlimit_soft[9] == 4ull << 30 && c->rlimit_hard[9] == 4ull << 30,
	     "--rlimit", "RLIMIT_AS=4G", "--", "x");
	GOOD(c->rlimit_soft[4] == 0 && c->rlimit_hard[4] == RLIM_UNLIMITED,
	     "--rlimit", "core=0:unlimited", "--", "x");
	GOOD(c->rlimit_soft[0] == RLIM_UNLIMITED, "--rlimit", "CPU=infinity",
	     "--", "x");
	GOOD(c->rlimit_set == ((1u << 6) | (1u << 1)) &&
		     c->rlimit_soft[1] == 1024 && c->rlimit_hard[6] == 10,
	     "--rlimit", "NPROC=10", "--rlimit", "FSIZE=1k:2K", "--", "x");
	BAD("--rlimit: 'NOFILE' is not NAME=SOFT[:HARD]", "--rlimit",
	    "NOFILE", "--", "x");
	BAD("--rlimit: 'FILES' is not an rlimit", "--rlimit", "FILES=3",
	    "--", "x");
	BAD("--rlimit: 'NOFILE=64:32': soft limit above", "--rlimit",
	    "NOFILE=64:32", "--", "x");
	BAD("--rlimit: 'NOFILE=unlimited:32': soft limit above", "--rlimit",
	    "NOFILE=unlimited:32", "--", "x");
	BAD("--rlimit: 'NOFILE=': a limit is", "--rlimit", "NOFILE=", "--",
	    "x");
	/* Floors: below them init (or any exec) dies, or Landlock and init
	 * have no fd; at the floor, exactly what was asked. */
	BAD("--rlimit: 'AS=1': below AS's floor of 1048576", "--rlimit",
	    "AS=1", "--", "x");
	BAD("--rlimit: 'STACK=1': below STACK's floor of 65536", "--rlimit",
	    "STACK=1", "--", "x");
	BAD("--rlimit: 'DATA=1023K:1G': below DATA's floor", "--rlimit",
	    "DATA=1023K:1G", "--", "x");
	BAD("--rlimit: 'NOFILE=0': below NOFILE's floor of 16", "--rlimit",
	    "NOFILE=0", "--", "x");
	BAD("--rlimit: 'NOFILE=3': below NOFILE's floor of 16", "--rlimit",
	    "NOFILE=3", "--", "x");
	GOOD(c->rlimit_soft[9] == 1 << 20 && c->rlimit_soft[2] == 1 << 20 &&
		     c->rlimit_soft[3] == 64 << 10 && c->rlimit_soft[7] == 16,
	     "--rlimit", "AS=1M", "--rlimit", "DATA=1M", "--rlimit",
	     "STACK=64K", "--rlimit", "NOFILE=16", "--", "x");
	GOOD(c->rlimit_soft[4] == 1, "--rlimit", "CORE=1", "--", "x");
	BAD("--rlimit: 'NOFILE=-1'", "--rlimit", "NOFILE=-1", "--", "x");
	BAD("--rlimit: 'NOFILE=1:'", "--rlimit", "NOFILE=1:", "--", "x");
	BAD("--rlimit: 'NOFILE=1:2:3'", "--rlimit", "NOFILE=1:2:3", "--",
	    "x");
	BAD("--rlimit: 'AS=K'", "--rlimit", "AS=K", "--", "x");
	BAD("--rlimit: 'AS=1X'", "--rlimit", "AS=1X", "--", "x");
	BAD("--rlimit: 'AS=9223372036854775808'", "--rlimit",
	    "AS=9223372036854775808", "--", "x");
	BAD("--rlimit: 'AS=8388608T'", "--rlimit", "AS=8388608T", "--", "x");
	BAD("--rlimit: NOFILE given twice", "--rlimit", "NOFILE=32",
	    "--rlimit", "nofile=64", "--", "x");
}

static void test_landlock(void)
{
	struct config cfg;
	char err[512];
	const struct confine_config *c = &cfg.confine;

	GOOD(c->n_paths == 0 && c->min_abi == 0 && !c->no_landlock, "--",
	     "x");
	GOOD(c->n_paths == 3 && !strcmp(c->paths[0].path, "/a") &&
		     c->paths[0].access == LL_READ &&
		     c->paths[1].access == (LL_READ | LL_WRITE) &&
		     c->paths[2].access == (LL_READ | LL_EXEC),
	     "--landlock-ro", "/a", "--landlock-rw", "/b", "--landlock-exec",
	     "/c", "--", "x");
	GOOD(c->min_abi == 7, "--landlock-min-abi", "7", "--", "x");
	GOOD(c->no_landlock, "--no-landlock", "--", "x");
	BAD("--landlock-ro: 'rel' is not an absolute path", "--landlock-ro",
	    "rel", "--", "x");
	BAD("--landlock-rw: empty value", "--landlock-rw", "", "--", "x");
	BAD("--landlock-min-abi: '0' is not", "--landlock-min-abi", "0", "--",
	    "x");
	BAD("--landlock-min-abi: '65' is not", "--landlock-min-abi", "65",
	    "--", "x");
	BAD("--landlock-min-abi: 'x' is not", "--landlock-min-abi", "x", "--",
	    "x");
	BAD("--landlock-min-abi given twice", "--landlock-min-abi", "1",
	    "--landlock-min-abi", "2", "--", "x");
	BAD("--no-landlock takes no value", "--no-landlock=1", "--", "x");
}

static void test_ports(void)
{
	struct config cfg;
	char err[512];
	const struct confine_config *c = &cfg.confine;

	GOOD(c->n_connect == 2 && c->connect_ports[0] == 443 &&
		     c->connect_ports[1] == 65535 && c->n_bind == 1 &&
		     c->bind_ports[0] == 0,
	     "--allow-connect", "443", "--allow-connect", "65535",
	     "--allow-bind", "0", "--", "x");
	BAD("--allow-connect: '0' is not a TCP port", "--allow-connect", "0",
	    "--", "x");
	BAD("--allow-connect: '65536' is not", "--allow-connect", "65536",
	    "--", "x");
	BAD("--allow-bind: '-1' is not", "--allow-bind", "-1", "--", "x");
	BAD("--allow-bind: 'http' is not", "--allow-bind", "http", "--",
	    "x");
	BAD("--allow-bind: port 80 given twice", "--allow-bind", "80",
	    "--allow-bind", "80", "--", "x");
}

static void test_report(void)
{
	struct config cfg;
	char err[512];
	const struct confine_config *c = &cfg.confine;

	GOOD(!sink_given(&c->report), "--", "x");
	GOOD(c->report.path && !strcmp(c->report.path, "r.json"),
	     "--report", "r.json", "--", "x");
	GOOD(c->report.is_fd && c->report.fd == 3, "--report",
	     "fd:3", "--", "x");
	BAD("--report: 'fd:' is not fd:N", "--report", "fd:", "--", "x");
	BAD("--report: 'fd:x' is not fd:N", "--report", "fd:x", "--", "x");
	BAD("--report: 'fd:99999999' is not", "--report", "fd:99999999", "--",
	    "x");
	BAD("--report given twice", "--report", "a", "--report", "b", "--",
	    "x");
}

static void test_names(void)
{
	ok(!strcmp(cap_name(0), "CHOWN") && !strcmp(cap_name(40),
						     "CHECKPOINT_RESTORE") &&
		   cap_name(41) == NULL,
	   "capability names by number");
	ok(!strcmp(rlimit_name(7), "NOFILE") && !strcmp(rlimit_name(15),
							"RTTIME") &&
		   rlimit_name(16) == NULL,
	   "rlimit names by number");
}

static void test_help(void)
{
	static char buf[65536];
	static const char *const flags[] = {
		"--cap-add CAP", "--rlimit NAME=SOFT[:HARD]", "--landlock-ro PATH",
		"--landlock-rw PATH", "--landlock-exec PATH",
		"--landlock-min-abi N", "--no-landlock", "--allow-connect PORT",
		"--allow-bind PORT", "--report FILE|fd:N"
	};

	args_help(buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		ok(strstr(buf, flags[i]) != NULL, "help lists %s", flags[i]);
}

int main(void)
{
	test_caps();
	test_rlimits();
	test_landlock();
	test_ports();
	test_report();
	test_names();
	test_help();
	return tap_done();
}
