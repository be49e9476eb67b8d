/* SPDX-License-Identifier: MIT */
/*
 * struct config: everything the command line asked for, filled by the pure
 * argv parser and read by every later step. Fields are named after their long
 * flags. Nothing in here has touched the kernel yet.
 */
#ifndef NUCLEUS_CONFIG_H
#define NUCLEUS_CONFIG_H

#include "cli/config_confine.h"
#include "cli/config_fs.h"
#include "cli/config_gvisor.h"
#include "cli/config_net.h"
#include "cli/config_res.h"
#include "cli/config_seccomp.h"

#include <stddef.h>
#include <stdint.h>

#define NUCLEUS_MAX_VALUE 4096
#define NUCLEUS_MAX_ROWS 256 /* flags in all option tables together */

/* Namespaces that --share can keep from the host. */
enum {
	SHARE_NET = 1u << 0,
	SHARE_IPC = 1u << 1,
	SHARE_UTS = 1u << 2,
	SHARE_PID = 1u << 3,
};

/* --join-ns: the namespaces that can be entered by path, in this order. */
enum {
	JOIN_NET,
	JOIN_IPC,
	JOIN_UTS,
	JOIN_PID,
	JOIN_NS_N
};
extern const char join_ns_names[JOIN_NS_N][4]; /* "net", "ipc", "uts", "pid" */

/* --min-tier: the namespaces the sandbox must have (shim/tier.h). */
enum tier {
	TIER_FULL,
	TIER_NO_USERNS,
	TIER_CONFINE_ONLY
};

/* --mode: agent degrades and reports; production fails closed with 125. */
enum mode {
	MODE_AGENT,
	MODE_PRODUCTION
};

struct config {
	enum mode mode;	    /* --mode */
	enum tier min_tier; /* --min-tier: production's floor */
	int has_min_tier;
	const char *init;		/* --init: path of nucleus-init */
	uint64_t timeout_ms;		/* --timeout: 0 = none */
	uint64_t kill_after_ms;		/* --kill-after: TERM-to-KILL grace */
	const char *hostname;		/* --hostname */
	const char *chdir;		/* --chdir: inside the sandbox */
	unsigned share;			/* --share: SHARE_* bits */
	const char *join_ns[JOIN_NS_N]; /* --join-ns: entered, not new */
	const char *console_socket;	/* --console-socket: the tty's taker */
	int tty;			/* --tty: a pty relayed to ours */
	const char *name;    /* --name: in the state directory while it runs */
	int timings;	     /* --timings or NUCLEUS_TIMINGS=1 */
	struct fs_config fs; /* filesystem, identity, env, fds */
	struct confine_config confine; /* caps, rlimits, Landlock, seccomp */
	struct res_config res; /* cgroup, limits, stats, audit, sd_notify */
	struct seccomp_config seccomp; /* --seccomp-* */
	struct net_config net;	       /* --net, --publish, --egress-allow... */
	struct gvisor_config gvisor;   /* --runtime, --gvisor-platform */
	const char *value2; /* parser scratch: 2nd value of a 2-value flag */
	/* Bit k: the flag of option row k was given (args_given()). */
	unsigned char given[NUCLEUS_MAX_ROWS / 8];
	int argc; /* the command after -- */
	char **argv;
};

enum parse_result {
	PARSE_OK,
	PARSE_HELP,
	PARSE_VERSION,
	PARSE_ERROR
};

/* Where the parser puts the lists that grow with the command line, each of
 * n entries. Every mount or environment operation takes at least one argv
 * word, so n = argc always suffices: the caller allocates, the parser stays
 * pure, and the count is bounded only by the kernel's ARG_MAX. */
struct config_room {
	struct fs_op *ops;
	struct env_op *env;
	size_t n;
};

/* Pure: no syscalls, no allocation, no exit. On PARSE_ERROR, err holds one
 * line naming the flag. */
enum parse_result parse_args(int argc, char **argv, struct config *cfg,
			     struct config_room room, char *err, size_t errlen);
/* Writes the help text, one line per flag, into buf (for --help). */
size_t args_help(char *buf, size_t len);

/* Checked parsers, exposed for the unit tests. 0 or -1. */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int parse_duration_ms(const char *s, uint64_t *ms);
int parse_size(const char *s, uint64_t *bytes); /* 64, 4K, 512M, 2G, 1T */

#endif
