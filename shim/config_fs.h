/* SPDX-License-Identifier: MIT */
/* The filesystem/identity part of struct config (flags in args_fs.c). */
#ifndef NUCLEUS_CONFIG_FS_H
#define NUCLEUS_CONFIG_FS_H

struct fs_config {
	int unused; /* filled by the filesystem issue */
};

#endif
