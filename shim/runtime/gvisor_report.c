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
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

static void report_names(struct jbuf *j, const struct config *cfg)
{
	static const struct {
		const char *name;
		unsigned share;
	} ns[] = { { "pid", 0 },	 { "mnt", 0 }, { "net", SHARE_NET },
		   { "ipc", 0 },	 { "uts", SHARE_UTS } };

	jb_printf(j, ", \"namespaces\": {");
	for (size_t i = 0; i < sizeof(ns) / sizeof(*ns); i++) {
		int host = ns[i].share && (cfg->share & ns[i].share);

		jb_printf(j, "%s\"%s\": {\"requested\": \"%s\", "
			     "\"enforced\": \"%s\"}",
			  i ? ", " : "", ns[i].name, host ? "host" : "new",
			  host && ns[i].share == SHARE_NET ? "host" : "gvisor");
	}
	jb_printf(j, "}, \"caps\": {\"enforced\": \"gvisor\", "
		     "\"requested\": [");
	for (unsigned c = 0, n = 0; c < CONFINE_NCAPS; c++)
		if (cfg->confine.cap_add >> c & 1 && cap_name(c))
			jb_printf(j, "%s\"%s\"", n++ ? ", " : "", cap_name(c));
	jb_printf(j, "]}, \"rlimits\": {\"enforced\": \"gvisor\", "
		     "\"set\": [");
	for (unsigned r = 0, n = 0; r < CONFINE_NLIMITS; r++)
		if (cfg->confine.rlimit_set >> r & 1 || r == RLIMIT_CORE)
			jb_printf(j, "%s\"%s\"", n++ ? ", " : "",
				  rlimit_name(r));
	jb_printf(j, "]}");
}

static void report_layers(struct jbuf *j, const struct config *cfg,
			  const char *const *warn)
{
	const char *p = cfg->seccomp.profile;

	report_names(j, cfg);
	jb_printf(j, ", \"no_new_privs\": true, \"landlock\": "
		     "{\"requested\": %s, \"enforced\": false, \"why\": "
		     "\"gVisor's kernel serves file and socket access; host "
		     "Landlock rules would not reach the workload\"}",
		  cfg->confine.no_landlock ? "false" : "true");
	jb_printf(j, ", \"seccomp\": {\"requested\": ");
	jb_str(j, cfg->seccomp.bpf ? cfg->seccomp.bpf : p ? p : "default");
	jb_printf(j, ", \"enforced\": false, \"why\": \"gVisor's kernel "
		     "serves every system call; its own filter guards the "
		     "host\"}, \"warnings\": [");
	for (unsigned i = 0; warn && warn[i]; i++)
		jb_printf(j, "%s\"%s: not enforced under gVisor\"",
			  i ? ", " : "", warn[i]);
	jb_printf(j, "], \"cgroup\": null}\n");
}

void gvisor_report(const struct config *cfg, const struct gvisor_facts *f)
{
	const struct confine_config *c = &cfg->confine;
	struct jbuf j = { 0 };
	int fd, err;

	if (c->report_kind == REPORT_NONE)
		return;
	die_step = "report";
	jb_printf(&j, "{\"nucleus\": \"%s\", \"mode\": \"%s\", \"pid\": %d, "
		      "\"uid\": %u, \"runtime\": \"gvisor\", \"gvisor\": "
		      "{\"runsc\": ",
		  NUCLEUS_VERSION,
		  cfg->mode == MODE_PRODUCTION ? "production" : "agent",
		  (int)f->pid, (unsigned)getuid());
	jb_str(&j, f->runsc);
	jb_printf(&j, ", \"version\": ");
	jb_str(&j, f->version);
	jb_printf(&j, ", \"platform\": \"%s\", \"platform_probed\": %s, "
		      "\"network\": \"%s\", \"ignore_cgroups\": true, "
		      "\"rootless\": %s}",
		  f->platform, f->probed ? "true" : "false",
		  cfg->share & SHARE_NET ? "host" : "none",
		  geteuid() ? "true" : "false");
	report_layers(&j, cfg, f->warnings);
	fd = c->report_kind == REPORT_FD
		     ? c->report_fd
		     : host_output_open(c->report_path,
					O_WRONLY | O_CREAT | O_TRUNC, 0644);
	err = fd < 0 ? errno : j.oom ? ENOMEM : -sink_write(fd, j.buf, j.len);
	if (fd >= 0 && c->report_kind == REPORT_FILE)
		close(fd);
	free(j.buf);
	/* Asked for and not delivered: die() takes the sandbox down. */
	if (err)
		errno = err, die_errno("--report");
}
