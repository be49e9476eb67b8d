/* SPDX-License-Identifier: MIT */
/*
 * The resources-and-supervision part of struct config (flags in args_res.c):
 * the sandbox's cgroup name and parent, its limits, and where the monitor
 * writes its stats, audit log and sd_notify relay. Plain values parsed and
 * range checked; nothing in here has touched the kernel.
 */
#ifndef NUCLEUS_CONFIG_RES_H
#define NUCLEUS_CONFIG_RES_H

#include "lib/sink.h"

#include <stddef.h>
#include <stdint.h>

#define RES_MAX_IO 16
#define RES_MAX_NAME 128
#define RES_DEFAULT_PIDS 1024 /* agent mode: a fork bomb stops here */
#define RES_MAX_PIDS 4194304  /* PID_MAX_LIMIT */
#define RES_CPU_PERIOD_US 100000
#define RES_IO_UNSET UINT64_MAX	    /* an --io-max key not given */
#define RES_IO_MAX (UINT64_MAX - 1) /* `key=max`: remove that limit */

/* One --io-max line: a block device and its throttles. */
struct res_io {
	unsigned major, minor;
	uint64_t rbps, wbps, riops, wiops; /* RES_IO_UNSET, RES_IO_MAX or N */
};

/* FILE or fd:N (N in [min_fd, max_fd]) into *s: 0, or -1 when v is fd:
 * without such an N (the caller words the error). Pure, for every sink. */
int sink_parse(struct sink *s, const char *v, int min_fd, int max_fd);

struct res_config {
	const char *name; /* --name: cgroup nucleus-NAME; NULL = random */
	const char *cgroup_parent; /* --cgroup-parent: NULL = own cgroup */
	uint64_t memory;	   /* --memory bytes; 0 = no limit */
	uint64_t memory_high;	   /* --memory-high bytes; 0 = none */
	int has_memory_swap;	   /* --memory-swap given */
	uint64_t memory_swap;	   /* swap on top of --memory; default 0 */
	uint32_t cpus_milli;	   /* --cpus x 1000; 0 = no quota */
	uint32_t cpu_weight;	   /* --cpu-weight 1..10000; 0 = default */
	int has_pids;		   /* --pids given (else the agent default) */
	uint64_t pids;		   /* --pids; 0 = unlimited */
	const char *cpuset;	   /* --cpuset: "0-3,6" */
	struct res_io io[RES_MAX_IO]; /* --io-max, one per device */
	unsigned n_io;
	struct sink stats; /* --stats FILE|fd:N */
	struct sink audit; /* --audit FILE|fd:N */
	int sd_notify;	   /* --sd-notify */
};

/* --sd-notify: the workload's NOTIFY_SOCKET, a read-only bind (FS_NOTIFY)
 * of the relay socket the monitor makes before clone. */
#define RES_NOTIFY_INSIDE "/run/notify"

#endif
