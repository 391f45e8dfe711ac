/* SPDX-License-Identifier: MIT */
/*
 * fuzz_keyfile.c — libFuzzer target for the key-file parsers: plaintext hex,
 * the CCLINKEK envelope header and, for envelopes with cheap Argon2
 * parameters, the full open (age header, stanza, payload); and the
 * public-key cache line.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "keys.h"

/* Only envelopes this cheap are opened (Argon2 per input must stay fast). */
#define FUZZ_MAX_M 64
#define FUZZ_MAX_T 2
#define FUZZ_MAX_P 2

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct key_envelope env;
	uint8_t seed[32], pk[32], digest[32];

	if (!init) {
		if (sodium_init() < 0)
			return 0;
		init = 1;
	}
	if (key_plain_parse(seed, data, size) == 0)
		sodium_memzero(seed, sizeof(seed));
	if (key_pub_parse(pk, digest, data, size) != 0)
		memset(pk, 0, sizeof(pk));
	if (key_detect(data, size) != KEY_FORMAT_ENVELOPE)
		return 0;
	if (key_envelope_parse(&env, data, size) != 0)
		return 0;
	if (env.m_kib > FUZZ_MAX_M || env.t > FUZZ_MAX_T || env.p > FUZZ_MAX_P)
		return 0;
	/* The corpus envelopes are sealed with this passphrase. */
	if (key_envelope_open(seed, data, size, "fuzz", 4) == 0)
		sodium_memzero(seed, sizeof(seed));
	return 0;
}
