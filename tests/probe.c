// SPDX-License-Identifier: MIT
/*
 * probe: the helper workload of the isolation tests. It performs ONE named
 * action (open a file, mount a tmpfs, load a BPF program, inject a TTY byte,
 * ...) and reports the outcome on stdout in a fixed form: `ok` (or the value,
 * for actions that print information) and exit 0; the errno's symbolic name
 * (`EPERM`, `EACCES`, ...) and exit 1; a usage error on stderr and exit 2. A
 * kill (SIGSYS from seccomp, SIGKILL from the OOM killer) shows as the signal.
 * Tests run it inside the sandbox to try forbidden things and beside it, in
 * control runs, where the same action must succeed. Every action is safe as
 * root on the host: where the real operation would change the machine
 * (reboot, kexec, modules, acct, swap), the call carries an invalid argument
 * that the kernel rejects only AFTER its permission check, so the errno alone
 * tells "denied" from "permitted"; the --help line of each action says which.
 * The few real mount-tree changes refuse to run in the host's mount namespace.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Fixed inode numbers of the initial namespaces (include/linux/proc_ns.h). */
#define PROC_UTS_INIT_INO 0xEFFFFFFEU
#define PROC_PID_INIT_INO 0xEFFFFFFCU
#define MNT_NS_INIT_INO 0xEFFFFFF8U /* since Linux 6.18 */

/* A path that never exists: the argument of the "permission only" probes. */
#define NOWHERE "/nonexistent-nucleus-probe/x"

enum { OK = 0, SHOWN = 1 }; /* action results; a failure is -errno */

/* Every action has this signature; many need neither argument. */
#define ARGS                                                                   \
	int argc __attribute__((unused)), char **argv __attribute__((unused))

struct action {
	const char *name;
	int min, max; /* argument count; max -1: any number */
	const char *args;
	const char *help; /* what ok and each telling errno mean */
	int (*fn)(int argc, char **argv);
};

static const char *cur_action; /* for usage errors; NULL before lookup */

/* ---- output and argument helpers ---------------------------------- */

__attribute__((noreturn, format(printf, 1, 2))) static void
usage_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("probe: ", stderr);
	if (cur_action)
		fprintf(stderr, "%s: ", cur_action);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

#define E(x) { x, #x }
static const struct {
	int num;
	const char *name;
} errnames[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK),
	E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK),
	E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM), E(ECHRNG),
	E(EL2NSYNC), E(EL3HLT), E(EL3RST), E(ELNRNG), E(EUNATCH), E(ENOCSI),
	E(EL2HLT), E(EBADE), E(EBADR), E(EXFULL), E(ENOANO), E(EBADRQC),
	E(EBADSLT), E(EBFONT), E(ENOSTR), E(ENODATA), E(ETIME), E(ENOSR),
	E(ENONET), E(ENOPKG), E(EREMOTE), E(ENOLINK), E(EADV), E(ESRMNT),
	E(ECOMM), E(EPROTO), E(EMULTIHOP), E(EDOTDOT), E(EBADMSG),
	E(EOVERFLOW), E(ENOTUNIQ), E(EBADFD), E(EREMCHG), E(ELIBACC),
	E(ELIBBAD), E(ELIBSCN), E(ELIBMAX), E(ELIBEXEC), E(EILSEQ),
	E(ERESTART), E(ESTRPIPE), E(EUSERS), E(ENOTSOCK), E(EDESTADDRREQ),
	E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT),
	E(ESOCKTNOSUPPORT), E(EOPNOTSUPP), E(EPFNOSUPPORT), E(EAFNOSUPPORT),
	E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH),
	E(ENETRESET), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(EISCONN),
	E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT),
	E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY),
	E(EINPROGRESS), E(ESTALE), E(EUCLEAN), E(ENOTNAM), E(ENAVAIL),
	E(EISNAM), E(EREMOTEIO), E(EDQUOT), E(ENOMEDIUM), E(EMEDIUMTYPE),
	E(ECANCELED), E(ENOKEY), E(EKEYEXPIRED), E(EKEYREVOKED),
	E(EKEYREJECTED), E(EOWNERDEAD), E(ENOTRECOVERABLE), E(ERFKILL),
	E(EHWPOISON),
	{ 524, "ENOTSUPP" }, /* kernel-internal, yet bpf() leaks it */
};

static void print_errno(int e)
{
	for (size_t i = 0; i < sizeof errnames / sizeof errnames[0]; i++)
		if (errnames[i].num == e) {
			puts(errnames[i].name);
			return;
		}
	printf("E%d\n", e);
}

/* The one number parser: whole string, range checked, "0x" for hex. */
static long long num_base(const char *s, int base, long long lo,
			  long long hi)
{
	char *end;
	long long v;

	errno = 0;
	if (base == 10 && (!strncmp(s, "0x", 2) || !strncmp(s, "-0x", 3)))
		base = 16;
	v = strtoll(s, &end, base);
	if (!*s || *end || errno || v < lo || v > hi)
		usage_fail("bad number '%s' (want %lld..%lld)", s, lo, hi);
	return v;
}

static long long num(const char *s, long long lo, long long hi)
{
	return num_base(s, 10, lo, hi);
}

static double seconds(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !(v >= 0 && v <= 86400))
		usage_fail("bad seconds '%s' (want 0..86400)", s);
	return v;
}

#define S(x) { SIG##x, #x }
static const struct {
	int num;
	const char *name;
} signames[] = {
	S(HUP), S(INT), S(QUIT), S(ILL), S(TRAP), S(ABRT), S(BUS), S(FPE),
	S(KILL), S(USR1), S(SEGV), S(USR2), S(PIPE), S(ALRM), S(TERM),
	S(STKFLT), S(CHLD), S(CONT), S(STOP), S(TSTP), S(TTIN), S(TTOU),
	S(URG), S(XCPU), S(XFSZ), S(VTALRM), S(PROF), S(WINCH), S(IO),
	S(PWR), S(SYS),
};

/* A signal by number (0 allowed: kill's existence check) or name. */
static int signum(const char *s)
{
	const char *n = strncasecmp(s, "SIG", 3) ? s : s + 3;

	if (isdigit((unsigned char)*s))
		return (int)num(s, 0, _NSIG - 1);
	for (size_t i = 0; i < sizeof signames / sizeof signames[0]; i++)
		if (!strcasecmp(n, signames[i].name))
			return signames[i].num;
	usage_fail("unknown signal '%s'", s);
}

/* Like num(), but "-1" (keep unchanged) is allowed for ids. */
static unsigned id_arg(const char *s)
{
	return (unsigned)num(s, -1, UINT32_MAX - 1);
}

static int fail(void)
{
	return -errno;
}

static int fd_result(int fd)
{
	if (fd < 0)
		return -errno;
	close(fd);
	return OK;
}

static int rc_result(long rc)
{
	return rc < 0 ? -errno : OK;
}

/* Linux 6.18 gave the initial mount namespace a fixed inode number. */
static int kernel_numbers_init_mnt_ns(void)
{
	struct utsname u;
	unsigned major = 0, minor = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return 0;
	return major > 6 || (major == 6 && minor >= 18);
}

/*
 * True in the host's own mount namespace, where actions that rewrite the
 * mount tree would do it for every process: tests do their control runs under
 * `unshare -m`. Without /proc (a bare sandbox) this cannot be the host's. On
 * older kernels, the initial pid namespace plus PID 1's mount namespace mean
 * the host, and a PID 1 that hides it even from root counts as the host too.
 */
static int in_host_mount_ns(void)
{
	struct stat pid, self, init;

	if (stat("/proc/self/ns/mnt", &self))
		return 0;
	if (kernel_numbers_init_mnt_ns())
		return self.st_ino == MNT_NS_INIT_INO;
	if (stat("/proc/self/ns/pid", &pid) || pid.st_ino != PROC_PID_INIT_INO)
		return 0;
	if (stat("/proc/1/ns/mnt", &init))
		return 1;
	return self.st_ino == init.st_ino && self.st_dev == init.st_dev;
}

static void refuse_on_host_mount_ns(void)
{
	if (in_host_mount_ns())
		usage_fail("refusing in the host's mount namespace "
			   "(run under unshare -m)");
}

/* Prints a whole file to stdout; used for /proc views. */
static int cat_fd(int fd)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	return n < 0 ? -errno : SHOWN;
}

/* ---- files --------------------------------------------------------- */

static int act_read(ARGS)
{
	char c;
	int fd = open(argv[0], O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, &c, 1) < 0)
		return fail();
	close(fd);
	return OK;
}

static int act_cat(ARGS)
{
	int fd = open(argv[0], O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return fail();
	r = cat_fd(fd);
	close(fd);
	return r;
}

static int write_str(const char *path, int flags, const char *s)
{
	int fd = open(path, flags | O_WRONLY | O_CLOEXEC);
	size_t len = strlen(s);

	if (fd < 0 || write(fd, s, len) != (ssize_t)len)
		return fail();
	close(fd);
	return OK;
}

static int act_write(ARGS)
{
	return write_str(argv[0], O_APPEND, "x");
}

static int act_put(ARGS)
{
	return write_str(argv[0], 0, argv[1]);
}

static int act_open_rw(ARGS)
{
	return fd_result(open(argv[0], O_RDWR | O_CLOEXEC));
}

static int act_create(ARGS)
{
	return fd_result(open(argv[0], O_CREAT | O_EXCL | O_NOFOLLOW |
				       O_WRONLY | O_CLOEXEC, 0600));
}

static int act_mkdir(ARGS)
{
	return rc_result(mkdir(argv[0], 0700));
}

static int act_unlink(ARGS)
{
	return rc_result(unlink(argv[0]));
}

static int act_rmdir(ARGS)
{
	return rc_result(rmdir(argv[0]));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int act_ls(ARGS)
{
	DIR *d = opendir(argv[0]);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (!d)
		return fail();
	while ((errno = 0, de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		if (!names || !(names[n++] = strdup(de->d_name)))
			return -ENOMEM;
	}
	if (errno)
		return fail();
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++)
		puts(names[i]);
	return SHOWN;
}

static const char *type_name(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return "reg";
	case S_IFDIR: return "dir";
	case S_IFCHR: return "chr";
	case S_IFBLK: return "blk";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "sock";
	case S_IFLNK: return "lnk";
	}
	return "unknown";
}

static int print_stat(int rc, const struct stat *st)
{
	if (rc < 0)
		return fail();
	printf("type=%s mode=%04o rdev=%u:%u uid=%u gid=%u size=%lld\n",
	       type_name(st->st_mode), (unsigned)(st->st_mode & 07777),
	       major(st->st_rdev), minor(st->st_rdev), (unsigned)st->st_uid,
	       (unsigned)st->st_gid, (long long)st->st_size);
	return SHOWN;
}

static int act_stat(ARGS)
{
	struct stat st;

	return print_stat(stat(argv[0], &st), &st);
}

static int act_lstat(ARGS)
{
	struct stat st;

	return print_stat(lstat(argv[0], &st), &st);
}

static int act_readlink(ARGS)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(argv[0], buf, sizeof buf - 1);

	if (n < 0)
		return fail();
	buf[n] = 0;
	puts(buf);
	return SHOWN;
}

static int act_exec(ARGS)
{
	fflush(stdout);
	execv(argv[0], argv); /* argv ends in NULL: it is main's tail */
	return fail();
}

static int act_truncate(ARGS)
{
	off_t len = argc > 1 ? (off_t)num(argv[1], 0, LLONG_MAX) : 0;

	return rc_result(truncate(argv[0], len));
}

static int act_chmod(ARGS)
{
	mode_t mode = (mode_t)num_base(argv[1], 8, 0, 07777);

	return rc_result(chmod(argv[0], mode));
}

static int act_chown(ARGS)
{
	return rc_result(chown(argv[0], id_arg(argv[1]), id_arg(argv[2])));
}

static int act_mknod_char(ARGS)
{
	dev_t dev = makedev((unsigned)num(argv[1], 0, 4095),
			    (unsigned)num(argv[2], 0, 1048575));

	return rc_result(mknod(argv[0], S_IFCHR | 0600, dev));
}

static int act_symlink(ARGS)
{
	return rc_result(symlink(argv[0], argv[1]));
}

static int act_link(ARGS)
{
	return rc_result(link(argv[0], argv[1]));
}

static int act_rename(ARGS)
{
	return rc_result(rename(argv[0], argv[1]));
}

static int act_statfs(ARGS)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} fl[] = {
		{ ST_NOSUID, "nosuid" }, { ST_NODEV, "nodev" },
		{ ST_NOEXEC, "noexec" }, { ST_SYNCHRONOUS, "sync" },
		{ ST_NOATIME, "noatime" }, { ST_NODIRATIME, "nodiratime" },
		{ ST_RELATIME, "relatime" }, { 8192, "nosymfollow" },
	};
	struct statfs sf;

	if (statfs(argv[0], &sf) < 0)
		return fail();
	printf("type=0x%lx flags=%s", (unsigned long)sf.f_type,
	       sf.f_flags & ST_RDONLY ? "ro" : "rw");
	for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++)
		if (sf.f_flags & fl[i].flag)
			printf(",%s", fl[i].name);
	putchar('\n');
	return SHOWN;
}

/* ---- identity and process ------------------------------------------ */

static int act_id(ARGS)
{
	gid_t groups[NGROUPS_MAX];
	int n = getgroups(NGROUPS_MAX, groups);

	if (n < 0)
		return fail();
	printf("uid=%u gid=%u euid=%u egid=%u groups=", (unsigned)getuid(),
	       (unsigned)getgid(), (unsigned)geteuid(), (unsigned)getegid());
	for (int i = 0; i < n; i++)
		printf(i ? ",%u" : "%u", (unsigned)groups[i]);
	putchar('\n');
	return SHOWN;
}

/* One bit per capability for which QUERY(cap) says "set"; stops at EINVAL. */
static unsigned long long cap_set_bits(int option, int sub)
{
	unsigned long long bits = 0;

	for (int c = 0; c < 64; c++) {
		int r = sub ? prctl(option, sub, c, 0, 0) : prctl(option, c);

		if (r < 0)
			break;
		if (r)
			bits |= 1ULL << c;
	}
	return bits;
}

/* From syscalls, not /proc/self/status: works in a sandbox without /proc. */
static int act_caps(ARGS)
{
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct d[2];
	unsigned long long inh, prm, eff;

	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	hdr.pid = 0;
	if (syscall(SYS_capget, &hdr, d) < 0)
		return fail();
	inh = d[0].inheritable | (unsigned long long)d[1].inheritable << 32;
	prm = d[0].permitted | (unsigned long long)d[1].permitted << 32;
	eff = d[0].effective | (unsigned long long)d[1].effective << 32;
	printf("CapInh=%016llx CapPrm=%016llx CapEff=%016llx CapBnd=%016llx "
	       "CapAmb=%016llx\n", inh, prm, eff,
	       cap_set_bits(PR_CAPBSET_READ, 0),
	       cap_set_bits(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET));
	return SHOWN;
}

static int act_status(ARGS)
{
	FILE *f = fopen("/proc/self/status", "re");
	size_t len = strlen(argv[0]);
	char line[4096];

	if (!f)
		return fail();
	while (fgets(line, sizeof line, f)) {
		char *v = line + len + 1;

		if (strncmp(line, argv[0], len) || line[len] != ':')
			continue;
		v += strspn(v, " \t");
		fputs(v, stdout);
		fclose(f);
		return SHOWN;
	}
	fclose(f);
	return -ENODATA;
}

static int print_long(long v)
{
	printf("%ld\n", v);
	return SHOWN;
}

static int act_getpid(ARGS)
{
	return print_long(getpid());
}

static int act_getppid(ARGS)
{
	return print_long(getppid());
}

static int act_hostname(ARGS)
{
	struct utsname u;

	if (uname(&u) < 0)
		return fail();
	puts(u.nodename);
	return SHOWN;
}

static int act_cwd(ARGS)
{
	char buf[PATH_MAX];

	if (!getcwd(buf, sizeof buf))
		return fail();
	puts(buf);
	return SHOWN;
}

/* Without /proc: ask every possible fd number (up to a sane bound). */
static int fds_by_fcntl(void)
{
	struct rlimit rl;
	int max = 65536, sep = 0;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < (rlim_t)max)
		max = (int)rl.rlim_cur;
	for (int fd = 0; fd < max; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			printf(sep++ ? " %d" : "%d", fd);
	putchar('\n');
	return SHOWN;
}

static int act_fds(ARGS)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int fds[4096], n = 0;

	if (!d)
		return fds_by_fcntl();
	while ((de = readdir(d)) && n < 4096)
		if (isdigit((unsigned char)de->d_name[0]) &&
		    atoi(de->d_name) != dirfd(d))
			fds[n++] = atoi(de->d_name);
	closedir(d);
	for (int i = 0; i < n; i++) /* few fds: insertion sort */
		for (int j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			int t = fds[j];
			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	for (int i = 0; i < n; i++)
		printf(i ? " %d" : "%d", fds[i]);
	putchar('\n');
	return SHOWN;
}

static int act_env(ARGS)
{
	const char *v = getenv(argv[0]);

	if (!v)
		return -ENOENT;
	puts(v);
	return SHOWN;
}

#define R(x) { RLIMIT_##x, #x }
static const struct {
	int res;
	const char *name;
} rlimits[] = {
	R(CPU), R(FSIZE), R(DATA), R(STACK), R(CORE), R(RSS), R(NPROC),
	R(NOFILE), R(MEMLOCK), R(AS), R(LOCKS), R(SIGPENDING), R(MSGQUEUE),
	R(NICE), R(RTPRIO), R(RTTIME),
};

static void print_rlim(rlim_t v, char end)
{
	if (v == RLIM_INFINITY)
		printf("unlimited%c", end);
	else
		printf("%llu%c", (unsigned long long)v, end);
}

static int act_rlimit(ARGS)
{
	const char *n = argv[0];
	struct rlimit rl;

	if (!strncasecmp(n, "RLIMIT_", 7))
		n += 7;
	for (size_t i = 0; i < sizeof rlimits / sizeof rlimits[0]; i++) {
		if (strcasecmp(n, rlimits[i].name))
			continue;
		if (getrlimit(rlimits[i].res, &rl) < 0)
			return fail();
		print_rlim(rl.rlim_cur, ' ');
		print_rlim(rl.rlim_max, '\n');
		return SHOWN;
	}
	usage_fail("unknown limit '%s'", argv[0]);
}

static int print_prctl(int option)
{
	int r = prctl(option, 0, 0, 0, 0);

	return r < 0 ? fail() : print_long(r);
}

static int act_nnp(ARGS)
{
	return print_prctl(PR_GET_NO_NEW_PRIVS);
}

static int act_dumpable(ARGS)
{
	return print_prctl(PR_GET_DUMPABLE);
}

static int act_ns(ARGS)
{
	char path[64];
	char *a[] = { path, NULL };

	if (strchr(argv[0], '/') || strlen(argv[0]) > 32)
		usage_fail("bad namespace name '%s'", argv[0]);
	snprintf(path, sizeof path, "/proc/self/ns/%s", argv[0]);
	return act_readlink(1, a);
}

static int act_cgroup(ARGS)
{
	char *a[] = { "/proc/self/cgroup", NULL };

	return act_cat(1, a);
}

static int act_setuid(ARGS)
{
	return rc_result(setuid(id_arg(argv[0])));
}

static int act_setgid(ARGS)
{
	return rc_result(setgid(id_arg(argv[0])));
}

static int act_setgroups(ARGS)
{
	gid_t g[64];

	for (int i = 0; i < argc; i++)
		g[i] = id_arg(argv[i]);
	return rc_result(setgroups((size_t)argc, g));
}

static int act_setresuid(ARGS)
{
	return rc_result(setresuid(id_arg(argv[0]), id_arg(argv[1]),
				   id_arg(argv[2])));
}

static int act_setresgid(ARGS)
{
	return rc_result(setresgid(id_arg(argv[0]), id_arg(argv[1]),
				   id_arg(argv[2])));
}

/* ---- privileged operations ----------------------------------------- */

static int act_mount_tmpfs(ARGS)
{
	if (mount("probe", argv[0], "tmpfs", MS_NOSUID | MS_NODEV,
		  "size=64k") < 0)
		return fail();
	umount2(argv[0], MNT_DETACH); /* the proof is done: leave no trace */
	return OK;
}

static int act_umount(ARGS)
{
	refuse_on_host_mount_ns();
	return rc_result(umount2(argv[0], 0));
}

/* Clears only "ro": locked nosuid/nodev/noexec must not be the cause. */
static int act_remount_rw(ARGS)
{
	static const unsigned long keep[][2] = {
		{ ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	unsigned long flags = MS_REMOUNT | MS_BIND;
	struct statvfs sv;

	refuse_on_host_mount_ns();
	if (statvfs(argv[0], &sv) < 0)
		return fail();
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
		if (sv.f_flag & keep[i][0])
			flags |= keep[i][1];
	return rc_result(mount(NULL, argv[0], NULL, flags, NULL));
}

static int act_pivot_root(ARGS)
{
	refuse_on_host_mount_ns();
	return rc_result(syscall(SYS_pivot_root, argv[0], argv[1]));
}

static const struct {
	const char *name;
	int flag;
} ns_flags[] = {
	{ "user", CLONE_NEWUSER }, { "mount", CLONE_NEWNS },
	{ "mnt", CLONE_NEWNS },	   { "net", CLONE_NEWNET },
	{ "pid", CLONE_NEWPID },   { "uts", CLONE_NEWUTS },
	{ "ipc", CLONE_NEWIPC },   { "cgroup", CLONE_NEWCGROUP },
	{ "time", CLONE_NEWTIME },
};

static int act_unshare(ARGS)
{
	for (size_t i = 0; i < sizeof ns_flags / sizeof ns_flags[0]; i++)
		if (!strcmp(argv[0], ns_flags[i].name))
			return rc_result(unshare(ns_flags[i].flag));
	usage_fail("unknown namespace '%s'", argv[0]);
}

static int act_setns(ARGS)
{
	int fd = open(argv[0], O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return fail();
	r = rc_result(setns(fd, 0));
	close(fd);
	return r;
}

static int act_chroot(ARGS)
{
	return rc_result(chroot(argv[0]));
}

/* Without NAME: an over-long length, refused only after the CAP check. */
static int act_sethostname(ARGS)
{
	static const char big[80];
	struct stat st;

	if (!argc)
		return rc_result(sethostname(big, sizeof big));
	if (!stat("/proc/self/ns/uts", &st) && st.st_ino == PROC_UTS_INIT_INO)
		usage_fail("refusing to rename the host (initial uts ns)");
	return rc_result(sethostname(argv[0], strlen(argv[0])));
}

/* kill(-1) is a sandbox test (it must reach only the sandbox); on the host it
 * would signal every process, so it needs a provably non-initial pid ns. */
static int act_kill(ARGS)
{
	pid_t pid = (pid_t)num(argv[0], INT_MIN, INT_MAX);
	struct stat st;

	if (pid == -1 && (stat("/proc/self/ns/pid", &st) ||
			  st.st_ino == PROC_PID_INIT_INO))
		usage_fail("refusing kill(-1) outside a known child pid ns");
	return rc_result(kill(pid, signum(argv[1])));
}

/* SEIZE does not stop the tracee; our exit detaches it. */
static int act_ptrace_attach(ARGS)
{
	return rc_result(ptrace(PTRACE_SEIZE, (pid_t)num(argv[0], 1, INT_MAX),
				0, 0));
}

static int act_ptrace_traceme(ARGS)
{
	return rc_result(ptrace(PTRACE_TRACEME, 0, 0, 0));
}

/* Bad magic: the kernel checks CAP_SYS_BOOT first, then the magic. */
static int act_reboot(ARGS)
{
	return rc_result(syscall(SYS_reboot, 0, 0, 0, NULL));
}

/* Without VALUE the current value is written back: no change, same check. */
static int act_sysctl_write(ARGS)
{
	char path[PATH_MAX], cur[4096];
	const char *v = argc > 1 ? argv[1] : cur;
	ssize_t n;
	int fd;

	if (strstr(argv[0], ".."))
		usage_fail("bad sysctl name '%s'", argv[0]);
	snprintf(path, sizeof path, "/proc/sys/%s", argv[0]);
	for (char *p = path + 10; *p; p++)
		if (*p == '.')
			*p = '/';
	if (argc == 1) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return fail();
		n = read(fd, cur, sizeof cur - 1);
		close(fd);
		if (n < 0)
			return fail();
		cur[n] = 0;
	}
	return write_str(path, 0, v);
}

/* An empty image: refused with ENOEXEC only after the CAP_SYS_MODULE check. */
static int act_module_load(ARGS)
{
	return rc_result(syscall(SYS_init_module, NULL, 0UL, ""));
}

static int act_bpf(ARGS)
{
	struct bpf_insn prog[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;

	memset(&a, 0, sizeof a);
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)prog;
	a.insn_cnt = 2;
	a.license = (uintptr_t)"GPL";
	return fd_result((int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a));
}

static int act_perf(ARGS)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof a);
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof a;
	a.config = PERF_COUNT_SW_TASK_CLOCK;
	a.disabled = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	return fd_result((int)syscall(SYS_perf_event_open, &a, 0, -1, -1,
				      PERF_FLAG_FD_CLOEXEC));
}

static int act_userfaultfd(ARGS)
{
	return fd_result((int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK));
}

static int act_keyctl(ARGS)
{
	return rc_result(syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
				 KEY_SPEC_SESSION_KEYRING, 0));
}

/* Into the process keyring, which dies with this process. */
static int act_add_key(ARGS)
{
	return rc_result(syscall(SYS_add_key, "user", "nucleus-probe", "x", 1,
				 KEY_SPEC_PROCESS_KEYRING));
}

static int act_io_uring(ARGS)
{
	unsigned char params[120]; /* struct io_uring_params, zeroed */

	memset(params, 0, sizeof params);
	return fd_result((int)syscall(SYS_io_uring_setup, 1, params));
}

static int act_personality(ARGS)
{
	unsigned long p = argc ? (unsigned long)num(argv[0], 0, UINT32_MAX)
			       : 0xffffffffUL;
	int old = personality(p);

	if (old < 0)
		return fail();
	printf("0x%x\n", (unsigned)old);
	return SHOWN;
}

/* Unknown flag 0x8000 and too many segments: EINVAL after CAP_SYS_BOOT. */
static int act_kexec(ARGS)
{
	return rc_result(syscall(SYS_kexec_load, 0UL, 1000UL, NULL, 0x8000UL));
}

static int act_clock_settime(ARGS)
{
	struct timespec now;

	if (clock_gettime(CLOCK_REALTIME, &now) < 0)
		return fail();
	return rc_result(clock_settime(CLOCK_REALTIME, &now));
}

static int act_syslog(ARGS)
{
	return rc_result(klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0));
}

static int act_acct(ARGS)
{
	return rc_result(acct(NOWHERE));
}

static int act_swapon(ARGS)
{
	return rc_result(swapon(NOWHERE, 0));
}

static int wait_child(pid_t pid)
{
	int st;

	if (pid < 0)
		return fail();
	if (waitpid(pid, &st, 0) < 0)
		return fail();
	return WIFEXITED(st) && !WEXITSTATUS(st) ? OK : -ECHILD;
}

static int act_fork(ARGS)
{
	long pid;

	fflush(stdout);
	pid = syscall(SYS_fork);
	if (pid == 0)
		syscall(SYS_exit_group, 0);
	return wait_child((pid_t)pid);
}

static int act_clone3(ARGS)
{
	uint64_t args[11] = { 0 }; /* struct clone_args, CLONE_ARGS_SIZE_VER2 */
	long pid;

	args[4] = SIGCHLD; /* exit_signal */
	fflush(stdout);
	pid = syscall(SYS_clone3, args, sizeof args);
	if (pid == 0)
		syscall(SYS_exit_group, 0);
	return wait_child((pid_t)pid);
}

static int act_vfork(ARGS)
{
	pid_t pid;

	fflush(stdout);
	pid = vfork();
	if (pid == 0)
		_exit(0);
	return wait_child(pid);
}

/* "s:TEXT" passes a pointer to TEXT; anything else is an integer. */
static int act_raw(ARGS)
{
	long a[6] = { 0 }, nr = (long)num(argv[0], 0, 4095), r;

	for (int i = 1; i < argc; i++)
		a[i - 1] = !strncmp(argv[i], "s:", 2)
				   ? (long)(argv[i] + 2)
				   : (long)num(argv[i], LONG_MIN, LONG_MAX);
	r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r == -1)
		return fail();
	return print_long(r);
}

/* ---- network ------------------------------------------------------- */

static socklen_t parse_addr(const char *host, const char *port,
			    struct sockaddr_storage *ss)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	uint16_t p = htons((uint16_t)num(port, 0, 65535));

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = p;
		return sizeof *v4;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = p;
		return sizeof *v6;
	}
	usage_fail("bad address '%s' (want numeric IPv4 or IPv6)", host);
}

static int lookup(const char *s, const char *const *names, const int *vals,
		  const char *what)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(s, names[i]))
			return vals[i];
	usage_fail("unknown %s '%s'", what, s);
}

static int act_socket(ARGS)
{
	static const char *const dn[] = { "unix", "inet", "inet6", "netlink",
					  "packet", NULL };
	static const int dv[] = { AF_UNIX, AF_INET, AF_INET6, AF_NETLINK,
				  AF_PACKET };
	static const char *const tn[] = { "stream", "dgram", "raw",
					  "seqpacket", NULL };
	static const int tv[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_RAW,
				  SOCK_SEQPACKET };
	int dom = lookup(argv[0], dn, dv, "domain");
	int type = lookup(argv[1], tn, tv, "type"), proto = 0;

	if (argc > 2)
		proto = (int)num(argv[2], 0, 65535);
	else if (type == SOCK_RAW && (dom == AF_INET || dom == AF_INET6))
		proto = dom == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	else if (dom == AF_PACKET)
		proto = htons(0x0003); /* ETH_P_ALL */
	return fd_result(socket(dom, type | SOCK_CLOEXEC, proto));
}

/* poll() for one event; a timeout is ETIMEDOUT. */
static int wait_fd(int fd, short ev, int ms)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int r = poll(&p, 1, ms);

	return r < 0 ? -errno : r == 0 ? -ETIMEDOUT : 0;
}

static int act_connect_tcp(ARGS)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(argv[0], argv[1], &ss), el = sizeof(int);
	int fd = socket(ss.ss_family,
			SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int e = 0, r;

	if (fd < 0)
		return fail();
	if (!connect(fd, (struct sockaddr *)&ss, len))
		return fd_result(fd);
	if (errno != EINPROGRESS)
		return fail();
	if ((r = wait_fd(fd, POLLOUT, 2000)) < 0)
		return r;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
		return fail();
	close(fd);
	return -e;
}

static int tcp_bound(const char *host, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(host, port, &ss);
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		return -errno;
	return fd;
}

static int act_bind_tcp(ARGS)
{
	int fd = tcp_bound(argv[0], argv[1]);

	return fd < 0 ? fd : fd_result(fd);
}

/* Accepts one client and echoes its first line (up to 512 bytes). */
static int serve_one(int lfd, int ms)
{
	char buf[512];
	ssize_t n = 0, r;
	int c, w;

	if ((w = wait_fd(lfd, POLLIN, ms)) < 0)
		return w;
	if ((c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) < 0)
		return fail();
	while (n < (ssize_t)sizeof buf && !memchr(buf, '\n', (size_t)n)) {
		if ((w = wait_fd(c, POLLIN, 2000)) < 0)
			return w;
		if ((r = read(c, buf + n, sizeof buf - (size_t)n)) <= 0)
			break;
		n += r;
	}
	if (n > 0 && write(c, buf, (size_t)n) < 0)
		return fail();
	close(c);
	return OK;
}

static int act_listen_tcp(ARGS)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int ms = (int)(seconds(argv[2]) * 1000);
	int fd = tcp_bound(argv[0], argv[1]);

	if (fd < 0)
		return fd;
	if (listen(fd, 1) < 0 || getsockname(fd, (struct sockaddr *)&ss, &len))
		return fail();
	fprintf(stderr, "probe: listening on port %u\n",
		ntohs(((struct sockaddr_in *)&ss)->sin_port));
	return serve_one(fd, ms);
}

static socklen_t abstract_addr(const char *name, struct sockaddr_un *sun)
{
	size_t n = strlen(name);

	if (n == 0 || n >= sizeof sun->sun_path)
		usage_fail("bad abstract name '%s'", name);
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path + 1, name, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static int act_abstract_bind(ARGS)
{
	struct sockaddr_un sun;
	socklen_t len = abstract_addr(argv[0], &sun);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, len) < 0 ||
	    listen(fd, 1) < 0)
		return fail();
	if (argc > 1)
		return serve_one(fd, (int)(seconds(argv[1]) * 1000));
	close(fd);
	return OK;
}

static int act_abstract_connect(ARGS)
{
	struct sockaddr_un sun;
	socklen_t len = abstract_addr(argv[0], &sun);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, len) < 0)
		return fail();
	close(fd);
	return OK;
}

static int act_ifaces(ARGS)
{
	struct if_nameindex *ifs = if_nameindex();
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (!ifs || fd < 0)
		return fail();
	for (struct if_nameindex *i = ifs; i->if_index; i++) {
		struct ifreq ifr;

		memset(&ifr, 0, sizeof ifr);
		snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", i->if_name);
		if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
			return fail();
		printf("%s %s\n", i->if_name,
		       ifr.ifr_flags & IFF_UP ? "up" : "down");
	}
	if_freenameindex(ifs);
	close(fd);
	return SHOWN;
}

/* A datagram to itself over 127.0.0.1: loopback is up and routable. */
static int act_ping_lo(ARGS)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	char buf[8] = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0 ||
	    sendto(fd, "ping", 4, 0, (struct sockaddr *)&a, len) != 4)
		return fail();
	if ((r = wait_fd(fd, POLLIN, 2000)) < 0)
		return r;
	if (recv(fd, buf, sizeof buf, 0) != 4 || memcmp(buf, "ping", 4))
		return errno ? fail() : -EIO;
	close(fd);
	return OK;
}

/* ---- TTY ----------------------------------------------------------- */

static int act_tiocsti(ARGS)
{
	char c = argc ? argv[0][0] : 'x';

	return rc_result(ioctl(0, TIOCSTI, &c));
}

/* The request with garbage high bits: the kernel truncates it to 32 bits,
 * a seccomp rule comparing all 64 bits would not (CVE-2019-10063). */
static int act_tiocsti_hi(ARGS)
{
	unsigned long req = (unsigned long)TIOCSTI | 0xFFFFFFFF00000000UL;
	char c = argc ? argv[0][0] : 'x';

	return rc_result(syscall(SYS_ioctl, 0, req, &c));
}

/* Default subcode 6 (TIOCL_GETSHIFTSTATE) only reads; 2/3 would select and
 * paste on a VT (CVE-2023-1523). */
static int act_tioclinux(ARGS)
{
	char sub[8] = { 6 };

	if (argc)
		sub[0] = (char)num(argv[0], 0, 255);
	return rc_result(ioctl(0, TIOCLINUX, sub));
}

static int act_ctty(ARGS)
{
	const char *name = ttyname(0);

	printf("tty=%d name=%s sid=%ld pgrp=%ld fg=%ld\n", isatty(0),
	       name ? name : "-", (long)getsid(0), (long)getpgrp(),
	       (long)tcgetpgrp(0));
	return SHOWN;
}

/* ---- resources ----------------------------------------------------- */

static int act_alloc(ARGS)
{
	size_t len = (size_t)num(argv[0], 1, 16384) << 20;
	/* volatile: a compiler may drop malloc+touch+free altogether. */
	volatile char *p = malloc(len);

	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1; /* touch: the memory limit counts resident pages */
	free((void *)p);
	return OK;
}

static int act_forks(ARGS)
{
	int n = (int)num(argv[0], 1, 4096), done = 0, e = 0;
	pid_t *kids = calloc((size_t)n, sizeof *kids);

	if (!kids)
		return -ENOMEM;
	fflush(stdout);
	for (; done < n; done++) {
		if ((kids[done] = fork()) < 0) {
			e = errno;
			break;
		}
		if (kids[done] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			sleep(30);
			_exit(0);
		}
	}
	for (int i = 0; i < done; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < done; i++)
		waitpid(kids[i], NULL, 0);
	printf("forked=%d%s", done, e ? " " : "\n");
	return e ? -e : SHOWN;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int act_spin(ARGS)
{
	double end = now_s() + seconds(argv[0]);
	volatile unsigned long x = 0;

	while (now_s() < end)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
	return OK;
}

static int act_sleep(ARGS)
{
	double s = seconds(argv[0]);
	struct timespec t = { .tv_sec = (time_t)s };

	t.tv_nsec = (long)((s - (double)t.tv_sec) * 1e9);

	while (nanosleep(&t, &t) < 0)
		if (errno != EINTR)
			return fail();
	return OK;
}

/* A workload whose progress shows from outside: 1, 2, 3... on stdout,
 * one a line, every 10 ms, for ever (pause tests watch it stop). */
static int act_count(ARGS)
{
	const struct timespec t = { 0, 10000000 };

	for (unsigned long i = 1; dprintf(1, "%lu\n", i) > 0; i++)
		nanosleep(&t, NULL);
	return fail();
}

static int act_signal_self(ARGS)
{
	int sig = signum(argv[0]);
	sigset_t set;

	fflush(stdout);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	return rc_result(raise(sig)); /* alive: the default was to ignore */
}

static int act_exit(ARGS)
{
	fflush(stdout);
	_exit((int)num(argv[0], 0, 255));
}

/* SIGXFSZ is ignored so that RLIMIT_FSIZE shows as EFBIG. */
static int act_write_file(ARGS)
{
	static char buf[65536];
	long long left = num(argv[1], 0, 65536) << 20;
	int fd;

	signal(SIGXFSZ, SIG_IGN);
	fd = open(argv[0],
		  O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail();
	memset(buf, 'x', sizeof buf);
	while (left > 0) {
		size_t chunk = left < 65536 ? (size_t)left : sizeof buf;
		ssize_t n = write(fd, buf, chunk);

		if (n < 0)
			return fail();
		left -= n;
	}
	return close(fd) < 0 ? fail() : OK;
}

static int act_open_many(ARGS)
{
	int n = (int)num(argv[0], 1, 1 << 20), i;

	for (i = 0; i < n; i++)
		if (open("/dev/null", O_RDONLY | O_CLOEXEC) < 0)
			break;
	printf("opened=%d%s", i, i < n ? " " : "\n");
	return i < n ? fail() : SHOWN;
}

/* ---- misc ---------------------------------------------------------- */

static int act_dev_null(ARGS)
{
	return write_str("/dev/null", 0, "x");
}

static int act_proc_self_exe(ARGS)
{
	char *a[] = { "/proc/self/exe", NULL };

	return act_readlink(1, a);
}

/* Never O_TRUNC, never a write: opening is the whole test. */
static int act_open_exe_w(ARGS)
{
	return fd_result(open(argv[0], O_WRONLY | O_CLOEXEC));
}

/* ---- the table ----------------------------------------------------- */

#define A(name, min, max, args, fn, help) { name, min, max, args, help, fn }
static const struct action actions[] = {
	/* files */
	A("read", 1, 1, "PATH", act_read, "open O_RDONLY, read 1 byte"),
	A("cat", 1, 1, "PATH", act_cat, "print the whole file"),
	A("write", 1, 1, "PATH", act_write,
	  "open O_WRONLY|O_APPEND, write \"x\""),
	A("put", 2, 2, "PATH TEXT", act_put,
	  "open O_WRONLY (no create, no trunc), write TEXT"),
	A("open-rw", 1, 1, "PATH", act_open_rw, "open O_RDWR, no write"),
	A("create", 1, 1, "PATH", act_create,
	  "open O_CREAT|O_EXCL|O_NOFOLLOW 0600"),
	A("mkdir", 1, 1, "PATH", act_mkdir, "mkdir 0700"),
	A("unlink", 1, 1, "PATH", act_unlink, "unlink"),
	A("rmdir", 1, 1, "PATH", act_rmdir, "rmdir"),
	A("ls", 1, 1, "DIR", act_ls, "print entry names, sorted, one a line"),
	A("stat", 1, 1, "PATH", act_stat,
	  "print type= mode= (octal) rdev=MAJ:MIN uid= gid= size="),
	A("lstat", 1, 1, "PATH", act_lstat, "stat, not following a symlink"),
	A("readlink", 1, 1, "PATH", act_readlink, "print the link target"),
	A("exec", 1, -1, "PATH [ARG...]", act_exec,
	  "execv PATH with argv PATH ARG...; prints only on failure"),
	A("truncate", 1, 2, "PATH [LEN]", act_truncate, "truncate to LEN (0)"),
	A("chmod", 2, 2, "PATH MODE", act_chmod, "chmod, MODE in octal"),
	A("chown", 3, 3, "PATH UID GID", act_chown, "chown; -1 keeps"),
	A("mknod-char", 3, 3, "PATH MAJ MIN", act_mknod_char,
	  "mknod S_IFCHR 0600"),
	A("symlink", 2, 2, "TARGET PATH", act_symlink, "symlink"),
	A("link", 2, 2, "OLD NEW", act_link, "hard link"),
	A("rename", 2, 2, "OLD NEW", act_rename, "rename"),
	A("statfs", 1, 1, "PATH", act_statfs,
	  "print type=0xMAGIC flags=ro|rw[,nosuid,nodev,noexec,...]"),
	/* identity and process */
	A("id", 0, 0, "", act_id, "print uid= gid= euid= egid= groups=a,b"),
	A("caps", 0, 0, "", act_caps,
	  "print CapInh= CapPrm= CapEff= CapBnd= CapAmb= (hex, from syscalls)"),
	A("status", 1, 1, "FIELD", act_status,
	  "print a /proc/self/status field; ENODATA: no such field"),
	A("getpid", 0, 0, "", act_getpid, "print getpid()"),
	A("getppid", 0, 0, "", act_getppid, "print getppid()"),
	A("hostname", 0, 0, "", act_hostname, "print uname nodename"),
	A("cwd", 0, 0, "", act_cwd, "print getcwd()"),
	A("fds", 0, 0, "", act_fds, "print open fd numbers, one line, sorted"),
	A("env", 1, 1, "NAME", act_env, "print $NAME; ENOENT: unset"),
	A("rlimit", 1, 1, "NAME", act_rlimit,
	  "print 'SOFT HARD' (or unlimited) of NOFILE, NPROC, CORE, AS, ..."),
	A("nnp", 0, 0, "", act_nnp, "print PR_GET_NO_NEW_PRIVS"),
	A("dumpable", 0, 0, "", act_dumpable, "print PR_GET_DUMPABLE"),
	A("ns", 1, 1, "NAME", act_ns, "print readlink /proc/self/ns/NAME"),
	A("cgroup", 0, 0, "", act_cgroup, "print /proc/self/cgroup"),
	A("setuid", 1, 1, "UID", act_setuid, "setuid"),
	A("setgid", 1, 1, "GID", act_setgid, "setgid"),
	A("setgroups", 0, 64, "[GID...]", act_setgroups,
	  "setgroups to the list (empty: none)"),
	A("setresuid", 3, 3, "R E S", act_setresuid, "setresuid; -1 keeps"),
	A("setresgid", 3, 3, "R E S", act_setresgid, "setresgid; -1 keeps"),
	/* privileged operations */
	A("mount-tmpfs", 1, 1, "DIR", act_mount_tmpfs,
	  "mount a tmpfs on DIR, then detach it at once"),
	A("umount", 1, 1, "PATH", act_umount,
	  "umount2(PATH, 0), for real; refused in the host mount ns"),
	A("remount-rw", 1, 1, "PATH", act_remount_rw,
	  "bind remount without ro, others kept; refused in host mount ns"),
	A("pivot-root", 2, 2, "NEW OLD", act_pivot_root,
	  "pivot_root, for real; refused in the host mount ns"),
	A("unshare", 1, 1, "NS", act_unshare,
	  "unshare user|mount|net|pid|uts|ipc|cgroup|time"),
	A("setns", 1, 1, "PATH", act_setns, "setns to an ns file, any type"),
	A("chroot", 1, 1, "DIR", act_chroot, "chroot"),
	A("sethostname", 0, 1, "[NAME]", act_sethostname,
	  "NAME: set it (refused in the host uts ns); none: EINVAL=permitted"),
	A("kill", 2, 2, "PID SIG", act_kill,
	  "kill; SIG by number or name; -1 only in a child pid ns"),
	A("ptrace-attach", 1, 1, "PID", act_ptrace_attach,
	  "PTRACE_SEIZE (no stop; detached at exit)"),
	A("ptrace-traceme", 0, 0, "", act_ptrace_traceme, "PTRACE_TRACEME"),
	A("reboot", 0, 0, "", act_reboot,
	  "reboot with bad magic: EINVAL=permitted, EPERM=denied; never boots"),
	A("sysctl-write", 1, 2, "NAME [VALUE]", act_sysctl_write,
	  "write /proc/sys/NAME (a.b or a/b); no VALUE: rewrite current value"),
	A("module-load", 0, 0, "", act_module_load,
	  "init_module(empty): ENOEXEC=permitted, EPERM=denied"),
	A("bpf", 0, 0, "", act_bpf, "BPF_PROG_LOAD a 2-insn socket filter"),
	A("perf", 0, 0, "", act_perf, "perf_event_open task-clock on self"),
	A("userfaultfd", 0, 0, "", act_userfaultfd, "userfaultfd()"),
	A("keyctl", 0, 0, "", act_keyctl,
	  "KEYCTL_GET_KEYRING_ID of the session keyring (no create)"),
	A("add-key", 0, 0, "", act_add_key,
	  "add_key user key to the process keyring (gone at exit)"),
	A("io-uring", 0, 0, "", act_io_uring, "io_uring_setup(1 entry)"),
	A("personality", 0, 1, "[PERSONA]", act_personality,
	  "set PERSONA (none: query); print the previous one, hex"),
	A("kexec", 0, 0, "", act_kexec,
	  "kexec_load bad flags: EINVAL=permitted, EPERM=denied; no load"),
	A("clock-settime", 0, 0, "", act_clock_settime,
	  "CLOCK_REALTIME set to the time just read"),
	A("syslog", 0, 0, "", act_syslog,
	  "klogctl SIZE_BUFFER: EPERM under dmesg_restrict"),
	A("acct", 0, 0, "", act_acct,
	  "acct(missing file): ENOENT=permitted, EPERM=denied"),
	A("swapon", 0, 0, "", act_swapon,
	  "swapon(missing file): ENOENT=permitted, EPERM=denied"),
	A("fork", 0, 0, "", act_fork, "raw fork; child exits 0; waited"),
	A("clone3", 0, 0, "", act_clone3, "raw clone3 as fork; waited"),
	A("vfork", 0, 0, "", act_vfork, "vfork; child _exit(0); waited"),
	A("raw", 1, 7, "NR [ARG...]", act_raw,
	  "syscall NR, ARG integer or s:TEXT; print the return value"),
	/* network */
	A("socket", 2, 3, "DOMAIN TYPE [PROTO]", act_socket,
	  "unix|inet|inet6|netlink|packet x stream|dgram|raw|seqpacket"),
	A("connect-tcp", 2, 2, "ADDR PORT", act_connect_tcp,
	  "TCP connect, 2 s timeout (ETIMEDOUT)"),
	A("bind-tcp", 2, 2, "ADDR PORT", act_bind_tcp, "TCP bind"),
	A("listen-tcp", 3, 3, "ADDR PORT SECONDS", act_listen_tcp,
	  "accept one client within SECONDS, echo its line; port on stderr"),
	A("abstract-bind", 1, 2, "NAME [SECONDS]", act_abstract_bind,
	  "bind+listen @NAME; with SECONDS accept one client and echo a line"),
	A("abstract-connect", 1, 1, "NAME", act_abstract_connect,
	  "connect to @NAME (stream)"),
	A("ifaces", 0, 0, "", act_ifaces, "print 'NAME up|down', one a line"),
	A("ping-lo", 0, 0, "", act_ping_lo,
	  "UDP datagram to itself over 127.0.0.1"),
	/* TTY */
	A("tiocsti", 0, 1, "[CHAR]", act_tiocsti,
	  "ioctl(0, TIOCSTI, CHAR (x)): push a byte into the tty input"),
	A("tiocsti-hi", 0, 1, "[CHAR]", act_tiocsti_hi,
	  "the same with the high 32 bits of the request set"),
	A("tioclinux", 0, 1, "[SUBCODE]", act_tioclinux,
	  "ioctl(0, TIOCLINUX, SUBCODE (6: reads)); ENOTTY/EINVAL: no VT"),
	A("ctty", 0, 0, "", act_ctty,
	  "print tty= name= sid= pgrp= fg= of fd 0"),
	/* resources */
	A("alloc", 1, 1, "MB", act_alloc, "malloc MB MiB and touch every page"),
	A("forks", 1, 1, "N", act_forks,
	  "fork N sleepers; print forked=K [ERRNO]; kill them all"),
	A("spin", 1, 1, "SECONDS", act_spin, "busy loop"),
	A("sleep", 1, 1, "SECONDS", act_sleep, "nanosleep"),
	A("count", 0, 0, "", act_count,
	  "print 1, 2, 3... a line every 10 ms, for ever"),
	A("signal-self", 1, 1, "SIG", act_signal_self,
	  "default action for SIG, unblock, raise"),
	A("exit", 1, 1, "N", act_exit, "exit with status N, print nothing"),
	A("write-file", 2, 2, "PATH MB", act_write_file,
	  "create/truncate PATH, write MB MiB (EFBIG: RLIMIT_FSIZE)"),
	A("open-many", 1, 1, "N", act_open_many,
	  "open /dev/null N times; print opened=K [ERRNO]"),
	/* misc */
	A("dev-null", 0, 0, "", act_dev_null,
	  "open /dev/null O_WRONLY, write 1 byte"),
	A("proc-self-exe", 0, 0, "", act_proc_self_exe,
	  "print readlink /proc/self/exe"),
	A("open-exe-w", 1, 1, "PATH", act_open_exe_w,
	  "open O_WRONLY, never truncate or write (ETXTBSY: running binary)"),
};
#define N_ACTIONS (sizeof actions / sizeof actions[0])

static void usage(FILE *f)
{
	fputs("usage: probe ACTION [ARG...]\n"
	      "       probe seq ACTION [ARG...] [-- ACTION [ARG...]]...\n"
	      "Prints ok (or the value) and exits 0; prints the errno name "
	      "and exits 1;\nexits 2 on a usage error. seq stops at the first "
	      "failure; exec ends it.\nENOSYS: the kernel lacks the call (or "
	      "seccomp says so). Actions:\n", f);
	for (size_t i = 0; i < N_ACTIONS; i++) {
		char head[64];

		snprintf(head, sizeof head, "%s %s", actions[i].name,
			 actions[i].args);
		fprintf(f, "  %-24s %s\n", head, actions[i].help);
	}
}

/* Runs argv[0] with its arguments; returns OK, SHOWN or -errno. */
static int run_one(int argc, char **argv)
{
	for (size_t i = 0; i < N_ACTIONS; i++) {
		const struct action *a = &actions[i];

		if (strcmp(argv[0], a->name))
			continue;
		cur_action = a->name;
		if (argc - 1 < a->min || (a->max >= 0 && argc - 1 > a->max))
			usage_fail("usage: %s %s", a->name, a->args);
		errno = 0;
		return a->fn(argc - 1, argv + 1);
	}
	usage_fail("unknown action '%s' (see probe --help)", argv[0]);
}

/* Prints the outcome in the fixed form; returns the exit status. */
static int report(int r)
{
	if (r == OK)
		puts("ok");
	else if (r < 0)
		print_errno(-r);
	fflush(stdout);
	return r < 0;
}

/* Actions separated by "--", run in order; stops at the first failure. */
static int run_seq(int argc, char **argv)
{
	int start = 0, rc = 0;

	if (argc == 0)
		usage_fail("seq needs actions");
	for (int i = 0; i <= argc && !rc; i++) {
		if (i < argc && strcmp(argv[i], "--"))
			continue;
		argv[i] = NULL; /* the action's argv ends here */
		cur_action = NULL;
		if (i == start)
			usage_fail("empty action in seq");
		rc = report(run_one(i - start, argv + start));
		start = i + 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "seq"))
		return run_seq(argc - 2, argv + 2);
	return report(run_one(argc - 1, argv + 1));
}
