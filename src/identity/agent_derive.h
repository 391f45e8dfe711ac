/* SPDX-License-Identifier: MIT */
/*
 * agent_derive.h — the `cclink-agent-x25519-v1` scheme: an X25519 (age)
 * decryption key derived from a deterministic ssh-agent Ed25519 signature,
 * so an agent-only identity can decrypt without any secret on disk.
 *
 *   m    = "cclink agent-derived X25519 key v1" ‖ 0x00 ‖ pubkey_blob(51) ‖ u32be(epoch)
 *   tbs  = "SSHSIG" ‖ string(AGENT_DERIVE_NAMESPACE) ‖ string("") ‖ string("sha512")
 *          ‖ string(SHA-512(m))                   (OpenSSH PROTOCOL.sshsig framing)
 *   sig  = agent signature of tbs (verified against the key)
 *   xsk  = HKDF-SHA256(IKM = sig, salt = "cclink-x25519-v1", info = pk(32) ‖ u32be(epoch), 32)
 *
 * `ssh-keygen -Y sign -n cclink-x25519-v1@cclink -f key.pub` over m produces
 * the same signature, so the key can be reproduced with stock tools.
 * Pure functions, no I/O.
 */
#ifndef CCL_AGENT_DERIVE_H
#define CCL_AGENT_DERIVE_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define AGENT_DERIVE_NAMESPACE "cclink-x25519-v1@cclink"
#define AGENT_DERIVE_SALT "cclink-x25519-v1"
#define AGENT_DERIVE_LABEL "cclink agent-derived X25519 key v1"
/* 6 + (4+23) + 4 + (4+6) + (4+64) */
#define AGENT_DERIVE_TBS_LEN 115
#define AGENT_DERIVE_MSG_LEN (sizeof(AGENT_DERIVE_LABEL) + 51 + 4)

/* m for the ed25519 key pk (AGENT_DERIVE_MSG_LEN bytes). */
void agent_derive_message(uint8_t out[static AGENT_DERIVE_MSG_LEN], const uint8_t pk[static 32],
    uint32_t epoch);
/* The bytes the agent is asked to sign (AGENT_DERIVE_TBS_LEN bytes). */
void agent_derive_tbs(uint8_t out[static AGENT_DERIVE_TBS_LEN], const uint8_t pk[static 32],
    uint32_t epoch);
/* The X25519 secret from the (verified) signature. */
CCL_MUST_CHECK int agent_derive_key(uint8_t xsk[static 32], const uint8_t sig[static 64],
    const uint8_t pk[static 32], uint32_t epoch);
#endif
