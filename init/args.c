/* SPDX-License-Identifier: MIT */
/*
 * The command line and environment of nucleus-init, parsed into one struct
 * config with no syscalls (pure: fuzzable, and safe to run before anything
 * else). One table carries every option with its help text, so --help and
 * the parser cannot drift apart. Short flags and variables are tini's, with
 * tini's meaning (-g -s -v -w -e -p -l, TINI_SUBREAPER,
 * TINI_KILL_PROCESS_GROUP, TINI_VERBOSITY), so that nucleus-init drops in
 * where tini was (docker run --init, ENTRYPOINT ["tini", "--"]); options
 * stop at "--" or at the first non-option, so "-c" after the command name
 * always belongs to the workload. Environment variables NUCLEUS_INIT_* set
 * the same knobs; a flag overrides its variable.
 */
#include <stddef.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "init.h"

/* Keys of the options that have no short form. */
enum {
	K_SYSTEM = 1,
	K_POWEROFF,
	K_REBOOT,
	K_SIGMASK,
	K_TINI_VERBOSITY
};

struct opt_row {
	int key;	  /* the short flag, or a K_ value */
	const char *name; /* the long flag, without "--" */
	const char *arg;  /* the value's name, NULL for a plain flag */
	const char *help;
};

static const struct opt_row rows[] = {
	{ 'g', "pgroup", NULL, "forward signals to the whole process group" },
	{ 't', "grace", "SECONDS",
	  "TERM-to-KILL grace for leftovers (default 2)" },
	{ 'e', "remap-exit", "CODE",
	  "exit 0 if the status is CODE (repeatable)" },
	{ 'p', "pdeathsig", "SIGNAL",
	  "signal to receive when the parent dies" },
	{ 's', "subreaper", NULL, "for tini users; automatic if not PID 1" },
	{ 'v', "verbose", NULL, "log more on stderr (repeatable, up to 3)" },
	{ 'w', "warn-reap", NULL, "warn on reaping a zombie" },
	{ K_SYSTEM, "system", NULL,
	  "act as a machine's PID 1 (auto if it is)" },
	{ K_POWEROFF, "poweroff", NULL,
	  "system mode: power off at the end (default)" },
	{ K_REBOOT, "reboot", NULL, "system mode: reboot at the end" },
	{ K_SIGMASK, "sigmask", "HEX",
	  "the workload's signal mask (default: the one init got)" },
	{ 'l', "license", NULL, "print the license and exit" },
	{ 'h', "help", NULL, "print this help and exit" },
	{ 'V', "version", NULL, "print the version and exit" },
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* Real-time signals numbered as glibc, kill(1) and Docker number them. */
#define RTMIN_GLIBC 34
#define RTMAX_KERNEL 64

static const char *const signames[32] = {
	[SIGHUP] = "HUP",	[SIGINT] = "INT",	[SIGQUIT] = "QUIT",
	[SIGILL] = "ILL",	[SIGTRAP] = "TRAP",	[SIGABRT] = "ABRT",
	[SIGBUS] = "BUS",	[SIGFPE] = "FPE",	[SIGKILL] = "KILL",
	[SIGUSR1] = "USR1",	[SIGSEGV] = "SEGV",	[SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE",	[SIGALRM] = "ALRM",	[SIGTERM] = "TERM",
	[SIGSTKFLT] = "STKFLT", [SIGCHLD] = "CHLD",	[SIGCONT] = "CONT",
	[SIGSTOP] = "STOP",	[SIGTSTP] = "TSTP",	[SIGTTIN] = "TTIN",
	[SIGTTOU] = "TTOU",	[SIGURG] = "URG",	[SIGXCPU] = "XCPU",
	[SIGXFSZ] = "XFSZ",	[SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF",
	[SIGWINCH] = "WINCH",	[SIGIO] = "IO",		[SIGPWR] = "PWR",
	[SIGSYS] = "SYS",
};

/* A whole decimal string in [0, max]; -1 for anything else. */
static long parse_uint(const char *s, long max)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	return v;
}

/* "2", "0.5", "1.250": seconds with up to 3 decimals, into milliseconds. */
static long parse_seconds_ms(const char *s)
{
	long ms = 0, scale = 1000;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		ms = ms * 10 + (*p - '0');
		if (ms > GRACE_MAX_MS / 1000)
			return -1;
	}
	ms *= 1000;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9' && scale > 1; p++) {
			scale /= 10;
			ms += (*p - '0') * scale;
		}
		if (p[-1] == '.')
			return -1;
	}
	return *p || ms > GRACE_MAX_MS ? -1 : ms;
}

/* "TERM", "SIGTERM", "15", "RTMIN+3", "SIGRTMAX-1"; -1 if not a signal. */
static int parse_signal(const char *s)
{
	long n;
	int i;

	if (*s >= '0' && *s <= '9') {
		n = parse_uint(s, RTMAX_KERNEL);
		return n > 0 ? (int)n : -1;
	}
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (i = 1; i < 32; i++)
		if (signames[i] && !strcmp(s, signames[i]))
			return i;
	if (!strncmp(s, "RTMIN", 5) || !strncmp(s, "RTMAX", 5)) {
		int min = s[4] == 'N';

		if (!s[5])
			return min ? RTMIN_GLIBC : RTMAX_KERNEL;
		if (s[5] != (min ? '+' : '-'))
			return -1;
		n = parse_uint(s + 6, RTMAX_KERNEL - RTMIN_GLIBC);
		if (n < 0)
			return -1;
		return (int)(min ? RTMIN_GLIBC + n : RTMAX_KERNEL - n);
	}
	return -1;
}

static enum parse_result fail(struct config *cfg, const char *what,
			      const char *why)
{
	cfg->err_what = what;
	cfg->err_why = why;
	return PARSE_ERROR;
}

static int remap_add(struct config *cfg, const char *s)
{
	long code = parse_uint(s, 255);

	if (code < 0)
		return -1;
	cfg->remap_exit[code / 64] |= (uint64_t)1 << (code % 64);
	return 0;
}

int remap_has(const struct config *cfg, int code)
{
	return code >= 0 && code < 256 &&
	       (cfg->remap_exit[code / 64] >> (code % 64) & 1);
}

/* 1 to 16 hex digits, nothing else. */
static int parse_hex64(const char *v, uint64_t *out)
{
	uint64_t n = 0;
	int i;

	for (i = 0; v[i]; i++) {
		int c = v[i], d = c >= '0' && c <= '9'	 ? c - '0'
				  : c >= 'a' && c <= 'f' ? c - 'a' + 10
				  : c >= 'A' && c <= 'F' ? c - 'A' + 10
							 : -1;

		if (d < 0 || i >= 16)
			return -1;
		n = n << 4 | (uint64_t)d;
	}
	*out = n;
	return i ? 0 : -1;
}

/* Sets one knob from a string; what names it in the error (flag or var). */
static enum parse_result set_value(struct config *cfg, int key, const char *v,
				   const char *what)
{
	long n;

	if (!v)
		return fail(cfg, what, "needs a value");
	switch (key) {
	case 't':
		n = parse_seconds_ms(v);
		if (n < 0)
			return fail(cfg, what,
				    "want seconds 0-86400, e.g. 2 or 0.5");
		cfg->grace = (int)n;
		break;
	case 'e':
		if (remap_add(cfg, v))
			return fail(cfg, what, "want an exit code 0-255");
		break;
	case 'p':
		n = parse_signal(v);
		if (n < 0)
			return fail(cfg, what, "want a signal name or number");
		cfg->pdeathsig = (int)n;
		break;
	case 'v':
		n = parse_uint(v, 3);
		if (n < 0)
			return fail(cfg, what, "want a verbosity 0-3");
		cfg->verbose = (int)n;
		break;
	case K_TINI_VERBOSITY:
		/* tini's scale: 0 fatal only, 1 warnings (its default, our 0),
		 * 2 info, 3 debug, 4 trace. */
		n = parse_uint(v, 999);
		if (n < 0)
			return fail(cfg, what, "want a verbosity 0-4");
		cfg->verbose = (int)(n > 4 ? 4 : n) - 1;
		break;
	case K_SIGMASK:
		if (parse_hex64(v, &cfg->sigmask))
			return fail(cfg, what, "want 1 to 16 hex digits");
		cfg->has_sigmask = 1;
		break;
	case 'g':
		n = *v ? parse_uint(v, 1) : 0;
		if (n < 0)
			return fail(cfg, what, "want 0 or 1");
		cfg->pgroup = (int)n;
		break;
	}
	return PARSE_RUN;
}

/* NUCLEUS_INIT_REMAP_EXIT is a comma list; the rest are single values. */
static enum parse_result parse_env_remap(struct config *cfg, const char *v)
{
	char code[4];
	size_t n;

	while (*v) {
		n = strcspn(v, ",");
		if (n >= sizeof(code))
			return fail(cfg, "NUCLEUS_INIT_REMAP_EXIT",
				    "want exit codes 0-255, comma separated");
		memcpy(code, v, n);
		code[n] = 0;
		if (remap_add(cfg, code))
			return fail(cfg, "NUCLEUS_INIT_REMAP_EXIT",
				    "want exit codes 0-255, comma separated");
		v += n + (v[n] == ',');
	}
	return PARSE_RUN;
}

static enum parse_result parse_env(struct config *cfg)
{
	static const struct {
		const char *name;
		int key;
	} vars[] = {
		/* tini's first: ours are read after them and win. */
		{ "TINI_VERBOSITY", K_TINI_VERBOSITY },
		{ "NUCLEUS_INIT_PGROUP", 'g' },
		{ "NUCLEUS_INIT_GRACE", 't' },
		{ "NUCLEUS_INIT_PDEATHSIG", 'p' },
		{ "NUCLEUS_INIT_VERBOSITY", 'v' },
		{ "NUCLEUS_INIT_SIGMASK", K_SIGMASK },
	};
	const char *v;
	size_t i;

	/* tini's switches: set at all, whatever the value, means on.
	 * TINI_SUBREAPER asks for what init does anyway when not PID 1. */
	if (getenv("TINI_KILL_PROCESS_GROUP"))
		cfg->pgroup = 1;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		v = getenv(vars[i].name);
		if (v && set_value(cfg, vars[i].key, v, vars[i].name))
			return PARSE_ERROR;
	}
	v = getenv("NUCLEUS_INIT_REMAP_EXIT");
	return v ? parse_env_remap(cfg, v) : PARSE_RUN;
}

/* One option seen on the command line, with its value if it takes one. */
static unsigned row_bit(int key)
{
	unsigned k;

	for (k = 0; k < NROWS && rows[k].key != key; k++)
		;
	return 1u << k;
}

static enum parse_result apply(struct config *cfg, const struct opt_row *r,
			       const char *v, unsigned *seen, const char *what)
{
	unsigned bit = row_bit(r->key);

	/* Repeating -v and -e means something, -s and -w nothing (tini
	 * counts them); repeating the rest is a typo. */
	if ((*seen & bit) && !strchr("vesw", r->key))
		return fail(cfg, what, "given twice");
	*seen |= bit;
	switch (r->key) {
	case 'g':
		cfg->pgroup = 1;
		return PARSE_RUN;
	case 'v':
		cfg->verbose += cfg->verbose < 3;
		return PARSE_RUN;
	case 'w':
		cfg->warn_reap = 1;
		return PARSE_RUN;
	case 's':
		return PARSE_RUN;
	case 'l':
		return PARSE_LICENSE;
	case 'h':
		return PARSE_HELP;
	case 'V':
		return PARSE_VERSION;
	case K_SYSTEM:
		cfg->system = 1;
		return PARSE_RUN;
	case K_POWEROFF:
	case K_REBOOT:
		if (*seen & row_bit(r->key == K_REBOOT ? K_POWEROFF : K_REBOOT))
			return fail(cfg, what,
				    "--poweroff and --reboot conflict");
		cfg->reboot = r->key == K_REBOOT;
		return PARSE_RUN;
	}
	return set_value(cfg, r->key, v, what);
}

/* "--name" or "--name=value"; the value may also be the next argument. */
static enum parse_result parse_long(struct config *cfg, int argc, char **argv,
				    int *i, unsigned *seen)
{
	const char *a = argv[*i] + 2, *eq = strchr(a, '=');
	size_t n = eq ? (size_t)(eq - a) : strlen(a);
	size_t k;

	for (k = 0; k < NROWS; k++) {
		const struct opt_row *r = &rows[k];

		if (strlen(r->name) != n || strncmp(r->name, a, n))
			continue;
		if (!r->arg && eq)
			return fail(cfg, argv[*i], "takes no value");
		if (r->arg && !eq && *i + 1 >= argc)
			return fail(cfg, argv[*i], "needs a value");
		return apply(cfg, r,
			     eq	      ? eq + 1
			     : r->arg ? argv[++*i]
				      : NULL,
			     seen, r->name);
	}
	return fail(cfg, argv[*i], "unknown option (see --help)");
}

/* "-gv", "-t5", "-t 5": a cluster of short flags, the last may take a value. */
static enum parse_result parse_short(struct config *cfg, int argc, char **argv,
				     int *i, unsigned *seen)
{
	static char flag[3] = "-?";
	const char *a = argv[*i] + 1;
	enum parse_result res;
	size_t k;

	for (; *a; a++) {
		for (k = 0; k < NROWS && rows[k].key != *a; k++)
			;
		flag[1] = *a;
		if (k == NROWS || *a < 'A')
			return fail(cfg, flag, "unknown option (see --help)");
		if (rows[k].arg && !a[1] && *i + 1 >= argc)
			return fail(cfg, flag, "needs a value");
		if (rows[k].arg)
			return apply(cfg, &rows[k], a[1] ? a + 1 : argv[++*i],
				     seen, flag);
		res = apply(cfg, &rows[k], NULL, seen, flag);
		if (res != PARSE_RUN)
			return res;
	}
	return PARSE_RUN;
}

enum parse_result parse_args(int argc, char **argv, struct config *cfg)
{
	enum parse_result res;
	unsigned seen = 0;
	int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->grace = GRACE_DEFAULT_MS;
	if (parse_env(cfg))
		return PARSE_ERROR;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-' || !a[1])
			break;
		res = a[1] == '-' ? parse_long(cfg, argc, argv, &i, &seen)
				  : parse_short(cfg, argc, argv, &i, &seen);
		if (res != PARSE_RUN)
			return res;
	}
	if (i >= argc || !argv[i])
		return fail(cfg, "missing command",
			    "usage: nucleus-init [OPTIONS] -- CMD [ARGS...]");
	cfg->cmd = argv + i;
	return PARSE_RUN;
}

static void help_row(const struct opt_row *r)
{
	char line[128] = "  ";
	size_t n = 2;

	if (r->key >= 'A') {
		line[n++] = '-';
		line[n++] = (char)r->key;
		line[n++] = ',';
	} else {
		memcpy(line + n, "   ", 3);
		n += 3;
	}
	n = (size_t)(stpcpy(stpcpy(line + n, " --"), r->name) - line);
	if (r->arg)
		n = (size_t)(stpcpy(stpcpy(line + n, " "), r->arg) - line);
	while (n < 28)
		line[n++] = ' ';
	stpcpy(stpcpy(line + n, r->help), "\n");
	out_write(STDOUT_FILENO, line);
}

void print_help(void)
{
	size_t k;

	out_write(STDOUT_FILENO,
		  "usage: nucleus-init [-gsvw] [-t SECONDS] [-e CODE]... "
		  "[-p SIGNAL]\n"
		  "                    [--system] [--poweroff|--reboot] "
		  "-- CMD [ARGS...]\n\n"
		  "PID 1 for one command: forwards signals, reaps zombies, "
		  "drains leftovers,\nexits with the command's status.\n\n");
	for (k = 0; k < NROWS; k++)
		help_row(&rows[k]);
	out_write(STDOUT_FILENO,
		  "\nenvironment (a flag wins over its variable): "
		  "NUCLEUS_INIT_PGROUP=1,\n  NUCLEUS_INIT_GRACE, "
		  "NUCLEUS_INIT_REMAP_EXIT=CODE,..., NUCLEUS_INIT_PDEATHSIG,\n"
		  "  NUCLEUS_INIT_VERBOSITY; tini's: TINI_SUBREAPER, "
		  "TINI_KILL_PROCESS_GROUP,\n  TINI_VERBOSITY=0-4 (default 1)\n"
		  "exit: the command's code; 128+N if killed by signal N; "
		  "125 init failed;\n  126 command not executable; "
		  "127 command not found\n");
}

void print_version(void)
{
	/* Our own name: "tini version X" would claim to be a tini X that
	 * does not exist (docker info then reports its init as unparsed). */
	out_write(STDOUT_FILENO, "nucleus-init " NUCLEUS_VERSION "\n");
}

/* -l, as tini's: the license the binary is distributed under. The full
 * text would cost a page of the 32 KiB budget (tests/build.t); it ships as
 * the package's copyright file. */
void print_license(void)
{
	out_write(
		STDOUT_FILENO,
		"nucleus-init " NUCLEUS_VERSION
		", part of nucleus: MIT License "
		"(SPDX-License-Identifier: MIT)\n"
		"Copyright (c) the nucleus authors. Free to use, copy, modify, "
		"merge, publish,\ndistribute, sublicense and sell, provided "
		"this notice is kept; WITHOUT WARRANTY\nOF ANY KIND. Full "
		"text: https://opensource.org/license/mit\n");
}
