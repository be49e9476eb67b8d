// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the argv parser: the input is split on NUL bytes into
 * argv. The parser must never crash, read out of bounds or leave an error
 * message of more than one line.
 */
#include "cli/config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[NUCLEUS_MAX_ARGS + 2], err[512];
	struct config cfg;
	int argc = 1;
	size_t start = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "nucleus";
	for (size_t i = 0; i <= size && argc <= NUCLEUS_MAX_ARGS; i++)
		if (buf[i] == '\0') {
			argv[argc++] = buf + start;
			start = i + 1;
		}
	argv[argc] = NULL;
	if (parse_args(argc, argv, &cfg, err, sizeof(err)) == PARSE_ERROR &&
	    (strchr(err, '\n') || err[0] == '\0'))
		abort();
	free(buf);
	return 0;
}
