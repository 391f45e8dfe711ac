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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkarr_packet p;

	if (pkarr_parse(&p, data, size) == 0)
		check(&p, data, size, 0);
	if (pkarr_parse_relay(&p, pk2a, data, size) == 0)
		check(&p, data, size, 1);
	if (size >= 96 && pkarr_from_item(&p, data, data + 32, 1700000000000000LL, data + 96,
	    size - 96) == 0)
		abort();  /* a signature over a fixed seq cannot come out of the fuzzer */
	return 0;
}
