/* SPDX-License-Identifier: MIT */
/*
 * --runtime gvisor: the same sandbox built by runsc instead of our clone3
 * chain. gvisor.c finds runsc, runs it and watches it like the monitor
 * watches init; gvisor_oci.c turns struct config into the OCI bundle runsc
 * reads. Everything lives in one private 0700 directory that is removed on
 * every way out.
 */
#ifndef NUCLEUS_GVISOR_H
#define NUCLEUS_GVISOR_H

#include "cli/config.h"
#include "plan/plan.h"

/* In the sandbox: nucleus-init, a read-only bind of our private copy. */
#define GVISOR_INIT_PATH "/dev/.nucleus-init"

/* Runs the command under runsc (plan->runtime is PLAN_GVISOR: what gVisor
 * cannot do was refused there) and returns the exit code of DESIGN.md
 * (124 on --timeout, 125 when runsc could not start the sandbox). */
int gvisor_run(const struct config *cfg, const struct plan *plan);

/* The host views of one run (gvisor_hostview.c), made while the bundle is
 * written; zeroed but userns_fd = -1 to begin with. */
struct gvisor_views {
	struct gvisor_view {
		int fd;	    /* detached mount */
		char *path; /* where runsc's child attaches it */
	} * v;		    /* as many as the command line's binds need */
	unsigned n, cap;
	int userns_fd; /* the unmapped idmapping, made once */
};

/* gvisor_oci.c: writes dir/bundle/config.json and dir/bundle/rootfs for
 * cfg; init is the host path of nucleus-init to bind at GVISOR_INIT_PATH;
 * the host views it needs go to views. */
void gvisor_bundle(const struct config *cfg, struct gvisor_views *views,
		   const char *dir, const char *init);

/* gvisor_hostview.c: a view of host dir /name (the default root's) made at
 * dir/host/name, where the workload is "other" for every host file; returns
 * its path for the bundle, or NULL when the caller is not root and the
 * gofer's own rights already stop at "other". gvisor_views_attach, in the
 * child that execs `runsc run`, puts them in a mount namespace of its own;
 * -1 with errno on failure. */
const char *gvisor_view(struct gvisor_views *vs, const char *dir,
			const char *name);
/* The caller's bind of file src at path, a file inside a view. */
void gvisor_view_file(struct gvisor_views *vs, const char *src,
		      const char *path);
int gvisor_views_attach(const struct gvisor_views *vs);

/* gvisor_report.c: --report, once runsc has created the sandbox. */
struct gvisor_facts {
	const char *runsc, *version, *platform;
	int probed; /* platform picked by the probe, not --gvisor-platform */
	int pid;    /* of runsc run */
	const char *const *warnings; /* not enforced (agent), NULL-ended */
};
void gvisor_report(const struct config *cfg, const struct gvisor_facts *f);

#endif
