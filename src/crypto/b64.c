/* SPDX-License-Identifier: MIT */
#include <string.h>
#include <stdlib.h>
#include <sodium.h>
#include "b64.h"

static int
sodium_variant(enum b64_variant v)
{
	return v == B64_STD_PAD ? sodium_base64_VARIANT_ORIGINAL :
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
}

size_t
b64_encoded_len(size_t n, enum b64_variant v)
{
	return sodium_base64_encoded_len(n, sodium_variant(v)) - 1;
}

void
b64_encode(char *out, const uint8_t *in, size_t n, enum b64_variant v)
{
	sodium_bin2base64(out, b64_encoded_len(n, v) + 1, in, n, sodium_variant(v));
}

int
b64_decode(uint8_t *out, size_t cap, size_t *outlen, const char *s, size_t slen,
    enum b64_variant v)
{
	const char *end = NULL;
	size_t got = 0;
	char *check = NULL;
	size_t elen;
	int r = CCL_ERR_FORMAT;

	*outlen = 0;
	if (sodium_base642bin(out, cap, s, slen, NULL, &got, &end,
	    sodium_variant(v)) != 0 || end != s + slen)
		goto out;
	/*
	 * libsodium accepts non-zero bits in the last symbol; re-encode and
	 * compare so that every value has exactly one accepted spelling.
	 */
	elen = b64_encoded_len(got, v);
	if (elen != slen)
		goto out;
	if ((check = malloc(elen + 1)) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	b64_encode(check, out, got, v);
	if (memcmp(check, s, slen) != 0)
		goto out;
	*outlen = got;
	r = 0;
 out:
	if (check != NULL) {
		sodium_memzero(check, elen + 1);
		free(check);
	}
	if (r != 0 && cap > 0)
		sodium_memzero(out, got < cap ? got : cap);
	return r;
}
