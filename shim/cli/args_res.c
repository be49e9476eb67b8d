// SPDX-License-Identifier: MIT
/*
 * Flags of resources and supervision: the cgroup (name, parent, limits) and
 * what the monitor reports (--stats, --audit, --sd-notify). Each setter is
 * pure and fills cfg->res; the combinations no single flag can see are the
 * plan's to refuse (plan/plan.c), still before anything is created.
 */
#include "cli/args.h"

#include <limits.h>
#include <string.h>

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* Also the cgroup's directory name: no '/', nothing a shell would mangle. */
static int set_name(struct config *cfg, const char *v, char *err, size_t len)
{
	size_t n = strlen(v);

	/* It names a state directory's entry too: never . or .. */
	if (!n || v[0] == '.')
		return args_fail(err, len, "'%s': empty or starting with '.'",
				 v);
	if (n > RES_MAX_NAME)
		return args_fail(err, len, "'%.20s...' is longer than %d bytes",
				 v, RES_MAX_NAME);
	for (size_t i = 0; i < n; i++)
		if (!name_char(v[i]))
			return args_fail(err, len,
					 "'%s': only A-Z a-z 0-9 . _ -"
					 " are allowed",
					 v);
	cfg->res.name = v;
	return 0;
}

/* A cgroup path, absolute (from each hierarchy's root) or relative to the
 * caller's own cgroup; a '.' or '..' component could climb out of it. */
static int set_cgroup_parent(struct config *cfg, const char *v, char *err,
			     size_t len)
{
	const char *p = v + (v[0] == '/');

	for (const char *c = v; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f || *c == '\\')
			return args_fail(err, len,
					 "'%s' has a space, a control "
					 "character or a backslash",
					 v);
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && !strncmp(p, "..", 2)))
			return args_fail(err, len,
					 "'%s' has an empty, '.' or "
					 "'..' component",
					 v);
		p += n + (p[n] == '/');
		if (p[-1] == '/' && !*p)
			return args_fail(err, len, "'%s' ends with '/'", v);
	}
	cfg->res.cgroup_parent = v;
	return 0;
}

static int set_memory(struct config *cfg, const char *v, char *err, size_t len)
{
	if (parse_size(v, &cfg->res.memory) < 0 || cfg->res.memory < (1 << 20))
		return args_fail(err, len,
				 "'%s' is not a size of at least 1M "
				 "(suffixes K, M, G, T)",
				 v);
	return 0;
}

/* A throttling threshold below --memory: reclaim, never an OOM kill. */
static int set_memory_high(struct config *cfg, const char *v, char *err,
			   size_t len)
{
	if (parse_size(v, &cfg->res.memory_high) < 0 ||
	    cfg->res.memory_high < (1 << 20))
		return args_fail(err, len,
				 "'%s' is not a size of at least 1M "
				 "(suffixes K, M, G, T)",
				 v);
	return 0;
}

static int set_memory_swap(struct config *cfg, const char *v, char *err,
			   size_t len)
{
	if (parse_size(v, &cfg->res.memory_swap) < 0)
		return args_fail(err, len,
				 "'%s' is not a size (suffixes K, M, "
				 "G, T)",
				 v);
	cfg->res.has_memory_swap = 1;
	return 0;
}

/* Same grammar as a duration: N or N.FFF, read here in thousandths. */
static int set_cpus(struct config *cfg, const char *v, char *err, size_t len)
{
	uint64_t milli;

	if (parse_duration_ms(v, &milli) < 0 || milli < 10 || milli > 1024000)
		return args_fail(err, len,
				 "'%s' is not a number of CPUs "
				 "(0.01 to 1024)",
				 v);
	cfg->res.cpus_milli = (uint32_t)milli;
	return 0;
}

static int set_cpu_weight(struct config *cfg, const char *v, char *err,
			  size_t len)
{
	uint64_t w;

	if (parse_u64(v, 1, 10000, &w) < 0)
		return args_fail(err, len, "'%s' is not a weight (1 to 10000)",
				 v);
	cfg->res.cpu_weight = (uint32_t)w;
	return 0;
}

static int set_pids(struct config *cfg, const char *v, char *err, size_t len)
{
	if (parse_u64(v, 0, RES_MAX_PIDS, &cfg->res.pids) < 0)
		return args_fail(err, len,
				 "'%s' is not a number of tasks (0 = "
				 "unlimited, at most %d)",
				 v, RES_MAX_PIDS);
	cfg->res.has_pids = 1;
	return 0;
}

/* "0-3,6": what cpuset.cpus accepts; the kernel checks the CPUs exist. */
static int set_cpuset(struct config *cfg, const char *v, char *err, size_t len)
{
	const char *p = v;

	while (*p) {
		char a[8], b[8] = "";
		size_t n = strspn(p, "0123456789"), m = 0;
		uint64_t lo, hi;

		if (n == 0 || n >= sizeof(a))
			goto bad;
		memcpy(a, p, n), a[n] = '\0', p += n;
		if (*p == '-') {
			m = strspn(++p, "0123456789");
			if (m == 0 || m >= sizeof(b))
				goto bad;
			memcpy(b, p, m), b[m] = '\0', p += m;
		}
		if (parse_u64(a, 0, 8191, &lo) < 0 ||
		    parse_u64(m ? b : a, lo, 8191, &hi) < 0 ||
		    (*p && (*p != ',' || !*++p)))
			goto bad;
	}
	cfg->res.cpuset = v;
	return 0;
bad:
	return args_fail(err, len, "'%s' is not a CPU list like 0-3,6", v);
}

/* One `key=value` of --io-max; bps take size suffixes, iops do not. */
static int io_key(struct res_io *io, const char *t, size_t n, char *err,
		  size_t len)
{
	static const char *const keys[] = { "rbps", "wbps", "riops", "wiops" };
	uint64_t *slot[] = { &io->rbps, &io->wbps, &io->riops, &io->wiops };
	char val[32];
	size_t k = strcspn(t, "=");

	for (size_t i = 0; i < 4 && k < n; i++) {
		if (strlen(keys[i]) != k || strncmp(t, keys[i], k) != 0)
			continue;
		if (*slot[i] != RES_IO_UNSET || n - k - 1 >= sizeof(val))
			break;
		memcpy(val, t + k + 1, n - k - 1);
		val[n - k - 1] = '\0';
		if (!strcmp(val, "max"))
			*slot[i] = RES_IO_MAX;
		else if ((i < 2 ? parse_size(val, slot[i])
				: parse_u64(val, 1, UINT64_MAX - 2, slot[i])) <
				 0 ||
			 *slot[i] == 0 || *slot[i] >= RES_IO_MAX)
			break;
		return 0;
	}
	return args_fail(err, len,
			 "bad or repeated '%.*s' (rbps=, wbps=, "
			 "riops=, wiops= with a number or max)",
			 (int)n, t);
}

static int io_device(struct res_io *io, const char *v, size_t n, char *err,
		     size_t len)
{
	char maj[12], min[12];
	size_t c = strcspn(v, ":");
	uint64_t a, b;

	if (c >= n || c == 0 || c >= sizeof(maj) || n - c - 1 >= sizeof(min) ||
	    n == c + 1)
		return args_fail(err, len, "'%.*s' is not MAJ:MIN", (int)n, v);
	memcpy(maj, v, c), maj[c] = '\0';
	memcpy(min, v + c + 1, n - c - 1), min[n - c - 1] = '\0';
	if (parse_u64(maj, 0, 4095, &a) < 0 || parse_u64(min, 0, 1048575, &b))
		return args_fail(err, len, "'%.*s' is not MAJ:MIN", (int)n, v);
	io->major = (unsigned)a;
	io->minor = (unsigned)b;
	return 0;
}

static int set_io_max(struct config *cfg, const char *v, char *err, size_t len)
{
	struct res_io io = {
		0, 0, RES_IO_UNSET, RES_IO_UNSET, RES_IO_UNSET, RES_IO_UNSET
	};
	const char *p = v + strspn(v, " ");
	size_t n = strcspn(p, " ");
	int keys = 0;

	if (cfg->res.n_io >= RES_MAX_IO)
		return args_fail(err, len, "more than %d devices", RES_MAX_IO);
	if (io_device(&io, p, n, err, len) < 0)
		return -1;
	for (p += n; *(p += strspn(p, " ")); p += n, keys++)
		if (io_key(&io, p, n = strcspn(p, " "), err, len) < 0)
			return -1;
	if (!keys)
		return args_fail(err, len,
				 "'%s' sets no limit (rbps=, wbps=, "
				 "riops=, wiops=)",
				 v);
	for (unsigned i = 0; i < cfg->res.n_io; i++)
		if (cfg->res.io[i].major == io.major &&
		    cfg->res.io[i].minor == io.minor)
			return args_fail(err, len, "device %u:%u given twice",
					 io.major, io.minor);
	cfg->res.io[cfg->res.n_io++] = io;
	return 0;
}

int sink_parse(struct sink *s, const char *v, int min_fd, int max_fd)
{
	uint64_t fd;

	*s = (struct sink){ 0 };
	if (strncmp(v, "fd:", 3) != 0) {
		s->path = v;
		return 0;
	}
	if (parse_u64(v + 3, (uint64_t)min_fd, (uint64_t)max_fd, &fd) < 0)
		return -1;
	s->fd = (int)fd;
	s->is_fd = 1;
	return 0;
}

/* FILE, or fd:N of an fd the caller opened; 0-2 are the workload's. */
static int set_sink(struct sink *s, const char *v, char *err, size_t len)
{
	if (sink_parse(s, v, 3, INT_MAX) < 0)
		return args_fail(err, len,
				 "'%s': fd:N needs N >= 3 (0-2 "
				 "belong to the workload)",
				 v);
	return 0;
}

static int set_stats(struct config *cfg, const char *v, char *err, size_t len)
{
	return set_sink(&cfg->res.stats, v, err, len);
}

static int set_audit(struct config *cfg, const char *v, char *err, size_t len)
{
	return set_sink(&cfg->res.audit, v, err, len);
}

/* The relay socket is bound into the sandbox like --ro-bind SRC
 * /run/notify and named by --setenv NOTIFY_SOCKET /run/notify, in argv
 * order; SRC is the monitor's, made before clone (struct prepared). */
static int set_sd_notify(struct config *cfg, const char *v, char *err,
			 size_t len)
{
	struct fs_config *fs = &cfg->fs;

	(void)v;
	if (fs->n_ops >= fs->room || fs->n_env >= fs->room)
		return args_fail(err, len,
				 "too many mount or environment "
				 "operations before it");
	fs->ops[fs->n_ops++] =
		(struct fs_op){ .kind = FS_NOTIFY,
				.dest = RES_NOTIFY_INSIDE,
				.dest_len = sizeof(RES_NOTIFY_INSIDE) - 1,
				.fd = -1 };
	fs->env[fs->n_env++] =
		(struct env_op){ ENV_SET, "NOTIFY_SOCKET", RES_NOTIFY_INSIDE };
	cfg->res.sd_notify = 1;
	return 0;
}

/* No cgroup, stats, audit or notify relay without the monitor. */
static const struct option_row res_rows[] = {
	{ "name", 0, "NAME", OPT_MONITOR, set_name,
	  "name the sandbox: its cgroup nucleus-NAME (default: a random id) "
	  "and, while it runs, the state directory's entry NAME (nucleus "
	  "list, state, exec, kill NAME)" },
	{ "cgroup-parent", 0, "PATH", OPT_MONITOR, set_cgroup_parent,
	  "make the cgroup below PATH (default: our own)" },
	{ "memory", 0, "SIZE", OPT_MONITOR, set_memory,
	  "memory limit, e.g. 512M (OOM kill: 137)" },
	{ "memory-high", 0, "SIZE", OPT_MONITOR, set_memory_high,
	  "throttle and reclaim above SIZE (memory.high), no OOM kill" },
	{ "memory-swap", 0, "SIZE", OPT_MONITOR, set_memory_swap,
	  "swap on top of --memory (default 0)" },
	{ "cpus", 0, "F", OPT_MONITOR, set_cpus, "CPU quota, e.g. 0.5" },
	{ "cpu-weight", 0, "N", OPT_MONITOR, set_cpu_weight,
	  "CPU weight 1..10000 (default 100)" },
	{ "pids", 0, "N", OPT_MONITOR, set_pids,
	  "max tasks, 0 = no limit (agent default 1024)" },
	{ "cpuset", 0, "CPUS", OPT_MONITOR, set_cpuset,
	  "CPUs to run on, e.g. 0-1" },
	{ "io-max", 0, "SPEC", OPT_REPEAT | OPT_MONITOR, set_io_max,
	  "\"MAJ:MIN rbps=N wbps=N riops=N wiops=N\"" },
	{ "stats", 0, "FILE|fd:N", OPT_MONITOR, set_stats,
	  "JSON usage stats at exit" },
	{ "audit", 0, "FILE|fd:N", OPT_MONITOR, set_audit,
	  "JSON lines audit log" },
	{ "sd-notify", 0, NULL, OPT_MONITOR | OPT_NATIVE, set_sd_notify,
	  "relay READY=1 and co. to $NOTIFY_SOCKET" },
};
const struct option_table args_res_table = {
	res_rows, sizeof(res_rows) / sizeof(res_rows[0])
};
