/* SPDX-License-Identifier: MIT */
/*
 * nucleus-init's shared declarations: the parsed configuration, the state of
 * the running PID 1, and the few functions that cross file boundaries. One
 * header for one small program; nothing here is shared with the shim, and
 * nothing here allocates: the whole init runs without malloc.
 */
#ifndef NUCLEUS_INIT_H
#define NUCLEUS_INIT_H

#include <stdint.h>
#include <sys/types.h>

#ifndef NUCLEUS_VERSION
#define NUCLEUS_VERSION "0.1.0"
#endif

/* Exit codes of the contract (DESIGN.md): ours never collide with 1..124. */
#define EXIT_SETUP 125
#define EXIT_NOEXEC 126
#define EXIT_NOTFOUND 127

/* The name init takes just before it exits: this tag, then the workload's
 * raw wait status in decimal (at most 5 digits: 13 of comm's 15 bytes).
 * The shim's monitor.c knows the same tag. */
#define INIT_STATUS_TAG "wstatus="

#define GRACE_DEFAULT_MS 2000
#define GRACE_MAX_MS (86400 * 1000)
/* After SIGKILL, how long to wait for the reaping before giving up: a
 * process in D state may never die. */
#define KILL_WAIT_MS 2000
/* While killing, re-scan this often: orphans reparent to us without SIGCHLD. */
#define KILL_TICK_MS 100

/* The kernel's sigset_t for rt_sigprocmask/signalfd: signals 1..64, bit n-1. */
typedef uint64_t ksigset;
#define KSIG(n) ((ksigset)1 << ((n)-1))

enum init_mode {
	MODE_SUBREAPER, /* not PID 1: PR_SET_CHILD_SUBREAPER, never kill(-1) */
	MODE_NS,	/* PID 1 of a pid namespace: exiting kills the rest */
	MODE_SYSTEM,	/* PID 1 of the machine: must never exit */
};

enum parse_result {
	PARSE_RUN,
	PARSE_HELP,
	PARSE_VERSION,
	PARSE_LICENSE,
	PARSE_ERROR
};

struct config {
	int pgroup;		/* -g: forward to the workload's group */
	int grace;		/* -t, in milliseconds */
	int verbose;		/* -v, repeatable; -1: TINI_VERBOSITY=0 */
	int warn_reap;		/* -w: log every reaped zombie */
	int pdeathsig;		/* -p, 0: none */
	int system;		/* --system: force the system mode */
	int reboot;		/* --reboot; 0: --poweroff (the default) */
	uint64_t remap_exit[4]; /* -e: bitmap of exit codes reported as 0 */
	int has_sigmask;	/* --sigmask or NUCLEUS_INIT_SIGMASK given */
	uint64_t sigmask;	/* the workload's mask */
	char **cmd;		/* the workload's argv, after -- */
	const char *err_what;	/* PARSE_ERROR: the option or variable */
	const char *err_why;	/* PARSE_ERROR: what is wrong with it */
};

enum phase {
	RUNNING,
	DRAIN_TERM,
	DRAIN_KILL
};

struct init {
	struct config cfg;
	enum init_mode mode;
	ksigset orig_mask;   /* the caller's mask, restored in the child */
	int sfd;	     /* signalfd of every blocked signal */
	pid_t self;	     /* getpid(): tells our own SIGPIPE apart */
	pid_t ppid;	     /* getppid() at start, for the -p race check */
	pid_t pgrp;	     /* init's own process group */
	int tty_fd;	     /* the terminal init had in the foreground */
	int spawned;	     /* the workload was exec'd */
	pid_t child;	     /* the workload; 0 once reaped */
	pid_t child_pgid;    /* the workload's group; 0: setpgid failed */
	int group_signalled; /* the drain has signalled that group once */
	int status;	     /* the workload's wait status */
	int status_lost;     /* ECHILD before the workload was seen */
	int no_children;     /* the last waitpid said ECHILD */
	int pdeath_pending;  /* the parent died before -p was armed */
	enum phase phase;
	int64_t deadline; /* monotonic ms; 0: none */
};

/* args.c: pure, no syscalls. */
enum parse_result parse_args(int argc, char **argv, struct config *cfg);
void print_help(void);
void print_version(void);
void print_license(void);
int remap_has(const struct config *cfg, int code);

/* log.c: one line per message on stderr, written at once, no stdio. */
extern int log_verbosity;
__attribute__((format(printf, 2, 3))) void msg(int level, const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void warn_errno(const char *fmt, ...);
__attribute__((format(printf, 1, 2), noreturn)) void die(const char *fmt, ...);
__attribute__((format(printf, 1, 2), noreturn)) void die_errno(const char *fmt,
							       ...);
void out_write(int fd, const char *s);
size_t fmt_uint(char *buf, unsigned long v);

/* main.c: the only way out of init; never returns in system mode. */
__attribute__((noreturn)) void init_exit(int code);
int64_t now_ms(void);

/* spawn.c */
void spawn_workload(struct init *in);
int spawn_fn(int (*fn)(void *), void *arg);

/* loop.c */
__attribute__((noreturn)) void loop_run(struct init *in);
void loop_idle(struct init *in);
void kill_leftovers(struct init *in, int sig);

#endif
