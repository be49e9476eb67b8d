// SPDX-License-Identifier: MIT
/*
 * The audit log and the JSON writer behind it and --stats. Records are built
 * in memory and written with one write(2) each, so lines from the monitor
 * and the sandbox child (which shares the open file) never interleave, and
 * the log is valid JSON lines whatever the argv holds: strings are escaped
 * and invalid UTF-8 becomes U+FFFD. Timestamps are RFC 3339 UTC with ms.
 */
#include "host/audit.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int audit_fd = -1, stats_fd = -1;
static int sink_strict; /* production: a record not written is exit 125 */

static void json_put(struct json *j, const char *s, size_t n)
{
	if (j->oom)
		return;
	if (j->len + n + 2 > j->cap) {
		size_t cap = (j->cap ? j->cap * 2 : 512) + n;
		char *b = realloc(j->buf, cap);

		if (!b) {
			j->oom = 1;
			return;
		}
		j->buf = b;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4
		   : s[0] >= 0xe0		 ? 3
		   : s[0] >= 0xc2 && s[0] < 0xe0 ? 2
						 : 0;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong 3- and 4-byte forms and surrogates are not text. */
	if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) ||
	    (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (n == 4 && s[0] == 0xf0 && s[1] < 0x90) ||
	    (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

static void json_quote(struct json *j, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	json_put(j, "\"", 1);
	while (*s) {
		char esc[8];
		size_t n = 1;

		if (*s == '"' || *s == '\\') {
			esc[0] = '\\', esc[1] = (char)*s;
			json_put(j, esc, 2);
		} else if (*s < 0x20 || *s == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", *s);
			json_put(j, esc, 6);
		} else if (*s < 0x80) {
			json_put(j, (const char *)s, 1);
		} else if ((n = utf8_len(s))) {
			json_put(j, (const char *)s, n);
		} else {
			json_put(j, "\\ufffd", 6);
			n = 1;
		}
		s += n;
	}
	json_put(j, "\"", 1);
}

static void json_key(struct json *j, const char *key)
{
	if (!j->first)
		json_put(j, ",", 1);
	j->first = 0;
	json_quote(j, key);
	json_put(j, ":", 1);
}

void json_start(struct json *j)
{
	*j = (struct json){ .first = 1 };
	json_put(j, "{", 1);
}

void json_raw(struct json *j, const char *key, const char *val)
{
	json_key(j, key);
	json_put(j, val, strlen(val));
}

void json_str(struct json *j, const char *key, const char *val)
{
	if (!val) {
		json_raw(j, key, "null");
		return;
	}
	json_key(j, key);
	json_quote(j, val);
}

void json_int(struct json *j, const char *key, long long v)
{
	char b[24];

	snprintf(b, sizeof(b), "%lld", v);
	json_raw(j, key, b);
}

void json_uint(struct json *j, const char *key, uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	json_raw(j, key, b);
}

void json_bool(struct json *j, const char *key, int v)
{
	json_raw(j, key, v ? "true" : "false");
}

void json_begin(struct json *j, const char *key)
{
	json_key(j, key);
	json_put(j, "{", 1);
	j->first = 1;
}

void json_close(struct json *j)
{
	json_put(j, "}", 1);
	j->first = 0;
}

void json_strv(struct json *j, const char *key, char *const *v, int n)
{
	json_key(j, key);
	json_put(j, "[", 1);
	for (int i = 0; i < n; i++) {
		if (i)
			json_put(j, ",", 1);
		json_quote(j, v[i]);
	}
	json_put(j, "]", 1);
}

const char *json_end(struct json *j)
{
	json_put(j, "}\n", 2);
	return j->oom ? NULL : j->buf;
}

void json_free(struct json *j)
{
	free(j->buf);
	*j = (struct json){ 0 };
}

static int open_sink(const struct res_sink *s, const char *flag, int append)
{
	int fd, fl;

	if (s->path) {
		/* No symlink: a root monitor must not be steered elsewhere. */
		fd = host_output_open(s->path,
				      O_WRONLY | O_CREAT | O_NOFOLLOW |
					      (append ? O_APPEND : O_TRUNC),
				      0644);
		if (fd < 0)
			die_errno("%s: cannot open '%s'", flag, s->path);
		return fd;
	}
	if (!s->fd)
		return -1;
	fl = fcntl(s->fd, F_GETFL);
	if (fl < 0)
		die_errno("%s: fd %d is not open", flag, s->fd);
	if ((fl & O_ACCMODE) == O_RDONLY)
		die("%s: fd %d is not open for writing", flag, s->fd);
	/* Ours only: the sandbox closes every fd >= 3 before exec anyway. */
	(void)fcntl(s->fd, F_SETFD, FD_CLOEXEC);
	return s->fd;
}

static pid_t audit_pid; /* the monitor: set before clone */

void audit_open_sinks(const struct config *cfg)
{
	const char *step = die_step;

	audit_pid = getpid();
	sink_strict = cfg->mode == MODE_PRODUCTION;
	die_step = "args";
	audit_fd = open_sink(&cfg->res.audit, "--audit", 1);
	stats_fd = open_sink(&cfg->res.stats, "--stats", 0);
	die_step = step;
	if (audit_fd >= 0)
		die_audit = audit_error;
}

int audit_stats_fd(void)
{
	return stats_fd;
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

	if (audit_fd < 0)
		return 0;
	rfc3339(ts, sizeof(ts));
	json_start(j);
	json_str(j, "time", ts);
	json_str(j, "event", event);
	/* The monitor's pid, in the sandbox child's records too (inside its
	 * pid namespace getpid() is 1). */
	json_int(j, "pid", audit_pid);
	return 1;
}

/* A pipe whose reader is gone must be EPIPE, not a SIGPIPE that kills us
 * without a word: the signal is blocked around the write and a pending one
 * raised by it is taken back. A non-blocking fd:N that is full is waited
 * on, at most a few seconds, like a slow disk. */
int sink_write(int fd, const void *buf, size_t len)
{
	sigset_t pipe_set, old, before;
	struct timespec zero = { 0, 0 };
	const char *p = buf;
	int r = 0;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	sigpending(&before); /* a SIGPIPE pending already is not ours */
	while (len) {
		ssize_t n = write(fd, p, len);
		struct pollfd pf = { .fd = fd, .events = POLLOUT };

		if (n > 0) {
			p += n, len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && poll(&pf, 1, 5000) > 0)
			continue;
		r = n < 0 ? -errno : -EIO;
		break;
	}
	if (r == -EPIPE && !sigismember(&before, SIGPIPE))
		(void)sigtimedwait(&pipe_set, NULL, &zero);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

static int sink_final_phase, sink_err;

void sink_final(void)
{
	sink_final_phase = 1;
}

int sink_error(void)
{
	return sink_err;
}

/* Agent: one warning per process and sink, the run goes on. Production: a
 * sink that was asked for and cannot be written fails the run: die while
 * the sandbox is set up or runs; in the final records (sink_final) one
 * error line, an error record and exit 125 through sink_error(). */
int sink_failed(const char *flag, int err, int *warned)
{
	char what[64];

	if (sink_strict && !sink_final_phase) {
		errno = err;
		die_errno("%s: write", flag);
	}
	if (!sink_strict) {
		if (!*warned)
			warnx("%s: write: %s (records are lost)", flag,
			      strerror(err));
		*warned = 1;
		return 0;
	}
	warnx("%s: write: %s", flag, strerror(err));
	sink_err = 1;
	snprintf(what, sizeof(what), "%s: write", flag);
	audit_error(die_step, err, what); /* --stats failed: say so there */
	return -1;
}

void audit_end(struct json *j)
{
	static int warned;
	const char *s = json_end(j);
	int r = s ? sink_write(audit_fd, s, j->len) : -ENOMEM;

	json_free(j);
	if (r < 0) {
		/* Off first: in production no more records, die()'s included. */
		if (sink_strict)
			audit_fd = -1;
		(void)sink_failed("--audit", -r, &warned);
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
		{ EPERM, "EPERM" },	  { ENOENT, "ENOENT" },
		{ ESRCH, "ESRCH" },	  { EINTR, "EINTR" },
		{ EIO, "EIO" },		  { ENXIO, "ENXIO" },
		{ E2BIG, "E2BIG" },	  { ENOEXEC, "ENOEXEC" },
		{ EBADF, "EBADF" },	  { ECHILD, "ECHILD" },
		{ EAGAIN, "EAGAIN" },	  { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" },	  { EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" },	  { EEXIST, "EEXIST" },
		{ EXDEV, "EXDEV" },	  { ENODEV, "ENODEV" },
		{ ENOTDIR, "ENOTDIR" },	  { EISDIR, "EISDIR" },
		{ EINVAL, "EINVAL" },	  { ENFILE, "ENFILE" },
		{ EMFILE, "EMFILE" },	  { ENOTTY, "ENOTTY" },
		{ ETXTBSY, "ETXTBSY" },	  { EFBIG, "EFBIG" },
		{ ENOSPC, "ENOSPC" },	  { EROFS, "EROFS" },
		{ EPIPE, "EPIPE" },	  { ERANGE, "ERANGE" },
		{ ENAMETOOLONG, "ENAMETOOLONG" },
		{ ENOSYS, "ENOSYS" },	  { ENOTEMPTY, "ENOTEMPTY" },
		{ ELOOP, "ELOOP" },	  { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ECONNREFUSED, "ECONNREFUSED" },
		{ ETIMEDOUT, "ETIMEDOUT" }, { EOVERFLOW, "EOVERFLOW" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == err)
			return t[i].name;
	return NULL;
}
