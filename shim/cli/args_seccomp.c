// SPDX-License-Identifier: MIT
/*
 * Flags of the seccomp filter: which profile (a built-in, a text or OCI
 * JSON file), or a precompiled BPF program instead, and the logging mode.
 * Setters are pure: files are read later, before the sandbox is created,
 * by seccomp_prepare().
 */
#include "cli/args.h"

#include <limits.h>
#include <string.h>

static int set_profile(struct config *cfg, const char *v, char *err, size_t len)
{
	if (cfg->seccomp.bpf)
		return args_fail(err, len,
				 "cannot be used with --seccomp-bpf "
				 "(the program replaces the profile)");
	cfg->seccomp.profile = v;
	return 0;
}

/* FILE, or fd:N as bwrap's --seccomp N (raw struct sock_filter[]). */
static int set_bpf(struct config *cfg, const char *v, char *err, size_t len)
{
	uint64_t fd;

	if (cfg->seccomp.profile)
		return args_fail(err, len,
				 "cannot be used with "
				 "--seccomp-profile (the program "
				 "replaces the profile)");
	if (strncmp(v, "fd:", 3) == 0) {
		if (parse_u64(v + 3, 0, INT_MAX, &fd) < 0)
			return args_fail(err, len,
					 "'%s' is not fd:N with N a "
					 "file descriptor number",
					 v);
		cfg->seccomp.bpf_fd = (int)fd;
		cfg->seccomp.bpf_is_fd = 1;
	}
	cfg->seccomp.bpf = v;
	return 0;
}

static int set_log(struct config *cfg, const char *v, char *err, size_t len)
{
	(void)v, (void)err, (void)len;
	cfg->seccomp.log = 1;
	return 0;
}

static int set_trace(struct config *cfg, const char *v, char *err, size_t len)
{
	(void)err, (void)len;
	cfg->seccomp.trace = v;
	return 0;
}

static const struct option_row seccomp_rows[] = {
	{ "seccomp-profile", 0, "NAME|FILE", 0, set_profile,
	  "syscall filter: default, strict, none, a profile file or OCI "
	  ".json" },
	{ "seccomp-bpf", 0, "FILE|fd:N", 0, set_bpf,
	  "load this precompiled BPF filter instead (bwrap's format)" },
	{ "seccomp-log", 0, NULL, 0, set_log,
	  "log what the filter would deny and allow it (not in production)" },
	{ "seccomp-trace", 0, "FILE", 0, set_trace,
	  "record every syscall into FILE, deny none (nucleus-policy "
	  "generate)" },
};
const struct option_table args_seccomp_table = {
	seccomp_rows, sizeof(seccomp_rows) / sizeof(seccomp_rows[0])
};
