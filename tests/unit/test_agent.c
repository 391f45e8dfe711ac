/* SPDX-License-Identifier: MIT */
/*
 * test_agent.c — the ssh-agent reply parsers (agent_msg.c), the derivation
 * framing (agent_derive.c), the `_cclink-key` record (keyrec.c) and the
 * agent identity record (identity_agent_parse), with malformed input and
 * OpenSSH-style mutation loops (every mutant must fail cleanly or parse).
 */
#include "testutil.h"

#include <sodium.h>

#include "agent.h"
#include "agent_derive.h"
#include "buf.h"
#include "identity_agent.h"
#include "keyrec.h"

/* An SSH string */
static void
put_str(struct buf_wr *w, const void *p, size_t n)
{
	assert_int_equal(buf_put_u32be(w, (uint32_t)n), 0);
	assert_int_equal(buf_put(w, p, n), 0);
}

static void
pk_fixed(uint8_t pk[32])
{
	size_t i;

	for (i = 0; i < 32; i++)
		pk[i] = (uint8_t)i;
}

/* IDENTITIES_ANSWER with the fixed ed25519 key, an ecdsa-like blob, an sk key. */
static void
build_answer(struct buf_wr *w)
{
	uint8_t pk[32], blob[AGENT_ED25519_BLOB_LEN];
	struct buf_wr k;

	pk_fixed(pk);
	agent_ed25519_blob(blob, pk);
	assert_int_equal(buf_put_u8(w, AGENT_IDENTITIES_ANSWER), 0);
	assert_int_equal(buf_put_u32be(w, 3), 0);
	put_str(w, blob, sizeof(blob));
	put_str(w, "v", 1);
	buf_wr_init(&k, 1024);
	put_str(&k, "ecdsa-sha2-nistp256", 19);
	put_str(&k, "nistp256", 8);
	put_str(&k, "\x04xxxxxxxx", 9);
	put_str(w, buf_wr_data(&k), buf_wr_len(&k));
	put_str(w, "ec\0key", 6);
	buf_wr_reset(&k);
	put_str(&k, "sk-ssh-ed25519@openssh.com", 26);
	put_str(&k, pk, 32);
	put_str(&k, "ssh:", 4);
	put_str(w, buf_wr_data(&k), buf_wr_len(&k));
	put_str(w, "fido", 4);
	buf_wr_free(&k);
}

static void
test_identities_ok(void **state)
{
	struct buf_wr w;
	struct agent_keylist l;
	uint8_t pk[32];
	size_t idx;

	(void)state;
	pk_fixed(pk);
	buf_wr_init(&w, 4096);
	build_answer(&w);
	assert_int_equal(agent_parse_identities(buf_wr_data(&w), buf_wr_len(&w), &l), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.keys[0].type, AGENT_KEY_ED25519);
	assert_memory_equal(l.keys[0].pk, pk, 32);
	/* ssh-keygen -lf of this key prints this fingerprint. */
	assert_string_equal(l.keys[0].fp, "SHA256:ZkAslGjFiUHdGf/WUL8rQvkib4PTvQatUV0OUQSncCA");
	assert_string_equal(l.keys[0].comment, "v");
	assert_int_equal(l.keys[1].type, AGENT_KEY_ECDSA);
	assert_string_equal(l.keys[1].type_name, "ecdsa-sha2-nistp256");
	assert_string_equal(l.keys[1].comment, "ec?key");  /* a NUL cannot cut it short */
	assert_int_equal(l.keys[2].type, AGENT_KEY_SK_ED25519);
	/* Selection */
	assert_int_equal(agent_find(&l, NULL, &idx), 0);
	assert_int_equal(idx, 0);
	assert_int_equal(agent_find(&l, "v", &idx), 0);
	assert_int_equal(agent_find(&l, l.keys[0].fp, &idx), 0);
	assert_int_equal(agent_find(&l, "fido", &idx), CCL_ERR_UNSUPPORTED);
	assert_int_equal(idx, 2);
	assert_int_equal(agent_find(&l, l.keys[1].fp, &idx), CCL_ERR_UNSUPPORTED);
	assert_int_equal(agent_find(&l, "nobody", &idx), CCL_ERR_NOT_FOUND);
	assert_int_equal(agent_find(&l, "SHA256:nope", &idx), CCL_ERR_NOT_FOUND);
	agent_keylist_free(&l);
	agent_keylist_free(&l);
	buf_wr_free(&w);
}

static void
test_identities_malformed(void **state)
{
	static const uint8_t empty_ok[] = { 12, 0, 0, 0, 0 };
	static const uint8_t failure[] = { 5 };
	static const uint8_t failure30[] = { 30 };
	static const uint8_t failure102[] = { 102 };
	static const uint8_t failure_junk[] = { 5, 1 };
	static const uint8_t wrong_type[] = { 14, 0, 0, 0, 0 };
	static const uint8_t big_count[] = { 12, 0x7f, 0xff, 0xff, 0xff };
	static const uint8_t over_cap[] = { 12, 0, 0, 0x04, 0x01 };   /* 1025 keys */
	static const uint8_t count_no_keys[] = { 12, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t huge_blob[] = { 12, 0, 0, 0, 1, 0x40, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t trunc_count[] = { 12, 0, 0 };
	static const uint8_t blob_no_type[] = { 12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0 };
	struct agent_keylist l;
	struct buf_wr w;
	uint8_t pk[32], blob[AGENT_ED25519_BLOB_LEN];

	(void)state;
	assert_int_equal(agent_parse_identities(empty_ok, sizeof(empty_ok), &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(agent_parse_identities(NULL, 0, &l), CCL_ERR_TRUNCATED);
	assert_int_equal(agent_parse_identities(failure, 1, &l), CCL_ERR_AGENT);
	assert_int_equal(agent_parse_identities(failure30, 1, &l), CCL_ERR_AGENT);
	assert_int_equal(agent_parse_identities(failure102, 1, &l), CCL_ERR_AGENT);
	assert_int_equal(agent_parse_identities(failure_junk, 2, &l), CCL_ERR_FORMAT);
	assert_int_equal(agent_parse_identities(wrong_type, sizeof(wrong_type), &l), CCL_ERR_FORMAT);
	assert_int_equal(agent_parse_identities(big_count, sizeof(big_count), &l), CCL_ERR_TOO_LARGE);
	assert_int_equal(agent_parse_identities(over_cap, sizeof(over_cap), &l), CCL_ERR_TOO_LARGE);
	assert_int_equal(agent_parse_identities(count_no_keys, sizeof(count_no_keys), &l),
	    CCL_ERR_TRUNCATED);
	assert_int_equal(agent_parse_identities(huge_blob, sizeof(huge_blob), &l), CCL_ERR_TOO_LARGE);
	assert_int_equal(agent_parse_identities(trunc_count, sizeof(trunc_count), &l),
	    CCL_ERR_TRUNCATED);
	assert_int_equal(agent_parse_identities(blob_no_type, sizeof(blob_no_type), &l),
	    CCL_ERR_TRUNCATED);
	assert_null(l.keys);
	assert_int_equal(l.n, 0);

	/* Trailing bytes after the last key; a comment over the cap; an ed25519 blob with 31 bytes. */
	pk_fixed(pk);
	agent_ed25519_blob(blob, pk);
	buf_wr_init(&w, 8192);
	assert_int_equal(buf_put_u8(&w, 12), 0);
	assert_int_equal(buf_put_u32be(&w, 1), 0);
	put_str(&w, blob, sizeof(blob));
	put_str(&w, "c", 1);
	assert_int_equal(buf_put_u8(&w, 0), 0);
	assert_int_equal(agent_parse_identities(buf_wr_data(&w), buf_wr_len(&w), &l), CCL_ERR_TRAILING);
	buf_wr_reset(&w);
	assert_int_equal(buf_put_u8(&w, 12), 0);
	assert_int_equal(buf_put_u32be(&w, 1), 0);
	put_str(&w, blob, sizeof(blob));
	{
		char big[AGENT_MAX_COMMENT_LEN + 1];

		memset(big, 'a', sizeof(big));
		put_str(&w, big, sizeof(big));
	}
	assert_int_equal(agent_parse_identities(buf_wr_data(&w), buf_wr_len(&w), &l), CCL_ERR_TOO_LARGE);
	buf_wr_reset(&w);
	assert_int_equal(buf_put_u8(&w, 12), 0);
	assert_int_equal(buf_put_u32be(&w, 1), 0);
	blob[18] = 31;
	put_str(&w, blob, sizeof(blob) - 1);
	put_str(&w, "c", 1);
	assert_int_not_equal(agent_parse_identities(buf_wr_data(&w), buf_wr_len(&w), &l), 0);
	/* An unknown key type with a 100-character name: listed as unusable, not fatal. */
	buf_wr_reset(&w);
	assert_int_equal(buf_put_u8(&w, 12), 0);
	assert_int_equal(buf_put_u32be(&w, 1), 0);
	{
		char name[100];
		struct buf_wr k;

		memset(name, 'x', sizeof(name));
		buf_wr_init(&k, 512);
		put_str(&k, name, sizeof(name));
		put_str(&k, "data", 4);
		put_str(&w, buf_wr_data(&k), buf_wr_len(&k));
		buf_wr_free(&k);
	}
	put_str(&w, "odd", 3);
	assert_int_equal(agent_parse_identities(buf_wr_data(&w), buf_wr_len(&w), &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.keys[0].type, AGENT_KEY_OTHER);
	assert_int_equal(strlen(l.keys[0].type_name), AGENT_MAX_TYPE_LEN);
	agent_keylist_free(&l);
	buf_wr_free(&w);
}

static void
build_sign(struct buf_wr *w, const char *type, size_t siglen, int trailing)
{
	struct buf_wr s;
	uint8_t sig[80];

	memset(sig, 0xab, sizeof(sig));
	buf_wr_init(&s, 256);
	put_str(&s, type, strlen(type));
	put_str(&s, sig, siglen);
	if (trailing)
		assert_int_equal(buf_put_u8(&s, 1), 0);
	assert_int_equal(buf_put_u8(w, AGENT_SIGN_RESPONSE), 0);
	put_str(w, buf_wr_data(&s), buf_wr_len(&s));
	buf_wr_free(&s);
}

static void
test_sign_reply(void **state)
{
	static const uint8_t failure[] = { 5 };
	static const uint8_t short_str[] = { 14, 0, 0, 0, 83, 0 };
	struct buf_wr w;
	uint8_t sig[64], want[64];

	(void)state;
	memset(want, 0xab, 64);
	buf_wr_init(&w, 1024);
	build_sign(&w, "ssh-ed25519", 64, 0);
	assert_int_equal(buf_wr_len(&w), 1 + 4 + AGENT_SIG_BLOB_LEN);
	assert_int_equal(agent_parse_sign(buf_wr_data(&w), buf_wr_len(&w), sig), 0);
	assert_memory_equal(sig, want, 64);
	/* trailing byte after the whole reply */
	assert_int_equal(buf_put_u8(&w, 0), 0);
	assert_int_equal(agent_parse_sign(buf_wr_data(&w), buf_wr_len(&w), sig), CCL_ERR_TRAILING);
	buf_wr_reset(&w);
	build_sign(&w, "ssh-ed25519", 63, 0);
	assert_int_equal(agent_parse_sign(buf_wr_data(&w), buf_wr_len(&w), sig), CCL_ERR_FORMAT);
	buf_wr_reset(&w);
	build_sign(&w, "ssh-ed25519", 65, 0);
	assert_int_equal(agent_parse_sign(buf_wr_data(&w), buf_wr_len(&w), sig), CCL_ERR_TOO_LARGE);
	buf_wr_reset(&w);
	build_sign(&w, "ssh-ed25519", 64, 1);
	assert_int_equal(agent_parse_sign(buf_wr_data(&w), buf_wr_len(&w), sig), CCL_ERR_TRAILING);
	buf_wr_reset(&w);
	build_sign(&w, "rsa-sha2-512", 64, 0);
	assert_int_equal(agent_parse_sign(buf_wr_data(&w), buf_wr_len(&w), sig), CCL_ERR_UNSUPPORTED);
	buf_wr_reset(&w);
	build_sign(&w, "sk-ssh-ed25519@openssh.com", 64, 1);
	assert_int_equal(agent_parse_sign(buf_wr_data(&w), buf_wr_len(&w), sig), CCL_ERR_UNSUPPORTED);
	assert_int_equal(agent_parse_sign(failure, 1, sig), CCL_ERR_AGENT);
	assert_int_equal(agent_parse_sign(short_str, sizeof(short_str), sig), CCL_ERR_TRUNCATED);
	{
		uint8_t zero[64] = { 0 };

		assert_memory_equal(sig, zero, 64);
	}
	buf_wr_free(&w);
}

static void
test_sign_request(void **state)
{
	struct buf_wr w;
	uint8_t pk[32], blob[AGENT_ED25519_BLOB_LEN];
	const uint8_t *p;

	(void)state;
	pk_fixed(pk);
	agent_ed25519_blob(blob, pk);
	buf_wr_init(&w, 1024);
	assert_int_equal(agent_build_sign_request(&w, blob, sizeof(blob), (const uint8_t *)"hi", 2), 0);
	p = buf_wr_data(&w);
	assert_int_equal(buf_wr_len(&w), 1 + 4 + 51 + 4 + 2 + 4);
	assert_int_equal(p[0], AGENTC_SIGN_REQUEST);
	assert_int_equal(p[4], 51);
	assert_memory_equal(p + 5, blob, 51);
	assert_memory_equal(p + 56, "\0\0\0\2hi\0\0\0\0", 10);  /* flags 0 */
	buf_wr_free(&w);
}

static void
test_ed25519_blob(void **state)
{
	uint8_t pk[32], got[32], blob[AGENT_ED25519_BLOB_LEN + 1];

	(void)state;
	pk_fixed(pk);
	agent_ed25519_blob(blob, pk);
	assert_int_equal(agent_parse_ed25519_blob(blob, AGENT_ED25519_BLOB_LEN, got), 0);
	assert_memory_equal(got, pk, 32);
	blob[AGENT_ED25519_BLOB_LEN] = 0;
	assert_int_equal(agent_parse_ed25519_blob(blob, AGENT_ED25519_BLOB_LEN + 1, got), CCL_ERR_TRAILING);
	assert_int_equal(agent_parse_ed25519_blob(blob, 50, got), CCL_ERR_TRUNCATED);
	blob[4] = 'S';
	assert_int_equal(agent_parse_ed25519_blob(blob, AGENT_ED25519_BLOB_LEN, got), CCL_ERR_UNSUPPORTED);
	assert_int_equal(agent_key_type_of("ssh-ed25519-cert-v01@openssh.com", 32), AGENT_KEY_CERT);
	assert_int_equal(agent_key_type_of("sk-ecdsa-sha2-nistp256@openssh.com", 34), AGENT_KEY_SK_ECDSA);
	assert_int_equal(agent_key_type_of("ssh-rsa", 7), AGENT_KEY_RSA);
	assert_int_equal(agent_key_type_of("ssh-ed2551", 10), AGENT_KEY_OTHER);
}

/* Every 1-bit flip and every truncation of a valid reply: parse or fail, never crash. */
static void
test_mutations(void **state)
{
	struct buf_wr w, s;
	struct agent_keylist l;
	uint8_t *m, sig[64];
	size_t n, i, b;
	int r;

	(void)state;
	buf_wr_init(&w, 4096);
	build_answer(&w);
	n = buf_wr_len(&w);
	m = malloc(n);
	assert_non_null(m);
	for (i = 0; i < n; i++) {
		for (b = 0; b < 8; b++) {
			memcpy(m, buf_wr_data(&w), n);
			m[i] ^= (uint8_t)(1u << b);
			r = agent_parse_identities(m, n, &l);
			if (r == 0)
				agent_keylist_free(&l);
			else
				assert_null(l.keys);
		}
		r = agent_parse_identities(buf_wr_data(&w), i, &l);
		assert_int_not_equal(r, 0);
		r = agent_parse_identities(buf_wr_data(&w) + i, n - i, &l);
		if (r == 0)
			agent_keylist_free(&l);
	}
	free(m);
	buf_wr_init(&s, 256);
	build_sign(&s, "ssh-ed25519", 64, 0);
	n = buf_wr_len(&s);
	for (i = 0; i < n; i++) {
		assert_int_not_equal(agent_parse_sign(buf_wr_data(&s), i, sig), 0);
		m = malloc(n);
		assert_non_null(m);
		for (b = 0; b < 8; b++) {
			memcpy(m, buf_wr_data(&s), n);
			m[i] ^= (uint8_t)(1u << b);
			r = agent_parse_sign(m, n, sig);
			assert_true(r == 0 || r < 0);
		}
		free(m);
	}
	buf_wr_free(&s);
	buf_wr_free(&w);
}

static void
test_derive_framing(void **state)
{
	uint8_t pk[32], m[AGENT_DERIVE_MSG_LEN], tbs[AGENT_DERIVE_TBS_LEN], h[64];
	uint8_t sig[64], x1[32], x2[32];

	(void)state;
	pk_fixed(pk);
	agent_derive_message(m, pk, 7);
	assert_int_equal(sizeof(m), 35 + 51 + 4);
	assert_memory_equal(m, "cclink agent-derived X25519 key v1\0", 35);
	assert_memory_equal(m + 35 + 19, pk, 32);
	assert_memory_equal(m + 35 + 51, "\0\0\0\7", 4);
	agent_derive_tbs(tbs, pk, 7);
	/* PROTOCOL.sshsig: MAGIC ‖ string ns ‖ string reserved ‖ string hash ‖ string H(m) */
	assert_memory_equal(tbs, "SSHSIG\0\0\0\x17" "cclink-x25519-v1@cclink" "\0\0\0\0" "\0\0\0\6sha512"
	    "\0\0\0\x40", 6 + 4 + 23 + 4 + 10 + 4);
	crypto_hash_sha512(h, m, sizeof(m));
	assert_memory_equal(tbs + AGENT_DERIVE_TBS_LEN - 64, h, 64);
	/* Epoch and key are bound: another epoch, another key. */
	memset(sig, 0x42, 64);
	assert_int_equal(agent_derive_key(x1, sig, pk, 0), 0);
	assert_int_equal(agent_derive_key(x2, sig, pk, 1), 0);
	assert_memory_not_equal(x1, x2, 32);
	assert_int_equal(agent_derive_key(x2, sig, pk, 0), 0);
	assert_memory_equal(x1, x2, 32);
}

static void
test_keyrec(void **state)
{
	struct age_recipient r, got;
	char txt[KEYREC_MAX_LEN], enc[128];
	uint32_t epoch;
	uint8_t xpk[32];

	(void)state;
	memset(xpk, 9, 32);
	age_recipient_from_x25519(&r, xpk);
	assert_int_equal(keyrec_encode(txt, sizeof(txt), &r, 0), 0);
	assert_int_equal(age_recipient_encode(&r, enc, sizeof(enc)), 0);
	assert_int_equal(strncmp(txt, "v=1; x25519=age1", 16), 0);
	assert_int_equal(keyrec_parse(txt, strlen(txt), &got, &epoch), 0);
	assert_memory_equal(got.pk, xpk, 32);
	assert_int_equal(epoch, 0);
	/* Any order, blanks, unknown fields. */
	snprintf(txt, sizeof(txt), " epoch=12 ;x25519=%s;  later=stuff; v=1 ;", enc);
	assert_int_equal(keyrec_parse(txt, strlen(txt), &got, &epoch), 0);
	assert_int_equal(epoch, 12);
	snprintf(txt, sizeof(txt), "v=2; x25519=%s", enc);
	assert_int_equal(keyrec_parse(txt, strlen(txt), &got, &epoch), CCL_ERR_UNSUPPORTED);
	snprintf(txt, sizeof(txt), "x25519=%s", enc);
	assert_int_equal(keyrec_parse(txt, strlen(txt), &got, &epoch), CCL_ERR_FORMAT);
	snprintf(txt, sizeof(txt), "v=1; x25519=%s; x25519=%s", enc, enc);
	assert_int_equal(keyrec_parse(txt, strlen(txt), &got, &epoch), CCL_ERR_FORMAT);
	snprintf(txt, sizeof(txt), "v=1; x25519=%sq", enc);
	assert_int_equal(keyrec_parse(txt, strlen(txt), &got, &epoch), CCL_ERR_FORMAT);
	snprintf(txt, sizeof(txt), "v=1; x25519=%s; epoch=01", enc);
	assert_int_equal(keyrec_parse(txt, strlen(txt), &got, &epoch), CCL_ERR_FORMAT);
	snprintf(txt, sizeof(txt), "v=1; x25519=%s; epoch=1234567890", enc);
	assert_int_equal(keyrec_parse(txt, strlen(txt), &got, &epoch), CCL_ERR_FORMAT);
	/* Whatever epoch keyrec_encode is given within the bound, keyrec_parse reads back. */
	{
		static const uint32_t eps[] = { 0, 1, 10, 123456789, KEYREC_EPOCH_MAX };
		char adv[KEYREC_MAX_LEN];
		uint32_t e2;
		size_t i;

		for (i = 0; i < sizeof(eps) / sizeof(eps[0]); i++) {
			assert_int_equal(keyrec_encode(adv, sizeof(adv), &r, eps[i]), 0);
			assert_int_equal(keyrec_parse(adv, strlen(adv), &got, &e2), 0);
			assert_int_equal(e2, eps[i]);
		}
		assert_int_equal(keyrec_parse_epoch("999999999", 9, &e2), 0);
		assert_int_equal(e2, KEYREC_EPOCH_MAX);
		assert_int_equal(keyrec_parse_epoch("0", 1, &e2), 0);
		assert_int_equal(e2, 0);
		assert_int_equal(keyrec_parse_epoch("1000000000", 10, &e2), CCL_ERR_FORMAT);
		assert_int_equal(keyrec_parse_epoch("", 0, &e2), CCL_ERR_FORMAT);
		assert_int_equal(keyrec_parse_epoch("00", 2, &e2), CCL_ERR_FORMAT);
		assert_int_equal(keyrec_parse_epoch("-1", 2, &e2), CCL_ERR_FORMAT);
		assert_int_equal(keyrec_parse_epoch("1 ", 2, &e2), CCL_ERR_FORMAT);
		assert_int_equal(keyrec_parse_epoch("7\0", 2, &e2), CCL_ERR_FORMAT);
	}
	assert_int_equal(keyrec_parse("v=1; x25519", 11, &got, &epoch), CCL_ERR_FORMAT);
	assert_int_equal(keyrec_parse("v=1; x25519=", 12, &got, &epoch), CCL_ERR_FORMAT);
	assert_int_equal(keyrec_parse("", 0, &got, &epoch), CCL_ERR_FORMAT);
	assert_int_equal(keyrec_parse("v=1\0; x", 7, &got, &epoch), CCL_ERR_UNSUPPORTED);
	memset(txt, 'a', sizeof(txt));
	assert_int_equal(keyrec_parse(txt, KEYREC_MAX_LEN + 1, &got, &epoch), CCL_ERR_TOO_LARGE);
}

static void
test_identity_record(void **state)
{
	struct age_recipient r, xr;
	uint8_t pk[32], got[32], xpk[32];
	uint32_t ep;
	char rc[128], text[400];
	const char *b64 = "AAAAC3NzaC1lZDI1NTE5AAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f";

	(void)state;
	pk_fixed(pk);
	memset(xpk, 5, 32);
	age_recipient_from_x25519(&r, xpk);
	assert_int_equal(age_recipient_encode(&r, rc, sizeof(rc)), 0);
	snprintf(text, sizeof(text), "ssh-ed25519 %s\n%s\n", b64, rc);
	assert_int_equal(identity_agent_parse((uint8_t *)text, strlen(text), got, &xr, &ep), 0);
	assert_memory_equal(got, pk, 32);
	assert_memory_equal(xr.pk, xpk, 32);
	assert_int_equal(ep, 0);
	/* A rotated key: an "epoch N" line; 0 and KEYREC_EPOCH_MAX are the bounds. */
	snprintf(text, sizeof(text), "ssh-ed25519 %s\n%s\nepoch 7\n", b64, rc);
	assert_int_equal(identity_agent_parse((uint8_t *)text, strlen(text), got, &xr, &ep), 0);
	assert_int_equal(ep, 7);
	assert_memory_equal(xr.pk, xpk, 32);
	snprintf(text, sizeof(text), "ssh-ed25519 %s\n%s\nepoch 999999999\n", b64, rc);
	assert_int_equal(identity_agent_parse((uint8_t *)text, strlen(text), got, &xr, &ep), 0);
	assert_int_equal(ep, KEYREC_EPOCH_MAX);
	snprintf(text, sizeof(text), "ssh-ed25519 %s\n%s\nepoch 0\n", b64, rc);
	assert_int_equal(identity_agent_parse((uint8_t *)text, strlen(text), got, &xr, &ep), 0);
	assert_int_equal(ep, 0);
	{
		static const char *const bad[] = {
			"epoch 1000000000\n", "epoch 4294967295\n", "epoch 99999999999\n", "epoch -1\n", "epoch +1\n",
			"epoch 01\n", "epoch \n", "epoch\n", "epoch 1 \n", "epoch  1\n", "epoch 1x\n",
			"Epoch 1\n", "epoch 1", "epoch 1\nepoch 2\n", "epoch 1\n\n", "\n", "epoch 0x1\n",
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			snprintf(text, sizeof(text), "ssh-ed25519 %s\n%s\n%s", b64, rc, bad[i]);
			ep = 99;
			assert_int_equal(identity_agent_parse((uint8_t *)text, strlen(text), got, &xr,
			    &ep), CCL_ERR_FORMAT);
			assert_int_equal(ep, 0);  /* cleared on failure */
		}
	}
	snprintf(text, sizeof(text), "ssh-ed25519 %s\n%s\nx", b64, rc);
	assert_int_equal(identity_agent_parse((uint8_t *)text, strlen(text), got, &xr, &ep), CCL_ERR_FORMAT);
	snprintf(text, sizeof(text), "ssh-ed25519 %s\n%s", b64, rc);   /* no final newline */
	assert_int_equal(identity_agent_parse((uint8_t *)text, strlen(text), got, &xr, &ep), CCL_ERR_FORMAT);
	snprintf(text, sizeof(text), "ssh-rsa %s\n%s\n", b64, rc);
	assert_int_equal(identity_agent_parse((uint8_t *)text, strlen(text), got, &xr, &ep), CCL_ERR_FORMAT);
	snprintf(text, sizeof(text), "ssh-ed25519 %.60s\n%s\n", b64, rc);
	assert_int_equal(identity_agent_parse((uint8_t *)text, strlen(text), got, &xr, &ep), CCL_ERR_FORMAT);
	snprintf(text, sizeof(text), "ssh-ed25519 %s\nage1qqqq\n", b64);
	assert_int_equal(identity_agent_parse((uint8_t *)text, strlen(text), got, &xr, &ep), CCL_ERR_FORMAT);
	assert_int_equal(identity_agent_parse(NULL, 0, got, &xr, &ep), CCL_ERR_FORMAT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identities_ok),
		cmocka_unit_test(test_identities_malformed),
		cmocka_unit_test(test_sign_reply),
		cmocka_unit_test(test_sign_request),
		cmocka_unit_test(test_ed25519_blob),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_derive_framing),
		cmocka_unit_test(test_keyrec),
		cmocka_unit_test(test_identity_record),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
