/* SPDX-License-Identifier: MIT */
/*
 * krpc.c — KRPC/BEP 44 message building and one-pass parsing; see krpc.h.
 * Trust boundary: parses untrusted datagrams via bencode.c (buf_rd only).
 */
#include <string.h>
#include <netinet/in.h>

#include "bencode.h"
#include "krpc.h"

/* A byte string of exactly n bytes (n == 0: any length up to max). */
static int
str_ok(const struct benc_val *v, size_t min, size_t max)
{
	return v->type == BENC_STR && v->len >= min && v->len <= max;
}

#define SET_STR(field, bit, minl, maxl) do {          \
	if (str_ok(&val, (minl), (maxl))) {            \
		m->field = val.s;                        \
		m->has |= (bit);                         \
	} else                                         \
		m->bad |= (bit);                         \
} while (0)

#define SET_STR_LEN(field, lenfield, bit, minl, maxl) do { \
	if (str_ok(&val, (minl), (maxl))) {            \
		m->field = val.s;                        \
		m->lenfield = val.len;                   \
		m->has |= (bit);                         \
	} else                                         \
		m->bad |= (bit);                         \
} while (0)

#define SET_INT(field, bit) do {                       \
	if (val.type == BENC_INT) {                    \
		m->field = val.i;                        \
		m->has |= (bit);                         \
	} else                                         \
		m->bad |= (bit);                         \
} while (0)

/* The `a` or `r` dictionary. Unknown keys are ignored. */
static int
parse_args(struct krpc_msg *m, const struct benc_val *d)
{
	struct benc_iter it;
	struct benc_val key, val;
	int r;

	if ((r = benc_iter_init(&it, d)) != 0)
		return r;
	while ((r = benc_iter_next(&it, &key, &val)) == 1) {
		if (benc_str_eq(&key, "id"))
			SET_STR(id, KRPC_F_ID, KRPC_ID_LEN, KRPC_ID_LEN);
		else if (benc_str_eq(&key, "target"))
			SET_STR(target, KRPC_F_TARGET, KRPC_ID_LEN, KRPC_ID_LEN);
		else if (benc_str_eq(&key, "token"))
			SET_STR_LEN(token, token_len, KRPC_F_TOKEN, 1, KRPC_MAX_TOKEN);
		else if (benc_str_eq(&key, "nodes")) {
			if (val.type == BENC_STR && val.len % KRPC_NODE4_LEN == 0)
				SET_STR_LEN(nodes, nodes_len, KRPC_F_NODES, 0, val.len);
			else
				m->bad |= KRPC_F_NODES;
		} else if (benc_str_eq(&key, "nodes6")) {
			if (val.type == BENC_STR && val.len % KRPC_NODE6_LEN == 0)
				SET_STR_LEN(nodes6, nodes6_len, KRPC_F_NODES6, 0, val.len);
			else
				m->bad |= KRPC_F_NODES6;
		} else if (benc_str_eq(&key, "k"))
			SET_STR(k, KRPC_F_K, KRPC_KEY_LEN, KRPC_KEY_LEN);
		else if (benc_str_eq(&key, "sig"))
			SET_STR(sig, KRPC_F_SIG, KRPC_SIG_LEN, KRPC_SIG_LEN);
		else if (benc_str_eq(&key, "seq"))
			SET_INT(seq, KRPC_F_SEQ);
		else if (benc_str_eq(&key, "v"))
			SET_STR_LEN(v, vlen, KRPC_F_V, 0, KRPC_MAX_V);
		else if (benc_str_eq(&key, "cas"))
			SET_INT(cas, KRPC_F_CAS);
		else if (benc_str_eq(&key, "salt"))
			SET_STR_LEN(salt, salt_len, KRPC_F_SALT, 0, KRPC_MAX_SALT);
	}
	return r;
}

/* e = [code, msg]: a malformed list is recorded, not fatal. */
static int
parse_error(struct krpc_msg *m, const struct benc_val *e)
{
	struct benc_iter it;
	struct benc_val code, msg;
	int r;

	if (e->type != BENC_LIST || benc_iter_init(&it, e) != 0) {
		m->bad |= KRPC_F_ERR;
		return 0;
	}
	if ((r = benc_iter_next(&it, NULL, &code)) < 0)
		return r;
	if (r == 0 || code.type != BENC_INT) {
		m->bad |= KRPC_F_ERR;
		return 0;
	}
	m->err_code = code.i;
	m->has |= KRPC_F_ERR;
	if ((r = benc_iter_next(&it, NULL, &msg)) < 0)
		return r;
	if (r == 1 && msg.type == BENC_STR) {
		m->err_msg = msg.s;
		m->err_msg_len = msg.len;
	}
	return 0;
}

int
krpc_parse(struct krpc_msg *m, const uint8_t *p, size_t n)
{
	struct benc_val top, key, val, a_dict, r_dict;
	struct benc_iter it;
	int have_a = 0, have_r = 0, have_e = 0, r;

	memset(m, 0, sizeof(*m));
	memset(&a_dict, 0, sizeof(a_dict));
	memset(&r_dict, 0, sizeof(r_dict));
	if ((r = benc_parse(p, n, &top)) != 0)
		goto out;
	if ((r = benc_iter_init(&it, &top)) != 0 || top.type != BENC_DICT) {
		r = CCL_ERR_FORMAT;
		goto out;
	}
	while ((r = benc_iter_next(&it, &key, &val)) == 1) {
		if (benc_str_eq(&key, "t")) {
			if (!str_ok(&val, 1, KRPC_MAX_TID)) {
				r = CCL_ERR_FORMAT;
				goto out;
			}
			m->t = val.s;
			m->tlen = val.len;
		} else if (benc_str_eq(&key, "y")) {
			if (benc_str_eq(&val, "q") || benc_str_eq(&val, "r") || benc_str_eq(&val, "e"))
				m->y = val.s[0];
			else {
				r = CCL_ERR_FORMAT;
				goto out;
			}
		} else if (benc_str_eq(&key, "q")) {
			if (str_ok(&val, 1, 64)) {
				m->q = val.s;
				m->qlen = val.len;
			}
		} else if (benc_str_eq(&key, "a")) {
			if (val.type == BENC_DICT) {
				a_dict = val;
				have_a = 1;
			}
		} else if (benc_str_eq(&key, "r")) {
			if (val.type == BENC_DICT) {
				r_dict = val;
				have_r = 1;
			}
		} else if (benc_str_eq(&key, "e")) {
			if ((r = parse_error(m, &val)) != 0)
				goto out;
			have_e = 1;
		} else if (benc_str_eq(&key, "ip")) {
			if (val.type == BENC_STR && (val.len == 6 || val.len == 18)) {
				m->ip = val.s;
				m->ip_len = val.len;
				m->has |= KRPC_F_IP;
			} else
				m->bad |= KRPC_F_IP;
		} else if (benc_str_eq(&key, "ro")) {
			SET_INT(ro, KRPC_F_RO);
		} else if (benc_str_eq(&key, "v")) {
			SET_STR(ver, KRPC_F_VER, 4, 4);
		}
	}
	if (r < 0)
		goto out;
	r = CCL_ERR_FORMAT;
	if (m->t == NULL || m->y == 0)
		goto out;
	/* Only the argument dict that matches y is read. */
	if (m->y == 'q') {
		if (m->q == NULL || !have_a)
			goto out;
		if ((r = parse_args(m, &a_dict)) != 0)
			goto out;
	} else if (m->y == 'r') {
		if (!have_r)
			goto out;
		if ((r = parse_args(m, &r_dict)) != 0)
			goto out;
	} else if (!have_e)
		goto out;
	/* An incomplete or partly malformed item is no item at all. */
	if ((m->bad & KRPC_F_ITEM) != 0)
		m->has &= ~KRPC_F_ITEM;
	r = 0;
 out:
	if (r != 0)
		memset(m, 0, sizeof(*m));
	return r;
}

int
krpc_has_item(const struct krpc_msg *m)
{
	return (m->has & KRPC_F_ITEM) == KRPC_F_ITEM;
}

int
krpc_is_query(const struct krpc_msg *m, const char *name)
{
	size_t n = strlen(name);

	return m->y == 'q' && m->q != NULL && m->qlen == n && memcmp(m->q, name, n) == 0;
}

/* ---- builders ---- */

/* "d1:ad": open the query and its argument dict. */
static int
query_open(struct benc_enc *e)
{
	int r;

	if ((r = benc_enc_dict(e)) != 0 ||
	    (r = benc_enc_key(e, "a")) != 0 ||
	    (r = benc_enc_dict(e)) != 0)
		return r;
	return 0;
}

/* ...e1:q<method>2:roi1e1:t4:<t>1:v4:CC011:y1:qe : close args and the query. */
static int
query_close(struct benc_enc *e, const char *method, const uint8_t *tid, size_t tlen)
{
	int r;

	if (tid == NULL || tlen == 0 || tlen > KRPC_TID_LEN)
		return CCL_ERR_INVALID_ARG;
	if ((r = benc_enc_end(e)) != 0 ||
	    (r = benc_enc_key(e, "q")) != 0 || (r = benc_enc_cstr(e, method)) != 0 ||
	    (r = benc_enc_key(e, "ro")) != 0 || (r = benc_enc_int(e, 1)) != 0 ||
	    (r = benc_enc_key(e, "t")) != 0 || (r = benc_enc_str(e, tid, tlen)) != 0 ||
	    (r = benc_enc_key(e, "v")) != 0 || (r = benc_enc_cstr(e, KRPC_VERSION)) != 0 ||
	    (r = benc_enc_key(e, "y")) != 0 || (r = benc_enc_cstr(e, "q")) != 0 ||
	    (r = benc_enc_end(e)) != 0)
		return r;
	return benc_enc_finish(e);
}

/* Build into wr; on failure wr is restored to its previous length. */
static int
build_done(struct buf_wr *wr, size_t save, int r)
{
	if (r != 0 && buf_truncate(wr, save) != 0)
		return CCL_ERR_INTERNAL;
	return r;
}

int
krpc_build_ping(struct buf_wr *wr, const uint8_t tid[static KRPC_TID_LEN],
    const uint8_t id[static KRPC_ID_LEN])
{
	struct benc_enc e;
	size_t save = buf_wr_len(wr);
	int r;

	benc_enc_init(&e, wr);
	if ((r = query_open(&e)) == 0 &&
	    (r = benc_enc_key(&e, "id")) == 0 && (r = benc_enc_str(&e, id, KRPC_ID_LEN)) == 0)
		r = query_close(&e, "ping", tid, KRPC_TID_LEN);
	return build_done(wr, save, r);
}

int
krpc_build_find_node(struct buf_wr *wr, const uint8_t tid[static KRPC_TID_LEN],
    const uint8_t id[static KRPC_ID_LEN], const uint8_t target[static KRPC_ID_LEN])
{
	return krpc_build_find_node_t(wr, tid, KRPC_TID_LEN, id, target);
}

int
krpc_build_find_node_t(struct buf_wr *wr, const uint8_t *tid, size_t tlen,
    const uint8_t id[static KRPC_ID_LEN], const uint8_t target[static KRPC_ID_LEN])
{
	struct benc_enc e;
	size_t save = buf_wr_len(wr);
	int r;

	benc_enc_init(&e, wr);
	if ((r = query_open(&e)) == 0 &&
	    (r = benc_enc_key(&e, "id")) == 0 && (r = benc_enc_str(&e, id, KRPC_ID_LEN)) == 0 &&
	    (r = benc_enc_key(&e, "target")) == 0 && (r = benc_enc_str(&e, target, KRPC_ID_LEN)) == 0)
		r = query_close(&e, "find_node", tid, tlen);
	return build_done(wr, save, r);
}

int
krpc_build_get(struct buf_wr *wr, const uint8_t tid[static KRPC_TID_LEN],
    const uint8_t id[static KRPC_ID_LEN], const uint8_t target[static KRPC_ID_LEN],
    int with_seq, int64_t seq)
{
	return krpc_build_get_t(wr, tid, KRPC_TID_LEN, id, target, with_seq, seq);
}

int
krpc_build_get_t(struct buf_wr *wr, const uint8_t *tid, size_t tlen,
    const uint8_t id[static KRPC_ID_LEN], const uint8_t target[static KRPC_ID_LEN],
    int with_seq, int64_t seq)
{
	struct benc_enc e;
	size_t save = buf_wr_len(wr);
	int r;

	benc_enc_init(&e, wr);
	if ((r = query_open(&e)) == 0 &&
	    (r = benc_enc_key(&e, "id")) == 0 && (r = benc_enc_str(&e, id, KRPC_ID_LEN)) == 0 &&
	    (!with_seq || ((r = benc_enc_key(&e, "seq")) == 0 && (r = benc_enc_int(&e, seq)) == 0)) &&
	    (r = benc_enc_key(&e, "target")) == 0 && (r = benc_enc_str(&e, target, KRPC_ID_LEN)) == 0)
		r = query_close(&e, "get", tid, tlen);
	return build_done(wr, save, r);
}

int
krpc_build_put(struct buf_wr *wr, const uint8_t tid[static KRPC_TID_LEN],
    const uint8_t id[static KRPC_ID_LEN], const struct krpc_put *p)
{
	return krpc_build_put_t(wr, tid, KRPC_TID_LEN, id, p);
}

int
krpc_build_put_t(struct buf_wr *wr, const uint8_t *tid, size_t tlen,
    const uint8_t id[static KRPC_ID_LEN], const struct krpc_put *p)
{
	struct benc_enc e;
	size_t save = buf_wr_len(wr);
	int r;

	if (p->target == NULL || p->k == NULL || p->sig == NULL || p->token == NULL ||
	    p->token_len == 0 || p->token_len > KRPC_MAX_TOKEN || p->vlen > KRPC_MAX_V ||
	    (p->v == NULL && p->vlen != 0))
		return CCL_ERR_INVALID_ARG;
	benc_enc_init(&e, wr);
	if ((r = query_open(&e)) == 0 &&
	    (!p->has_cas || ((r = benc_enc_key(&e, "cas")) == 0 && (r = benc_enc_int(&e, p->cas)) == 0)) &&
	    (r = benc_enc_key(&e, "id")) == 0 && (r = benc_enc_str(&e, id, KRPC_ID_LEN)) == 0 &&
	    (r = benc_enc_key(&e, "k")) == 0 && (r = benc_enc_str(&e, p->k, KRPC_KEY_LEN)) == 0 &&
	    (r = benc_enc_key(&e, "seq")) == 0 && (r = benc_enc_int(&e, p->seq)) == 0 &&
	    (r = benc_enc_key(&e, "sig")) == 0 && (r = benc_enc_str(&e, p->sig, KRPC_SIG_LEN)) == 0 &&
	    (r = benc_enc_key(&e, "target")) == 0 && (r = benc_enc_str(&e, p->target, KRPC_ID_LEN)) == 0 &&
	    (r = benc_enc_key(&e, "token")) == 0 && (r = benc_enc_str(&e, p->token, p->token_len)) == 0 &&
	    (r = benc_enc_key(&e, "v")) == 0 && (r = benc_enc_str(&e, p->v, p->vlen)) == 0)
		r = query_close(&e, "put", tid, tlen);
	return build_done(wr, save, r);
}

int
krpc_build_reply(struct buf_wr *wr, const uint8_t *t, size_t tlen, const struct krpc_reply *rp)
{
	struct benc_enc e;
	size_t save = buf_wr_len(wr);
	int item = rp->k != NULL && rp->sig != NULL && !rp->seq_only, r;

	if (rp->id == NULL || t == NULL || tlen == 0)
		return CCL_ERR_INVALID_ARG;
	benc_enc_init(&e, wr);
	if ((r = benc_enc_dict(&e)) == 0 &&
	    (rp->ip == NULL || ((r = benc_enc_key(&e, "ip")) == 0 && (r = benc_enc_str(&e, rp->ip, rp->ip_len)) == 0)) &&
	    (r = benc_enc_key(&e, "r")) == 0 && (r = benc_enc_dict(&e)) == 0 &&
	    (r = benc_enc_key(&e, "id")) == 0 && (r = benc_enc_str(&e, rp->id, KRPC_ID_LEN)) == 0 &&
	    (!item || ((r = benc_enc_key(&e, "k")) == 0 && (r = benc_enc_str(&e, rp->k, KRPC_KEY_LEN)) == 0)) &&
	    (rp->nodes == NULL || ((r = benc_enc_key(&e, "nodes")) == 0 && (r = benc_enc_str(&e, rp->nodes, rp->nodes_len)) == 0)) &&
	    (rp->nodes6 == NULL || ((r = benc_enc_key(&e, "nodes6")) == 0 && (r = benc_enc_str(&e, rp->nodes6, rp->nodes6_len)) == 0)) &&
	    (!(item || rp->seq_only) || ((r = benc_enc_key(&e, "seq")) == 0 && (r = benc_enc_int(&e, rp->seq)) == 0)) &&
	    (!item || ((r = benc_enc_key(&e, "sig")) == 0 && (r = benc_enc_str(&e, rp->sig, KRPC_SIG_LEN)) == 0)) &&
	    (rp->token == NULL || ((r = benc_enc_key(&e, "token")) == 0 && (r = benc_enc_str(&e, rp->token, rp->token_len)) == 0)) &&
	    (!item || ((r = benc_enc_key(&e, "v")) == 0 && (r = benc_enc_str(&e, rp->v, rp->vlen)) == 0)) &&
	    (r = benc_enc_end(&e)) == 0 &&
	    (r = benc_enc_key(&e, "t")) == 0 && (r = benc_enc_str(&e, t, tlen)) == 0 &&
	    (r = benc_enc_key(&e, "y")) == 0 && (r = benc_enc_cstr(&e, "r")) == 0 &&
	    (r = benc_enc_end(&e)) == 0)
		r = benc_enc_finish(&e);
	return build_done(wr, save, r);
}

int
krpc_build_error(struct buf_wr *wr, const uint8_t *t, size_t tlen, int64_t code, const char *msg)
{
	struct benc_enc e;
	size_t save = buf_wr_len(wr);
	int r;

	if (t == NULL || tlen == 0 || msg == NULL)
		return CCL_ERR_INVALID_ARG;
	benc_enc_init(&e, wr);
	if ((r = benc_enc_dict(&e)) == 0 &&
	    (r = benc_enc_key(&e, "e")) == 0 && (r = benc_enc_list(&e)) == 0 &&
	    (r = benc_enc_int(&e, code)) == 0 && (r = benc_enc_cstr(&e, msg)) == 0 &&
	    (r = benc_enc_end(&e)) == 0 &&
	    (r = benc_enc_key(&e, "t")) == 0 && (r = benc_enc_str(&e, t, tlen)) == 0 &&
	    (r = benc_enc_key(&e, "y")) == 0 && (r = benc_enc_cstr(&e, "e")) == 0 &&
	    (r = benc_enc_end(&e)) == 0)
		r = benc_enc_finish(&e);
	return build_done(wr, save, r);
}

int
krpc_signable(struct buf_wr *wr, int64_t seq, const uint8_t *v, size_t vlen)
{
	size_t save = buf_wr_len(wr);
	int r;

	if (v == NULL && vlen != 0)
		return CCL_ERR_INVALID_ARG;
	if ((r = buf_put_cstr(wr, "3:seqi")) != 0 ||
	    (r = buf_put_i64dec(wr, seq)) != 0 ||
	    (r = buf_put_cstr(wr, "e1:v")) != 0 ||
	    (r = buf_put_u64dec(wr, (uint64_t)vlen)) != 0 ||
	    (r = buf_put_u8(wr, ':')) != 0 ||
	    (r = buf_put(wr, v, vlen)) != 0)
		return build_done(wr, save, r);
	return 0;
}

/* ---- compact addresses ---- */

static int
get_addr(struct buf_rd *rd, int family, struct sockaddr_storage *addr)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)addr;
	uint16_t port;
	int r;

	memset(addr, 0, sizeof(*addr));
	if (family == AF_INET) {
		if ((r = buf_get_copy(rd, &a4->sin_addr, 4)) != 0 ||
		    (r = buf_get_u16be(rd, &port)) != 0)
			return r;
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		return 0;
	}
	if (family == AF_INET6) {
		if ((r = buf_get_copy(rd, &a6->sin6_addr, 16)) != 0 ||
		    (r = buf_get_u16be(rd, &port)) != 0)
			return r;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		return 0;
	}
	return CCL_ERR_INVALID_ARG;
}

int
krpc_get_node(struct buf_rd *rd, int family, struct krpc_node *n)
{
	struct buf_rd save = *rd;
	int r;

	memset(n, 0, sizeof(*n));
	if ((r = buf_get_copy(rd, n->id, KRPC_ID_LEN)) != 0 ||
	    (r = get_addr(rd, family, &n->addr)) != 0) {
		*rd = save;
		memset(n, 0, sizeof(*n));
	}
	return r;
}

int
krpc_put_node(struct buf_wr *wr, const uint8_t id[static KRPC_ID_LEN],
    const struct sockaddr_storage *addr)
{
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)addr;
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)addr;
	size_t save = buf_wr_len(wr);
	int r;

	if (addr->ss_family == AF_INET) {
		if ((r = buf_put(wr, id, KRPC_ID_LEN)) != 0 ||
		    (r = buf_put(wr, &a4->sin_addr, 4)) != 0 ||
		    (r = buf_put_u16be(wr, ntohs(a4->sin_port))) != 0)
			return build_done(wr, save, r);
		return 0;
	}
	if (addr->ss_family == AF_INET6) {
		if ((r = buf_put(wr, id, KRPC_ID_LEN)) != 0 ||
		    (r = buf_put(wr, &a6->sin6_addr, 16)) != 0 ||
		    (r = buf_put_u16be(wr, ntohs(a6->sin6_port))) != 0)
			return build_done(wr, save, r);
		return 0;
	}
	return CCL_ERR_INVALID_ARG;
}

int
krpc_compact_addr(const uint8_t *p, size_t n, struct sockaddr_storage *addr)
{
	struct buf_rd rd;
	int r;

	memset(addr, 0, sizeof(*addr));
	buf_rd_init(&rd, p, n);
	if (n == 6)
		r = get_addr(&rd, AF_INET, addr);
	else if (n == 18)
		r = get_addr(&rd, AF_INET6, addr);
	else
		return CCL_ERR_FORMAT;
	if (r == 0)
		r = buf_done(&rd);
	return r;
}
