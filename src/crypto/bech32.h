/* SPDX-License-Identifier: MIT */
/*
 * bech32.h — Bech32 (BIP 173, not Bech32m) as age uses it: no 90-character
 * limit on the data part, strings all lowercase or all uppercase, and the
 * checksum computed over the lowercase form.
 *
 * Trust boundary: bech32_decode parses untrusted text (recipients typed by a
 * user, identities read from files) through buf_rd. Identities are secrets:
 * the decoder keeps no copy and wipes its output on failure.
 */
#ifndef CCL_BECH32_H
#define CCL_BECH32_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define BECH32_CHECKSUM_LEN 6

/*
 * Length of the text for an HRP of hrplen characters and n data bytes,
 * excluding the NUL; 0 if it would overflow.
 */
size_t bech32_encoded_len(size_t hrplen, size_t n);

/*
 * Encode n bytes under hrp into out (capacity outcap, NUL-terminated).
 * hrp is 1+ characters in 33..126, all of one case; the output takes the
 * HRP's case ("age" → lowercase, "AGE-SECRET-KEY-" → uppercase).
 * Errors: CCL_ERR_INVALID_ARG (bad HRP), CCL_ERR_TOO_LARGE (out too small).
 * On error out is wiped (it may hold an identity).
 */
CCL_MUST_CHECK int bech32_encode(char *out, size_t outcap, const char *hrp,
    const uint8_t *data, size_t n);

/*
 * Decode s[0..slen). The HRP is copied as written (uppercase when the string
 * is) into hrp (capacity hrpcap including the NUL), the data bytes into data
 * (capacity datacap), their count into *datalen.
 * Errors: CCL_ERR_FORMAT (mixed case, characters outside the alphabet, no
 * separator, short data part, bad checksum, padding that is too long or not
 * zero), CCL_ERR_TOO_LARGE (hrp or data buffer too small).
 * On error hrp and data are wiped and *datalen is 0.
 */
CCL_MUST_CHECK int bech32_decode(char *hrp, size_t hrpcap, uint8_t *data,
    size_t datacap, size_t *datalen, const char *s, size_t slen);
#endif
