/* SPDX-License-Identifier: MIT */
/*
 * dns_text.c — presentation forms of DNS names and records (for `cclink
 * resolve`). Input is a record dns_parse() or a builder produced, so names
 * are valid wire names; output names are escaped to printable ASCII, TXT
 * values are handed out raw (untrusted: the caller sanitises them).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

static uint8_t
lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

static int
name_eq_nocase(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

/* Escaped text of the labels that start before offset upto of a wire name. */
static int
labels_to_text(const uint8_t *name, size_t upto, char *out, size_t cap, size_t *pos)
{
	size_t i = 0, j, l;
	uint8_t c;
	int first = 1;

	while (i < upto && name[i] != 0) {
		l = name[i++];
		if (!first) {
			if (*pos + 1 >= cap)
				return CCL_ERR_TOO_LARGE;
			out[(*pos)++] = '.';
		}
		first = 0;
		for (j = 0; j < l; j++) {
			c = name[i + j];
			if (*pos + 5 >= cap)
				return CCL_ERR_TOO_LARGE;
			if (c == '.' || c == '\\') {
				out[(*pos)++] = '\\';
				out[(*pos)++] = (char)c;
			} else if (c <= 0x20 || c >= 0x7f || c == '"' || c == ';' ||
			    c == '(' || c == ')') {
				out[(*pos)++] = '\\';
				out[(*pos)++] = (char)('0' + c / 100);
				out[(*pos)++] = (char)('0' + c / 10 % 10);
				out[(*pos)++] = (char)('0' + c % 10);
			} else
				out[(*pos)++] = (char)c;
		}
		i += l;
	}
	out[*pos] = '\0';
	return 0;
}

/* 1 when the last olen bytes of name are origin's wire form, on a label boundary. */
static int
under_origin(const uint8_t *name, size_t len, const uint8_t *o, size_t olen)
{
	size_t cut, i = 0;

	if (len < olen)
		return 0;
	cut = len - olen;
	if (!name_eq_nocase(name + cut, o, olen))
		return 0;
	while (i < cut && name[i] != 0)
		i += (size_t)name[i] + 1;
	return i == cut;
}

int
dns_name_to_text(const uint8_t *name, size_t len, const char *origin, char *out, size_t cap)
{
	uint8_t o[DNS_MAX_NAME];
	size_t olen = 0, pos = 0;
	int r;

	if (cap < 2 || len == 0 || len > DNS_MAX_NAME)
		return CCL_ERR_INVALID_ARG;
	out[0] = '\0';
	if (origin != NULL) {
		if ((r = dns_name_from_rel("@", origin, o, &olen)) != 0)
			return r;
		if (under_origin(name, len, o, olen)) {
			if (len == olen) {
				out[0] = '@';
				out[1] = '\0';
				return 0;
			}
			return labels_to_text(name, len - olen, out, cap, &pos);
		}
	}
	if (len == 1) {  /* the root */
		out[0] = '.';
		out[1] = '\0';
		return 0;
	}
	if ((r = labels_to_text(name, len, out, cap, &pos)) != 0)
		return r;
	if (origin != NULL) {  /* absolute: mark it with the trailing dot */
		if (pos + 1 >= cap)
			return CCL_ERR_TOO_LARGE;
		out[pos++] = '.';
		out[pos] = '\0';
	}
	return 0;
}

/* ---- presentation ------------------------------------------------------ */

static int
type_name(uint16_t type, char out[static 16])
{
	static const struct { uint16_t t; const char *s; } names[] = {
		{ DNS_TYPE_A, "A" }, { DNS_TYPE_NS, "NS" }, { DNS_TYPE_CNAME, "CNAME" },
		{ DNS_TYPE_SOA, "SOA" }, { DNS_TYPE_PTR, "PTR" }, { DNS_TYPE_MX, "MX" },
		{ DNS_TYPE_TXT, "TXT" }, { DNS_TYPE_AAAA, "AAAA" }, { DNS_TYPE_SRV, "SRV" },
		{ DNS_TYPE_SVCB, "SVCB" }, { DNS_TYPE_HTTPS, "HTTPS" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].t == type) {
			snprintf(out, 16, "%s", names[i].s);
			return 0;
		}
	}
	snprintf(out, 16, "TYPE%u", (unsigned)type);
	return 0;
}

int
dns_rr_to_text(const struct dns_rr *rr, const char *origin, struct dns_rr_text *t)
{
	struct buf_wr w;
	char tmp[DNS_NAME_TEXT_MAX], hx[3];
	const uint8_t *nm;
	uint8_t *v = NULL;
	size_t vl = 0, i;
	int r;

	memset(t, 0, sizeof(*t));
	buf_wr_init(&w, 2 * DNS_MAX_RDATA + 32);
	if ((r = dns_name_to_text(rr->name, rr->name_len, origin, t->name, sizeof(t->name))) != 0 ||
	    (r = type_name(rr->type, t->type)) != 0)
		goto out;
	t->ttl = rr->ttl;
	if (rr->type == DNS_TYPE_TXT) {
		r = dns_txt_value(rr, &t->value, &t->value_len);
		goto out;
	}
	if (rr->type == DNS_TYPE_A && rr->rdlen == 4) {
		if (inet_ntop(AF_INET, rr->rdata, tmp, sizeof(tmp)) == NULL) {
			r = CCL_ERR_INTERNAL;
			goto out;
		}
		r = buf_put_cstr(&w, tmp);
	} else if (rr->type == DNS_TYPE_AAAA && rr->rdlen == 16) {
		if (inet_ntop(AF_INET6, rr->rdata, tmp, sizeof(tmp)) == NULL) {
			r = CCL_ERR_INTERNAL;
			goto out;
		}
		r = buf_put_cstr(&w, tmp);
	} else if (rr->rd_name_at != DNS_NO_NAME &&
	    (rr->type == DNS_TYPE_CNAME || rr->type == DNS_TYPE_NS ||
	    rr->type == DNS_TYPE_PTR || rr->type == DNS_TYPE_MX)) {
		nm = rr->rdata + rr->rd_name_at;
		if (rr->type == DNS_TYPE_MX && rr->rd_name_at == 2) {
			snprintf(tmp, sizeof(tmp), "%u ",
			    (unsigned)((rr->rdata[0] << 8) | rr->rdata[1]));
			if ((r = buf_put_cstr(&w, tmp)) != 0)
				goto out;
		}
		if ((r = dns_name_to_text(nm, rr->rd_name_len, NULL, tmp, sizeof(tmp))) != 0)
			goto out;
		r = buf_put_cstr(&w, tmp);
	} else {
		snprintf(tmp, sizeof(tmp), "\\# %zu%s", rr->rdlen, rr->rdlen > 0 ? " " : "");
		r = buf_put_cstr(&w, tmp);
		for (i = 0; r == 0 && i < rr->rdlen; i++) {
			snprintf(hx, sizeof(hx), "%02x", rr->rdata[i]);
			r = buf_put(&w, hx, 2);
		}
	}
	if (r != 0 || (r = buf_wr_detach(&w, &v, &vl)) != 0)
		goto out;
	t->value = (char *)v;
	t->value_len = vl;
	r = 0;
 out:
	buf_wr_free(&w);
	if (r != 0)
		dns_rr_text_cleanup(t);
	return r;
}

void
dns_rr_text_cleanup(struct dns_rr_text *t)
{
	if (t == NULL)
		return;
	free(t->value);
	memset(t, 0, sizeof(*t));
}
