/* SPDX-License-Identifier: MIT */
/*
 * buf.h — bounded reader and writer (after OpenSSH's sshbuf).
 *
 * Trust boundary: every parser of untrusted bytes in cclink reads through a
 * struct buf_rd, and this file is the only place that does length arithmetic
 * on them. Every bounds check has the form `n > len - off`, which cannot
 * overflow. A failed read leaves the cursor where it was.
 *
 * Writers either grow up to a fixed maximum (heap) or write into caller
 * memory of fixed capacity. A put either succeeds completely or fails with
 * CCL_ERR_TOO_LARGE / CCL_ERR_NOMEM and leaves the buffer unchanged. Heap
 * writers wipe memory they release, so they may hold secrets.
 */
#ifndef CCL_BUF_H
#define CCL_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct buf_rd {
	const uint8_t *p;
	size_t len;
	size_t off;
};

/* A reader over [p, p+len). p may be NULL when len is 0. */
void buf_rd_init(struct buf_rd *rd, const void *p, size_t len);
size_t buf_remaining(const struct buf_rd *rd);
/* Current position (bytes consumed). */
size_t buf_offset(const struct buf_rd *rd);
/* Pointer to the unread bytes (borrowed). */
const uint8_t *buf_cur(const struct buf_rd *rd);

CCL_MUST_CHECK int buf_get_u8(struct buf_rd *rd, uint8_t *v);
CCL_MUST_CHECK int buf_get_u16be(struct buf_rd *rd, uint16_t *v);
CCL_MUST_CHECK int buf_get_u32be(struct buf_rd *rd, uint32_t *v);
CCL_MUST_CHECK int buf_get_u64be(struct buf_rd *rd, uint64_t *v);
CCL_MUST_CHECK int buf_peek_u8(const struct buf_rd *rd, uint8_t *v);
/* Borrow the next n bytes (no copy); *out stays valid as long as the input. */
CCL_MUST_CHECK int buf_get_bytes(struct buf_rd *rd, size_t n, const uint8_t **out);
/* Copy the next n bytes into dst. */
CCL_MUST_CHECK int buf_get_copy(struct buf_rd *rd, void *dst, size_t n);
CCL_MUST_CHECK int buf_skip(struct buf_rd *rd, size_t n);
/* Consume exactly the n bytes of lit, or fail with CCL_ERR_FORMAT. */
CCL_MUST_CHECK int buf_expect(struct buf_rd *rd, const void *lit, size_t n);
/* A child reader over the next n bytes, which are consumed from rd. */
CCL_MUST_CHECK int buf_sub(struct buf_rd *rd, size_t n, struct buf_rd *child);
/* Move the cursor to absolute offset off (<= len). For formats with back-pointers. */
CCL_MUST_CHECK int buf_seek(struct buf_rd *rd, size_t off);
/*
 * Read up to and including the next '\n'. *line points at the bytes before it
 * and *n is their count. Fails with CCL_ERR_TOO_LARGE when no newline occurs
 * within max bytes, CCL_ERR_TRUNCATED when the input ends first.
 */
CCL_MUST_CHECK int buf_get_line(struct buf_rd *rd, size_t max, const uint8_t **line, size_t *n);
/* Find byte c in the unread part; stores its distance from the cursor. */
CCL_MUST_CHECK int buf_find(const struct buf_rd *rd, uint8_t c, size_t *dist);
/* 0 when everything was consumed, CCL_ERR_TRAILING otherwise. */
CCL_MUST_CHECK int buf_done(const struct buf_rd *rd);

struct buf_wr {
	uint8_t *p;
	size_t len;
	size_t cap;
	size_t max;
	int fixed;  /* 1: caller memory, never reallocated or freed */
};

/* A growable heap writer that refuses to exceed max bytes. */
void buf_wr_init(struct buf_wr *wr, size_t max);
/* A writer into caller memory of cap bytes. */
void buf_wr_init_fixed(struct buf_wr *wr, void *mem, size_t cap);
/* Wipe and release (heap writers); reset to empty. */
void buf_wr_free(struct buf_wr *wr);
/* Forget the contents (wiped), keep the allocation. */
void buf_wr_reset(struct buf_wr *wr);
const uint8_t *buf_wr_data(const struct buf_wr *wr);
size_t buf_wr_len(const struct buf_wr *wr);

CCL_MUST_CHECK int buf_put(struct buf_wr *wr, const void *p, size_t n);
CCL_MUST_CHECK int buf_put_u8(struct buf_wr *wr, uint8_t v);
CCL_MUST_CHECK int buf_put_u16be(struct buf_wr *wr, uint16_t v);
CCL_MUST_CHECK int buf_put_u32be(struct buf_wr *wr, uint32_t v);
CCL_MUST_CHECK int buf_put_u64be(struct buf_wr *wr, uint64_t v);
CCL_MUST_CHECK int buf_put_cstr(struct buf_wr *wr, const char *s);
/* Decimal ASCII of v, no leading zeros. */
CCL_MUST_CHECK int buf_put_u64dec(struct buf_wr *wr, uint64_t v);
CCL_MUST_CHECK int buf_put_i64dec(struct buf_wr *wr, int64_t v);
/* Reserve n bytes at the end; *out points at them (valid until the next put). */
CCL_MUST_CHECK int buf_reserve(struct buf_wr *wr, size_t n, uint8_t **out);
/* Overwrite 2 bytes at off (which must already be written). */
CCL_MUST_CHECK int buf_poke_u16be(struct buf_wr *wr, size_t off, uint16_t v);
/* Shrink to len bytes (wiping the tail). */
CCL_MUST_CHECK int buf_truncate(struct buf_wr *wr, size_t len);
/*
 * Hand the heap contents to the caller (NUL-terminated one byte past *len for
 * convenience; the NUL is not counted). The writer is left empty. Caller frees
 * with free() — after wiping, if it held a secret.
 */
CCL_MUST_CHECK int buf_wr_detach(struct buf_wr *wr, uint8_t **p, size_t *len);

#endif
