/* SPDX-License-Identifier: MIT */
/*
 * fuzz_record — libFuzzer target for the record and payload parsers and the
 * JSON reader/writer behind them. Every input goes through record_parse and
 * record_payload_parse; whatever parses must re-encode, re-parse to the same
 * fields and re-encode to the same bytes (the writer and the reader agree),
 * and a record that verifies (a signed seed) must stop verifying when a
 * signed field changes.
 * The raw bytes, when valid UTF-8, are also escaped and read back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "jsonr.h"
#include "jsonw.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
streq(const char *a, const char *b)
{
	return strcmp(a == NULL ? "" : a, b == NULL ? "" : b) == 0;
}

static void
check_record(const uint8_t *data, size_t size)
{
	struct record a, b;
	struct buf_wr wr;
	uint8_t pk[32];
	char *j1 = NULL, *j2 = NULL;
	size_t l1, l2;

	if (record_parse((const char *)data, size, &a) != 0) {
		record_free(&a);
		return;
	}
	/* Parsed strings are valid UTF-8, so encoding cannot fail. */
	if (record_encode(&a, &j1, &l1) != 0)
		abort();
	if (record_parse(j1, l1, &b) != 0)
		abort();
	if (a.blob_len != b.blob_len || (a.blob_len > 0 && memcmp(a.blob, b.blob, a.blob_len) != 0) ||
	    a.burn != b.burn || a.created_at != b.created_at || a.ttl != b.ttl ||
	    a.has_pin_salt != b.has_pin_salt || memcmp(a.pin_salt, b.pin_salt, 32) != 0 ||
	    memcmp(a.pubkey, b.pubkey, 32) != 0 || memcmp(a.signature, b.signature, 64) != 0 ||
	    !streq(a.hostname, b.hostname) || !streq(a.project, b.project) ||
	    (a.recipient == NULL) != (b.recipient == NULL) ||
	    (a.recipient != NULL && strcmp(a.recipient, b.recipient) != 0))
		abort();
	if (record_encode(&b, &j2, &l2) != 0 || l1 != l2 || memcmp(j1, j2, l1) != 0)
		abort();
	buf_wr_init(&wr, 1 << 16);
	if (record_signable(&a, &wr) != 0)
		abort();
	buf_wr_free(&wr);
	/*
	 * Only the signed seeds verify (the fuzzer cannot forge Ed25519); any
	 * change to a signed field must then break the signature.
	 */
	if (record_verify(&a, a.pubkey) == 0) {
		a.ttl ^= 1;
		if (record_verify(&a, a.pubkey) == 0)
			abort();
		a.ttl ^= 1;
		a.burn = !a.burn;
		if (record_verify(&a, a.pubkey) == 0)
			abort();
		a.burn = !a.burn;
	}
	memset(pk, 0, sizeof(pk));
	if (record_verify(&a, pk) == 0)
		abort();
	(void)record_expired(&a, 1700000000);
	(void)record_time_left(&a, 1700000000);
	(void)record_recipient_key(&a, pk);
	free(j1);
	free(j2);
	record_free(&a);
	record_free(&b);
}

static void
check_payload(const uint8_t *data, size_t size)
{
	struct record_payload a, b;
	uint8_t *out = NULL;
	size_t n;

	if (record_payload_parse(data, size, &a) != 0) {
		record_payload_free(&a);
		return;
	}
	if (!record_session_id_ok(a.s))
		abort();
	if (record_payload_encode(a.h, a.p, a.s, NULL, 0, &out, &n) != 0 ||
	    record_payload_parse(out, n, &b) != 0 ||
	    strcmp(a.h, b.h) != 0 || strcmp(a.p, b.p) != 0 || strcmp(a.s, b.s) != 0)
		abort();
	free(out);
	record_payload_free(&a);
	record_payload_free(&b);
}

/* Escape the raw bytes as a string value and read it back. */
static void
check_escape(const uint8_t *data, size_t size)
{
	struct jsonr_member *m = NULL;
	struct buf_wr wr;
	size_t n = 0, l = 0;
	char *s = NULL;
	int valid = jsonw_utf8_valid(data, size);

	buf_wr_init(&wr, 8 * size + 16);
	if (buf_put_cstr(&wr, "{\"k\":") != 0)
		abort();
	if ((jsonw_put_string(&wr, (const char *)data, size) == 0) != valid)
		abort();
	if (!valid) {
		buf_wr_free(&wr);
		return;
	}
	if (buf_put_u8(&wr, '}') != 0 ||
	    jsonr_object(buf_wr_data(&wr), buf_wr_len(&wr), &m, &n) != 0 || n != 1 ||
	    !jsonr_key_is(&m[0], "k"))
		abort();
	if (memchr(data, 0, size) == NULL) {
		if (jsonr_get_string(&m[0], &s, &l) != 0 || l != size || memcmp(s, data, size) != 0)
			abort();
	} else if (jsonr_get_string(&m[0], &s, &l) != CCL_ERR_FORMAT)
		abort();
	free(s);
	free(m);
	buf_wr_free(&wr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;

	if (!ready) {
		if (sodium_init() < 0)
			abort();
		ready = 1;
	}
	check_record(data, size);
	check_payload(data, size);
	if (size <= 4096)
		check_escape(data, size);
	return 0;
}
