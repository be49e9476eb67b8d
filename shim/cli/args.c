// SPDX-License-Identifier: MIT
/*
 * The argv parser: a table of long options, each row carrying its help line
 * and a setter, one checked number parser, duplicates rejected, the command
 * after `--`. Pure: it makes no syscall and never exits, so it can be unit
 * tested and fuzzed; main() turns a PARSE_ERROR into exit 125.
 */
#include "cli/args.h"
#include "cli/config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_KILL_AFTER_MS 2000
#define MAX_SECONDS (366ull * 24 * 3600)

int args_fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* "N" bytes or N with a binary suffix K, M, G, T (KiB...); at most 2^62. */
int parse_size(const char *s, uint64_t *bytes)
{
	static const char suffix[] = "KMGT";
	char num[32];
	size_t n = strlen(s);
	const char *p = n ? strchr(suffix, s[n - 1] & ~0x20) : NULL;
	unsigned shift = p && *p ? 10 * (unsigned)(p - suffix + 1) : 0;
	uint64_t v;

	if (n == 0 || n >= sizeof(num) || (shift && n == 1))
		return -1;
	memcpy(num, s, n - (shift ? 1 : 0));
	num[n - (shift ? 1 : 0)] = '\0';
	if (parse_u64(num, 0, (1ull << 62) >> shift, &v) < 0)
		return -1;
	*bytes = v << shift;
	return 0;
}

/* "N" or "N.FFF" seconds, at most millisecond precision, at most a year. */
int parse_duration_ms(const char *s, uint64_t *ms)
{
	char whole[32];
	const char *dot = strchr(s, '.');
	size_t n = dot ? (size_t)(dot - s) : strlen(s);
	uint64_t sec, frac = 0;

	if (n == 0 || n >= sizeof(whole))
		return -1;
	memcpy(whole, s, n);
	whole[n] = '\0';
	if (parse_u64(whole, 0, MAX_SECONDS, &sec) < 0)
		return -1;
	if (dot) {
		size_t f = strlen(dot + 1);

		if (f == 0 || f > 3 || parse_u64(dot + 1, 0, 999, &frac) < 0)
			return -1;
		while (f++ < 3)
			frac *= 10;
	}
	*ms = sec * 1000 + frac;
	return 0;
}

static int set_init(struct config *cfg, const char *v, char *err, size_t len)
{
	(void)err, (void)len;
	cfg->init = v;
	return 0;
}

static int set_timeout(struct config *cfg, const char *v, char *err, size_t len)
{
	if (parse_duration_ms(v, &cfg->timeout_ms) < 0 || cfg->timeout_ms == 0)
		return args_fail(err, len,
				 "'%s' is not a duration in seconds "
				 "(0.001 to %llu)",
				 v, MAX_SECONDS);
	return 0;
}

static int set_kill_after(struct config *cfg, const char *v, char *err,
			  size_t len)
{
	if (parse_duration_ms(v, &cfg->kill_after_ms) < 0)
		return args_fail(err, len,
				 "'%s' is not a duration in seconds "
				 "(0 to %llu)",
				 v, MAX_SECONDS);
	return 0;
}

/* RFC 1123 label rules, as sethostname(2) would accept and resolvers expect. */
static int set_hostname(struct config *cfg, const char *v, char *err,
			size_t len)
{
	size_t n = strlen(v);

	if (n > 64)
		return args_fail(err, len, "'%.20s...' is longer than 64 bytes",
				 v);
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9');

		if (!alnum && !((c == '-' || c == '.') && i > 0 && i < n - 1))
			return args_fail(err, len,
					 "'%s' is not a valid host name", v);
	}
	cfg->hostname = v;
	return 0;
}

static int set_chdir(struct config *cfg, const char *v, char *err, size_t len)
{
	if (v[0] != '/')
		return args_fail(err, len, "'%s' is not an absolute path", v);
	/* A cwd under /proc can be an fd of the setup (CVE-2024-21626);
	 * "//proc" and "/./proc" are /proc too. */
	const char *p = v;

	while (*p == '/' || (p[0] == '.' && (p[1] == '/' || !p[1])))
		p++;
	if (strncmp(p, "proc", 4) == 0 && (p[4] == '/' || !p[4]))
		return args_fail(err, len, "'%s' is under /proc", v);
	cfg->chdir = v;
	return 0;
}

static int set_share(struct config *cfg, const char *v, char *err, size_t len)
{
	static const struct {
		const char *name;
		unsigned bit;
	} ns[] = { { "net", SHARE_NET },
		   { "ipc", SHARE_IPC },
		   { "uts", SHARE_UTS },
		   { "pid", SHARE_PID } };

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		if (strcmp(v, ns[i].name) != 0)
			continue;
		if (cfg->share & ns[i].bit)
			return args_fail(err, len, "'%s' given twice", v);
		cfg->share |= ns[i].bit;
		return 0;
	}
	return args_fail(err, len, "'%s' is not one of net, ipc, uts, pid", v);
}

const char join_ns_names[JOIN_NS_N][4] = { "net", "ipc", "uts", "pid" };

/* --join-ns NS PATH: PATH is opened only before clone (setup/join.c). */
static int set_join_ns(struct config *cfg, const char *v, char *err, size_t len)
{
	for (int k = 0; k < JOIN_NS_N; k++) {
		if (strcmp(v, join_ns_names[k]))
			continue;
		if (cfg->join_ns[k])
			return args_fail(err, len, "'%s' given twice", v);
		if (cfg->value2[0] != '/')
			return args_fail(err, len,
					 "'%s' is not an absolute path",
					 cfg->value2);
		cfg->join_ns[k] = cfg->value2;
		return 0;
	}
	return args_fail(err, len, "'%s' is not one of net, ipc, uts, pid", v);
}

static int set_console_socket(struct config *cfg, const char *v, char *err,
			      size_t len)
{
	if (v[0] != '/')
		return args_fail(err, len, "'%s' is not an absolute path", v);
	cfg->console_socket = v;
	return 0;
}

static int set_timings(struct config *cfg, const char *v, char *err, size_t len)
{
	(void)v, (void)err, (void)len;
	cfg->timings = 1;
	return 0;
}

static int set_tty(struct config *cfg, const char *v, char *err, size_t len)
{
	(void)v, (void)err, (void)len;
	cfg->tty = 1;
	return 0;
}

static int set_mode(struct config *cfg, const char *v, char *err, size_t len)
{
	if (strcmp(v, "agent") == 0)
		cfg->mode = MODE_AGENT;
	else if (strcmp(v, "production") == 0)
		cfg->mode = MODE_PRODUCTION;
	else
		return args_fail(err, len, "'%s' is not agent or production",
				 v);
	return 0;
}

static int set_min_tier(struct config *cfg, const char *v, char *err,
			size_t len)
{
	static const char *const names[] = { "full", "no-userns",
					     "confine-only" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v, names[i]) == 0) {
			cfg->min_tier = (enum tier)i;
			cfg->has_min_tier = 1;
			return 0;
		}
	return args_fail(err, len,
			 "'%s' is not full, no-userns or confine-only", v);
}

static const struct option_row main_rows[] = {
	{ "help", 'h', NULL, 0, NULL, "print this help and exit" },
	{ "version", 'V', NULL, 0, NULL, "print the version and exit" },
	{ "mode", 0, "MODE", 0, set_mode,
	  "agent (default: best effort, reported) or production (fail "
	  "closed)" },
	{ "min-tier", 0, "TIER", 0, set_min_tier,
	  "full (default in production), no-userns or confine-only" },
	{ "init", 0, "PATH", 0, set_init,
	  "nucleus-init to run as PID 1 (default: beside nucleus)" },
	{ "timeout", 0, "SECONDS", 0, set_timeout,
	  "TERM the sandbox after SECONDS, KILL after the grace; exit 124" },
	{ "kill-after", 0, "SECONDS", 0, set_kill_after,
	  "grace between TERM and KILL on timeout (default 2)" },
	{ "hostname", 0, "NAME", 0, set_hostname,
	  "host name inside the sandbox (default nucleus)" },
	{ "chdir", 0, "DIR", 0, set_chdir,
	  "working directory of the command inside the sandbox" },
	{ "share", 0, "NS", 1, set_share,
	  "keep the host's namespace NS: net, ipc, uts or pid (repeatable)" },
	{ "join-ns", 0, "NS PATH", OPT_REPEAT | OPT_NATIVE, set_join_ns,
	  "enter the namespace at PATH (net, ipc, uts or pid) instead of a new "
	  "one, e.g. a pod's" },
	{ "console-socket", 0, "PATH", OPT_NATIVE, set_console_socket,
	  "give the command a terminal of the sandbox's devpts and send its "
	  "master to the unix socket PATH (SCM_RIGHTS; OCI terminal)" },
	{ "tty", 't', NULL, OPT_NATIVE, set_tty,
	  "give the command a terminal of the sandbox's devpts, relayed to "
	  "ours (stdin must be a terminal)" },
	{ "timings", 0, NULL, 0, set_timings,
	  "print per-phase setup times in microseconds on stderr" },
};
const struct option_table args_main_table = {
	main_rows, sizeof(main_rows) / sizeof(main_rows[0])
};

/* Every table of flags, in --help order; each subsystem owns its own. */
static const struct option_table *const tables[] = {
	&args_main_table,    &args_fs_table,  &args_confine_table,
	&args_seccomp_table, &args_res_table, &args_net_table,
	&args_gvisor_table
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

const struct option_row *args_row(size_t k)
{
	for (size_t t = 0; t < NTABLES; t++) {
		if (k < tables[t]->n)
			return &tables[t]->rows[k];
		k -= tables[t]->n;
	}
	return NULL;
}

int args_given(const struct config *cfg, size_t k)
{
	return k < NUCLEUS_MAX_ROWS && (cfg->given[k / 8] >> (k % 8) & 1);
}

size_t args_help(char *buf, size_t len)
{
	size_t off = 0;
	int n = snprintf(buf, len,
			 "usage: nucleus [OPTIONS] -- COMMAND [ARGS...]\n"
			 "Runs COMMAND in a sandbox with nucleus-init as "
			 "PID 1.\n\n");

	for (size_t i = 0; n >= 0 && args_row(i); i++) {
		const struct option_row *r = args_row(i);
		char opt[48], sh[5] = "    ";

		off += (size_t)n;
		if (r->short_name)
			snprintf(sh, sizeof(sh), "-%c, ", r->short_name);
		snprintf(opt, sizeof(opt), "%s--%s%s%s", sh, r->name,
			 r->value ? " " : "", r->value ? r->value : "");
		n = snprintf(buf + (off < len ? off : len),
			     off < len ? len - off : 0, "  %-26s %s%s\n", opt,
			     r->help, r->attr & OPT_MONITOR ? " [M]" : "");
	}
	off += n > 0 ? (size_t)n : 0;
	n = snprintf(buf + (off < len ? off : len), off < len ? len - off : 0,
		     "\n[M]: done by the monitor outside the sandbox; when "
		     "nucleus is PID 1\nwith --share pid (no monitor), "
		     "refused in production, dropped in agent mode.\n");
	return off + (n > 0 ? (size_t)n : 0);
}

/* The row of arg (-x, --name or --name=value) and its global index. */
static const struct option_row *find_row(const char *arg, size_t *namelen,
					 size_t *index)
{
	const struct option_row *r;
	int is_short = arg[0] == '-' && arg[1] != '-' && arg[1] && !arg[2];

	if (!is_short && (arg[0] != '-' || arg[1] != '-'))
		return NULL;
	*namelen = is_short ? 2 : strcspn(arg + 2, "=") + 2;
	for (*index = 0; (r = args_row(*index)); ++*index) {
		if (is_short ? r->short_name == arg[1]
			     : strlen(r->name) == *namelen - 2 &&
				       !strncmp(r->name, arg + 2, *namelen - 2))
			return r;
	}
	return NULL;
}

/* A value is refused when empty or absurdly long; 0 or -1. */
static int check_value(const struct option_row *r, const char *v, char *err,
		       size_t len)
{
	if (!*v)
		return args_fail(err, len, "--%s: empty value", r->name);
	if (strnlen(v, NUCLEUS_MAX_VALUE + 1) > NUCLEUS_MAX_VALUE)
		return args_fail(err, len, "--%s: value longer than %d bytes",
				 r->name, NUCLEUS_MAX_VALUE);
	return 0;
}

/* Two-value flags take no --name=value form: SRC and DEST follow. */
static int apply_two(const struct option_row *r, int argc, char **argv, int *i,
		     struct config *cfg, char *err, size_t len)
{
	const char *a, *b;

	if (*i + 2 >= argc || strchr(argv[*i], '='))
		return args_fail(err, len, "--%s needs two values: %s", r->name,
				 r->value);
	a = argv[++*i];
	b = argv[++*i];
	if (check_value(r, a, err, len) < 0 || check_value(r, b, err, len) < 0)
		return -1;
	cfg->value2 = b;
	return r->set(cfg, a, err, len);
}

/* Applies one option; *i is advanced past its value(s). */
static int apply_row(const struct option_row *r, int argc, char **argv, int *i,
		     size_t namelen, struct config *cfg, char *err, size_t len)
{
	const char *arg = argv[*i], *v = NULL;

	if (r->value && strchr(r->value, ' '))
		return apply_two(r, argc, argv, i, cfg, err, len);
	if (arg[namelen] == '=')
		v = arg + namelen + 1;
	else if (r->value && ++*i < argc)
		v = argv[*i];
	if (!r->value && v)
		return args_fail(err, len, "--%s takes no value", r->name);
	if (r->value && !v)
		return args_fail(err, len, "--%s needs a value: %s", r->name,
				 r->value);
	if (v && check_value(r, v, err, len) < 0)
		return -1;
	return r->set(cfg, v, err, len);
}

/* Setters explain the value; the message starts with the flag's name. */
static enum parse_result prefix_flag(const struct option_row *r, char *err,
				     size_t len)
{
	char why[256];
	size_t n = strlen(r->name) + 2;

	if (strncmp(err, "--", 2) == 0 && strncmp(err + 2, r->name, n - 2) == 0)
		return PARSE_ERROR;
	snprintf(why, sizeof(why), "%s", err);
	args_fail(err, len, "--%s: %s", r->name, why);
	return PARSE_ERROR;
}

static enum parse_result parse_argv(int argc, char **argv, struct config *cfg,
				    struct config_room room, char *err,
				    size_t len)
{
	int i;

	*cfg = (struct config){
		.kill_after_ms = DEFAULT_KILL_AFTER_MS,
		.fs = { .ops = room.ops, .env = room.env, .room = room.n }
	};
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		size_t namelen, k;
		const struct option_row *r = find_row(argv[i], &namelen, &k);

		if (!r)
			return args_fail(err, len, "%s '%.64s'%s",
					 argv[i][0] == '-'
						 ? "unknown flag"
						 : "unexpected argument",
					 argv[i],
					 argv[i][0] == '-'
						 ? ""
						 : " (put the command "
						   "after --)"),
			       PARSE_ERROR;
		if (args_given(cfg, k) && !(r->attr & OPT_REPEAT))
			return args_fail(err, len, "--%s given twice", r->name),
			       PARSE_ERROR;
		if (k < NUCLEUS_MAX_ROWS)
			cfg->given[k / 8] |= (unsigned char)(1u << (k % 8));
		if (!r->set) /* --help, --version: at once */
			return r->short_name == 'h' ? PARSE_HELP
						    : PARSE_VERSION;
		if (apply_row(r, argc, argv, &i, namelen, cfg, err, len) < 0)
			return prefix_flag(r, err, len);
	}
	if (i >= argc || i + 1 >= argc || !argv[i + 1][0])
		return args_fail(err, len,
				 "no command: usage: nucleus [OPTIONS] "
				 "-- COMMAND [ARGS...]"),
		       PARSE_ERROR;
	cfg->argv = argv + i + 1;
	cfg->argc = argc - i - 1;
	/* Once all are read: argv order must not matter. */
	args_net_default(cfg);
	return PARSE_OK;
}

enum parse_result parse_args(int argc, char **argv, struct config *cfg,
			     struct config_room room, char *err, size_t len)
{
	enum parse_result r = parse_argv(argc, argv, cfg, room, err, len);

	/* Values are quoted back in errors: keep the message one line. */
	for (char *p = err; r == PARSE_ERROR && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return r;
}
