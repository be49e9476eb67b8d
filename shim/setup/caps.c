// SPDX-License-Identifier: MIT
/*
 * Capabilities: the first confinement step. The bounding set is dropped
 * first, while CAP_SETPCAP is still held (dropping it later is impossible:
 * nucleus-container's bug B3 cleared the sets first and silently kept the
 * bounding set); then ambient, inheritable, permitted and effective are set
 * to exactly the --cap-add list (ambient so that a kept capability survives
 * the execs of init and the workload even when they are not uid 0), or to
 * the sets --cap-bound, --cap-inheritable and --cap-ambient list. Every set
 * is then read back through the kernel and must equal what was asked: a
 * sandbox never starts on a capability drop we only believe happened.
 */
#include "setup/confine.h"
#include "host/report.h"
#include "lib/util.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BIT(c) (1ull << (c))

static int caps_get(struct capsets *s)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	s->eff = d[0].effective | (uint64_t)d[1].effective << 32;
	s->prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	s->inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

static int caps_set(uint64_t eff, uint64_t prm, uint64_t inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)eff, (uint32_t)prm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(prm >> 32),
		  (uint32_t)(inh >> 32) },
	};

	return (int)syscall(SYS_capset, &h, d);
}

/* The kernel's last capability: it may know more than our name table. */
static unsigned caps_last(void)
{
	unsigned c = 0;

	while (c < 63 && prctl(PR_CAPBSET_READ, c + 1, 0, 0, 0) >= 0)
		c++;
	return c;
}

static void caps_read_all(struct capsets *s, unsigned last)
{
	if (caps_get(s) < 0)
		die_errno("capget");
	s->bnd = s->amb = 0;
	for (unsigned c = 0; c <= last; c++) {
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
			s->bnd |= BIT(c);
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0) == 1)
			s->amb |= BIT(c);
	}
}

/* 1 when the bounding set is kept as it is (see below), else 0. */
static int caps_drop_bounding(uint64_t keep, unsigned last)
{
	struct capsets s;

	if (caps_get(&s) < 0)
		die_errno("capget");
	/* Unprivileged with no user namespace (tier confine-only): nothing to
	 * drop it with, and nothing to gain from it once no_new_privs is set,
	 * which makes exec ignore setuid bits and file capabilities. */
	if (!(s.prm & BIT(CAP_SETPCAP)) && !s.prm) {
		report_note("caps: bounding set kept (no CAP_SETPCAP, nothing "
			    "permitted; no_new_privs makes it moot)");
		return 1;
	}
	/* An identity switch made with PR_SET_KEEPCAPS keeps CAP_SETPCAP
	 * permitted but not effective; the drop needs it effective. */
	if (!(s.eff & BIT(CAP_SETPCAP)) && (s.prm & BIT(CAP_SETPCAP)) &&
	    caps_set(s.eff | BIT(CAP_SETPCAP), s.prm, s.inh) < 0)
		die_errno("raise CAP_SETPCAP");
	for (unsigned c = 0; c <= last; c++) {
		if ((keep & BIT(c)) || prctl(PR_CAPBSET_READ, c, 0, 0, 0) != 1)
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			die_errno("drop %s from the bounding set%s",
				  cap_name(c) ? cap_name(c) : "?",
				  errno == EPERM
					  ? " (CAP_SETPCAP already gone: "
					    "was the identity switched "
					    "without PR_SET_KEEPCAPS?)"
					  : "");
	}
	return 0;
}

/* A --cap-add the process does not hold cannot be kept: 125 in production,
 * dropped from the list (and reported) in agent mode. */
static uint64_t caps_available(const struct config *cfg, uint64_t keep)
{
	struct capsets s;
	uint64_t missing;

	if (caps_get(&s) < 0)
		die_errno("capget");
	missing = keep & ~s.prm;
	for (unsigned c = 0; missing && c < 64; c++) {
		if (!(missing & BIT(c)))
			continue;
		if (cfg->mode == MODE_PRODUCTION)
			die("--cap-add CAP_%s: not held by nucleus, cannot be "
			    "kept",
			    cap_name(c) ? cap_name(c) : "?");
		warnx("--cap-add CAP_%s: not held by nucleus, not kept "
		      "(agent mode)",
		      cap_name(c) ? cap_name(c) : "?");
		report_note("caps: CAP_%s requested but not held, not kept",
			    cap_name(c) ? cap_name(c) : "?");
	}
	return keep & s.prm;
}

static void caps_verify(struct caps_found *found, const struct capsets *want,
			unsigned last)
{
	struct capsets *s = &found->final;
	const struct {
		const char *name;
		const uint64_t *v, want;
	} sets[] = {
		{ "CapEff", &s->eff, want->eff },
		{ "CapPrm", &s->prm, want->prm },
		{ "CapInh", &s->inh, want->inh },
		{ "CapBnd", &s->bnd, want->bnd },
		{ "CapAmb", &s->amb, want->amb },
	};

	caps_read_all(s, last);
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		if (*sets[i].v != sets[i].want &&
		    !(found->bnd_kept && sets[i].v == &s->bnd))
			die("%s is %#llx after the drop, expected %#llx",
			    sets[i].name, (unsigned long long)*sets[i].v,
			    (unsigned long long)sets[i].want);
}

/* The sets to end with. By default, uid 0 gets its permitted set back at
 * exec from the bounding set, so inheritable and ambient stay empty
 * (CVE-2022-27650), and any other uid keeps a --cap-add only through the
 * ambient set, which needs each one inheritable too. --cap-inheritable and
 * --cap-ambient replace that rule by exactly what they list (OCI's five
 * sets); confine_check made them fit the kernel's rules. */
static void caps_wanted(const struct config *cfg, uint64_t keep, uint64_t bnd,
			struct capsets *w)
{
	const struct confine_config *c = &cfg->confine;

	w->eff = w->prm = keep;
	w->bnd = bnd;
	if (c->cap_inh | c->cap_amb) {
		w->inh = c->cap_inh & bnd;
		w->amb = c->cap_amb & keep & w->inh;
	} else {
		w->inh = w->amb = geteuid() == 0 ? 0 : keep;
	}
}

void caps_apply(const struct config *cfg, struct caps_found *found)
{
	uint64_t keep = cfg->confine.cap_add;
	unsigned last = caps_last();
	struct capsets w;

	die_step = "caps";
	keep = caps_available(cfg, keep);
	caps_read_all(&w, last);
	/* --cap-bound can only keep what the bounding set still has */
	caps_wanted(cfg, keep, (keep | cfg->confine.cap_bound) & w.bnd, &w);
	/* first: needs CAP_SETPCAP */
	found->bnd_kept = caps_drop_bounding(w.bnd, last);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		die_errno("clear the ambient set");
	if (caps_set(w.eff, w.prm, w.inh) < 0)
		die_errno("capset");
	for (unsigned c = 0; c <= last; c++)
		if ((w.amb & BIT(c)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			die_errno("raise CAP_%s in the ambient set",
				  cap_name(c) ? cap_name(c) : "?");
	caps_verify(found, &w, last);
	found->wanted = cfg->confine.cap_add;
	found->done = 1;
}

static void caps_list(struct json *j, const char *key, uint64_t set)
{
	json_list(j, key);
	for (unsigned c = 0; c < 64; c++) {
		char name[40];

		if (!(set & BIT(c)))
			continue;
		if (cap_name(c))
			snprintf(name, sizeof(name), "CAP_%s", cap_name(c));
		else
			snprintf(name, sizeof(name), "%u", c);
		json_str(j, NULL, name);
	}
	json_list_end(j);
}

void caps_report(struct json *j, const struct caps_found *found)
{
	const struct capsets *caps_final = &found->final;

	json_begin(j, "caps");
	json_bool(j, "enforced", found->done);
	caps_list(j, "requested", found->wanted);
	caps_list(j, "effective", caps_final->eff);
	caps_list(j, "permitted", caps_final->prm);
	caps_list(j, "inheritable", caps_final->inh);
	caps_list(j, "ambient", caps_final->amb);
	caps_list(j, "bounding", caps_final->bnd);
	json_close(j);
}
