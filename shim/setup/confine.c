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

#include <stdlib.h>
#include <string.h>
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
 * report's words (the same writers), before the filter closes in. */
static void confine_audit(const struct config *cfg,
			  const struct prepared *prep,
			  const struct confined *cf)
{
	struct json j;
	struct jbuf b = { 0 };
	char sc[4096];
	size_t n;

	if (!audit_begin(&j, "confine"))
		return;
	json_str(&j, "tier", tier_name(prep->tier.tier));
	jb_printf(&b, "{");
	caps_report(&b, &cf->caps);
	jb_printf(&b, ", ");
	rlimit_report(&b, &cf->rlimits);
	jb_printf(&b, ", \"no_new_privs\": true, ");
	landlock_report(&b, &cf->landlock);
	n = seccomp_report(cfg, prep, sc, sizeof(sc));
	jb_printf(&b, ", %.*s}", (int)(n < sizeof(sc) ? n : 0), sc);
	if (!b.oom && b.buf)
		json_raw(&j, "layers", b.buf);
	audit_end(&j);
	free(b.buf);
}

/* The largest "seccomp": {...} fragment (a custom profile's is the
 * longest); a bigger one is reported as null, never truncated. */
#define SECCOMP_FRAGMENT_MAX 16384

/* --report, before seccomp: everything that needs more than write(2). */
static void confine_report_build(const struct config *cfg,
				 const struct confined *cf, struct jbuf *j)
{
	report_namespaces(j, cfg);
	jb_printf(j, ", ");
	caps_report(j, &cf->caps);
	jb_printf(j, ", ");
	rlimit_report(j, &cf->rlimits);
	jb_printf(j, ", \"no_new_privs\": %s, ",
		  prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? "true"
							       : "false");
	landlock_report(j, &cf->landlock);
	jb_printf(j, ", ");
	landlock_net_report(j, cfg, &cf->landlock);
}

/* After seccomp: its own fragment (malloc and write: what any filter
 * lets init do anyway), then the whole fragment to the parent. */
static void confine_report_send(const struct config *cfg,
				const struct prepared *prep, struct jbuf *j)
{
	char *sc = calloc(1, SECCOMP_FRAGMENT_MAX);
	size_t n = sc ? seccomp_report(cfg, prep, sc, SECCOMP_FRAGMENT_MAX) : 0;

	if (n > 0 && n < SECCOMP_FRAGMENT_MAX)
		jb_printf(j, ", %s", sc);
	else /* never a truncated object: say it is missing */
		jb_printf(j, ", \"seccomp\": null");
	free(sc);
	report_child_send(cfg, &prep->tier, j);
}

void confine_apply(const struct config *cfg, const struct prepared *prep)
{
	struct jbuf report = { 0 };
	int want = report_child_wanted();
	/* What each step found, for the report and the audit record. */
	struct confined cf = { 0 };

	/* first: the bounding drop needs CAP_SETPCAP */
	caps_apply(cfg, &cf.caps);
	rlimit_apply(cfg, &cf.rlimits); /* no CAP_SYS_RESOURCE: they stay */
	nnp_apply(); /* landlock_restrict_self() requires it */
	/* paths are the sandbox's: after pivot_root */
	landlock_apply(cfg, &cf.landlock, prep->tier.tier);
	if (want) /* reads /proc: before the filter */
		confine_report_build(cfg, &cf, &report);
	confine_audit(cfg, prep, &cf); /* allocates: before the filter too */
	seccomp_apply(cfg, prep); /* last: the filter need only allow exec */
	if (want) /* a write to a pipe: allowed by any filter */
		confine_report_send(cfg, prep, &report);
}
