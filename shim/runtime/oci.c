// SPDX-License-Identifier: MIT
/*
 * The OCI verbs (oci.h). `run` is chain loading: config.json becomes
 * nucleus's own argv (cli/oci.h), which this binary execs as the monitor of
 * the argv form, so an OCI container gets the very parser, plan, setup and
 * monitor of `nucleus [flags] -- CMD`; the verb adds `--report fd:N` to
 * learn, from the report's "pid", that init runs and under which host pid.
 * Around it the verb keeps the state directory (oci_state.c): made before
 * the monitor starts, removed once it ends (or, --detach, left to `state`,
 * `kill` and `delete`, which reach the container through its state).
 * Under `create` init is not the monitor's child but the caller's
 * (CLONE_PARENT, runtime/sandbox.c): conmon and containerd's runc shim are
 * subreapers that take the exit code from reaping the --pid-file pid.
 */
#include "runtime/oci.h"
#include "cli/config.h"
#include "cli/oci.h"
#include "runtime/oci_exec.h"
#include "runtime/oci_hooks.h"
#include "runtime/oci_live.h"
#include "runtime/oci_state.h"
#include "lib/json.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct oci_cmd {
	const char *root, *verb, *id, *bundle, *pid_file, *format, *sig;
	const char *log;     /* --log: where die() also writes its line */
	const char *console; /* --console-socket: for process.terminal */
	int detach, force, all, log_json;
	int preserve_fds; /* --preserve-fds N: fds 3..N+2 kept (--keep-fd) */
	int rootfd, fifo; /* fifo: create's exec.fifo, else 0 */
	int rest;	  /* exec: where its own arguments start */
};

/* From exec on, each verb parses its own options (oci_exec.c, oci_live.c). */
static const char *const verbs[] = { "run",	 "create", "start",  "state",
				     "kill",	 "delete", "list",   "spec",
				     "features", "exec",   "pause",  "resume",
				     "ps",	 "events", "update", NULL };
static const char *const globals[] = { "--root",	   "--log",
				       "--log-format",	   "--debug",
				       "--systemd-cgroup", NULL };

static int in(const char *s, const char *const *v)
{
	for (; *v; v++)
		if (!strcmp(s, *v))
			return 1;
	return 0;
}

int oci_is_verb(int argc, char **argv)
{
	const char *eq = argc > 1 ? strchr(argv[1], '=') : NULL;
	char name[16];

	if (argc < 2)
		return 0;
	/* --root=DIR (podman's --runtime-flag root=DIR) as --root DIR */
	if (eq && eq - argv[1] < (long)sizeof(name))
		snprintf(name, sizeof(name), "%.*s", (int)(eq - argv[1]),
			 argv[1]);
	return in(argv[1], verbs) || in(eq ? name : argv[1], globals);
}

const char *oci_opt_val(int argc, char **argv, int *i)
{
	const char *eq = argv[*i][1] == '-' ? strchr(argv[*i], '=') : NULL;

	if (eq)
		return eq + 1;
	if (*i + 1 >= argc)
		die("%s needs a value", argv[*i]);
	return argv[++*i];
}

int oci_opt_is(const char *arg, const char *name, const char *short_name)
{
	size_t n = strlen(name);

	return (!strncmp(arg, name, n) && (!arg[n] || arg[n] == '=')) ||
	       (short_name && !strcmp(arg, short_name));
}

/* Global flags, the verb, then its options and operands in any order. */
static void oci_parse(int argc, char **argv, struct oci_cmd *c)
{
	int i = 1;

	die_step = "args";
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (oci_opt_is(argv[i], "--root", NULL))
			c->root = oci_opt_val(argc, argv, &i);
		else if (oci_opt_is(argv[i], "--log", NULL))
			c->log = oci_opt_val(argc, argv, &i);
		else if (oci_opt_is(argv[i], "--log-format", NULL)) {
			const char *f = oci_opt_val(argc, argv, &i);

			if (strcmp(f, "text") && strcmp(f, "json"))
				die("--log-format: text or json, not '%s'", f);
			c->log_json = !strcmp(f, "json");
		} else if (!strcmp(argv[i], "--systemd-cgroup"))
			die("--systemd-cgroup: not supported; nucleus manages "
			    "its cgroups itself (cgroupfs)");
		else if (strcmp(argv[i], "--debug"))
			die("unknown global option '%s'", argv[i]);
	}
	if (i >= argc || !in(argv[i], verbs))
		die("want a verb (run, create, start, state, kill, delete, "
		    "list, spec, features, exec, pause, resume, ps, events, "
		    "update), not '%s'",
		    i < argc ? argv[i] : "nothing");
	c->verb = argv[i++];
	if (in(c->verb, verbs + 9)) {
		c->rest = i;
		return;
	}
	for (; i < argc; i++) {
		const char *a = argv[i];

		if (oci_opt_is(a, "--bundle", "-b"))
			c->bundle = oci_opt_val(argc, argv, &i);
		else if (oci_opt_is(a, "--pid-file", NULL))
			c->pid_file = oci_opt_val(argc, argv, &i);
		else if (oci_opt_is(a, "--format", NULL))
			c->format = oci_opt_val(argc, argv, &i);
		else if (oci_opt_is(a, "--console-socket", NULL))
			c->console = oci_opt_val(argc, argv, &i);
		else if (oci_opt_is(a, "--detach", "-d"))
			c->detach = 1;
		else if (oci_opt_is(a, "--force", "-f"))
			c->force = 1;
		else if (oci_opt_is(a, "--all", "-a"))
			c->all = 1;
		else if (oci_opt_is(a, "--preserve-fds", NULL)) {
			const char *v = oci_opt_val(argc, argv, &i);
			uint64_t n;

			if (parse_u64(v, 0, 64, &n) < 0)
				die("--preserve-fds: 0-64, not '%s'", v);
			c->preserve_fds = (int)n;
		} else if (!strcmp(a, "--no-pivot") ||
			   !strcmp(a, "--no-new-keyring"))
			; /* stricter kept: always pivot_root; no keyring use */
		else if (a[0] == '-' && a[1])
			die("%s: unknown option '%s'", c->verb, a);
		else if (!c->id)
			c->id = a;
		else if (!c->sig && !strcmp(c->verb, "kill"))
			c->sig = a;
		else
			die("%s: unexpected operand '%s'", c->verb, a);
	}
}

static void now_rfc3339(char *buf, size_t len);

#define LOG_ENV "NUCLEUS_OCI_LOG"

/* die()'s line, appended to --log as well: containerd's runc shim shows a
 * failed verb's reason from the last "error" line of its log.json. The
 * file's name and format come through the environment because die_audit
 * takes no argument (and the exec'd monitor drops them). */
static void log_error(const char *step, int err, const char *msg)
{
	const char *path = getenv(LOG_ENV);
	struct json j;
	char t[40], line[1024];
	cleanup_fd int fd = -1;

	if (!path ||
	    (fd = open(path + 1,
		       O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		       0600)) < 0)
		return;
	snprintf(line, sizeof(line), "%s: %s%s%s", step, msg, err ? ": " : "",
		 err ? strerror(err) : "");
	if (*path == 't') {
		dprintf(fd, "nucleus: %s\n", line);
		return;
	}
	now_rfc3339(t, sizeof(t));
	json_start(&j);
	json_str(&j, "level", "error");
	json_str(&j, "msg", line);
	json_str(&j, "time", t);
	if (json_end(&j))
		dprintf(fd, "%s\n", j.buf);
	json_free(&j);
}

/* --log FILE: made at once (the shim reads it even when we succeed). */
static void log_open(const struct oci_cmd *c)
{
	char v[4200];
	int fd;

	if (!c->log)
		return;
	fd = open(c->log,
		  O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		die_errno("--log %s", c->log);
	close(fd);
	snprintf(v, sizeof(v), "%c%s", c->log_json ? 'j' : 't', c->log);
	if (setenv(LOG_ENV, v, 1) < 0)
		die_errno("setenv");
	die_audit = log_error;
}

static void need_id(const struct oci_cmd *c)
{
	if (!c->id)
		die("%s: needs a container ID", c->verb);
	oci_id_check(c->id);
}

/* What die() leaves behind during `run`: nothing of the state. */
struct run_undo {
	int root;
	const char *id;
	pid_t monitor;
};

static void run_undo(void *arg)
{
	struct run_undo *u = arg;

	if (u->monitor > 0)
		(void)kill(u->monitor, SIGKILL);
	oci_state_remove(u->root, u->id);
}

static void now_rfc3339(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* linux.seccomp as the file --seccomp-profile names: seccomp.json in the
 * container's state directory, 0600, gone with the state. */
static void seccomp_write(int dir, const char *text)
{
	cleanup_fd int fd = -1;
	size_t n = strlen(text);

	die_step = "linux.seccomp";
	fd = openat(dir, "seccomp.json",
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, n) != (ssize_t)n)
		die_errno("seccomp.json");
}

/* The bundle's config.json as nucleus's argv, with --report fd:rfd (and
 * --console-socket or --tty for process.terminal) before its `--`; dir: the
 * container's state directory. */
static char **run_argv(const struct oci_cmd *c, int rfd, int dir)
{
	const char *bundle = c->bundle;
	int done = 0;
	char path[4200], err[512], fdarg[24], sc[4200];
	cleanup_free char *json = NULL;
	struct oci_args a = { 0 };
	ssize_t n;
	size_t len;
	char **v;
	int k = 0;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", dir);
	n = readlink(path, sc, sizeof(sc) - 20);
	if (n <= 0)
		die_errno("state directory");
	snprintf(sc + n, sizeof(sc) - (size_t)n, "/seccomp.json");
	a.seccomp_path = sc;
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	json = host_input_read(path, "--bundle", 1 << 20, &len);
	die_step = "config.json";
	if (oci_argv(json, len, bundle, &a, err, sizeof(err)) < 0)
		die("%s", err);
	if (a.seccomp)
		seccomp_write(dir, a.seccomp);
	free(a.seccomp);
	/* A terminal in the foreground without a socket is ours (--tty), as
	 * runc relays its own. */
	if (a.terminal ? !c->console && c->detach : !!c->console)
		die(a.terminal ? "process.terminal: needs --console-socket"
			       : "--console-socket: process.terminal is "
				 "false");
	snprintf(fdarg, sizeof(fdarg), "fd:%d", rfd);
	v = calloc((size_t)a.argc + 5 + 2 * (size_t)c->preserve_fds,
		   sizeof(*v));
	if (!v)
		die_errno("calloc");
	for (int i = 0; i < a.argc; i++) {
		if (!done && !strcmp(a.argv[i], "--")) {
			done = 1;
			v[k++] = "--report";
			if (!(v[k++] = strdup(fdarg)))
				die_errno("strdup");
			if (c->console) {
				v[k++] = "--console-socket";
				v[k++] = (char *)c->console;
			} else if (a.terminal) {
				v[k++] = "--tty";
			}
			for (int f = 0; f < c->preserve_fds; f++) {
				v[k++] = "--keep-fd";
				if (asprintf(&v[k++], "%d", 3 + f) < 0)
					die_errno("asprintf");
			}
		}
		v[k++] = a.argv[i];
	}
	if (!done)
		die("the translated command line has no `--`");
	return v;
}

/* The pid the report names ("pid": N), once it has come; 0 before. */
static pid_t report_pid(const char *buf)
{
	const char *p = strstr(buf, "\"pid\": ");
	char *end;
	long v;

	if (!p)
		return 0;
	v = strtol(p + 7, &end, 10);
	return *end == ',' && v > 0 ? (pid_t)v : 0;
}

struct watch {
	int rfd, sigfd, pidfd;
	char buf[4096];
	size_t len;
	pid_t init, monitor;
	int status;
};

/* One round: report bytes, a signal to forward, or the monitor's end. */
static void watch_once(struct watch *w)
{
	struct pollfd p[3] = { { w->rfd, POLLIN, 0 },
			       { w->sigfd, POLLIN, 0 },
			       { w->pidfd, POLLIN, 0 } };
	struct signalfd_siginfo si;
	ssize_t n;

	if (poll(p, 3, -1) < 0) {
		if (errno != EINTR)
			die_errno("poll");
		return;
	}
	if (p[0].revents) {
		n = read(w->rfd, w->buf + w->len, sizeof(w->buf) - 1 - w->len);
		if (n > 0)
			w->len += (size_t)n;
		w->buf[w->len] = 0;
		w->init = report_pid(w->buf);
		if (n <= 0 || w->init || w->len + 1 == sizeof(w->buf)) {
			close(w->rfd);
			w->rfd = -1; /* poll ignores it from now on */
		}
	}
	if (p[1].revents && read(w->sigfd, &si, sizeof(si)) == sizeof(si))
		(void)kill(w->monitor, (int)si.ssi_signo);
	if (p[2].revents) {
		while (waitpid(w->monitor, &w->status, 0) < 0)
			if (errno != EINTR)
				die_errno("waitpid");
		w->pidfd = -1;
	}
}

static int wait_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void write_pid_file(const char *path, pid_t pid)
{
	char tmp[4200], num[24];
	int fd;

	if (!path)
		return;
	die_step = "pid-file";
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	snprintf(num, sizeof(num), "%d", (int)pid);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, num, strlen(num)) < 0 ||
	    rename(tmp, path) < 0)
		die_errno("%s", path);
	close(fd);
}

/* create's FIFO, kept open through the exec, its number in the environment
 * of the monitor, whose sandbox hands it to init (runtime/sandbox.c). */
static int fifo_pass(int fd)
{
	char num[16];

	snprintf(num, sizeof(num), "%d", fd);
	return fcntl(fd, F_SETFD, 0) < 0
		       ? -1
		       : setenv("NUCLEUS_EXEC_FIFO_FD", num, 1);
}

/* create: exec.fifo in the state directory, 0600 as runc's, open
 * read-write (init's end: no writer's close ever reads as EOF there). */
static int fifo_make(int dir)
{
	int fd;

	die_step = "exec.fifo";
	if (mkfifoat(dir, "exec.fifo", 0600) < 0 ||
	    (fd = openat(dir, "exec.fifo", O_RDWR | O_NOFOLLOW | O_CLOEXEC)) <
		    0)
		die_errno("exec.fifo");
	return fd;
}

/* Forks the monitor: nucleus's own argv form, exec'd from our binary. */
static pid_t monitor_fork(const struct oci_cmd *c, struct watch *w,
			  const sigset_t *orig, int dir)
{
	int rp[2];
	char **argv;
	pid_t pid;

	if (pipe2(rp, O_CLOEXEC) < 0)
		die_errno("pipe2");
	argv = run_argv(c, rp[1], dir);
	pid = fork();
	if (pid < 0)
		die_errno("fork");
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, orig, NULL);
		unsetenv(LOG_ENV); /* the monitor's die_audit is its own */
		if (fcntl(rp[1], F_SETFD, 0) < 0 || (c->detach && setsid() < 0))
			die_errno("monitor");
		if (c->fifo && fifo_pass(c->fifo) < 0)
			die_errno("exec.fifo");
		execv("/proc/self/exe", argv);
		die_errno("exec /proc/self/exe");
	}
	close(rp[1]);
	w->rfd = rp[0];
	w->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (w->pidfd < 0)
		die_errno("pidfd_open");
	return pid;
}

/* One byte into exec.fifo releases init, which spawns the workload.
 * O_NONBLOCK: with no reader left the open fails (ENXIO) instead of
 * hanging. */
static void fifo_release(int dir)
{
	int fd = openat(dir, "exec.fifo",
			O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 || write(fd, "", 1) != 1)
		die_errno("exec.fifo");
	close(fd);
	(void)unlinkat(dir, "exec.fifo", 0);
}

/* The bundle's hooks.WHICH with st's state JSON on their stdin; why as
 * oci_hooks takes it. */
static int hooks_run(const struct oci_state *st, const char *which, char *why,
		     size_t n)
{
	char *j = oci_state_json(st, OCI_JSON_STORED);
	int r;

	if (!j)
		die_errno("state");
	r = oci_hooks(st->bundle, which, j, why, n);
	free(j);
	return r;
}

static int pidfd_of(pid_t pid, unsigned long long start);

/* createRuntime and prestart, once init exists and holds the workload: a
 * failure ends the container (init KILLed; die's undo takes the rest). */
static void hooks_create(const struct oci_state *st)
{
	char why[512];
	int fd;

	if (hooks_run(st, "createRuntime", why, sizeof(why)) == 0 &&
	    hooks_run(st, "prestart", why, sizeof(why)) == 0)
		return;
	fd = pidfd_of(st->pid, st->pid_start);
	if (fd >= 0)
		(void)sys_pidfd_send_signal(fd, SIGKILL);
	die_step = "create";
	die("%s; the container is removed", why);
}

static int oci_run(struct oci_cmd *c)
{
	static const int fwd[] = { SIGHUP,  SIGINT,  SIGQUIT,
				   SIGTERM, SIGUSR1, SIGUSR2 };
	struct oci_state st = { 0 };
	struct watch w = { .rfd = -1 };
	struct run_undo u = { c->rootfd, c->id, 0 };
	char bundle[4096];
	sigset_t set, orig;
	int dir, hooks;

	need_id(c);
	die_step = "bundle";
	if (!c->bundle)
		c->bundle = ".";
	if (!realpath(c->bundle, bundle))
		die_errno("%s", c->bundle);
	c->bundle = bundle;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(fwd) / sizeof(fwd[0]); i++)
		sigaddset(&set, fwd[i]);
	if (sigprocmask(SIG_BLOCK, &set, &orig) < 0 ||
	    (w.sigfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0)
		die_errno("signalfd");
	dir = oci_state_make(c->rootfd, c->id);
	die_undo = (struct die_undo){ run_undo, &u };
	/* run with hooks: create's path, then start's, as runc does */
	hooks = oci_hooks_wanted(bundle);
	if (!strcmp(c->verb, "create") || hooks)
		c->fifo = fifo_make(dir);
	snprintf(st.id, sizeof(st.id), "%s", c->id);
	snprintf(st.bundle, sizeof(st.bundle), "%s", bundle);
	snprintf(st.status, sizeof(st.status), "creating");
	now_rfc3339(st.created, sizeof(st.created));
	oci_state_write(dir, &st);
	w.monitor = u.monitor = monitor_fork(c, &w, &orig, dir);
	if (c->fifo)
		close(c->fifo); /* the monitor and init hold it */
	while (w.rfd >= 0 && w.pidfd >= 0)
		watch_once(&w);
	if (!w.init) { /* it failed before init ran, and said why */
		if (w.pidfd >= 0)
			while (w.pidfd >= 0)
				watch_once(&w);
		oci_state_remove(c->rootfd, c->id);
		if (die_audit) /* the monitor's reason went to stderr */
			die_audit("setup", 0,
				  "the container's setup failed; the reason "
				  "is on the runtime's stderr");
		return wait_code(w.status);
	}
	st.pid = w.init;
	st.pid_start = oci_pid_start(w.init);
	st.monitor = w.monitor;
	st.monitor_start = oci_pid_start(w.monitor);
	snprintf(st.status, sizeof(st.status), c->fifo ? "created" : "running");
	oci_state_write(dir, &st);
	if (hooks)
		hooks_create(&st);
	if (hooks && strcmp(c->verb, "create")) {
		fifo_release(dir);
		snprintf(st.status, sizeof(st.status), "running");
		oci_state_write(dir, &st);
		(void)hooks_run(&st, "poststart", NULL, 0);
	}
	write_pid_file(c->pid_file, w.init);
	die_undo = (struct die_undo){ 0 };
	if (c->detach)
		return 0;
	while (w.pidfd >= 0)
		watch_once(&w);
	if (hooks) { /* init is ours (CLONE_PARENT): reaped, then poststop */
		(void)waitpid(w.init, NULL, 0);
		snprintf(st.status, sizeof(st.status), "stopped");
		(void)hooks_run(&st, "poststop", NULL, 0);
	}
	oci_state_remove(c->rootfd, c->id);
	return wait_code(w.status);
}

/* create: run --detach's path, but init holds the workload (its wait on
 * exec.fifo) until `start`; the state says "created". */
static int oci_create(struct oci_cmd *c)
{
	c->detach = 1;
	return oci_run(c);
}

/* The container's state, or dies: a missing or unreadable one is named. */
static int load(const struct oci_cmd *c, struct oci_state *st)
{
	int dir;

	need_id(c);
	dir = oci_state_dir(c->rootfd, c->id);
	if (oci_state_read(dir, st) < 0)
		die("container '%s': no readable state.json", c->id);
	return dir;
}

/* One byte into exec.fifo releases init, which spawns the workload; start
 * returns at once. O_NONBLOCK: with no reader left the open fails (ENXIO)
 * instead of hanging. Only a "created" container starts, and only once. */
static int oci_start(struct oci_cmd *c)
{
	struct oci_state st;
	int dir = load(c, &st);

	die_step = "start";
	if (strcmp(oci_status(&st), "created"))
		die("container '%s' is %s, not created", c->id,
		    oci_status(&st));
	fifo_release(dir);
	snprintf(st.status, sizeof(st.status), "running");
	oci_state_write(dir, &st);
	close(dir);
	(void)hooks_run(&st, "poststart", NULL, 0); /* a failure: a warning */
	return 0;
}

static int oci_state_verb(struct oci_cmd *c)
{
	struct oci_state st;
	char *j;

	close(load(c, &st));
	j = oci_state_json(&st, OCI_JSON_SPACED);
	if (!j)
		die_errno("state");
	fputs(j, stdout);
	free(j);
	return 0;
}

static int sig_parse(const char *s)
{
	static const struct {
		char name[5];
		unsigned char num;
	} t[] = { { "HUP", SIGHUP },   { "INT", SIGINT },
		  { "QUIT", SIGQUIT }, { "KILL", SIGKILL },
		  { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
		  { "TERM", SIGTERM }, { "CONT", SIGCONT },
		  { "STOP", SIGSTOP }, { "WINCH", SIGWINCH } };
	const char *n = strncmp(s, "SIG", 3) ? s : s + 3;
	char *end;
	long v = strtol(s, &end, 10);

	if (end != s && !*end && v > 0 && v < 65)
		return (int)v;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(n, t[i].name))
			return t[i].num;
	die("kill: unknown signal '%s'", s);
}

/* A pidfd of pid if it is still the process that started at start. */
static int pidfd_of(pid_t pid, unsigned long long start)
{
	int fd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;

	/* Checked after the open: the pidfd cannot follow a recycled pid. */
	if (fd >= 0 && oci_pid_start(pid) != start) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* --all: init is PID 1 of the container's pid namespace; its KILL takes
 * every process with it, other signals it forwards to the workload. */
static int oci_kill(struct oci_cmd *c)
{
	struct oci_state st;
	int sig = sig_parse(c->sig ? c->sig : "TERM"), fd;

	close(load(c, &st));
	die_step = "kill";
	fd = pidfd_of(st.pid, st.pid_start);
	if (fd < 0)
		die("container '%s' is not running", c->id);
	if (sys_pidfd_send_signal(fd, sig) < 0)
		die_errno("signal %d", sig);
	close(fd);
	return 0;
}

/* Until the monitor has ended, which removes the cgroup: 10 s at most. */
static void monitor_gone(const struct oci_state *st)
{
	int fd = pidfd_of(st->monitor, st->monitor_start);
	struct pollfd p = { fd, POLLIN, 0 };

	if (fd < 0)
		return;
	if (poll(&p, 1, 10000) == 0)
		warnx("delete: the monitor (pid %d) has not ended",
		      (int)st->monitor);
	close(fd);
}

static int oci_delete(struct oci_cmd *c)
{
	struct oci_state st = { 0 };
	int dir, fd;

	need_id(c);
	/* runc's rule: --force on an ID that is gone already succeeds
	 * (containerd's shim deletes twice). */
	if (c->force &&
	    faccessat(c->rootfd, c->id, F_OK, AT_SYMLINK_NOFOLLOW) &&
	    errno == ENOENT)
		return 0;
	dir = oci_state_dir(c->rootfd, c->id);
	die_step = "delete";
	if (oci_state_read(dir, &st) == 0 &&
	    strcmp(oci_status(&st), "stopped")) {
		/* runc's rule: a created one goes without --force. */
		if (!c->force && strcmp(oci_status(&st), "created"))
			die("container '%s' is %s: kill it first, or --force",
			    c->id, oci_status(&st));
		fd = pidfd_of(st.pid, st.pid_start);
		if (fd >= 0)
			(void)sys_pidfd_send_signal(fd, SIGKILL);
		if (fd >= 0)
			close(fd);
	}
	monitor_gone(&st);
	close(dir);
	if (st.bundle[0] && strcmp(st.status, "creating")) {
		snprintf(st.status, sizeof(st.status), "stopped");
		(void)hooks_run(&st, "poststop", NULL,
				0); /* a failure: a warning */
	}
	oci_state_remove(c->rootfd, c->id);
	return 0;
}

static int oci_list(struct oci_cmd *c)
{
	DIR *d = fdopendir(dup(c->rootfd));
	struct dirent *e;
	struct oci_state st;
	int json = c->format && !strcmp(c->format, "json"), n = 0;

	if (c->format && !json && strcmp(c->format, "table"))
		die("list: --format table or json, not '%s'", c->format);
	if (!d)
		die_errno("list");
	if (!json)
		printf("%-12s %-8s %-8s %-32s %s\n", "ID", "PID", "STATUS",
		       "BUNDLE", "CREATED");
	else
		fputs("[", stdout);
	while ((e = readdir(d))) {
		int dir = e->d_name[0] == '.'
				  ? -1
				  : openat(c->rootfd, e->d_name,
					   O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						   O_CLOEXEC);
		char *j;

		if (dir < 0)
			continue;
		if (oci_state_read(dir, &st) < 0) {
			close(dir); /* half made or not ours: not listed */
			continue;
		}
		close(dir);
		if (!json) {
			printf("%-12s %-8d %-8s %-32s %s\n", st.id, st.pid,
			       oci_status(&st), st.bundle, st.created);
			continue;
		}
		j = oci_state_json(&st, 0);
		printf("%s%.*s", n++ ? "," : "", j ? (int)strlen(j) - 1 : 0,
		       j ? j : "");
		free(j);
	}
	closedir(d);
	if (json)
		puts("]");
	return 0;
}

/* nucleus's strict defaults: a read-only root, every namespace new, no
 * capability, no_new_privs; what the argv form does with no flag. */
static const char default_spec[] =
	"{\n"
	"  \"ociVersion\": \"" OCI_VERSION "\",\n"
	"  \"process\": {\n"
	"    \"user\": {\"uid\": 0, \"gid\": 0},\n"
	"    \"args\": [\"sh\"],\n"
	"    \"env\": [\"PATH=/usr/local/bin:/usr/bin:/bin\"],\n"
	"    \"cwd\": \"/\",\n"
	"    \"capabilities\": {\"bounding\": [], \"effective\": [], "
	"\"permitted\": []},\n"
	"    \"noNewPrivileges\": true\n"
	"  },\n"
	"  \"root\": {\"path\": \"rootfs\", \"readonly\": true},\n"
	"  \"hostname\": \"nucleus\",\n"
	"  \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", "
	"\"source\": \"proc\"}],\n"
	"  \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": "
	"\"network\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"}, {\"type\": "
	"\"mount\"}, {\"type\": \"cgroup\"}]}\n"
	"}\n";

static int oci_spec(struct oci_cmd *c)
{
	int fd = open("config.json",
		      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		      0644);

	(void)c;
	die_step = "spec";
	if (fd < 0)
		die_errno("config.json (never overwritten)");
	if (write_all(fd, default_spec, sizeof(default_spec) - 1) < 0)
		die_errno("write config.json");
	close(fd);
	return 0;
}

/* runc's `features` shape, listing only what this slice does. */
static int oci_features(struct oci_cmd *c)
{
	(void)c;
	puts("{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"" OCI_VERSION
	     "\",\"hooks\":[],\"mountOptions\":[\"ro\",\"rw\"],"
	     "\"linux\":{\"namespaces\":[\"cgroup\",\"ipc\",\"mount\","
	     "\"network\",\"pid\",\"user\",\"uts\"],\"cgroup\":{\"v1\":true,"
	     "\"v2\":true,\"systemd\":false},\"seccomp\":{\"enabled\":true},"
	     "\"apparmor\":{\"enabled\":false},\"selinux\":{\"enabled\":false}}"
	     "}");
	return 0;
}

int oci_main(int argc, char **argv)
{
	/* In the order of verbs[]. */
	static int (*const fn[])(struct oci_cmd *) = {
		oci_run,    oci_create, oci_start, oci_state_verb, oci_kill,
		oci_delete, oci_list,	oci_spec,  oci_features
	};
	struct oci_cmd c = { 0 };
	size_t v = 0;

	oci_parse(argc, argv, &c);
	log_open(&c);
	while (strcmp(verbs[v], c.verb))
		v++;
	if (v > 9) /* pause, resume, ps, events, update */
		return oci_live(oci_root_open(c.root), c.verb, (int)v - 10,
				argc - c.rest, argv + c.rest);
	if (c.rest)
		return oci_exec(oci_root_open(c.root), argc - c.rest,
				argv + c.rest);
	if (fn[v] != oci_spec && fn[v] != oci_features)
		c.rootfd = oci_root_open(c.root);
	return fn[v](&c);
}
