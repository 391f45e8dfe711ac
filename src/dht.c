/* SPDX-License-Identifier: MIT */
/*
 * dht.c — sans-I/O BEP 44 lookup engine; see dht.h.
 * Trust boundary: every datagram and every address in it is untrusted; they
 * are parsed by krpc.c and checked here against the queries we sent.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <sodium.h>

#include "buf.h"
#include "dht.h"
#include "sockaddr.h"
#include "krpc.h"
#include "sha1.h"

/* What a transaction asked. */
enum { Q_FIND_NODE = 1, Q_GET, Q_FOLLOW, Q_PUT };
/* Candidate lookup state. */
enum { C_NEW, C_WAIT_FN, C_NEED_GET, C_WAIT_GET, C_DONE, C_FAILED };
/* Follow-up find_node for a get reply that had no `nodes` (bittorrent-dht with a value). */
enum { FN_NONE, FN_NEEDED, FN_WAIT, FN_DONE };
/* Put state of a candidate. */
enum { P_NONE, P_PENDING, P_WAIT, P_OK, P_ERR, P_TIMEOUT };
enum { PH_LOOKUP, PH_PUT, PH_DONE };
/*
 * A lookup query unanswered for timeout / SLOW_DIV: the node is probably
 * gone. It keeps its place (and may still answer), but neither its place
 * among the K closest nor its in-flight slot holds up the next candidate, so
 * dead nodes standing behind dead nodes cost one timeout, not one per wave.
 */
#define SLOW_DIV 4

struct cand {
	struct sockaddr_storage addr;     /* normalised: family, IP, port only */
	uint8_t id[KRPC_ID_LEN];
	uint8_t dist[KRPC_ID_LEN];        /* id ^ target; all 0xff while the id is unknown */
	uint8_t has_id;
	uint8_t state;
	uint8_t fn_state;
	uint8_t put_state;
	uint8_t counted;                  /* already counted in stats.responded */
	uint8_t slow;                     /* its lookup query is overdue (SLOW_DIV) */
	uint8_t has_ours;                 /* PUT: returned exactly our (seq, v) */
	uint8_t token_len;
	uint8_t token[KRPC_MAX_TOKEN];
};

struct txn {
	uint8_t used;
	uint8_t kind;
	uint8_t tid[KRPC_TID_LEN];
	uint16_t cand;
	uint64_t deadline;
	uint64_t slow_at;                 /* lookup queries: when the node counts as slow */
	uint8_t slow;
};

struct dht_lookup {
	enum dht_mode mode;
	int phase;
	int families;
	int allow_loopback;               /* a bootstrap node is on loopback: tests */
	uint8_t target[KRPC_ID_LEN];
	uint8_t myid[KRPC_ID_LEN];
	uint8_t pubkey[KRPC_KEY_LEN];
	int get_with_seq, has_cas;
	int64_t get_seq, cas;
	uint32_t timeout_ms, max_inflight;
	uint64_t deadline;
	struct dht_item item;             /* PUT: ours */
	struct cand cands[DHT_MAX_CANDIDATES];
	uint16_t order[DHT_MAX_CANDIDATES]; /* candidate indices sorted by distance */
	size_t ncands;
	struct txn txns[DHT_MAX_INFLIGHT];
	size_t ninflight;
	size_t nslow;                     /* of those: overdue lookup queries */
	struct sockaddr_storage self[DHT_MAX_SELF];
	size_t nself;
	unsigned nqueries;
	int newer_seen;                   /* PUT: a valid item with seq > ours exists */
	int have_best;
	unsigned best_gen, taken_gen;
	struct dht_item best;
	struct dht_stats st;
};

/* ---- addresses ---- */

/* Addresses no DHT node can have (or that would aim us at this host). */
static int
addr_martian(const struct dht_lookup *l, const struct sockaddr_storage *a)
{
	const struct in6_addr *v6;
	uint32_t v4;

	if (sa_port(a) == 0)
		return 1;
	if (sa_loopback(a))
		return !l->allow_loopback;
	if (a->ss_family == AF_INET) {
		v4 = ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr);
		return (v4 >> 24) == 0 || (v4 >> 29) == 7;  /* 0/8; 224/3: multicast, reserved, broadcast */
	}
	v6 = &((const struct sockaddr_in6 *)a)->sin6_addr;
	return IN6_IS_ADDR_UNSPECIFIED(v6) || IN6_IS_ADDR_MULTICAST(v6) ||
	    IN6_IS_ADDR_LINKLOCAL(v6) || IN6_IS_ADDR_V4MAPPED(v6);
}

static int
addr_is_self(const struct dht_lookup *l, const struct sockaddr_storage *a)
{
	size_t i;

	for (i = 0; i < l->nself; i++) {
		if (sa_eq(&l->self[i], a))
			return 1;
		if (l->self[i].ss_family == a->ss_family && sa_unspecified(&l->self[i]) &&
		    sa_port(&l->self[i]) == sa_port(a))
			return 1;
	}
	return 0;
}

static int
family_ok(const struct dht_lookup *l, int family)
{
	return (family == AF_INET && (l->families & DHT_FAM_V4)) ||
	    (family == AF_INET6 && (l->families & DHT_FAM_V6));
}

/* ---- candidates ---- */

static int
dist_cmp(const struct cand *a, const struct cand *b)
{
	return memcmp(a->dist, b->dist, KRPC_ID_LEN);
}

static void
order_remove(struct dht_lookup *l, uint16_t idx)
{
	size_t i;

	for (i = 0; i < l->ncands; i++) {
		if (l->order[i] == idx) {
			memmove(&l->order[i], &l->order[i + 1], (l->ncands - i - 1) * sizeof(l->order[0]));
			return;
		}
	}
}

/* Insert idx into order[0..n) (n = entries currently in order). Ties keep arrival order. */
static void
order_insert(struct dht_lookup *l, uint16_t idx, size_t n)
{
	size_t i = n;

	while (i > 0 && dist_cmp(&l->cands[l->order[i - 1]], &l->cands[idx]) > 0)
		i--;
	memmove(&l->order[i + 1], &l->order[i], (n - i) * sizeof(l->order[0]));
	l->order[i] = idx;
}

static void
cand_set_id(struct dht_lookup *l, struct cand *c, const uint8_t id[static KRPC_ID_LEN])
{
	size_t i;

	memcpy(c->id, id, KRPC_ID_LEN);
	c->has_id = 1;
	for (i = 0; i < KRPC_ID_LEN; i++)
		c->dist[i] = id[i] ^ l->target[i];
}

static struct cand *
cand_by_addr(struct dht_lookup *l, const struct sockaddr_storage *a)
{
	size_t i;

	for (i = 0; i < l->ncands; i++)
		if (sa_eq(&l->cands[i].addr, a))
			return &l->cands[i];
	return NULL;
}

/*
 * Add a candidate (addr normalised). Duplicates are detected by address: a
 * node's id is taken from its own reply, never from a third party's claim
 * about a known address. When the table is full the new node replaces a
 * failed one, or the farthest never-contacted one if it is closer.
 */
static void
cand_add(struct dht_lookup *l, const uint8_t *id, const struct sockaddr_storage *a)
{
	struct cand tmp, *c;
	size_t i, victim = SIZE_MAX;

	if (!family_ok(l, a->ss_family) || addr_martian(l, a) || addr_is_self(l, a))
		return;
	if (id != NULL && memcmp(id, l->myid, KRPC_ID_LEN) == 0)
		return;
	if (cand_by_addr(l, a) != NULL)
		return;
	memset(&tmp, 0, sizeof(tmp));
	tmp.addr = *a;
	memset(tmp.dist, 0xff, sizeof(tmp.dist));
	if (id != NULL)
		cand_set_id(l, &tmp, id);
	if (l->ncands < DHT_MAX_CANDIDATES) {
		l->cands[l->ncands] = tmp;
		order_insert(l, (uint16_t)l->ncands, l->ncands);
		l->ncands++;
		return;
	}
	for (i = 0; i < l->ncands && victim == SIZE_MAX; i++)
		if (l->cands[l->order[i]].state == C_FAILED)
			victim = l->order[i];
	for (i = l->ncands; i > 0 && victim == SIZE_MAX; i--) {
		c = &l->cands[l->order[i - 1]];
		if (c->state != C_NEW)
			continue;
		if (dist_cmp(&tmp, c) < 0)
			victim = l->order[i - 1];
		break;  /* the farthest new one decides */
	}
	if (victim == SIZE_MAX)
		return;
	order_remove(l, (uint16_t)victim);
	l->cands[victim] = tmp;
	order_insert(l, (uint16_t)victim, l->ncands - 1);
}

static void
self_add(struct dht_lookup *l, const struct sockaddr_storage *a)
{
	size_t i;

	if (l->nself >= DHT_MAX_SELF || addr_is_self(l, a))
		return;
	l->self[l->nself++] = *a;
	for (i = 0; i < l->ncands; i++)
		if (l->cands[i].state == C_NEW && addr_is_self(l, &l->cands[i].addr))
			l->cands[i].state = C_FAILED;
}

/* ---- items ---- */

/* An item from a get reply: keep it if valid and newer than the best so far. */
static void
consider_item(struct dht_lookup *l, struct cand *c, const struct krpc_msg *m)
{
	struct dht_item it;

	if (!krpc_has_item(m)) {
		if ((m->bad & KRPC_F_ITEM) != 0)
			l->st.rejected++;
		return;
	}
	memset(&it, 0, sizeof(it));
	memcpy(it.k, m->k, KRPC_KEY_LEN);
	memcpy(it.sig, m->sig, KRPC_SIG_LEN);
	it.seq = m->seq;
	it.vlen = m->vlen;
	if (m->vlen > 0)
		memcpy(it.v, m->v, m->vlen);
	/* k must be the key we asked for: SHA1(k) == target (mainline does not check). */
	if (sodium_memcmp(it.k, l->pubkey, KRPC_KEY_LEN) != 0) {
		l->st.rejected++;
		return;
	}
	/* A copy of the best item (same seq, v and sig) is already verified. */
	if (!(l->have_best && dht_item_same(&it, &l->best) &&
	    memcmp(it.sig, l->best.sig, KRPC_SIG_LEN) == 0) && dht_item_verify(&it) != 0) {
		l->st.rejected++;
		return;
	}
	l->st.values++;
	if (l->mode == DHT_PUT) {
		if (dht_item_same(&it, &l->item))
			c->has_ours = 1;
		else if (it.seq > l->item.seq)
			l->newer_seen = 1;
	}
	if (!l->have_best || dht_item_newer(&it, &l->best)) {
		l->best = it;
		l->have_best = 1;
		l->best_gen++;
	}
}

/* ---- transactions ---- */

static struct txn *
txn_find(struct dht_lookup *l, const uint8_t *t, size_t tlen)
{
	size_t i;

	if (tlen != KRPC_TID_LEN)
		return NULL;
	for (i = 0; i < DHT_MAX_INFLIGHT; i++)
		if (l->txns[i].used && memcmp(l->txns[i].tid, t, KRPC_TID_LEN) == 0)
			return &l->txns[i];
	return NULL;
}

static void
txn_free(struct dht_lookup *l, struct txn *x)
{
	if (x->slow)
		l->nslow--;
	memset(x, 0, sizeof(*x));
	l->ninflight--;
}

static void
lookup_failed(struct dht_lookup *l, struct cand *c, int timeout)
{
	c->state = C_FAILED;
	if (c->counted)
		return;  /* it answered before (find_node); do not count it twice */
	c->counted = 1;
	if (timeout)
		l->st.timed_out++;
	else
		l->st.errors++;
}

static void
on_timeout(struct dht_lookup *l, struct txn *x)
{
	struct cand *c = &l->cands[x->cand];

	switch (x->kind) {
	case Q_FIND_NODE:
	case Q_GET:
		lookup_failed(l, c, 1);
		break;
	case Q_FOLLOW:
		c->fn_state = FN_DONE;
		break;
	case Q_PUT:
		c->put_state = P_TIMEOUT;
		l->st.put_timeouts++;
		break;
	}
	txn_free(l, x);
}

static void
expire(struct dht_lookup *l, uint64_t now)
{
	size_t i;

	for (i = 0; i < DHT_MAX_INFLIGHT; i++) {
		if (!l->txns[i].used)
			continue;
		if (l->txns[i].deadline <= now) {
			on_timeout(l, &l->txns[i]);
		} else if (!l->txns[i].slow && l->txns[i].slow_at <= now) {
			l->txns[i].slow = 1;
			l->nslow++;
			l->cands[l->txns[i].cand].slow = 1;
		}
	}
}

/* Drop outstanding lookup queries: their late replies will be ignored. */
static void
cancel_lookup_txns(struct dht_lookup *l)
{
	size_t i;

	for (i = 0; i < DHT_MAX_INFLIGHT; i++)
		if (l->txns[i].used && l->txns[i].kind != Q_PUT)
			txn_free(l, &l->txns[i]);
}

/* ---- scheduling ---- */

struct pick {
	uint16_t cand;
	uint8_t kind;
};

/*
 * The next query to send, if any. Only the K closest live candidates are
 * queried; a slow one does not take up a place.
 */
static int
pick(const struct dht_lookup *l, struct pick *pk)
{
	const struct cand *c;
	size_t i, live = 0;

	if (l->ninflight - l->nslow >= l->max_inflight || l->ninflight >= DHT_MAX_INFLIGHT)
		return 0;
	if (l->phase == PH_PUT) {
		for (i = 0; i < l->ncands; i++) {
			if (l->cands[i].put_state == P_PENDING) {
				pk->cand = (uint16_t)i;
				pk->kind = Q_PUT;
				return 1;
			}
		}
		return 0;
	}
	if (l->phase != PH_LOOKUP || l->nqueries >= DHT_MAX_QUERIES)
		return 0;
	for (i = 0; i < l->ncands && live < DHT_K; i++) {
		c = &l->cands[l->order[i]];
		if (c->state == C_FAILED)
			continue;
		if (!c->slow)
			live++;
		pk->cand = l->order[i];
		if (c->state == C_NEW) {
			pk->kind = c->has_id ? Q_GET : Q_FIND_NODE;
			return 1;
		}
		if (c->state == C_NEED_GET) {
			pk->kind = Q_GET;
			return 1;
		}
		if (c->state == C_DONE && c->fn_state == FN_NEEDED) {
			pk->kind = Q_FOLLOW;
			return 1;
		}
	}
	return 0;
}

/* The K closest live candidates have all answered (and given us their nodes). */
static int
lookup_settled(const struct dht_lookup *l)
{
	const struct cand *c;
	size_t i, live = 0;

	for (i = 0; i < l->ncands && live < DHT_K; i++) {
		c = &l->cands[l->order[i]];
		if (c->state == C_FAILED)
			continue;
		live++;
		if (c->state != C_DONE || c->fn_state == FN_NEEDED || c->fn_state == FN_WAIT)
			return 0;
	}
	return 1;
}

static void
start_put(struct dht_lookup *l)
{
	struct cand *c;
	size_t i, n = 0;

	l->phase = PH_PUT;
	if (l->newer_seen) {
		l->phase = PH_DONE;
		return;
	}
	for (i = 0; i < l->ncands && n < DHT_K; i++) {
		c = &l->cands[l->order[i]];
		if (c->state == C_DONE && c->token_len > 0) {
			c->put_state = P_PENDING;
			n++;
		}
	}
	if (n == 0)
		l->phase = PH_DONE;
}

static void
advance(struct dht_lookup *l, uint64_t now)
{
	struct pick pk;
	size_t i;

	if (l->phase == PH_LOOKUP &&
	    (now >= l->deadline || lookup_settled(l) || (l->ninflight == 0 && !pick(l, &pk)))) {
		cancel_lookup_txns(l);
		if (l->mode == DHT_PUT)
			start_put(l);
		else
			l->phase = PH_DONE;
	}
	if (l->phase == PH_PUT) {
		for (i = 0; i < l->ncands; i++)
			if (l->cands[i].put_state == P_PENDING || l->cands[i].put_state == P_WAIT)
				return;
		l->phase = PH_DONE;
	}
}

/* ---- input ---- */

static void
add_nodes(struct dht_lookup *l, const uint8_t *p, size_t n, int family)
{
	struct krpc_node node;
	struct sockaddr_storage a;
	struct buf_rd rd;
	size_t count = 0;

	if (p == NULL || !family_ok(l, family))
		return;
	buf_rd_init(&rd, p, n);
	while (buf_remaining(&rd) > 0 && count++ < DHT_MAX_NODES_PER_REPLY) {
		if (krpc_get_node(&rd, family, &node) != 0)
			return;
		if (sa_norm(&node.addr, &a) == 0)
			cand_add(l, node.id, &a);
	}
}

static void
count_put_error(struct dht_lookup *l, int64_t code)
{
	size_t i;

	for (i = 0; i < l->st.n_put_err; i++) {
		if (l->st.put_err[i].code == code) {
			l->st.put_err[i].n++;
			return;
		}
	}
	if (l->st.n_put_err < DHT_MAX_ERRCODES) {
		l->st.put_err[l->st.n_put_err].code = code;
		l->st.put_err[l->st.n_put_err].n = 1;
		l->st.n_put_err++;
		return;
	}
	l->st.put_err[DHT_MAX_ERRCODES - 1].n++;  /* the table is full: lump into the last */
}

static void
on_put_reply(struct dht_lookup *l, struct cand *c, const struct krpc_msg *m)
{
	int64_t code = (m->has & KRPC_F_ERR) ? m->err_code : 0;

	if (m->y == 'r' && (m->has & KRPC_F_ID)) {
		c->put_state = P_OK;
		l->st.stored++;
		return;
	}
	c->put_state = P_ERR;
	count_put_error(l, code);
	/* bittorrent-dht answers 302 to a re-put of what it already holds. */
	if (m->y == 'e' && code == KRPC_ERR_SEQ && c->has_ours) {
		c->put_state = P_OK;
		l->st.stored++;
		return;
	}
	l->st.put_errors++;
	if (m->y == 'e' && (code == KRPC_ERR_CAS || code == KRPC_ERR_SEQ))
		l->st.put_conflicts++;
}

static void
on_lookup_reply(struct dht_lookup *l, struct cand *c, int kind, const struct krpc_msg *m)
{
	struct sockaddr_storage me, a;
	int had_nodes = (m->has & KRPC_F_NODES) != 0;

	if (kind != Q_FOLLOW)
		c->slow = 0;
	if (m->y != 'r' || !(m->has & KRPC_F_ID) || memcmp(m->id, l->myid, KRPC_ID_LEN) == 0) {
		if (kind == Q_FOLLOW)
			c->fn_state = FN_DONE;
		else
			lookup_failed(l, c, 0);
		return;
	}
	if (!c->has_id || memcmp(c->id, m->id, KRPC_ID_LEN) != 0) {
		/* The node's own word on its id wins over whoever told us about it. */
		order_remove(l, (uint16_t)(c - l->cands));
		cand_set_id(l, c, m->id);
		order_insert(l, (uint16_t)(c - l->cands), l->ncands - 1);
	}
	if ((m->has & KRPC_F_IP) && krpc_compact_addr(m->ip, m->ip_len, &a) == 0 &&
	    sa_norm(&a, &me) == 0)
		self_add(l, &me);
	add_nodes(l, m->nodes, m->nodes_len, AF_INET);
	add_nodes(l, m->nodes6, m->nodes6_len, AF_INET6);
	if (!c->counted) {
		c->counted = 1;
		l->st.responded++;
	}
	switch (kind) {
	case Q_FIND_NODE:
		c->state = C_NEED_GET;
		break;
	case Q_GET:
		c->state = C_DONE;
		if (m->has & KRPC_F_TOKEN) {
			memcpy(c->token, m->token, m->token_len);
			c->token_len = (uint8_t)m->token_len;
		}
		/* bittorrent-dht leaves out nodes when it returns a value: ask for them. */
		if (!had_nodes && !(m->has & KRPC_F_NODES6))
			c->fn_state = FN_NEEDED;
		consider_item(l, c, m);
		break;
	case Q_FOLLOW:
		c->fn_state = FN_DONE;
		break;
	}
}

int
dht_lookup_input(struct dht_lookup *l, uint64_t now_ms, const struct sockaddr_storage *from,
    const uint8_t *data, size_t len)
{
	struct sockaddr_storage src;
	struct krpc_msg m;
	struct txn *x;
	struct cand *c;
	int kind;

	l->st.received++;
	if (l->phase == PH_DONE || sa_norm(from, &src) != 0 ||
	    krpc_parse(&m, data, len) != 0 || m.y == 'q' ||
	    (x = txn_find(l, m.t, m.tlen)) == NULL ||
	    !sa_eq(&l->cands[x->cand].addr, &src)) {
		l->st.ignored++;  /* garbage, a query (we answer none), unsolicited or late */
		advance(l, now_ms);
		return 0;
	}
	c = &l->cands[x->cand];
	kind = x->kind;
	txn_free(l, x);
	if (kind == Q_PUT)
		on_put_reply(l, c, &m);
	else
		on_lookup_reply(l, c, kind, &m);
	advance(l, now_ms);
	return 0;
}

/* ---- output ---- */

static void
new_tid(struct dht_lookup *l, uint8_t tid[static KRPC_TID_LEN])
{
	do
		randombytes_buf(tid, KRPC_TID_LEN);
	while (txn_find(l, tid, KRPC_TID_LEN) != NULL);
}

int
dht_lookup_output(struct dht_lookup *l, uint64_t now_ms, struct sockaddr_storage *to,
    uint8_t *buf, size_t cap, size_t *len)
{
	struct krpc_put put;
	struct buf_wr wr;
	struct pick pk;
	struct cand *c;
	struct txn *x = NULL;
	uint8_t tid[KRPC_TID_LEN];
	size_t i;
	int r;

	*len = 0;
	memset(to, 0, sizeof(*to));
	expire(l, now_ms);
	advance(l, now_ms);
	if (l->phase == PH_DONE || !pick(l, &pk))
		return 0;
	c = &l->cands[pk.cand];
	new_tid(l, tid);
	buf_wr_init_fixed(&wr, buf, cap);
	switch (pk.kind) {
	case Q_FIND_NODE:
	case Q_FOLLOW:
		r = krpc_build_find_node(&wr, tid, l->myid, l->target);
		break;
	case Q_GET:
		r = krpc_build_get(&wr, tid, l->myid, l->target, l->get_with_seq, l->get_seq);
		break;
	default:
		memset(&put, 0, sizeof(put));
		put.target = l->target;
		put.token = c->token;
		put.token_len = c->token_len;
		put.k = l->item.k;
		put.seq = l->item.seq;
		put.sig = l->item.sig;
		put.v = l->item.v;
		put.vlen = l->item.vlen;
		put.has_cas = l->has_cas;
		put.cas = l->cas;
		r = krpc_build_put(&wr, tid, l->myid, &put);
		break;
	}
	if (r != 0)
		return r;
	for (i = 0; i < DHT_MAX_INFLIGHT && x == NULL; i++)
		if (!l->txns[i].used)
			x = &l->txns[i];
	if (x == NULL)
		return CCL_ERR_INTERNAL;  /* pick() checked ninflight */
	x->used = 1;
	x->kind = pk.kind;
	memcpy(x->tid, tid, KRPC_TID_LEN);
	x->cand = pk.cand;
	x->deadline = now_ms + l->timeout_ms;
	x->slow_at = pk.kind == Q_FIND_NODE || pk.kind == Q_GET ?
	    now_ms + l->timeout_ms / SLOW_DIV : UINT64_MAX;
	l->ninflight++;
	l->nqueries++;
	l->st.sent++;
	switch (pk.kind) {
	case Q_FIND_NODE:
		c->state = C_WAIT_FN;
		l->st.queried++;
		break;
	case Q_GET:
		if (c->state == C_NEW)
			l->st.queried++;
		c->state = C_WAIT_GET;
		break;
	case Q_FOLLOW:
		c->fn_state = FN_WAIT;
		break;
	default:
		c->put_state = P_WAIT;
		l->st.put_sent++;
		break;
	}
	*to = c->addr;
	*len = buf_wr_len(&wr);
	return 1;
}

uint64_t
dht_lookup_next_ms(const struct dht_lookup *l, uint64_t now_ms)
{
	struct pick pk;
	uint64_t next = UINT64_MAX;
	size_t i;

	if (l->phase == PH_DONE || pick(l, &pk))
		return 0;
	if (l->phase == PH_LOOKUP)
		next = l->deadline;
	for (i = 0; i < DHT_MAX_INFLIGHT; i++) {
		if (!l->txns[i].used)
			continue;
		if (l->txns[i].deadline < next)
			next = l->txns[i].deadline;
		if (!l->txns[i].slow && l->txns[i].slow_at < next)
			next = l->txns[i].slow_at;
	}
	if (next == UINT64_MAX || next <= now_ms)
		return 0;
	return next - now_ms;
}

int
dht_lookup_done(const struct dht_lookup *l)
{
	return l->phase == PH_DONE;
}

int
dht_lookup_take_item(struct dht_lookup *l, struct dht_item *out)
{
	if (!l->have_best || l->taken_gen == l->best_gen)
		return 0;
	*out = l->best;
	l->taken_gen = l->best_gen;
	return 1;
}

int
dht_lookup_result(const struct dht_lookup *l, struct dht_item *best, struct dht_stats *st)
{
	unsigned answered;

	if (best != NULL) {
		memset(best, 0, sizeof(*best));
		if (l->have_best)
			*best = l->best;
	}
	if (st != NULL)
		*st = l->st;
	if (l->mode == DHT_GET) {
		if (l->have_best)
			return 0;
		return l->st.responded > 0 ? CCL_ERR_NOT_FOUND : CCL_ERR_TIMEOUT;
	}
	answered = l->st.stored + l->st.put_errors;
	if (l->newer_seen || (answered > 0 && l->st.put_conflicts * 2 > answered))
		return CCL_ERR_CONFLICT;
	if (l->st.stored > 0)
		return 0;
	if (l->st.responded == 0)
		return CCL_ERR_TIMEOUT;
	if (l->st.put_sent == 0)
		return CCL_ERR_NOT_FOUND;
	return answered == 0 ? CCL_ERR_TIMEOUT : CCL_ERR_NET;
}

/* ---- setup ---- */

int
dht_lookup_new(struct dht_lookup **lp, const struct dht_params *p, uint64_t now_ms)
{
	struct dht_lookup *l = NULL;
	struct sockaddr_storage a;
	size_t i;
	int r = CCL_ERR_INVALID_ARG;

	*lp = NULL;
	if ((p->mode != DHT_GET && p->mode != DHT_PUT) ||
	    (p->mode == DHT_PUT && (p->item == NULL || p->item->vlen > KRPC_MAX_V)) ||
	    (p->n_bootstrap > 0 && p->bootstrap == NULL) || (p->n_self > 0 && p->self == NULL))
		goto out;
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	l->mode = p->mode;
	l->families = p->families != 0 ? p->families : DHT_FAM_V4;
	l->timeout_ms = p->timeout_ms != 0 ? p->timeout_ms : DHT_DEFAULT_TIMEOUT_MS;
	l->max_inflight = p->max_inflight != 0 ? p->max_inflight : DHT_DEFAULT_INFLIGHT;
	if (l->max_inflight > DHT_MAX_INFLIGHT)
		l->max_inflight = DHT_MAX_INFLIGHT;
	l->deadline = now_ms + (p->deadline_ms != 0 ? p->deadline_ms : DHT_DEFAULT_DEADLINE_MS);
	if (p->mode == DHT_PUT) {
		l->item = *p->item;
		memcpy(l->pubkey, p->item->k, KRPC_KEY_LEN);
		l->has_cas = p->has_cas;
		l->cas = p->cas;
	} else {
		memcpy(l->pubkey, p->pubkey, KRPC_KEY_LEN);
		l->get_with_seq = p->get_with_seq;
		l->get_seq = p->get_seq;
	}
	dht_target(l->pubkey, l->target);
	randombytes_buf(l->myid, sizeof(l->myid));
	for (i = 0; i < p->n_self && l->nself < DHT_MAX_SELF; i++)
		if (sa_norm(&p->self[i], &a) == 0)
			l->self[l->nself++] = a;
	for (i = 0; i < p->n_bootstrap && i < DHT_MAX_BOOTSTRAP; i++)
		if (sa_norm(&p->bootstrap[i], &a) == 0 && sa_loopback(&a))
			l->allow_loopback = 1;
	for (i = 0; i < p->n_bootstrap && i < DHT_MAX_BOOTSTRAP; i++)
		if (sa_norm(&p->bootstrap[i], &a) == 0)
			cand_add(l, NULL, &a);
	if (l->ncands == 0)
		goto out;
	*lp = l;
	l = NULL;
	r = 0;
 out:
	dht_lookup_free(l);
	return r;
}

void
dht_lookup_free(struct dht_lookup *l)
{
	if (l == NULL)
		return;
	sodium_memzero(l, sizeof(*l));
	free(l);
}
