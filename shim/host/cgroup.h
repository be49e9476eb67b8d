/* SPDX-License-Identifier: MIT */
/*
 * The sandbox's cgroup: created below the caller's own cgroup (or
 * --cgroup-parent), v2 first and v1 for each controller the v2 tree lacks
 * (hybrid hosts), limits written before the child runs, and always removed
 * at the end: killed, waited until empty, rmdir'ed in every hierarchy.
 * A monitor that was SIGKILLed leaves its directories behind; each one is
 * flock()ed by its live monitor, so the next nucleus run, as it ends,
 * safely reaps the unlocked, empty `nucleus-*` cgroups.
 */
#ifndef NUCLEUS_CGROUP_H
#define NUCLEUS_CGROUP_H

#include "host/audit.h"
#include "cli/config.h"

#include <stdint.h>
#include <sys/types.h>

enum cg_ctrl {
	CG_MEMORY,
	CG_PIDS,
	CG_CPU,
	CG_CPUSET,
	CG_IO,
	CG_NCTRL
};
#define CG_BIT(c) (1u << (c))

/* Usage read after the sandbox is empty; -1 where the kernel gave none. */
struct cgroup_stats {
	int64_t cpu_user_us, cpu_system_us, cpu_throttled_us;
	int64_t memory_peak, pids_peak, oom_kills;
};

/* One hierarchy the sandbox lives in: cgroup*.c's alone to read. */
struct cg_hier {
	int v2;
	int is_root;	   /* parent is the hierarchy root: never write it */
	int pfd, fd;	   /* parent and our directory (flock'ed) */
	int made;	   /* we created dir (it may be removed by now) */
	unsigned ctrls;	   /* CG_BIT()s enforced through it */
	char mount[256];   /* mount point of the hierarchy */
	char mroot[256];   /* cgroup path of the mount's root */
	char parent[1024]; /* our own cgroup, then the directory we create in */
	char dir[1200];	   /* our cgroup: parent/nucleus-NAME */
};
#define CG_MAX_HIER (CG_NCTRL + 1) /* v2, and v1 for each controller */

/* One sandbox's cgroups, from cgroup_create to cgroup_destroy: owned by
 * whoever owns the run (the monitor), which reaches it on every way out,
 * die() included. cgroup_create fills it; zeroed, it is a run that has
 * none yet (destroy does nothing, describe says null). */
struct cgroup_set {
	struct cg_hier hier[CG_MAX_HIER];
	unsigned n_hier;
	char name[RES_MAX_NAME + 16]; /* nucleus-NAME */
	unsigned unenforced;	      /* U_* bits asked for but not enforced */
	int why;		      /* errno that cost us a hierarchy, or 0 */
	int done;		      /* cgroup_destroy ran */
	int64_t pids_written; /* pids.max as written; 0 = max; -1: none */
};

/* Creates the cgroups and writes the limits; returns the v2 directory fd
 * for clone3(CLONE_INTO_CGROUP), or -1. Exit 125 on a bad value, or in
 * production on a requested limit that cannot be enforced; every failure
 * removes what was created (cgroup_destroy, from the die() cleanup). */
int cgroup_create(struct cgroup_set *cg, const struct config *cfg);
/* Before the child is released: moves it into every hierarchy (v1, and v2
 * when clone3 could not place it). */
void cgroup_attach(const struct cgroup_set *cg, pid_t pid);
/* SIGKILL to everything in the sandbox (cgroup.kill, or v1 one by one). */
void cgroup_kill(const struct cgroup_set *cg);
/* exec into a running sandbox: the caller moves into every cgroup of pid
 * (nucleus's hierarchies, as mounted here; a hierarchy's root is left),
 * before it joins pid's cgroup namespace; dies on any it cannot enter, so
 * nothing escapes a limit. */
void cgroup_join(pid_t pid);
/* pid's directory in each hierarchy nucleus manages, as mounted here:
 * fd[c] for v1 controller c, fd[CG_NCTRL] for v2; -1 where it is at the
 * hierarchy's root or, own, where the directory is not one nucleus made
 * for a sandbox (nucleus-*), which it shares with its monitor: never to
 * freeze or limit. -1 if pid is gone or a directory would not open. */
int cgroup_dirs(pid_t pid, int own, int fd[CG_NCTRL + 1]);
/* Kill, wait until empty, read stats (st may be NULL), rmdir everything.
 * Safe to call twice and on a half-created cgroup; never dies. */
void cgroup_destroy(struct cgroup_set *cg, struct cgroup_stats *st);
/* "cgroup": {name, dirs, limits, not_enforced} or null (cg NULL: no
 * cgroup, in place), for audit, stats and the report. */
void cgroup_describe(const struct cgroup_set *cg, const struct config *cfg,
		     struct json *j);

/* Limits a user asked for, as bits, to report those not enforced. */
enum {
	U_MEMORY = 1 << 0,
	U_SWAP = 1 << 1,
	U_PIDS = 1 << 2,
	U_CPUS = 1 << 3,
	U_WEIGHT = 1 << 4,
	U_CPUSET = 1 << 5,
	U_IO = 1 << 6,
	U_NITEMS = 7
};
/* "--memory" for bit 0 (U_MEMORY), and so on. */
const char *cg_item_flag(int bit);

int cg_write(int dfd, const char *file, const char *val);
int cg_read(int dfd, const char *file, char *buf, size_t len);
/* "key value" lines (memory.events, cpu.stat): the value, or -1. */
int64_t cg_key(int dfd, const char *file, const char *key);
/* cgroup_limits.c: writes cfg's limits into h, one of cg's; dies with
 * the flag's name. */
void cg_limits(struct cgroup_set *cg, const struct config *cfg,
	       const struct cg_hier *h);
void cg_stats(const struct cg_hier *h, struct cgroup_stats *st);
void cg_describe_limits(const struct cgroup_set *cg, const struct config *cfg,
			struct json *j);

#endif
