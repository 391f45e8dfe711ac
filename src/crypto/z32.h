/* SPDX-License-Identifier: MIT */
/* z32.h — z-base-32 (PKARR public keys). Strict: lowercase alphabet only. */
#ifndef CCL_Z32_H
#define CCL_Z32_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define Z32_KEY_LEN 52  /* characters for a 32-byte key */

/* Encoded length of n bytes. */
size_t z32_encoded_len(size_t n);
/* Encode into out (z32_encoded_len(n)+1 bytes, NUL-terminated). */
void z32_encode(char *out, const uint8_t *in, size_t n);
/*
 * Decode exactly n bytes from s[0..slen). Rejects characters outside the
 * alphabet (uppercase included), a wrong length, and non-zero padding bits.
 */
CCL_MUST_CHECK int z32_decode(uint8_t *out, size_t n, const char *s, size_t slen);
/*
 * Parse a public key given as "<z32>" or "pk:<z32>" (NUL-terminated): exactly
 * 52 characters, and a valid Ed25519 point (CCL_ERR_KEY_INVALID otherwise).
 */
CCL_MUST_CHECK int z32_parse_pubkey(uint8_t pk[static 32], const char *s);
#endif
