/* SPDX-License-Identifier: MIT */
/* The confinement part of struct config (flags in args_confine.c). */
#ifndef NUCLEUS_CONFIG_CONFINE_H
#define NUCLEUS_CONFIG_CONFINE_H

struct confine_config {
	int unused; /* filled by the confinement issue */
};

#endif
