// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the seccomp profile parsers, which read files a
 * user hands to --seccomp-profile: the first byte chooses the text format
 * or docker/OCI JSON, the rest is the profile. Neither parser may crash,
 * read out of bounds or leave an error of more than one line; a profile
 * that parses must compile or be refused in one line, never abort.
 */
#include "policy.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy p = { 0 };
	char err[512] = "";
	void *prog = NULL;
	size_t n;
	int r;

	if (size < 1)
		return 0;
	if (data[0] & 1)
		r = policy_parse_json(&p, "f.json", (const char *)data + 1,
				      size - 1, "6.1.0", err, sizeof(err));
	else
		r = policy_parse_text(&p, "f.policy", (const char *)data + 1,
				      size - 1, NULL, err, sizeof(err));
	if (r < 0 && (!err[0] || strchr(err, '\n')))
		abort();
	/* libseccomp is slow: compile the small ones only. */
	if (r == 0 && p.n <= 64 &&
	    policy_compile(&p, &prog, &n, err, sizeof(err)) < 0 &&
	    strchr(err, '\n'))
		abort();
	free(prog);
	policy_free(&p);
	return 0;
}
