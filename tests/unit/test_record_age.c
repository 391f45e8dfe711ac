/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for record_seal/record_open and the PIN-derived key
 * (record_age.c), end to end with age and the KDF: payload → age → record
 * JSON → parse → decrypt → payload.
 *
 * PIN vector: PIN "correct-horse-9", salt "S"×32 → X25519 public key below.
 * Computed independently: Argon2id by the argon2 command-line tool
 * (`argon2 SSS… -id -t 3 -m 16 -p 1 -l 32 -r`), HKDF-SHA256 (salt none,
 * info "cclink-pin-v1") by Python's hmac, X25519 by pyca/cryptography.
 */
#include "testutil.h"
#include <sodium.h>
#include "age.h"
#include "kdf.h"
#include "pin.h"
#include "record.h"
#include "secret.h"
#include "signer.h"

#define PIN_VEC "correct-horse-9"
#define PIN_VEC_PUB "5d8bab728887ce5d2a4c9c7ab6d64a90bd0ef5baf6c3df754724648a1bacee07"

static void
make_identity(struct age_identity *id, uint8_t fill)
{
	uint8_t sk[32];

	memset(sk, fill, sizeof(sk));
	assert_int_equal(age_identity_from_x25519(id, sk), 0);
}

/* Encode, sign, serialise, parse and verify a sealed record. */
static void
publish_and_resolve(struct record *rec, struct record *back)
{
	struct signer s;
	uint8_t seed[32];
	char *json;
	size_t len;

	memset(&s, 0, sizeof(s));
	memset(seed, 0x2a, sizeof(seed));
	assert_int_equal(signer_from_seed(&s, seed), 0);
	rec->created_at = 1700000000;
	rec->ttl = 86400;
	assert_int_equal(record_sign(rec, &s), 0);
	assert_int_equal(record_encode(rec, &json, &len), 0);
	assert_true(record_fits(len, 0));
	assert_int_equal(record_parse(json, len, back), 0);
	assert_int_equal(record_verify(back, s.pk), 0);
	free(json);
	signer_cleanup(&s);
}

static void
test_seal_open_roundtrip(void **state)
{
	struct age_identity ids[2];
	struct age_recipient rc[2];
	struct record rec, back;
	struct record_payload pl;
	uint8_t *payload, *pt;
	size_t plen, ptlen;

	(void)state;
	memset(&rec, 0, sizeof(rec));
	make_identity(&ids[0], 0x01);
	make_identity(&ids[1], 0x02);
	age_identity_recipient(&ids[0], &rc[0]);
	age_identity_recipient(&ids[1], &rc[1]);
	assert_int_equal(record_payload_encode("host", "/home/u/proj", "3c0a3f7a-1234-5678-abcd-ef1234567890",
	    NULL, 0, &payload, &plen), 0);
	assert_int_equal(record_seal(&rec, rc, 2, payload, plen), 0);
	assert_true(rec.blob_len > plen);
	publish_and_resolve(&rec, &back);

	/* Either identity opens it, the second one too. */
	assert_int_equal(record_open(&back, &ids[1], 1, &pt, &ptlen), 0);
	assert_int_equal(ptlen, plen);
	assert_memory_equal(pt, payload, plen);
	assert_int_equal(record_payload_parse(pt, ptlen, &pl), 0);
	assert_string_equal(pl.h, "host");
	assert_string_equal(pl.p, "/home/u/proj");
	assert_string_equal(pl.s, "3c0a3f7a-1234-5678-abcd-ef1234567890");
	record_payload_free(&pl);
	secret_free(pt);
	assert_int_equal(record_open(&back, ids, 2, &pt, &ptlen), 0);
	secret_free(pt);

	/* A stranger cannot; a tampered blob fails the MAC or the payload. */
	age_identity_cleanup(&ids[1]);
	make_identity(&ids[1], 0x03);
	assert_int_equal(record_open(&back, &ids[1], 1, &pt, &ptlen), CCL_ERR_NO_IDENTITY);
	assert_null(pt);
	back.blob[back.blob_len - 1] ^= 1;
	assert_int_not_equal(record_open(&back, ids, 1, &pt, &ptlen), 0);
	assert_null(pt);
	assert_int_equal(record_open(&back, ids, 0, &pt, &ptlen), CCL_ERR_INVALID_ARG);
	assert_int_equal(record_seal(&rec, rc, 0, payload, plen), CCL_ERR_INVALID_ARG);

	free(payload);
	record_free(&rec);
	record_free(&back);
	age_identity_cleanup(&ids[0]);
	age_identity_cleanup(&ids[1]);
}

static void
test_pin_vector(void **state)
{
	uint8_t salt[32], scalar[32];
	struct age_identity id, id2;
	struct age_recipient rc;
	size_t n;
	uint8_t *want = th_unhex(PIN_VEC_PUB, &n);

	(void)state;
	memset(salt, 'S', sizeof(salt));
	assert_int_equal(pin_derive_recipient(&rc, PIN_VEC, strlen(PIN_VEC), salt), 0);
	assert_memory_equal(rc.pk, want, 32);
	assert_int_equal(pin_derive_identity(&id, PIN_VEC, strlen(PIN_VEC), salt), 0);
	assert_memory_equal(id.pk, want, 32);
	/* The same as the KDF module's own derivation with the PIN label. */
	assert_int_equal(kdf_derive_x25519(scalar, PIN_VEC, strlen(PIN_VEC), salt,
	    65536, 3, 1, "cclink-pin-v1"), 0);
	assert_int_equal(age_identity_from_x25519(&id2, scalar), 0);
	assert_memory_equal(id2.pk, want, 32);
	age_identity_cleanup(&id);
	age_identity_cleanup(&id2);
	free(want);
}

static void
test_pin_record(void **state)
{
	struct age_identity id;
	struct age_recipient rc;
	struct record rec, back;
	uint8_t *payload, *pt;
	size_t plen, ptlen;

	(void)state;
	memset(&rec, 0, sizeof(rec));
	rec.has_pin_salt = 1;
	randombytes_buf(rec.pin_salt, sizeof(rec.pin_salt));
	rec.burn = 1;
	assert_int_equal(pin_derive_recipient(&rc, "Tr0ub4dor&3", 11, rec.pin_salt), 0);
	assert_int_equal(record_payload_encode("h", "/p", "sid", NULL, 0, &payload, &plen), 0);
	assert_int_equal(record_seal(&rec, &rc, 1, payload, plen), 0);
	publish_and_resolve(&rec, &back);
	assert_int_equal(back.has_pin_salt, 1);
	assert_int_equal(back.burn, 1);

	/* The right PIN with the salt from the parsed record opens it. */
	assert_int_equal(pin_derive_identity(&id, "Tr0ub4dor&3", 11, back.pin_salt), 0);
	assert_int_equal(record_open(&back, &id, 1, &pt, &ptlen), 0);
	assert_int_equal(ptlen, plen);
	assert_memory_equal(pt, payload, plen);
	secret_free(pt);
	age_identity_cleanup(&id);

	/* A wrong PIN derives a key no stanza is for. */
	assert_int_equal(pin_derive_identity(&id, "Tr0ub4dor&4", 11, back.pin_salt), 0);
	assert_int_equal(record_open(&back, &id, 1, &pt, &ptlen), CCL_ERR_NO_IDENTITY);
	age_identity_cleanup(&id);

	free(payload);
	record_free(&rec);
	record_free(&back);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_open_roundtrip),
		cmocka_unit_test(test_pin_vector),
		cmocka_unit_test(test_pin_record),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
