// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for nucleus-init's own parser (init/args.c), which
 * reads its argv and the NUCLEUS_INIT_* variables before anything else
 * runs as PID 1, where a crash is a kernel panic. The input is split on
 * NUL bytes: the first piece says which variables take the next pieces
 * (one bit each), the rest is argv. The parser must not crash, read out of
 * bounds, return a configuration out of its documented ranges, or an
 * error without its two parts.
 */
#include "init.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PIECES 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void out_write(int fd, const char *s);

/* parse_args never prints; --help's printer (not called) needs this. */
void out_write(int fd, const char *s)
{
	(void)fd, (void)s;
}

static const char *const vars[] = {
	"NUCLEUS_INIT_PGROUP",	  "NUCLEUS_INIT_GRACE",
	"NUCLEUS_INIT_PDEATHSIG", "NUCLEUS_INIT_VERBOSITY",
	"NUCLEUS_INIT_REMAP_EXIT",
};

static void check(enum parse_result r, const struct config *c)
{
	/* err_what may quote the input; init's logger keeps it one line
	 * (init/log.c; tests/fuzz_regress.t replays what this found). */
	if (r == PARSE_ERROR &&
	    (!c->err_what || !c->err_why || strchr(c->err_why, '\n')))
		abort();
	if (r != PARSE_RUN)
		return;
	if (!c->cmd || !c->cmd[0] || c->grace < 0 || c->grace > GRACE_MAX_MS ||
	    c->pdeathsig < 0 || c->pdeathsig > 64 || c->verbose < 0)
		abort();
	for (int code = 0; code < 256; code++)
		(void)remap_has(c, code);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *piece[MAX_PIECES + 1];
	struct config cfg;
	int n = 0, argc;
	unsigned mask;
	size_t start = 0;

	if (!buf || size == 0) {
		free(buf);
		return 0;
	}
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (size_t i = 0; i <= size && n < MAX_PIECES; i++)
		if (buf[i] == '\0') {
			piece[n++] = buf + start;
			start = i + 1;
		}
	mask = (unsigned char)piece[0][0];
	argc = 1;
	for (size_t v = 0; v < sizeof(vars) / sizeof(vars[0]); v++) {
		if ((mask >> v & 1) && argc < n)
			setenv(vars[v], piece[argc++], 1);
		else
			unsetenv(vars[v]);
	}
	/* argv[0] is the program; the remaining pieces follow it. */
	piece[argc - 1] = "nucleus-init";
	piece[n] = NULL;
	check(parse_args(n - argc + 1, piece + argc - 1, &cfg), &cfg);
	free(buf);
	return 0;
}
