// SPDX-License-Identifier: MIT
/*
 * The limits written into the sandbox's cgroup before the child runs, in
 * v2 (memory.max, cpu.max, pids.max, io.max...) or in the v1 equivalents
 * (memory.limit_in_bytes, cpu.cfs_quota_us, blkio.throttle.*...), and the
 * usage read back at the end. A value the kernel refuses is the user's
 * mistake: exit 125 naming the flag, and the caller's die hook removes the
 * cgroup. A file the kernel lacks (no swap accounting) is "not enforced".
 */
#include "host/cgroup.h"
#include "lib/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cg_item_flag(int bit)
{
	static const char *const flag[U_NITEMS] = {
		"--memory",	"--memory-swap", "--pids",   "--cpus",
		"--cpu-weight", "--cpuset",	 "--io-max",
	};

	return bit >= 0 && bit < U_NITEMS ? flag[bit] : "?";
}

/* Writes one file; a missing optional file returns -ENOENT, any other
 * refusal is exit 125 naming the flag. */
static int cg_set(const struct cg_hier *h, const char *file, const char *val,
		  const char *flag, int optional)
{
	int r = cg_write(h->fd, file, val);

	if (r == -ENOENT && optional)
		return r;
	if (r < 0) {
		errno = -r;
		die_errno("%s: writing '%s' to %s/%s", flag, val, h->dir, file);
	}
	return 0;
}

/* A limit the kernel took without complaint but does not hold is worse
 * than a refusal: every written value is read back. Memory limits are
 * rounded down to a page by the kernel. */
static void cg_readback(const struct cg_hier *h, const char *file,
			const char *val, const char *flag)
{
	char got[128];
	int n = cg_read(h->fd, file, got, sizeof(got));

	if (n < 0) {
		errno = -n;
		die_errno("%s: reading back %s/%s", flag, h->dir, file);
	}
	got[strcspn(got, "\n")] = '\0';
	if (!strcmp(got, val))
		return;
	/* Numbers both (not sscanf: 8 KiB of static binary for this). */
	if (*val >= '0' && *val <= '9' && *got >= '0' && *got <= '9' &&
	    strstr(file, "memory") &&
	    strtoull(got, NULL, 10) == (strtoull(val, NULL, 10) & ~4095ull))
		return;
	die("%s: wrote '%s' to %s/%s, it reads back '%s': not enforced", flag,
	    val, h->dir, file, got);
}

static void cg_setu(const struct cg_hier *h, const char *file, uint64_t v,
		    const char *flag)
{
	char b[24];

	snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	cg_set(h, file, b, flag, 0);
	cg_readback(h, file, b, flag);
}

static void cg_memory(const struct res_config *r, const struct cg_hier *h,
		      unsigned *unenf)
{
	char b[24];

	/* v1 has no throttle: its soft limit is what reclaim aims at. */
	if (r->memory_high)
		cg_setu(h, h->v2 ? "memory.high" : "memory.soft_limit_in_bytes",
			r->memory_high, "--memory-high");
	if (!r->memory)
		return;
	cg_setu(h, h->v2 ? "memory.max" : "memory.limit_in_bytes", r->memory,
		"--memory");
	/* v2 counts swap alone; v1's memsw is memory plus swap. */
	snprintf(
		b, sizeof(b), "%llu",
		(unsigned long long)(r->memory_swap + (h->v2 ? 0 : r->memory)));
	if (cg_set(h, h->v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes",
		   b, "--memory-swap", 1) < 0 &&
	    r->has_memory_swap)
		*unenf |= U_SWAP;
}

/* --pids, or the agent's default that stops a fork bomb. */
static void cg_pids(const struct config *cfg, const struct cg_hier *h,
		    int64_t *written)
{
	const struct res_config *r = &cfg->res;
	uint64_t n = r->has_pids ? r->pids : RES_DEFAULT_PIDS;

	if (!r->has_pids && cfg->mode != MODE_AGENT)
		return;
	if (n)
		cg_setu(h, "pids.max", n, "--pids");
	else
		cg_set(h, "pids.max", "max", "--pids", 0);
	*written = (int64_t)n;
}

static void cg_cpu(const struct res_config *r, const struct cg_hier *h)
{
	uint64_t quota = (uint64_t)r->cpus_milli * RES_CPU_PERIOD_US / 1000;
	char b[48];

	if (r->cpus_milli && h->v2) {
		snprintf(b, sizeof(b), "%llu %d", (unsigned long long)quota,
			 RES_CPU_PERIOD_US);
		cg_set(h, "cpu.max", b, "--cpus", 0);
		cg_readback(h, "cpu.max", b, "--cpus");
	} else if (r->cpus_milli) {
		cg_setu(h, "cpu.cfs_period_us", RES_CPU_PERIOD_US, "--cpus");
		cg_setu(h, "cpu.cfs_quota_us", quota, "--cpus");
	}
	/* v1 shares: weight 100 (v2's default) is 1024 (v1's default). */
	if (r->cpu_weight)
		cg_setu(h, h->v2 ? "cpu.weight" : "cpu.shares",
			h->v2 ? r->cpu_weight
			      : (r->cpu_weight * 1024ull / 100 < 2
					 ? 2
					 : r->cpu_weight * 1024ull / 100),
			"--cpu-weight");
}

static void cg_cpuset(const struct res_config *r, const struct cg_hier *h)
{
	char mems[256];

	if (!r->cpuset)
		return;
	/* v1 starts a child with no memory nodes: no task may join it. */
	if (!h->v2 && cg_read(h->pfd, "cpuset.mems", mems, sizeof(mems)) > 0) {
		mems[strcspn(mems, "\n")] = '\0';
		cg_set(h, "cpuset.mems", mems, "--cpuset", 0);
	}
	cg_set(h, "cpuset.cpus", r->cpuset, "--cpuset", 0);
}

static int io_word(char *b, size_t len, const char *key, uint64_t v)
{
	if (v == RES_IO_UNSET)
		return 0;
	if (v == RES_IO_MAX)
		return snprintf(b, len, " %s=max", key);
	return snprintf(b, len, " %s=%llu", key, (unsigned long long)v);
}

/* "MAJ:MIN rbps=N wiops=max": the --io-max line as io.max takes it. */
static void io_line(const struct res_io *io, char *b, size_t len)
{
	size_t n = (size_t)snprintf(b, len, "%u:%u", io->major, io->minor);

	n += (size_t)io_word(b + n, len - n, "rbps", io->rbps);
	n += (size_t)io_word(b + n, len - n, "wbps", io->wbps);
	n += (size_t)io_word(b + n, len - n, "riops", io->riops);
	(void)io_word(b + n, len - n, "wiops", io->wiops);
}

static void cg_io(const struct res_config *r, const struct cg_hier *h)
{
	static const char *const v1file[4] = {
		"blkio.throttle.read_bps_device",
		"blkio.throttle.write_bps_device",
		"blkio.throttle.read_iops_device",
		"blkio.throttle.write_iops_device"
	};
	char b[160];

	for (unsigned i = 0; i < r->n_io; i++) {
		const struct res_io *io = &r->io[i];
		const uint64_t v[4] = { io->rbps, io->wbps, io->riops,
					io->wiops };

		if (h->v2) {
			io_line(io, b, sizeof(b));
			cg_set(h, "io.max", b, "--io-max", 0);
			continue;
		}
		/* v1 has no "max": an absent rule is no limit. */
		for (int k = 0; k < 4; k++) {
			if (v[k] == RES_IO_UNSET || v[k] == RES_IO_MAX)
				continue;
			snprintf(b, sizeof(b), "%u:%u %llu", io->major,
				 io->minor, (unsigned long long)v[k]);
			cg_set(h, v1file[k], b, "--io-max", 0);
		}
	}
}

void cg_limits(struct cgroup_set *cg, const struct config *cfg,
	       const struct cg_hier *h)
{
	if (h->ctrls & CG_BIT(CG_MEMORY))
		cg_memory(&cfg->res, h, &cg->unenforced);
	if (h->ctrls & CG_BIT(CG_PIDS))
		cg_pids(cfg, h, &cg->pids_written);
	if (h->ctrls & CG_BIT(CG_CPU))
		cg_cpu(&cfg->res, h);
	if (h->ctrls & CG_BIT(CG_CPUSET))
		cg_cpuset(&cfg->res, h);
	if (h->ctrls & CG_BIT(CG_IO))
		cg_io(&cfg->res, h);
}

void cg_stats(const struct cg_hier *h, struct cgroup_stats *st)
{
	int64_t v;

	if (h->v2) {
		/* cpu.stat is core v2: there even with no cpu controller. */
		if ((v = cg_key(h->fd, "cpu.stat", "user_usec")) >= 0)
			st->cpu_user_us = v;
		if ((v = cg_key(h->fd, "cpu.stat", "system_usec")) >= 0)
			st->cpu_system_us = v;
	}
	/* Time the quota held the sandbox back: v2 in us, v1 in ns. */
	if ((h->ctrls & CG_BIT(CG_CPU)) &&
	    (v = cg_key(h->fd, "cpu.stat",
			h->v2 ? "throttled_usec" : "throttled_time")) >= 0)
		st->cpu_throttled_us = h->v2 ? v : v / 1000;
	if (h->ctrls & CG_BIT(CG_MEMORY)) {
		char b[32];

		if (cg_read(h->fd,
			    h->v2 ? "memory.peak" : "memory.max_usage_in_bytes",
			    b, sizeof(b)) > 0)
			st->memory_peak = strtoll(b, NULL, 10);
		st->oom_kills = cg_key(
			h->fd, h->v2 ? "memory.events" : "memory.oom_control",
			"oom_kill");
	}
	if (h->ctrls & CG_BIT(CG_PIDS)) {
		char b[32];

		if (cg_read(h->fd, "pids.peak", b, sizeof(b)) > 0)
			st->pids_peak = strtoll(b, NULL, 10);
	}
}

void cg_describe_limits(const struct cgroup_set *cg, const struct config *cfg,
			struct json *j)
{
	const struct res_config *r = &cfg->res;
	unsigned unenf = cg->unenforced;
	const char *missing[U_NITEMS];
	int n = 0;
	char b[160];

	json_begin(j, "limits");
	if (r->memory_high && !(unenf & U_MEMORY))
		json_uint(j, "memory_high", r->memory_high);
	if (r->memory && !(unenf & U_MEMORY)) {
		json_uint(j, "memory", r->memory);
		if (!(unenf & U_SWAP))
			json_uint(j, "memory_swap", r->memory_swap);
	}
	if (r->cpus_milli && !(unenf & U_CPUS)) {
		snprintf(b, sizeof(b), "%u.%03u", r->cpus_milli / 1000,
			 r->cpus_milli % 1000);
		json_raw(j, "cpus", b);
	}
	if (r->cpu_weight && !(unenf & U_WEIGHT))
		json_uint(j, "cpu_weight", r->cpu_weight);
	if (cg->pids_written >= 0)
		json_int(j, "pids", cg->pids_written);
	if (r->cpuset && !(unenf & U_CPUSET))
		json_str(j, "cpuset", r->cpuset);
	if (r->n_io && !(unenf & U_IO)) {
		static char lines[RES_MAX_IO][160];
		char *io[RES_MAX_IO];

		for (unsigned i = 0; i < r->n_io; i++)
			io_line(&r->io[i], io[i] = lines[i], sizeof(lines[i]));
		json_strv(j, "io_max", io, (int)r->n_io);
	}
	json_close(j);
	for (int i = 0; i < U_NITEMS; i++)
		if (unenf & (1u << i))
			missing[n++] = cg_item_flag(i);
	json_strv(j, "not_enforced", (char *const *)missing, n);
}
