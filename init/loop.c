/* SPDX-License-Identifier: MIT */
/*
 * The event loop of nucleus-init: one thread, one signalfd, poll with a
 * deadline. After every wake: read the queued signals (forward them while
 * the workload lives, escalate the drain after), reap with waitpid(-1,
 * WNOHANG) until 0 or ECHILD (signals coalesce: one SIGCHLD may stand for
 * many exits), then move the phase on: RUNNING until the workload is
 * reaped, DRAIN_TERM for the grace period, DRAIN_KILL until no child is
 * left (bounded). A pid is signalled only while it is unreaped, so never
 * after it could have been recycled.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "init.h"

/* Kills each of our children listed by the kernel; -1 without /proc. */
static int kill_children(int sig)
{
	char buf[512];
	ssize_t n, i;
	pid_t pid = 0;
	int fd =
		(int)syscall(SYS_openat, AT_FDCWD, "/proc/thread-self/children",
			     O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				pid = pid * 10 + (buf[i] - '0');
				continue;
			}
			if (pid > 0)
				kill(pid, sig);
			pid = 0;
		}
	}
	if (pid > 0)
		kill(pid, sig);
	close(fd);
	return 0;
}

void kill_leftovers(struct init *in, int sig)
{
	int listed;

	if (in->mode != MODE_SUBREAPER) {
		/* Everyone in our pid namespace but us: why we are PID 1. */
		if (kill(-1, sig) && errno != ESRCH)
			warn_errno("kill -1");
		return;
	}
	/* Never kill(-1) here: it would reach every process of our uid out
	 * there. An unreaped child's pid cannot be recycled, and as subreaper
	 * every descendant becomes our child once its parent dies. */
	listed = kill_children(sig) == 0;
	/* The workload's group reaches descendants whose parents still live.
	 * Its id stays reserved while a member lives; with none left only a
	 * wrap-around of the pid space since the reap could make it another
	 * group's. So: once, right after the reap, or always without /proc. */
	if (in->child_pgid && (!listed || !in->group_signalled))
		kill(-in->child_pgid, sig);
	in->group_signalled = 1;
}

static void forward(struct init *in, int sig)
{
	pid_t to =
		in->cfg.pgroup && in->child_pgid ? -in->child_pgid : in->child;

	if (kill(to, sig) && errno != ESRCH)
		warn_errno("forward signal %d to %d", sig, to);
	else
		msg(2, "forwarded signal %d to %d", sig, to);
}

static void kill_phase(struct init *in)
{
	msg(1, "SIGKILL to leftovers");
	in->phase = DRAIN_KILL;
	kill_leftovers(in, SIGKILL);
	in->deadline = now_ms() + KILL_WAIT_MS;
}

static void on_signal(struct init *in, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	if (sig == SIGCHLD)
		return; /* every wake reaps anyway */
	/* Raised by our own doing (SIGPIPE from a log line to a closed pipe,
	 * SIGXFSZ): not the workload's business. */
	if ((pid_t)si->ssi_pid == in->self)
		return;
	/* A terminal signalled a group we share with the workload (setpgid
	 * failed): it has its own copy already. */
	if (si->ssi_code == SI_KERNEL && !in->child_pgid && in->child)
		return;
	if (in->phase == RUNNING) {
		forward(in, sig);
		return;
	}
	/* The workload is gone; a request to stop now cuts the grace short. */
	if (in->phase == DRAIN_TERM && (sig == SIGTERM || sig == SIGINT ||
					sig == SIGQUIT || sig == SIGPWR)) {
		msg(1, "signal %d during the grace period", sig);
		kill_phase(in);
		return;
	}
	msg(2, "signal %d dropped: the workload is gone", sig);
}

static void signals_read(struct init *in)
{
	struct signalfd_siginfo si[8];
	ssize_t n, i;
	int rounds;

	/* Bounded, so a flood of signals cannot starve the reaping. */
	for (rounds = 0; rounds < 64; rounds++) {
		n = read(in->sfd, si, sizeof(si));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0)
			die_errno("read signalfd");
		for (i = 0; i < n / (ssize_t)sizeof(si[0]); i++)
			on_signal(in, &si[i]);
	}
}

static void reaped(struct init *in, pid_t pid, int st)
{
	if (pid != in->child) {
		/* -w: tini's wording, so that log filters keep working. */
		msg(in->cfg.warn_reap ? 0 : 3,
		    "reaped zombie process with pid=%d", pid);
		return;
	}
	in->child = 0; /* its pid may be recycled now: never signal it again */
	in->status = st;
	if (WIFSIGNALED(st))
		msg(1, "workload pid %d killed by signal %d", pid,
		    WTERMSIG(st));
	else
		msg(1, "workload pid %d exited with %d", pid, WEXITSTATUS(st));
}

static void reap(struct init *in)
{
	pid_t pid;
	int st;

	for (;;) {
		pid = waitpid(-1, &st, WNOHANG | __WALL);
		if (pid > 0) {
			reaped(in, pid, st);
			continue;
		}
		in->no_children = pid < 0 && errno == ECHILD;
		if (pid == 0 || in->no_children)
			break;
		if (errno != EINTR)
			die_errno("waitpid");
	}
	if (in->no_children && in->child) {
		msg(0, "the workload's exit status was lost");
		in->child = 0;
		in->status_lost = 1;
	}
}

/* The exit code cannot tell "exit 130" from "killed by SIGINT" (128+N is
 * the contract): the raw wait status goes in our own name, which nucleus's
 * monitor reads from the zombie before reaping it (monitor.c). Only a
 * process itself may set its name (/proc/PID/comm refuses writes from any
 * other), so the workload cannot forge it; no fd, argv or environment
 * entry shows it. A filter that denies prctl leaves the 128+N rule. */
static void status_publish(const struct init *in)
{
	char name[16] = INIT_STATUS_TAG;

	name[sizeof(INIT_STATUS_TAG) - 1 +
	     fmt_uint(name + sizeof(INIT_STATUS_TAG) - 1,
		      (unsigned long)(unsigned)in->status & 0xffff)] = 0;
	(void)prctl(PR_SET_NAME, name);
}

static __attribute__((noreturn)) void finish(struct init *in)
{
	int code;

	if (in->status_lost)
		code = EXIT_SETUP;
	else if (WIFSIGNALED(in->status))
		code = 128 + WTERMSIG(in->status);
	else
		code = WEXITSTATUS(in->status);
	if (!in->status_lost && remap_has(&in->cfg, code))
		code = 0;
	msg(1, "exit %d", code);
	if (!in->status_lost)
		status_publish(in);
	init_exit(code);
}

/* The workload's group is gone: give the terminal back to ours, so that a
 * ^C during the grace period reaches init (and escalates), not nobody. */
static void tty_reclaim(struct init *in)
{
	if (in->tty_fd >= 0 && in->child_pgid &&
	    tcgetpgrp(in->tty_fd) == in->child_pgid)
		tcsetpgrp(in->tty_fd, in->pgrp);
}

static void drain_begin(struct init *in)
{
	tty_reclaim(in);
	if (in->no_children)
		finish(in);
	if (!in->cfg.grace) {
		kill_phase(in);
		/* -t 0: at once, like tini; the kernel (pid namespace) or our
		 * parent reaps what we killed. A machine still waits. */
		if (in->mode != MODE_SYSTEM)
			finish(in);
		return;
	}
	msg(1, "SIGTERM to leftovers, grace %d ms", in->cfg.grace);
	in->phase = DRAIN_TERM;
	kill_leftovers(in, SIGTERM);
	in->deadline = now_ms() + in->cfg.grace;
}

static void advance(struct init *in)
{
	if (in->phase == RUNNING) {
		if (!in->child)
			drain_begin(in);
		return;
	}
	if (in->no_children)
		finish(in);
	if (now_ms() < in->deadline) {
		/* Orphans reparent to us without a SIGCHLD: kill them too. */
		if (in->phase == DRAIN_KILL)
			kill_leftovers(in, SIGKILL);
		return;
	}
	if (in->phase == DRAIN_TERM) {
		kill_phase(in);
		return;
	}
	msg(0, "children left %d ms after SIGKILL; exiting anyway",
	    KILL_WAIT_MS);
	finish(in);
}

static int poll_timeout(const struct init *in)
{
	int64_t left;

	if (in->phase == RUNNING)
		return -1;
	left = in->deadline - now_ms();
	if (left < 0)
		left = 0;
	if (in->phase == DRAIN_KILL && left > KILL_TICK_MS)
		left = KILL_TICK_MS;
	return (int)left;
}

/* -p fired before it was armed: act as if the signal had just come. */
static void pdeath_now(struct init *in)
{
	struct signalfd_siginfo si = { .ssi_signo = (uint32_t)in->cfg.pdeathsig,
				       .ssi_code = SI_USER };

	msg(1, "parent died before -p was armed");
	if (in->cfg.pdeathsig == SIGKILL)
		kill(in->self, SIGKILL);
	on_signal(in, &si);
}

void loop_run(struct init *in)
{
	struct pollfd pfd = { .fd = in->sfd, .events = POLLIN };

	if (in->pdeath_pending)
		pdeath_now(in);
	for (;;) {
		if (poll(&pfd, 1, poll_timeout(in)) < 0 && errno != EINTR)
			die_errno("poll");
		signals_read(in);
		reap(in);
		advance(in);
	}
}

/* System mode after a failed reboot(2): PID 1 may not exit, so it lives on
 * reaping whatever reparents to it, and signals are drained unheard. */
void loop_idle(struct init *in)
{
	struct pollfd pfd = { .fd = in->sfd, .events = POLLIN };
	struct signalfd_siginfo si[8];
	int st;

	poll(&pfd, 1, 1000);
	while (in->sfd >= 0 && read(in->sfd, si, sizeof(si)) > 0)
		;
	while (waitpid(-1, &st, WNOHANG | __WALL) > 0)
		;
}
