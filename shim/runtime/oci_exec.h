/* SPDX-License-Identifier: MIT */
/* The exec verb (oci_exec.c): a new process in a running container. */
#ifndef NUCLEUS_OCI_EXEC_H
#define NUCLEUS_OCI_EXEC_H

/* argv: exec's options, ID and command (what follows the verb); the
 * process's exit code, or 0 with --detach. */
int oci_exec(int rootfd, int argc, char **argv);

#endif
