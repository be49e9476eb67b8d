/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4), for the report's fingerprint of the loaded seccomp
 * program: one hash that says which filter ran, whether it came from a
 * built-in profile, a custom file or a precompiled BPF.
 */
#ifndef NUCLEUS_SHA256_H
#define NUCLEUS_SHA256_H

#include <stddef.h>

/* Writes 64 lowercase hex digits and a NUL into hex. */
void sha256_hex(const void *data, size_t len, char hex[65]);

#endif
