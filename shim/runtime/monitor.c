// SPDX-License-Identifier: MIT
/*
 * The monitor: one poll loop over a signalfd, the init's pidfd, the
 * sd_notify relay socket and --tty's pty (runtime/tty.c). Signals are forwarded through the pidfd, so they
 * can never reach a recycled pid; --timeout sends TERM, then KILLs the whole
 * cgroup after --kill-after, and wins exit 124. A TERM to us gets the same
 * grace: the sandbox that is still there --kill-after later is KILLed,
 * init (its pid namespace goes with it, forks refused) and the cgroup
 * (cgroup.kill), whatever it does, fork bombs included. Whatever the end (exit,
 * timeout, a signal to us, a setup failure through die), the cgroup is
 * killed, waited until empty and removed, and --stats/--audit get their
 * last record. Only SIGKILL of the monitor skips that: the sandbox dies
 * with us anyway (its init has PR_SET_PDEATHSIG=SIGKILL) and the next
 * nucleus run reaps the cgroup left behind as it ends. The loop knows the
 * sandbox only through its runtime's operations (runtime.h): the same for
 * our clone and for runsc.
 */
#include "runtime/monitor.h"
#include "runtime/named.h"
#include "runtime/tty.h"
#include "host/audit.h"
#include "host/cgroup.h"
#include "host/notify.h"
#include "lib/util.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

static const int forwarded[] = { SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,
				 SIGUSR1, SIGUSR2, SIGWINCH };

/* The way to a stop: a --timeout or a TERM to us starts the grace, whose
 * end kills the sandbox. */
struct stop {
	uint64_t deadline; /* monotonic ms of the next step; 0: none */
	int grace;	   /* TERM sent or forwarded: KILL at the deadline */
	int timed_out;	   /* --timeout expired: exit 124 */
	int killed;	   /* we KILLed the sandbox at the grace's end */
	int kills;	   /* the runtime's kill steps taken */
};

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
#define STAT(key, v) ((v) >= 0 ? json_int(j, key, v) : json_raw(j, key, "null"))
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
static void stats_write(struct monitor *m, const struct outcome *o)
{
	int fd = audit_stats_fd(), r;
	struct json j;
	const char *s;

	if (fd < 0)
		return;
	json_start(&j);
	stats_json(&j, o);
	cgroup_describe(&m->cg, m->cfg, &j);
	s = json_end(&j);
	r = s ? sink_write(fd, s, j.len) : -ENOMEM;
	json_free(&j);
	if (r < 0)
		(void)sink_failed("--stats", -r, &m->stats_warned);
}

/* die() anywhere in the monitor after monitor_prepare: the one cleanup,
 * the runtime's part first (runsc's sandbox lives in the cgroup), then
 * ours, then the records. */
static void monitor_undo(void *arg)
{
	struct monitor *m = arg;
	struct outcome o = { .code = EXIT_SETUP };
	struct json j;

	die_undo.fn = NULL;
	m->ops->cleanup(m->rt);
	sink_final(); /* exiting 125 anyway: a sink that fails only says so */
	cgroup_destroy(&m->cg, &o.st);
	notify_cleanup(&m->notify);
	if (m->named)
		named_release(m->named);
	if (m->tty)
		tty_restore(m->tty);
	o.wall_ms = m->t0 ? now_ms() - m->t0 : 0;
	/* die() wrote its own record (and cleared die_audit); here only when
	 * the sandbox child failed, whose record, if it could, came first. */
	if (die_audit && audit_begin(&j, "error")) {
		json_str(&j, "step", die_step);
		json_str(&j, "message",
			 "the sandbox's setup failed: the "
			 "reason is on stderr");
		audit_end(&j);
	}
	die_audit = NULL; /* a write failing from here on is not a 2nd die */
	if (audit_begin(&j, "exit")) {
		stats_json(&j, &o);
		audit_end(&j);
	}
	stats_write(m, &o);
}

void monitor_fail(struct monitor *m)
{
	monitor_undo(m);
	_exit(EXIT_SETUP);
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
	json_str(&j, "profile",
		 cfg->seccomp.bpf	? NULL
		 : cfg->seccomp.profile ? cfg->seccomp.profile
					: "default");
	json_str(&j, "name", cfg->res.name);
	json_int(&j, "uid", getuid());
	json_str(&j, "version", NUCLEUS_VERSION);
	audit_end(&j);
}

int monitor_prepare(struct monitor *m)
{
	const struct config *cfg = m->cfg;
	struct json j;
	int cgfd;

	m->tprep = now_ms();
	die_step = "args";
	audit_open_sinks(cfg); /* first: a bad path leaves nothing behind */
	audit_start(cfg);
	die_undo = (struct die_undo){ monitor_undo, m };
	notify_setup(cfg, &m->notify);
	cgfd = cgroup_create(&m->cg, cfg);
	timing_mark("cgroup");
	if (audit_begin(&j, "cgroup")) {
		cgroup_describe(&m->cg, cfg, &j);
		audit_end(&j);
	}
	return cgfd;
}

/* Which namespaces the child got: those that differ from ours. */
static void audit_namespaces(pid_t pid)
{
	static const char *const ns[] = { "cgroup", "ipc",  "mnt",  "net",
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

void monitor_attach(struct monitor *m, pid_t pid)
{
	m->t0 = now_ms();
	cgroup_attach(&m->cg, pid); /* v1 (and v2 unless clone3 placed it) */
	timing_mark("attach");
	audit_namespaces(pid);
}

/* The grace is over: the runtime's kill (ours KILLs init first: its pid
 * namespace dies with it, and the kernel refuses forks there from that
 * moment; runsc's is `runsc kill`, then runsc itself), then the cgroup (the
 * same without a pid namespace: cgroup.kill refuses forks as it kills). */
static void monitor_kill(struct monitor *m, struct stop *st, uint64_t now)
{
	uint64_t next = m->ops->kill(m->rt, st->kills++);

	st->killed = 1;
	st->deadline = next ? now + next : 0;
	if (!next)
		cgroup_kill(&m->cg);
}

/* Signals to us, forwarded. TERM from outside gets the grace (--kill-after)
 * to end, from the first TERM on, under a runtime that grants it. */
static void monitor_forward(struct monitor *m, struct stop *st)
{
	struct signalfd_siginfo ssi;

	while (read(m->sigfd, &ssi, sizeof(ssi)) == (ssize_t)sizeof(ssi)) {
		/* --tty: the pty's size, whose change signals inside. */
		if (ssi.ssi_signo == SIGWINCH && m->tty)
			tty_winsize(m->tty);
		else /* init already gone: its exit is read next */
			m->ops->signal(m->rt, (int)ssi.ssi_signo);
		if (ssi.ssi_signo == SIGTERM && m->ops->term_grace &&
		    !st->grace && !st->killed) {
			st->grace = 1;
			st->deadline = now_ms() + m->cfg->kill_after_ms;
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
static int monitor_tick(struct monitor *m, struct stop *st)
{
	uint64_t now;

	while (st->deadline && (now = now_ms()) >= st->deadline) {
		if (st->grace) {
			monitor_kill(m, st, now);
			break;
		}
		warnx("timeout after %llu ms: sending TERM",
		      (unsigned long long)m->cfg->timeout_ms);
		m->ops->signal(m->rt, SIGTERM);
		st->timed_out = st->grace = 1;
		st->deadline = now + m->cfg->kill_after_ms;
	}
	if (!st->deadline)
		return -1;
	now = now_ms();
	return now >= st->deadline ? 0 : poll_ms(st->deadline - now);
}

/* The end: empty and remove the cgroup, then report. */
static void monitor_finish(struct monitor *m, struct outcome *o)
{
	struct json j;

	o->wall_ms = now_ms() - m->t0;
	timing_mark("exit");
	die_undo.fn = NULL;
	sink_final(); /* the cgroup goes first, whatever the sinks do */
	cgroup_destroy(&m->cg, &o->st);
	notify_cleanup(&m->notify);
	timing_mark("cleanup");
	if (o->st.cpu_user_us < 0) {
		struct rusage ru; /* no cgroup: init and what it reaped */

		getrusage(RUSAGE_CHILDREN, &ru);
		o->st.cpu_user_us =
			ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec;
		o->st.cpu_system_us =
			ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec;
	}
	if (o->st.oom_kills > 0)
		warnx("oom_kill: the kernel's OOM killer ended %lld "
		      "process(es) at the --memory limit",
		      (long long)o->st.oom_kills);
	/* --stats first: if it cannot be written (production), the audit
	 * log's exit record says 125 after the error record. */
	stats_write(m, o);
	if (sink_error())
		*o = (struct outcome){ .code = EXIT_SETUP,
				       .wall_ms = o->wall_ms,
				       .st = o->st };
	if (audit_begin(&j, "exit")) {
		stats_json(&j, o);
		audit_end(&j);
	}
	if (sink_error())
		o->code = EXIT_SETUP;
}

/* Until the sandbox ends: signals, --timeout's steps, sd_notify. */
static void monitor_loop(struct monitor *m, struct stop *st)
{
	for (;;) {
		struct pollfd p[5] = { { .fd = m->sigfd, .events = POLLIN },
				       { .fd = m->ops->end_fd(m->rt),
					 .events = POLLIN },
				       { .fd = m->notify.fd, .events = POLLIN },
				       { .fd = -1 },
				       { .fd = -1 } };
		int wait = monitor_tick(m, st);

		if (m->ops->tick)
			wait = m->ops->tick(m->rt, wait);
		if (m->tty)
			tty_fds(m->tty, p + 3);
		if (poll(p, 5, wait) < 0 && errno != EINTR)
			die_errno("poll");
		if (m->tty)
			tty_relay(m->tty, p + 3);
		if (p[0].revents & POLLIN)
			monitor_forward(m, st);
		if (p[2].revents & POLLIN)
			notify_relay(&m->notify);
		if (p[1].revents & POLLIN)
			return;
	}
}

int monitor_run(struct monitor *m)
{
	struct stop st = { .deadline = m->cfg->timeout_ms
					       ? now_ms() + m->cfg->timeout_ms
					       : 0 };
	struct outcome o = { 0 };
	struct json j;

	die_step = "monitor";
	if (audit_begin(&j, "exec")) {
		m->ops->audit_exec(m->rt, m, &j);
		audit_end(&j);
	}
	monitor_loop(m, &st);
	if (m->tty) /* init is gone, and its pid namespace with it */
		tty_end(m->tty);
	if (m->notify.fd >= 0)
		notify_relay(&m->notify); /* a last STOPPING=1 */
	o.timed_out = st.timed_out;
	m->ops->wait(m->rt, &o);
	if (st.timed_out) {
		o.code = EXIT_TIMEOUT;
	} else if (st.killed) {
		/* Ended by the TERM we were sent, its grace run out: what a
		 * workload that honoured it would have given. */
		o.code = 128 + SIGTERM;
		o.signal = SIGTERM;
	}
	m->ops->cleanup(m->rt); /* runsc's state and directory */
	monitor_finish(m, &o);
	return o.code;
}
