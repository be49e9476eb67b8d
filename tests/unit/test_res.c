// SPDX-License-Identifier: MIT
/*
 * Unit tests of the resource flags (args_res.c), printing TAP: every good
 * value lands in cfg.res exactly, every bad one is PARSE_ERROR with one line
 * naming the flag. The combinations no single setter can see are the
 * plan's (tests/unit/test_plan.c).
 */
#include "cli/config.h"
#define TAP_CHECKS
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static enum parse_result parse(struct config *cfg, char *err, ...)
{
	static char *argv[64] = { "nucleus" }; /* cfg.argv points into it */
	int argc = 1;
	va_list ap;

	va_start(ap, err);
	while (argc < 60 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc++] = "--";
	argv[argc++] = "x";
	argv[argc] = NULL;
	err[0] = '\0';
	return parse_args(argc, argv, cfg, tap_room(), err, 512);
}

static void test_good(void)
{
	struct config cfg;
	char err[512];

	GOOD(!cfg.res.memory && !cfg.res.has_pids && !cfg.res.name &&
		     !cfg.res.stats.path && !cfg.res.stats.fd &&
		     !cfg.res.sd_notify,
	     "--mode", "agent");
	GOOD(cfg.res.memory == 512ull << 20, "--memory", "512M");
	GOOD(cfg.res.memory == 2ull << 30, "--memory=2g");
	GOOD(cfg.res.memory == 1048576, "--memory", "1048576");
	GOOD(cfg.res.has_memory_swap && cfg.res.memory_swap == 0, "--memory",
	     "1G", "--memory-swap", "0");
	GOOD(cfg.res.memory_high == 256ull << 20, "--memory-high", "256M");
	GOOD(cfg.res.cpus_milli == 500, "--cpus", "0.5");
	GOOD(cfg.res.cpus_milli == 10, "--cpus", "0.01");
	GOOD(cfg.res.cpus_milli == 2000, "--cpus", "2");
	GOOD(cfg.res.cpu_weight == 10000, "--cpu-weight", "10000");
	GOOD(cfg.res.has_pids && cfg.res.pids == 0, "--pids", "0");
	GOOD(cfg.res.pids == 64, "--pids", "64");
	GOOD(!strcmp(cfg.res.cpuset, "0-3,6"), "--cpuset", "0-3,6");
	GOOD(!strcmp(cfg.res.name, "web_1.a-b"), "--name", "web_1.a-b");
	GOOD(!strcmp(cfg.res.cgroup_parent, "/system.slice/a.service"),
	     "--cgroup-parent", "/system.slice/a.service");
	GOOD(!strcmp(cfg.res.cgroup_parent, "sub/leaf"), "--cgroup-parent",
	     "sub/leaf");
	GOOD(cfg.res.stats.fd == 7 && !cfg.res.stats.path, "--stats", "fd:7");
	GOOD(!strcmp(cfg.res.audit.path, "/tmp/a.log") && !cfg.res.audit.fd,
	     "--audit", "/tmp/a.log");
	GOOD(cfg.res.sd_notify, "--sd-notify");
	GOOD(cfg.res.n_io == 2 && cfg.res.io[0].major == 8 &&
		     cfg.res.io[0].minor == 16 &&
		     cfg.res.io[0].rbps == 1ull << 20 &&
		     cfg.res.io[0].wbps == RES_IO_MAX &&
		     cfg.res.io[0].riops == RES_IO_UNSET &&
		     cfg.res.io[1].wiops == 100,
	     "--io-max", "8:16 rbps=1M wbps=max", "--io-max", "254:0  wiops=100");
}

static void test_bad(void)
{
	struct config cfg;
	char err[512];

	BAD("--memory: '12Q' is not a size", "--memory", "12Q");
	BAD("--memory", "--memory", "0");
	BAD("--memory", "--memory", "1023K");
	BAD("--memory", "--memory", "-1M");
	BAD("--memory", "--memory", "M");
	BAD("--memory", "--memory", "99999999999T");
	BAD("--memory-swap", "--memory-swap", "1X");
	BAD("--memory-high", "--memory-high", "12Q");
	BAD("--memory-high", "--memory-high", "4K");
	BAD("--cpus: '0' is not a number of CPUs", "--cpus", "0");
	BAD("--cpus", "--cpus", "-1");
	BAD("--cpus", "--cpus", "0.001");
	BAD("--cpus", "--cpus", "1025");
	BAD("--cpus", "--cpus", "1,5");
	BAD("--cpu-weight", "--cpu-weight", "0");
	BAD("--cpu-weight", "--cpu-weight", "10001");
	BAD("--pids: 'abc' is not a number", "--pids", "abc");
	BAD("--pids", "--pids", "-1");
	BAD("--pids", "--pids", "4194305");
	BAD("--cpuset", "--cpuset", "a");
	BAD("--cpuset", "--cpuset", "1-");
	BAD("--cpuset", "--cpuset", "3-1");
	BAD("--cpuset", "--cpuset", "1,");
	BAD("--cpuset", "--cpuset", "1,,2");
	BAD("--cpuset", "--cpuset", "99999");
	BAD("--name", "--name", "a/b");
	BAD("--name", "--name", "a b");
	BAD("--name", "--name",
	    "123456789012345678901234567890123456789012345678901234567890"
	    "123456789012345678901234567890123456789012345678901234567890"
	    "123456789");
	BAD("--cgroup-parent", "--cgroup-parent", "../up");
	BAD("--cgroup-parent", "--cgroup-parent", "/a/../b");
	BAD("--cgroup-parent", "--cgroup-parent", "/a//b");
	BAD("--cgroup-parent", "--cgroup-parent", "a/");
	BAD("--cgroup-parent", "--cgroup-parent", "/a b");
	BAD("--cgroup-parent", "--cgroup-parent", "a\nb");
	BAD("--stats: 'fd:2'", "--stats", "fd:2");
	BAD("--stats", "--stats", "fd:x");
	BAD("--audit", "--audit", "fd:");
	BAD("--sd-notify takes no value", "--sd-notify=1");
	BAD("--io-max: '8' is not MAJ:MIN", "--io-max", "8");
	BAD("--io-max", "--io-max", "8:a rbps=1");
	BAD("--io-max", "--io-max", "8:0");
	BAD("--io-max", "--io-max", "8:0 rbps=");
	BAD("--io-max", "--io-max", "8:0 rbps=0");
	BAD("--io-max", "--io-max", "8:0 rbps=1 rbps=2");
	BAD("--io-max", "--io-max", "8:0 xbps=1");
	BAD("--io-max", "--io-max", "8:0 riops=1K");
	BAD("given twice", "--io-max", "8:0 rbps=1", "--io-max", "8:0 wbps=1");
	BAD("--memory given twice", "--memory", "1G", "--memory", "2G");
}

int main(void)
{
	test_good();
	test_bad();
	return tap_done();
}
