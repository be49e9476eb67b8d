// SPDX-License-Identifier: MIT
/*
 * --seccomp-trace FILE: record every syscall the sandbox makes, every
 * process of it, instead of enforcing a filter, so that `nucleus-policy
 * generate FILE` can turn what a program really needs into a profile. The
 * monitor forks a tracer before the clone, outside the sandbox (init's
 * drain can neither TERM nor KILL it: a dead tracer would leave every call
 * answering ENOSYS); the setup child loads, last, a filter that hands every
 * syscall to a seccomp user-notification listener (only the one sendmsg
 * that passes the listener to the tracer is let through). The tracer
 * appends each syscall number the first time it is seen and lets the call
 * proceed (SECCOMP_USER_NOTIF_FLAG_CONTINUE); it ends when the last traced
 * process does.
 */
#include "host/seccomp_trace.h"
#include "host/audit.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#if defined(__x86_64__)
#define TRACE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define TRACE_ARCH AUDIT_ARCH_AARCH64
#endif
#define TRACE_MAX_NR 1024

/* Global: tracer_reap runs at exit (atexit), with no argument; the setup
 * child, a copy made after seccomp_trace_open, finds the socket here. */
static struct {
	int sock;  /* the monitor's end: the child sends the listener on it */
	pid_t pid; /* the tracer */
} tracer = { -1, 0 };

/* At the monitor's exit: the tracer ends with the last traced process;
 * reap it (PID 1 of a host may not), waiting at most 2 s. */
static void tracer_reap(void)
{
	if (tracer.sock >= 0)
		close(tracer.sock); /* EOF for a tracer still waiting */
	for (int i = 0; i < 200; i++) {
		if (waitpid(tracer.pid, NULL, WNOHANG) != 0)
			return;
		usleep(10000);
	}
}

static void tracer_run(int sock, int out);

void seccomp_trace_open(const char *path)
{
	int sv[2], out;
	pid_t t;

	out = host_output_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW,
			       0644);
	if (out < 0)
		die_errno("--seccomp-trace '%s'", path);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		die_errno("socketpair");
	t = fork();
	if (t < 0)
		die_errno("fork the tracer");
	if (t == 0) {
		close(sv[0]);
		tracer_run(sv[1], out);
		_exit(0);
	}
	close(sv[1]);
	close(out);
	tracer.sock = sv[0]; /* the sandbox child sends the listener here */
	tracer.pid = t;
	atexit(tracer_reap);
}

/* The tracer: one line per syscall number, the first time it is seen. */
static void tracer_loop(int lfd, int out)
{
	static unsigned char seen[TRACE_MAX_NR];
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	for (;;) {
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return;
		if (p.revents & (POLLHUP | POLLERR) && !(p.revents & POLLIN))
			return; /* every traced process is gone */
		memset(&req, 0, sizeof(req));
		if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
			continue; /* the caller died meanwhile */
		if (req.data.nr >= 0 && req.data.nr < TRACE_MAX_NR &&
		    !seen[req.data.nr]++) {
			char line[16];
			int n = snprintf(line, sizeof(line), "%d\n",
					 req.data.nr);

			(void)sink_write(out, line, (size_t)n);
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		(void)ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

static int tracer_recv_fd(int sock);

/* The tracer: dies with the monitor; waits for the listener (EOF when the
 * setup failed first), then serves it until the sandbox is gone. */
static void tracer_run(int sock, int out)
{
	int lfd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "nucleus-trace");
	signal(SIGINT, SIG_IGN); /* a ^C is the monitor's to forward */
	lfd = tracer_recv_fd(sock);
	close(sock);
	if (lfd >= 0)
		tracer_loop(lfd, out);
}

static int tracer_recv_fd(int sock)
{
	char buf[CMSG_SPACE(sizeof(int))], c;
	struct iovec io = { &c, 1 };
	struct msghdr m = { .msg_iov = &io,
			    .msg_iovlen = 1,
			    .msg_control = buf,
			    .msg_controllen = sizeof(buf) };
	struct cmsghdr *h;
	int fd;

	if (recvmsg(sock, &m, MSG_CMSG_CLOEXEC) != 1 ||
	    !(h = CMSG_FIRSTHDR(&m)) || h->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(h), sizeof(fd));
	return fd;
}

static void trace_send_fd(int sock, int fd)
{
	char buf[CMSG_SPACE(sizeof(int))] = { 0 }, c = 0;
	struct iovec io = { &c, 1 };
	struct msghdr m = { .msg_iov = &io,
			    .msg_iovlen = 1,
			    .msg_control = buf,
			    .msg_controllen = sizeof(buf) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);

	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(fd));
	if (sendmsg(sock, &m, 0) != 1)
		die_errno("hand the listener to the tracer");
}

/* Everything to the listener but our one sendmsg on `sock`. */
static int trace_load(int sock)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TRACE_ARCH, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sendmsg, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)sock, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	int lfd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			       SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);

	if (lfd < 0)
		die_errno("load the tracing filter");
	return lfd;
}

void seccomp_trace_apply(void)
{
	int lfd;

	die_step = "seccomp-trace";
	lfd = trace_load(tracer.sock);
	trace_send_fd(tracer.sock, lfd);
	close(lfd); /* from here on every call waits for the tracer */
	close(tracer.sock);
}
