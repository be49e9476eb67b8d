// SPDX-License-Identifier: MIT
/*
 * The error path of the shim: one line on stderr, `nucleus: <step>: <what>:
 * <strerror>`, then exit 125 so a setup failure is never mistaken for the
 * workload's own exit code. Also fd/heap cleanup helpers and raw syscalls.
 */
#include "lib/util.h"
#include "lib/mountapi.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>

/* Global: every step names itself here before it can fail, so that die(),
 * called from any layer with no context, says which step failed. */
const char *die_step = "setup";
/* Global: die() must undo the run it interrupts (util.h says whose). */
struct die_undo die_undo;
/* Global: die()'s error record in the audit log, set by audit.c once the
 * sink is open; lib/ cannot call up into host/. */
void (*die_audit)(const char *step, int err, const char *msg);

static void vmsg(const char *fmt, va_list ap, int err)
{
	char buf[1024];
	int n = snprintf(buf, sizeof(buf), "nucleus: %s: ", die_step);

	if (n < 0 || (size_t)n >= sizeof(buf))
		n = 0;
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	n = (int)strlen(buf);
	if (err)
		snprintf(buf + n, sizeof(buf) - (size_t)n, ": %s",
			 strerror(err));
	n = (int)strlen(buf);
	if ((size_t)n < sizeof(buf) - 1)
		buf[n++] = '\n';
	/* One write so lines from parent and child never interleave. */
	(void)write_all(STDERR_FILENO, buf, (size_t)n);
}

static __attribute__((noreturn)) void die_end(const char *fmt, va_list ap,
					      int err)
{
	void (*rec)(const char *, int, const char *) = die_audit;
	char what[512];

	die_audit = NULL; /* once: a record that fails to write dies too */
	if (rec) {
		vsnprintf(what, sizeof(what), fmt, ap);
		rec(die_step, err, what);
	}
	if (die_undo.fn)
		die_undo.fn(die_undo.arg);
	_exit(EXIT_SETUP);
}

void die(const char *fmt, ...)
{
	va_list ap, aq;

	va_start(ap, fmt);
	va_copy(aq, ap);
	vmsg(fmt, ap, 0);
	va_end(ap);
	die_end(fmt, aq, 0);
}

void die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap, aq;

	va_start(ap, fmt);
	va_copy(aq, ap);
	vmsg(fmt, ap, err);
	va_end(ap);
	die_end(fmt, aq, err);
}

void warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, 0);
	va_end(ap);
}

void close_fdp(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void free_p(void *p)
{
	free(*(void **)p);
}

void *xgrow(void *p, unsigned *cap, unsigned n, size_t size)
{
	unsigned c = *cap ? 2 * *cap : 16;

	if (n < *cap)
		return p;
	if (!(p = realloc(p, (size_t)c * size)))
		die_errno("realloc of %u entries", c);
	*cap = c;
	return p;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	int r;

	if (fd < 0)
		return -errno;
	r = write_all(fd, s, strlen(s));
	close(fd);
	return r;
}

int write_proc(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	struct statfs sf;
	int r;

	if (fd < 0)
		return -errno;
	/* Whatever is mounted over /proc, we only ever write procfs. */
	if (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
		r = -EXDEV;
	else
		r = write_all(fd, s, strlen(s));
	close(fd);
	return r;
}

int host_input_open(int dirfd, const char *path, int extra, const char *flag,
		    off_t max, struct stat *st)
{
	return host_input_openat2(dirfd, path, extra, 0, flag, max, st);
}

int host_input_openat2(int dirfd, const char *path, int extra, uint64_t resolve,
		       const char *flag, off_t max, struct stat *st)
{
	int fd = sys_openat2(dirfd, path,
			     O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY |
				     (unsigned)extra,
			     resolve);
	int fl;

	if (fd < 0 || fstat(fd, st) < 0)
		die_errno("%s '%s'", flag, path);
	if (!S_ISREG(st->st_mode))
		die("%s '%s': not a regular file", flag, path);
	if (st->st_size > max)
		die("%s '%s': larger than %lld bytes", flag, path,
		    (long long)max);
	/* Only the open needed it: a regular file's reads never block. */
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		die_errno("%s '%s': fcntl", flag, path);
	return fd;
}

char *host_input_read(const char *path, const char *flag, size_t max,
		      size_t *len)
{
	struct stat st;
	cleanup_fd int fd =
		host_input_open(AT_FDCWD, path, 0, flag, (off_t)max, &st);

	return host_input_slurp(fd, path, flag, max, len);
}

char *host_input_slurp(int fd, const char *path, const char *flag, size_t max,
		       size_t *len)
{
	char *text = malloc(max + 1);
	size_t n = 0;
	ssize_t r = 1;

	if (!text)
		die_errno("%s '%s': malloc", flag, path);
	/* One byte past max tells a file that grew since fstat. */
	while (n <= max && (r = read(fd, text + n, max + 1 - n)) != 0) {
		if (r < 0 && errno != EINTR)
			die_errno("%s '%s': read", flag, path);
		if (r > 0)
			n += (size_t)r;
	}
	if (n > max)
		die("%s '%s': larger than %zu bytes", flag, path, max);
	text[n] = '\0';
	if (len)
		*len = n;
	return text;
}

int host_output_open(const char *path, int flags, unsigned mode)
{
	int fd = open(path, flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY,
		      (mode_t)mode);
	int fl;

	if (fd < 0)
		return -1;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

void self_sibling(const char *name, char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n < 0)
		die_errno("readlink /proc/self/exe");
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash || (size_t)(slash - buf) + strlen(name) + 2 > len)
		die("cannot locate %s beside '%s'", name, buf);
	snprintf(slash + 1, len - (size_t)(slash + 1 - buf), "%s", name);
}

int sys_close_range(unsigned first, unsigned last, unsigned flags)
{
	return (int)syscall(SYS_close_range, first, last, flags);
}

int sys_pidfd_send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/* Global: --timings marks phases from every step, the sandbox child's
 * included, as points of one timeline; passing a clock to each step would
 * only be noise for a debugging aid. */
static struct {
	int on;
	struct timespec t0, prev;
} timing;

static long long timing_us(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000LL +
	       (b->tv_nsec - a->tv_nsec) / 1000;
}

void timing_start(int on)
{
	timing.on = on;
	clock_gettime(CLOCK_MONOTONIC, &timing.t0);
	timing.prev = timing.t0;
}

int timing_enabled(void)
{
	return timing.on;
}

void timing_mark(const char *phase)
{
	struct timespec now;
	char buf[128];
	int n;

	if (!timing.on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	n = snprintf(buf, sizeof(buf),
		     "nucleus: timing: %-10s %6lld us (at %lld us)\n", phase,
		     timing_us(&timing.prev, &now),
		     timing_us(&timing.t0, &now));
	timing.prev = now;
	if (n > 0)
		(void)write_all(STDERR_FILENO, buf, (size_t)n);
}

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int pidfd_pid(int pidfd, pid_t *pid)
{
	char path[64], buf[512], *at;
	cleanup_fd int fd = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	at = strstr(buf, "\nPid:");
	if (!at || (*pid = (pid_t)strtol(at + 5, NULL, 10)) <= 0)
		return -ESRCH;
	return 0;
}
