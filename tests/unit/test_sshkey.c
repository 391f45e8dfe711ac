/* SPDX-License-Identifier: MIT */
/*
 * test_sshkey.c — the openssh-key-v1 parser (sshkey.c) and key files
 * (sshkey_file.c): real ssh-keygen keys (tests/vectors/ssh), and keys built
 * field by field here with one field broken at a time, each refused with its
 * own code and reason; truncation at every length and byte mutations of a
 * real key never crash and never yield a key that does not match.
 */
#include "testutil.h"

#include <sodium.h>

#include "b64.h"
#include "buf.h"
#include "hex.h"
#include "secret.h"
#include "sshkey.h"

#define VEC_PLAIN "tests/vectors/ssh/id_ed25519_plain"
#define VEC_ENC "tests/vectors/ssh/id_ed25519_aes256ctr"
#define PK_PLAIN "89d3aa8ce66975101548c4865c094ee79c557eec97f8c2fbe9a55ca3691a21c8"
#define SEED_PLAIN "e1be1e9574072e81b29f91a718ac541e6244ffe10dbc5e894ea1008683d61b0d"
#define FP_PLAIN "SHA256:KFdloXBhP9jhzaStuPUKSE69rFtlMYudHd0TQmznp7Q"
#define PK_ENC "e53a17fb9258788c57ea2a27740da856f7beaef7e2fb7fcafcd65b3cee65971f"
#define PASS_ENC "cclink vector pass"

/* The knobs of a built key: every field of the format. */
struct kspec {
	const char *magic;          /* "openssh-key-v1" */
	const char *cipher, *kdf;
	int kdfopts;                /* 1: bcrypt salt[16] + rounds */
	uint32_t rounds;
	uint32_t nkeys;
	const char *pubtype, *privtype;
	uint32_t check1, check2;
	int wrong_priv_pk;          /* the private section names another public key */
	int wrong_seed;             /* the seed does not derive the public key */
	int bad_pad;
	size_t block;               /* padding granularity */
	int extra_after_priv;       /* bytes after the private section string */
	uint32_t publen_override;   /* 0: the real length */
	size_t cut;                 /* 0: whole; else truncate the binary to cut bytes */
};

static uint8_t seed[32], pk[32], other_pk[32];

static int
setup(void **state)
{
	uint8_t sk[64], s2[32];

	(void)state;
	memset(seed, 0x42, sizeof(seed));
	crypto_sign_ed25519_seed_keypair(pk, sk, seed);
	memset(s2, 0x43, sizeof(s2));
	crypto_sign_ed25519_seed_keypair(other_pk, sk, s2);
	return 0;
}

static void
put_str(struct buf_wr *w, const void *p, size_t n)
{
	assert_int_equal(buf_put_u32be(w, (uint32_t)n), 0);
	assert_int_equal(buf_put(w, p, n), 0);
}

static void
put_cstr(struct buf_wr *w, const char *s)
{
	put_str(w, s, strlen(s));
}

static struct kspec
good(void)
{
	struct kspec k;

	memset(&k, 0, sizeof(k));
	k.magic = "openssh-key-v1";
	k.cipher = "none";
	k.kdf = "none";
	k.nkeys = 1;
	k.pubtype = "ssh-ed25519";
	k.privtype = "ssh-ed25519";
	k.check1 = k.check2 = 0x11223344;
	k.block = 8;
	return k;
}

/* Build the PEM text of a key from k (malloc'd, NUL-terminated). */
static char *
build(const struct kspec *k, size_t *textlen)
{
	struct buf_wr w, blob, priv, opts;
	uint8_t sk[64], salt[16];
	const uint8_t *bin;
	size_t binlen, i, n;
	char *b64, *text;

	buf_wr_init(&w, 1 << 16);
	buf_wr_init(&blob, 1024);
	buf_wr_init(&priv, 1024);
	buf_wr_init(&opts, 1024);
	assert_int_equal(buf_put(&w, k->magic, strlen(k->magic) + 1), 0);
	put_cstr(&w, k->cipher);
	put_cstr(&w, k->kdf);
	if (k->kdfopts) {
		memset(salt, 7, sizeof(salt));
		put_str(&opts, salt, sizeof(salt));
		assert_int_equal(buf_put_u32be(&opts, k->rounds), 0);
	}
	put_str(&w, buf_wr_data(&opts), buf_wr_len(&opts));
	assert_int_equal(buf_put_u32be(&w, k->nkeys), 0);
	put_cstr(&blob, k->pubtype);
	put_str(&blob, pk, 32);
	if (k->publen_override != 0) {
		assert_int_equal(buf_put_u32be(&w, k->publen_override), 0);
		assert_int_equal(buf_put(&w, buf_wr_data(&blob), buf_wr_len(&blob)), 0);
	} else {
		put_str(&w, buf_wr_data(&blob), buf_wr_len(&blob));
	}
	assert_int_equal(buf_put_u32be(&priv, k->check1), 0);
	assert_int_equal(buf_put_u32be(&priv, k->check2), 0);
	put_cstr(&priv, k->privtype);
	put_str(&priv, k->wrong_priv_pk ? other_pk : pk, 32);
	memcpy(sk, seed, 32);
	if (k->wrong_seed)
		sk[0] ^= 1;
	memcpy(sk + 32, pk, 32);
	put_str(&priv, sk, 64);
	put_cstr(&priv, "comment");
	for (i = 0; buf_wr_len(&priv) % k->block != 0; i++)
		assert_int_equal(buf_put_u8(&priv, (uint8_t)(k->bad_pad && i == 1 ? 9 : i + 1)), 0);
	put_str(&w, buf_wr_data(&priv), buf_wr_len(&priv));
	if (k->extra_after_priv)
		assert_int_equal(buf_put(&w, "xx", 2), 0);
	bin = buf_wr_data(&w);
	binlen = k->cut != 0 && k->cut < buf_wr_len(&w) ? k->cut : buf_wr_len(&w);
	n = b64_encoded_len(binlen, B64_STD_PAD);
	b64 = malloc(n + 1);
	assert_non_null(b64);
	b64_encode(b64, bin, binlen, B64_STD_PAD);
	text = malloc(n + n / 70 + 128);
	assert_non_null(text);
	strcpy(text, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	for (i = 0; i < n; i += 70) {
		strncat(text, b64 + i, n - i < 70 ? n - i : 70);
		strcat(text, "\n");
	}
	strcat(text, "-----END OPENSSH PRIVATE KEY-----\n");
	*textlen = strlen(text);
	free(b64);
	buf_wr_free(&w);
	buf_wr_free(&blob);
	buf_wr_free(&priv);
	buf_wr_free(&opts);
	return text;
}

/* Parse k's text with sshkey_parse_private; expect code r and why containing want. */
static void
expect_priv(const struct kspec *k, int r, const char *want)
{
	struct sshkey_info info;
	uint8_t out[32];
	size_t len;
	char *text = build(k, &len);
	int got = sshkey_parse_private((const uint8_t *)text, len, out, &info);

	if (got != r || (want != NULL && strstr(info.why, want) == NULL))
		fail_msg("got %d (%s), wanted %d (%s)", got, info.why, r, want ? want : "");
	if (r == 0)
		assert_memory_equal(out, seed, 32);
	else
		assert_true(sodium_is_zero(out, 32));
	free(text);
}

static void
test_built_good(void **state)
{
	struct kspec k = good();

	(void)state;
	expect_priv(&k, 0, NULL);
}

static void
test_built_malformed(void **state)
{
	struct kspec k;

	(void)state;
	k = good(); k.magic = "openssh-key-v2";
	expect_priv(&k, CCL_ERR_FORMAT, "bad magic");
	k = good(); k.cipher = "blowfish-cbc";
	expect_priv(&k, CCL_ERR_UNSUPPORTED, "unknown cipher 'blowfish-cbc'");
	k = good(); k.cipher = "aes256-ctr"; k.kdf = "scrypt";
	expect_priv(&k, CCL_ERR_UNSUPPORTED, "unknown KDF 'scrypt'");
	k = good(); k.cipher = "aes256-ctr"; k.kdf = "bcrypt"; k.kdfopts = 1; k.rounds = 0;
	k.block = 16;
	expect_priv(&k, CCL_ERR_UNSUPPORTED, "zero rounds");
	k = good(); k.cipher = "aes256-ctr"; k.kdf = "bcrypt"; k.kdfopts = 1;
	k.rounds = SSHKEY_MAX_ROUNDS + 1; k.block = 16;
	expect_priv(&k, CCL_ERR_UNSUPPORTED, "ssh-keygen -p -a 100");
	k = good(); k.cipher = "aes256-ctr"; k.kdf = "bcrypt"; k.kdfopts = 0; k.block = 16;
	expect_priv(&k, CCL_ERR_FORMAT, "KDF options are malformed");
	k = good(); k.cipher = "aes256-ctr"; k.kdf = "none"; k.block = 16;
	expect_priv(&k, CCL_ERR_FORMAT, "names no KDF");
	k = good(); k.kdf = "bcrypt"; k.kdfopts = 1; k.rounds = 16;
	expect_priv(&k, CCL_ERR_FORMAT, "no cipher");
	k = good(); k.cipher = "aes256-ctr"; k.kdf = "bcrypt"; k.kdfopts = 1; k.rounds = 16;
	k.block = 16;
	expect_priv(&k, CCL_ERR_INVALID_ARG, "encrypted");
	k = good(); k.nkeys = 2;
	expect_priv(&k, CCL_ERR_UNSUPPORTED, "holds 2 keys");
	k = good(); k.nkeys = 0;
	expect_priv(&k, CCL_ERR_UNSUPPORTED, "holds 0 keys");
	k = good(); k.check2 = 0x11223345;
	expect_priv(&k, CCL_ERR_FORMAT, "check integers");
	k = good(); k.bad_pad = 1;
	expect_priv(&k, CCL_ERR_FORMAT, "bad padding");
	k = good(); k.block = 3;  /* a private section that is not a multiple of 8 */
	expect_priv(&k, CCL_ERR_FORMAT, "not a multiple");
	k = good(); k.wrong_priv_pk = 1;
	expect_priv(&k, CCL_ERR_KEY_MISMATCH, "does not match");
	k = good(); k.wrong_seed = 1;
	expect_priv(&k, CCL_ERR_KEY_MISMATCH, "does not match");
	k = good(); k.privtype = "ssh-rsa";
	expect_priv(&k, CCL_ERR_KEY_MISMATCH, "another key type");
	k = good(); k.extra_after_priv = 1;
	expect_priv(&k, CCL_ERR_TRAILING, "follow the private key section");
	k = good(); k.publen_override = 0xffffffffu;
	expect_priv(&k, CCL_ERR_TRUNCATED, "public key field");
	k = good(); k.publen_override = 60;
	expect_priv(&k, CCL_ERR_FORMAT, NULL);
	k = good(); k.cut = 40;
	expect_priv(&k, CCL_ERR_TRUNCATED, "runs past the end");
}

static void
test_refused_by_name(void **state)
{
	struct kspec k;

	(void)state;
	k = good(); k.pubtype = "ssh-rsa";
	expect_priv(&k, CCL_ERR_UNSUPPORTED, "an RSA key (ssh-rsa)");
	k = good(); k.pubtype = "ecdsa-sha2-nistp256";
	expect_priv(&k, CCL_ERR_UNSUPPORTED, "an ECDSA key");
	k = good(); k.pubtype = "sk-ssh-ed25519@openssh.com";
	expect_priv(&k, CCL_ERR_UNSUPPORTED, "security-key");
	k = good(); k.pubtype = "ssh-dss";
	expect_priv(&k, CCL_ERR_UNSUPPORTED, "a DSA key");
	k = good(); k.pubtype = "ssh-ed25519-cert-v01@openssh.com";
	expect_priv(&k, CCL_ERR_UNSUPPORTED, "certificate");
	k = good(); k.pubtype = "x\x01y";
	expect_priv(&k, CCL_ERR_UNSUPPORTED, "unknown key type (x?y)");
}

static void
test_refused_ciphers(void **state)
{
	static const char *const aead[] = {
		"aes256-gcm@openssh.com", "aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com",
	};
	struct sshkey_info info;
	struct kspec k;
	size_t i, len;
	char *text;

	(void)state;
	for (i = 0; i < 3; i++) {
		k = good();
		k.cipher = aead[i];
		k.kdf = "bcrypt";
		k.kdfopts = 1;
		k.rounds = 16;
		k.block = 16;
		text = build(&k, &len);
		assert_int_equal(sshkey_parse_public((const uint8_t *)text, len, &info),
		    CCL_ERR_UNSUPPORTED);
		assert_int_equal(info.rekey, 1);
		assert_non_null(strstr(info.why, aead[i]));
		free(text);
	}
}

static void
test_armour(void **state)
{
	struct sshkey_info info;
	uint8_t out[32];
	struct kspec k = good();
	size_t len;
	char *text = build(&k, &len), *p;
	static const char rsa_pem[] = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n"
	    "-----END RSA PRIVATE KEY-----\n";
	static const char pub[] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIInTqozmaXUQFUjEhlwJTu"
	    "ecVX7sl/jC++mlXKNpGiHI c\n";

	(void)state;
	/* A missing final newline is fine. */
	assert_int_equal(sshkey_parse_private((const uint8_t *)text, len - 1, out, &info), 0);
	/* No END line: truncated. */
	p = strstr(text, "-----END");
	assert_int_equal(sshkey_parse_private((const uint8_t *)text, (size_t)(p - text), out,
	    &info), CCL_ERR_TRUNCATED);
	assert_non_null(strstr(info.why, "no '-----END"));
	/* A character that is not base64. */
	text[40] = '*';
	assert_int_equal(sshkey_parse_private((const uint8_t *)text, len, out, &info),
	    CCL_ERR_FORMAT);
	assert_non_null(strstr(info.why, "base64"));
	free(text);
	assert_int_equal(sshkey_parse_public((const uint8_t *)rsa_pem, strlen(rsa_pem), &info),
	    CCL_ERR_FORMAT);
	assert_non_null(strstr(info.why, "RSA key in PEM format"));
	assert_int_equal(sshkey_parse_public((const uint8_t *)pub, strlen(pub), &info),
	    CCL_ERR_FORMAT);
	assert_non_null(strstr(info.why, "public key (.pub"));
	assert_int_equal(sshkey_parse_public((const uint8_t *)"", 0, &info), CCL_ERR_FORMAT);
	assert_non_null(strstr(info.why, "empty"));
	assert_int_equal(sshkey_parse_public((const uint8_t *)"hello\n", 6, &info), CCL_ERR_FORMAT);
	assert_non_null(strstr(info.why, "does not start with"));
}

static void
test_real_plain(void **state)
{
	struct sshkey_info info;
	uint8_t out[32], *text, *want_pk, *want_seed;
	char fp[SSHKEY_FP_LEN + 1];
	size_t len;

	(void)state;
	text = th_read_file(VEC_PLAIN, &len);
	want_pk = th_unhex(PK_PLAIN, NULL);
	want_seed = th_unhex(SEED_PLAIN, NULL);
	assert_int_equal(sshkey_parse_public(text, len, &info), 0);
	assert_int_equal(info.encrypted, 0);
	assert_memory_equal(info.pk, want_pk, 32);
	assert_int_equal(sshkey_parse_private(text, len, out, &info), 0);
	assert_memory_equal(out, want_seed, 32);
	sshkey_fingerprint(fp, info.pk);
	assert_string_equal(fp, FP_PLAIN);
	free(text);
	free(want_pk);
	free(want_seed);
}

static void
test_real_encrypted_header(void **state)
{
	struct sshkey_info info;
	uint8_t out[32], *text, *want_pk;
	size_t len;

	(void)state;
	text = th_read_file(VEC_ENC, &len);
	want_pk = th_unhex(PK_ENC, NULL);
	assert_int_equal(sshkey_parse_public(text, len, &info), 0);
	assert_int_equal(info.encrypted, 1);
	assert_string_equal(info.cipher, "aes256-ctr");
	assert_string_equal(info.kdf, "bcrypt");
	assert_int_equal(info.rounds, 16);
	assert_memory_equal(info.pk, want_pk, 32);
	assert_int_equal(sshkey_parse_private(text, len, out, &info), CCL_ERR_INVALID_ARG);
	free(text);
	free(want_pk);
}

/* Copy a vector to a private file (git does not keep 0600). */
static void
private_copy(const char *vec, char *path, size_t n)
{
	uint8_t *text;
	size_t len;

	snprintf(path, n, "%s/ccl-sshkey-%ld", getenv("TMPDIR") != NULL ? getenv("TMPDIR") :
	    "/tmp", (long)getpid());
	text = th_read_file(vec, &len);
	th_put_file(path, text, len, 0600);
	free(text);
}

static void
test_files(void **state)
{
	struct sshkey_info info;
	uint8_t out[32], *want_pk;
	char path[256];

	(void)state;
	want_pk = th_unhex(PK_ENC, NULL);
	private_copy(VEC_ENC, path, sizeof(path));
	assert_int_equal(sshkey_load_public(path, &info), 0);
	assert_memory_equal(info.pk, want_pk, 32);
	/* libssh decrypts; the seed must derive the header's public key. */
	assert_int_equal(sshkey_load_seed(path, PASS_ENC, strlen(PASS_ENC), out, &info), 0);
	assert_int_equal(sshkey_load_seed(path, "wrong", 5, out, &info), CCL_ERR_WRONG_PASSPHRASE);
	assert_true(sodium_is_zero(out, 32));
	assert_int_equal(sshkey_load_seed(path, NULL, 0, out, &info), CCL_ERR_WRONG_PASSPHRASE);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(sshkey_load_public(path, &info), CCL_ERR_PERMISSION);
	assert_non_null(strstr(info.why, "chmod 600"));
	unlink(path);
	assert_int_equal(sshkey_load_public(path, &info), CCL_ERR_NOT_FOUND);
	assert_non_null(strstr(info.why, "ssh-keygen -t ed25519"));
	free(want_pk);
}

/* Re-armour bin for the mutation tests. */
static char *
armour(const uint8_t *bin, size_t binlen, size_t *len)
{
	size_t n = b64_encoded_len(binlen, B64_STD_PAD);
	char *t = malloc(n + 128);

	assert_non_null(t);
	strcpy(t, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	b64_encode(t + strlen(t), bin, binlen, B64_STD_PAD);
	strcat(t, "\n-----END OPENSSH PRIVATE KEY-----\n");
	*len = strlen(t);
	return t;
}

static void
test_mutations(void **state)
{
	struct sshkey_info info;
	uint8_t out[32], bin[1024], *text, derived[32], sk[64];
	size_t len, binlen = 0, i, tl;
	char *t;
	int bit;

	(void)state;
	text = th_read_file(VEC_PLAIN, &len);
	/* The body, decoded (the vector is a well-formed file). */
	{
		char b64[2048];
		size_t bl = 0;

		t = strchr((char *)text, '\n') + 1;
		for (; *t != '-'; t++)
			if (*t != '\n')
				b64[bl++] = *t;
		assert_int_equal(b64_decode(bin, sizeof(bin), &binlen, b64, bl, B64_STD_PAD), 0);
	}
	/* Every truncation fails cleanly. */
	for (i = 0; i < binlen; i++) {
		t = armour(bin, i, &tl);
		assert_int_not_equal(sshkey_parse_private((const uint8_t *)t, tl, out, &info), 0);
		assert_true(sodium_is_zero(out, 32));
		assert_true(info.why[0] != '\0');
		free(t);
	}
	/* Every single-bit flip either fails, or still yields a seed that derives its key. */
	for (i = 0; i < binlen; i++)
		for (bit = 0; bit < 8; bit++) {
			bin[i] ^= (uint8_t)(1u << bit);
			t = armour(bin, binlen, &tl);
			if (sshkey_parse_private((const uint8_t *)t, tl, out, &info) == 0) {
				crypto_sign_ed25519_seed_keypair(derived, sk, out);
				assert_memory_equal(derived, info.pk, 32);
			} else {
				assert_true(info.why[0] != '\0');
			}
			free(t);
			bin[i] ^= (uint8_t)(1u << bit);
		}
	free(text);
}

static void
test_publine(void **state)
{
	struct sshkey_info info;
	uint8_t got[32], *want;
	char line[200];

	(void)state;
	want = th_unhex(PK_PLAIN, NULL);
	assert_int_equal(sshkey_format_publine(line, sizeof(line), want), 0);
	assert_string_equal(line, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIInTqozmaXUQFUjEhlwJTuecVX"
	    "7sl/jC++mlXKNpGiHI");
	assert_int_equal(sshkey_parse_publine(line, strlen(line), got, &info), 0);
	assert_memory_equal(got, want, 32);
	strcat(line, " a comment with spaces\r\n");
	assert_int_equal(sshkey_parse_publine(line, strlen(line), got, &info), 0);
	assert_memory_equal(got, want, 32);
	assert_int_equal(sshkey_parse_publine("  ssh-ed25519\tAAAAC3NzaC1lZDI1NTE5AAAAIInTqozmaX"
	    "UQFUjEhlwJTuecVX7sl/jC++mlXKNpGiHI", 82, got, &info), 0);
	assert_int_equal(sshkey_parse_publine("ssh-rsa AAAAB3NzaC1yc2E= x", 26, got, &info),
	    CCL_ERR_UNSUPPORTED);
	assert_non_null(strstr(info.why, "RSA"));
	assert_int_equal(sshkey_parse_publine("ssh-ed25519 AAAA*", 17, got, &info), CCL_ERR_FORMAT);
	assert_int_equal(sshkey_parse_publine("ssh-ed25519", 11, got, &info), CCL_ERR_FORMAT);
	assert_int_equal(sshkey_parse_publine("", 0, got, &info), CCL_ERR_FORMAT);
	/* The blob says ssh-ed25519 but is one byte short. */
	assert_int_equal(sshkey_parse_publine("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAH4nTqozmaXUQFUj"
	    "EhlwJTuecVX7sl/jC++mlXKNpGiE=", 79, got, &info), CCL_ERR_FORMAT);
	/* Two lines. */
	assert_int_equal(sshkey_parse_publine("ssh-ed25519 AAAA\nx", 18, got, &info), CCL_ERR_FORMAT);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_built_good),
		cmocka_unit_test(test_built_malformed),
		cmocka_unit_test(test_refused_by_name),
		cmocka_unit_test(test_refused_ciphers),
		cmocka_unit_test(test_armour),
		cmocka_unit_test(test_real_plain),
		cmocka_unit_test(test_real_encrypted_header),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_publine),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, NULL);
}
