/* SPDX-License-Identifier: MIT */
/*
 * What the mount code tells Landlock: every bind or tmpfs it places in the
 * sandbox gets a matching rule, so Landlock and the mount tree describe the
 * same world (writable binds get write rights automatically). Call it in the
 * child, during mount_setup(), with the destination path as the sandbox will
 * see it; landlock_apply() opens the paths after pivot_root.
 */
#ifndef NUCLEUS_LANDLOCK_H
#define NUCLEUS_LANDLOCK_H

#include "cli/config.h"

#include <stddef.h>

#define LANDLOCK_MAX_EXTRA 512

/* Allows `access` (LL_READ | LL_WRITE | LL_EXEC | LL_IOCTL, config_confine.h)
 * beneath the first `len` bytes of `path` (need not be NUL-terminated; it
 * is copied). A path missing at landlock_apply() time is skipped and listed
 * in the report. Returns 0, or -ENOSPC past LANDLOCK_MAX_EXTRA rules,
 * -ENAMETOOLONG past PATH_MAX, -ENOMEM. The mount operations of struct
 * fs_config get their rules without it (landlock.c); this is for anything
 * else the mount code places. */
int landlock_allow(const char *path, size_t len, unsigned access);

#endif
