/* SPDX-License-Identifier: MIT */
/*
 * The sandbox's world as the command line asked for it: root, mount
 * operations in argv order, identity, environment, kept fds (flags in
 * args_fs.c). Pointers point into argv, or into the room the caller
 * gave parse_args for the lists that grow with argv; nothing is allocated.
 */
#ifndef NUCLEUS_CONFIG_FS_H
#define NUCLEUS_CONFIG_FS_H

#include "lib/subids.h"

#include <stddef.h>
#include <stdint.h>

#define FS_MAX_GROUPS 32
#define FS_NAME_MAX 32 /* a user or group name, as useradd allows */
#define FS_MAX_KEEP_FDS 64

enum fs_op_kind {
	FS_BIND,
	FS_RO_BIND,
	FS_BIND_TRY,
	FS_RO_BIND_TRY,
	FS_TMPFS,
	FS_DIR,
	FS_SYMLINK,
	FS_COPY,
	FS_FILE,
	FS_PROC,
	FS_DEV,
	FS_MQUEUE,
	FS_SECRET,
	FS_NOTIFY, /* --sd-notify: the monitor's relay socket, read-only */
	FS_MOUNT,  /* --mount TYPE DEST[:OPTS]: a file system by type */
	FS_MASK,   /* --mask PATH: hidden behind /dev/null or an empty dir */
	FS_REMOUNT_RO, /* --remount-ro PATH: read-only from here down */
	FS_DEVICE,     /* --device SPEC DEST: a device node (OCI devices) */
};

struct fs_op {
	enum fs_op_kind kind;
	const char *src;   /* host path, symlink target; NULL if none */
	const char *dest;  /* absolute path inside the sandbox */
	unsigned dest_len; /* bytes of dest: no ":opts", no trailing / */
	uint64_t size;	   /* --tmpfs size=, 0 = default */
	int has_mode;	   /* --tmpfs mode= given */
	unsigned mode;
	int fd; /* --file FD */
	/* --mount: the type in src; OPTS after dest's ':' (NULL if none),
	 * its mount flags already read into attrs (MOUNT_ATTR_*). */
	const char *opts;
	uint64_t attrs;
	/* --device: 'c', 'b', 'p' (a FIFO); mode in mode; uid and gid, or
	 * (uint32_t)-1 to leave them as made. */
	char dev_type;
	unsigned major, minor;
	uint32_t uid, gid;
};

enum env_op_kind {
	ENV_SET,
	ENV_UNSET,
	ENV_FILE
};

/* The one rule for an environment variable's name, for --setenv, --env,
 * --unsetenv and --env-file lines alike: 1 to 255 bytes of printable ASCII
 * other than '=' and space (no NUL, control or non-ASCII byte). */
int env_name_ok(const char *name, size_t n);

/* Whether word (n bytes) of --mount's OPTS is a mount flag (ro, noexec,
 * relatime...), folded into *attrs (MOUNT_ATTR_*) if so; 0: a data option
 * for the file system itself. */
int fs_mount_flag(const char *word, size_t n, uint64_t *attrs);

struct env_op {
	enum env_op_kind kind;
	const char *key;   /* or the file of ENV_FILE */
	const char *value; /* ENV_SET */
};

struct fs_config {
	const char *rootfs;    /* --rootfs: NULL = tmpfs root of host binds */
	int rootfs_rw;	       /* --rootfs-rw */
	int mkdir_mountpoints; /* --mkdir-mountpoints: made in its dir */
	int proc_rw;	       /* --proc-rw */
	int no_default_mounts; /* --no-default-mounts: no /tmp, /dev, /proc */
	const char *context;   /* --context DIR: at /context */
	int context_copy;      /* --context-mode copy */
	struct fs_op *ops;     /* in argv order, in the caller's room */
	unsigned n_ops;
	int userns;	/* --userns (implied when not root) */
	int map_subids; /* --map-subids: newuidmap/newgidmap ranges */
	/* --uid-map, --gid-map CONTAINER:HOST:SIZE: no two ranges overlap on
	 * either side, none maps host id 0 (args_fs.c checks). */
	struct id_map uid_map, gid_map;
	int has_uid, has_gid; /* --user USER[:GROUP] */
	uint32_t uid, gid;
	/* Names where numbers were not given: resolved before clone in the
	 * sandbox's /etc (identity_resolve), which sets uid, gid, groups. */
	char user_name[FS_NAME_MAX + 1], group_name[FS_NAME_MAX + 1];
	int has_groups; /* --groups: set (possibly empty) */
	uint32_t groups[FS_MAX_GROUPS];
	char group_names[FS_MAX_GROUPS][FS_NAME_MAX + 1]; /* "" = number */
	unsigned n_groups;
	int clearenv;	    /* --clearenv */
	struct env_op *env; /* in the caller's room */
	unsigned n_env;
	size_t room;	     /* entries of ops and of env */
	int no_new_session;  /* --no-new-session */
	int die_with_parent; /* --die-with-parent */
	int keep_fds[FS_MAX_KEEP_FDS];
	unsigned n_keep_fds;
};

#endif
