/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for Bech32: the BIP 173 valid and invalid strings, age's lifted
 * length limit, strict 5→8-bit padding, case rules, and a mutation loop.
 */
#include "testutil.h"
#include <sodium.h>
#include "bech32.h"

/* BIP 173 "valid" strings (checksum-valid Bech32, not Bech32m). */
static const char *const VALID[] = {
	"A12UEL5L",
	"a12uel5l",
	"an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
	"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
	"11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
	"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
	"?1ezyfcl",
	/* BIP 173 lists this as invalid only for exceeding 90 characters, which age lifts. */
	"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
};

/* BIP 173 "invalid" strings, each for a reason age keeps. */
static const char *const INVALID[] = {
	"\x20" "1nwldj5",     /* HRP character out of range */
	"\x7f" "1axkwrx",
	"\x80" "1eym55h",
	"pzry9x0s0muk",       /* no separator */
	"1pzry9x0s0muk",      /* empty HRP */
	"x1b4n0q5v",          /* invalid data character */
	"li1dgmt3",           /* checksum too short */
	"de1lg7wt\xff",       /* invalid character in the checksum */
	"A1G7SGD8",           /* checksum over the uppercase HRP */
	"10a06t8",            /* empty HRP */
	"1qzzfhee",           /* empty HRP */
	"a12UEL5L",           /* mixed case */
	"A12uel5l",
	"",
	"1",
	"a1",
	"a1qqqqq",            /* five data characters: checksum too short */
};

static const char CHARSET[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/* An independent, array-based checksum (as BIP 173 writes it) to forge test strings. */
static uint32_t
ref_polymod(const uint8_t *v, size_t n)
{
	static const uint32_t g[5] = { 0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3 };
	uint32_t chk = 1, top;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		top = chk >> 25;
		chk = (chk & 0x1ffffff) << 5 ^ v[i];
		for (k = 0; k < 5; k++)
			if ((top >> k) & 1)
				chk ^= g[k];
	}
	return chk;
}

/* Lowercase Bech32 of hrp and raw 5-bit values, with a correct checksum. */
static void
ref_encode5(char *out, const char *hrp, const uint8_t *d5, size_t n)
{
	uint8_t v[256];
	size_t hl = strlen(hrp), i, k = 0, o;
	uint32_t mod;

	for (i = 0; i < hl; i++)
		v[k++] = (uint8_t)hrp[i] >> 5;
	v[k++] = 0;
	for (i = 0; i < hl; i++)
		v[k++] = (uint8_t)hrp[i] & 31;
	for (i = 0; i < n; i++)
		v[k++] = d5[i];
	for (i = 0; i < 6; i++)
		v[k++] = 0;
	mod = ref_polymod(v, k) ^ 1;
	o = (size_t)sprintf(out, "%s1", hrp);
	for (i = 0; i < n; i++)
		out[o++] = CHARSET[d5[i]];
	for (i = 0; i < 6; i++)
		out[o++] = CHARSET[(mod >> (5 * (5 - i))) & 31];
	out[o] = '\0';
}

static int
dec(const char *s, char *hrp, size_t hrpcap, uint8_t *d, size_t dcap, size_t *dl)
{
	return bech32_decode(hrp, hrpcap, d, dcap, dl, s, strlen(s));
}

static void
test_bip173(void **state)
{
	char hrp[128], again[256];
	uint8_t d[128];
	size_t i, n;
	int r;

	(void)state;
	for (i = 0; i < sizeof(VALID) / sizeof(VALID[0]); i++) {
		r = dec(VALID[i], hrp, sizeof(hrp), d, sizeof(d), &n);
		if (r != 0)
			fail_msg("valid '%s' refused: %d", VALID[i], r);
		/* Re-encoding gives the same string, case included. */
		assert_int_equal(bech32_encode(again, sizeof(again), hrp, d, n), 0);
		assert_string_equal(again, VALID[i]);
		assert_int_equal(strlen(again), bech32_encoded_len(strlen(hrp), n));
	}
	for (i = 0; i < sizeof(INVALID) / sizeof(INVALID[0]); i++) {
		n = 99;
		r = dec(INVALID[i], hrp, sizeof(hrp), d, sizeof(d), &n);
		if (r != CCL_ERR_FORMAT)
			fail_msg("invalid #%zu accepted or wrong error: %d", i, r);
		assert_int_equal(n, 0);
	}
}

static void
test_roundtrip(void **state)
{
	uint8_t d[200], back[200];
	char s[512], hrp[32];
	size_t n, got;

	(void)state;
	for (n = 0; n < sizeof(d); n++) {
		randombytes_buf(d, n);
		assert_int_equal(bech32_encode(s, sizeof(s), "age", d, n), 0);
		assert_int_equal(strlen(s), bech32_encoded_len(3, n));
		assert_int_equal(dec(s, hrp, sizeof(hrp), back, sizeof(back), &got), 0);
		assert_string_equal(hrp, "age");
		assert_int_equal(got, n);
		if (n > 0)
			assert_memory_equal(back, d, n);
		assert_int_equal(bech32_encode(s, sizeof(s), "AGE-SECRET-KEY-", d, n), 0);
		assert_int_equal(dec(s, hrp, sizeof(hrp), back, sizeof(back), &got), 0);
		assert_string_equal(hrp, "AGE-SECRET-KEY-");
		assert_int_equal(got, n);
	}
	/* Exact capacities. */
	memset(d, 0x42, 32);
	n = bech32_encoded_len(3, 32);
	assert_int_equal(n, 62);
	assert_int_equal(bech32_encode(s, n, "age", d, 32), CCL_ERR_TOO_LARGE);
	assert_int_equal(s[0], '\0');
	assert_int_equal(bech32_encode(s, n + 1, "age", d, 32), 0);
	assert_int_equal(dec(s, hrp, 3, back, 32, &got), CCL_ERR_TOO_LARGE);
	assert_int_equal(dec(s, hrp, 4, back, 31, &got), CCL_ERR_TOO_LARGE);
	assert_int_equal(got, 0);
	assert_int_equal(dec(s, hrp, 4, back, 32, &got), 0);
	/* Bad HRPs for the encoder. */
	assert_int_equal(bech32_encode(s, sizeof(s), "", d, 1), CCL_ERR_INVALID_ARG);
	assert_int_equal(bech32_encode(s, sizeof(s), "Age", d, 1), CCL_ERR_INVALID_ARG);
	assert_int_equal(bech32_encode(s, sizeof(s), "a b", d, 1), CCL_ERR_INVALID_ARG);
	assert_int_equal(bech32_encode(s, sizeof(s), "a\x7f", d, 1), CCL_ERR_INVALID_ARG);
}

/* age's example keys and its long post-quantum recipient (no length limit). */
static void
test_age_strings(void **state)
{
	static const char pq[] =
	    "age1tag1qt8lw0ual6avlwmwatk888yqnmdamm7xfd0wak53ut6elz5c4swx2yqdj4e";
	char hrp[32], *big;
	uint8_t d[64], *bd;
	size_t n, bn = 1216, i;

	(void)state;
	assert_int_equal(dec("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj",
	    hrp, sizeof(hrp), d, sizeof(d), &n), 0);
	assert_string_equal(hrp, "age");
	assert_int_equal(n, 32);
	assert_int_equal(dec("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX",
	    hrp, sizeof(hrp), d, sizeof(d), &n), 0);
	assert_string_equal(hrp, "AGE-SECRET-KEY-");
	assert_int_equal(n, 32);
	for (i = 0; i < 32; i++)
		assert_int_equal(d[i], 0x42);
	/* The separator is the last '1'. */
	assert_int_equal(dec(pq, hrp, sizeof(hrp), d, sizeof(d), &n), 0);
	assert_string_equal(hrp, "age1tag");
	assert_int_equal(n, 33);
	/* An ML-KEM-sized value (1216 bytes, ~1960 characters) round-trips. */
	bd = malloc(bn * 2);
	big = malloc(bech32_encoded_len(6, bn) + 1);
	assert_non_null(bd);
	assert_non_null(big);
	randombytes_buf(bd, bn);
	assert_int_equal(bech32_encode(big, bech32_encoded_len(6, bn) + 1, "age1pq", bd, bn), 0);
	assert_int_equal(dec(big, hrp, sizeof(hrp), bd + bn, bn, &n), 0);
	assert_int_equal(n, bn);
	assert_memory_equal(bd, bd + bn, bn);
	free(big);
	free(bd);
}

/* Strict padding: fewer than 5 leftover bits, all of them zero. */
static void
test_padding(void **state)
{
	char s[128], hrp[16];
	uint8_t d5[8], d[8];
	size_t n;

	(void)state;
	/* One byte 0xff = 11111 111(00): valid with zero padding. */
	d5[0] = 31;
	d5[1] = 28;
	ref_encode5(s, "x", d5, 2);
	assert_int_equal(dec(s, hrp, sizeof(hrp), d, sizeof(d), &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(d[0], 0xff);
	/* Same with a non-zero padding bit. */
	d5[1] = 29;
	ref_encode5(s, "x", d5, 2);
	assert_int_equal(dec(s, hrp, sizeof(hrp), d, sizeof(d), &n), CCL_ERR_FORMAT);
	d5[1] = 30;
	ref_encode5(s, "x", d5, 2);
	assert_int_equal(dec(s, hrp, sizeof(hrp), d, sizeof(d), &n), CCL_ERR_FORMAT);
	/* A whole extra zero group (>= 5 padding bits). */
	d5[1] = 28;
	d5[2] = 0;
	ref_encode5(s, "x", d5, 3);
	assert_int_equal(dec(s, hrp, sizeof(hrp), d, sizeof(d), &n), CCL_ERR_FORMAT);
	/* A lone group of five bits holds no byte. */
	d5[0] = 0;
	ref_encode5(s, "x", d5, 1);
	assert_int_equal(dec(s, hrp, sizeof(hrp), d, sizeof(d), &n), CCL_ERR_FORMAT);
	/* No data at all is fine. */
	ref_encode5(s, "x", d5, 0);
	assert_int_equal(dec(s, hrp, sizeof(hrp), d, sizeof(d), &n), 0);
	assert_int_equal(n, 0);
	/* Our reference agrees with the module's encoder. */
	d[0] = 0xff;
	assert_int_equal(bech32_encode(hrp, sizeof(hrp), "x", d, 1), 0);
	d5[0] = 31;
	d5[1] = 28;
	ref_encode5(s, "x", d5, 2);
	assert_string_equal(hrp, s);
}

/* Every byte replaced, every truncation: never a different successful decode. */
static void
test_mutations(void **state)
{
	uint8_t d[32], out[64];
	char s[128], m[128], hrp[32];
	size_t n, len, i, c, bad = 0;
	int r;

	(void)state;
	for (i = 0; i < 32; i++)
		d[i] = (uint8_t)(i * 7);
	assert_int_equal(bech32_encode(s, sizeof(s), "age", d, 32), 0);
	len = strlen(s);
	for (i = 0; i < len; i++) {
		for (c = 1; c < 256; c++) {
			memcpy(m, s, len + 1);
			m[i] = (char)c;
			if (m[i] == s[i])
				continue;
			r = bech32_decode(hrp, sizeof(hrp), out, sizeof(out), &n, m, len);
			/* Only a case change of the whole string may decode (not possible with one byte). */
			if (r == 0)
				bad++;
		}
	}
	assert_int_equal(bad, 0);
	for (i = 0; i < len; i++)
		assert_int_not_equal(bech32_decode(hrp, sizeof(hrp), out, sizeof(out), &n, s, i), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bip173),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_age_strings),
		cmocka_unit_test(test_padding),
		cmocka_unit_test(test_mutations),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
