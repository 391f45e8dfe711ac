/* SPDX-License-Identifier: MIT */
/*
 * kdf.c — Argon2id v1.3 through libargon2 (32-byte salts and p > 1, which
 * libsodium's crypto_pwhash does not offer), and the cclink derivation
 * Argon2id → HKDF-SHA256(info) → X25519 scalar (doc/formats.md).
 *
 * Trust boundary: m, t and p may come from a hostile key-file header, so
 * they are capped before libargon2 allocates anything. Passwords are never
 * copied; Argon2's working memory and output are wiped.
 */
#include <stdlib.h>
#include <string.h>
#include <argon2.h>
#include <sodium.h>
#include "hkdf.h"
#include "kdf.h"
#include "secret.h"

#define KDF_MAX_LEN 1024     /* outputs, salts, secrets and ad */
#define KDF_MIN_SALT 8       /* libargon2's ARGON2_MIN_SALT_LENGTH */
#define KDF_MIN_OUT 4

/* Working memory: plain heap (64 MiB would not fit in mlock limits), wiped on release. */
static int
kdf_alloc(uint8_t **memory, size_t n)
{
	*memory = malloc(n);
	return *memory == NULL ? ARGON2_MEMORY_ALLOCATION_ERROR : ARGON2_OK;
}

static void
kdf_release(uint8_t *memory, size_t n)
{
	ccl_freezero(memory, n);
}

int
kdf_params_check(uint32_t m_kib, uint32_t t, uint32_t p)
{
	if (t > KDF_MAX_T || p > KDF_MAX_P || m_kib > KDF_MAX_M_KIB)
		return CCL_ERR_TOO_LARGE;
	if (t < 1 || p < 1 || m_kib < 8 * p)
		return CCL_ERR_INVALID_ARG;
	return 0;
}

int
kdf_argon2id_full(uint8_t *out, size_t outlen, const uint8_t *pw, size_t pwlen,
    const uint8_t *salt, size_t saltlen, const uint8_t *secret, size_t secretlen,
    const uint8_t *ad, size_t adlen, uint32_t m_kib, uint32_t t, uint32_t p)
{
	argon2_context ctx;
	int r, ar;

	if (outlen < KDF_MIN_OUT || outlen > KDF_MAX_LEN)
		return CCL_ERR_INVALID_ARG;
	sodium_memzero(out, outlen);
	if ((r = kdf_params_check(m_kib, t, p)) != 0)
		return r;
	if (saltlen < KDF_MIN_SALT || saltlen > KDF_MAX_LEN || secretlen > KDF_MAX_LEN ||
	    adlen > KDF_MAX_LEN || pwlen > UINT32_MAX || (pw == NULL && pwlen != 0) ||
	    salt == NULL || (secret == NULL && secretlen != 0) || (ad == NULL && adlen != 0))
		return CCL_ERR_INVALID_ARG;
	memset(&ctx, 0, sizeof(ctx));
	ctx.out = out;
	ctx.outlen = (uint32_t)outlen;
	/* libargon2 only writes to these with the CLEAR_* flags, which are not set. */
	ctx.pwd = (uint8_t *)(uintptr_t)pw;
	ctx.pwdlen = (uint32_t)pwlen;
	ctx.salt = (uint8_t *)(uintptr_t)salt;
	ctx.saltlen = (uint32_t)saltlen;
	ctx.secret = (uint8_t *)(uintptr_t)secret;
	ctx.secretlen = (uint32_t)secretlen;
	ctx.ad = (uint8_t *)(uintptr_t)ad;
	ctx.adlen = (uint32_t)adlen;
	ctx.t_cost = t;
	ctx.m_cost = m_kib;
	ctx.lanes = p;
	ctx.threads = p;
	ctx.version = ARGON2_VERSION_13;
	ctx.allocate_cbk = kdf_alloc;
	ctx.free_cbk = kdf_release;
	ctx.flags = ARGON2_DEFAULT_FLAGS;
	ar = argon2_ctx(&ctx, Argon2_id);
	sodium_memzero(&ctx, sizeof(ctx));
	if (ar == ARGON2_OK)
		return 0;
	sodium_memzero(out, outlen);
	return ar == ARGON2_MEMORY_ALLOCATION_ERROR ? CCL_ERR_NOMEM : CCL_ERR_CRYPTO;
}

int
kdf_argon2id(uint8_t *out, size_t outlen, const uint8_t *pw, size_t pwlen,
    const uint8_t *salt, size_t saltlen, uint32_t m_kib, uint32_t t, uint32_t p)
{
	return kdf_argon2id_full(out, outlen, pw, pwlen, salt, saltlen, NULL, 0, NULL, 0,
	    m_kib, t, p);
}

int
kdf_derive_x25519(uint8_t scalar[static 32], const char *secret, size_t secretlen,
    const uint8_t salt[static 32], uint32_t m_kib, uint32_t t, uint32_t p, const char *info)
{
	uint8_t *ikm = NULL;
	int r = CCL_ERR_NOMEM;

	sodium_memzero(scalar, 32);
	if (info == NULL)
		return CCL_ERR_INVALID_ARG;
	if ((ikm = secret_alloc(32)) == NULL)
		goto out;
	/* Salt "none" in the Rust hkdf crate = HashLen zero bytes = hkdf_sha256's NULL. */
	if ((r = kdf_argon2id(ikm, 32, (const uint8_t *)secret, secretlen, salt, KDF_SALT_LEN,
	    m_kib, t, p)) != 0 ||
	    (r = hkdf_sha256(scalar, 32, ikm, 32, NULL, 0, (const uint8_t *)info,
	    strlen(info))) != 0)
		goto out;
	r = 0;
 out:
	secret_free(ikm);
	if (r != 0)
		sodium_memzero(scalar, 32);
	return r;
}
