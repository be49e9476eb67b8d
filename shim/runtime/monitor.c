// SPDX-License-Identifier: MIT
/*
 * The monitor: one poll loop over a signalfd, the init's pidfd and the
 * sd_notify relay socket. Signals are forwarded through the pidfd, so they
 * can never reach a recycled pid; --timeout sends TERM, then KILLs the whole
 * cgroup after --kill-after, and wins exit 124. A TERM to us gets the same
 * grace: the sandbox that is still there --kill-after later is KILLed,
 * init (its pid namespace goes with it, forks refused) and the cgroup
 * (cgroup.kill), whatever it does, fork bombs included. Whatever the end (exit,
 * timeout, a signal to us, a setup failure through die), the cgroup is
 * killed, waited until empty and removed, and --stats/--audit get their
 * last record. Only SIGKILL of the monitor skips that: the sandbox dies
 * with us anyway (its init has PR_SET_PDEATHSIG=SIGKILL) and the next
 * nucleus run reaps the cgroup left behind as it ends.
 */
#include "runtime/monitor.h"
#include "host/audit.h"
#include "host/cgroup.h"
#include "host/notify.h"
#include "lib/util.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#define EXIT_TIMEOUT 124

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
				 SIGUSR1, SIGUSR2, SIGWINCH };

/* The way to a stop: a --timeout or a TERM to us starts the grace, whose
 * end kills the sandbox. */
struct stop {
	uint64_t deadline; /* monotonic ms of the next step; 0: none */
	int grace;         /* TERM sent or forwarded: KILL at the deadline */
	int timed_out;     /* --timeout expired: exit 124 */
	int killed;        /* we KILLed the sandbox at the grace's end */
};

/* How the sandbox ended, for the exit code, --stats and the audit log. */
struct outcome {
	int code;      /* nucleus's exit code */
	int signal;    /* the signal that ended the workload, or 0 */
	int timed_out;
	uint64_t wall_ms;
	struct cgroup_stats st;
};

static const struct config *mon_cfg;
static uint64_t mon_tprep, mon_t0; /* monitor_prepare, clone */
static struct notify_relay mon_notify = { .fd = -1, .host_fd = -1 };

void monitor_signals(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
}

static void stats_json(struct json *j, const struct outcome *o)
{
	const struct cgroup_stats *st = &o->st;

	json_int(j, "exit_code", o->code);
	if (o->signal)
		json_int(j, "signal", o->signal);
	else
		json_raw(j, "signal", "null");
	json_bool(j, "timed_out", o->timed_out);
	json_uint(j, "wall_ms", o->wall_ms);
#define STAT(key, v)                                                          \
	((v) >= 0 ? json_int(j, key, v) : json_raw(j, key, "null"))
	STAT("cpu_user_us", st->cpu_user_us);
	STAT("cpu_system_us", st->cpu_system_us);
	STAT("cpu_throttled_us", st->cpu_throttled_us);
	STAT("memory_peak_bytes", st->memory_peak);
	STAT("pids_peak", st->pids_peak);
	STAT("oom_kills", st->oom_kills);
#undef STAT
}

/* --stats: one JSON object, written once at the very end. Not written:
 * production dies (125), agent warns. */
static void stats_write(const struct outcome *o)
{
	static int warned;
	int fd = audit_stats_fd(), r;
	struct json j;
	const char *s;

	if (fd < 0)
		return;
	json_start(&j);
	stats_json(&j, o);
	cgroup_describe(mon_cfg, &j);
	s = json_end(&j);
	r = s ? sink_write(fd, s, j.len) : -ENOMEM;
	json_free(&j);
	if (r < 0)
		(void)sink_failed("--stats", -r, &warned);
}

/* die() anywhere in the monitor after monitor_prepare: undo, report. */
static void monitor_die_hook(void)
{
	struct outcome o = { .code = EXIT_SETUP };
	struct json j;

	die_hook = NULL;
	sink_final(); /* exiting 125 anyway: a sink that fails only says so */
	cgroup_destroy(&o.st);
	notify_cleanup();
	o.wall_ms = mon_t0 ? now_ms() - mon_t0 : 0;
	/* die() wrote its own record (and cleared die_audit); here only when
	 * the sandbox child failed, whose record, if it could, came first. */
	if (die_audit && audit_begin(&j, "error")) {
		json_str(&j, "step", die_step);
		json_str(&j, "message", "the sandbox's setup failed: the "
					"reason is on stderr");
		audit_end(&j);
	}
	die_audit = NULL; /* a write failing from here on is not a 2nd die */
	if (audit_begin(&j, "exit")) {
		stats_json(&j, &o);
		audit_end(&j);
	}
	stats_write(&o);
}

static void audit_start(const struct config *cfg)
{
	struct json j;

	if (!audit_begin(&j, "start"))
		return;
	json_strv(&j, "argv", cfg->argv, cfg->argc);
	json_str(&j, "mode",
		 cfg->mode == MODE_PRODUCTION ? "production" : "agent");
	/* The seccomp profile by name; a precompiled filter has none. */
	json_str(&j, "profile", cfg->seccomp.bpf ? NULL
			: cfg->seccomp.profile ? cfg->seccomp.profile : "default");
	json_str(&j, "name", cfg->res.name);
	json_int(&j, "uid", getuid());
	json_str(&j, "version", NUCLEUS_VERSION);
	audit_end(&j);
}

int monitor_prepare(const struct config *cfg)
{
	struct json j;
	int cgfd;

	mon_cfg = cfg;
	mon_tprep = now_ms();
	die_step = "args";
	audit_open_sinks(cfg); /* first: a bad path leaves nothing behind */
	audit_start(cfg);
	die_hook = monitor_die_hook;
	notify_setup(cfg, &mon_notify);
	cgfd = cgroup_create(cfg);
	timing_mark("cgroup");
	if (audit_begin(&j, "cgroup")) {
		cgroup_describe(cfg, &j);
		audit_end(&j);
	}
	return cgfd;
}

/* Which namespaces the child got: those that differ from ours. */
static void audit_namespaces(pid_t pid)
{
	static const char *const ns[] = { "cgroup", "ipc", "mnt",  "net",
					  "pid",    "time", "user", "uts" };
	const char *fresh[8];
	int n = 0;
	struct json j;

	if (!audit_begin(&j, "namespaces"))
		return;
	for (int i = 0; i < 8; i++) {
		char a[64], b[64], pa[64], pb[64];
		ssize_t la, lb;

		snprintf(pa, sizeof(pa), "/proc/%d/ns/%s", (int)pid, ns[i]);
		snprintf(pb, sizeof(pb), "/proc/self/ns/%s", ns[i]);
		la = readlink(pa, a, sizeof(a));
		lb = readlink(pb, b, sizeof(b));
		if (la > 0 && (la != lb || memcmp(a, b, (size_t)la)))
			fresh[n++] = ns[i];
	}
	json_int(&j, "init_pid", pid);
	json_strv(&j, "new", (char *const *)fresh, n);
	audit_end(&j);
}

void monitor_attach(const struct config *cfg, pid_t pid)
{
	(void)cfg;
	mon_t0 = now_ms();
	cgroup_attach(pid); /* v1 (and v2 unless clone3 placed it) */
	timing_mark("attach");
	audit_namespaces(pid);
}

/* A small /proc file into buf, NUL-terminated; its length or -1. */
static ssize_t proc_read(const char *path, char *buf, size_t len)
{
	cleanup_fd int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	do
		n = read(fd, buf, len - 1);
	while (n < 0 && errno == EINTR);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

/* The workload's raw wait status, which init puts in its own name as it
 * exits (init/loop.c status_publish): only init can set it, so the
 * workload cannot forge it. Read from the zombie, before it is reaped,
 * under the pid that the pidfd's fdinfo gives in the pid namespace of our
 * /proc (a /proc of another namespace must not name a stranger). -1: not
 * there (init killed, a filter denied prctl, an older init). */
static int monitor_raw_status(const struct sandbox *sb)
{
	static const char tag[] = "wstatus=";
	char path[64], buf[1024], *p, *end;
	pid_t pid;
	long st;

	if (pidfd_pid(sb->pidfd, &pid) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if (proc_read(path, buf, sizeof(buf)) <= 0 ||
	    strncmp(buf, tag, sizeof(tag) - 1))
		return -1;
	p = buf + sizeof(tag) - 1;
	st = strtol(p, &end, 10);
	if (end == p || *end != '\n' || st < 0 || st > 0xffff)
		return -1;
	return (int)st;
}

static void monitor_status(const struct sandbox *sb, struct outcome *o)
{
	int raw = monitor_raw_status(sb); /* before waitid reaps init */
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	while (waitid(P_PIDFD, (id_t)sb->pidfd, &si, WEXITED) < 0)
		if (errno != EINTR)
			die_errno("waitid");
	o->code = si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
	/* init reports a workload killed by N as 128+N, like a shell; its
	 * raw status tells that apart from a plain "exit 128+N". */
	if (si.si_code != CLD_EXITED)
		o->signal = si.si_status;
	else if (raw >= 0)
		o->signal = WIFSIGNALED(raw) &&
					    o->code == 128 + WTERMSIG(raw) ?
				    WTERMSIG(raw) :
				    0;
	else if (o->code > 128 && o->code < 128 + 65)
		o->signal = o->code - 128;
}

/* The grace is over: KILL init first (its pid namespace dies with it, and
 * the kernel refuses forks there from that moment), then the cgroup (the
 * same without a pid namespace: cgroup.kill refuses forks as it kills). */
static void monitor_kill(const struct sandbox *sb, struct stop *st)
{
	(void)sys_pidfd_send_signal(sb->pidfd, SIGKILL);
	cgroup_kill();
	st->killed = 1;
	st->deadline = 0;
}

/* TERM from outside: forwarded like any signal, and the sandbox gets the
 * grace (--kill-after) to end, from the first TERM on. */
static void monitor_forward(const struct config *cfg, const struct sandbox *sb,
			    int sigfd, struct stop *st)
{
	struct signalfd_siginfo ssi;

	while (read(sigfd, &ssi, sizeof(ssi)) == (ssize_t)sizeof(ssi)) {
		/* ESRCH: init already gone; its exit is read next. */
		(void)sys_pidfd_send_signal(sb->pidfd, (int)ssi.ssi_signo);
		if (ssi.ssi_signo == SIGTERM && !st->grace && !st->killed) {
			st->grace = 1;
			st->deadline = now_ms() + cfg->kill_after_ms;
		}
	}
}

/* poll(2) takes an int: a --timeout of a year is woken up again. */
static int poll_ms(uint64_t ms)
{
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* Takes every step that is due; returns the next poll timeout in ms, or
 * -1 for none. */
static int monitor_tick(const struct config *cfg, const struct sandbox *sb,
			struct stop *st)
{
	uint64_t now;

	while (st->deadline && (now = now_ms()) >= st->deadline) {
		if (st->grace) {
			monitor_kill(sb, st);
			break;
		}
		warnx("timeout after %llu ms: sending TERM",
		      (unsigned long long)cfg->timeout_ms);
		(void)sys_pidfd_send_signal(sb->pidfd, SIGTERM);
		st->timed_out = st->grace = 1;
		st->deadline = now + cfg->kill_after_ms;
	}
	if (!st->deadline)
		return -1;
	now = now_ms();
	return now >= st->deadline ? 0 : poll_ms(st->deadline - now);
}

/* The end: empty and remove the cgroup, then report. */
static void monitor_finish(struct outcome *o)
{
	struct json j;

	o->wall_ms = now_ms() - mon_t0;
	timing_mark("exit");
	die_hook = NULL;
	sink_final(); /* the cgroup goes first, whatever the sinks do */
	cgroup_destroy(&o->st);
	notify_cleanup();
	timing_mark("cleanup");
	if (o->st.cpu_user_us < 0) {
		struct rusage ru; /* no cgroup: init and what it reaped */

		getrusage(RUSAGE_CHILDREN, &ru);
		o->st.cpu_user_us = ru.ru_utime.tv_sec * 1000000LL +
				    ru.ru_utime.tv_usec;
		o->st.cpu_system_us = ru.ru_stime.tv_sec * 1000000LL +
				      ru.ru_stime.tv_usec;
	}
	if (o->st.oom_kills > 0)
		warnx("oom_kill: the kernel's OOM killer ended %lld "
		      "process(es) at the --memory limit",
		      (long long)o->st.oom_kills);
	/* --stats first: if it cannot be written (production), the audit
	 * log's exit record says 125 after the error record. */
	stats_write(o);
	if (sink_error())
		*o = (struct outcome){ .code = EXIT_SETUP, .wall_ms = o->wall_ms,
				       .st = o->st };
	if (audit_begin(&j, "exit")) {
		stats_json(&j, o);
		audit_end(&j);
	}
	if (sink_error())
		o->code = EXIT_SETUP;
}

/* --runtime gvisor (gvisor.c) runs its own loop around runsc: the same end
 * as monitor_run's, from the code runsc gave. */
int monitor_end(int code, int timed_out)
{
	struct outcome o = { .code = timed_out ? EXIT_TIMEOUT : code,
			     .timed_out = timed_out };

	if (!timed_out && code > 128 && code < 128 + 65)
		o.signal = code - 128;
	monitor_finish(&o);
	return o.code;
}

int monitor_run(const struct config *cfg, const struct sandbox *sb, int sigfd)
{
	struct stop st = { .deadline = cfg->timeout_ms ? now_ms() +
							 cfg->timeout_ms : 0 };
	struct outcome o = { 0 };
	struct json j;

	die_step = "monitor";
	if (audit_begin(&j, "exec")) {
		json_int(&j, "init_pid", sb->pid);
		json_uint(&j, "setup_ms", now_ms() - mon_tprep);
		audit_end(&j);
	}
	for (;;) {
		struct pollfd p[3] = { { .fd = sigfd, .events = POLLIN },
				       { .fd = sb->pidfd, .events = POLLIN },
				       { .fd = mon_notify.fd, .events = POLLIN } };

		if (poll(p, 3, monitor_tick(cfg, sb, &st)) < 0 &&
		    errno != EINTR)
			die_errno("poll");
		if (p[0].revents & POLLIN)
			monitor_forward(cfg, sb, sigfd, &st);
		if (p[2].revents & POLLIN)
			notify_relay(&mon_notify);
		if (p[1].revents & POLLIN)
			break;
	}
	if (mon_notify.fd >= 0)
		notify_relay(&mon_notify); /* a last STOPPING=1 */
	monitor_status(sb, &o);
	if (st.timed_out) {
		o.timed_out = 1;
		o.code = EXIT_TIMEOUT;
	} else if (st.killed) {
		/* Ended by the TERM we were sent, its grace run out: what a
		 * workload that honoured it would have given. */
		o.code = 128 + SIGTERM;
		o.signal = SIGTERM;
	}
	monitor_finish(&o);
	return o.code;
}
