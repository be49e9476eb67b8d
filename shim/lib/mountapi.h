/* SPDX-License-Identifier: MIT */
/*
 * The new mount API and openat2, fd-based end to end: a mount target is an
 * fd resolved inside the new root (RESOLVE_IN_ROOT, no magic links), so a
 * symlink swapped in during setup can never redirect a mount onto the host
 * (runc CVE-2021-30465 and its successors). musl has no wrappers for these.
 */
#ifndef NUCLEUS_MOUNTAPI_H
#define NUCLEUS_MOUNTAPI_H

#include <fcntl.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/types.h>
#include <linux/mount.h>
#include <linux/openat2.h>

#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

int sys_open_tree(int dfd, const char *path, unsigned flags);
int sys_move_mount(int from, int to); /* both fds, empty paths */
int sys_mount_setattr(int dfd, const char *path, unsigned flags, uint64_t set,
		      uint64_t clr);
int sys_openat2(int dfd, const char *path, uint64_t flags, uint64_t resolve);
/* fsopen + options ("key=value,flag,...") + fsmount; a detached mount fd. */
int fs_new(const char *type, const char *opts, uint64_t attrs);
/* The same, -errno instead of dying. */
int fs_try_new(const char *type, const char *opts, uint64_t attrs);

/* Resolves path inside root; O_PATH. -errno on failure. */
int root_open(int root, const char *path, int dir);
/* mkdir -p inside root; returns an O_PATH fd of the directory; dies. */
int root_mkdir_p(int root, const char *path, unsigned mode);
/* Creates (O_EXCL, O_NOFOLLOW) or reuses a regular file; returns an O_PATH
 * fd for mounting on; dies. */
int root_mkfile(int root, const char *path);
/* Attaches a detached mount at target; dies. */
void mount_attach(int mfd, int target, const char *what);

/* A user namespace mapping one id that no file has (4294967294), as an
 * fd: the idmapping that shows every file of a mount owned by an unmapped
 * id (nobody), so whoever reads through it, root included, is "other" to
 * every file and owns none. -errno when the kernel refuses one. */
int idmap_unmapped_userns(pid_t *helper);
/* Its helper (its pid in *helper once it exists; <= 0 before) exits as
 * soon as the namespace is taken; waited for here, later, so that the wait
 * for the scheduler overlaps other work. */
void idmap_helper_reap(pid_t *helper);
/* mount_setattr(attrs | MOUNT_ATTR_IDMAP) of a detached tree, recursive;
 * -1 and errno as the kernel answers (a file system without support). */
int idmap_set(int tree, uint64_t attrs, int userns);

#endif
