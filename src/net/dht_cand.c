/* SPDX-License-Identifier: MIT */
/*
 * dht_cand.c — the lookup's candidate table: which addresses may be asked,
 * the candidates sorted by XOR distance to the target, and the compact node
 * lists of replies (of any size) reduced to their closest entries.
 * Trust boundary: node lists and addresses come from untrusted replies; they
 * are read through buf_rd/krpc_get_node and filtered here.
 */
#include <string.h>
#include <netinet/in.h>

#include "buf.h"
#include "dht_int.h"
#include "sockaddr.h"

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

int
dht_addr_usable(const struct dht_lookup *l, const struct sockaddr_storage *a)
{
	return family_ok(l, a->ss_family) && !addr_martian(l, a) && !addr_is_self(l, a);
}

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
set_id(struct dht_lookup *l, struct cand *c, const uint8_t id[static KRPC_ID_LEN])
{
	size_t i;

	memcpy(c->id, id, KRPC_ID_LEN);
	c->has_id = 1;
	for (i = 0; i < KRPC_ID_LEN; i++)
		c->dist[i] = id[i] ^ l->target[i];
}

/* A candidate's own word on its id: re-sort it. */
void
dht_cand_set_id(struct dht_lookup *l, struct cand *c, const uint8_t id[static KRPC_ID_LEN])
{
	order_remove(l, (uint16_t)(c - l->cands));
	set_id(l, c, id);
	order_insert(l, (uint16_t)(c - l->cands), l->ncands - 1);
}

struct cand *
dht_cand_by_addr(struct dht_lookup *l, const struct sockaddr_storage *a)
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
void
dht_cand_add(struct dht_lookup *l, const uint8_t *id, const struct sockaddr_storage *a)
{
	struct cand tmp, *c;
	size_t i, victim = SIZE_MAX;

	if (!dht_addr_usable(l, a))
		return;
	if (id != NULL && memcmp(id, l->myid, KRPC_ID_LEN) == 0)
		return;
	if (dht_cand_by_addr(l, a) != NULL)
		return;
	memset(&tmp, 0, sizeof(tmp));
	tmp.addr = *a;
	tmp.tid_len = KRPC_TID_LEN;
	memset(tmp.dist, 0xff, sizeof(tmp.dist));
	if (id != NULL)
		set_id(l, &tmp, id);
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

void
dht_self_add(struct dht_lookup *l, const struct sockaddr_storage *a)
{
	size_t i;

	if (l->nself >= DHT_MAX_SELF || addr_is_self(l, a))
		return;
	l->self[l->nself++] = *a;
	for (i = 0; i < l->ncands; i++)
		if (l->cands[i].state == C_NEW && addr_is_self(l, &l->cands[i].addr))
			l->cands[i].state = C_FAILED;
}

/* One usable entry of a node list, kept while choosing the closest. */
struct picked {
	uint8_t dist[KRPC_ID_LEN];
	struct krpc_node node;
};

/*
 * A reply may list any number of nodes (bittorrent-dht sends its whole
 * routing table, 3 KB and more). Walk all of them — the count is bounded by
 * the datagram, at most 64 KiB / 26 — and keep only the
 * DHT_MAX_NODES_PER_REPLY closest to the target that we could ask: one reply
 * can neither flood the candidate table nor push out closer nodes with
 * entries we would refuse anyway (ourselves, martians, known addresses).
 */
void
dht_add_nodes(struct dht_lookup *l, const uint8_t *p, size_t n, int family)
{
	struct picked best[DHT_MAX_NODES_PER_REPLY], tmp;
	struct krpc_node node;
	struct buf_rd rd;
	size_t nbest = 0, i, k;

	if (p == NULL || !family_ok(l, family))
		return;
	buf_rd_init(&rd, p, n);
	while (buf_remaining(&rd) > 0) {
		if (krpc_get_node(&rd, family, &node) != 0)
			break;
		memset(&tmp, 0, sizeof(tmp));
		if (sa_norm(&node.addr, &tmp.node.addr) != 0 || !dht_addr_usable(l, &tmp.node.addr) ||
		    memcmp(node.id, l->myid, KRPC_ID_LEN) == 0 ||
		    dht_cand_by_addr(l, &tmp.node.addr) != NULL)
			continue;
		memcpy(tmp.node.id, node.id, KRPC_ID_LEN);
		for (k = 0; k < KRPC_ID_LEN; k++)
			tmp.dist[k] = node.id[k] ^ l->target[k];
		/* Insertion into best[0..nbest), sorted by distance; the farthest falls off. */
		i = nbest;
		while (i > 0 && memcmp(best[i - 1].dist, tmp.dist, KRPC_ID_LEN) > 0)
			i--;
		if (i >= DHT_MAX_NODES_PER_REPLY)
			continue;
		for (k = 0; k < i; k++)
			if (sa_eq(&best[k].node.addr, &tmp.node.addr))
				break;
		if (k < i)
			continue;  /* the same address twice in one list: keep the closer claim */
		if (nbest < DHT_MAX_NODES_PER_REPLY)
			nbest++;
		memmove(&best[i + 1], &best[i], (nbest - 1 - i) * sizeof(best[0]));
		best[i] = tmp;
	}
	for (i = 0; i < nbest; i++)
		dht_cand_add(l, best[i].node.id, &best[i].node.addr);
}
