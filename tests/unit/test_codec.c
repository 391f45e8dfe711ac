/* SPDX-License-Identifier: MIT */
/* Unit tests for hex, base64, z-base-32 and HKDF, on the shared vectors. */
#include "testutil.h"
#include <sodium.h>
#include <cjson/cJSON.h>
#include "b64.h"
#include "hex.h"
#include "hkdf.h"
#include "z32.h"

static void
test_hex(void **state)
{
	uint8_t b[4];
	char s[9];

	(void)state;
	assert_int_equal(hex_decode(b, 4, "DEADbeef", 8), 0);
	hex_encode(s, b, 4);
	assert_string_equal(s, "deadbeef");
	assert_int_equal(hex_decode(b, 4, "deadbee", 7), CCL_ERR_FORMAT);
	assert_int_equal(hex_decode(b, 4, "deadbeefaa", 10), CCL_ERR_FORMAT);
	assert_int_equal(hex_decode(b, 4, "deadbeeg", 8), CCL_ERR_FORMAT);
	assert_int_equal(hex_decode(b, 4, "dead beef", 9), CCL_ERR_FORMAT);
	assert_int_equal(hex_decode(b, 4, "dead:eef", 8), CCL_ERR_FORMAT);
}

static void
test_b64(void **state)
{
	uint8_t out[16];
	size_t n;
	char s[32];

	(void)state;
	b64_encode(s, (const uint8_t *)"foob", 4, B64_STD_PAD);
	assert_string_equal(s, "Zm9vYg==");
	b64_encode(s, (const uint8_t *)"foob", 4, B64_STD_NOPAD);
	assert_string_equal(s, "Zm9vYg");
	assert_int_equal(b64_decode(out, sizeof(out), &n, "Zm9vYg==", 8, B64_STD_PAD), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "foob", 4);
	assert_int_equal(b64_decode(out, sizeof(out), &n, "Zm9vYg", 6, B64_STD_NOPAD), 0);
	/* Non-canonical trailing bits, missing/extra padding, whitespace, URL alphabet. */
	assert_int_equal(b64_decode(out, sizeof(out), &n, "Zm9vYh==", 8, B64_STD_PAD), CCL_ERR_FORMAT);
	assert_int_equal(b64_decode(out, sizeof(out), &n, "Zm9vYh", 6, B64_STD_NOPAD), CCL_ERR_FORMAT);
	assert_int_equal(b64_decode(out, sizeof(out), &n, "Zm9vYg", 6, B64_STD_PAD), CCL_ERR_FORMAT);
	assert_int_equal(b64_decode(out, sizeof(out), &n, "Zm9vYg==", 8, B64_STD_NOPAD), CCL_ERR_FORMAT);
	assert_int_equal(b64_decode(out, sizeof(out), &n, "Zm9v Yg==", 9, B64_STD_PAD), CCL_ERR_FORMAT);
	assert_int_equal(b64_decode(out, sizeof(out), &n, "-_-_", 4, B64_STD_PAD), CCL_ERR_FORMAT);
	assert_int_equal(b64_decode(out, 2, &n, "Zm9vYg==", 8, B64_STD_PAD), CCL_ERR_FORMAT);
	assert_int_equal(b64_decode(out, sizeof(out), &n, "", 0, B64_STD_PAD), 0);
	assert_int_equal(n, 0);
}

static void
test_z32_vectors(void **state)
{
	cJSON *j = th_load_json("tests/vectors/zbase32.json"), *v;
	int count = 0;

	(void)state;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(j, "byte_aligned")) {
		size_t n;
		uint8_t *bin = th_unhex(th_jstr(v, "hex"), &n);
		const char *z = th_jstr(v, "z32");
		char *enc = malloc(z32_encoded_len(n) + 1);
		uint8_t *dec = malloc(n + 1);

		z32_encode(enc, bin, n);
		assert_string_equal(enc, z);
		assert_int_equal(z32_decode(dec, n, z, strlen(z)), 0);
		assert_memory_equal(dec, bin, n);
		free(enc); free(dec); free(bin);
		count++;
	}
	assert_true(count >= 10);
	cJSON_Delete(j);
}

static void
test_z32_pubkey(void **state)
{
	uint8_t pk[32], want[32];
	const char *z = "df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo";
	char buf[64];

	(void)state;
	assert_int_equal(hex_decode(want, 32,
	    "197f6b23e16c8532c6abc838facd5ea789be0c76b2920334039bfa8b3d368d61", 64), 0);
	assert_int_equal(z32_parse_pubkey(pk, z), 0);
	assert_memory_equal(pk, want, 32);
	snprintf(buf, sizeof(buf), "pk:%s", z);
	assert_int_equal(z32_parse_pubkey(pk, buf), 0);
	assert_memory_equal(pk, want, 32);
	/* pkarr keys.rs vector */
	assert_int_equal(z32_parse_pubkey(pk, "yg4gxe7z1r7mr6orids9fh95y7gxhdsxjqi6nngsxxtakqaxr5no"), 0);
	/* wrong length, uppercase, bad alphabet, non-zero padding bits, bad prefix */
	assert_int_equal(z32_parse_pubkey(pk, "df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstio"), CCL_ERR_FORMAT);
	assert_int_equal(z32_parse_pubkey(pk, "DF9SSE9BP1NUFTIM3YHXIUK6W6R5HDDSSKJYGPYDUX7ESXJSTIOO"), CCL_ERR_FORMAT);
	assert_int_equal(z32_parse_pubkey(pk, "df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstiol"), CCL_ERR_FORMAT);
	assert_int_equal(z32_parse_pubkey(pk, "df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioe"), CCL_ERR_FORMAT);
	assert_int_equal(z32_parse_pubkey(pk, "pk:"), CCL_ERR_FORMAT);
	assert_int_equal(z32_parse_pubkey(pk, "xx:df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo"), CCL_ERR_FORMAT);
	assert_int_equal(z32_parse_pubkey(pk, ""), CCL_ERR_FORMAT);
}

static void
test_z32_invalid_point(void **state)
{
	/* A y coordinate >= p is not a point libsodium accepts. */
	uint8_t bad[32];
	char z[Z32_KEY_LEN + 1];
	uint8_t pk[32];

	(void)state;
	memset(bad, 0xff, sizeof(bad));
	bad[31] = 0x7f;
	z32_encode(z, bad, 32);
	assert_int_equal(z32_parse_pubkey(pk, z), CCL_ERR_KEY_INVALID);
}

static void
run_hkdf_list(const cJSON *list)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, list) {
		size_t ikm_n, salt_n, info_n, okm_n;
		uint8_t *ikm = th_unhex(th_jstr(v, "ikm_hex"), &ikm_n);
		uint8_t *salt = th_unhex(th_jstr(v, "salt_hex"), &salt_n);
		uint8_t *info = th_unhex(th_jstr(v, "info_hex"), &info_n);
		uint8_t *okm = th_unhex(th_jstr(v, "okm_hex"), &okm_n);
		uint8_t *out = malloc(okm_n + 1);

		assert_int_equal(hkdf_sha256(out, okm_n, ikm, ikm_n, salt, salt_n, info, info_n), 0);
		assert_memory_equal(out, okm, okm_n);
		free(ikm); free(salt); free(info); free(okm); free(out);
	}
}

static void
test_hkdf_vectors(void **state)
{
	cJSON *j = th_load_json("tests/vectors/kdf.json");
	uint8_t big[1];

	(void)state;
	run_hkdf_list(cJSON_GetObjectItemCaseSensitive(j, "hkdf_sha256"));
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "hkdf_sha256")) >= 3);
	assert_int_equal(hkdf_sha256(big, 255 * 32 + 1, big, 1, NULL, 0, NULL, 0), CCL_ERR_INVALID_ARG);
	cJSON_Delete(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_b64),
		cmocka_unit_test(test_z32_vectors),
		cmocka_unit_test(test_z32_pubkey),
		cmocka_unit_test(test_z32_invalid_point),
		cmocka_unit_test(test_hkdf_vectors),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
