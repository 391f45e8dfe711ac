/* SPDX-License-Identifier: MIT */
/*
 * keys.c — the identity key file in cclink 1.3's two formats, and the
 * public-key cache beside an envelope. See keys.h for the formats.
 *
 * Trust boundary: key files and caches are untrusted bytes, read only
 * through buf_rd. Envelope parameters are capped (kdf.h) before Argon2 runs,
 * so a hostile header cannot ask for gigabytes. Nothing here writes to a key
 * file except key_save, which replaces it atomically.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "age.h"
#include "buf.h"
#include "fsutil.h"
#include "hex.h"
#include "kdf.h"
#include "keys.h"
#include "secret.h"
#include "signer.h"
#include "z32.h"

/* An age file starts with this line (binary, not armored). */
#define AGE_INTRO "age-encryption.org/v1\n"
#define AGE_INTRO_LEN (sizeof(AGE_INTRO) - 1)
/* "pk:" z32 " sha256:" hex "\n" */
#define PUB_LINE_LEN (3 + Z32_KEY_LEN + 8 + 64 + 1)

static int
is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

enum key_format
key_detect(const uint8_t *data, size_t len)
{
	struct buf_rd rd;

	buf_rd_init(&rd, data, len);
	if (buf_expect(&rd, KEY_ENVELOPE_MAGIC, KEY_ENVELOPE_MAGIC_LEN) == 0)
		return KEY_FORMAT_ENVELOPE;
	return KEY_FORMAT_PLAIN;
}

int
key_plain_parse(uint8_t seed[static 32], const uint8_t *data, size_t len)
{
	struct buf_rd rd;
	const uint8_t *hex;
	uint8_t c;

	memset(seed, 0, KEY_SEED_LEN);
	buf_rd_init(&rd, data, len);
	while (buf_peek_u8(&rd, &c) == 0 && is_space(c))
		if (buf_skip(&rd, 1) != 0)
			return CCL_ERR_INTERNAL;
	if (buf_get_bytes(&rd, KEY_HEX_LEN, &hex) != 0)
		return CCL_ERR_FORMAT;
	while (buf_get_u8(&rd, &c) == 0)
		if (!is_space(c))
			return CCL_ERR_FORMAT;
	if (hex_decode(seed, KEY_SEED_LEN, (const char *)hex, KEY_HEX_LEN) != 0)
		return CCL_ERR_FORMAT;
	return 0;
}

void
key_plain_encode(char out[static 65], const uint8_t seed[static 32])
{
	hex_encode(out, seed, KEY_SEED_LEN);
}

/* A header below Argon2's minimums is a malformed file, not a bad argument. */
static int
check_params(uint32_t m_kib, uint32_t t, uint32_t p)
{
	int r = kdf_params_check(m_kib, t, p);

	return r == CCL_ERR_INVALID_ARG ? CCL_ERR_FORMAT : r;
}

int
key_envelope_parse(struct key_envelope *env, const uint8_t *data, size_t len)
{
	struct buf_rd rd, ct;
	const uint8_t *intro;
	uint8_t version;
	size_t n;
	int r;

	memset(env, 0, sizeof(*env));
	buf_rd_init(&rd, data, len);
	if (buf_expect(&rd, KEY_ENVELOPE_MAGIC, KEY_ENVELOPE_MAGIC_LEN) != 0)
		return CCL_ERR_FORMAT;
	if ((r = buf_get_u8(&rd, &version)) != 0)
		return CCL_ERR_TRUNCATED;
	if (version != KEY_ENVELOPE_VERSION)
		return CCL_ERR_UNSUPPORTED;
	if (buf_get_u32be(&rd, &env->m_kib) != 0 ||
	    buf_get_u32be(&rd, &env->t) != 0 ||
	    buf_get_u32be(&rd, &env->p) != 0 ||
	    buf_get_copy(&rd, env->salt, sizeof(env->salt)) != 0) {
		r = CCL_ERR_TRUNCATED;
		goto bad;
	}
	if ((r = check_params(env->m_kib, env->t, env->p)) != 0)
		goto bad;
	if ((n = buf_remaining(&rd)) == 0) {
		r = CCL_ERR_TRUNCATED;
		goto bad;
	}
	env->ct = buf_cur(&rd);
	env->ctlen = n;
	if ((r = buf_sub(&rd, n, &ct)) != 0)
		goto bad;
	/* Refuse early what cannot be an age file, before any passphrase. */
	if (n < AGE_INTRO_LEN) {
		if (buf_get_bytes(&ct, n, &intro) != 0) {
			r = CCL_ERR_INTERNAL;
			goto bad;
		}
		r = memcmp(intro, AGE_INTRO, n) == 0 ? CCL_ERR_TRUNCATED : CCL_ERR_FORMAT;
		goto bad;
	}
	if (buf_expect(&ct, AGE_INTRO, AGE_INTRO_LEN) != 0) {
		r = CCL_ERR_FORMAT;
		goto bad;
	}
	return 0;
 bad:
	memset(env, 0, sizeof(*env));
	return r;
}

/* The age identity for a passphrase and envelope parameters. */
static int
derive_identity(struct age_identity *aid, const char *pass, size_t passlen,
    const uint8_t salt[static 32], uint32_t m_kib, uint32_t t, uint32_t p)
{
	uint8_t scalar[32];
	int r;

	memset(aid, 0, sizeof(*aid));
	if ((r = kdf_derive_x25519(scalar, pass, passlen, salt, m_kib, t, p,
	    KEY_HKDF_INFO)) != 0 ||
	    (r = age_identity_from_x25519(aid, scalar)) != 0)
		goto out;
	r = 0;
 out:
	sodium_memzero(scalar, sizeof(scalar));
	return r;
}

int
key_envelope_open(uint8_t seed[static 32], const uint8_t *data, size_t len,
    const char *pass, size_t passlen)
{
	struct key_envelope env;
	struct age_identity aid;
	uint8_t *pt = NULL;
	size_t ptlen = 0;
	int r;

	memset(seed, 0, KEY_SEED_LEN);
	memset(&aid, 0, sizeof(aid));
	if (pass == NULL)
		return CCL_ERR_INVALID_ARG;
	if ((r = key_envelope_parse(&env, data, len)) != 0 ||
	    (r = derive_identity(&aid, pass, passlen, env.salt, env.m_kib, env.t, env.p)) != 0)
		goto out;
	r = age_decrypt(&aid, 1, env.ct, env.ctlen, &pt, &ptlen);
	switch (r) {
	case 0:
		break;
	case CCL_ERR_NO_IDENTITY:
		/* Our one stanza did not open: the passphrase, almost surely. */
		r = CCL_ERR_WRONG_PASSPHRASE;
		goto out;
	case CCL_ERR_NOMEM:
	case CCL_ERR_CRYPTO:
		goto out;
	default:
		/* The stanza opened, so the passphrase is right: the file is damaged. */
		r = CCL_ERR_MAC_INVALID;
		goto out;
	}
	if (ptlen != KEY_SEED_LEN) {
		r = CCL_ERR_MAC_INVALID;
		goto out;
	}
	memcpy(seed, pt, KEY_SEED_LEN);
	r = 0;
 out:
	if (pt != NULL)
		secret_free(pt);
	age_identity_cleanup(&aid);
	return r;
}

int
key_envelope_seal_params(uint8_t **out, size_t *outlen, const uint8_t seed[static 32],
    const char *pass, size_t passlen, const uint8_t salt[static 32],
    uint32_t m_kib, uint32_t t, uint32_t p)
{
	struct age_identity aid;
	struct age_recipient rcpt;
	struct buf_wr wr;
	uint8_t *ct = NULL;
	size_t ctlen = 0;
	int r;

	*out = NULL;
	*outlen = 0;
	memset(&aid, 0, sizeof(aid));
	buf_wr_init(&wr, KEY_FILE_MAX);
	if (pass == NULL || check_params(m_kib, t, p) != 0)
		return CCL_ERR_INVALID_ARG;
	if ((r = derive_identity(&aid, pass, passlen, salt, m_kib, t, p)) != 0)
		goto out;
	age_identity_recipient(&aid, &rcpt);
	if ((r = age_encrypt(&rcpt, 1, seed, KEY_SEED_LEN, &ct, &ctlen)) != 0 ||
	    (r = buf_put(&wr, KEY_ENVELOPE_MAGIC, KEY_ENVELOPE_MAGIC_LEN)) != 0 ||
	    (r = buf_put_u8(&wr, KEY_ENVELOPE_VERSION)) != 0 ||
	    (r = buf_put_u32be(&wr, m_kib)) != 0 ||
	    (r = buf_put_u32be(&wr, t)) != 0 ||
	    (r = buf_put_u32be(&wr, p)) != 0 ||
	    (r = buf_put(&wr, salt, 32)) != 0 ||
	    (r = buf_put(&wr, ct, ctlen)) != 0 ||
	    (r = buf_wr_detach(&wr, out, outlen)) != 0)
		goto out;
	r = 0;
 out:
	free(ct);
	buf_wr_free(&wr);
	age_identity_cleanup(&aid);
	return r;
}

int
key_envelope_seal(uint8_t **out, size_t *outlen, const uint8_t seed[static 32],
    const char *pass, size_t passlen)
{
	uint8_t salt[KDF_SALT_LEN];

	randombytes_buf(salt, sizeof(salt));
	return key_envelope_seal_params(out, outlen, seed, pass, passlen, salt,
	    KDF_DEFAULT_M_KIB, KDF_DEFAULT_T, KDF_DEFAULT_P);
}

void
key_file_cleanup(struct key_file *kf)
{
	free(kf->path);
	secret_free(kf->data);
	memset(kf, 0, sizeof(*kf));
}

int
key_file_read(struct key_file *kf, const char *path)
{
	uint8_t seed[KEY_SEED_LEN];
	char *dir = NULL;
	int r;

	memset(kf, 0, sizeof(*kf));
	if ((kf->path = strdup(path)) == NULL)
		return CCL_ERR_NOMEM;
	/* Whoever can write the key's directory can swap the key: refuse it first. */
	if ((r = fs_dirname(&dir, path)) != 0 ||
	    (r = fs_key_dir_check(dir, getuid(), NULL, NULL)) != 0)
		goto out;
	if ((r = fs_read_file(path, KEY_FILE_MAX,
	    FS_READ_SECRET | FS_READ_PRIVATE | FS_READ_REGULAR | FS_READ_NOFOLLOW, &kf->data,
	    &kf->len)) != 0)
		goto out;
	kf->format = key_detect(kf->data, kf->len);
	if (kf->format == KEY_FORMAT_ENVELOPE)
		r = key_envelope_parse(&kf->env, kf->data, kf->len);
	else
		r = key_plain_parse(seed, kf->data, kf->len);
 out:
	sodium_memzero(seed, sizeof(seed));
	free(dir);
	if (r != 0)
		key_file_cleanup(kf);
	return r;
}

int
key_file_unlock(const struct key_file *kf, const char *pass, size_t passlen,
    uint8_t seed[static 32])
{
	memset(seed, 0, KEY_SEED_LEN);
	switch (kf->format) {
	case KEY_FORMAT_PLAIN:
		return key_plain_parse(seed, kf->data, kf->len);
	case KEY_FORMAT_ENVELOPE:
		return key_envelope_open(seed, kf->data, kf->len, pass, passlen);
	}
	return CCL_ERR_INVALID_ARG;
}

int
key_seed_pubkey(uint8_t pk[static 32], const uint8_t seed[static 32])
{
	struct signer s;
	int r;

	memset(pk, 0, 32);
	if ((r = signer_from_seed(&s, seed)) != 0)
		return r;
	memcpy(pk, s.pk, 32);
	signer_cleanup(&s);
	return 0;
}

int
key_pub_path(char **out, const char *path)
{
	size_t n = strlen(path), total;
	char *p;

	*out = NULL;
	if (!ccl_add_ok(n, sizeof(KEY_PUB_SUFFIX), &total))
		return CCL_ERR_TOO_LARGE;
	if ((p = malloc(total)) == NULL)
		return CCL_ERR_NOMEM;
	memcpy(p, path, n);
	memcpy(p + n, KEY_PUB_SUFFIX, sizeof(KEY_PUB_SUFFIX));
	*out = p;
	return 0;
}

int
key_pub_parse(uint8_t pk[static 32], uint8_t digest[static 32], const uint8_t *data, size_t len)
{
	struct buf_rd rd;
	const uint8_t *z, *hex;
	char zs[Z32_KEY_LEN + 1];
	int r;

	memset(pk, 0, 32);
	memset(digest, 0, 32);
	buf_rd_init(&rd, data, len);
	if (buf_expect(&rd, "pk:", 3) != 0 ||
	    buf_get_bytes(&rd, Z32_KEY_LEN, &z) != 0 ||
	    buf_expect(&rd, " sha256:", 8) != 0 ||
	    buf_get_bytes(&rd, 64, &hex) != 0 ||
	    buf_expect(&rd, "\n", 1) != 0 ||
	    buf_done(&rd) != 0)
		return CCL_ERR_FORMAT;
	memcpy(zs, z, Z32_KEY_LEN);
	zs[Z32_KEY_LEN] = '\0';
	if ((r = z32_parse_pubkey(pk, zs)) != 0 ||
	    (r = hex_decode(digest, 32, (const char *)hex, 64)) != 0) {
		memset(pk, 0, 32);
		memset(digest, 0, 32);
		return r == CCL_ERR_KEY_INVALID ? r : CCL_ERR_FORMAT;
	}
	return 0;
}

int
key_pub_load(uint8_t pk[static 32], const struct key_file *kf)
{
	uint8_t want[32], got[32], cached[32];
	uint8_t *data = NULL;
	size_t len = 0;
	char *pub = NULL;
	int r;

	memset(pk, 0, 32);
	if ((r = key_pub_path(&pub, kf->path)) != 0 ||
	    (r = fs_read_file(pub, KEY_PUB_MAX,
	    FS_READ_REGULAR | FS_READ_NOT_WRITABLE | FS_READ_NOFOLLOW, &data, &len)) != 0 ||
	    (r = key_pub_parse(cached, got, data, len)) != 0)
		goto out;
	crypto_hash_sha256(want, kf->data, kf->len);
	if (sodium_memcmp(want, got, sizeof(want)) != 0) {
		r = CCL_ERR_FORMAT;  /* it describes another key file */
		goto out;
	}
	memcpy(pk, cached, 32);
	r = 0;
 out:
	free(data);
	free(pub);
	return r;
}

int
key_pub_save(const struct key_file *kf, const uint8_t pk[static 32])
{
	char line[PUB_LINE_LEN + 1], z[Z32_KEY_LEN + 1], hex[65];
	uint8_t digest[32];
	char *pub = NULL;
	int r;

	z32_encode(z, pk, 32);
	crypto_hash_sha256(digest, kf->data, kf->len);
	hex_encode(hex, digest, sizeof(digest));
	if (snprintf(line, sizeof(line), "pk:%s sha256:%s\n", z, hex) != PUB_LINE_LEN)
		return CCL_ERR_INTERNAL;
	if ((r = key_pub_path(&pub, kf->path)) != 0 ||
	    (r = fs_write_private(pub, line, PUB_LINE_LEN)) != 0)
		goto out;
	r = 0;
 out:
	free(pub);
	return r;
}

int
key_save(const char *path, const uint8_t seed[static 32], const char *pass, size_t passlen)
{
	struct key_file kf;
	uint8_t pk[32];
	char *dir = NULL, *pub = NULL;
	char hex[KEY_HEX_LEN + 1];
	uint8_t *env = NULL;
	size_t envlen = 0;
	int r;

	memset(&kf, 0, sizeof(kf));
	if ((r = key_seed_pubkey(pk, seed)) != 0)
		goto out;
	if (pass != NULL &&
	    (r = key_envelope_seal(&env, &envlen, seed, pass, passlen)) != 0)
		goto out;
	if ((r = fs_dirname(&dir, path)) != 0 ||
	    (r = fs_mkdir_p(dir, 0700)) != 0 ||
	    (r = fs_key_dir_check(dir, getuid(), NULL, NULL)) != 0 ||
	    (r = key_pub_path(&pub, path)) != 0 ||
	    (r = fs_remove(pub)) != 0)
		goto out;
	if (pass == NULL) {
		key_plain_encode(hex, seed);
		r = fs_write_private(path, hex, KEY_HEX_LEN);
		goto out;
	}
	if ((r = fs_write_private(path, env, envlen)) != 0)
		goto out;
	kf.path = (char *)path;
	kf.data = env;
	kf.len = envlen;
	kf.format = KEY_FORMAT_ENVELOPE;
	/*
	 * The cache is a convenience: if it cannot be written (atomically, so
	 * there is none), the next unlock rebuilds it. Not an error.
	 */
	if ((r = key_pub_save(&kf, pk)) != 0)
		r = 0;
 out:
	sodium_memzero(hex, sizeof(hex));
	free(env);
	free(pub);
	free(dir);
	return r;
}
