/* SPDX-License-Identifier: MIT */
/*
 * Pure operations on classic BPF seccomp programs, for programs the shim did
 * not compile itself (--seccomp-bpf, nucleus-policy's output) and for
 * --seccomp-log. No libseccomp here: it lives in nucleus-policy.
 */
#ifndef NUCLEUS_SECCOMP_BPF_H
#define NUCLEUS_SECCOMP_BPF_H

#include <linux/filter.h>
#include <stddef.h>

#define SECCOMP_BPF_MAX 4096 /* the kernel's BPF_MAXINSNS */
#define SECCOMP_BPF_GUARD 7  /* instructions seccomp_bpf_guard() adds */
#define SECCOMP_BPF_PROLOGUE 6

/* libseccomp's prologue: the arch, then x32's numbers (all at or above
 * 0x40000000; -1 passes, a tracer's way to skip a call) killed; ends with
 * the syscall number in the accumulator. For the guard below and for
 * nucleus-policy's range tree (policy/bpfgen.c). */
extern const struct sock_filter seccomp_bpf_prologue[SECCOMP_BPF_PROLOGUE];

/* What the kernel's checker would refuse, found before clone: 0, or -1
 * with one line in err. */
int seccomp_bpf_check(const struct sock_filter *f, size_t n, char *err,
		      size_t errlen);
/* Copies a foreign program behind a guard that kills other arches and x32,
 * as libseccomp's own prologue does. *out is malloc'd. 0 or -1. */
int seccomp_bpf_guard(const struct sock_filter *f, size_t n,
		      struct sock_filter **out, size_t *outn);
/* --seccomp-log: every errno, trap and trace return becomes
 * SECCOMP_RET_LOG (the call proceeds, the kernel logs it); kills, among
 * them the arch checks, stay. Returns how many returns changed. */
size_t seccomp_bpf_to_log(struct sock_filter *f, size_t n);

#endif
