/* SPDX-License-Identifier: MIT */
/*
 * dns.c — PKARR's DNS packets: decode (untrusted, through buf_rd only),
 * build, and encode byte-for-byte like simple-dns. See dns.h for the rules.
 */
#include <stdlib.h>
#include <string.h>

#include "dns.h"

#define HDR_LEN      12
#define FLAG_QR      0x8000u
#define FLAG_Z       0x0040u  /* reserved; simple-dns rejects packets with it */
#define CLASS_FLUSH  0x8000u  /* mDNS cache-flush bit, masked before the class check */
#define MIN_QD       5        /* root name + qtype + qclass */
#define MIN_RR       11       /* root name + type, class, ttl, rdlength */
#define PTR_MAX      0x3FFFu

struct dns_packet {
	struct dns_rr *rr;
	size_t n, cap;
	size_t qd, an, ns, ar;  /* section counts as parsed */
};

/*
 * How names sit inside RDATA. Receivers must decompress the names of these
 * types (RFC 3597 §4 and the types simple-dns parses); `compress` says whether
 * simple-dns compresses the (single) name when writing.
 */
struct rd_shape {
	uint16_t type;
	uint8_t pre;       /* fixed bytes before the first name */
	uint8_t names;     /* consecutive names */
	int16_t tail;      /* exact bytes after the names, or -1: any (kept raw) */
	uint8_t compress;
};

static const struct rd_shape shapes[] = {
	{ DNS_TYPE_NS, 0, 1, 0, 1 },
	{ 3 /* MD */, 0, 1, 0, 1 },
	{ 4 /* MF */, 0, 1, 0, 1 },
	{ DNS_TYPE_CNAME, 0, 1, 0, 1 },
	{ DNS_TYPE_SOA, 0, 2, 20, 0 },
	{ 7 /* MB */, 0, 1, 0, 1 },
	{ 8 /* MG */, 0, 1, 0, 1 },
	{ 9 /* MR */, 0, 1, 0, 1 },
	{ DNS_TYPE_PTR, 0, 1, 0, 1 },
	{ 14 /* MINFO */, 0, 2, 0, 0 },
	{ DNS_TYPE_MX, 2, 1, 0, 1 },
	{ 17 /* RP */, 0, 2, 0, 0 },
	{ 18 /* AFSDB */, 2, 1, 0, 0 },
	{ 21 /* RT */, 2, 1, 0, 0 },
	{ DNS_TYPE_SRV, 6, 1, 0, 0 },
	{ 36 /* KX */, 2, 1, 0, 0 },
	{ DNS_TYPE_SVCB, 2, 1, -1, 1 },
	{ DNS_TYPE_HTTPS, 2, 1, -1, 1 },
};

static const struct rd_shape *
shape_of(uint16_t type)
{
	size_t i;

	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if (shapes[i].type == type)
			return &shapes[i];
	return NULL;
}

static void
rr_cleanup(struct dns_rr *rr)
{
	free(rr->rdata);
	memset(rr, 0, sizeof(*rr));
}

int
dns_packet_new(struct dns_packet **out)
{
	struct dns_packet *pkt;

	*out = NULL;
	if ((pkt = calloc(1, sizeof(*pkt))) == NULL)
		return CCL_ERR_NOMEM;
	*out = pkt;
	return 0;
}

void
dns_packet_free(struct dns_packet *pkt)
{
	size_t i;

	if (pkt == NULL)
		return;
	for (i = 0; i < pkt->n; i++)
		rr_cleanup(&pkt->rr[i]);
	free(pkt->rr);
	free(pkt);
}

size_t
dns_count(const struct dns_packet *pkt)
{
	return pkt == NULL ? 0 : pkt->n;
}

const struct dns_rr *
dns_rr_at(const struct dns_packet *pkt, size_t i)
{
	if (pkt == NULL || i >= pkt->n)
		return NULL;
	return &pkt->rr[i];
}

void
dns_section_counts(const struct dns_packet *pkt, size_t *qd, size_t *an, size_t *ns, size_t *ar)
{
	if (qd != NULL)
		*qd = pkt->qd;
	if (an != NULL)
		*an = pkt->an;
	if (ns != NULL)
		*ns = pkt->ns;
	if (ar != NULL)
		*ar = pkt->ar;
}

/* Take ownership of rr (moved: the caller's copy must not be cleaned up). */
static int
push_rr(struct dns_packet *pkt, struct dns_rr *rr)
{
	struct dns_rr *n;
	size_t ncap;

	if (pkt->n >= DNS_MAX_RECORDS)
		return CCL_ERR_TOO_LARGE;
	if (pkt->n == pkt->cap) {
		ncap = pkt->cap == 0 ? 4 : pkt->cap * 2;
		if (ncap > DNS_MAX_RECORDS)
			ncap = DNS_MAX_RECORDS;
		if ((n = realloc(pkt->rr, ncap * sizeof(*n))) == NULL)
			return CCL_ERR_NOMEM;
		pkt->rr = n;
		pkt->cap = ncap;
	}
	pkt->rr[pkt->n++] = *rr;
	memset(rr, 0, sizeof(*rr));
	return 0;
}

/* ---- decoding ---------------------------------------------------------- */

/*
 * Read a possibly compressed name from rd into out (uncompressed wire form).
 * rd_base is the offset of rd's first byte within `whole` (the packet).
 * A pointer must point strictly before the start of the label run that
 * contains it, so every jump moves backwards and the walk ends; the jump
 * count is capped as well.
 */
static int
get_name(struct buf_rd *rd, const struct buf_rd *whole, size_t rd_base,
    uint8_t out[static DNS_MAX_NAME], size_t *outlen)
{
	struct buf_rd jr, *cur = rd;
	size_t n = 0, jumps = 0, run_start = rd_base + buf_offset(rd);
	uint8_t c, lo;
	uint16_t target;
	int r;

	*outlen = 0;
	for (;;) {
		if ((r = buf_get_u8(cur, &c)) != 0)
			return r;
		if (c == 0)
			break;
		if ((c & 0xC0) == 0xC0) {
			if ((r = buf_get_u8(cur, &lo)) != 0)
				return r;
			target = (uint16_t)(((c & 0x3F) << 8) | lo);
			if (target >= run_start || ++jumps > DNS_MAX_JUMPS)
				return CCL_ERR_FORMAT;
			jr = *whole;
			if ((r = buf_seek(&jr, target)) != 0)
				return CCL_ERR_FORMAT;
			cur = &jr;
			run_start = target;
			continue;
		}
		if (c > DNS_MAX_LABEL)  /* 0x40/0x80: extended label types */
			return CCL_ERR_FORMAT;
		/* Room for the length byte, the label and the final root byte. */
		if ((size_t)c + 2 > DNS_MAX_NAME - n)
			return CCL_ERR_FORMAT;
		out[n++] = c;
		if ((r = buf_get_copy(cur, out + n, c)) != 0)
			return r;
		n += c;
	}
	out[n++] = 0;
	*outlen = n;
	return 0;
}

/*
 * Parse RDATA (exactly sub) into rr->rdata: verbatim, except that embedded
 * names of the types in shapes[] are expanded so the bytes stay valid when
 * written at another offset.
 */
static int
parse_rdata(struct dns_rr *rr, struct buf_rd *sub, const struct buf_rd *whole, size_t base)
{
	const struct rd_shape *sh = shape_of(rr->type);
	struct buf_wr w;
	uint8_t name[DNS_MAX_NAME], len;
	const uint8_t *b;
	size_t i, nl, rest;
	int r;

	buf_wr_init(&w, DNS_MAX_RDATA);
	switch (rr->type) {
	case DNS_TYPE_A:
	case DNS_TYPE_AAAA:
		if (buf_remaining(sub) != (rr->type == DNS_TYPE_A ? 4u : 16u)) {
			r = CCL_ERR_FORMAT;
			goto out;
		}
		break;
	case DNS_TYPE_TXT:
		/* One or more <len><bytes>; an empty RDATA holds no strings. */
		while (buf_remaining(sub) > 0) {
			if ((r = buf_get_u8(sub, &len)) != 0 ||
			    (r = buf_skip(sub, len)) != 0)
				goto out;
		}
		if ((r = buf_seek(sub, 0)) != 0)
			goto out;
		break;
	default:
		break;
	}
	if (sh == NULL) {
		rest = buf_remaining(sub);
		if ((r = buf_get_bytes(sub, rest, &b)) != 0 ||
		    (r = buf_put(&w, b, rest)) != 0)
			goto out;
	} else {
		rr->rd_name_at = DNS_NO_NAME;
		if ((r = buf_get_bytes(sub, sh->pre, &b)) != 0 ||
		    (r = buf_put(&w, b, sh->pre)) != 0)
			goto out;
		for (i = 0; i < sh->names; i++) {
			if ((r = get_name(sub, whole, base, name, &nl)) != 0)
				goto out;
			if (sh->compress && sh->names == 1) {
				rr->rd_name_at = buf_wr_len(&w);
				rr->rd_name_len = nl;
			}
			if ((r = buf_put(&w, name, nl)) != 0)
				goto out;
		}
		rest = buf_remaining(sub);
		if (sh->tail >= 0 && rest != (size_t)sh->tail) {
			r = CCL_ERR_FORMAT;
			goto out;
		}
		if ((r = buf_get_bytes(sub, rest, &b)) != 0 ||
		    (r = buf_put(&w, b, rest)) != 0)
			goto out;
	}
	if ((r = buf_done(sub)) != 0)
		goto out;
	if (buf_wr_len(&w) > 0 && (r = buf_wr_detach(&w, &rr->rdata, &rr->rdlen)) != 0)
		goto out;
	r = 0;
 out:
	buf_wr_free(&w);
	return r;
}

static int
valid_class(uint16_t class)
{
	class &= (uint16_t)~CLASS_FLUSH;
	/* The classes simple-dns knows: IN, CS, CH, HS, NONE. */
	return (class >= 1 && class <= 4) || class == 254;
}

static int
parse_rr(struct buf_rd *rd, const struct buf_rd *whole, struct dns_rr *rr)
{
	struct buf_rd sub;
	uint16_t rdlen;
	size_t base;
	int r;

	memset(rr, 0, sizeof(*rr));
	rr->rd_name_at = DNS_NO_NAME;
	if ((r = get_name(rd, whole, 0, rr->name, &rr->name_len)) != 0 ||
	    (r = buf_get_u16be(rd, &rr->type)) != 0 ||
	    (r = buf_get_u16be(rd, &rr->class)) != 0 ||
	    (r = buf_get_u32be(rd, &rr->ttl)) != 0 ||
	    (r = buf_get_u16be(rd, &rdlen)) != 0)
		return r;
	if (!valid_class(rr->class))
		return CCL_ERR_FORMAT;
	base = buf_offset(rd);
	if ((r = buf_sub(rd, rdlen, &sub)) != 0 ||
	    (r = parse_rdata(rr, &sub, whole, base)) != 0) {
		rr_cleanup(rr);
		return r;
	}
	return 0;
}

int
dns_parse(const uint8_t *p, size_t len, struct dns_packet **out)
{
	struct dns_packet *pkt = NULL;
	struct buf_rd rd, whole;
	struct dns_rr rr;
	uint8_t name[DNS_MAX_NAME];
	uint16_t id, flags, cnt[4];
	size_t i, s, nl, need, total;
	int r;

	*out = NULL;
	memset(&rr, 0, sizeof(rr));
	if (len > DNS_MAX_PACKET)
		return CCL_ERR_TOO_LARGE;
	buf_rd_init(&rd, p, len);
	whole = rd;
	if ((r = buf_get_u16be(&rd, &id)) != 0 ||
	    (r = buf_get_u16be(&rd, &flags)) != 0)
		return r;
	for (s = 0; s < 4; s++)
		if ((r = buf_get_u16be(&rd, &cnt[s])) != 0)
			return r;
	if (flags & FLAG_Z)
		return CCL_ERR_FORMAT;
	/* Caps before looping: every entry needs its minimum size in what is left. */
	total = (size_t)cnt[1] + cnt[2] + cnt[3];
	if (total > DNS_MAX_RECORDS * 3 || cnt[1] > DNS_MAX_RECORDS)
		return CCL_ERR_TOO_LARGE;
	need = (size_t)cnt[0] * MIN_QD + total * MIN_RR;
	if (need > buf_remaining(&rd))
		return CCL_ERR_TRUNCATED;
	if ((r = dns_packet_new(&pkt)) != 0)
		return r;
	pkt->qd = cnt[0];
	pkt->an = cnt[1];
	pkt->ns = cnt[2];
	pkt->ar = cnt[3];
	for (i = 0; i < cnt[0]; i++) {
		if ((r = get_name(&rd, &whole, 0, name, &nl)) != 0 ||
		    (r = buf_skip(&rd, 4)) != 0)
			goto out;
	}
	for (s = 1; s < 4; s++) {
		for (i = 0; i < cnt[s]; i++) {
			if ((r = parse_rr(&rd, &whole, &rr)) != 0)
				goto out;
			if (s == 1) {
				if ((r = push_rr(pkt, &rr)) != 0)
					goto out;
			} else
				rr_cleanup(&rr);
		}
	}
	if ((r = buf_done(&rd)) != 0)
		goto out;
	*out = pkt;
	pkt = NULL;
	r = 0;
 out:
	rr_cleanup(&rr);
	dns_packet_free(pkt);
	return r;
}

/* ---- names ------------------------------------------------------------- */

static int
put_label(uint8_t *out, size_t *n, const char *s, size_t l)
{
	if (l == 0 || l > DNS_MAX_LABEL || l + 2 > DNS_MAX_NAME - *n)
		return CCL_ERR_INVALID_ARG;
	out[(*n)++] = (uint8_t)l;
	memcpy(out + *n, s, l);
	*n += l;
	return 0;
}

/* Dotted text (no escapes, trailing dot optional) to wire form, appending origin if given. */
static int
text_to_wire(const char *s, size_t slen, const char *origin, uint8_t out[static DNS_MAX_NAME],
    size_t *len)
{
	size_t n = 0, i, start = 0;
	int r;

	*len = 0;
	for (i = 0; i <= slen; i++) {
		if (i < slen && s[i] != '.')
			continue;
		if (i - start == 1 && s[start] == '@')
			return CCL_ERR_INVALID_ARG;
		if ((r = put_label(out, &n, s + start, i - start)) != 0)
			return r;
		start = i + 1;
	}
	if (origin != NULL && (r = put_label(out, &n, origin, strlen(origin))) != 0)
		return r;
	out[n++] = 0;
	*len = n;
	return 0;
}

int
dns_name_from_rel(const char *name, const char *origin, uint8_t out[static DNS_MAX_NAME],
    size_t *len)
{
	size_t nlen, olen, last;

	*len = 0;
	if (name == NULL || origin == NULL)
		return CCL_ERR_INVALID_ARG;
	nlen = strlen(name);
	olen = strlen(origin);
	if (olen == 0 || olen > DNS_MAX_LABEL || memchr(origin, '.', olen) != NULL)
		return CCL_ERR_INVALID_ARG;
	if (nlen > 0 && name[nlen - 1] == '.')
		nlen--;
	if (nlen == 0 || (nlen == 1 && name[0] == '@'))
		return text_to_wire(origin, olen, NULL, out, len);
	/* Already ends in the origin label: keep it as is (pkarr compares exactly). */
	last = nlen;
	while (last > 0 && name[last - 1] != '.')
		last--;
	if (nlen - last == olen && memcmp(name + last, origin, olen) == 0)
		return text_to_wire(name, nlen, NULL, out, len);
	return text_to_wire(name, nlen, origin, out, len);
}

static uint8_t
lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

/* Wire names equal ignoring ASCII case (length bytes compare exactly too). */
static int
name_eq_nocase(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

/* ---- building ---------------------------------------------------------- */

static int
add_rr(struct dns_packet *pkt, const char *name, const char *origin, uint16_t type,
    uint32_t ttl, struct buf_wr *rdata, size_t name_at, size_t name_len)
{
	struct dns_rr rr;
	int r;

	memset(&rr, 0, sizeof(rr));
	rr.type = type;
	rr.class = DNS_CLASS_IN;
	rr.ttl = ttl;
	rr.rd_name_at = name_at;
	rr.rd_name_len = name_len;
	if ((r = dns_name_from_rel(name, origin, rr.name, &rr.name_len)) != 0)
		return r;
	if (buf_wr_len(rdata) > 0 &&
	    (r = buf_wr_detach(rdata, &rr.rdata, &rr.rdlen)) != 0)
		return r;
	if ((r = push_rr(pkt, &rr)) != 0) {
		rr_cleanup(&rr);
		return r;
	}
	return 0;
}

int
dns_add_txt(struct dns_packet *pkt, const char *name, const char *origin, uint32_t ttl,
    const void *value, size_t len)
{
	struct buf_wr w;
	const uint8_t *v = value;
	size_t off = 0, c;
	int r;

	buf_wr_init(&w, DNS_MAX_RDATA);
	if (len == 0)
		r = buf_put_u8(&w, 0);
	else {
		r = 0;
		while (r == 0 && off < len) {
			c = len - off > DNS_TXT_CHUNK ? DNS_TXT_CHUNK : len - off;
			if ((r = buf_put_u8(&w, (uint8_t)c)) == 0)
				r = buf_put(&w, v + off, c);
			off += c;
		}
	}
	if (r == 0)
		r = add_rr(pkt, name, origin, DNS_TYPE_TXT, ttl, &w, DNS_NO_NAME, 0);
	buf_wr_free(&w);
	return r;
}

int
dns_add_a(struct dns_packet *pkt, const char *name, const char *origin, uint32_t ttl,
    const uint8_t addr[static 4])
{
	struct buf_wr w;
	int r;

	buf_wr_init(&w, 4);
	if ((r = buf_put(&w, addr, 4)) == 0)
		r = add_rr(pkt, name, origin, DNS_TYPE_A, ttl, &w, DNS_NO_NAME, 0);
	buf_wr_free(&w);
	return r;
}

int
dns_add_aaaa(struct dns_packet *pkt, const char *name, const char *origin, uint32_t ttl,
    const uint8_t addr[static 16])
{
	struct buf_wr w;
	int r;

	buf_wr_init(&w, 16);
	if ((r = buf_put(&w, addr, 16)) == 0)
		r = add_rr(pkt, name, origin, DNS_TYPE_AAAA, ttl, &w, DNS_NO_NAME, 0);
	buf_wr_free(&w);
	return r;
}

int
dns_add_cname(struct dns_packet *pkt, const char *name, const char *origin, uint32_t ttl,
    const char *target)
{
	struct buf_wr w;
	uint8_t t[DNS_MAX_NAME];
	size_t tlen = 0, slen;
	int r;

	if (target == NULL)
		return CCL_ERR_INVALID_ARG;
	slen = strlen(target);
	if (slen > 0 && target[slen - 1] == '.')
		slen--;
	if (slen == 0) {
		t[0] = 0;
		tlen = 1;
	} else if ((r = text_to_wire(target, slen, NULL, t, &tlen)) != 0)
		return r;
	buf_wr_init(&w, DNS_MAX_NAME);
	if ((r = buf_put(&w, t, tlen)) == 0)
		r = add_rr(pkt, name, origin, DNS_TYPE_CNAME, ttl, &w, 0, tlen);
	buf_wr_free(&w);
	return r;
}

int
dns_add_rr(struct dns_packet *pkt, const struct dns_rr *src)
{
	struct dns_rr rr;
	int r;

	if (src->name_len == 0 || src->name_len > DNS_MAX_NAME || src->rdlen > DNS_MAX_RDATA ||
	    (src->rd_name_at != DNS_NO_NAME &&
	    (src->rd_name_at > src->rdlen || src->rd_name_len > src->rdlen - src->rd_name_at)))
		return CCL_ERR_INVALID_ARG;
	rr = *src;
	rr.rdata = NULL;
	if (src->rdlen > 0) {
		if ((rr.rdata = malloc(src->rdlen)) == NULL)
			return CCL_ERR_NOMEM;
		memcpy(rr.rdata, src->rdata, src->rdlen);
	}
	if ((r = push_rr(pkt, &rr)) != 0) {
		rr_cleanup(&rr);
		return r;
	}
	return 0;
}

int
dns_find(const struct dns_packet *pkt, const char *name, const char *origin, uint16_t type,
    size_t *idx)
{
	uint8_t want[DNS_MAX_NAME];
	size_t wlen, i;
	int r;

	if ((r = dns_name_from_rel(name, origin, want, &wlen)) != 0)
		return r;
	for (i = *idx; i < pkt->n; i++) {
		if (type != 0 && pkt->rr[i].type != type)
			continue;
		if (name_eq_nocase(pkt->rr[i].name, pkt->rr[i].name_len, want, wlen)) {
			*idx = i;
			return 0;
		}
	}
	return CCL_ERR_NOT_FOUND;
}

int
dns_remove(struct dns_packet *pkt, const char *name, const char *origin, uint16_t type,
    size_t *removed)
{
	size_t i = 0, n = 0;
	int r;

	if (removed != NULL)
		*removed = 0;
	while ((r = dns_find(pkt, name, origin, type, &i)) == 0) {
		rr_cleanup(&pkt->rr[i]);
		memmove(&pkt->rr[i], &pkt->rr[i + 1], (pkt->n - i - 1) * sizeof(pkt->rr[0]));
		pkt->n--;
		n++;
	}
	if (r != CCL_ERR_NOT_FOUND)
		return r;
	if (removed != NULL)
		*removed = n;
	return 0;
}

int
dns_txt_value(const struct dns_rr *rr, char **value, size_t *len)
{
	struct buf_rd rd;
	struct buf_wr w;
	const uint8_t *s;
	uint8_t l;
	uint8_t *v = NULL;
	size_t vl = 0;
	int r;

	*value = NULL;
	*len = 0;
	if (rr->type != DNS_TYPE_TXT)
		return CCL_ERR_INVALID_ARG;
	buf_wr_init(&w, DNS_MAX_RDATA);
	buf_rd_init(&rd, rr->rdata, rr->rdlen);
	while (buf_remaining(&rd) > 0) {
		if ((r = buf_get_u8(&rd, &l)) != 0 ||
		    (r = buf_get_bytes(&rd, l, &s)) != 0 ||
		    (r = buf_put(&w, s, l)) != 0)
			goto out;
	}
	/* detach NUL-terminates, and allocates even for an empty value. */
	if ((r = buf_wr_detach(&w, &v, &vl)) != 0)
		goto out;
	*value = (char *)v;
	*len = vl;
	r = 0;
 out:
	buf_wr_free(&w);
	return r;
}

int
dns_find_txt(const struct dns_packet *pkt, const char *name, const char *origin, char **value,
    size_t *len)
{
	size_t i = 0;
	int r;

	*value = NULL;
	*len = 0;
	if ((r = dns_find(pkt, name, origin, DNS_TYPE_TXT, &i)) != 0)
		return r;
	return dns_txt_value(&pkt->rr[i], value, len);
}

/* ---- encoding ---------------------------------------------------------- */

/* simple-dns's name table: suffixes (uncompressed wire bytes) and where they start. */
struct ctab {
	const uint8_t *suf[512];
	size_t len[512];
	uint16_t off[512];
	size_t n;
};

static int
put_name(struct buf_wr *w, const uint8_t *name, size_t len, struct ctab *t)
{
	size_t pos = 0, i, at;
	int r;

	while (pos < len && name[pos] != 0) {
		if (t != NULL) {
			for (i = 0; i < t->n; i++) {
				if (t->len[i] == len - pos &&
				    memcmp(t->suf[i], name + pos, len - pos) == 0)
					return buf_put_u16be(w, (uint16_t)(0xC000u | t->off[i]));
			}
			at = buf_wr_len(w);
			if (at <= PTR_MAX && t->n < sizeof(t->suf) / sizeof(t->suf[0])) {
				t->suf[t->n] = name + pos;
				t->len[t->n] = len - pos;
				t->off[t->n] = (uint16_t)at;
				t->n++;
			}
		}
		if ((size_t)name[pos] + 1 > len - pos)
			return CCL_ERR_INTERNAL;
		if ((r = buf_put(w, name + pos, (size_t)name[pos] + 1)) != 0)
			return r;
		pos += (size_t)name[pos] + 1;
	}
	return buf_put_u8(w, 0);
}

static int
put_rr(struct buf_wr *w, const struct dns_rr *rr, struct ctab *t)
{
	size_t lenat, start, end;
	int r;

	if ((r = put_name(w, rr->name, rr->name_len, t)) != 0 ||
	    (r = buf_put_u16be(w, rr->type)) != 0 ||
	    (r = buf_put_u16be(w, rr->class)) != 0 ||
	    (r = buf_put_u32be(w, rr->ttl)) != 0)
		return r;
	lenat = buf_wr_len(w);
	if ((r = buf_put_u16be(w, 0)) != 0)
		return r;
	start = buf_wr_len(w);
	if (t != NULL && rr->rd_name_at != DNS_NO_NAME) {
		end = rr->rd_name_at + rr->rd_name_len;
		if ((r = buf_put(w, rr->rdata, rr->rd_name_at)) != 0 ||
		    (r = put_name(w, rr->rdata + rr->rd_name_at, rr->rd_name_len, t)) != 0 ||
		    (r = buf_put(w, rr->rdata + end, rr->rdlen - end)) != 0)
			return r;
	} else if (rr->rdlen > 0 && (r = buf_put(w, rr->rdata, rr->rdlen)) != 0)
		return r;
	end = buf_wr_len(w) - start;
	if (end > DNS_MAX_RDATA)
		return CCL_ERR_TOO_LARGE;
	return buf_poke_u16be(w, lenat, (uint16_t)end);
}

int
dns_encode(const struct dns_packet *pkt, unsigned flags, struct buf_wr *wr)
{
	struct ctab *t = NULL;
	size_t i, start = buf_wr_len(wr);
	int r;

	if (!(flags & DNS_ENC_PLAIN) && (t = calloc(1, sizeof(*t))) == NULL)
		return CCL_ERR_NOMEM;
	if ((r = buf_put_u16be(wr, 0)) != 0 ||
	    (r = buf_put_u16be(wr, FLAG_QR)) != 0 ||
	    (r = buf_put_u16be(wr, 0)) != 0 ||
	    (r = buf_put_u16be(wr, (uint16_t)pkt->n)) != 0 ||
	    (r = buf_put_u16be(wr, 0)) != 0 ||
	    (r = buf_put_u16be(wr, 0)) != 0)
		goto out;
	for (i = 0; i < pkt->n; i++)
		if ((r = put_rr(wr, &pkt->rr[i], t)) != 0)
			goto out;
	r = 0;
 out:
	if (r != 0 && buf_truncate(wr, start) != 0)
		r = CCL_ERR_INTERNAL;
	free(t);
	return r;
}
