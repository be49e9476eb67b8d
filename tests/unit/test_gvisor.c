// SPDX-License-Identifier: MIT
/*
 * Unit tests of the gVisor flags' rows (shim/cli/args_gvisor.c), printing TAP:
 * good values fill cfg->gvisor exactly, bad ones are PARSE_ERROR with one
 * line naming the flag. Which other flags gVisor refuses is decided at run
 * time (tests/gvisor.t), not here.
 */
#include "cli/config.h"
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>


/* Parses "nucleus ARGS... -- /bin/true"; the argv outlives the call. */
static enum parse_result parse(struct config *cfg, char *err, ...)
{
	static char *argv[16] = { "nucleus" };
	int argc = 1;
	va_list ap;

	va_start(ap, err);
	while (argc < 13 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc++] = "--";
	argv[argc++] = "/bin/true";
	err[0] = '\0';
	return parse_args(argc, argv, cfg, tap_room(), err, 512);
}

#define GOOD(rt, pf, ...)                                          \
	ok(parse(&cfg, err, __VA_ARGS__, NULL) == PARSE_OK &&                 \
		   cfg.gvisor.runtime == (rt) &&                         \
		   cfg.gvisor.platform == (pf),                         \
	   "accepts " #__VA_ARGS__)
#define BAD(needle, ...)                                                      \
	do {                                                                  \
		enum parse_result r = parse(&cfg, err, __VA_ARGS__, NULL);    \
		ok(r == PARSE_ERROR && strstr(err, needle) &&                 \
			   !strchr(err, '\n'),                                \
		   "rejects " #__VA_ARGS__ " (%s)", err);                     \
	} while (0)

int main(void)
{
	struct config cfg;
	char err[512];

	ok(parse(&cfg, err, NULL) == PARSE_OK &&
		   cfg.gvisor.runtime == RUNTIME_NATIVE &&
		   cfg.gvisor.platform == GVISOR_PLATFORM_AUTO,
	   "default: native runtime, platform probed");
	GOOD(RUNTIME_GVISOR, GVISOR_PLATFORM_AUTO, "--runtime", "gvisor");
	GOOD(RUNTIME_GVISOR, GVISOR_PLATFORM_AUTO, "--runtime=gvisor");
	GOOD(RUNTIME_NATIVE, GVISOR_PLATFORM_AUTO, "--runtime", "native");
	GOOD(RUNTIME_GVISOR, GVISOR_PLATFORM_SYSTRAP, "--runtime", "gvisor",
	     "--gvisor-platform", "systrap");
	GOOD(RUNTIME_GVISOR, GVISOR_PLATFORM_PTRACE, "--gvisor-platform=ptrace",
	     "--runtime", "gvisor");
	GOOD(RUNTIME_GVISOR, GVISOR_PLATFORM_KVM, "--runtime", "gvisor",
	     "--gvisor-platform", "kvm");
	BAD("--runtime: 'runc' is not native or gvisor", "--runtime", "runc");
	BAD("--runtime: 'GVISOR'", "--runtime", "GVISOR");
	BAD("--runtime: empty value", "--runtime=");
	BAD("--runtime given twice", "--runtime", "gvisor", "--runtime",
	    "gvisor");
	BAD("--gvisor-platform: 'x86' is not systrap, ptrace or kvm",
	    "--gvisor-platform", "x86");
	BAD("--gvisor-platform: 'ptrace ' is not", "--gvisor-platform",
	    "ptrace ");
	BAD("--gvisor-platform given twice", "--gvisor-platform", "kvm",
	    "--gvisor-platform", "ptrace");
	BAD("--gvisor-platform: '--' is not", "--gvisor-platform");
	return tap_done();
}
