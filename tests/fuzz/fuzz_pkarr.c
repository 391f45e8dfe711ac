/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for pkarr_parse() / pkarr_parse_relay(). A packet that
 * parses must verify again and re-encode to exactly the input bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pkarr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The seed 2a x 32 key of the vectors: relay bodies are checked against it. */
static const uint8_t pk2a[32] = {
	0x19, 0x7f, 0x6b, 0x23, 0xe1, 0x6c, 0x85, 0x32, 0xc6, 0xab, 0xc8, 0x38, 0xfa, 0xcd, 0x5e, 0xa7,
	0x89, 0xbe, 0x0c, 0x76, 0xb2, 0x92, 0x03, 0x34, 0x03, 0x9b, 0xfa, 0x8b, 0x3d, 0x36, 0x8d, 0x61,
};

static void
check(const struct pkarr_packet *p, const uint8_t *data, size_t size, int relay)
{
	struct dns_packet *d = NULL;
	struct buf_wr w;

	if (pkarr_verify(p) != 0 || pkarr_dns(p, &d) != 0)
		abort();
	dns_packet_free(d);
	buf_wr_init(&w, PKARR_MAX_PACKET);
	if ((relay ? pkarr_encode_relay(p, &w) : pkarr_encode(p, &w)) != 0 ||
	    buf_wr_len(&w) != size || memcmp(buf_wr_data(&w), data, size) != 0)
		abort();
	buf_wr_free(&w);
}

/*
 * The input read as a DHT item k(32) | sig(64) | v at a fixed seq. A seed
 * signed at that seq verifies once the fuzzer drops its 8 ts bytes, so a
 * verified item is possible: check what must hold for every one. The packet
 * carries exactly the item's fields, verifies again, decodes, and the same
 * fields laid out as a SignedPacket parse to the same packet.
 */
#define ITEM_SEQ 1700000000000000LL

static void
check_item(const struct pkarr_packet *p, const uint8_t *data, size_t size)
{
	struct pkarr_packet q;
	struct dns_packet *d = NULL;
	struct buf_wr w;
	size_t vlen = size - 96;

	if (memcmp(p->pk, data, 32) != 0 || memcmp(p->sig, data + 32, 64) != 0 ||
	    p->ts != (uint64_t)ITEM_SEQ || p->dns_len != vlen ||
	    (vlen > 0 && memcmp(p->dns, data + 96, vlen) != 0))
		abort();
	if (pkarr_verify(p) != 0 || pkarr_dns(p, &d) != 0)
		abort();
	dns_packet_free(d);
	buf_wr_init(&w, PKARR_MAX_PACKET);
	if (pkarr_encode(p, &w) != 0 || buf_wr_len(&w) != PKARR_HDR_LEN + vlen ||
	    pkarr_parse(&q, buf_wr_data(&w), buf_wr_len(&w)) != 0 ||
	    memcmp(q.pk, p->pk, 32) != 0 || memcmp(q.sig, p->sig, 64) != 0 || q.ts != p->ts ||
	    q.dns_len != p->dns_len || memcmp(q.dns, p->dns, vlen) != 0)
		abort();
	buf_wr_free(&w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkarr_packet p;

	if (pkarr_parse(&p, data, size) == 0)
		check(&p, data, size, 0);
	if (pkarr_parse_relay(&p, pk2a, data, size) == 0)
		check(&p, data, size, 1);
	if (size >= 96 && pkarr_from_item(&p, data, data + 32, ITEM_SEQ, data + 96,
	    size - 96) == 0)
		check_item(&p, data, size);
	return 0;
}
