// SPDX-License-Identifier: MIT
/*
 * Confinement, applied last in the child, after mounts and identity: each
 * step narrows what the next one and the workload may do, and each is read
 * back rather than assumed. The order is minijail's and the kernel's: caps
 * while we still hold CAP_SETPCAP, rlimits once the workload can no longer
 * raise them, no_new_privs because Landlock and seccomp require it of an
 * unprivileged caller and it makes setuid binaries inert, Landlock, then
 * seccomp last so its filter need only allow what init and the workload do.
 */
#include "host/audit.h"
#include "setup/confine.h"
#include "host/report.h"
#include "host/tier.h"
#include "lib/util.h"

#include <sys/prctl.h>

/* Irreversible, inherited by every descendant: no exec ever gains a
 * privilege (setuid, setgid, file capabilities). */
static void nnp_apply(void)
{
	die_step = "no_new_privs";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die_errno("PR_SET_NO_NEW_PRIVS");
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		die("PR_GET_NO_NEW_PRIVS does not read back 1");
}

/* --audit: one "confine" record with what each layer enforced, in the
 * report's words and spacing (the same writers), before the filter closes
 * in. */
static void confine_audit(const struct config *cfg, const struct prepared *prep,
			  const struct confined *cf)
{
	struct json j;

	if (!audit_begin(&j, "confine"))
		return;
	json_str(&j, "tier", tier_name(prep->tier.tier));
	json_begin(&j, "layers");
	j.spaced = 1;
	caps_report(&j, &cf->caps);
	rlimit_report(&j, &cf->rlimits);
	json_bool(&j, "no_new_privs", 1);
	landlock_report(&j, &cf->landlock);
	seccomp_report(cfg, prep, &j);
	json_close(&j);
	j.spaced = 0;
	audit_end(&j);
}

/* --report, before seccomp: everything that needs more than write(2). */
static void confine_report_build(const struct config *cfg,
				 const struct prepared *prep,
				 const struct confined *cf, struct json *j)
{
	json_init(j, 1);
	report_namespaces(j, cfg, &prep->report);
	caps_report(j, &cf->caps);
	rlimit_report(j, &cf->rlimits);
	json_bool(j, "no_new_privs",
		  prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);
	landlock_report(j, &cf->landlock);
	landlock_net_report(j, cfg, &cf->landlock);
}

/* After seccomp: its own member (malloc and write: what any filter lets
 * init do anyway), then the whole fragment to the parent. */
static void confine_report_send(const struct config *cfg,
				const struct prepared *prep, struct json *j)
{
	seccomp_report(cfg, prep, j);
	report_child_send(cfg, &prep->tier, &prep->report, j);
}

void confine_apply(const struct config *cfg, const struct prepared *prep)
{
	struct json report = { 0 };
	int want = report_child_wanted(&prep->report);
	/* What each step found, for the report and the audit record. */
	struct confined cf = { 0 };

	procfs_apply(cfg); /* needs CAP_SYS_ADMIN, CAP_SYS_RESOURCE */
	/* the bounding drop needs CAP_SETPCAP */
	caps_apply(cfg, &cf.caps);
	rlimit_apply(cfg, &cf.rlimits); /* no CAP_SYS_RESOURCE: they stay */
	nnp_apply(); /* landlock_restrict_self() requires it */
	/* paths are the sandbox's: after pivot_root */
	landlock_apply(cfg, &cf.landlock, prep->tier.tier);
	if (want) /* reads /proc: before the filter */
		confine_report_build(cfg, prep, &cf, &report);
	confine_audit(cfg, prep, &cf); /* allocates: before the filter too */
	seccomp_apply(cfg, prep); /* last: the filter need only allow exec */
	if (want)		  /* a write to a pipe: allowed by any filter */
		confine_report_send(cfg, prep, &report);
}
