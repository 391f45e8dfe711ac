/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for kdf: Argon2id on the RFC 9106 and phc-winner-argon2 vectors
 * (tests/vectors/kdf.json), a variant-confusion check against the Argon2i and
 * Argon2d vectors, parameter caps, and kdf_derive_x25519.
 */
#include "testutil.h"
#include <sodium.h>
#include <cjson/cJSON.h>
#include "age.h"
#include "hkdf.h"
#include "kdf.h"

static const char *
jstr_opt(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	if (v == NULL)
		return NULL;
	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static uint32_t
jnum(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	assert_true(cJSON_IsNumber(v));
	return (uint32_t)v->valuedouble;
}

/* Bytes of field k_hex, or of k_ascii, or NULL/0 when neither is present. */
static uint8_t *
jbytes(const cJSON *o, const char *k, size_t *n)
{
	char key[64];
	const char *s;

	*n = 0;
	snprintf(key, sizeof(key), "%s_hex", k);
	if ((s = jstr_opt(o, key)) != NULL)
		return th_unhex(s, n);
	snprintf(key, sizeof(key), "%s_ascii", k);
	if ((s = jstr_opt(o, key)) != NULL) {
		*n = strlen(s);
		return (uint8_t *)strdup(s);
	}
	return NULL;
}

/*
 * Every Argon2id vector must match (those with a secret K or associated data X
 * go through kdf_argon2id_full, the rest through kdf_argon2id too); every
 * Argon2i/Argon2d vector must NOT match what we compute for its inputs, which
 * must instead equal the Argon2id tag for the same inputs when there is one.
 */
static void
test_argon2_vectors(void **state)
{
	cJSON *j = th_load_json("tests/vectors/kdf.json"), *v;
	uint8_t *pw, *salt, *secret, *ad, *tag, out[64], out2[64];
	size_t pwlen, saltlen, secretlen, adlen, taglen, nid = 0, nother = 0, nkeyed = 0;
	const char *type;

	(void)state;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(j, "argon2")) {
		type = jstr_opt(v, "type");
		assert_non_null(type);
		assert_int_equal(jnum(v, "version"), 19);
		pw = jbytes(v, "password", &pwlen);
		salt = jbytes(v, "salt", &saltlen);
		secret = jbytes(v, "secret", &secretlen);
		ad = jbytes(v, "ad", &adlen);
		tag = jbytes(v, "tag", &taglen);
		assert_non_null(tag);
		assert_true(taglen <= sizeof(out));
		assert_int_equal(kdf_argon2id_full(out, taglen, pw, pwlen, salt, saltlen, secret,
		    secretlen, ad, adlen, jnum(v, "m_kib"), jnum(v, "t"), jnum(v, "p")), 0);
		if (strcmp(type, "id") == 0) {
			if (memcmp(out, tag, taglen) != 0)
				fail_msg("%s: Argon2id mismatch", jstr_opt(v, "name"));
			if (secret == NULL && ad == NULL) {
				assert_int_equal(kdf_argon2id(out2, taglen, pw, pwlen, salt, saltlen,
				    jnum(v, "m_kib"), jnum(v, "t"), jnum(v, "p")), 0);
				assert_memory_equal(out2, tag, taglen);
			} else
				nkeyed++;
			nid++;
		} else {
			/* Variant confusion: our output is not the Argon2i/d tag. */
			assert_memory_not_equal(out, tag, taglen);
			nother++;
		}
		free(pw);
		free(salt);
		free(secret);
		free(ad);
		free(tag);
	}
	cJSON_Delete(j);
	print_message("# argon2: %zu Argon2id vectors matched (%zu with secret/ad), "
	    "%zu Argon2i/d vectors refused\n", nid, nkeyed, nother);
	assert_true(nid >= 8);
	assert_true(nkeyed >= 1);
	assert_true(nother >= 2);
}

/* RFC 9106 5.3's inputs give the 5.3 tag, not 5.1's or 5.2's (explicit pairs). */
static void
test_variant_confusion(void **state)
{
	uint8_t pw[32], salt[16], secret[8], ad[12], out[32];
	uint8_t *id_tag = th_unhex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", NULL);
	uint8_t *i_tag = th_unhex("c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8", NULL);
	uint8_t *d_tag = th_unhex("512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb", NULL);

	(void)state;
	memset(pw, 1, sizeof(pw));
	memset(salt, 2, sizeof(salt));
	memset(secret, 3, sizeof(secret));
	memset(ad, 4, sizeof(ad));
	assert_int_equal(kdf_argon2id_full(out, 32, pw, 32, salt, 16, secret, 8, ad, 12, 32, 3, 4), 0);
	assert_memory_equal(out, id_tag, 32);
	assert_memory_not_equal(out, i_tag, 32);
	assert_memory_not_equal(out, d_tag, 32);
	/* Dropping K or X changes the result (they are really fed in). */
	assert_int_equal(kdf_argon2id_full(out, 32, pw, 32, salt, 16, NULL, 0, ad, 12, 32, 3, 4), 0);
	assert_memory_not_equal(out, id_tag, 32);
	assert_int_equal(kdf_argon2id_full(out, 32, pw, 32, salt, 16, secret, 8, NULL, 0, 32, 3, 4), 0);
	assert_memory_not_equal(out, id_tag, 32);
	free(id_tag);
	free(i_tag);
	free(d_tag);
}

static void
test_params(void **state)
{
	uint8_t out[32], salt[32] = { 0 };
	const uint8_t *pw = (const uint8_t *)"pw";
	size_t i;

	(void)state;
	/* Caps are checked before anything is allocated. */
	assert_int_equal(kdf_argon2id(out, 32, pw, 2, salt, 32, KDF_MAX_M_KIB + 1, 1, 1), CCL_ERR_TOO_LARGE);
	assert_int_equal(kdf_argon2id(out, 32, pw, 2, salt, 32, UINT32_MAX, 1, 1), CCL_ERR_TOO_LARGE);
	assert_int_equal(kdf_argon2id(out, 32, pw, 2, salt, 32, 64, KDF_MAX_T + 1, 1), CCL_ERR_TOO_LARGE);
	assert_int_equal(kdf_argon2id(out, 32, pw, 2, salt, 32, 256, 1, KDF_MAX_P + 1), CCL_ERR_TOO_LARGE);
	assert_int_equal(kdf_argon2id(out, 32, pw, 2, salt, 32, 64, 0, 1), CCL_ERR_INVALID_ARG);
	assert_int_equal(kdf_argon2id(out, 32, pw, 2, salt, 32, 64, 1, 0), CCL_ERR_INVALID_ARG);
	assert_int_equal(kdf_argon2id(out, 32, pw, 2, salt, 32, 15, 1, 2), CCL_ERR_INVALID_ARG);
	assert_int_equal(kdf_argon2id(out, 32, pw, 2, salt, 7, 64, 1, 1), CCL_ERR_INVALID_ARG);
	assert_int_equal(kdf_argon2id(out, 32, pw, 2, NULL, 0, 64, 1, 1), CCL_ERR_INVALID_ARG);
	assert_int_equal(kdf_argon2id(out, 3, pw, 2, salt, 32, 64, 1, 1), CCL_ERR_INVALID_ARG);
	assert_int_equal(kdf_argon2id(out, 32, NULL, 2, salt, 32, 64, 1, 1), CCL_ERR_INVALID_ARG);
	/* Output is wiped on failure. */
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(kdf_argon2id(out, 32, pw, 2, salt, 32, 64, 0, 1), CCL_ERR_INVALID_ARG);
	for (i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], 0);
	/* The smallest allowed, an empty password, and the p cap itself work. */
	assert_int_equal(kdf_argon2id(out, 32, pw, 2, salt, 8, 8, 1, 1), 0);
	assert_int_equal(kdf_argon2id(out, 32, NULL, 0, salt, 32, 8, 1, 1), 0);
	assert_int_equal(kdf_argon2id(out, 32, pw, 2, salt, 32, 8 * KDF_MAX_P, 1, KDF_MAX_P), 0);
}

/*
 * Known answers for the cclink derivations with the default parameters
 * (m=65536, t=3, p=1), salt 01 02 … 20. Computed as Argon2id (libargon2, which
 * the phc vectors above pin down) followed by an independent HKDF-SHA256
 * (node:crypto hkdfSync with an empty salt).
 */
static void
test_derive_x25519(void **state)
{
	uint8_t salt[32], scalar[32], again[32], ikm[32], manual[32], zeros[32] = { 0 };
	uint8_t *want_key = th_unhex("6e7f7438e459d18e6aa0e23e97590d116b6722a7327dd1d004e43958624e1893", NULL);
	uint8_t *want_pin = th_unhex("6ec842fa0b212f480c95169e6d25779f395e7534234028944ebda15e86ddc31a", NULL);
	const char *pw = "correct horse battery staple", *pin = "7392-alpha";
	struct age_identity id;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(salt); i++)
		salt[i] = (uint8_t)(i + 1);
	assert_int_equal(kdf_derive_x25519(scalar, pw, strlen(pw), salt, KDF_DEFAULT_M_KIB,
	    KDF_DEFAULT_T, KDF_DEFAULT_P, "cclink-key-v1"), 0);
	assert_memory_equal(scalar, want_key, 32);
	assert_int_equal(kdf_derive_x25519(again, pin, strlen(pin), salt, KDF_DEFAULT_M_KIB,
	    KDF_DEFAULT_T, KDF_DEFAULT_P, "cclink-pin-v1"), 0);
	assert_memory_equal(again, want_pin, 32);
	/* The composition, spelled out with a 32-zero-byte salt (= HKDF's "none"). */
	assert_int_equal(kdf_argon2id(ikm, 32, (const uint8_t *)pw, strlen(pw), salt, 32,
	    KDF_DEFAULT_M_KIB, KDF_DEFAULT_T, KDF_DEFAULT_P), 0);
	assert_int_equal(hkdf_sha256(manual, 32, ikm, 32, zeros, 32,
	    (const uint8_t *)"cclink-key-v1", 13), 0);
	assert_memory_equal(manual, scalar, 32);
	/* info separates the two uses. */
	assert_int_equal(kdf_derive_x25519(again, pw, strlen(pw), salt, KDF_DEFAULT_M_KIB,
	    KDF_DEFAULT_T, KDF_DEFAULT_P, "cclink-pin-v1"), 0);
	assert_memory_not_equal(again, scalar, 32);
	/* The scalar is usable as an age identity. */
	assert_int_equal(age_identity_from_x25519(&id, scalar), 0);
	age_identity_cleanup(&id);
	/* Hostile parameters fail and leave a zero scalar. */
	memset(again, 0xaa, sizeof(again));
	assert_int_equal(kdf_derive_x25519(again, pw, strlen(pw), salt, KDF_MAX_M_KIB + 1, 3, 1,
	    "cclink-key-v1"), CCL_ERR_TOO_LARGE);
	assert_memory_equal(again, zeros, 32);
	assert_int_equal(kdf_derive_x25519(again, pw, strlen(pw), salt, 64, 1, 1, NULL),
	    CCL_ERR_INVALID_ARG);
	free(want_key);
	free(want_pin);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argon2_vectors),
		cmocka_unit_test(test_variant_confusion),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_derive_x25519),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
