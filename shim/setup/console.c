// SPDX-License-Identifier: MIT
/*
 * --console-socket PATH (OCI process.terminal with runc's --console-socket,
 * as podman's conmon and containerd's shim pass it): the workload gets a
 * terminal of the sandbox's own devpts instance, never the host's, and the
 * caller gets its master. The socket is connected before clone, while its
 * path is the host's; the pty is opened once the sandbox's /dev/pts is in
 * place, the slave through the master (TIOCGPTPEER, no path lookup), the
 * master sent with SCM_RIGHTS and closed: nothing of it stays inside.
 * --tty is the same over a socketpair whose other end nucleus keeps: it
 * relays the master to its own terminal (runtime/tty.c).
 */
#include "setup/console.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int console_prepare(const struct config *cfg, struct prepared *prep)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int sv[2];

	prep->console = -1;
	if (cfg->tty) {
		die_step = "args";
		if (!isatty(STDIN_FILENO))
			die("--tty: stdin is not a terminal");
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			die_errno("socketpair");
		prep->console = sv[1];
		return sv[0];
	}
	if (!cfg->console_socket)
		return -1;
	die_step = "console-socket";
	if (strlen(cfg->console_socket) >= sizeof(sa.sun_path))
		die("--console-socket '%s': path too long",
		    cfg->console_socket);
	strcpy(sa.sun_path, cfg->console_socket);
	prep->console = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (prep->console < 0 ||
	    connect(prep->console, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die_errno("--console-socket '%s'", cfg->console_socket);
	return -1;
}

int console_recv(int sock)
{
	char data[16], ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr m = { .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(sock, &m, MSG_CMSG_CLOEXEC) > 0 &&
	    (c = CMSG_FIRSTHDR(&m)) && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	close(sock);
	return fd;
}

static void console_send(int sock, int fd)
{
	char data[] = "/dev/ptmx", ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { data, sizeof(data) - 1 };
	struct msghdr m = { .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &m, MSG_NOSIGNAL) < 0)
		die_errno("send the terminal to --console-socket");
}

void console_open(const struct prepared *prep)
{
	int master, slave, unlock = 0;
	struct winsize ws;

	if (prep->console < 0)
		return;
	die_step = "console-socket";
	master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || ioctl(master, TIOCSPTLCK, &unlock) < 0 ||
	    (slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY)) < 0)
		die_errno("a terminal of the sandbox's /dev/pts");
	/* --tty: its size is ours from the start, before the workload's. */
	if (!ioctl(STDIN_FILENO, TIOCGWINSZ, &ws))
		(void)ioctl(master, TIOCSWINSZ, &ws);
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			die_errno("dup2 the terminal");
	if (slave > 2)
		close(slave);
	console_send(prep->console, master);
	close(master);
	close(prep->console);
}

void console_ctty(const struct prepared *prep)
{
	if (prep->console >= 0 && ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0) {
		die_step = "console-socket";
		die_errno("make the terminal the controlling one");
	}
}
