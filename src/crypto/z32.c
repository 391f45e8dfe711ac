/* SPDX-License-Identifier: MIT */
#include <string.h>
#include <sodium.h>
#include "z32.h"

static const char ALPHABET[] = "ybndrfg8ejkmcpqxot1uwisza345h769";

size_t
z32_encoded_len(size_t n)
{
	return (n * 8 + 4) / 5;
}

void
z32_encode(char *out, const uint8_t *in, size_t n)
{
	size_t i, o = 0;
	unsigned acc = 0, bits = 0;

	for (i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = ALPHABET[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
		acc &= (1u << bits) - 1;
	}
	if (bits > 0)
		out[o++] = ALPHABET[(acc << (5 - bits)) & 31];
	out[o] = '\0';
}

static int
z32_value(char c)
{
	const char *p;

	if (c == '\0' || (p = strchr(ALPHABET, c)) == NULL)
		return -1;
	return (int)(p - ALPHABET);
}

int
z32_decode(uint8_t *out, size_t n, const char *s, size_t slen)
{
	size_t i, o = 0;
	unsigned acc = 0, bits = 0;
	int v;

	if (slen != z32_encoded_len(n))
		return CCL_ERR_FORMAT;
	for (i = 0; i < slen; i++) {
		if ((v = z32_value(s[i])) < 0)
			goto bad;
		acc = (acc << 5) | (unsigned)v;
		bits += 5;
		if (bits >= 8) {
			out[o++] = (uint8_t)(acc >> (bits - 8));
			bits -= 8;
		}
		acc &= (1u << bits) - 1;
	}
	if (acc != 0)  /* padding bits must be zero: one spelling per key */
		goto bad;
	return 0;
 bad:
	sodium_memzero(out, n);
	return CCL_ERR_FORMAT;
}

int
z32_parse_pubkey(uint8_t pk[static 32], const char *s)
{
	unsigned char x[crypto_scalarmult_curve25519_BYTES];

	if (strncmp(s, "pk:", 3) == 0)
		s += 3;
	if (strlen(s) != Z32_KEY_LEN || z32_decode(pk, 32, s, Z32_KEY_LEN) != 0)
		return CCL_ERR_FORMAT;
	/* A key libsodium cannot convert is not a usable Ed25519 point. */
	if (crypto_sign_ed25519_pk_to_curve25519(x, pk) != 0) {
		memset(pk, 0, 32);
		return CCL_ERR_KEY_INVALID;
	}
	return 0;
}
