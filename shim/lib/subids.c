// SPDX-License-Identifier: MIT
/*
 * --map-subids: a user namespace with more than one id, as rootless
 * container engines do. The ranges come from /etc/subuid and /etc/subgid
 * (by user name or number); only the setuid helpers newuidmap/newgidmap may
 * write such maps, so they are run from a fixed, root-owned path.
 */
#include "lib/subids.h"
#include "lib/util.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NEWUIDMAP "/usr/bin/newuidmap"
#define NEWGIDMAP "/usr/bin/newgidmap"

/* "WHO:START:COUNT\n": WHO (1 to 127 bytes) into who; 0 or -1. (Not
 * sscanf: its engine alone costs the static binary 8 KiB.) */
static int subids_line(char *line, char *who, struct subid_range *r)
{
	size_t n = strcspn(line, ":");
	char *p = line + n, *e;

	if (n == 0 || n > 127 || *p != ':' || p[1] < '0' || p[1] > '9')
		return -1;
	memcpy(who, line, n);
	who[n] = '\0';
	r->start = strtoul(p + 1, &e, 10);
	if (*e != ':' || e[1] < '0' || e[1] > '9')
		return -1;
	r->count = strtoul(e + 1, &e, 10);
	return 0;
}

/* First line of FILE for the user (name or number): start and count. */
static int subids_find(const char *file, unsigned long id, const char *name,
		       struct subid_range *r)
{
	char line[256], who[128];
	FILE *f = fopen(file, "re");
	int found = 0;

	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f)) {
		if (subids_line(line, who, r) < 0 || r->count == 0)
			continue;
		if (strspn(who, "0123456789") == strlen(who))
			found = strtoul(who, NULL, 10) == id;
		else
			found = name && strcmp(who, name) == 0;
	}
	fclose(f);
	return found ? 0 : -ENOENT;
}

/* A setuid helper must be root's and writable by nobody else. */
static void subids_helper_ok(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		die_errno("--map-subids: %s (package uidmap)", path);
	if (st.st_uid != 0 || (st.st_mode & 022))
		die("--map-subids: %s is not root's or is writable by others",
		    path);
}

void subids_check(uid_t uid, gid_t gid, struct subids *s)
{
	struct passwd *pw = getpwuid(uid);
	const char *name = pw ? pw->pw_name : NULL;

	die_step = "userns";
	subids_helper_ok(NEWUIDMAP);
	subids_helper_ok(NEWGIDMAP);
	if (subids_find("/etc/subuid", uid, name, &s->uid) < 0)
		die("--map-subids: no range for uid %u in /etc/subuid", uid);
	if (subids_find("/etc/subgid", gid, name, &s->gid) < 0)
		die("--map-subids: no range for gid %u in /etc/subgid", gid);
}

static void subids_run(const char *helper, pid_t pid, unsigned long id,
		       const struct subid_range *r)
{
	char a[5][24];
	pid_t p;
	int st;

	snprintf(a[0], sizeof(a[0]), "%d", pid);
	snprintf(a[1], sizeof(a[1]), "%lu", id);
	snprintf(a[2], sizeof(a[2]), "%lu", r->start);
	snprintf(a[3], sizeof(a[3]), "%lu", r->count);
	p = fork();
	if (p < 0)
		die_errno("fork %s", helper);
	/* Root's own id is never mapped: the sandbox's root is the first
	 * subordinate id, so it owns nothing of the host's. */
	if (p == 0 && id == 0)
		execl(helper, helper, a[0], "0", a[2], a[3], (char *)NULL);
	if (p == 0) {
		execl(helper, helper, a[0], "0", a[1], "1", "1", a[2], a[3],
		      (char *)NULL);
		_exit(127);
	}
	while (waitpid(p, &st, 0) < 0)
		if (errno != EINTR)
			die_errno("wait %s", helper);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		die("--map-subids: %s failed (status %d)", helper, st);
}

void subids_map(pid_t pid, uid_t uid, gid_t gid, const struct subids *s)
{
	die_step = "userns";
	subids_run(NEWUIDMAP, pid, uid, &s->uid);
	subids_run(NEWGIDMAP, pid, gid, &s->gid);
}
