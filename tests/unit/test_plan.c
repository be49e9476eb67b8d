// SPDX-License-Identifier: MIT
/*
 * Unit tests of the plan (printing TAP): which runtime runs the sandbox, and
 * every refusal plan_make() holds, each with the exact message and step the
 * older code printed and a control (the same command line without the
 * offending flag is accepted). The rows marked OPT_MONITOR and OPT_NATIVE
 * are found by walking the option tables, so a new row with either
 * attribute is tested here without an edit: refused in production and
 * dropped in agent mode in place, refused under --runtime gvisor.
 */
#include "cli/args.h"
#include "cli/config.h"
#include "plan/plan.h"
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static struct config cfg;
static struct plan plan;
static struct host_facts host;
static char err[512];

/* Parses a NULL-terminated list followed by "-- x" into cfg; 0 or -1. */
static int parse_list(const char *first, va_list ap)
{
	static char *argv[64] = { "nucleus" };
	int argc = 1;

	for (const char *a = first; a && argc < 61; a = va_arg(ap, char *))
		argv[argc++] = (char *)a;
	argv[argc++] = "--";
	argv[argc++] = "x";
	err[0] = '\0';
	return parse_args(argc, argv, &cfg, tap_room(), err, sizeof(err)) ==
			       PARSE_OK
		       ? 0
		       : -1;
}

/* plan_make on the parsed list: 0, -1 (refused) or -2 (parse failed). */
static int run(const char *first, ...)
{
	va_list ap;
	int r;

	va_start(ap, first);
	r = parse_list(first, ap);
	va_end(ap);
	if (r < 0)
		return -2;
	return plan_make(&cfg, &host, &plan, err, sizeof(err));
}

#define ACCEPTS(desc, ...)                                                     \
	ok(run(__VA_ARGS__, NULL) == 0 && !plan.step, "accepts %s (%s)", desc, \
	   err)
#define REFUSES(step_, msg, ...)                                               \
	do {                                                                   \
		int r_ = run(__VA_ARGS__, NULL);                               \
		ok(r_ == -1 && plan.step && !strcmp(plan.step, step_) &&       \
			   !strcmp(err, msg),                                  \
		   "%s: %s", step_, err);                                      \
	} while (0)

static void native_host(void)
{
	host = (struct host_facts){ .pid1 = 0, .landlock_abi = 7 };
}

static void test_runtime(void)
{
	native_host();
	ok(run(NULL) == 0 && plan.runtime == PLAN_CLONE, "default: clone");
	ok(run("--runtime", "gvisor", NULL) == 0 && plan.runtime == PLAN_GVISOR,
	   "--runtime gvisor: runsc");
	ok(run("--share", "pid", NULL) == 0 && plan.runtime == PLAN_CLONE,
	   "--share pid, not PID 1: clone");
	host.pid1 = 1;
	ok(run("--share", "pid", NULL) == 0 && plan.runtime == PLAN_INPLACE,
	   "--share pid as PID 1: in place");
	ok(run("--share", "pid", "--timeout", "5", NULL) == 0 &&
		   plan.runtime == PLAN_CLONE,
	   "--timeout keeps the monitor: clone");
	ok(run("--share", "pid", "--tty", NULL) == 0 &&
		   plan.runtime == PLAN_CLONE,
	   "--tty keeps the monitor (its relay): clone");
	REFUSES("args", "--tty: not with --console-socket or --no-new-session",
		"--tty", "--console-socket", "/s");
	REFUSES("args", "--tty: not with --console-socket or --no-new-session",
		"--no-new-session", "--tty");
	REFUSES("gvisor", "--tty is not supported with --runtime gvisor",
		"--runtime", "gvisor", "--tty");
	ok(run(NULL) == 0 && plan.runtime == PLAN_CLONE,
	   "PID 1 without --share pid: clone");
}

static void test_net(void)
{
	native_host();
	REFUSES("args", "--share net: conflicts with --net none", "--share",
		"net", "--net", "none");
	REFUSES("args", "--share net: conflicts with --net pasta", "--net",
		"pasta", "--share", "net");
	ACCEPTS("--share net --net host", "--share", "net", "--net", "host");
	REFUSES("args",
		"--net host: the host's network is refused in --mode "
		"production without --allow-host-net",
		"--mode", "production", "--net", "host");
	ACCEPTS("--net host with the opt-in", "--mode", "production", "--net",
		"host", "--allow-host-net");
	REFUSES("args", "--publish: needs --net pasta", "-p", "80:80");
	ACCEPTS("--publish with pasta", "-p", "80:80", "--net", "pasta");
	REFUSES("args", "--forward-host: needs --net pasta", "--forward-host",
		"80");
	ACCEPTS("--forward-host with pasta", "--forward-host", "80", "--net",
		"pasta");
	REFUSES("args",
		"--egress-allow: would filter the host's own network "
		"(--net host); use --net pasta or none",
		"--net", "host", "--egress-allow", "10.0.0.0/8");
	ACCEPTS("--egress-allow in none", "--net", "none", "--egress-allow",
		"10.0.0.0/8");
	REFUSES("args", "--gvisor-platform: needs --runtime gvisor",
		"--gvisor-platform", "kvm");
	ACCEPTS("--gvisor-platform with gvisor", "--gvisor-platform", "kvm",
		"--runtime", "gvisor");
}

static void test_res(void)
{
	native_host();
	REFUSES("args", "--memory-high: above --memory", "--memory", "64M",
		"--memory-high", "1G");
	ACCEPTS("--memory-high below --memory", "--memory", "64M",
		"--memory-high", "32M");
	REFUSES("args",
		"--memory-swap: needs --memory (swap is allowed on "
		"top of it)",
		"--memory-swap", "1G");
	ACCEPTS("--memory-swap with --memory", "--memory-swap", "1G",
		"--memory", "1G");
	REFUSES("args", "--stats and --audit: the same file '/tmp/x'",
		"--stats", "/tmp/x", "--audit", "/tmp/x");
	ACCEPTS("--stats and --audit apart", "--stats", "/tmp/x", "--audit",
		"/tmp/y");
	REFUSES("args",
		"--memory-swap: needs --memory (swap is allowed on "
		"top of it)",
		"--runtime", "gvisor", "--memory-swap", "1G");
	ACCEPTS("--memory-swap with --memory under gvisor", "--runtime",
		"gvisor", "--memory-swap", "1G", "--memory", "1G");
}

/* The cap sets the kernel cannot hold, and sysctls that are the host's. */
static void test_confine_rules(void)
{
	native_host();
	REFUSES("args",
		"--cap-ambient: each needs --cap-add and --cap-inheritable too",
		"--cap-add", "kill", "--cap-ambient", "kill");
	REFUSES("args",
		"--cap-inheritable: each must be in the bounding set "
		"(--cap-add or --cap-bound)",
		"--cap-inheritable", "chown");
	ACCEPTS("ambient within permitted and inheritable", "--cap-add", "kill",
		"--cap-inheritable", "kill", "--cap-ambient", "kill",
		"--cap-bound", "chown", "--cap-inheritable", "chown");
	ACCEPTS("namespaced sysctls", "--sysctl", "kernel.shmmax=1", "--sysctl",
		"fs.mqueue.msg_max=10", "--sysctl", "net.ipv4.ip_forward=1",
		"--sysctl", "kernel.domainname=x");
	REFUSES("args",
		"--sysctl: 'vm.swappiness' is not in a namespace of "
		"the sandbox's own: it would change the host",
		"--sysctl", "vm.swappiness=1");
	REFUSES("args",
		"--sysctl: 'net.ipv4.ip_forward' is not in a "
		"namespace of the sandbox's own: it would change the host",
		"--share", "net", "--sysctl", "net.ipv4.ip_forward=1");
	REFUSES("args",
		"--sysctl: 'kernel.sem' is not in a namespace of the "
		"sandbox's own: it would change the host",
		"--share", "ipc", "--sysctl", "kernel.sem=1 2 3 4");
	REFUSES("args",
		"--sysctl: 'kernel.hostname' is not in a namespace of the "
		"sandbox's own: it would change the host",
		"--sysctl", "kernel.hostname=x");
	ok(run("--sysctl", "net/../x=1", NULL) == -2,
	   "--sysctl: a slashed key is refused by the parser");
}

static void test_landlock(void)
{
	native_host();
	REFUSES("args", "--no-landlock contradicts --landlock-*/--allow-*",
		"--no-landlock", "--landlock-ro", "/usr");
	ACCEPTS("--no-landlock alone", "--no-landlock");
	REFUSES("landlock", "--no-landlock is refused in production mode",
		"--mode", "production", "--no-landlock");
	ACCEPTS("production with Landlock", "--mode", "production");
	host.landlock_abi = 2;
	REFUSES("landlock",
		"kernel Landlock ABI is 2, below "
		"--landlock-min-abi 3 (production mode)",
		"--mode", "production");
	ACCEPTS("ABI 2 in agent mode", "--mode", "agent");
	ACCEPTS("ABI 2 with --landlock-min-abi 2", "--mode", "production",
		"--landlock-min-abi", "2");
	host.landlock_abi = 0;
	REFUSES("landlock",
		"kernel Landlock ABI is 0, below "
		"--landlock-min-abi 3 (production mode) (hint: Landlock needs "
		"CONFIG_SECURITY_LANDLOCK=y and landlock in the lsm= boot "
		"parameter)",
		"--mode", "production");
	host.landlock_abi = 3;
	REFUSES("landlock",
		"TCP rules for --share net/--allow-* need Landlock "
		"ABI 4, the kernel has 3 (production mode)",
		"--mode", "production", "--allow-connect", "443");
	ACCEPTS("ABI 3 without TCP rules", "--mode", "production");
	host.landlock_abi = 4;
	ACCEPTS("ABI 4 with TCP rules", "--mode", "production",
		"--allow-connect", "443");
	host.landlock_abi = 0;
	ACCEPTS("under gvisor, no host ABI asked", "--mode", "production",
		"--runtime", "gvisor");
}

static void test_seccomp(void)
{
	native_host();
	REFUSES("seccomp",
		"--seccomp-trace records instead of filtering: not "
		"with --mode production, --seccomp-log, -bpf or -profile",
		"--seccomp-trace", "/tmp/t", "--mode", "production");
	REFUSES("seccomp",
		"--seccomp-trace records instead of filtering: not "
		"with --mode production, --seccomp-log, -bpf or -profile",
		"--seccomp-trace", "/tmp/t", "--seccomp-profile", "strict");
	ACCEPTS("--seccomp-trace alone", "--seccomp-trace", "/tmp/t");
	REFUSES("seccomp",
		"--seccomp-log lets denied calls through: not in "
		"--mode production",
		"--seccomp-log", "--mode", "production");
	ACCEPTS("--seccomp-log in agent mode", "--seccomp-log");
}

/* A map is given whole, uids and gids, and never beside --map-subids. */
static void test_idmaps(void)
{
	native_host();
	REFUSES("args",
		"--uid-map and --gid-map go together, without "
		"--map-subids",
		"--uid-map", "0:1000:1");
	REFUSES("args",
		"--uid-map and --gid-map go together, without "
		"--map-subids",
		"--gid-map", "0:1000:1");
	REFUSES("args",
		"--uid-map and --gid-map go together, without "
		"--map-subids",
		"--uid-map", "0:1000:1", "--gid-map", "0:1000:1",
		"--map-subids");
	ACCEPTS("--uid-map with --gid-map", "--uid-map", "0:1000:1",
		"--gid-map", "0:1000:1");
	ACCEPTS("--uid-map, --gid-map in production", "--mode", "production",
		"--uid-map", "0:1000:1", "--gid-map", "0:1000:1");
	host.pid1 = 1;
	ok(run("--mode", "production", "--share", "pid", "--uid-map",
	       "0:1000:1", "--gid-map", "0:1000:1", NULL) == 0 &&
		   plan.runtime == PLAN_INPLACE,
	   "in place in production: the maps need no monitor (%s)", err);
}

static void test_inplace(void)
{
	native_host();
	host.pid1 = 1;
	REFUSES("net",
		"--net pasta and --egress-allow need a monitor outside: "
		"not available when nucleus is PID 1 with --share pid",
		"--share", "pid", "--net", "pasta");
	REFUSES("net",
		"--net pasta and --egress-allow need a monitor outside: "
		"not available when nucleus is PID 1 with --share pid",
		"--share", "pid", "--egress-allow", "10.0.0.0/8");
	ACCEPTS("--net pasta with --timeout", "--share", "pid", "--net",
		"pasta", "--timeout", "9");
	REFUSES("in place",
		"--memory: needs the nucleus monitor, which PID 1 "
		"of a shared pid namespace runs without; add --timeout or drop "
		"it",
		"--mode", "production", "--share", "pid", "--memory", "1G");
	REFUSES("in place",
		"--memory, --sd-notify: need the nucleus monitor, "
		"which PID 1 of a shared pid namespace runs without; add "
		"--timeout or drop them",
		"--mode", "production", "--share", "pid", "--sd-notify",
		"--memory", "1G");
	ACCEPTS("--memory with --timeout", "--mode", "production", "--share",
		"pid", "--memory", "1G", "--timeout", "9");
	ACCEPTS("--memory dropped in agent mode", "--share", "pid", "--memory",
		"1G");
}

/* Each row with OPT_MONITOR alone on the command line, in place: refused
 * in production, dropped in agent mode; any other row is kept. The row
 * is marked given without its value: the attribute alone decides. */
static void test_monitor_rows(void)
{
	const struct option_row *r;
	size_t k;

	native_host();
	host.pid1 = 1;
	for (k = 0; (r = args_row(k)); k++) {
		int mon = !!(r->attr & OPT_MONITOR);
		char want[256];

		if (!r->set)
			continue;
		run("--share", "pid", NULL);
		cfg.given[k / 8] |= (unsigned char)(1u << (k % 8));
		ok(plan_make(&cfg, &host, &plan, err, sizeof(err)) == 0 &&
			   plan.runtime == PLAN_INPLACE &&
			   plan_dropped(&plan, k) == mon,
		   "agent in place: --%s %s", r->name,
		   mon ? "dropped" : "kept");
		cfg.mode = MODE_PRODUCTION;
		snprintf(want, sizeof(want),
			 "--%s: needs the nucleus monitor, "
			 "which PID 1 of a shared pid namespace runs without; "
			 "add --timeout or drop it",
			 r->name);
		if (mon)
			ok(plan_make(&cfg, &host, &plan, err, sizeof(err)) <
					   0 &&
				   !strcmp(plan.step, "in place") &&
				   !strcmp(err, want),
			   "production in place refuses --%s (%s)", r->name,
			   err);
		else
			ok(plan_make(&cfg, &host, &plan, err, sizeof(err)) == 0,
			   "production in place keeps --%s (%s)", r->name, err);
		cfg.timeout_ms = 1000;
		ok(plan_make(&cfg, &host, &plan, err, sizeof(err)) == 0 &&
			   plan.runtime == PLAN_CLONE,
		   "--%s with --timeout: the monitor stays (%s)", r->name, err);
	}
}

/* Each row with OPT_NATIVE alone under --runtime gvisor is refused, in
 * either mode; any other row, marked given without a value, passes. */
static void test_native_rows(void)
{
	const struct option_row *r;
	size_t k;

	native_host();
	for (k = 0; (r = args_row(k)); k++) {
		char want[256];

		if (!r->set)
			continue;
		run("--runtime", "gvisor", NULL);
		cfg.given[k / 8] |= (unsigned char)(1u << (k % 8));
		snprintf(want, sizeof(want),
			 "--%s is not supported with --runtime gvisor",
			 r->name);
		if (r->attr & OPT_NATIVE)
			ok(plan_make(&cfg, &host, &plan, err, sizeof(err)) <
					   0 &&
				   !strcmp(plan.step, "gvisor") &&
				   !strcmp(err, want),
			   "gvisor refuses --%s (%s)", r->name, err);
		else
			ok(plan_make(&cfg, &host, &plan, err, sizeof(err)) == 0,
			   "gvisor takes --%s (%s)", r->name, err);
		cfg.gvisor.runtime = RUNTIME_NATIVE;
		ok(plan_make(&cfg, &host, &plan, err, sizeof(err)) == 0,
		   "native takes --%s (%s)", r->name, err);
	}
}

static void test_gvisor(void)
{
	native_host();
	REFUSES("gvisor",
		"--context-mode copy is not supported with --runtime "
		"gvisor",
		"--runtime", "gvisor", "--context", "/tmp", "--context-mode",
		"copy");
	ACCEPTS("--context bound", "--runtime", "gvisor", "--context", "/tmp");
	REFUSES("gvisor", "--keep-fd: runsc passes only fds 0, 1 and 2",
		"--runtime", "gvisor", "--keep-fd", "3");
	ACCEPTS("--keep-fd natively", "--keep-fd", "3");
	REFUSES("gvisor", "--dir is not supported with --runtime gvisor",
		"--runtime", "gvisor", "--dir", "/a");
	REFUSES("gvisor", "--map-subids is not supported with --runtime gvisor",
		"--runtime", "gvisor", "--map-subids");
	REFUSES("gvisor", "--uid-map is not supported with --runtime gvisor",
		"--runtime", "gvisor", "--uid-map", "0:1000:1", "--gid-map",
		"0:1000:1");
	REFUSES("gvisor", "--sd-notify is not supported with --runtime gvisor",
		"--runtime", "gvisor", "--sd-notify");
	REFUSES("gvisor",
		"--cap-add with a non-root --user: runsc grants no "
		"ambient capabilities",
		"--runtime", "gvisor", "--cap-add", "NET_RAW", "--user",
		"1000");
	ACCEPTS("--cap-add as root", "--runtime", "gvisor", "--cap-add",
		"NET_RAW", "--user", "0");
	REFUSES("gvisor", "--net pasta is not supported with --runtime gvisor",
		"--runtime", "gvisor", "--net", "pasta");
	ACCEPTS("--net host under gvisor", "--runtime", "gvisor", "--net",
		"host");
	REFUSES("gvisor",
		"--share pid, ipc: gVisor's kernel cannot share the "
		"host's",
		"--runtime", "gvisor", "--share", "ipc");
	ACCEPTS("--share uts under gvisor", "--runtime", "gvisor", "--share",
		"uts");
}

/* What gVisor's kernel does not enforce: refused in production, a warning
 * (and a --report entry) in agent mode. */
static void weak(const char *what, const char *flag, const char *value)
{
	char msg[256];

	snprintf(msg, sizeof(msg),
		 "%s cannot be enforced under gVisor "
		 "(production mode fails closed; use --runtime native)",
		 what);
	REFUSES("gvisor", msg, "--mode", "production", "--runtime", "gvisor",
		flag, value);
	ok(run("--runtime", "gvisor", flag, value, NULL) == 0 &&
		   plan.gvisor_warn[0] && !strcmp(plan.gvisor_warn[0], what) &&
		   !plan.gvisor_warn[1],
	   "agent mode under gvisor warns: %s", what);
}

static void test_gvisor_weak(void)
{
	native_host();
	weak("--seccomp-profile", "--seccomp-profile", "strict");
	ACCEPTS("--seccomp-profile default", "--mode", "production",
		"--runtime", "gvisor", "--seccomp-profile", "default");
	weak("--seccomp-bpf", "--seccomp-bpf", "/tmp/f.bpf");
	weak("--seccomp-log", "--seccomp-log", NULL);
	weak("--seccomp-trace", "--seccomp-trace", "/tmp/t");
	weak("--landlock-ro/--landlock-rw/--landlock-exec", "--landlock-rw",
	     "/tmp");
	weak("--landlock-min-abi", "--landlock-min-abi", "4");
	weak("--allow-connect/--allow-bind", "--allow-bind", "80");
	ACCEPTS("production under gvisor, nothing weak", "--mode", "production",
		"--runtime", "gvisor");
	ok(!plan.gvisor_warn[0], "... and nothing to warn of");
	ok(run("--runtime", "gvisor", "--seccomp-log", "--allow-bind", "80",
	       NULL) == 0 &&
		   plan.gvisor_warn[1] && !plan.gvisor_warn[2],
	   "two warnings, in order");
}

int main(void)
{
	test_runtime();
	test_net();
	test_res();
	test_confine_rules();
	test_landlock();
	test_seccomp();
	test_idmaps();
	test_inplace();
	test_gvisor();
	test_gvisor_weak();
	test_monitor_rows();
	test_native_rows();
	return tap_done();
}
