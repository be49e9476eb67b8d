/* SPDX-License-Identifier: MIT */
/*
 * Small helpers every shim file uses: dying with a one-line message and exit
 * 125, cleanup attributes for fds and heap memory, and raw syscalls musl does
 * not wrap. Nothing here knows about namespaces or policy.
 */
#ifndef NUCLEUS_UTIL_H
#define NUCLEUS_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#define EXIT_SETUP 125

/* Prefix every message with the step that failed, e.g. die_step = "clone". */
extern const char *die_step;

__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void die_errno(const char *fmt,
							       ...);
__attribute__((format(printf, 1, 2))) void warnx(const char *fmt, ...);
/* What die() undoes before its exit 125, set by whoever owns what exists:
 * the monitor (the runtime's sandbox, the cgroup, the sd_notify socket, the
 * last --stats and --audit records: monitor.c) or, in the sandbox child,
 * the byte that tells the monitor its setup failed (sandbox.c). Global
 * because die() is called from every layer and none of them knows the run;
 * one slot, replaced by its new owner, never a chain. */
struct die_undo {
	void (*fn)(void *arg);
	void *arg;
};
extern struct die_undo die_undo;
/* Called from die() first, with the step, the saved errno (0 for die) and
 * the message without prefix: the audit log's error record (audit.c). */
extern void (*die_audit)(const char *step, int err, const char *msg);

void close_fdp(int *fd);
void free_p(void *p);
/* p (an array of *cap entries of size bytes, n in use) with room for one
 * more: the capacity doubles, so n appends cost O(n) in all. Dies when
 * memory runs out. `a = xgrow(a, &cap, n, sizeof(*a)); a[n++] = x;` */
void *xgrow(void *p, unsigned *cap, unsigned n, size_t size);
#define cleanup_fd __attribute__((cleanup(close_fdp)))
#define cleanup_free __attribute__((cleanup(free_p)))

static inline int steal_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}

/* Writes all of buf, retrying on EINTR and short writes; 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);
/* Writes a small string into an existing file (procfs, cgroupfs). */
int write_file(const char *path, const char *s);
/* The same for /proc files, checked with fstatfs to be procfs: a /proc with
 * something mounted over it is never written (CVE-2019-19921). */
int write_proc(const char *path, const char *s);

/* A host file the caller named for nucleus to read (--env-file, --copy,
 * --secret, --init, --seccomp-bpf, --context's files): opened with
 * O_NONBLOCK, so a FIFO, a tty or a device never blocks the open, then
 * refused unless fstat says it is a regular file of at most max bytes: exit
 * 125 with "FLAG 'PATH': not a regular file". dirfd and extra flags (e.g.
 * O_NOFOLLOW) as for openat; *st gets the fstat. Returns a blocking fd. */
int host_input_open(int dirfd, const char *path, int extra, const char *flag,
		    off_t max, struct stat *st);
/* Reads such a file whole, to EOF whatever st_size says (procfs), and dies
 * if it holds more than max bytes. A NUL-terminated malloc'd copy; *len
 * (when not NULL) its length. */
char *host_input_read(const char *path, const char *flag, size_t max,
		      size_t *len);
/* The two halves: the open with openat2's resolve flags (RESOLVE_IN_ROOT
 * for an image's file), and the read of an fd host_input_open* gave. */
int host_input_openat2(int dirfd, const char *path, int extra, uint64_t resolve,
		       const char *flag, off_t max, struct stat *st);
char *host_input_slurp(int fd, const char *path, const char *flag, size_t max,
		       size_t *len);

/* Opens a host file nucleus writes (--audit, --stats, --report,
 * --seccomp-trace) as open(2) would, but with O_NONBLOCK for the open only:
 * a FIFO with no reader fails at once (ENXIO) instead of blocking the
 * monitor, whose signals are blocked, for ever; a FIFO with a reader (a
 * log pipeline) works, and its writes block as a pipe's do. */
int host_output_open(const char *path, int flags, unsigned mode);

/* buf = the path of `name` in the directory of the running nucleus (where
 * make install puts nucleus-init and nucleus-policy); dies if too long. */
void self_sibling(const char *name, char *buf, size_t len);

int sys_close_range(unsigned first, unsigned last, unsigned flags);
int sys_pidfd_send_signal(int pidfd, int sig);

/* --timings: per-phase microseconds since start, one stderr line each. */
void timing_start(int on); /* the clock's zero; on: print the marks */
int timing_enabled(void);
void timing_mark(const char *phase);
/* CLOCK_MONOTONIC in milliseconds: deadlines. */
uint64_t now_ms(void);
/* A pidfd's process number in the pid namespace of our /proc (from its
 * fdinfo; a /proc of another namespace never names a stranger): 0, or
 * -errno (-ESRCH: gone). */
int pidfd_pid(int pidfd, pid_t *pid);

#endif
