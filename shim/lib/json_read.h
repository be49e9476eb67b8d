/* SPDX-License-Identifier: MIT */
/*
 * The one JSON reader (the writer is json.h): a strict RFC 8259 parser of a
 * whole text into a small tree, for config.json. A tree rather than a
 * stream because an OCI spec is read in the order of the argv it becomes,
 * not in its own, and because a duplicate key is only seen beside its
 * siblings. Strict: strings are UTF-8 with every escape decoded (\uXXXX
 * and surrogate pairs), numbers follow the grammar, nesting is limited,
 * duplicate keys and trailing bytes are refused; errors name the offset.
 */
#ifndef NUCLEUS_JSON_READ_H
#define NUCLEUS_JSON_READ_H

#include <stddef.h>
#include <stdint.h>

#define JR_MAX_DEPTH 32

enum jr_type {
	JR_NULL,
	JR_FALSE,
	JR_TRUE,
	JR_NUM,
	JR_STR,
	JR_ARR,
	JR_OBJ
};

struct jr {
	enum jr_type type;
	char *key;  /* a member's decoded name, else NULL */
	char *str;  /* JR_STR: decoded, NUL added; JR_NUM: the number's text */
	size_t len; /* bytes of str (a string may hold a NUL: \u0000) */
	size_t off; /* byte offset of the value in the text */
	struct jr *kid, *next; /* first member or element; next sibling */
};

/* The tree of text (len bytes), or NULL with "byte N: why" in err. */
struct jr *jr_parse(const char *text, size_t len, char *err, size_t errlen);
void jr_free(struct jr *v);

/* Member key of object v; NULL when v is not an object or lacks it. */
struct jr *jr_get(const struct jr *v, const char *key);
/* An integer number within [min, max]: 0, else -1. */
int jr_int(const struct jr *v, int64_t min, int64_t max, int64_t *out);
/* A string without NUL bytes (what a C string can carry): its text. */
const char *jr_cstr(const struct jr *v);

#endif
