/* SPDX-License-Identifier: MIT */
/*
 * The OCI verbs' state on disk: a root directory (--root; 0700, ours, never
 * a symlink) holding one directory per container ID with its state.json,
 * written whole (temp file, then rename) so that no verb ever reads half a
 * state. Whether a container still runs is never taken on trust from the
 * file: it is checked against its init's pid and that pid's start time, so
 * a recycled pid is not mistaken for it.
 */
#ifndef NUCLEUS_OCI_STATE_H
#define NUCLEUS_OCI_STATE_H

#include <sys/types.h>

#define OCI_VERSION "1.0.2"

struct oci_state {
	char id[256];
	char status[16]; /* creating, created, running, paused, stopped */
	char bundle[4096];
	char created[40]; /* RFC 3339, UTC */
	pid_t pid;	  /* the container's init, host pid; 0: none yet */
	pid_t monitor;	  /* the nucleus that watches it; 0: none */
	unsigned long pid_start, monitor_start; /* /proc/N/stat field 22 */
};

/* The root directory, made if missing; an open O_PATH-free directory fd.
 * dir NULL: the default (/run/nucleus as root, else
 * $XDG_RUNTIME_DIR/nucleus). Dies unless it is a real directory of ours. */
int oci_root_open(const char *dir);
/* Whether there is a default root: as root, or with an absolute
 * $XDG_RUNTIME_DIR. */
int oci_root_known(void);
/* Dies unless id is [A-Za-z0-9_.-]+, at most 255 bytes, not . or .. */
void oci_id_check(const char *id);
/* Makes the container's directory (dies if the ID exists); its fd. */
int oci_state_make(int root, const char *id);
/* The container's directory, or dies naming the missing ID. */
int oci_state_dir(int root, const char *id);
/* Writes st as state.json below dir, atomically. */
void oci_state_write(int dir, const struct oci_state *st);
/* Reads it; 0, or -1 if missing or not ours (a stale or half one). */
int oci_state_read(int dir, struct oci_state *st);
/* Removes the container's directory and what it holds; harmless twice. */
void oci_state_remove(int root, const char *id);
/* pid's start time (stat field 22), or 0 if pid is gone. */
unsigned long oci_pid_start(pid_t pid);
/* The live status: a running, paused or created container whose init is
 * gone is stopped. */
const char *oci_status(const struct oci_state *st);
/* The state as the spec's JSON (the `state` verb, the hooks' stdin), with
 * the bundle's annotations, malloc'd; OCI_JSON_STORED: the status as
 * stored (a hook's view of the step), not the live one. */
enum {
	OCI_JSON_SPACED = 1,
	OCI_JSON_STORED = 2
};
char *oci_state_json(const struct oci_state *st, int flags);

#endif
