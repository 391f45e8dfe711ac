/* SPDX-License-Identifier: MIT */
#include <string.h>
#include <sodium.h>
#include "secret.h"
#include "signer.h"

/* impl for seed signers: the 64-byte libsodium secret key (seed | pk). */
static int
seed_sign(void *impl, uint8_t sig[64], const uint8_t *msg, size_t n)
{
	if (crypto_sign_ed25519_detached(sig, NULL, msg, n, impl) != 0)
		return CCL_ERR_CRYPTO;
	return 0;
}

static void
seed_free(void *impl)
{
	secret_free(impl);
}

static const struct signer_ops seed_ops = { seed_sign, seed_free };

int
signer_from_seed(struct signer *s, const uint8_t seed[static 32])
{
	uint8_t *sk;

	memset(s, 0, sizeof(*s));
	if ((sk = secret_alloc(crypto_sign_ed25519_SECRETKEYBYTES)) == NULL)
		return CCL_ERR_NOMEM;
	if (crypto_sign_ed25519_seed_keypair(s->pk, sk, seed) != 0) {
		secret_free(sk);
		return CCL_ERR_CRYPTO;
	}
	s->ops = &seed_ops;
	s->impl = sk;
	return 0;
}

int
signer_sign(const struct signer *s, uint8_t sig[static 64], const uint8_t *msg, size_t n)
{
	int r;

	if (s->ops == NULL)
		return CCL_ERR_INVALID_ARG;
	if ((r = s->ops->sign(s->impl, sig, msg, n)) != 0)
		return r;
	/* Never publish a signature that does not verify (a faulty agent, a bug). */
	if (crypto_sign_ed25519_verify_detached(sig, msg, n, s->pk) != 0) {
		memset(sig, 0, 64);
		return CCL_ERR_SIG_INVALID;
	}
	return 0;
}

void
signer_cleanup(struct signer *s)
{
	if (s->ops != NULL && s->ops->free != NULL)
		s->ops->free(s->impl);
	memset(s, 0, sizeof(*s));
}
