/* SPDX-License-Identifier: MIT */
/*
 * sshkey.c — openssh-key-v1 and "ssh-ed25519 AAAA…" parsing; see sshkey.h.
 * Parses untrusted bytes: every read goes through buf_rd.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"
#include "buf.h"
#include "secret.h"
#include "sshkey.h"

#define ARMOUR_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----"
#define ARMOUR_END "-----END OPENSSH PRIVATE KEY-----"
#define MAGIC "openssh-key-v1"          /* followed by a NUL */
#define NAME_MAX_LEN 64                 /* cipher, kdf and key type names */
#define LINE_MAX_LEN 1024

struct cipher_desc {
	const char *name;
	size_t block;       /* private section granularity */
	int usable;         /* 0: refused (libssh 0.10 crashes on it) */
};

/* What sshkey_file.c can decrypt through libssh, and what it must not try. */
static const struct cipher_desc ciphers[] = {
	{ "none", 8, 1 },
	{ "aes128-ctr", 16, 1 }, { "aes192-ctr", 16, 1 }, { "aes256-ctr", 16, 1 },
	{ "aes128-cbc", 16, 1 }, { "aes192-cbc", 16, 1 }, { "aes256-cbc", 16, 1 },
	{ "3des-cbc", 8, 1 },
	{ "aes128-gcm@openssh.com", 16, 0 }, { "aes256-gcm@openssh.com", 16, 0 },
	{ "chacha20-poly1305@openssh.com", 8, 0 },
};

static int
fail(struct sshkey_info *info, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(info->why, sizeof(info->why), fmt, ap);
	va_end(ap);
	return r;
}

/* Copy an untrusted name as printable ASCII ('?' for anything else). */
static void
printable(char *dst, size_t cap, const uint8_t *s, size_t n)
{
	size_t i;

	if (cap == 0)
		return;
	if (n > cap - 1)
		n = cap - 1;
	for (i = 0; i < n; i++)
		dst[i] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	dst[n] = '\0';
}

/* An SSH string (u32 length + bytes), borrowed. */
static int
get_string(struct buf_rd *rd, const uint8_t **p, size_t *n)
{
	uint32_t len;
	int r;

	*p = NULL;
	*n = 0;
	if ((r = buf_get_u32be(rd, &len)) != 0)
		return r;
	if ((r = buf_get_bytes(rd, len, p)) != 0)
		return r;
	*n = len;
	return 0;
}

static int
str_is(const uint8_t *p, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(p, lit, n) == 0;
}

/* Refuse a key type other than ssh-ed25519, by name. */
static int
refuse_type(struct sshkey_info *info)
{
	const char *t = info->type, *what;

	if (strcmp(t, "ssh-rsa") == 0)
		what = "an RSA key";
	else if (strncmp(t, "ecdsa-sha2-", 11) == 0)
		what = "an ECDSA key";
	else if (strncmp(t, "sk-", 3) == 0)
		what = "a FIDO security-key (sk-) key, whose secret never leaves the token,";
	else if (strcmp(t, "ssh-dss") == 0)
		what = "a DSA key";
	else if (strstr(t, "-cert-v01@openssh.com") != NULL)
		what = "an OpenSSH certificate";
	else
		what = "an unknown key type";
	return fail(info, CCL_ERR_UNSUPPORTED, "this is %s (%s); cclink uses only ed25519 keys "
	    "(make one with: ssh-keygen -t ed25519)", what, t);
}

/* The public key blob: string type, string pk[32], nothing else. */
static int
parse_blob(struct buf_rd *blob, uint8_t pk[static 32], struct sshkey_info *info)
{
	const uint8_t *type, *k;
	size_t tlen, klen;

	if (get_string(blob, &type, &tlen) != 0 || tlen == 0 || tlen > NAME_MAX_LEN)
		return fail(info, CCL_ERR_FORMAT, "the public key is malformed (bad key type field)");
	printable(info->type, sizeof(info->type), type, tlen);
	if (!str_is(type, tlen, SSHKEY_TYPE))
		return refuse_type(info);
	if (get_string(blob, &k, &klen) != 0 || klen != 32 || buf_done(blob) != 0)
		return fail(info, CCL_ERR_FORMAT, "the ssh-ed25519 public key is malformed (expected "
		    "a 32-byte key and nothing after it)");
	memcpy(pk, k, 32);
	return 0;
}

/* A line of the armour with any '\r' before the newline removed. */
static int
next_line(struct buf_rd *rd, const uint8_t **line, size_t *n)
{
	int r = buf_get_line(rd, LINE_MAX_LEN, line, n);

	if (r == CCL_ERR_TRUNCATED && buf_remaining(rd) > 0) {
		/* The last line has no newline. */
		*n = buf_remaining(rd);
		r = buf_get_bytes(rd, *n, line);
	}
	if (r == 0 && *n > 0 && (*line)[*n - 1] == '\r')
		(*n)--;
	return r;
}

static int
blank(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return 0;
	return 1;
}

/* Why a first line is not our BEGIN line. */
static int
refuse_armour(const uint8_t *line, size_t n, struct sshkey_info *info)
{
	static const char *const pem[][2] = {
		{ "-----BEGIN RSA PRIVATE KEY-----", "an RSA key in PEM format" },
		{ "-----BEGIN EC PRIVATE KEY-----", "an ECDSA key in PEM format" },
		{ "-----BEGIN DSA PRIVATE KEY-----", "a DSA key in PEM format" },
		{ "-----BEGIN PRIVATE KEY-----", "a PKCS#8 private key" },
		{ "-----BEGIN ENCRYPTED PRIVATE KEY-----", "an encrypted PKCS#8 private key" },
		{ "-----BEGIN SSH2 ENCRYPTED PRIVATE KEY-----", "an SSH.com (RFC 4716) private key" },
		{ "---- BEGIN SSH2 PUBLIC KEY ----", "an RFC 4716 public key" },
	};
	size_t i;

	for (i = 0; i < sizeof(pem) / sizeof(pem[0]); i++)
		if (str_is(line, n, pem[i][0]))
			return fail(info, CCL_ERR_FORMAT, "this is %s, not an OpenSSH ed25519 private "
			    "key (cclink reads the openssh-key-v1 format that ssh-keygen -t ed25519 "
			    "writes)", pem[i][1]);
	if ((n > 4 && memcmp(line, "ssh-", 4) == 0) || (n > 6 && memcmp(line, "ecdsa-", 6) == 0) ||
	    (n > 3 && memcmp(line, "sk-", 3) == 0))
		return fail(info, CCL_ERR_FORMAT, "this is a public key (.pub file); give the "
		    "private key file (the same path without .pub)");
	return fail(info, CCL_ERR_FORMAT, "not an OpenSSH private key: the file does not start "
	    "with '" ARMOUR_BEGIN "'");
}

/*
 * Strip the armour and decode the body into secret memory *bin (secret_free).
 */
static int
dearmour(const uint8_t *text, size_t len, uint8_t **bin, size_t *binlen, struct sshkey_info *info)
{
	struct buf_rd rd;
	const uint8_t *line;
	char *b64 = NULL;
	uint8_t *out = NULL;
	size_t n, b64len = 0, outlen = 0;
	int r, ended = 0;

	*bin = NULL;
	*binlen = 0;
	if (len > SSHKEY_TEXT_MAX)
		return fail(info, CCL_ERR_TOO_LARGE, "the file is larger than %d bytes: not an "
		    "ed25519 key", SSHKEY_TEXT_MAX);
	buf_rd_init(&rd, text, len);
	do {
		if (next_line(&rd, &line, &n) != 0)
			return fail(info, CCL_ERR_FORMAT, buf_remaining(&rd) == 0 ?
			    "the file is empty" : "not an OpenSSH private key (no text lines)");
	} while (blank(line, n));
	if (!str_is(line, n, ARMOUR_BEGIN))
		return refuse_armour(line, n, info);
	if ((b64 = secret_alloc(len + 1)) == NULL)
		return CCL_ERR_NOMEM;
	while (next_line(&rd, &line, &n) == 0) {
		if (str_is(line, n, ARMOUR_END)) {
			ended = 1;
			break;
		}
		for (; n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'); n--)
			;
		memcpy(b64 + b64len, line, n);  /* b64len + n <= len: the lines come from text */
		b64len += n;
	}
	if (!ended) {
		r = fail(info, CCL_ERR_TRUNCATED, "the file is truncated: no '" ARMOUR_END "' line");
		goto out;
	}
	while (next_line(&rd, &line, &n) == 0)
		if (!blank(line, n)) {
			r = fail(info, CCL_ERR_TRAILING, "text follows the END line");
			goto out;
		}
	if ((out = secret_alloc(b64len + 1)) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	if (b64_decode(out, b64len + 1, &outlen, b64, b64len, B64_STD_PAD) != 0) {
		r = fail(info, CCL_ERR_FORMAT, "the base64 text between the BEGIN and END lines is "
		    "corrupt");
		goto out;
	}
	*bin = out;
	*binlen = outlen;
	out = NULL;
	r = 0;
 out:
	secret_free(out);
	secret_free(b64);
	return r;
}

static int
truncated(struct sshkey_info *info, const char *field)
{
	return fail(info, CCL_ERR_TRUNCATED, "the %s field (or its length) runs past the end of "
	    "the key data: the file is truncated or corrupt", field);
}

/* The bcrypt kdfoptions: string salt, u32 rounds, nothing else. */
static int
parse_kdfoptions(const uint8_t *p, size_t n, struct sshkey_info *info)
{
	struct buf_rd rd;
	const uint8_t *salt;
	size_t saltlen;

	buf_rd_init(&rd, p, n);
	if (get_string(&rd, &salt, &saltlen) != 0 || buf_get_u32be(&rd, &info->rounds) != 0 ||
	    buf_done(&rd) != 0)
		return fail(info, CCL_ERR_FORMAT, "the bcrypt KDF options are malformed (expected "
		    "a salt and a round count)");
	if (saltlen == 0 || saltlen > SSHKEY_MAX_SALT)
		return fail(info, CCL_ERR_FORMAT, "the bcrypt salt is %zu bytes (expected 1 to %d)",
		    saltlen, SSHKEY_MAX_SALT);
	if (info->rounds == 0)
		return fail(info, CCL_ERR_UNSUPPORTED, "the bcrypt KDF has zero rounds: the key "
		    "file is corrupt");
	if (info->rounds > SSHKEY_MAX_ROUNDS)
		return fail(info, CCL_ERR_UNSUPPORTED, "the bcrypt KDF asks for %u rounds, over "
		    "cclink's limit of %d (lower it with: ssh-keygen -p -a 100 -f KEYFILE)",
		    (unsigned)info->rounds, SSHKEY_MAX_ROUNDS);
	return 0;
}

/*
 * Everything up to the private section, which is left in *priv; *block is
 * the cipher's block size.
 */
static int
parse_outer(const uint8_t *bin, size_t binlen, struct buf_rd *priv, size_t *block,
    struct sshkey_info *info)
{
	struct buf_rd rd, blob;
	const uint8_t *cipher, *kdf, *kdfopt, *p;
	const struct cipher_desc *cd = NULL;
	size_t clen, klen, olen, n, i;
	uint32_t nkeys;
	int r;

	buf_rd_init(&rd, bin, binlen);
	if (buf_expect(&rd, MAGIC, sizeof(MAGIC)) != 0)
		return fail(info, CCL_ERR_FORMAT, "bad magic: the data does not start with "
		    "\"openssh-key-v1\" (not an OpenSSH private key, or corrupt)");
	if (get_string(&rd, &cipher, &clen) != 0)
		return truncated(info, "cipher name");
	if (get_string(&rd, &kdf, &klen) != 0)
		return truncated(info, "KDF name");
	if (get_string(&rd, &kdfopt, &olen) != 0)
		return truncated(info, "KDF options");
	if (clen > NAME_MAX_LEN || klen > NAME_MAX_LEN)
		return fail(info, CCL_ERR_FORMAT, "the cipher or KDF name is too long: corrupt key");
	printable(info->cipher, sizeof(info->cipher), cipher, clen);
	printable(info->kdf, sizeof(info->kdf), kdf, klen);
	for (i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++)
		if (str_is(cipher, clen, ciphers[i].name))
			cd = &ciphers[i];
	if (cd == NULL)
		return fail(info, CCL_ERR_UNSUPPORTED, "unknown cipher '%s' (cclink reads keys that "
		    "are unencrypted or encrypted with aes256-ctr and the other aes-ctr/cbc "
		    "ciphers)", info->cipher);
	if (!cd->usable) {
		info->rekey = 1;
		return fail(info, CCL_ERR_UNSUPPORTED, "the key is encrypted with %s, which "
		    "cclink's key library (libssh 0.10) cannot decrypt", info->cipher);
	}
	info->encrypted = !str_is(cipher, clen, "none");
	if (str_is(kdf, klen, "none")) {
		if (info->encrypted)
			return fail(info, CCL_ERR_FORMAT, "the key is encrypted with %s but names no "
			    "KDF: corrupt key", info->cipher);
		if (olen != 0)
			return fail(info, CCL_ERR_FORMAT, "KDF options present without a KDF: corrupt "
			    "key");
	} else if (str_is(kdf, klen, "bcrypt")) {
		if (!info->encrypted)
			return fail(info, CCL_ERR_FORMAT, "the key names the bcrypt KDF but no cipher: "
			    "corrupt key");
		if ((r = parse_kdfoptions(kdfopt, olen, info)) != 0)
			return r;
	} else {
		return fail(info, CCL_ERR_UNSUPPORTED, "unknown KDF '%s' (OpenSSH writes bcrypt)",
		    info->kdf);
	}
	if (buf_get_u32be(&rd, &nkeys) != 0)
		return truncated(info, "key count");
	if (nkeys != 1)
		return fail(info, CCL_ERR_UNSUPPORTED, "the file holds %u keys; cclink reads files "
		    "with exactly one key (as ssh-keygen writes them)", (unsigned)nkeys);
	if (get_string(&rd, &p, &n) != 0)
		return truncated(info, "public key");
	buf_rd_init(&blob, p, n);
	if ((r = parse_blob(&blob, info->pk, info)) != 0)
		return r;
	if (get_string(&rd, &p, &n) != 0)
		return truncated(info, "private key section");
	if (buf_done(&rd) != 0)
		return fail(info, CCL_ERR_TRAILING, "%zu unexpected bytes follow the private key "
		    "section", buf_remaining(&rd));
	if (n == 0 || n % cd->block != 0)
		return fail(info, CCL_ERR_FORMAT, "the private key section is %zu bytes, not a "
		    "multiple of the %s block size (%zu): corrupt key", n, info->cipher, cd->block);
	buf_rd_init(priv, p, n);
	*block = cd->block;
	return 0;
}

int
sshkey_parse_public(const uint8_t *text, size_t len, struct sshkey_info *info)
{
	struct buf_rd priv;
	uint8_t *bin = NULL;
	size_t binlen = 0, block = 0;
	int r;

	memset(info, 0, sizeof(*info));
	if ((r = dearmour(text, len, &bin, &binlen, info)) != 0 ||
	    (r = parse_outer(bin, binlen, &priv, &block, info)) != 0)
		goto out;
	r = 0;
 out:
	secret_free(bin);
	return r;
}

/* The decrypted private section of one ed25519 key. */
static int
parse_private_section(struct buf_rd *rd, uint8_t seed[static 32], struct sshkey_info *info)
{
	const uint8_t *type, *pk, *sk, *comment;
	size_t tlen, pklen, sklen, clen, i;
	uint32_t check1, check2;
	uint8_t derived[32], skfull[64];
	uint8_t pad = 0;
	int r;

	if (buf_get_u32be(rd, &check1) != 0 || buf_get_u32be(rd, &check2) != 0)
		return truncated(info, "check integers");
	if (check1 != check2)
		return fail(info, CCL_ERR_FORMAT, "the check integers of the private section differ "
		    "(0x%08x, 0x%08x): the key is corrupt", (unsigned)check1, (unsigned)check2);
	if (get_string(rd, &type, &tlen) != 0)
		return truncated(info, "private key type");
	if (!str_is(type, tlen, SSHKEY_TYPE))
		return fail(info, CCL_ERR_KEY_MISMATCH, "the private section holds another key type "
		    "than the public key (%s): corrupt key", SSHKEY_TYPE);
	if (get_string(rd, &pk, &pklen) != 0)
		return truncated(info, "private section's public key");
	if (get_string(rd, &sk, &sklen) != 0)
		return truncated(info, "private key");
	if (pklen != 32 || sklen != 64)
		return fail(info, CCL_ERR_FORMAT, "the ed25519 private key has the wrong length "
		    "(%zu and %zu bytes; expected 32 and 64)", pklen, sklen);
	if (get_string(rd, &comment, &clen) != 0)
		return truncated(info, "comment");
	for (i = 0; buf_remaining(rd) > 0; i++)
		if (buf_get_u8(rd, &pad) != 0 || pad != (uint8_t)(i + 1))
			return fail(info, CCL_ERR_FORMAT, "bad padding after the private key (byte %zu "
			    "is 0x%02x, expected 0x%02x): corrupt key", i + 1, pad,
			    (unsigned)((i + 1) & 0xff));
	/* The private half must belong to the public key the header announces. */
	if (sodium_memcmp(pk, info->pk, 32) != 0 || sodium_memcmp(sk + 32, info->pk, 32) != 0)
		return fail(info, CCL_ERR_KEY_MISMATCH, "the private key does not match the file's "
		    "public key: the file is corrupt or was tampered with");
	r = 0;
	if (crypto_sign_ed25519_seed_keypair(derived, skfull, sk) != 0 ||
	    sodium_memcmp(derived, info->pk, 32) != 0)
		r = fail(info, CCL_ERR_KEY_MISMATCH, "the private key does not match the file's "
		    "public key: the file is corrupt or was tampered with");
	else
		memcpy(seed, sk, 32);
	sodium_memzero(skfull, sizeof(skfull));
	return r;
}

int
sshkey_parse_private(const uint8_t *text, size_t len, uint8_t seed[static 32],
    struct sshkey_info *info)
{
	struct buf_rd priv;
	uint8_t *bin = NULL;
	size_t binlen = 0, block = 0;
	int r;

	memset(info, 0, sizeof(*info));
	memset(seed, 0, 32);
	if ((r = dearmour(text, len, &bin, &binlen, info)) != 0 ||
	    (r = parse_outer(bin, binlen, &priv, &block, info)) != 0)
		goto out;
	if (info->encrypted) {
		r = fail(info, CCL_ERR_INVALID_ARG, "the key is encrypted (%s)", info->cipher);
		goto out;
	}
	if ((r = parse_private_section(&priv, seed, info)) != 0)
		goto out;
	r = 0;
 out:
	secret_free(bin);
	if (r != 0)
		sodium_memzero(seed, 32);
	return r;
}

int
sshkey_parse_publine(const char *line, size_t len, uint8_t pk[static 32], struct sshkey_info *info)
{
	struct buf_rd blob;
	const char *p = line, *end = line + len, *w1, *w2;
	size_t n1, n2, binlen = 0;
	uint8_t bin[512];
	int r;

	memset(info, 0, sizeof(*info));
	memset(pk, 0, 32);
	if (len > SSHKEY_PUBLINE_MAX)
		return fail(info, CCL_ERR_FORMAT, "the public key line is too long");
	if (len > 0 && end[-1] == '\n')
		end--;
	if (end > p && end[-1] == '\r')
		end--;
	if (memchr(p, '\n', (size_t)(end - p)) != NULL || memchr(p, '\0', (size_t)(end - p)) != NULL)
		return fail(info, CCL_ERR_FORMAT, "expected one line \"ssh-ed25519 AAAA… [comment]\"");
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (w1 = p; p < end && *p != ' ' && *p != '\t'; p++)
		;
	n1 = (size_t)(p - w1);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (w2 = p; p < end && *p != ' ' && *p != '\t'; p++)
		;
	n2 = (size_t)(p - w2);
	printable(info->type, sizeof(info->type), (const uint8_t *)w1, n1);
	if (n1 == 0 || n2 == 0)
		return fail(info, CCL_ERR_FORMAT, "expected \"ssh-ed25519 AAAA… [comment]\"");
	if (!str_is((const uint8_t *)w1, n1, SSHKEY_TYPE))
		return n1 <= NAME_MAX_LEN && (memchr(w1, '-', n1) != NULL) ? refuse_type(info) :
		    fail(info, CCL_ERR_FORMAT, "expected \"ssh-ed25519 AAAA… [comment]\"");
	if (b64_decode(bin, sizeof(bin), &binlen, w2, n2, B64_STD_PAD) != 0)
		return fail(info, CCL_ERR_FORMAT, "the base64 key after ssh-ed25519 is corrupt");
	buf_rd_init(&blob, bin, binlen);
	if ((r = parse_blob(&blob, pk, info)) != 0) {
		memset(pk, 0, 32);
		if (r == CCL_ERR_UNSUPPORTED)
			return fail(info, CCL_ERR_FORMAT, "the key blob says %s, the line says "
			    "ssh-ed25519", info->type);
		return CCL_ERR_FORMAT;
	}
	return 0;
}

void
sshkey_blob(uint8_t out[static SSHKEY_BLOB_LEN], const uint8_t pk[static 32])
{
	static const uint8_t head[19] = {
		0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1', '9', 0, 0, 0, 32,
	};

	memcpy(out, head, sizeof(head));
	memcpy(out + sizeof(head), pk, 32);
}

void
sshkey_fingerprint(char out[static SSHKEY_FP_LEN + 1], const uint8_t pk[static 32])
{
	uint8_t blob[SSHKEY_BLOB_LEN], h[crypto_hash_sha256_BYTES];
	char b[64];

	sshkey_blob(blob, pk);
	crypto_hash_sha256(h, blob, sizeof(blob));
	b64_encode(b, h, sizeof(h), B64_STD_NOPAD);  /* 43 characters */
	memcpy(out, "SHA256:", 7);
	memcpy(out + 7, b, 43);
	out[SSHKEY_FP_LEN] = '\0';
}

int
sshkey_format_publine(char *out, size_t outlen, const uint8_t pk[static 32])
{
	uint8_t blob[SSHKEY_BLOB_LEN];
	char b[96];

	if (outlen < sizeof(SSHKEY_TYPE) + 68 + 1)
		return CCL_ERR_TOO_LARGE;
	sshkey_blob(blob, pk);
	b64_encode(b, blob, sizeof(blob), B64_STD_PAD);
	snprintf(out, outlen, "%s %s", SSHKEY_TYPE, b);
	return 0;
}
