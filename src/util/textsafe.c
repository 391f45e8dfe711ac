/* SPDX-License-Identifier: MIT */
/* textsafe.c — untrusted text for terminals and JSON (see textsafe.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "textsafe.h"

/* Longest terminal or JSON output for one input byte ("\xHH", "\ufffd"). */
#define MAX_PER_BYTE 6
/* Refuse inputs whose output could not be sized without overflow. */
#define MAX_INPUT ((SIZE_MAX - 3) / MAX_PER_BYTE)

/*
 * Decode one UTF-8 character at the reader's cursor (RFC 3629). On success
 * *cp is the code point and the bytes are consumed; on invalid input
 * CCL_ERR_FORMAT and the cursor has not moved.
 */
static int
utf8_get(struct buf_rd *rd, uint32_t *cp)
{
	struct buf_rd t = *rd;
	uint8_t b, c, lo = 0x80, hi = 0xbf;
	size_t need, i;
	uint32_t v;

	*cp = 0;
	if (buf_get_u8(&t, &b) != 0)
		return CCL_ERR_TRUNCATED;
	if (b < 0x80) {
		v = b;
		need = 0;
	} else if (b >= 0xc2 && b <= 0xdf) {
		need = 1; v = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		need = 2; v = b & 0x0f;
		if (b == 0xe0)
			lo = 0xa0;  /* no overlongs */
		else if (b == 0xed)
			hi = 0x9f;  /* no surrogates */
	} else if (b >= 0xf0 && b <= 0xf4) {
		need = 3; v = b & 0x07;
		if (b == 0xf0)
			lo = 0x90;
		else if (b == 0xf4)
			hi = 0x8f;  /* at most U+10FFFF */
	} else
		return CCL_ERR_FORMAT;
	for (i = 0; i < need; i++) {
		if (buf_get_u8(&t, &c) != 0 || c < lo || c > hi)
			return CCL_ERR_FORMAT;
		v = (v << 6) | (c & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*rd = t;
	*cp = v;
	return 0;
}

/* Code points shown escaped even though they are valid text. */
static int
is_c1(uint32_t cp)
{
	return cp >= 0x80 && cp <= 0x9f;
}

static int
is_bidi(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static int
put_hex(struct buf_wr *wr, const char *prefix, uint32_t v, int digits)
{
	static const char hx[] = "0123456789abcdef";
	char t[8];
	size_t n = strlen(prefix);
	int i;

	memcpy(t, prefix, n);
	for (i = digits - 1; i >= 0; i--)
		t[n++] = hx[(v >> (4 * i)) & 0xf];
	return buf_put(wr, t, n);
}

static int
terminal_form(struct buf_wr *wr, const char *s, size_t n)
{
	struct buf_rd rd;
	const uint8_t *start;
	uint8_t b;
	uint32_t cp;
	size_t before;
	int r;

	buf_rd_init(&rd, s, n);
	while (buf_remaining(&rd) > 0) {
		start = buf_cur(&rd);
		before = buf_offset(&rd);
		if (utf8_get(&rd, &cp) != 0) {
			if ((r = buf_get_u8(&rd, &b)) != 0 || (r = put_hex(wr, "\\x", b, 2)) != 0)
				return r;
		} else if (cp < 0x20 || cp == 0x7f) {
			if ((r = put_hex(wr, "\\x", cp, 2)) != 0)
				return r;
		} else if (is_c1(cp) || is_bidi(cp)) {
			if ((r = put_hex(wr, "\\u", cp, 4)) != 0)
				return r;
		} else if ((r = buf_put(wr, start, buf_offset(&rd) - before)) != 0)
			return r;
	}
	return 0;
}

int
textsafe_put(struct buf_wr *wr, const char *s, size_t n)
{
	size_t len = buf_wr_len(wr);
	int r;

	if (n > MAX_INPUT)
		return CCL_ERR_TOO_LARGE;
	if ((r = terminal_form(wr, s, n)) != 0 && buf_truncate(wr, len) != 0)
		return CCL_ERR_INTERNAL;
	return r;
}

int
textsafe_dup(const char *s, char **out)
{
	struct buf_wr wr;
	uint8_t *p = NULL;
	size_t n = strlen(s), len = 0;
	int r;

	*out = NULL;
	if (n > MAX_INPUT)
		return CCL_ERR_TOO_LARGE;
	buf_wr_init(&wr, n * MAX_PER_BYTE + 1);
	if ((r = textsafe_put(&wr, s, n)) == 0 && (r = buf_put_u8(&wr, 0)) == 0)
		r = buf_wr_detach(&wr, &p, &len);
	buf_wr_free(&wr);
	if (r != 0)
		return r;
	*out = (char *)p;
	return 0;
}

static int
json_form(struct buf_wr *wr, const char *s, size_t n)
{
	struct buf_rd rd;
	const uint8_t *start;
	uint8_t b;
	uint32_t cp;
	size_t before;
	const char *esc;
	int r;

	if ((r = buf_put_u8(wr, '"')) != 0)
		return r;
	buf_rd_init(&rd, s, n);
	while (buf_remaining(&rd) > 0) {
		start = buf_cur(&rd);
		before = buf_offset(&rd);
		if (utf8_get(&rd, &cp) != 0) {
			/* Not UTF-8: a replacement character per byte. */
			if ((r = buf_get_u8(&rd, &b)) != 0 || (r = buf_put_cstr(wr, "\\ufffd")) != 0)
				return r;
			continue;
		}
		esc = NULL;
		switch (cp) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default: break;
		}
		if (esc != NULL)
			r = buf_put_cstr(wr, esc);
		else if (cp < 0x20 || cp == 0x7f || is_c1(cp) || is_bidi(cp) ||
		    cp == 0x2028 || cp == 0x2029)
			r = put_hex(wr, "\\u", cp, 4);
		else
			r = buf_put(wr, start, buf_offset(&rd) - before);
		if (r != 0)
			return r;
	}
	return buf_put_u8(wr, '"');
}

int
textsafe_json_put(struct buf_wr *wr, const char *s, size_t n)
{
	size_t len = buf_wr_len(wr);
	int r;

	if (n > MAX_INPUT)
		return CCL_ERR_TOO_LARGE;
	if ((r = json_form(wr, s, n)) != 0 && buf_truncate(wr, len) != 0)
		return CCL_ERR_INTERNAL;
	return r;
}

int
textsafe_is_clean(const char *s, size_t n)
{
	struct buf_rd rd;
	uint32_t cp;

	buf_rd_init(&rd, s, n);
	while (buf_remaining(&rd) > 0) {
		if (utf8_get(&rd, &cp) != 0 || cp < 0x20 || cp == 0x7f || is_c1(cp) ||
		    is_bidi(cp))
			return 0;
	}
	return 1;
}
