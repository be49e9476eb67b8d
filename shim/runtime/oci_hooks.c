// SPDX-License-Identifier: MIT
/*
 * OCI hooks (config.json "hooks"): each is a host program the runtime runs
 * in its own namespaces with the container's state JSON on its stdin,
 * within its timeout. createRuntime and prestart run once the container's
 * namespaces and init exist (create, before it returns: where a CNI plugin
 * or the NVIDIA toolkit expects them, with the pid to find the namespaces
 * by); poststart once start has released the workload; poststop when
 * delete has seen the container end. A failing createRuntime or prestart
 * hook fails create (the caller deletes what exists), a failing poststart
 * or poststop one is a warning, as the spec says. createContainer and
 * startContainer, which run inside the container, are refused by the
 * front-end (cli/oci.c) until nucleus can run them there.
 */
#include "runtime/oci_hooks.h"
#include "lib/json_read.h"
#include "lib/sink.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* A NULL-terminated copy of a list of strings (args, env), or NULL. */
static char **hook_list(const struct jr *l)
{
	size_t n = 0, i = 0;
	char **v;

	for (const struct jr *x = l ? l->kid : NULL; x; x = x->next)
		n++;
	if (!(v = calloc(n + 1, sizeof(*v))))
		die_errno("calloc");
	for (const struct jr *x = l ? l->kid : NULL; x; x = x->next)
		if (!(v[i++] = (char *)jr_cstr(x)))
			die("hooks: args and env must be strings");
	return v;
}

/* A hook's failure: into why when the caller fails on it (one line, its
 * own), else a warning on stderr. */
__attribute__((format(printf, 3, 4))) static void hook_fail(char *why, size_t n,
							    const char *fmt,
							    ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why ? why : buf, why ? n : sizeof(buf), fmt, ap);
	va_end(ap);
	if (!why)
		warnx("%s", buf);
}

/* One hook: 0, or -1 (and why) if it failed or timed out. */
static int hook_run(const struct jr *h, const char *state, const char *which,
		    char *why, size_t wn)
{
	const char *path = jr_cstr(jr_get(h, "path"));
	char **args = hook_list(jr_get(h, "args")),
	     **env = hook_list(jr_get(h, "env"));
	char *argv0[2] = { (char *)path, NULL };
	int64_t timeout = 0;
	int in[2], pfd, status = 0;
	struct pollfd p;
	pid_t pid;

	if (!path || path[0] != '/' ||
	    (jr_get(h, "timeout") &&
	     jr_int(jr_get(h, "timeout"), 1, 86400, &timeout) < 0))
		die("hooks.%s: a hook needs an absolute path and a timeout "
		    "of 1-86400 s",
		    which);
	if (access(path, X_OK) < 0) {
		hook_fail(why, wn, "hooks.%s: %s: %s", which, path,
			  strerror(errno));
		free(args);
		free(env);
		return -1;
	}
	if (pipe2(in, O_CLOEXEC) < 0 || (pid = fork()) < 0)
		die_errno("hooks.%s", which);
	if (pid == 0) {
		dup2(in[0], STDIN_FILENO);
		execve(path, args[0] ? args : argv0, env);
		_exit(127);
	}
	close(in[0]);
	(void)sink_write(in[1], state, strlen(state));
	close(in[1]);
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	p = (struct pollfd){ pfd, POLLIN, 0 };
	if (pfd >= 0 && timeout && poll(&p, 1, (int)timeout * 1000) == 0) {
		kill(pid, SIGKILL);
		hook_fail(why, wn, "hooks.%s: %s: timed out after %lld s",
			  which, path, (long long)timeout);
		status = -1;
	}
	while (waitpid(pid, status ? NULL : &status, 0) < 0 && errno == EINTR)
		;
	if (pfd >= 0)
		close(pfd);
	free(args);
	free(env);
	if (status && status != -1)
		hook_fail(why, wn, "hooks.%s: %s: exit %d", which, path,
			  WIFEXITED(status) ? WEXITSTATUS(status)
					    : 128 + WTERMSIG(status));
	return status ? -1 : 0;
}

struct jr *oci_bundle_spec(const char *bundle)
{
	char path[4200], why[160], *buf;
	cleanup_fd int fd = -1;
	size_t len = 0, cap = 1 << 20;
	struct jr *spec = NULL;
	ssize_t n = 0;

	snprintf(path, sizeof(path), "%s/config.json", bundle);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || !(buf = malloc(cap)))
		return NULL;
	while (len < cap && (n = read(fd, buf + len, cap - len)) > 0)
		len += (size_t)n;
	if (n >= 0 && len < cap)
		spec = jr_parse(buf, len, why, sizeof(why));
	free(buf);
	return spec;
}

int oci_hooks(const char *bundle, const char *which, const char *state,
	      char *why, size_t n)
{
	struct jr *spec = oci_bundle_spec(bundle);
	const struct jr *hooks = jr_get(jr_get(spec, "hooks"), which);
	int r = 0;

	for (const struct jr *h = hooks ? hooks->kid : NULL; h; h = h->next)
		if (hook_run(h, state, which, why, n) < 0) {
			r = -1;
			if (strncmp(which, "post", 4)) /* the rest: not run */
				break;
		}
	jr_free(spec);
	return r;
}

int oci_hooks_wanted(const char *bundle)
{
	struct jr *spec = oci_bundle_spec(bundle);
	int r = jr_get(spec, "hooks") && jr_get(spec, "hooks")->kid;

	jr_free(spec);
	return r;
}
