/* SPDX-License-Identifier: MIT */
/* The sandbox's own network namespace. */
#ifndef NUCLEUS_NET_H
#define NUCLEUS_NET_H

/* Child, in its new network namespace: loopback up. */
void net_lo_up(void);

#endif
