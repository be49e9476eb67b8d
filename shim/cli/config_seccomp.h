/* SPDX-License-Identifier: MIT */
/* The seccomp part of struct config (flags in args_seccomp.c). */
#ifndef NUCLEUS_CONFIG_SECCOMP_H
#define NUCLEUS_CONFIG_SECCOMP_H

struct seccomp_config {
	const char *profile; /* --seccomp-profile: NULL means "default" */
	const char *bpf;     /* --seccomp-bpf FILE, or NULL */
	int bpf_fd;	     /* --seccomp-bpf fd:N, valid when bpf_is_fd */
	int bpf_is_fd;
	int log;	   /* --seccomp-log: denials logged, not enforced */
	const char *trace; /* --seccomp-trace FILE: record, do not enforce */
};

#endif
