// SPDX-License-Identifier: MIT
/*
 * Flags of the sandbox's world: filesystem, identity, environment, fds.
 * Each row's setter is pure and fills cfg->fs.
 */
#include "args.h"

const struct option_table args_fs_table = { NULL, 0 };
