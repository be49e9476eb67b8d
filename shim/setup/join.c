// SPDX-License-Identifier: MIT
/*
 * --join-ns NS PATH: the sandbox enters a network, ipc or uts namespace that
 * an engine made (a Kubernetes pod's, held by its pause container; podman's
 * network) instead of a new one. The path is opened by the monitor, and
 * must be a namespace of that very type (NS_GET_NSTYPE), so a regular file,
 * or another type's namespace, is refused before anything exists; the child
 * enters it before it sets the host name or the network up. A pid
 * namespace is entered by the monitor around clone (join_pid), since
 * only a process's children land in the one it enters: the sandbox's init
 * is then not PID 1 there but a subreaper (a pod's shared process
 * namespace, whose PID 1 is the pause container).
 */
#include "setup/join.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE _IO(0xb7, 0x3)
#endif

static const int join_types[JOIN_NS_N] = { CLONE_NEWNET, CLONE_NEWIPC,
					   CLONE_NEWUTS, CLONE_NEWPID };

void join_prepare(const struct config *cfg, struct prepared *prep)
{
	for (int k = 0; k < JOIN_NS_N; k++) {
		const char *path = cfg->join_ns[k];
		int fd;

		prep->join_fd[k] = -1;
		if (!path)
			continue;
		die_step = "join-ns";
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die_errno("--join-ns %s '%s'", join_ns_names[k], path);
		if (ioctl(fd, NS_GET_NSTYPE) != join_types[k])
			die("--join-ns %s: '%s' is not a %s namespace",
			    join_ns_names[k], path, join_ns_names[k]);
		prep->join_fd[k] = fd;
	}
}

int join_pid(const struct prepared *prep, int back)
{
	int self = -1;

	if (prep->join_fd[JOIN_PID] < 0)
		return -1;
	die_step = "join-ns";
	if (back < 0 &&
	    ((self = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC)) < 0 ||
	     setns(prep->join_fd[JOIN_PID], CLONE_NEWPID) < 0))
		die_errno("enter the pid namespace");
	if (back >= 0 && (setns(back, CLONE_NEWPID) < 0 || close(back) < 0))
		die_errno("leave the pid namespace");
	return self;
}

void join_enter(const struct prepared *prep)
{
	for (int k = 0; k < JOIN_PID; k++)
		if (prep->join_fd[k] >= 0 &&
		    setns(prep->join_fd[k], join_types[k]) < 0) {
			die_step = "join-ns";
			die_errno("enter the %s namespace", join_ns_names[k]);
		}
}
