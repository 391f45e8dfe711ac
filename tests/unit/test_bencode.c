/* SPDX-License-Identifier: MIT */
/* Unit tests for the strict bencode decoder and the canonical encoder. */
#include "testutil.h"
#include "bencode.h"

static int
parse_str(const char *s, struct benc_val *v)
{
	return benc_parse((const uint8_t *)s, strlen(s), v);
}

/* Re-encode a decoded value canonically (used to check round trips). */
static int
reencode(struct benc_enc *e, const struct benc_val *v)
{
	struct benc_iter it;
	struct benc_val key, val;
	int r;

	switch (v->type) {
	case BENC_INT:
		return benc_enc_int(e, v->i);
	case BENC_STR:
		return benc_enc_str(e, v->s, v->len);
	case BENC_LIST:
	case BENC_DICT:
		if ((r = v->type == BENC_LIST ? benc_enc_list(e) : benc_enc_dict(e)) != 0 ||
		    (r = benc_iter_init(&it, v)) != 0)
			return r;
		while ((r = benc_iter_next(&it, &key, &val)) == 1) {
			if (v->type == BENC_DICT && (r = benc_enc_key_n(e, key.s, key.len)) != 0)
				return r;
			if ((r = reencode(e, &val)) != 0)
				return r;
		}
		if (r < 0)
			return r;
		return benc_enc_end(e);
	}
	return CCL_ERR_INTERNAL;
}

/* Any accepted input must be exactly its own canonical encoding. */
static void
assert_roundtrip(const uint8_t *p, size_t n)
{
	struct benc_val v;
	struct benc_enc e;
	struct buf_wr wr;

	assert_int_equal(benc_parse(p, n, &v), 0);
	buf_wr_init(&wr, 1 << 16);
	benc_enc_init(&e, &wr);
	assert_int_equal(reencode(&e, &v), 0);
	assert_int_equal(benc_enc_finish(&e), 0);
	assert_int_equal(buf_wr_len(&wr), n);
	assert_memory_equal(buf_wr_data(&wr), p, n);
	buf_wr_free(&wr);
}

static void
test_ints(void **state)
{
	struct benc_val v;

	(void)state;
	assert_int_equal(parse_str("i0e", &v), 0);
	assert_int_equal(v.type, BENC_INT);
	assert_true(v.i == 0);
	assert_int_equal(parse_str("i-42e", &v), 0);
	assert_true(v.i == -42);
	assert_int_equal(parse_str("i9223372036854775807e", &v), 0);
	assert_true(v.i == INT64_MAX);
	assert_int_equal(parse_str("i-9223372036854775808e", &v), 0);
	assert_true(v.i == INT64_MIN);
	assert_int_equal(parse_str("i1700000000000000e", &v), 0);
	assert_true(v.i == 1700000000000000LL);

	assert_int_equal(parse_str("i-0e", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("i03e", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("i00e", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("i-03e", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("ie", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("i-e", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("i+1e", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("i 1e", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("i1.5e", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("i--1e", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("i9223372036854775808e", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("i-9223372036854775809e", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("i99999999999999999999999e", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("i1", &v), CCL_ERR_TRUNCATED);
	assert_int_equal(parse_str("i", &v), CCL_ERR_TRUNCATED);
	assert_int_equal(parse_str("i-", &v), CCL_ERR_TRUNCATED);
	assert_int_equal(v.type, 0);  /* zeroed on error */
}

static void
test_strings(void **state)
{
	static const uint8_t nul[] = { '3', ':', 'a', 0, 'b' };
	struct benc_val v;

	(void)state;
	assert_int_equal(parse_str("0:", &v), 0);
	assert_int_equal(v.type, BENC_STR);
	assert_int_equal(v.len, 0);
	assert_int_equal(parse_str("4:spam", &v), 0);
	assert_int_equal(v.len, 4);
	assert_memory_equal(v.s, "spam", 4);
	assert_true(benc_str_eq(&v, "spam"));
	assert_false(benc_str_eq(&v, "spa"));
	assert_int_equal(benc_parse(nul, sizeof(nul), &v), 0);
	assert_int_equal(v.len, 3);
	assert_int_equal(v.s[1], 0);

	assert_int_equal(parse_str("04:spam", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("00:", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("-1:a", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str(":", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("4spam", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("5:spam", &v), CCL_ERR_TRUNCATED);
	assert_int_equal(parse_str("4:", &v), CCL_ERR_TRUNCATED);
	assert_int_equal(parse_str("4", &v), CCL_ERR_TRUNCATED);
	/* Hostile lengths: never trusted beyond what remains. */
	assert_int_equal(parse_str("4294967295:abc", &v), CCL_ERR_TRUNCATED);
	assert_int_equal(parse_str("18446744073709551615:abc", &v), CCL_ERR_TRUNCATED);
	assert_int_equal(parse_str("18446744073709551616:abc", &v), CCL_ERR_TRUNCATED);
	assert_int_equal(parse_str("99999999999999999999999999999999:x", &v), CCL_ERR_TRUNCATED);
	assert_int_equal(parse_str("4:spamx", &v), CCL_ERR_TRAILING);
}

static void
test_containers(void **state)
{
	const char *msg = "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e"
	    "1:q9:find_node1:t2:aa1:y1:qe";
	struct benc_val v, a, id, item, key;
	struct benc_iter it;
	int n = 0;

	(void)state;
	assert_int_equal(parse_str("le", &v), 0);
	assert_int_equal(v.type, BENC_LIST);
	assert_int_equal(parse_str("de", &v), 0);
	assert_int_equal(v.type, BENC_DICT);
	assert_int_equal(parse_str("l4:spami42ee", &v), 0);
	assert_int_equal(benc_iter_init(&it, &v), 0);
	assert_int_equal(benc_iter_next(&it, NULL, &item), 1);
	assert_true(benc_str_eq(&item, "spam"));
	assert_int_equal(benc_iter_next(&it, NULL, &item), 1);
	assert_true(item.type == BENC_INT && item.i == 42);
	assert_int_equal(benc_iter_next(&it, NULL, &item), 0);
	assert_int_equal(benc_iter_next(&it, NULL, &item), 0);

	assert_int_equal(parse_str(msg, &v), 0);
	assert_int_equal(benc_dict_find(&v, "a", 1, &a), 0);
	assert_int_equal(a.type, BENC_DICT);
	assert_int_equal(benc_dict_find(&a, "id", 2, &id), 0);
	assert_int_equal(id.len, 20);
	assert_memory_equal(id.s, "abcdefghij0123456789", 20);
	assert_int_equal(benc_dict_find(&a, "nope", 4, &id), CCL_ERR_NOT_FOUND);
	assert_int_equal(benc_dict_find(&id, "x", 1, &item), CCL_ERR_FORMAT);
	assert_int_equal(benc_iter_init(&it, &id), CCL_ERR_FORMAT);
	assert_int_equal(benc_iter_init(&it, &v), 0);
	while (benc_iter_next(&it, &key, &item) == 1)
		n++;
	assert_int_equal(n, 4);
	assert_roundtrip((const uint8_t *)msg, strlen(msg));

	/* Dict keys: sorted by raw bytes, unique, strings only. */
	assert_int_equal(parse_str("d1:ai1e2:abi2e1:bi3ee", &v), 0);  /* "a" < "ab" < "b" */
	assert_int_equal(parse_str("d1:bi1e1:ai2ee", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("d2:abi1e1:ai2ee", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("d1:ai1e1:ai2ee", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("di1ei2ee", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("dl1:aei2ee", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("d1:ae", &v), CCL_ERR_FORMAT);       /* key without value */
	assert_int_equal(parse_str("d1:\xff" "i1e1:\x80i2ee", &v), CCL_ERR_FORMAT);  /* unsigned order */
	assert_int_equal(parse_str("d1:\x80i1e1:\xffi2ee", &v), 0);
	assert_int_equal(parse_str("d", &v), CCL_ERR_TRUNCATED);
	assert_int_equal(parse_str("l", &v), CCL_ERR_TRUNCATED);
	assert_int_equal(parse_str("d1:a", &v), CCL_ERR_TRUNCATED);
	assert_int_equal(parse_str("lee", &v), CCL_ERR_TRAILING);
	assert_int_equal(parse_str("i1ei2e", &v), CCL_ERR_TRAILING);
	assert_int_equal(parse_str("e", &v), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("x", &v), CCL_ERR_FORMAT);
	assert_int_equal(benc_parse(NULL, 0, &v), CCL_ERR_TRUNCATED);
	assert_int_equal(parse_str("", &v), CCL_ERR_TRUNCATED);
}

static void
test_depth(void **state)
{
	char buf[2 * (BENC_MAX_DEPTH + 2) + 1];
	struct benc_val v;
	int d, i;

	(void)state;
	for (d = 1; d <= BENC_MAX_DEPTH + 1; d++) {
		for (i = 0; i < d; i++) {
			buf[i] = 'l';
			buf[d + i] = 'e';
		}
		buf[2 * d] = '\0';
		assert_int_equal(parse_str(buf, &v), d <= BENC_MAX_DEPTH ? 0 : CCL_ERR_DEPTH);
	}
	/* A depth bomb that is also truncated. */
	memset(buf, 'l', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	assert_int_equal(parse_str(buf, &v), CCL_ERR_DEPTH);
	/* Dicts count too. */
	assert_int_equal(parse_str("d1:ad1:ad1:ai1eeee", &v), 0);
}

/* A KRPC get response with nested containers; it contains NULs, so it is a macro. */
#define MUT_MSG "d2:ip6:\x7f\x00\x00\x01\x1a\xe1" "1:rd2:id20:abcdefghij01234567891:k32:" \
	"0123456789abcdef0123456789abcdef4:listli1ei-1e0:lleee" \
	"5:nodes26:nnnnnnnnnnnnnnnnnnnn\x7f\x00\x00\x01\x1a\xe1" \
	"3:seqi1700000000000000e3:sig64:" \
	"SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS" \
	"5:token4:tokn1:v5:helloe1:t4:\x00\x00\x00\x01" "1:y1:re"

static void
test_truncations_and_mutations(void **state)
{
	size_t n = sizeof(MUT_MSG) - 1, i, bit;
	uint8_t m[512];
	struct benc_val v;
	int r;

	(void)state;
	assert_true(n < sizeof(m));
	memcpy(m, MUT_MSG, n);
	assert_roundtrip(m, n);
	/* Every proper prefix is incomplete. */
	for (i = 0; i < n; i++) {
		r = benc_parse(m, i, &v);
		assert_true(r == CCL_ERR_TRUNCATED || r == CCL_ERR_FORMAT);
	}
	/* Every single-bit flip either fails cleanly or is still canonical. */
	for (i = 0; i < n; i++) {
		for (bit = 0; bit < 8; bit++) {
			m[i] ^= (uint8_t)(1u << bit);
			if (benc_parse(m, n, &v) == 0)
				assert_roundtrip(m, n);
			m[i] ^= (uint8_t)(1u << bit);
		}
	}
	/* Every byte replaced by each interesting value. */
	for (i = 0; i < n; i++) {
		static const uint8_t vals[] = { 0, '0', '9', ':', 'd', 'e', 'i', 'l', '-', 0xff };
		uint8_t save = m[i];
		size_t k;

		for (k = 0; k < sizeof(vals); k++) {
			m[i] = vals[k];
			if (benc_parse(m, n, &v) == 0)
				assert_roundtrip(m, n);
		}
		m[i] = save;
	}
	/* Trailing garbage of every length. */
	for (i = 1; i < 8 && n + i <= sizeof(m); i++) {
		m[n + i - 1] = 'x';
		assert_int_equal(benc_parse(m, n + i, &v), CCL_ERR_TRAILING);
	}
}

static void
test_encoder(void **state)
{
	struct benc_enc e;
	struct buf_wr wr;
	uint8_t small[8];

	(void)state;
	buf_wr_init(&wr, 4096);
	benc_enc_init(&e, &wr);
	assert_int_equal(benc_enc_dict(&e), 0);
	assert_int_equal(benc_enc_key(&e, "a"), 0);
	assert_int_equal(benc_enc_list(&e), 0);
	assert_int_equal(benc_enc_int(&e, -7), 0);
	assert_int_equal(benc_enc_int(&e, INT64_MIN), 0);
	assert_int_equal(benc_enc_str(&e, "", 0), 0);
	assert_int_equal(benc_enc_end(&e), 0);
	assert_int_equal(benc_enc_key(&e, "ab"), 0);
	assert_int_equal(benc_enc_cstr(&e, "spam"), 0);
	assert_int_equal(benc_enc_key(&e, "b"), 0);
	assert_int_equal(benc_enc_dict(&e), 0);
	assert_int_equal(benc_enc_end(&e), 0);
	assert_int_equal(benc_enc_end(&e), 0);
	assert_int_equal(benc_enc_finish(&e), 0);
	assert_int_equal(buf_wr_len(&wr), strlen("d1:ali-7ei-9223372036854775808e0:e2:ab4:spam1:bdee"));
	assert_memory_equal(buf_wr_data(&wr), "d1:ali-7ei-9223372036854775808e0:e2:ab4:spam1:bdee",
	    buf_wr_len(&wr));

	/* Unsorted and duplicate keys are refused, and the error sticks. */
	buf_wr_reset(&wr);
	benc_enc_init(&e, &wr);
	assert_int_equal(benc_enc_dict(&e), 0);
	assert_int_equal(benc_enc_key(&e, "b"), 0);
	assert_int_equal(benc_enc_int(&e, 1), 0);
	assert_int_equal(benc_enc_key(&e, "a"), CCL_ERR_INTERNAL);
	assert_int_equal(benc_enc_int(&e, 1), CCL_ERR_INTERNAL);
	assert_int_equal(benc_enc_finish(&e), CCL_ERR_INTERNAL);
	buf_wr_reset(&wr);
	benc_enc_init(&e, &wr);
	assert_int_equal(benc_enc_dict(&e), 0);
	assert_int_equal(benc_enc_key(&e, "a"), 0);
	assert_int_equal(benc_enc_int(&e, 1), 0);
	assert_int_equal(benc_enc_key(&e, "a"), CCL_ERR_INTERNAL);
	/* A value where a key is expected, a key without value, a key in a list. */
	buf_wr_reset(&wr);
	benc_enc_init(&e, &wr);
	assert_int_equal(benc_enc_dict(&e), 0);
	assert_int_equal(benc_enc_int(&e, 1), CCL_ERR_INTERNAL);
	buf_wr_reset(&wr);
	benc_enc_init(&e, &wr);
	assert_int_equal(benc_enc_dict(&e), 0);
	assert_int_equal(benc_enc_key(&e, "a"), 0);
	assert_int_equal(benc_enc_end(&e), CCL_ERR_INTERNAL);
	buf_wr_reset(&wr);
	benc_enc_init(&e, &wr);
	assert_int_equal(benc_enc_list(&e), 0);
	assert_int_equal(benc_enc_key(&e, "a"), CCL_ERR_INTERNAL);
	/* Unclosed containers, two top-level values, nothing at all. */
	buf_wr_reset(&wr);
	benc_enc_init(&e, &wr);
	assert_int_equal(benc_enc_list(&e), 0);
	assert_int_equal(benc_enc_finish(&e), CCL_ERR_INTERNAL);
	buf_wr_reset(&wr);
	benc_enc_init(&e, &wr);
	assert_int_equal(benc_enc_int(&e, 1), 0);
	assert_int_equal(benc_enc_int(&e, 2), CCL_ERR_INTERNAL);
	buf_wr_reset(&wr);
	benc_enc_init(&e, &wr);
	assert_int_equal(benc_enc_finish(&e), CCL_ERR_INTERNAL);
	assert_int_equal(benc_enc_end(&e), CCL_ERR_INTERNAL);
	buf_wr_free(&wr);

	/* A full writer fails with TOO_LARGE, sticky. */
	buf_wr_init_fixed(&wr, small, sizeof(small));
	benc_enc_init(&e, &wr);
	assert_int_equal(benc_enc_str(&e, "0123456789", 10), CCL_ERR_TOO_LARGE);
	assert_int_equal(benc_enc_finish(&e), CCL_ERR_TOO_LARGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ints),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_containers),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_truncations_and_mutations),
		cmocka_unit_test(test_encoder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
