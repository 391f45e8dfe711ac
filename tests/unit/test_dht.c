/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the sans-I/O DHT engine. A fake in-process network of
 * simulated nodes (honest, silent, stale, forged, wrong-key, oversized,
 * garbage, bittorrent-dht-like, Sybil, spoofed...) answers the engine's
 * datagrams from tables, with per-node latency, under a fake clock.
 */
#include "testutil.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <cjson/cJSON.h>
#include "dht.h"
#include "hex.h"
#include "krpc.h"
#include "sha1.h"
#include "signer.h"

#define SIM_MAX_NODES   1200
#define SIM_MAX_PENDING 4096
#define SIM_MAX_SENT    8192
#define SIM_MAX_DGRAM   16384  /* replies up to 16 KB (a node listing 600 nodes) */
#define S0 1700000000000000LL   /* seq of the cclink600 vector */

enum {
	B_HONEST = 0,
	B_SILENT,     /* never answers */
	B_GARBAGE,    /* answers with bytes that are not bencode */
	B_BADTYPES,   /* a well-formed reply whose fields have the wrong types/lengths */
	B_ERROR,      /* answers every query with error 202 */
	B_BTDHT,      /* bittorrent-dht: no nodes next to a value; 302 on an equal-seq put */
	B_BIGV,       /* serves a validly signed 1001-byte v */
	B_SYBIL,      /* answers with new Sybil nodes, always closer to the target */
	B_SPOOFED,    /* an attacker races each reply with a spoof from another port */
	B_T2,         /* echoes only the first 2 bytes of a 4-byte t (older mainline) */
	B_CLOSED,     /* nothing listens: the kernel reports ICMP port unreachable */
};
/* PB_RACED: someone stored our exact item just before our put: it answers 302, then holds ours. */
enum { PB_OK = 0, PB_SILENT, PB_205, PB_HIDE302, PB_RACED };

struct simnode {
	uint8_t id[20];
	struct sockaddr_storage addr;
	int behav, putb, no_token, extra_nodes, send_ip;
	unsigned far_nodes;   /* list this many far-away (dead) nodes before the real ones */
	uint32_t latency;
	int has_held;
	struct dht_item held;
	unsigned queries, gets, puts;
};

struct pending {
	uint64_t at;
	struct sockaddr_storage from;
	uint8_t tid[4];
	size_t len;
	uint8_t *data;
};

struct sentq {
	uint8_t tid[4];
	uint64_t at;
	int answered;
};

struct sim {
	struct simnode *nodes;
	size_t n;
	uint8_t target[20];
	uint8_t pubkey[32];
	uint64_t now;
	struct pending *pend;
	size_t npend;
	struct sentq *sent;
	size_t nsent;
	struct sockaddr_storage client;
	struct sockaddr_storage nat;     /* the client's address as others see it */
	uint32_t timeout;
	unsigned max_inflight_seen;
	unsigned to_unknown, to_client, to_nat, to_loopback, wire_errors, bad_tokens, puts_no_target;
	unsigned t2_queries;
	uint32_t sybil_counter;
	uint8_t bigv[KRPC_MAX_V + 1];
	uint8_t bigsig[64];
	int64_t bigseq;
};

static struct signer sg2a, sgother;  /* seed 2a×32 (the vectors' key), seed 07×32 */
static struct dht_item item_old;     /* the cclink600 SignedPacket (seq S0) */

/* ---- helpers ---- */

static void
set_v4(struct sockaddr_storage *a, uint32_t ip, uint16_t port)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)a;

	memset(a, 0, sizeof(*a));
	a4->sin_family = AF_INET;
	a4->sin_addr.s_addr = htonl(ip);
	a4->sin_port = htons(port);
}

static int
same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	const struct sockaddr_in *x = (const struct sockaddr_in *)a, *y = (const struct sockaddr_in *)b;

	return a->ss_family == AF_INET && b->ss_family == AF_INET &&
	    x->sin_addr.s_addr == y->sin_addr.s_addr && x->sin_port == y->sin_port;
}

static void
make_item(struct signer *s, int64_t seq, const char *v, struct dht_item *it)
{
	uint8_t msg[KRPC_MAX_V + 64];
	struct buf_wr wr;

	memset(it, 0, sizeof(*it));
	memcpy(it->k, s->pk, 32);
	it->seq = seq;
	it->vlen = strlen(v);
	memcpy(it->v, v, it->vlen);
	buf_wr_init_fixed(&wr, msg, sizeof(msg));
	assert_int_equal(krpc_signable(&wr, seq, it->v, it->vlen), 0);
	assert_int_equal(signer_sign(s, it->sig, buf_wr_data(&wr), buf_wr_len(&wr)), 0);
	assert_int_equal(dht_item_verify(it), 0);
}

static void
assert_item_equal(const struct dht_item *a, const struct dht_item *b)
{
	assert_true(a->seq == b->seq);
	assert_int_equal(a->vlen, b->vlen);
	assert_memory_equal(a->v, b->v, a->vlen);
	assert_memory_equal(a->k, b->k, 32);
	assert_memory_equal(a->sig, b->sig, 64);
}

/* ---- the simulated network ---- */

/* Node rank i sits at XOR distance (i+1) << 144 (plus noise) from the target. */
static void
node_id(struct sim *s, uint32_t rank, uint8_t id[20])
{
	uint8_t d[20];
	int k;

	randombytes_buf(d, sizeof(d));
	d[0] = (uint8_t)((rank + 1) >> 8);
	d[1] = (uint8_t)(rank + 1);
	for (k = 0; k < 20; k++)
		id[k] = s->target[k] ^ d[k];
}

static struct simnode *
sim_add(struct sim *s, int behav)
{
	struct simnode *nd;
	uint32_t i = (uint32_t)s->n;

	assert_true(s->n < SIM_MAX_NODES);
	nd = &s->nodes[s->n++];
	memset(nd, 0, sizeof(*nd));
	node_id(s, i, nd->id);
	set_v4(&nd->addr, 0x0a010000u | ((i / 250) << 8) | (i % 250 + 1), 6881);
	nd->behav = behav;
	nd->latency = 10 + (i * 7) % 23;
	return nd;
}

static void
sim_init(struct sim *s, size_t n, const uint8_t pubkey[32])
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->nodes = calloc(SIM_MAX_NODES, sizeof(*s->nodes));
	s->pend = calloc(SIM_MAX_PENDING, sizeof(*s->pend));
	s->sent = calloc(SIM_MAX_SENT, sizeof(*s->sent));
	assert_non_null(s->nodes);
	assert_non_null(s->pend);
	assert_non_null(s->sent);
	memcpy(s->pubkey, pubkey, 32);
	dht_target(pubkey, s->target);
	set_v4(&s->client, 0x0a090909, 4000);
	set_v4(&s->nat, 0xcb007105, 5555);  /* 203.0.113.5:5555 */
	s->timeout = DHT_DEFAULT_TIMEOUT_MS;
	s->now = 1000000;  /* an arbitrary epoch: the engine must not assume 0 */
	for (i = 0; i < n; i++)
		sim_add(s, B_HONEST);
}

static void
sim_free(struct sim *s)
{
	size_t i;

	for (i = 0; i < s->npend; i++)
		free(s->pend[i].data);
	free(s->nodes);
	free(s->pend);
	free(s->sent);
}

static struct simnode *
sim_find(struct sim *s, const struct sockaddr_storage *a)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (same_addr(&s->nodes[i].addr, a))
			return &s->nodes[i];
	return NULL;
}

static void
sim_queue(struct sim *s, uint64_t at, const struct sockaddr_storage *from, const uint8_t tid[4],
    const uint8_t *p, size_t n)
{
	struct pending *q;

	assert_true(s->npend < SIM_MAX_PENDING);
	assert_true(n <= SIM_MAX_DGRAM);
	q = &s->pend[s->npend++];
	q->at = at;
	q->from = *from;
	memcpy(q->tid, tid, 4);
	q->len = n;
	q->data = n > 0 ? malloc(n) : NULL;
	assert_true(n == 0 || q->data != NULL);
	if (n > 0)
		memcpy(q->data, p, n);
}

/* Compact nodes a node hands out: ranks i-8..i-1 and i+1..i+2 (a partial view). */
static void
put_neighbours(struct sim *s, struct simnode *nd, struct buf_wr *wr)
{
	size_t i = (size_t)(nd - s->nodes), j, lo = i >= 8 ? i - 8 : 0;
	struct sockaddr_storage a;
	uint8_t id[20];
	unsigned f;

	/* Far-away nodes that answer nothing, ahead of the real list (a 3-10 KB reply). */
	for (f = 0; f < nd->far_nodes; f++) {
		memcpy(id, s->target, 20);
		id[0] ^= 0x80 | (uint8_t)(f >> 8);
		id[1] ^= (uint8_t)f;
		set_v4(&a, 0x0ac80000u + f, 6881);
		assert_int_equal(krpc_put_node(wr, id, &a), 0);
	}

	if (nd->behav == B_SYBIL) {
		/* Four brand-new Sybils, each closer than anything before. */
		for (j = 0; j < 4 && s->n < SIM_MAX_NODES; j++) {
			struct simnode *sy = sim_add(s, B_SYBIL);
			uint32_t d = 0xffffffffu - ++s->sybil_counter;
			int k;

			sy->latency = 30;  /* prompt: never passed over */
			for (k = 0; k < 20; k++)
				sy->id[k] = s->target[k];
			sy->id[2] ^= (uint8_t)(d >> 24);
			sy->id[3] ^= (uint8_t)(d >> 16);
			sy->id[4] ^= (uint8_t)(d >> 8);
			sy->id[5] ^= (uint8_t)d;
			assert_int_equal(krpc_put_node(wr, sy->id, &sy->addr), 0);
		}
		return;
	}
	for (j = lo; j < i + 3 && j < s->n; j++)
		if (j != i && s->nodes[j].behav != B_SYBIL)
			assert_int_equal(krpc_put_node(wr, s->nodes[j].id, &s->nodes[j].addr), 0);
	if (nd->extra_nodes) {
		/*
		 * Our own address (bound and NATed), loopback, 0.0.0.0, multicast and
		 * port 0, all claiming ids right next to the target: never to be queried.
		 */
		memcpy(id, s->target, 20);
		id[19] ^= 1;
		assert_int_equal(krpc_put_node(wr, id, &s->client), 0);
		assert_int_equal(krpc_put_node(wr, id, &s->nat), 0);
		set_v4(&a, 0x7f000001, 80);
		assert_int_equal(krpc_put_node(wr, id, &a), 0);
		set_v4(&a, 0, 6881);
		assert_int_equal(krpc_put_node(wr, id, &a), 0);
		set_v4(&a, 0xe0000001, 6881);
		assert_int_equal(krpc_put_node(wr, id, &a), 0);
		set_v4(&a, 0x0a0b0c0d, 0);
		assert_int_equal(krpc_put_node(wr, id, &a), 0);
	}
}

static void
node_put(struct sim *s, struct simnode *nd, const struct krpc_msg *q, struct buf_wr *out)
{
	struct dht_item it;
	uint8_t tgt[20], tok[4];
	size_t idx = (size_t)(nd - s->nodes);

	nd->puts++;
	memset(&it, 0, sizeof(it));
	if (!krpc_has_item(q)) {
		s->wire_errors++;
		return;
	}
	memcpy(it.k, q->k, 32);
	memcpy(it.sig, q->sig, 64);
	it.seq = q->seq;
	it.vlen = q->vlen;
	memcpy(it.v, q->v, q->vlen);
	dht_target(it.k, tgt);
	if (!(q->has & KRPC_F_TARGET) || memcmp(q->target, tgt, 20) != 0) {
		s->puts_no_target++;  /* Rust mainline drops such a put */
		return;
	}
	tok[0] = 'T', tok[1] = (uint8_t)idx, tok[2] = (uint8_t)(idx >> 8), tok[3] = 'K';
	if (!(q->has & KRPC_F_TOKEN) || q->token_len != 4 || memcmp(q->token, tok, 4) != 0) {
		s->bad_tokens++;
		assert_int_equal(krpc_build_error(out, q->t, q->tlen, 203, "bad token"), 0);
		return;
	}
	if (dht_item_verify(&it) != 0) {
		assert_int_equal(krpc_build_error(out, q->t, q->tlen, 206, "invalid signature"), 0);
		return;
	}
	switch (nd->putb) {
	case PB_SILENT:
		return;
	case PB_205:
		assert_int_equal(krpc_build_error(out, q->t, q->tlen, 205, "message too big"), 0);
		return;
	case PB_HIDE302:
		assert_int_equal(krpc_build_error(out, q->t, q->tlen, 302, "sequence number less than current"), 0);
		return;
	case PB_RACED:
		nd->held = it;
		nd->has_held = 1;
		assert_int_equal(krpc_build_error(out, q->t, q->tlen, 302, "sequence number less than current"), 0);
		return;
	}
	if (nd->has_held && (q->has & KRPC_F_CAS) && q->cas != nd->held.seq) {
		assert_int_equal(krpc_build_error(out, q->t, q->tlen, 301, "CAS mismatch"), 0);
		return;
	}
	if (nd->has_held && (it.seq < nd->held.seq || (it.seq == nd->held.seq && nd->behav == B_BTDHT))) {
		assert_int_equal(krpc_build_error(out, q->t, q->tlen, 302, "sequence number less than current"), 0);
		return;
	}
	nd->held = it;
	nd->has_held = 1;
	{
		struct krpc_reply rp;

		memset(&rp, 0, sizeof(rp));
		rp.id = nd->id;
		assert_int_equal(krpc_build_reply(out, q->t, q->tlen, &rp), 0);
	}
}

/* A node receives one datagram from the engine and maybe answers. */
static void
sim_deliver(struct sim *s, const struct sockaddr_storage *to, const uint8_t *p, size_t n)
{
	struct simnode *nd;
	struct krpc_msg q;
	struct krpc_reply rp;
	struct buf_wr out, nodes;
	struct sockaddr_storage from;
	uint8_t obuf[SIM_MAX_DGRAM], nbuf[SIM_MAX_DGRAM], tok[4], ipb[6], tid4[4];
	size_t i, outstanding = 0, idx;
	int with_value;

	if (same_addr(to, &s->client))
		s->to_client++;
	if (same_addr(to, &s->nat))
		s->to_nat++;
	if (to->ss_family == AF_INET &&
	    (ntohl(((const struct sockaddr_in *)to)->sin_addr.s_addr) >> 24) == 127)
		s->to_loopback++;
	/* What the engine sent must be a well-formed query in our wire format. */
	if (krpc_parse(&q, p, n) != 0 || q.y != 'q' || (q.tlen != 4 && q.tlen != 2) ||
	    !(q.has & KRPC_F_RO) || q.ro != 1 || !(q.has & KRPC_F_VER) ||
	    memcmp(q.ver, "CC01", 4) != 0 || !(q.has & KRPC_F_ID)) {
		s->wire_errors++;
		return;
	}
	memset(tid4, 0, sizeof(tid4));
	memcpy(tid4, q.t, q.tlen);
	if (q.tlen == 2) {
		s->t2_queries++;
		if ((nd = sim_find(s, to)) == NULL || nd->behav != B_T2)
			s->wire_errors++;  /* only for nodes that showed they need it */
	}
	/* In-flight accounting (queries not yet answered and not yet timed out). */
	assert_true(s->nsent < SIM_MAX_SENT);
	memcpy(s->sent[s->nsent].tid, tid4, 4);
	s->sent[s->nsent].at = s->now;
	s->sent[s->nsent++].answered = 0;
	for (i = 0; i < s->nsent; i++)
		if (!s->sent[i].answered && s->now < s->sent[i].at + s->timeout)
			outstanding++;
	if (outstanding > s->max_inflight_seen)
		s->max_inflight_seen = (unsigned)outstanding;

	if ((nd = sim_find(s, to)) == NULL) {
		s->to_unknown++;
		return;
	}
	nd->queries++;
	idx = (size_t)(nd - s->nodes);
	buf_wr_init_fixed(&out, obuf, sizeof(obuf));
	buf_wr_init_fixed(&nodes, nbuf, sizeof(nbuf));
	switch (nd->behav) {
	case B_SILENT:
		return;
	case B_CLOSED:
		sim_queue(s, s->now + 1, &nd->addr, tid4, NULL, 0);  /* len 0: an ICMP error */
		return;
	case B_GARBAGE:
		assert_int_equal(buf_put_cstr(&out, "this is not bencode at all"), 0);
		goto send;
	case B_ERROR:
		assert_int_equal(krpc_build_error(&out, q.t, q.tlen, 202, "Server Error"), 0);
		goto send;
	case B_BADTYPES:
		assert_int_equal(buf_put_cstr(&out, "d1:rd2:id20:"), 0);
		assert_int_equal(buf_put(&out, nd->id, 20), 0);
		assert_int_equal(buf_put_cstr(&out, "1:k31:0123456789012345678901234567890"
		    "5:nodes27:012345678901234567890123456" "3:seq2:xx5:tokeni7e1:vi5ee1:t4:"), 0);
		assert_int_equal(buf_put(&out, q.t, 4), 0);
		assert_int_equal(buf_put_cstr(&out, "1:y1:re"), 0);
		goto send;
	}
	if (krpc_is_query(&q, "put")) {
		node_put(s, nd, &q, &out);
		if (buf_wr_len(&out) == 0)
			return;
		goto send;
	}
	if (!krpc_is_query(&q, "find_node") && !krpc_is_query(&q, "get")) {
		assert_int_equal(krpc_build_error(&out, q.t, q.tlen, 204, "Method Unknown"), 0);
		goto send;
	}
	if (!(q.has & KRPC_F_TARGET))
		s->wire_errors++;
	memset(&rp, 0, sizeof(rp));
	rp.id = nd->id;
	with_value = 0;
	if (krpc_is_query(&q, "get")) {
		nd->gets++;
		tok[0] = 'T', tok[1] = (uint8_t)idx, tok[2] = (uint8_t)(idx >> 8), tok[3] = 'K';
		if (!nd->no_token) {
			rp.token = tok;
			rp.token_len = 4;
		}
		if (nd->behav == B_BIGV) {
			rp.k = s->pubkey;
			rp.sig = s->bigsig;
			rp.seq = s->bigseq;
			rp.v = s->bigv;
			rp.vlen = sizeof(s->bigv);
			with_value = 1;
		} else if (nd->has_held && nd->putb != PB_HIDE302) {
			if ((q.has & KRPC_F_SEQ) && q.seq >= nd->held.seq) {
				rp.seq = nd->held.seq;  /* mainline: "not newer than what you have" */
				rp.seq_only = 1;
			} else {
				rp.k = nd->held.k;
				rp.sig = nd->held.sig;
				rp.seq = nd->held.seq;
				rp.v = nd->held.v;
				rp.vlen = nd->held.vlen;
				with_value = 1;
			}
		}
	}
	if (!(with_value && nd->behav == B_BTDHT)) {
		put_neighbours(s, nd, &nodes);
		rp.nodes = buf_wr_data(&nodes);
		rp.nodes_len = buf_wr_len(&nodes);
	}
	if (nd->send_ip) {
		/* BEP 42: the querier's address as this node sees it. */
		uint32_t ip = ntohl(((struct sockaddr_in *)&s->nat)->sin_addr.s_addr);

		ipb[0] = (uint8_t)(ip >> 24), ipb[1] = (uint8_t)(ip >> 16);
		ipb[2] = (uint8_t)(ip >> 8), ipb[3] = (uint8_t)ip;
		ipb[4] = 5555 >> 8, ipb[5] = 5555 & 0xff;
		rp.ip = ipb;
		rp.ip_len = 6;
	}
	/* An older mainline build keeps only 2 bytes of t. */
	assert_int_equal(krpc_build_reply(&out, q.t, nd->behav == B_T2 ? 2 : q.tlen, &rp), 0);
 send:
	if (nd->behav == B_SPOOFED) {
		/* A forged reply with the right t, from the right IP but another port, arrives first. */
		struct buf_wr sp, bh;
		uint8_t sbuf[1500], bhbuf[300], id[20];
		struct krpc_reply fr;

		buf_wr_init_fixed(&sp, sbuf, sizeof(sbuf));
		buf_wr_init_fixed(&bh, bhbuf, sizeof(bhbuf));
		for (i = 0; i < 8; i++) {
			memcpy(id, s->target, 20);
			id[19] ^= (uint8_t)(i + 1);
			set_v4(&from, 0x0a420000u + (uint32_t)i, 7000);
			assert_int_equal(krpc_put_node(&bh, id, &from), 0);
		}
		memset(&fr, 0, sizeof(fr));
		fr.id = nd->id;
		fr.nodes = buf_wr_data(&bh);
		fr.nodes_len = buf_wr_len(&bh);
		assert_int_equal(krpc_build_reply(&sp, q.t, q.tlen, &fr), 0);
		from = nd->addr;
		((struct sockaddr_in *)&from)->sin_port = htons(6882);
		sim_queue(s, s->now + 1, &from, tid4, buf_wr_data(&sp), buf_wr_len(&sp));
	}
	sim_queue(s, s->now + nd->latency, &nd->addr, tid4, buf_wr_data(&out), buf_wr_len(&out));
}

/* Deliver the earliest pending datagram due at or before now. 1 if one was delivered. */
static int
sim_pop(struct sim *s, struct dht_lookup *l, uint64_t upto)
{
	size_t i, best = SIZE_MAX;

	for (i = 0; i < s->npend; i++)
		if (s->pend[i].at <= upto && (best == SIZE_MAX || s->pend[i].at < s->pend[best].at))
			best = i;
	if (best == SIZE_MAX)
		return 0;
	for (i = 0; i < s->nsent; i++)
		if (memcmp(s->sent[i].tid, s->pend[best].tid, 4) == 0)
			s->sent[i].answered = 1;
	if (s->pend[best].len == 0)
		(void)dht_lookup_unreachable(l, s->now, &s->pend[best].from);
	else
		assert_int_equal(dht_lookup_input(l, s->now, &s->pend[best].from, s->pend[best].data,
		    s->pend[best].len), 0);
	free(s->pend[best].data);
	s->pend[best] = s->pend[--s->npend];
	return 1;
}

/* Run until done; returns the (fake) time the lookup took. */
static uint64_t
sim_run(struct sim *s, struct dht_lookup *l, uint64_t limit_ms)
{
	struct sockaddr_storage to;
	uint8_t buf[KRPC_MAX_DATAGRAM];
	uint64_t start = s->now, next, t;
	size_t len, i;
	int r;

	for (;;) {
		while ((r = dht_lookup_output(l, s->now, &to, buf, sizeof(buf), &len)) == 1)
			sim_deliver(s, &to, buf, len);
		assert_int_equal(r, 0);
		if (dht_lookup_done(l))
			return s->now - start;
		next = dht_lookup_next_ms(l, s->now);
		t = s->now + next;
		for (i = 0; i < s->npend; i++)
			if (s->pend[i].at < t)
				t = s->pend[i].at < s->now ? s->now : s->pend[i].at;
		/* No busy loop: either time moves or a datagram is due now. */
		if (t == s->now && !sim_pop(s, l, s->now))
			fail_msg("engine wants to run now but has nothing to do");
		s->now = t;
		while (sim_pop(s, l, s->now))
			;
		if (s->now - start > limit_ms)
			fail_msg("lookup still running after %llu ms", (unsigned long long)limit_ms);
	}
}

/* Deliver everything still pending (late replies) after the lookup ended. */
static void
sim_flush(struct sim *s, struct dht_lookup *l)
{
	while (s->npend > 0) {
		s->now += 5000;
		while (sim_pop(s, l, s->now))
			;
	}
}

static void
params_for(struct sim *s, struct dht_params *p, size_t boot_rank, enum dht_mode mode)
{
	memset(p, 0, sizeof(*p));
	p->mode = mode;
	memcpy(p->pubkey, s->pubkey, 32);
	p->bootstrap = &s->nodes[boot_rank].addr;
	p->n_bootstrap = 1;
	p->self = &s->client;
	p->n_self = 1;
}

/* ---- tests: hashing and item verification ---- */

static void
test_sha1_and_targets(void **state)
{
	static const struct { size_t n; const char *hex; } as[] = {
		{ 55, "c1c8bbdc22796e28c0e15163d20899b65621d65a" },
		{ 56, "c2db330f6083854c99d4b5bfb6e8f29f201be699" },
		{ 63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5" },
		{ 64, "0098ba824b5c16427bd7a1122a5a442a25ec644d" },
		{ 65, "11655326c708d70319be2610e8a57d9a5b959d3b" },
		{ 119, "ee971065aaa017e0632a8ca6c77bb3bf8b1dfc56" },
		{ 1000, "291e9a6c66994949b57ba5e650361e98fc36b1ba" },
	};
	static const struct { const char *pk, *target; } tg[] = {
		{ "197f6b23e16c8532c6abc838facd5ea789be0c76b2920334039bfa8b3d368d61",
		  "d224e77715961719631fddeef3382a7453e3cc2d" },  /* seed 2a (doc/protocol.md §2) */
		{ "77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548",
		  "4a533d47ec9c7d95b1ad75f576cffc641853b750" },  /* BEP 44 test 1 */
		{ "8543d3e6115f0f98c944077a4493dcd543e49c739fd998550a1f614ab36ed63e",
		  "cc3f9d90b572172053626f9980ce261a850d050b" },  /* BEP 46 test 1 */
	};
	uint8_t a[1000], h[20], pk[32];
	char hex[41];
	size_t i;

	(void)state;
	sha1_digest((const uint8_t *)"abc", 3, h);
	hex_encode(hex, h, 20);
	assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	sha1_digest(NULL, 0, h);
	hex_encode(hex, h, 20);
	assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	sha1_digest((const uint8_t *)"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, h);
	hex_encode(hex, h, 20);
	assert_string_equal(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	memset(a, 'a', sizeof(a));
	for (i = 0; i < sizeof(as) / sizeof(as[0]); i++) {
		sha1_digest(a, as[i].n, h);
		hex_encode(hex, h, 20);
		assert_string_equal(hex, as[i].hex);
	}
	for (i = 0; i < sizeof(tg) / sizeof(tg[0]); i++) {
		assert_int_equal(hex_decode(pk, 32, tg[i].pk, 64), 0);
		dht_target(pk, h);
		hex_encode(hex, h, 20);
		assert_string_equal(hex, tg[i].target);
	}
}

static void
item_from_signed_packet(const uint8_t *sp, size_t n, struct dht_item *it)
{
	struct buf_rd rd;
	uint64_t seq;

	memset(it, 0, sizeof(*it));
	buf_rd_init(&rd, sp, n);
	assert_int_equal(buf_get_copy(&rd, it->k, 32), 0);
	assert_int_equal(buf_get_copy(&rd, it->sig, 64), 0);
	assert_int_equal(buf_get_u64be(&rd, &seq), 0);
	it->seq = (int64_t)seq;
	it->vlen = buf_remaining(&rd);
	assert_true(it->vlen <= KRPC_MAX_V);
	assert_int_equal(buf_get_copy(&rd, it->v, it->vlen), 0);
}

static void
test_item_verify(void **state)
{
	struct dht_item it, m;
	cJSON *j, *e;
	uint8_t *b, *sp;
	size_t n, i, bit;

	(void)state;
	/* The official BEP 44 vectors (64-byte expanded key: verify only). */
	memset(&it, 0, sizeof(it));
	b = th_read_file("tests/vectors/bep44.json", &n);
	j = cJSON_ParseWithLength((const char *)b, n);
	assert_non_null(j);
	n = 0;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j, "official")) {
		const cJSON *sig = cJSON_GetObjectItemCaseSensitive(e, "signature_hex");
		const cJSON *pk = cJSON_GetObjectItemCaseSensitive(e, "pubkey_hex");
		const cJSON *salt = cJSON_GetObjectItemCaseSensitive(e, "salt");
		const cJSON *buf = cJSON_GetObjectItemCaseSensitive(e, "signed_buffer");
		const cJSON *tg = cJSON_GetObjectItemCaseSensitive(e, "target_id_hex");
		uint8_t h[20], salted[32 + 64];
		char hex[41];
		size_t sl;

		if (!cJSON_IsString(sig))
			continue;  /* the immutable vector */
		memset(&m, 0, sizeof(m));
		assert_int_equal(hex_decode(m.k, 32, pk->valuestring, 64), 0);
		assert_int_equal(hex_decode(m.sig, 64, sig->valuestring, 128), 0);
		m.seq = cJSON_GetObjectItemCaseSensitive(e, "seq")->valueint;
		m.vlen = 12;
		memcpy(m.v, "Hello World!", 12);
		assert_int_equal(crypto_sign_ed25519_verify_detached(m.sig,
		    (const uint8_t *)buf->valuestring, strlen(buf->valuestring), m.k), 0);
		sl = strlen(salt->valuestring);
		if (sl == 0) {
			/* No salt: our signable and target are exactly BEP 44's. */
			assert_int_equal(dht_item_verify(&m), 0);
			dht_target(m.k, h);
			it = m;
		} else {
			/* pkarr never salts: a salted item must not verify as unsalted. */
			assert_int_equal(dht_item_verify(&m), CCL_ERR_SIG_INVALID);
			assert_true(sl <= 64);
			memcpy(salted, m.k, 32);
			memcpy(salted + 32, salt->valuestring, sl);
			sha1_digest(salted, 32 + sl, h);
		}
		hex_encode(hex, h, 20);
		assert_string_equal(hex, tg->valuestring);
		n++;
	}
	assert_int_equal(n, 2);
	cJSON_Delete(j);
	free(b);
	assert_true(it.seq == 1);
	/* A mutated signature, value, seq or key never verifies. */
	for (i = 0; i < 64; i++) {
		for (bit = 0; bit < 8; bit++) {
			m = it;
			m.sig[i] ^= (uint8_t)(1u << bit);
			assert_int_equal(dht_item_verify(&m), CCL_ERR_SIG_INVALID);
		}
	}
	for (i = 0; i < 12; i++) {
		m = it;
		m.v[i] ^= 0x20;
		assert_int_equal(dht_item_verify(&m), CCL_ERR_SIG_INVALID);
	}
	m = it;
	m.seq = 2;
	assert_int_equal(dht_item_verify(&m), CCL_ERR_SIG_INVALID);
	m = it;
	m.vlen = 11;
	assert_int_equal(dht_item_verify(&m), CCL_ERR_SIG_INVALID);
	m = it;
	m.k[5] ^= 1;
	assert_true(dht_item_verify(&m) < 0);
	m = it;
	m.vlen = KRPC_MAX_V + 1;
	assert_int_equal(dht_item_verify(&m), CCL_ERR_TOO_LARGE);

	/* The project's SignedPackets. */
	sp = th_read_file("tests/vectors/cclink600.signed_packet.bin", &n);
	item_from_signed_packet(sp, n, &it);
	assert_true(it.seq == S0);
	assert_int_equal(dht_item_verify(&it), 0);
	free(sp);
	sp = th_read_file("tests/vectors/small3.signed_packet.bin", &n);
	item_from_signed_packet(sp, n, &it);
	assert_int_equal(dht_item_verify(&it), 0);
	free(sp);
	b = th_read_file("tests/vectors/pkarr_valid.json", &n);
	j = cJSON_ParseWithLength((const char *)b, n);
	assert_non_null(j);
	n = 0;
	cJSON_ArrayForEach(e, j) {
		const cJSON *h = cJSON_GetObjectItemCaseSensitive(e, "signed_packet_hex");
		size_t len;

		if (!cJSON_IsString(h))
			continue;
		sp = th_unhex(h->valuestring, &len);
		item_from_signed_packet(sp, len, &it);
		assert_int_equal(dht_item_verify(&it), 0);
		free(sp);
		n++;
	}
	assert_true(n >= 5);
	cJSON_Delete(j);
	free(b);
}

/* ---- tests: GET ---- */

static void
test_get_newest_valid(void **state)
{
	struct sim s;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_item a, forged, wrongk, best, streamed;
	struct dht_stats st;
	struct buf_wr wr;
	uint64_t took;
	size_t i;

	(void)state;
	sim_init(&s, 60, sg2a.pk);
	make_item(&sg2a, S0 + 1, "the newest valid value", &a);
	forged = a;
	forged.seq = S0 + 9;                           /* sig no longer matches */
	make_item(&sgother, S0 + 8, "someone else's key", &wrongk);
	/* A validly signed item whose v is one byte too long. */
	s.bigseq = S0 + 7;
	memset(s.bigv, 'B', sizeof(s.bigv));
	{
		uint8_t big[KRPC_MAX_V + 80];

		buf_wr_init_fixed(&wr, big, sizeof(big));
		assert_int_equal(krpc_signable(&wr, s.bigseq, s.bigv, sizeof(s.bigv)), 0);
		assert_int_equal(signer_sign(&sg2a, s.bigsig, buf_wr_data(&wr), buf_wr_len(&wr)), 0);
	}
	for (i = 5; i <= 14; i++) {
		s.nodes[i].held = a;
		s.nodes[i].has_held = 1;
	}
	for (i = 15; i <= 25; i++) {
		s.nodes[i].held = item_old;  /* stale */
		s.nodes[i].has_held = 1;
	}
	s.nodes[0].held = forged, s.nodes[0].has_held = 1;
	s.nodes[1].held = wrongk, s.nodes[1].has_held = 1;
	s.nodes[2].behav = B_BIGV;
	s.nodes[3].behav = B_GARBAGE;
	s.nodes[4].behav = B_SILENT;
	s.nodes[6].behav = B_BADTYPES;
	s.nodes[7].behav = B_SILENT;
	s.nodes[8].behav = B_ERROR;
	s.nodes[9].behav = B_BTDHT;
	s.nodes[10].behav = B_BTDHT;
	s.nodes[11].extra_nodes = 1;
	s.nodes[30].extra_nodes = 1;
	params_for(&s, &p, 59, DHT_GET);
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	took = sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, &best, &st), 0);
	assert_item_equal(&best, &a);
	assert_int_equal(dht_lookup_take_item(l, &streamed), 1);
	assert_item_equal(&streamed, &a);
	assert_int_equal(dht_lookup_take_item(l, &streamed), 0);
	/* Forged, wrong key and oversized were seen and rejected. */
	assert_true(st.rejected >= 3);
	assert_true(st.values >= 10);
	/*
	 * The garbage and the 202 fail at once; the two silent nodes and the
	 * NATed self (no ip vote here) are passed over, not waited for.
	 */
	assert_int_equal(st.errors, 2);
	assert_int_equal(st.timed_out, 0);
	/* Every one of the closest live nodes was asked. */
	for (i = 0; i < 24; i++)
		assert_true(s.nodes[i].queries > 0);
	/* Own address, loopback, 0.0.0.0, multicast and port 0 were never queried. */
	assert_int_equal(s.to_client, 0);
	assert_int_equal(s.to_loopback, 0);
	assert_int_equal(s.to_nat, 1);
	assert_int_equal(s.to_unknown, 1);   /* that one */
	assert_int_equal(s.wire_errors, 0);
	assert_true(s.max_inflight_seen <= DHT_DEFAULT_INFLIGHT);
	assert_true(s.max_inflight_seen >= 8);
	/* The silent nodes do not hold the lookup open (fake clock). */
	assert_true(took < DHT_DEFAULT_TIMEOUT_MS / 2);
	assert_int_equal(dht_lookup_next_ms(l, s.now), 0);
	sim_flush(&s, l);
	dht_lookup_free(l);
	sim_free(&s);
}

static void
test_get_tiebreak_and_not_found(void **state)
{
	struct sim s;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_item c, d, e, best;
	struct dht_stats st;

	(void)state;
	/* Equal seq: the lexicographically larger v wins; a longer v beats its prefix. */
	sim_init(&s, 30, sg2a.pk);
	make_item(&sg2a, S0 + 3, "abc", &c);
	make_item(&sg2a, S0 + 3, "abd", &d);
	make_item(&sg2a, S0 + 3, "ab", &e);
	s.nodes[0].held = c, s.nodes[0].has_held = 1;
	s.nodes[3].held = d, s.nodes[3].has_held = 1;
	s.nodes[6].held = e, s.nodes[6].has_held = 1;
	s.nodes[9].held = item_old, s.nodes[9].has_held = 1;
	params_for(&s, &p, 29, DHT_GET);
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, &best, &st), 0);
	assert_item_equal(&best, &d);
	dht_lookup_free(l);
	sim_free(&s);

	/* get with seq: mainline-style nodes answer "seq only": nothing newer, not found. */
	sim_init(&s, 30, sg2a.pk);
	s.nodes[2].held = item_old, s.nodes[2].has_held = 1;
	params_for(&s, &p, 29, DHT_GET);
	p.get_with_seq = 1;
	p.get_seq = S0;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, &best, &st), CCL_ERR_NOT_FOUND);
	assert_int_equal(st.rejected, 0);
	assert_true(st.responded >= 20);
	dht_lookup_free(l);
	sim_free(&s);

	/* Nobody answers: a timeout after one per-query timeout (nobody else to ask). */
	sim_init(&s, 5, sg2a.pk);
	s.nodes[4].behav = B_SILENT;
	params_for(&s, &p, 4, DHT_GET);
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	assert_int_equal(sim_run(&s, l, 20000), DHT_DEFAULT_TIMEOUT_MS);
	assert_int_equal(dht_lookup_result(l, &best, &st), CCL_ERR_TIMEOUT);
	assert_int_equal(st.queried, 1);
	assert_int_equal(st.timed_out, 1);
	assert_int_equal(best.vlen, 0);
	dht_lookup_free(l);
	sim_free(&s);
}

/* Every node is bittorrent-dht-like: a get reply with a value carries no nodes. */
static void
test_get_btdht_network(void **state)
{
	struct sim s;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_item best;
	struct dht_stats st;
	size_t i;

	(void)state;
	sim_init(&s, 40, sg2a.pk);
	for (i = 0; i < 40; i++) {
		s.nodes[i].behav = B_BTDHT;
		s.nodes[i].held = item_old;
		s.nodes[i].has_held = 1;
	}
	params_for(&s, &p, 39, DHT_GET);
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, &best, &st), 0);
	assert_item_equal(&best, &item_old);
	/* The follow-up find_node kept the lookup going down to the closest nodes. */
	for (i = 0; i < 20; i++)
		assert_true(s.nodes[i].gets > 0);
	dht_lookup_free(l);
	sim_free(&s);
}

/* ---- tests: big replies, 2-byte t, ICMP, a 302 for our own packet ---- */

/*
 * Every node lists 380 far-away nodes ahead of its real neighbours (a reply
 * of about 10 KB): the engine takes the closest entries of the whole list,
 * so the lookup still walks down to the holders (with the first 32 entries
 * only, it would see nothing but fillers).
 */
static void
test_big_replies(void **state)
{
	struct sim s;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_item a, best;
	struct dht_stats st;
	size_t i;

	(void)state;
	sim_init(&s, 60, sg2a.pk);
	make_item(&sg2a, S0 + 4, "found behind a long list", &a);
	for (i = 0; i < 60; i++)
		s.nodes[i].far_nodes = 380;
	for (i = 0; i < 10; i++)
		s.nodes[i].held = a, s.nodes[i].has_held = 1;
	params_for(&s, &p, 59, DHT_GET);
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, &best, &st), 0);
	assert_item_equal(&best, &a);
	assert_true(st.received > 20);
	for (i = 0; i < 20; i++)
		assert_true(s.nodes[i].gets > 0);
	dht_lookup_free(l);
	sim_free(&s);
}

/* Nodes that echo only 2 bytes of t: not accepted as is, asked again with a 2-byte t. */
static void
test_t2_fallback(void **state)
{
	struct sim s;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_item a, ours, best;
	struct dht_stats st;
	size_t i;

	(void)state;
	sim_init(&s, 40, sg2a.pk);
	make_item(&sg2a, S0 + 4, "held by old nodes only", &a);
	for (i = 0; i < 6; i++)
		s.nodes[i].behav = B_T2;
	s.nodes[3].held = a, s.nodes[3].has_held = 1;
	params_for(&s, &p, 39, DHT_GET);
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, &best, &st), 0);
	assert_item_equal(&best, &a);
	assert_int_equal(st.t2, 6);
	assert_true(s.t2_queries >= 6);
	assert_int_equal(s.wire_errors, 0);  /* 2-byte t only to the nodes that need it */
	dht_lookup_free(l);

	/* A put reaches them too (with their 2-byte t). */
	make_item(&sg2a, S0 + 9, "put to old nodes", &ours);
	params_for(&s, &p, 39, DHT_PUT);
	p.item = &ours;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, NULL, &st), 0);
	for (i = 0; i < 6; i++)
		assert_item_equal(&s.nodes[i].held, &ours);
	assert_int_equal(s.wire_errors, 0);
	dht_lookup_free(l);
	sim_free(&s);
}

/* ICMP port unreachable fails a query at once. */
static void
test_unreachable(void **state)
{
	struct sim s;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_stats st;
	uint64_t took;
	size_t i;

	(void)state;
	/* The only bootstrap node's port is closed: over in a round trip, not a timeout. */
	sim_init(&s, 3, sg2a.pk);
	s.nodes[2].behav = B_CLOSED;
	params_for(&s, &p, 2, DHT_GET);
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	took = sim_run(&s, l, 20000);
	assert_true(took < 10);
	assert_int_equal(dht_lookup_result(l, NULL, &st), CCL_ERR_TIMEOUT);
	assert_int_equal(st.unreachable, 1);
	assert_int_equal(st.timed_out, 0);
	dht_lookup_free(l);
	sim_free(&s);

	/* Closed nodes among the closest: they fail and are replaced. */
	sim_init(&s, 40, sg2a.pk);
	for (i = 0; i < 10; i += 2)
		s.nodes[i].behav = B_CLOSED;
	s.nodes[5].held = item_old, s.nodes[5].has_held = 1;
	params_for(&s, &p, 39, DHT_GET);
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, NULL, &st), 0);
	assert_int_equal(st.unreachable, 5);
	dht_lookup_free(l);
	sim_free(&s);
}

/*
 * Someone (a relay republishing our packet) stored exactly our item on the
 * closest nodes between our get and our put: they answer our put with 302.
 * That is our packet, stored — not a conflict (issue 10 item 12).
 */
static void
test_put_302_identical(void **state)
{
	struct sim s;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_item ours;
	struct dht_stats st;
	size_t i;

	(void)state;
	sim_init(&s, 30, sg2a.pk);
	make_item(&sg2a, S0 + 2, "raced by a relay", &ours);
	for (i = 0; i < 14; i++)
		s.nodes[i].putb = PB_RACED;
	params_for(&s, &p, 29, DHT_PUT);
	p.item = &ours;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, NULL, &st), 0);
	assert_int_equal(st.stored, 20);
	assert_int_equal(st.put_checked, 14);
	assert_int_equal(st.put_conflicts, 0);
	dht_lookup_free(l);
	sim_free(&s);
}

/* ---- tests: termination and timeouts under the fake clock ---- */

static void
test_timeouts(void **state)
{
	struct sim s;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_stats st;
	uint64_t took;
	size_t i;

	(void)state;
	/* Only the bootstrap node answers; the 8 nodes it names are dead. */
	sim_init(&s, 9, sg2a.pk);
	for (i = 0; i < 8; i++)
		s.nodes[i].behav = B_SILENT;
	params_for(&s, &p, 8, DHT_GET);
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	took = sim_run(&s, l, 20000);
	/* They are passed over once overdue: the one answer settles it. */
	assert_true(took < DHT_DEFAULT_TIMEOUT_MS / 2);
	assert_int_equal(dht_lookup_result(l, NULL, &st), CCL_ERR_NOT_FOUND);
	assert_int_equal(st.queried, 9);    /* ranks 0..7: all node 8 knows */
	assert_int_equal(st.responded, 1);
	dht_lookup_free(l);
	sim_free(&s);

	/* The per-query timeout is configurable. */
	sim_init(&s, 9, sg2a.pk);
	for (i = 0; i < 8; i++)
		s.nodes[i].behav = B_SILENT;
	params_for(&s, &p, 8, DHT_GET);
	p.timeout_ms = 500;
	s.timeout = 500;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	took = sim_run(&s, l, 20000);
	assert_true(took <= 500 / 4 + 100);  /* the soft timeout is at most timeout / 4 */
	dht_lookup_free(l);
	sim_free(&s);

	/* Stragglers: once the 20 closest have answered, slow farther nodes are not waited for. */
	sim_init(&s, 40, sg2a.pk);
	for (i = 20; i < 40; i++)
		s.nodes[i].latency = 1800;
	s.nodes[5].held = item_old, s.nodes[5].has_held = 1;
	params_for(&s, &p, 19, DHT_GET);
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	took = sim_run(&s, l, 20000);
	assert_true(took < 1000);
	assert_true(s.nodes[20].queries > 0);     /* it was asked early on ... */
	assert_int_equal(dht_lookup_result(l, NULL, &st), 0);
	assert_int_equal(st.ignored, 0);
	sim_flush(&s, l);                          /* ... and its late reply is ignored */
	assert_int_equal(dht_lookup_result(l, NULL, &st), 0);
	assert_true(st.ignored >= 1);
	dht_lookup_free(l);
	sim_free(&s);

	/*
	 * Dead nodes behind dead nodes (a routing table full of departed peers):
	 * every even rank below 40 is silent. Once the closest candidates have
	 * been quiet for a while their replacements must already be asked, so
	 * the dead ones cost one timeout in all, not one per "wave" (~6 s here).
	 */
	sim_init(&s, 60, sg2a.pk);
	for (i = 0; i < 40; i += 2)
		s.nodes[i].behav = B_SILENT;
	s.nodes[41].held = item_old, s.nodes[41].has_held = 1;
	params_for(&s, &p, 59, DHT_GET);
	p.max_inflight = 8;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	took = sim_run(&s, l, 20000);
	assert_true(took < DHT_DEFAULT_TIMEOUT_MS);
	assert_int_equal(dht_lookup_result(l, NULL, &st), 0);
	assert_int_equal(st.timed_out, 0);  /* passed over, never waited for */
	/* Overdue queries do not hold in-flight slots, within the hard cap. */
	assert_true(s.max_inflight_seen > 8);
	assert_true(s.max_inflight_seen <= DHT_MAX_INFLIGHT);
	sim_flush(&s, l);
	dht_lookup_free(l);
	sim_free(&s);

	/*
	 * An endless Sybil chain of ever-closer nodes: the candidate table's cap,
	 * the query cap or the overall deadline ends it, whichever comes first.
	 */
	sim_init(&s, 3, sg2a.pk);
	s.nodes[2].behav = B_SYBIL;
	params_for(&s, &p, 2, DHT_GET);
	p.deadline_ms = 3000;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	took = sim_run(&s, l, 20000);
	assert_true(took <= 3001);
	assert_int_equal(dht_lookup_result(l, NULL, &st), CCL_ERR_NOT_FOUND);
	assert_true(st.sent <= DHT_MAX_QUERIES);
	assert_true(st.queried > 20);
	assert_true(s.max_inflight_seen <= DHT_DEFAULT_INFLIGHT);
	sim_flush(&s, l);
	dht_lookup_free(l);
	sim_free(&s);

	/* max_inflight is honoured. */
	sim_init(&s, 60, sg2a.pk);
	params_for(&s, &p, 59, DHT_GET);
	p.max_inflight = 3;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_true(s.max_inflight_seen <= 3);
	dht_lookup_free(l);
	sim_free(&s);
}

/* Spoofed and unsolicited replies, and queries sent to us, change nothing. */
static void
test_spoofing(void **state)
{
	struct sim s;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_stats st;
	struct dht_item best;
	struct buf_wr wr, nodes;
	struct krpc_reply rp;
	struct sockaddr_storage bh;
	uint8_t buf[1500], nbuf[300], tid[4] = { 1, 2, 3, 4 }, id[20];
	size_t i;

	(void)state;
	sim_init(&s, 40, sg2a.pk);
	for (i = 0; i < 40; i += 3)
		s.nodes[i].behav = B_SPOOFED;
	s.nodes[4].held = item_old, s.nodes[4].has_held = 1;
	params_for(&s, &p, 39, DHT_GET);
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	/* Unsolicited: a reply with a made-up t from a real node, naming black holes. */
	buf_wr_init_fixed(&nodes, nbuf, sizeof(nbuf));
	for (i = 0; i < 8; i++) {
		memcpy(id, s.target, 20);
		id[19] ^= (uint8_t)(0x40 + i);
		set_v4(&bh, 0x0a430000u + (uint32_t)i, 7000);
		assert_int_equal(krpc_put_node(&nodes, id, &bh), 0);
	}
	memset(&rp, 0, sizeof(rp));
	rp.id = s.nodes[39].id;
	rp.nodes = buf_wr_data(&nodes);
	rp.nodes_len = buf_wr_len(&nodes);
	buf_wr_init_fixed(&wr, buf, sizeof(buf));
	assert_int_equal(krpc_build_reply(&wr, tid, 4, &rp), 0);
	assert_int_equal(dht_lookup_input(l, s.now, &s.nodes[39].addr, buf, buf_wr_len(&wr)), 0);
	/* A query to us (we are read-only and answer nothing), and plain garbage. */
	buf_wr_init_fixed(&wr, buf, sizeof(buf));
	assert_int_equal(krpc_build_ping(&wr, tid, s.nodes[1].id), 0);
	assert_int_equal(dht_lookup_input(l, s.now, &s.nodes[1].addr, buf, buf_wr_len(&wr)), 0);
	assert_int_equal(dht_lookup_input(l, s.now, &s.nodes[1].addr, (const uint8_t *)"xyz", 3), 0);
	assert_int_equal(dht_lookup_input(l, s.now, &s.nodes[1].addr, NULL, 0), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, &best, &st), 0);
	assert_item_equal(&best, &item_old);
	assert_int_equal(s.to_unknown, 0);         /* no black hole was ever queried */
	assert_true(st.ignored >= 4 + 5);          /* the 4 above and the spoofs */
	for (i = 0; i < 20; i++)
		assert_true(s.nodes[i].queries > 0);
	sim_flush(&s, l);
	dht_lookup_free(l);
	sim_free(&s);
}

/* Our external address, given or learned from `ip`, is never queried. */
static void
test_learned_self(void **state)
{
	struct sim s;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_stats st;
	struct sockaddr_storage unspec;
	int with_ip;

	(void)state;
	for (with_ip = 0; with_ip <= 1; with_ip++) {
		sim_init(&s, 30, sg2a.pk);
		/* Bound to 0.0.0.0:4000: matches 10.9.9.9:4000 (the client) by port. */
		set_v4(&unspec, 0, 4000);
		s.nodes[29].extra_nodes = 1;
		s.nodes[29].send_ip = with_ip;
		params_for(&s, &p, 29, DHT_GET);
		p.self = &unspec;
		assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
		sim_run(&s, l, 20000);
		assert_int_equal(dht_lookup_result(l, NULL, &st), CCL_ERR_NOT_FOUND);
		assert_int_equal(s.to_client, 0);
		assert_int_equal(s.to_loopback, 0);
		/* The control run proves the NATed address would have been queried. */
		if (with_ip)
			assert_int_equal(s.to_nat, 0);
		else
			assert_int_equal(s.to_nat, 1);
		dht_lookup_free(l);
		sim_free(&s);
	}
}

/* ---- tests: PUT ---- */

static void
test_put_counts(void **state)
{
	struct sim s;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_item ours, best;
	struct dht_stats st;
	uint64_t took;
	size_t i;
	unsigned e205 = 0, e302 = 0;

	(void)state;
	sim_init(&s, 30, sg2a.pk);
	make_item(&sg2a, S0 + 2, "put me", &ours);
	s.nodes[0].behav = B_BTDHT, s.nodes[0].held = ours, s.nodes[0].has_held = 1; /* 302, ours */
	s.nodes[1].behav = B_BTDHT;                                                  /* stores */
	s.nodes[2].putb = PB_205;
	s.nodes[3].putb = PB_SILENT;
	s.nodes[4].no_token = 1;
	s.nodes[5].held = item_old, s.nodes[5].has_held = 1;                         /* older: replaced */
	s.nodes[6].held = ours, s.nodes[6].has_held = 1;                             /* equal: accepted */
	s.nodes[7].behav = B_SILENT;
	params_for(&s, &p, 29, DHT_PUT);
	p.item = &ours;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	took = sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, &best, &st), 0);
	/* 20 closest with tokens: ranks 0..21 minus 4 (no token) and 7 (dead). */
	assert_int_equal(st.put_sent, 20);
	assert_int_equal(st.stored, 18);           /* all but the 205 and the silent one */
	assert_int_equal(st.put_timeouts, 0);      /* not waited for: 18 of 20 had stored */
	assert_int_equal(st.put_pending, 1);
	assert_int_equal(st.put_errors, 1);
	assert_int_equal(st.put_conflicts, 0);
	for (i = 0; i < st.n_put_err; i++) {
		if (st.put_err[i].code == 205)
			e205 = st.put_err[i].n;
		if (st.put_err[i].code == 302)
			e302 = st.put_err[i].n;
	}
	assert_int_equal(e205, 1);
	assert_int_equal(e302, 1);
	assert_item_equal(&best, &ours);           /* nodes 0 and 6 returned it */
	assert_int_equal(s.wire_errors, 0);
	assert_int_equal(s.bad_tokens, 0);
	assert_int_equal(s.puts_no_target, 0);
	for (i = 0; i <= 21; i++) {
		if (i == 2 || i == 3 || i == 4 || i == 7)
			continue;
		assert_true(s.nodes[i].has_held);
		assert_item_equal(&s.nodes[i].held, &ours);
	}
	assert_int_equal(s.nodes[4].puts, 0);
	for (i = 22; i < 30; i++)
		assert_int_equal(s.nodes[i].puts, 0);
	assert_true(took < DHT_DEFAULT_TIMEOUT_MS);   /* the silent putter costs a grace period */
	dht_lookup_free(l);

	/* A GET on the same network now finds what we put. */
	params_for(&s, &p, 29, DHT_GET);
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, &best, &st), 0);
	assert_item_equal(&best, &ours);
	dht_lookup_free(l);
	sim_free(&s);
}

static void
test_put_conflicts(void **state)
{
	struct sim s;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_item ours, newer, best;
	struct dht_stats st;
	size_t i;

	(void)state;
	/* Someone published a newer item: nothing is put. */
	sim_init(&s, 30, sg2a.pk);
	make_item(&sg2a, S0 + 2, "put me", &ours);
	make_item(&sg2a, S0 + 5, "newer elsewhere", &newer);
	s.nodes[8].held = newer, s.nodes[8].has_held = 1;
	params_for(&s, &p, 29, DHT_PUT);
	p.item = &ours;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, &best, &st), CCL_ERR_CONFLICT);
	assert_int_equal(st.put_sent, 0);
	assert_item_equal(&best, &newer);
	for (i = 0; i < 30; i++)
		assert_int_equal(s.nodes[i].puts, 0);
	dht_lookup_free(l);
	sim_free(&s);

	/* A majority answers 302 about an item they did not show us. */
	sim_init(&s, 30, sg2a.pk);
	for (i = 0; i < 12; i++)
		s.nodes[i].putb = PB_HIDE302;
	params_for(&s, &p, 29, DHT_PUT);
	p.item = &ours;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, NULL, &st), CCL_ERR_CONFLICT);
	assert_int_equal(st.put_conflicts, 12);
	assert_int_equal(st.stored, 8);
	dht_lookup_free(l);
	sim_free(&s);

	/* A minority of 302s does not make a conflict. */
	sim_init(&s, 30, sg2a.pk);
	for (i = 0; i < 5; i++)
		s.nodes[i].putb = PB_HIDE302;
	params_for(&s, &p, 29, DHT_PUT);
	p.item = &ours;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, NULL, &st), 0);
	assert_int_equal(st.stored, 15);
	dht_lookup_free(l);
	sim_free(&s);

	/* cas: nodes holding S0 refuse a put whose cas names another seq (301). */
	sim_init(&s, 30, sg2a.pk);
	for (i = 0; i < 30; i++)
		s.nodes[i].held = item_old, s.nodes[i].has_held = 1;
	params_for(&s, &p, 29, DHT_PUT);
	p.item = &ours;
	p.has_cas = 1;
	p.cas = S0 - 1;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, NULL, &st), CCL_ERR_CONFLICT);
	assert_int_equal(st.put_conflicts, 20);
	dht_lookup_free(l);
	p.cas = S0;  /* the right cas: stored */
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, NULL, &st), 0);
	assert_int_equal(st.stored, 20);
	dht_lookup_free(l);
	sim_free(&s);

	/* Every put times out; then, no token at all. */
	sim_init(&s, 30, sg2a.pk);
	for (i = 0; i < 30; i++)
		s.nodes[i].putb = PB_SILENT;
	params_for(&s, &p, 29, DHT_PUT);
	p.item = &ours;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, NULL, &st), CCL_ERR_TIMEOUT);
	assert_int_equal(st.put_timeouts, 20);
	dht_lookup_free(l);
	for (i = 0; i < 30; i++)
		s.nodes[i].no_token = 1;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, NULL, &st), CCL_ERR_NOT_FOUND);
	assert_int_equal(st.put_sent, 0);
	dht_lookup_free(l);
	for (i = 0; i < 30; i++)
		s.nodes[i].no_token = 0, s.nodes[i].putb = PB_205;
	assert_int_equal(dht_lookup_new(&l, &p, s.now), 0);
	sim_run(&s, l, 20000);
	assert_int_equal(dht_lookup_result(l, NULL, &st), CCL_ERR_NET);
	dht_lookup_free(l);
	sim_free(&s);
}

/* IPv6 nodes (nodes6) when enabled; IPv4-mapped sources match IPv4 queries. */
static void
test_ipv6(void **state)
{
	struct sockaddr_storage boot, to, n6, mapped;
	struct sockaddr_in6 *b6 = (struct sockaddr_in6 *)&boot, *m6 = (struct sockaddr_in6 *)&mapped;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_stats st;
	struct krpc_msg q;
	struct krpc_reply rp;
	struct buf_wr wr, nodes;
	uint8_t out[KRPC_MAX_DATAGRAM], in[1500], nb[100], id[20], target[20];
	size_t len;
	int fam;

	(void)state;
	dht_target(sg2a.pk, target);
	for (fam = 0; fam < 2; fam++) {
		memset(&boot, 0, sizeof(boot));
		b6->sin6_family = AF_INET6;
		b6->sin6_port = htons(6881);
		inet_pton(AF_INET6, "2001:db8::1", &b6->sin6_addr);
		memset(&p, 0, sizeof(p));
		p.mode = DHT_GET;
		memcpy(p.pubkey, sg2a.pk, 32);
		p.bootstrap = &boot;
		p.n_bootstrap = 1;
		p.families = fam ? (DHT_FAM_V4 | DHT_FAM_V6) : DHT_FAM_V4;
		if (!fam) {
			/* IPv4 only: an IPv6 bootstrap node is unusable. */
			assert_int_equal(dht_lookup_new(&l, &p, 0), CCL_ERR_INVALID_ARG);
			continue;
		}
		assert_int_equal(dht_lookup_new(&l, &p, 0), 0);
		assert_int_equal(dht_lookup_output(l, 0, &to, out, sizeof(out), &len), 1);
		assert_int_equal(to.ss_family, AF_INET6);
		assert_int_equal(krpc_parse(&q, out, len), 0);
		assert_true(krpc_is_query(&q, "find_node"));
		/* The reply names one IPv6 node and one IPv4 node. */
		buf_wr_init_fixed(&nodes, nb, sizeof(nb));
		memset(&n6, 0, sizeof(n6));
		((struct sockaddr_in6 *)&n6)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&n6)->sin6_port = htons(7000);
		inet_pton(AF_INET6, "2001:db8::2", &((struct sockaddr_in6 *)&n6)->sin6_addr);
		memcpy(id, target, 20);
		id[19] ^= 1;
		assert_int_equal(krpc_put_node(&nodes, id, &n6), 0);
		memset(&rp, 0, sizeof(rp));
		rp.id = sg2a.pk;  /* any 20 bytes */
		rp.nodes6 = buf_wr_data(&nodes);
		rp.nodes6_len = buf_wr_len(&nodes);
		buf_wr_init_fixed(&wr, in, sizeof(in));
		assert_int_equal(krpc_build_reply(&wr, q.t, q.tlen, &rp), 0);
		assert_int_equal(dht_lookup_input(l, 5, &boot, in, buf_wr_len(&wr)), 0);
		assert_int_equal(dht_lookup_output(l, 5, &to, out, sizeof(out), &len), 1);
		assert_int_equal(memcmp(&((struct sockaddr_in6 *)&to)->sin6_addr,
		    &((struct sockaddr_in6 *)&n6)->sin6_addr, 16), 0);
		assert_int_equal(krpc_parse(&q, out, len), 0);
		assert_true(krpc_is_query(&q, "get"));
		assert_int_equal(dht_lookup_result(l, NULL, &st), CCL_ERR_NOT_FOUND);
		assert_int_equal(st.responded, 1);
		dht_lookup_free(l);
	}

	/* A reply from ::ffff:10.0.0.1 matches a query sent to 10.0.0.1. */
	memset(&boot, 0, sizeof(boot));
	((struct sockaddr_in *)&boot)->sin_family = AF_INET;
	((struct sockaddr_in *)&boot)->sin_port = htons(6881);
	((struct sockaddr_in *)&boot)->sin_addr.s_addr = htonl(0x0a000001);
	p.bootstrap = &boot;
	p.families = 0;
	assert_int_equal(dht_lookup_new(&l, &p, 0), 0);
	assert_int_equal(dht_lookup_output(l, 0, &to, out, sizeof(out), &len), 1);
	assert_int_equal(krpc_parse(&q, out, len), 0);
	memset(&rp, 0, sizeof(rp));
	rp.id = sg2a.pk;
	buf_wr_init_fixed(&wr, in, sizeof(in));
	assert_int_equal(krpc_build_reply(&wr, q.t, q.tlen, &rp), 0);
	memset(&mapped, 0, sizeof(mapped));
	m6->sin6_family = AF_INET6;
	m6->sin6_port = htons(6881);
	inet_pton(AF_INET6, "::ffff:10.0.0.1", &m6->sin6_addr);
	assert_int_equal(dht_lookup_input(l, 5, &mapped, in, buf_wr_len(&wr)), 0);
	assert_int_equal(dht_lookup_result(l, NULL, &st), CCL_ERR_NOT_FOUND);
	assert_int_equal(st.responded, 1);
	assert_int_equal(st.ignored, 0);
	dht_lookup_free(l);
}

static void
test_bad_params(void **state)
{
	struct dht_params p;
	struct dht_lookup *l = (struct dht_lookup *)&p;
	struct sockaddr_storage a[3];
	struct dht_item it;
	uint8_t small[64];
	size_t len;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.mode = DHT_GET;
	assert_int_equal(dht_lookup_new(&l, &p, 0), CCL_ERR_INVALID_ARG);  /* no bootstrap */
	assert_null(l);
	set_v4(&a[0], 0, 6881);            /* 0.0.0.0 */
	set_v4(&a[1], 0x0a000001, 0);      /* port 0 */
	set_v4(&a[2], 0xe0000001, 6881);   /* multicast */
	p.bootstrap = a;
	p.n_bootstrap = 3;
	assert_int_equal(dht_lookup_new(&l, &p, 0), CCL_ERR_INVALID_ARG);
	set_v4(&a[2], 0x0a000001, 6881);
	p.self = &a[2];
	p.n_self = 1;
	assert_int_equal(dht_lookup_new(&l, &p, 0), CCL_ERR_INVALID_ARG);  /* only ourselves */
	p.n_self = 0;
	p.mode = DHT_PUT;
	assert_int_equal(dht_lookup_new(&l, &p, 0), CCL_ERR_INVALID_ARG);  /* no item */
	memset(&it, 0, sizeof(it));
	it.vlen = KRPC_MAX_V + 1;
	p.item = &it;
	assert_int_equal(dht_lookup_new(&l, &p, 0), CCL_ERR_INVALID_ARG);
	p.mode = 7;
	assert_int_equal(dht_lookup_new(&l, &p, 0), CCL_ERR_INVALID_ARG);
	p.mode = DHT_GET;
	assert_int_equal(dht_lookup_new(&l, &p, 0), 0);
	assert_false(dht_lookup_done(l));
	assert_int_equal(dht_lookup_next_ms(l, 0), 0);
	assert_int_equal(dht_lookup_output(l, 0, &a[0], small, sizeof(small), &len), CCL_ERR_TOO_LARGE);
	dht_lookup_free(l);
	dht_lookup_free(NULL);
}

static int
setup(void **state)
{
	static const uint8_t seed2a[32] = {
		0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a,
		0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a, 0x2a,
	};
	uint8_t seed7[32], *sp;
	size_t n;

	(void)state;
	memset(seed7, 7, sizeof(seed7));
	if (signer_from_seed(&sg2a, seed2a) != 0 || signer_from_seed(&sgother, seed7) != 0)
		return -1;
	sp = th_read_file("tests/vectors/cclink600.signed_packet.bin", &n);
	item_from_signed_packet(sp, n, &item_old);
	free(sp);
	return memcmp(item_old.k, sg2a.pk, 32) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	signer_cleanup(&sg2a);
	signer_cleanup(&sgother);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1_and_targets),
		cmocka_unit_test(test_item_verify),
		cmocka_unit_test(test_get_newest_valid),
		cmocka_unit_test(test_get_tiebreak_and_not_found),
		cmocka_unit_test(test_get_btdht_network),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_spoofing),
		cmocka_unit_test(test_learned_self),
		cmocka_unit_test(test_put_counts),
		cmocka_unit_test(test_put_conflicts),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_bad_params),
		cmocka_unit_test(test_big_replies),
		cmocka_unit_test(test_t2_fallback),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_put_302_identical),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
