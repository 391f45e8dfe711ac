/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for age: the C2SP CCTV vectors (tests/vectors/cctv-age), key
 * encodings, Ed25519 → X25519 (tests/vectors/ed2x.json), round trips at the
 * STREAM chunk boundaries, hostile headers, and a deterministic mutation loop.
 */
#include "testutil.h"
#include <dirent.h>
#include <dlfcn.h>
#include <sodium.h>
#include <cjson/cJSON.h>
#include "age.h"
#include "bech32.h"
#include "secret.h"

#define CCTV_DIR "tests/vectors/cctv-age"
#define CCTV_MIN_RUN 60
#define CCTV_MAX_IDS 4

/* ---- helpers ---- */

static uint8_t *
unhex_exact(const char *s, size_t want)
{
	size_t n;
	uint8_t *b = th_unhex(s, &n);

	assert_int_equal(n, want);
	return b;
}

static void
fixed_identity(struct age_identity *id, uint8_t seed)
{
	uint8_t sk[32];

	memset(sk, seed, sizeof(sk));
	assert_int_equal(age_identity_from_x25519(id, sk), 0);
}

static void
encrypt_to(const struct age_identity *ids, size_t n, const uint8_t *pt, size_t ptlen,
    uint8_t **ct, size_t *ctlen)
{
	struct age_recipient rc[8];
	size_t i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++)
		age_identity_recipient(&ids[i], &rc[i]);
	assert_int_equal(age_encrypt(rc, n, pt, ptlen, ct, ctlen), 0);
}

static int
is_failure_class(int r)
{
	return r == CCL_ERR_NO_IDENTITY || r == CCL_ERR_AGE_HEADER ||
	    r == CCL_ERR_MAC_INVALID || r == CCL_ERR_AGE_PAYLOAD;
}

/* Decrypt and expect one of the four failure classes with nothing released. */
static int
decrypt_fails(const struct age_identity *id, const uint8_t *ct, size_t ctlen)
{
	uint8_t *pt = (uint8_t *)1;
	size_t ptlen = 1;
	int r = age_decrypt(id, 1, ct, ctlen, &pt, &ptlen);

	if (r == 0)
		secret_free(pt);
	else {
		assert_null(pt);
		assert_int_equal(ptlen, 0);
	}
	return r;
}

/* ---- CCTV ---- */

/* zlib's uncompress(), loaded at run time so the library need not link zlib. */
typedef int (*uncompress_fn)(unsigned char *, unsigned long *, const unsigned char *,
    unsigned long);

static uncompress_fn
zlib_uncompress(void)
{
	static uncompress_fn fn;
	void *h, *sym;

	if (fn != NULL)
		return fn;
	if ((h = dlopen("libz.so.1", RTLD_NOW)) == NULL)
		fail_msg("compressed CCTV vectors need libz.so.1: %s", dlerror());
	if ((sym = dlsym(h, "uncompress")) == NULL)
		fail_msg("libz.so.1 has no uncompress");
	memcpy(&fn, &sym, sizeof(fn));
	return fn;
}

static uint8_t *
inflate_all(const uint8_t *in, size_t inlen, size_t *outlen)
{
	unsigned long cap = 1 << 20, n;
	uint8_t *out;
	int zr;

	for (;;) {
		out = malloc(cap);
		assert_non_null(out);
		n = cap;
		zr = zlib_uncompress()(out, &n, in, (unsigned long)inlen);
		if (zr == 0)
			break;
		free(out);
		assert_int_equal(zr, -5); /* Z_BUF_ERROR: grow */
		assert_true(cap < (64ul << 20));
		cap *= 2;
	}
	*outlen = n;
	return out;
}

struct cctv {
	char expect[32];
	char payload[65];
	char *ids[CCTV_MAX_IDS];
	size_t nids;
	int armored, passphrase, compressed, pq, unknown;
	const uint8_t *body;
	size_t bodylen;
};

/* Parse the "key: value" header of a vector (test data we ship). */
static void
cctv_parse(uint8_t *file, size_t n, struct cctv *v)
{
	char *p = (char *)file, *end = (char *)file + n, *nl, *val;

	memset(v, 0, sizeof(*v));
	while (p < end && *p != '\n') {
		nl = memchr(p, '\n', (size_t)(end - p));
		assert_non_null(nl);
		*nl = '\0';
		val = strstr(p, ": ");
		assert_non_null(val);
		*val = '\0';
		val += 2;
		if (strcmp(p, "expect") == 0)
			snprintf(v->expect, sizeof(v->expect), "%s", val);
		else if (strcmp(p, "payload") == 0)
			snprintf(v->payload, sizeof(v->payload), "%s", val);
		else if (strcmp(p, "identity") == 0) {
			assert_true(v->nids < CCTV_MAX_IDS);
			v->ids[v->nids++] = val;
			if (strncmp(val, "AGE-SECRET-KEY-1", 16) != 0)
				v->pq = 1;
		} else if (strcmp(p, "passphrase") == 0)
			v->passphrase = 1;
		else if (strcmp(p, "armored") == 0)
			v->armored = strcmp(val, "yes") == 0;
		else if (strcmp(p, "compressed") == 0) {
			assert_string_equal(val, "zlib");
			v->compressed = 1;
		} else if (strcmp(p, "file key") != 0 && strcmp(p, "comment") != 0)
			v->unknown = 1;
		p = nl + 1;
	}
	assert_true(p < end);
	v->body = (const uint8_t *)p + 1;
	v->bodylen = (size_t)(end - p - 1);
}

static int
expect_code(const char *e)
{
	if (strcmp(e, "success") == 0)
		return 0;
	if (strcmp(e, "no match") == 0)
		return CCL_ERR_NO_IDENTITY;
	if (strcmp(e, "HMAC failure") == 0)
		return CCL_ERR_MAC_INVALID;
	if (strcmp(e, "header failure") == 0)
		return CCL_ERR_AGE_HEADER;
	if (strcmp(e, "payload failure") == 0)
		return CCL_ERR_AGE_PAYLOAD;
	fail_msg("unknown expect '%s'", e);
	return 1;
}

/* Run one vector; 1 when it ran, 0 when the filter skipped it. */
static int
cctv_run(const char *name, size_t *bad, size_t *skip_armor, size_t *skip_scrypt,
    size_t *skip_pq)
{
	char path[512];
	struct cctv v;
	struct age_identity ids[CCTV_MAX_IDS];
	uint8_t *file, *inflated = NULL, *pt = NULL, hash[32];
	const uint8_t *ct;
	size_t n, ctlen, ptlen = 0, i;
	char hex[65];
	int r, want, ok;

	snprintf(path, sizeof(path), "%s/%s", CCTV_DIR, name);
	file = th_read_file(path, &n);
	cctv_parse(file, n, &v);
	/* The explicit filter: binary files for X25519 identities only. */
	if (v.armored || v.passphrase || v.pq || v.unknown || v.nids == 0) {
		if (v.armored)
			(*skip_armor)++;
		else if (v.passphrase)
			(*skip_scrypt)++;
		else
			(*skip_pq)++;
		free(file);
		return 0;
	}
	want = expect_code(v.expect);
	ct = v.body;
	ctlen = v.bodylen;
	if (v.compressed) {
		inflated = inflate_all(v.body, v.bodylen, &ctlen);
		ct = inflated;
	}
	for (i = 0; i < v.nids; i++)
		assert_int_equal(age_identity_parse(&ids[i], v.ids[i]), 0);
	r = age_decrypt(ids, v.nids, ct, ctlen, &pt, &ptlen);
	ok = r == want;
	if (ok && r == 0) {
		crypto_hash_sha256(hash, pt, ptlen);
		sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
		ok = strcmp(hex, v.payload) == 0;
	}
	if (r != 0)
		ok = ok && pt == NULL && ptlen == 0;
	if (!ok) {
		print_message("# cctv %s: expected '%s', got %d (%s)\n", name, v.expect, r,
		    ccl_strerror(r));
		(*bad)++;
	}
	secret_free(pt);
	for (i = 0; i < v.nids; i++)
		age_identity_cleanup(&ids[i]);
	free(inflated);
	free(file);
	return 1;
}

static void
test_cctv(void **state)
{
	char dir[1024];
	const char *top = getenv("CCLINK_TOP");
	DIR *d;
	struct dirent *e;
	size_t ran = 0, bad = 0, s_armor = 0, s_scrypt = 0, s_pq = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/%s", top != NULL ? top : ".", CCTV_DIR);
	d = opendir(dir);
	if (d == NULL)
		fail_msg("cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strchr(e->d_name, '.') != NULL)
			continue; /* ".", "..", README.md */
		ran += (size_t)cctv_run(e->d_name, &bad, &s_armor, &s_scrypt, &s_pq);
	}
	closedir(d);
	print_message("# cctv-age: %zu vectors ran, %zu failed; skipped %zu armored, "
	    "%zu scrypt, %zu non-X25519\n", ran, bad, s_armor, s_scrypt, s_pq);
	assert_int_equal(bad, 0);
	assert_true(ran >= CCTV_MIN_RUN);
}

/* ---- keys ---- */

/* The examples of the age spec (c2sp.org/age). */
#define SPEC_IDENTITY "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"
#define SPEC_RECIPIENT "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"

static void
test_keys(void **state)
{
	struct age_identity id, id2;
	struct age_recipient rc, rc2;
	char s[128], *enc = NULL, lower[128];
	size_t i;

	(void)state;
	assert_int_equal(age_identity_parse(&id, SPEC_IDENTITY), 0);
	assert_int_equal(id.kind, AGE_X25519);
	assert_int_equal(age_identity_encode(&id, &enc), 0);
	assert_string_equal(enc, SPEC_IDENTITY);
	assert_int_equal(strlen(enc), AGE_IDENTITY_LEN);
	secret_free(enc);
	age_identity_recipient(&id, &rc);
	assert_int_equal(age_recipient_encode(&rc, s, sizeof(s)), 0);
	assert_string_equal(s, SPEC_RECIPIENT);
	assert_int_equal(strlen(s), AGE_RECIPIENT_LEN);
	assert_int_equal(age_recipient_encode(&rc, s, AGE_RECIPIENT_LEN), CCL_ERR_TOO_LARGE);
	assert_int_equal(age_recipient_encode(&rc, s, AGE_RECIPIENT_LEN + 1), 0);
	assert_int_equal(age_recipient_parse(&rc2, SPEC_RECIPIENT), 0);
	assert_memory_equal(rc.pk, rc2.pk, 32);

	/* Case rules: identities uppercase, recipients lowercase, never mixed. */
	for (i = 0; SPEC_IDENTITY[i] != '\0'; i++)
		lower[i] = (char)((SPEC_IDENTITY[i] >= 'A' && SPEC_IDENTITY[i] <= 'Z') ?
		    SPEC_IDENTITY[i] + 32 : SPEC_IDENTITY[i]);
	lower[i] = '\0';
	assert_int_equal(age_identity_parse(&id2, lower), CCL_ERR_FORMAT);
	assert_null(id2.sk);
	lower[0] = 'A';
	assert_int_equal(age_identity_parse(&id2, lower), CCL_ERR_FORMAT);
	for (i = 0; SPEC_RECIPIENT[i] != '\0'; i++)
		s[i] = (char)((SPEC_RECIPIENT[i] >= 'a' && SPEC_RECIPIENT[i] <= 'z') ?
		    SPEC_RECIPIENT[i] - 32 : SPEC_RECIPIENT[i]);
	s[i] = '\0';
	assert_int_equal(age_recipient_parse(&rc2, s), CCL_ERR_FORMAT);
	assert_int_equal(age_recipient_parse(&rc2, "age1Zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"),
	    CCL_ERR_FORMAT);
	/* Wrong HRP either way round, a bad checksum, truncation, other types. */
	assert_int_equal(age_recipient_parse(&rc2, SPEC_IDENTITY), CCL_ERR_FORMAT);
	assert_int_equal(age_identity_parse(&id2, SPEC_RECIPIENT), CCL_ERR_FORMAT);
	assert_int_equal(age_recipient_parse(&rc2,
	    "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwk"), CCL_ERR_FORMAT);
	assert_int_equal(age_recipient_parse(&rc2,
	    "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujw"), CCL_ERR_FORMAT);
	assert_int_equal(age_recipient_parse(&rc2, ""), CCL_ERR_FORMAT);
	assert_int_equal(age_recipient_parse(&rc2,
	    "age1tag1qt8lw0ual6avlwmwatk888yqnmdamm7xfd0wak53ut6elz5c4swx2yqdj4e"), CCL_ERR_FORMAT);
	assert_int_equal(age_identity_parse(&id2,
	    "AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR"),
	    CCL_ERR_FORMAT);
	/* Valid Bech32 under the right HRPs, but 31 and 33 bytes. */
	{
		uint8_t b[33] = { 0 };

		assert_int_equal(bech32_encode(s, sizeof(s), "age", b, 31), 0);
		assert_int_equal(age_recipient_parse(&rc2, s), CCL_ERR_FORMAT);
		assert_int_equal(bech32_encode(s, sizeof(s), "age", b, 33), 0);
		assert_int_equal(age_recipient_parse(&rc2, s), CCL_ERR_FORMAT);
		assert_int_equal(bech32_encode(s, sizeof(s), "AGE-SECRET-KEY-", b, 33), 0);
		assert_int_equal(age_identity_parse(&id2, s), CCL_ERR_FORMAT);
		assert_int_equal(bech32_encode(s, sizeof(s), "AGE-SECRET-KEY-", b, 32), 0);
		assert_int_equal(age_identity_parse(&id2, s), 0);
		age_identity_cleanup(&id2);
	}
	age_identity_cleanup(&id);
	age_identity_cleanup(&id);   /* twice is safe */
}

static void
test_ed2x(void **state)
{
	cJSON *j = th_load_json("tests/vectors/ed2x.json"), *v;
	struct age_identity id;
	struct age_recipient rc;
	uint8_t *seed, *edpk, *xpk, *xsk, bad[32];
	size_t count = 0;

	(void)state;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(j, "valid")) {
		seed = unhex_exact(th_jstr(v, "ed25519_seed_hex"), 32);
		edpk = unhex_exact(th_jstr(v, "ed25519_pk_hex"), 32);
		xpk = unhex_exact(th_jstr(v, "x25519_pk_hex"), 32);
		xsk = unhex_exact(th_jstr(v, "x25519_sk_hex"), 32);
		assert_int_equal(age_identity_from_ed25519_seed(&id, seed), 0);
		assert_memory_equal(id.sk, xsk, 32);
		assert_memory_equal(id.pk, xpk, 32);
		assert_int_equal(age_recipient_from_ed25519_pk(&rc, edpk), 0);
		assert_int_equal(rc.kind, AGE_X25519);
		assert_memory_equal(rc.pk, xpk, 32);
		age_identity_cleanup(&id);
		free(seed);
		free(edpk);
		free(xpk);
		free(xsk);
		count++;
	}
	assert_true(count >= 4);
	cJSON_Delete(j);
	/* libsodium refuses the neutral element (small order) and a non-point. */
	memset(bad, 0, sizeof(bad));
	bad[0] = 1;
	assert_int_equal(age_recipient_from_ed25519_pk(&rc, bad), CCL_ERR_KEY_INVALID);
	memset(bad, 0, sizeof(bad));
	assert_int_equal(age_recipient_from_ed25519_pk(&rc, bad), CCL_ERR_KEY_INVALID);
	/* y = 2 is not on the curve. */
	bad[0] = 2;
	assert_int_equal(age_recipient_from_ed25519_pk(&rc, bad), CCL_ERR_KEY_INVALID);
}

/* ---- round trips ---- */

static void
roundtrip(size_t ptlen)
{
	struct age_identity id;
	uint8_t *pt = malloc(ptlen + 1), *ct = NULL, *out = NULL;
	size_t ctlen = 0, outlen = 0, nch;

	assert_non_null(pt);
	randombytes_buf(pt, ptlen);
	fixed_identity(&id, 0x11);
	encrypt_to(&id, 1, pt, ptlen, &ct, &ctlen);
	nch = ptlen == 0 ? 1 : (ptlen + AGE_CHUNK_SIZE - 1) / AGE_CHUNK_SIZE;
	/* intro 22 + stanza 98 + MAC line 48 + nonce 16 + chunks. */
	assert_int_equal(ctlen, 22 + 98 + 48 + 16 + ptlen + 16 * nch);
	assert_memory_equal(ct, "age-encryption.org/v1\n-> X25519 ", 32);
	assert_int_equal(age_decrypt(&id, 1, ct, ctlen, &out, &outlen), 0);
	assert_int_equal(outlen, ptlen);
	if (ptlen > 0)
		assert_memory_equal(out, pt, ptlen);
	secret_free(out);
	/* Truncating the last byte and appending one both fail as payload failures. */
	assert_int_equal(decrypt_fails(&id, ct, ctlen - 1), CCL_ERR_AGE_PAYLOAD);
	ct = realloc(ct, ctlen + 1);
	assert_non_null(ct);
	ct[ctlen] = 0;
	assert_int_equal(decrypt_fails(&id, ct, ctlen + 1), CCL_ERR_AGE_PAYLOAD);
	age_identity_cleanup(&id);
	free(ct);
	free(pt);
}

static void
test_roundtrip_sizes(void **state)
{
	static const size_t sizes[] = {
		0, 1, 15, 16, 17, 1000, AGE_CHUNK_SIZE - 1, AGE_CHUNK_SIZE, AGE_CHUNK_SIZE + 1,
		2 * AGE_CHUNK_SIZE, 2 * AGE_CHUNK_SIZE + 1, 200 * 1024,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		roundtrip(sizes[i]);
}

static void
test_multi_recipient(void **state)
{
	struct age_identity ids[4], other;
	struct age_recipient rc[AGE_MAX_STANZAS + 1];
	uint8_t *ct = NULL, *out = NULL;
	size_t ctlen, outlen, i;
	const uint8_t msg[] = "several recipients";

	(void)state;
	for (i = 0; i < 4; i++)
		fixed_identity(&ids[i], (uint8_t)(0x20 + i));
	fixed_identity(&other, 0x7f);
	encrypt_to(ids, 3, msg, sizeof(msg), &ct, &ctlen);
	/* Each recipient alone, and a list where the match comes last. */
	for (i = 0; i < 3; i++) {
		assert_int_equal(age_decrypt(&ids[i], 1, ct, ctlen, &out, &outlen), 0);
		assert_int_equal(outlen, sizeof(msg));
		assert_memory_equal(out, msg, sizeof(msg));
		secret_free(out);
	}
	assert_int_equal(age_decrypt(&ids[2], 2, ct, ctlen, &out, &outlen), 0);
	secret_free(out);
	out = NULL;
	assert_int_equal(age_decrypt(&ids[3], 1, ct, ctlen, &out, &outlen), CCL_ERR_NO_IDENTITY);
	assert_null(out);
	assert_int_equal(age_decrypt(&other, 1, ct, ctlen, &out, &outlen), CCL_ERR_NO_IDENTITY);
	assert_int_equal(age_decrypt(NULL, 0, ct, ctlen, &out, &outlen), CCL_ERR_NO_IDENTITY);
	{
		struct age_identity two[2] = { other, ids[1] };

		assert_int_equal(age_decrypt(two, 2, ct, ctlen, &out, &outlen), 0);
		secret_free(out);
	}
	free(ct);
	/* The stanza cap holds on both sides. */
	for (i = 0; i <= AGE_MAX_STANZAS; i++)
		age_identity_recipient(&ids[i % 4], &rc[i]);
	assert_int_equal(age_encrypt(rc, AGE_MAX_STANZAS + 1, msg, 1, &ct, &ctlen),
	    CCL_ERR_INVALID_ARG);
	assert_null(ct);
	assert_int_equal(age_encrypt(rc, 0, msg, 1, &ct, &ctlen), CCL_ERR_INVALID_ARG);
	assert_int_equal(age_encrypt(rc, AGE_MAX_STANZAS, msg, 1, &ct, &ctlen), 0);
	assert_int_equal(age_decrypt(&ids[3], 1, ct, ctlen, &out, &outlen), 0);
	secret_free(out);
	free(ct);
	/* A low-order recipient cannot be encrypted to. */
	memset(&rc[0], 0, sizeof(rc[0]));
	rc[0].kind = AGE_X25519;
	assert_int_equal(age_encrypt(rc, 1, msg, 1, &ct, &ctlen), CCL_ERR_KEY_INVALID);
	rc[0].kind = 0;
	assert_int_equal(age_encrypt(rc, 1, msg, 1, &ct, &ctlen), CCL_ERR_INVALID_ARG);
	for (i = 0; i < 4; i++)
		age_identity_cleanup(&ids[i]);
	age_identity_cleanup(&other);
}

/* ---- hostile headers ---- */

static void
expect_header(const struct age_identity *id, const char *hdr)
{
	int r = decrypt_fails(id, (const uint8_t *)hdr, strlen(hdr));

	if (r != CCL_ERR_AGE_HEADER)
		fail_msg("expected a header failure, got %d for: %s", r, hdr);
}

#define STANZA "-> X25519 TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc\n" \
	"hjabGXwSLQ9c3S6Lw2i+S2Tu2fiwQHHslbBN6B41FLE\n"
#define MACLINE "--- WyJp9F/9FOZh7gJdheq2WIJcwHgYc8NIVh3ddwhrcNg\n"

static void
test_hostile_headers(void **state)
{
	struct age_identity id;
	struct age_recipient rc;
	uint8_t *ct = NULL;
	size_t ctlen, i, off;
	char *big;

	(void)state;
	fixed_identity(&id, 0x33);
	expect_header(&id, "");
	expect_header(&id, "age-encryption.org/v1");
	expect_header(&id, "age-encryption.org/v1\n");
	expect_header(&id, "age-encryption.org/v1\n" MACLINE);          /* no stanza */
	expect_header(&id, "age-encryption.org/v2\n" STANZA MACLINE);
	expect_header(&id, "age-encryption.org/v1\r\n" STANZA MACLINE);
	expect_header(&id, "age-encryption.org/v1\n" STANZA);
	expect_header(&id, "age-encryption.org/v1\n" STANZA "---\n");
	expect_header(&id, "age-encryption.org/v1\n" STANZA "--- \n");
	expect_header(&id, "age-encryption.org/v1\n" STANZA "---- x\n");
	expect_header(&id, "age-encryption.org/v1\n->  X25519 a\n\n" MACLINE);
	expect_header(&id, "age-encryption.org/v1\n-> \n\n" MACLINE);
	expect_header(&id, "age-encryption.org/v1\n->\n\n" MACLINE);
	expect_header(&id, "age-encryption.org/v1\n-> a \n\n" MACLINE);
	expect_header(&id, "age-encryption.org/v1\n-> a\x7f\n\n" MACLINE);
	expect_header(&id, "age-encryption.org/v1\n-> a\tb\n\n" MACLINE);
	expect_header(&id, "age-encryption.org/v1\n-> a\n" MACLINE);     /* no body line */
	expect_header(&id, "age-encryption.org/v1\n-> a\nAAAA=\n" MACLINE);
	expect_header(&id, "age-encryption.org/v1\n-> a\nAB\n" MACLINE); /* non-canonical */
	expect_header(&id, "age-encryption.org/v1\n-> a\nA\n" MACLINE);
	expect_header(&id, "age-encryption.org/v1\n-> X25519\n\n" MACLINE);
	expect_header(&id, "age-encryption.org/v1\n-> X25519 AAAA\n\n" MACLINE);
	expect_header(&id, "age-encryption.org/v1\n# comment\n" STANZA MACLINE);
	/* X25519 bodies of 16 and 0 bytes: refused before any decryption. */
	expect_header(&id, "age-encryption.org/v1\n-> X25519 TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc\n"
	    "AAAAAAAAAAAAAAAAAAAAAA\n" MACLINE);
	expect_header(&id, "age-encryption.org/v1\n-> X25519 TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc\n"
	    "\n" MACLINE);
	/* Over the stanza cap, and over the header size cap. */
	big = malloc(AGE_MAX_HEADER * 2);
	assert_non_null(big);
	off = (size_t)sprintf(big, "age-encryption.org/v1\n");
	for (i = 0; i <= AGE_MAX_STANZAS; i++)
		off += (size_t)sprintf(big + off, "-> grease\n\n");
	sprintf(big + off, "%s", STANZA MACLINE);
	expect_header(&id, big);
	off = (size_t)sprintf(big, "age-encryption.org/v1\n-> grease\n");
	while (off < AGE_MAX_HEADER)
		off += (size_t)sprintf(big + off, "%s\n",
		    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	sprintf(big + off, "\n%s", STANZA MACLINE);
	expect_header(&id, big);
	free(big);
	/* A real file cut inside the nonce: a header failure, as CCTV says. */
	age_identity_recipient(&id, &rc);
	assert_int_equal(age_encrypt(&rc, 1, (const uint8_t *)"x", 1, &ct, &ctlen), 0);
	assert_int_equal(decrypt_fails(&id, ct, ctlen - 17 - 1), CCL_ERR_AGE_HEADER);
	assert_int_equal(decrypt_fails(&id, ct, ctlen - 17 - 16), CCL_ERR_AGE_HEADER);
	assert_int_equal(decrypt_fails(&id, ct, ctlen - 17), CCL_ERR_AGE_PAYLOAD);
	free(ct);
	age_identity_cleanup(&id);
}

/* ---- mutations ---- */

static void
test_mutations(void **state)
{
	struct age_identity id;
	const uint8_t msg[] = "a small record for the mutation loop";
	uint8_t *ct = NULL, *m;
	size_t ctlen, i, bit, runs = 0;
	int r;

	(void)state;
	fixed_identity(&id, 0x44);
	encrypt_to(&id, 1, msg, sizeof(msg), &ct, &ctlen);
	m = malloc(ctlen);
	assert_non_null(m);
	/* Every single-bit flip fails cleanly, with one of the four classes. */
	for (i = 0; i < ctlen; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(m, ct, ctlen);
			m[i] ^= (uint8_t)(1u << bit);
			r = decrypt_fails(&id, m, ctlen);
			if (!is_failure_class(r))
				fail_msg("flip byte %zu bit %zu: got %d", i, bit, r);
			runs++;
		}
	}
	/* Every truncation fails; so does any trailing byte. */
	for (i = 0; i < ctlen; i++) {
		r = decrypt_fails(&id, ct, i);
		if (!is_failure_class(r))
			fail_msg("truncation to %zu: got %d", i, r);
	}
	free(m);
	print_message("# mutation loop: %zu bit flips, %zu truncations\n", runs, ctlen);
	free(ct);

	/* A three-chunk file: truncate around each boundary, flip sampled bytes. */
	{
		size_t ptlen = 2 * AGE_CHUNK_SIZE + 100, enc = AGE_CHUNK_SIZE + 16, hdr;
		uint8_t *pt = calloc(1, ptlen);

		assert_non_null(pt);
		encrypt_to(&id, 1, pt, ptlen, &ct, &ctlen);
		hdr = ctlen - (ptlen + 3 * 16) - 16;
		for (i = 0; i < 3; i++) {
			size_t cut = hdr + 16 + i * enc;
			size_t d;

			for (d = 0; d < 20; d++) {
				if (cut + d < ctlen)
					assert_true(is_failure_class(decrypt_fails(&id, ct, cut + d)));
				if (cut > d)
					assert_true(is_failure_class(decrypt_fails(&id, ct, cut - d)));
			}
		}
		m = malloc(ctlen);
		assert_non_null(m);
		for (i = hdr; i < ctlen; i += 4099) {
			memcpy(m, ct, ctlen);
			m[i] ^= 0x80;
			assert_int_equal(decrypt_fails(&id, m, ctlen), CCL_ERR_AGE_PAYLOAD);
		}
		/* Swapping two full chunks breaks the counter binding. */
		memcpy(m, ct, ctlen);
		memcpy(m + hdr + 16, ct + hdr + 16 + enc, enc);
		memcpy(m + hdr + 16 + enc, ct + hdr + 16, enc);
		assert_int_equal(decrypt_fails(&id, m, ctlen), CCL_ERR_AGE_PAYLOAD);
		/* Dropping the final chunk leaves a non-final chunk last. */
		assert_int_equal(decrypt_fails(&id, ct, hdr + 16 + 2 * enc), CCL_ERR_AGE_PAYLOAD);
		free(m);
		free(pt);
		free(ct);
	}
	age_identity_cleanup(&id);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cctv),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_ed2x),
		cmocka_unit_test(test_roundtrip_sizes),
		cmocka_unit_test(test_multi_recipient),
		cmocka_unit_test(test_hostile_headers),
		cmocka_unit_test(test_mutations),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
