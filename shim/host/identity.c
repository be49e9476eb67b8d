// SPDX-License-Identifier: MIT
/*
 * Identity: as root without --userns, the sandbox keeps real ids (then loses
 * every capability in confine); otherwise a user namespace maps one id, the
 * caller's, onto the inside uid (0, or --user's), or the ranges of
 * --uid-map/--gid-map or --map-subids, never host id 0. The environment starts
 * minimal (PATH, HOME, TERM) or empty, then --setenv/--env/--unsetenv/
 * --env-file apply in argv order. setsid() by default: the workload has no
 * controlling terminal to inject keystrokes into (CVE-2017-5226).
 */
#include "host/identity.h"
#include "lib/mountapi.h"
#include "host/report.h"
#include "lib/subids.h"
#include "host/tier.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>
#include <linux/capability.h>

#define DEFAULT_PATH                                                           \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define ENV_FILE_MAX (1 << 20)
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static void identity_keep_caps(void);

/* A root caller's user namespace never maps the host's root: the
 * sandbox's ids stand for the overflow id "nobody" (or, with
 * --map-subids, root's subordinate range), so nothing of the host is the
 * workload's own and no capability inside reaches a host file. */
#define HOST_NOBODY 65534

int identity_switches(const struct config *cfg, const struct identity *id)
{
	return !id->userns || cfg->fs.map_subids || cfg->fs.uid_map.n;
}

void identity_die_with_parent(const struct config *cfg)
{
	pid_t parent = getppid();

	if (!cfg->fs.die_with_parent)
		return;
	die_step = "die-with-parent";
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die_errno("PR_SET_PDEATHSIG");
	/* The parent may have died before the prctl: then no signal comes. */
	if (getppid() != parent)
		die("the parent is already gone");
}

/* FILE of the sandbox's own /etc: the image's with --rootfs (resolved
 * inside it: an image's symlink cannot point at the host's), else the
 * host's, which the default root binds. A regular file under 1 MiB, never
 * a FIFO that would block; NULL when there is none. */
static char *identity_etc_read(const struct config *cfg, const char *file)
{
	const uint64_t in_root = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	const char *dir = cfg->fs.rootfs ? cfg->fs.rootfs : "/";
	cleanup_fd int root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	cleanup_fd int fd = -1;
	struct stat st;

	if (root < 0)
		die_errno("'%s'", dir);
	fd = sys_openat2(root, file, O_PATH | O_CLOEXEC, in_root);
	if (fd < 0 && errno == ENOENT)
		return NULL;
	close_fdp(&fd);
	fd = host_input_openat2(root, file, 0, in_root, "--user/--groups",
				ENV_FILE_MAX, &st);
	return host_input_slurp(fd, file, "--user/--groups", ENV_FILE_MAX,
				NULL);
}

/* The entry of a passwd or group text whose field 0 (name) or field
 * `idf` (number) is key: its numeric fields idf and idf+1 (uid and
 * primary gid for passwd; gid for group). 0 when found. */
static int identity_etc_find(const char *text, const char *name, uint32_t id,
			     unsigned idf, uint32_t out[2])
{
	for (const char *l = text, *next; l && *l; l = next) {
		const char *f[5] = { l };
		unsigned n = 1;
		unsigned long v, v2;
		char *end;

		next = strchr(l, '\n');
		next = next ? next + 1 : NULL;
		while (n < 5 && (f[n] = strpbrk(f[n - 1], ":\n")) &&
		       *f[n] == ':') {
			f[n]++;
			n++;
		}
		if (n <= idf)
			continue;
		v = strtoul(f[idf], &end, 10);
		v2 = n > idf + 1 ? strtoul(f[idf + 1], NULL, 10) : 0;
		if (end == f[idf] || (*end != ':' && *end != '\n' && *end) ||
		    v >= UINT32_MAX)
			continue;
		if (name ? (strlen(name) == (size_t)(f[1] - 1 - l) &&
			    !memcmp(l, name, strlen(name)))
			 : v == id) {
			out[0] = (uint32_t)v;
			out[1] = (uint32_t)v2;
			return 0;
		}
	}
	return -1;
}

void identity_resolve(struct config *cfg)
{
	struct fs_config *fs = &cfg->fs;
	cleanup_free char *passwd = NULL, *group = NULL;
	const char *where = fs->rootfs ? "the image's /etc" : "/etc";
	int want_group = fs->group_name[0] != '\0';
	uint32_t got[2];

	for (unsigned i = 0; i < fs->n_groups; i++)
		want_group |= fs->group_names[i][0] != '\0';
	if (!fs->has_uid && !want_group)
		return;
	die_step = "identity";
	if (fs->has_uid && (fs->user_name[0] || !fs->has_gid))
		passwd = identity_etc_read(cfg, "etc/passwd");
	if (want_group)
		group = identity_etc_read(cfg, "etc/group");
	if (fs->user_name[0]) {
		if (!passwd ||
		    identity_etc_find(passwd, fs->user_name, 0, 2, got) < 0)
			die("--user: no user '%s' in %s/passwd", fs->user_name,
			    where);
		fs->uid = got[0];
	} else if (fs->has_uid && !fs->has_gid &&
		   (!passwd ||
		    identity_etc_find(passwd, NULL, fs->uid, 2, got) < 0)) {
		got[1] = fs->uid; /* no entry: the group of the same number */
	}
	/* Never root's group for another user by default: a passwd entry
	 * with primary group 0 gets the uid's own number instead. */
	if (fs->has_uid && !fs->has_gid) {
		fs->gid = got[1] == 0 && fs->uid != 0 ? fs->uid : got[1];
		fs->has_gid = 1;
	}
	if (fs->group_name[0]) {
		if (!group ||
		    identity_etc_find(group, fs->group_name, 0, 2, got) < 0)
			die("--user: no group '%s' in %s/group", fs->group_name,
			    where);
		fs->gid = got[0];
	}
	for (unsigned i = 0; i < fs->n_groups; i++) {
		if (!fs->group_names[i][0])
			continue;
		if (!group ||
		    identity_etc_find(group, fs->group_names[i], 0, 2, got) < 0)
			die("--groups: no group '%s' in %s/group",
			    fs->group_names[i], where);
		fs->groups[i] = got[0];
	}
}

void identity_die_with_parent_again(const struct config *cfg)
{
	die_step = "die-with-parent";
	if (cfg->fs.die_with_parent && prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die_errno("PR_SET_PDEATHSIG");
}

static int idmap_has(const struct id_map *m, uint32_t id)
{
	for (unsigned i = 0; i < m->n; i++)
		if (id - m->r[i].in < m->r[i].count)
			return 1;
	return 0;
}

/* The maps of the user namespace: --uid-map/--gid-map's, --map-subids's,
 * or one id at the sandbox's own: the caller's, or nobody for a root
 * caller. Every id the workload takes must be in them. */
static void identity_maps(const struct config *cfg, struct identity *id)
{
	const struct fs_config *fs = &cfg->fs;
	uint32_t in_uid = fs->has_uid ? fs->uid : 0;
	uint32_t in_gid = fs->has_gid ? fs->gid : in_uid;
	uint32_t u = id->root_caller ? HOST_NOBODY : getuid();
	uint32_t g = id->root_caller ? HOST_NOBODY : getgid();

	id->uid_map.r[0] = (struct id_range){ in_uid, u, 1 };
	id->gid_map.r[0] = (struct id_range){ in_gid, g, 1 };
	id->uid_map.n = id->gid_map.n = 1;
	id->newidmap = fs->map_subids || (fs->uid_map.n && !id->root_caller);
	if (fs->map_subids)
		subids_check(getuid(), getgid(), &id->uid_map, &id->gid_map);
	if (fs->uid_map.n) {
		id->uid_map = fs->uid_map;
		id->gid_map = fs->gid_map;
		if (id->newidmap)
			subids_helpers_check();
	}
	die_step = "identity";
	for (unsigned i = 0; i <= fs->n_groups; i++) {
		uint32_t gid = i ? fs->groups[i - 1] : in_gid;

		if (!idmap_has(&id->uid_map, in_uid) ||
		    !idmap_has(&id->gid_map, gid))
			die("--user/--groups: uid %u or gid %u not in the maps",
			    in_uid, gid);
	}
}

void identity_check(const struct config *cfg, struct identity *id)
{
	die_step = "identity";
	id->root_caller = geteuid() == 0;
	id->userns = cfg->fs.userns || cfg->fs.map_subids || !id->root_caller;
	if (!identity_switches(cfg, id) && cfg->fs.has_groups)
		die("--groups: a user namespace cannot set groups "
		    "(setgroups is denied); needs root without --userns");
	if (id->userns)
		identity_maps(cfg, id);
	for (unsigned i = 0; i < cfg->fs.n_keep_fds; i++)
		if (fcntl(cfg->fs.keep_fds[i], F_GETFD) < 0)
			die_errno("--keep-fd %d", cfg->fs.keep_fds[i]);
	if (!getcwd(id->cwd, sizeof(id->cwd)))
		id->cwd[0] = '\0';
}

static void identity_write_map(pid_t pid, const char *file,
			       const struct id_map *m)
{
	char path[64], text[IDMAP_MAX * 36];
	size_t n = 0;

	for (unsigned i = 0; i < m->n; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%u %u %u\n",
				      m->r[i].in, m->r[i].host, m->r[i].count);
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	if ((errno = -write_proc(path, text)))
		die_errno("write %s", path);
}

void identity_write_maps(const struct identity *id, pid_t pid)
{
	char path[64];

	if (id->newidmap) {
		subids_map(pid, &id->uid_map, &id->gid_map);
		return;
	}
	die_step = "userns";
	/* A root caller's child drops root's groups itself (identity_enter);
	 * anyone else's keeps its caller's, and may never drop them. */
	snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
	if (!id->root_caller && (errno = -write_proc(path, "deny")))
		die_errno("write %s", path);
	identity_write_map(pid, "uid_map", &id->uid_map);
	identity_write_map(pid, "gid_map", &id->gid_map);
}

/* Child of a root caller, in its user namespace, before the mounts: the
 * host's root (the id it was cloned with) is not mapped there, so it
 * takes the id the map gives it before it creates a file. From here on
 * the host's files are read with that unprivileged id's rights. So does
 * the child of any caller whose own id --uid-map may leave unmapped, and
 * a process that `exec` brought into the namespace (identity_apply). */
void identity_enter(const struct config *cfg, const struct identity *id)
{
	unsigned in_uid = cfg->fs.has_uid ? cfg->fs.uid : 0;
	unsigned in_gid = cfg->fs.has_gid ? cfg->fs.gid : in_uid;

	if (!id->userns || (!id->root_caller && !cfg->fs.uid_map.n))
		return;
	die_step = "identity";
	if (cfg->fs.map_subids) /* --user comes later, inside the range */
		in_uid = in_gid = 0;
	/* Not root: newgidmap may have denied setgroups (a map of the
	 * caller's own gid only); its groups are its own anyway. */
	if (setgroups(0, NULL) < 0 && (id->root_caller || errno != EPERM))
		die_errno("drop root's groups");
	if (setresgid(in_gid, in_gid, in_gid) < 0)
		die_errno("setresgid %u", in_gid);
	if (prctl(PR_SET_KEEPCAPS, 1) < 0 ||
	    setresuid(in_uid, in_uid, in_uid) < 0)
		die_errno("setresuid %u", in_uid);
	identity_keep_caps();
}

char *identity_env_read(const char *file)
{
	return host_input_read(file, "--env-file", ENV_FILE_MAX, NULL);
}

char **identity_load_env(const struct config *cfg)
{
	char **files = calloc(cfg->fs.n_env + 1, sizeof(*files));

	die_step = "env";
	if (!files)
		die_errno("calloc");
	for (unsigned i = 0; i < cfg->fs.n_env; i++)
		if (cfg->fs.env[i].kind == ENV_FILE)
			files[i] = identity_env_read(cfg->fs.env[i].key);
	return files;
}

static void env_set(const char *key, size_t klen, const char *value)
{
	char name[256];

	if (klen == 0 || klen >= sizeof(name))
		die("variable name of %zu bytes", klen);
	memcpy(name, key, klen);
	name[klen] = '\0';
	if (setenv(name, value, 1) < 0)
		die_errno("setenv '%s'", name);
}

void identity_env_parse(const char *file, char *text,
			void (*put)(void *arg, const char *key, size_t klen,
				    const char *value),
			void *arg)
{
	unsigned line = 0;

	for (char *l = text, *next; l && *l; l = next) {
		char *eq;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		line++;
		l += strspn(l, " \t");
		if (!*l || *l == '#')
			continue;
		eq = strchr(l, '=');
		if (!eq || !env_name_ok(l, (size_t)(eq - l)))
			die("--env-file %s:%u: not KEY=VALUE", file, line);
		put(arg, l, (size_t)(eq - l), eq + 1);
	}
}

static void env_put(void *arg, const char *key, size_t klen, const char *value)
{
	(void)arg;
	env_set(key, klen, value);
}

static void env_apply(const struct config *cfg, char *const *files)
{
	const char *t = getenv("TERM");
	char term[64] = "";

	die_step = "env";
	if (t)
		snprintf(term, sizeof(term), "%s", t);
	clearenv();
	if (!cfg->fs.clearenv) {
		env_set("PATH", 4, DEFAULT_PATH);
		env_set("HOME", 4, "/tmp");
		if (term[0])
			env_set("TERM", 4, term);
	}
	for (unsigned i = 0; i < cfg->fs.n_env; i++) {
		const struct env_op *e = &cfg->fs.env[i];
		const char *eq = strchr(e->key, '=');

		if (e->kind == ENV_SET)
			env_set(e->key,
				eq ? (size_t)(eq - e->key) : strlen(e->key),
				e->value);
		else if (e->kind == ENV_UNSET)
			unsetenv(e->key);
		else
			identity_env_parse(e->key, files[i], env_put, NULL);
	}
}

/* After setresuid, keep the permitted set effective: the capability step
 * still needs CAP_SETPCAP to empty the bounding set, then drops it all. */
static void identity_keep_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		die_errno("capget");
	d[0].effective = d[0].permitted;
	d[1].effective = d[1].permitted;
	if (syscall(SYS_capset, &h, d) < 0)
		die_errno("capset");
}

static void identity_ids(const struct config *cfg, const struct identity *id)
{
	const struct fs_config *fs = &cfg->fs;
	gid_t groups[FS_MAX_GROUPS];

	for (unsigned i = 0; i < fs->n_groups; i++)
		groups[i] = fs->groups[i];
	/* Root's own supplementary groups never reach the sandbox (a
	 * caller that is not root may keep its own: identity_enter). */
	if (setgroups(fs->n_groups, groups) < 0 &&
	    (fs->n_groups || errno != EPERM || id->root_caller))
		die_errno("setgroups");
	if (!fs->has_uid)
		return;
	if (fs->has_gid && setresgid(fs->gid, fs->gid, fs->gid) < 0)
		die_errno("setresgid %u", fs->gid);
	if (prctl(PR_SET_KEEPCAPS, 1) < 0 ||
	    setresuid(fs->uid, fs->uid, fs->uid) < 0)
		die_errno("setresuid %u", fs->uid);
	identity_keep_caps();
}

/* The setup still holds fds of host directories (the cgroup's, for one):
 * a cwd through a magic link (--chdir //proc/self/fd/N, or an image's
 * symlink to one) would be a host directory outside the root
 * (CVE-2024-21626). So no magic link is followed, and getcwd must then
 * find the cwd below the root, as runc checks since. */
static void identity_chdir(const char *dir)
{
	char buf[PATH_MAX];
	int fd = sys_openat2(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC,
			     RESOLVE_NO_MAGICLINKS);

	if (fd < 0 && errno == ELOOP)
		die("'%s': a symlink loop or a /proc magic link (refused)",
		    dir);
	if (fd < 0 || fchdir(fd) < 0)
		die_errno("'%s'", dir);
	close(fd);
	if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
		die("'%s' is outside the sandbox's root", dir);
}

/* confine-only, root caller, no --user: no mount namespace hides the
 * host's files, and root owns every root-only one Landlock lets it reach
 * (/etc/shadow under /etc): the workload runs as nobody instead, and an
 * explicit --user 0 keeps root. */
static void identity_confine_only_nobody(const struct config *cfg,
					 const struct tier_state *ts)
{
	if (ts->tier != TIER_CONFINE_ONLY || geteuid() != 0 || cfg->fs.has_uid)
		return;
	warnx("tier confine-only: the workload runs as nobody (uid %d), "
	      "not root, which would own the host's root-only files; "
	      "--user 0 keeps root",
	      HOST_NOBODY);
	report_note("identity: confine-only, the workload runs as uid %d",
		    HOST_NOBODY);
	if (setgroups(0, NULL) < 0 ||
	    setresgid(HOST_NOBODY, HOST_NOBODY, HOST_NOBODY) < 0 ||
	    prctl(PR_SET_KEEPCAPS, 1) < 0 ||
	    setresuid(HOST_NOBODY, HOST_NOBODY, HOST_NOBODY) < 0)
		die_errno("switch to uid %d", HOST_NOBODY);
	identity_keep_caps();
}

void identity_apply(const struct config *cfg, const struct identity *id,
		    const struct tier_state *ts, char *const *files)
{
	const char *dir = cfg->chdir;

	/* A process `exec` brought into the namespace is the host's root
	 * until here; the sandbox's own child already took these ids. */
	identity_enter(cfg, id);
	die_step = "identity";
	/* confine-only without root: no namespace maps ids, none switch. */
	if (!id->userns && geteuid() != 0) {
		if (cfg->fs.has_uid || cfg->fs.has_groups)
			die("--user/--groups need root or a user namespace");
	} else if (identity_switches(cfg, id)) {
		identity_ids(cfg, id);
	}
	identity_confine_only_nobody(cfg, ts);
	if (!cfg->fs.no_new_session && setsid() < 0)
		die_errno("setsid");
	env_apply(cfg, files);
	/* Like bwrap: the caller's cwd when the sandbox has it, else /. */
	die_step = "chdir";
	if (!dir)
		dir = cfg->fs.context
			      ? "/context"
			      : (id->cwd[0] && !access(id->cwd, X_OK) ? id->cwd
								      : "/");
	identity_chdir(dir);
}

/* --no-new-session: the caller's terminal, when its group was in the
 * foreground; init hands it to the workload and, from inside a pid
 * namespace, cannot name the caller's group to give it back. */
pid_t identity_tty_save(const struct config *cfg)
{
	if (cfg->fs.no_new_session && isatty(STDIN_FILENO) &&
	    tcgetpgrp(STDIN_FILENO) == getpgrp())
		return getpgrp();
	return -1;
}

void identity_tty_restore(pid_t tty_fg)
{
	sigset_t ttou, old;

	if (tty_fg < 0 || tcgetpgrp(STDIN_FILENO) == tty_fg)
		return;
	/* A background group's tcsetpgrp would stop us with SIGTTOU. */
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	(void)tcsetpgrp(STDIN_FILENO, tty_fg);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* close_range is 5.9+, and a seccomp profile may deny it (an OCI
 * config's, as runtime-tools' Docker-derived default does): each possible
 * fd is then marked by hand (/proc may not be there yet), up to the hard
 * limit of open files as the kernel's nr_open caps it. */
static void fds_cloexec_slow(void)
{
	struct rlimit rl;
	rlim_t n = 1 << 20;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max < n)
		n = rl.rlim_max;
	/* Fails closed: an open fd that cannot be marked would leak. */
	for (rlim_t fd = 3; fd < n; fd++)
		if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0 && errno != EBADF)
			die_errno("fd %d: FD_CLOEXEC", (int)fd);
}

void identity_fds(const struct config *cfg)
{
	die_step = "fds";
	if (sys_close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		fds_cloexec_slow();
	for (unsigned i = 0; i < cfg->fs.n_keep_fds; i++)
		if (fcntl(cfg->fs.keep_fds[i], F_SETFD, 0) < 0)
			die_errno("--keep-fd %d", cfg->fs.keep_fds[i]);
}
