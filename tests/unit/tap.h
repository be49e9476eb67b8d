/* SPDX-License-Identifier: MIT */
/*
 * TAP for the C unit tests: ok() prints one result, tap_done() the plan
 * and the exit status; parse() runs the argv parser on a NULL-terminated
 * list whose argv outlives the call (struct config points into it).
 * GOOD() and BAD() check one flag list each. Header-only: each test is
 * one program.
 */
#ifndef NUCLEUS_UNIT_TAP_H
#define NUCLEUS_UNIT_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int n_test, n_fail;

__attribute__((format(printf, 2, 3))) static void ok(int cond,
						     const char *fmt, ...)
{
	va_list ap;

	n_test++;
	if (!cond)
		n_fail++;
	printf("%sok %d - ", cond ? "" : "not ", n_test);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static int tap_done(void)
{
	printf("1..%d\n", n_test);
	return n_fail != 0;
}

#ifdef NUCLEUS_CONFIG_H
/* parse_args's room, as main gives it but fixed: TAP_ROOM entries of each
 * list, enough for the largest command line of the tests (5000 binds). A
 * struct config points into it until the next parse. */
#define TAP_ROOM 16384
__attribute__((unused)) static struct config_room tap_room(void)
{
	static struct fs_op ops[TAP_ROOM];
	static struct env_op env[TAP_ROOM];

	return (struct config_room){ ops, env, TAP_ROOM };
}
#endif

#ifdef TAP_PARSE /* the tests of config parsers ask for it */
__attribute__((unused)) static enum parse_result parse(struct config *cfg,
							char *err, ...)
{
	static char *argv[64] = { "nucleus" };
	int argc = 1;
	va_list ap;

	va_start(ap, err);
	while (argc < 63 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	err[0] = '\0';
	return parse_args(argc, argv, cfg, tap_room(), err, 512);
}
#endif

/* GOOD(cond, args...): parse() accepts args and cond holds; BAD(needle,
 * args...): it refuses them with one line holding needle. They need a
 * `struct config cfg` and `char err[512]` in scope, and a parse(). */
#ifdef TAP_CHECKS
#include <string.h>
#define GOOD(cond, ...)                                                       \
	do {                                                                  \
		enum parse_result r = parse(&cfg, err, __VA_ARGS__, NULL);    \
		ok(r == PARSE_OK && (cond), "accepts " #__VA_ARGS__ " (%s)",  \
		   err);                                                      \
	} while (0)
#define BAD(needle, ...)                                                      \
	do {                                                                  \
		enum parse_result r = parse(&cfg, err, __VA_ARGS__, NULL);    \
		ok(r == PARSE_ERROR && strstr(err, needle) &&                 \
			   !strchr(err, '\n'),                                \
		   "rejects " #__VA_ARGS__ " (%s)", err);                     \
	} while (0)
#endif

#endif
