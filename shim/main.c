// SPDX-License-Identifier: MIT
/*
 * nucleus: the setup shim and monitor. main() is the ordered ratchet of
 * DESIGN.md; each call is one step and says why it stands where it stands.
 */
#include "cli/args.h"
#include "cli/config.h"
#include "plan/plan.h"
#include "setup/confine.h"
#include "runtime/gvisor.h"
#include "host/facts.h"
#include "host/identity.h"
#include "host/initfd.h"
#include "runtime/inplace.h"
#include "runtime/monitor.h"
#include "runtime/oci.h"
#include "host/net.h"
#include "runtime/named.h"
#include "runtime/sandbox.h"
#include "runtime/tty.h"
#include "setup/console.h"
#include "setup/join.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#ifndef NUCLEUS_VERSION
#define NUCLEUS_VERSION "0.1.0"
#endif

static int print_help(void)
{
	char probe[1];
	size_t n = args_help(probe, sizeof(probe)); /* the length it needs */
	cleanup_free char *buf = malloc(n + 1);

	if (!buf)
		die_errno("malloc");
	args_help(buf, n + 1);
	(void)write_all(STDOUT_FILENO, buf, n);
	return 0;
}

/* The parser's room for mount and environment operations: argc entries
 * of each hold any command line, so no count has a ceiling of ours. */
static struct config_room room_for(int argc)
{
	struct config_room room = { calloc((size_t)argc, sizeof(*room.ops)),
				    calloc((size_t)argc, sizeof(*room.env)),
				    (size_t)argc };

	if (!room.ops || !room.env)
		die_errno("calloc");
	return room;
}

/* Every rule between flags and every decision of the mode, before
 * anything exists; what agent mode drops is said here, one line each. */
static void plan_or_die(const struct config *cfg, struct plan *plan)
{
	struct host_facts facts;
	const struct option_row *r;
	char err[512];

	host_facts_read(&facts);
	if (plan_make(cfg, &facts, plan, err, sizeof(err)) < 0) {
		die_step = plan->step;
		die("%s", err);
	}
	for (size_t k = 0; (r = args_row(k)); k++)
		if (plan_dropped(plan, k))
			warnx("--%s is not applied: in place there is no "
			      "monitor",
			      r->name);
	for (size_t i = 0; plan->gvisor_warn[i]; i++)
		warnx("%s is not enforced under gVisor: its own kernel serves "
		      "the workload's system calls",
		      plan->gvisor_warn[i]);
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct plan plan;
	sigset_t fwd, orig;
	char err[512];
	const char *t = getenv("NUCLEUS_TIMINGS");
	struct prepared prep = { 0 };
	struct sandbox sb = { .prep = &prep, .mask = &orig };
	struct monitor mon = { .cfg = &cfg,
			       .ops = &sandbox_runtime,
			       .rt = &sb };
	int code, tty_sock;
	pid_t tty_fg;
	struct tty_relay tty;
	struct named named;

	if (oci_is_verb(argc, argv)) /* runc's CLI: never before a `--` */
		return oci_main(argc, argv);
	switch (parse_args(argc, argv, &cfg, room_for(argc), err,
			   sizeof(err))) { /* pure */
	case PARSE_HELP:
		return print_help();
	case PARSE_VERSION:
		puts("nucleus " NUCLEUS_VERSION);
		return 0;
	case PARSE_ERROR:
		die_step = "args";
		die("%s", err);
	case PARSE_OK:
		break;
	}
	plan_or_die(&cfg, &plan);	/* pure but for two host facts */
	identity_die_with_parent(&cfg); /* first: a gone parent, no sandbox */
	identity_resolve(&cfg); /* names need the sandbox's /etc: a host read */
	timing_start(cfg.timings || (t && strcmp(t, "1") == 0));
	if (plan.runtime == PLAN_GVISOR) /* runsc builds it: nothing below */
		return gvisor_run(&cfg, &plan);
	seccomp_prepare(&cfg, &prep); /* before clone: a bad one, nothing */
	net_prepare(&cfg, &prep.net); /* pasta and nft found */
	join_prepare(&cfg, &prep); /* --join-ns: opened, their types checked */
	tty_sock = console_prepare(&cfg, &prep); /* a host path: before clone */
	prep.initfd = initfd_open(cfg.init); /* before namespaces: host path */
	timing_mark("initfd");
	if (plan.runtime == PLAN_INPLACE) /* PID 1 of a shared pid ns */
		inplace_exec(&cfg, &prep);
	/* Blocked before clone, so no signal is lost between clone and poll. */
	monitor_signals(&fwd);
	if (sigprocmask(SIG_BLOCK, &fwd, &orig) < 0)
		die_errno("sigprocmask");
	mon.sigfd = signalfd(-1, &fwd, SFD_CLOEXEC | SFD_NONBLOCK);
	if (mon.sigfd < 0)
		die_errno("signalfd");
	tty_fg = identity_tty_save(
		&cfg); /* before init hands the terminal over */
	named_claim(&named, cfg.res.name, argc, argv); /* before setup */
	mon.named = &named;	  /* a setup failure removes it with the rest */
	sandbox_start(&sb, &mon); /* returns once init runs */
	named_running(&named, sb.pid);
	close(prep.initfd);
	if (tty_sock >= 0) { /* --tty: init runs, the master was sent */
		tty_start(&tty, tty_sock);
		mon.tty = &tty;
	}
	/* Not before: the child inherits it, and a rootless parent could not
	 * write the uid_map of a non-dumpable child. The workload must not
	 * ptrace or read the memory of its monitor. */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		die_errno("PR_SET_DUMPABLE");
	code = monitor_run(&mon);
	named_release(&named);
	identity_tty_restore(tty_fg); /* --no-new-session: the caller's again */
	return code;
}
