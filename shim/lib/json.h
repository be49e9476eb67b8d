/* SPDX-License-Identifier: MIT */
/*
 * The one JSON writer: --report, --audit, --stats and gVisor's config.json.
 * A growing buffer whose members and elements get their commas by
 * themselves; on allocation failure `oom` is set and the caller drops the
 * text rather than write it half. Strings are escaped here and nowhere
 * else, and invalid UTF-8 becomes U+FFFD, so the text is JSON whatever the
 * argv held. Two spellings of the same grammar: compact (audit, stats,
 * config.json) and `spaced`, ", " and ": " (the report, read by people).
 *
 *   struct json j;
 *   json_start(&j);                        // "{"
 *   json_str(&j, "name", name);            // a NULL key: an array element
 *   json_list(&j, "ports"); ... json_list_end(&j);
 *   if (json_end(&j)) write(fd, j.buf, j.len);   // "}\n"
 *   json_free(&j);
 */
#ifndef NUCLEUS_JSON_H
#define NUCLEUS_JSON_H

#include <stddef.h>
#include <stdint.h>

struct json {
	char *buf;
	size_t len, cap;
	int first; /* no member or element yet at this level: no comma */
	int oom;
	int spaced; /* ", " and ": " between members */
};

/* Members without the braces (a fragment another text splices in). */
void json_init(struct json *j, int spaced);
void json_start(struct json *j); /* json_init(j, 0), "{" */
/* Closes the object and appends "\n"; the text is j->buf, j->len bytes, or
 * NULL after an allocation failure. Free with json_free. */
const char *json_end(struct json *j);
void json_free(struct json *j);

/* Raw text, as is. */
void json_put(struct json *j, const char *s, size_t n);
/* The comma before a member or element, and with a key its "key": . */
void json_key(struct json *j, const char *key);

/* Values: a NULL key makes an array element. */
void json_str(struct json *j, const char *key,
	      const char *val); /* NULL: null */
void json_strn(struct json *j, const char *key, const char *s, size_t n);
void json_int(struct json *j, const char *key, long long v);
void json_uint(struct json *j, const char *key, uint64_t v);
void json_bool(struct json *j, const char *key, int v);
/* val is already JSON (a number, null, an object). */
void json_raw(struct json *j, const char *key, const char *val);
void json_strv(struct json *j, const char *key, char *const *v, int n);

/* A nested object, json_begin ... json_close; an array, json_list ...
 * json_list_end. */
void json_begin(struct json *j, const char *key);
void json_close(struct json *j);
void json_list(struct json *j, const char *key);
void json_list_end(struct json *j);

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none:
 * gVisor's config.json refuses what the writer would replace. */
size_t json_utf8_len(const char *s, size_t n);

#endif
