/* SPDX-License-Identifier: MIT */
/* Unit tests for pkarr.c: byte-exact SignedPackets, parsing, verification, mutations. */
#include "testutil.h"
#include <sodium.h>
#include <cjson/cJSON.h>
#include "pkarr.h"
#include "signer.h"
#include "z32.h"

#define Z2A "df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo"
#define TS600 1700000000000000ULL

static void
seed_signer(struct signer *s, uint8_t byte)
{
	uint8_t seed[32];

	memset(seed, byte, sizeof(seed));
	assert_int_equal(signer_from_seed(s, seed), 0);
}

static void
assert_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	assert_int_equal(an, bn);
	assert_memory_equal(a, b, an);
}

static void
assert_encodes(const struct pkarr_packet *p, const uint8_t *full, size_t fn)
{
	struct buf_wr w;

	buf_wr_init(&w, PKARR_MAX_PACKET);
	assert_int_equal(pkarr_encode(p, &w), 0);
	assert_bytes(buf_wr_data(&w), buf_wr_len(&w), full, fn);
	buf_wr_reset(&w);
	assert_int_equal(pkarr_encode_relay(p, &w), 0);
	assert_bytes(buf_wr_data(&w), buf_wr_len(&w), full + 32, fn - 32);
	buf_wr_free(&w);
}

/* doc/protocol.md §4.3: seed 2a x 32, ts 1.7e15, the 600-byte value; signature reproduced exactly. */
static void
test_cclink600(void **state)
{
	size_t dn, sn, rn, vn;
	uint8_t *dns = th_read_file("tests/vectors/cclink600.dns.bin", &dn);
	uint8_t *sp = th_read_file("tests/vectors/cclink600.signed_packet.bin", &sn);
	uint8_t *rp = th_read_file("tests/vectors/cclink600.relay_payload.bin", &rn);
	uint8_t *val = th_read_file("tests/vectors/cclink600.value", &vn);
	uint8_t *sig = th_unhex("993994191104850fb84bfc4ff782556b1b572fbb847337bcc9f7910851b5fdb2"
	    "324db135dc52bff60e4507309416c808efe94c90ec6b29e58c7fd87eb31e1203", NULL);
	struct pkarr_packet p, q, r;
	struct dns_packet *d = NULL;
	struct signer s;
	char *txt;
	size_t tl;

	(void)state;
	seed_signer(&s, 0x2a);
	assert_int_equal(sn, 791);
	assert_int_equal(rn, 759);
	assert_int_equal(pkarr_build(&p, &s, TS600, dns, dn), 0);
	assert_memory_equal(p.sig, sig, 64);
	assert_int_equal(p.ts, TS600);
	assert_encodes(&p, sp, sn);
	assert_memory_equal(rp, sp + 32, rn);
	/* The same through the DNS builder. */
	assert_int_equal(dns_packet_new(&d), 0);
	assert_int_equal(dns_add_txt(d, "_cclink", Z2A, 300, val, vn), 0);
	assert_int_equal(pkarr_build_dns(&q, &s, TS600, d), 0);
	assert_int_equal(pkarr_cmp(&p, &q), 0);
	assert_memory_equal(&p, &q, sizeof(p));
	dns_packet_free(d);
	/* Parse both forms back. */
	assert_int_equal(pkarr_parse(&r, sp, sn), 0);
	assert_memory_equal(&r, &p, sizeof(p));
	assert_int_equal(pkarr_parse_relay(&r, s.pk, rp, rn), 0);
	assert_memory_equal(&r, &p, sizeof(p));
	assert_int_equal(pkarr_verify(&r), 0);
	assert_int_equal(pkarr_dns(&r, &d), 0);
	assert_int_equal(dns_find_txt(d, "_cclink", Z2A, &txt, &tl), 0);
	assert_bytes((uint8_t *)txt, tl, val, vn);
	free(txt);
	dns_packet_free(d);
	/* The relay body against another key does not verify. */
	{
		struct signer o;

		seed_signer(&o, 0x2b);
		assert_int_equal(pkarr_parse_relay(&r, o.pk, rp, rn), CCL_ERR_SIG_INVALID);
		signer_cleanup(&o);
	}
	signer_cleanup(&s);
	free(dns);
	free(sp);
	free(rp);
	free(val);
	free(sig);
}

static void
test_small3(void **state)
{
	cJSON *j = th_load_json("tests/vectors/vectors.json");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "small_3rr");
	size_t sn, hn, dn;
	uint8_t *sp = th_read_file("tests/vectors/small3.signed_packet.bin", &sn);
	uint8_t *hex = th_unhex(th_jstr(v, "signed_packet_hex"), &hn);
	uint8_t *dns = th_unhex(th_jstr(v, "dns_hex"), &dn);
	uint8_t *sig = th_unhex(th_jstr(v, "signature"), NULL);
	struct pkarr_packet p, q;
	struct signer s;

	(void)state;
	assert_bytes(sp, sn, hex, hn);
	seed_signer(&s, 0x2a);
	assert_int_equal(pkarr_build(&p, &s, TS600, dns, dn), 0);
	assert_memory_equal(p.sig, sig, 64);
	assert_encodes(&p, sp, sn);
	assert_int_equal(pkarr_parse(&q, sp, sn), 0);
	assert_int_equal(pkarr_cmp(&p, &q), 0);
	signer_cleanup(&s);
	free(sp);
	free(hex);
	free(dns);
	free(sig);
	cJSON_Delete(j);
}

/* pkarr_valid.json: signatures from known seeds, signable bytes, both wire forms. */
static void
test_pkarr_valid(void **state)
{
	cJSON *j = th_load_json("tests/vectors/pkarr_valid.json"), *e;
	struct pkarr_packet p, q;
	struct signer s;
	struct buf_wr w;
	uint8_t *seed, *pk, *dns, *sig, *sgn, *full, *relay;
	size_t dn, gn, fn, rn, cnt = 0;
	char z[Z32_KEY_LEN + 1];

	(void)state;
	cJSON_ArrayForEach(e, j) {
		uint64_t ts = (uint64_t)cJSON_GetObjectItemCaseSensitive(e, "timestamp_us")->valuedouble;

		seed = th_unhex(th_jstr(e, "seed_hex"), NULL);
		pk = th_unhex(th_jstr(e, "pubkey_hex"), NULL);
		dns = th_unhex(th_jstr(e, "dns_packet_hex"), &dn);
		sig = th_unhex(th_jstr(e, "signature_hex"), NULL);
		sgn = th_unhex(th_jstr(e, "signable_hex"), &gn);
		full = th_unhex(th_jstr(e, "signed_packet_hex"), &fn);
		relay = th_unhex(th_jstr(e, "relay_payload_hex"), &rn);
		assert_int_equal(signer_from_seed(&s, seed), 0);
		assert_memory_equal(s.pk, pk, 32);
		z32_encode(z, pk, 32);
		assert_string_equal(z, th_jstr(e, "pubkey_z32"));
		buf_wr_init(&w, PKARR_SIGNABLE_MAX);
		assert_int_equal(pkarr_signable(ts, dns, dn, &w), 0);
		assert_bytes(buf_wr_data(&w), buf_wr_len(&w), sgn, gn);
		buf_wr_free(&w);
		assert_int_equal(pkarr_build(&p, &s, ts, dns, dn), 0);
		assert_memory_equal(p.sig, sig, 64);
		assert_encodes(&p, full, fn);
		assert_bytes(full + 32, fn - 32, relay, rn);
		assert_int_equal(pkarr_parse(&q, full, fn), 0);
		assert_int_equal(pkarr_cmp(&p, &q), 0);
		assert_int_equal(pkarr_parse_relay(&q, pk, relay, rn), 0);
		assert_int_equal(pkarr_cmp(&p, &q), 0);
		assert_int_equal(pkarr_from_item(&q, pk, sig, (int64_t)ts, dns, dn), 0);
		assert_int_equal(pkarr_cmp(&p, &q), 0);
		signer_cleanup(&s);
		free(seed);
		free(pk);
		free(dns);
		free(sig);
		free(sgn);
		free(full);
		free(relay);
		cnt++;
	}
	assert_int_equal(cnt, 5);
	cJSON_Delete(j);
}

static void
test_signable(void **state)
{
	struct buf_wr w;

	(void)state;
	buf_wr_init(&w, 100);
	assert_int_equal(pkarr_signable(0, (const uint8_t *)"", 0, &w), 0);
	assert_bytes(buf_wr_data(&w), buf_wr_len(&w), (const uint8_t *)"3:seqi0e1:v0:", 13);
	buf_wr_reset(&w);
	assert_int_equal(pkarr_signable((uint64_t)INT64_MAX, (const uint8_t *)"ab", 2, &w), 0);
	assert_bytes(buf_wr_data(&w), buf_wr_len(&w),
	    (const uint8_t *)"3:seqi9223372036854775807e1:v2:ab", 33);
	buf_wr_reset(&w);
	assert_int_equal(pkarr_signable((uint64_t)INT64_MAX + 1, (const uint8_t *)"", 0, &w),
	    CCL_ERR_INVALID_ARG);
	assert_int_equal(buf_wr_len(&w), 0);
	buf_wr_free(&w);
	/* Too small a writer: left unchanged. */
	buf_wr_init(&w, 10);
	assert_int_equal(buf_put(&w, "x", 1), 0);
	assert_int_equal(pkarr_signable(1, (const uint8_t *)"", 0, &w), CCL_ERR_TOO_LARGE);
	assert_int_equal(buf_wr_len(&w), 1);
	buf_wr_free(&w);
}

static void
test_build_errors(void **state)
{
	struct pkarr_packet p;
	struct dns_packet *d = NULL;
	struct signer s;
	uint8_t dns[1001] = { 0, 0, 0x80, 0 }, v[1000] = { 0 };

	(void)state;
	seed_signer(&s, 0x2a);
	/* 996 is our cap; 997..1000 are valid pkarr but we do not build them. */
	assert_int_equal(dns_packet_new(&d), 0);
	assert_int_equal(dns_add_txt(d, "_cclink", Z2A, 300, v, 908), 0);
	assert_int_equal(pkarr_build_dns(&p, &s, 5, d), 0);
	assert_int_equal(p.dns_len, 996);
	dns_packet_free(d);
	assert_int_equal(dns_packet_new(&d), 0);
	assert_int_equal(dns_add_txt(d, "_cclink", Z2A, 300, v, 909), 0);
	assert_int_equal(pkarr_build_dns(&p, &s, 5, d), CCL_ERR_TOO_LARGE);
	dns_packet_free(d);
	assert_int_equal(pkarr_build(&p, &s, 5, dns, 997), CCL_ERR_TOO_LARGE);
	/* DNS that does not parse. */
	assert_int_equal(pkarr_build(&p, &s, 5, dns, 11), CCL_ERR_FORMAT);
	dns[3] = 0x40;
	assert_int_equal(pkarr_build(&p, &s, 5, dns, 12), CCL_ERR_FORMAT);
	dns[3] = 0;
	assert_int_equal(pkarr_build(&p, &s, (uint64_t)INT64_MAX + 1, dns, 12), CCL_ERR_INVALID_ARG);
	assert_int_equal(pkarr_build(&p, &s, (uint64_t)INT64_MAX, dns, 12), 0);
	assert_int_equal(pkarr_verify(&p), 0);
	signer_cleanup(&s);
}

/* A signed item whose v is not DNS, a ts over INT64_MAX, a bad key. */
static void
test_verify_rules(void **state)
{
	struct pkarr_packet p, q;
	struct signer s;
	struct buf_wr w;
	uint8_t buf[PKARR_MAX_PACKET];
	size_t n;

	(void)state;
	seed_signer(&s, 0x2a);
	memset(&p, 0, sizeof(p));
	memcpy(p.pk, s.pk, 32);
	p.ts = 42;
	memcpy(p.dns, "garbage", 7);
	p.dns_len = 7;
	buf_wr_init(&w, PKARR_SIGNABLE_MAX);
	assert_int_equal(pkarr_signable(p.ts, p.dns, p.dns_len, &w), 0);
	assert_int_equal(signer_sign(&s, p.sig, buf_wr_data(&w), buf_wr_len(&w)), 0);
	buf_wr_free(&w);
	assert_int_equal(pkarr_verify(&p), CCL_ERR_FORMAT);
	buf_wr_init_fixed(&w, buf, sizeof(buf));
	assert_int_equal(pkarr_encode(&p, &w), 0);
	n = buf_wr_len(&w);
	assert_int_equal(pkarr_parse(&q, buf, n), CCL_ERR_FORMAT);
	assert_int_equal(pkarr_from_item(&q, p.pk, p.sig, 42, p.dns, 7), CCL_ERR_FORMAT);
	/* ts above INT64_MAX cannot be a BEP44 seq. */
	p.ts = (uint64_t)INT64_MAX + 1;
	assert_int_equal(pkarr_verify(&p), CCL_ERR_FORMAT);
	assert_int_equal(pkarr_from_item(&q, p.pk, p.sig, -1, p.dns, 7), CCL_ERR_FORMAT);
	/* Small-order key (the identity point). */
	memset(p.pk, 0, 32);
	p.pk[0] = 1;
	p.ts = 42;
	assert_int_equal(pkarr_verify(&p), CCL_ERR_KEY_INVALID);
	p.dns_len = 1001;
	assert_int_equal(pkarr_verify(&p), CCL_ERR_TOO_LARGE);
	assert_int_equal(pkarr_from_item(&q, s.pk, p.sig, 42, buf, 1001), CCL_ERR_TOO_LARGE);
	signer_cleanup(&s);
}

static void
test_sizes(void **state)
{
	struct pkarr_packet p, q;
	struct signer s;
	struct buf_wr w;
	uint8_t big[1200], body[1200], dns[1000] = { 0, 0, 0x80, 0 };
	size_t n;

	(void)state;
	seed_signer(&s, 0x2a);
	/* A minimal valid packet: the empty DNS packet (header only), 116 bytes. */
	assert_int_equal(pkarr_build(&p, &s, 1, dns, 12), 0);
	buf_wr_init_fixed(&w, big, sizeof(big));
	assert_int_equal(pkarr_encode(&p, &w), 0);
	n = buf_wr_len(&w);
	assert_int_equal(n, 116);
	assert_int_equal(pkarr_parse(&q, big, n), 0);
	assert_int_equal(pkarr_parse(&q, big, 103), CCL_ERR_TRUNCATED);
	assert_int_equal(pkarr_parse(&q, big, 104), CCL_ERR_SIG_INVALID);  /* empty v: not what was signed */
	memset(body, 0, sizeof(body));
	assert_int_equal(pkarr_parse(&q, body, 1105), CCL_ERR_TOO_LARGE);
	assert_int_equal(pkarr_parse_relay(&q, s.pk, body, 71), CCL_ERR_TRUNCATED);
	assert_int_equal(pkarr_parse_relay(&q, s.pk, body, 1073), CCL_ERR_TOO_LARGE);
	assert_int_equal(pkarr_parse_relay(&q, s.pk, big + 32, n - 32), 0);
	/* Writers too small leave nothing behind. */
	buf_wr_init_fixed(&w, body, 100);
	assert_int_equal(pkarr_encode(&p, &w), CCL_ERR_TOO_LARGE);
	assert_int_equal(buf_wr_len(&w), 0);
	buf_wr_init_fixed(&w, body, 75);
	assert_int_equal(pkarr_encode_relay(&p, &w), CCL_ERR_TOO_LARGE);
	assert_int_equal(buf_wr_len(&w), 0);
	signer_cleanup(&s);
}

static void
test_cmp(void **state)
{
	struct pkarr_packet a, b;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.ts = 2;
	b.ts = 1;
	memcpy(b.dns, "\xff", 1);
	b.dns_len = 1;
	assert_true(pkarr_cmp(&a, &b) > 0);  /* ts first */
	assert_true(pkarr_cmp(&b, &a) < 0);
	b.ts = 2;
	assert_true(pkarr_cmp(&b, &a) > 0);  /* equal ts: larger bytes */
	memcpy(a.dns, "\xff\x00", 2);
	a.dns_len = 2;
	assert_true(pkarr_cmp(&a, &b) > 0);  /* a proper prefix is smaller */
	assert_true(pkarr_cmp(&b, &a) < 0);
	memcpy(a.dns, "\xfe\xff", 2);
	assert_true(pkarr_cmp(&a, &b) < 0);
	assert_int_equal(pkarr_cmp(&a, &a), 0);
}

static void
test_next_ts(void **state)
{
	uint64_t a, b;

	(void)state;
	a = pkarr_next_ts(0);
	assert_true(a > 1700000000000000ULL);
	assert_true(a < (uint64_t)INT64_MAX);
	b = pkarr_next_ts(a + 5000000);
	assert_int_equal(b, a + 5000001);
	assert_int_equal(pkarr_next_ts((uint64_t)INT64_MAX), (uint64_t)INT64_MAX);
	assert_int_equal(pkarr_next_ts(UINT64_MAX), (uint64_t)INT64_MAX);
	assert_true(pkarr_next_ts(b) > b);
}

/* Every single-bit flip and every truncation of a signed packet must fail to parse. */
static void
mutate_full(const uint8_t *orig, size_t n)
{
	struct pkarr_packet q;
	uint8_t *m = malloc(n);
	size_t i, b;

	assert_non_null(m);
	assert_int_equal(pkarr_parse(&q, orig, n), 0);
	for (i = 0; i < n; i++) {
		assert_int_not_equal(pkarr_parse(&q, orig, i), 0);
		for (b = 0; b < 8; b++) {
			memcpy(m, orig, n);
			m[i] ^= (uint8_t)(1u << b);
			assert_int_not_equal(pkarr_parse(&q, m, n), 0);
			/* The relay form with the true key. */
			if (i >= 32)
				assert_int_not_equal(pkarr_parse_relay(&q, orig, m + 32, n - 32), 0);
		}
	}
	/* Appending a byte breaks it too. */
	m = realloc(m, n + 1);
	assert_non_null(m);
	memcpy(m, orig, n);
	m[n] = 0;
	assert_int_not_equal(pkarr_parse(&q, m, n + 1), 0);
	free(m);
}

static void
test_mutation(void **state)
{
	size_t n1, n2;
	uint8_t *a = th_read_file("tests/vectors/small3.signed_packet.bin", &n1);
	uint8_t *b = th_read_file("tests/vectors/cclink600.signed_packet.bin", &n2);

	(void)state;
	mutate_full(a, n1);
	mutate_full(b, n2);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cclink600),
		cmocka_unit_test(test_small3),
		cmocka_unit_test(test_pkarr_valid),
		cmocka_unit_test(test_signable),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_verify_rules),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_next_ts),
		cmocka_unit_test(test_mutation),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
