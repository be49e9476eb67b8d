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

static int report_rd = -1, report_wr = -1; /* the child's fragment */
static int report_inplace;                  /* no parent: report_wr is it */
static uid_t report_uid;                    /* the caller's, before ids */
static struct json fragment;                /* parent: what was read */
static char notes[NOTES_MAX];               /* child: JSON strings, comma'd */
static size_t notes_len;

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
	if (!j.oom && notes_len + j.len + 2 < sizeof(notes)) {
		if (notes_len)
			notes[notes_len++] = ',';
		memcpy(notes + notes_len, j.buf, j.len);
		notes_len += j.len;
	}
	free(j.buf);
}

static const char *const ns_names[] = { "pid", "mnt", "net", "ipc",
					"uts", "user", "cgroup", "time" };
#define NNS (sizeof(ns_names) / sizeof(ns_names[0]))
static char host_ns[NNS][48]; /* the parent's, read before clone */

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

void report_prepare(const struct config *cfg)
{
	const struct confine_config *c = &cfg->confine;
	int p[2];

	die_step = "report";
	if (!sink_given(&c->report))
		return;
	if (c->report.is_fd && fcntl(c->report.fd, F_GETFD) < 0)
		die_errno("--report fd:%d", c->report.fd);
	if (c->report.path)
		report_check_file(c->report.path);
	for (size_t i = 0; i < NNS; i++)
		ns_read(ns_names[i], host_ns[i], sizeof(host_ns[i]));
	report_uid = getuid();
	if (pipe2(p, O_CLOEXEC) < 0)
		die_errno("pipe2");
	report_rd = p[0];
	report_wr = p[1];
}

void report_prepare_inplace(const struct config *cfg)
{
	const struct confine_config *c = &cfg->confine;

	die_step = "report";
	if (!sink_given(&c->report))
		return;
	for (size_t i = 0; i < NNS; i++)
		ns_read(ns_names[i], host_ns[i], sizeof(host_ns[i]));
	report_uid = getuid();
	report_inplace = 1;
	if (c->report.is_fd) {
		if (fcntl(c->report.fd, F_GETFD) < 0)
			die_errno("--report fd:%d", c->report.fd);
		report_wr = c->report.fd;
		return;
	}
	/* No parent to create it later: now, while the host path is there. */
	report_wr = sink_open(&c->report, O_WRONLY | O_CREAT | O_TRUNC);
	if (report_wr < 0)
		die_errno("--report '%s'", c->report.path);
}

void report_collect(void)
{
	char chunk[4096];
	ssize_t n;

	if (report_rd < 0)
		return;
	close(report_wr); /* ours; EOF comes when the child's copy closes */
	report_wr = -1;
	for (;;) {
		n = read(report_rd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		json_put(&fragment, chunk, (size_t)n);
	}
	close(report_rd);
	report_rd = -1;
}

/* Child: each namespace new or the host's, its own against the parent's
 * (read before clone): a fact, not what the clone flags meant to do. */
void report_namespaces(struct json *j, const struct config *cfg)
{
	static const unsigned share[] = { SHARE_PID, 0, SHARE_NET, SHARE_IPC,
					  SHARE_UTS };

	json_begin(j, "namespaces");
	for (size_t i = 0; i < NNS; i++) {
		char mine[48];
		const char *seen = "unknown";

		ns_read(ns_names[i], mine, sizeof(mine));
		if (mine[0] && host_ns[i][0])
			seen = strcmp(mine, host_ns[i]) ? "new" : "host";
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
			   const struct tier_state *ts, pid_t pid,
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
	json_uint(j, "uid", (unsigned)report_uid);
	json_key(j, NULL);
	json_put(j, frag->buf ? frag->buf : "", frag->len);
	/* The audit's cgroup member as is, compact as it always was. */
	json_key(j, NULL);
	j->spaced = 0;
	j->first = 1;
	cgroup_describe(cfg, j);
	json_end(j);
}

void report_write(const struct config *cfg, const struct tier_state *ts,
		  pid_t pid, int pidfd)
{
	const struct confine_config *c = &cfg->confine;
	struct json j;
	int fd, err;

	if (!sink_given(&c->report))
		return;
	die_step = "report";
	report_compose(&j, cfg, ts, pid, &fragment);
	fd = sink_open(&c->report, O_WRONLY | O_CREAT | O_TRUNC);
	err = fd < 0 ? errno : 0;
	if (!err && (j.oom || !fragment.len || fragment.oom))
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
				const struct json *frag)
{
	struct json out;
	int err;

	report_compose(&out, cfg, ts, getpid(), frag);
	err = out.oom || frag->oom ? ENOMEM
					: -write_all(report_wr, out.buf, out.len);
	json_free(&out);
	if (cfg->confine.report.path)
		close(report_wr);
	die_step = "report";
	errno = err;
	if (err)
		die_errno("--report");
}

int report_child_wanted(void)
{
	return report_wr >= 0;
}

/* Child, after seccomp: the warnings close its fragment, then the pipe. */
void report_child_send(const struct config *cfg, const struct tier_state *ts,
		       struct json *j)
{
	if (report_wr < 0)
		return;
	if (report_rd >= 0)
		close(report_rd);
	json_list(j, "warnings");
	json_put(j, notes, notes_len);
	json_list_end(j);
	if (report_inplace) {
		report_send_inplace(cfg, ts, j);
		return;
	}
	/* Dead or truncated, the parent sees 125 from the error pipe anyway. */
	if (!j->oom)
		(void)write_all(report_wr, j->buf, j->len);
	close(report_wr);
}
