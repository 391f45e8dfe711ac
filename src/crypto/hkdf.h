/* SPDX-License-Identifier: MIT */
/* hkdf.h — HKDF-SHA256 (RFC 5869) on libsodium's HMAC-SHA256. */
#ifndef CCL_HKDF_H
#define CCL_HKDF_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

/* salt may be NULL/0 (= 32 zero bytes). out_len <= 255*32. */
CCL_MUST_CHECK int hkdf_sha256(uint8_t *out, size_t out_len,
    const uint8_t *ikm, size_t ikm_len, const uint8_t *salt, size_t salt_len,
    const uint8_t *info, size_t info_len);
#endif
