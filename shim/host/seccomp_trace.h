/* SPDX-License-Identifier: MIT */
/* --seccomp-trace FILE: every syscall of the sandbox recorded, none denied
 * (seccomp user notification, a tracer process beside init). */
#ifndef NUCLEUS_SECCOMP_TRACE_H
#define NUCLEUS_SECCOMP_TRACE_H

/* Parent, before clone: the file, created (a bad path is 125). */
void seccomp_trace_open(const char *path);
/* Child, last step before exec, instead of the profile's filter. */
void seccomp_trace_apply(void);

#endif
