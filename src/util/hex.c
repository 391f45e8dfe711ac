/* SPDX-License-Identifier: MIT */
#include <sodium.h>
#include "hex.h"

void
hex_encode(char *out, const uint8_t *in, size_t n)
{
	sodium_bin2hex(out, 2 * n + 1, in, n);
}

int
hex_decode(uint8_t *out, size_t n, const char *s, size_t slen)
{
	size_t got = 0;
	const char *end = NULL;

	if (slen != 2 * n)
		return CCL_ERR_FORMAT;
	if (sodium_hex2bin(out, n, s, slen, NULL, &got, &end) != 0 || got != n ||
	    end != s + slen) {
		sodium_memzero(out, n);
		return CCL_ERR_FORMAT;
	}
	return 0;
}
