/* SPDX-License-Identifier: MIT */
/*
 * age.c — age v1 (c2sp.org/age) with X25519 recipients: keys in Bech32, the
 * textual header (stanzas, HMAC) and the STREAM ChaCha20-Poly1305 payload.
 *
 * Trust boundary: age_decrypt parses untrusted bytes, only through buf_rd.
 * The header is parsed completely and strictly before any key is used
 * (every parse error is a header failure, whichever identities are given);
 * the header MAC is checked with sodium_memcmp before the payload is read,
 * and the payload is authenticated to its final chunk before any plaintext
 * is released. Keys derived here live on the stack and are wiped at out:.
 */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "age.h"
#include "b64.h"
#include "bech32.h"
#include "buf.h"
#include "hkdf.h"
#include "secret.h"

#define AGE_INTRO "age-encryption.org/v1\n"
#define AGE_X25519_INFO "age-encryption.org/v1/X25519"
#define AGE_IDENTITY_HRP "AGE-SECRET-KEY-"
#define AGE_RECIPIENT_HRP "age"
#define AGE_COLUMNS 64                 /* base64 columns per body line */
#define AGE_LINE_BYTES 48              /* bytes in a full body line */
#define AGE_NONCE_LEN 16
#define AGE_TAG_LEN crypto_aead_chacha20poly1305_ietf_ABYTES
#define AGE_ENC_CHUNK (AGE_CHUNK_SIZE + AGE_TAG_LEN)
#define AGE_STANZA_BODY_LEN (AGE_FILE_KEY_LEN + AGE_TAG_LEN)
#define AGE_B64_32 43                  /* unpadded base64 of 32 bytes */
/* "-> X25519 " share LF body LF */
#define AGE_X25519_STANZA_LEN (10 + AGE_B64_32 + 1 + AGE_B64_32 + 1)
/* "--- " mac LF */
#define AGE_MAC_LINE_LEN (4 + AGE_B64_32 + 1)

/* A parsed stanza; only X25519 ones keep their (validated) contents. */
struct age_stanza {
	int x25519;
	uint8_t share[32];
	uint8_t body[AGE_STANZA_BODY_LEN];
};

struct age_header {
	struct age_stanza st[AGE_MAX_STANZAS];
	size_t nst;
	size_t mac_off;     /* bytes covered by the MAC: through "---" */
	size_t len;         /* the whole header, MAC line included */
	uint8_t mac[crypto_auth_hmacsha256_BYTES];
};

/* ---- keys ---- */

int
age_identity_from_x25519(struct age_identity *id, const uint8_t sk[static 32])
{
	int r = CCL_ERR_NOMEM;

	memset(id, 0, sizeof(*id));
	if ((id->sk = secret_alloc(32)) == NULL)
		goto out;
	memcpy(id->sk, sk, 32);
	r = CCL_ERR_CRYPTO;
	if (crypto_scalarmult_base(id->pk, id->sk) != 0)
		goto out;
	id->kind = AGE_X25519;
	r = 0;
 out:
	if (r != 0)
		age_identity_cleanup(id);
	return r;
}

int
age_identity_from_ed25519_seed(struct age_identity *id, const uint8_t seed[static 32])
{
	uint8_t *edsk = NULL, *xsk = NULL;
	uint8_t edpk[crypto_sign_ed25519_PUBLICKEYBYTES];
	int r = CCL_ERR_NOMEM;

	memset(id, 0, sizeof(*id));
	if ((edsk = secret_alloc(crypto_sign_ed25519_SECRETKEYBYTES)) == NULL ||
	    (xsk = secret_alloc(32)) == NULL)
		goto out;
	r = CCL_ERR_CRYPTO;
	/* Key derivation only (no signature): the 64-byte form the converter takes. */
	if (crypto_sign_ed25519_seed_keypair(edpk, edsk, seed) != 0 ||
	    crypto_sign_ed25519_sk_to_curve25519(xsk, edsk) != 0)
		goto out;
	r = age_identity_from_x25519(id, xsk);
 out:
	secret_free(edsk);
	secret_free(xsk);
	return r;
}

void
age_identity_cleanup(struct age_identity *id)
{
	if (id == NULL)
		return;
	secret_free(id->sk);
	sodium_memzero(id, sizeof(*id));
}

void
age_identity_recipient(const struct age_identity *id, struct age_recipient *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = id->kind;
	memcpy(r->pk, id->pk, sizeof(r->pk));
}

int
age_identity_parse(struct age_identity *id, const char *s)
{
	char hrp[sizeof(AGE_IDENTITY_HRP) + 1];
	uint8_t sk[32];
	size_t n = 0;
	int r;

	memset(id, 0, sizeof(*id));
	if ((r = bech32_decode(hrp, sizeof(hrp), sk, sizeof(sk), &n, s, strlen(s))) != 0) {
		r = r == CCL_ERR_NOMEM ? r : CCL_ERR_FORMAT;
		goto out;
	}
	/* Exact, case-sensitive HRP: age writes identities in uppercase only. */
	r = CCL_ERR_FORMAT;
	if (strcmp(hrp, AGE_IDENTITY_HRP) != 0 || n != sizeof(sk))
		goto out;
	r = age_identity_from_x25519(id, sk);
 out:
	sodium_memzero(sk, sizeof(sk));
	return r;
}

int
age_identity_encode(const struct age_identity *id, char **out)
{
	size_t len = bech32_encoded_len(strlen(AGE_IDENTITY_HRP), 32) + 1;
	char *s = NULL;
	int r;

	*out = NULL;
	if (id->kind != AGE_X25519 || id->sk == NULL)
		return CCL_ERR_INVALID_ARG;
	if ((s = secret_alloc(len)) == NULL)
		return CCL_ERR_NOMEM;
	if ((r = bech32_encode(s, len, AGE_IDENTITY_HRP, id->sk, 32)) != 0) {
		secret_free(s);
		return r;
	}
	*out = s;
	return 0;
}

int
age_recipient_parse(struct age_recipient *r, const char *s)
{
	char hrp[sizeof(AGE_RECIPIENT_HRP) + 1];
	uint8_t pk[32];
	size_t n = 0;
	int ret;

	memset(r, 0, sizeof(*r));
	if ((ret = bech32_decode(hrp, sizeof(hrp), pk, sizeof(pk), &n, s, strlen(s))) != 0)
		return ret == CCL_ERR_NOMEM ? ret : CCL_ERR_FORMAT;
	if (strcmp(hrp, AGE_RECIPIENT_HRP) != 0 || n != sizeof(pk))
		return CCL_ERR_FORMAT;
	age_recipient_from_x25519(r, pk);
	return 0;
}

void
age_recipient_from_x25519(struct age_recipient *r, const uint8_t pk[static 32])
{
	memset(r, 0, sizeof(*r));
	r->kind = AGE_X25519;
	memcpy(r->pk, pk, sizeof(r->pk));
}

int
age_recipient_from_ed25519_pk(struct age_recipient *r, const uint8_t pk[static 32])
{
	uint8_t x[32];

	memset(r, 0, sizeof(*r));
	if (crypto_sign_ed25519_pk_to_curve25519(x, pk) != 0)
		return CCL_ERR_KEY_INVALID;
	age_recipient_from_x25519(r, x);
	return 0;
}

int
age_recipient_encode(const struct age_recipient *r, char *out, size_t outlen)
{
	if (r->kind != AGE_X25519)
		return CCL_ERR_INVALID_ARG;
	return bech32_encode(out, outlen, AGE_RECIPIENT_HRP, r->pk, sizeof(r->pk));
}

/* ---- header parsing ---- */

/* 1+ printable ASCII characters (VCHAR): the stanza argument alphabet. */
static int
arg_ok(const uint8_t *a, size_t n)
{
	struct buf_rd rd;
	uint8_t c;

	if (n == 0)
		return 0;
	buf_rd_init(&rd, a, n);
	while (buf_get_u8(&rd, &c) == 0)
		if (c < 33 || c > 126)
			return 0;
	return 1;
}

/*
 * Canonical unpadded base64 of exactly n bytes: b64_decode rejects padding,
 * whitespace (CR included) and non-zero trailing bits.
 */
static int
b64_exact(uint8_t *out, size_t n, const uint8_t *s, size_t slen)
{
	size_t got = 0;
	int r;

	if (slen != b64_encoded_len(n, B64_STD_NOPAD))
		return CCL_ERR_AGE_HEADER;
	if ((r = b64_decode(out, n, &got, (const char *)s, slen, B64_STD_NOPAD)) != 0)
		return r == CCL_ERR_NOMEM ? r : CCL_ERR_AGE_HEADER;
	return got == n ? 0 : CCL_ERR_AGE_HEADER;
}

/*
 * Parse the stanza whose "-> " prefix lr has just consumed; the body lines
 * follow in rd. Arguments are single-space separated and non-empty.
 */
static int
parse_stanza(struct buf_rd *lr, struct buf_rd *rd, struct age_stanza *st)
{
	const uint8_t *arg[3] = { NULL, NULL, NULL }, *line, *a;
	size_t arglen[3] = { 0, 0, 0 }, argc = 0, d, n, got, bodylen = 0;
	uint8_t chunk[AGE_LINE_BYTES];
	int r, more = 1, x25519;

	while (more) {
		if (buf_find(lr, ' ', &d) != 0) {
			d = buf_remaining(lr);
			more = 0;
		}
		if (buf_get_bytes(lr, d, &a) != 0 || !arg_ok(a, d))
			return CCL_ERR_AGE_HEADER;
		if (argc < 3) {
			arg[argc] = a;
			arglen[argc] = d;
		}
		argc++;
		if (more && buf_skip(lr, 1) != 0)
			return CCL_ERR_AGE_HEADER;
	}
	x25519 = arglen[0] == 6 && memcmp(arg[0], "X25519", 6) == 0;
	if (x25519) {
		/* The spec's MUSTs for an X25519 stanza: two arguments, a 32-byte share. */
		if (argc != 2)
			return CCL_ERR_AGE_HEADER;
		if ((r = b64_exact(st->share, sizeof(st->share), arg[1], arglen[1])) != 0)
			return r;
	}
	/* Body: full 64-column lines, then one shorter (possibly empty) line. */
	for (;;) {
		if (buf_get_line(rd, buf_remaining(rd), &line, &n) != 0 || n > AGE_COLUMNS)
			return CCL_ERR_AGE_HEADER;
		if ((r = b64_decode(chunk, sizeof(chunk), &got, (const char *)line, n,
		    B64_STD_NOPAD)) != 0)
			return r == CCL_ERR_NOMEM ? r : CCL_ERR_AGE_HEADER;
		if (x25519 && got > 0) {
			if (got > sizeof(st->body) - bodylen)
				return CCL_ERR_AGE_HEADER;
			memcpy(st->body + bodylen, chunk, got);
			bodylen += got;
		}
		if (got < AGE_LINE_BYTES)
			break;
	}
	/* Exactly 32 bytes, checked before any decryption (partitioning oracles). */
	if (x25519 && bodylen != sizeof(st->body))
		return CCL_ERR_AGE_HEADER;
	st->x25519 = x25519;
	return 0;
}

/* Parse and validate the header at the start of in; every failure is CCL_ERR_AGE_HEADER. */
static int
parse_header(const uint8_t *in, size_t inlen, struct age_header *h)
{
	struct buf_rd rd, lr;
	const uint8_t *line, *mac;
	size_t n, start;
	int r;

	memset(h, 0, sizeof(*h));
	buf_rd_init(&rd, in, inlen < AGE_MAX_HEADER ? inlen : AGE_MAX_HEADER);
	if (buf_expect(&rd, AGE_INTRO, strlen(AGE_INTRO)) != 0)
		return CCL_ERR_AGE_HEADER;
	for (;;) {
		start = buf_offset(&rd);
		if (buf_get_line(&rd, buf_remaining(&rd), &line, &n) != 0)
			return CCL_ERR_AGE_HEADER;
		buf_rd_init(&lr, line, n);
		if (buf_expect(&lr, "---", 3) == 0) {
			h->mac_off = start + 3;
			if (buf_expect(&lr, " ", 1) != 0)
				return CCL_ERR_AGE_HEADER;
			n = buf_remaining(&lr);
			if (buf_get_bytes(&lr, n, &mac) != 0)
				return CCL_ERR_AGE_HEADER;
			if ((r = b64_exact(h->mac, sizeof(h->mac), mac, n)) != 0)
				return r;
			break;
		}
		if (buf_expect(&lr, "-> ", 3) != 0 || h->nst >= AGE_MAX_STANZAS)
			return CCL_ERR_AGE_HEADER;
		if ((r = parse_stanza(&lr, &rd, &h->st[h->nst])) != 0)
			return r;
		h->nst++;
	}
	/* The grammar asks for at least one stanza. */
	if (h->nst == 0)
		return CCL_ERR_AGE_HEADER;
	h->len = buf_offset(&rd);
	return 0;
}

/* ---- decryption ---- */

static const uint8_t zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];

/*
 * Try to unwrap one X25519 stanza. 0 with the file key, CCL_ERR_NO_IDENTITY
 * when the stanza is not for this identity, CCL_ERR_AGE_HEADER when the
 * shared secret is all zero (a low-order share).
 */
static int
unwrap_x25519(const struct age_identity *id, const struct age_stanza *st,
    uint8_t filekey[static AGE_FILE_KEY_LEN])
{
	uint8_t shared[32], wrap[32], salt[64];
	unsigned long long fklen = 0;
	int r;

	if (crypto_scalarmult(shared, id->sk, st->share) != 0) {
		r = CCL_ERR_AGE_HEADER;
		goto out;
	}
	memcpy(salt, st->share, 32);
	memcpy(salt + 32, id->pk, 32);
	if ((r = hkdf_sha256(wrap, sizeof(wrap), shared, sizeof(shared), salt, sizeof(salt),
	    (const uint8_t *)AGE_X25519_INFO, strlen(AGE_X25519_INFO))) != 0)
		goto out;
	r = CCL_ERR_NO_IDENTITY;
	if (crypto_aead_chacha20poly1305_ietf_decrypt(filekey, &fklen, NULL, st->body,
	    sizeof(st->body), NULL, 0, zero_nonce, wrap) != 0 || fklen != AGE_FILE_KEY_LEN)
		goto out;
	r = 0;
 out:
	if (r != 0)
		sodium_memzero(filekey, AGE_FILE_KEY_LEN);
	sodium_memzero(shared, sizeof(shared));
	sodium_memzero(wrap, sizeof(wrap));
	return r;
}

/* 11-byte big-endian chunk counter, then the last-chunk flag. */
static void
stream_nonce(uint8_t nonce[static 12], uint64_t ctr, int last)
{
	int i;

	memset(nonce, 0, 12);
	for (i = 10; i >= 3; i--, ctr >>= 8)
		nonce[i] = (uint8_t)ctr;
	nonce[11] = last ? 1 : 0;
}

static int
header_mac(uint8_t mac[static 32], const uint8_t filekey[static AGE_FILE_KEY_LEN],
    const uint8_t *hdr, size_t n)
{
	uint8_t key[crypto_auth_hmacsha256_KEYBYTES];
	int r;

	if ((r = hkdf_sha256(key, sizeof(key), filekey, AGE_FILE_KEY_LEN, NULL, 0,
	    (const uint8_t *)"header", 6)) == 0)
		crypto_auth_hmacsha256(mac, hdr, n, key);
	sodium_memzero(key, sizeof(key));
	return r;
}

/*
 * Decrypt the STREAM payload in rd (after the nonce). Non-final chunks are
 * exactly 64 KiB; the final one may be shorter but empty only when it is the
 * only one. Trailing data or a missing final chunk fails to authenticate.
 */
static int
stream_open(struct buf_rd *rd, const uint8_t key[static 32], uint8_t **ptp, size_t *ptlenp)
{
	size_t rem = buf_remaining(rd), nch, lastlen, ptlen, off = 0, i, clen;
	uint8_t nonce[12], *pt = NULL;
	const uint8_t *c;
	unsigned long long mlen;
	int r = CCL_ERR_AGE_PAYLOAD;

	*ptp = NULL;
	*ptlenp = 0;
	if (rem == 0)
		goto out;
	nch = rem / AGE_ENC_CHUNK + (rem % AGE_ENC_CHUNK != 0);
	lastlen = rem - (nch - 1) * AGE_ENC_CHUNK;
	if (lastlen < AGE_TAG_LEN || (lastlen == AGE_TAG_LEN && nch > 1))
		goto out;
	ptlen = rem - nch * AGE_TAG_LEN;
	if ((pt = secret_alloc(ptlen)) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < nch; i++) {
		clen = i + 1 < nch ? AGE_ENC_CHUNK : lastlen;
		stream_nonce(nonce, (uint64_t)i, i + 1 == nch);
		if (buf_get_bytes(rd, clen, &c) != 0 ||
		    crypto_aead_chacha20poly1305_ietf_decrypt(pt + off, &mlen, NULL, c, clen,
		    NULL, 0, nonce, key) != 0 || mlen != clen - AGE_TAG_LEN)
			goto out;
		off += (size_t)mlen;
	}
	if (off != ptlen || buf_done(rd) != 0)
		goto out;
	*ptp = pt;
	*ptlenp = ptlen;
	pt = NULL;
	r = 0;
 out:
	if (pt != NULL) {
		sodium_memzero(pt, ptlen);
		secret_free(pt);
	}
	return r;
}

int
age_decrypt(const struct age_identity *ids, size_t n, const uint8_t *ct, size_t ctlen,
    uint8_t **pt, size_t *ptlen)
{
	struct age_header *h = NULL;
	struct buf_rd rd;
	const uint8_t *hdr;
	uint8_t filekey[AGE_FILE_KEY_LEN], mac[32], nonce[AGE_NONCE_LEN], skey[32];
	size_t i, j;
	int r, found = 0;

	*pt = NULL;
	*ptlen = 0;
	if ((h = malloc(sizeof(*h))) == NULL)
		return CCL_ERR_NOMEM;
	if ((r = parse_header(ct, ctlen, h)) != 0)
		goto out;
	/* Identities in order, each against every stanza (as age does). */
	for (i = 0; i < n && !found; i++) {
		if (ids[i].kind != AGE_X25519 || ids[i].sk == NULL)
			continue;
		for (j = 0; j < h->nst && !found; j++) {
			if (!h->st[j].x25519)
				continue;
			r = unwrap_x25519(&ids[i], &h->st[j], filekey);
			if (r == 0)
				found = 1;
			else if (r != CCL_ERR_NO_IDENTITY)
				goto out;
		}
	}
	if (!found) {
		r = CCL_ERR_NO_IDENTITY;
		goto out;
	}
	buf_rd_init(&rd, ct, ctlen);
	if ((r = buf_get_bytes(&rd, h->mac_off, &hdr)) != 0 ||
	    (r = header_mac(mac, filekey, hdr, h->mac_off)) != 0)
		goto out;
	if (sodium_memcmp(mac, h->mac, sizeof(mac)) != 0) {
		r = CCL_ERR_MAC_INVALID;
		goto out;
	}
	/* A payload without its nonce counts as a header failure (CCTV). */
	if (buf_seek(&rd, h->len) != 0 || buf_get_copy(&rd, nonce, sizeof(nonce)) != 0) {
		r = CCL_ERR_AGE_HEADER;
		goto out;
	}
	if ((r = hkdf_sha256(skey, sizeof(skey), filekey, sizeof(filekey), nonce,
	    sizeof(nonce), (const uint8_t *)"payload", 7)) != 0 ||
	    (r = stream_open(&rd, skey, pt, ptlen)) != 0)
		goto out;
	r = 0;
 out:
	if (h != NULL) {
		sodium_memzero(h, sizeof(*h));
		free(h);
	}
	sodium_memzero(filekey, sizeof(filekey));
	sodium_memzero(mac, sizeof(mac));
	sodium_memzero(skey, sizeof(skey));
	return r;
}

/* ---- encryption ---- */

static int
put_b64(struct buf_wr *w, const uint8_t *p, size_t n)
{
	char s[AGE_B64_32 + 1];

	if (b64_encoded_len(n, B64_STD_NOPAD) >= sizeof(s))
		return CCL_ERR_INTERNAL;
	b64_encode(s, p, n, B64_STD_NOPAD);
	return buf_put(w, s, strlen(s));
}

static int
put_x25519_stanza(struct buf_wr *w, const struct age_recipient *rc,
    const uint8_t filekey[static AGE_FILE_KEY_LEN])
{
	uint8_t eph[32], share[32], shared[32], salt[64], wrap[32];
	uint8_t body[AGE_STANZA_BODY_LEN];
	int r = CCL_ERR_CRYPTO;

	randombytes_buf(eph, sizeof(eph));
	if (crypto_scalarmult_base(share, eph) != 0)
		goto out;
	r = CCL_ERR_KEY_INVALID;
	if (crypto_scalarmult(shared, eph, rc->pk) != 0)
		goto out;
	memcpy(salt, share, 32);
	memcpy(salt + 32, rc->pk, 32);
	if ((r = hkdf_sha256(wrap, sizeof(wrap), shared, sizeof(shared), salt, sizeof(salt),
	    (const uint8_t *)AGE_X25519_INFO, strlen(AGE_X25519_INFO))) != 0)
		goto out;
	crypto_aead_chacha20poly1305_ietf_encrypt(body, NULL, filekey, AGE_FILE_KEY_LEN,
	    NULL, 0, NULL, zero_nonce, wrap);
	/* A 32-byte body is one short (43-column) line. */
	if ((r = buf_put_cstr(w, "-> X25519 ")) != 0 || (r = put_b64(w, share, 32)) != 0 ||
	    (r = buf_put_u8(w, '\n')) != 0 || (r = put_b64(w, body, sizeof(body))) != 0 ||
	    (r = buf_put_u8(w, '\n')) != 0)
		goto out;
	r = 0;
 out:
	sodium_memzero(eph, sizeof(eph));
	sodium_memzero(shared, sizeof(shared));
	sodium_memzero(wrap, sizeof(wrap));
	return r;
}

int
age_encrypt(const struct age_recipient *rcpts, size_t n, const uint8_t *pt, size_t ptlen,
    uint8_t **out, size_t *outlen)
{
	struct buf_wr w;
	uint8_t filekey[AGE_FILE_KEY_LEN], mac[32], nonce[AGE_NONCE_LEN], skey[32], chunk_nonce[12];
	uint8_t *c;
	size_t i, nch, total, tags, off, m;
	int r = CCL_ERR_INVALID_ARG;

	*out = NULL;
	*outlen = 0;
	buf_wr_init(&w, 0);
	if (n == 0 || n > AGE_MAX_STANZAS)
		goto out;
	for (i = 0; i < n; i++)
		if (rcpts[i].kind != AGE_X25519)
			goto out;
	/* Exact output size: header, nonce, chunks (one, empty, for an empty pt). */
	nch = ptlen == 0 ? 1 : ptlen / AGE_CHUNK_SIZE + (ptlen % AGE_CHUNK_SIZE != 0);
	total = strlen(AGE_INTRO) + n * AGE_X25519_STANZA_LEN + AGE_MAC_LINE_LEN + AGE_NONCE_LEN;
	r = CCL_ERR_TOO_LARGE;
	if (!ccl_mul_ok(nch, AGE_TAG_LEN, &tags) || !ccl_add_ok(total, tags, &total) ||
	    !ccl_add_ok(total, ptlen, &total))
		goto out;
	buf_wr_init(&w, total);
	randombytes_buf(filekey, sizeof(filekey));
	if ((r = buf_put_cstr(&w, AGE_INTRO)) != 0)
		goto out;
	for (i = 0; i < n; i++)
		if ((r = put_x25519_stanza(&w, &rcpts[i], filekey)) != 0)
			goto out;
	if ((r = buf_put_cstr(&w, "---")) != 0 ||
	    (r = header_mac(mac, filekey, buf_wr_data(&w), buf_wr_len(&w))) != 0 ||
	    (r = buf_put_u8(&w, ' ')) != 0 || (r = put_b64(&w, mac, sizeof(mac))) != 0 ||
	    (r = buf_put_u8(&w, '\n')) != 0)
		goto out;
	randombytes_buf(nonce, sizeof(nonce));
	if ((r = buf_put(&w, nonce, sizeof(nonce))) != 0 ||
	    (r = hkdf_sha256(skey, sizeof(skey), filekey, sizeof(filekey), nonce,
	    sizeof(nonce), (const uint8_t *)"payload", 7)) != 0)
		goto out;
	for (i = 0, off = 0; i < nch; i++, off += m) {
		m = ptlen - off < AGE_CHUNK_SIZE ? ptlen - off : AGE_CHUNK_SIZE;
		stream_nonce(chunk_nonce, (uint64_t)i, i + 1 == nch);
		if ((r = buf_reserve(&w, m + AGE_TAG_LEN, &c)) != 0)
			goto out;
		crypto_aead_chacha20poly1305_ietf_encrypt(c, NULL, m == 0 ? NULL : pt + off, m,
		    NULL, 0, NULL, chunk_nonce, skey);
	}
	if (buf_wr_len(&w) != total) {
		r = CCL_ERR_INTERNAL;
		goto out;
	}
	r = buf_wr_detach(&w, out, outlen);
 out:
	buf_wr_free(&w);
	sodium_memzero(filekey, sizeof(filekey));
	sodium_memzero(skey, sizeof(skey));
	return r;
}
