// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the OCI front-end: the input is a config.json that
 * nobody checked (a bundle is the caller's data). oci_argv must never
 * crash, read out of bounds or leak; on refusal it says why in one line;
 * what it accepts, nucleus's own parser must take apart without a crash
 * and refuse, if it does, in one line too.
 */
#include "cli/config.h"
#include "cli/oci.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int one_line(const char *err)
{
	return err[0] != '\0' && !strchr(err, '\n');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oci_args a = { 0 };
	struct config cfg;
	struct config_room room;
	char err[512];

	if (oci_argv((const char *)data, size, "/bundle", &a, err,
		     sizeof(err)) < 0) {
		if (!one_line(err) || a.argv)
			abort();
		return 0;
	}
	if (!a.argv || a.argc < 1 || a.argv[a.argc])
		abort();
	/* argc entries of room, as main gives: ASan sees any overrun. */
	room = (struct config_room){ malloc((size_t)a.argc * sizeof(*room.ops)),
				     malloc((size_t)a.argc * sizeof(*room.env)),
				     (size_t)a.argc };
	if (!room.ops || !room.env)
		abort();
	if (parse_args(a.argc, a.argv, &cfg, room, err, sizeof(err)) ==
		    PARSE_ERROR &&
	    !one_line(err))
		abort();
	free(room.ops);
	free(room.env);
	for (int i = 0; i < a.argc; i++)
		free(a.argv[i]);
	free(a.argv);
	free(a.seccomp);
	return 0;
}
