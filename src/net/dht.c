/* SPDX-License-Identifier: MIT */
/*
 * dht.c — sans-I/O BEP 44 lookup engine; see dht.h. Scheduling, the
 * stopping rule, input and output live here; the candidate table in
 * dht_cand.c, the put phase in dht_put.c.
 * Trust boundary: every datagram and every address in it is untrusted; they
 * are parsed by krpc.c and checked here against the queries we sent.
 *
 * Stopping rule (doc/dht-lookup.md explains it at length). A query that gets
 * an error, a reply we cannot use (not a response, no id, our own id), a
 * datagram that does not parse from the address we asked, or an ICMP
 * "unreachable" fails at once. A query unanswered for the soft timeout
 * (dht_soft_ms: DHT_SOFT_RTTS × the median round trip seen so far, within
 * [DHT_SOFT_MIN_MS, 3/4 of the timeout]; timeout / 4 before any reply) is passed over: the node keeps its place
 * and its late answer is still used, but it no longer counts among the K
 * closest, it no longer holds an in-flight slot, and the next candidate is
 * asked in its stead. The lookup is settled when, walking the candidates
 * from the closest outwards and skipping failed and passed-over ones, the
 * first DHT_K have all answered (their get, and, for the first
 * DHT_FOLLOW_MAX of them, the follow-up find_node of a get reply that
 * carried no nodes unless that too is overdue), and there is
 * at least one such answer. It also ends when nothing is in flight and
 * nothing is left to ask, or at the deadline.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <sodium.h>

#include "buf.h"
#include "dht_int.h"
#include "sockaddr.h"
#include "krpc.h"
#include "sha1.h"

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

/* ---- round trips and the soft timeout ---- */

static void
rtt_add(struct dht_lookup *l, uint64_t ms)
{
	l->rtt[l->nrtt % DHT_RTT_SAMPLES] = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
	l->nrtt++;
}

/* When a query counts as overdue; see the stopping rule at the top. */
uint64_t
dht_soft_ms(const struct dht_lookup *l)
{
	uint32_t v[DHT_RTT_SAMPLES], t;
	size_t n = l->nrtt < DHT_RTT_SAMPLES ? l->nrtt : DHT_RTT_SAMPLES, i, j;
	uint64_t cap = (uint64_t)l->timeout_ms * 3 / 4, floor = DHT_SOFT_MIN_MS, soft;

	/* Before any reply: a quarter of the timeout. A uniformly slow net raises it. */
	if (n == 0)
		return l->timeout_ms / 4;
	if (floor > cap)
		floor = cap;
	memcpy(v, l->rtt, n * sizeof(v[0]));
	for (i = 1; i < n; i++) {
		t = v[i];
		for (j = i; j > 0 && v[j - 1] > t; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
	soft = (uint64_t)v[n / 2] * DHT_SOFT_RTTS;
	return soft < floor ? floor : soft > cap ? cap : soft;
}

/* ---- transactions ---- */

static struct txn *
txn_find(struct dht_lookup *l, const uint8_t *t, size_t tlen)
{
	size_t i;

	if (tlen != KRPC_TID_LEN && tlen != DHT_T2_LEN)
		return NULL;
	for (i = 0; i < DHT_MAX_INFLIGHT; i++)
		if (l->txns[i].used && l->txns[i].tid_len == tlen &&
		    memcmp(l->txns[i].tid, t, tlen) == 0)
			return &l->txns[i];
	return NULL;
}

/* The transaction in flight to addr (at most one per candidate), or NULL. */
static struct txn *
txn_by_addr(struct dht_lookup *l, const struct sockaddr_storage *a)
{
	size_t i;

	for (i = 0; i < DHT_MAX_INFLIGHT; i++)
		if (l->txns[i].used && sa_eq(&l->cands[l->txns[i].cand].addr, a))
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

enum { F_TIMEOUT, F_ERROR, F_UNREACHABLE };

static void
lookup_failed(struct dht_lookup *l, struct cand *c, int why)
{
	c->state = C_FAILED;
	c->slow = 0;
	if (c->counted)
		return;  /* it answered before (find_node); do not count it twice */
	c->counted = 1;
	if (why == F_TIMEOUT)
		l->st.timed_out++;
	else if (why == F_UNREACHABLE)
		l->st.unreachable++;
	else
		l->st.errors++;
}

/* A transaction that will get no usable answer: account for it and free it. */
static void
txn_fail(struct dht_lookup *l, struct txn *x, int why)
{
	struct cand *c = &l->cands[x->cand];
	int kind = x->kind;

	txn_free(l, x);
	switch (kind) {
	case Q_FIND_NODE:
	case Q_GET:
		lookup_failed(l, c, why);
		break;
	case Q_FOLLOW:
		c->fn_state = FN_DONE;
		c->fn_slow = 0;
		break;
	default:
		dht_put_failed(l, c, kind, why == F_TIMEOUT);
		break;
	}
}

static void
expire(struct dht_lookup *l, uint64_t now)
{
	struct txn *x;
	size_t i;

	for (i = 0; i < DHT_MAX_INFLIGHT; i++) {
		x = &l->txns[i];
		if (!x->used)
			continue;
		if (x->deadline <= now) {
			txn_fail(l, x, F_TIMEOUT);
		} else if (!x->slow && x->slow_at <= now) {
			x->slow = 1;
			l->nslow++;
			if (x->kind == Q_FOLLOW) {
				l->cands[x->cand].fn_slow = 1;
			} else {
				l->cands[x->cand].slow = 1;
				l->passed_over++;
			}
		}
	}
}

/* Drop outstanding transactions (all, or only the lookup's): late replies are ignored. */
static void
cancel_txns(struct dht_lookup *l, int all)
{
	size_t i;

	for (i = 0; i < DHT_MAX_INFLIGHT; i++) {
		if (!l->txns[i].used || (!all && (l->txns[i].kind == Q_PUT || l->txns[i].kind == Q_CHECK)))
			continue;
		l->cands[l->txns[i].cand].slow = 0;
		txn_free(l, &l->txns[i]);
	}
}

/* ---- scheduling ---- */

struct pick {
	uint16_t cand;
	uint8_t kind;
};

/*
 * The next query to send, if any. Only the K closest candidates that are
 * neither failed nor passed over are queried.
 */
/*
 * How far past the K closest pick() may reach: when a fraction f of the
 * queries so far failed or went overdue, about f of those still in flight
 * will too, so ask as many extra candidates now instead of one soft timeout
 * later (at most DHT_K extra; none before DHT_FAIL_SAMPLES outcomes).
 */
static size_t
extra_window(const struct dht_lookup *l)
{
	unsigned bad = l->st.timed_out + l->st.errors + l->st.unreachable + l->passed_over;
	unsigned seen = bad + l->st.responded;
	size_t fresh = l->ninflight - l->nslow, extra;

	if (seen < DHT_FAIL_SAMPLES || bad == 0)
		return 0;
	extra = (fresh * bad + seen - 1) / seen;
	return extra > DHT_K ? DHT_K : extra;
}

static int
pick(const struct dht_lookup *l, struct pick *pk)
{
	const struct cand *c;
	size_t i, live = 0, window;

	if (l->ninflight - l->nslow >= l->max_inflight || l->ninflight >= DHT_MAX_INFLIGHT)
		return 0;
	if (l->phase == PH_PUT) {
		for (i = 0; i < l->ncands; i++) {
			pk->cand = (uint16_t)i;
			if (l->cands[i].put_state == P_PENDING) {
				pk->kind = Q_PUT;
				return 1;
			}
			if (l->cands[i].put_state == P_CHECK) {
				pk->kind = Q_CHECK;
				return 1;
			}
		}
		return 0;
	}
	if (l->phase != PH_LOOKUP || l->nqueries >= DHT_MAX_QUERIES)
		return 0;
	window = DHT_K + extra_window(l);
	for (i = 0; i < l->ncands && live < window; i++) {
		c = &l->cands[l->order[i]];
		if (c->state == C_FAILED || c->slow)
			continue;
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
		if (c->state == C_DONE && c->fn_state == FN_NEEDED && live <= DHT_FOLLOW_MAX) {
			pk->kind = Q_FOLLOW;
			return 1;
		}
	}
	return 0;
}

/* The stopping rule (top of file): the K closest responsive candidates have answered. */
static int
lookup_settled(const struct dht_lookup *l)
{
	const struct cand *c;
	size_t i, live = 0;

	for (i = 0; i < l->ncands && live < DHT_K; i++) {
		c = &l->cands[l->order[i]];
		if (c->state == C_FAILED || c->slow)
			continue;
		live++;
		if (c->state != C_DONE || (c->fn_state == FN_NEEDED && live <= DHT_FOLLOW_MAX) ||
		    (c->fn_state == FN_WAIT && !c->fn_slow))
			return 0;
	}
	/* Until someone has answered, overdue queries are all we have: wait for them. */
	return live > 0;
}

static void
advance(struct dht_lookup *l, uint64_t now)
{
	struct pick pk;

	if (l->phase == PH_LOOKUP &&
	    (now >= l->deadline || lookup_settled(l) || (l->ninflight == 0 && !pick(l, &pk)))) {
		cancel_txns(l, 0);
		l->st.lookup_ms = now - l->start;
		l->put_start = now;
		if (l->mode == DHT_PUT)
			dht_put_start(l);
		else
			l->phase = PH_DONE;
	}
	if (l->phase == PH_PUT && dht_put_finished(l, now)) {
		cancel_txns(l, 1);
		l->st.put_ms = now - l->put_start;
		l->phase = PH_DONE;
	}
}

/* ---- input ---- */

static void
on_lookup_reply(struct dht_lookup *l, struct cand *c, int kind, const struct krpc_msg *m)
{
	struct sockaddr_storage me, a;
	int had_nodes = (m->has & KRPC_F_NODES) != 0;

	if (kind == Q_FOLLOW)
		c->fn_slow = 0;
	else
		c->slow = 0;
	if (m->y != 'r' || !(m->has & KRPC_F_ID) || memcmp(m->id, l->myid, KRPC_ID_LEN) == 0) {
		if (kind == Q_FOLLOW)
			c->fn_state = FN_DONE;
		else
			lookup_failed(l, c, F_ERROR);
		return;
	}
	/* The node's own word on its id wins over whoever told us about it. */
	if (!c->has_id || memcmp(c->id, m->id, KRPC_ID_LEN) != 0)
		dht_cand_set_id(l, c, m->id);
	if ((m->has & KRPC_F_IP) && krpc_compact_addr(m->ip, m->ip_len, &a) == 0 &&
	    sa_norm(&a, &me) == 0)
		dht_self_add(l, &me);
	dht_add_nodes(l, m->nodes, m->nodes_len, AF_INET);
	dht_add_nodes(l, m->nodes6, m->nodes6_len, AF_INET6);
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

/*
 * A node answered our 4-byte t with its first 2 bytes only (older mainline
 * builds keep 2). That reply is not accepted — it does not carry the whole t
 * we sent — but the node is asked the same question again with a fresh
 * 2-byte t, whose reply must then match all of it and the address.
 */
static int
t2_retry(struct dht_lookup *l, const struct sockaddr_storage *src, const struct krpc_msg *m)
{
	struct txn *x;
	struct cand *c;
	int kind;

	if (m->tlen != DHT_T2_LEN || (x = txn_by_addr(l, src)) == NULL ||
	    x->tid_len != KRPC_TID_LEN || memcmp(x->tid, m->t, DHT_T2_LEN) != 0)
		return 0;
	c = &l->cands[x->cand];
	if (c->tid_len != KRPC_TID_LEN)
		return 0;
	kind = x->kind;
	txn_free(l, x);
	c->tid_len = DHT_T2_LEN;
	c->slow = c->fn_slow = 0;
	l->st.t2++;
	switch (kind) {
	case Q_FIND_NODE: c->state = C_NEW; break;
	case Q_GET: c->state = C_NEED_GET; break;
	case Q_FOLLOW: c->fn_state = FN_NEEDED; break;
	case Q_PUT: c->put_state = P_PENDING; l->st.put_sent--; break;
	default: c->put_state = P_CHECK; break;
	}
	return 1;
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
	if (l->phase == PH_DONE || sa_norm(from, &src) != 0) {
		l->st.ignored++;
		return 0;
	}
	if (krpc_parse(&m, data, len) != 0) {
		/*
		 * Not KRPC at all. From the address we are waiting on, that is the
		 * node's answer: a failed query now, not a timeout later. (Someone
		 * spoofing that address could fail one query; with a valid t he
		 * could do worse anyway.)
		 */
		if ((x = txn_by_addr(l, &src)) != NULL)
			txn_fail(l, x, F_ERROR);
		else
			l->st.ignored++;
		advance(l, now_ms);
		return 0;
	}
	if (m.y == 'q' || (x = txn_find(l, m.t, m.tlen)) == NULL ||
	    !sa_eq(&l->cands[x->cand].addr, &src)) {
		if (m.y == 'q' || !t2_retry(l, &src, &m))
			l->st.ignored++;  /* a query (we answer none), unsolicited or late */
		advance(l, now_ms);
		return 0;
	}
	c = &l->cands[x->cand];
	kind = x->kind;
	rtt_add(l, now_ms - x->sent_at);
	txn_free(l, x);
	if (kind == Q_PUT) {
		dht_put_reply(l, c, &m);
	} else if (kind == Q_CHECK) {
		if (m.y == 'r' && (m.has & KRPC_F_ID))
			consider_item(l, c, &m);
		dht_put_check_reply(l, c, &m);
	} else {
		on_lookup_reply(l, c, kind, &m);
	}
	advance(l, now_ms);
	return 0;
}

int
dht_lookup_unreachable(struct dht_lookup *l, uint64_t now_ms, const struct sockaddr_storage *to)
{
	struct sockaddr_storage a;
	struct txn *x;

	if (l->phase == PH_DONE || sa_norm(to, &a) != 0 || (x = txn_by_addr(l, &a)) == NULL)
		return 0;
	txn_fail(l, x, F_UNREACHABLE);
	advance(l, now_ms);
	return 1;
}

/* ---- output ---- */

static void
new_tid(struct dht_lookup *l, uint8_t *tid, size_t tlen)
{
	do
		randombytes_buf(tid, tlen);
	while (txn_find(l, tid, tlen) != NULL);
}

static int
build(struct dht_lookup *l, const struct pick *pk, const uint8_t *tid, size_t tlen,
    struct buf_wr *wr)
{
	const struct cand *c = &l->cands[pk->cand];
	struct krpc_put put;

	switch (pk->kind) {
	case Q_FIND_NODE:
	case Q_FOLLOW:
		return krpc_build_find_node_t(wr, tid, tlen, l->myid, l->target);
	case Q_GET:
		return krpc_build_get_t(wr, tid, tlen, l->myid, l->target, l->get_with_seq, l->get_seq);
	case Q_CHECK:
		return krpc_build_get_t(wr, tid, tlen, l->myid, l->target, 0, 0);
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
		return krpc_build_put_t(wr, tid, tlen, l->myid, &put);
	}
}

int
dht_lookup_output(struct dht_lookup *l, uint64_t now_ms, struct sockaddr_storage *to,
    uint8_t *buf, size_t cap, size_t *len)
{
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
	new_tid(l, tid, c->tid_len);
	buf_wr_init_fixed(&wr, buf, cap);
	if ((r = build(l, &pk, tid, c->tid_len, &wr)) != 0)
		return r;
	for (i = 0; i < DHT_MAX_INFLIGHT && x == NULL; i++)
		if (!l->txns[i].used)
			x = &l->txns[i];
	if (x == NULL)
		return CCL_ERR_INTERNAL;  /* pick() checked ninflight */
	x->used = 1;
	x->kind = pk.kind;
	x->tid_len = c->tid_len;
	memcpy(x->tid, tid, c->tid_len);
	x->cand = pk.cand;
	x->sent_at = now_ms;
	x->deadline = now_ms + l->timeout_ms;
	x->slow_at = pk.kind == Q_PUT || pk.kind == Q_CHECK ? UINT64_MAX : now_ms + dht_soft_ms(l);
	l->ninflight++;
	l->nqueries++;
	l->st.sent++;
	if ((pk.kind == Q_FIND_NODE || pk.kind == Q_GET) && !c->asked) {
		c->asked = 1;
		l->st.queried++;
	}
	switch (pk.kind) {
	case Q_FIND_NODE:
		c->state = C_WAIT_FN;
		break;
	case Q_GET:
		c->state = C_WAIT_GET;
		break;
	case Q_FOLLOW:
		c->fn_state = FN_WAIT;
		break;
	case Q_CHECK:
		c->put_state = P_CHECK_WAIT;
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
	else
		next = dht_put_next(l);
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
	return dht_put_result(l);
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
	l->start = now_ms;
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
			dht_cand_add(l, NULL, &a);
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
