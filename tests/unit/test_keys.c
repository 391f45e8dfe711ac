/* SPDX-License-Identifier: MIT */
/*
 * test_keys.c — the key file in both cclink 1.3 formats: plaintext hex and
 * the CCLINKEK envelope (fixtures built with python + Debian's age, see
 * tests/vectors/README-keys.md), the public-key cache, and the file rules
 * (mode, size, atomic replace, failures leave the file untouched).
 */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "age.h"
#include "fsutil.h"
#include "hex.h"
#include "kdf.h"
#include "keys.h"
#include "secret.h"
#include "z32.h"

#define SEED_2A "2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a"
#define PK_2A "197f6b23e16c8532c6abc838facd5ea789be0c76b2920334039bfa8b3d368d61"
#define SEED_RFC "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define PASS_DEFAULT "correct horse battery staple"
#define AGE_INTRO "age-encryption.org/v1\n"

/* The UTF-8 passphrase of keys-envelope-params.bin: "pässwörd ünïcode 8+". */
static const char pass_params[] = "p\xc3\xa4ssw\xc3\xb6rd \xc3\xbcn\xc3\xaf" "code 8+";

/* Cheap Argon2 parameters for tests that seal many envelopes. */
#define CHEAP_M 8
#define CHEAP_T 1
#define CHEAP_P 1

static char tmpdir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/ccl-keys.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
unhex32(uint8_t out[32], const char *s)
{
	assert_int_equal(hex_decode(out, 32, s, 64), 0);
}

/* ---- plaintext ---- */

static void
plain_ok(const char *text, const char *want_hex)
{
	uint8_t seed[32], want[32];

	unhex32(want, want_hex);
	assert_int_equal(key_plain_parse(seed, (const uint8_t *)text, strlen(text)), 0);
	assert_memory_equal(seed, want, 32);
}

static void
plain_bad(const void *text, size_t len)
{
	uint8_t seed[32];

	memset(seed, 0x55, sizeof(seed));
	assert_int_equal(key_plain_parse(seed, text, len), CCL_ERR_FORMAT);
	/* No partial seed is left behind. */
	{
		uint8_t zero[32] = { 0 };
		assert_memory_equal(seed, zero, 32);
	}
}

static void
test_plain_parse(void **state)
{
	char buf[256];

	(void)state;
	plain_ok(SEED_RFC, SEED_RFC);
	plain_ok("9D61B19DEFFD5A60BA844AF492EC2CC44449C5697B326919703BAC031CAE7F60", SEED_RFC);
	plain_ok("9d61B19dEFfd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", SEED_RFC);
	plain_ok(SEED_RFC "\n", SEED_RFC);
	plain_ok(SEED_RFC "\r\n", SEED_RFC);
	plain_ok("  \t\n" SEED_RFC " \t\r\n\v\f", SEED_RFC);
	plain_bad("", 0);
	plain_bad("   \n", 4);
	snprintf(buf, sizeof(buf), "%.63s", SEED_RFC);
	plain_bad(buf, 63);
	snprintf(buf, sizeof(buf), "%.63s\n", SEED_RFC);
	plain_bad(buf, 64);
	snprintf(buf, sizeof(buf), "%s0", SEED_RFC);
	plain_bad(buf, 65);
	snprintf(buf, sizeof(buf), "%s%s", SEED_RFC, SEED_RFC);
	plain_bad(buf, 128);
	snprintf(buf, sizeof(buf), "%s", SEED_RFC);
	buf[10] = 'g';
	plain_bad(buf, 64);
	buf[10] = ' ';
	plain_bad(buf, 64);
	snprintf(buf, sizeof(buf), "%s x", SEED_RFC);
	plain_bad(buf, 66);
	snprintf(buf, sizeof(buf), "x %s", SEED_RFC);
	plain_bad(buf, 66);
	snprintf(buf, sizeof(buf), "%s", SEED_RFC);
	buf[64] = '\0';
	plain_bad(buf, 65);  /* a NUL is not whitespace */
	/* 0x in front, and a non-ASCII space (U+00A0), are not accepted. */
	snprintf(buf, sizeof(buf), "0x%.62s", SEED_RFC);
	plain_bad(buf, 64);
	snprintf(buf, sizeof(buf), "\xc2\xa0%s", SEED_RFC);
	plain_bad(buf, 66);
}

static void
test_plain_encode(void **state)
{
	uint8_t seed[32];
	char out[65];

	(void)state;
	unhex32(seed, "9D61B19DEFFD5A60BA844AF492EC2CC44449C5697B326919703BAC031CAE7F60");
	key_plain_encode(out, seed);
	assert_string_equal(out, SEED_RFC);
	assert_int_equal(strlen(out), KEY_HEX_LEN);
}

/* Every single-bit flip and every truncation of a plaintext key: fail, or decode what it says. */
static void
test_plain_mutations(void **state)
{
	char buf[67], low[65];
	uint8_t seed[32], want[32];
	size_t i, j, len;
	int bit, r;

	(void)state;
	snprintf(buf, sizeof(buf), "%s\n", SEED_RFC);
	len = 65;
	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			buf[i] ^= (char)(1 << bit);
			r = key_plain_parse(seed, (uint8_t *)buf, len);
			if (r == 0) {
				/* A mutant that parses decodes to exactly what it says. */
				for (j = 0; j < 64; j++)
					low[j] = (char)((buf[j] >= 'A' && buf[j] <= 'F') ? buf[j] + 32 : buf[j]);
				low[64] = '\0';
				unhex32(want, low);
				assert_memory_equal(seed, want, 32);
			} else {
				assert_int_equal(r, CCL_ERR_FORMAT);
			}
			buf[i] ^= (char)(1 << bit);
		}
	}
	for (i = 0; i < 64; i++)
		assert_int_equal(key_plain_parse(seed, (uint8_t *)buf, i), CCL_ERR_FORMAT);
}

static void
test_detect(void **state)
{
	(void)state;
	assert_int_equal(key_detect((const uint8_t *)"CCLINKEK", 8), KEY_FORMAT_ENVELOPE);
	assert_int_equal(key_detect((const uint8_t *)"CCLINKEKxyz", 11), KEY_FORMAT_ENVELOPE);
	assert_int_equal(key_detect((const uint8_t *)"CCLINKE", 7), KEY_FORMAT_PLAIN);
	assert_int_equal(key_detect((const uint8_t *)"cclinkek", 8), KEY_FORMAT_PLAIN);
	assert_int_equal(key_detect((const uint8_t *)SEED_RFC, 64), KEY_FORMAT_PLAIN);
	assert_int_equal(key_detect(NULL, 0), KEY_FORMAT_PLAIN);
}

/* ---- envelope header (no crypto) ---- */

static size_t
make_header(uint8_t *out, uint8_t version, uint32_t m, uint32_t t, uint32_t p,
    const void *tail, size_t taillen)
{
	size_t i, n = 0;

	memcpy(out, "CCLINKEK", 8);
	n = 8;
	out[n++] = version;
	for (i = 0; i < 4; i++)
		out[n++] = (uint8_t)(m >> (24 - 8 * i));
	for (i = 0; i < 4; i++)
		out[n++] = (uint8_t)(t >> (24 - 8 * i));
	for (i = 0; i < 4; i++)
		out[n++] = (uint8_t)(p >> (24 - 8 * i));
	for (i = 0; i < 32; i++)
		out[n++] = (uint8_t)(0xa0 + i);
	memcpy(out + n, tail, taillen);
	return n + taillen;
}

static void
test_envelope_header(void **state)
{
	static const char tail[] = AGE_INTRO "-> X25519 whatever\n";
	struct key_envelope env;
	uint8_t b[256];
	size_t n, i;

	(void)state;
	n = make_header(b, 1, 65536, 3, 1, tail, sizeof(tail) - 1);
	assert_int_equal(n, KEY_ENVELOPE_HEADER_LEN + sizeof(tail) - 1);
	assert_int_equal(key_envelope_parse(&env, b, n), 0);
	assert_int_equal(env.m_kib, 65536);
	assert_int_equal(env.t, 3);
	assert_int_equal(env.p, 1);
	for (i = 0; i < 32; i++)
		assert_int_equal(env.salt[i], 0xa0 + i);
	assert_ptr_equal(env.ct, b + KEY_ENVELOPE_HEADER_LEN);
	assert_int_equal(env.ctlen, sizeof(tail) - 1);

	/* Every truncation fails cleanly, before any KDF could run. */
	for (i = 0; i < KEY_ENVELOPE_HEADER_LEN + strlen(AGE_INTRO); i++) {
		int r = key_envelope_parse(&env, b, i);

		if (i < 8)
			assert_int_equal(r, CCL_ERR_FORMAT);
		else
			assert_int_equal(r, CCL_ERR_TRUNCATED);
		assert_null(env.ct);
	}
	/* Bad magic, versions. */
	b[0] = 'X';
	assert_int_equal(key_envelope_parse(&env, b, n), CCL_ERR_FORMAT);
	b[0] = 'C';
	b[8] = 2;
	assert_int_equal(key_envelope_parse(&env, b, n), CCL_ERR_UNSUPPORTED);
	assert_int_equal(key_envelope_parse(&env, b, 9), CCL_ERR_UNSUPPORTED);
	b[8] = 0;
	assert_int_equal(key_envelope_parse(&env, b, n), CCL_ERR_UNSUPPORTED);
	b[8] = 0xff;
	assert_int_equal(key_envelope_parse(&env, b, n), CCL_ERR_UNSUPPORTED);
	/* The payload must be an age file. */
	n = make_header(b, 1, 65536, 3, 1, "age-encryption.org/v2\n", 22);
	assert_int_equal(key_envelope_parse(&env, b, n), CCL_ERR_FORMAT);
	n = make_header(b, 1, 65536, 3, 1, "xyz", 3);
	assert_int_equal(key_envelope_parse(&env, b, n), CCL_ERR_FORMAT);
	n = make_header(b, 1, 65536, 3, 1, "-----BEGIN AGE ENCRYPTED FILE-----\n", 35);
	assert_int_equal(key_envelope_parse(&env, b, n), CCL_ERR_FORMAT);
}

static void
test_envelope_params(void **state)
{
	static const struct { uint32_t m, t, p; int r; } cases[] = {
		{ 65536, 3, 1, 0 }, { 8, 1, 1, 0 }, { KDF_MAX_M_KIB, KDF_MAX_T, KDF_MAX_P, 0 },
		{ 0xffffffffu, 3, 1, CCL_ERR_TOO_LARGE }, { KDF_MAX_M_KIB + 1, 3, 1, CCL_ERR_TOO_LARGE },
		{ 65536, 0xffffffffu, 1, CCL_ERR_TOO_LARGE }, { 65536, KDF_MAX_T + 1, 1, CCL_ERR_TOO_LARGE },
		{ 65536, 3, 0xffffffffu, CCL_ERR_TOO_LARGE }, { 65536, 3, KDF_MAX_P + 1, CCL_ERR_TOO_LARGE },
		{ 65536, 0, 1, CCL_ERR_FORMAT }, { 65536, 3, 0, CCL_ERR_FORMAT }, { 0, 3, 1, CCL_ERR_FORMAT },
		{ 7, 1, 1, CCL_ERR_FORMAT }, { 31, 1, 4, CCL_ERR_FORMAT }, { 32, 1, 4, 0 },
	};
	struct key_envelope env;
	uint8_t b[256], seed[32];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = make_header(b, 1, cases[i].m, cases[i].t, cases[i].p, AGE_INTRO "x", 23);
		assert_int_equal(key_envelope_parse(&env, b, n), cases[i].r);
		/* Refused parameters never reach Argon2 (this would take minutes otherwise). */
		if (cases[i].r != 0)
			assert_int_equal(key_envelope_open(seed, b, n, "password", 8), cases[i].r);
	}
}

/* ---- envelope crypto: needs age.c and kdf.c ---- */

static uint8_t *
fixture(const char *name, size_t *n)
{
	char path[256];

	snprintf(path, sizeof(path), "tests/vectors/%s", name);
	return th_read_file(path, n);
}

static void
test_fixture_default(void **state)
{
	struct key_envelope env;
	uint8_t seed[32], want[32], pk[32], wantpk[32], *b;
	size_t n;

	(void)state;
	b = fixture("keys-envelope-default.bin", &n);
	assert_int_equal(key_detect(b, n), KEY_FORMAT_ENVELOPE);
	assert_int_equal(key_envelope_parse(&env, b, n), 0);
	assert_int_equal(env.m_kib, 65536);
	assert_int_equal(env.t, 3);
	assert_int_equal(env.p, 1);
	assert_int_equal(key_envelope_open(seed, b, n, PASS_DEFAULT, strlen(PASS_DEFAULT)), 0);
	unhex32(want, SEED_2A);
	assert_memory_equal(seed, want, 32);
	assert_int_equal(key_seed_pubkey(pk, seed), 0);
	unhex32(wantpk, PK_2A);
	assert_memory_equal(pk, wantpk, 32);
	free(b);
}

static void
test_fixture_params(void **state)
{
	uint8_t seed[32], want[32], *b;
	size_t n;

	(void)state;
	b = fixture("keys-envelope-params.bin", &n);
	assert_int_equal(key_envelope_open(seed, b, n, pass_params, strlen(pass_params)), 0);
	unhex32(want, SEED_RFC);
	assert_memory_equal(seed, want, 32);
	/* Wrong passphrases: a near miss, empty, and the other fixture's. */
	assert_int_equal(key_envelope_open(seed, b, n, pass_params, strlen(pass_params) - 1),
	    CCL_ERR_WRONG_PASSPHRASE);
	assert_int_equal(key_envelope_open(seed, b, n, "", 0), CCL_ERR_WRONG_PASSPHRASE);
	assert_int_equal(key_envelope_open(seed, b, n, PASS_DEFAULT, strlen(PASS_DEFAULT)),
	    CCL_ERR_WRONG_PASSPHRASE);
	{
		uint8_t zero[32] = { 0 };
		assert_memory_equal(seed, zero, 32);
	}
	free(b);
}

static void
test_seal_layout(void **state)
{
	struct key_envelope env;
	uint8_t seed[32], salt[32], back[32], *b = NULL;
	size_t n = 0, i;

	(void)state;
	unhex32(seed, SEED_RFC);
	for (i = 0; i < 32; i++)
		salt[i] = (uint8_t)(0x40 + i);
	assert_int_equal(key_envelope_seal_params(&b, &n, seed, "hunter2hunter2", 14, salt,
	    256, 2, 2), 0);
	assert_memory_equal(b, "CCLINKEK\x01\x00\x00\x01\x00\x00\x00\x00\x02\x00\x00\x00\x02", 21);
	assert_memory_equal(b + 21, salt, 32);
	assert_memory_equal(b + 53, AGE_INTRO, strlen(AGE_INTRO));
	assert_int_equal(key_envelope_parse(&env, b, n), 0);
	assert_int_equal(key_envelope_open(back, b, n, "hunter2hunter2", 14), 0);
	assert_memory_equal(back, seed, 32);
	free(b);
	/* Refused parameters are refused when sealing too. */
	assert_int_equal(key_envelope_seal_params(&b, &n, seed, "x", 1, salt, 7, 1, 1),
	    CCL_ERR_INVALID_ARG);
	assert_int_equal(key_envelope_seal_params(&b, &n, seed, NULL, 0, salt, 8, 1, 1),
	    CCL_ERR_INVALID_ARG);
	assert_null(b);
}

static void
test_seal_defaults(void **state)
{
	struct key_envelope env, env2;
	uint8_t seed[32], back[32], *b = NULL, *b2 = NULL;
	size_t n = 0, n2 = 0;

	(void)state;
	randombytes_buf(seed, sizeof(seed));
	assert_int_equal(key_envelope_seal(&b, &n, seed, "a passphrase", 12), 0);
	assert_int_equal(key_envelope_parse(&env, b, n), 0);
	assert_int_equal(env.m_kib, 65536);
	assert_int_equal(env.t, 3);
	assert_int_equal(env.p, 1);
	assert_int_equal(key_envelope_open(back, b, n, "a passphrase", 12), 0);
	assert_memory_equal(back, seed, 32);
	/* A fresh salt each time. */
	assert_int_equal(key_envelope_seal(&b2, &n2, seed, "a passphrase", 12), 0);
	assert_int_equal(key_envelope_parse(&env2, b2, n2), 0);
	assert_memory_not_equal(env.salt, env2.salt, 32);
	free(b);
	free(b2);
}

/* Flip every bit outside the Argon2 parameters, truncate at every length: never a seed. */
static void
test_envelope_mutations(void **state)
{
	uint8_t seed[32], salt[32], out[32], *b = NULL;
	size_t n = 0, i;
	int bit, r;

	(void)state;
	randombytes_buf(seed, sizeof(seed));
	randombytes_buf(salt, sizeof(salt));
	assert_int_equal(key_envelope_seal_params(&b, &n, seed, "pw", 2, salt,
	    CHEAP_M, CHEAP_T, CHEAP_P), 0);
	assert_int_equal(key_envelope_open(out, b, n, "pw", 2), 0);
	for (i = 0; i < n; i++) {
		/* m/t/p flips can ask for hundreds of MiB: covered by test_envelope_params. */
		if (i >= 9 && i < 21)
			continue;
		for (bit = 0; bit < 8; bit++) {
			b[i] ^= (uint8_t)(1 << bit);
			r = key_envelope_open(out, b, n, "pw", 2);
			if (r == 0)
				fail_msg("mutant at byte %zu bit %d opened", i, bit);
			b[i] ^= (uint8_t)(1 << bit);
		}
	}
	for (i = 0; i < n; i++) {
		r = key_envelope_open(out, b, i, "pw", 2);
		if (r == 0)
			fail_msg("truncation to %zu bytes opened", i);
	}
	/* Trailing garbage after the age file. */
	{
		uint8_t *big = malloc(n + 1);

		assert_non_null(big);
		memcpy(big, b, n);
		big[n] = 0;
		assert_int_not_equal(key_envelope_open(out, big, n + 1, "pw", 2), 0);
		free(big);
	}
	free(b);
}

/* Our envelope opens with Debian's age and an identity derived from the header. */
static void
test_envelope_with_age_binary(void **state)
{
	struct key_envelope env;
	struct age_identity aid;
	uint8_t seed[32], scalar[32], salt[32], *b = NULL, *got;
	char *idstr = NULL, idpath[600], ctpath[600], outpath[600], cmd[2048];
	size_t n = 0, gotn;

	(void)state;
	if (system("age --version >/dev/null 2>&1") != 0)
		fail_msg("Debian's age is not installed: run 'make deps'");
	randombytes_buf(seed, sizeof(seed));
	randombytes_buf(salt, sizeof(salt));
	assert_int_equal(key_envelope_seal_params(&b, &n, seed, "interop pw", 10, salt,
	    1024, 2, 1), 0);
	assert_int_equal(key_envelope_parse(&env, b, n), 0);
	assert_int_equal(kdf_derive_x25519(scalar, "interop pw", 10, env.salt, env.m_kib, env.t,
	    env.p, KEY_HKDF_INFO), 0);
	assert_int_equal(age_identity_from_x25519(&aid, scalar), 0);
	assert_int_equal(age_identity_encode(&aid, &idstr), 0);
	snprintf(idpath, sizeof(idpath), "%s/id", tmpdir);
	snprintf(ctpath, sizeof(ctpath), "%s/ct", tmpdir);
	snprintf(outpath, sizeof(outpath), "%s/out", tmpdir);
	th_put_file(idpath, idstr, strlen(idstr), 0600);
	th_put_file(ctpath, env.ct, env.ctlen, 0600);
	snprintf(cmd, sizeof(cmd), "age -d -i '%s' -o '%s' '%s'", idpath, outpath, ctpath);
	assert_int_equal(system(cmd), 0);
	got = th_read_file(outpath, &gotn);
	assert_int_equal(gotn, 32);
	assert_memory_equal(got, seed, 32);
	free(got);
	secret_free(idstr);
	age_identity_cleanup(&aid);
	sodium_memzero(scalar, sizeof(scalar));
	free(b);
}

/* ---- files ---- */

static void
key_path(char *out, size_t n)
{
	snprintf(out, n, "%s/.pubky/secret_key", tmpdir);
}

/* key_file_read fails with r and leaves the file byte-identical. */
static void
read_fails(const char *path, const void *data, size_t len, mode_t mode, int r)
{
	struct key_file kf;
	uint8_t *after;
	size_t afterlen;
	struct stat st;

	th_put_file(path, data, len, mode);
	assert_int_equal(key_file_read(&kf, path), r);
	assert_null(kf.data);
	assert_null(kf.path);
	key_file_cleanup(&kf);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, mode);
	after = th_read_file(path, &afterlen);
	assert_int_equal(afterlen, len);
	assert_memory_equal(after, data, len);
	free(after);
}

static void
test_file_read_errors(void **state)
{
	char path[600], dir[600];
	uint8_t hdr[256], big[KEY_FILE_MAX + 1];
	struct key_file kf;
	size_t n;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/.pubky", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	key_path(path, sizeof(path));
	assert_int_equal(key_file_read(&kf, path), CCL_ERR_NOT_FOUND);
	read_fails(path, SEED_RFC, 64, 0644, CCL_ERR_PERMISSION);
	read_fails(path, SEED_RFC, 64, 0640, CCL_ERR_PERMISSION);
	read_fails(path, SEED_RFC, 64, 0604, CCL_ERR_PERMISSION);
	read_fails(path, "", 0, 0600, CCL_ERR_FORMAT);
	read_fails(path, SEED_RFC, 63, 0600, CCL_ERR_FORMAT);
	read_fails(path, SEED_RFC "0", 65, 0600, CCL_ERR_FORMAT);
	read_fails(path, "zz" SEED_RFC, 64, 0600, CCL_ERR_FORMAT);
	read_fails(path, "CCLINKEK", 8, 0600, CCL_ERR_TRUNCATED);
	read_fails(path, "CCLINKEX" SEED_RFC, 72, 0600, CCL_ERR_FORMAT);
	n = make_header(hdr, 2, 65536, 3, 1, AGE_INTRO, 22);
	read_fails(path, hdr, n, 0600, CCL_ERR_UNSUPPORTED);
	n = make_header(hdr, 1, 0xffffffffu, 3, 1, AGE_INTRO, 22);
	read_fails(path, hdr, n, 0600, CCL_ERR_TOO_LARGE);
	read_fails(path, hdr, 30, 0600, CCL_ERR_TRUNCATED);
	n = make_header(hdr, 1, 65536, 3, 1, "", 0);
	read_fails(path, hdr, n, 0600, CCL_ERR_TRUNCATED);
	memset(big, ' ', sizeof(big));
	memcpy(big, SEED_RFC, 64);
	read_fails(path, big, sizeof(big), 0600, CCL_ERR_TOO_LARGE);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(key_file_read(&kf, path), CCL_ERR_FORMAT);
	assert_int_equal(rmdir(path), 0);
	/* Uppercase with a newline and 0400 are fine. */
	th_put_file(path, "9D61B19DEFFD5A60BA844AF492EC2CC44449C5697B326919703BAC031CAE7F60\n", 65, 0400);
	assert_int_equal(key_file_read(&kf, path), 0);
	assert_int_equal(kf.format, KEY_FORMAT_PLAIN);
	assert_string_equal(kf.path, path);
	{
		uint8_t seed[32], want[32];

		assert_int_equal(key_file_unlock(&kf, NULL, 0, seed), 0);
		unhex32(want, SEED_RFC);
		assert_memory_equal(seed, want, 32);
	}
	key_file_cleanup(&kf);
	key_file_cleanup(&kf);
	/* A good key in a directory others can write: refused before it is read. */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(key_file_read(&kf, path), CCL_ERR_PERMISSION);
	assert_null(kf.data);
	assert_int_equal(chmod(dir, 0775), 0);
	assert_int_equal(key_file_read(&kf, path), CCL_ERR_PERMISSION);
	/* And no key is written into one. */
	{
		uint8_t seed[32];

		unhex32(seed, SEED_RFC);
		assert_int_equal(key_save(path, seed, NULL, 0), CCL_ERR_PERMISSION);
	}
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(key_file_read(&kf, path), 0);
	key_file_cleanup(&kf);
}

static void
test_save_plain(void **state)
{
	char path[600], dir[600], pub[700];
	uint8_t seed[32], *b;
	struct stat st;
	size_t n;
	mode_t old = umask(022);

	(void)state;
	key_path(path, sizeof(path));
	snprintf(dir, sizeof(dir), "%s/.pubky", tmpdir);
	snprintf(pub, sizeof(pub), "%s.pub", path);
	unhex32(seed, "9D61B19DEFFD5A60BA844AF492EC2CC44449C5697B326919703BAC031CAE7F60");
	assert_int_equal(key_save(path, seed, NULL, 0), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	b = th_read_file(path, &n);
	assert_int_equal(n, 64);  /* lowercase hex, no newline, as 1.3 writes */
	assert_memory_equal(b, SEED_RFC, 64);
	free(b);
	assert_int_equal(th_count_entries(dir), 1);
	/* A stale cache from an earlier envelope is removed. */
	th_put_file(pub, "stale", 5, 0600);
	assert_int_equal(key_save(path, seed, NULL, 0), 0);
	assert_int_equal(fs_exists(pub), 0);
	assert_int_equal(th_count_entries(dir), 1);
	umask(old);
}

static void
test_save_envelope_and_cache(void **state)
{
	char path[600], dir[600], pub[700], z[Z32_KEY_LEN + 1], line[200];
	uint8_t seed[32], seed2[32], pk[32], want[32], out[32], *b;
	struct key_file kf;
	size_t n;

	(void)state;
	key_path(path, sizeof(path));
	snprintf(dir, sizeof(dir), "%s/.pubky", tmpdir);
	snprintf(pub, sizeof(pub), "%s.pub", path);
	unhex32(seed, SEED_2A);
	unhex32(want, PK_2A);
	assert_int_equal(key_save(path, seed, "long enough", 11), 0);
	assert_int_equal(th_count_entries(dir), 2);
	assert_int_equal(key_file_read(&kf, path), 0);
	assert_int_equal(kf.format, KEY_FORMAT_ENVELOPE);
	assert_int_equal(kf.env.m_kib, KDF_DEFAULT_M_KIB);
	assert_int_equal(key_pub_load(pk, &kf), 0);
	assert_memory_equal(pk, want, 32);
	/* The cache line. */
	b = th_read_file(pub, &n);
	z32_encode(z, want, 32);
	snprintf(line, sizeof(line), "pk:%s sha256:", z);
	assert_int_equal(n, strlen(line) + 64 + 1);
	assert_memory_equal(b, line, strlen(line));
	free(b);
	assert_int_equal(key_file_unlock(&kf, "long enough", 11, out), 0);
	assert_memory_equal(out, seed, 32);
	assert_int_equal(key_file_unlock(&kf, "long enougH", 11, out), CCL_ERR_WRONG_PASSPHRASE);
	key_file_cleanup(&kf);

	/* Another program rewrites the key (1.3 knows nothing of the cache): stale. */
	randombytes_buf(seed2, sizeof(seed2));
	{
		uint8_t *env = NULL, salt[32];
		size_t envlen = 0;

		randombytes_buf(salt, sizeof(salt));
		assert_int_equal(key_envelope_seal_params(&env, &envlen, seed2, "x", 1, salt,
		    CHEAP_M, CHEAP_T, CHEAP_P), 0);
		assert_int_equal(fs_write_private(path, env, envlen), 0);
		free(env);
	}
	assert_int_equal(key_file_read(&kf, path), 0);
	assert_int_equal(key_pub_load(pk, &kf), CCL_ERR_FORMAT);
	/* Rewriting the cache makes it valid again. */
	assert_int_equal(key_seed_pubkey(want, seed2), 0);
	assert_int_equal(key_pub_save(&kf, want), 0);
	assert_int_equal(key_pub_load(pk, &kf), 0);
	assert_memory_equal(pk, want, 32);
	/* Others may not write the cache. */
	assert_int_equal(chmod(pub, 0622), 0);
	assert_int_equal(key_pub_load(pk, &kf), CCL_ERR_PERMISSION);
	assert_int_equal(chmod(pub, 0644), 0);
	assert_int_equal(key_pub_load(pk, &kf), 0);
	/* Damaged or missing cache. */
	th_put_file(pub, "pk:garbage\n", 11, 0600);
	assert_int_equal(key_pub_load(pk, &kf), CCL_ERR_FORMAT);
	assert_int_equal(unlink(pub), 0);
	assert_int_equal(key_pub_load(pk, &kf), CCL_ERR_NOT_FOUND);
	key_file_cleanup(&kf);
	/* Plaintext over an envelope removes the cache. */
	assert_int_equal(key_save(path, seed, NULL, 0), 0);
	assert_int_equal(th_count_entries(dir), 1);
}

static void
test_pub_parse(void **state)
{
	char z[Z32_KEY_LEN + 1], line[200], hex[65];
	uint8_t pk[32], want[32], digest[32], d[32];
	size_t n;

	(void)state;
	unhex32(want, PK_2A);
	z32_encode(z, want, 32);
	memset(d, 0xab, sizeof(d));
	hex_encode(hex, d, 32);
	n = (size_t)snprintf(line, sizeof(line), "pk:%s sha256:%s\n", z, hex);
	assert_int_equal(key_pub_parse(pk, digest, (uint8_t *)line, n), 0);
	assert_memory_equal(pk, want, 32);
	assert_memory_equal(digest, d, 32);
	/* Every truncation, every missing piece. */
	{
		size_t i;

		for (i = 0; i < n; i++)
			assert_int_not_equal(key_pub_parse(pk, digest, (uint8_t *)line, i), 0);
	}
	line[n] = 'x';
	assert_int_equal(key_pub_parse(pk, digest, (uint8_t *)line, n + 1), CCL_ERR_FORMAT);
	line[0] = 'P';
	assert_int_equal(key_pub_parse(pk, digest, (uint8_t *)line, n), CCL_ERR_FORMAT);
	line[0] = 'p';
	line[3] = 'Y';  /* uppercase is not z-base-32 */
	assert_int_equal(key_pub_parse(pk, digest, (uint8_t *)line, n), CCL_ERR_FORMAT);
	line[3] = z[0];
	line[n - 2] = 'g';
	assert_int_equal(key_pub_parse(pk, digest, (uint8_t *)line, n), CCL_ERR_FORMAT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_parse),
		cmocka_unit_test(test_plain_encode),
		cmocka_unit_test(test_plain_mutations),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_envelope_header),
		cmocka_unit_test(test_envelope_params),
		cmocka_unit_test(test_pub_parse),
		cmocka_unit_test_setup_teardown(test_file_read_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_plain, setup, teardown),
		/* These need the age and kdf modules. */
		cmocka_unit_test(test_fixture_default),
		cmocka_unit_test(test_fixture_params),
		cmocka_unit_test(test_seal_layout),
		cmocka_unit_test(test_seal_defaults),
		cmocka_unit_test(test_envelope_mutations),
		cmocka_unit_test_setup_teardown(test_envelope_with_age_binary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_envelope_and_cache, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
