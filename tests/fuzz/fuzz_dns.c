/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for dns_parse(). Beyond "no crash": every packet that
 * parses must render as text, answer lookups, and re-encode (compressed and
 * plain) into bytes that parse again to the same records.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "dns.h"

#define ORIGIN "df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same_records(const struct dns_packet *a, const struct dns_packet *b)
{
	size_t i;

	if (dns_count(a) != dns_count(b))
		abort();
	for (i = 0; i < dns_count(a); i++) {
		const struct dns_rr *x = dns_rr_at(a, i), *y = dns_rr_at(b, i);

		if (x->type != y->type || x->class != y->class || x->ttl != y->ttl ||
		    x->name_len != y->name_len || memcmp(x->name, y->name, x->name_len) != 0 ||
		    x->rdlen != y->rdlen || (x->rdlen > 0 && memcmp(x->rdata, y->rdata, x->rdlen) != 0))
			abort();
	}
}

static void
roundtrip(const struct dns_packet *pkt, unsigned flags)
{
	struct dns_packet *again = NULL;
	struct buf_wr w;

	buf_wr_init(&w, 1u << 17);
	if (dns_encode(pkt, flags, &w) != 0)
		abort();
	/* Expanded names may outgrow the 1000-byte cap; only shorter output must parse. */
	if (buf_wr_len(&w) <= DNS_MAX_PACKET) {
		if (dns_parse(buf_wr_data(&w), buf_wr_len(&w), &again) != 0)
			abort();
		same_records(pkt, again);
		dns_packet_free(again);
	}
	buf_wr_free(&w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_packet *pkt = NULL;
	struct dns_rr_text t;
	char *v = NULL;
	size_t i, vl;

	if (dns_parse(data, size, &pkt) != 0) {
		if (pkt != NULL)
			abort();
		return 0;
	}
	for (i = 0; i < dns_count(pkt); i++) {
		if (dns_rr_to_text(dns_rr_at(pkt, i), ORIGIN, &t) != 0 ||
		    strlen(t.name) == 0 || t.value == NULL)
			abort();
		dns_rr_text_cleanup(&t);
	}
	if (dns_find_txt(pkt, "_cclink", ORIGIN, &v, &vl) == 0)
		free(v);
	roundtrip(pkt, 0);
	roundtrip(pkt, DNS_ENC_PLAIN);
	dns_packet_free(pkt);
	return 0;
}
