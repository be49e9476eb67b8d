/* SPDX-License-Identifier: MIT */
/*
 * struct prepared: what the host side made ready before clone (or before
 * the in-place unshare) for the child's steps: fds, compiled programs,
 * decisions that needed a host read. It is passed to each step explicitly
 * (sandbox_steps, confine_apply, sandbox_exec_init), never kept in module
 * variables, so a step's inputs are its arguments. The cloned child reads
 * its own copy; nothing written there reaches the monitor.
 */
#ifndef NUCLEUS_PREPARED_H
#define NUCLEUS_PREPARED_H

#include "host/identity.h"
#include "host/net.h"
#include "host/tier.h"

#include <stdint.h>

struct prepared {
	int initfd;            /* host/initfd.c: nucleus-init, sealed memfd */
	/* The caller's signal mask for init to give the workload
	 * (nucleus-init --sigmask); in place init inherits it as it is. */
	int has_init_sigmask;
	uint64_t init_sigmask;

	/* Prepared by host/ (identity, tier, net, notify, trace ...). */
	struct identity id;    /* host/identity.c: identity_check */
	struct tier_state tier; /* host/tier.c: what the clone got */
	struct net_tools net;  /* host/net.c: pasta and nft found */

	/* Prepared for setup/'s steps (seccomp, Landlock, mounts ...). */
};

#endif
