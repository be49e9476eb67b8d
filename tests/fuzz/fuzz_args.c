// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the argv parser: the input is split on NUL bytes into
 * argv. The parser must never crash, read out of bounds or leave an error
 * message of more than one line. Its room is argc entries, as main gives
 * it: ASan sees any operation that would not fit.
 */
#include "cli/config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), **argv = calloc(size + 3, sizeof(*argv));
	char err[512];
	struct config cfg;
	struct config_room room;
	int argc = 1;
	size_t start = 0;

	if (!buf || !argv)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "nucleus";
	for (size_t i = 0; i <= size; i++)
		if (buf[i] == '\0') {
			argv[argc++] = buf + start;
			start = i + 1;
		}
	argv[argc] = NULL;
	room = (struct config_room){ malloc((size_t)argc * sizeof(*room.ops)),
				     malloc((size_t)argc * sizeof(*room.env)),
				     (size_t)argc };
	if (!room.ops || !room.env)
		abort();
	if (parse_args(argc, argv, &cfg, room, err, sizeof(err)) ==
		    PARSE_ERROR &&
	    (strchr(err, '\n') || err[0] == '\0'))
		abort();
	free(room.ops);
	free(room.env);
	free(argv);
	free(buf);
	return 0;
}
