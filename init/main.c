/* SPDX-License-Identifier: MIT */
/*
 * nucleus-init: PID 1 for one command. It blocks every signal before doing
 * anything else, spawns the workload with a vfork-style clone, forwards
 * signals to it from a signalfd loop, reaps every zombie, drains leftovers
 * with TERM, a grace period and KILL, and exits with the workload's status.
 * Three modes, detected at start: subreaper (not PID 1), namespace init (PID
 * 1 of a pid namespace) and system (PID 1 of the machine: never exits, ends
 * with sync and reboot(2)). main() below is the ordered list of steps.
 *
 * Syscalls, all of them (the seccomp profiles must allow these for init; the
 * workload's own needs come on top). x86-64 names:
 *   every mode:  rt_sigprocmask rt_sigaction signalfd4 poll read write
 *                pipe2 clone(CLONE_VM|CLONE_VFORK|SIGCHLD) execve wait4
 *                kill getpid getppid getpgid setpgid ioctl(TIOCGPGRP,
 *                TIOCSPGRP) chdir close_range close
 *                clock_gettime (drain deadlines) exit_group
 *                prctl(PR_SET_NAME) at exit (the status for nucleus)
 *                arch_prctl set_tid_address (musl's static startup)
 *   PID 1:       reboot(LINUX_REBOOT_CMD_CAD_OFF), the mode probe; on EPERM
 *                also newfstatat(/proc/self/ns/pid)
 *   subreaper:   prctl(PR_SET_CHILD_SUBREAPER); at drain time
 *                openat(/proc/thread-self/children); in the workload's
 *                child before its exec, prctl(PR_SET_PDEATHSIG)
 *   -p SIG:      prctl(PR_SET_PDEATHSIG)
 *   system mode: sync reboot(RB_POWER_OFF or RB_AUTOBOOT)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>

#include "init.h"

/* The inode of the initial pid namespace, fixed by the kernel. */
#define PROC_PID_INIT_INO 0xEFFFFFFCU

/* Global only for init_exit(), the one way out reachable from die(). */
static struct init state = { .sfd = -1, .tty_fd = -1 };

int64_t now_ms(void)
{
	struct timespec ts;

	/* Raw: musl's vDSO lookup costs 700 bytes, this runs only in drains. */
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void signals_block(struct init *in)
{
	/* All of them, faults included: the kernel forces a real fault through
	 * any block, while a kill(2)ed SEGV is one more signal to forward. Raw
	 * syscall, because musl's sigfillset leaves out 32-34, which glibc
	 * programs send as SIGRTMIN and which would kill a non-PID-1 init. */
	ksigset all = ~(ksigset)0;

	if (syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &in->orig_mask,
		    sizeof(all)))
		die_errno("rt_sigprocmask");
}

static void sigchld_reset(void)
{
	/* The kernel's struct sigaction: handler, flags (SA_NOCLDWAIT off),
	 * restorer, mask. Raw, as SIG_DFL needs none of musl's wrapping. */
	unsigned long ksa[4] = { (unsigned long)SIG_DFL, 0, 0, 0 };

	if (syscall(SYS_rt_sigaction, SIGCHLD, ksa, NULL, sizeof(ksigset)))
		die_errno("sigaction SIGCHLD");
}

static int pid_ns_is_initial(void)
{
	struct stat st;

	return !syscall(SYS_newfstatat, AT_FDCWD, "/proc/self/ns/pid", &st,
			0) &&
	       st.st_ino == PROC_PID_INIT_INO;
}

static void mode_detect(struct init *in)
{
	in->self = getpid();
	in->ppid = getppid();
	if (in->self != 1) {
		in->mode = MODE_SUBREAPER;
		return;
	}
	/* In a child pid namespace reboot(2) refuses CAD_OFF with EINVAL; in
	 * the initial one it succeeds, and it is what a machine's init wants
	 * anyway: Ctrl-Alt-Del then arrives as SIGINT. No /proc needed.
	 * EPERM (no CAP_SYS_BOOT, or seccomp) says nothing: ask /proc. */
	if (reboot(RB_DISABLE_CAD) == 0)
		in->mode = MODE_SYSTEM;
	else
		in->mode = errno == EPERM && pid_ns_is_initial() ? MODE_SYSTEM
								 : MODE_NS;
}

static void args_load(struct init *in, int argc, char **argv)
{
	switch (parse_args(argc, argv, &in->cfg)) {
	case PARSE_HELP:
		print_help();
		init_exit(0);
	case PARSE_VERSION:
		print_version();
		init_exit(0);
	case PARSE_LICENSE:
		print_license();
		init_exit(0);
	case PARSE_ERROR:
		die("%s: %s", in->cfg.err_what, in->cfg.err_why);
	case PARSE_RUN:
		break;
	}
	log_verbosity = in->cfg.verbose;
}

static void mode_apply(struct init *in)
{
	static const char *const names[] = { "subreaper", "namespace init",
					     "system" };

	if (in->cfg.system) {
		if (in->self != 1)
			die("--system: needs to run as PID 1");
		in->mode = MODE_SYSTEM;
	}
	/* Without it, orphans reparent past us and their zombies leak. */
	if (in->mode == MODE_SUBREAPER && prctl(PR_SET_CHILD_SUBREAPER, 1))
		warn_errno("PR_SET_CHILD_SUBREAPER "
			   "(orphans will not be reaped)");
	msg(1, "pid %d, mode %s", in->self, names[in->mode]);
}

static void pdeathsig_arm(struct init *in)
{
	if (!in->cfg.pdeathsig)
		return;
	if (prctl(PR_SET_PDEATHSIG, in->cfg.pdeathsig))
		die_errno("PR_SET_PDEATHSIG");
	/* The parent may have died before the prctl, and then nothing would
	 * ever fire. ppid 0: the parent is outside our pid namespace. */
	if (in->ppid && getppid() != in->ppid)
		in->pdeath_pending = 1;
}

static void signalfd_open(struct init *in)
{
	ksigset all = ~(ksigset)0;

	in->sfd = (int)syscall(SYS_signalfd4, -1, &all, sizeof(all),
			       SFD_CLOEXEC | SFD_NONBLOCK);
	if (in->sfd < 0)
		die_errno("signalfd");
}

/* A poll or wait4 denied by a seccomp filter must fail now, with 125, and
 * not once the workload runs and its signals and zombies go unhandled. */
static void loop_probe(void)
{
	int st;

	if (syscall(SYS_poll, NULL, 0, 0) < 0)
		die_errno("poll");
	if (waitpid(-1, &st, WNOHANG) < 0 && errno != ECHILD)
		die_errno("waitpid");
}

/* Pin nothing of the caller: not its cwd (an unmount), nor its fds. */
static void release_caller(struct init *in)
{
	int fd;

	if (chdir("/"))
		warn_errno("chdir /");
	if ((in->sfd <= 3 ||
	     !syscall(SYS_close_range, 3, (unsigned)in->sfd - 1, 0)) &&
	    !syscall(SYS_close_range, in->sfd < 3 ? 3 : in->sfd + 1, ~0U, 0))
		return;
	/* close_range is 5.9+; some filters deny it. */
	for (fd = 3; fd < 1024; fd++)
		if (fd != in->sfd)
			close(fd);
}

/* Takes KEY=... out of the environment the workload inherits: what the
 * shim tells init alone (not in argv, so not in the sandbox's ps). Returns
 * the value of the last one, or NULL. */
static const char *env_take(const char *key)
{
	size_t n = strlen(key);
	char **e, **o;
	const char *v = NULL;

	for (e = o = environ; *e; e++)
		if (!strncmp(*e, key, n) && (*e)[n] == '=')
			v = *e + n + 1;
		else
			*o++ = *e;
	*o = NULL;
	return v;
}

/* The fd named by NUCLEUS_EXEC_FIFO_FD (nucleus's OCI `create`), or -1. */
static int exec_fifo_take(void)
{
	const char *p = env_take("NUCLEUS_EXEC_FIFO_FD");
	int fd = -1;

	if (p)
		for (fd = 0; *p >= '0' && *p <= '9';)
			fd = fd * 10 + (*p++ - '0');
	return fd;
}

/* Only a named FIFO of mode 0600 (what nucleus create hands over), not a
 * pipe (pipefs): a stray variable naming any other fd, stdout included,
 * must not make init wait on it. */
static int exec_fifo_check(int fd)
{
	struct stat st;
	struct statfs fs;

	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode) ||
			(st.st_mode & 07777) != 0600 || fstatfs(fd, &fs) < 0 ||
			fs.f_type == PIPEFS_MAGIC))
		die("NUCLEUS_EXEC_FIFO_FD=%d: not a FIFO", fd);
	return fd;
}

/* A created OCI container: the workload waits for `start`, which writes a
 * byte to the FIFO (open here read-write, so no writer's close is an EOF).
 * A signal meanwhile ends init as it would have ended the workload: there
 * is nothing to forward it to. Closed before the spawn: never inherited. */
static void exec_fifo_wait(struct init *in)
{
	int fd = exec_fifo_check(exec_fifo_take());
	struct pollfd p[2] = { { fd, POLLIN, 0 }, { in->sfd, POLLIN, 0 } };
	struct signalfd_siginfo si;

	while (fd >= 0 && !p[0].revents) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			die_errno("poll");
		if (p[1].revents &&
		    read(in->sfd, &si, sizeof(si)) == sizeof(si) &&
		    si.ssi_signo != SIGCHLD && si.ssi_signo != SIGWINCH)
			init_exit(128 + (int)si.ssi_signo);
	}
	if (fd >= 0)
		close(fd);
}

static int reboot_child(void *cmd)
{
	reboot((int)(long)cmd);
	_exit(errno);
}

static __attribute__((noreturn)) void system_halt(struct init *in, int code)
{
	int cmd = in->cfg.reboot ? RB_AUTOBOOT : RB_POWER_OFF;
	int st = 0;
	pid_t pid;

	/* The machine goes down: one line saying why is worth the noise. */
	msg(0, "%s status %d; %s",
	    in->spawned ? "workload exited with" : "init:", code,
	    in->cfg.reboot ? "rebooting" : "powering off");
	kill_leftovers(in, SIGKILL);
	sync();
	/* reboot(2) may end in do_exit() (a failed power-off falls back to
	 * halt, then exits): from PID 1 that panics, from a child it cannot. */
	pid = spawn_fn(reboot_child, (void *)(long)cmd);
	if (pid < 0)
		reboot(cmd);
	else if (waitpid(pid, &st, __WALL) == pid && WIFEXITED(st))
		errno = WEXITSTATUS(st);
	warn_errno("reboot");
	for (;;)
		loop_idle(in);
}

void init_exit(int code)
{
	if (state.mode == MODE_SYSTEM)
		system_halt(&state, code);
	_exit(code);
}

int main(int argc, char **argv)
{
	struct init *in = &state;

	signals_block(in);	   /* first: from here on a signal is queued,
				   never lost (PID 1) nor fatal (not PID 1) */
	sigchld_reset();	   /* an inherited SIG_IGN or SA_NOCLDWAIT would
				   auto-reap the workload and lose its status */
	mode_detect(in);	   /* before any way out: a machine's PID 1 must
				   not exit, not even on a usage error */
	args_load(in, argc, argv); /* pure; --help and --version end here */
	env_take("NUCLEUS_INIT_SIGMASK"); /* read: the workload's is its own */
	if (in->cfg.has_sigmask) /* nucleus kept signals blocked for us */
		in->orig_mask = (ksigset)in->cfg.sigmask;
	mode_apply(in); /* --system, the subreaper */
	pdeathsig_arm(in);
	signalfd_open(in);  /* the loop's one input: signals and SIGCHLD */
	loop_probe();	    /* a filter that denies the loop fails now */
	exec_fifo_wait(in); /* OCI create: until `start` */
	spawn_workload(in); /* back once exec succeeded; 126/127 if not */
	release_caller(in); /* after the spawn: the child keeps them */
	loop_run(in);	    /* never returns */
}
