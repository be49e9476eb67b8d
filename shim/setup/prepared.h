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

#include "cli/config.h"
#include "host/identity.h"
#include "host/net.h"
#include "host/report.h"
#include "host/tier.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sock_filter;

struct prepared {
	int initfd; /* host/initfd.c: nucleus-init, sealed memfd */
	/* The caller's signal mask for init to give the workload
	 * (nucleus-init --sigmask); in place init inherits it as it is. */
	int has_init_sigmask;
	uint64_t init_sigmask;
	/* OCI create's exec FIFO, handed to init (runtime/sandbox.c), or -1. */
	int exec_fifo;

	/* Prepared by host/ (identity, tier, net, notify, trace ...). */
	struct identity id;	/* host/identity.c: identity_check */
	struct tier_state tier; /* host/tier.c: what the clone got */
	struct net_tools net;	/* host/net.c: pasta and nft found */
	/* host/notify.c: the --sd-notify relay's socket, the source of the
	 * FS_NOTIFY bind (the monitor's, made before clone); NULL without. */
	const char *notify_socket;

	/* Prepared for setup/'s steps (seccomp, Landlock, mounts ...). */
	struct seccomp_prepared {      /* setup/seccomp.c: seccomp_prepare */
		const char *requested; /* profile name, file, --seccomp-bpf */
		const char *source;    /* none, builtin, file, json, bpf */
		const struct sock_filter *prog;
		size_t insns;
		char sha256[65];
		char default_action[32];
		unsigned skipped; /* syscall names unknown to libseccomp */
		size_t logged;	  /* returns turned into SECCOMP_RET_LOG */
		int unsupported;  /* agent mode on a kernel without filters */
	} seccomp;
	/* setup/mount.c: mount_prepare. The unmapped idmapping of the host's
	 * directories (-1: none, host_idmap_err says why) and the helper
	 * that made it, reaped by mount_prepare_end; made before clone, so
	 * that helper is no process of the sandbox's pid namespace. */
	int host_idmap, host_idmap_err;
	/* setup/join.c: --join-ns's namespaces, opened; -1 for a new one. */
	int join_fd[JOIN_NS_N];
	/* setup/console.c: --console-socket, connected; -1 without. */
	int console;
	pid_t idmap_helper;
	/* host/report.c: report_prepare. Last: its namespace ids are long,
	 * and the members above stay at short offsets. */
	struct report_child report;
};

#endif
