// SPDX-License-Identifier: MIT
/*
 * pause, resume, ps, events and update (oci_live.h): the verbs that act on
 * a running container's cgroup, an OCI one or a named argv sandbox alike.
 * Its cgroup is found as exec finds it, from its init's /proc/PID/cgroup,
 * and only a directory nucleus made for it is touched: where it sits at a
 * hierarchy's root, or shares its monitor's cgroup (nucleus made none
 * there), it is not the container's to freeze or to limit. The freezer is
 * cgroup2's cgroup.freeze (a host without cgroup2 has none for pause: v1's
 * freezer would be one more hierarchy for every sandbox to make and
 * remove), whose frozen tasks still take SIGKILL, so kill and delete need
 * no thaw; each of memory, pids and cpu is the v1 controller's directory
 * when there is one, else v2's. events prints runc's JSON types
 * (types/events.go), which its clients decode.
 */
#include "runtime/oci_live.h"
#include "runtime/oci_state.h"
#include "cli/config.h"
#include "host/cgroup.h"
#include "lib/json_read.h"
#include "lib/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The options, in the order of update's values (O_MEM on). */
enum {
	O_FORMAT,
	O_STATS,
	O_RES,
	O_MEM,
	O_SWAP,
	O_PIDS,
	O_QUOTA,
	O_PERIOD,
	O_SHARES,
	O_N
};
static const char opt_name[O_N + 1][12] = {
	"format",      "stats",	     "resources", "memory",
	"memory-swap", "pids-limit", "cpu-quota", "cpu-period",
	"cpu-share",   "cpu-shares" /* O_SHARES too */
};
static const unsigned short verb_opts[] = { 0, 0, 1 << O_FORMAT, 1 << O_STATS,
					    (1 << O_N) - (1 << O_MEM) +
						    (1 << O_RES) };

/* The nth of a list of NUL-separated names (no padding to a row). */
static const char *nth(const char *list, int n)
{
	while (n-- > 0)
		list += strlen(list) + 1;
	return list;
}

struct live {
	const char *id, *v[O_N];
	struct oci_state st;
	int dir, fd[CG_NCTRL + 1]; /* as cgroup_dirs gives them */
	int64_t x[O_N];		   /* update's values: 0 leaves one */
};

/* Options (--opt VAL, --opt=VAL; -r for --resources) and the ID, in any
 * order (none: "", which oci_id_check refuses). */
static void live_parse(int argc, char **argv, unsigned mask, struct live *l)
{
	for (int i = 0; i < argc; i++) {
		char *a = argv[i], *eq = *a == '-' ? strchr(a, '=') : NULL;
		const char *n = strcmp(a, "-r") ? a : "--resources";
		unsigned o = 0;

		if (eq) /* --opt=VAL, as podman passes --resources */
			*eq++ = 0;
		while (o <= O_N && (n[1] != '-' || strcmp(n + 2, opt_name[o])))
			o++;
		o -= o == O_N;
		if (*a != '-' && !*l->id)
			l->id = a;
		else if (o >= O_N || !(mask >> o & 1) ||
			 (o != O_STATS && !eq && ++i >= argc))
			die("bad argument '%s'", a);
		else
			l->v[o] = eq ? eq : argv[i];
	}
}

/* update's values, before anything is looked up or written: from -r
 * FILE|- (runc's LinuxResources JSON; what else it holds, devices, blockIO,
 * cpuset..., is not applied) or from the flags (sizes for memory). */
static void upd_parse(struct live *l)
{
	static const char field[] = "memory\0limit\0memory\0swap\0pids\0limit\0"
				    "cpu\0quota\0cpu\0period\0cpu\0shares";
	const char *r = l->v[O_RES], *f = field, *g, *s;
	struct jr *root, *v;
	char err[256], *text;
	size_t len;
	uint64_t u;

	for (int o = O_MEM; !r && o < O_N; o++)
		if (!(s = l->v[o]))
			continue;
		else if (!strcmp(s, "-1"))
			l->x[o] = -1;
		else if ((o <= O_SWAP ? parse_size(s, &u)
				      : parse_u64(s, 0, INT64_MAX, &u)) < 0)
			die("bad argument '%s'", s);
		else
			l->x[o] = (int64_t)u;
	if (!r)
		return;
	text = strcmp(r, "-") ? host_input_read(r, "-r", 1 << 20, &len)
			      : host_input_slurp(0, "-", "-r", 1 << 20, &len);
	if (!(root = jr_parse(text, len, err, sizeof(err))))
		die("-r %s: %s", r, err);
	for (int o = O_MEM; o < O_N; o++, f = g + strlen(g) + 1) {
		g = f + strlen(f) + 1;
		v = jr_get(jr_get(root, f), g);
		if (v && v->type != JR_NULL &&
		    jr_int(v, -1, INT64_MAX, &l->x[o]) < 0)
			die("-r %s: %s.%s: not a number", r, f, g);
	}
}

/* cgroup2's freezer, core in every cgroup but the root: freezes (on) or
 * thaws, then waits until cgroup.events says so, 5000 tries a millisecond
 * apart (5 s at least). 0 or -errno. */
static int live_freeze(int d, int on)
{
	static const struct timespec ms = { 0, 1000000 };
	int r;

	for (int t = 0; t < 5000; t++) {
		if ((r = cg_write(d, "cgroup.freeze", on ? "1" : "0")) < 0 ||
		    cg_key(d, "cgroup.events", "frozen") == on)
			return r;
		nanosleep(&ms, NULL);
	}
	return -ETIMEDOUT;
}

/* pause (on) or resume: the status in the state follows. */
static int live_pause(struct live *l, int on)
{
	const char *is = oci_status(&l->st);
	int r;

	if (strcmp(is, on ? "running" : "paused"))
		die("container '%s' is %s", l->id, is);
	/* EBADF: no cgroup2 directory of its own, so no freezer */
	if ((r = live_freeze(l->fd[CG_NCTRL], on)) < 0) {
		if (on)
			(void)live_freeze(l->fd[CG_NCTRL], 0);
		errno = r == -EBADF ? ENOENT : -r;
		die_errno("%s: writing '%s'", "cgroup.freeze", on ? "1" : "0");
	}
	snprintf(l->st.status, sizeof(l->st.status), "%s",
		 on ? "paused" : "running");
	oci_state_write(l->dir, &l->st);
	return 0;
}

/* runc's: the pids as a JSON array, or a table (of pids only; runc's is
 * ps -ef's). */
static int live_ps(struct live *l)
{
	static char procs[65536];
	const char *f = l->v[O_FORMAT] ? l->v[O_FORMAT] : "table";
	int json = !strcmp(f, "json"), n;

	if (!json && strcmp(f, "table"))
		die("bad argument '%s'", f);
	n = cg_read(l->fd[CG_NCTRL] >= 0 ? l->fd[CG_NCTRL] : l->fd[CG_MEMORY],
		    "cgroup.procs", procs, sizeof(procs));
	if (n < 0)
		die("container '%s' is %s", l->id,
		    "without a cgroup of its own");
	for (int i = 0; json && i < n; i++)
		if (procs[i] == '\n')
			procs[i] = i + 1 < n ? ',' : ']';
	printf(json ? "[%s\n" : "PID\n%s", n || !json ? procs : "]");
	return 0;
}

/* The cgroup files (and cpu.stat's keys) the verbs read and write, by
 * number: nth(cg_file, N). */
static const char cg_file[] =
	"usage_usec\0system_usec\0user_usec\0"		 /* 0-2 */
	"memory.usage_in_bytes\0memory.current\0"	 /* 3, 4 */
	"memory.limit_in_bytes\0memory.max\0"		 /* 5, 6 */
	"memory.max_usage_in_bytes\0memory.peak\0"	 /* 7, 8 */
	"memory.failcnt\0\0pids.current\0pids.max\0"	 /* 9-12 */
	"memory.memsw.limit_in_bytes\0memory.swap.max\0" /* 13, 14 */
	"cpu.cfs_period_us\0cpu.max\0cpu.cfs_quota_us\0" /* 15-17 */
	"cpu.shares\0cpu.weight";			 /* 18, 19 */
/* runc's stats after cpu.usage (ns, from v2's cpu.stat in µs: core, no
 * controller needed; 0 without cgroup2): memory.usage, pids, each from
 * its v1 file or its v2 one (v2 has no failcnt: 0). */
static const unsigned char stat_row[6][2] = {
	{ 3, 4 }, { 5, 6 }, { 7, 8 }, { 9, 10 }, { 11, 11 }, { 12, 12 }
};

/* A file's number; "max" is max, none is 0. */
static unsigned long long num(int fd, const char *file, unsigned long long max)
{
	char b[32];

	if (cg_read(fd, file, b, sizeof(b)) <= 0)
		return 0;
	return *b == 'm' ? max : strtoull(b, NULL, 10);
}

/* One stats event in runc's types; memory.raw is memory.stat. "max" is
 * 0 for pids, as runc's. The ID is [A-Za-z0-9_.-] and the kernel's keys
 * and numbers need no escape. */
static void live_stats(const struct live *l)
{
	static char raw[8192], out[16384];
	const int *fd = l->fd;
	int v2 = fd[CG_NCTRL];
	unsigned long long x[9];
	char *o = out;

	for (int i = 0; i < 9; i++) {
		int c = i < 7 ? CG_MEMORY : CG_PIDS, v1 = fd[c] >= 0;
		long long us =
			i < 3 ? cg_key(v2, "cpu.stat", nth(cg_file, i)) : 0;

		x[i] = i < 3 ? (us > 0 ? (unsigned long long)us * 1000 : 0)
			     : num(v1 ? fd[c] : v2,
				   nth(cg_file, stat_row[i - 3][!v1]),
				   i == 4 ? -1ull : 0);
	}
	if (cg_read(fd[CG_MEMORY] >= 0 ? fd[CG_MEMORY] : v2, "memory.stat", raw,
		    sizeof(raw)) < 0)
		*raw = 0;
	/* "key value\n" lines become "key":value members, 2 bytes more a
	 * line of 4 or more: out has room */
	for (char *k = raw; *k; k++) {
		if (k == raw || k[-1] == '\n')
			*o++ = '"';
		if (*k == ' ')
			*o++ = '"', *o++ = ':';
		else if (*k != '\n')
			*o++ = *k;
		else if (k[1])
			*o++ = ',';
	}
	*o = 0;
	printf("{\"type\":\"stats\",\"id\":\"%s\",\"data\":{\"cpu\":{"
	       "\"usage\":{\"total\":%llu,\"kernel\":%llu,\"user\":%llu}},"
	       "\"memory\":{\"usage\":{\"usage\":%llu,\"limit\":%llu,"
	       "\"max\":%llu,\"failcnt\":%llu},\"raw\":{%s}},\"pids\":{"
	       "\"current\":%llu,\"limit\":%llu}}}\n",
	       l->id, x[0], x[1], x[2], x[3], x[4], x[5], x[6], out, x[7],
	       x[8]);
}

/* update's writes, in order: the option, the controller, its v1 file
 * and its v2 one (cg_file's). v1 keeps memory <= memory+swap at every
 * step, hence runc's order: memsw first when it grows (row 0, v1 only),
 * else after; v2's cpu.max takes "QUOTA [PERIOD]": the period goes first. */
static const unsigned char upd_row[][4] = {
	{ O_SWAP, CG_MEMORY, 13, 10 }, { O_MEM, CG_MEMORY, 5, 6 },
	{ O_SWAP, CG_MEMORY, 13, 14 }, { O_PIDS, CG_PIDS, 12, 12 },
	{ O_PERIOD, CG_CPU, 15, 16 },  { O_QUOTA, CG_CPU, 17, 16 },
	{ O_SHARES, CG_CPU, 18, 19 },
};

/* 0 leaves a value as it is, -1 is unlimited, as runc's. A new --memory
 * alone on v1 keeps the swap allowance the container had (runc's would
 * fail above it); v2 counts swap apart (swap.max: memory-swap minus
 * memory), its cpu.max holds quota and period (a quota not given is
 * kept), and its cpu.weight comes from shares, runc's conversion. */
static int live_update(struct live *l)
{
	const int *fd = l->fd;
	int64_t *v = l->x;
	int m = fd[CG_MEMORY] >= 0 ? fd[CG_MEMORY] : fd[CG_NCTRL];
	int64_t lim = (int64_t)num(m, nth(cg_file, 5), 0),
		sw = (int64_t)num(m, nth(cg_file, 13), 0);
	char val[80], q[48] = "max";

	if (v[O_MEM] > 0 && !v[O_SWAP] && sw > 0 && sw < 1ll << 62)
		v[O_SWAP] = sw - lim + v[O_MEM];
	if (v[O_MEM] < 0 && !v[O_SWAP])
		v[O_SWAP] = -1;
	for (unsigned i = 0; i < sizeof(upd_row) / sizeof(upd_row[0]); i++) {
		int o = upd_row[i][0], v1 = fd[upd_row[i][1]] >= 0, r;
		int d = v1 ? fd[upd_row[i][1]] : fd[CG_NCTRL];
		const char *f = nth(cg_file, upd_row[i][2 + !v1]);
		int64_t x = v[o];

		if (!x || !*f || (!i && x > 0 && lim >= x))
			continue;
		if (!v1 && o == O_SWAP && x > 0 &&
		    (v[O_MEM] <= 0 || (x -= v[O_MEM]) < 0))
			die("bad argument '%s'", "--memory-swap");
		if (!v1 && o == O_SHARES)
			x = 1 + ((x < 2 ? 2 : x) - 2) * 9999 / 262142;
		snprintf(val, sizeof(val), "%lld", (long long)x);
		if (x < 0)
			snprintf(val, sizeof(val), "%s",
				 v1 && o != O_PIDS ? "-1" : "max");
		if (!v1 && o == O_PERIOD) { /* the quota as it is */
			(void)cg_read(d, f, q, sizeof(q));
			q[strcspn(q, " ")] = 0;
			snprintf(val, sizeof(val), "%s %lld", q, (long long)x);
		}
		if ((r = cg_write(d, f, val)) < 0) { /* EBADF: no directory */
			errno = r == -EBADF ? ENOENT : -r;
			die_errno("%s: writing '%s'", f, val);
		}
		if (!i)
			v[O_SWAP] = 0;
	}
	return 0;
}

int oci_live(int rootfd, const char *verb, int k, int argc, char **argv)
{
	struct live l = { .id = "" };

	die_step = verb;
	live_parse(argc, argv, verb_opts[k], &l);
	if (k == 3 && !l.v[O_STATS]) /* runc's stream every --interval */
		die("only --stats here");
	upd_parse(&l);
	l.dir = oci_state_dir(rootfd, l.id);
	die_step = verb;
	/* init checked after the reads: never a recycled pid */
	if (oci_state_read(l.dir, &l.st) < 0 ||
	    cgroup_dirs(l.st.pid, 1, l.fd) < 0 ||
	    !strcmp(oci_status(&l.st), "stopped"))
		die("container '%s' is not running", l.id);
	if (k < 2)
		return live_pause(&l, k == 0);
	if (k == 3)
		live_stats(&l);
	return k == 2 ? live_ps(&l) : k == 4 ? live_update(&l) : 0;
}
