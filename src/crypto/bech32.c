/* SPDX-License-Identifier: MIT */
/*
 * bech32.c — BIP 173 Bech32 without the length limit (age's variant).
 *
 * Trust boundary: decoding reads the untrusted text only through buf_rd.
 * Both directions stream (checksum and 5↔8-bit conversion in one pass), so
 * no intermediate copy of an identity's data is made.
 */
#include <string.h>
#include <sodium.h>
#include "bech32.h"
#include "buf.h"

static const char CHARSET[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/* BIP 173's BCH generator. */
static const uint32_t GEN[5] = {
	0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3,
};

static uint32_t
polymod_step(uint32_t chk, uint8_t v)
{
	uint32_t top = chk >> 25;
	int i;

	chk = ((chk & 0x1ffffff) << 5) ^ v;
	for (i = 0; i < 5; i++)
		if ((top >> i) & 1)
			chk ^= GEN[i];
	return chk;
}

static uint8_t
to_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* Value of a lowercase data character, or -1. */
static int
charset_value(uint8_t c)
{
	int i;

	for (i = 0; i < 32; i++)
		if ((uint8_t)CHARSET[i] == c)
			return i;
	return -1;
}

/* Checksum state after the expanded (lowercased) HRP. */
static uint32_t
hrp_checksum(const char *hrp, size_t hrplen)
{
	uint32_t chk = 1;
	size_t i;

	for (i = 0; i < hrplen; i++)
		chk = polymod_step(chk, to_lower((uint8_t)hrp[i]) >> 5);
	chk = polymod_step(chk, 0);
	for (i = 0; i < hrplen; i++)
		chk = polymod_step(chk, to_lower((uint8_t)hrp[i]) & 31);
	return chk;
}

size_t
bech32_encoded_len(size_t hrplen, size_t n)
{
	size_t bits, len;

	if (!ccl_mul_ok(n, 8, &bits) || !ccl_add_ok(bits / 5, bits % 5 != 0, &len) ||
	    !ccl_add_ok(len, hrplen, &len) || !ccl_add_ok(len, 1 + BECH32_CHECKSUM_LEN, &len))
		return 0;
	return len;
}

int
bech32_encode(char *out, size_t outcap, const char *hrp, const uint8_t *data, size_t n)
{
	size_t hrplen = strlen(hrp), need, i, o = 0;
	uint32_t chk, acc = 0;
	unsigned bits = 0;
	int upper = 0, lower = 0, r = CCL_ERR_INVALID_ARG;
	uint8_t v;

	if (outcap > 0)
		out[0] = '\0';
	if (hrplen == 0)
		goto out;
	for (i = 0; i < hrplen; i++) {
		uint8_t c = (uint8_t)hrp[i];

		if (c < 33 || c > 126)
			goto out;
		upper |= c >= 'A' && c <= 'Z';
		lower |= c >= 'a' && c <= 'z';
	}
	if (upper && lower)
		goto out;
	r = CCL_ERR_TOO_LARGE;
	if ((need = bech32_encoded_len(hrplen, n)) == 0 || need >= outcap)
		goto out;
	memcpy(out, hrp, hrplen);
	o = hrplen;
	out[o++] = '1';
	chk = hrp_checksum(hrp, hrplen);
	for (i = 0; i <= n; i++) {
		if (i < n) {
			acc = (acc << 8) | data[i];
			bits += 8;
		} else if (bits > 0) {
			/* Pad the last group with zero bits. */
			acc <<= 5 - bits;
			bits = 5;
		}
		while (bits >= 5) {
			bits -= 5;
			v = (uint8_t)((acc >> bits) & 31);
			chk = polymod_step(chk, v);
			out[o++] = CHARSET[v];
		}
		acc &= (1u << bits) - 1;
	}
	for (i = 0; i < BECH32_CHECKSUM_LEN; i++)
		chk = polymod_step(chk, 0);
	chk ^= 1;
	for (i = 0; i < BECH32_CHECKSUM_LEN; i++)
		out[o++] = CHARSET[(chk >> (5 * (5 - i))) & 31];
	out[o] = '\0';
	if (upper)
		for (i = hrplen + 1; i < o; i++)
			if (out[i] >= 'a' && out[i] <= 'z')
				out[i] = (char)(out[i] - ('a' - 'A'));
	r = 0;
 out:
	if (r != 0 && outcap > 0)
		sodium_memzero(out, o < outcap ? o : outcap);
	sodium_memzero(&acc, sizeof(acc));
	return r;
}

int
bech32_decode(char *hrp, size_t hrpcap, uint8_t *data, size_t datacap, size_t *datalen,
    const char *s, size_t slen)
{
	struct buf_rd rd;
	size_t i, sep = 0, hrplen = 0, dcount, o = 0;
	uint32_t chk, acc = 0;
	unsigned bits = 0;
	int upper = 0, lower = 0, have_sep = 0, val, r = CCL_ERR_FORMAT;
	uint8_t c;

	*datalen = 0;
	if (hrpcap > 0)
		hrp[0] = '\0';
	buf_rd_init(&rd, s, slen);
	/* First pass: character range, case, and the position of the last '1'. */
	for (i = 0; i < slen; i++) {
		if ((r = buf_get_u8(&rd, &c)) != 0)
			goto out;
		r = CCL_ERR_FORMAT;
		if (c < 33 || c > 126)
			goto out;
		upper |= c >= 'A' && c <= 'Z';
		lower |= c >= 'a' && c <= 'z';
		if (c == '1') {
			sep = i;
			have_sep = 1;
		}
	}
	r = CCL_ERR_FORMAT;
	if ((upper && lower) || !have_sep || sep == 0 ||
	    slen - sep - 1 < BECH32_CHECKSUM_LEN)
		goto out;
	hrplen = sep;
	dcount = slen - sep - 1;
	if (hrplen >= hrpcap) {
		r = CCL_ERR_TOO_LARGE;
		goto out;
	}
	if ((r = buf_seek(&rd, 0)) != 0 || (r = buf_get_copy(&rd, hrp, hrplen)) != 0 ||
	    (r = buf_skip(&rd, 1)) != 0)
		goto out;
	hrp[hrplen] = '\0';
	chk = hrp_checksum(hrp, hrplen);
	for (i = 0; i < dcount; i++) {
		if ((r = buf_get_u8(&rd, &c)) != 0)
			goto out;
		r = CCL_ERR_FORMAT;
		if ((val = charset_value(to_lower(c))) < 0)
			goto out;
		chk = polymod_step(chk, (uint8_t)val);
		if (i >= dcount - BECH32_CHECKSUM_LEN)
			continue;
		acc = (acc << 5) | (uint32_t)val;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o >= datacap) {
				r = CCL_ERR_TOO_LARGE;
				goto out;
			}
			data[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	r = CCL_ERR_FORMAT;
	/* Strict padding: under 5 leftover bits, all zero. */
	if (chk != 1 || bits >= 5 || acc != 0 || (r = buf_done(&rd)) != 0)
		goto out;
	*datalen = o;
	r = 0;
 out:
	if (r != 0) {
		if (hrpcap > 0)
			sodium_memzero(hrp, hrplen < hrpcap ? hrplen + 1 : hrpcap);
		if (o > 0)
			sodium_memzero(data, o);
	}
	sodium_memzero(&acc, sizeof(acc));
	sodium_memzero(&c, sizeof(c));
	return r;
}
