/* SPDX-License-Identifier: MIT */
/*
 * jsonw.h — a small compact-JSON writer on struct buf_wr, byte-compatible
 * with serde_json's output: no whitespace, `"` and `\` escaped, control
 * characters as \b \t \n \f \r or \u00xx (lowercase hex), everything else
 * (`/`, DEL, non-ASCII UTF-8) written as is. Integers in plain decimal.
 *
 * Trust boundary: writes only. Strings must be valid UTF-8 (serde_json can
 * only hold valid UTF-8, and the Rust reader rejects anything else), so the
 * writer refuses invalid UTF-8 with CCL_ERR_INVALID_ARG rather than emit
 * JSON the other side cannot read.
 *
 * The writer keeps comma/colon state per nesting level. Every call returns 0
 * or a negative CCL_ERR_*; the first error is sticky (later calls return it
 * and write nothing), so calls may be chained and checked once at the end
 * with jsonw_finish().
 */
#ifndef CCL_JSONW_H
#define CCL_JSONW_H
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "err.h"

#define JSONW_MAX_DEPTH 32

struct jsonw {
	struct buf_wr *wr;
	unsigned depth;
	uint32_t has_items;   /* bit d: level d already holds an item */
	uint32_t is_object;   /* bit d: level d is an object (needs keys) */
	int after_key;        /* a key was written; a value must follow */
	int err;              /* first error, sticky */
};

/* Start writing JSON onto wr (which keeps ownership of its memory). */
void jsonw_init(struct jsonw *j, struct buf_wr *wr);

CCL_MUST_CHECK int jsonw_begin_object(struct jsonw *j);
CCL_MUST_CHECK int jsonw_end_object(struct jsonw *j);
CCL_MUST_CHECK int jsonw_begin_array(struct jsonw *j);
CCL_MUST_CHECK int jsonw_end_array(struct jsonw *j);
/* An object key (NUL-terminated, escaped like any string). */
CCL_MUST_CHECK int jsonw_key(struct jsonw *j, const char *key);
/* String values: NUL-terminated, or n bytes (which may hold NUL, as \u0000). */
CCL_MUST_CHECK int jsonw_str(struct jsonw *j, const char *s);
CCL_MUST_CHECK int jsonw_strn(struct jsonw *j, const char *s, size_t n);
CCL_MUST_CHECK int jsonw_u64(struct jsonw *j, uint64_t v);
CCL_MUST_CHECK int jsonw_i64(struct jsonw *j, int64_t v);
CCL_MUST_CHECK int jsonw_bool(struct jsonw *j, int v);
CCL_MUST_CHECK int jsonw_null(struct jsonw *j);
/*
 * 0 when everything written so far is one complete JSON value; the sticky
 * error otherwise, or CCL_ERR_INTERNAL for unbalanced begin/end or a
 * dangling key.
 */
CCL_MUST_CHECK int jsonw_finish(const struct jsonw *j);

/*
 * The escaping primitive: append s[0..n) as a quoted JSON string. Fails with
 * CCL_ERR_INVALID_ARG on invalid UTF-8 (overlongs, surrogates, > U+10FFFF)
 * and leaves wr unchanged on any failure.
 */
CCL_MUST_CHECK int jsonw_put_string(struct buf_wr *wr, const char *s, size_t n);

/* 1 when s[0..n) is valid UTF-8 (RFC 3629: no overlongs, no surrogates). */
int jsonw_utf8_valid(const uint8_t *s, size_t n);
#endif
