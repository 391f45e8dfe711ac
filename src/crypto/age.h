/* SPDX-License-Identifier: MIT */
/*
 * age.h — age v1 (age-encryption.org/v1) with X25519 recipients.
 *
 * Trust boundary: age_decrypt parses untrusted bytes (records from the DHT,
 * key files on disk); all of it goes through buf_rd. Header grammar is
 * strict (canonical base64, 64-column lines, stanza count and line caps),
 * the header MAC is checked with sodium_memcmp before the payload is
 * touched, and STREAM enforces the last-chunk flag.
 *
 * Every decryption goes through a list of identities so that new kinds
 * (ssh-ed25519, agent-derived X25519) slot in without touching callers.
 */
#ifndef CCL_AGE_H
#define CCL_AGE_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define AGE_MAX_STANZAS 32
#define AGE_MAX_HEADER 16384
#define AGE_FILE_KEY_LEN 16
#define AGE_CHUNK_SIZE 65536                 /* STREAM plaintext chunk */
#define AGE_RECIPIENT_LEN 62                 /* strlen("age1…") */
#define AGE_IDENTITY_LEN 74                  /* strlen("AGE-SECRET-KEY-1…") */

enum age_kind {
	AGE_X25519 = 1,
	/* later: AGE_SSH_ED25519 */
};

/* A decryption identity. The secret lives in sodium_malloc memory. */
struct age_identity {
	enum age_kind kind;
	uint8_t *sk;       /* X25519 scalar, 32 bytes, secret memory */
	uint8_t pk[32];    /* its public key (for stanza matching and display) */
};

/* A recipient (public). */
struct age_recipient {
	enum age_kind kind;
	uint8_t pk[32];
};

/* Identity from a raw X25519 scalar (copied into secret memory). */
CCL_MUST_CHECK int age_identity_from_x25519(struct age_identity *id, const uint8_t sk[static 32]);
/*
 * Identity for an Ed25519 key: the X25519 scalar is
 * crypto_sign_ed25519_sk_to_curve25519 (clamped SHA-512(seed)[0..32]), so its
 * recipient equals age_recipient_from_ed25519_pk of the Ed25519 public key.
 */
CCL_MUST_CHECK int age_identity_from_ed25519_seed(struct age_identity *id, const uint8_t seed[static 32]);
/*
 * Identity from "AGE-SECRET-KEY-1…" (Bech32, uppercase as age writes it; a
 * lowercase or mixed-case string is refused). CCL_ERR_FORMAT when malformed.
 */
CCL_MUST_CHECK int age_identity_parse(struct age_identity *id, const char *s);
/* Wipe and release; safe on a zeroed struct. */
void age_identity_cleanup(struct age_identity *id);
/* The recipient matching an identity. */
void age_identity_recipient(const struct age_identity *id, struct age_recipient *r);

/* Recipient from "age1…" (Bech32, lowercase only). CCL_ERR_FORMAT when malformed. */
CCL_MUST_CHECK int age_recipient_parse(struct age_recipient *r, const char *s);
/*
 * Recipient for an Ed25519 public key (crypto_sign_ed25519_pk_to_curve25519).
 * CCL_ERR_KEY_INVALID for keys libsodium refuses (not on the curve, small order).
 */
CCL_MUST_CHECK int age_recipient_from_ed25519_pk(struct age_recipient *r, const uint8_t pk[static 32]);
/* Recipient from a raw X25519 public key. */
void age_recipient_from_x25519(struct age_recipient *r, const uint8_t pk[static 32]);
/* "age1…" text of a recipient into out (at least 63 bytes + NUL; 128 is plenty). */
CCL_MUST_CHECK int age_recipient_encode(const struct age_recipient *r, char *out, size_t outlen);
/* "AGE-SECRET-KEY-1…" text of an identity into secret memory; free with secret_free. */
CCL_MUST_CHECK int age_identity_encode(const struct age_identity *id, char **out);

/*
 * Encrypt pt to n recipients (binary age file, not armored), 1 <= n <=
 * AGE_MAX_STANZAS. *out is heap memory (malloc) owned by the caller.
 * Errors: CCL_ERR_INVALID_ARG (no or too many recipients, unknown kind),
 * CCL_ERR_KEY_INVALID (a recipient is a low-order point), CCL_ERR_TOO_LARGE,
 * CCL_ERR_NOMEM.
 */
CCL_MUST_CHECK int age_encrypt(const struct age_recipient *rcpts, size_t n,
    const uint8_t *pt, size_t ptlen, uint8_t **out, size_t *outlen);

/*
 * Decrypt an age file with the first identity that matches a stanza.
 * Errors: CCL_ERR_NO_IDENTITY (no identity matched: "no match"),
 * CCL_ERR_AGE_HEADER (header failure), CCL_ERR_MAC_INVALID (header MAC
 * failure), CCL_ERR_AGE_PAYLOAD (payload failure), CCL_ERR_NOMEM.
 * As in the CCTV vectors, a malformed X25519 stanza, a low-order ephemeral
 * share and a payload too short to hold the 16-byte nonce are header
 * failures. The whole payload is authenticated before anything is returned:
 * on error nothing is released. *pt is secret memory (secret_alloc) owned by
 * the caller: secret_free it.
 */
CCL_MUST_CHECK int age_decrypt(const struct age_identity *ids, size_t n,
    const uint8_t *ct, size_t ctlen, uint8_t **pt, size_t *ptlen);
#endif
