// SPDX-License-Identifier: MIT
/*
 * The sandbox's network. --net none: a namespace of its own with only lo,
 * up, so 127.0.0.1 and ::1 work inside (a new namespace starts with lo
 * down, which the Rust tool left that way) and nothing routes out.
 * --net host: the host's namespace. --net pasta: a namespace of its own,
 * joined to the outside by pasta (package passt), which the parent starts
 * against the child's namespaces before releasing it, waits for, and kills
 * when the sandbox ends; PDEATHSIG kills it too if nucleus itself dies, so
 * no pasta outlives its sandbox. pasta turns the sandbox's connections into
 * the host's own sockets; by default it gives the sandbox no way to the
 * host's loopback (--no-map-gw, no automatic port forwards): a loopback
 * service (a database, a container API) is reached only through an explicit
 * --forward-host.
 *
 * --egress-allow is an nftables output chain in the sandbox's own
 * namespace, loaded by the child itself with the host's nft before it
 * pivots: the child is by then in its new namespaces with every capability
 * over them (root, or the owner of its user namespace when rootless), the
 * host's /usr/sbin/nft and its libraries are still reachable, and the
 * namespace it changes cannot be the host's, by construction (args refuse
 * --egress-allow with --net host). A setns helper in the parent would need
 * to join the user namespace too when rootless, for the same result.
 */
#include "host/net.h"
#include "lib/mountapi.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#define PASTA_READY_MS 10000
#define RULES_MAX 16384

/* Fixed places, never $PATH: nucleus may run them as root. Arrays of
 * chars, not pointers: read-only data with no relocation. */
static const char pasta_paths[][24] = { "/usr/bin/pasta", "/usr/sbin/pasta",
					"/usr/local/bin/pasta" };
static const char nft_paths[][24] = { "/usr/sbin/nft", "/sbin/nft",
				      "/usr/bin/nft", "/usr/local/sbin/nft" };
static const char *find_tool(const char (*paths)[24], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

void net_prepare(const struct config *cfg, struct net_tools *t)
{
	const struct net_config *net = &cfg->net;

	die_step = "net";
	if (net->mode == NET_PASTA &&
	    !(t->pasta =
		      find_tool(pasta_paths,
				sizeof(pasta_paths) / sizeof(pasta_paths[0]))))
		die("--net pasta: pasta not found in /usr/bin, /usr/sbin, "
		    "/usr/local/bin (Debian package passt)");
	if (net->n_egress &&
	    !(t->nft = find_tool(nft_paths,
				 sizeof(nft_paths) / sizeof(nft_paths[0]))))
		die("--egress-allow: nft not found in /usr/sbin, /sbin, "
		    "/usr/bin, /usr/local/sbin (Debian package nftables)");
}

void net_lo_up(void)
{
	struct ifreq ifr;
	cleanup_fd int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	die_step = "net";
	if (s < 0)
		die_errno("socket");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		die_errno("get lo flags");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		die_errno("bring lo up");
}

/* fds to hand to pasta, copied above 64 first so that none of them can be
 * clobbered (or left close-on-exec) while they move to 3, 4 and 5. */
static void pasta_fds(int fds[3])
{
	int high[3];

	for (int i = 0; i < 3; i++) {
		high[i] = fds[i] < 0 ? -1 : fcntl(fds[i], F_DUPFD_CLOEXEC, 64);
		if (fds[i] >= 0 && high[i] < 0)
			die_errno("fd for pasta");
	}
	for (int i = 0; i < 3; i++) {
		if (high[i] >= 0 && dup2(high[i], 3 + i) < 0)
			die_errno("fd for pasta");
		fds[i] = high[i] < 0 ? -1 : 3 + i;
	}
	sys_close_range(6, ~0u, 0);
}

/* The pasta child: only 0-2 and the three fds it is given survive exec. */
static __attribute__((noreturn)) void pasta_exec(const struct config *cfg,
						 const char *pasta,
						 pid_t monitor, int fds[3])
{
	char t[1024], u[1024], T[1024], U[1024], pidf[32], nsp[32], usp[32];
	char *argv[32] = { "pasta",	   "-f",	  "-q",
			   "--config-net", "--no-map-gw", "--dns-forward",
			   NET_DNS_ADDR };
	int a = 7, null = open("/dev/null", O_RDWR | O_CLOEXEC);
	sigset_t none;

	/* A copy of the monitor: what it undoes is not ours to undo. */
	die_undo.fn = NULL;
	/* No pasta may outlive nucleus, however nucleus ends. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != monitor)
		_exit(EXIT_SETUP);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0)
		die_errno("/dev/null for pasta");
	pasta_fds(fds);
	net_pasta_ports(&cfg->net, 0, 0, t, sizeof(t));
	net_pasta_ports(&cfg->net, 0, 1, u, sizeof(u));
	net_pasta_ports(&cfg->net, 1, 0, T, sizeof(T));
	net_pasta_ports(&cfg->net, 1, 1, U, sizeof(U));
	snprintf(pidf, sizeof(pidf), "/proc/self/fd/%d", fds[0]);
	snprintf(nsp, sizeof(nsp), "/proc/self/fd/%d", fds[1]);
	snprintf(usp, sizeof(usp), "/proc/self/fd/%d", fds[2]);
	/* As root, pasta would switch to nobody, who may not open the
	 * namespaces; it still drops every capability it does not need. */
	if (geteuid() == 0)
		argv[a++] = "--runas", argv[a++] = "0";
	argv[a++] = "-t", argv[a++] = t, argv[a++] = "-u", argv[a++] = u;
	argv[a++] = "-T", argv[a++] = T, argv[a++] = "-U", argv[a++] = U;
	argv[a++] = "-P", argv[a++] = pidf, argv[a++] = "--netns";
	argv[a++] = nsp;
	if (fds[2] >= 0)
		argv[a++] = "--userns", argv[a++] = usp;
	argv[a] = NULL;
	execve(pasta, argv, (char *[]){ NULL });
	die_errno("exec %s", pasta);
}

/* pasta writes its pid file once its interface, addresses and routes are
 * set up in the namespace: that write is the readiness signal. */
static void pasta_wait_ready(int rd, pid_t pid, int *pasta)
{
	struct pollfd p = { .fd = rd, .events = POLLIN };
	siginfo_t si;
	char buf[32];
	int r;

	do
		r = poll(&p, 1, PASTA_READY_MS);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		die_errno("wait for pasta");
	if (r == 0)
		die("pasta not ready after %d s", PASTA_READY_MS / 1000);
	if (read(rd, buf, sizeof(buf)) > 0)
		return;
	memset(&si, 0, sizeof(si));
	waitid(P_PID, (id_t)pid, &si, WEXITED);
	close_fdp(pasta);
	die("pasta failed before it was ready (%s %d)",
	    si.si_code == CLD_EXITED ? "exit" : "signal", si.si_status);
}

/* Opens /proc/PID/ns/NAME of the child; it cannot exit before release. */
static int child_ns(pid_t child, const char *name)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)child, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno("open %s", path);
	return fd;
}

/* The kernel may have refused the sandbox a network namespace (a lower
 * tier, tier.c): pasta would then configure the host's own namespace, and
 * no rule of --egress-allow would be loaded. Neither may pass silently. */
static void net_check_own(int netns)
{
	struct stat mine, theirs;

	if (stat("/proc/self/ns/net", &mine) < 0 || fstat(netns, &theirs) < 0)
		die_errno("stat network namespaces");
	if (mine.st_dev == theirs.st_dev && mine.st_ino == theirs.st_ino)
		die("--net pasta and --egress-allow need a network namespace "
		    "of "
		    "the sandbox's own, which the kernel refused");
}

void net_start(const struct config *cfg, const struct net_tools *t, int userns,
	       pid_t child, int *pasta)
{
	cleanup_fd int netns = -1, usfd = -1, rd = -1;
	int ready[2];
	pid_t monitor = getpid(), pid;

	if (cfg->net.mode != NET_PASTA && !cfg->net.n_egress)
		return;
	die_step = "net";
	netns = child_ns(child, "net");
	net_check_own(netns);
	if (cfg->net.mode != NET_PASTA)
		return;
	if (userns)
		usfd = child_ns(child, "user");
	if (pipe2(ready, O_CLOEXEC) < 0)
		die_errno("pipe2");
	rd = ready[0];
	pid = fork();
	if (pid < 0)
		die_errno("fork pasta");
	if (pid == 0)
		pasta_exec(cfg, t->pasta, monitor,
			   (int[3]){ ready[1], netns, usfd });
	close(ready[1]);
	*pasta = (int)syscall(SYS_pidfd_open, pid, 0);
	if (*pasta < 0)
		die_errno("pidfd_open pasta");
	pasta_wait_ready(rd, pid, pasta);
	timing_mark("pasta");
}

void net_stop(int *pasta)
{
	siginfo_t si;

	if (*pasta < 0)
		return;
	/* Nothing of pasta's needs a graceful end: it holds no files. */
	(void)sys_pidfd_send_signal(*pasta, SIGKILL);
	while (waitid(P_PIDFD, (id_t)*pasta, &si, WEXITED) < 0 &&
	       errno == EINTR)
		;
	close_fdp(pasta);
}

/* Runs `nft -f -` on the ruleset, with no environment, and waits. The whole
 * ruleset fits in the pipe, so it is written before nft even starts. */
static void net_egress(const struct config *cfg, const char *nft)
{
	static char rules[RULES_MAX];
	size_t n = net_rules(&cfg->net, rules, sizeof(rules));
	int p[2], status;
	pid_t pid;

	if (n >= sizeof(rules))
		die("--egress-allow: ruleset longer than %d bytes", RULES_MAX);
	if (pipe2(p, O_CLOEXEC) < 0 || write_all(p[1], rules, n) < 0)
		die_errno("pipe for nft");
	close(p[1]);
	pid = fork();
	if (pid < 0)
		die_errno("fork nft");
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* The ruleset in, nothing on the workload's stdout, no fd
		 * of the caller's (--keep-fd) in a host tool. */
		if (dup2(p[0], 0) < 0 || dup2(2, 1) < 0)
			_exit(EXIT_SETUP);
		sys_close_range(3, ~0u, 0);
		execve(nft, (char *[]){ "nft", "-f", "-", NULL },
		       (char *[]){ NULL });
		die_errno("exec %s", nft);
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die_errno("wait for nft");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("--egress-allow: %s refused the rules (status %d)", nft,
		    status);
}

void net_setup(const struct config *cfg, const struct net_tools *t)
{
	if ((cfg->share & SHARE_NET) || cfg->join_ns[JOIN_NET])
		return; /* the host's, or an engine's: set up by its owner */
	net_lo_up();	/* 127.0.0.1 works; nothing else exists but pasta's */
	if (cfg->net.n_egress) {
		die_step = "net";
		net_egress(cfg, t->nft);
		timing_mark("egress");
	}
}

/* The file lives on a tiny tmpfs of its own, cloned read-only onto the
 * host's /etc/resolv.conf: the bound /etc stays untouched. A symlink there
 * (systemd-resolved's points into /run, absent from the sandbox) is itself
 * the mount point, not followed. */
void net_dns(const struct config *cfg)
{
	static const char text[] = "# nucleus --net pasta: pasta forwards "
				   "this to the host's resolver\n"
				   "nameserver " NET_DNS_ADDR "\n";
	cleanup_fd int root = -1, target = -1, mfd = -1, f = -1, tree = -1;

	if (cfg->net.mode != NET_PASTA)
		return;
	die_step = "net";
	root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	target = root < 0
			 ? -1
			 : sys_openat2(root, "etc/resolv.conf",
				       O_PATH | O_NOFOLLOW | O_CLOEXEC,
				       RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	if (target < 0) {
		warnx("no /etc/resolv.conf in the sandbox: DNS names will "
		      "not resolve (pasta's resolver is %s)",
		      NET_DNS_ADDR);
		return;
	}
	mfd = fs_new("tmpfs", "size=4k,mode=0755",
		     MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	f = openat(mfd, "resolv.conf", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC,
		   0644);
	if (f < 0 || write_all(f, text, sizeof(text) - 1) < 0)
		die_errno("write resolv.conf");
	/* Cloning from a detached mount needs a recent kernel (6.18 here);
	 * without it the host's file stays, which works for a resolver that
	 * is not on the host's loopback. */
	tree = sys_open_tree(mfd, "resolv.conf",
			     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0) {
		warnx("cannot place /etc/resolv.conf for pasta's DNS (%s): the "
		      "host's file stays",
		      strerror(errno));
		return;
	}
	if (sys_mount_setattr(tree, "", AT_EMPTY_PATH, MOUNT_ATTR_RDONLY, 0))
		die_errno("resolv.conf mount");
	mount_attach(tree, target, "/etc/resolv.conf");
}
