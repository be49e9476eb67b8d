/* SPDX-License-Identifier: MIT */
/*
 * The gVisor part of struct config (flags in args_gvisor.c): which runtime
 * builds the sandbox, and which gVisor platform intercepts the workload's
 * system calls when that runtime is runsc.
 */
#ifndef NUCLEUS_CONFIG_GVISOR_H
#define NUCLEUS_CONFIG_GVISOR_H

enum runtime {
	RUNTIME_NATIVE,
	RUNTIME_GVISOR
};

/* AUTO: the first of systrap, ptrace that this runsc accepts (probed). */
enum gvisor_platform {
	GVISOR_PLATFORM_AUTO,
	GVISOR_PLATFORM_SYSTRAP,
	GVISOR_PLATFORM_PTRACE,
	GVISOR_PLATFORM_KVM,
};

struct gvisor_config {
	enum runtime runtime;	       /* --runtime */
	enum gvisor_platform platform; /* --gvisor-platform */
};

#endif
