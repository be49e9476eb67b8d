/* SPDX-License-Identifier: MIT */
/* The pieces of the sandbox's mount tree; every path is inside root. */
#ifndef NUCLEUS_MOUNT_H
#define NUCLEUS_MOUNT_H

#include "cli/config.h"
#include "setup/prepared.h"

#include <stdint.h>

/* mount.c: the whole tree, then pivot_root; in the child, after the
 * namespaces exist and before identity and confinement. */
void mount_setup(const struct config *cfg, const struct prepared *prep);
/* Before clone (or the in-place unshare), as root: the id-mapped view
 * of the host's directories that mount_setup uses for a workload with
 * the host's ids. */
void mount_prepare(const struct config *cfg, struct prepared *prep);
/* Parent, once the child is cloned: the helper reaped, the fd closed. */
void mount_prepare_end(struct prepared *prep);
int mount_clone(const char *src, uint64_t attrs); /* -errno on failure */
void mount_bind(int root, const char *src, const char *dest, int ro, int try);
void mount_tmpfs(int root, const char *dest, const char *opts, uint64_t attrs);
/* mount_dev.c */
void mount_dev(const struct config *cfg, int root, const char *dest);
void mount_proc(const struct config *cfg, const struct identity *id, int root,
		const char *dest);
void mount_mqueue(int root, const char *dest);
/* Masks what "other" may not read or search below dir of tree (a mounted
 * tree's fd): walked, maxdepth levels, *budget entries at most; `proc`
 * skips pid dirs and sys. */
unsigned mount_mask_private(int null, int tree, const char *dir, int depth,
			    int maxdepth, int proc, unsigned *budget);
/* The verified /dev/null to mask files with (mount_dev.c). */
int mount_null(int root, int at);
/* The standard nodes and links (null, zero, ..., fd, ptmx) in dev, a
 * mounted tmpfs's fd (mount_dev.c). */
void mount_dev_nodes(int dev);
/* mount_fs.c: --mount, --mask, --remount-ro */
void mount_fs(const struct config *cfg, const struct prepared *prep, int root,
	      const struct fs_op *op);
void mount_mask(int root, const struct fs_op *op);
void mount_remount_ro(int root, const struct fs_op *op);
void mount_device(int root, const struct fs_op *op);
/* mount_ops.c */
void mount_context(const struct config *cfg, int root);
void mount_ops(const struct config *cfg, const struct prepared *prep, int root);

#endif
