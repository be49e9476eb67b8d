// SPDX-License-Identifier: MIT
/*
 * Unit tests of the pure argv parser, printing TAP. Each bad input must give
 * PARSE_ERROR with a message naming the flag; good input must fill struct
 * config exactly.
 */
#include "cli/args.h"
#include "cli/config.h"
#define TAP_PARSE
#define TAP_CHECKS
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_good(void)
{
	struct config cfg;
	char err[512];

	ok(parse(&cfg, err, "--", "/bin/true", NULL) == PARSE_OK &&
		   cfg.argc == 1 && strcmp(cfg.argv[0], "/bin/true") == 0 &&
		   cfg.kill_after_ms == 2000 && cfg.timeout_ms == 0,
	   "minimal command and defaults");
	ok(parse(&cfg, err, "--timeout", "1.5", "--kill-after=0", "--hostname",
		 "box-1", "--chdir", "/tmp", "--share", "net", "--share", "ipc",
		 "--init", "/x/init", "--timings", "--", "echo", "a", "--",
		 NULL) == PARSE_OK,
	   "every flag at once (%s)", err);
	ok(cfg.timeout_ms == 1500 && cfg.kill_after_ms == 0 &&
		   strcmp(cfg.hostname, "box-1") == 0 &&
		   strcmp(cfg.chdir, "/tmp") == 0 &&
		   cfg.share == (SHARE_NET | SHARE_IPC) &&
		   strcmp(cfg.init, "/x/init") == 0 && cfg.timings,
	   "values land in struct config");
	ok(cfg.argc == 3 && strcmp(cfg.argv[2], "--") == 0,
	   "arguments after -- are the command's, -- included");
	ok(parse(&cfg, err, "--mode", "production", "--", "x", NULL) ==
			   PARSE_OK &&
		   cfg.mode == MODE_PRODUCTION,
	   "--mode production");
	ok(parse(&cfg, err, "--", "x", NULL) == PARSE_OK &&
		   cfg.mode == MODE_AGENT,
	   "agent mode by default");
	ok(parse(&cfg, err, "--min-tier", "confine-only", "--", "x", NULL) ==
			   PARSE_OK &&
		   cfg.has_min_tier && cfg.min_tier == TIER_CONFINE_ONLY,
	   "--min-tier confine-only");
	ok(parse(&cfg, err, "--help", NULL) == PARSE_HELP, "--help");
	ok(parse(&cfg, err, "-h", NULL) == PARSE_HELP, "-h");
	ok(parse(&cfg, err, "--version", NULL) == PARSE_VERSION, "--version");
	ok(parse(&cfg, err, "--timeout", "0.001", "--", "x", NULL) ==
			   PARSE_OK &&
		   cfg.timeout_ms == 1,
	   "millisecond timeout");
}

static void test_bad(void)
{
	struct config cfg;
	char err[512];

	BAD("unknown flag '--bogus'", "--bogus", "--", "x");
	BAD("unknown flag '-z'", "-z", "--", "x");
	BAD("unexpected argument 'x'", "x");
	BAD("unexpected argument '?gg'", "\ngg");
	BAD("--hostname: 'a?b' is not", "--hostname",
	    "a\x7f"
	    "b",
	    "--", "x");
	BAD("no command", "--timeout", "3");
	BAD("no command", "--");
	BAD("no command", "--", "");
	BAD("--timeout needs a value", "--timeout");
	BAD("--timeout: empty value", "--timeout", "", "--", "x");
	BAD("--timeout: empty value", "--timeout=", "--", "x");
	BAD("--timeout given twice", "--timeout", "1", "--timeout", "2", "--",
	    "x");
	BAD("--timeout", "--timeout", "3x", "--", "x");
	BAD("--timeout", "--timeout", "-3", "--", "x");
	BAD("--timeout", "--timeout", "+3", "--", "x");
	BAD("--timeout", "--timeout", " 3", "--", "x");
	BAD("--timeout", "--timeout", "0", "--", "x");
	BAD("--timeout", "--timeout", "1.", "--", "x");
	BAD("--timeout", "--timeout", "1.0001", "--", "x");
	BAD("--timeout", "--timeout", "99999999999999999999999", "--", "x");
	BAD("--timeout", "--timeout", "18446744073709551616", "--", "x");
	BAD("--timeout", "--timeout", "31622401", "--", "x");
	BAD("--kill-after", "--kill-after", "1e3", "--", "x");
	BAD("--hostname", "--hostname", "a b", "--", "x");
	BAD("--hostname", "--hostname", "-a", "--", "x");
	BAD("--hostname", "--hostname",
	    "a1234567890123456789012345678901234567890123456789012345678901234",
	    "--", "x");
	BAD("--chdir", "--chdir", "relative", "--", "x");
	BAD("--chdir: '/proc/self/fd/3' is under /proc", "--chdir",
	    "/proc/self/fd/3", "--", "x");
	BAD("--chdir: '//proc/self/fd/3' is under /proc", "--chdir",
	    "//proc/self/fd/3", "--", "x");
	BAD("--chdir: '/./proc' is under /proc", "--chdir", "/./proc", "--",
	    "x");
	ok(parse(&cfg, err, "--chdir", "/process", "--", "x", NULL) == PARSE_OK,
	   "--chdir /process is not /proc");
	BAD("--share", "--share", "mount", "--", "x");
	BAD("--mode: 'prod' is not agent or production", "--mode", "prod", "--",
	    "x");
	BAD("--min-tier: 'half'", "--min-tier", "half", "--", "x");
	BAD("--min-tier given twice", "--min-tier", "full", "--min-tier",
	    "full", "--", "x");
	BAD("--share: 'net' given twice", "--share", "net", "--share", "net",
	    "--", "x");
	BAD("--timings takes no value", "--timings=1", "--", "x");
	BAD("--init given twice", "--init", "a", "--init", "b", "--", "x");
}

/* argv: n times `flag /dN /dN`, then -- x (argv has room for 3n + 4). */
static enum parse_result many_ops(char **argv, const char *flag, int n,
				  struct config *cfg, struct config_room room,
				  char *err)
{
	static char words[5000][16];
	int argc = 1;

	for (int i = 0; i < n; i++) {
		snprintf(words[i], sizeof(words[i]), "/d%d", i);
		argv[argc++] = (char *)flag;
		argv[argc++] = words[i];
		argv[argc++] = words[i];
	}
	argv[argc++] = "--";
	argv[argc++] = "x";
	argv[argc] = NULL;
	err[0] = '\0';
	return parse_args(argc, argv, cfg, room, err, 512);
}

static void test_limits(void)
{
	struct config cfg;
	struct config_room room;
	char err[512], **argv;
	char *big = malloc(NUCLEUS_MAX_VALUE + 2);

	memset(big, 'a', NUCLEUS_MAX_VALUE + 1);
	big[0] = '/';
	big[NUCLEUS_MAX_VALUE + 1] = '\0';
	BAD("longer than 4096", "--init", big, "--", "x");
	big[NUCLEUS_MAX_VALUE] = '\0';
	ok(parse(&cfg, err, "--init", big, "--", "x", NULL) == PARSE_OK,
	   "a 4096-byte value is accepted");
	/* No ceiling of ours: the kernel's ARG_MAX bounds argv. */
	argv = calloc(3 * 5000 + 4, sizeof(*argv));
	argv[0] = "nucleus";
	argv[1] = "--";
	for (int i = 2; i < 3 * 5000 + 2; i++)
		argv[i] = "x";
	ok(parse_args(3 * 5000 + 2, argv, &cfg, tap_room(), err, sizeof(err)) ==
			   PARSE_OK &&
		   cfg.argc == 3 * 5000,
	   "15000 arguments of the command accepted");
	ok(many_ops(argv, "--ro-bind", 5000, &cfg, tap_room(), err) ==
			   PARSE_OK &&
		   cfg.fs.n_ops == 5000 && cfg.fs.ops[4999].kind == FS_RO_BIND,
	   "5000 --ro-bind accepted (%s)", err);
	ok(many_ops(argv, "--setenv", 5000, &cfg, tap_room(), err) ==
			   PARSE_OK &&
		   cfg.fs.n_env == 5000 && cfg.fs.env[4999].kind == ENV_SET,
	   "5000 --setenv accepted (%s)", err);
	/* The room is the caller's: too small a one is refused, never
	 * overrun (main gives argc entries, which always suffice). */
	room = tap_room();
	room.n = 2;
	ok(many_ops(argv, "--bind", 3, &cfg, room, err) == PARSE_ERROR &&
		   strstr(err, "more than 2 mount operations"),
	   "a room too small is refused (%s)", err);
	ok(many_ops(argv, "--setenv", 3, &cfg, room, err) == PARSE_ERROR &&
		   strstr(err, "more than 2 environment changes"),
	   "... for the environment too (%s)", err);
	free(argv);
	free(big);
}

static void test_numbers(void)
{
	uint64_t v = 0;

	ok(parse_u64("18446744073709551615", 0, UINT64_MAX, &v) == 0 &&
		   v == UINT64_MAX,
	   "u64 max");
	ok(parse_u64("18446744073709551616", 0, UINT64_MAX, &v) < 0,
	   "u64 overflow");
	ok(parse_u64("7", 8, 9, &v) < 0 && parse_u64("10", 8, 9, &v) < 0,
	   "range checked");
	ok(parse_u64("", 0, 9, &v) < 0 && parse_u64("1 ", 0, 9, &v) < 0,
	   "empty and trailing junk");
	ok(parse_duration_ms("2.25", &v) == 0 && v == 2250, "2.25 s");
	ok(parse_duration_ms(".5", &v) < 0, "'.5' rejected");
}

/* --uid-map/--gid-map: ranges in order, a user namespace implied; a
 * range that maps host id 0, overlaps another on either side, wraps past
 * 2^32-1 or is the ninth is refused. */
static void test_idmaps(void)
{
	struct config cfg;
	char err[512];
	const struct id_range *m;

	ok(parse(&cfg, err, "--uid-map", "0:100000:65536", "--uid-map",
		 "65536:1000:1", "--gid-map", "7:200000:3", "--", "x",
		 NULL) == PARSE_OK &&
		   cfg.fs.userns && cfg.fs.uid_map.n == 2 &&
		   cfg.fs.gid_map.n == 1,
	   "--uid-map twice, --gid-map: a user namespace (%s)", err);
	m = cfg.fs.uid_map.r;
	ok(m[0].in == 0 && m[0].host == 100000 && m[0].count == 65536 &&
		   m[1].in == 65536 && m[1].host == 1000 && m[1].count == 1 &&
		   cfg.fs.gid_map.r[0].in == 7 &&
		   cfg.fs.gid_map.r[0].host == 200000 &&
		   cfg.fs.gid_map.r[0].count == 3,
	   "ranges in argv order");
	ok(parse(&cfg, err, "--uid-map", "4294967284:1:10", "--gid-map",
		 "1:4294967285:10", "--", "x", NULL) == PARSE_OK,
	   "ranges up to 2^32-1, not past it (%s)", err);
	BAD("--uid-map: '0:0:65536' maps host id 0 (root)", "--uid-map",
	    "0:0:65536", "--", "x");
	BAD("--gid-map: '5:0:1' maps host id 0 (root)", "--gid-map", "5:0:1",
	    "--", "x");
	BAD("--uid-map: '10:1005:5' overlaps an earlier range", "--uid-map",
	    "10:1000:10", "--uid-map", "10:1005:5", "--", "x");
	BAD("--uid-map: '19:2000:5' overlaps", "--uid-map", "10:1000:10",
	    "--uid-map", "19:2000:5", "--", "x");
	BAD("--gid-map: '0:1009:1' overlaps", "--gid-map", "10:1000:10",
	    "--gid-map", "0:1009:1", "--", "x");
	ok(parse(&cfg, err, "--uid-map", "10:1000:10", "--uid-map",
		 "20:1010:10", "--", "x", NULL) == PARSE_OK,
	   "ranges that touch do not overlap (%s)", err);
	BAD("--uid-map: '4294967285:1:11' is not CONTAINER:HOST:SIZE",
	    "--uid-map", "4294967285:1:11", "--", "x");
	BAD("--uid-map: '1:4294967290:6' is not", "--uid-map", "1:4294967290:6",
	    "--", "x");
	BAD("--uid-map: '0:1000:0' is not", "--uid-map", "0:1000:0", "--", "x");
	BAD("--uid-map: '0:1000' is not", "--uid-map", "0:1000", "--", "x");
	BAD("--uid-map: '0:1000:1:' is not", "--uid-map", "0:1000:1:", "--",
	    "x");
	BAD("--uid-map: '-1:1000:1' is not", "--uid-map", "-1:1000:1", "--",
	    "x");
	BAD("--uid-map: 'a:1000:1' is not", "--uid-map", "a:1000:1", "--", "x");
	BAD("--uid-map: more than 8 ranges", "--uid-map", "0:1:1", "--uid-map",
	    "1:2:1", "--uid-map", "2:3:1", "--uid-map", "3:4:1", "--uid-map",
	    "4:5:1", "--uid-map", "5:6:1", "--uid-map", "6:7:1", "--uid-map",
	    "7:8:1", "--uid-map", "8:9:1", "--", "x");
}

static void test_help(void)
{
	char buf[8192];
	size_t n = args_help(buf, sizeof(buf));
	static const char *const flags[] = {
		"--help",	"--version",  "--init",	 "--mode",  "--timeout",
		"--kill-after", "--hostname", "--chdir", "--share", "--timings"
	};

	ok(n < sizeof(buf), "help fits its buffer (%zu bytes)", n);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		ok(strstr(buf, flags[i]) != NULL, "help lists %s", flags[i]);
	ok(args_help(buf, 10) == n, "help length is independent of buffer");
}

/* The rows' attributes, which the in-place check reads (inplace.c). */
static void test_attributes(void)
{
	const struct option_row *r;
	struct config cfg;
	char err[512];
	size_t k, n, mem = 0, pids = 0, timeout = 0, res_unmarked = 0;

	for (n = 0; (r = args_row(n)); n++) {
		mem = strcmp(r->name, "memory-high") ? mem : n;
		pids = strcmp(r->name, "pids") ? pids : n;
		timeout = strcmp(r->name, "timeout") ? timeout : n;
	}
	ok(n < NUCLEUS_MAX_ROWS, "%zu rows fit the given bitmap (%d)", n,
	   NUCLEUS_MAX_ROWS);
	/* Every resource flag is the cgroup's or the monitor's. */
	for (k = 0; k < args_res_table.n; k++)
		if (!(args_res_table.rows[k].attr & OPT_MONITOR))
			res_unmarked++;
	ok(res_unmarked == 0 && args_res_table.n > 0,
	   "every resource row needs the monitor");
	ok(args_row(mem)->attr & OPT_MONITOR &&
		   args_row(pids)->attr & OPT_MONITOR &&
		   !(args_row(timeout)->attr & OPT_MONITOR),
	   "--memory-high, --pids need the monitor; --timeout does not");
	ok(parse(&cfg, err, "--memory-high", "1G", "--", "x", NULL) ==
			   PARSE_OK &&
		   args_given(&cfg, mem) && !args_given(&cfg, pids) &&
		   !args_given(&cfg, timeout),
	   "the parser records which flags were given");
	ok(parse(&cfg, err, "--", "x", NULL) == PARSE_OK &&
		   !args_given(&cfg, mem),
	   "... and forgets them on the next parse");
	ok(!args_given(&cfg, NUCLEUS_MAX_ROWS), "no row past the bitmap");
}

/* A sandbox path's trailing slashes are trimmed: dest_len is what every
 * mount op and Landlock read. */
static void test_dest_slash(void)
{
	struct config cfg;
	char err[512];
	const struct fs_op *op;

	GOOD((op = cfg.fs.ops, cfg.fs.n_ops == 8) && op[0].dest_len == 2 &&
		     op[1].dest_len == 2 && op[2].dest_len == 2 &&
		     op[3].dest_len == 2 && op[4].dest_len == 4 &&
		     op[5].dest_len == 2 && op[6].dest_len == 16 &&
		     op[7].dest_len == 4 &&
		     !strncmp(op[6].dest, "/run/secrets/k", 14),
	     "--dir", "/x/", "--bind", "/s", "/b/", "--tmpfs", "/t//:size=1M",
	     "--ro-bind", "/s", "/r", "--symlink", "/b", "/l/x/", "--copy",
	     "/s", "/c/", "--secret", "/s:/run/secrets/key/", "--proc", "/p/q/",
	     "--", "x");
	BAD("'/' is the root itself", "--dir", "/", "--", "x");
	BAD("'///' is the root itself", "--tmpfs", "///", "--", "x");
	BAD("has a '.' or '..' component", "--dir", "/x/../", "--", "x");
}

/* One rule for variable names, whichever flag sets one. */
static void test_env_names(void)
{
	struct config cfg;
	char err[512];
	char long_name[300];

	ok(env_name_ok("PATH", 4) && env_name_ok("_x.y-1", 6) &&
		   env_name_ok("A=B", 1),
	   "env_name_ok: portable and dotted names (a prefix of n bytes)");
	ok(!env_name_ok("", 0) && !env_name_ok("A=B", 3) &&
		   !env_name_ok("K\xff", 2) && !env_name_ok("K\n", 2) &&
		   !env_name_ok("A B", 3) && !env_name_ok("K\x7f", 2),
	   "env_name_ok: empty, '=', non-ASCII, control, space, DEL refused");
	memset(long_name, 'A', 256);
	ok(env_name_ok(long_name, 255) && !env_name_ok(long_name, 256),
	   "env_name_ok: at most 255 bytes");
	GOOD(cfg.fs.n_env == 3, "--setenv", "K.1", "v", "-e", "K2=a=b",
	     "--unsetenv", "K3", "--", "x");
	BAD("is not a variable name", "--setenv", "K\xff", "v", "--", "x");
	BAD("'A=B' is not a variable name", "--setenv", "A=B", "v", "--", "x");
	BAD("is not a variable name", "--env", "K\xff=v", "--", "x");
	BAD("is not a variable name", "-e", "K\x01=v", "--", "x");
	BAD("'A B' is not a variable name", "--env", "A B=v", "--", "x");
	BAD("is not a variable name", "--unsetenv", "K\xff", "--", "x");
	BAD("is not KEY=VALUE", "--env", "=v", "--", "x");
}

int main(void)
{
	test_dest_slash();
	test_env_names();
	test_good();
	test_bad();
	test_limits();
	test_numbers();
	test_idmaps();
	test_help();
	test_attributes();
	return tap_done();
}
