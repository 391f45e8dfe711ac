/* SPDX-License-Identifier: MIT */
/*
 * sshkey_file.c — OpenSSH key files on disk (sshkey_load_public,
 * sshkey_load_seed from sshkey.h).
 *
 * Encrypted keys: bcrypt_pbkdf and AES-CTR/CBC are not in libsodium, so
 * libssh 0.10 decrypts (ssh_pki_import_privkey_base64) and re-exports the
 * key unencrypted (ssh_pki_export_privkey_base64), which sshkey.c then
 * parses like any other file. Traps handled here: libssh crashes on the AEAD
 * ciphers (sshkey_parse_public refuses them before libssh sees the text),
 * has no error code for a wrong passphrase, and its exported text holds the
 * secret (wiped before release). The header's public key is compared with
 * the decrypted private key: libssh does not.
 *
 * Trust boundary: the file is untrusted; sshkey.c parses it first, and
 * libssh sees only text that passed that parse.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libssh/libssh.h>
#include <sodium.h>

#include "fsutil.h"
#include "secret.h"
#include "sshkey.h"

static int
fail(struct sshkey_info *info, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(info->why, sizeof(info->why), fmt, ap);
	va_end(ap);
	return r;
}

static int
read_key(const char *path, uint8_t **text, size_t *len, struct sshkey_info *info)
{
	size_t n;
	int r;

	r = fs_read_file(path, SSHKEY_TEXT_MAX, FS_READ_SECRET | FS_READ_PRIVATE | FS_READ_REGULAR,
	    text, len);
	switch (r) {
	case 0:
		return 0;
	case CCL_ERR_NOT_FOUND:
		return fail(info, r, "no such file (make a key with: ssh-keygen -t ed25519 -f %s)",
		    path);
	case CCL_ERR_PERMISSION:
		n = strlen(path);
		if (n > 4 && strcmp(path + n - 4, ".pub") == 0)
			return fail(info, CCL_ERR_FORMAT, "this is a public key (.pub file); give the "
			    "private key file (the same path without .pub)");
		return fail(info, r, "the key file is readable by other users; fix it with: "
		    "chmod 600 %s", path);
	case CCL_ERR_FORMAT:
		return fail(info, r, "not a regular file");
	case CCL_ERR_TOO_LARGE:
		return fail(info, r, "the file is larger than %d bytes: not an ed25519 key",
		    SSHKEY_TEXT_MAX);
	default:
		return fail(info, r, "%s", ccl_strerror(r));
	}
}

/* Add the path-specific fix to a refused cipher. */
static void
add_remedy(struct sshkey_info *info, const char *path)
{
	size_t n = strlen(info->why);

	if (info->rekey)
		snprintf(info->why + n, sizeof(info->why) - n, "; re-encrypt it with: "
		    "ssh-keygen -p -Z aes256-ctr -f %s", path);
}

int
sshkey_load_public(const char *path, struct sshkey_info *info)
{
	uint8_t *text = NULL;
	size_t len = 0;
	int r;

	memset(info, 0, sizeof(*info));
	if ((r = read_key(path, &text, &len, info)) != 0)
		return r;
	if ((r = sshkey_parse_public(text, len, info)) != 0)
		add_remedy(info, path);
	secret_free(text);
	return r;
}

/* libssh: decrypt text (NUL-terminated) and parse its unencrypted export. */
static int
decrypt(const char *text, const char *pass, uint8_t seed[static 32], struct sshkey_info *info)
{
	struct sshkey_info plain;
	ssh_key key = NULL;
	char *exp = NULL;
	int r;

	if (ssh_pki_import_privkey_base64(text, pass, NULL, NULL, &key) != SSH_OK) {
		r = fail(info, CCL_ERR_WRONG_PASSPHRASE, "wrong passphrase (or the encrypted part "
		    "of the key is corrupt)");
		goto out;
	}
	if (ssh_key_type(key) != SSH_KEYTYPE_ED25519 ||
	    ssh_pki_export_privkey_base64(key, NULL, NULL, NULL, &exp) != SSH_OK || exp == NULL) {
		r = fail(info, CCL_ERR_FORMAT, "the decrypted key cannot be read back");
		goto out;
	}
	if ((r = sshkey_parse_private((const uint8_t *)exp, strlen(exp), seed, &plain)) != 0) {
		r = fail(info, r, "the decrypted key is malformed: %s", plain.why);
		goto out;
	}
	/* The header's public key, which we showed without a passphrase, must be this key's. */
	if (sodium_memcmp(plain.pk, info->pk, 32) != 0) {
		r = fail(info, CCL_ERR_KEY_MISMATCH, "the private key does not match the file's "
		    "public key: the file is corrupt or was tampered with");
		goto out;
	}
	r = 0;
 out:
	if (exp != NULL) {
		sodium_memzero(exp, strlen(exp));
		ssh_string_free_char(exp);
	}
	ssh_key_free(key);
	sodium_memzero(&plain, sizeof(plain));
	if (r != 0)
		sodium_memzero(seed, 32);
	return r;
}

int
sshkey_load_seed(const char *path, const char *pass, size_t passlen, uint8_t seed[static 32],
    struct sshkey_info *info)
{
	uint8_t *text = NULL;
	size_t len = 0;
	int r;

	memset(info, 0, sizeof(*info));
	memset(seed, 0, 32);
	if ((r = read_key(path, &text, &len, info)) != 0)
		return r;
	/* Everything libssh will see must pass our own parse first (AEAD ciphers crash it). */
	if ((r = sshkey_parse_public(text, len, info)) != 0) {
		add_remedy(info, path);
		goto out;
	}
	if (!info->encrypted) {
		r = sshkey_parse_private(text, len, seed, info);
		goto out;
	}
	if (pass == NULL || passlen == 0 || memchr(pass, '\0', passlen) != NULL) {
		r = fail(info, CCL_ERR_WRONG_PASSPHRASE, "the key is passphrase-protected and no "
		    "passphrase was given");
		goto out;
	}
	/* fs_read_file NUL-terminates; the parse refused any NUL inside the text's lines. */
	r = decrypt((const char *)text, pass, seed, info);
 out:
	secret_free(text);
	if (r != 0)
		sodium_memzero(seed, 32);
	return r;
}
