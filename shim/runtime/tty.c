// SPDX-License-Identifier: MIT
/*
 * --tty (and `exec -t` without --console-socket): the workload's terminal
 * is a pty of the sandbox's own devpts, as under --console-socket, but its
 * master comes back to nucleus over a socketpair (setup/console.c), and
 * the loop that waits for the sandbox (the monitor, exec's wait) relays it
 * to the caller's terminal: no process of its own. Ours goes raw, so ^C,
 * ^Z and the rest are bytes that the sandbox's line discipline turns into
 * its own signals for its own foreground job; the pty's window size is
 * ours (copied at open, then on each SIGWINCH); our mode is restored on
 * every end the loop sees: exit, --timeout, a signal to us, die().
 */
#include "runtime/tty.h"
#include "setup/console.h"
#include "lib/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

void tty_start(struct tty_relay *t, int sock)
{
	struct termios raw;

	t->master = t->from[0] = console_recv(sock);
	t->from[1] = t->master < 0 ? -1 : STDIN_FILENO;
	t->raw = 0;
	/* A full master waits in sink_write at most seconds, not for ever. */
	if (t->master < 0 || fcntl(t->master, F_SETFL, O_NONBLOCK) < 0 ||
	    tcgetattr(STDIN_FILENO, &t->saved) < 0)
		return;
	raw = t->saved;
	cfmakeraw(&raw);
	t->raw = !tcsetattr(STDIN_FILENO, TCSANOW, &raw);
}

void tty_fds(const struct tty_relay *t, struct pollfd *p)
{
	p[0] = (struct pollfd){ .fd = t->from[0], .events = POLLIN };
	p[1] = (struct pollfd){ .fd = t->from[1], .events = POLLIN };
}

/* One read from *from written whole to to; EOF or an error for good (the
 * master's EIO once no slave is open) ends that way. The read's count. */
static ssize_t tty_move(int *from, int to)
{
	char buf[4096];
	ssize_t n = read(*from, buf, sizeof(buf));

	if (n > 0)
		(void)sink_write(to, buf, (size_t)n); /* EPIPE: no SIGPIPE */
	else if (n == 0 || (errno != EINTR && errno != EAGAIN))
		*from = -1;
	return n;
}

void tty_relay(struct tty_relay *t, const struct pollfd *p)
{
	if (p[0].revents)
		tty_move(&t->from[0], STDOUT_FILENO);
	if (p[1].revents)
		tty_move(&t->from[1], t->master);
}

void tty_winsize(const struct tty_relay *t)
{
	struct winsize ws;

	if (!ioctl(STDIN_FILENO, TIOCGWINSZ, &ws))
		(void)ioctl(t->master, TIOCSWINSZ, &ws);
}

void tty_end(struct tty_relay *t)
{
	/* Bounded: a process left in the sandbox may write for ever. */
	for (int i = 0; i < 256 && t->from[0] >= 0 &&
			tty_move(&t->from[0], STDOUT_FILENO) > 0;
	     i++)
		;
	tty_restore(t);
}

void tty_restore(struct tty_relay *t)
{
	if (t->raw)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
	t->raw = 0;
}
