/* SPDX-License-Identifier: MIT */
/*
 * Starting the workload. musl's fork() is the fork syscall, which a strict
 * seccomp profile denies, so the child is made the way posix_spawn makes it:
 * clone(CLONE_VM | CLONE_VFORK | SIGCHLD) on a stack of its own. We stay
 * suspended until the child has exec'd or died, so it may run in our memory,
 * and any signal sent to us meanwhile stays queued in our signalfd, to be
 * forwarded only to the exec'd workload. In the child: its own process group
 * and the terminal (once), the caller's signal mask back, a PATH search like
 * execvp's, and on failure its errno over a CLOEXEC pipe: 127 not found, 126
 * not executable, told apart from a workload that itself exits 127.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "init.h"

#define DEFAULT_PATH                                                           \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

extern char **environ;

/* One child at a time runs on it: CLONE_VFORK suspends us until it execs. */
static unsigned char child_stack[64 * 1024] __attribute__((aligned(16)));

struct spawn_ctx {
	char **argv;
	ksigset mask;	 /* restored just before exec */
	int err_fd;	 /* CLOEXEC: EOF means exec succeeded */
	int tty_fd;	 /* give this terminal's foreground, or -1 */
	int listen_idx;	 /* environ index of LISTEN_PID=<us>, or -1 */
	int pgrp_err;	 /* out: setpgid's errno, 0 if it worked */
	int die_with_us; /* subreaper: no pid namespace ends it */
	char listen_buf[32];
};

int spawn_fn(int (*fn)(void *), void *arg)
{
	return clone(fn, child_stack + sizeof(child_stack),
		     CLONE_VM | CLONE_VFORK | SIGCHLD, arg);
}

static const char *env_path(void)
{
	char **e;

	for (e = environ; *e; e++)
		if (!strncmp(*e, "PATH=", 5))
			return *e + 5;
	return DEFAULT_PATH;
}

/* execvp's search, minus its "sh" retry on ENOEXEC (which would run any
 * non-script through a shell); returns the errno that decides 126 or 127. */
static int exec_search(char **argv)
{
	const char *file = argv[0], *p, *z;
	char buf[PATH_MAX + NAME_MAX + 2];
	size_t k = strlen(file), l;
	int eacces = 0;

	if (!k)
		return ENOENT;
	if (strchr(file, '/')) {
		execve(file, argv, environ);
		return errno;
	}
	if (k > NAME_MAX)
		return ENAMETOOLONG;
	for (p = env_path();; p = z + 1) {
		for (z = p; *z && *z != ':'; z++)
			;
		l = (size_t)(z - p);
		if (l < PATH_MAX) {
			/* An empty element is the cwd, as in every execvp. */
			memcpy(buf, p, l);
			buf[l] = '/';
			memcpy(buf + l + (l > 0), file, k + 1);
			execve(buf, argv, environ);
			if (errno == EACCES)
				eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR)
				return errno;
		}
		if (!*z)
			return eacces ? EACCES : ENOENT;
	}
}

/* Runs in the child, in our memory, on child_stack: syscalls only. */
static int child_main(void *arg)
{
	struct spawn_ctx *c = arg;
	int err;

	/* Its own group: a terminal's ^C reaches it once, not also via us. */
	c->pgrp_err = setpgid(0, 0) ? errno : 0;
	/* SIGTTOU is still blocked: a background group may take the tty. */
	if (!c->pgrp_err && c->tty_fd >= 0)
		tcsetpgrp(c->tty_fd, getpid());
	if (c->listen_idx >= 0) {
		char *b = stpcpy(c->listen_buf, "LISTEN_PID=");

		b[fmt_uint(b, (unsigned long)getpid())] = 0;
		environ[c->listen_idx] = c->listen_buf;
	}
	/* Without a pid namespace, nothing kills the workload when we are
	 * killed (SIGKILL, as nucleus's sandbox child is when its monitor
	 * dies): it goes with us rather than live on unreaped. */
	if (c->die_with_us)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &c->mask, NULL,
		sizeof(c->mask));
	err = exec_search(c->argv);
	(void)!write(c->err_fd, &err, sizeof(err));
	_exit(err == ENOENT || err == ENOTDIR ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

/* The fd of the terminal whose foreground group is ours, or -1: started as
 * a background job, init must not steal the terminal. In a pid namespace
 * entered from outside, both groups read 0 (not visible here); that counts
 * as foreground, since the shim that started us is the terminal's job. */
static int tty_foreground(pid_t pgrp)
{
	int fd;

	for (fd = 0; fd < 3; fd++) {
		pid_t fg = tcgetpgrp(fd);

		if (fg >= 0)
			return fg == pgrp ? fd : -1;
	}
	return -1;
}

/* LISTEN_PID names the process that owns the LISTEN_FDS: if that is us,
 * it must name the workload, which only the child knows (its getpid()). */
static int listen_pid_index(pid_t self)
{
	char want[32] = "LISTEN_PID=";
	int i;

	want[11 + fmt_uint(want + 11, (unsigned long)self)] = 0;
	for (i = 0; environ[i]; i++)
		if (!strcmp(environ[i], want))
			return i;
	return -1;
}

static __attribute__((noreturn)) void exec_failed(struct init *in, pid_t pid,
						  int err)
{
	int st;

	while (waitpid(pid, &st, __WALL) < 0 && errno == EINTR)
		;
	errno = err;
	warn_errno("exec %s", in->cfg.cmd[0]);
	init_exit(err == ENOENT || err == ENOTDIR ? EXIT_NOTFOUND
						  : EXIT_NOEXEC);
}

void spawn_workload(struct init *in)
{
	struct spawn_ctx c = { .argv = in->cfg.cmd,
			       .mask = in->orig_mask,
			       .die_with_us = in->mode == MODE_SUBREAPER };
	char *saved = NULL;
	int st[2], err;
	ssize_t n;
	pid_t pid;

	in->pgrp = getpgrp();
	in->tty_fd = c.tty_fd = tty_foreground(in->pgrp);
	c.listen_idx = listen_pid_index(in->self);
	if (c.listen_idx >= 0)
		saved = environ[c.listen_idx];
	if (pipe2(st, O_CLOEXEC))
		die_errno("pipe2");
	c.err_fd = st[1];
	pid = spawn_fn(child_main, &c);
	err = errno;
	/* Nothing is logged before this close: with fds 0-2 closed at start,
	 * st[1] may be fd 2. */
	close(st[1]);
	if (pid < 0) {
		errno = err;
		die_errno("clone");
	}
	if (saved)
		environ[c.listen_idx] = saved;
	do
		n = read(st[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(st[0]);
	if (n == sizeof(err))
		exec_failed(in, pid, err);
	in->spawned = 1;
	in->child = pid;
	in->child_pgid = c.pgrp_err ? 0 : pid;
	if (c.pgrp_err) {
		errno = c.pgrp_err;
		warn_errno("setpgid "
			   "(the workload shares init's process group)");
	}
	msg(1, "spawned %s as pid %d", in->cfg.cmd[0], pid);
}
