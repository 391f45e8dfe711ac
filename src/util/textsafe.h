/* SPDX-License-Identifier: MIT */
/*
 * textsafe.h — untrusted text made safe to show: the one sanitizer for every
 * string from a record, a DHT answer, a transcript or a file name that
 * reaches a terminal, and the JSON string escaper of --json output.
 *
 * Trust boundary: the input is any byte string. The terminal form keeps
 * printable text as it is and shows, escaped in ASCII:
 *   - C0 controls, ESC and DEL as \xHH;
 *   - bytes that are not valid UTF-8 (RFC 3629: no overlongs, surrogates or
 *     code points above U+10FFFF) as \xHH, one per byte;
 *   - C1 controls (U+0080..U+009F) and the bidirectional controls
 *     U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069 as \uHHHH.
 * So the output is valid UTF-8 without controls, a string can neither drive
 * the terminal (title, screen, cursor) nor reorder the text around it, and
 * sanitizing is idempotent. Backslashes are left alone.
 *
 * The JSON form is a quoted RFC 8259 string literal that is valid UTF-8:
 * '"', '\\' and every control (C0, DEL, C1) and bidi control are escaped as
 * above (\n, \t, ... or \u00HH); each byte of invalid UTF-8 becomes U+FFFD.
 *
 * Both append to a struct buf_wr and either succeed or leave it unchanged.
 */
#ifndef CCL_TEXTSAFE_H
#define CCL_TEXTSAFE_H
#include <stddef.h>
#include "buf.h"
#include "err.h"

/* Append the terminal form of s[0..n). */
CCL_MUST_CHECK int textsafe_put(struct buf_wr *wr, const char *s, size_t n);
/* The terminal form of the NUL-terminated s as a heap string (free()). */
CCL_MUST_CHECK int textsafe_dup(const char *s, char **out);
/* Append s[0..n) as a JSON string literal, quotes included. */
CCL_MUST_CHECK int textsafe_json_put(struct buf_wr *wr, const char *s, size_t n);
/* 1 when s[0..n) is unchanged by textsafe_put (nothing to escape). */
int textsafe_is_clean(const char *s, size_t n);
#endif
