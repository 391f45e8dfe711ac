/* SPDX-License-Identifier: MIT */
/*
 * kdf.h — Argon2id through libargon2 (cclink 1.3 uses 32-byte salts, which
 * libsodium's crypto_pwhash does not accept), and the two cclink derivations
 * built on it: Argon2id → HKDF-SHA256(info) → X25519 scalar.
 */
#ifndef CCL_KDF_H
#define CCL_KDF_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define KDF_DEFAULT_M_KIB 65536
#define KDF_DEFAULT_T 3
#define KDF_DEFAULT_P 1
#define KDF_SALT_LEN 32
/* Caps on parameters read from files, so a hostile header cannot ask for 4 TiB. */
#define KDF_MAX_M_KIB (1024 * 1024)
#define KDF_MAX_T 64
#define KDF_MAX_P 16

/*
 * Parameter check shared by every caller (and key files read from disk):
 * CCL_ERR_TOO_LARGE over the KDF_MAX_* caps, CCL_ERR_INVALID_ARG below
 * Argon2's own minimums (t, p >= 1, m >= 8p).
 */
CCL_MUST_CHECK int kdf_params_check(uint32_t m_kib, uint32_t t, uint32_t p);

/*
 * Argon2id v1.3, raw output of outlen (4..1024) bytes; salt 8..1024 bytes.
 * Parameters must satisfy 1 <= t <= KDF_MAX_T, 1 <= p <= KDF_MAX_P and
 * 8p <= m_kib <= KDF_MAX_M_KIB. Errors: CCL_ERR_TOO_LARGE (over a cap),
 * CCL_ERR_INVALID_ARG (under a minimum, bad lengths), CCL_ERR_NOMEM,
 * CCL_ERR_CRYPTO. out is wiped on error; the working memory is wiped.
 */
CCL_MUST_CHECK int kdf_argon2id(uint8_t *out, size_t outlen, const uint8_t *pw, size_t pwlen,
    const uint8_t *salt, size_t saltlen, uint32_t m_kib, uint32_t t, uint32_t p);
/*
 * The same with RFC 9106's optional secret value K and associated data X
 * (either may be NULL/0; up to 1024 bytes each). kdf_argon2id is this with
 * both empty; cclink itself uses neither (the RFC 9106 vectors do).
 */
CCL_MUST_CHECK int kdf_argon2id_full(uint8_t *out, size_t outlen, const uint8_t *pw,
    size_t pwlen, const uint8_t *salt, size_t saltlen, const uint8_t *secret,
    size_t secretlen, const uint8_t *ad, size_t adlen, uint32_t m_kib, uint32_t t, uint32_t p);

/*
 * scalar = HKDF-SHA256(ikm = Argon2id(secret, salt, m, t, p, 32), salt none, info).
 * info is "cclink-key-v1" for key files and "cclink-pin-v1" for PIN records.
 * The Argon2id output lives in secret memory and is wiped; scalar is wiped
 * on error. Errors as kdf_argon2id.
 */
CCL_MUST_CHECK int kdf_derive_x25519(uint8_t scalar[static 32], const char *secret, size_t secretlen,
    const uint8_t salt[static 32], uint32_t m_kib, uint32_t t, uint32_t p, const char *info);
#endif
