// SPDX-License-Identifier: MIT
/*
 * Unit tests of the seccomp profile compiler, printing TAP: the text parser
 * (every error names FILE:LINE), the OCI JSON importer, and the programs
 * libseccomp makes of them, which a small classic-BPF interpreter here runs
 * against chosen syscalls: what the kernel would answer, without loading
 * anything. The kernel itself is tested end to end by tests/seccomp.t.
 * Run from the top of the tree (profiles are read from policy/).
 */
#include "cli/config.h"
#include "policy.h"
#include "lib/seccomp_bpf.h"
#include "lib/sha256.h"
#include "tap.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>


/* ---- a classic BPF interpreter, as the kernel runs a seccomp filter -- */

static uint32_t run_bpf(const struct sock_filter *f, size_t n,
			const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 }, w;
	const unsigned char *data = (const unsigned char *)d;

	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];
		uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;

		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
			if (BPF_MODE(i->code) == BPF_ABS)
				memcpy(&w, data + i->k, 4), a = w;
			else if (BPF_MODE(i->code) == BPF_IMM)
				a = i->k;
			else if (BPF_MODE(i->code) == BPF_MEM)
				a = mem[i->k];
			break;
		case BPF_LDX:
			x = BPF_MODE(i->code) == BPF_MEM ? mem[i->k] : i->k;
			break;
		case BPF_ST: mem[i->k] = a; break;
		case BPF_STX: mem[i->k] = x; break;
		case BPF_ALU:
			switch (BPF_OP(i->code)) {
			case BPF_AND: a &= src; break;
			case BPF_OR: a |= src; break;
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			case BPF_RSH: a >>= src; break;
			case BPF_LSH: a <<= src; break;
			case BPF_XOR: a ^= src; break;
			default: return 0xdeadbeef;
			}
			break;
		case BPF_JMP:
			if (BPF_OP(i->code) == BPF_JA) {
				pc += i->k;
				break;
			}
			pc += (BPF_OP(i->code) == BPF_JEQ   ? a == src
			       : BPF_OP(i->code) == BPF_JGT ? a > src
			       : BPF_OP(i->code) == BPF_JGE ? a >= src
							    : (a & src) != 0)
				      ? i->jt
				      : i->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(i->code) == BPF_A ? a : i->k;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
	return 0xdeadbeef; /* fell off the end: the checker forbids it */
}

#define ERRNO(e) (SECCOMP_RET_ERRNO | (e))
#define ALLOW SECCOMP_RET_ALLOW
#define KILL SECCOMP_RET_KILL_PROCESS

struct prog {
	void *f;
	size_t n;
};

/* The answer of prog to syscall nr with args, on arch. */
static uint32_t call_arch(const struct prog *p, uint32_t arch, int nr,
			  uint64_t a0, uint64_t a1)
{
	struct seccomp_data d = { .nr = nr, .arch = arch,
				  .args = { a0, a1 } };

	return run_bpf(p->f, p->n, &d);
}

static uint32_t call(const struct prog *p, int nr, uint64_t a0, uint64_t a1)
{
	return call_arch(p, AUDIT_ARCH_X86_64, nr, a0, a1);
}

/* ---- the parser -------------------------------------------------------- */

static int load(const struct policy_io *io, const char *name,
		const char *from, char **path, char **text, size_t *len,
		char *err, size_t errlen)
{
	char file[256];

	(void)io;
	if (!strpbrk(name, "/.")) { /* built-ins: from the source tree */
		snprintf(file, sizeof(file), "policy/%s.policy", name);
		name = file;
		from = NULL;
	}
	return policy_load_file(name, from, path, text, len, err, errlen);
}

static const struct policy_io io = { load, NULL };

/* Parses text as file t.policy; 0 or -1 with err. */
static int parse(struct policy *p, const char *text, char *err)
{
	*p = (struct policy){ 0 };
	err[0] = '\0';
	return policy_parse_text(p, "t.policy", text, strlen(text), &io, err,
				 512);
}

static int compile_text(const char *text, struct prog *out, char *err)
{
	struct policy p;
	int r = parse(&p, text, err);

	if (r == 0)
		r = policy_compile(&p, &out->f, &out->n, err, 512);
	policy_free(&p);
	return r;
}

#define BAD(text, needle)                                                     \
	do {                                                                  \
		struct policy p_;                                             \
		int r_ = parse(&p_, text, err);                               \
		ok(r_ < 0 && strstr(err, needle) && !strchr(err, '\n'),       \
		   "refused: %s (%s)", #text, err);                           \
		policy_free(&p_);                                             \
	} while (0)

static void test_parse_errors(void)
{
	char err[512];

	BAD("default errno ENOSYS\nallow bogus_call\n",
	    "t.policy:2: unknown syscall 'bogus_call'");
	BAD("default errno ENOSYS\nallow chown32\n",
	    "t.policy:2: 'chown32' is not a syscall of this architecture");
	BAD("default errno ENOSYS\n\nfrobnicate read\n",
	    "t.policy:3: unknown action 'frobnicate'");
	BAD("default errno ENOSYS\nerrno EWHAT read\n",
	    "t.policy:2: 'EWHAT' is not an errno");
	BAD("default errno 5000\n", "t.policy:1: '5000' is not an errno");
	BAD("default errno ENOSYS\nallow\n",
	    "t.policy:2: no syscall name after the action");
	BAD("default errno ENOSYS\nallow socket if a0 == AF_BOGUS\n",
	    "t.policy:2: unknown constant 'AF_BOGUS'");
	BAD("default errno ENOSYS\nallow socket if a7 == 1\n",
	    "t.policy:2: 'a7' is not an argument");
	BAD("default errno ENOSYS\nallow socket if a0 =~ 1\n",
	    "t.policy:2: expected == != < <= > >= or in");
	BAD("default errno ENOSYS\nallow socket if a0 == 1 and a0 == 2\n",
	    "t.policy:2: a0 is tested twice");
	BAD("default errno ENOSYS\nallow socket if a0 == 1 or a1 == 2\n",
	    "t.policy:2: expected 'and CONDITION'");
	BAD("default errno ENOSYS\nallow socket a0 == 1\n",
	    "t.policy:2: unknown syscall 'a0'");
	BAD("default errno ENOSYS\nallow socket if a0 & 3 < 1\n",
	    "t.policy:2: with '& MASK' only");
	BAD("default errno ENOSYS\nallow socket if a0 in 1..100\n",
	    "t.policy:2: bad range");
	BAD("default errno ENOSYS\nallow 5000\n",
	    "t.policy:2: '5000' is not a syscall number");
	BAD("default errno ENOSYS\ndefault allow read\n",
	    "t.policy:2: default takes an action only");
	BAD("allow read\n", "t.policy: no 'default' action");
	BAD("default errno ENOSYS\ninclude nonexistent/x.policy\n",
	    "t.policy:2: include nonexistent/x.policy:");
	BAD("default errno ENOSYS\ninclude tests/unit/loop.policy\n",
	    "deeper than 8");
}

static void test_parse_good(void)
{
	struct policy p;
	char err[512];
	int r;

	r = parse(&p,
		  "# comment\n\n  default errno EPERM  # trailing\n"
		  "allow read write\r\n"
		  "errno 13 openat if a2 & 0x3 == 1\n"
		  "allow socket if a0 in AF_UNIX, AF_INET..AF_INET\n"
		  "allow ?no_such_call_yet 462\n",
		  err);
	ok(r == 0, "a profile with comments, CRLF, masks, lists (%s)", err);
	ok(p.def_action == ERRNO(EPERM), "default errno EPERM");
	ok(p.n == 6 && p.rules[2].action == ERRNO(13) &&
		   p.rules[2].cond[0].op == POP_MASKED_EQ &&
		   p.rules[2].cond[0].mask == 3 && p.rules[2].cond[0].arg == 2,
	   "6 rules; errno 13 with a masked condition on a2");
	ok(p.skipped == 1 && p.rules[5].nr == 462,
	   "?name unknown here is skipped and counted; numbers work");
	policy_free(&p);
	r = parse(&p, "default errno ENOSYS\nerrno EPERM ptrace\nallow ptrace\n",
		  err);
	ok(r == 0 && p.n == 1 && p.rules[0].action == ALLOW,
	   "a later unconditional rule replaces the earlier ones");
	policy_free(&p);
	r = parse(&p, "default errno ENOSYS\nallow clone if a0 & 0x30 != 0\n",
		  err);
	ok(r == 0 && p.n == 2 && p.rules[0].cond[0].mask == 0x10 &&
		   p.rules[1].cond[0].val == 0x20,
	   "'& MASK != 0' is one rule per bit");
	policy_free(&p);
}

static void test_nul(void)
{
	static const char text[] = "default errno ENOSYS\nallow read\0write\n";
	struct policy p = { 0 };
	char err[512] = "";
	int r = policy_parse_text(&p, "t.policy", text, sizeof(text) - 1, &io,
				  err, sizeof(err));

	ok(r < 0 && strstr(err, "t.policy:2: NUL byte"), "NUL byte refused (%s)",
	   err);
	policy_free(&p);
}

/* ---- the programs, run ------------------------------------------------- */

static void test_default(void)
{
	struct prog p;
	char err[512];

	ok(compile_text("include default\n", &p, err) == 0,
	   "policy/default.policy compiles (%s)", err);
	ok(p.n > 100 && p.n < SECCOMP_BPF_MAX, "default: %zu instructions",
	   p.n);
	ok(seccomp_bpf_check(p.f, p.n, err, sizeof(err)) == 0,
	   "default passes the kernel's checks (%s)", err);
	ok(call(&p, SYS_read, 0, 0) == ALLOW, "default: read allowed");
	ok(call(&p, SYS_ioctl, 0, TCGETS) == ALLOW, "default: ioctl TCGETS");
	ok(call(&p, SYS_ioctl, 0, TIOCSTI) == ERRNO(EPERM),
	   "default: ioctl TIOCSTI: EPERM");
	ok(call(&p, SYS_ioctl, 0, (1ULL << 32) | TIOCSTI) == ERRNO(EPERM),
	   "default: TIOCSTI with high bits set: EPERM (CVE-2019-10063)");
	ok(call(&p, SYS_ioctl, 0, TIOCLINUX) == ERRNO(EPERM),
	   "default: ioctl TIOCLINUX: EPERM");
	ok(call(&p, SYS_clone, SIGCHLD, 0) == ALLOW, "default: fork-like clone");
	ok(call(&p, SYS_clone, CLONE_VM | CLONE_THREAD | CLONE_SIGHAND, 0) ==
		   ALLOW,
	   "default: thread-like clone");
	ok(call(&p, SYS_clone, CLONE_NEWUSER | SIGCHLD, 0) == ERRNO(EPERM),
	   "default: clone(CLONE_NEWUSER): EPERM");
	ok(call(&p, SYS_clone, CLONE_NEWNET, 0) == ERRNO(EPERM),
	   "default: clone(CLONE_NEWNET): EPERM");
	ok(call(&p, SYS_clone3, 0, 0) == ERRNO(ENOSYS), "default: clone3 ENOSYS");
	ok(call(&p, SYS_mount, 0, 0) == ERRNO(EPERM), "default: mount EPERM");
	ok(call(&p, SYS_unshare, 0, 0) == ERRNO(EPERM), "default: unshare");
	ok(call(&p, 462, 0, 0) == ERRNO(ENOSYS),
	   "default: mseal (462, newer than libseccomp 2.5.4): ENOSYS");
	ok(call(&p, SYS_socket, AF_INET, 0) == ALLOW, "default: AF_INET");
	ok(call(&p, SYS_socket, AF_NETLINK, 0) == ALLOW, "default: AF_NETLINK");
	ok(call(&p, SYS_socket, AF_VSOCK, 0) == ERRNO(EAFNOSUPPORT),
	   "default: AF_VSOCK: EAFNOSUPPORT");
	ok(call(&p, SYS_socket, AF_PACKET, 0) == ERRNO(EAFNOSUPPORT),
	   "default: AF_PACKET: EAFNOSUPPORT");
	ok(call(&p, SYS_socket, (1ULL << 32) | AF_INET, 0) ==
		   ERRNO(EAFNOSUPPORT),
	   "default: a family with high bits set: EAFNOSUPPORT");
	ok(call(&p, SYS_personality, 0xffffffff, 0) == ALLOW &&
		   call(&p, SYS_personality, 0x0040000, 0) == ERRNO(ENOSYS),
	   "default: personality query yes, ADDR_NO_RANDOMIZE no");
	ok(call(&p, SYS_ptrace, 0, 0) == ALLOW, "default: ptrace allowed");
	ok(call_arch(&p, AUDIT_ARCH_I386, 20, 0, 0) == KILL,
	   "default: i386 getpid (int 0x80): killed");
	ok(call(&p, 0x40000000 | SYS_getpid, 0, 0) == KILL,
	   "default: x32 getpid: killed");
	ok(call(&p, -1, 0, 0) == ERRNO(ENOSYS), "default: nr -1 is not killed");
	free(p.f);
}

static void test_strict(void)
{
	struct prog p;
	char err[512];

	ok(compile_text("include strict\n", &p, err) == 0,
	   "policy/strict.policy compiles (%s)", err);
	ok(call(&p, SYS_socket, AF_UNIX, 0) == ALLOW, "strict: AF_UNIX");
	ok(call(&p, SYS_socket, AF_INET, 0) == ERRNO(EAFNOSUPPORT) &&
		   call(&p, SYS_socket, AF_INET6, 0) == ERRNO(EAFNOSUPPORT),
	   "strict: AF_INET, AF_INET6: EAFNOSUPPORT");
	ok(call(&p, SYS_ptrace, 0, 0) == ERRNO(EPERM) &&
		   call(&p, SYS_process_vm_readv, 0, 0) == ERRNO(EPERM),
	   "strict: ptrace, process_vm_readv: EPERM");
	ok(call(&p, SYS_ioctl, 0, TIOCSTI) == ERRNO(EPERM) &&
		   call(&p, SYS_clone3, 0, 0) == ERRNO(ENOSYS) &&
		   call(&p, SYS_read, 0, 0) == ALLOW,
	   "strict keeps default's rules");
	free(p.f);
	ok(compile_text("include strict\nallow ptrace\n", &p, err) == 0 &&
		   call(&p, SYS_ptrace, 0, 0) == ALLOW,
	   "a later 'allow ptrace' overrides the included strict");
	free(p.f);
	ok(compile_text("default allow\nerrno EPERM ioctl if a1 & 0xffffffff "
			"== TIOCSTI\n",
			&p, err) == 0 &&
		   call(&p, SYS_ioctl, 0, TIOCSTI) == ERRNO(EPERM) &&
		   call(&p, SYS_ioctl, 0, TCGETS) == ALLOW &&
		   call(&p, SYS_mount, 0, 0) == ALLOW,
	   "a denylist profile (default allow)");
	free(p.f);
}

/* ---- docker/OCI JSON ----------------------------------------------------- */

static int json(struct policy *p, const char *text, char *err)
{
	*p = (struct policy){ 0 };
	err[0] = '\0';
	return policy_parse_json(p, "t.json", text, strlen(text), "6.18.1",
				 err, 512);
}

#define BADJ(text, needle)                                                    \
	do {                                                                  \
		struct policy p_;                                             \
		int r_ = json(&p_, text, err);                                \
		ok(r_ < 0 && strstr(err, needle) && !strchr(err, '\n'),       \
		   "JSON refused: %s (%s)", needle, err);                     \
		policy_free(&p_);                                             \
	} while (0)

static const char oci[] =
	"{\n"
	"  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
	"  \"defaultErrnoRet\": 38,\n"
	"  \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],\n"
	"  \"syscalls\": [\n"
	"    {\"names\": [\"read\", \"write\", \"mseal\", \"chown32\"],\n"
	"     \"action\": \"SCMP_ACT_ALLOW\", \"comment\": \"x\"},\n"
	"    {\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
	"    {\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ERRNO\",\n"
	"     \"args\": [{\"index\": 1, \"value\": 4294967295,\n"
	"                \"valueTwo\": 21522, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},\n"
	"    {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"     \"args\": [{\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"},\n"
	"              {\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]},\n"
	"    {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"     \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},\n"
	"    {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"     \"includes\": {\"minKernel\": \"4.8\"}},\n"
	"    {\"names\": [\"kcmp\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"     \"includes\": {\"minKernel\": \"99.0\"}},\n"
	"    {\"names\": [\"arch_prctl\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"     \"includes\": {\"arches\": [\"amd64\", \"x32\"]}},\n"
	"    {\"names\": [\"set_tls\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"     \"includes\": {\"arches\": [\"arm\"]}},\n"
	"    {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\",\n"
	"     \"errnoRet\": 1}\n"
	"  ]\n"
	"}\n";

static void test_json(void)
{
	struct policy pol;
	struct prog p;
	char err[512];
	int r = json(&pol, oci, err);

	ok(r == 0, "an OCI profile parses (%s)", err);
	ok(pol.def_action == ERRNO(ENOSYS), "defaultAction + defaultErrnoRet");
	ok(pol.skipped == 2, "mseal (too new) and chown32 (i386) skipped");
	r = r == 0 ? policy_compile(&pol, &p.f, &p.n, err, sizeof(err)) : -1;
	ok(r == 0, "and compiles (%s)", err);
	if (r == 0) {
		ok(call(&p, SYS_read, 0, 0) == ALLOW, "JSON: read allowed");
		ok(call(&p, SYS_ioctl, 0, 0x5412) == ERRNO(EPERM) &&
			   call(&p, SYS_ioctl, 0, TCGETS) == ALLOW,
		   "JSON: MASKED_EQ args, errnoRet defaults to EPERM");
		ok(call(&p, SYS_personality, 8, 0) == ALLOW &&
			   call(&p, SYS_personality, 0, 0) == ALLOW &&
			   call(&p, SYS_personality, 9, 0) == ERRNO(ENOSYS),
		   "JSON: two args on one index are alternatives (runc)");
		ok(call(&p, SYS_mount, 0, 0) == ERRNO(ENOSYS),
		   "JSON: an entry needing a capability is left out");
		ok(call(&p, SYS_ptrace, 0, 0) == ALLOW &&
			   call(&p, SYS_kcmp, 0, 0) == ERRNO(ENOSYS),
		   "JSON: minKernel compared with the running kernel");
		ok(call(&p, SYS_arch_prctl, 0, 0) == ALLOW,
		   "JSON: includes.arches with amd64 applies");
		ok(call(&p, SYS_clone3, 0, 0) == ERRNO(EPERM), "JSON: errnoRet");
		ok(call_arch(&p, AUDIT_ARCH_I386, 3, 0, 0) == KILL,
		   "JSON: SCMP_ARCH_X86 listed, yet i386 is killed (native "
		   "only)");
		free(p.f);
	}
	policy_free(&pol);
	BADJ("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": [\n{]}",
	     "t.json:3: bad JSON");
	BADJ("{\"syscalls\": []}", "t.json:1: no defaultAction");
	BADJ("{\"defaultAction\": \"SCMP_ACT_NOPE\"}",
	     "t.json:1: unknown action 'SCMP_ACT_NOPE'");
	BADJ("{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}", "needs a listener");
	BADJ("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n\"architectures\": "
	     "[\"SCMP_ARCH_AARCH64\"]}",
	     "architectures does not list this machine's");
	BADJ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": "
	     "[\"SCMP_ARCH_VAX\"]}",
	     "unknown architecture 'SCMP_ARCH_VAX'");
	BADJ("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n\"syscalls\": [{\"names\":"
	     " [\"read\"]}]}",
	     "t.json:2: a syscalls entry without an action");
	BADJ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\":"
	     " [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\":"
	     " 9, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	     "an arg needs index 0-5");
	BADJ("{\"defaultAction\": \"SCMP_ACT_ERRNO\"} x", "text after");
	BADJ("{\"defaultAction\": 1.5}", "bad JSON: expected '\"'");
	BADJ("", "bad JSON: expected '{'");
	BADJ("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "expected '{'");
	BADJ("{\"x\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]}",
	     "nested deeper than 32");
}

/* ---- the shim's BPF helpers -------------------------------------------- */

static void test_bpf_helpers(void)
{
	static const struct sock_filter allow_all[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static const struct sock_filter bad_jump[] = {
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static const struct sock_filter bad_load[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static const struct sock_filter no_ret[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
	};
	struct sock_filter *g;
	struct prog p;
	size_t n;
	char err[512];

	ok(seccomp_bpf_guard(allow_all, 1, &g, &n) == 0 && n == 8,
	   "the guard adds %d instructions", SECCOMP_BPF_GUARD);
	p = (struct prog){ g, n };
	ok(seccomp_bpf_check(g, n, err, sizeof(err)) == 0, "guarded passes");
	ok(call(&p, SYS_mount, 0, 0) == ALLOW, "guard: native calls go on");
	ok(call_arch(&p, AUDIT_ARCH_I386, 20, 0, 0) == KILL &&
		   call(&p, 0x40000000 | SYS_getpid, 0, 0) == KILL,
	   "guard: i386 and x32 killed");
	ok(call(&p, -1, 0, 0) == ALLOW, "guard: nr -1 goes on");
	free(g);
	ok(seccomp_bpf_check(bad_jump, 2, err, sizeof(err)) < 0 &&
		   strstr(err, "instruction 0: a jump out"),
	   "check: jump out of the program (%s)", err);
	ok(seccomp_bpf_check(bad_load, 2, err, sizeof(err)) < 0 &&
		   strstr(err, "past struct seccomp_data"),
	   "check: load past seccomp_data (%s)", err);
	ok(seccomp_bpf_check(no_ret, 1, err, sizeof(err)) < 0 &&
		   strstr(err, "not a return"),
	   "check: no final return (%s)", err);
	if (compile_text("include default\n", &p, err) == 0) {
		size_t k = seccomp_bpf_to_log(p.f, p.n);

		ok(k > 0 && call(&p, SYS_mount, 0, 0) == SECCOMP_RET_LOG &&
			   call(&p, SYS_clone3, 0, 0) == SECCOMP_RET_LOG &&
			   call(&p, SYS_read, 0, 0) == ALLOW,
		   "log: %zu denials become SECCOMP_RET_LOG", k);
		ok(call_arch(&p, AUDIT_ARCH_I386, 20, 0, 0) == KILL,
		   "log: the arch kill stays");
		free(p.f);
	}
}

/* ---- the flags (args_seccomp.c) ---------------------------------------- */

static enum parse_result args(struct config *cfg, char *err, ...)
{
	static char *argv[16] = { "nucleus" }; /* cfg points into it */
	int argc = 1;
	va_list ap;

	va_start(ap, err);
	while (argc < 13 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc++] = "--";
	argv[argc++] = "true";
	argv[argc] = NULL;
	err[0] = '\0';
	return parse_args(argc, argv, cfg, tap_room(), err, 512);
}

#define BADARG(needle, ...)                                                   \
	do {                                                                  \
		enum parse_result r_ = args(&cfg, err, __VA_ARGS__, NULL);    \
		ok(r_ == PARSE_ERROR && strstr(err, needle) &&                \
			   !strchr(err, '\n'),                                \
		   "flags refused: " #__VA_ARGS__ " (%s)", err);              \
	} while (0)

static void test_flags(void)
{
	struct config cfg;
	char err[512];

	ok(args(&cfg, err, NULL) == PARSE_OK && !cfg.seccomp.profile &&
		   !cfg.seccomp.bpf && !cfg.seccomp.log,
	   "no seccomp flag: nothing set (the default profile)");
	ok(args(&cfg, err, "--seccomp-profile", "strict", "--seccomp-log",
		NULL) == PARSE_OK &&
		   !strcmp(cfg.seccomp.profile, "strict") && cfg.seccomp.log,
	   "--seccomp-profile strict --seccomp-log");
	ok(args(&cfg, err, "--seccomp-profile=/x/p.json", NULL) == PARSE_OK &&
		   !strcmp(cfg.seccomp.profile, "/x/p.json"),
	   "--seccomp-profile=FILE");
	ok(args(&cfg, err, "--seccomp-bpf", "fd:3", NULL) == PARSE_OK &&
		   cfg.seccomp.bpf_is_fd && cfg.seccomp.bpf_fd == 3,
	   "--seccomp-bpf fd:3");
	ok(args(&cfg, err, "--seccomp-bpf", "f.bpf", NULL) == PARSE_OK &&
		   !cfg.seccomp.bpf_is_fd && !strcmp(cfg.seccomp.bpf, "f.bpf"),
	   "--seccomp-bpf FILE");
	BADARG("--seccomp-bpf: 'fd:x' is not fd:N", "--seccomp-bpf", "fd:x");
	BADARG("--seccomp-bpf: 'fd:-1' is not fd:N", "--seccomp-bpf", "fd:-1");
	BADARG("--seccomp-bpf: 'fd:' is not fd:N", "--seccomp-bpf", "fd:");
	BADARG("'fd:99999999999' is not fd:N", "--seccomp-bpf",
	       "fd:99999999999");
	BADARG("--seccomp-bpf: cannot be used with --seccomp-profile",
	       "--seccomp-profile", "none", "--seccomp-bpf", "f");
	BADARG("--seccomp-profile: cannot be used with --seccomp-bpf",
	       "--seccomp-bpf", "f", "--seccomp-profile", "none");
	BADARG("--seccomp-profile given twice", "--seccomp-profile", "none",
	       "--seccomp-profile", "none");
	BADARG("--seccomp-profile: empty value", "--seccomp-profile=");
	BADARG("--seccomp-log takes no value", "--seccomp-log=1");
}

/* FIPS 180-4 examples: one block, two blocks (56 bytes), empty. */
static void test_sha256(void)
{
	char hex[65];

	sha256_hex("abc", 3, hex);
	ok(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410"
			"ff61f20015ad"),
	   "sha256(abc)");
	sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		   56, hex);
	ok(!strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ec"
			"edd419db06c1"),
	   "sha256 of 56 bytes (padding spills into a second block)");
	sha256_hex("", 0, hex);
	ok(!strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495"
			"991b7852b855"),
	   "sha256 of nothing");
}

int main(void)
{
	test_sha256();
	test_flags();
	test_parse_errors();
	test_parse_good();
	test_nul();
	test_default();
	test_strict();
	test_json();
	test_bpf_helpers();
	return tap_done();
}
