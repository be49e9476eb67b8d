/* SPDX-License-Identifier: MIT */
/*
 * nucleus as an OCI runtime: runc's command line (`nucleus [--root DIR]
 * VERB ID ...`) beside the argv form, which it never touches: a command
 * always follows `--`, and no flag of nucleus is named like a verb or like
 * the global flags here. `run` turns the bundle's config.json into
 * nucleus's own argv (cli/oci.h) and runs that argv form as the monitor,
 * one process below; the verbs keep its state (oci_state.h) around it.
 */
#ifndef NUCLEUS_OCI_RUNTIME_H
#define NUCLEUS_OCI_RUNTIME_H

/* argv[1] is a verb or a global flag of the OCI command line. */
int oci_is_verb(int argc, char **argv);
/* runc's option forms, for every verb: argv[*i] is --opt (or --opt=VAL)
 * NAME or the short form; the value after '=' (long forms only), else the
 * next argument (dies without one). */
int oci_opt_is(const char *arg, const char *name, const char *short_name);
const char *oci_opt_val(int argc, char **argv, int *i);
/* Runs the verb; its exit code (errors: one line, 125). */
int oci_main(int argc, char **argv);

#endif
