// SPDX-License-Identifier: MIT
/*
 * Landlock: the filesystem, TCP and scoping ruleset, enforced after
 * no_new_privs and before seccomp. As the kernel's samples/landlock sandboxer
 * teaches: probe the ABI, handle every right that ABI knows (a right left
 * unhandled is silently allowed), mask the ones it does not know, and explain
 * a refusal. The default rules match the mount layout (read+exec on /usr,
 * /bin, /sbin, /lib*; read on /etc, /proc; read-write on /tmp, /dev/shm,
 * /dev/pts and the null-like devices; nothing else), plus the --landlock-*
 * flags and a rule for every mount the command line asks for, with the
 * rights it declares (a writable bind is writable). TCP bind/connect are
 * handled when the sandbox has the host network (--share net) or any
 * --allow-* port is given; abstract unix sockets and signals are scoped to
 * the sandbox whenever the kernel can (ABI 6). nucleus-init is exec'd from
 * a memfd, an internal mount Landlock does not check, so the ruleset binds
 * it without having to allow any path for it.
 */
#include "setup/confine.h"
#include "setup/landlock.h"
#include "lib/mountapi.h"
#include "host/report.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Our own copy of the uapi: the build's kernel headers may predate ABI 7. */
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif
#define LL_CREATE_VERSION (1u << 0)
#define LL_CREATE_ERRATA (1u << 1)
#define LL_RULE_PATH 1
#define LL_RULE_PORT 2
#define FS_EXECUTE (1ull << 0)
#define FS_WRITE_FILE (1ull << 1)
#define FS_READ_FILE (1ull << 2)
#define FS_READ_DIR (1ull << 3)
#define FS_REMOVE_DIR (1ull << 4)
#define FS_REMOVE_FILE (1ull << 5)
#define FS_MAKE_CHAR (1ull << 6)
#define FS_MAKE_DIR (1ull << 7)
#define FS_MAKE_REG (1ull << 8)
#define FS_MAKE_SOCK (1ull << 9)
#define FS_MAKE_FIFO (1ull << 10)
#define FS_MAKE_BLOCK (1ull << 11)
#define FS_MAKE_SYM (1ull << 12)
#define FS_REFER (1ull << 13)	  /* ABI 2 */
#define FS_TRUNCATE (1ull << 14)  /* ABI 3 */
#define FS_IOCTL_DEV (1ull << 15) /* ABI 5 */
#define NET_BIND_TCP (1ull << 0)  /* ABI 4 */
#define NET_CONNECT_TCP (1ull << 1)
#define SCOPE_ABSTRACT_UNIX (1ull << 0) /* ABI 6 */
#define SCOPE_SIGNAL (1ull << 1)
#define LOG_SAME_EXEC_OFF (1u << 0) /* ABI 7 */
#define LOG_NEW_EXEC_ON (1u << 1)
#define LL_ABI_KNOWN 7 /* newer kernels: we handle what ABI 7 knows */
/* The rights that make sense on a file that is not a directory. */
#define FS_FILE_RIGHTS                                                         \
	(FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV)

struct ll_ruleset_attr {
	uint64_t fs, net, scoped;
};
struct ll_path_attr {
	uint64_t allowed;
	int32_t parent_fd;
} __attribute__((packed));
struct ll_port_attr {
	uint64_t allowed, port;
};

enum ll_origin {
	LL_DEFAULT,
	LL_FLAG,
	LL_MOUNT
};
static const char origin_name[][8] = { "default", "flag", "mount" };

static const struct {
	char path[16];
	unsigned access;
} ll_defaults[] = {
	/* `ls /` works, and below it every directory of the sandbox lists;
	 * reading a file still needs a rule of its own. */
	{ "/", LL_LIST },
	{ "/usr", LL_READ | LL_EXEC },
	{ "/bin", LL_READ | LL_EXEC },
	{ "/sbin", LL_READ | LL_EXEC },
	{ "/etc", LL_READ },
	{ "/proc", LL_READ },
	{ "/tmp", LL_READ | LL_WRITE },
	{ "/dev/shm", LL_READ | LL_WRITE },
	{ "/dev/pts", LL_READ | LL_WRITE | LL_IOCTL },
	{ "/dev/ptmx", LL_READ | LL_WRITE | LL_IOCTL },
	{ "/dev/tty", LL_READ | LL_WRITE | LL_IOCTL },
	{ "/dev/null", LL_READ | LL_WRITE },
	{ "/dev/zero", LL_READ | LL_WRITE },
	{ "/dev/full", LL_READ | LL_WRITE },
	{ "/dev/random", LL_READ | LL_WRITE },
	{ "/dev/urandom", LL_READ | LL_WRITE },
};

static int ll_create(const struct ll_ruleset_attr *attr, size_t size,
		     unsigned flags)
{
	return (int)syscall(SYS_landlock_create_ruleset, attr, size, flags);
}

/* 0 when the kernel has no Landlock (ENOSYS) or it is off (EOPNOTSUPP). */
static int landlock_abi(void)
{
	int abi = ll_create(NULL, 0, LL_CREATE_VERSION);

	return abi < 0 ? 0 : abi;
}

static uint64_t ll_fs_rights(int abi)
{
	uint64_t r = 0;

	if (abi >= 1)
		r |= (FS_MAKE_SYM << 1) - 1; /* execute .. make_sym */
	if (abi >= 2)
		r |= FS_REFER;
	if (abi >= 3)
		r |= FS_TRUNCATE;
	if (abi >= 5)
		r |= FS_IOCTL_DEV;
	return r;
}

/* Words to rights. Device creation is never granted: nobody needs it here. */
static uint64_t ll_rights(unsigned access)
{
	uint64_t r = 0;

	if (access & LL_READ)
		r |= FS_READ_FILE | FS_READ_DIR;
	if (access & LL_LIST)
		r |= FS_READ_DIR;
	if (access & LL_WRITE)
		r |= FS_WRITE_FILE | FS_REMOVE_DIR | FS_REMOVE_FILE |
		     FS_MAKE_DIR | FS_MAKE_REG | FS_MAKE_SOCK | FS_MAKE_FIFO |
		     FS_MAKE_SYM | FS_REFER | FS_TRUNCATE;
	if (access & LL_EXEC)
		r |= FS_EXECUTE;
	if (access & LL_IOCTL)
		r |= FS_IOCTL_DEV;
	return r;
}

static unsigned min_abi(const struct confine_config *c)
{
	return c->min_abi ? c->min_abi : CONFINE_DEFAULT_MIN_ABI;
}

/* --net none where no namespace could be made (tier confine-only): the
 * sandbox is on the host's network and gets from Landlock everything that
 * --share net gets, and no port but --allow-* ones. */
static int net_none_on_host(const struct config *cfg, int confine_only)
{
	return cfg->net.mode == NET_NONE && confine_only;
}

/* TCP bind and connect are handled (denied but for --allow-* ports). */
static int net_wanted(const struct config *cfg, int confine_only)
{
	return (cfg->share & SHARE_NET) || cfg->confine.n_connect ||
	       cfg->confine.n_bind || net_none_on_host(cfg, confine_only);
}

static const char *abi_hint(int abi)
{
	return abi ? ""
		   : " (hint: Landlock needs CONFIG_SECURITY_LANDLOCK=y "
		     "and landlock in the lsm= boot parameter)";
}

/* Production: what the command line asks for must be enforceable. The plan
 * checked it before clone on the full tier (plan/plan.c); here again with
 * the tier the child got. */
static void landlock_check(const struct config *cfg,
			   const struct landlock_found *ll)
{
	int abi = ll->abi;
	const struct confine_config *c = &cfg->confine;

	if (cfg->mode != MODE_PRODUCTION)
		return;
	if (c->no_landlock)
		die("--no-landlock is refused in production mode");
	if ((unsigned)abi < min_abi(c))
		die("kernel Landlock ABI is %d, below --landlock-min-abi %u "
		    "(production mode)%s",
		    abi, min_abi(c), abi_hint(abi));
	if (net_wanted(cfg, ll->confine_only) && abi < 4)
		die("TCP rules for %s need Landlock ABI 4, the kernel has %d "
		    "(production mode)",
		    net_none_on_host(cfg, ll->confine_only)
			    ? "--net none without a network "
			      "namespace"
			    : "--share net/--allow-*",
		    abi);
}

/* Agent mode: say what is missing and go on with what the kernel has: one
 * line on stderr whenever the ABI is below the minimum (--landlock-min-abi
 * or the default) or below what the flags need (TCP rules), and an entry
 * in the report for each shortfall. */
static void landlock_degrade(const struct config *cfg,
			     const struct landlock_found *ll)
{
	int tcp = ll->abi < 4 && net_wanted(cfg, ll->confine_only);

	if (ll->abi < ll->min_abi || tcp)
		warnx("kernel Landlock ABI is %d, below %s %d%s; going on "
		      "with what it has (agent mode)%s",
		      ll->abi,
		      ll->abi >= ll->min_abi ? "the"
		      : cfg->confine.min_abi ? "--landlock-min-abi"
					     : "the minimum",
		      ll->abi < ll->min_abi ? ll->min_abi : 4,
		      ll->abi < ll->min_abi ? "" : " that TCP rules need",
		      abi_hint(ll->abi));
	if (ll->abi < ll->min_abi)
		report_note("landlock: kernel ABI %d is below the minimum %d",
			    ll->abi, ll->min_abi);
	if (ll->abi && tcp)
		report_note("landlock: ABI %d has no TCP rules: TCP bind and "
			    "connect are not restricted",
			    ll->abi);
	if (ll->abi && ll->abi < 6)
		report_note("landlock: ABI %d has no scoping: abstract unix "
			    "sockets and signals are not scoped",
			    ll->abi);
}

/* The rights handled, each masked by what the running ABI knows. */
static void landlock_handled(const struct config *cfg,
			     struct landlock_found *ll)
{
	int abi = ll->abi < LL_ABI_KNOWN ? ll->abi : LL_ABI_KNOWN;

	ll->fs = ll_fs_rights(abi);
	ll->net = abi >= 4 && net_wanted(cfg, ll->confine_only)
			  ? NET_BIND_TCP | NET_CONNECT_TCP
			  : 0;
	ll->scoped = abi >= 6 ? SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL : 0;
	/* Nothing audited for nucleus itself, which launches untrusted code;
	 * a production workload's denials are anomalies worth an audit
	 * record, an agent's are routine and would flood the log. */
	ll->flags = abi >= 7 ? LOG_SAME_EXEC_OFF : 0;
	if (abi >= 7 && cfg->mode == MODE_PRODUCTION)
		ll->flags |= LOG_NEW_EXEC_ON;
}

static void ll_push(struct landlock_found *ll, const char *path,
		    unsigned access, enum ll_origin origin)
{
	ll->rules = xgrow(ll->rules, &ll->cap_rules, ll->n_rules,
			  sizeof(*ll->rules));
	ll->rules[ll->n_rules++] = (struct ll_rule){ path, access, origin, 0 };
}

/* /lib, /lib64, /lib32, /libx32...: whatever the root holds. */
static void ll_push_libs(struct landlock_found *ll)
{
	char(*names)[NAME_MAX + 2] = ll->libs;
	unsigned n = 0;
	DIR *d = opendir("/");
	struct dirent *e;

	while (d && n < LANDLOCK_MAX_LIBS && (e = readdir(d))) {
		if (strncmp(e->d_name, "lib", 3) != 0 ||
		    (e->d_type != DT_DIR && e->d_type != DT_LNK))
			continue;
		names[n][0] = '/';
		strcpy(names[n] + 1, e->d_name);
		ll_push(ll, names[n++], LL_READ | LL_EXEC, LL_DEFAULT);
	}
	if (d)
		closedir(d);
}

/* The mount operations of the command line, as the sandbox sees them: what
 * is placed in the sandbox is reachable, and what is declared writable is
 * writable. A bind or a file the user chose may run programs; a tmpfs, like
 * /tmp, may not. */
static unsigned ll_mount_access(const struct fs_op *op)
{
	switch (op->kind) {
	case FS_BIND:
	case FS_BIND_TRY:
		return LL_READ | LL_WRITE | LL_EXEC;
	case FS_RO_BIND:
	case FS_RO_BIND_TRY:
	case FS_NOTIFY:
	case FS_COPY:
	case FS_FILE:
		return LL_READ | LL_EXEC;
	case FS_TMPFS:
	case FS_MQUEUE:
		return LL_READ | LL_WRITE;
	case FS_DEV:
	case FS_DEVICE:
		return LL_READ | LL_WRITE | LL_IOCTL;
	case FS_MOUNT: /* devpts and a /dev tmpfs hold devices */
		if (!strcmp(op->src, "proc") || !strcmp(op->src, "sysfs"))
			return LL_READ;
		if (!strcmp(op->src, "devpts") ||
		    (op->dest_len == 4 && !strncmp(op->dest, "/dev", 4)))
			return LL_READ | LL_WRITE | LL_IOCTL;
		return LL_READ | LL_WRITE;
	case FS_SYMLINK: /* a rule would follow it to its target */
	case FS_MASK:	 /* these take away, never give */
	case FS_REMOUNT_RO:
		return 0;
	default: /* FS_DIR, FS_PROC, FS_SECRET */
		return LL_READ;
	}
}

/* A mount's rule: its path copied (a dest need not end in NUL). */
static void ll_allow(struct landlock_found *ll, const char *path, size_t len,
		     unsigned access)
{
	char *copy = NULL;

	if (len >= PATH_MAX || !(copy = strndup(path, len)))
		die("mount rule '%.*s': too long or no memory", (int)len, path);
	ll_push(ll, copy, access, LL_MOUNT);
}

/* --rootfs: the image is the world. Its root is readable (writable with
 * --rootfs-rw), each top-level entry also executable, except /tmp, /dev
 * and /proc, which keep their own rules (a rule on / would reach them). */
static void ll_allow_rootfs(struct landlock_found *ll, int rw)
{
	unsigned base = LL_READ | (rw ? LL_WRITE : 0);
	DIR *d = opendir("/");
	struct dirent *e;

	ll_allow(ll, "/", 1, base);
	while (d && (e = readdir(d))) {
		char path[NAME_MAX + 2];

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "tmp") ||
		    !strcmp(e->d_name, "dev") || !strcmp(e->d_name, "proc"))
			continue;
		snprintf(path, sizeof(path), "/%s", e->d_name);
		ll_allow(ll, path, strlen(path), base | LL_EXEC);
	}
	if (d)
		closedir(d);
}

static void ll_push_mounts(struct landlock_found *ll, const struct config *cfg)
{
	const struct fs_config *fs = &cfg->fs;
	int secrets = 0;

	if (fs->rootfs)
		ll_allow_rootfs(ll, fs->rootfs_rw);
	if (fs->proc_rw)
		ll_allow(ll, "/proc", 5, LL_READ | LL_WRITE);
	if (fs->context)
		ll_allow(ll, "/context", 8,
			 LL_READ | LL_EXEC | (fs->context_copy ? LL_WRITE : 0));
	for (unsigned i = 0; i < fs->n_ops; i++) {
		unsigned access = ll_mount_access(&fs->ops[i]);

		secrets |= fs->ops[i].kind == FS_SECRET;
		if (access)
			ll_allow(ll, fs->ops[i].dest, fs->ops[i].dest_len,
				 access);
	}
	if (secrets)
		ll_allow(ll, "/run/secrets", 12, LL_READ);
}

/* Every rule, in the order they are added: defaults, flags, mounts. */
static void ll_collect(struct landlock_found *ll, const struct config *cfg)
{
	const struct confine_config *c = &cfg->confine;

	for (size_t i = 0; i < sizeof(ll_defaults) / sizeof(ll_defaults[0]);
	     i++) {
		unsigned a = ll_defaults[i].access;

		/* confine-only: /tmp and /dev/shm are the host's own, shared
		 * with everyone: read, never write (--landlock-rw to allow). */
		if (ll->confine_only &&
		    (!strcmp(ll_defaults[i].path, "/tmp") ||
		     !strcmp(ll_defaults[i].path, "/dev/shm")))
			a = LL_READ;
		ll_push(ll, ll_defaults[i].path, a, LL_DEFAULT);
	}
	ll_push_libs(ll);
	for (unsigned i = 0; i < c->n_paths; i++)
		ll_push(ll, c->paths[i].path, c->paths[i].access, LL_FLAG);
	ll_push_mounts(ll, cfg);
}

static const char *flag_of(unsigned access)
{
	if (access & LL_WRITE)
		return "--landlock-rw";
	return access & LL_EXEC ? "--landlock-exec" : "--landlock-ro";
}

/* 0, or -errno when the path cannot be opened (then skipped). */
static int ll_add_path(int rfd, struct ll_rule *r, uint64_t handled)
{
	struct ll_path_attr attr;
	struct stat st;
	/* No magic links: an image's /x -> /proc/self/fd/N must not turn a
	 * setup fd into a rule. Ordinary symlinks (/bin -> usr/bin) are fine. */
	int fd = sys_openat2(AT_FDCWD, r->path, O_PATH | O_CLOEXEC,
			     RESOLVE_NO_MAGICLINKS);

	if (fd < 0)
		return -errno;
	attr.allowed = ll_rights(r->access) & handled;
	if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
		attr.allowed &= FS_FILE_RIGHTS;
	attr.parent_fd = fd;
	if (attr.allowed &&
	    syscall(SYS_landlock_add_rule, rfd, LL_RULE_PATH, &attr, 0) < 0)
		die_errno("add rule for '%s'", r->path);
	close(fd);
	return 0;
}

static void ll_add_paths(struct landlock_found *ll, int rfd,
			 const struct config *cfg)
{
	for (unsigned i = 0; i < ll->n_rules; i++) {
		struct ll_rule *r = &ll->rules[i];

		r->err = -ll_add_path(rfd, r, ll->fs);
		/* Only a --landlock-* path is a promise: a default or a mount
		 * the sandbox lacks (a --*-try bind) is just not there. */
		if (!r->err || r->origin != LL_FLAG)
			continue;
		errno = r->err;
		if (cfg->mode == MODE_PRODUCTION)
			die_errno("%s '%s'", flag_of(r->access), r->path);
		warnx("%s '%s': %s; skipped (agent mode)", flag_of(r->access),
		      r->path, strerror(r->err));
		report_note("landlock: '%s' skipped: %s", r->path,
			    strerror(r->err));
	}
}

static void ll_add_ports(const struct landlock_found *ll, int rfd,
			 const struct confine_config *c)
{
	struct ll_port_attr attr;

	if (!ll->net)
		return;
	for (unsigned i = 0; i < c->n_connect + c->n_bind; i++) {
		int bind = i >= c->n_connect;

		attr.allowed = bind ? NET_BIND_TCP : NET_CONNECT_TCP;
		attr.port = bind ? c->bind_ports[i - c->n_connect]
				 : c->connect_ports[i];
		if (syscall(SYS_landlock_add_rule, rfd, LL_RULE_PORT, &attr,
			    0) < 0)
			die_errno("add rule for TCP port %llu",
				  (unsigned long long)attr.port);
	}
}

/* What --net none on the host's network (net_none_on_host) leaves open,
 * Landlock being what it is on this kernel, for the report's warnings. */
static void ll_net_notes(const struct landlock_found *ll)
{
	if (!ll->net_on_host)
		return;
	report_note("net: --net none without a network namespace (tier "
		    "confine-only): UDP and other non-TCP sockets are not "
		    "restricted; nor is connect to a named unix socket "
		    "(Landlock governs it from ABI 8, this kernel has %d)",
		    ll->abi);
	if (!ll->net)
		report_note("net: --net none without a network namespace: "
			    "TCP bind and connect are not restricted either "
			    "(Landlock ABI %d%s)",
			    ll->abi, ll->requested ? "" : ", --no-landlock");
	if (!ll->scoped)
		report_note("net: --net none without a network namespace: "
			    "abstract unix sockets and signals reach the "
			    "host's (no Landlock scoping)");
}

void landlock_apply(const struct config *cfg, struct landlock_found *ll,
		    enum tier tier)
{
	struct ll_ruleset_attr attr;
	int rfd;

	die_step = "landlock";
	ll->confine_only = tier == TIER_CONFINE_ONLY;
	ll->c = &cfg->confine;
	ll->requested = !cfg->confine.no_landlock;
	ll->abi = landlock_abi();
	ll->min_abi = (int)min_abi(&cfg->confine);
	ll->net_wanted = net_wanted(cfg, ll->confine_only);
	ll->net_on_host = net_none_on_host(cfg, ll->confine_only);
	if (!ll->requested) {
		ll_net_notes(ll);
		return;
	}
	landlock_check(cfg, ll);
	landlock_degrade(cfg, ll);
	if (ll->abi)
		landlock_handled(cfg, ll);
	ll_net_notes(ll);
	if (!ll->abi)
		return;
	attr = (struct ll_ruleset_attr){ ll->fs, ll->net, ll->scoped };
	/* The attr grew with the ABI; older kernels refuse a longer one. */
	rfd = ll_create(&attr, ll->abi >= 6 ? 24 : ll->abi >= 4 ? 16 : 8, 0);
	if (rfd < 0)
		die_errno("landlock_create_ruleset (ABI %d)", ll->abi);
	ll_collect(ll, cfg);
	ll_add_paths(ll, rfd, cfg);
	ll_add_ports(ll, rfd, &cfg->confine);
	if (syscall(SYS_landlock_restrict_self, rfd, ll->flags) < 0)
		die_errno("landlock_restrict_self");
	close(rfd);
	ll->enforced = 1;
	ll->errata = ll->abi >= 7 ? ll_create(NULL, 0, LL_CREATE_ERRATA) : -1;
}

static void ll_names(struct json *j, const char *key, uint64_t set,
		     const char *const *names, unsigned n)
{
	json_list(j, key);
	for (unsigned i = 0; i < n; i++)
		if (set & (1ull << i))
			json_str(j, NULL, names[i]);
	json_list_end(j);
}

static void ll_report_rules(struct json *j, const struct landlock_found *ll,
			    int applied)
{
	json_list(j, applied ? "rules" : "skipped");
	for (unsigned i = 0; i < ll->n_rules; i++) {
		const struct ll_rule *r = &ll->rules[i];
		char access[8];

		if ((r->err == 0) != applied)
			continue;
		snprintf(access, sizeof(access), "%s%s%s%s%s",
			 r->access & LL_LIST ? "l" : "",
			 r->access & LL_READ ? "r" : "",
			 r->access & LL_WRITE ? "w" : "",
			 r->access & LL_EXEC ? "x" : "",
			 r->access & LL_IOCTL ? "i" : "");
		json_begin(j, NULL);
		json_str(j, "path", r->path);
		json_str(j, "access", access);
		json_str(j, "from", origin_name[r->origin]);
		if (!applied)
			json_str(j, "error", strerror(r->err));
		json_close(j);
	}
	json_list_end(j);
}

static void ll_report_ports(struct json *j, const char *key,
			    const uint16_t *ports, unsigned n)
{
	json_list(j, key);
	for (unsigned i = 0; i < n; i++)
		json_uint(j, NULL, ports[i]);
	json_list_end(j);
}

void landlock_report(struct json *j, const struct landlock_found *ll)
{
	static const char *const fs[] = {
		"execute",    "write_file",  "read_file", "read_dir",
		"remove_dir", "remove_file", "make_char", "make_dir",
		"make_reg",   "make_sock",   "make_fifo", "make_block",
		"make_sym",   "refer",	     "truncate",  "ioctl_dev"
	};
	static const char *const net[] = { "bind_tcp", "connect_tcp" };
	static const char *const scope[] = { "abstract_unix_socket", "signal" };
	static const char *const flags[] = { "log_same_exec_off",
					     "log_new_exec_on" };

	json_begin(j, "landlock");
	json_bool(j, "requested", ll->requested);
	json_bool(j, "enforced", ll->enforced);
	json_int(j, "abi", ll->abi);
	json_int(j, "min_abi", ll->min_abi);
	json_bool(j, "min_abi_met", ll->abi >= ll->min_abi);
	if (ll->enforced) {
		ll_names(j, "handled_fs", ll->fs, fs, 16);
		ll_names(j, "handled_net", ll->net, net, 2);
		ll_names(j, "scoped", ll->scoped, scope, 2);
		ll_names(j, "restrict_flags", ll->flags, flags, 2);
		if (ll->errata >= 0)
			json_int(j, "errata", ll->errata);
		ll_report_rules(j, ll, 1);
		ll_report_rules(j, ll, 0);
		ll_report_ports(j, "allow_connect", ll->c->connect_ports,
				ll->c->n_connect);
		ll_report_ports(j, "allow_bind", ll->c->bind_ports,
				ll->c->n_bind);
		json_bool(j, "tcp_requested", ll->net_wanted);
		json_bool(j, "tcp_restricted", ll->net != 0);
	}
	json_close(j);
}

/* `"net": {...}`: what the sandbox's network mode achieved. With a network
 * namespace of its own, --net none needs nothing more; on the host's
 * (--net host, or no namespace could be made) only Landlock narrows it,
 * and what it cannot is listed as not enforced. */
void landlock_net_report(struct json *j, const struct config *cfg,
			 const struct landlock_found *ll)
{
	static const char *const modes[] = { "none", "none", "host", "pasta" };
	int host = ll->net_on_host || (cfg->share & SHARE_NET);
	uint64_t denied = 0, open;
	static const char *const what[] = {
		"tcp_connect", "tcp_bind", "abstract_unix",
		"signal",      "udp",	   "named_unix_connect"
	};

	json_begin(j, "net");
	json_str(j, "mode", modes[cfg->net.mode]);
	json_str(j, "namespace", host ? "host" : "own");
	if (host) {
		if (ll->net)
			denied |= 3; /* but --allow-* ports: the landlock one */
		if (ll->scoped)
			denied |= 12;
		open = ~denied & 63;
		ll_names(j, "denied", denied, what, 6);
		ll_names(j, "not_enforced", open, what, 6);
	}
	json_close(j);
}
