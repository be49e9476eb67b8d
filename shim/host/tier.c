// SPDX-License-Identifier: MIT
/*
 * Degradation tiers, decided at clone time by what the kernel refuses, never
 * guessed from sysctls: the clone with every namespace is tried first; a
 * refusal of the user namespace by a privileged caller drops just that one
 * (no-userns); a refusal of the rest leaves a sandbox of no namespace at all
 * (confine-only), still under Landlock, seccomp, caps, rlimits and
 * no_new_privs. Each step down is printed with the refusal and a hint in
 * agent mode, and is exit 125 below --min-tier (production: full).
 */
#include "host/tier.h"
#include "lib/util.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#define NS_FLAGS                                                               \
	((uint64_t)(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID |               \
		    CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |               \
		    CLONE_NEWCGROUP | 0x80 /* CLONE_NEWTIME */))

const char *tier_name(enum tier t)
{
	static const char *const names[] = { "full", "no-userns",
					     "confine-only" };

	return names[t];
}

/* What a kernel, seccomp profile or LSM answers when namespaces are off. */
static int tier_refusal(int err)
{
	return err == EPERM || err == EACCES || err == EINVAL ||
	       err == ENOSPC || err == EUSERS || err == ENOSYS;
}

static int tier_sys_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return 0;
	return !!(d[CAP_SYS_ADMIN / 32].effective &
		  (1u << (CAP_SYS_ADMIN % 32)));
}

static const char *tier_hint(enum tier t)
{
	if (t == TIER_NO_USERNS)
		return "user namespaces are denied: sysctl "
		       "kernel.apparmor_restrict_unprivileged_userns=0, "
		       "user.max_user_namespaces>0, or a seccomp profile "
		       "allowing CLONE_NEWUSER";
	return "no namespace can be created here (a container's seccomp "
	       "profile or no CAP_SYS_ADMIN): allow unshare/clone namespace "
	       "flags, or accept --min-tier confine-only";
}

/* Steps down to t after err; dies when t is below what was demanded. */
static void tier_step(const struct config *cfg, struct tier_state *ts,
		      int *userns, enum tier t, int err)
{
	enum tier floor = cfg->has_min_tier		 ? cfg->min_tier
			  : cfg->mode == MODE_PRODUCTION ? TIER_FULL
							 : TIER_CONFINE_ONLY;

	snprintf(ts->reason, sizeof(ts->reason), "%s: %s",
		 ts->tier == TIER_FULL && t == TIER_NO_USERNS
			 ? "clone with CLONE_NEWUSER"
			 : "clone with namespace flags",
		 strerror(err));
	die_step = "tier";
	/* Without the user namespace, the ids the maps name would be the
	 * host's own, root's among them. */
	if (cfg->fs.uid_map.n)
		die("%s: --uid-map needs a user namespace", ts->reason);
	if (t > floor)
		die("%s, below --min-tier %s: %s; hint: %s", ts->reason,
		    tier_name(floor), tier_name(t), tier_hint(t));
	warnx("running at tier %s (%s); hint: %s", tier_name(t), ts->reason,
	      tier_hint(t));
	ts->tier = t;
	*userns = 0;
}

pid_t tier_clone(const struct config *cfg, struct tier_state *ts, int *userns,
		 uint64_t *flags, pid_t (*clone_fn)(uint64_t flags, void *arg),
		 void *arg)
{
	pid_t pid = clone_fn(*flags, arg);

	if (pid >= 0 || !tier_refusal(errno))
		return pid;
	if ((*flags & CLONE_NEWUSER) && tier_sys_admin()) {
		tier_step(cfg, ts, userns, TIER_NO_USERNS, errno);
		*flags &= ~(uint64_t)CLONE_NEWUSER;
		pid = clone_fn(*flags, arg);
		if (pid >= 0 || !tier_refusal(errno))
			return pid;
	}
	tier_step(cfg, ts, userns, TIER_CONFINE_ONLY, errno);
	*flags &= ~NS_FLAGS;
	return clone_fn(*flags, arg);
}
