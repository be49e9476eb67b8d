// SPDX-License-Identifier: MIT
/*
 * Flags of confinement: capabilities kept, rlimits, Landlock rules and TCP
 * ports, the --report sink. Each row's setter is pure and fills cfg->confine;
 * the capability and rlimit name tables live here so that the parser stays
 * free of syscalls and the report prints the same names the user typed.
 * Checks that need the kernel (does the path exist, is the ABI high enough)
 * happen in the sandbox, in confine.c and landlock.c.
 */
#include "cli/args.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

/* Indexed by capability number, as in <linux/capability.h>. */
static const char *const cap_names[CONFINE_NCAPS] = {
	"CHOWN",
	"DAC_OVERRIDE",
	"DAC_READ_SEARCH",
	"FOWNER",
	"FSETID",
	"KILL",
	"SETGID",
	"SETUID",
	"SETPCAP",
	"LINUX_IMMUTABLE",
	"NET_BIND_SERVICE",
	"NET_BROADCAST",
	"NET_ADMIN",
	"NET_RAW",
	"IPC_LOCK",
	"IPC_OWNER",
	"SYS_MODULE",
	"SYS_RAWIO",
	"SYS_CHROOT",
	"SYS_PTRACE",
	"SYS_PACCT",
	"SYS_ADMIN",
	"SYS_BOOT",
	"SYS_NICE",
	"SYS_RESOURCE",
	"SYS_TIME",
	"SYS_TTY_CONFIG",
	"MKNOD",
	"LEASE",
	"AUDIT_WRITE",
	"AUDIT_CONTROL",
	"SETFCAP",
	"MAC_OVERRIDE",
	"MAC_ADMIN",
	"SYSLOG",
	"WAKE_ALARM",
	"BLOCK_SUSPEND",
	"AUDIT_READ",
	"PERFMON",
	"BPF",
	"CHECKPOINT_RESTORE",
};

/* Indexed by resource number, as in <sys/resource.h> on Linux. */
static const char *const rlimit_names[CONFINE_NLIMITS] = {
	"CPU",	    "FSIZE",  "DATA",	 "STACK",  "CORE",  "RSS",
	"NPROC",    "NOFILE", "MEMLOCK", "AS",	   "LOCKS", "SIGPENDING",
	"MSGQUEUE", "NICE",   "RTPRIO",	 "RTTIME",
};

const char *cap_name(unsigned cap)
{
	return cap < CONFINE_NCAPS ? cap_names[cap] : NULL;
}

const char *rlimit_name(unsigned resource)
{
	return resource < CONFINE_NLIMITS ? rlimit_names[resource] : NULL;
}

/* Index of s (n bytes, an optional PREFIX, any case) in names, or -1. */
static int lookup(const char *const *names, int count, const char *prefix,
		  const char *s, size_t n)
{
	size_t p = strlen(prefix);

	if (n > p && strncasecmp(s, prefix, p) == 0)
		s += p, n -= p;
	for (int i = 0; i < count; i++)
		if (strlen(names[i]) == n && strncasecmp(names[i], s, n) == 0)
			return i;
	return -1;
}

static int cap_flag(uint64_t *set, const char *v, char *err, size_t len)
{
	int cap = lookup(cap_names, CONFINE_NCAPS, "CAP_", v, strlen(v));

	if (cap < 0)
		return args_fail(err, len,
				 "'%s' is not a capability (e.g. "
				 "CAP_NET_BIND_SERVICE or net_bind_service)",
				 v);
	if (*set & (1ull << cap))
		return args_fail(err, len, "'%s' given twice", v);
	*set |= 1ull << cap;
	return 0;
}

static int set_cap_add(struct config *cfg, const char *v, char *err, size_t len)
{
	return cap_flag(&cfg->confine.cap_add, v, err, len);
}

static int set_cap_bound(struct config *cfg, const char *v, char *err,
			 size_t len)
{
	return cap_flag(&cfg->confine.cap_bound, v, err, len);
}

static int set_cap_inh(struct config *cfg, const char *v, char *err, size_t len)
{
	return cap_flag(&cfg->confine.cap_inh, v, err, len);
}

static int set_cap_amb(struct config *cfg, const char *v, char *err, size_t len)
{
	return cap_flag(&cfg->confine.cap_amb, v, err, len);
}

/* The kernel's range; lowering it below the caller's own needs
 * CAP_SYS_RESOURCE, which the kernel checks at the write. */
static int set_oom(struct config *cfg, const char *v, char *err, size_t len)
{
	uint64_t n;

	if (parse_u64(v + (v[0] == '-'), 0, 1000, &n) < 0)
		return args_fail(err, len,
				 "'%s' is not a number from -1000 to 1000", v);
	cfg->confine.oom_score_adj = v[0] == '-' ? -(int)n : (int)n;
	cfg->confine.has_oom = 1;
	return 0;
}

/* KEY=VALUE, KEY dotted: each dot is a directory, so no ".." is ever
 * looked up (a key given twice: the last value is written last). Which
 * keys are the sandbox's own is confine_check's, once --share is known. */
static int set_sysctl(struct config *cfg, const char *v, char *err, size_t len)
{
	struct confine_config *c = &cfg->confine;
	size_t k = strcspn(v, "=/");

	if (v[k] != '=' || !k)
		return args_fail(err, len, "'%s' is not KEY=VALUE", v);
	if (c->n_sysctl >= CONFINE_MAX_SYSCTL)
		return args_fail(err, len, "more than %d sysctls",
				 CONFINE_MAX_SYSCTL);
	c->sysctl[c->n_sysctl++] = v;
	return 0;
}

/* A limit: "unlimited"/"infinity", or N with an optional binary K/M/G/T. */
static int parse_limit(const char *s, size_t n, uint64_t *out)
{
	static const char suffix[] = "KMGT";
	char num[24];
	const char *p;
	unsigned shift = 0;

	if ((n == 9 && !strncasecmp(s, "unlimited", 9)) ||
	    (n == 8 && !strncasecmp(s, "infinity", 8))) {
		*out = RLIM_UNLIMITED;
		return 0;
	}
	if (n >= 2 && (p = strchr(suffix, s[n - 1] & ~0x20)) && *p) {
		shift = 10 * (unsigned)(p - suffix + 1);
		n--;
	}
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, s, n);
	num[n] = '\0';
	/* Below 2^63, so no value collides with RLIM_INFINITY. */
	if (parse_u64(num, 0, (UINT64_MAX >> 1) >> shift, out) < 0)
		return -1;
	*out <<= shift;
	return 0;
}

/* The lowest soft limit nucleus takes. The limits are set in the setup
 * child, so nucleus-init and the workload get exactly what was asked; below
 * these, nucleus-init (a 40 KB static binary: 256 KiB of address space,
 * 128 KiB of data, 16 KiB of stack) or any exec at all is killed by the
 * kernel, and Landlock and init need fds of their own. Measured here with
 * a margin. */
uint64_t rlimit_floor(unsigned r)
{
	switch (r) {
	case RLIMIT_AS:
	case RLIMIT_DATA:
		return 1 << 20;
	case RLIMIT_STACK:
		return 64 << 10;
	case RLIMIT_NOFILE:
		return 16;
	default:
		return 0;
	}
}

/* NAME=SOFT[:HARD]; HARD defaults to SOFT, as with prlimit(1). */
static int set_rlimit(struct config *cfg, const char *v, char *err, size_t len)
{
	struct confine_config *c = &cfg->confine;
	const char *eq = strchr(v, '='), *colon;
	int r = eq ? lookup(rlimit_names, CONFINE_NLIMITS, "RLIMIT_", v,
			    (size_t)(eq - v))
		   : -1;
	uint64_t soft, hard;

	if (!eq)
		return args_fail(err, len, "'%s' is not NAME=SOFT[:HARD]", v);
	if (r < 0)
		return args_fail(err, len,
				 "'%.*s' is not an rlimit (NOFILE, "
				 "NPROC, CORE, AS, FSIZE, CPU, STACK, ...)",
				 (int)(eq - v), v);
	colon = strchr(eq + 1, ':');
	if (parse_limit(eq + 1,
			colon ? (size_t)(colon - eq - 1) : strlen(eq + 1),
			&soft) < 0 ||
	    parse_limit(colon ? colon + 1 : eq + 1,
			strlen(colon ? colon + 1 : eq + 1), &hard) < 0)
		return args_fail(err, len,
				 "'%s': a limit is a number (K, M, G, "
				 "T suffixes) or unlimited",
				 v);
	if (soft > hard)
		return args_fail(err, len,
				 "'%s': soft limit above the hard one", v);
	if (c->rlimit_set & (1u << r))
		return args_fail(err, len, "%s given twice", rlimit_names[r]);
	if (soft < rlimit_floor(r))
		return args_fail(
			err, len, "'%s': below %s's floor of %llu: %s", v,
			rlimit_names[r], (unsigned long long)rlimit_floor(r),
			r == RLIMIT_NOFILE
				? "the setup (Landlock) and nucleus-init "
				  "open file descriptors under it too"
				: "no program can even be executed "
				  "under it (the kernel kills the exec "
				  "with SIGSEGV), nucleus-init first");
	c->rlimit_set |= 1u << r;
	c->rlimit_soft[r] = soft;
	c->rlimit_hard[r] = hard;
	return 0;
}

static int add_path(struct config *cfg, const char *v, unsigned access,
		    char *err, size_t len)
{
	struct confine_config *c = &cfg->confine;

	if (v[0] != '/')
		return args_fail(err, len, "'%s' is not an absolute path", v);
	if (c->n_paths >= CONFINE_MAX_PATHS)
		return args_fail(err, len, "more than %d Landlock paths",
				 CONFINE_MAX_PATHS);
	c->paths[c->n_paths++] = (struct confine_path){ v, access };
	return 0;
}

static int set_ll_ro(struct config *cfg, const char *v, char *err, size_t len)
{
	return add_path(cfg, v, LL_READ, err, len);
}

static int set_ll_rw(struct config *cfg, const char *v, char *err, size_t len)
{
	return add_path(cfg, v, LL_READ | LL_WRITE, err, len);
}

static int set_ll_exec(struct config *cfg, const char *v, char *err, size_t len)
{
	return add_path(cfg, v, LL_READ | LL_EXEC, err, len);
}

static int set_min_abi(struct config *cfg, const char *v, char *err, size_t len)
{
	uint64_t abi;

	if (parse_u64(v, 1, CONFINE_MAX_ABI, &abi) < 0)
		return args_fail(err, len,
				 "'%s' is not an ABI version (1 to %d)", v,
				 CONFINE_MAX_ABI);
	cfg->confine.min_abi = (unsigned)abi;
	return 0;
}

static int set_no_landlock(struct config *cfg, const char *v, char *err,
			   size_t len)
{
	(void)v, (void)err, (void)len;
	cfg->confine.no_landlock = 1;
	return 0;
}

static int add_port(uint16_t *ports, unsigned *n, uint64_t min, const char *v,
		    char *err, size_t len)
{
	uint64_t port;

	if (parse_u64(v, min, 65535, &port) < 0)
		return args_fail(err, len,
				 "'%s' is not a TCP port (%llu to "
				 "65535)",
				 v, (unsigned long long)min);
	for (unsigned i = 0; i < *n; i++)
		if (ports[i] == port)
			return args_fail(err, len, "port %s given twice", v);
	if (*n >= CONFINE_MAX_PORTS)
		return args_fail(err, len, "more than %d ports",
				 CONFINE_MAX_PORTS);
	ports[(*n)++] = (uint16_t)port;
	return 0;
}

static int set_allow_connect(struct config *cfg, const char *v, char *err,
			     size_t len)
{
	struct confine_config *c = &cfg->confine;

	return add_port(c->connect_ports, &c->n_connect, 1, v, err, len);
}

/* Port 0 is a rule of its own: binding to "any free port". */
static int set_allow_bind(struct config *cfg, const char *v, char *err,
			  size_t len)
{
	struct confine_config *c = &cfg->confine;

	return add_port(c->bind_ports, &c->n_bind, 0, v, err, len);
}

static int set_report(struct config *cfg, const char *v, char *err, size_t len)
{
	if (sink_parse(&cfg->confine.report, v, 0, 1 << 20) < 0)
		return args_fail(err, len, "'%s' is not fd:N", v);
	return 0;
}

static const struct option_row confine_rows[] = {
	{ "cap-add", 0, "CAP", 1, set_cap_add,
	  "keep capability CAP (CAP_X or x); all others are dropped" },
	{ "cap-bound", 0, "CAP", OPT_REPEAT | OPT_NATIVE, set_cap_bound,
	  "keep CAP in the bounding set only" },
	{ "cap-inheritable", 0, "CAP", OPT_REPEAT | OPT_NATIVE, set_cap_inh,
	  "put CAP in the inheritable set" },
	{ "cap-ambient", 0, "CAP", OPT_REPEAT | OPT_NATIVE, set_cap_amb,
	  "put CAP in the ambient set" },
	{ "oom-score-adj", 0, "N", OPT_NATIVE, set_oom, "set oom_score_adj" },
	{ "sysctl", 0, "KEY=VALUE", OPT_REPEAT | OPT_NATIVE, set_sysctl,
	  "set a namespaced sysctl" },
	{ "rlimit", 0, "NAME=SOFT[:HARD]", 1, set_rlimit,
	  "set an rlimit: NOFILE=1024, AS=4G, CORE=0 (the default)" },
	{ "landlock-ro", 0, "PATH", 1, set_ll_ro,
	  "Landlock: allow reading PATH" },
	{ "landlock-rw", 0, "PATH", 1, set_ll_rw,
	  "Landlock: allow reading and writing PATH (not executing)" },
	{ "landlock-exec", 0, "PATH", 1, set_ll_exec,
	  "Landlock: allow reading and executing PATH" },
	{ "landlock-min-abi", 0, "N", 0, set_min_abi,
	  "lowest Landlock ABI accepted (default 3; production: else 125)" },
	{ "no-landlock", 0, NULL, 0, set_no_landlock,
	  "agent mode only: no Landlock ruleset at all" },
	{ "allow-connect", 0, "PORT", 1, set_allow_connect,
	  "allow TCP connect to PORT (--share net denies the rest)" },
	{ "allow-bind", 0, "PORT", 1, set_allow_bind,
	  "allow TCP bind to PORT (--share net denies the rest)" },
	{ "report", 0, "FILE|fd:N", 0, set_report,
	  "write what each layer enforced as one JSON object" },
};
const struct option_table args_confine_table = {
	confine_rows, sizeof(confine_rows) / sizeof(confine_rows[0])
};

/* Which namespace sysctl key (dotted, no empty or dot-only part) belongs
 * to, as runc's validator reads the kernel: SHARE_IPC, SHARE_NET,
 * SHARE_UTS, or 0 for a host-wide one (kernel.hostname too: --hostname). */
static unsigned sysctl_ns(const char *k, size_t n)
{
	static const char *const ipc[] = {
		"kernel.msgmax", "kernel.msgmnb",	  "kernel.msgmni",
		"kernel.sem",	 "kernel.shmall",	  "kernel.shmmax",
		"kernel.shmmni", "kernel.shm_rmid_forced"
	};

	for (size_t i = 0; i < sizeof(ipc) / sizeof(ipc[0]); i++)
		if (strlen(ipc[i]) == n && !strncmp(k, ipc[i], n))
			return SHARE_IPC;
	if (n > 10 && !strncmp(k, "fs.mqueue.", 10))
		return SHARE_IPC;
	if (n > 4 && !strncmp(k, "net.", 4))
		return SHARE_NET;
	if (n == 17 && !strncmp(k, "kernel.domainname", 17))
		return SHARE_UTS;
	return 0;
}

static int sysctl_check(const struct config *cfg, const char *v, char *err,
			size_t len)
{
	size_t n = strcspn(v, "=");
	unsigned ns = sysctl_ns(v, n);

	if (!ns || (cfg->share & ns))
		return args_fail(err, len,
				 "--sysctl: '%.*s' is not in a namespace of "
				 "the sandbox's own: it would change the host",
				 (int)n, v);
	return 0;
}

int confine_check(const struct config *cfg, char *err, size_t len)
{
	const struct confine_config *c = &cfg->confine;

	/* the kernel's: ambient within permitted and inheritable, and
	 * inheritable within the bounding set */
	if (c->cap_amb & ~(c->cap_add & c->cap_inh))
		return args_fail(err, len,
				 "--cap-ambient: each needs --cap-add and "
				 "--cap-inheritable too");
	if (c->cap_inh & ~(c->cap_add | c->cap_bound))
		return args_fail(err, len,
				 "--cap-inheritable: each must be in the "
				 "bounding set (--cap-add or --cap-bound)");
	for (unsigned i = 0; i < c->n_sysctl; i++)
		if (sysctl_check(cfg, c->sysctl[i], err, len) < 0)
			return -1;
	return 0;
}
