/* SPDX-License-Identifier: MIT */
/*
 * fuzz_age — libFuzzer target for age_decrypt with a fixed X25519 identity
 * (the CCTV identity, so seeds built from the CCTV vectors reach the stanza
 * unwrapping), plus the Bech32 key parsers on the same bytes as text.
 * A success is only possible for an input that was encrypted to the identity;
 * the plaintext must then re-encrypt and decrypt to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "age.h"
#include "secret.h"

#define FUZZ_IDENTITY "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct age_identity id;
	static int ready;
	struct age_identity other;
	struct age_recipient rc;
	uint8_t *pt = NULL, *ct = NULL, *pt2 = NULL;
	size_t ptlen = 0, ctlen = 0, pt2len = 0;
	char *s;
	int r;

	if (!ready) {
		if (sodium_init() < 0 || age_identity_parse(&id, FUZZ_IDENTITY) != 0)
			abort();
		ready = 1;
	}
	r = age_decrypt(&id, 1, data, size, &pt, &ptlen);
	if (r == 0) {
		age_identity_recipient(&id, &rc);
		if (age_encrypt(&rc, 1, pt, ptlen, &ct, &ctlen) != 0 ||
		    age_decrypt(&id, 1, ct, ctlen, &pt2, &pt2len) != 0 || pt2len != ptlen ||
		    (ptlen > 0 && memcmp(pt, pt2, ptlen) != 0))
			abort();
		secret_free(pt2);
		free(ct);
		secret_free(pt);
	} else if (pt != NULL || ptlen != 0 || (r != CCL_ERR_NO_IDENTITY &&
	    r != CCL_ERR_AGE_HEADER && r != CCL_ERR_MAC_INVALID && r != CCL_ERR_AGE_PAYLOAD &&
	    r != CCL_ERR_NOMEM))
		abort();
	/* The same bytes as a recipient or identity string (small inputs only). */
	if (size < 4096 && (s = malloc(size + 1)) != NULL) {
		memcpy(s, data, size);
		s[size] = '\0';
		(void)age_recipient_parse(&rc, s);
		if (age_identity_parse(&other, s) == 0)
			age_identity_cleanup(&other);
		free(s);
	}
	return 0;
}
