// SPDX-License-Identifier: MIT
/*
 * The static workload and harness of `make bench`. It runs unchanged inside
 * every sandbox compared (nucleus, bwrap, crun, runc, runsc), so it needs no
 * shared library and no shell: `getppid N` and `pipe N` time a syscall loop
 * and print CPU nanoseconds per iteration (what a seccomp filter adds shows
 * up here); `hold` prints "ready" and waits for stdin to close, so the bench
 * can read the VmHWM and open fds of a sandbox that is fully set up without
 * sleeping; `spawn SECONDS PARALLEL -- CMD...` starts CMD again and again
 * from PARALLEL workers until SECONDS have passed and prints how many runs
 * ended with 0 and how many did not (their stderr passes through; an
 * argument "@ID@" becomes a unique id per run, for runtimes that need one).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* The loops count CPU time, not wall time: on a shared 2-core machine a
 * preemption would otherwise land in one variant's figure. A filter runs
 * on the syscall path, so its cost is in this thread's system time. */
static long long cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

static long parse_count(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *end || n <= 0) {
		fprintf(stderr, "benchtool: bad count '%s'\n", s);
		exit(2);
	}
	return n;
}

/* Raw syscall: libc may cache nothing here, but make it explicit. */
static int loop_getppid(long n)
{
	long long t0 = cpu_ns();

	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	printf("%.1f\n", (double)(cpu_ns() - t0) / (double)n);
	return 0;
}

/* One write and one read per iteration: two filtered syscalls. */
static int loop_pipe(long n)
{
	int p[2];
	char c = 'x';
	long long t0;

	if (pipe(p) < 0) {
		perror("benchtool: pipe");
		return 1;
	}
	t0 = cpu_ns();
	for (long i = 0; i < n; i++) {
		if (write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1) {
			perror("benchtool: pipe loop");
			return 1;
		}
	}
	printf("%.1f\n", (double)(cpu_ns() - t0) / (double)n);
	return 0;
}

/* Readiness for the bench: stdout says set up, stdin EOF says finish. */
static int hold(void)
{
	char buf[64];

	if (write(STDOUT_FILENO, "ready\n", 6) != 6)
		return 1;
	while (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
		;
	return 0;
}

static int run_once(char **argv, char **idarg, int worker, long iter)
{
	char id[64];
	pid_t pid;
	int st;

	if (idarg) {
		snprintf(id, sizeof(id), "b%d-%d-%ld", (int)getppid(), worker,
			 iter);
		*idarg = id;
	}
	pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

		/* Output is noise; stderr stays, to say why a run failed. */
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* One worker: runs until the deadline, reports "ok fail" on its pipe. */
static void worker(char **argv, char **idarg, int id, long long end, int wfd)
{
	long ok = 0, fail = 0;
	char line[64];
	int n;

	while (now_ns() < end) {
		if (run_once(argv, idarg, id, ok + fail))
			ok++;
		else
			fail++;
	}
	n = snprintf(line, sizeof(line), "%ld %ld\n", ok, fail);
	if (write(wfd, line, (size_t)n) != n)
		_exit(1);
	_exit(0);
}

static char **find_idarg(char **argv)
{
	for (; *argv; argv++)
		if (strcmp(*argv, "@ID@") == 0)
			return argv;
	return NULL;
}

static int spawn(int argc, char **argv)
{
	long secs, par, ok = 0, fail = 0, a, b;
	long long t0, end;
	int p[2];
	FILE *f;

	if (argc < 6 || strcmp(argv[4], "--") != 0) {
		fputs("usage: benchtool spawn SECONDS PARALLEL -- CMD...\n",
		      stderr);
		return 2;
	}
	secs = parse_count(argv[2]);
	par = parse_count(argv[3]);
	if (pipe(p) < 0)
		return 1;
	t0 = now_ns();
	end = t0 + secs * 1000000000LL;
	for (int i = 0; i < par; i++)
		if (fork() == 0) {
			close(p[0]);
			worker(argv + 5, find_idarg(argv + 5), i, end, p[1]);
		}
	close(p[1]);
	f = fdopen(p[0], "r");
	while (f && fscanf(f, "%ld %ld", &a, &b) == 2) {
		ok += a;
		fail += b;
	}
	while (wait(NULL) > 0)
		;
	printf("%ld %ld %.3f\n", ok, fail, (double)(now_ns() - t0) / 1e9);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "getppid") == 0)
		return loop_getppid(parse_count(argv[2]));
	if (argc == 3 && strcmp(argv[1], "pipe") == 0)
		return loop_pipe(parse_count(argv[2]));
	if (argc == 2 && strcmp(argv[1], "hold") == 0)
		return hold();
	if (argc >= 2 && strcmp(argv[1], "spawn") == 0)
		return spawn(argc, argv);
	fputs("usage: benchtool getppid N | pipe N | hold |"
	      " spawn SECONDS PARALLEL -- CMD...\n",
	      stderr);
	return 2;
}
