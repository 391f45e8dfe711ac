/* SPDX-License-Identifier: MIT */
/*
 * pkarr.c — SignedPacket build, parse, verify and compare. See pkarr.h.
 */
#include <string.h>
#include <sys/time.h>

#include <sodium.h>

#include "pkarr.h"

int
pkarr_signable(uint64_t ts, const uint8_t *dns, size_t n, struct buf_wr *wr)
{
	size_t start = buf_wr_len(wr);
	int r;

	if (ts > (uint64_t)INT64_MAX || n > PKARR_MAX_DNS)
		return CCL_ERR_INVALID_ARG;
	if ((r = buf_put_cstr(wr, "3:seqi")) != 0 ||
	    (r = buf_put_u64dec(wr, ts)) != 0 ||
	    (r = buf_put_cstr(wr, "e1:v")) != 0 ||
	    (r = buf_put_u64dec(wr, (uint64_t)n)) != 0 ||
	    (r = buf_put_u8(wr, ':')) != 0 ||
	    (r = buf_put(wr, dns, n)) != 0) {
		if (buf_truncate(wr, start) != 0)
			return CCL_ERR_INTERNAL;
		return r;
	}
	return 0;
}

/* A point libsodium can use (the same test z32_parse_pubkey applies). */
static int
pk_usable(const uint8_t pk[static 32])
{
	unsigned char x[crypto_scalarmult_curve25519_BYTES];
	int ok = crypto_sign_ed25519_pk_to_curve25519(x, pk) == 0;

	sodium_memzero(x, sizeof(x));
	return ok;
}

int
pkarr_verify(const struct pkarr_packet *p)
{
	struct dns_packet *d = NULL;
	struct buf_wr wr;
	uint8_t mem[PKARR_SIGNABLE_MAX];
	int r;

	buf_wr_init_fixed(&wr, mem, sizeof(mem));
	if (p->dns_len > PKARR_MAX_DNS)
		return CCL_ERR_TOO_LARGE;
	if (p->ts > (uint64_t)INT64_MAX)
		return CCL_ERR_FORMAT;
	if (!pk_usable(p->pk))
		return CCL_ERR_KEY_INVALID;
	if ((r = pkarr_signable(p->ts, p->dns, p->dns_len, &wr)) != 0)
		return r;
	if (crypto_sign_ed25519_verify_detached(p->sig, buf_wr_data(&wr), buf_wr_len(&wr),
	    p->pk) != 0)
		return CCL_ERR_SIG_INVALID;
	/* Verified first, parsed second (design/base.md's order). */
	if ((r = dns_parse(p->dns, p->dns_len, &d)) != 0)
		return CCL_ERR_FORMAT;
	dns_packet_free(d);
	return 0;
}

int
pkarr_build(struct pkarr_packet *out, const struct signer *s, uint64_t ts, const uint8_t *dns,
    size_t n)
{
	struct dns_packet *d = NULL;
	struct buf_wr wr;
	uint8_t mem[PKARR_SIGNABLE_MAX];
	int r;

	memset(out, 0, sizeof(*out));
	buf_wr_init_fixed(&wr, mem, sizeof(mem));
	if (n > PKARR_MAX_DNS_BUILD)
		return CCL_ERR_TOO_LARGE;
	if (ts > (uint64_t)INT64_MAX)
		return CCL_ERR_INVALID_ARG;
	if (dns_parse(dns, n, &d) != 0)
		return CCL_ERR_FORMAT;
	dns_packet_free(d);
	memcpy(out->pk, s->pk, 32);
	out->ts = ts;
	out->dns_len = n;
	memcpy(out->dns, dns, n);
	if ((r = pkarr_signable(ts, dns, n, &wr)) != 0 ||
	    (r = signer_sign(s, out->sig, buf_wr_data(&wr), buf_wr_len(&wr))) != 0)
		goto out;
	r = 0;
 out:
	if (r != 0)
		memset(out, 0, sizeof(*out));
	return r;
}

int
pkarr_build_dns(struct pkarr_packet *out, const struct signer *s, uint64_t ts,
    const struct dns_packet *d)
{
	struct buf_wr wr;
	uint8_t mem[PKARR_MAX_DNS_BUILD];
	int r;

	memset(out, 0, sizeof(*out));
	buf_wr_init_fixed(&wr, mem, sizeof(mem));
	if ((r = dns_encode(d, 0, &wr)) != 0)
		return r;
	return pkarr_build(out, s, ts, buf_wr_data(&wr), buf_wr_len(&wr));
}

/* sig | ts | dns from rd into out (pk already set), then verify. */
static int
parse_body(struct pkarr_packet *out, struct buf_rd *rd)
{
	size_t n;
	int r;

	if ((r = buf_get_copy(rd, out->sig, 64)) != 0 ||
	    (r = buf_get_u64be(rd, &out->ts)) != 0)
		return r;
	n = buf_remaining(rd);
	if (n > PKARR_MAX_DNS)
		return CCL_ERR_TOO_LARGE;
	if ((r = buf_get_copy(rd, out->dns, n)) != 0)
		return r;
	out->dns_len = n;
	return pkarr_verify(out);
}

int
pkarr_parse(struct pkarr_packet *out, const uint8_t *buf, size_t len)
{
	struct buf_rd rd;
	int r;

	memset(out, 0, sizeof(*out));
	if (len < PKARR_HDR_LEN)
		return CCL_ERR_TRUNCATED;
	if (len > PKARR_MAX_PACKET)
		return CCL_ERR_TOO_LARGE;
	buf_rd_init(&rd, buf, len);
	if ((r = buf_get_copy(&rd, out->pk, 32)) != 0 ||
	    (r = parse_body(out, &rd)) != 0) {
		memset(out, 0, sizeof(*out));
		return r;
	}
	return 0;
}

int
pkarr_parse_relay(struct pkarr_packet *out, const uint8_t pk[static 32], const uint8_t *body,
    size_t len)
{
	struct buf_rd rd;
	int r;

	memset(out, 0, sizeof(*out));
	if (len < PKARR_RELAY_MIN)
		return CCL_ERR_TRUNCATED;
	if (len > PKARR_RELAY_MAX)
		return CCL_ERR_TOO_LARGE;
	memcpy(out->pk, pk, 32);
	buf_rd_init(&rd, body, len);
	if ((r = parse_body(out, &rd)) != 0) {
		memset(out, 0, sizeof(*out));
		return r;
	}
	return 0;
}

int
pkarr_from_item(struct pkarr_packet *out, const uint8_t k[static 32], const uint8_t sig[static 64],
    int64_t seq, const uint8_t *v, size_t vlen)
{
	int r;

	memset(out, 0, sizeof(*out));
	if (seq < 0)
		return CCL_ERR_FORMAT;
	if (vlen > PKARR_MAX_DNS)
		return CCL_ERR_TOO_LARGE;
	memcpy(out->pk, k, 32);
	memcpy(out->sig, sig, 64);
	out->ts = (uint64_t)seq;
	if (vlen > 0)
		memcpy(out->dns, v, vlen);
	out->dns_len = vlen;
	if ((r = pkarr_verify(out)) != 0) {
		memset(out, 0, sizeof(*out));
		return r;
	}
	return 0;
}

int
pkarr_encode_relay(const struct pkarr_packet *p, struct buf_wr *wr)
{
	size_t start = buf_wr_len(wr);
	int r;

	if (p->dns_len > PKARR_MAX_DNS)
		return CCL_ERR_INVALID_ARG;
	if ((r = buf_put(wr, p->sig, 64)) != 0 ||
	    (r = buf_put_u64be(wr, p->ts)) != 0 ||
	    (r = buf_put(wr, p->dns, p->dns_len)) != 0) {
		if (buf_truncate(wr, start) != 0)
			return CCL_ERR_INTERNAL;
		return r;
	}
	return 0;
}

int
pkarr_encode(const struct pkarr_packet *p, struct buf_wr *wr)
{
	size_t start = buf_wr_len(wr);
	int r;

	if ((r = buf_put(wr, p->pk, 32)) != 0)
		return r;
	if ((r = pkarr_encode_relay(p, wr)) != 0) {
		if (buf_truncate(wr, start) != 0)
			return CCL_ERR_INTERNAL;
		return r;
	}
	return 0;
}

int
pkarr_cmp(const struct pkarr_packet *a, const struct pkarr_packet *b)
{
	size_t n = a->dns_len < b->dns_len ? a->dns_len : b->dns_len;
	int c;

	if (a->ts != b->ts)
		return a->ts > b->ts ? 1 : -1;
	/* Byte-wise lexicographic, a proper prefix being the smaller (Rust's [u8] order). */
	if ((c = memcmp(a->dns, b->dns, n)) != 0)
		return c > 0 ? 1 : -1;
	if (a->dns_len != b->dns_len)
		return a->dns_len > b->dns_len ? 1 : -1;
	return 0;
}

int
pkarr_dns(const struct pkarr_packet *p, struct dns_packet **out)
{
	*out = NULL;
	if (p->dns_len > PKARR_MAX_DNS)
		return CCL_ERR_INVALID_ARG;
	return dns_parse(p->dns, p->dns_len, out);
}

uint64_t
pkarr_next_ts(uint64_t last_seen)
{
	struct timeval tv;
	uint64_t now = 0;

	if (gettimeofday(&tv, NULL) == 0 && tv.tv_sec > 0)
		now = (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
	if (last_seen >= (uint64_t)INT64_MAX)
		return (uint64_t)INT64_MAX;
	if (now <= last_seen)
		now = last_seen + 1;
	if (now > (uint64_t)INT64_MAX)
		now = (uint64_t)INT64_MAX;
	return now;
}
