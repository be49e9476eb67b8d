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
#include "audit.h"
#include "confine.h"
#include "report.h"
#include "sandbox.h"
#include "tier.h"
#include "util.h"

#include <stdlib.h>
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
static void confine_audit(const struct config *cfg)
{
	struct json j;
	struct jbuf b = { 0 };
	char sc[4096];
	size_t n;

	if (!audit_begin(&j, "confine"))
		return;
	json_str(&j, "tier", tier_name(sandbox_tier));
	jb_printf(&b, "{");
	caps_report(&b);
	jb_printf(&b, ", ");
	rlimit_report(&b);
	jb_printf(&b, ", \"no_new_privs\": true, ");
	landlock_report(&b);
	n = seccomp_report(cfg, sc, sizeof(sc));
	jb_printf(&b, ", %.*s}", (int)(n < sizeof(sc) ? n : 0), sc);
	if (!b.oom && b.buf)
		json_raw(&j, "layers", b.buf);
	audit_end(&j);
	free(b.buf);
}

void confine_apply(const struct config *cfg)
{
	caps_apply(cfg);     /* first: the bounding drop needs CAP_SETPCAP */
	rlimit_apply(cfg);   /* without CAP_SYS_RESOURCE they stay put */
	nnp_apply();         /* landlock_restrict_self() requires it */
	landlock_apply(cfg); /* paths are the sandbox's: after pivot_root */
	report_build(cfg);   /* reads /proc: before the filter */
	confine_audit(cfg);  /* allocates: before the filter too */
	seccomp_apply(cfg);  /* last: the filter need only allow exec */
	report_send(cfg);    /* a write to a pipe: allowed by any filter */
}
