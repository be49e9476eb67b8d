// SPDX-License-Identifier: MIT
/*
 * nucleus as PID 1 of a shared pid namespace (a Dockerfile ENTRYPOINT
 * prefix, `--share pid`): instead of cloning a child, this process unshares
 * the other namespaces, takes the same ordered steps as the sandbox child of
 * sandbox.c (maps, hostname, env files, mounts, identity, confinement) and
 * execs nucleus-init from the sealed memfd in place, so the init that reaps,
 * forwards signals and drains is the container's PID 1 itself, as
 * `docker stop` expects, and no monitor process is left beside it.
 */
#include "inplace.h"
#include "confine.h"
#include "identity.h"
#include "mount.h"
#include "sandbox.h"
#include "util.h"

#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

/* --timeout needs a process outside the sandbox to enforce it: with it,
 * the usual clone keeps the monitor as PID 1 (init is then pid 2). */
int inplace_wanted(const struct config *cfg)
{
	return (cfg->share & SHARE_PID) && getpid() == 1 && !cfg->timeout_ms;
}

static int inplace_flags(const struct config *cfg)
{
	int f = CLONE_NEWNS;

	if (!(cfg->share & SHARE_NET))
		f |= CLONE_NEWNET;
	if (!(cfg->share & SHARE_IPC))
		f |= CLONE_NEWIPC;
	if (!(cfg->share & SHARE_UTS))
		f |= CLONE_NEWUTS;
	if (identity_userns(cfg))
		f |= CLONE_NEWUSER;
	return f;
}

static __attribute__((noreturn)) void inplace_exec_init(const struct config *cfg,
							int initfd)
{
	char **argv = calloc((size_t)cfg->argc + 3, sizeof(*argv));

	die_step = "exec";
	if (!argv)
		die_errno("calloc");
	argv[0] = "nucleus-init";
	argv[1] = "--";
	memcpy(argv + 2, cfg->argv, (size_t)cfg->argc * sizeof(*argv));
	identity_fds(cfg); /* the memfd is close-on-exec yet still execs */
	die_step = "exec";
	syscall(SYS_execveat, initfd, "", argv, environ, AT_EMPTY_PATH);
	die_errno("execveat nucleus-init");
}

/* Docker's PID 1 already leads its own session, where setsid() is EPERM:
 * what --no-new-session would skip is then already true. */
static const struct config *inplace_config(const struct config *cfg)
{
	static struct config copy;

	if (cfg->fs.no_new_session || getsid(0) != getpid())
		return cfg;
	copy = *cfg;
	copy.fs.no_new_session = 1;
	return &copy;
}

void inplace_exec(const struct config *in, int initfd)
{
	const struct config *cfg = inplace_config(in);
	int flags = inplace_flags(cfg);
	uid_t uid = getuid();
	gid_t gid = getgid();

	identity_check(cfg); /* before unshare: nothing to undo */
	die_step = "unshare";
	if (unshare(flags) < 0)
		die_errno("unshare");
	/* One id mapped onto itself may be written by the process itself. */
	if (flags & CLONE_NEWUSER)
		identity_write_maps(cfg, getpid(), uid, gid);
	if (!(cfg->share & SHARE_UTS)) {
		const char *h = cfg->hostname ? cfg->hostname : "nucleus";

		die_step = "hostname";
		if (sethostname(h, strlen(h)) < 0)
			die_errno("sethostname '%s'", h);
	}
	identity_load_env(cfg); /* host files: before pivot_root */
	mount_setup(cfg);
	identity_apply(cfg); /* ids, session, env, cwd: after the mounts */
	confine_apply(cfg);  /* last: everything above needed privilege */
	inplace_exec_init(cfg, initfd);
}
