// SPDX-License-Identifier: MIT
/*
 * The sandbox's cgroup: where it goes, its creation and its removal. The
 * hierarchies come from /proc/self/mountinfo and our own place in each from
 * /proc/self/cgroup; every directory is made below our own cgroup (or
 * --cgroup-parent) and no file of a hierarchy's root is ever written. v2
 * holds the sandbox when it is mounted (clone3 places the child there, and
 * cgroup.kill reaches every process); each wanted controller the v2 tree
 * lacks comes from its v1 hierarchy (hybrid hosts). Each directory stays
 * flock()ed while its monitor lives, which is how a later run tells a
 * stale `nucleus-*` cgroup (monitor SIGKILLed) from a live one.
 */
#include "host/cgroup.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Arrays of chars, not pointers: read-only data with no relocation. */
static const char ctrl_v1[CG_NCTRL][8] = { "memory", "pids", "cpu", "cpuset",
					   "blkio" };
static const char ctrl_v2[CG_NCTRL][8] = { "memory", "pids", "cpu", "cpuset",
					   "io" };

int cg_write(int dfd, const char *file, const char *val)
{
	int fd = openat(dfd, file, O_WRONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	r = write_all(fd, val, strlen(val));
	close(fd);
	return r;
}

int cg_read(int dfd, const char *file, char *buf, size_t len)
{
	int fd = openat(dfd, file, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

int64_t cg_key(int dfd, const char *file, const char *key)
{
	char buf[2048];
	size_t k = strlen(key);

	if (cg_read(dfd, file, buf, sizeof(buf)) < 0)
		return -1;
	for (char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (!strncmp(l, key, k) && l[k] == ' ')
			return strtoll(l + k + 1, NULL, 10);
	return -1;
}

/* Is tok one of the comma- or space-separated words of list? */
static int has_word(const char *list, const char *tok)
{
	size_t n = strlen(tok);

	for (const char *p = list; (p = strstr(p, tok)); p += n)
		if ((p == list || p[-1] == ',' || p[-1] == ' ') &&
		    (!p[n] || p[n] == ',' || p[n] == ' ' || p[n] == '\n'))
			return 1;
	return 0;
}

/* One mountinfo line: cgroup2 goes to v2, each v1 controller to v1[c]. */
static void cg_mountinfo_line(char *line, struct cg_hier *v2,
			      struct cg_hier *v1)
{
	char *f[5], *sep = strstr(line, " - "), *type, *opts, *save = NULL;

	if (!sep)
		return;
	*sep = '\0';
	for (int i = 0; i < 5; i++)
		if (!(f[i] = strtok_r(i ? NULL : line, " ", &save)))
			return;
	type = strtok_r(sep + 3, " ", &save);
	(void)strtok_r(NULL, " ", &save); /* source */
	opts = strtok_r(NULL, " \n", &save);
	/* A mount point with an escaped space or tab is not worth parsing. */
	if (!type || !opts || strchr(f[4], '\\'))
		return;
	if (!strcmp(type, "cgroup2") && !v2->mount[0]) {
		snprintf(v2->mount, sizeof(v2->mount), "%s", f[4]);
		snprintf(v2->mroot, sizeof(v2->mroot), "%s", f[3]);
	}
	for (int c = 0; !strcmp(type, "cgroup") && c < CG_NCTRL; c++)
		if (has_word(opts, ctrl_v1[c]) && !v1[c].mount[0]) {
			snprintf(v1[c].mount, sizeof(v1[c].mount), "%s", f[4]);
			snprintf(v1[c].mroot, sizeof(v1[c].mroot), "%s", f[3]);
		}
}

/* Fills mount, mroot and (as our own cgroup path) parent of each. */
static void cg_discover(struct cg_hier *v2, struct cg_hier *v1)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, *ctrls, *path;
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0)
		cg_mountinfo_line(line, v2, v1);
	if (f)
		fclose(f);
	f = fopen("/proc/self/cgroup", "re");
	while (f && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (!(ctrls = strchr(line, ':')) ||
		    !(path = strchr(++ctrls, ':')))
			continue;
		*path++ = '\0';
		if (!*ctrls && !strcmp(line, "0:"))
			snprintf(v2->parent, sizeof(v2->parent), "%s", path);
		for (int c = 0; c < CG_NCTRL; c++)
			if (has_word(ctrls, ctrl_v1[c]))
				snprintf(v1[c].parent, sizeof(v1[c].parent),
					 "%s", path);
	}
	if (f)
		fclose(f);
	free(line);
}

/* h->parent (our own cgroup path) becomes the directory to create in:
 * --cgroup-parent, absolute or relative to our own, below the mount. */
static int cg_resolve(struct cg_hier *h, const char *cp)
{
	char path[sizeof(h->parent) + NUCLEUS_MAX_VALUE + 2];
	const char *rel = path;
	size_t r = strlen(h->mroot);

	if (cp && cp[0] == '/')
		snprintf(path, sizeof(path), "%s", cp);
	else if (cp)
		snprintf(path, sizeof(path), "%s/%s",
			 strcmp(h->parent, "/") ? h->parent : "", cp);
	else
		snprintf(path, sizeof(path), "%s", h->parent);
	if (strcmp(h->mroot, "/") != 0) {
		/* A bind of a subtree: only what lies below its root. */
		if (strncmp(path, h->mroot, r) || (path[r] && path[r] != '/'))
			return -1;
		rel = path + r;
	}
	if (!strcmp(rel, "/"))
		rel = "";
	h->is_root = !*rel;
	if ((size_t)snprintf(h->parent, sizeof(h->parent), "%s%s", h->mount,
			     rel) >= sizeof(h->parent))
		return -1;
	return 0;
}

/* Opens h's parent; a missing --cgroup-parent is the caller's mistake. */
static int cg_open_parent(struct cg_hier *h, const char *cp, const char *what)
{
	if (!h->mount[0] || h->parent[0] != '/')
		return -1; /* not mounted, or we are not in it */
	if (cg_resolve(h, cp) < 0) {
		if (!cp)
			return -1;
		die_step = "args";
		die("--cgroup-parent: '%s' is too long or outside the %s mount",
		    cp, what);
	}
	h->pfd = open(h->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (h->pfd < 0 && cp && errno == ENOENT) {
		die_step = "args";
		die("--cgroup-parent: '%s' does not exist in the %s hierarchy "
		    "(%s)",
		    cp, what, h->parent);
	}
	return h->pfd < 0 ? -1 : 0;
}

static struct cg_hier *cg_add(struct cgroup_set *cg, const struct cg_hier *h)
{
	cg->hier[cg->n_hier] = *h;
	return &cg->hier[cg->n_hier++];
}

/* Which hierarchy carries each wanted controller: v2 when its parent can
 * hand the controller down, else the controller's own v1 hierarchy. */
static void cg_plan(struct cgroup_set *cg, const struct config *cfg,
		    unsigned wanted)
{
	struct cg_hier v2, v1[CG_NCTRL], *hier = cg->hier;
	const char *cp = cfg->res.cgroup_parent;
	char sub[256] = "", avail[256] = "";

	v2 = (struct cg_hier){ .v2 = 1, .pfd = -1, .fd = -1 };
	for (int c = 0; c < CG_NCTRL; c++)
		v1[c] = (struct cg_hier){ .pfd = -1, .fd = -1 };
	cg_discover(&v2, v1);
	if (cg_open_parent(&v2, cp, "cgroup2") == 0) {
		(void)cg_read(v2.pfd, "cgroup.subtree_control", sub,
			      sizeof(sub));
		(void)cg_read(v2.pfd, "cgroup.controllers", avail,
			      sizeof(avail));
		for (int c = 0; c < CG_NCTRL; c++)
			if ((wanted & CG_BIT(c)) &&
			    (has_word(sub, ctrl_v2[c]) ||
			     (!v2.is_root && has_word(avail, ctrl_v2[c]))))
				v2.ctrls |= CG_BIT(c);
		cg_add(cg, &v2);
	}
	for (int c = 0; c < CG_NCTRL; c++) {
		unsigned i;

		if (!(wanted & CG_BIT(c) & ~v2.ctrls) || !v1[c].mount[0])
			continue;
		/* cpu,cpuacct and the like share one mount: one directory. */
		for (i = 0; i < cg->n_hier; i++)
			if (!hier[i].v2 && !strcmp(hier[i].mount, v1[c].mount))
				break;
		if (i < cg->n_hier)
			hier[i].ctrls |= CG_BIT(c);
		else if (cg_open_parent(&v1[c], cp, ctrl_v1[c]) == 0)
			cg_add(cg, &v1[c])->ctrls = CG_BIT(c);
	}
}

/* v2's "populated" read through efd, the cgroup.events fd polled: a
 * read is also what re-arms its POLLPRI (kernfs: until the last event is
 * read, poll returns at once). */
static int cg_populated(int efd)
{
	char buf[128], *p;
	ssize_t n = pread(efd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "populated ");
	return p ? atoi(p + 10) : -1;
}

/* Empties a directory of a dead or finished sandbox: kill, then wait until
 * no process is left, by the clock (a poll woken by each event is no
 * measure of time), at most budget_ms. 0 when empty. */
static int cg_drain(int fd, int v2, int budget_ms)
{
	char buf[64];
	uint64_t now = now_ms(), end = now + (uint64_t)budget_ms;
	struct timespec pause = { 0, 1000000 };
	int efd = v2 ? openat(fd, "cgroup.events", O_RDONLY | O_CLOEXEC) : -1;
	int r = -1;

	for (;; now = now_ms()) {
		if (efd >= 0 ? cg_populated(efd) == 0
			     : cg_read(fd, "cgroup.procs", buf, sizeof(buf)) ==
				       0) {
			r = 0;
			break;
		}
		if (!v2 || cg_write(fd, "cgroup.kill", "1") < 0) {
			char procs[4096];

			if (cg_read(fd, "cgroup.procs", procs, sizeof(procs)) <
			    0)
				break;
			for (char *p = procs; *p; p += strcspn(p, "\n") + !!*p)
				if (atoi(p) > 0)
					(void)kill(atoi(p), SIGKILL);
		}
		if (now >= end)
			break;
		if (efd >= 0) {
			struct pollfd p = { .fd = efd, .events = POLLPRI };

			/* The kernel signals POLLPRI when populated changes. */
			(void)poll(&p, 1,
				   end - now < 10 ? (int)(end - now) : 10);
			continue;
		}
		nanosleep(&pause, NULL);
		if (pause.tv_nsec < 16000000)
			pause.tv_nsec *= 2;
	}
	if (efd >= 0)
		close(efd);
	return r;
}

/* Removes name below pfd if it is stale: unlocked (a live monitor holds
 * its directory's flock) and empty. Never kills: a directory that is not
 * ours (a unit named nucleus-web.service below --cgroup-parent) is left
 * alone as long as anything runs in it, and rmdir refuses one with
 * children. */
static int cg_reap_one(int pfd, const char *name, int v2)
{
	int fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = -1;
	char procs[8];

	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0 &&
	    (v2 ? cg_key(fd, "cgroup.events", "populated") == 0
		: cg_read(fd, "cgroup.procs", procs, sizeof(procs)) == 0))
		r = unlinkat(pfd, name, AT_REMOVEDIR);
	close(fd);
	return r;
}

/* Every stale `nucleus-*` cgroup below pfd (a monitor SIGKILLed: its
 * sandbox died with it, through PR_SET_PDEATHSIG and the pid namespace). */
static void cg_reap(int pfd, int v2)
{
	int dfd = fcntl(pfd, F_DUPFD_CLOEXEC, 0);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *e;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "nucleus-", 8) && e->d_type == DT_DIR)
			(void)cg_reap_one(pfd, e->d_name, v2);
	closedir(d);
}

/* mkdir + flock; a reaper may remove the fresh directory before we hold
 * its lock, so check it still exists and make it again if not. A stale
 * directory of the same name (--name of a SIGKILLed run) is reaped. */
static int cg_mkdir(struct cg_hier *h, const char *name)
{
	for (int tries = 0; tries < 4; tries++) {
		int r = mkdirat(h->pfd, name, 0755) < 0 ? -errno : 0;

		if (r == -EEXIST && cg_reap_one(h->pfd, name, h->v2) == 0)
			r = mkdirat(h->pfd, name, 0755) < 0 ? -errno : 0;
		if (r < 0)
			return r;
		h->fd = openat(h->pfd, name,
			       O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (h->fd >= 0 && flock(h->fd, LOCK_EX) == 0 &&
		    faccessat(h->fd, "cgroup.procs", F_OK, 0) == 0) {
			snprintf(h->dir, sizeof(h->dir), "%s/%s", h->parent,
				 name);
			h->made = 1;
			return 0;
		}
		close_fdp(&h->fd);
	}
	return -EAGAIN;
}

/* v2: hands our controllers down from the parent, never at the root, in
 * one write: the kernel takes all or none, and a parent holding processes
 * (EBUSY, the no-internal-processes rule) must not end up with half of
 * them, which would keep any process out of its children. */
static void cg_enable(struct cg_hier *h, int *why)
{
	char sub[256] = "", plus[128] = "";
	unsigned add = 0;
	int r;

	(void)cg_read(h->pfd, "cgroup.subtree_control", sub, sizeof(sub));
	for (int c = 0; c < CG_NCTRL; c++)
		if ((h->ctrls & CG_BIT(c)) && !has_word(sub, ctrl_v2[c])) {
			snprintf(plus + strlen(plus),
				 sizeof(plus) - strlen(plus), "%s+%s",
				 *plus ? " " : "", ctrl_v2[c]);
			add |= CG_BIT(c);
		}
	if (!add)
		return;
	r = h->is_root ? -EPERM
		       : cg_write(h->pfd, "cgroup.subtree_control", plus);
	if (r < 0) {
		*why = -r;
		h->ctrls &= ~add;
	}
}

static void cg_pick_name(struct cgroup_set *cg, const struct config *cfg)
{
	unsigned char r[8];

	if (cfg->res.name) {
		snprintf(cg->name, sizeof(cg->name), "nucleus-%s",
			 cfg->res.name);
		return;
	}
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		die_errno("getrandom");
	snprintf(cg->name, sizeof(cg->name),
		 "nucleus-%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2],
		 r[3], r[4], r[5], r[6], r[7]);
}

/* Makes every planned directory; a hierarchy we may not write is dropped
 * (rootless without delegation), and what it carried is not enforced. */
static void cg_make_dirs(struct cgroup_set *cg, const struct config *cfg)
{
	const char *cg_name = cg->name;

	for (unsigned i = 0; i < cg->n_hier; i++) {
		struct cg_hier *h = &cg->hier[i];
		int r;

		if (h->v2)
			cg_enable(h, &cg->why);
		r = cg_mkdir(h, cg_name);
		if (r == -EEXIST && cfg->res.name)
			die("--name '%s': a sandbox of that name is running "
			    "(%s/%s exists)",
			    cfg->res.name, h->parent, cg_name);
		if (r < 0 && r != -EACCES && r != -EPERM && r != -EROFS)
			die("mkdir %s/%s: %s", h->parent, cg_name,
			    strerror(-r));
		if (r < 0) {
			cg->why = -r;
			h->ctrls = 0;
		}
	}
}

static unsigned cg_requested(const struct res_config *r)
{
	return (r->memory || r->memory_high ? U_MEMORY : 0) |
	       (r->has_memory_swap ? U_SWAP : 0) | (r->has_pids ? U_PIDS : 0) |
	       (r->cpus_milli ? U_CPUS : 0) | (r->cpu_weight ? U_WEIGHT : 0) |
	       (r->cpuset ? U_CPUSET : 0) | (r->n_io ? U_IO : 0);
}

/* The controller each U_* item needs. */
static unsigned cg_item_ctrls(unsigned items)
{
	return (items & (U_MEMORY | U_SWAP) ? CG_BIT(CG_MEMORY) : 0) |
	       (items & U_PIDS ? CG_BIT(CG_PIDS) : 0) |
	       (items & (U_CPUS | U_WEIGHT) ? CG_BIT(CG_CPU) : 0) |
	       (items & U_CPUSET ? CG_BIT(CG_CPUSET) : 0) |
	       (items & U_IO ? CG_BIT(CG_IO) : 0);
}

/* Agent: one warning naming every flag left out; production: exit 125. */
static void cg_report_unenforced(const struct cgroup_set *cg,
				 const struct config *cfg)
{
	char flags[160] = "";
	int e = cg->why;
	const char *why =
		e == EACCES || e == EPERM || e == EROFS
			? "no write access to the cgroup tree (rootless? "
			  "--cgroup-parent a delegated cgroup)"
		: e == EBUSY ? "the parent cgroup holds processes; "
			       "--cgroup-parent an empty one"
			     : "this host has no such controller";

	if (!cg->unenforced)
		return;
	for (int i = 0; i < U_NITEMS; i++)
		if (cg->unenforced & (1u << i))
			snprintf(flags + strlen(flags),
				 sizeof(flags) - strlen(flags), "%s%s",
				 *flags ? ", " : "", cg_item_flag(i));
	if (cfg->mode == MODE_PRODUCTION)
		die("cannot enforce %s: %s", flags, why);
	warnx("not enforced: %s: %s", flags, why);
}

int cgroup_create(struct cgroup_set *cg, const struct config *cfg)
{
	unsigned req = cg_requested(&cfg->res), have = 0;
	struct cg_hier *hier = cg->hier;

	die_step = "cgroup";
	*cg = (struct cgroup_set){ .pids_written = -1 };
	cg_plan(cg, cfg,
		CG_BIT(CG_MEMORY) | CG_BIT(CG_PIDS) | cg_item_ctrls(req));
	cg_pick_name(cg, cfg);
	cg_make_dirs(cg, cfg);
	for (unsigned i = 0; i < cg->n_hier; i++)
		if (hier[i].fd >= 0)
			have |= hier[i].ctrls;
	cg->unenforced = req & ~0u;
	for (int i = 0; i < U_NITEMS; i++)
		if (!(cg_item_ctrls(1u << i) & ~have))
			cg->unenforced &= ~(1u << i);
	for (unsigned i = 0; i < cg->n_hier; i++)
		if (hier[i].fd >= 0)
			cg_limits(cg, cfg, &hier[i]);
	cg->unenforced &= req;
	cg_report_unenforced(cg, cfg);
	for (unsigned i = 0; i < cg->n_hier; i++)
		if (hier[i].v2 && hier[i].fd >= 0)
			return hier[i].fd;
	return -1;
}

void cgroup_attach(const struct cgroup_set *cg, pid_t pid)
{
	const struct cg_hier *hier = cg->hier;
	char s[16], procs[32];

	die_step = "cgroup";
	snprintf(s, sizeof(s), "%d\n", (int)pid);
	for (unsigned i = 0; i < cg->n_hier; i++) {
		int r = 0;

		if (hier[i].fd < 0)
			continue;
		/* Placed by clone3 already: a write would only cost a lock. */
		if (hier[i].v2 &&
		    cg_read(hier[i].fd, "cgroup.procs", procs, sizeof(procs)) >
			    0 &&
		    !strcmp(procs, s))
			continue;
		r = cg_write(hier[i].fd, "cgroup.procs", s);
		if (r < 0) {
			errno = -r;
			die_errno("attach pid %d to %s", (int)pid, hier[i].dir);
		}
	}
}

/* One line of /proc/PID/cgroup: dir gets that cgroup's directory as the
 * hierarchy is mounted here; its index (v1 controller, CG_NCTRL for v2),
 * or -1 for a hierarchy nucleus does not manage, or its root. */
static int cg_line(char *line, struct cg_hier *v2, struct cg_hier *v1,
		   char *dir, size_t len)
{
	char *ctrls = strchr(line, ':'), *cp;
	struct cg_hier *h;
	int c = 0;
	size_t r;

	if (!ctrls || !(cp = strchr(++ctrls, ':')))
		return -1;
	*cp++ = '\0';
	cp[strcspn(cp, "\n")] = '\0';
	while (*ctrls && c < CG_NCTRL && !has_word(ctrls, ctrl_v1[c]))
		c++;
	if (c == CG_NCTRL)
		return -1;
	h = *ctrls ? &v1[c] : v2;
	c = *ctrls ? c : CG_NCTRL;
	if (!h->mount[0])
		return -1;
	r = strcmp(h->mroot, "/") ? strlen(h->mroot) : 0;
	if (strncmp(cp, h->mroot, r) || (cp[r] && cp[r] != '/'))
		die("the container's cgroup '%s' is outside the %s mount", cp,
		    h->mount);
	snprintf(dir, len, "%s%s", h->mount, cp + r);
	return cp[r] && cp[r + 1] ? c : -1;
}

int cgroup_dirs(pid_t pid, int own, int fd[CG_NCTRL + 1])
{
	struct cg_hier v2 = { 0 }, v1[CG_NCTRL];
	char path[40], dir[1400], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int c, r = 0;

	memset(v1, 0, sizeof(v1));
	for (c = 0; c <= CG_NCTRL; c++)
		fd[c] = -1;
	cg_discover(&v2, v1);
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (!(f = fopen(path, "re")))
		return -1;
	while (getline(&line, &cap, f) > 0)
		if ((c = cg_line(line, &v2, v1, dir, sizeof(dir))) >= 0 &&
		    (!own || !strncmp(strrchr(dir, '/'), "/nucleus-", 9)) &&
		    (fd[c] = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			r = -1;
	fclose(f);
	free(line);
	return r;
}

void cgroup_join(pid_t pid)
{
	int fd[CG_NCTRL + 1], e;

	die_step = "cgroup";
	e = cgroup_dirs(pid, 0, fd) < 0 ? -errno : 0;
	for (int c = 0; c <= CG_NCTRL && !e; c++)
		e = fd[c] < 0 ? 0 : cg_write(fd[c], "cgroup.procs", "0");
	if (e < 0) {
		errno = -e;
		die_errno("exec: join the container's cgroups");
	}
}

void cgroup_kill(const struct cgroup_set *cg)
{
	const struct cg_hier *hier = cg->hier;

	for (unsigned i = 0; i < cg->n_hier; i++)
		if (hier[i].v2 && hier[i].fd >= 0 &&
		    cg_write(hier[i].fd, "cgroup.kill", "1") == 0)
			return;
	/* No cgroup.kill: one by one from v1 (cg_drain repeats it). */
	for (unsigned i = 0; i < cg->n_hier; i++)
		if (hier[i].fd >= 0) {
			(void)cg_drain(hier[i].fd, 0, 0);
			return;
		}
}

/* EBUSY until the kernel has let go of the last exited member, which on
 * a loaded machine (v1 releases asynchronously) takes more than a few
 * tries: retried for up to 2 s, by the clock. */
static void cg_rmdir(const struct cg_hier *h, const char *name)
{
	struct timespec ms = { 0, 1000000 };
	uint64_t end = now_ms() + 2000;
	int r;

	while ((r = unlinkat(h->pfd, name, AT_REMOVEDIR)) < 0 &&
	       errno == EBUSY && now_ms() < end)
		nanosleep(&ms, NULL);
	if (r < 0)
		warnx("cannot remove %s: %s", h->dir, strerror(errno));
}

void cgroup_destroy(struct cgroup_set *cg, struct cgroup_stats *st)
{
	struct cg_hier *hier = cg->hier;
	unsigned n = cg->n_hier;

	if (st)
		*st = (struct cgroup_stats){ -1, -1, -1, -1, -1, -1 };
	if (cg->done)
		return;
	cg->done = 1;
	for (unsigned i = 0; i < n; i++)
		if (hier[i].fd >= 0 && cg_drain(hier[i].fd, hier[i].v2, 5000))
			warnx("%s: processes survived SIGKILL", hier[i].dir);
	for (unsigned i = 0; st && i < n; i++)
		if (hier[i].fd >= 0)
			cg_stats(&hier[i], st);
	/* v2 last: a v1 directory is never left without its v2 twin. */
	for (unsigned i = n; i-- > 0;) {
		if (hier[i].fd >= 0)
			cg_rmdir(&hier[i], cg->name);
		close_fdp(&hier[i].fd);
	}
	/* Off the startup path: what SIGKILLed monitors left behind. */
	for (unsigned i = 0; i < n; i++) {
		if (faccessat(hier[i].pfd, ".", W_OK, AT_EACCESS) == 0)
			cg_reap(hier[i].pfd, hier[i].v2);
		close_fdp(&hier[i].pfd);
	}
}

static const char *cg_hier_name(const struct cg_hier *h)
{
	for (int c = 0; !h->v2 && c < CG_NCTRL; c++)
		if (h->ctrls & CG_BIT(c))
			return ctrl_v1[c];
	return h->v2 ? "v2" : "v1";
}

void cgroup_describe(const struct cgroup_set *cg, const struct config *cfg,
		     struct json *j)
{
	int any = 0;

	for (unsigned i = 0; cg && i < cg->n_hier; i++)
		any |= cg->hier[i].made;
	if (!any) {
		json_raw(j, "cgroup", "null");
		return;
	}
	json_begin(j, "cgroup");
	json_str(j, "name", cg->name);
	json_begin(j, "dirs");
	for (unsigned i = 0; i < cg->n_hier; i++)
		if (cg->hier[i].made)
			json_str(j, cg_hier_name(&cg->hier[i]),
				 cg->hier[i].dir);
	json_close(j);
	cg_describe_limits(cg, cfg, j);
	json_close(j);
}
