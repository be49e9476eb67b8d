// SPDX-License-Identifier: MIT
/*
 * User namespace maps of more than one id for a caller that is not root,
 * as rootless container engines make them: --map-subids takes the ranges
 * from /etc/subuid and /etc/subgid (by user name or number), --uid-map and
 * --gid-map give them; only the setuid helpers newuidmap/newgidmap may
 * write such maps (checking those files), so they are run from a fixed,
 * root-owned path.
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

/* "WHO:START:COUNT\n": WHO (1 to 127 bytes) into who; 0, or -1 for a
 * line that is not one or whose range leaves the 32-bit ids. (Not
 * sscanf: its engine alone costs the static binary 8 KiB.) */
static int subids_line(char *line, char *who, struct id_range *r)
{
	size_t n = strcspn(line, ":");
	char *p = line + n, *e;
	unsigned long start, count;

	if (n == 0 || n > 127 || *p != ':' || p[1] < '0' || p[1] > '9')
		return -1;
	memcpy(who, line, n);
	who[n] = '\0';
	start = strtoul(p + 1, &e, 10);
	if (*e != ':' || e[1] < '0' || e[1] > '9')
		return -1;
	count = strtoul(e + 1, &e, 10);
	if (!count || start >= UINT32_MAX || count > UINT32_MAX - start)
		return -1;
	r->host = (uint32_t)start;
	r->count = (uint32_t)count;
	return 0;
}

/* First line of FILE for the user (name or number): start and count. */
static int subids_find(const char *file, unsigned long id, const char *name,
		       struct id_range *r)
{
	char line[256], who[128];
	FILE *f = fopen(file, "re");
	int found = 0;

	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f)) {
		if (subids_line(line, who, r) < 0)
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
		die_errno("%s (package uidmap)", path);
	if (st.st_uid != 0 || (st.st_mode & 022))
		die("%s is not root's or is writable by others", path);
}

void subids_helpers_check(void)
{
	die_step = "userns";
	subids_helper_ok(NEWUIDMAP);
	subids_helper_ok(NEWGIDMAP);
}

/* Root's own id is never mapped: the sandbox's root is then the first
 * subordinate id, so it owns nothing of the host's; anyone else's own id
 * is the sandbox's root, its range above. */
static void subids_range(const char *file, const char *what, unsigned long id,
			 const char *name, struct id_map *m)
{
	struct id_range *r = m->r;

	m->n = 1;
	if (id) {
		*r++ = (struct id_range){ 0, (uint32_t)id, 1 };
		m->n = 2;
	}
	if (subids_find(file, id, name, r) < 0)
		die("--map-subids: no range for %s %lu in %s", what, id, file);
	if (!r->host)
		die("--map-subids: %s's range maps host id 0 (root): refused",
		    file);
	r->in = m->n - 1;
}

void subids_check(uid_t uid, gid_t gid, struct id_map *u, struct id_map *g)
{
	struct passwd *pw = getpwuid(uid);
	const char *name = pw ? pw->pw_name : NULL;

	subids_helpers_check();
	subids_range("/etc/subuid", "uid", uid, name, u);
	subids_range("/etc/subgid", "gid", gid, name, g);
}

/* helper PID IN HOST COUNT...: one triple a range. */
static void subids_run(const char *helper, pid_t pid, const struct id_map *m)
{
	char num[1 + 3 * IDMAP_MAX][12];
	char *argv[3 + 3 * IDMAP_MAX] = { (char *)helper, num[0] };
	pid_t p;
	int st;

	snprintf(num[0], sizeof(num[0]), "%d", pid);
	for (unsigned i = 0; i < m->n; i++) {
		uint32_t v[3] = { m->r[i].in, m->r[i].host, m->r[i].count };

		for (unsigned k = 0; k < 3; k++) {
			snprintf(num[1 + 3 * i + k], sizeof(num[0]), "%u",
				 v[k]);
			argv[2 + 3 * i + k] = num[1 + 3 * i + k];
		}
	}
	p = fork();
	if (p < 0)
		die_errno("fork %s", helper);
	if (p == 0) {
		execv(helper, argv);
		_exit(127);
	}
	while (waitpid(p, &st, 0) < 0)
		if (errno != EINTR)
			die_errno("wait %s", helper);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		die("%s failed (status %d): ranges not in /etc/subuid, "
		    "/etc/subgid?",
		    helper, st);
}

void subids_map(pid_t pid, const struct id_map *u, const struct id_map *g)
{
	die_step = "userns";
	subids_run(NEWUIDMAP, pid, u);
	subids_run(NEWGIDMAP, pid, g);
}
