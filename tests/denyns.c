// SPDX-License-Identifier: MIT
/*
 * denyns: runs a command under a seccomp filter that refuses namespaces the
 * way container runtimes' default profiles and LSMs do, to make nucleus's
 * degradation tiers happen for real in tests. `all`: clone3 answers ENOSYS
 * (libcs fall back to clone), clone and unshare with any CLONE_NEW* flag
 * answer EPERM; `user`: only CLONE_NEWUSER is refused; `landlock`: no
 * namespace is refused, but landlock_create_ruleset answers ENOSYS, as a
 * kernel without Landlock does (ABI 0, below any minimum).
 *   denyns all|user|landlock CMD [ARGS...]
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NS_ALL 0x7e020080u /* NEWNS|NEWCGROUP|UTS|IPC|USER|PID|NET|TIME */
#define ARG0 offsetof(struct seccomp_data, args[0])
#define NR offsetof(struct seccomp_data, nr)
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define EPERM_RET RET(SECCOMP_RET_ERRNO | EPERM)

int main(int argc, char **argv)
{
	unsigned mask;

	if (argc < 3 || (strcmp(argv[1], "all") && strcmp(argv[1], "user") &&
			 strcmp(argv[1], "landlock"))) {
		fprintf(stderr, "usage: denyns all|user|landlock CMD "
				"[ARGS...]\n");
		return 2;
	}
	mask = argv[1][0] == 'a' ? NS_ALL : argv[1][0] == 'u' ? CLONE_NEWUSER : 0;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		RET(SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 444 /* landlock_create_ruleset */,
			 0, 1),
		RET(mask ? SECCOMP_RET_ALLOW : SECCOMP_RET_ERRNO | ENOSYS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1),
		RET(mask ? SECCOMP_RET_ERRNO | ENOSYS : SECCOMP_RET_ALLOW),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_unshare, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, mask, 0, 1),
		EPERM_RET,
		RET(SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("denyns: seccomp");
		return 125;
	}
	execvp(argv[2], argv + 2);
	perror("denyns: exec");
	return 127;
}
