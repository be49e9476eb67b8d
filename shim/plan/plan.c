// SPDX-License-Identifier: MIT
/*
 * plan_make(): the rules between flags and the decisions of the mode, in the
 * order a run would meet them, so that of two refusals the one named is the
 * one the older code named. Each rule returns 0 or fails through plan_fail()
 * with the step the message has always carried ("args", "seccomp", "net",
 * "in place", "landlock", "gvisor"). Rows marked OPT_MONITOR are refused in
 * production, and dropped in agent mode, when nucleus runs in place with no
 * monitor; rows marked OPT_NATIVE are refused under --runtime gvisor. A new
 * row with either attribute is covered without an edit here.
 */
#include "plan/plan.h"
#include "cli/args.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 5, 6))) static int plan_fail(struct plan *plan,
							   const char *step,
							   char *err,
							   size_t len,
							   const char *fmt, ...)
{
	va_list ap;

	plan->step = step;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

int plan_dropped(const struct plan *plan, size_t k)
{
	return k < NUCLEUS_MAX_ROWS && (plan->dropped[k / 8] >> (k % 8) & 1);
}

/* --share net is --net host (the parser made it so unless they clash);
 * host needs --allow-host-net in production; ports need pasta. */
static int net_check(const struct config *cfg, struct plan *p, char *err,
		     size_t len)
{
	const struct net_config *net = &cfg->net;

	if ((cfg->share & SHARE_NET) && net->mode != NET_HOST)
		return plan_fail(p, "args", err, len,
				 "--share net: conflicts "
				 "with --net %s",
				 net->mode == NET_PASTA ? "pasta" : "none");
	if (net->mode == NET_HOST && cfg->mode == MODE_PRODUCTION &&
	    !net->allow_host)
		return plan_fail(
			p, "args", err, len,
			"--net host: the host's "
			"network is refused in --mode production without "
			"--allow-host-net");
	/* A joined network is its owner's: nucleus starts nothing in it
	 * and writes no rule into it. */
	if (cfg->join_ns[JOIN_NET] && (net->mode != NET_NONE || net->n_egress))
		return plan_fail(p, "args", err, len,
				 "--join-ns net: the namespace is its "
				 "owner's: --net pasta, --net host and "
				 "--egress-allow are refused with it");
	if (cfg->join_ns[JOIN_UTS] && (cfg->share & SHARE_UTS))
		return plan_fail(p, "args", err, len,
				 "--join-ns uts: conflicts with --share uts");
	if (cfg->join_ns[JOIN_IPC] && (cfg->share & SHARE_IPC))
		return plan_fail(p, "args", err, len,
				 "--join-ns ipc: conflicts with --share ipc");
	if (cfg->join_ns[JOIN_PID] && (cfg->share & SHARE_PID))
		return plan_fail(p, "args", err, len,
				 "--join-ns pid: conflicts with --share pid");
	if (net->n_publish && net->mode != NET_PASTA)
		return plan_fail(p, "args", err, len,
				 "--publish: needs --net pasta");
	if (net->n_forward && net->mode != NET_PASTA)
		return plan_fail(p, "args", err, len,
				 "--forward-host: needs --net pasta");
	if (net->n_egress && net->mode == NET_HOST)
		return plan_fail(
			p, "args", err, len,
			"--egress-allow: would "
			"filter the host's own network (--net host); use "
			"--net pasta or none");
	if (cfg->gvisor.runtime != RUNTIME_GVISOR &&
	    cfg->gvisor.platform != GVISOR_PLATFORM_AUTO)
		return plan_fail(p, "args", err, len,
				 "--gvisor-platform: needs --runtime gvisor");
	return 0;
}

/* A map of ranges is given whole: uids and gids alike, and not mixed
 * with --map-subids's own ranges. */
static int idmap_check(const struct config *cfg, struct plan *p, char *err,
		       size_t len)
{
	const struct fs_config *fs = &cfg->fs;

	if (!fs->uid_map.n != !fs->gid_map.n ||
	    (fs->uid_map.n && fs->map_subids))
		return plan_fail(p, "args", err, len,
				 "--uid-map and --gid-map go together, "
				 "without --map-subids");
	return 0;
}

/* What the monitor's cgroup and sinks cannot do together. */
static int res_check(const struct config *cfg, struct plan *p, char *err,
		     size_t len)
{
	const struct res_config *r = &cfg->res;

	if (r->memory && r->memory_high > r->memory)
		return plan_fail(p, "args", err, len,
				 "--memory-high: above --memory");
	if (r->has_memory_swap && !r->memory)
		return plan_fail(p, "args", err, len,
				 "--memory-swap: needs "
				 "--memory (swap is allowed on top of it)");
	if (r->stats.path && r->audit.path &&
	    !strcmp(r->stats.path, r->audit.path))
		return plan_fail(p, "args", err, len,
				 "--stats and --audit: "
				 "the same file '%s'",
				 r->stats.path);
	return 0;
}

/* Under production, what gVisor cannot enforce is refused; in agent mode
 * it is said once on stderr and kept for --report. */
static int not_enforced(const struct config *cfg, struct plan *p,
			const char *what, char *err, size_t len)
{
	size_t i = 0;

	if (cfg->mode == MODE_PRODUCTION)
		return plan_fail(
			p, "gvisor", err, len,
			"%s cannot be enforced "
			"under gVisor (production mode fails closed; use "
			"--runtime native)",
			what);
	while (i < PLAN_MAX_WARN - 1 && p->gvisor_warn[i])
		i++;
	p->gvisor_warn[i] = what;
	return 0;
}

/* The host kernel's filters, which gVisor's kernel never consults. */
static int gvisor_weak(const struct config *cfg, struct plan *p, char *err,
		       size_t len)
{
	const struct confine_config *c = &cfg->confine;
	const char *prof = cfg->seccomp.profile;

	if (prof && strcmp(prof, "default") && strcmp(prof, "none") &&
	    not_enforced(cfg, p, "--seccomp-profile", err, len) < 0)
		return -1;
	if ((cfg->seccomp.bpf &&
	     not_enforced(cfg, p, "--seccomp-bpf", err, len) < 0) ||
	    (cfg->seccomp.log &&
	     not_enforced(cfg, p, "--seccomp-log", err, len) < 0) ||
	    (cfg->seccomp.trace &&
	     not_enforced(cfg, p, "--seccomp-trace", err, len) < 0))
		return -1;
	if (c->n_paths && not_enforced(cfg, p,
				       "--landlock-ro/--landlock-rw/"
				       "--landlock-exec",
				       err, len) < 0)
		return -1;
	if (c->min_abi &&
	    not_enforced(cfg, p, "--landlock-min-abi", err, len) < 0)
		return -1;
	if ((c->n_connect || c->n_bind) &&
	    not_enforced(cfg, p, "--allow-connect/--allow-bind", err, len) < 0)
		return -1;
	return 0;
}

/* runsc builds the sandbox: rows only the native runtime honours, and
 * values runsc has no equivalent for. */
static int gvisor_check(const struct config *cfg, struct plan *p, char *err,
			size_t len)
{
	const struct fs_config *fs = &cfg->fs;
	const struct option_row *r;

	if (fs->context && fs->context_copy)
		return plan_fail(p, "gvisor", err, len,
				 "--context-mode copy is "
				 "not supported with --runtime gvisor");
	if (fs->n_keep_fds)
		return plan_fail(p, "gvisor", err, len,
				 "--keep-fd: runsc passes only fds 0, 1 and 2");
	for (size_t k = 0; (r = args_row(k)); k++)
		if ((r->attr & OPT_NATIVE) && args_given(cfg, k))
			return plan_fail(p, "gvisor", err, len,
					 "--%s is not "
					 "supported with --runtime gvisor",
					 r->name);
	/* Seen: runsc grants no ambient capability, so a non-root --user
	 * would lose every one at exec. */
	if (cfg->confine.cap_add && fs->has_uid && fs->uid != 0)
		return plan_fail(p, "gvisor", err, len,
				 "--cap-add with a "
				 "non-root --user: runsc grants no ambient "
				 "capabilities");
	/* --net host is runsc --network host; with none, gVisor's netstack
	 * has only lo, --egress-allow or not. */
	if (cfg->net.mode == NET_PASTA)
		return plan_fail(p, "gvisor", err, len,
				 "--net pasta is not "
				 "supported with --runtime gvisor");
	if (cfg->share & (SHARE_PID | SHARE_IPC))
		return plan_fail(p, "gvisor", err, len,
				 "--share pid, ipc: "
				 "gVisor's kernel cannot share the host's");
	return gvisor_weak(cfg, p, err, len);
}

/* --seccomp-trace and --seccomp-log let calls through: never production. */
static int seccomp_check(const struct config *cfg, struct plan *p, char *err,
			 size_t len)
{
	const struct seccomp_config *s = &cfg->seccomp;

	if (s->trace &&
	    (cfg->mode == MODE_PRODUCTION || s->log || s->bpf || s->profile))
		return plan_fail(
			p, "seccomp", err, len,
			"--seccomp-trace "
			"records instead of filtering: not with --mode "
			"production, --seccomp-log, -bpf or -profile");
	if (s->log && cfg->mode == MODE_PRODUCTION)
		return plan_fail(
			p, "seccomp", err, len,
			"--seccomp-log lets "
			"denied calls through: not in --mode production");
	return 0;
}

/* No monitor stays beside an in-place init: nothing would run pasta, load
 * nft, write cgroup limits, stats, audit records or notify relays.
 * Production refuses such a request, naming every such flag; agent mode
 * drops them (main says so, one line each). */
static int inplace_check(const struct config *cfg, struct plan *p, char *err,
			 size_t len)
{
	const struct option_row *r;
	char names[256] = "";
	size_t off = 0, n = 0;

	if (cfg->net.mode == NET_PASTA || cfg->net.n_egress)
		return plan_fail(
			p, "net", err, len,
			"--net pasta and "
			"--egress-allow need a monitor outside: not "
			"available when nucleus is PID 1 with --share pid");
	for (size_t k = 0; (r = args_row(k)); k++) {
		if (!(r->attr & OPT_MONITOR) || !args_given(cfg, k))
			continue;
		if (cfg->mode != MODE_PRODUCTION)
			p->dropped[k / 8] |= (unsigned char)(1u << (k % 8));
		else if (n++, off < sizeof(names))
			off += (size_t)snprintf(names + off,
						sizeof(names) - off, "%s--%s",
						off ? ", " : "", r->name);
	}
	if (off)
		return plan_fail(
			p, "in place", err, len,
			"%s: need%s the "
			"nucleus monitor, which PID 1 of a shared pid "
			"namespace runs without; add --timeout or drop %s",
			names, n > 1 ? "" : "s", n > 1 ? "them" : "it");
	return 0;
}

/* Before clone, on the full tier: the Landlock child step checks again
 * with the tier it got (landlock.c). */
static int landlock_check(const struct config *cfg, int abi, struct plan *p,
			  char *err, size_t len)
{
	const struct confine_config *c = &cfg->confine;
	unsigned min = c->min_abi ? c->min_abi : CONFINE_DEFAULT_MIN_ABI;

	if (c->no_landlock &&
	    (c->n_paths || c->n_connect || c->n_bind || c->min_abi))
		return plan_fail(p, "args", err, len,
				 "--no-landlock "
				 "contradicts --landlock-*/--allow-*");
	if (cfg->mode != MODE_PRODUCTION)
		return 0;
	if (c->no_landlock)
		return plan_fail(p, "landlock", err, len,
				 "--no-landlock is refused in production mode");
	if ((unsigned)abi < min)
		return plan_fail(p, "landlock", err, len,
				 "kernel Landlock ABI is "
				 "%d, below --landlock-min-abi %u (production "
				 "mode)%s",
				 abi, min,
				 abi ? ""
				     : " (hint: Landlock "
				       "needs CONFIG_SECURITY_LANDLOCK=y and "
				       "landlock in "
				       "the lsm= boot parameter)");
	if (((cfg->share & SHARE_NET) || c->n_connect || c->n_bind) && abi < 4)
		return plan_fail(
			p, "landlock", err, len,
			"TCP rules for "
			"--share net/--allow-* need Landlock ABI 4, the "
			"kernel has %d (production mode)",
			abi);
	return 0;
}

const char plan_host_dirs[PLAN_N_HOST_DIRS][8] = {
	"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"
};

int plan_make(const struct config *cfg, const struct host_facts *facts,
	      struct plan *plan, char *err, size_t len)
{
	*plan = (struct plan){ .runtime = PLAN_CLONE };
	if (net_check(cfg, plan, err, len) < 0 ||
	    idmap_check(cfg, plan, err, len) < 0)
		return -1;
	if (confine_check(cfg, err, len) < 0) { /* args_confine.c's rules */
		plan->step = "args";
		return -1;
	}
	if (cfg->gvisor.runtime == RUNTIME_GVISOR) {
		plan->runtime = PLAN_GVISOR;
		if (gvisor_check(cfg, plan, err, len) < 0)
			return -1;
		return res_check(cfg, plan, err, len);
	}
	/* The pty's master is the only one: --console-socket's or ours.
	 * Its slave is the controlling terminal of a new session. */
	if (cfg->tty && (cfg->console_socket || cfg->fs.no_new_session))
		return plan_fail(plan, "args", err, len,
				 "--tty: not with --console-socket or "
				 "--no-new-session");
	/* --timeout and --tty need a process outside the sandbox: with
	 * them, the usual clone keeps the monitor as PID 1. */
	if ((cfg->share & SHARE_PID) && facts->pid1 && !cfg->timeout_ms &&
	    !cfg->tty)
		plan->runtime = PLAN_INPLACE;
	if (seccomp_check(cfg, plan, err, len) < 0)
		return -1;
	if (plan->runtime == PLAN_INPLACE &&
	    inplace_check(cfg, plan, err, len) < 0)
		return -1;
	if (landlock_check(cfg, facts->landlock_abi, plan, err, len) < 0)
		return -1;
	if (plan->runtime == PLAN_CLONE)
		return res_check(cfg, plan, err, len);
	return 0;
}
