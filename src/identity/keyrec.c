/* SPDX-License-Identifier: MIT */
/* keyrec.c — the `_cclink-key` TXT record; see keyrec.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dns.h"
#include "keyrec.h"
#include "z32.h"

int
keyrec_encode(char *out, size_t outlen, const struct age_recipient *r, uint32_t epoch)
{
	char rc[128];
	int n, e;

	if (outlen > 0)
		out[0] = '\0';
	if ((e = age_recipient_encode(r, rc, sizeof(rc))) != 0)
		return e;
	n = snprintf(out, outlen, "v=1; x25519=%s; epoch=%u", rc, (unsigned)epoch);
	if (n < 0 || (size_t)n >= outlen)
		return CCL_ERR_TOO_LARGE;
	return 0;
}

static int
is_space(uint8_t c)
{
	return c == ' ' || c == '\t';
}

int
keyrec_parse_epoch(const void *p, size_t n, uint32_t *epoch)
{
	const uint8_t *d = p;
	uint32_t v = 0;
	size_t i;

	if (n == 0 || n > 9 || (n > 1 && d[0] == '0'))
		return CCL_ERR_FORMAT;
	for (i = 0; i < n; i++) {
		if (d[i] < '0' || d[i] > '9')
			return CCL_ERR_FORMAT;
		v = v * 10 + (uint32_t)(d[i] - '0');
	}
	*epoch = v;
	return 0;
}

int
keyrec_parse(const char *v, size_t n, struct age_recipient *r, uint32_t *epoch)
{
	struct age_recipient tmp;
	struct buf_rd rd, f;
	const uint8_t *p;
	char rc[128];
	size_t flen, klen;
	uint32_t ep = 0;
	uint8_t c;
	int have_v = 0, have_x = 0, have_e = 0, e;

	memset(r, 0, sizeof(*r));
	*epoch = 0;
	if (n > KEYREC_MAX_LEN)
		return CCL_ERR_TOO_LARGE;
	buf_rd_init(&rd, v, n);
	while (buf_remaining(&rd) > 0) {
		/* One field: up to the next ';' (or the end), surrounding blanks trimmed. */
		if (buf_find(&rd, ';', &flen) != 0)
			flen = buf_remaining(&rd);
		if ((e = buf_sub(&rd, flen, &f)) != 0)
			return e;
		if (buf_remaining(&rd) > 0 && (e = buf_skip(&rd, 1)) != 0)
			return e;
		while (buf_peek_u8(&f, &c) == 0 && is_space(c))
			if ((e = buf_skip(&f, 1)) != 0)
				return e;
		p = buf_cur(&f);
		flen = buf_remaining(&f);
		while (flen > 0 && is_space(p[flen - 1]))
			flen--;
		if (flen == 0)
			continue;
		for (klen = 0; klen < flen && p[klen] != '='; klen++)
			;
		if (klen == flen)
			return CCL_ERR_FORMAT;
		p += klen + 1;
		flen -= klen + 1;
		if (klen == 1 && memcmp(buf_cur(&f), "v", 1) == 0) {
			if (have_v++)
				return CCL_ERR_FORMAT;
			if (flen != 1 || p[0] != '1')
				return flen == 0 ? CCL_ERR_FORMAT : CCL_ERR_UNSUPPORTED;
		} else if (klen == 6 && memcmp(buf_cur(&f), "x25519", 6) == 0) {
			if (have_x++ || flen == 0 || flen >= sizeof(rc))
				return CCL_ERR_FORMAT;
			memcpy(rc, p, flen);
			rc[flen] = '\0';
			if (age_recipient_parse(&tmp, rc) != 0)
				return CCL_ERR_FORMAT;
		} else if (klen == 5 && memcmp(buf_cur(&f), "epoch", 5) == 0) {
			if (have_e++ || keyrec_parse_epoch(p, flen, &ep) != 0)
				return CCL_ERR_FORMAT;
		}
		/* Unknown fields are ignored: later versions may add some. */
	}
	if (!have_v || !have_x)
		return CCL_ERR_FORMAT;
	*r = tmp;
	*epoch = ep;
	return 0;
}

int
keyrec_from_packet(const struct pkarr_packet *pkt, struct age_recipient *out, uint32_t *epoch)
{
	struct dns_packet *dns = NULL;
	char z[Z32_KEY_LEN + 1], *value = NULL;
	size_t vlen = 0;
	int r = 0;

	memset(out, 0, sizeof(*out));
	*epoch = 0;
	z32_encode(z, pkt->pk, 32);
	if (pkarr_dns(pkt, &dns) != 0 || dns_find_txt(dns, KEYREC_TXT_NAME, z, &value, &vlen) != 0)
		goto out;
	if (keyrec_parse(value, vlen, out, epoch) != 0) {
		memset(out, 0, sizeof(*out));
		*epoch = 0;
		r = CCL_ERR_FORMAT;
		goto out;
	}
	r = 1;
 out:
	free(value);
	dns_packet_free(dns);
	return r;
}
