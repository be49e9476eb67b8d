// SPDX-License-Identifier: MIT
/*
 * The OCI verbs' state directory (oci_state.h). Everything is reached from
 * the root's fd with *at() calls and O_NOFOLLOW, so that nobody who can
 * write near the root redirects a verb elsewhere; the root itself must be
 * ours, mode 0700, and no symlink. state.json is nucleus's own compact
 * JSON, read back by a scanner that knows its few keys and refuses the
 * rest: the file is only ever written whole, by us.
 */
#include "runtime/oci_state.h"
#include "runtime/oci_hooks.h"
#include "lib/json_read.h"
#include "lib/json.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* runc's MkdirAll: containerd names /run/containerd/runc/NAMESPACE. */
static void root_mkdirs(const char *dir)
{
	char p[4096];

	if (snprintf(p, sizeof(p), "%s", dir) >= (int)sizeof(p))
		die("%.64s...: too long", dir);
	for (char *s = p + 1;; s++) {
		if (*s && *s != '/')
			continue;
		char c = *s;

		*s = 0;
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			die_errno("mkdir %s", p);
		*s = c;
		if (!c)
			return;
	}
}

int oci_root_known(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	return geteuid() == 0 || (xdg && *xdg == '/');
}

int oci_root_open(const char *dir)
{
	char def[4096];
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	int fd;

	die_step = "root";
	if (!dir && !oci_root_known())
		die("no --root and no XDG_RUNTIME_DIR: nowhere to keep state");
	if (!dir) {
		snprintf(def, sizeof(def), "%s/nucleus",
			 geteuid() ? xdg : "/run");
		dir = def;
	}
	root_mkdirs(dir);
	fd = open(dir, DIR_FLAGS);
	if (fd < 0)
		die_errno("%s (a symlink is refused)", dir);
	if (fstat(fd, &st) < 0)
		die_errno("stat %s", dir);
	if (st.st_uid != geteuid())
		die("%s: owned by uid %u, not by us (uid %u)", dir,
		    (unsigned)st.st_uid, (unsigned)geteuid());
	if ((st.st_mode & 077) && fchmod(fd, 0700) < 0)
		die_errno("chmod 0700 %s", dir);
	return fd;
}

void oci_id_check(const char *id)
{
	size_t n = strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
			      "TUVWXYZ0123456789_.-");

	die_step = "id";
	if (!*id || id[n] || n > 255 || !strcmp(id, ".") || !strcmp(id, ".."))
		die("bad container ID '%s': want [A-Za-z0-9_.-], at most 255",
		    id);
}

int oci_state_make(int root, const char *id)
{
	int fd;

	oci_id_check(id);
	if (mkdirat(root, id, 0700) < 0) {
		if (errno == EEXIST)
			die("container '%s' exists", id);
		die_errno("mkdir %s", id);
	}
	fd = openat(root, id, DIR_FLAGS);
	if (fd < 0)
		die_errno("open %s", id);
	return fd;
}

int oci_state_dir(int root, const char *id)
{
	int fd;

	oci_id_check(id);
	fd = openat(root, id, DIR_FLAGS);
	if (fd < 0 && errno == ENOENT)
		die("container '%s' does not exist", id);
	if (fd < 0)
		die_errno("open %s", id);
	return fd;
}

static void state_members(struct json *j, const struct oci_state *st,
			  int stored)
{
	json_str(j, "ociVersion", OCI_VERSION);
	json_str(j, "id", st->id);
	json_str(j, "status", stored ? st->status : oci_status(st));
	json_int(j, "pid", st->pid);
	json_str(j, "bundle", st->bundle);
	json_str(j, "created", st->created);
}

char *oci_state_json(const struct oci_state *st, int flags)
{
	struct jr *spec = st->bundle[0] ? oci_bundle_spec(st->bundle) : NULL;
	const struct jr *a = jr_get(spec, "annotations");
	struct json j;

	json_start(&j);
	j.spaced = flags & OCI_JSON_SPACED;
	state_members(&j, st, flags & OCI_JSON_STORED);
	if (a && a->type == JR_OBJ) {
		json_begin(&j, "annotations");
		for (const struct jr *k = a->kid; k; k = k->next)
			if (k->type == JR_STR)
				json_strn(&j, k->key, k->str, k->len);
		json_close(&j);
	}
	jr_free(spec);
	return json_end(&j) ? j.buf : NULL;
}

void oci_state_write(int dir, const struct oci_state *st)
{
	struct json j;
	int fd, err;

	json_start(&j);
	state_members(&j, st, 1);
	/* Ours, not the spec's: the stored status (the live one is derived),
	 * and the monitor's pid. */
	json_str(&j, "nucleus_status", st->status);
	json_int(&j, "monitor", st->monitor);
	json_uint(&j, "pid_start", st->pid_start);
	json_uint(&j, "monitor_start", st->monitor_start);
	die_step = "state";
	fd = openat(dir, "state.json.tmp",
		    O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		    0600);
	if (fd < 0)
		die_errno("state.json.tmp");
	err = json_end(&j) ? -write_all(fd, j.buf, j.len) : ENOMEM;
	json_free(&j);
	if (!err && fsync(fd) < 0)
		err = errno;
	close(fd);
	if (!err && renameat(dir, "state.json.tmp", dir, "state.json") < 0)
		err = errno;
	if (err) {
		errno = err;
		die_errno("write state.json");
	}
}

/* The value of "key": in text, a string (unescaped into buf) or a number
 * (as text); -1 if missing or not what we write. */
static int scan(const char *text, const char *key, char *buf, size_t len)
{
	char pat[40];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(text, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	if (*p != '"') {
		n = strspn(p, "0123456789-");
		if (!n || n >= len)
			return -1;
		memcpy(buf, p, n);
		buf[n] = 0;
		return 0;
	}
	for (p++; *p != '"'; p++) {
		if (!*p || n + 1 >= len)
			return -1;
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '/'))
			p++;
		else if (*p == '\\')
			return -1; /* we never write other escapes for ours */
		buf[n++] = *p;
	}
	buf[n] = 0;
	return 0;
}

static int scan_num(const char *text, const char *key, unsigned long *v)
{
	char b[24];

	if (scan(text, key, b, sizeof(b)) < 0 || *b == '-')
		return -1;
	*v = strtoul(b, NULL, 10);
	return 0;
}

int oci_state_read(int dir, struct oci_state *st)
{
	cleanup_fd int fd =
		openat(dir, "state.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	cleanup_free char *text = NULL;
	unsigned long pid, mon;
	size_t len;

	memset(st, 0, sizeof(*st));
	if (fd < 0)
		return -1;
	text = host_input_slurp(fd, "state.json", "state", 65536, &len);
	if (!text || strlen(text) != len ||
	    scan(text, "id", st->id, sizeof(st->id)) ||
	    scan(text, "nucleus_status", st->status, sizeof(st->status)) ||
	    scan(text, "bundle", st->bundle, sizeof(st->bundle)) ||
	    scan(text, "created", st->created, sizeof(st->created)) ||
	    scan_num(text, "pid", &pid) || scan_num(text, "monitor", &mon) ||
	    scan_num(text, "pid_start", &st->pid_start) ||
	    scan_num(text, "monitor_start", &st->monitor_start))
		return -1;
	st->pid = (pid_t)pid;
	st->monitor = (pid_t)mon;
	return 0;
}

/* Best effort: what a verb of ours put there, then the directory. */
void oci_state_remove(int root, const char *id)
{
	static const char *const files[] = { "state.json", "state.json.tmp",
					     "exec.fifo", "seccomp.json",
					     "argv" };
	int fd = openat(root, id, DIR_FLAGS);

	if (fd >= 0) {
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			(void)unlinkat(fd, files[i], 0);
		close(fd);
	}
	(void)unlinkat(root, id, AT_REMOVEDIR);
}

unsigned long oci_pid_start(pid_t pid)
{
	char path[40], buf[1024], *p;
	unsigned long v = 0;
	cleanup_fd int fd = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pid <= 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* After the comm, which may hold spaces and parentheses: field 3 is
	 * the state, so 22 is the 20th after it. */
	p = strrchr(buf, ')');
	for (int i = 0; p && i < 20; i++)
		p = strchr(p + 1, ' ');
	if (p)
		v = strtoul(p + 1, NULL, 10);
	/* A zombie has ended: its start time no longer names a live one. */
	return strstr(buf, ") Z ") ? 0 : v;
}

const char *oci_status(const struct oci_state *st)
{
	int live = st->pid > 0 && oci_pid_start(st->pid) == st->pid_start;

	/* created, running, paused: as long as init lives; creating: as long
	 * as the monitor making it does */
	if (!strcmp(st->status, "creating"))
		live = st->monitor <= 0 ||
		       oci_pid_start(st->monitor) == st->monitor_start;
	return strcmp(st->status, "stopped") && !live ? "stopped" : st->status;
}
