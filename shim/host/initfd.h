/* SPDX-License-Identifier: MIT */
/* Copies nucleus-init into a sealed, close-on-exec memfd. */
#ifndef NUCLEUS_INITFD_H
#define NUCLEUS_INITFD_H

/* path NULL: nucleus-init beside /proc/self/exe. Dies on failure. */
int initfd_open(const char *path);

#endif
