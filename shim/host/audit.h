/* SPDX-License-Identifier: MIT */
/*
 * The audit log (--audit FILE|fd:N): one JSON object per line and per event,
 * never on the workload's stdout, and the small JSON writer the log and
 * --stats share. Any step may record an event; the sandbox child, too,
 * writes through the inherited fd until it execs init (the fd is
 * close-on-exec, so the workload never holds it).
 *
 *   struct json j;
 *   if (audit_begin(&j, "landlock")) {   // false when --audit is off
 *           json_int(&j, "abi", 7);
 *           audit_end(&j);
 *   }
 */
#ifndef NUCLEUS_AUDIT_H
#define NUCLEUS_AUDIT_H

#include "cli/config.h"

#include <stddef.h>
#include <stdint.h>

/* A growing JSON object; on allocation failure `oom` is set and the record
 * is dropped rather than written half. */
struct json {
	char *buf;
	size_t len, cap;
	int first, oom;
};

void json_start(struct json *j); /* "{" */
void json_str(struct json *j, const char *key, const char *val); /* NULL: null */
void json_int(struct json *j, const char *key, long long v);
void json_uint(struct json *j, const char *key, uint64_t v);
void json_bool(struct json *j, const char *key, int v);
/* val is already JSON (a number, an array, an object). */
void json_raw(struct json *j, const char *key, const char *val);
/* A nested object: json_begin(j, "key") ... json_close(j). */
void json_begin(struct json *j, const char *key);
void json_close(struct json *j);
void json_strv(struct json *j, const char *key, char *const *v, int n);
/* Closes the object and appends "\n"; the text is j->buf, j->len bytes, or
 * NULL after an allocation failure. Free with json_free. */
const char *json_end(struct json *j);
void json_free(struct json *j);

/* Opens the --audit and --stats sinks before anything is created, so a bad
 * path is exit 125 with nothing left behind. */
void audit_open_sinks(const struct config *cfg);
/* The --stats fd, or -1. */
int audit_stats_fd(void);

/* Starts an event record (time, event, nucleus pid); 0 if --audit is off. */
int audit_begin(struct json *j, const char *event);
/* Writes the line in one write. A failed write is exit 125 in production
 * (die), one warning on stderr in agent mode. */
void audit_end(struct json *j);
/* {"event":"error","step":...,"errno":N,"errno_name":"E...","strerror":...,
 * "message":...}; err 0: no errno. die() calls it through die_audit, in
 * the monitor and in the sandbox child alike. */
void audit_error(const char *step, int err, const char *message);
/* One write of a whole record to a sink (--audit, --stats): 0 or -errno,
 * EPIPE instead of a SIGPIPE. */
int sink_write(int fd, const void *buf, size_t len);
/* A sink write failed with err: agent warns once (per *warned), returns
 * 0; production dies (125), or after sink_final() prints the error,
 * records it and returns -1, and sink_error() is 1 from then on. */
int sink_failed(const char *flag, int err, int *warned);
/* The monitor's last records: a failed write no longer dies (the cgroup
 * is gone, the exit record still to come) but makes the exit code 125. */
void sink_final(void);
int sink_error(void);
/* "ENOENT" for 2; NULL if unknown. */
const char *errno_name(int err);

#endif
