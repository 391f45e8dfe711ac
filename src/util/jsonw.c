/* SPDX-License-Identifier: MIT */
/*
 * jsonw.c — compact JSON writer with serde_json's escaping (see jsonw.h).
 * The bytes produced here are signed (record signables), so every detail of
 * the escaping matters: it must equal serde_json::to_string() byte for byte.
 */
#include <string.h>

#include "jsonw.h"

/*
 * Length of the UTF-8 sequence starting at the reader's cursor, or 0 when
 * it is not a valid RFC 3629 sequence. Consumes it on success.
 */
static size_t
utf8_seq(struct buf_rd *rd)
{
	uint8_t c, c1, c2, c3;
	struct buf_rd save = *rd;

	if (buf_get_u8(rd, &c) != 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		if (buf_get_u8(rd, &c1) != 0 || (c1 & 0xc0) != 0x80)
			goto bad;
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (buf_get_u8(rd, &c1) != 0 || (c1 & 0xc0) != 0x80 ||
		    buf_get_u8(rd, &c2) != 0 || (c2 & 0xc0) != 0x80)
			goto bad;
		if (c == 0xe0 && c1 < 0xa0)      /* overlong */
			goto bad;
		if (c == 0xed && c1 >= 0xa0)     /* UTF-16 surrogate */
			goto bad;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (buf_get_u8(rd, &c1) != 0 || (c1 & 0xc0) != 0x80 ||
		    buf_get_u8(rd, &c2) != 0 || (c2 & 0xc0) != 0x80 ||
		    buf_get_u8(rd, &c3) != 0 || (c3 & 0xc0) != 0x80)
			goto bad;
		if (c == 0xf0 && c1 < 0x90)      /* overlong */
			goto bad;
		if (c == 0xf4 && c1 >= 0x90)     /* beyond U+10FFFF */
			goto bad;
		return 4;
	}
 bad:
	*rd = save;
	return 0;
}

int
jsonw_utf8_valid(const uint8_t *s, size_t n)
{
	struct buf_rd rd;

	buf_rd_init(&rd, s, n);
	while (buf_remaining(&rd) > 0) {
		if (utf8_seq(&rd) == 0)
			return 0;
	}
	return 1;
}

int
jsonw_put_string(struct buf_wr *wr, const char *s, size_t n)
{
	static const char hexd[] = "0123456789abcdef";
	size_t start = buf_wr_len(wr), i;
	const uint8_t *p = (const uint8_t *)s;
	char esc[6];
	int r;

	if (n > 0 && s == NULL)
		return CCL_ERR_INVALID_ARG;
	if (!jsonw_utf8_valid(p, n))
		return CCL_ERR_INVALID_ARG;
	if ((r = buf_put_u8(wr, '"')) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		uint8_t c = p[i];
		const char *e = NULL;

		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\t': e = "\\t"; break;
		case '\n': e = "\\n"; break;
		case '\f': e = "\\f"; break;
		case '\r': e = "\\r"; break;
		default:
			break;
		}
		if (e != NULL)
			r = buf_put(wr, e, 2);
		else if (c < 0x20) {
			/* serde_json: \u00 followed by two lowercase hex digits. */
			memcpy(esc, "\\u00", 4);
			esc[4] = hexd[c >> 4];
			esc[5] = hexd[c & 0xf];
			r = buf_put(wr, esc, 6);
		} else
			r = buf_put_u8(wr, c);
		if (r != 0)
			goto out;
	}
	r = buf_put_u8(wr, '"');
 out:
	if (r != 0 && buf_truncate(wr, start) != 0)
		r = CCL_ERR_INTERNAL;
	return r;
}

void
jsonw_init(struct jsonw *j, struct buf_wr *wr)
{
	memset(j, 0, sizeof(*j));
	j->wr = wr;
}

/* Separator before a value (or a key) at the current level. */
static int
before_item(struct jsonw *j, int is_key)
{
	uint32_t bit = 1u << j->depth;
	int r;

	if (j->err != 0)
		return j->err;
	if (j->depth > 0 && (j->is_object & bit) != 0) {
		/* In an object: keys and values alternate. */
		if (is_key == j->after_key)
			return CCL_ERR_INTERNAL;
		if (!is_key) {
			j->after_key = 0;
			return 0;
		}
	} else if (is_key)
		return CCL_ERR_INTERNAL;
	else if (j->depth == 0 && (j->has_items & bit) != 0)
		return CCL_ERR_INTERNAL;   /* a second top-level value */
	if ((j->has_items & bit) != 0 && j->depth > 0 &&
	    (r = buf_put_u8(j->wr, ',')) != 0)
		return r;
	j->has_items |= bit;
	return 0;
}

static int
fail(struct jsonw *j, int r)
{
	if (j->err == 0)
		j->err = r;
	return j->err;
}

static int
begin(struct jsonw *j, uint8_t open, int obj)
{
	int r;

	if ((r = before_item(j, 0)) != 0)
		return fail(j, r);
	if (j->depth + 1 >= JSONW_MAX_DEPTH)
		return fail(j, CCL_ERR_DEPTH);
	if ((r = buf_put_u8(j->wr, open)) != 0)
		return fail(j, r);
	j->depth++;
	j->has_items &= ~(1u << j->depth);
	if (obj)
		j->is_object |= 1u << j->depth;
	else
		j->is_object &= ~(1u << j->depth);
	return 0;
}

static int
end(struct jsonw *j, uint8_t close, int obj)
{
	uint32_t bit = 1u << j->depth;
	int r;

	if (j->err != 0)
		return j->err;
	if (j->depth == 0 || ((j->is_object & bit) != 0) != obj || j->after_key)
		return fail(j, CCL_ERR_INTERNAL);
	if ((r = buf_put_u8(j->wr, close)) != 0)
		return fail(j, r);
	j->depth--;
	return 0;
}

int
jsonw_begin_object(struct jsonw *j)
{
	return begin(j, '{', 1);
}

int
jsonw_end_object(struct jsonw *j)
{
	return end(j, '}', 1);
}

int
jsonw_begin_array(struct jsonw *j)
{
	return begin(j, '[', 0);
}

int
jsonw_end_array(struct jsonw *j)
{
	return end(j, ']', 0);
}

int
jsonw_key(struct jsonw *j, const char *key)
{
	int r;

	if (key == NULL)
		return fail(j, CCL_ERR_INVALID_ARG);
	if ((r = before_item(j, 1)) != 0 ||
	    (r = jsonw_put_string(j->wr, key, strlen(key))) != 0 ||
	    (r = buf_put_u8(j->wr, ':')) != 0)
		return fail(j, r);
	j->after_key = 1;
	return 0;
}

int
jsonw_strn(struct jsonw *j, const char *s, size_t n)
{
	int r;

	if ((r = before_item(j, 0)) != 0 ||
	    (r = jsonw_put_string(j->wr, s, n)) != 0)
		return fail(j, r);
	return 0;
}

int
jsonw_str(struct jsonw *j, const char *s)
{
	if (s == NULL)
		return fail(j, CCL_ERR_INVALID_ARG);
	return jsonw_strn(j, s, strlen(s));
}

int
jsonw_u64(struct jsonw *j, uint64_t v)
{
	int r;

	if ((r = before_item(j, 0)) != 0 || (r = buf_put_u64dec(j->wr, v)) != 0)
		return fail(j, r);
	return 0;
}

int
jsonw_i64(struct jsonw *j, int64_t v)
{
	int r;

	if ((r = before_item(j, 0)) != 0 || (r = buf_put_i64dec(j->wr, v)) != 0)
		return fail(j, r);
	return 0;
}

int
jsonw_bool(struct jsonw *j, int v)
{
	int r;

	if ((r = before_item(j, 0)) != 0 ||
	    (r = buf_put_cstr(j->wr, v ? "true" : "false")) != 0)
		return fail(j, r);
	return 0;
}

int
jsonw_null(struct jsonw *j)
{
	int r;

	if ((r = before_item(j, 0)) != 0 || (r = buf_put_cstr(j->wr, "null")) != 0)
		return fail(j, r);
	return 0;
}

int
jsonw_finish(const struct jsonw *j)
{
	if (j->err != 0)
		return j->err;
	if (j->depth != 0 || j->after_key || (j->has_items & 1u) == 0)
		return CCL_ERR_INTERNAL;
	return 0;
}
