// SPDX-License-Identifier: MIT
/*
 * nucleus-init travels into the sandbox as a sealed memfd, copied before any
 * namespace work: the sandbox needs no init file of its own (FROM scratch
 * images), and the workload can never reach the host binary through
 * /proc/1/exe to overwrite it (the runc CVE-2019-5736 lesson).
 */
#include "host/initfd.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#define INIT_MAX_SIZE (16 << 20)

static int initfd_memfd(void)
{
	/* MFD_EXEC: kernels with vm.memfd_noexec would otherwise refuse exec. */
	int fd = memfd_create("nucleus-init",
			      MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("nucleus-init",
				  MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		die_errno("memfd_create");
	return fd;
}

static void initfd_check_elf(int src, const char *path)
{
	unsigned char magic[4];

	if (pread(src, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic) ||
	    memcmp(magic, "\177ELF", 4) != 0)
		die("'%s' is not an ELF executable", path);
}

int initfd_open(const char *path)
{
	char self[PATH_MAX];
	cleanup_fd int src = -1;
	int mfd;
	struct stat st;
	off_t off = 0;

	die_step = "init";
	if (!path) {
		self_sibling("nucleus-init", self, sizeof(self));
		path = self;
	}
	src = host_input_open(AT_FDCWD, path, 0, "--init", INIT_MAX_SIZE, &st);
	if (st.st_size <= 0)
		die("--init '%s': an empty file", path);
	initfd_check_elf(src, path);
	mfd = initfd_memfd();
	while (off < st.st_size) {
		ssize_t n =
			sendfile(mfd, src, NULL, (size_t)(st.st_size - off));

		if (n <= 0)
			die_errno("copy '%s' into memfd", path);
		off += n;
	}
	/* Execute-only: exec needs no read right, and a binary its process
	 * may not read leaves it non-dumpable after exec, so the workload
	 * can neither ptrace init nor open /proc/1/exe (CVE-2019-5736). */
	if (fchmod(mfd, 0111) < 0)
		die_errno("fchmod memfd");
	/* F_SEAL_EXEC is newer; seal what this kernel knows. */
	if (fcntl(mfd, F_ADD_SEALS,
		  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_EXEC |
			  F_SEAL_SEAL) < 0 &&
	    fcntl(mfd, F_ADD_SEALS,
		  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
		die_errno("seal memfd");
	return mfd;
}
