// SPDX-License-Identifier: MIT
/*
 * Opening and writing a "FILE or fd:N" sink (sink.h). The policy around a
 * failed write (warn in agent mode, die in production) is the caller's:
 * the audit log and the report differ there; how the bytes go out does not.
 */
#include "lib/sink.h"
#include "lib/util.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

int sink_open(const struct sink *s, int flags)
{
	if (s->path)
		return host_output_open(s->path, flags, 0644);
	if (!s->is_fd) {
		errno = EBADF;
		return -1;
	}
	return s->fd;
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
