// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the checked number parsers every limit flag goes
 * through (parse_u64, parse_size, parse_duration_ms in shim/cli/args.c): each
 * input, as a string, is judged by all three and by a plain reference of
 * the grammar each one documents (digits only, whole string, no overflow;
 * one binary suffix K/M/G/T up to 2^62 bytes; seconds with at most three
 * decimals up to a year). A parser that accepts what the grammar refuses,
 * refuses what it accepts, or returns another value aborts: a limit
 * silently parsed as something else is a limit not enforced.
 */
#include "cli/config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECONDS (366ull * 24 * 3600)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Digits only, at least one, value fits in 64 bits. */
static int ref_u64(const char *s, size_t n, uint64_t *v)
{
	*v = 0;
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    __builtin_mul_overflow(*v, 10, v) ||
		    __builtin_add_overflow(*v, (uint64_t)(s[i] - '0'), v))
			return -1;
	}
	return 0;
}

static int ref_size(const char *s, size_t n, uint64_t *bytes)
{
	const char *suffix = "KMGTkmgt", *p;
	unsigned shift = 0;
	uint64_t v;

	if (n == 0 || n >= 32)
		return -1;
	if ((p = strchr(suffix, s[n - 1])) && s[n - 1]) {
		shift = 10 * (unsigned)((p - suffix) % 4 + 1);
		n--;
	}
	if (ref_u64(s, n, &v) < 0 || v > ((1ull << 62) >> shift))
		return -1;
	*bytes = v << shift;
	return 0;
}

static int ref_duration(const char *s, size_t n, uint64_t *ms)
{
	const char *dot = memchr(s, '.', n);
	size_t w = dot ? (size_t)(dot - s) : n, f = dot ? n - w - 1 : 0;
	uint64_t sec, frac = 0;

	if (w == 0 || w >= 32 || ref_u64(s, w, &sec) < 0 || sec > MAX_SECONDS)
		return -1;
	if (dot && (f == 0 || f > 3 || ref_u64(dot + 1, f, &frac) < 0))
		return -1;
	for (; dot && f < 3; f++)
		frac *= 10;
	*ms = sec * 1000 + frac;
	return 0;
}

/* Both accept with the same value, or both refuse. */
static void same(int r, uint64_t got, int ref, uint64_t want)
{
	if ((r == 0) != (ref == 0) || (r == 0 && got != want))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	uint64_t got, want;
	size_t n;
	int r;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	n = strlen(s); /* the parsers see a C string: up to the first NUL */
	r = parse_u64(s, 0, UINT64_MAX, &got);
	same(r, got, ref_u64(s, n, &want), want);
	r = parse_u64(s, 7, 1000, &got);
	same(r, got,
	     ref_u64(s, n, &want) == 0 && want >= 7 && want <= 1000 ? 0 : -1,
	     want);
	r = parse_size(s, &got);
	same(r, got, ref_size(s, n, &want), want);
	r = parse_duration_ms(s, &got);
	same(r, got, ref_duration(s, n, &want), want);
	free(s);
	return 0;
}
