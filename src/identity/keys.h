/* SPDX-License-Identifier: MIT */
/*
 * keys.h — the identity key file ~/.pubky/secret_key, byte-compatible with
 * cclink 1.3 in both of its formats:
 *
 *   plaintext  64 hex characters of the 32-byte Ed25519 seed. Written in
 *              lowercase with no newline; read with surrounding ASCII
 *              whitespace trimmed and either case accepted.
 *   envelope   "CCLINKEK" | 0x01 | m_cost u32be | t_cost u32be | p_cost u32be
 *              | salt[32] | age file. The age file (binary, one X25519
 *              stanza) holds the 32-byte seed for the X25519 identity whose
 *              scalar is HKDF-SHA256(Argon2id(passphrase, salt, m, t, p),
 *              info "cclink-key-v1"). Parameters are read from the header,
 *              within the caps of kdf.h.
 *
 * Beside an envelope we keep "secret_key.pub", a public-key cache so that
 * `whoami` needs no passphrase: one line "pk:<z32> sha256:<hex>\n", where the
 * hash is SHA-256 of the whole key file. The hash binds the cache to the
 * exact file, so a key rewritten by another program (cclink 1.3 knows
 * nothing of the cache) is never shown with a stale public key.
 *
 * Trust boundary: key files and caches are parsed as untrusted bytes, all
 * through buf_rd. Reading never modifies a key file.
 */
#ifndef CCL_KEYS_H
#define CCL_KEYS_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define KEY_SEED_LEN 32
#define KEY_HEX_LEN 64
/* Cap on a key file (an envelope is about 250 bytes). */
#define KEY_FILE_MAX 16384
#define KEY_ENVELOPE_MAGIC "CCLINKEK"
#define KEY_ENVELOPE_MAGIC_LEN 8
#define KEY_ENVELOPE_VERSION 0x01
#define KEY_ENVELOPE_HEADER_LEN 53
#define KEY_HKDF_INFO "cclink-key-v1"
/* The public-key cache is the key path with this suffix. */
#define KEY_PUB_SUFFIX ".pub"
#define KEY_PUB_MAX 256

enum key_format {
	KEY_FORMAT_PLAIN = 1,
	KEY_FORMAT_ENVELOPE = 2,
};

/* A parsed envelope header; ct points into the parsed bytes. */
struct key_envelope {
	uint32_t m_kib;
	uint32_t t;
	uint32_t p;
	uint8_t salt[32];
	const uint8_t *ct;   /* the age file (borrowed) */
	size_t ctlen;
};

/* A key file read from disk, checked but still locked. */
struct key_file {
	char *path;               /* malloc'd */
	enum key_format format;
	uint8_t *data;            /* the file's bytes, secret memory */
	size_t len;
	struct key_envelope env;  /* format == KEY_FORMAT_ENVELOPE */
};

/* Envelope when data starts with "CCLINKEK" (as 1.3 decides), else plaintext. */
enum key_format key_detect(const uint8_t *data, size_t len);

/*
 * Parse a plaintext key: optional ASCII whitespace, exactly 64 hex digits
 * (any case), optional ASCII whitespace. CCL_ERR_FORMAT otherwise.
 */
CCL_MUST_CHECK int key_plain_parse(uint8_t seed[static 32], const uint8_t *data, size_t len);
/* The plaintext file body: 64 lowercase hex digits, NUL-terminated. */
void key_plain_encode(char out[static 65], const uint8_t seed[static 32]);

/*
 * Parse an envelope header without the passphrase. Errors: CCL_ERR_FORMAT
 * (bad magic, parameters below Argon2's minimums, the payload is not an age
 * file), CCL_ERR_TRUNCATED (shorter than the header, or no age file),
 * CCL_ERR_UNSUPPORTED (version other than 0x01), CCL_ERR_TOO_LARGE
 * (parameters above the caps of kdf.h).
 */
CCL_MUST_CHECK int key_envelope_parse(struct key_envelope *env, const uint8_t *data, size_t len);
/*
 * Decrypt an envelope. CCL_ERR_WRONG_PASSPHRASE when the derived identity
 * does not open the age file (a wrong passphrase, or a damaged stanza: the
 * two cannot be told apart); CCL_ERR_MAC_INVALID when the age file is
 * damaged in another way (header MAC, header syntax, payload) or does not
 * hold exactly 32 bytes; parse errors as above.
 */
CCL_MUST_CHECK int key_envelope_open(uint8_t seed[static 32], const uint8_t *data, size_t len,
    const char *pass, size_t passlen);
/* Seal seed with the default parameters (kdf.h) and a random salt. *out is malloc'd. */
CCL_MUST_CHECK int key_envelope_seal(uint8_t **out, size_t *outlen, const uint8_t seed[static 32],
    const char *pass, size_t passlen);
/* Seal with explicit parameters and salt (tests and fixtures). */
CCL_MUST_CHECK int key_envelope_seal_params(uint8_t **out, size_t *outlen,
    const uint8_t seed[static 32], const char *pass, size_t passlen,
    const uint8_t salt[static 32], uint32_t m_kib, uint32_t t, uint32_t p);

/*
 * Read and check a key file: its directory fit for a key (fs_key_dir_check:
 * CCL_ERR_PERMISSION), no mode bit beyond 0600 (CCL_ERR_PERMISSION),
 * a regular file of at most KEY_FILE_MAX bytes (CCL_ERR_FORMAT,
 * CCL_ERR_TOO_LARGE), CCL_ERR_NOT_FOUND when absent; then the whole
 * plaintext, or the envelope header, is parsed (errors as above), so a
 * damaged file fails before anyone is asked for a passphrase.
 */
CCL_MUST_CHECK int key_file_read(struct key_file *kf, const char *path);
/* The seed: plaintext directly (pass is ignored), envelope with pass. */
CCL_MUST_CHECK int key_file_unlock(const struct key_file *kf, const char *pass, size_t passlen,
    uint8_t seed[static 32]);
/* Wipe and release; safe on a zeroed struct and twice. */
void key_file_cleanup(struct key_file *kf);

/*
 * Write a key file atomically (fsutil: temp file, fsync, rename), mode 0600,
 * creating its directory (0700) if needed; an existing directory unfit for
 * a key (fs_key_dir_check) is refused. pass == NULL writes plaintext and
 * removes a public-key cache left by an earlier envelope; otherwise an
 * envelope with the default parameters and a fresh cache beside it. The old
 * cache is removed before the key is replaced, so a crash never leaves a
 * cache that describes another key. Failing to write the new cache is not
 * an error (it is rebuilt the next time the key is unlocked).
 */
CCL_MUST_CHECK int key_save(const char *path, const uint8_t seed[static 32],
    const char *pass, size_t passlen);

/* path + KEY_PUB_SUFFIX (malloc'd). */
CCL_MUST_CHECK int key_pub_path(char **out, const char *path);
/* Parse a cache line: public key and the key file's SHA-256. */
CCL_MUST_CHECK int key_pub_parse(uint8_t pk[static 32], uint8_t digest[static 32],
    const uint8_t *data, size_t len);
/*
 * The cached public key of kf. CCL_ERR_NOT_FOUND when there is no cache,
 * CCL_ERR_FORMAT when it is damaged or describes another key file,
 * CCL_ERR_PERMISSION when others may write it (it is then not trusted).
 */
CCL_MUST_CHECK int key_pub_load(uint8_t pk[static 32], const struct key_file *kf);
/* Write (atomically) the cache for kf. */
CCL_MUST_CHECK int key_pub_save(const struct key_file *kf, const uint8_t pk[static 32]);

/* The Ed25519 public key of a seed (through signer, the one signing path). */
CCL_MUST_CHECK int key_seed_pubkey(uint8_t pk[static 32], const uint8_t seed[static 32]);
#endif
