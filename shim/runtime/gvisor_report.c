// SPDX-License-Identifier: MIT
/*
 * --report under --runtime gvisor: the same JSON object as natively (see
 * report.h), written once runsc has created the sandbox, saying runtime
 * gvisor, which runsc (path, version, platform, network) and, layer by
 * layer, what enforces it now: gVisor's kernel for the namespaces, the
 * capabilities and the rlimits, nothing of nucleus's own for Landlock and
 * seccomp, whose rules the host kernel would apply and gVisor's does not.
 */
#include "runtime/gvisor.h"
#include "host/audit.h"
#include "host/report.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

static void report_names(struct json *j, const struct config *cfg)
{
	static const struct {
		const char *name;
		unsigned share;
	} ns[] = { { "pid", 0 },
		   { "mnt", 0 },
		   { "net", SHARE_NET },
		   { "ipc", 0 },
		   { "uts", SHARE_UTS } };

	json_begin(j, "namespaces");
	for (size_t i = 0; i < sizeof(ns) / sizeof(*ns); i++) {
		int host = ns[i].share && (cfg->share & ns[i].share);

		json_begin(j, ns[i].name);
		json_str(j, "requested", host ? "host" : "new");
		json_str(j, "enforced",
			 host && ns[i].share == SHARE_NET ? "host" : "gvisor");
		json_close(j);
	}
	json_close(j);
	json_begin(j, "caps");
	json_str(j, "enforced", "gvisor");
	json_list(j, "requested");
	for (unsigned c = 0; c < CONFINE_NCAPS; c++)
		if (cfg->confine.cap_add >> c & 1 && cap_name(c))
			json_str(j, NULL, cap_name(c));
	json_list_end(j);
	json_close(j);
	json_begin(j, "rlimits");
	json_str(j, "enforced", "gvisor");
	json_list(j, "set");
	for (unsigned r = 0; r < CONFINE_NLIMITS; r++)
		if (cfg->confine.rlimit_set >> r & 1 || r == RLIMIT_CORE)
			json_str(j, NULL, rlimit_name(r));
	json_list_end(j);
	json_close(j);
}

static void report_layers(struct json *j, const struct config *cfg,
			  const char *const *warn)
{
	const char *p = cfg->seccomp.profile;

	report_names(j, cfg);
	json_bool(j, "no_new_privs", 1);
	json_begin(j, "landlock");
	json_bool(j, "requested", !cfg->confine.no_landlock);
	json_bool(j, "enforced", 0);
	json_str(j, "why",
		 "gVisor's kernel serves file and socket access; "
		 "host Landlock rules would not reach the workload");
	json_close(j);
	json_begin(j, "seccomp");
	json_str(j, "requested",
		 cfg->seccomp.bpf ? cfg->seccomp.bpf
		 : p		  ? p
				  : "default");
	json_bool(j, "enforced", 0);
	json_str(j, "why",
		 "gVisor's kernel serves every system call; its "
		 "own filter guards the host");
	json_close(j);
	json_list(j, "warnings");
	for (unsigned i = 0; warn && warn[i]; i++) {
		char w[128];

		snprintf(w, sizeof(w), "%s: not enforced under gVisor",
			 warn[i]);
		json_str(j, NULL, w);
	}
	json_list_end(j);
	json_raw(j, "cgroup", "null");
}

static void report_runsc(struct json *j, const struct config *cfg,
			 const struct gvisor_facts *f)
{
	json_begin(j, "gvisor");
	json_str(j, "runsc", f->runsc);
	json_str(j, "version", f->version);
	json_str(j, "platform", f->platform);
	json_bool(j, "platform_probed", f->probed);
	json_str(j, "network", cfg->share & SHARE_NET ? "host" : "none");
	json_bool(j, "ignore_cgroups", 1);
	json_bool(j, "rootless", geteuid() != 0);
	json_close(j);
}

void gvisor_report(const struct config *cfg, const struct gvisor_facts *f)
{
	const struct sink *s = &cfg->confine.report;
	struct json j;
	int fd, err;

	if (!sink_given(s))
		return;
	die_step = "report";
	json_init(&j, 1);
	json_put(&j, "{", 1);
	json_str(&j, "nucleus", NUCLEUS_VERSION);
	json_str(&j, "mode",
		 cfg->mode == MODE_PRODUCTION ? "production" : "agent");
	json_int(&j, "pid", f->pid);
	json_uint(&j, "uid", getuid());
	json_str(&j, "runtime", "gvisor");
	report_runsc(&j, cfg, f);
	report_layers(&j, cfg, f->warnings);
	json_end(&j);
	fd = sink_open(s, O_WRONLY | O_CREAT | O_TRUNC);
	err = fd < 0 ? errno : j.oom ? ENOMEM : -sink_write(fd, j.buf, j.len);
	if (fd >= 0 && s->path)
		close(fd);
	json_free(&j);
	/* Asked for and not delivered: die() takes the sandbox down. */
	if (err)
		errno = err, die_errno("--report");
}
