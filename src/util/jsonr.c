/* SPDX-License-Identifier: MIT */
/*
 * jsonr.c — strict JSON reader with serde_json's acceptance rules (see
 * jsonr.h). Every byte of input is read through struct buf_rd.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonr.h"
#include "jsonw.h"

/* Consume the next byte when it is one of set; 1 when it did. */
static int
take(struct buf_rd *rd, const char *set)
{
	uint8_t c;

	if (buf_peek_u8(rd, &c) != 0 || c == '\0' || strchr(set, c) == NULL)
		return 0;
	return buf_get_u8(rd, &c) == 0;
}

#define DIGITS "0123456789"

/* serde_json's whitespace: space, tab, LF, CR (no VT, FF, BOM). */
static void
skip_ws(struct buf_rd *rd)
{
	while (take(rd, " \t\n\r"))
		;
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits after "\u". */
static int
get_hex4(struct buf_rd *rd, uint32_t *v)
{
	uint8_t c;
	int i, h, r;

	*v = 0;
	for (i = 0; i < 4; i++) {
		if ((r = buf_get_u8(rd, &c)) != 0)
			return r;
		if ((h = hexval(c)) < 0)
			return CCL_ERR_FORMAT;
		*v = (*v << 4) | (uint32_t)h;
	}
	return 0;
}

static int
put_utf8(struct buf_wr *out, uint32_t cp)
{
	uint8_t b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xc0 | (cp >> 6));
		b[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xe0 | (cp >> 12));
		b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | (cp >> 18));
		b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_put(out, b, n);
}

/*
 * A string token at the cursor (opening quote included). Decoded bytes are
 * appended to out when it is not NULL. The input is known to be valid UTF-8,
 * so bytes >= 0x80 are copied as they are.
 */
static int
scan_string(struct buf_rd *rd, struct buf_wr *out)
{
	uint8_t c;
	uint32_t cp, lo;
	int r;

	if ((r = buf_expect(rd, "\"", 1)) != 0)
		return r;
	for (;;) {
		if ((r = buf_get_u8(rd, &c)) != 0)
			return r;
		if (c == '"')
			return 0;
		if (c < 0x20)
			return CCL_ERR_FORMAT;   /* raw control character */
		if (c != '\\') {
			if (out != NULL && (r = buf_put_u8(out, c)) != 0)
				return r;
			continue;
		}
		if ((r = buf_get_u8(rd, &c)) != 0)
			return r;
		switch (c) {
		case '"': case '\\': case '/':
			break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			if ((r = get_hex4(rd, &cp)) != 0)
				return r;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return CCL_ERR_FORMAT;   /* lone trailing surrogate */
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if ((r = buf_expect(rd, "\\u", 2)) != 0 ||
				    (r = get_hex4(rd, &lo)) != 0)
					return r == CCL_ERR_TRUNCATED ? r : CCL_ERR_FORMAT;
				if (lo < 0xdc00 || lo > 0xdfff)
					return CCL_ERR_FORMAT;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (out != NULL && (r = put_utf8(out, cp)) != 0)
				return r;
			continue;
		default:
			return CCL_ERR_FORMAT;
		}
		if (out != NULL && (r = buf_put_u8(out, c)) != 0)
			return r;
	}
}

static int
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* One or more digits. */
static int
scan_digits(struct buf_rd *rd)
{
	uint8_t c;
	int r;

	if ((r = buf_get_u8(rd, &c)) != 0)
		return r;
	if (!is_digit(c))
		return CCL_ERR_FORMAT;
	while (take(rd, DIGITS))
		;
	return 0;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
scan_number(struct buf_rd *rd)
{
	uint8_t c;
	int r;

	(void)take(rd, "-");
	if ((r = buf_peek_u8(rd, &c)) != 0)
		return r;
	if (!take(rd, "0") && (r = scan_digits(rd)) != 0)
		return r;
	if (take(rd, ".") && (r = scan_digits(rd)) != 0)
		return r;
	if (take(rd, "eE")) {
		(void)take(rd, "+-");
		if ((r = scan_digits(rd)) != 0)
			return r;
	}
	/* A digit right after "0" ("01") is not a number serde_json reads. */
	if (buf_peek_u8(rd, &c) == 0 && is_digit(c))
		return CCL_ERR_FORMAT;
	return 0;
}

static int scan_value(struct buf_rd *rd, unsigned depth, enum jsonr_type *type);

/*
 * An object or array at the cursor. For the top-level object (members !=
 * NULL) every member is recorded.
 */
static int
scan_container(struct buf_rd *rd, unsigned depth, int obj,
    struct jsonr_member *members, size_t max, size_t *n)
{
	struct buf_rd save;
	enum jsonr_type t;
	uint8_t c;
	size_t off;
	int r;

	if (depth >= JSONR_MAX_DEPTH)
		return CCL_ERR_DEPTH;
	if ((r = buf_expect(rd, obj ? "{" : "[", 1)) != 0)
		return r;
	skip_ws(rd);
	if ((r = buf_peek_u8(rd, &c)) != 0)
		return r;
	if (take(rd, obj ? "}" : "]"))
		return 0;
	for (;;) {
		struct jsonr_member m;

		memset(&m, 0, sizeof(m));
		skip_ws(rd);
		if (obj) {
			save = *rd;
			off = buf_offset(rd);
			if ((r = scan_string(rd, NULL)) != 0)
				return r;
			m.key_len = buf_offset(rd) - off;
			if ((r = buf_get_bytes(&save, m.key_len, &m.key)) != 0)
				return r;
			skip_ws(rd);
			if ((r = buf_expect(rd, ":", 1)) != 0)
				return r;
			skip_ws(rd);
		}
		save = *rd;
		off = buf_offset(rd);
		if ((r = scan_value(rd, depth + 1, &t)) != 0)
			return r;
		if (members != NULL) {
			m.type = t;
			m.val_len = buf_offset(rd) - off;
			if ((r = buf_get_bytes(&save, m.val_len, &m.val)) != 0)
				return r;
			if (*n >= max)
				return CCL_ERR_INTERNAL;
			members[(*n)++] = m;
		}
		skip_ws(rd);
		if ((r = buf_get_u8(rd, &c)) != 0)
			return r;
		if (c == (obj ? '}' : ']'))
			return 0;
		if (c != ',')
			return CCL_ERR_FORMAT;
	}
}

static int
scan_value(struct buf_rd *rd, unsigned depth, enum jsonr_type *type)
{
	uint8_t c;
	int r;

	if ((r = buf_peek_u8(rd, &c)) != 0)
		return r;
	switch (c) {
	case '{':
		*type = JSONR_OBJECT;
		return scan_container(rd, depth, 1, NULL, 0, NULL);
	case '[':
		*type = JSONR_ARRAY;
		return scan_container(rd, depth, 0, NULL, 0, NULL);
	case '"':
		*type = JSONR_STRING;
		return scan_string(rd, NULL);
	case 't':
		*type = JSONR_TRUE;
		return buf_expect(rd, "true", 4);
	case 'f':
		*type = JSONR_FALSE;
		return buf_expect(rd, "false", 5);
	case 'n':
		*type = JSONR_NULL;
		return buf_expect(rd, "null", 4);
	default:
		if (c == '-' || is_digit(c)) {
			*type = JSONR_NUMBER;
			return scan_number(rd);
		}
		return CCL_ERR_FORMAT;
	}
}

int
jsonr_object(const uint8_t *s, size_t len, struct jsonr_member **members, size_t *n)
{
	struct jsonr_member *m = NULL;
	struct buf_rd rd;
	size_t max, cnt = 0;
	uint8_t c;
	int r;

	*members = NULL;
	*n = 0;
	if (len > 0 && s == NULL)
		return CCL_ERR_INVALID_ARG;
	if (!jsonw_utf8_valid(s, len))
		return CCL_ERR_FORMAT;
	/* Each member takes at least 5 bytes ("":0,), so this bounds the count. */
	max = len / 5 + 1;
	if ((m = calloc(max, sizeof(*m))) == NULL)
		return CCL_ERR_NOMEM;
	buf_rd_init(&rd, s, len);
	skip_ws(&rd);
	if ((r = buf_peek_u8(&rd, &c)) != 0)
		goto out;
	if (c != '{') {
		r = CCL_ERR_FORMAT;
		goto out;
	}
	if ((r = scan_container(&rd, 0, 1, m, max, &cnt)) != 0)
		goto out;
	skip_ws(&rd);
	if ((r = buf_done(&rd)) != 0)
		goto out;
	if (cnt > 0) {
		*members = m;
		m = NULL;
	}
	*n = cnt;
 out:
	free(m);
	return r;
}

/* Decode a string token into wr. */
static int
decode_token(const uint8_t *tok, size_t n, struct buf_wr *wr)
{
	struct buf_rd rd;
	int r;

	buf_rd_init(&rd, tok, n);
	if ((r = scan_string(&rd, wr)) != 0)
		return r;
	return buf_done(&rd);
}

int
jsonr_key_is(const struct jsonr_member *m, const char *name)
{
	uint8_t mem[64];
	struct buf_wr wr;
	size_t l = strlen(name);

	buf_wr_init_fixed(&wr, mem, sizeof(mem));
	/* A key too long for mem is longer than any name we look for. */
	if (m->key == NULL || decode_token(m->key, m->key_len, &wr) != 0)
		return 0;
	return buf_wr_len(&wr) == l && memcmp(buf_wr_data(&wr), name, l) == 0;
}

int
jsonr_get_string(const struct jsonr_member *m, char **out, size_t *outlen)
{
	struct buf_wr wr;
	uint8_t *p = NULL;
	size_t n = 0;
	int r;

	*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	if (m->type != JSONR_STRING)
		return CCL_ERR_FORMAT;
	/* Decoding never lengthens a string. */
	buf_wr_init(&wr, m->val_len + 1);
	if ((r = decode_token(m->val, m->val_len, &wr)) != 0 ||
	    (r = buf_wr_detach(&wr, &p, &n)) != 0)
		goto out;
	if (memchr(p, '\0', n) != NULL) {
		r = CCL_ERR_FORMAT;
		goto out;
	}
	if (p == NULL && (p = calloc(1, 1)) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	*out = (char *)p;
	p = NULL;
	if (outlen != NULL)
		*outlen = n;
 out:
	free(p);
	buf_wr_free(&wr);
	return r;
}

int
jsonr_get_u64(const struct jsonr_member *m, uint64_t *v)
{
	struct buf_rd rd;
	uint64_t x = 0;
	uint8_t c;
	size_t i;

	*v = 0;
	if (m->type != JSONR_NUMBER || m->val_len == 0)
		return CCL_ERR_FORMAT;
	buf_rd_init(&rd, m->val, m->val_len);
	for (i = 0; buf_get_u8(&rd, &c) == 0; i++) {
		if (!is_digit(c))
			return CCL_ERR_FORMAT;   /* '-', '.', 'e', 'E' */
		if (i == 1 && x == 0)
			return CCL_ERR_FORMAT;   /* leading zero */
		if (x > (UINT64_MAX - (uint64_t)(c - '0')) / 10)
			return CCL_ERR_FORMAT;   /* beyond u64 */
		x = x * 10 + (uint64_t)(c - '0');
	}
	*v = x;
	return 0;
}

int
jsonr_get_bool(const struct jsonr_member *m, int *v)
{
	*v = 0;
	if (m->type == JSONR_TRUE)
		*v = 1;
	else if (m->type != JSONR_FALSE)
		return CCL_ERR_FORMAT;
	return 0;
}
