// SPDX-License-Identifier: MIT
/*
 * The sandbox's network namespace: empty but for a loopback that is up, so
 * 127.0.0.1 and ::1 work inside (a namespace starts with lo down, which the
 * Rust tool left that way) while nothing routes out.
 */
#include "net.h"
#include "util.h"

#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

void net_lo_up(void)
{
	struct ifreq ifr;
	cleanup_fd int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	die_step = "net";
	if (s < 0)
		die_errno("socket");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		die_errno("get lo flags");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		die_errno("bring lo up");
}
