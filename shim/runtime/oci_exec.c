// SPDX-License-Identifier: MIT
/*
 * `nucleus exec ID [-t] [--console-socket S] [--process FILE | [-e K=V]
 * [--cwd D] [-u UID[:GID]] CMD]`:
 * a new process in a running container, never more than its workload may
 * do. Its confinement is computed as the workload's was: the bundle's
 * config.json (with --process's object, or the command line's changes, in
 * place of its process) becomes nucleus's argv, which the one parser reads,
 * so caps, rlimits, no_new_privs, Landlock and the seccomp program are the
 * same code on the same input. This process, made non-dumpable first, moves
 * into the container's cgroups, enters all its namespaces at once through
 * its init's pidfd (the mount one puts it at the container's root) and
 * forks the new process, which lands in the container's pid namespace,
 * confines itself and execs. Its status is exec's (or, --detach, its pid
 * goes to --pid-file and whoever is the subreaper reaps it). A terminal
 * (-t, or process.terminal under --process) is a pty of the container's
 * devpts, made as the workload's is (setup/console.c): its master goes to
 * --console-socket, or, without one, exec relays it to its own terminal
 * (runtime/tty.c), as runc does.
 */
#include "runtime/oci_exec.h"
#include "runtime/oci.h"
#include "cli/oci.h"
#include "host/cgroup.h"
#include "host/identity.h"
#include "runtime/oci_state.h"
#include "runtime/tty.h"
#include "setup/console.h"
#include "setup/confine.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct exec_cmd {
	const char *id, *process, *cwd, *user, *pid_file, *console;
	int detach, tty, n_env;
	char **env, **cmd; /* env: K=V of -e; cmd: NULL-terminated */
};

/* runc's exec options, the ID, then the command (a leading -- skipped). */
static void exec_parse(int argc, char **argv, struct exec_cmd *e)
{
	int i = 0;

	e->env = calloc((size_t)argc + 1, sizeof(*e->env));
	if (!e->env)
		die_errno("calloc");
	for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i];

		if (oci_opt_is(a, "--process", "-p"))
			e->process = oci_opt_val(argc, argv, &i);
		else if (oci_opt_is(a, "--cwd", NULL))
			e->cwd = oci_opt_val(argc, argv, &i);
		else if (oci_opt_is(a, "--env", "-e"))
			e->env[e->n_env++] =
				(char *)oci_opt_val(argc, argv, &i);
		else if (oci_opt_is(a, "--user", "-u"))
			e->user = oci_opt_val(argc, argv, &i);
		else if (oci_opt_is(a, "--pid-file", NULL))
			e->pid_file = oci_opt_val(argc, argv, &i);
		else if (oci_opt_is(a, "--detach", "-d"))
			e->detach = 1;
		else if (oci_opt_is(a, "--tty", "-t"))
			e->tty = 1;
		else if (oci_opt_is(a, "--console-socket", NULL))
			e->console = oci_opt_val(argc, argv, &i);
		else
			die("exec: unknown option '%s'", a);
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc)
		die("exec: needs a container ID");
	e->id = argv[i++];
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	e->cmd = argv + i;
	if (!e->process && i >= argc)
		die("exec: needs a command, or --process FILE");
	if (e->process && (i < argc || e->cwd || e->n_env || e->user))
		die("exec: --process FILE holds the command, its env, cwd and "
		    "user: give none of them beside it");
}

/* The command line's changes on the container's argv: a new command, and
 * --chdir, --env, --user after its own (a later one wins). */
static char **exec_edit(char **v, int argc, const struct exec_cmd *e,
			int *out_argc)
{
	int n = 0, k = 0;
	char **out;

	while (e->cmd[n])
		n++;
	out = calloc((size_t)(argc + 2 * e->n_env + n + 8), sizeof(*out));
	if (!out)
		die_errno("calloc");
	for (int i = 0; i < argc && strcmp(v[i], "--"); i++) {
		/* A replaced --user takes its --groups along. */
		if (i + 1 < argc &&
		    (((e->user && (!strcmp(v[i], "--user") ||
				   !strcmp(v[i], "--groups"))) ||
		      (e->cwd && !strcmp(v[i], "--chdir"))))) {
			i++;
			continue;
		}
		out[k++] = v[i];
	}
	if (e->cwd) {
		out[k++] = "--chdir";
		out[k++] = (char *)e->cwd;
	}
	for (int i = 0; i < e->n_env; i++) {
		out[k++] = "--env";
		out[k++] = e->env[i];
	}
	if (e->user) {
		out[k++] = "--user";
		out[k++] = (char *)e->user;
	}
	out[k++] = "--";
	for (int i = 0; i < n; i++)
		out[k++] = e->cmd[i];
	*out_argc = k;
	return out;
}

/* A named argv sandbox's argv as it was started ("argv" beside its
 * state, NUL-separated: runtime/named.c). */
static char **exec_saved(int dir, const struct exec_cmd *e, int *argc)
{
	char path[64], *text, **v;
	size_t len, n = 0;

	if (e->process)
		die("exec --process: '%s' is a --name sandbox, not an OCI "
		    "container: give the command instead",
		    e->id);
	snprintf(path, sizeof(path), "/proc/self/fd/%d/argv", dir);
	text = host_input_read(path, "--name's argv", 1 << 20, &len);
	for (size_t i = 0; i < len; i++)
		n += !text[i];
	if (!(v = calloc(n + 1, sizeof(*v))))
		die_errno("calloc");
	*argc = 0;
	for (size_t i = 0; i < len; i += strlen(text + i) + 1)
		v[(*argc)++] = text + i;
	return v;
}

/* Never more than the workload: each capability flag of the exec's argv
 * (--cap-add, --cap-bound, --cap-inheritable, --cap-ambient) must be the
 * container's own too (runc grants whatever process.json asks). */
static void exec_caps_within(char **v, int n, char **c, int cn)
{
	for (int i = 0; i + 1 < n && strcmp(v[i], "--"); i++) {
		int k = 0;

		if (strncmp(v[i], "--cap-", 6))
			continue;
		while (k + 1 < cn && strcmp(c[k], "--") &&
		       (strcmp(c[k], v[i]) || strcmp(c[k + 1], v[i + 1])))
			k++;
		if (k + 1 >= cn || !strcmp(c[k], "--"))
			die("exec: %s %s is more than the container's "
			    "workload holds",
			    v[i], v[i + 1]);
	}
}

/* The container's argv for this exec: config.json from its bundle,
 * seccomp.json from its state directory (written at create). */
static char **exec_argv(struct exec_cmd *e, const struct oci_state *st, int dir,
			int *argc)
{
	char path[4200], sc[4200], err[512];
	cleanup_free char *json = NULL, *proc = NULL;
	struct oci_args a = { 0 };
	size_t len, plen = 0;
	ssize_t n;
	char **v;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", dir);
	n = readlink(path, sc, sizeof(sc) - 20);
	if (n <= 0)
		die_errno("state directory");
	snprintf(sc + n, sizeof(sc) - (size_t)n, "/seccomp.json");
	a.seccomp_path = sc;
	if (!st->bundle[0]) { /* a named argv sandbox: its own argv */
		v = exec_saved(dir, e, &a.argc);
		return exec_edit(v, a.argc, e, argc);
	}
	snprintf(path, sizeof(path), "%s/config.json", st->bundle);
	json = host_input_read(path, "bundle", 1 << 20, &len);
	if (e->process)
		proc = host_input_read(e->process, "--process", 1 << 20, &plen);
	die_step = "config.json";
	if (oci_argv_process(json, len, proc, plen, st->bundle, &a, err,
			     sizeof(err)) < 0)
		die("%s", err);
	free(a.seccomp); /* the file is there since create */
	if (e->process) {
		struct oci_args c = { .seccomp_path = sc };

		e->tty = a.terminal; /* runc: --tty is for the command line's */
		if (oci_argv(json, len, st->bundle, &c, err, sizeof(err)) < 0)
			die("%s", err);
		exec_caps_within(a.argv, a.argc, c.argv, c.argc);
		*argc = a.argc;
		return a.argv;
	}
	return exec_edit(a.argv, a.argc, e, argc);
}

/* The workload's way in, in the container: ids, env, cwd, then the
 * workload's own confinement; never returns. */
static __attribute__((noreturn)) void exec_child(const struct config *cfg,
						 const struct prepared *prep,
						 char **files, char **cmd)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	console_open(prep); /* the container's /dev/pts: we are in its mnt */
	identity_apply(cfg, &prep->id, &prep->tier, files);
	console_ctty(prep); /* after identity_apply's setsid */
	confine_apply(cfg, prep);
	identity_fds(cfg);
	execvp(cmd[0], cmd);
	fprintf(stderr, "nucleus: exec: %s: %s\n", cmd[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* Until the process ends: the signals exec gets are its (SIGWINCH under
 * -t: its pty's size), and t, when not NULL, relays its terminal. */
static int exec_wait(pid_t pid, int sigfd, struct tty_relay *t)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0), status = 0;
	struct pollfd p[4] = { { sigfd, POLLIN, 0 },
			       { pfd, POLLIN, 0 },
			       { .fd = -1 },
			       { .fd = -1 } };
	struct signalfd_siginfo si;

	while (pfd >= 0) {
		if (t)
			tty_fds(t, p + 2);
		if (poll(p, 4, -1) < 0)
			break;
		if (t)
			tty_relay(t, p + 2);
		if (p[1].revents)
			break;
		if (!p[0].revents || read(sigfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGWINCH && t)
			tty_winsize(t);
		else
			(void)kill(pid, (int)si.ssi_signo);
	}
	if (t)
		tty_end(t);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die_errno("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Every namespace of init's that is not ours already, in one setns. */
static void exec_enter(pid_t init, int pidfd)
{
	static const char names[][7] = { "mnt", "uts",	  "ipc", "net",
					 "pid", "cgroup", "user" };
	static const int flags[] = { CLONE_NEWNS,  CLONE_NEWUTS,
				     CLONE_NEWIPC, CLONE_NEWNET,
				     CLONE_NEWPID, CLONE_NEWCGROUP,
				     CLONE_NEWUSER };
	char a[64], b[64], path[64];
	int want = 0;

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		ssize_t n, m;

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)init,
			 names[i]);
		n = readlink(path, a, sizeof(a));
		snprintf(path, sizeof(path), "/proc/self/ns/%s", names[i]);
		m = readlink(path, b, sizeof(b));
		if (n <= 0)
			die_errno("%s", path);
		if (n != m || memcmp(a, b, (size_t)n))
			want |= flags[i];
	}
	die_step = "setns";
	if (setns(pidfd, want) < 0)
		die_errno("enter the container's namespaces");
}

int oci_exec(int rootfd, int argc, char **argv)
{
	struct exec_cmd e = { 0 };
	struct oci_state st;
	struct config cfg;
	/* report: none (fd 0 is the process's stdin, never a report pipe) */
	struct prepared prep = { .report = { .wr = -1, .peer = -1 } };
	struct config_room room;
	struct tty_relay tty;
	char err[512], **v, **files;
	int dir, pidfd, sigfd, n, pf = -1, ts;
	sigset_t set;
	pid_t pid;

	die_step = "exec";
	exec_parse(argc, argv, &e);
	oci_id_check(e.id);
	dir = oci_state_dir(rootfd, e.id);
	if (oci_state_read(dir, &st) < 0 || strcmp(oci_status(&st), "running"))
		die("container '%s' is not running", e.id);
	pidfd = (int)syscall(SYS_pidfd_open, st.pid, 0);
	if (pidfd < 0 || oci_pid_start(st.pid) != st.pid_start)
		die("container '%s' is not running", e.id);
	v = exec_argv(&e, &st, dir, &n);
	room = (struct config_room){ calloc((size_t)n, sizeof(*room.ops)),
				     calloc((size_t)n, sizeof(*room.env)),
				     (size_t)n };
	if (!room.ops || !room.env)
		die_errno("calloc");
	die_step = "args";
	if (parse_args(n, v, &cfg, room, err, sizeof(err)) != PARSE_OK)
		die("%s", err);
	if (e.console && !e.tty)
		die("exec --console-socket: needs --tty or process.terminal");
	if (e.tty && !e.console && e.detach)
		die("exec --detach: a terminal needs --console-socket");
	/* The container's own terminal flags were its workload's. */
	cfg.console_socket = e.console;
	cfg.tty = e.tty && !e.console;
	/* Before it is in the container: nothing there may ptrace it. */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		die_errno("PR_SET_DUMPABLE");
	seccomp_prepare(&cfg, &prep);
	identity_check(&cfg, &prep.id);
	files = identity_load_env(&cfg);   /* host files: before setns */
	ts = console_prepare(&cfg, &prep); /* a host path too */
	/* A host path: opened before the container's mounts are ours. */
	if (e.pid_file &&
	    (pf = open(e.pid_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		       0644)) < 0)
		die_errno("%s", e.pid_file);
	cgroup_join(st.pid);
	exec_enter(st.pid, pidfd);
	sigfillset(&set);
	sigdelset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (sigfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0)
		die_errno("signalfd");
	die_step = "exec";
	pid = fork();
	if (pid < 0)
		die_errno("fork");
	if (pid == 0)
		exec_child(&cfg, &prep, files, cfg.argv);
	if (prep.console >= 0)
		close(prep.console); /* the child's: its death is EOF */
	if (ts >= 0)
		tty_start(&tty, ts);
	if (!e.detach)
		return exec_wait(pid, sigfd, ts >= 0 ? &tty : NULL);
	if (pf >= 0 && (dprintf(pf, "%d", (int)pid) < 0 || close(pf) < 0))
		die_errno("%s", e.pid_file);
	return 0;
}
