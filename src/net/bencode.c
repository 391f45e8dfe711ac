/* SPDX-License-Identifier: MIT */
/*
 * bencode.c — strict bencode decoder and canonical encoder; see bencode.h.
 * Trust boundary: parses untrusted bytes, all reads via buf_rd, no allocation.
 */
#include <string.h>

#include "bencode.h"

static int dec_value(struct buf_rd *rd, struct benc_val *v, int depth);

/*
 * Canonical unsigned decimal up to (not including) the byte term: at least
 * one digit, no leading zero unless the number is 0, value <= max.
 */
static int
dec_digits(struct buf_rd *rd, uint8_t term, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;
	size_t ndig = 0;
	int lead_zero = 0;
	uint8_t c;
	int r;

	*out = 0;
	for (;;) {
		if ((r = buf_get_u8(rd, &c)) != 0)
			return r;
		if (c == term)
			break;
		if (c < '0' || c > '9')
			return CCL_ERR_FORMAT;
		if (ndig == 0 && c == '0')
			lead_zero = 1;
		else if (lead_zero)
			return CCL_ERR_FORMAT;  /* "01", "00" */
		if ((uint64_t)(c - '0') > max || n > (max - (uint64_t)(c - '0')) / 10)
			return CCL_ERR_TOO_LARGE;  /* out of range */
		n = n * 10 + (uint64_t)(c - '0');
		ndig++;
	}
	if (ndig == 0)
		return CCL_ERR_FORMAT;
	*out = n;
	return 0;
}

/* After the 'i': [-]digits 'e', within int64, no "-0". */
static int
dec_int(struct buf_rd *rd, int64_t *out)
{
	uint64_t mag;
	uint8_t c;
	int neg = 0, r;

	*out = 0;
	if ((r = buf_peek_u8(rd, &c)) != 0)
		return r;
	if (c == '-') {
		neg = 1;
		if ((r = buf_skip(rd, 1)) != 0)
			return r;
	}
	r = dec_digits(rd, 'e', neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &mag);
	if (r != 0)
		return r == CCL_ERR_TOO_LARGE ? CCL_ERR_FORMAT : r;  /* int64 overflow */
	if (neg && mag == 0)
		return CCL_ERR_FORMAT;  /* "-0" */
	if (neg)
		*out = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	else
		*out = (int64_t)mag;
	return 0;
}

/* <len>:<bytes>; the length is checked against what remains before use. */
static int
dec_str(struct buf_rd *rd, const uint8_t **s, size_t *len)
{
	uint64_t n;
	int r;

	*s = NULL;
	*len = 0;
	r = dec_digits(rd, ':', (uint64_t)buf_remaining(rd), &n);
	if (r != 0)
		return r == CCL_ERR_TOO_LARGE ? CCL_ERR_TRUNCATED : r;  /* longer than the input */
	if ((r = buf_get_bytes(rd, (size_t)n, s)) != 0)
		return r;
	*len = (size_t)n;
	return 0;
}

/* Strict byte order: shorter prefix sorts first. Returns <0, 0, >0. */
static int
key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t m = alen < blen ? alen : blen;
	int c = m == 0 ? 0 : memcmp(a, b, m);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* Items of a list or dict up to and including the closing 'e'. */
static int
dec_container(struct buf_rd *rd, struct benc_val *v, int depth)
{
	struct buf_rd start = *rd;
	struct benc_val key, item;
	const uint8_t *prev = NULL;
	size_t prev_len = 0, body_len;
	uint8_t c;
	int r;

	if (depth >= BENC_MAX_DEPTH)
		return CCL_ERR_DEPTH;
	for (;;) {
		if ((r = buf_peek_u8(rd, &c)) != 0)
			return r;
		if (c == 'e')
			break;
		if (v->type == BENC_DICT) {
			if (c < '0' || c > '9')
				return CCL_ERR_FORMAT;  /* keys are strings */
			memset(&key, 0, sizeof(key));
			if ((r = dec_str(rd, &key.s, &key.len)) != 0)
				return r;
			if (prev != NULL && key_cmp(prev, prev_len, key.s, key.len) >= 0)
				return CCL_ERR_FORMAT;  /* unsorted or duplicate */
			prev = key.s;
			prev_len = key.len;
		}
		if ((r = dec_value(rd, &item, depth + 1)) != 0)
			return r;
	}
	body_len = buf_offset(rd) - buf_offset(&start);
	if ((r = buf_sub(&start, body_len, &v->body)) != 0 ||
	    (r = buf_skip(rd, 1)) != 0)
		return r;
	return 0;
}

static int
dec_value(struct buf_rd *rd, struct benc_val *v, int depth)
{
	struct buf_rd save = *rd;
	uint8_t c;
	int r;

	memset(v, 0, sizeof(*v));
	v->depth = depth;
	if ((r = buf_peek_u8(rd, &c)) != 0)
		return r;
	switch (c) {
	case 'i':
		v->type = BENC_INT;
		r = buf_skip(rd, 1);
		if (r == 0)
			r = dec_int(rd, &v->i);
		break;
	case 'l':
	case 'd':
		v->type = c == 'l' ? BENC_LIST : BENC_DICT;
		r = buf_skip(rd, 1);
		if (r == 0)
			r = dec_container(rd, v, depth);
		break;
	default:
		if (c < '0' || c > '9') {
			r = CCL_ERR_FORMAT;
			break;
		}
		v->type = BENC_STR;
		r = dec_str(rd, &v->s, &v->len);
		break;
	}
	if (r != 0) {
		*rd = save;
		memset(v, 0, sizeof(*v));
	}
	return r;
}

int
benc_parse(const uint8_t *p, size_t n, struct benc_val *v)
{
	struct buf_rd rd;
	int r;

	memset(v, 0, sizeof(*v));
	buf_rd_init(&rd, p, n);
	if ((r = dec_value(&rd, v, 0)) != 0)
		return r;
	if ((r = buf_done(&rd)) != 0) {
		memset(v, 0, sizeof(*v));
		return r;
	}
	return 0;
}

int
benc_iter_init(struct benc_iter *it, const struct benc_val *v)
{
	memset(it, 0, sizeof(*it));
	if (v->type != BENC_LIST && v->type != BENC_DICT)
		return CCL_ERR_FORMAT;
	it->rd = v->body;
	it->type = v->type;
	it->depth = v->depth;
	return 0;
}

int
benc_iter_next(struct benc_iter *it, struct benc_val *key, struct benc_val *val)
{
	struct benc_val k;
	int r;

	memset(val, 0, sizeof(*val));
	if (key != NULL)
		memset(key, 0, sizeof(*key));
	if (buf_remaining(&it->rd) == 0)
		return 0;
	if (it->type == BENC_DICT) {
		if ((r = dec_value(&it->rd, &k, it->depth + 1)) != 0)
			return r;
		if (k.type != BENC_STR)
			return CCL_ERR_FORMAT;
		if (key != NULL)
			*key = k;
	}
	if ((r = dec_value(&it->rd, val, it->depth + 1)) != 0)
		return r;
	return 1;
}

int
benc_dict_find(const struct benc_val *d, const void *k, size_t klen, struct benc_val *val)
{
	struct benc_iter it;
	struct benc_val key;
	int r;

	memset(val, 0, sizeof(*val));
	if (d->type != BENC_DICT)
		return CCL_ERR_FORMAT;
	if ((r = benc_iter_init(&it, d)) != 0)
		return r;
	while ((r = benc_iter_next(&it, &key, val)) == 1) {
		if (key_cmp(key.s, key.len, k, klen) == 0)
			return 0;
	}
	memset(val, 0, sizeof(*val));
	return r < 0 ? r : CCL_ERR_NOT_FOUND;
}

int
benc_str_eq(const struct benc_val *v, const char *s)
{
	size_t n = strlen(s);

	return v->type == BENC_STR && v->len == n && (n == 0 || memcmp(v->s, s, n) == 0);
}

/* ---- encoder ---- */

void
benc_enc_init(struct benc_enc *e, struct buf_wr *wr)
{
	memset(e, 0, sizeof(*e));
	e->wr = wr;
}

/* May a value be written here? */
static int
enc_begin_value(struct benc_enc *e)
{
	if (e->err != 0)
		return e->err;
	if (e->depth == 0 && e->top_done)
		return e->err = CCL_ERR_INTERNAL;  /* only one top-level value */
	if (e->depth > 0 && e->st[e->depth - 1].type == BENC_DICT && e->st[e->depth - 1].want_key)
		return e->err = CCL_ERR_INTERNAL;  /* a value without its key */
	return 0;
}

static void
enc_end_value(struct benc_enc *e)
{
	if (e->depth == 0)
		e->top_done = 1;
	else if (e->st[e->depth - 1].type == BENC_DICT)
		e->st[e->depth - 1].want_key = 1;
}

static int
enc_fail(struct benc_enc *e, int r)
{
	if (r != 0 && e->err == 0)
		e->err = r;
	return r;
}

int
benc_enc_int(struct benc_enc *e, int64_t i)
{
	int r;

	if ((r = enc_begin_value(e)) != 0)
		return r;
	if ((r = buf_put_u8(e->wr, 'i')) != 0 ||
	    (r = buf_put_i64dec(e->wr, i)) != 0 ||
	    (r = buf_put_u8(e->wr, 'e')) != 0)
		return enc_fail(e, r);
	enc_end_value(e);
	return 0;
}

static int
enc_raw_str(struct benc_enc *e, const void *p, size_t n)
{
	int r;

	if ((r = buf_put_u64dec(e->wr, (uint64_t)n)) != 0 ||
	    (r = buf_put_u8(e->wr, ':')) != 0 ||
	    (r = buf_put(e->wr, p, n)) != 0)
		return enc_fail(e, r);
	return 0;
}

int
benc_enc_str(struct benc_enc *e, const void *p, size_t n)
{
	int r;

	if ((r = enc_begin_value(e)) != 0)
		return r;
	if (p == NULL && n != 0)
		return enc_fail(e, CCL_ERR_INVALID_ARG);
	if ((r = enc_raw_str(e, p, n)) != 0)
		return r;
	enc_end_value(e);
	return 0;
}

int
benc_enc_cstr(struct benc_enc *e, const char *s)
{
	return benc_enc_str(e, s, strlen(s));
}

static int
enc_open(struct benc_enc *e, enum benc_type t)
{
	int r;

	if ((r = enc_begin_value(e)) != 0)
		return r;
	if (e->depth >= BENC_MAX_DEPTH)
		return enc_fail(e, CCL_ERR_DEPTH);
	if ((r = buf_put_u8(e->wr, t == BENC_LIST ? 'l' : 'd')) != 0)
		return enc_fail(e, r);
	memset(&e->st[e->depth], 0, sizeof(e->st[0]));
	e->st[e->depth].type = (uint8_t)t;
	e->st[e->depth].want_key = t == BENC_DICT;
	e->depth++;
	return 0;
}

int
benc_enc_list(struct benc_enc *e)
{
	return enc_open(e, BENC_LIST);
}

int
benc_enc_dict(struct benc_enc *e)
{
	return enc_open(e, BENC_DICT);
}

int
benc_enc_key_n(struct benc_enc *e, const void *k, size_t n)
{
	const uint8_t *prev;
	size_t off;
	int r;

	if (e->err != 0)
		return e->err;
	if (e->depth == 0 || e->st[e->depth - 1].type != BENC_DICT || !e->st[e->depth - 1].want_key)
		return enc_fail(e, CCL_ERR_INTERNAL);
	if (k == NULL && n != 0)
		return enc_fail(e, CCL_ERR_INVALID_ARG);
	if (e->st[e->depth - 1].have_key) {
		prev = buf_wr_data(e->wr) + e->st[e->depth - 1].key_off;
		if (key_cmp(prev, e->st[e->depth - 1].key_len, k, n) >= 0)
			return enc_fail(e, CCL_ERR_INTERNAL);  /* unsorted or duplicate key */
	}
	if ((r = enc_raw_str(e, k, n)) != 0)
		return r;
	off = buf_wr_len(e->wr) - n;
	e->st[e->depth - 1].key_off = off;
	e->st[e->depth - 1].key_len = n;
	e->st[e->depth - 1].have_key = 1;
	e->st[e->depth - 1].want_key = 0;
	return 0;
}

int
benc_enc_key(struct benc_enc *e, const char *k)
{
	return benc_enc_key_n(e, k, strlen(k));
}

int
benc_enc_end(struct benc_enc *e)
{
	int r;

	if (e->err != 0)
		return e->err;
	if (e->depth == 0)
		return enc_fail(e, CCL_ERR_INTERNAL);
	if (e->st[e->depth - 1].type == BENC_DICT && !e->st[e->depth - 1].want_key)
		return enc_fail(e, CCL_ERR_INTERNAL);  /* a key without its value */
	if ((r = buf_put_u8(e->wr, 'e')) != 0)
		return enc_fail(e, r);
	e->depth--;
	enc_end_value(e);
	return 0;
}

int
benc_enc_finish(struct benc_enc *e)
{
	if (e->err != 0)
		return e->err;
	if (e->depth != 0 || !e->top_done)
		return e->err = CCL_ERR_INTERNAL;
	return 0;
}
