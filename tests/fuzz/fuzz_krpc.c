/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for KRPC parsing and the DHT engine's input path.
 * 1. krpc_parse() on the raw input; whatever parses must keep the length
 *    invariants of krpc.h.
 * 2. The input as a reply to a running lookup: every "TTTT" in it is replaced
 *    by the transaction id of an outstanding query ("tt" by a 2-byte one), and
 *    it is fed from that query's address, for a few rounds, in GET and PUT
 *    mode. An input starting with 'U' is an ICMP unreachable instead.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sodium.h>

#include "dht.h"
#include "krpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_msg(const struct krpc_msg *m)
{
	struct krpc_node n;
	struct buf_rd rd;

	if (m->tlen < 1 || m->tlen > KRPC_MAX_TID || (m->has & m->bad) != 0)
		abort();
	if ((m->has & KRPC_F_NODES) && m->nodes_len % KRPC_NODE4_LEN != 0)
		abort();
	if ((m->has & KRPC_F_NODES6) && m->nodes6_len % KRPC_NODE6_LEN != 0)
		abort();
	if ((m->has & KRPC_F_V) && m->vlen > KRPC_MAX_V)
		abort();
	if (krpc_has_item(m) && (m->k == NULL || m->sig == NULL))
		abort();
	if (m->has & KRPC_F_NODES) {
		buf_rd_init(&rd, m->nodes, m->nodes_len);
		while (buf_remaining(&rd) > 0)
			if (krpc_get_node(&rd, AF_INET, &n) != 0)
				abort();
	}
}

static void
drive(const uint8_t *data, size_t size, enum dht_mode mode)
{
	static const uint8_t v[] = "fuzz";
	struct sockaddr_storage boot, to;
	struct sockaddr_in *b4 = (struct sockaddr_in *)&boot;
	struct dht_params p;
	struct dht_item item;
	struct dht_lookup *l;
	struct krpc_msg q;
	uint8_t out[KRPC_MAX_DATAGRAM], *in;
	uint64_t now = 1000;
	size_t len, i, round;

	if ((in = malloc(size + 1)) == NULL)
		return;
	memset(&boot, 0, sizeof(boot));
	b4->sin_family = AF_INET;
	b4->sin_port = htons(6881);
	b4->sin_addr.s_addr = htonl(0x0a000001);
	memset(&p, 0, sizeof(p));
	memset(&item, 0, sizeof(item));
	p.mode = mode;
	p.bootstrap = &boot;
	p.n_bootstrap = 1;
	p.item = &item;
	item.vlen = sizeof(v) - 1;
	memcpy(item.v, v, item.vlen);
	if (dht_lookup_new(&l, &p, now) != 0) {
		free(in);
		return;
	}
	for (round = 0; round < 6; round++) {
		if (dht_lookup_output(l, now, &to, out, sizeof(out), &len) != 1 ||
		    krpc_parse(&q, out, len) != 0 || (q.tlen != KRPC_TID_LEN && q.tlen != 2))
			break;
		memcpy(in, data, size);
		/* "TTTT" becomes a 4-byte t; "tt" a 2-byte one (after a 2-byte echo). */
		for (i = 0; i + q.tlen <= size; i++)
			if (memcmp(in + i, q.tlen == 2 ? "tt" : "TTTT", q.tlen) == 0)
				memcpy(in + i, q.t, q.tlen);
		if (size > 0 && data[0] == 'U')  /* an ICMP error instead of a reply */
			(void)dht_lookup_unreachable(l, now, &to);
		else if (dht_lookup_input(l, now, &to, in, size) != 0)
			abort();
		now += 10;
	}
	while (dht_lookup_output(l, now, &to, out, sizeof(out), &len) == 1)
		;
	now += 100000;
	(void)dht_lookup_output(l, now, &to, out, sizeof(out), &len);
	(void)dht_lookup_next_ms(l, now);
	(void)dht_lookup_result(l, &item, NULL);
	dht_lookup_free(l);
	free(in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct krpc_msg m;

	if (sodium_init() < 0)
		abort();
	if (krpc_parse(&m, data, size) == 0)
		check_msg(&m);
	if (size <= 65536) {
		drive(data, size, DHT_GET);
		drive(data, size, DHT_PUT);
	}
	return 0;
}
