/* SPDX-License-Identifier: MIT */
/* buf.c — bounded reader/writer; see buf.h for the contract. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "buf.h"

void
buf_rd_init(struct buf_rd *rd, const void *p, size_t len)
{
	rd->p = p;
	rd->len = p == NULL ? 0 : len;
	rd->off = 0;
}

size_t
buf_remaining(const struct buf_rd *rd)
{
	return rd->len - rd->off;
}

size_t
buf_offset(const struct buf_rd *rd)
{
	return rd->off;
}

const uint8_t *
buf_cur(const struct buf_rd *rd)
{
	return rd->p == NULL ? NULL : rd->p + rd->off;
}

int
buf_get_bytes(struct buf_rd *rd, size_t n, const uint8_t **out)
{
	if (n > rd->len - rd->off)
		return CCL_ERR_TRUNCATED;
	if (out != NULL)
		*out = rd->p == NULL ? NULL : rd->p + rd->off;
	rd->off += n;
	return 0;
}

int
buf_skip(struct buf_rd *rd, size_t n)
{
	return buf_get_bytes(rd, n, NULL);
}

int
buf_get_copy(struct buf_rd *rd, void *dst, size_t n)
{
	const uint8_t *s;
	int r;

	if ((r = buf_get_bytes(rd, n, &s)) != 0)
		return r;
	if (n > 0)
		memcpy(dst, s, n);
	return 0;
}

int
buf_peek_u8(const struct buf_rd *rd, uint8_t *v)
{
	if (rd->len - rd->off < 1)
		return CCL_ERR_TRUNCATED;
	*v = rd->p[rd->off];
	return 0;
}

int
buf_get_u8(struct buf_rd *rd, uint8_t *v)
{
	const uint8_t *s;
	int r;

	if ((r = buf_get_bytes(rd, 1, &s)) != 0)
		return r;
	*v = s[0];
	return 0;
}

int
buf_get_u16be(struct buf_rd *rd, uint16_t *v)
{
	const uint8_t *s;
	int r;

	if ((r = buf_get_bytes(rd, 2, &s)) != 0)
		return r;
	*v = (uint16_t)((uint16_t)s[0] << 8 | s[1]);
	return 0;
}

int
buf_get_u32be(struct buf_rd *rd, uint32_t *v)
{
	const uint8_t *s;
	int r;

	if ((r = buf_get_bytes(rd, 4, &s)) != 0)
		return r;
	*v = (uint32_t)s[0] << 24 | (uint32_t)s[1] << 16 | (uint32_t)s[2] << 8 | s[3];
	return 0;
}

int
buf_get_u64be(struct buf_rd *rd, uint64_t *v)
{
	uint32_t hi, lo;
	struct buf_rd save = *rd;
	int r;

	if ((r = buf_get_u32be(rd, &hi)) != 0 || (r = buf_get_u32be(rd, &lo)) != 0) {
		*rd = save;
		return r;
	}
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

int
buf_expect(struct buf_rd *rd, const void *lit, size_t n)
{
	if (n > rd->len - rd->off)
		return CCL_ERR_TRUNCATED;
	if (n > 0 && memcmp(rd->p + rd->off, lit, n) != 0)
		return CCL_ERR_FORMAT;
	rd->off += n;
	return 0;
}

int
buf_sub(struct buf_rd *rd, size_t n, struct buf_rd *child)
{
	const uint8_t *s;
	int r;

	if ((r = buf_get_bytes(rd, n, &s)) != 0)
		return r;
	buf_rd_init(child, s, n);
	return 0;
}

int
buf_seek(struct buf_rd *rd, size_t off)
{
	if (off > rd->len)
		return CCL_ERR_TRUNCATED;
	rd->off = off;
	return 0;
}

int
buf_find(const struct buf_rd *rd, uint8_t c, size_t *dist)
{
	const uint8_t *s;
	size_t rem = rd->len - rd->off;

	if (rem == 0)
		return CCL_ERR_NOT_FOUND;
	if ((s = memchr(rd->p + rd->off, c, rem)) == NULL)
		return CCL_ERR_NOT_FOUND;
	*dist = (size_t)(s - (rd->p + rd->off));
	return 0;
}

int
buf_get_line(struct buf_rd *rd, size_t max, const uint8_t **line, size_t *n)
{
	size_t d, rem = rd->len - rd->off;

	*line = NULL;
	*n = 0;
	if (buf_find(rd, '\n', &d) != 0)
		return rem > max ? CCL_ERR_TOO_LARGE : CCL_ERR_TRUNCATED;
	if (d > max)
		return CCL_ERR_TOO_LARGE;
	*line = rd->p + rd->off;
	*n = d;
	rd->off += d + 1;
	return 0;
}

int
buf_done(const struct buf_rd *rd)
{
	return rd->off == rd->len ? 0 : CCL_ERR_TRAILING;
}

/* ---- writer ---- */

void
buf_wr_init(struct buf_wr *wr, size_t max)
{
	memset(wr, 0, sizeof(*wr));
	wr->max = max;
}

void
buf_wr_init_fixed(struct buf_wr *wr, void *mem, size_t cap)
{
	memset(wr, 0, sizeof(*wr));
	wr->p = mem;
	wr->cap = cap;
	wr->max = cap;
	wr->fixed = 1;
}

void
buf_wr_free(struct buf_wr *wr)
{
	if (wr->p != NULL && !wr->fixed) {
		sodium_memzero(wr->p, wr->cap);
		free(wr->p);
		wr->p = NULL;
		wr->cap = 0;
	}
	wr->len = 0;
}

void
buf_wr_reset(struct buf_wr *wr)
{
	if (wr->p != NULL)
		sodium_memzero(wr->p, wr->len);
	wr->len = 0;
}

const uint8_t *
buf_wr_data(const struct buf_wr *wr)
{
	return wr->p;
}

size_t
buf_wr_len(const struct buf_wr *wr)
{
	return wr->len;
}

/* Make room for n more bytes (+1 spare for a NUL on detach). */
static int
wr_grow(struct buf_wr *wr, size_t n)
{
	size_t need, ncap;
	uint8_t *np;

	if (n > wr->max - wr->len)
		return CCL_ERR_TOO_LARGE;
	need = wr->len + n;
	if (wr->fixed)
		return need <= wr->cap ? 0 : CCL_ERR_TOO_LARGE;
	if (need + 1 <= wr->cap)
		return 0;
	ncap = wr->cap < 64 ? 64 : wr->cap;
	while (ncap < need + 1)
		ncap = ncap > SIZE_MAX / 2 ? need + 1 : ncap * 2;
	/* Copy rather than realloc so that the old block can be wiped. */
	if ((np = malloc(ncap)) == NULL)
		return CCL_ERR_NOMEM;
	if (wr->p != NULL) {
		memcpy(np, wr->p, wr->len);
		sodium_memzero(wr->p, wr->cap);
		free(wr->p);
	}
	wr->p = np;
	wr->cap = ncap;
	return 0;
}

int
buf_reserve(struct buf_wr *wr, size_t n, uint8_t **out)
{
	int r;

	if ((r = wr_grow(wr, n)) != 0)
		return r;
	*out = wr->p + wr->len;
	wr->len += n;
	return 0;
}

int
buf_put(struct buf_wr *wr, const void *p, size_t n)
{
	uint8_t *d;
	int r;

	if (n == 0)
		return 0;
	if ((r = buf_reserve(wr, n, &d)) != 0)
		return r;
	memcpy(d, p, n);
	return 0;
}

int
buf_put_u8(struct buf_wr *wr, uint8_t v)
{
	return buf_put(wr, &v, 1);
}

int
buf_put_u16be(struct buf_wr *wr, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return buf_put(wr, b, sizeof(b));
}

int
buf_put_u32be(struct buf_wr *wr, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	return buf_put(wr, b, sizeof(b));
}

int
buf_put_u64be(struct buf_wr *wr, uint64_t v)
{
	uint8_t b[8];
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		b[i] = (uint8_t)v;
	return buf_put(wr, b, sizeof(b));
}

int
buf_put_cstr(struct buf_wr *wr, const char *s)
{
	return buf_put(wr, s, strlen(s));
}

int
buf_put_u64dec(struct buf_wr *wr, uint64_t v)
{
	char tmp[21];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return buf_put(wr, tmp + i, sizeof(tmp) - i);
}

int
buf_put_i64dec(struct buf_wr *wr, int64_t v)
{
	uint64_t mag;
	size_t save = wr->len;
	int r;

	if (v >= 0)
		return buf_put_u64dec(wr, (uint64_t)v);
	mag = (uint64_t)(-(v + 1)) + 1;
	if ((r = buf_put_u8(wr, '-')) != 0)
		return r;
	if ((r = buf_put_u64dec(wr, mag)) != 0)
		wr->len = save;
	return r;
}

int
buf_poke_u16be(struct buf_wr *wr, size_t off, uint16_t v)
{
	if (off > wr->len || wr->len - off < 2)
		return CCL_ERR_INVALID_ARG;
	wr->p[off] = (uint8_t)(v >> 8);
	wr->p[off + 1] = (uint8_t)v;
	return 0;
}

int
buf_truncate(struct buf_wr *wr, size_t len)
{
	if (len > wr->len)
		return CCL_ERR_INVALID_ARG;
	sodium_memzero(wr->p + len, wr->len - len);
	wr->len = len;
	return 0;
}

int
buf_wr_detach(struct buf_wr *wr, uint8_t **p, size_t *len)
{
	int r;

	*p = NULL;
	*len = 0;
	if (wr->fixed)
		return CCL_ERR_INVALID_ARG;
	if (wr->p == NULL && (r = wr_grow(wr, 0)) != 0)
		return r;
	if (wr->p == NULL) {
		/* wr_grow(0) does not allocate when cap is 0: force one byte. */
		if ((wr->p = calloc(1, 1)) == NULL)
			return CCL_ERR_NOMEM;
		wr->cap = 1;
	}
	wr->p[wr->len] = '\0';
	*p = wr->p;
	*len = wr->len;
	wr->p = NULL;
	wr->len = wr->cap = 0;
	return 0;
}
