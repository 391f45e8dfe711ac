/* SPDX-License-Identifier: MIT */
/* hex.h — constant-time hex (libsodium's codec). */
#ifndef CCL_HEX_H
#define CCL_HEX_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

/* Lowercase hex of n bytes into out (2n+1 bytes, NUL-terminated). */
void hex_encode(char *out, const uint8_t *in, size_t n);
/*
 * Decode exactly n bytes from the hex text s of length slen (upper or lower
 * case, nothing else allowed). CCL_ERR_FORMAT on any other input.
 */
CCL_MUST_CHECK int hex_decode(uint8_t *out, size_t n, const char *s, size_t slen);
#endif
