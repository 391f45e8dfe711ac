/* SPDX-License-Identifier: MIT */
/*
 * fuzz_agent.c — libFuzzer target for what cclink reads from an ssh-agent
 * and about one: IDENTITIES_ANSWER and SIGN_RESPONSE replies (agent_msg.c),
 * key blobs, the `_cclink-key` TXT value (keyrec.c) and the agent identity
 * record (identity_agent_parse). Every input goes through all of them.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "agent.h"
#include "identity_agent.h"
#include "keyrec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct agent_keylist l;
	struct age_recipient r;
	uint8_t sig[64], pk[32];
	uint32_t epoch;
	size_t idx;

	if (!init) {
		if (sodium_init() < 0)
			return 0;
		init = 1;
	}
	if (agent_parse_identities(data, size, &l) == 0) {
		if (agent_find(&l, NULL, &idx) == 0 && l.keys[idx].type != AGENT_KEY_ED25519)
			__builtin_trap();
		if (l.n > 0 && agent_find(&l, l.keys[0].comment, &idx) == 0)
			(void)idx;
		agent_keylist_free(&l);
	}
	if (agent_parse_sign(data, size, sig) == 0)
		(void)sig;
	if (agent_parse_ed25519_blob(data, size, pk) == 0 && size != AGENT_ED25519_BLOB_LEN)
		__builtin_trap();
	if (keyrec_parse((const char *)data, size, &r, &epoch) == 0)
		(void)epoch;
	if (identity_agent_parse(data, size, pk, &r, &epoch) == 0)
		(void)pk;
	return 0;
}
