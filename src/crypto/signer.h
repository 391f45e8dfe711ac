/* SPDX-License-Identifier: MIT */
/*
 * signer.h — the one interface every Ed25519 signature in cclink goes
 * through. Today a seed held in secret memory; tomorrow ssh-agent, where the
 * secret never enters this process. Callers only see the public key and a
 * sign operation.
 */
#ifndef CCL_SIGNER_H
#define CCL_SIGNER_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

struct signer_ops {
	/* Produce a 64-byte Ed25519 signature over msg. */
	int (*sign)(void *impl, uint8_t sig[64], const uint8_t *msg, size_t n);
	/* Release (and wipe) impl. */
	void (*free)(void *impl);
};

struct signer {
	uint8_t pk[32];              /* Ed25519 public key */
	const struct signer_ops *ops;
	void *impl;
};

/* A signer over a 32-byte Ed25519 seed (copied into secret memory). */
CCL_MUST_CHECK int signer_from_seed(struct signer *s, const uint8_t seed[static 32]);
/*
 * A signer backed by ssh-agent (signer_agent.c): the ssh-ed25519 key pk held
 * by the agent at sock (NULL: $SSH_AUTH_SOCK, read now). The secret never
 * enters this process; every signature is a SIGN_REQUEST, verified on return.
 */
CCL_MUST_CHECK int signer_from_agent(struct signer *s, const char *sock, const uint8_t pk[static 32]);
/*
 * For an agent signer whose last sign failed with CCL_ERR_AGENT: why, as an
 * enum agent_status (agent.h) — refused, locked/empty, key gone, … — found
 * by asking the agent again. 0 (AGENT_OK) for other signers.
 */
int signer_agent_status(const struct signer *s);
/* For an agent signer: its socket path (borrowed), else NULL. */
const char *signer_agent_socket(const struct signer *s);
/* Sign msg; the result is verified against s->pk before it is returned. */
CCL_MUST_CHECK int signer_sign(const struct signer *s, uint8_t sig[static 64],
    const uint8_t *msg, size_t n);
/* Release; safe on a zeroed struct and twice. */
void signer_cleanup(struct signer *s);
#endif
