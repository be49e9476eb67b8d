// SPDX-License-Identifier: MIT
/*
 * rlimits: the second confinement step, after the capability drop, so the
 * workload cannot raise a hard limit back (that needs CAP_SYS_RESOURCE). One
 * default applies unless --rlimit overrides it: CORE 0:0, because a core dump
 * of a sandboxed process would land in its working directory with whatever
 * secrets its memory held, and agents' crashing tools dump a lot. Everything
 * else is inherited from the caller: memory, processes and CPU are the
 * cgroup's job (RLIMIT_NPROC counts every process of the uid on the whole
 * host and is ignored for root, so it is no substitute for pids.max).
 * nucleus only lowers limits: a hard limit above the current one is refused.
 * They are set here, before nucleus-init runs, so init and the workload get
 * exactly what was asked; the parser refuses values below what init itself
 * needs (rlimit_floor), so no limit kills init before the workload runs.
 */
#include "setup/confine.h"
#include "host/report.h"
#include "lib/mountapi.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

enum rl_source {
	RL_HOST,
	RL_DEFAULT,
	RL_FLAG
};

/* What nucleus sets for resource r when no --rlimit names it. */
static int rlimit_default(unsigned r, uint64_t *soft, uint64_t *hard)
{
	if (r != RLIMIT_CORE)
		return 0;
	*soft = *hard = 0;
	return 1;
}

static const char *rl_text(uint64_t v, char *buf, size_t len)
{
	if (v == RLIM_UNLIMITED)
		return "unlimited";
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

/* NOFILE bounds fd numbers, and the steps after this one open fds
 * (Landlock's ruleset and one per rule, nucleus-init's signalfd): say so
 * here rather than let Landlock fail with EMFILE and take the blame. */
static void rlimit_check_nofile(uint64_t soft)
{
	int fd = fcntl(0, F_DUPFD_CLOEXEC, 0);

	if (fd < 0)
		die_errno("--rlimit NOFILE: no fd left to probe");
	close(fd);
	/* The lowest free fd, then two for Landlock, one for init. */
	if ((uint64_t)fd + 3 > soft)
		die("--rlimit NOFILE=%llu: the setup still holds fds up to %d "
		    "and Landlock and nucleus-init open more under the limit; "
		    "give at least %d",
		    (unsigned long long)soft, fd - 1, fd + 3);
}

static void rlimit_set_one(unsigned r, uint64_t soft, uint64_t hard)
{
	struct rlimit old, rl = { .rlim_cur = soft, .rlim_max = hard };
	char a[24], b[24];

	if (r == RLIMIT_NOFILE)
		rlimit_check_nofile(soft);

	if (getrlimit((int)r, &old) < 0)
		die_errno("getrlimit %s", rlimit_name(r));
	if (hard > old.rlim_max)
		die("--rlimit %s: hard limit %s is above the current %s; "
		    "nucleus only lowers limits",
		    rlimit_name(r), rl_text(hard, a, sizeof(a)),
		    rl_text(old.rlim_max, b, sizeof(b)));
	if (setrlimit((int)r, &rl) < 0)
		die_errno("--rlimit %s=%s:%s", rlimit_name(r),
			  rl_text(soft, a, sizeof(a)),
			  rl_text(hard, b, sizeof(b)));
}

void rlimit_apply(const struct config *cfg, struct rlimits_found *found)
{
	const struct confine_config *c = &cfg->confine;
	struct rlimit_found *rl_final = found->r;

	die_step = "rlimit";
	for (unsigned r = 0; r < CONFINE_NLIMITS; r++) {
		uint64_t soft, hard;
		struct rlimit rl;

		rl_final[r].source = RL_HOST;
		if (c->rlimit_set & (1u << r)) {
			soft = c->rlimit_soft[r];
			hard = c->rlimit_hard[r];
			rl_final[r].source = RL_FLAG;
		} else if (rlimit_default(r, &soft, &hard)) {
			rl_final[r].source = RL_DEFAULT;
		}
		if (rl_final[r].source != RL_HOST)
			rlimit_set_one(r, soft, hard);
		/* Read back: what the report says is what the kernel holds. */
		if (getrlimit((int)r, &rl) < 0)
			die_errno("getrlimit %s", rlimit_name(r));
		if (rl_final[r].source != RL_HOST &&
		    (rl.rlim_cur != soft || rl.rlim_max != hard))
			die("%s reads back as %llu:%llu", rlimit_name(r),
			    (unsigned long long)rl.rlim_cur,
			    (unsigned long long)rl.rlim_max);
		rl_final[r].soft = rl.rlim_cur;
		rl_final[r].hard = rl.rlim_max;
	}
	found->done = 1;
}

static void rl_value(struct json *j, const char *key, uint64_t v)
{
	if (v == RLIM_UNLIMITED)
		json_str(j, key, "unlimited");
	else
		json_uint(j, key, v);
}

void rlimit_report(struct json *j, const struct rlimits_found *found)
{
	static const char source[][8] = { "host", "default", "flag" };
	const struct rlimit_found *rl_final = found->r;
	int rl_done = found->done;

	json_begin(j, "rlimits");
	json_bool(j, "enforced", rl_done);
	for (unsigned r = 0; rl_done && r < CONFINE_NLIMITS; r++) {
		json_begin(j, rlimit_name(r));
		rl_value(j, "soft", rl_final[r].soft);
		rl_value(j, "hard", rl_final[r].hard);
		json_str(j, "set_by", source[rl_final[r].source]);
		json_close(j);
	}
	json_close(j);
}

/* path below a procfs mount written with value; dies saying which. */
static void proc_write(int proc, const char *path, const char *value,
		       const char *what)
{
	cleanup_fd int fd = sys_openat2(proc, path, O_WRONLY | O_CLOEXEC,
					RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
	size_t n = strlen(value);

	if (fd < 0 || write(fd, value, n) != (ssize_t)n)
		die_errno("%s", what);
}

/* --oom-score-adj and --sysctl, through a procfs of the sandbox's own
 * that is never attached: its /proc may be read-only, and these need the
 * privilege the capability drop takes. A sysctl file is the namespace of
 * the process writing it (ipc, uts, net), which confine_check made the
 * sandbox's own; lowering oom_score_adj below the caller's is refused by
 * the kernel without CAP_SYS_RESOURCE. */
void procfs_apply(const struct config *cfg)
{
	const struct confine_config *c = &cfg->confine;
	cleanup_fd int proc = -1;
	char path[160], v[16];

	if (!c->has_oom && !c->n_sysctl)
		return;
	die_step = "procfs";
	proc = fs_new("proc", NULL, 0);
	if (c->has_oom) {
		/* not self: a symlink, which the lookup refuses */
		snprintf(path, sizeof(path), "%d/oom_score_adj", getpid());
		snprintf(v, sizeof(v), "%d", c->oom_score_adj);
		proc_write(proc, path, v,
			   "--oom-score-adj (below the caller's: needs "
			   "CAP_SYS_RESOURCE)");
	}
	for (unsigned i = 0; i < c->n_sysctl; i++) {
		const char *s = c->sysctl[i], *eq = strchr(s, '=');
		size_t n = (size_t)snprintf(path, sizeof(path), "sys/%.*s",
					    (int)(eq - s), s);

		for (size_t k = 4; k < n;
		     k++) /* kernel.shmmax: kernel/shmmax */
			path[k] = path[k] == '.' ? '/' : path[k];
		proc_write(proc, path, eq + 1, s);
	}
}
