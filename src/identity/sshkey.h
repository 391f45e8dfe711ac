/* SPDX-License-Identifier: MIT */
/*
 * sshkey.h — OpenSSH ed25519 keys: the openssh-key-v1 private key file
 * (PROTOCOL.key; doc/openssh-keys.md), the one-line public key
 * ("ssh-ed25519 AAAA… comment"), the key blob and its SHA256 fingerprint.
 *
 * Trust boundary: every function here parses untrusted bytes (a file the
 * user names, a line pasted on the command line) through buf_rd, with a
 * size cap first. Nothing here does I/O or links libssh: encrypted keys are
 * decrypted in sshkey_file.c, which hands the cleartext back to
 * sshkey_parse_private.
 *
 * Errors are CCL_ERR_* codes, and info->why receives a one-line reason
 * naming the exact problem (the field, the cipher, the key type), for the
 * command layer to print. Strings copied from the file into info are
 * reduced to printable ASCII first.
 */
#ifndef CCL_SSHKEY_H
#define CCL_SSHKEY_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define SSHKEY_TEXT_MAX 16384         /* the largest key file read (RSA-16384 fits) */
#define SSHKEY_BLOB_LEN 51            /* string "ssh-ed25519" + string pk[32] */
#define SSHKEY_FP_LEN 50              /* strlen("SHA256:") + 43 */
#define SSHKEY_MAX_ROUNDS 4096        /* bcrypt rounds accepted (ssh-keygen: 16/24; -a 100) */
#define SSHKEY_MAX_SALT 64            /* bcrypt salt bytes (ssh-keygen writes 16) */
#define SSHKEY_PUBLINE_MAX 8192       /* longest "ssh-ed25519 AAAA… comment" line */
#define SSHKEY_TYPE "ssh-ed25519"

/* What the cleartext part of a key file says (no passphrase needed). */
struct sshkey_info {
	int encrypted;          /* cipher is not "none" */
	int rekey;              /* refused cipher: re-encrypt with ssh-keygen -p -Z aes256-ctr */
	char cipher[48];        /* ciphername (printable copy) */
	char kdf[16];           /* kdfname (printable copy) */
	uint32_t rounds;        /* bcrypt rounds (encrypted keys) */
	char type[48];          /* the public key's type string (printable copy) */
	uint8_t pk[32];         /* the Ed25519 public key, once known */
	char why[256];          /* on error: what exactly is wrong */
};

/*
 * Parse the armour, the cleartext header and the public key of an
 * openssh-key-v1 file text[0..len). Accepts an unencrypted key, or an
 * encrypted one whose cipher and KDF sshkey_file.c can decrypt (aes*-ctr,
 * aes*-cbc, 3des-cbc with bcrypt); info->pk is the public key either way.
 * Errors:
 *   CCL_ERR_FORMAT     no or bad armour, bad base64, bad magic, bad
 *                      kdfoptions, a malformed public key blob, a public
 *                      key (.pub) or a PEM/PKCS#8 key instead
 *   CCL_ERR_TRUNCATED  a length field runs past the end of the data
 *   CCL_ERR_TRAILING   bytes after the private section
 *   CCL_ERR_UNSUPPORTED unknown/refused cipher (info->rekey set for the
 *                      AEAD ciphers libssh 0.10 crashes on), unknown KDF,
 *                      zero or too many rounds, nkeys != 1, a key type
 *                      other than ssh-ed25519 (RSA, ECDSA, sk-, DSA, certs)
 *   CCL_ERR_TOO_LARGE  over SSHKEY_TEXT_MAX
 */
CCL_MUST_CHECK int sshkey_parse_public(const uint8_t *text, size_t len, struct sshkey_info *info);

/*
 * The whole key, which must be unencrypted: the 32-byte seed into seed (the
 * caller's secret memory). On top of sshkey_parse_public's checks: the
 * private section is a multiple of the block size (8), check1 == check2,
 * the private key type is ssh-ed25519, its public half equals the header's
 * public key, the 64-byte private key is seed||pk with pk derived from the
 * seed, the padding is 1,2,3,… and nothing follows. Errors as above plus
 * CCL_ERR_KEY_MISMATCH (the private half does not belong to the public
 * key), CCL_ERR_FORMAT (checkints, padding, block size), and
 * CCL_ERR_INVALID_ARG for an encrypted key (decrypt it first).
 * seed is zeroed on failure.
 */
CCL_MUST_CHECK int sshkey_parse_private(const uint8_t *text, size_t len, uint8_t seed[static 32],
    struct sshkey_info *info);

/*
 * A public key line "ssh-ed25519 AAAA… [comment]" (leading/trailing blanks
 * and one trailing newline allowed; the blob's type must match the first
 * word). CCL_ERR_FORMAT for anything else, CCL_ERR_UNSUPPORTED (with
 * info->why naming it) for another key type.
 */
CCL_MUST_CHECK int sshkey_parse_publine(const char *line, size_t len, uint8_t pk[static 32],
    struct sshkey_info *info);

/*
 * Key files (sshkey_file.c: file I/O, and libssh 0.10 for the bcrypt +
 * AES/3DES decryption; see doc/openssh-keys.md for why libssh and its
 * traps). The file must be a regular file with no group/other permission
 * bits, as OpenSSH requires. info->why names the cause and, with the path,
 * the fix (e.g. "ssh-keygen -p -Z aes256-ctr -f PATH").
 */
/* The cleartext part: info->pk and info->encrypted, no passphrase needed. */
CCL_MUST_CHECK int sshkey_load_public(const char *path, struct sshkey_info *info);
/*
 * The seed of the key at path; pass/passlen is used only when the key is
 * encrypted (pass NULL then: CCL_ERR_WRONG_PASSPHRASE). Besides the
 * parse errors: CCL_ERR_NOT_FOUND, CCL_ERR_PERMISSION, CCL_ERR_SYSTEM,
 * CCL_ERR_WRONG_PASSPHRASE (libssh cannot tell a wrong passphrase from a
 * corrupt encrypted part), CCL_ERR_KEY_MISMATCH.
 */
CCL_MUST_CHECK int sshkey_load_seed(const char *path, const char *pass, size_t passlen,
    uint8_t seed[static 32], struct sshkey_info *info);

/* The 51-byte public key blob of pk. */
void sshkey_blob(uint8_t out[static SSHKEY_BLOB_LEN], const uint8_t pk[static 32]);
/* "SHA256:<43 base64 chars>" as ssh-keygen -l prints it (out: SSHKEY_FP_LEN + 1). */
void sshkey_fingerprint(char out[static SSHKEY_FP_LEN + 1], const uint8_t pk[static 32]);
/* "ssh-ed25519 AAAA…" (no comment) into out, at least 81 + 1 bytes. */
CCL_MUST_CHECK int sshkey_format_publine(char *out, size_t outlen, const uint8_t pk[static 32]);
#endif
