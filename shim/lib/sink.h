/* SPDX-License-Identifier: MIT */
/*
 * An output sink, "FILE or fd:N": where --report, --stats and --audit go.
 * The argv parser fills one (sink_parse in cli/, pure); the host side opens
 * it with sink_open and writes whole records with sink_write, so a record
 * is one write(2) and a reader that went away is EPIPE, not a SIGPIPE.
 */
#ifndef NUCLEUS_SINK_H
#define NUCLEUS_SINK_H

#include <stddef.h>

struct sink {
	const char *path; /* FILE, or NULL */
	int fd;		  /* fd:N, an fd the caller opened */
	int is_fd;	  /* fd:N was given (N may be 0 for --report) */
};

static inline int sink_given(const struct sink *s)
{
	return s->path || s->is_fd;
}

/* FILE opened with flags (close-on-exec, never a controlling tty), or N:
 * an fd, or -1 with errno. */
int sink_open(const struct sink *s, int flags);
/* One write of a whole record: 0 or -errno, EPIPE instead of a SIGPIPE. */
int sink_write(int fd, const void *buf, size_t len);

#endif
