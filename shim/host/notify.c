// SPDX-License-Identifier: MIT
/*
 * The sd_notify relay. The sandbox gets its own datagram socket, bound by
 * the monitor in a private runtime directory (/run/nucleus as root, else
 * $XDG_RUNTIME_DIR or /tmp) under an unguessable name, and bound read-only
 * into the sandbox at /run/notify, which NOTIFY_SOCKET names (args_res.c
 * adds the bind and the variable to the sandbox's operations). Only
 * READY=1, STATUS=, STOPPING=1 and WATCHDOG=1 lines go on to the host's
 * NOTIFY_SOCKET, sent by the monitor with MAINPID=<monitor>: the workload
 * can neither name another main pid nor hand fds to the service manager.
 */
#include "host/notify.h"
#include "host/audit.h"
#include "lib/util.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* NOTIFY_SOCKET: a path, or @name in the abstract namespace. */
static void notify_host(const struct config *cfg, struct notify_relay *r)
{
	const char *s = getenv("NOTIFY_SOCKET");
	size_t n = s ? strlen(s) : 0;

	if (!n) {
		if (cfg->mode == MODE_PRODUCTION)
			die("--sd-notify: NOTIFY_SOCKET is not set (not run "
			    "by systemd as Type=notify?)");
		warnx("--sd-notify: NOTIFY_SOCKET is not set: messages from "
		      "the sandbox go nowhere");
		return;
	}
	if ((s[0] != '/' && s[0] != '@') || n >= sizeof(r->host.sun_path))
		die("--sd-notify: NOTIFY_SOCKET '%s' is not a socket path or "
		    "@name",
		    s);
	r->host.sun_family = AF_UNIX;
	memcpy(r->host.sun_path, s, n);
	if (s[0] == '@')
		r->host.sun_path[0] = '\0';
	r->host_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
				  (s[0] == '/'));
	r->host_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (r->host_fd < 0)
		die_errno("socket");
}

/* Where the relay socket lives: a directory only its owner may list. */
static const char *notify_dir(void)
{
	const char *x = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (geteuid() == 0) {
		if (mkdir("/run/nucleus", 0711) < 0 && errno != EEXIST)
			die_errno("mkdir /run/nucleus");
		return "/run/nucleus";
	}
	if (x && x[0] == '/' && stat(x, &st) == 0 && S_ISDIR(st.st_mode) &&
	    st.st_uid == geteuid())
		return x;
	return "/tmp";
}

static int notify_bind(char *path, size_t len)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	unsigned char r[8];
	int fd;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		die_errno("getrandom");
	if ((size_t)snprintf(path, len,
			     "%s/notify-%02x%02x%02x%02x%02x%02x%02x%02x",
			     notify_dir(), r[0], r[1], r[2], r[3], r[4], r[5],
			     r[6], r[7]) >= len)
		die("socket path in '%s' is too long", notify_dir());
	memcpy(a.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		die_errno("socket");
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		*path = '\0';
		die_errno("bind %s", a.sun_path);
	}
	/* Whatever uid the workload runs as must be able to send. */
	if (chmod(path, 0666) < 0)
		die_errno("chmod %s", path);
	return fd;
}

void notify_setup(const struct config *cfg, struct notify_relay *r)
{
	*r = (struct notify_relay){ .fd = -1, .host_fd = -1 };
	if (!cfg->res.sd_notify)
		return;
	die_step = "sd-notify";
	notify_host(cfg, r);
	r->fd = notify_bind(r->path, sizeof(r->path));
}

static int notify_allowed(const char *l, size_t n)
{
	return (n == 7 && !strncmp(l, "READY=1", 7)) ||
	       (n == 10 && !strncmp(l, "STOPPING=1", 10)) ||
	       (n == 10 && !strncmp(l, "WATCHDOG=1", 10)) ||
	       (n >= 7 && !strncmp(l, "STATUS=", 7));
}

/* The allowed lines of one datagram, after our MAINPID line. */
static size_t notify_filter(const char *in, char *out, size_t len)
{
	size_t o = (size_t)snprintf(out, len, "MAINPID=%d\n", (int)getpid());
	size_t first = o;

	for (const char *l = in; *l; l += strcspn(l, "\n"), l += !!*l) {
		size_t n = strcspn(l, "\n");

		if (notify_allowed(l, n) && o + n + 1 < len) {
			memcpy(out + o, l, n);
			o += n;
			out[o++] = '\n';
		}
	}
	out[o] = '\0';
	return o > first ? o : 0;
}

void notify_relay(const struct notify_relay *r)
{
	char in[4096], out[4200];
	ssize_t n;

	while ((n = recv(r->fd, in, sizeof(in) - 1, MSG_DONTWAIT)) >= 0 ||
	       errno == EINTR) {
		struct json j;
		size_t o;

		if (n < 0)
			continue;
		in[n] = '\0';
		if (!(o = notify_filter(in, out, sizeof(out))))
			continue;
		if (r->host_fd >= 0 &&
		    sendto(r->host_fd, out, o, MSG_NOSIGNAL,
			   (const struct sockaddr *)&r->host, r->host_len) < 0)
			warnx("sd-notify: relay to NOTIFY_SOCKET: %s",
			      strerror(errno));
		if (audit_begin(&j, "notify")) {
			json_str(&j, "relayed", out);
			audit_end(&j);
		}
	}
}

void notify_cleanup(struct notify_relay *r)
{
	if (*r->path)
		(void)unlink(r->path);
	*r->path = '\0';
}
