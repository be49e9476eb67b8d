// SPDX-License-Identifier: MIT
/*
 * The monitor: one poll loop over a signalfd and the init's pidfd. Signals
 * are forwarded through the pidfd, so they can never reach a recycled pid;
 * --timeout sends TERM, then KILL after --kill-after, and wins exit 124.
 */
#include "monitor.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
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

void monitor_signals(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int monitor_status(const struct sandbox *sb)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	while (waitid(P_PIDFD, (id_t)sb->pidfd, &si, WEXITED) < 0)
		if (errno != EINTR)
			die_errno("waitid");
	if (si.si_code == CLD_EXITED)
		return si.si_status;
	return 128 + si.si_status;
}

static void monitor_forward(const struct sandbox *sb, int sigfd)
{
	struct signalfd_siginfo ssi;

	while (read(sigfd, &ssi, sizeof(ssi)) == (ssize_t)sizeof(ssi))
		/* ESRCH: init already gone; its exit is read next. */
		(void)sys_pidfd_send_signal(sb->pidfd, (int)ssi.ssi_signo);
}

/* Next poll timeout in ms for the timeout state machine; -1 = none. */
static int monitor_tick(const struct config *cfg, const struct sandbox *sb,
			uint64_t *deadline, int *stage)
{
	uint64_t now = now_ms();

	if (!*deadline)
		return -1;
	if (now < *deadline)
		return (int)(*deadline - now);
	if (*stage == 0) {
		warnx("timeout after %llu ms: sending TERM",
		      (unsigned long long)cfg->timeout_ms);
		(void)sys_pidfd_send_signal(sb->pidfd, SIGTERM);
		*stage = 1;
		*deadline = now + cfg->kill_after_ms;
		return (int)cfg->kill_after_ms;
	}
	if (*stage == 1)
		(void)sys_pidfd_send_signal(sb->pidfd, SIGKILL);
	*stage = 2;
	*deadline = 0;
	return -1;
}

int monitor_run(const struct config *cfg, const struct sandbox *sb, int sigfd)
{
	uint64_t deadline = cfg->timeout_ms ? now_ms() + cfg->timeout_ms : 0;
	int stage = 0, code;

	die_step = "monitor";
	for (;;) {
		struct pollfd p[2] = { { .fd = sigfd, .events = POLLIN },
				       { .fd = sb->pidfd, .events = POLLIN } };
		int wait = monitor_tick(cfg, sb, &deadline, &stage);

		if (stage == 1 && cfg->kill_after_ms == 0)
			wait = monitor_tick(cfg, sb, &deadline, &stage);
		if (poll(p, 2, wait) < 0 && errno != EINTR)
			die_errno("poll");
		if (p[0].revents & POLLIN)
			monitor_forward(sb, sigfd);
		if (p[1].revents & POLLIN)
			break;
	}
	code = monitor_status(sb);
	return stage ? EXIT_TIMEOUT : code;
}
