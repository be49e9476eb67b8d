/* SPDX-License-Identifier: MIT */
/*
 * The audit log (--audit FILE|fd:N): one JSON object per line and per event,
 * never on the workload's stdout (built with lib/json.h, written with
 * lib/sink.h). Any step may record an event; the sandbox child, too,
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
#include "lib/json.h"
#include "lib/sink.h"

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
