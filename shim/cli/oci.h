/* SPDX-License-Identifier: MIT */
/*
 * The OCI front-end: a bundle's config.json becomes nucleus's own argv (the
 * flags of `nucleus --help`, then `--`, then process.args), which the one
 * pure parser turns into struct config. An OCI container thus gets the
 * same checks, plan, setup steps and monitor as `nucleus [flags] -- CMD`;
 * nothing below the front-ends knows where a setting came from.
 */
#ifndef NUCLEUS_OCI_H
#define NUCLEUS_OCI_H

#include <stddef.h>

/* The translated command line; argv[0] is "nucleus", argv[argc] NULL.
 * Every string is malloc'd and lives as long as the run. */
struct oci_args {
	int argc;
	char **argv;
	/* In: where the caller will write the seccomp profile (NULL:
	 * "seccomp.json"); argv names it after --seccomp-profile. */
	const char *seccomp_path;
	/* Out: linux.seccomp re-serialized as JSON text (malloc'd), or NULL
	 * when the spec has none. The caller writes it at seccomp_path before
	 * the argv runs: nucleus-policy compiles it as any OCI JSON profile. */
	char *seccomp;
	/* Out: process.terminal; the verb adds --console-socket for it. */
	int terminal;
};

/* json: the text of config.json (len bytes); bundle: the bundle's absolute
 * path (a relative root.path is below it). 0, or -1 with one line in err
 * naming the field ("process.args: ..."). Pure but for malloc: no other
 * syscall, so it is unit tested and fuzzed. */
int oci_argv(const char *json, size_t len, const char *bundle,
	     struct oci_args *out, char *err, size_t errlen);

/* As oci_argv, with proc (plen bytes: a process object, as runc's `exec
 * --process FILE` takes) in place of config.json's own process: what an
 * exec'd process runs with is the container's config but for its process. */
int oci_argv_process(const char *json, size_t len, const char *proc,
		     size_t plen, const char *bundle, struct oci_args *out,
		     char *err, size_t errlen);

#endif
