// SPDX-License-Identifier: MIT
/*
 * Flags of confinement: capabilities, rlimits, Landlock, seccomp, modes.
 * Each row's setter is pure and fills cfg->confine.
 */
#include "args.h"

const struct option_table args_confine_table = { NULL, 0 };
