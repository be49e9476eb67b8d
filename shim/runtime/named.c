// SPDX-License-Identifier: MIT
/*
 * --name NAME: an argv sandbox registered in the OCI verbs' state directory
 * (runtime/oci_state.c) while its monitor runs, so that `nucleus list`,
 * `state`, `exec`, `kill` and `delete` reach it as they reach an OCI
 * container. The name is claimed before anything is set up (a live one is
 * exit 125); an entry whose monitor is gone (killed, a crashed host) is
 * stale, detected by the monitor's pid and start time, and never blocks a
 * new run. Beside state.json the entry keeps the argv the sandbox was made
 * from ("argv", NUL-separated), from which `exec` computes the same
 * confinement for a new process.
 */
#include "runtime/named.h"
#include "runtime/oci_state.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether the entry's monitor still runs (then the name is taken). */
static int named_live(int root, const char *name)
{
	struct oci_state st;
	int dir = openat(root, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	if (dir < 0)
		return 0;
	r = oci_state_read(dir, &st) == 0 && st.monitor > 0 &&
	    oci_pid_start(st.monitor) == st.monitor_start;
	close(dir);
	return r;
}

static void named_argv(int dir, int argc, char **argv)
{
	cleanup_fd int fd = openat(
		dir, "argv", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		die_errno("--name: argv");
	for (int i = 0; i < argc; i++)
		if (write_all(fd, argv[i], strlen(argv[i]) + 1) < 0)
			die_errno("--name: argv");
}

/* die() before the monitor's undo takes over (monitor_prepare's sinks). */
static void named_undo(void *n)
{
	named_release(n);
}

void named_claim(struct named *n, const char *name, int argc, char **argv)
{
	struct oci_state st = { 0 };

	n->root = -1;
	if (!name || !oci_root_known()) /* then it names the cgroup only */
		return;
	die_step = "name";
	n->name = name;
	n->root = oci_root_open(NULL);
	for (int tries = 0;; tries++) {
		if (mkdirat(n->root, name, 0700) == 0)
			break;
		if (errno != EEXIST || tries > 2)
			die_errno("--name '%s'", name);
		if (named_live(n->root, name))
			die("--name '%s': a sandbox of that name is running",
			    name);
		oci_state_remove(n->root, name); /* stale: its monitor died */
	}
	n->dir = -1;
	die_undo = (struct die_undo){ named_undo, n };
	n->dir = oci_state_dir(n->root, name);
	snprintf(st.id, sizeof(st.id), "%s", name);
	snprintf(st.status, sizeof(st.status), "creating");
	st.monitor = getpid();
	st.monitor_start = oci_pid_start(st.monitor);
	oci_state_write(n->dir, &st);
	named_argv(n->dir, argc, argv);
}

void named_running(const struct named *n, pid_t init)
{
	struct oci_state st;

	if (n->root < 0 || oci_state_read(n->dir, &st) < 0)
		return;
	st.pid = init;
	st.pid_start = oci_pid_start(init);
	snprintf(st.status, sizeof(st.status), "running");
	oci_state_write(n->dir, &st);
}

void named_release(struct named *n)
{
	if (n->root < 0)
		return;
	if (n->dir >= 0)
		close(n->dir);
	oci_state_remove(n->root, n->name);
	close(n->root);
	n->root = -1;
}
