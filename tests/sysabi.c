// SPDX-License-Identifier: MIT
/*
 * sysabi: the seccomp tests' helper for what probe does not do: syscalls
 * through the other ABIs of x86_64 (i386's int 0x80, x32's numbers) that a
 * filter must kill, clone() with namespace flags (the libc fallback path
 * that clone3's ENOSYS leads to), and a getppid loop that measures what a
 * filter costs per syscall (for the measurements in policy/README.md, never
 * for a timed test). Output is probe's: `ok` (or a value) and exit
 * 0, the errno's name and exit 1, usage errors exit 2. A kill by the filter
 * shows as the process dying of SIGSYS (exit 159 through a shell).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const struct {
	int e;
	const char *name;
} errs[] = {
	{ EPERM, "EPERM" },   { ENOSYS, "ENOSYS" }, { EINVAL, "EINVAL" },
	{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { ENOMEM, "ENOMEM" },
	{ EBADF, "EBADF" },   { EAGAIN, "EAGAIN" }, { EUSERS, "EUSERS" },
	{ ENOSPC, "ENOSPC" },
};

static int result(long r)
{
	if (r >= 0) {
		puts("ok");
		return 0;
	}
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		if (errs[i].e == (int)-r) {
			puts(errs[i].name);
			return 1;
		}
	printf("E%ld\n", -r);
	return 1;
}

#if defined(__x86_64__)
/* i386 getpid (20) through the 32-bit entry: a different arch to seccomp. */
static long int80_getpid(void)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	return r;
}

/* x32 getpid: x86_64's number with bit 30 set. */
static long x32_getpid(void)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(0x40000000L | SYS_getpid)
			 : "rcx", "r11", "memory");
	return r;
}
#endif

static const struct {
	const char *name;
	unsigned long flag;
} nsflags[] = {
	{ "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS },
	{ "net", CLONE_NEWNET },   { "pid", CLONE_NEWPID },
	{ "uts", CLONE_NEWUTS },   { "ipc", CLONE_NEWIPC },
	{ "cgroup", CLONE_NEWCGROUP }, { "none", 0 },
};

/* A fork through raw clone(), with one namespace flag; the child exits. */
static int clone_ns(const char *ns)
{
	for (size_t i = 0; i < sizeof(nsflags) / sizeof(nsflags[0]); i++) {
		long pid;
		int st;

		if (strcmp(ns, nsflags[i].name))
			continue;
		pid = syscall(SYS_clone, nsflags[i].flag | SIGCHLD, 0, 0, 0, 0);
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			return result(-errno);
		waitpid((pid_t)pid, &st, 0);
		return result(WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -EIO);
	}
	fprintf(stderr, "sysabi: unknown namespace '%s'\n", ns);
	return 2;
}

/* Nanoseconds of CPU time per getppid over n calls: CPU time, not wall
 * time, so that other load on the machine does not count. */
static double getppid_ns(long n)
{
	struct timespec a, b;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
}

static int getppid_loop(const char *count)
{
	long n = strtol(count, NULL, 10);

	if (n <= 0)
		return fprintf(stderr, "sysabi: bad count\n"), 2;
	printf("%.1f\n", getppid_ns(n));
	return 0;
}

/* The cost of one filter in one process: getppid before and after loading
 * FILE (raw BPF, as nucleus-policy compile writes it). */
static int filter_cost(const char *file, const char *count)
{
	static struct sock_filter f[4096];
	struct sock_fprog fp = { 0 };
	long n = strtol(count, NULL, 10);
	FILE *in = fopen(file, "r");
	double before;

	if (!in || n <= 0)
		return fprintf(stderr, "sysabi: bad file or count\n"), 2;
	fp.len = (unsigned short)fread(f, sizeof(f[0]), 4096, in);
	fp.filter = f;
	fclose(in);
	before = getppid_ns(n);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp))
		return result(-errno);
	printf("%.1f %.1f\n", before, getppid_ns(n));
	return 0;
}

int main(int argc, char **argv)
{
	const char *a = argc > 1 ? argv[1] : "";

#if defined(__x86_64__)
	if (strcmp(a, "int80") == 0)
		return result(int80_getpid());
	if (strcmp(a, "x32") == 0)
		return result(x32_getpid());
#endif
	if (strcmp(a, "clone") == 0 && argc == 3)
		return clone_ns(argv[2]);
	if (strcmp(a, "getppid-loop") == 0 && argc == 3)
		return getppid_loop(argv[2]);
	if (strcmp(a, "filter-cost") == 0 && argc == 4)
		return filter_cost(argv[2], argv[3]);
	fputs("usage: sysabi int80|x32    getpid through i386 / x32\n"
	      "       sysabi clone NS      raw clone(SIGCHLD|CLONE_NEW<NS>),"
	      " NS: user mnt net pid uts ipc cgroup none\n"
	      "       sysabi getppid-loop N  CPU ns per getppid over N calls\n"
	      "       sysabi filter-cost BPF N  the same, before and after "
	      "loading BPF\n",
	      stderr);
	return 2;
}
