/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the cclink v1.3 record (record.c).
 *
 * Fixtures: key = seed 2a×32 (pk:df9sse9b…stioo, doc/protocol.md §2), blob =
 * bytes 00..2f. The expected signables and TXT values below were written by
 * hand from doc/formats.md (key order, omitted defaults, null for absent
 * options, serde_json escaping). The expected signatures were computed over
 * those hand-written signables by node:crypto's Ed25519 (an independent
 * implementation), and the TXT values were checked to re-serialise
 * identically through serde_json 1.0.87 with the 1.3 struct definitions.
 */
#include "testutil.h"
#include <ctype.h>
#include <sodium.h>
#include "record.h"
#include "signer.h"
#include "z32.h"

#define PK_Z32 "df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo"
#define PK_HEX "197f6b23e16c8532c6abc838facd5ea789be0c76b2920334039bfa8b3d368d61"
/* The z-base-32 vector key of doc/protocol.md §2, as a --share recipient. */
#define RCPT_Z32 "yg4gxe7z1r7mr6orids9fh95y7gxhdsxjqi6nngsxxtakqaxr5no"
#define BLOB_B64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v"
#define SALT_B64 "ERERERERERERERERERERERERERERERERERERERERERE="

/* A: self record, every option at its default. */
static const char sig_a_hex[] =
    "31c46f5d2879d8a8a22cdc481add4386bbb502203b3695055cd4cae25a810518"
    "08325425947588b60eb8199ac8adfa5857874bf0bf9549c1ed18d8ae410d7d07";
static const char signable_a[] =
    "{\"blob\":\"" BLOB_B64 "\",\"burn\":false,\"created_at\":1700000000,\"hostname\":\"\","
    "\"pin_salt\":null,\"project\":\"\",\"pubkey\":\"" PK_Z32 "\",\"recipient\":null,\"ttl\":86400}";
static const char txt_a[] =
    "{\"blob\":\"" BLOB_B64 "\",\"created_at\":1700000000,\"pubkey\":\"" PK_Z32 "\","
    "\"signature\":\"McRvXSh52KiiLNxIGt1Dhru1AiA7NpUFXNTK4lqBBRgIMlQllHWItg64GZrIrfpYV4dL8L+VScHtGNiuQQ19Bw==\","
    "\"ttl\":86400}";

/* B: --pin --burn. */
static const char sig_b_hex[] =
    "f2c8aaeacc7e9cd7110e0e00297ae5ecb6c841e62f37c9b561d14b91c9546a4d"
    "fd33b0baa179f9e305c09f726daa6575608082fa54d81def021c38fda2cd8b03";
static const char signable_b[] =
    "{\"blob\":\"" BLOB_B64 "\",\"burn\":true,\"created_at\":1700000000,\"hostname\":\"\","
    "\"pin_salt\":\"" SALT_B64 "\",\"project\":\"\",\"pubkey\":\"" PK_Z32 "\",\"recipient\":null,"
    "\"ttl\":3600}";
static const char txt_b[] =
    "{\"blob\":\"" BLOB_B64 "\",\"burn\":true,\"created_at\":1700000000,\"pin_salt\":\"" SALT_B64 "\","
    "\"pubkey\":\"" PK_Z32 "\","
    "\"signature\":\"8siq6sx+nNcRDg4AKXrl7LbIQeYvN8m1YdFLkclUak39M7C6oXn54wXAn3JtqmV1YICC+lTYHe8CHDj9os2LAw==\","
    "\"ttl\":3600}";

/* C: --share, with the recipient as 1.3 stores it when given "pk:<z32>". */
static const char sig_c_hex[] =
    "cb9e4288700d8a576e87b6b11aa35c934282af54674d6acfe830691f33908326"
    "f04e47785a8f876adb8cdbff89515797764dd970af617b1031b915a1fd647608";
static const char signable_c[] =
    "{\"blob\":\"" BLOB_B64 "\",\"burn\":false,\"created_at\":1700000000,\"hostname\":\"\","
    "\"pin_salt\":null,\"project\":\"\",\"pubkey\":\"" PK_Z32 "\",\"recipient\":\"pk:" RCPT_Z32 "\","
    "\"ttl\":86400}";
static const char txt_c[] =
    "{\"blob\":\"" BLOB_B64 "\",\"created_at\":1700000000,\"pubkey\":\"" PK_Z32 "\","
    "\"recipient\":\"pk:" RCPT_Z32 "\","
    "\"signature\":\"y55CiHANilduh7axGqNck0KCr1RnTWrP6DBpHzOQgybwTkd4Wo+HatuM2/+JUVeXdk3ZcK9hexAxuRWh/WR2CA==\","
    "\"ttl\":86400}";

/* D: a 1.0-style record with escapes in hostname/project, u64 extremes. */
#define HOST_D "a\"b\\c/d\x01\t\x7f\xc3\xa9\xf0\x9f\x98\x80"
#define HOST_D_JSON "a\\\"b\\\\c/d\\u0001\\t\x7f\xc3\xa9\xf0\x9f\x98\x80"
#define PROJ_D "/home/\xc3\xbc/x\n"
#define PROJ_D_JSON "/home/\xc3\xbc/x\\n"
static const char sig_d_hex[] =
    "b1135266af5915f843b999715ba059226e92b6775c2b21c98142c860b2014227"
    "f8f3bbabb124402131e0757d7ed3877e0144cdfa67d74072bcf66bb19d5acb03";
static const char signable_d[] =
    "{\"blob\":\"" BLOB_B64 "\",\"burn\":false,\"created_at\":18446744073709551615,"
    "\"hostname\":\"" HOST_D_JSON "\",\"pin_salt\":null,\"project\":\"" PROJ_D_JSON "\","
    "\"pubkey\":\"" PK_Z32 "\",\"recipient\":null,\"ttl\":0}";
static const char txt_d[] =
    "{\"blob\":\"" BLOB_B64 "\",\"created_at\":18446744073709551615,"
    "\"hostname\":\"" HOST_D_JSON "\",\"project\":\"" PROJ_D_JSON "\",\"pubkey\":\"" PK_Z32 "\","
    "\"signature\":\"sRNSZq9ZFfhDuZlxW6BZIm6StndcKyHJgULIYLIBQif487ursSRAITHgdX1+04d+AUTN+mfXQHK89muxnVrLAw==\","
    "\"ttl\":0}";

static uint8_t g_pk[32];

static void
seed_signer(struct signer *s)
{
	uint8_t seed[32];

	memset(seed, 0x2a, sizeof(seed));
	assert_int_equal(signer_from_seed(s, seed), 0);
	assert_memory_equal(s->pk, g_pk, 32);
}

/* Build fixture 'a'..'d' from its inputs (unsigned). */
static void
build(struct record *rec, char which)
{
	size_t i;

	memset(rec, 0, sizeof(*rec));
	rec->blob = malloc(48);
	assert_non_null(rec->blob);
	for (i = 0; i < 48; i++)
		rec->blob[i] = (uint8_t)i;
	rec->blob_len = 48;
	rec->created_at = 1700000000;
	rec->ttl = 86400;
	switch (which) {
	case 'b':
		rec->burn = 1;
		rec->has_pin_salt = 1;
		memset(rec->pin_salt, 0x11, 32);
		rec->ttl = 3600;
		break;
	case 'c':
		rec->recipient = strdup("pk:" RCPT_Z32);
		assert_non_null(rec->recipient);
		break;
	case 'd':
		rec->created_at = UINT64_MAX;
		rec->ttl = 0;
		rec->hostname = strdup(HOST_D);
		rec->project = strdup(PROJ_D);
		break;
	default:
		break;
	}
}

static void
check_fixture(char which, const char *signable, const char *txt, const char *sighex)
{
	struct record rec, back;
	struct signer s;
	struct buf_wr wr;
	uint8_t *sig;
	char *json;
	size_t len;

	memset(&s, 0, sizeof(s));
	seed_signer(&s);
	build(&rec, which);
	assert_int_equal(record_sign(&rec, &s), 0);
	assert_memory_equal(rec.pubkey, g_pk, 32);

	buf_wr_init(&wr, 8192);
	assert_int_equal(record_signable(&rec, &wr), 0);
	assert_int_equal(buf_wr_len(&wr), strlen(signable));
	assert_memory_equal(buf_wr_data(&wr), signable, strlen(signable));
	buf_wr_free(&wr);

	sig = th_unhex(sighex, &len);
	assert_int_equal(len, 64);
	assert_memory_equal(rec.signature, sig, 64);
	free(sig);

	assert_int_equal(record_encode(&rec, &json, &len), 0);
	assert_int_equal(len, strlen(txt));
	assert_string_equal(json, txt);
	free(json);

	/* Parse the hand-written TXT value: same fields, verifies, re-encodes. */
	assert_int_equal(record_parse(txt, strlen(txt), &back), 0);
	assert_int_equal(record_verify(&back, g_pk), 0);
	assert_int_equal(back.blob_len, rec.blob_len);
	assert_memory_equal(back.blob, rec.blob, rec.blob_len);
	assert_int_equal(back.burn, rec.burn);
	assert_true(back.created_at == rec.created_at);
	assert_true(back.ttl == rec.ttl);
	assert_int_equal(back.has_pin_salt, rec.has_pin_salt);
	assert_memory_equal(back.pin_salt, rec.pin_salt, 32);
	assert_string_equal(back.hostname == NULL ? "" : back.hostname,
	    rec.hostname == NULL ? "" : rec.hostname);
	assert_string_equal(back.project == NULL ? "" : back.project,
	    rec.project == NULL ? "" : rec.project);
	if (rec.recipient == NULL)
		assert_null(back.recipient);
	else
		assert_string_equal(back.recipient, rec.recipient);
	assert_int_equal(record_encode(&back, &json, &len), 0);
	assert_string_equal(json, txt);
	free(json);

	record_free(&back);
	record_free(&rec);
	record_free(&rec);   /* twice is fine */
	signer_cleanup(&s);
}

static void
test_fixture_self(void **state)
{
	(void)state;
	check_fixture('a', signable_a, txt_a, sig_a_hex);
}

static void
test_fixture_pin_burn(void **state)
{
	(void)state;
	check_fixture('b', signable_b, txt_b, sig_b_hex);
}

static void
test_fixture_share(void **state)
{
	uint8_t pk[32], want[32];
	struct record rec;

	(void)state;
	check_fixture('c', signable_c, txt_c, sig_c_hex);
	/* Both recipient spellings name the same key. */
	assert_int_equal(record_parse(txt_c, strlen(txt_c), &rec), 0);
	assert_int_equal(record_recipient_key(&rec, pk), 0);
	assert_int_equal(z32_decode(want, 32, RCPT_Z32, Z32_KEY_LEN), 0);
	assert_memory_equal(pk, want, 32);
	assert_int_equal(record_set_recipient(&rec, want), 0);
	assert_string_equal(rec.recipient, RCPT_Z32);
	assert_int_equal(record_recipient_key(&rec, pk), 0);
	assert_memory_equal(pk, want, 32);
	/* The signature covers the text: rewriting it breaks verification. */
	assert_int_equal(record_verify(&rec, g_pk), CCL_ERR_SIG_INVALID);
	free(rec.recipient);
	rec.recipient = strdup("not a key");
	assert_int_equal(record_recipient_key(&rec, pk), CCL_ERR_FORMAT);
	free(rec.recipient);
	rec.recipient = NULL;
	assert_int_equal(record_recipient_key(&rec, pk), CCL_ERR_NOT_FOUND);
	record_free(&rec);
}

static void
test_fixture_escapes(void **state)
{
	(void)state;
	check_fixture('d', signable_d, txt_d, sig_d_hex);
}

/* Parse a TXT value that must be accepted and still verify. */
static void
accept_verifies(const char *txt)
{
	struct record rec;
	int r = record_parse(txt, strlen(txt), &rec);

	if (r != 0)
		fail_msg("rejected (%d): %s", r, txt);
	assert_int_equal(record_verify(&rec, g_pk), 0);
	record_free(&rec);
}

static void
test_parse_accepts_variants(void **state)
{
	(void)state;
	/* Reversed key order. */
	accept_verifies("{\"ttl\":3600,\"signature\":\"8siq6sx+nNcRDg4AKXrl7LbIQeYvN8m1YdFLkclUak39M7C6oXn54wXAn3JtqmV1YICC+lTYHe8CHDj9os2LAw==\","
	    "\"pubkey\":\"" PK_Z32 "\",\"pin_salt\":\"" SALT_B64 "\",\"created_at\":1700000000,\"burn\":true,"
	    "\"blob\":\"" BLOB_B64 "\"}");
	/* Whitespace (space, tab, CR, LF) everywhere it may go. */
	accept_verifies(" \r\n\t{ \"blob\" :\t\"" BLOB_B64 "\" ,\n\"created_at\"\r:\n1700000000 , \"pubkey\": \"" PK_Z32 "\","
	    "\"signature\" : \"McRvXSh52KiiLNxIGt1Dhru1AiA7NpUFXNTK4lqBBRgIMlQllHWItg64GZrIrfpYV4dL8L+VScHtGNiuQQ19Bw==\" ,"
	    " \"ttl\" : 86400 } \n");
	/* Defaults written out, null options, unknown keys of every type. */
	accept_verifies("{\"blob\":\"" BLOB_B64 "\",\"burn\":false,\"created_at\":1700000000,\"hostname\":\"\","
	    "\"pin_salt\":null,\"project\":\"\",\"pubkey\":\"" PK_Z32 "\",\"recipient\":null,"
	    "\"signature\":\"McRvXSh52KiiLNxIGt1Dhru1AiA7NpUFXNTK4lqBBRgIMlQllHWItg64GZrIrfpYV4dL8L+VScHtGNiuQQ19Bw==\","
	    "\"ttl\":86400,\"v\":2,\"x\":[1,{\"a\":null},\"s\",-1.5e-3],\"Blob\":\"ignored\",\"blob \":true,"
	    "\"u\":null,\"u\":{},\"ttl2\":-0}");
	/* Escapes that decode to the same strings (the signable is rebuilt). */
	accept_verifies("{\"bl\\u006fb\":\"" BLOB_B64 "\",\"created_at\":1700000000,\"pubkey\":\"" PK_Z32 "\","
	    "\"recipient\":\"pk\\u003a" RCPT_Z32 "\","
	    "\"signature\":\"y55CiHANilduh7axGqNck0KCr1RnTWrP6DBpHzOQgybwTkd4Wo+HatuM2\\/+JUVeXdk3ZcK9hexAxuRWh\\/WR2CA==\","
	    "\"ttl\":86400}");
	accept_verifies("{\"blob\":\"" BLOB_B64 "\",\"created_at\":18446744073709551615,"
	    "\"hostname\":\"a\\\"b\\\\c\\/d\\u0001\\u0009\x7f\\u00e9\\ud83d\\ude00\",\"project\":\"\\/home\\/\\u00FC\\/x\\u000a\","
	    "\"pubkey\":\"" PK_Z32 "\","
	    "\"signature\":\"sRNSZq9ZFfhDuZlxW6BZIm6StndcKyHJgULIYLIBQif487ursSRAITHgdX1+04d+AUTN+mfXQHK89muxnVrLAw==\","
	    "\"ttl\":0}");
}

/* Replace the first occurrence of from in src by to. */
static char *
subst(const char *src, const char *from, const char *to)
{
	const char *p = strstr(src, from);
	size_t a, b, c;
	char *out;

	assert_non_null(p);
	a = (size_t)(p - src);
	b = strlen(to);
	c = strlen(p + strlen(from));
	out = malloc(a + b + c + 1);
	assert_non_null(out);
	memcpy(out, src, a);
	memcpy(out + a, to, b);
	memcpy(out + a + b, p + strlen(from), c + 1);
	return out;
}

static void
reject_txt(const char *txt, size_t len, int want)
{
	struct record rec;
	int r = record_parse(txt, len, &rec);

	if (r == 0)
		fail_msg("accepted: %.*s", (int)len, txt);
	if (want != 0 && r != want)
		fail_msg("got %d, want %d: %.*s", r, want, (int)len, txt);
	record_free(&rec);
}

/* txt_b with from → to must be rejected with want (0: any error). */
static void
reject_subst(const char *from, const char *to, int want)
{
	char *t = subst(txt_b, from, to);

	reject_txt(t, strlen(t), want);
	free(t);
}

static void
test_parse_rejects_duplicates(void **state)
{
	static const char *const dup[] = {
		",\"blob\":\"" BLOB_B64 "\"", ",\"burn\":true", ",\"created_at\":1700000000",
		",\"hostname\":\"\"", ",\"pin_salt\":null", ",\"project\":\"\"",
		",\"pubkey\":\"" PK_Z32 "\"", ",\"recipient\":null",
		",\"signature\":\"8siq6sx+nNcRDg4AKXrl7LbIQeYvN8m1YdFLkclUak39M7C6oXn54wXAn3JtqmV1YICC+lTYHe8CHDj9os2LAw==\"",
		",\"ttl\":3600", ",\"bl\\u006fb\":\"" BLOB_B64 "\"",
	};
	char buf[1024];
	size_t i;

	(void)state;
	/* txt_a has no hostname/project/recipient/pin_salt: add each twice. */
	for (i = 0; i < sizeof(dup) / sizeof(dup[0]); i++) {
		size_t l = strlen(txt_a) - 1;

		memcpy(buf, txt_a, l);
		snprintf(buf + l, sizeof(buf) - l, "%s%s}", dup[i], dup[i]);
		reject_txt(buf, strlen(buf), CCL_ERR_FORMAT);
	}
	/* The same known key twice, even once as null. */
	reject_subst("\"burn\":true", "\"pin_salt\":null,\"burn\":true", CCL_ERR_FORMAT);
}

static void
test_parse_rejects_null(void **state)
{
	(void)state;
	reject_subst("\"blob\":\"" BLOB_B64 "\"", "\"blob\":null", CCL_ERR_FORMAT);
	reject_subst("\"burn\":true", "\"burn\":null", CCL_ERR_FORMAT);
	reject_subst("\"created_at\":1700000000", "\"created_at\":null", CCL_ERR_FORMAT);
	reject_subst("\"burn\":true", "\"burn\":true,\"hostname\":null", CCL_ERR_FORMAT);
	reject_subst("\"burn\":true", "\"burn\":true,\"project\":null", CCL_ERR_FORMAT);
	reject_subst("\"pubkey\":\"" PK_Z32 "\"", "\"pubkey\":null", CCL_ERR_FORMAT);
	reject_subst("\"signature\":\"8siq", "\"signature\":null,\"x\":\"", CCL_ERR_FORMAT);
	reject_subst("\"ttl\":3600", "\"ttl\":null", CCL_ERR_FORMAT);
}

static void
test_parse_rejects_types(void **state)
{
	(void)state;
	reject_subst("\"blob\":\"" BLOB_B64 "\"", "\"blob\":[]", CCL_ERR_FORMAT);
	reject_subst("\"blob\":\"" BLOB_B64 "\"", "\"blob\":1", CCL_ERR_FORMAT);
	reject_subst("\"burn\":true", "\"burn\":1", CCL_ERR_FORMAT);
	reject_subst("\"burn\":true", "\"burn\":\"true\"", CCL_ERR_FORMAT);
	reject_subst("\"created_at\":1700000000", "\"created_at\":\"1700000000\"", CCL_ERR_FORMAT);
	reject_subst("\"created_at\":1700000000", "\"created_at\":true", CCL_ERR_FORMAT);
	reject_subst("\"burn\":true", "\"burn\":true,\"hostname\":1", CCL_ERR_FORMAT);
	reject_subst("\"burn\":true", "\"burn\":true,\"project\":{}", CCL_ERR_FORMAT);
	reject_subst("\"pin_salt\":\"" SALT_B64 "\"", "\"pin_salt\":false", CCL_ERR_FORMAT);
	reject_subst("\"pubkey\":\"" PK_Z32 "\"", "\"pubkey\":[\"" PK_Z32 "\"]", CCL_ERR_FORMAT);
	reject_subst("\"ttl\":3600", "\"ttl\":3600,\"recipient\":7", CCL_ERR_FORMAT);
	reject_subst("\"signature\":\"8siq", "\"signature\":{},\"x\":\"", CCL_ERR_FORMAT);
	reject_subst("\"ttl\":3600", "\"ttl\":[3600]", CCL_ERR_FORMAT);
}

static void
test_parse_rejects_missing(void **state)
{
	static const char *const req[] = {
		"\"blob\":\"" BLOB_B64 "\",", "\"created_at\":1700000000,", "\"pubkey\":\"" PK_Z32 "\",",
		"\"signature\":\"8siq6sx+nNcRDg4AKXrl7LbIQeYvN8m1YdFLkclUak39M7C6oXn54wXAn3JtqmV1YICC+lTYHe8CHDj9os2LAw==\",",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		reject_subst(req[i], "", CCL_ERR_FORMAT);
	reject_subst(",\"ttl\":3600", "", CCL_ERR_FORMAT);
}

static void
test_parse_rejects_numbers(void **state)
{
	static const char *const bad[] = {
		"-1", "-0", "1.0", "1e3", "1E3", "1e+3", "3600.0", "0.5", "18446744073709551616",
		"99999999999999999999999", "01", "00", "+1", ".5", "1.", "0x10", "Infinity", "NaN",
	};
	char to[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(to, sizeof(to), "\"ttl\":%s", bad[i]);
		reject_subst("\"ttl\":3600", to, 0);
		snprintf(to, sizeof(to), "\"created_at\":%s", bad[i]);
		reject_subst("\"created_at\":1700000000", to, 0);
	}
	/* The largest u64 and zero are fine (expiry handles them). */
	{
		struct record rec;
		char *t = subst(txt_b, "\"ttl\":3600", "\"ttl\":18446744073709551615");

		assert_int_equal(record_parse(t, strlen(t), &rec), 0);
		assert_true(rec.ttl == UINT64_MAX);
		assert_int_equal(record_verify(&rec, g_pk), CCL_ERR_SIG_INVALID);
		record_free(&rec);
		free(t);
		t = subst(txt_b, "\"created_at\":1700000000", "\"created_at\":0");
		assert_int_equal(record_parse(t, strlen(t), &rec), 0);
		assert_true(rec.created_at == 0);
		record_free(&rec);
		free(t);
	}
}

static void
test_parse_rejects_base64(void **state)
{
	(void)state;
	/* Blob: non-canonical trailing bits, missing padding, whitespace, URL alphabet. */
	reject_subst(BLOB_B64 "\"", "AAF=\",\"z\":\"", CCL_ERR_FORMAT);
	reject_subst(BLOB_B64 "\"", "AAE\",\"z\":\"", CCL_ERR_FORMAT);
	reject_subst("AAECAwQF", "AAEC AwQF", CCL_ERR_FORMAT);
	reject_subst("AAECAwQF", "AAEC\\nAwQF", CCL_ERR_FORMAT);
	reject_subst("AAECAwQF", "AA-_AwQF", CCL_ERR_FORMAT);
	/* Signature: bad character, wrong padding. */
	reject_subst("8siq6sx+", "8siq6sx-", CCL_ERR_FORMAT);
	reject_subst("os2LAw==", "os2LAw=", CCL_ERR_FORMAT);
	reject_subst("os2LAw==", "os2LAx==", CCL_ERR_FORMAT);
	/* Salt: bad padding, non-canonical trailing bits. */
	reject_subst("ERE=\"", "ERE\"", CCL_ERR_FORMAT);
	reject_subst("ERE=\"", "ERF=\"", CCL_ERR_FORMAT);
}

static void
test_parse_rejects_lengths(void **state)
{
	(void)state;
	/* Salt 31 and 33 bytes. */
	reject_subst(SALT_B64, "EREREREREREREREREREREREREREREREREREREREREQ==", CCL_ERR_FORMAT);
	reject_subst(SALT_B64, "ERERERERERERERERERERERERERERERERERERERERERER", CCL_ERR_FORMAT);
	/* Signature 63 and 65 bytes. */
	reject_subst("8siq6sx+nNcRDg4AKXrl7LbIQeYvN8m1YdFLkclUak39M7C6oXn54wXAn3JtqmV1YICC+lTYHe8CHDj9os2LAw==",
	    "8siq6sx+nNcRDg4AKXrl7LbIQeYvN8m1YdFLkclUak39M7C6oXn54wXAn3JtqmV1YICC+lTYHe8CHDj9os2L", CCL_ERR_FORMAT);
	reject_subst("8siq6sx+nNcRDg4AKXrl7LbIQeYvN8m1YdFLkclUak39M7C6oXn54wXAn3JtqmV1YICC+lTYHe8CHDj9os2LAw==",
	    "8siq6sx+nNcRDg4AKXrl7LbIQeYvN8m1YdFLkclUak39M7C6oXn54wXAn3JtqmV1YICC+lTYHe8CHDj9os2LAwA=", CCL_ERR_FORMAT);
	reject_subst("8siq6sx+nNcRDg4AKXrl7LbIQeYvN8m1YdFLkclUak39M7C6oXn54wXAn3JtqmV1YICC+lTYHe8CHDj9os2LAw==",
	    "", CCL_ERR_FORMAT);
}

static void
test_parse_rejects_z32(void **state)
{
	(void)state;
	reject_subst(PK_Z32, "DF9SSE9BP1NUFTIM3YHXIUK6W6R5HDDSSKJYGPYDUX7ESXJSTIOO", CCL_ERR_FORMAT);
	reject_subst(PK_Z32, "pk:" PK_Z32, CCL_ERR_FORMAT);
	reject_subst(PK_Z32, "df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstio", CCL_ERR_FORMAT);
	reject_subst(PK_Z32, PK_Z32 "y", CCL_ERR_FORMAT);
	reject_subst(PK_Z32, "df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstiol", CCL_ERR_FORMAT);
	/* Last character 'r' leaves non-zero padding bits. */
	reject_subst(PK_Z32, "df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstior", CCL_ERR_FORMAT);
	reject_subst(PK_Z32, "", CCL_ERR_FORMAT);
}

static void
test_parse_rejects_syntax(void **state)
{
	char big[RECORD_JSON_MAX + 2];
	size_t l = strlen(txt_b);
	char *t;

	(void)state;
	reject_txt("", 0, 0);
	reject_txt("null", 4, CCL_ERR_FORMAT);
	reject_txt("[]", 2, CCL_ERR_FORMAT);
	reject_txt("{}", 2, CCL_ERR_FORMAT);
	/* Trailing garbage, a second value, a BOM, VT as whitespace. */
	t = malloc(l + 8);
	assert_non_null(t);
	memcpy(t, txt_b, l);
	memcpy(t + l, "x", 2);
	reject_txt(t, l + 1, CCL_ERR_TRAILING);
	memcpy(t + l, "{}", 3);
	reject_txt(t, l + 2, CCL_ERR_TRAILING);
	memcpy(t + l, "\x0b", 2);
	reject_txt(t, l + 1, CCL_ERR_TRAILING);
	free(t);
	t = malloc(l + 4);
	assert_non_null(t);
	memcpy(t, "\xef\xbb\xbf", 3);
	memcpy(t + 3, txt_b, l);
	reject_txt(t, l + 3, CCL_ERR_FORMAT);
	free(t);
	/* Embedded NUL inside the length, raw control characters, bad escapes. */
	reject_txt(txt_b, l + 1, 0);
	reject_subst("\"burn\":true", "\"burn\":true,\"hostname\":\"a\x01\"", CCL_ERR_FORMAT);
	reject_subst("\"burn\":true", "\"burn\":true,\"hostname\":\"a\tb\"", CCL_ERR_FORMAT);
	reject_subst("\"burn\":true", "\"burn\":true,\"project\":\"\\q\"", CCL_ERR_FORMAT);
	reject_subst("\"burn\":true", "\"burn\":true,\"project\":\"\\ud800\"", CCL_ERR_FORMAT);
	reject_subst("\"burn\":true", "\"burn\":true,\"project\":\"\xc3\x28\"", CCL_ERR_FORMAT);
	reject_subst("\"burn\":true", "\"burn\":true,\"x\":\"\xff\"", CCL_ERR_FORMAT);
	/* A NUL in a string we keep (C strings cannot hold it). */
	reject_subst("\"burn\":true", "\"burn\":true,\"hostname\":\"a\\u0000b\"", CCL_ERR_FORMAT);
	/* Too large before any parsing; too deep. */
	memset(big, ' ', sizeof(big));
	memcpy(big, txt_b, l);
	reject_txt(big, RECORD_JSON_MAX + 1, CCL_ERR_TOO_LARGE);
	{
		char deep[1024];
		size_t o, i;

		o = (size_t)snprintf(deep, sizeof(deep), "%.*s,\"x\":", (int)(l - 1), txt_b);
		for (i = 0; i < 200; i++)
			deep[o++] = '[';
		deep[o] = '\0';
		reject_txt(deep, o, CCL_ERR_DEPTH);
	}
	/* Truncation at every length. */
	for (l = 0; l < strlen(txt_b); l++)
		reject_txt(txt_b, l, 0);
}

/* Tampering with any one field breaks verification. */
static void
test_verify_tamper(void **state)
{
	struct record rec;
	struct signer s;
	uint8_t other[32];
	int f;

	(void)state;
	memset(&s, 0, sizeof(s));
	seed_signer(&s);
	for (f = 0; f < 11; f++) {
		build(&rec, 'b');
		assert_int_equal(record_sign(&rec, &s), 0);
		assert_int_equal(record_verify(&rec, g_pk), 0);
		switch (f) {
		case 0: rec.blob[47] ^= 1; break;
		case 1: rec.burn = 0; break;
		case 2: rec.created_at++; break;
		case 3: rec.hostname = strdup("h"); break;
		case 4: rec.pin_salt[0] ^= 0x80; break;
		case 5: rec.has_pin_salt = 0; break;
		case 6: rec.project = strdup("/p"); break;
		case 7: rec.recipient = strdup(RCPT_Z32); break;
		case 8: rec.ttl = 86400; break;
		case 9: rec.signature[10] ^= 4; break;
		case 10: rec.blob_len--; break;
		}
		assert_int_equal(record_verify(&rec, g_pk), CCL_ERR_SIG_INVALID);
		record_free(&rec);
	}
	/* pubkey: names another key than the packet's → mismatch, whatever the packet key. */
	build(&rec, 'b');
	assert_int_equal(record_sign(&rec, &s), 0);
	memcpy(other, g_pk, 32);
	other[0] ^= 1;
	memcpy(rec.pubkey, other, 32);
	assert_int_equal(record_verify(&rec, g_pk), CCL_ERR_KEY_MISMATCH);
	/* Resolved under that other key: the signature is not that key's. */
	assert_int_equal(record_verify(&rec, other), CCL_ERR_SIG_INVALID);
	/* A good record resolved under a different key. */
	memcpy(rec.pubkey, g_pk, 32);
	assert_int_equal(record_verify(&rec, other), CCL_ERR_KEY_MISMATCH);
	assert_int_equal(record_verify(&rec, g_pk), 0);
	record_free(&rec);
	signer_cleanup(&s);
}

static int
parses_and_verifies(const uint8_t *p, size_t n)
{
	struct record rec;
	int r;

	if ((r = record_parse((const char *)p, n, &rec)) == 0)
		r = record_verify(&rec, g_pk);
	record_free(&rec);
	return r == 0;
}

/*
 * OpenSSH-style mutation loop over a valid TXT value (fixture b uses every
 * field). No bit flip or byte change may yield a record that verifies: a
 * change inside a token changes a signed value (or breaks the syntax or an
 * encoding), and a change of a structural byte breaks the syntax — a single
 * byte cannot turn into whitespace-equivalent JSON because compact JSON has
 * no whitespace to alter. Inserting whitespace, on the other hand, is the
 * one mutation that must keep verifying when it falls between tokens, and
 * must not when it falls inside a string.
 */
static void
test_mutation_loop(void **state)
{
	static const uint8_t subs[] = { 0, ' ', '"', '\\', '{', '}', ',', ':', '0', '9', 'A', 'z', 0x7f, 0x80, 0xff };
	size_t n = strlen(txt_b), i, k;
	uint8_t *m = malloc(n + 1);
	int b, in_str = 0, verified = 0;

	(void)state;
	assert_non_null(m);
	assert_true(parses_and_verifies((const uint8_t *)txt_b, n));
	for (i = 0; i < n; i++) {
		for (b = 0; b < 8; b++) {
			memcpy(m, txt_b, n);
			m[i] ^= (uint8_t)(1u << b);
			if (parses_and_verifies(m, n))
				fail_msg("bit flip %zu/%d verifies", i, b);
		}
		for (k = 0; k < sizeof(subs); k++) {
			if ((uint8_t)txt_b[i] == subs[k])
				continue;
			memcpy(m, txt_b, n);
			m[i] = subs[k];
			if (parses_and_verifies(m, n))
				fail_msg("byte %zu → %02x verifies", i, subs[k]);
		}
		/* Deleting a byte. */
		memcpy(m, txt_b, i);
		memcpy(m + i, txt_b + i + 1, n - i - 1);
		if (parses_and_verifies(m, n - 1))
			fail_msg("deleting byte %zu verifies", i);
	}
	/*
	 * Whitespace insertion before position i (txt_b holds no escapes):
	 * harmless between tokens, fatal inside a string, a number or a literal.
	 */
	for (i = 0; i <= n; i++) {
		int ok, in_word;

		in_word = i > 0 && i < n && isalnum((unsigned char)txt_b[i - 1]) &&
		    isalnum((unsigned char)txt_b[i]);
		memcpy(m, txt_b, i);
		m[i] = ' ';
		memcpy(m + i + 1, txt_b + i, n - i);
		ok = parses_and_verifies(m, n + 1);
		if (in_str || in_word)
			assert_false(ok);
		else {
			assert_true(ok);
			verified++;
		}
		if (i < n && txt_b[i] == '"')
			in_str = !in_str;
	}
	/* 7 members × 4 gaps + before and after the object. */
	assert_int_equal(verified, 7 * 4 + 2);
	free(m);
}

static void
test_expiry(void **state)
{
	struct record rec;

	(void)state;
	memset(&rec, 0, sizeof(rec));
	rec.created_at = 100;
	rec.ttl = 50;
	assert_true(record_expires_at(&rec) == 150);
	assert_false(record_expired(&rec, 0));
	assert_false(record_expired(&rec, 149));
	assert_true(record_expired(&rec, 150));
	assert_true(record_expired(&rec, 151));
	assert_true(record_time_left(&rec, 100) == 50);
	assert_true(record_time_left(&rec, 149) == 1);
	assert_true(record_time_left(&rec, 150) == 0);
	assert_true(record_time_left(&rec, UINT64_MAX) == 0);
	/* ttl 0: dead at once. */
	rec.ttl = 0;
	assert_true(record_expired(&rec, 100));
	/* Overflow saturates (as 1.3's saturating_add). */
	rec.created_at = UINT64_MAX - 10;
	rec.ttl = 100;
	assert_true(record_expires_at(&rec) == UINT64_MAX);
	assert_false(record_expired(&rec, UINT64_MAX - 1));
	assert_true(record_expired(&rec, UINT64_MAX));
	assert_true(record_time_left(&rec, UINT64_MAX - 1) == 1);
	rec.created_at = UINT64_MAX;
	rec.ttl = UINT64_MAX;
	assert_true(record_expires_at(&rec) == UINT64_MAX);
}

static void
test_dns_budget(void **state)
{
	uint8_t *value, *dns;
	size_t vlen, dlen;

	(void)state;
	/* rdata = len + ceil(len/254); the name and fixed fields are 72. */
	assert_int_equal(record_dns_rr_len(0), 72 + 1);
	assert_int_equal(record_dns_rr_len(1), 72 + 2);
	assert_int_equal(record_dns_rr_len(254), 72 + 255);
	assert_int_equal(record_dns_rr_len(255), 72 + 257);
	assert_int_equal(record_dns_rr_len(508), 72 + 510);
	assert_int_equal(record_dns_rr_len(509), 72 + 512);
	/* The worked example of doc/protocol.md §4.3: 600-byte value, 687-byte DNS. */
	value = th_read_file("tests/vectors/cclink600.value", &vlen);
	dns = th_read_file("tests/vectors/cclink600.dns.bin", &dlen);
	assert_int_equal(vlen, 600);
	assert_int_equal(RECORD_DNS_HEADER + record_dns_rr_len(vlen), dlen);
	free(value);
	free(dns);
	/* Alone: 908 bytes fit (84 + 908 + 4 = 996), 909 do not. */
	assert_true(record_fits(908, 0));
	assert_false(record_fits(909, 0));
	assert_int_equal(record_max_value_len(0), 908);
	/* Next to a 90-byte `_cclink-key` record: 818 + 4 = 822 = 996 - 84 - 90. */
	assert_true(record_fits(818, 90));
	assert_false(record_fits(819, 90));
	assert_int_equal(record_max_value_len(90), 818);
	/* At a chunk boundary: 762 + 3 = 765 fits in 996 - 84 - 147 = 765. */
	assert_int_equal(record_max_value_len(147), 762);
	assert_true(record_fits(762, 147));
	assert_false(record_fits(763, 147));
	/* Nothing fits; no overflow on absurd sizes. */
	assert_int_equal(record_max_value_len(996), 0);
	assert_int_equal(record_max_value_len(SIZE_MAX), 0);
	assert_false(record_fits(SIZE_MAX, 0));
	assert_false(record_fits(10, SIZE_MAX));
	assert_true(record_dns_rr_len(SIZE_MAX) == SIZE_MAX);
	/* The real fixtures fit comfortably. */
	assert_true(record_fits(strlen(txt_b), 0));
}

static void
test_encode_rejects_bad_utf8(void **state)
{
	struct record rec;
	char *json;
	size_t len;

	(void)state;
	build(&rec, 'a');
	rec.project = strdup("/home/\xff");
	assert_int_equal(record_encode(&rec, &json, &len), CCL_ERR_INVALID_ARG);
	assert_null(json);
	record_free(&rec);
}

static void
test_payload_encode(void **state)
{
	const struct record_kv extra[] = { { "v", "2" }, { "t", "a\"b" } };
	const struct record_kv badx[] = { { "s", "x" } };
	uint8_t *out;
	size_t len;

	(void)state;
	assert_int_equal(record_payload_encode("macbook", "/Users/j/my app", "3c0a3f7a-1234-5678-abcd-ef1234567890",
	    NULL, 0, &out, &len), 0);
	assert_string_equal((char *)out,
	    "{\"h\":\"macbook\",\"p\":\"/Users/j/my app\",\"s\":\"3c0a3f7a-1234-5678-abcd-ef1234567890\"}");
	assert_int_equal(len, strlen((char *)out));
	free(out);
	assert_int_equal(record_payload_encode("", "/p\\q", "id", extra, 2, &out, &len), 0);
	assert_string_equal((char *)out, "{\"h\":\"\",\"p\":\"/p\\\\q\",\"s\":\"id\",\"v\":\"2\",\"t\":\"a\\\"b\"}");
	free(out);
	assert_int_equal(record_payload_encode("h", "p", "s", badx, 1, &out, &len), CCL_ERR_INVALID_ARG);
	assert_null(out);
	assert_int_equal(record_payload_encode("h", "/\xc3", "s", NULL, 0, &out, &len), CCL_ERR_INVALID_ARG);
	assert_int_equal(record_payload_encode(NULL, "p", "s", NULL, 0, &out, &len), CCL_ERR_INVALID_ARG);
}

static int
payload_parse_str(const char *s, struct record_payload *pl)
{
	return record_payload_parse((const uint8_t *)s, strlen(s), pl);
}

static void
test_payload_parse(void **state)
{
	static const char *const bad[] = {
		"{\"h\":\"a\",\"p\":\"b\"}", "{\"h\":\"a\",\"s\":\"c\"}", "{\"p\":\"b\",\"s\":\"c\"}",
		"{\"h\":1,\"p\":\"b\",\"s\":\"c\"}", "{\"h\":\"a\",\"p\":null,\"s\":\"c\"}",
		"{\"h\":\"a\",\"p\":\"b\",\"s\":[]}", "{\"h\":\"a\",\"p\":\"b\",\"s\":\"c\",\"s\":\"d\"}",
		"{\"h\":\"a\",\"h\":\"a\",\"p\":\"b\",\"s\":\"c\"}", "[\"a\",\"b\",\"c\"]",
		"{\"h\":\"a\",\"p\":\"b\",\"s\":\"c\"} x", "3c0a3f7a-1234", "",
		"{\"h\":\"a\",\"p\":\"b\\u0000\",\"s\":\"c\"}",
		/* Session ids that must never reach `claude --resume`. */
		"{\"h\":\"a\",\"p\":\"b\",\"s\":\"\"}", "{\"h\":\"a\",\"p\":\"b\",\"s\":\"-rf\"}",
		"{\"h\":\"a\",\"p\":\"b\",\"s\":\"--dangerously-skip-permissions\"}",
		"{\"h\":\"a\",\"p\":\"b\",\"s\":\"a\\nb\"}", "{\"h\":\"a\",\"p\":\"b\",\"s\":\"a\\u001bb\"}",
		"{\"h\":\"a\",\"p\":\"b\",\"s\":\"a\x7f\"}", "{\"h\":\"a\",\"p\":\"b\",\"s\":\"a\\u009b\"}",
		"{\"h\":\"a\",\"p\":\"b\",\"s\":\"../../x\"}",
	};
	struct record_payload pl;
	char big[RECORD_PAYLOAD_MAX + 2];
	size_t i;

	(void)state;
	assert_int_equal(payload_parse_str(" {\"s\":\"3c0a3f7a-1234\",\"x\":{\"y\":[1]},\"p\":\"\\/home\\/u\",\"h\":\"m\\u00e9\"} ",
	    &pl), 0);
	assert_string_equal(pl.h, "m\xc3\xa9");
	assert_string_equal(pl.p, "/home/u");
	assert_string_equal(pl.s, "3c0a3f7a-1234");
	record_payload_free(&pl);
	record_payload_free(&pl);
	/* A session name with spaces and non-ASCII is fine. */
	assert_int_equal(payload_parse_str("{\"h\":\"\",\"p\":\"\",\"s\":\"my s\xc3\xa9ssion-1\"}", &pl), 0);
	record_payload_free(&pl);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (payload_parse_str(bad[i], &pl) == 0)
			fail_msg("accepted %s", bad[i]);
		record_payload_free(&pl);
	}
	memset(big, ' ', sizeof(big));
	memcpy(big, "{\"h\":\"a\",\"p\":\"b\",\"s\":\"c\"}", 25);
	assert_int_equal(record_payload_parse((uint8_t *)big, RECORD_PAYLOAD_MAX + 1, &pl), CCL_ERR_TOO_LARGE);
	assert_int_equal(record_payload_parse((uint8_t *)big, RECORD_PAYLOAD_MAX, &pl), 0);
	record_payload_free(&pl);
}

static void
test_payload_roundtrip(void **state)
{
	struct record_payload pl;
	uint8_t *out;
	size_t len;

	(void)state;
	assert_int_equal(record_payload_encode("h\tq", "/x/\xc3\xbc\"y\\", "abc", NULL, 0, &out, &len), 0);
	assert_int_equal(record_payload_parse(out, len, &pl), 0);
	assert_string_equal(pl.h, "h\tq");
	assert_string_equal(pl.p, "/x/\xc3\xbc\"y\\");
	assert_string_equal(pl.s, "abc");
	record_payload_free(&pl);
	free(out);
}

static void
test_session_id_ok(void **state)
{
	(void)state;
	assert_true(record_session_id_ok("3c0a3f7a-1234-5678-abcd-ef1234567890"));
	assert_true(record_session_id_ok("a-b c.d"));
	assert_false(record_session_id_ok(NULL));
	assert_false(record_session_id_ok(""));
	assert_false(record_session_id_ok("-"));
	assert_false(record_session_id_ok("-x"));
	assert_false(record_session_id_ok("x\r"));
	assert_false(record_session_id_ok("x\x7fy"));
	assert_false(record_session_id_ok("x\xc2\x80"));
	assert_false(record_session_id_ok("x/y"));
	assert_true(record_session_id_ok("x\xc2\xa0y"));
}

static int
setup(void **state)
{
	size_t n;
	uint8_t *pk = th_unhex(PK_HEX, &n);

	(void)state;
	memcpy(g_pk, pk, 32);
	free(pk);
	return sodium_init() < 0 ? -1 : 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_self),
		cmocka_unit_test(test_fixture_pin_burn),
		cmocka_unit_test(test_fixture_share),
		cmocka_unit_test(test_fixture_escapes),
		cmocka_unit_test(test_parse_accepts_variants),
		cmocka_unit_test(test_parse_rejects_duplicates),
		cmocka_unit_test(test_parse_rejects_null),
		cmocka_unit_test(test_parse_rejects_types),
		cmocka_unit_test(test_parse_rejects_missing),
		cmocka_unit_test(test_parse_rejects_numbers),
		cmocka_unit_test(test_parse_rejects_base64),
		cmocka_unit_test(test_parse_rejects_lengths),
		cmocka_unit_test(test_parse_rejects_z32),
		cmocka_unit_test(test_parse_rejects_syntax),
		cmocka_unit_test(test_verify_tamper),
		cmocka_unit_test(test_mutation_loop),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_dns_budget),
		cmocka_unit_test(test_encode_rejects_bad_utf8),
		cmocka_unit_test(test_payload_encode),
		cmocka_unit_test(test_payload_parse),
		cmocka_unit_test(test_payload_roundtrip),
		cmocka_unit_test(test_session_id_ok),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
