/* SPDX-License-Identifier: MIT */
/*
 * signer_agent.c — signatures made by ssh-agent (see signer.h). On a refusal
 * the agent is asked for its keys again, to tell "locked" and "key removed"
 * from "refused to sign" (confirmation denied, destination-restricted key).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "agent.h"
#include "signer.h"

struct agent_impl {
	char *sock;
	uint8_t pk[32];
	enum agent_status last;
};

static enum agent_status
classify_refusal(const struct agent_impl *a)
{
	struct agent_keylist l;
	enum agent_status st;
	uint8_t blob[AGENT_ED25519_BLOB_LEN];
	size_t i;

	if (agent_list(a->sock, &l, &st) != 0)
		return st;
	agent_ed25519_blob(blob, a->pk);
	st = l.n == 0 ? AGENT_NO_KEYS : AGENT_KEY_GONE;
	for (i = 0; i < l.n; i++)
		if (l.keys[i].blob_len == sizeof(blob) &&
		    memcmp(l.keys[i].blob, blob, sizeof(blob)) == 0)
			st = AGENT_REFUSED;
	agent_keylist_free(&l);
	return st;
}

static int
agent_sign_op(void *impl, uint8_t sig[64], const uint8_t *msg, size_t n)
{
	struct agent_impl *a = impl;
	int r;

	a->last = AGENT_OK;
	r = agent_sign(a->sock, a->pk, msg, n, sig, &a->last);
	if (r == CCL_ERR_AGENT && a->last == AGENT_REFUSED)
		a->last = classify_refusal(a);
	return r;
}

static void
agent_free_op(void *impl)
{
	struct agent_impl *a = impl;

	if (a == NULL)
		return;
	free(a->sock);
	free(a);
}

static const struct signer_ops agent_ops = { agent_sign_op, agent_free_op };

int
signer_from_agent(struct signer *s, const char *sock, const uint8_t pk[static 32])
{
	struct agent_impl *a;

	memset(s, 0, sizeof(*s));
	if ((sock = agent_socket_path(sock)) == NULL)
		return CCL_ERR_AGENT;
	if ((a = calloc(1, sizeof(*a))) == NULL || (a->sock = strdup(sock)) == NULL) {
		free(a);
		return CCL_ERR_NOMEM;
	}
	memcpy(a->pk, pk, 32);
	memcpy(s->pk, pk, 32);
	s->ops = &agent_ops;
	s->impl = a;
	return 0;
}

int
signer_agent_status(const struct signer *s)
{
	if (s->ops != &agent_ops)
		return AGENT_OK;
	return (int)((const struct agent_impl *)s->impl)->last;
}

const char *
signer_agent_socket(const struct signer *s)
{
	if (s->ops != &agent_ops)
		return NULL;
	return ((const struct agent_impl *)s->impl)->sock;
}
