/* SPDX-License-Identifier: MIT */
/* agent_derive.c — cclink-agent-x25519-v1; see agent_derive.h. */
#include <string.h>

#include <sodium.h>

#include "agent.h"
#include "agent_derive.h"
#include "hkdf.h"

static void
put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void
agent_derive_message(uint8_t out[static AGENT_DERIVE_MSG_LEN], const uint8_t pk[static 32],
    uint32_t epoch)
{
	/* The label with its terminating NUL is exactly "label ‖ 0x00". */
	memcpy(out, AGENT_DERIVE_LABEL, sizeof(AGENT_DERIVE_LABEL));
	agent_ed25519_blob(out + sizeof(AGENT_DERIVE_LABEL), pk);
	put_u32(out + sizeof(AGENT_DERIVE_LABEL) + AGENT_ED25519_BLOB_LEN, epoch);
}

void
agent_derive_tbs(uint8_t out[static AGENT_DERIVE_TBS_LEN], const uint8_t pk[static 32],
    uint32_t epoch)
{
	uint8_t m[AGENT_DERIVE_MSG_LEN];
	size_t o = 0;

	agent_derive_message(m, pk, epoch);
	memcpy(out, "SSHSIG", 6);
	o = 6;
	put_u32(out + o, sizeof(AGENT_DERIVE_NAMESPACE) - 1);
	o += 4;
	memcpy(out + o, AGENT_DERIVE_NAMESPACE, sizeof(AGENT_DERIVE_NAMESPACE) - 1);
	o += sizeof(AGENT_DERIVE_NAMESPACE) - 1;
	put_u32(out + o, 0);            /* reserved */
	o += 4;
	put_u32(out + o, 6);
	o += 4;
	memcpy(out + o, "sha512", 6);
	o += 6;
	put_u32(out + o, crypto_hash_sha512_BYTES);
	o += 4;
	crypto_hash_sha512(out + o, m, sizeof(m));
}

int
agent_derive_key(uint8_t xsk[static 32], const uint8_t sig[static 64], const uint8_t pk[static 32],
    uint32_t epoch)
{
	uint8_t info[36];

	memcpy(info, pk, 32);
	put_u32(info + 32, epoch);
	return hkdf_sha256(xsk, 32, sig, 64, (const uint8_t *)AGENT_DERIVE_SALT,
	    sizeof(AGENT_DERIVE_SALT) - 1, info, sizeof(info));
}
