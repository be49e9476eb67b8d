// SPDX-License-Identifier: MIT
/*
 * The audit log, and what --audit and --stats do when a write fails.
 * Records are built in memory and written with one write(2) each, so lines
 * from the monitor and the sandbox child (which shares the open file) never interleave, and
 * the log is valid JSON lines whatever the argv holds (lib/json.c escapes).
 * Timestamps are RFC 3339 UTC with ms.
 */
#include "host/audit.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Global because die() writes the error record from any step, in the
 * monitor and in the sandbox child (through die_audit, which takes no
 * argument to carry it), and the monitor's last records must know what
 * failed before. One struct: the sinks' whole state in one place. */
static struct {
	int audit_fd, stats_fd;
	int strict;	  /* production: a record not written is exit 125 */
	pid_t pid;	  /* the monitor's: set before clone */
	int final, error; /* sink_final() called; a final write failed */
	int warned;	  /* agent: --audit's one warning given */
} sinks = { .audit_fd = -1, .stats_fd = -1 };

static int open_sink(const struct sink *s, const char *flag, int append)
{
	int fd, fl;

	if (!sink_given(s))
		return -1;
	/* No symlink: a root monitor must not be steered elsewhere. */
	fd = sink_open(s, O_WRONLY | O_CREAT | O_NOFOLLOW |
				  (append ? O_APPEND : O_TRUNC));
	if (fd < 0)
		die_errno("%s: cannot open '%s'", flag, s->path);
	if (s->path)
		return fd;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		die_errno("%s: fd %d is not open", flag, fd);
	if ((fl & O_ACCMODE) == O_RDONLY)
		die("%s: fd %d is not open for writing", flag, fd);
	/* Ours only: the sandbox closes every fd >= 3 before exec anyway. */
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

void audit_open_sinks(const struct config *cfg)
{
	const char *step = die_step;

	sinks.pid = getpid();
	sinks.strict = cfg->mode == MODE_PRODUCTION;
	die_step = "args";
	sinks.audit_fd = open_sink(&cfg->res.audit, "--audit", 1);
	sinks.stats_fd = open_sink(&cfg->res.stats, "--stats", 0);
	die_step = step;
	if (sinks.audit_fd >= 0)
		die_audit = audit_error;
}

int audit_stats_fd(void)
{
	return sinks.stats_fd;
}

/* RFC 3339, UTC, milliseconds: 2026-11-26T05:13:01.123Z */
static void rfc3339(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (long)(ts.tv_nsec / 1000000) % 1000);
}

int audit_begin(struct json *j, const char *event)
{
	char ts[80];

	if (sinks.audit_fd < 0)
		return 0;
	rfc3339(ts, sizeof(ts));
	json_start(j);
	json_str(j, "time", ts);
	json_str(j, "event", event);
	/* The monitor's pid, in the sandbox child's records too (inside its
	 * pid namespace getpid() is 1). */
	json_int(j, "pid", sinks.pid);
	return 1;
}

void sink_final(void)
{
	sinks.final = 1;
}

int sink_error(void)
{
	return sinks.error;
}

/* Agent: one warning per process and sink, the run goes on. Production: a
 * sink that was asked for and cannot be written fails the run: die while
 * the sandbox is set up or runs; in the final records (sink_final) one
 * error line, an error record and exit 125 through sink_error(). */
int sink_failed(const char *flag, int err, int *warned)
{
	char what[64];

	if (sinks.strict && !sinks.final) {
		errno = err;
		die_errno("%s: write", flag);
	}
	if (!sinks.strict) {
		if (!*warned)
			warnx("%s: write: %s (records are lost)", flag,
			      strerror(err));
		*warned = 1;
		return 0;
	}
	warnx("%s: write: %s", flag, strerror(err));
	sinks.error = 1;
	snprintf(what, sizeof(what), "%s: write", flag);
	audit_error(die_step, err, what); /* --stats failed: say so there */
	return -1;
}

void audit_end(struct json *j)
{
	const char *s = json_end(j);
	int r = s ? sink_write(sinks.audit_fd, s, j->len) : -ENOMEM;

	json_free(j);
	if (r < 0) {
		/* Off first: in production no more records, die()'s included. */
		if (sinks.strict)
			sinks.audit_fd = -1;
		(void)sink_failed("--audit", -r, &sinks.warned);
	}
}

/* die()'s record, through die_audit: the step, the message as on stderr
 * (without the "nucleus: step: " prefix) and the errno die_errno saved. */
void audit_error(const char *step, int err, const char *message)
{
	struct json j;

	if (!audit_begin(&j, "error"))
		return;
	json_str(&j, "step", step);
	if (err) {
		json_int(&j, "errno", err);
		json_str(&j, "errno_name", errno_name(err));
		json_str(&j, "strerror", strerror(err));
	}
	json_str(&j, "message", message);
	audit_end(&j);
}

const char *errno_name(int err)
{
	static const struct {
		int e;
		const char *name;
	} t[] = {
		{ EPERM, "EPERM" },
		{ ENOENT, "ENOENT" },
		{ ESRCH, "ESRCH" },
		{ EINTR, "EINTR" },
		{ EIO, "EIO" },
		{ ENXIO, "ENXIO" },
		{ E2BIG, "E2BIG" },
		{ ENOEXEC, "ENOEXEC" },
		{ EBADF, "EBADF" },
		{ ECHILD, "ECHILD" },
		{ EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" },
		{ EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" },
		{ EXDEV, "EXDEV" },
		{ ENODEV, "ENODEV" },
		{ ENOTDIR, "ENOTDIR" },
		{ EISDIR, "EISDIR" },
		{ EINVAL, "EINVAL" },
		{ ENFILE, "ENFILE" },
		{ EMFILE, "EMFILE" },
		{ ENOTTY, "ENOTTY" },
		{ ETXTBSY, "ETXTBSY" },
		{ EFBIG, "EFBIG" },
		{ ENOSPC, "ENOSPC" },
		{ EROFS, "EROFS" },
		{ EPIPE, "EPIPE" },
		{ ERANGE, "ERANGE" },
		{ ENAMETOOLONG, "ENAMETOOLONG" },
		{ ENOSYS, "ENOSYS" },
		{ ENOTEMPTY, "ENOTEMPTY" },
		{ ELOOP, "ELOOP" },
		{ EOPNOTSUPP, "EOPNOTSUPP" },
		{ ECONNREFUSED, "ECONNREFUSED" },
		{ ETIMEDOUT, "ETIMEDOUT" },
		{ EOVERFLOW, "EOVERFLOW" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == err)
			return t[i].name;
	return NULL;
}
