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
 * nucleus itself.
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
#define EXIT_TIMEOUT 124
#define RUNSC_EXIT_FAILED 128 /* runsc's own fatal errors */
#define HELPER_MS 5000        /* runsc list, kill, delete: never hang */
#define MAX_ARGV 16
#define CAP_NET_RAW_BIT 13
#define REPORT_TICK_MS 10

static const char *const runsc_dirs[] = { "/usr/local/sbin", "/usr/local/bin",
					   "/usr/sbin", "/usr/bin" };
static const char *const platforms[] = { NULL, "systrap", "ptrace", "kvm" };

/* One run; global so that die() can clean up through die_hook. */
static struct gv {
	char dir[PATH_MAX - 64]; /* the private directory */
	char runsc[PATH_MAX];
	char id[32];
	char root_flag[PATH_MAX];
	const char *platform;
	char version[64]; /* for --report */
	const struct config *cfg;
	const char *const *warnings; /* the plan's: not enforced here */
	sigset_t mask; /* restored in runsc */
	pid_t pid;     /* runsc run, 0 when not running */
	int pidfd;
} gv = { .pidfd = -1 };

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

static void runsc_find(void)
{
	char path[64];
	struct stat st;

	die_step = "gvisor";
	for (size_t i = 0; i < sizeof(runsc_dirs) / sizeof(*runsc_dirs); i++) {
		snprintf(path, sizeof(path), "%s/runsc", runsc_dirs[i]);
		if (lstat(path, &st) < 0)
			continue;
		if (!realpath(path, gv.runsc))
			die_errno("runsc: '%s'", path);
		if (stat(gv.runsc, &st) < 0 || !S_ISREG(st.st_mode) ||
		    access(gv.runsc, X_OK) < 0)
			die("runsc: '%s' is not an executable file", path);
		runsc_trust(gv.runsc);
		return;
	}
	die("runsc not found in /usr/local/sbin, /usr/local/bin, /usr/sbin or "
	    "/usr/bin (Debian: apt-get install runsc)");
}

#define OUT_INHERIT (-1) /* runsc run: the workload's stdio */
#define OUT_NULL (-2)    /* helpers: nothing of runsc's on our stdio */

/* Forks runsc with argv; stdout is out (stdin, stderr then /dev/null).
 * With hold >= 0, the child execs only once a byte comes through it. */
static pid_t runsc_spawn(char *const argv[], int out, int hold, int *pidfd)
{
	static char tmpdir[PATH_MAX];
	char *envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
			 "/usr/bin:/sbin:/bin",
			 tmpdir, NULL };
	pid_t parent = getpid(), pid;

	/* runsc's own temporary files land in our directory too. */
	snprintf(tmpdir, sizeof(tmpdir), "TMPDIR=%s", gv.dir);
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
		if (hold >= 0 && gvisor_views_attach() < 0) {
			warnx("host view: attach: %s", strerror(errno));
			_exit(EXIT_SETUP);
		}
		/* A session of its own, as natively: ^C at a terminal reaches
		 * nucleus alone, which forwards it to the workload, rather
		 * than ending runsc under it. */
		(void)setsid();
		sigprocmask(SIG_SETMASK, &gv.mask, NULL);
		(void)sys_close_range(3, ~0U, 0);
		execve(gv.runsc, argv, envp);
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
static char **runsc_argv(struct runsc_argv *a, const char *platform,
			 const char *const *words)
{
	int n = 0;

	a->v[n++] = gv.runsc;
	a->v[n++] = gv.root_flag;
	/* Always: without it runsc makes cgroups at the root of every v1
	 * hierarchy, where the machine's own supervisor lives. */
	a->v[n++] = "--ignore-cgroups";
	if (geteuid() != 0)
		a->v[n++] = "--rootless";
	/* runsc strips CAP_NET_RAW from every container unless told. */
	if (gv.cfg->confine.cap_add >> CAP_NET_RAW_BIT & 1)
		a->v[n++] = "--net-raw";
	snprintf(a->net, sizeof(a->net), "--network=%s",
		 gv.cfg->share & SHARE_NET ? "host" : "none");
	a->v[n++] = a->net;
	snprintf(a->plat, sizeof(a->plat), "--platform=%s", platform);
	a->v[n++] = a->plat;
	while (*words && n < MAX_ARGV - 1)
		a->v[n++] = (char *)*words++;
	a->v[n] = NULL;
	return a->v;
}

/* A short runsc command, quiet, never waited for more than HELPER_MS. */
static int runsc_helper(const char *platform, const char *const *words)
{
	struct runsc_argv a;
	int pidfd;

	runsc_spawn(runsc_argv(&a, platform, words), OUT_NULL, -1, &pidfd);
	return child_wait(pidfd, HELPER_MS);
}

/* systrap when this runsc knows it (`runsc list` checks the name without
 * starting a sandbox, under a timeout), else ptrace, which every runsc has:
 * one probe per run, skipped by --gvisor-platform. kvm, which hangs on
 * hosts whose /dev/kvm is nested virtualisation, only when asked for. */
static const char *platform_pick(const struct config *cfg)
{
	static const char *const words[] = { "list", NULL };

	if (cfg->gvisor.platform != GVISOR_PLATFORM_AUTO)
		return platforms[cfg->gvisor.platform];
	if (runsc_helper(platforms[GVISOR_PLATFORM_SYSTRAP], words) == 0)
		return platforms[GVISOR_PLATFORM_SYSTRAP];
	return platforms[GVISOR_PLATFORM_PTRACE];
}

/* A private copy of nucleus-init for the sandbox to bind: the host binary
 * is never the file runsc opens. */
static void init_copy(const struct config *cfg, char *path, size_t len)
{
	cleanup_fd int in = initfd_open(cfg->init), out = -1;
	char buf[65536];
	ssize_t n;

	die_step = "gvisor";
	snprintf(path, len, "%s/nucleus-init", gv.dir);
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

static void gv_path(char *buf, size_t len, const char *name)
{
	if ((size_t)snprintf(buf, len, "%s/%s", gv.dir, name) >= len)
		die("'%s/%s': path too long", gv.dir, name);
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
static int state_left(void)
{
	char path[PATH_MAX];
	DIR *d;
	struct dirent *e;
	int left = 0;

	gv_path(path, sizeof(path), "state");
	d = opendir(path);
	while (d && (e = readdir(d)))
		left |= strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return left;
}

/* Every way out but SIGKILL of nucleus passes here (die() through
 * die_hook): runsc and its sandbox gone, then the directory. */
static void gv_cleanup(void)
{
	static const char *const words[] = { "delete", "--force", gv.id,
					     NULL };
	struct stat st;
	int fd;

	die_hook = NULL;
	if (gv.pid > 0) {
		(void)sys_pidfd_send_signal(gv.pidfd, SIGKILL);
		(void)child_wait(gv.pidfd, -1);
		gv.pid = 0;
	}
	if (!gv.dir[0])
		return;
	if (state_left())
		(void)runsc_helper(gv.platform ? gv.platform : "ptrace", words);
	fd = open(gv.dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0)
		rm_tree(fd, st.st_dev, 0);
	else if (fd >= 0)
		close(fd);
	if (rmdir(gv.dir) < 0)
		warnx("could not remove '%s': %s", gv.dir, strerror(errno));
	gv.dir[0] = '\0';
}

static void (*gv_prev_hook)(void);

static void gv_die_hook(void)
{
	void (*prev)(void) = gv_prev_hook;

	gv_cleanup();
	if (prev)
		prev();
}

/* The private directory: mkdtemp makes it 0700, ours alone. */
static void gv_mkdir(void)
{
	const char *t = getenv("TMPDIR");
	char path[PATH_MAX];

	if (!t || t[0] != '/' || strlen(t) > sizeof(gv.dir) - 32)
		t = "/tmp";
	snprintf(gv.dir, sizeof(gv.dir), "%s/nucleus-gvisor.XXXXXX", t);
	if (!mkdtemp(gv.dir)) {
		gv.dir[0] = '\0';
		die_errno("mkdtemp in '%s'", t);
	}
	gv_prev_hook = die_hook; /* monitor_prepare's: the cgroup, audit */
	die_hook = gv_die_hook;
	snprintf(gv.root_flag, sizeof(gv.root_flag), "--root=%s/state",
		 gv.dir);
	snprintf(gv.id, sizeof(gv.id), "nucleus-gvisor-%d", (int)getpid());
	for (int i = 0; i < 3; i++) {
		gv_path(path, sizeof(path),
			(const char *[]){ "state", "bundle", "bundle/rootfs" }[i]);
		if (mkdir(path, i ? 0755 : 0700) < 0)
			die_errno("mkdir '%s'", path);
	}
}

static int gv_started(void)
{
	char path[PATH_MAX];

	gv_path(path, sizeof(path), "pid");
	return access(path, F_OK) == 0;
}

/* runsc exits 128 both when the workload does and when it fails itself,
 * even after the pid file (creating the workload's process comes later);
 * only its --log tells, where its own errors land and nothing else does
 * without --debug. */
static int runsc_failed(void)
{
	char path[PATH_MAX], buf[4096];
	cleanup_fd int fd = -1;
	ssize_t n;

	if (!gv_started())
		return 1;
	gv_path(path, sizeof(path), "runsc.log");
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, "error") != NULL;
}

/* To the workload through nucleus-init, once the container exists; before
 * that, to runsc itself, which ends as the workload would. */
static void gv_signal(int sig)
{
	char num[16];
	const char *const words[] = { "kill", gv.id, num, NULL };

	snprintf(num, sizeof(num), "%d", sig);
	if (!gv_started() || runsc_helper(gv.platform, words) != 0)
		if (!gv_started())
			(void)sys_pidfd_send_signal(gv.pidfd, sig);
}

static void gv_forward(int sigfd)
{
	struct signalfd_siginfo ssi;

	while (read(sigfd, &ssi, sizeof(ssi)) == (ssize_t)sizeof(ssi))
		gv_signal((int)ssi.ssi_signo);
}

/* --timeout: TERM to the workload; after --kill-after, KILL to the whole
 * sandbox through runsc, which then ends and cleans its state by itself;
 * should runsc not end within HELPER_MS, KILL to runsc, whose attached
 * sandbox dies with it. Returns the next poll timeout. */
static int gv_tick(const struct config *cfg, uint64_t *deadline, int *stage)
{
	uint64_t now = now_ms();

	if (!*deadline)
		return -1;
	if (now < *deadline)
		return *deadline - now > INT_MAX ? INT_MAX
						 : (int)(*deadline - now);
	if (*stage == 0) {
		warnx("timeout after %llu ms: sending TERM",
		      (unsigned long long)cfg->timeout_ms);
		gv_signal(SIGTERM);
		*deadline = now + cfg->kill_after_ms;
	} else if (*stage == 1) {
		gv_signal(SIGKILL);
		*deadline = now + HELPER_MS;
	} else {
		cgroup_kill(); /* runsc and all it started */
		(void)sys_pidfd_send_signal(gv.pidfd, SIGKILL);
		*deadline = 0;
	}
	++*stage;
	return 0;
}

/* --report once the sandbox exists: runsc gives no other sign of it than
 * its pid file, looked for every REPORT_TICK_MS until then. */
static int gv_report_due(const struct config *cfg, int *due, int wait)
{
	struct gvisor_facts f = { gv.runsc, gv.version, gv.platform,
				  cfg->gvisor.platform == GVISOR_PLATFORM_AUTO,
				  (int)gv.pid, gv.warnings };

	if (!*due)
		return wait;
	if (!gv_started())
		return wait >= 0 && wait < REPORT_TICK_MS ? wait : REPORT_TICK_MS;
	gvisor_report(cfg, &f);
	die_step = "monitor";
	*due = 0;
	return wait;
}

static int gv_monitor(const struct config *cfg, int sigfd, int *timed_out)
{
	uint64_t deadline = cfg->timeout_ms ? now_ms() + cfg->timeout_ms : 0;
	int stage = 0, code, due = sink_given(&cfg->confine.report);

	die_step = "monitor";
	for (;;) {
		struct pollfd p[2] = { { .fd = sigfd, .events = POLLIN },
				       { .fd = gv.pidfd, .events = POLLIN } };
		int wait = gv_tick(cfg, &deadline, &stage);

		wait = gv_report_due(cfg, &due, wait);
		if (poll(p, 2, wait) < 0 && errno != EINTR)
			die_errno("poll");
		if (p[0].revents & POLLIN)
			gv_forward(sigfd);
		if (p[1].revents & POLLIN)
			break;
	}
	code = child_wait(gv.pidfd, -1);
	gv.pid = 0;
	*timed_out = stage != 0;
	if (stage)
		return EXIT_TIMEOUT;
	/* runsc's own failure: a setup error, already explained by runsc on
	 * stderr, and never reported as a sandbox that ran. */
	if (code == RUNSC_EXIT_FAILED && runsc_failed()) {
		die_step = "gvisor";
		warnx("runsc could not start the sandbox");
		return EXIT_SETUP;
	}
	(void)gv_report_due(cfg, &due, -1); /* a workload quicker than a tick */
	return code;
}

static void gv_start(void)
{
	char log[PATH_MAX], bundle[PATH_MAX], pidf[PATH_MAX];
	const char *words[] = { log, "run", bundle, pidf, gv.id, NULL };
	struct runsc_argv a;

	int hold[2];
	struct json j;

	snprintf(log, sizeof(log), "--log=%s/runsc.log", gv.dir);
	snprintf(bundle, sizeof(bundle), "--bundle=%s/bundle", gv.dir);
	snprintf(pidf, sizeof(pidf), "--pid-file=%s/pid", gv.dir);
	if (pipe2(hold, O_CLOEXEC) < 0)
		die_errno("pipe2");
	gv.pid = runsc_spawn(runsc_argv(&a, gv.platform, words), OUT_INHERIT,
			     hold[0], &gv.pidfd);
	close(hold[0]);
	/* Into the sandbox's cgroup before it runs: runsc's gofer and
	 * sandbox, gVisor's kernel with the workload's memory, follow it, so
	 * the limits hold for all of them. */
	monitor_attach(gv.cfg, gv.pid);
	if (write_all(hold[1], "", 1) < 0)
		die_errno("release runsc");
	close(hold[1]);
	if (audit_begin(&j, "exec")) {
		json_int(&j, "runsc_pid", gv.pid);
		json_str(&j, "runtime", "gvisor");
		json_str(&j, "platform", gv.platform);
		audit_end(&j);
	}
}

/* `runsc --version`'s first line, "runsc version X", for --report. */
static void version_read(void)
{
	char *argv[] = { gv.runsc, "--version", NULL }, buf[256], *nl;
	struct pollfd p = { .events = POLLIN };
	cleanup_fd int rd = -1;
	int pipefd[2], pidfd;
	ssize_t n = 0;

	snprintf(gv.version, sizeof(gv.version), "unknown");
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		die_errno("pipe2");
	runsc_spawn(argv, pipefd[1], -1, &pidfd);
	close(pipefd[1]);
	rd = p.fd = pipefd[0];
	if (poll(&p, 1, HELPER_MS) > 0)
		n = read(rd, buf, sizeof(buf) - 1);
	(void)child_wait(pidfd, HELPER_MS);
	buf[n > 0 ? n : 0] = '\0';
	if ((nl = strchr(buf, '\n')))
		*nl = '\0';
	if (!strncmp(buf, "runsc version ", 14) && buf[14])
		snprintf(gv.version, sizeof(gv.version), "%.63s", buf + 14);
}

int gvisor_run(const struct config *cfg, const struct plan *plan)
{
	char init[PATH_MAX];
	sigset_t fwd;
	int sigfd, code, timed_out = 0;

	gv.cfg = cfg;
	gv.warnings = plan->gvisor_warn;
	runsc_find();
	report_prepare(cfg); /* the sink checked before anything exists */
	if (sink_given(&cfg->confine.report))
		version_read();
	/* Blocked before anything exists: a signal now is forwarded (to
	 * runsc itself) once it runs, never a way around the cleanup. */
	monitor_signals(&fwd);
	if (sigprocmask(SIG_BLOCK, &fwd, &gv.mask) < 0)
		die_errno("sigprocmask");
	sigfd = signalfd(-1, &fwd, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sigfd < 0)
		die_errno("signalfd");
	/* The sinks, the audit log and the cgroup (limits for the whole
	 * sandbox), as natively; runsc joins it by pid, not by clone3. */
	(void)monitor_prepare(cfg); /* its fd stays the cgroup's own */
	gv_mkdir(); /* from here on, die() cleans up */
	init_copy(cfg, init, sizeof(init));
	gvisor_bundle(cfg, gv.dir, init);
	timing_mark("bundle");
	gv.platform = platform_pick(cfg);
	timing_mark("platform");
	if (timing_enabled())
		warnx("platform %s", gv.platform);
	gv_start();
	code = gv_monitor(cfg, sigfd, &timed_out);
	gv_cleanup();
	return monitor_end(code, timed_out);
}
