/* SPDX-License-Identifier: MIT */
/* --tty and `exec -t`: the caller's terminal relayed to a pty of the
 * sandbox's devpts, by the loop that waits for the sandbox. */
#ifndef NUCLEUS_TTY_H
#define NUCLEUS_TTY_H

#include <poll.h>
#include <termios.h>

struct tty_relay {
	int master;  /* the pty's master: input, window size */
	int from[2]; /* read: the master, our stdin; -1 when done */
	int raw;     /* our terminal is raw: saved is to restore */
	struct termios saved;
};

/* The master from console_prepare's socket; our terminal goes raw. */
void tty_start(struct tty_relay *t, int sock);
/* Two poll entries: the master's output, our input. */
void tty_fds(const struct tty_relay *t, struct pollfd *p);
/* After poll: each way that is ready, one read written whole. */
void tty_relay(struct tty_relay *t, const struct pollfd *p);
/* SIGWINCH: ours is the pty's size (its foreground gets the SIGWINCH). */
void tty_winsize(const struct tty_relay *t);
/* The end: what the master still holds, then our mode restored. */
void tty_end(struct tty_relay *t);
/* Our terminal's mode as it was (die's undo too). */
void tty_restore(struct tty_relay *t);

#endif
