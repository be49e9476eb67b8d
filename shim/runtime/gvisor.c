// SPDX-License-Identifier: MIT
/*
 * --runtime gvisor: runsc runs the sandbox from an OCI bundle made of the
 * same flags, with nucleus-init as PID 1 inside gVisor's kernel, and the
 * outer nucleus stays the monitor: signals reach the workload through
 * `runsc kill` (TERM to runsc itself would only end runsc, and its attached
 * sandbox with it), and --timeout TERMs, then KILLs, the sandbox that way.
 * runsc always gets --ignore-cgroups: otherwise it makes cgroups at the root
 * of every v1 hierarchy, which this project never touches. runsc is found
 * only in fixed system paths, every component writable by root alone. The
 * bundle, a private copy of nucleus-init, runsc's --root and its log all
 * live in one 0700 directory, removed on every way out but SIGKILL of
 * nucleus itself. To the monitor, runsc is a runtime (runtime.h) like our
 * clone.
 */
#include "runtime/gvisor.h"
#include "host/initfd.h"
#include "host/audit.h"
#include "host/cgroup.h"
#include "runtime/monitor.h"
#include "host/report.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#define RUNSC_EXIT_FAILED 128 /* runsc's own fatal errors */
#define HELPER_MS 5000	      /* runsc list, kill, delete: never hang */
#define MAX_ARGV 16
#define CAP_NET_RAW_BIT 13
#define REPORT_TICK_MS 10

/* Arrays of chars, not of pointers: read-only data even in a PIE. */
static const char runsc_dirs[][16] = { "/usr/local/sbin", "/usr/local/bin",
				       "/usr/sbin", "/usr/bin" };
static const char platforms[][8] = { "", "systrap", "ptrace", "kvm" };

/* One run: the runtime's state, for the monitor's operations. */
struct gv {
	char dir[PATH_MAX - 64]; /* the private directory */
	char runsc[PATH_MAX];
	char id[32];
	char root_flag[PATH_MAX];
	const char *platform;
	char version[64]; /* for --report */
	const struct config *cfg;
	const char *const *warnings; /* the plan's: not enforced here */
	sigset_t mask;		     /* restored in runsc */
	pid_t pid;		     /* runsc run, 0 when not running */
	int pidfd;
	int report_due; /* --report not written yet */
	struct gvisor_views views;
};

/* What runs as root must be writable by root alone, and so must every
 * directory above it: anyone else could choose what runs. */
static void runsc_trust(const char *path)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s", path);
	for (;;) {
		char *slash = strrchr(p, '/');

		if (stat(p, &st) < 0)
			die_errno("runsc: '%s'", p);
		if (st.st_mode & (S_IWGRP | S_IWOTH))
			die("runsc: '%s' is writable by group or others: "
			    "refused",
			    p);
		if (st.st_uid != 0 && st.st_uid != geteuid())
			die("runsc: '%s' belongs to uid %u: refused", p,
			    (unsigned)st.st_uid);
		if (!slash || p[1] == '\0')
			return;
		slash[slash == p] = '\0';
	}
}

static void runsc_find(struct gv *g)
{
	char path[64];
	struct stat st;

	die_step = "gvisor";
	for (size_t i = 0; i < sizeof(runsc_dirs) / sizeof(*runsc_dirs); i++) {
		snprintf(path, sizeof(path), "%.15s/runsc", runsc_dirs[i]);
		if (lstat(path, &st) < 0)
			continue;
		if (!realpath(path, g->runsc))
			die_errno("runsc: '%s'", path);
		if (stat(g->runsc, &st) < 0 || !S_ISREG(st.st_mode) ||
		    access(g->runsc, X_OK) < 0)
			die("runsc: '%s' is not an executable file", path);
		runsc_trust(g->runsc);
		return;
	}
	die("runsc not found in /usr/local/sbin, /usr/local/bin, /usr/sbin or "
	    "/usr/bin (Debian: apt-get install runsc)");
}

#define OUT_INHERIT (-1) /* runsc run: the workload's stdio */
#define OUT_NULL (-2)	 /* helpers: nothing of runsc's on our stdio */

/* Forks runsc with argv; stdout is out (stdin, stderr then /dev/null).
 * With hold >= 0, the child execs only once a byte comes through it. */
static pid_t runsc_spawn(const struct gv *g, char *const argv[], int out,
			 int hold, int *pidfd)
{
	char tmpdir[PATH_MAX];
	char *envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
			 "/usr/bin:/sbin:/bin",
			 tmpdir, NULL };
	pid_t parent = getpid(), pid;

	/* runsc's own temporary files land in our directory too. */
	snprintf(tmpdir, sizeof(tmpdir), "TMPDIR=%s", g->dir);
	pid = fork();
	if (pid < 0)
		die_errno("fork");
	if (pid == 0) {
		int null = out != OUT_INHERIT
				   ? open("/dev/null", O_RDWR | O_CLOEXEC)
				   : -1;

		/* The monitor's death takes runsc, and so the sandbox, along. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(EXIT_SETUP);
		if (null >= 0 && (dup2(null, 0) < 0 || dup2(null, 2) < 0 ||
				  dup2(out >= 0 ? out : null, 1) < 0))
			_exit(EXIT_SETUP);
		while (hold >= 0 && read(hold, &(char){ 0 }, 1) != 1)
			if (errno != EINTR)
				_exit(EXIT_SETUP);
		/* runsc run alone: the default root's host dirs as the
		 * workload may see them, in a mount namespace of its own. */
		if (hold >= 0 && gvisor_views_attach(&g->views) < 0) {
			warnx("host view: attach: %s", strerror(errno));
			_exit(EXIT_SETUP);
		}
		/* A session of its own, as natively: ^C at a terminal reaches
		 * nucleus alone, which forwards it to the workload, rather
		 * than ending runsc under it. */
		(void)setsid();
		sigprocmask(SIG_SETMASK, &g->mask, NULL);
		(void)sys_close_range(3, ~0U, 0);
		execve(g->runsc, argv, envp);
		_exit(EXIT_SETUP);
	}
	*pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (*pidfd < 0)
		die_errno("pidfd_open");
	return pid;
}

/* The exit code of a child, as the shell gives it; -1 once killed after
 * ms milliseconds (ms < 0: wait as long as it takes). */
static int child_wait(int pidfd, int ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	siginfo_t si;
	int timed_out = 0, r = 1;

	while (ms >= 0 && (r = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	if (r <= 0) {
		(void)sys_pidfd_send_signal(pidfd, SIGKILL);
		timed_out = 1;
	}
	memset(&si, 0, sizeof(si));
	while (waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED) < 0)
		if (errno != EINTR)
			die_errno("waitid");
	close(pidfd);
	if (timed_out)
		return -1;
	return si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
}

struct runsc_argv {
	char *v[MAX_ARGV];
	char net[24], plat[32];
};

/* runsc's global flags, then the subcommand's words. */
static char **runsc_argv(const struct gv *g, struct runsc_argv *a,
			 const char *platform, const char *const *words)
{
	int n = 0;

	a->v[n++] = (char *)g->runsc;
	a->v[n++] = (char *)g->root_flag;
	/* Always: without it runsc makes cgroups at the root of every v1
	 * hierarchy, where the machine's own supervisor lives. */
	a->v[n++] = "--ignore-cgroups";
	if (geteuid() != 0)
		a->v[n++] = "--rootless";
	/* runsc strips CAP_NET_RAW from every container unless told. */
	if (g->cfg->confine.cap_add >> CAP_NET_RAW_BIT & 1)
		a->v[n++] = "--net-raw";
	snprintf(a->net, sizeof(a->net), "--network=%s",
		 g->cfg->share & SHARE_NET ? "host" : "none");
	a->v[n++] = a->net;
	snprintf(a->plat, sizeof(a->plat), "--platform=%s", platform);
	a->v[n++] = a->plat;
	while (*words && n < MAX_ARGV - 1)
		a->v[n++] = (char *)*words++;
	a->v[n] = NULL;
	return a->v;
}

/* A short runsc command, quiet, never waited for more than HELPER_MS. */
static int runsc_helper(const struct gv *g, const char *platform,
			const char *const *words)
{
	struct runsc_argv a;
	int pidfd;

	runsc_spawn(g, runsc_argv(g, &a, platform, words), OUT_NULL, -1,
		    &pidfd);
	return child_wait(pidfd, HELPER_MS);
}

/* systrap when this runsc knows it (`runsc list` checks the name without
 * starting a sandbox, under a timeout), else ptrace, which every runsc has:
 * one probe per run, skipped by --gvisor-platform. kvm, which hangs on
 * hosts whose /dev/kvm is nested virtualisation, only when asked for. */
static const char *platform_pick(const struct gv *g)
{
	static const char *const words[] = { "list", NULL };

	const struct config *cfg = g->cfg;

	if (cfg->gvisor.platform != GVISOR_PLATFORM_AUTO)
		return platforms[cfg->gvisor.platform];
	if (runsc_helper(g, platforms[GVISOR_PLATFORM_SYSTRAP], words) == 0)
		return platforms[GVISOR_PLATFORM_SYSTRAP];
	return platforms[GVISOR_PLATFORM_PTRACE];
}

/* A private copy of nucleus-init for the sandbox to bind: the host binary
 * is never the file runsc opens. */
static void init_copy(const struct gv *g, char *path, size_t len)
{
	cleanup_fd int in = initfd_open(g->cfg->init), out = -1;
	char buf[65536];
	ssize_t n;

	die_step = "gvisor";
	snprintf(path, len, "%s/nucleus-init", g->dir);
	/* Executable by the workload's uid: --user runs init as that uid. */
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		   0555);
	if (out < 0)
		die_errno("'%s'", path);
	if (lseek(in, 0, SEEK_SET) < 0)
		die_errno("nucleus-init");
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write_all(out, buf, (size_t)n) < 0)
			die_errno("write '%s'", path);
	if (n < 0)
		die_errno("read nucleus-init");
}

static void gv_path(const struct gv *g, char *buf, size_t len, const char *name)
{
	if ((size_t)snprintf(buf, len, "%s/%s", g->dir, name) >= len)
		die("'%s/%s': path too long", g->dir, name);
}

/* Removes what is below dfd without leaving its file system: a mount
 * point found there by mistake is never descended into. */
static void rm_tree(int dfd, dev_t dev, int depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;

	if (!d) {
		close(dfd);
		return;
	}
	while ((e = readdir(d))) {
		struct stat st;
		int sub;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (!S_ISDIR(st.st_mode)) {
			(void)unlinkat(dfd, e->d_name, 0);
			continue;
		}
		if (st.st_dev != dev || depth > 64)
			continue;
		sub = openat(dfd, e->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			rm_tree(sub, dev, depth + 1);
		(void)unlinkat(dfd, e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

/* runsc run removes its container when it ends by itself; killed, it
 * leaves the state behind for `runsc delete --force`. */
static int state_left(const struct gv *g)
{
	char path[PATH_MAX];
	DIR *d;
	struct dirent *e;
	int left = 0;

	gv_path(g, path, sizeof(path), "state");
	d = opendir(path);
	while (d && (e = readdir(d)))
		left |= strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return left;
}

/* Every way out but SIGKILL of nucleus passes here (die() through the
 * monitor's cleanup): runsc and its sandbox gone, then the directory. */
static void gv_cleanup(void *rt)
{
	struct gv *g = rt;
	const char *const words[] = { "delete", "--force", g->id, NULL };
	struct stat st;
	int fd;

	if (g->pid > 0) {
		(void)sys_pidfd_send_signal(g->pidfd, SIGKILL);
		(void)child_wait(g->pidfd, -1);
		g->pid = 0;
	}
	if (!g->dir[0])
		return;
	if (state_left(g))
		(void)runsc_helper(g, g->platform ? g->platform : "ptrace",
				   words);
	fd = open(g->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0)
		rm_tree(fd, st.st_dev, 0);
	else if (fd >= 0)
		close(fd);
	if (rmdir(g->dir) < 0)
		warnx("could not remove '%s': %s", g->dir, strerror(errno));
	g->dir[0] = '\0';
}

/* The private directory: mkdtemp makes it 0700, ours alone. */
static void gv_mkdir(struct gv *g)
{
	const char *t = getenv("TMPDIR");
	char path[PATH_MAX];

	if (!t || t[0] != '/' || strlen(t) > sizeof(g->dir) - 32)
		t = "/tmp";
	snprintf(g->dir, sizeof(g->dir), "%s/nucleus-gvisor.XXXXXX", t);
	if (!mkdtemp(g->dir)) {
		g->dir[0] = '\0';
		die_errno("mkdtemp in '%s'", t);
	}
	snprintf(g->root_flag, sizeof(g->root_flag), "--root=%s/state", g->dir);
	snprintf(g->id, sizeof(g->id), "nucleus-gvisor-%d", (int)getpid());
	for (int i = 0; i < 3; i++) {
		gv_path(g, path, sizeof(path),
			(const char *[]){ "state", "bundle",
					  "bundle/rootfs" }[i]);
		if (mkdir(path, i ? 0755 : 0700) < 0)
			die_errno("mkdir '%s'", path);
	}
}

static int gv_started(const struct gv *g)
{
	char path[PATH_MAX];

	gv_path(g, path, sizeof(path), "pid");
	return access(path, F_OK) == 0;
}

/* runsc exits 128 both when the workload does and when it fails itself,
 * even after the pid file (creating the workload's process comes later);
 * only its --log tells, where its own errors land and nothing else does
 * without --debug. */
static int runsc_failed(const struct gv *g)
{
	char path[PATH_MAX], buf[4096];
	cleanup_fd int fd = -1;
	ssize_t n;

	if (!gv_started(g))
		return 1;
	gv_path(g, path, sizeof(path), "runsc.log");
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, "error") != NULL;
}

/* To the workload through nucleus-init, once the container exists; before
 * that, to runsc itself, which ends as the workload would. */
static void gv_signal(void *rt, int sig)
{
	const struct gv *g = rt;
	char num[16];
	const char *const words[] = { "kill", g->id, num, NULL };

	snprintf(num, sizeof(num), "%d", sig);
	if (!gv_started(g) || runsc_helper(g, g->platform, words) != 0)
		if (!gv_started(g))
			(void)sys_pidfd_send_signal(g->pidfd, sig);
}

/* The grace is over: KILL to the whole sandbox through runsc, which then
 * ends and cleans its state by itself; should runsc not end within
 * HELPER_MS, KILL to runsc, whose attached sandbox dies with it (and the
 * monitor's cgroup.kill takes all it started). */
static uint64_t gv_kill(void *rt, int n)
{
	const struct gv *g = rt;

	if (n == 0) {
		gv_signal(rt, SIGKILL);
		return HELPER_MS;
	}
	(void)sys_pidfd_send_signal(g->pidfd, SIGKILL);
	return 0;
}

/* --report once the sandbox exists: runsc gives no other sign of it than
 * its pid file, looked for every REPORT_TICK_MS until then. */
static int gv_report_due(void *rt, int wait)
{
	struct gv *g = rt;
	const struct config *cfg = g->cfg;
	struct gvisor_facts f = {
		g->runsc,    g->version,
		g->platform, cfg->gvisor.platform == GVISOR_PLATFORM_AUTO,
		(int)g->pid, g->warnings
	};

	if (!g->report_due)
		return wait;
	if (!gv_started(g))
		return wait >= 0 && wait < REPORT_TICK_MS ? wait
							  : REPORT_TICK_MS;
	gvisor_report(cfg, &f);
	die_step = "monitor";
	g->report_due = 0;
	return wait;
}

static int gv_end_fd(const void *rt)
{
	return ((const struct gv *)rt)->pidfd;
}

/* runsc's exit code is the workload's, but when runsc failed itself: a
 * setup error, already explained by runsc on stderr, and never reported
 * as a sandbox that ran. */
static void gv_wait(void *rt, struct outcome *o)
{
	struct gv *g = rt;
	int code = child_wait(g->pidfd, -1);

	g->pid = 0;
	if (o->timed_out)
		return;
	if (code == RUNSC_EXIT_FAILED && runsc_failed(g)) {
		die_step = "gvisor";
		warnx("runsc could not start the sandbox");
		o->code = EXIT_SETUP;
		return;
	}
	(void)gv_report_due(g, -1); /* a workload quicker than a tick */
	o->code = code;
	if (code > 128 && code < 128 + 65)
		o->signal = code - 128;
}

static void gv_audit_exec(void *rt, const struct monitor *m, struct json *j)
{
	const struct gv *g = rt;

	(void)m;
	json_int(j, "runsc_pid", g->pid);
	json_str(j, "runtime", "gvisor");
	json_str(j, "platform", g->platform);
}

static void gv_spawn(struct gv *g, struct monitor *m)
{
	char log[PATH_MAX], bundle[PATH_MAX], pidf[PATH_MAX];
	const char *words[] = { log, "run", bundle, pidf, g->id, NULL };
	struct runsc_argv a;
	int hold[2];

	snprintf(log, sizeof(log), "--log=%s/runsc.log", g->dir);
	snprintf(bundle, sizeof(bundle), "--bundle=%s/bundle", g->dir);
	snprintf(pidf, sizeof(pidf), "--pid-file=%s/pid", g->dir);
	if (pipe2(hold, O_CLOEXEC) < 0)
		die_errno("pipe2");
	g->pid = runsc_spawn(g, runsc_argv(g, &a, g->platform, words),
			     OUT_INHERIT, hold[0], &g->pidfd);
	close(hold[0]);
	/* Into the sandbox's cgroup before it runs: runsc's gofer and
	 * sandbox, gVisor's kernel with the workload's memory, follow it, so
	 * the limits hold for all of them. */
	monitor_attach(m, g->pid);
	if (write_all(hold[1], "", 1) < 0)
		die_errno("release runsc");
	close(hold[1]);
}

/* `runsc --version`'s first line, "runsc version X", for --report. */
static void version_read(struct gv *g)
{
	char *argv[] = { g->runsc, "--version", NULL }, buf[256], *nl;
	struct pollfd p = { .events = POLLIN };
	cleanup_fd int rd = -1;
	int pipefd[2], pidfd;
	ssize_t n = 0;

	snprintf(g->version, sizeof(g->version), "unknown");
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		die_errno("pipe2");
	runsc_spawn(g, argv, pipefd[1], -1, &pidfd);
	close(pipefd[1]);
	rd = p.fd = pipefd[0];
	if (poll(&p, 1, HELPER_MS) > 0)
		n = read(rd, buf, sizeof(buf) - 1);
	(void)child_wait(pidfd, HELPER_MS);
	buf[n > 0 ? n : 0] = '\0';
	if ((nl = strchr(buf, '\n')))
		*nl = '\0';
	if (!strncmp(buf, "runsc version ", 14) && buf[14])
		snprintf(g->version, sizeof(g->version), "%.63s", buf + 14);
}

/* Everything up to the running sandbox: the sinks, the audit log and the
 * cgroup (limits for the whole sandbox) as natively, then the directory,
 * the bundle and runsc, which joins the cgroup by pid, not by clone3. */
static void gv_start(void *rt, struct monitor *m)
{
	struct gv *g = rt;
	char init[PATH_MAX];

	(void)monitor_prepare(m); /* its fd stays the cgroup's own */
	gv_mkdir(g);		  /* from here on, die() removes it */
	init_copy(g, init, sizeof(init));
	gvisor_bundle(g->cfg, &g->views, g->dir, init);
	timing_mark("bundle");
	g->platform = platform_pick(g);
	timing_mark("platform");
	if (timing_enabled())
		warnx("platform %s", g->platform);
	gv_spawn(g, m);
}

static const struct runtime_ops gvisor_runtime = {
	.start = gv_start,
	.audit_exec = gv_audit_exec,
	.signal = gv_signal,
	.kill = gv_kill,
	.tick = gv_report_due,
	.end_fd = gv_end_fd,
	.wait = gv_wait,
	.cleanup = gv_cleanup,
	.term_grace = 0, /* a TERM to us is forwarded, nothing more */
};

int gvisor_run(const struct config *cfg, const struct plan *plan)
{
	struct gv g = { .cfg = cfg, .pidfd = -1, .views = { .userns_fd = -1 } };
	struct monitor m = { .cfg = cfg, .ops = &gvisor_runtime, .rt = &g };
	sigset_t fwd;

	g.warnings = plan->gvisor_warn; /* refusals were the plan's */
	runsc_find(&g);
	report_check(cfg); /* the sink checked before anything exists */
	g.report_due = sink_given(&cfg->confine.report);
	if (g.report_due)
		version_read(&g);
	/* Blocked before anything exists: a signal now is forwarded (to
	 * runsc itself) once it runs, never a way around the cleanup. */
	monitor_signals(&fwd);
	if (sigprocmask(SIG_BLOCK, &fwd, &g.mask) < 0)
		die_errno("sigprocmask");
	m.sigfd = signalfd(-1, &fwd, SFD_CLOEXEC | SFD_NONBLOCK);
	if (m.sigfd < 0)
		die_errno("signalfd");
	gv_start(&g, &m);
	return monitor_run(&m);
}
