/* SPDX-License-Identifier: MIT */
/*
 * b64.h — base64 on libsodium's constant-time codec, with canonical decoding
 * (non-zero padding bits are rejected).
 */
#ifndef CCL_B64_H
#define CCL_B64_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

enum b64_variant {
	B64_STD_PAD,     /* RFC 4648 standard alphabet with '=' padding (records) */
	B64_STD_NOPAD,   /* standard alphabet, no padding (age) */
};

/* Encoded length, excluding the NUL. */
size_t b64_encoded_len(size_t n, enum b64_variant v);
/* Encode into out, which must hold b64_encoded_len()+1 bytes. */
void b64_encode(char *out, const uint8_t *in, size_t n, enum b64_variant v);
/*
 * Decode s[0..slen) into out (capacity cap); *outlen receives the length.
 * Rejects whitespace, wrong padding and non-canonical trailing bits.
 */
CCL_MUST_CHECK int b64_decode(uint8_t *out, size_t cap, size_t *outlen,
    const char *s, size_t slen, enum b64_variant v);
#endif
