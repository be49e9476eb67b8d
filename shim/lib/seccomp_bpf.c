// SPDX-License-Identifier: MIT
/*
 * Checking, guarding and rewriting seccomp BPF programs without libseccomp.
 * The checker mirrors the kernel's seccomp_check_filter() so a bad
 * --seccomp-bpf file is refused with its instruction number before any
 * namespace exists; the guard gives a foreign program the same arch and x32
 * kills as our own profiles; the log rewrite is --seccomp-log.
 */
#include "lib/seccomp_bpf.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "nucleus: add this architecture's AUDIT_ARCH_ value"
#endif

/* The opcodes seccomp_check_filter() accepts. */
static int code_ok(uint16_t code)
{
	static const uint16_t ok[] = {
		BPF_LD | BPF_W | BPF_ABS,
		BPF_LD | BPF_W | BPF_LEN,
		BPF_LDX | BPF_W | BPF_LEN,
		BPF_RET | BPF_K,
		BPF_RET | BPF_A,
		BPF_ALU | BPF_NEG,
		BPF_LD | BPF_IMM,
		BPF_LDX | BPF_IMM,
		BPF_MISC | BPF_TAX,
		BPF_MISC | BPF_TXA,
		BPF_LD | BPF_MEM,
		BPF_LDX | BPF_MEM,
		BPF_ST,
		BPF_STX,
		BPF_JMP | BPF_JA,
	};
	static const uint16_t alu[] = { BPF_ADD, BPF_SUB, BPF_MUL,
					BPF_DIV, BPF_AND, BPF_OR,
					BPF_XOR, BPF_LSH, BPF_RSH };
	static const uint16_t jmp[] = { BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JSET };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (code == ok[i])
			return 1;
	for (size_t i = 0; i < sizeof(alu) / sizeof(alu[0]); i++)
		if ((code & ~BPF_X) == (BPF_ALU | alu[i]))
			return 1;
	for (size_t i = 0; i < sizeof(jmp) / sizeof(jmp[0]); i++)
		if ((code & ~BPF_X) == (BPF_JMP | jmp[i]))
			return 1;
	return 0;
}

int seccomp_bpf_check(const struct sock_filter *f, size_t n, char *err,
		      size_t errlen)
{
	if (n == 0 || n > SECCOMP_BPF_MAX)
		return snprintf(err, errlen, "%zu instructions, not 1 to %d", n,
				SECCOMP_BPF_MAX),
		       -1;
	for (size_t i = 0; i < n; i++) {
		size_t left = n - i - 1;
		uint16_t c = f[i].code;
		const char *why = NULL;

		if (!code_ok(c))
			why = "an opcode seccomp does not allow";
		else if (c == (BPF_LD | BPF_W | BPF_ABS) &&
			 (f[i].k % 4 || f[i].k >= sizeof(struct seccomp_data)))
			why = "a load past struct seccomp_data";
		else if (c == (BPF_JMP | BPF_JA)
				 ? f[i].k >= left
				 : BPF_CLASS(c) == BPF_JMP &&
					   (f[i].jt >= left || f[i].jf >= left))
			why = "a jump out of the program";
		else if ((c == (BPF_LD | BPF_MEM) || c == (BPF_LDX | BPF_MEM) ||
			  c == BPF_ST || c == BPF_STX) &&
			 f[i].k >= BPF_MEMWORDS)
			why = "a scratch slot out of range";
		else if (c == (BPF_ALU | BPF_DIV | BPF_K) && f[i].k == 0)
			why = "a division by zero";
		if (why)
			return snprintf(err, errlen, "instruction %zu: %s", i,
					why),
			       -1;
	}
	if (BPF_CLASS(f[n - 1].code) != BPF_RET)
		return snprintf(err, errlen,
				"the last instruction is not a "
				"return"),
		       -1;
	return 0;
}

const struct sock_filter seccomp_bpf_prologue[SECCOMP_BPF_PROLOGUE] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 0, 3),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 2),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffff, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
};

int seccomp_bpf_guard(const struct sock_filter *f, size_t n,
		      struct sock_filter **out, size_t *outn)
{
	/* The prologue, then the accumulator zeroed again, as the program
	 * expects to find it. */
	static const struct sock_filter zero = BPF_STMT(BPF_LD | BPF_IMM, 0);

	if (n + SECCOMP_BPF_GUARD > SECCOMP_BPF_MAX)
		return -1;
	*out = malloc((n + SECCOMP_BPF_GUARD) * sizeof(**out));
	if (!*out)
		return -1;
	memcpy(*out, seccomp_bpf_prologue, sizeof(seccomp_bpf_prologue));
	(*out)[SECCOMP_BPF_PROLOGUE] = zero;
	memcpy(*out + SECCOMP_BPF_GUARD, f, n * sizeof(*f));
	*outn = n + SECCOMP_BPF_GUARD;
	return 0;
}

size_t seccomp_bpf_to_log(struct sock_filter *f, size_t n)
{
	size_t changed = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t act = f[i].k & SECCOMP_RET_ACTION_FULL;

		if (f[i].code != (BPF_RET | BPF_K))
			continue;
		if (act == SECCOMP_RET_ERRNO || act == SECCOMP_RET_TRAP ||
		    act == SECCOMP_RET_TRACE) {
			f[i].k = SECCOMP_RET_LOG;
			changed++;
		}
	}
	return changed;
}
