/* SPDX-License-Identifier: MIT */
/*
 * bencode.h — strict bencode decoder and canonical encoder (BEP 3).
 *
 * Trust boundary: the decoder reads untrusted datagrams, only through
 * struct buf_rd, and never allocates. benc_parse() validates a whole buffer
 * in one recursive-descent pass before anything is handed out: depth at most
 * BENC_MAX_DEPTH, canonical integers (no leading zeros, no "-0", int64 range),
 * string lengths within what remains, dictionary keys strictly ascending in
 * raw byte order (sorted and unique), and no trailing bytes. Values are
 * borrowed slices of the input: they stay valid as long as the input does.
 *
 * The encoder writes through struct buf_wr and refuses to produce anything
 * non-canonical: keys must be given in strictly ascending order and every
 * container must be closed (CCL_ERR_INTERNAL otherwise; that is a bug in the
 * caller, not bad input).
 */
#ifndef CCL_BENCODE_H
#define CCL_BENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define BENC_MAX_DEPTH 16  /* nested lists/dicts; KRPC needs 3 */

enum benc_type {
	BENC_INT = 1,
	BENC_STR,
	BENC_LIST,
	BENC_DICT,
};

/*
 * One decoded value. For BENC_INT: i. For BENC_STR: s/len (borrowed, may
 * contain NULs, not NUL-terminated). For BENC_LIST/BENC_DICT: body is a
 * reader over the encoded items (between the 'l'/'d' and the 'e'), already
 * validated; walk it with struct benc_iter.
 */
struct benc_val {
	enum benc_type type;
	int64_t i;
	const uint8_t *s;
	size_t len;
	struct buf_rd body;
	int depth;  /* nesting level of this value (top level = 0) */
};

/*
 * Decode the single value that must occupy all of [p, p+n).
 * Returns 0, CCL_ERR_TRUNCATED, CCL_ERR_FORMAT, CCL_ERR_TRAILING or
 * CCL_ERR_DEPTH. On error *v is zeroed.
 */
CCL_MUST_CHECK int benc_parse(const uint8_t *p, size_t n, struct benc_val *v);

/* Iteration over a list or a dictionary obtained from benc_parse(). */
struct benc_iter {
	struct buf_rd rd;
	enum benc_type type;
	int depth;
};

/* Start iterating v (which must be a list or a dict: CCL_ERR_FORMAT otherwise). */
CCL_MUST_CHECK int benc_iter_init(struct benc_iter *it, const struct benc_val *v);
/*
 * Next item: 1 when one was stored, 0 at the end, negative on error.
 * For a dict, key (a BENC_STR) and val are both filled; for a list, key may be
 * NULL and only val is filled.
 */
CCL_MUST_CHECK int benc_iter_next(struct benc_iter *it, struct benc_val *key, struct benc_val *val);
/* Look up key k (klen bytes) in dict d: 0 found, CCL_ERR_NOT_FOUND absent. */
CCL_MUST_CHECK int benc_dict_find(const struct benc_val *d, const void *k, size_t klen,
    struct benc_val *val);
/* 1 when the string value v equals the NUL-terminated s, else 0. */
int benc_str_eq(const struct benc_val *v, const char *s);

/*
 * Canonical encoder. Usage:
 *   benc_enc_init(&e, &wr);
 *   benc_enc_dict(&e); benc_enc_key(&e, "a"); benc_enc_int(&e, 1); ... benc_enc_end(&e);
 *   benc_enc_finish(&e);
 * Every call returns 0 or an error; the first error is sticky (later calls
 * return it too), so a chain can be checked once at benc_enc_finish().
 * A failed put may leave a partial encoding in wr.
 */
struct benc_enc {
	struct buf_wr *wr;
	int err;
	int depth;
	int top_done;  /* the one top-level value is complete */
	struct {
		uint8_t type;      /* BENC_LIST or BENC_DICT */
		uint8_t want_key;  /* dict: the next item must be a key */
		uint8_t have_key;  /* dict: a previous key exists at key_off */
		size_t key_off;    /* offset of the previous key's bytes in wr */
		size_t key_len;
	} st[BENC_MAX_DEPTH];
};

void benc_enc_init(struct benc_enc *e, struct buf_wr *wr);
CCL_MUST_CHECK int benc_enc_int(struct benc_enc *e, int64_t i);
CCL_MUST_CHECK int benc_enc_str(struct benc_enc *e, const void *p, size_t n);
CCL_MUST_CHECK int benc_enc_cstr(struct benc_enc *e, const char *s);
CCL_MUST_CHECK int benc_enc_list(struct benc_enc *e);
CCL_MUST_CHECK int benc_enc_dict(struct benc_enc *e);
/* A dict key; must sort strictly after the previous key of the same dict. */
CCL_MUST_CHECK int benc_enc_key(struct benc_enc *e, const char *k);
CCL_MUST_CHECK int benc_enc_key_n(struct benc_enc *e, const void *k, size_t n);
CCL_MUST_CHECK int benc_enc_end(struct benc_enc *e);
/* 0 when a complete value was written and every container closed. */
CCL_MUST_CHECK int benc_enc_finish(struct benc_enc *e);

#endif
