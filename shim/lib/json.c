// SPDX-License-Identifier: MIT
/*
 * The JSON writer every record, report and config.json goes through (see
 * json.h). Text is appended to one growing buffer; a failed allocation
 * only sets `oom`, so a caller checks once at the end. The escape is
 * strict: quotes, backslashes and controls (DEL too) escaped, valid UTF-8
 * kept, anything else replaced by U+FFFD.
 */
#include "lib/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void json_put(struct json *j, const char *s, size_t n)
{
	if (j->oom)
		return;
	if (j->len + n + 2 > j->cap) {
		size_t cap = (j->cap ? j->cap * 2 : 512) + n;
		char *b = realloc(j->buf, cap);

		if (!b) {
			j->oom = 1;
			return;
		}
		j->buf = b;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

size_t json_utf8_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = s[0], len, cp, min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		len = 3, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (unsigned i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are not text. */
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void json_quote(struct json *j, const char *s, size_t n)
{
	json_put(j, "\"", 1);
	for (size_t i = 0, k; i < n && s[i]; i += k) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];

		k = 1;
		if (c == '"' || c == '\\') {
			esc[0] = '\\', esc[1] = (char)c;
			json_put(j, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			json_put(j, esc, 6);
		} else if ((k = json_utf8_len(s + i, n - i))) {
			json_put(j, s + i, k);
		} else {
			json_put(j, "\\ufffd", 6);
			k = 1;
		}
	}
	json_put(j, "\"", 1);
}

void json_key(struct json *j, const char *key)
{
	if (!j->first)
		json_put(j, ", ", j->spaced ? 2 : 1);
	j->first = 0;
	if (!key)
		return;
	json_quote(j, key, strlen(key));
	json_put(j, ": ", j->spaced ? 2 : 1);
}

void json_init(struct json *j, int spaced)
{
	*j = (struct json){ .first = 1, .spaced = spaced };
}

void json_start(struct json *j)
{
	json_init(j, 0);
	json_put(j, "{", 1);
}

void json_raw(struct json *j, const char *key, const char *val)
{
	json_key(j, key);
	json_put(j, val, strlen(val));
}

void json_strn(struct json *j, const char *key, const char *s, size_t n)
{
	json_key(j, key);
	json_quote(j, s, n);
}

void json_str(struct json *j, const char *key, const char *val)
{
	if (!val)
		json_raw(j, key, "null");
	else
		json_strn(j, key, val, strlen(val));
}

void json_int(struct json *j, const char *key, long long v)
{
	char b[24];

	snprintf(b, sizeof(b), "%lld", v);
	json_raw(j, key, b);
}

void json_uint(struct json *j, const char *key, uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	json_raw(j, key, b);
}

void json_bool(struct json *j, const char *key, int v)
{
	json_raw(j, key, v ? "true" : "false");
}

void json_begin(struct json *j, const char *key)
{
	json_raw(j, key, "{");
	j->first = 1;
}

void json_close(struct json *j)
{
	json_put(j, "}", 1);
	j->first = 0;
}

void json_list(struct json *j, const char *key)
{
	json_raw(j, key, "[");
	j->first = 1;
}

void json_list_end(struct json *j)
{
	json_put(j, "]", 1);
	j->first = 0;
}

void json_strv(struct json *j, const char *key, char *const *v, int n)
{
	json_list(j, key);
	for (int i = 0; i < n; i++)
		json_str(j, NULL, v[i]);
	json_list_end(j);
}

const char *json_end(struct json *j)
{
	json_put(j, "}\n", 2);
	return j->oom ? NULL : j->buf;
}

void json_free(struct json *j)
{
	free(j->buf);
	*j = (struct json){ 0 };
}
