// SPDX-License-Identifier: MIT
/*
 * The strict JSON reader of json_read.h: recursive descent over the whole
 * text (its depth bounded by JR_MAX_DEPTH, so the C stack is too), one
 * malloc'd node per value. Whatever is not RFC 8259 is refused with the
 * byte offset where it starts; nothing is guessed or repaired, because a
 * config that two readers would understand differently is a hole.
 */
#include "lib/json_read.h"
#include "lib/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rd {
	const char *s;
	size_t len, pos;
	int depth;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4))) static int rd_fail(struct rd *r,
							 size_t off,
							 const char *fmt, ...)
{
	char why[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "byte %zu: %s", off, why);
	return -1;
}

static int peek(struct rd *r)
{
	while (r->pos < r->len && strchr(" \t\n\r", r->s[r->pos]) &&
	       r->s[r->pos])
		r->pos++;
	return r->pos < r->len ? (unsigned char)r->s[r->pos] : -1;
}

static int expect(struct rd *r, char c)
{
	if (peek(r) != c)
		return rd_fail(r, r->pos, "expected '%c'", c);
	r->pos++;
	return 0;
}

static int hex4(const char *s, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned c = (unsigned char)s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80)
		return o[0] = (char)cp, 1;
	if (cp < 0x800)
		return o[0] = (char)(0xc0 | cp >> 6),
		       o[1] = (char)(0x80 | (cp & 0x3f)), 2;
	if (cp < 0x10000)
		return o[0] = (char)(0xe0 | cp >> 12),
		       o[1] = (char)(0x80 | (cp >> 6 & 0x3f)),
		       o[2] = (char)(0x80 | (cp & 0x3f)), 3;
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* \uXXXX at s[pos] (after the backslash and 'u'), a surrogate pair whole. */
static int unicode(struct rd *r, char *o, size_t *n)
{
	size_t at = r->pos - 2;
	unsigned cp, lo;

	if (r->len - r->pos < 4 || hex4(r->s + r->pos, &cp) < 0)
		return rd_fail(r, at, "bad \\u escape");
	r->pos += 4;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return rd_fail(r, at, "lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (r->len - r->pos < 6 || r->s[r->pos] != '\\' ||
		    r->s[r->pos + 1] != 'u' ||
		    hex4(r->s + r->pos + 2, &lo) < 0 || lo < 0xdc00 ||
		    lo > 0xdfff)
			return rd_fail(r, at, "lone high surrogate");
		r->pos += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	*n += put_utf8(o + *n, cp);
	return 0;
}

static int escape(struct rd *r, char *o, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	char c;

	if (r->pos >= r->len)
		return rd_fail(r, r->pos, "unterminated string");
	c = r->s[r->pos++];
	if (c == 'u')
		return unicode(r, o, n);
	if (!c || !(e = strchr(from, c)))
		return rd_fail(r, r->pos - 2, "bad escape");
	o[(*n)++] = to[e - from];
	return 0;
}

/* A string at s[pos] == '"' into a malloc'd, NUL-terminated copy. The
 * decoded text is never longer than the quoted one. */
static int string(struct rd *r, char **out, size_t *outlen)
{
	size_t start = r->pos++, n = 0, k;
	char *o = malloc(r->len - start);

	if (!o)
		return rd_fail(r, start, "out of memory");
	while (r->pos < r->len && r->s[r->pos] != '"') {
		unsigned char c = (unsigned char)r->s[r->pos];

		if (c < 0x20) {
			free(o);
			return rd_fail(r, r->pos, "control byte in a string");
		}
		if (c == '\\') {
			r->pos++;
			if (escape(r, o, &n) < 0)
				return free(o), -1;
			continue;
		}
		if (!(k = json_utf8_len(r->s + r->pos, r->len - r->pos))) {
			free(o);
			return rd_fail(r, r->pos, "invalid UTF-8");
		}
		memcpy(o + n, r->s + r->pos, k);
		n += k;
		r->pos += k;
	}
	if (r->pos >= r->len) {
		free(o);
		return rd_fail(r, start, "unterminated string");
	}
	r->pos++;
	o[n] = '\0';
	*out = o;
	*outlen = n;
	return 0;
}

static size_t digits(struct rd *r)
{
	size_t n = 0;

	while (r->pos < r->len && r->s[r->pos] >= '0' && r->s[r->pos] <= '9')
		r->pos++, n++;
	return n;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, kept as text. */
static int number(struct rd *r, struct jr *v)
{
	size_t start = r->pos;

	if (r->s[r->pos] == '-')
		r->pos++;
	if (r->pos < r->len && r->s[r->pos] == '0')
		r->pos++;
	else if (!digits(r))
		return rd_fail(r, start, "unexpected byte");
	if (r->pos < r->len && r->s[r->pos] == '.' && (r->pos++, !digits(r)))
		return rd_fail(r, start, "bad number");
	if (r->pos < r->len && (r->s[r->pos] | 0x20) == 'e') {
		r->pos++;
		if (r->pos < r->len && strchr("+-", r->s[r->pos]) &&
		    r->s[r->pos])
			r->pos++;
		if (!digits(r))
			return rd_fail(r, start, "bad number");
	}
	v->type = JR_NUM;
	v->len = r->pos - start;
	if (!(v->str = malloc(v->len + 1)))
		return rd_fail(r, start, "out of memory");
	memcpy(v->str, r->s + start, v->len);
	v->str[v->len] = '\0';
	return 0;
}

static int value(struct rd *r, struct jr *v);

/* The members of an object or the elements of an array, after the '{' or
 * '['; each member's key is checked against its elder siblings. */
static int items(struct rd *r, struct jr *v, char close)
{
	struct jr **tail = &v->kid;

	if (++r->depth > JR_MAX_DEPTH)
		return rd_fail(r, v->off, "nested deeper than %d",
			       JR_MAX_DEPTH);
	if (peek(r) == close)
		return r->pos++, r->depth--, 0;
	for (;;) {
		struct jr *k = calloc(1, sizeof(*k));
		size_t at, klen;

		if (!k)
			return rd_fail(r, r->pos, "out of memory");
		*tail = k;
		tail = &k->next;
		at = peek(r) < 0 ? r->len : r->pos;
		if (close == '}') {
			if (peek(r) != '"')
				return rd_fail(r, at, "expected a key");
			if (string(r, &k->key, &klen) < 0)
				return -1;
			if (strlen(k->key) != klen)
				return rd_fail(r, at, "NUL byte in a key");
			for (struct jr *o = v->kid; o != k; o = o->next)
				if (!strcmp(o->key, k->key))
					return rd_fail(r, at, "duplicate key");
			if (expect(r, ':') < 0)
				return -1;
		}
		if (value(r, k) < 0)
			return -1;
		if (peek(r) == close)
			return r->pos++, r->depth--, 0;
		if (expect(r, ',') < 0)
			return -1;
	}
}

static int value(struct rd *r, struct jr *v)
{
	static const char *const words[] = { "null", "false", "true" };
	int c = peek(r);

	v->off = r->pos;
	if (c < 0)
		return rd_fail(r, r->pos, "unexpected end");
	if (c == '"')
		return v->type = JR_STR, string(r, &v->str, &v->len);
	if (c == '{' || c == '[') {
		v->type = c == '{' ? JR_OBJ : JR_ARR;
		r->pos++;
		return items(r, v, c == '{' ? '}' : ']');
	}
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);

		if (r->len - r->pos >= n && !memcmp(r->s + r->pos, words[i], n))
			return v->type = (enum jr_type)i, r->pos += n, 0;
	}
	return number(r, v);
}

struct jr *jr_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct rd r = { text, len, 0, 0, err, errlen };
	struct jr *v = calloc(1, sizeof(*v));

	if (!v) {
		snprintf(err, errlen, "byte 0: out of memory");
		return NULL;
	}
	if (value(&r, v) < 0 ||
	    (peek(&r) >= 0 && rd_fail(&r, r.pos, "trailing bytes") < 0)) {
		jr_free(v);
		return NULL;
	}
	return v;
}

void jr_free(struct jr *v)
{
	while (v) {
		struct jr *next = v->next;

		jr_free(v->kid);
		free(v->key);
		free(v->str);
		free(v);
		v = next;
	}
}

struct jr *jr_get(const struct jr *v, const char *key)
{
	if (!v || v->type != JR_OBJ)
		return NULL;
	for (struct jr *k = v->kid; k; k = k->next)
		if (!strcmp(k->key, key))
			return k;
	return NULL;
}

int jr_int(const struct jr *v, int64_t min, int64_t max, int64_t *out)
{
	const char *p;
	int64_t x = 0;

	if (!v || v->type != JR_NUM)
		return -1;
	for (p = v->str + (v->str[0] == '-'); *p; p++) {
		if (*p < '0' || *p > '9' || x > (INT64_MAX - (*p - '0')) / 10)
			return -1;
		x = x * 10 + (*p - '0');
	}
	x = v->str[0] == '-' ? -x : x;
	if (x < min || x > max)
		return -1;
	*out = x;
	return 0;
}

const char *jr_cstr(const struct jr *v)
{
	if (!v || v->type != JR_STR || strlen(v->str) != v->len)
		return NULL;
	return v->str;
}
