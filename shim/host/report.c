// SPDX-License-Identifier: MIT
/*
 * --report FILE|fd:N: one JSON object per sandbox, written by the parent once
 * init runs. The child describes its namespaces (its own against the
 * parent's, read before clone) and what its confinement steps enforced
 * (caps, rlimits, no_new_privs, Landlock, seccomp), with the degradations
 * agent mode accepted, and sends that over a close-on-exec pipe; the parent
 * adds the cgroup, then writes. FILE is checked before clone but only
 * created once the sandbox runs, so a refused setup leaves nothing behind.
 */
#include "host/report.h"
#include "host/cgroup.h"
#include "host/audit.h"
#include "host/tier.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOTES_MAX 4096

/* Global because any step of the child records a degradation, from
 * identity and mounts to caps, Landlock and seccomp, none of them with a
 * handle to carry it, as die() names its step; the report's warnings are
 * read once, at report_child_send. JSON strings, comma'd. */
static struct {
	char buf[NOTES_MAX];
	size_t len;
} notes;

void report_note(const char *fmt, ...)
{
	char line[512];
	struct json j;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	json_init(&j, 1);
	json_str(&j, NULL, line);
	/* Notes are few; past the buffer they are dropped, not truncated. */
	if (!j.oom && notes.len + j.len + 2 < sizeof(notes.buf)) {
		if (notes.len)
			notes.buf[notes.len++] = ',';
		memcpy(notes.buf + notes.len, j.buf, j.len);
		notes.len += j.len;
	}
	free(j.buf);
}

static const char ns_names[REPORT_NS][8] = { "pid", "mnt",  "net",    "ipc",
					     "uts", "user", "cgroup", "time" };

static void ns_read(const char *name, char *buf, size_t len)
{
	char path[32];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	n = readlink(path, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
}

/* FILE must be creatable now; it is only created once the sandbox runs. */
static void report_check_file(const char *path)
{
	char copy[PATH_MAX];
	struct stat st;

	if (strlen(path) >= sizeof(copy))
		die("--report: path too long");
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			die("--report: '%s' is a directory", path);
		if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) < 0)
			die_errno("--report: '%s'", path);
		return;
	}
	if (errno != ENOENT)
		die_errno("--report: '%s'", path);
	strcpy(copy, path);
	if (faccessat(AT_FDCWD, dirname(copy), W_OK | X_OK, AT_EACCESS) < 0)
		die_errno("--report: cannot create '%s'", path);
}

void report_check(const struct config *cfg)
{
	const struct sink *s = &cfg->confine.report;

	die_step = "report";
	if (!sink_given(s))
		return;
	if (s->is_fd && fcntl(s->fd, F_GETFD) < 0)
		die_errno("--report fd:%d", s->fd);
	if (s->path)
		report_check_file(s->path);
}

/* The child's side: nothing to send yet; with --report, the host's
 * namespaces and the caller's uid, read before clone or unshare. */
static int report_child_init(const struct config *cfg, struct report_child *rc)
{
	rc->wr = rc->peer = -1;
	rc->inplace = 0;
	if (!sink_given(&cfg->confine.report))
		return 0;
	for (size_t i = 0; i < REPORT_NS; i++)
		ns_read(ns_names[i], rc->host_ns[i], sizeof(rc->host_ns[i]));
	rc->uid = getuid();
	return 1;
}

void report_prepare(const struct config *cfg, struct report_pipe *rp,
		    struct report_child *rc)
{
	int p[2];

	*rp = (struct report_pipe){ .rd = -1, .wr = -1 };
	report_check(cfg);
	if (!report_child_init(cfg, rc))
		return;
	if (pipe2(p, O_CLOEXEC) < 0)
		die_errno("pipe2");
	rp->uid = rc->uid;
	rp->rd = rc->peer = p[0];
	rp->wr = rc->wr = p[1];
}

void report_prepare_inplace(const struct config *cfg, struct report_child *rc)
{
	const struct confine_config *c = &cfg->confine;

	die_step = "report";
	if (!report_child_init(cfg, rc))
		return;
	rc->inplace = 1;
	if (c->report.is_fd && fcntl(c->report.fd, F_GETFD) < 0)
		die_errno("--report fd:%d", c->report.fd);
	/* No parent to create FILE later: now, while the host path is there;
	 * fd:N is itself. */
	rc->wr = sink_open(&c->report, O_WRONLY | O_CREAT | O_TRUNC);
	if (rc->wr < 0)
		die_errno("--report '%s'", c->report.path);
}

void report_collect(struct report_pipe *rp)
{
	char chunk[4096];
	ssize_t n;

	if (rp->rd < 0)
		return;
	close(rp->wr); /* ours; EOF comes when the child's copy closes */
	rp->wr = -1;
	for (;;) {
		n = read(rp->rd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		json_put(&rp->fragment, chunk, (size_t)n);
	}
	close(rp->rd);
	rp->rd = -1;
}

/* Child: each namespace new or the host's, its own against the parent's
 * (read before clone): a fact, not what the clone flags meant to do. */
void report_namespaces(struct json *j, const struct config *cfg,
		       const struct report_child *rc)
{
	static const unsigned share[] = { SHARE_PID, 0, SHARE_NET, SHARE_IPC,
					  SHARE_UTS };

	json_begin(j, "namespaces");
	for (size_t i = 0; i < REPORT_NS; i++) {
		char mine[48];
		const char *seen = "unknown";

		ns_read(ns_names[i], mine, sizeof(mine));
		if (mine[0] && rc->host_ns[i][0])
			seen = strcmp(mine, rc->host_ns[i]) ? "new" : "host";
		json_begin(j, ns_names[i]);
		if (i < sizeof(share) / sizeof(share[0]))
			json_str(j, "requested",
				 cfg->share & share[i] ? "host" : "new");
		json_str(j, "enforced", seen);
		json_close(j);
	}
	json_close(j);
}

/* The parent's members, the child's fragment, the cgroup. */
static void report_compose(struct json *j, const struct config *cfg,
			   const struct cgroup_set *cg,
			   const struct tier_state *ts, pid_t pid, uid_t uid,
			   const struct json *frag)
{
	json_init(j, 1);
	json_put(j, "{", 1);
	json_str(j, "nucleus", NUCLEUS_VERSION);
	json_str(j, "mode",
		 cfg->mode == MODE_PRODUCTION ? "production" : "agent");
	json_str(j, "tier", tier_name(ts->tier));
	if (*ts->reason)
		json_str(j, "tier_reason", ts->reason);
	json_int(j, "pid", pid);
	json_uint(j, "uid", (unsigned)uid);
	json_key(j, NULL);
	json_put(j, frag->buf ? frag->buf : "", frag->len);
	/* The audit's cgroup member as is, compact as it always was. */
	json_key(j, NULL);
	j->spaced = 0;
	j->first = 1;
	cgroup_describe(cg, cfg, j);
	json_end(j);
}

void report_write(const struct config *cfg, const struct cgroup_set *cg,
		  const struct tier_state *ts, const struct report_pipe *rp,
		  pid_t pid, int pidfd)
{
	const struct json *frag = &rp->fragment;
	const struct confine_config *c = &cfg->confine;
	struct json j;
	int fd, err;

	if (!sink_given(&c->report))
		return;
	die_step = "report";
	report_compose(&j, cfg, cg, ts, pid, rp->uid, frag);
	fd = sink_open(&c->report, O_WRONLY | O_CREAT | O_TRUNC);
	err = fd < 0 ? errno : 0;
	if (!err && (j.oom || !frag->len || frag->oom))
		err = ENOMEM;
	if (!err)
		err = -sink_write(fd, j.buf, j.len); /* EPIPE, not SIGPIPE */
	if (fd >= 0 && c->report.path)
		close(fd);
	json_free(&j);
	if (!err)
		return;
	/* Asked for and not delivered: the sandbox must not run unreported. */
	sys_pidfd_send_signal(pidfd, SIGKILL);
	errno = err;
	die_errno("--report");
}

/* In place: the whole object, straight to the sink; it must arrive. */
static void report_send_inplace(const struct config *cfg,
				const struct tier_state *ts,
				const struct report_child *rc,
				const struct json *frag)
{
	struct json out;
	int err;

	report_compose(&out, cfg, NULL, ts, getpid(), rc->uid,
		       frag); /* no cgroup */
	err = out.oom || frag->oom ? ENOMEM
				   : -write_all(rc->wr, out.buf, out.len);
	json_free(&out);
	if (cfg->confine.report.path)
		close(rc->wr);
	die_step = "report";
	errno = err;
	if (err)
		die_errno("--report");
}

/* Child, after seccomp: the warnings close its fragment, then the pipe. */
void report_child_send(const struct config *cfg, const struct tier_state *ts,
		       const struct report_child *rc, struct json *j)
{
	if (rc->wr < 0)
		return;
	if (rc->peer >= 0)
		close(rc->peer);
	json_list(j, "warnings");
	json_put(j, notes.buf, notes.len);
	json_list_end(j);
	if (rc->inplace) {
		report_send_inplace(cfg, ts, rc, j);
		return;
	}
	/* Dead or truncated, the parent sees 125 from the error pipe anyway. */
	if (!j->oom)
		(void)write_all(rc->wr, j->buf, j->len);
	close(rc->wr);
}
