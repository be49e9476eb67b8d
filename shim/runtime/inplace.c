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
#include "runtime/inplace.h"
#include "setup/confine.h"
#include "host/identity.h"
#include "setup/mount.h"
#include "lib/mountapi.h"
#include "host/report.h"
#include "runtime/sandbox.h"
#include "host/tier.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The sandbox's namespaces but the pid one (shared: that is the point)
 * and the cgroup one (no cgroup of its own is made in place). */
static uint64_t inplace_flags(const struct config *cfg,
			      const struct prepared *prep)
{
	return sandbox_clone_flags(cfg, prep) &
	       ~(uint64_t)(CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_PIDFD);
}

/* unshare, for tier_clone: 0 on success like a child's pid 0. */
static pid_t inplace_unshare(uint64_t flags, void *arg)
{
	(void)arg;
	return flags ? (pid_t)unshare((int)flags) : 0;
}

/* Agent mode drops --sd-notify in place (the plan says so):
 * its bind of a relay socket that no monitor made goes too, and the
 * workload gets no NOTIFY_SOCKET rather than one that leads nowhere. */
static void inplace_drop_notify(struct config *c)
{
	unsigned n = 0;

	if (!c->res.sd_notify || c->mode == MODE_PRODUCTION)
		return;
	for (unsigned i = 0; i < c->fs.n_ops; i++)
		if (c->fs.ops[i].kind != FS_NOTIFY)
			c->fs.ops[n++] = c->fs.ops[i];
	c->fs.n_ops = n;
	for (unsigned i = 0; i < c->fs.n_env; i++)
		if (c->fs.env[i].kind == ENV_SET &&
		    !strcmp(c->fs.env[i].key, "NOTIFY_SOCKET") &&
		    !strcmp(c->fs.env[i].value, RES_NOTIFY_INSIDE))
			c->fs.env[i].kind = ENV_UNSET;
}

/* Docker's PID 1 already leads its own session, where setsid() is EPERM:
 * what --no-new-session would skip is then already true. */
static const struct config *inplace_config(const struct config *cfg)
{
	static struct config copy;

	copy = *cfg;
	if (!cfg->fs.no_new_session && getsid(0) == getpid())
		copy.fs.no_new_session = 1;
	inplace_drop_notify(&copy);
	return &copy;
}

/* A process may map only its own id onto itself once it has unshared its
 * user namespace; a root caller's map names another host id (identity.c),
 * and ranges need newuidmap, whose setuid bit does nothing inside: only a
 * process left outside may write them. This helper, forked before the
 * unshare, writes the maps when told to ('m') and quits on EOF. */
struct inplace_mapper {
	pid_t pid;
	int fd;
};

static struct inplace_mapper inplace_mapper_start(const struct identity *id)
{
	struct inplace_mapper m = { -1, -1 };
	pid_t self = getpid();
	int p[2];
	char c;

	if (!id->userns || (!id->root_caller && !id->newidmap))
		return m; /* the process maps itself */
	if (pipe2(p, O_CLOEXEC) < 0)
		die_errno("pipe2");
	m.pid = fork();
	if (m.pid < 0)
		die_errno("fork the id mapper");
	if (m.pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) == 1)
			identity_write_maps(id, self);
		_exit(0);
	}
	close(p[0]);
	m.fd = p[1];
	return m;
}

/* After the unshare: the maps written (or none wanted), the helper gone. */
static void inplace_mapper_finish(struct inplace_mapper *m, int map)
{
	int st;

	if (m->pid < 0)
		return;
	if (map && write_all(m->fd, "m", 1) < 0)
		die_errno("release the id mapper");
	close(m->fd);
	while (waitpid(m->pid, &st, 0) < 0)
		if (errno != EINTR)
			die_errno("wait for the id mapper");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		die("the id mapper failed (status %d)", st);
}

void inplace_exec(const struct config *in, struct prepared *prep)
{
	struct inplace_mapper mapper;
	const struct config *cfg = inplace_config(in);
	uint64_t flags;

	identity_check(cfg, &prep->id); /* before unshare: nothing to undo */
	flags = inplace_flags(cfg, prep);
	report_prepare_inplace(cfg, &prep->report); /* the sink, first */
	mount_prepare(cfg, prep); /* before unshare: needs the host's caps */
	idmap_helper_reap(&prep->idmap_helper);
	mapper = inplace_mapper_start(&prep->id);
	die_step = "unshare";
	/* The Dockerfile-prefix case is where namespaces are refused most:
	 * the same tiers as a cloned sandbox, down to confine-only. */
	if (tier_clone(cfg, &prep->tier, &prep->id.userns, &flags,
		       inplace_unshare, NULL) < 0)
		die_errno("unshare");
	/* One id mapped onto itself may be written by the process itself. */
	if ((flags & CLONE_NEWUSER) && mapper.pid < 0)
		identity_write_maps(&prep->id, getpid());
	inplace_mapper_finish(&mapper, !!(flags & CLONE_NEWUSER));
	sandbox_steps(cfg, prep); /* host name, network, mounts, identity */
	identity_die_with_parent_again(cfg); /* the id change cleared it */
	confine_apply(cfg, prep); /* last: everything above needed privilege */
	sandbox_exec_init(cfg, prep);
}
