/* SPDX-License-Identifier: MIT */
/* OCI hooks (oci_hooks.c): config.json's "hooks", run by the verbs. */
#ifndef NUCLEUS_OCI_HOOKS_H
#define NUCLEUS_OCI_HOOKS_H

#include <stddef.h>

/* Runs the bundle's hooks.WHICH (createRuntime, prestart, poststart,
 * poststop) in order, each with state (the state JSON) on its stdin; 0,
 * or -1 once one failed or timed out: why (N bytes) says how, or, when
 * why is NULL, a warning on stderr does. */
int oci_hooks(const char *bundle, const char *which, const char *state,
	      char *why, size_t n);

struct jr;
/* The bundle's config.json parsed (jr_free it), or NULL when there is none
 * to read (a bundle gone before delete) or it is not JSON: then no hook
 * runs, and the translation says what is wrong with it where one is made. */
struct jr *oci_bundle_spec(const char *bundle);
/* Whether the bundle's config.json has any hook. */
int oci_hooks_wanted(const char *bundle);

#endif
