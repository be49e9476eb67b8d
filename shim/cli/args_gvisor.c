// SPDX-License-Identifier: MIT
/*
 * Flags of the gVisor runtime: --runtime picks who builds the sandbox (our
 * own clone3 chain, or runsc from an OCI bundle made of the same flags), and
 * --gvisor-platform how runsc intercepts the workload's system calls. Pure
 * setters; which other flags gVisor can honour is decided in gvisor.c, once
 * the whole command line is known.
 */
#include "cli/args.h"

#include <string.h>

static int set_runtime(struct config *cfg, const char *v, char *err, size_t len)
{
	if (strcmp(v, "native") == 0)
		cfg->gvisor.runtime = RUNTIME_NATIVE;
	else if (strcmp(v, "gvisor") == 0)
		cfg->gvisor.runtime = RUNTIME_GVISOR;
	else
		return args_fail(err, len, "'%s' is not native or gvisor", v);
	return 0;
}

static int set_platform(struct config *cfg, const char *v, char *err,
			size_t len)
{
	static const char *const names[] = { "systrap", "ptrace", "kvm" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(v, names[i]) == 0) {
			cfg->gvisor.platform = (enum gvisor_platform)(
				GVISOR_PLATFORM_SYSTRAP + i);
			return 0;
		}
	}
	return args_fail(err, len, "'%s' is not systrap, ptrace or kvm", v);
}

static const struct option_row gvisor_rows[] = {
	{ "runtime", 0, "RUNTIME", 0, set_runtime,
	  "native (default) or gvisor: the same sandbox under runsc" },
	{ "gvisor-platform", 0, "NAME", 0, set_platform,
	  "systrap, ptrace or kvm (default: the first of systrap, ptrace)" },
};
const struct option_table args_gvisor_table = {
	gvisor_rows, sizeof(gvisor_rows) / sizeof(gvisor_rows[0])
};
