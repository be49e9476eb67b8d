// SPDX-License-Identifier: MIT
/*
 * clone3 into new namespaces, then the child's ordered steps, each
 * irreversible. Two pipes tie parent and child: `sync` releases the child
 * once the parent has written its id maps (EOF before that means the parent
 * died, so the child quits), and `err` carries one byte when a setup step
 * fails, so the monitor reports 125 instead of confusing a setup error with
 * the workload's own exit code; a successful exec closes it empty. Then
 * the clone runtime's operations for the monitor (runtime.h): signals
 * through init's pidfd, and init's end read from its wait status.
 */
#include "runtime/sandbox.h"
#include "setup/console.h"
#include "setup/join.h"
#include "host/audit.h"
#include "setup/confine.h"
#include "host/identity.h"
#include "runtime/monitor.h"
#include "setup/mount.h"
#include "host/net.h"
#include "host/report.h"
#include "host/tier.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

extern char **environ;

/* Our own copy: <linux/sched.h> clashes with musl's <sched.h>. Up to
 * `cgroup` (v2): the child starts inside its cgroup. */
struct clone_args_v2 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

/* die() in the child: one byte down the err pipe (arg: its fd). */
static void child_undo(void *arg)
{
	(void)write_all(*(int *)arg, "\1", 1);
}

uint64_t sandbox_clone_flags(const struct config *cfg,
			     const struct prepared *prep)
{
	/* NEWCGROUP: with CLONE_INTO_CGROUP its root is the sandbox's own
	 * cgroup, so /proc/self/cgroup shows no host path. */
	uint64_t f = CLONE_NEWNS | CLONE_PIDFD | CLONE_NEWCGROUP;

	if (!(cfg->share & SHARE_PID) && !cfg->join_ns[JOIN_PID])
		f |= CLONE_NEWPID;
	if (!(cfg->share & SHARE_NET) && !cfg->join_ns[JOIN_NET])
		f |= CLONE_NEWNET;
	if (!(cfg->share & SHARE_IPC) && !cfg->join_ns[JOIN_IPC])
		f |= CLONE_NEWIPC;
	if (!(cfg->share & SHARE_UTS) && !cfg->join_ns[JOIN_UTS])
		f |= CLONE_NEWUTS;
	/* Without root, a user namespace is what lets us create the rest. */
	if (prep->id.userns)
		f |= CLONE_NEWUSER;
	return f;
}

static void child_wait_release(int sync_rd)
{
	char c;
	ssize_t n;

	do
		n = read(sync_rd, &c, 1);
	while (n < 0 && errno == EINTR);
	/* EOF: the parent died before releasing us; nobody would reap us. */
	if (n != 1)
		_exit(EXIT_SETUP);
}

/* The kernel clears the parent-death signal on every change of uid, gid
 * or capabilities beyond a subset (--user, --groups, --map-subids, the
 * ids the user namespace maps): armed again once the identity is final,
 * before seccomp may deny prctl. The monitor may have died in between:
 * it holds the sync pipe's write end until init runs, so a hang-up on
 * it means that nothing would ever kill or reap this sandbox. */
static void child_rearm_parent_death(int sync_rd, int arm)
{
	struct pollfd p = { .fd = sync_rd, .events = POLLIN };

	die_step = "child";
	if (arm && prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die_errno("PR_SET_PDEATHSIG");
	if (poll(&p, 1, 0) < 0)
		die_errno("poll the monitor's pipe");
	if (p.revents & (POLLHUP | POLLERR))
		_exit(EXIT_SETUP); /* the monitor is gone: so are we */
	close(sync_rd);
}

/* OCI `create` (runtime/oci.c) hands init the fd of a FIFO that holds the
 * workload until `start`: its number comes in the monitor's environment,
 * is taken out of it and checked before clone (exec_fifo_take), and goes
 * to init's environment alone, set again after identity_apply's clearenv;
 * init takes it out before the workload's exec. Not a flag, so that
 * nothing of it shows in the sandbox's ps. */
#define EXEC_FIFO_ENV "NUCLEUS_EXEC_FIFO_FD"

/* The variable, if set, must name an open FIFO of mode 0600 on a file
 * system, not a pipe (what `create` made): anything else is a caller's
 * stray variable, refused rather than letting init wait on that fd. */
static int exec_fifo_take(void)
{
	const char *v = getenv(EXEC_FIFO_ENV);
	struct stat st;
	struct statfs fs;
	char *end;
	long fd;

	if (!v)
		return -1;
	fd = strtol(v, &end, 10);
	if (*v < '0' || *v > '9' || *end || fd < 3 || fd > 65535 ||
	    fstat((int)fd, &st) < 0 || !S_ISFIFO(st.st_mode) ||
	    (st.st_mode & 07777) != 0600 || fstatfs((int)fd, &fs) < 0 ||
	    fs.f_type == PIPEFS_MAGIC)
		die("%s=%.16s: not the FIFO of nucleus create", EXEC_FIFO_ENV,
		    v);
	unsetenv(EXEC_FIFO_ENV);
	return (int)fd;
}

void sandbox_exec_init(const struct config *cfg, const struct prepared *prep)
{
	char **argv = calloc((size_t)cfg->argc + 3, sizeof(*argv));
	char maskarg[20];
	int i = 1;

	die_step = "exec";
	if (!argv)
		die_errno("calloc");
	argv[0] = "nucleus-init";
	/* In init's environment, which init empties of it, not its argv:
	 * the sandbox's ps shows a plain init, and tini (--init) runs. */
	snprintf(maskarg, sizeof(maskarg), "%llx",
		 (unsigned long long)prep->init_sigmask);
	if (prep->has_init_sigmask &&
	    setenv("NUCLEUS_INIT_SIGMASK", maskarg, 1) < 0)
		die_errno("setenv");
	argv[i++] = "--";
	memcpy(argv + i, cfg->argv, (size_t)cfg->argc * sizeof(*argv));
	/* Only 0-2 and --keep-fd survive; the memfd is close-on-exec yet
	 * still execs. */
	identity_fds(cfg);
	die_step = "exec";
	if (prep->exec_fifo >= 0 && fcntl(prep->exec_fifo, F_SETFD, 0) < 0)
		die_errno("the exec FIFO's fd");
	syscall(SYS_execveat, prep->initfd, "", argv, environ, AT_EMPTY_PATH);
	die_errno("execveat nucleus-init");
}

void sandbox_steps(const struct config *cfg, const struct prepared *prep)
{
	/* confine-only: no namespace to set up, the rest still applies. */
	int ns = prep->tier.tier != TIER_CONFINE_ONLY;
	char **env_files;

	join_enter(prep); /* first: the name and the network are its own */
	/* A joined uts namespace keeps its owner's name unless one is given. */
	if (ns && !(cfg->share & SHARE_UTS) &&
	    (cfg->hostname || !cfg->join_ns[JOIN_UTS])) {
		const char *h = cfg->hostname ? cfg->hostname : "nucleus";

		die_step = "hostname";
		if (sethostname(h, strlen(h)) < 0)
			die_errno("sethostname '%s'", h);
	}
	if (ns)
		net_setup(
			cfg,
			&prep->net); /* lo up, egress rules: nft is a host binary */
	env_files = identity_load_env(cfg); /* host files: before pivot_root */
	identity_enter(cfg, &prep->id); /* a root caller's ids: before mkdir */
	if (ns) {
		mount_setup(cfg, prep);
		net_dns(cfg); /* pasta's resolver, over the bound /etc */
	}
	timing_mark("mounts");
	console_open(prep); /* the sandbox's /dev/pts: after the mounts */
	/* ids, session, env, cwd: after the mounts */
	identity_apply(cfg, &prep->id, &prep->tier, env_files);
	console_ctty(prep); /* after identity_apply's setsid */
}

static __attribute__((noreturn)) void sandbox_child(const struct config *cfg,
						    const struct prepared *prep,
						    int sync_rd, int err_wr)
{
	/* Replaces the monitor's, which this copy of its memory must not
	 * run: the cgroup and the rest are the monitor's to undo. */
	die_undo = (struct die_undo){ child_undo, &err_wr };
	die_step = "child";
	/* The monitor's death must take the sandbox with it; not under OCI
	 * create, whose init is the caller's child (sandbox_adopted). */
	if (prep->exec_fifo < 0 && prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die_errno("PR_SET_PDEATHSIG");
	child_wait_release(sync_rd);
	timing_mark("released");
	/* Maps are written: from now on nothing may ptrace the setup. */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		die_errno("PR_SET_DUMPABLE");
	sandbox_steps(cfg, prep); /* its identity_apply clears the env */
	if (prep->exec_fifo >= 0) {
		char fd[12];

		snprintf(fd, sizeof(fd), "%d", prep->exec_fifo);
		if (setenv(EXEC_FIFO_ENV, fd, 1) < 0)
			die_errno("setenv");
	}
	/* after the last id change */
	child_rearm_parent_death(sync_rd, prep->exec_fifo < 0);
	confine_apply(cfg, prep); /* last: everything above needed privilege */
	timing_mark("confine");
	sandbox_exec_init(cfg, prep);
}

/* cgfd >= 0: straight into the cgroup, so no instruction of the child
 * runs outside it (monitor_attach is the fallback before release). */
static pid_t sandbox_clone(uint64_t flags, int *pidfd, int cgfd)
{
	struct clone_args_v2 ca = {
		.flags = flags | (cgfd >= 0 ? CLONE_INTO_CGROUP : 0),
		.pidfd = (uint64_t)(uintptr_t)pidfd,
		/* clone3 wants none with CLONE_PARENT: the child then
		 * signals as we do, which is SIGCHLD too */
		.exit_signal = flags & CLONE_PARENT ? 0 : SIGCHLD,
		.cgroup = (uint64_t)(cgfd >= 0 ? cgfd : 0),
	};
	pid_t pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));

	/* A seccomp profile (Docker's) may answer ENOSYS for clone3, so
	 * that libcs fall back to clone: so do we; CLONE_PIDFD puts the
	 * pidfd where clone's parent_tid points. */
	if (pid < 0 && errno == ENOSYS && cgfd < 0)
		return (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD,
				      NULL, pidfd, NULL, 0);
	if (pid < 0 && cgfd >= 0 && errno != EAGAIN && errno != ENOMEM)
		return sandbox_clone(flags, pidfd, -1);
	return pid;
}

struct clone_ctx {
	int *pidfd, cgfd;
};

static pid_t sandbox_clone_cb(uint64_t flags, void *arg)
{
	struct clone_ctx *c = arg;

	return sandbox_clone(flags, c->pidfd, c->cgfd);
}

/* Waits for the child's verdict: EOF means init is running. */
static void sandbox_wait_exec(struct sandbox *sb, struct monitor *m)
{
	char c;
	ssize_t n;

	do
		n = read(sb->errfd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return;
	/* The child already printed why; reap it and report setup failure. */
	waitpid(sb->pid, NULL, 0);
	die_step = "sandbox";
	monitor_fail(m); /* the cgroup, pasta, the records */
}

void sandbox_start(void *rt, struct monitor *m)
{
	struct sandbox *sb = rt;
	const struct config *cfg = m->cfg;
	struct prepared *prep = sb->prep;
	int syncp[2], errp[2];
	uint64_t flags;
	int cgfd, own_pid;
	struct clone_ctx ctx;
	struct report_pipe rp; /* the monitor's end of --report */

	die_step = "setup";
	prep->exec_fifo = exec_fifo_take(); /* OCI create's, before clone */
	/* The signals the monitor forwards stay blocked through the exec:
	 * as PID 1 with no handler yet, the child (and init until its
	 * signalfd) would drop them; blocked, they wait queued for init,
	 * which gives the workload the caller's own mask. */
	sb->pasta = -1; /* before monitor_prepare: its cleanup reads it */
	memcpy(&prep->init_sigmask, sb->mask, sizeof(prep->init_sigmask));
	prep->has_init_sigmask = 1;
	identity_check(cfg, &prep->id); /* before clone: nothing to undo */
	flags = sandbox_clone_flags(cfg, prep);
	/* OCI create: init is the caller's child, not ours (sandbox_adopted) */
	if (prep->exec_fifo >= 0)
		flags |= CLONE_PARENT;
	/* A host path: checked before anything runs. */
	report_prepare(cfg, &rp, &prep->report);
	cgfd = monitor_prepare(m); /* the cgroup, to clone straight into */
	prep->notify_socket = m->notify.path; /* the relay, made just now */
	mount_prepare(cfg, prep); /* its helper no process of the sandbox's */
	die_step = "clone";
	if (pipe2(syncp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)
		die_errno("pipe2");
	ctx = (struct clone_ctx){ &sb->pidfd, cgfd };
	own_pid = join_pid(prep, -1); /* --join-ns pid: for the child */
	/* Every namespace, or the best tier the kernel allows (tier.c). */
	sb->pid = tier_clone(cfg, &prep->tier, &prep->id.userns, &flags,
			     sandbox_clone_cb, &ctx);
	if (sb->pid < 0)
		die_errno("clone3");
	if (sb->pid > 0 && own_pid >= 0)
		(void)join_pid(prep, own_pid);
	if (sb->pid == 0) {
		close(syncp[1]);
		close(errp[0]);
		sandbox_child(cfg, prep, syncp[0], errp[1]);
	}
	timing_mark("clone");
	close(syncp[0]);
	close(errp[1]);
	sb->errfd = errp[0];
	if (flags & CLONE_NEWUSER)
		identity_write_maps(&prep->id, sb->pid);
	timing_mark("maps");
	/* pasta joined before the child runs */
	net_start(cfg, &prep->net, prep->id.userns, sb->pid, &sb->pasta);
	monitor_attach(m, sb->pid); /* v1 cgroups: before the child runs */
	/* EPIPE, never a silent SIGPIPE (sink_write): the child died before
	 * its release (killed from outside): 125, cleaned up. */
	if ((errno = -sink_write(syncp[1], "", 1))) {
		if (errno != EPIPE)
			die_errno("release child");
		waitpid(sb->pid, NULL, 0);
		die("the sandbox's child died before its release");
	}
	mount_prepare_end(prep); /* while the child sets up */
	report_collect(&rp);	 /* EOF once the child's exec closes its end */
	sandbox_wait_exec(sb, m);
	close(syncp[1]); /* held until init runs: see the child's re-arm */
	report_write(cfg, &m->cg, &prep->tier, &rp, sb->pid,
		     sb->pidfd); /* init runs */
	timing_mark("exec");
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
static int sandbox_raw_status(const struct sandbox *sb)
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

/* OCI create (an exec FIFO): init is cloned with CLONE_PARENT, so that it
 * is the child of `nucleus create`'s caller once create has returned. Its
 * callers, conmon (podman) and containerd's runc shim, are child subreapers
 * that learn the container's exit status only by reaping the pid that
 * --pid-file names, and nucleus-init exits with the workload's code. The
 * monitor stays, a sibling that watches init's pidfd and removes the
 * cgroup at the end; its death no longer kills the container (runc has no
 * monitor at all): `delete` KILLs init, and a cgroup that a KILLed
 * monitor left is reaped by the next nucleus run, as in argv mode. init's
 * status here is what init published or, once the caller has reaped it,
 * 0: the monitor's exit code has no reader then. */
static int sandbox_adopted(const struct sandbox *sb, siginfo_t *si, int raw)
{
	if (sb->prep->exec_fifo < 0 || errno != ECHILD)
		return 0;
	si->si_code = raw >= 0 && WIFSIGNALED(raw) ? CLD_KILLED : CLD_EXITED;
	si->si_status = raw < 0		   ? 0
			: WIFSIGNALED(raw) ? WTERMSIG(raw)
					   : WEXITSTATUS(raw);
	return 1;
}

static void sandbox_wait(void *rt, struct outcome *o)
{
	const struct sandbox *sb = rt;
	int raw = sandbox_raw_status(sb); /* before waitid reaps init */
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	while (waitid(P_PIDFD, (id_t)sb->pidfd, &si, WEXITED) < 0) {
		if (sandbox_adopted(sb, &si, raw))
			break;
		if (errno != EINTR)
			die_errno("waitid");
	}
	o->code = si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
	/* init reports a workload killed by N as 128+N, like a shell; its
	 * raw status tells that apart from a plain "exit 128+N". */
	if (si.si_code != CLD_EXITED)
		o->signal = si.si_status;
	else if (raw >= 0)
		o->signal = WIFSIGNALED(raw) && o->code == 128 + WTERMSIG(raw)
				    ? WTERMSIG(raw)
				    : 0;
	else if (o->code > 128 && o->code < 128 + 65)
		o->signal = o->code - 128;
}

static void sandbox_audit_exec(void *rt, const struct monitor *m,
			       struct json *j)
{
	json_int(j, "init_pid", ((const struct sandbox *)rt)->pid);
	json_uint(j, "setup_ms", now_ms() - m->tprep);
}

/* Through the pidfd: never a recycled pid. ESRCH: init already gone. */
static void sandbox_signal(void *rt, int sig)
{
	(void)sys_pidfd_send_signal(((struct sandbox *)rt)->pidfd, sig);
}

/* KILL to init: its pid namespace goes with it. */
static uint64_t sandbox_kill(void *rt, int n)
{
	(void)n;
	sandbox_signal(rt, SIGKILL);
	return 0;
}

static int sandbox_end_fd(const void *rt)
{
	return ((const struct sandbox *)rt)->pidfd;
}

/* Every way out after clone, die() included: init KILLed and reaped
 * before the monitor drains the cgroup, where an unreaped zombie keeps
 * v2's "populated 1". Reaped already (the end, or a setup failure):
 * ESRCH and ECHILD, harmless. */
static void sandbox_cleanup(void *rt)
{
	struct sandbox *sb = rt;
	siginfo_t si;

	if (sb->pid > 0) {
		(void)sys_pidfd_send_signal(sb->pidfd, SIGKILL);
		while (waitid(P_PIDFD, (id_t)sb->pidfd, &si, WEXITED) < 0 &&
		       errno == EINTR)
			;
	}
	net_stop(&sb->pasta); /* when it runs */
}

const struct runtime_ops sandbox_runtime = {
	.start = sandbox_start,
	.audit_exec = sandbox_audit_exec,
	.signal = sandbox_signal,
	.kill = sandbox_kill,
	.end_fd = sandbox_end_fd,
	.wait = sandbox_wait,
	.cleanup = sandbox_cleanup,
	.term_grace = 1,
};
