/* SPDX-License-Identifier: MIT */
/*
 * Messages of nucleus-init: one line each on stderr, "nucleus-init: " first,
 * built in a stack buffer and written with a single write(2) so that lines
 * from init and from the workload never interleave mid-line. A tiny printf
 * subset (%s %d %u) keeps stdio, and most of the binary's size, out. Write
 * errors are ignored on purpose: init must survive a closed stderr or a pipe
 * with no reader (SIGPIPE stays blocked, and is never forwarded).
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "init.h"

int log_verbosity;

size_t fmt_uint(char *buf, unsigned long v)
{
	char tmp[24];
	size_t n = 0, i;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

struct line {
	char buf[512];
	size_t len;
};

static void line_put(struct line *l, const char *s, size_t n)
{
	/* Keep room for the newline: a long line is cut, never split. */
	if (n > sizeof(l->buf) - 1 - l->len)
		n = sizeof(l->buf) - 1 - l->len;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* A string from argv or the environment may hold a newline: a control
 * character becomes '?', so that a message stays one line (found by
 * tests/fuzz/fuzz_init_args.c: "-\n" as an option). */
static void line_str(struct line *l, const char *s)
{
	for (s = s ? s : "(null)"; *s; s++) {
		char c = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;

		line_put(l, &c, 1);
	}
}

static void line_num(struct line *l, long v, int is_signed)
{
	char tmp[24];
	size_t n = 0;

	if (is_signed && v < 0) {
		tmp[n++] = '-';
		n += fmt_uint(tmp + n, (unsigned long)-v);
	} else {
		n = fmt_uint(tmp, (unsigned long)v);
	}
	line_put(l, tmp, n);
}

static void line_vfmt(struct line *l, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%' || !fmt[1]) {
			line_put(l, fmt, 1);
			continue;
		}
		switch (*++fmt) {
		case 's':
			line_str(l, va_arg(ap, const char *));
			break;
		case 'd':
			line_num(l, va_arg(ap, int), 1);
			break;
		case 'u':
			line_num(l, (long)va_arg(ap, unsigned), 0);
			break;
		default:
			line_put(l, fmt, 1);
		}
	}
}

static void line_emit(struct line *l, const char *fmt, va_list ap, int err)
{
	l->len = 0;
	line_str(l, "nucleus-init: ");
	line_vfmt(l, fmt, ap);
	if (err) {
		line_str(l, ": ");
		line_str(l, strerror(err));
	}
	l->buf[l->len++] = '\n';
	/* A short or failed write is not worth a retry: logs are best
	 * effort. */
	(void)!write(STDERR_FILENO, l->buf, l->len);
}

void msg(int level, const char *fmt, ...)
{
	struct line l;
	va_list ap;

	if (level > log_verbosity)
		return;
	va_start(ap, fmt);
	line_emit(&l, fmt, ap, 0);
	va_end(ap);
}

void warn_errno(const char *fmt, ...)
{
	int err = errno;
	struct line l;
	va_list ap;

	va_start(ap, fmt);
	line_emit(&l, fmt, ap, err);
	va_end(ap);
	errno = err;
}

void die(const char *fmt, ...)
{
	struct line l;
	va_list ap;

	va_start(ap, fmt);
	line_emit(&l, fmt, ap, 0);
	va_end(ap);
	init_exit(EXIT_SETUP);
}

void die_errno(const char *fmt, ...)
{
	int err = errno;
	struct line l;
	va_list ap;

	va_start(ap, fmt);
	line_emit(&l, fmt, ap, err);
	va_end(ap);
	init_exit(EXIT_SETUP);
}

void out_write(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}
