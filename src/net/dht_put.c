/* SPDX-License-Identifier: MIT */
/*
 * dht_put.c — the put phase of a PUT lookup: which nodes store, how their
 * answers count, and when publishing is finished.
 *
 * Finishing rule: the puts go to the DHT_K closest nodes that answered the
 * lookup's get with a token, all at once. The phase ends when every put has
 * been answered or has timed out, or — as soon as two thirds of those nodes
 * have stored — one soft timeout (dht_soft_ms) later, whatever the rest are
 * doing: one lost reply no longer costs the full per-query timeout.
 *
 * A 302 ("sequence number less than current") from a node that showed us
 * exactly our (seq, v) during the lookup counts as stored (bittorrent-dht
 * answers an identical re-put so). A 302 from any other node may mean that
 * someone (a relay republishing our packet) stored the identical packet
 * there between our get and our put; the node is then asked once more with
 * a get, and counts as stored if it now holds exactly our (seq, v, sig).
 * Otherwise the 302 stands as a conflict.
 * Trust boundary: replies are untrusted; items are verified in dht.c.
 */
#include <string.h>

#include "dht_int.h"

void
dht_put_start(struct dht_lookup *l)
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
	l->put_targets = (unsigned)n;
	if (n == 0)
		l->phase = PH_DONE;
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
stored(struct dht_lookup *l, struct cand *c)
{
	c->put_state = P_OK;
	l->st.stored++;
}

void
dht_put_reply(struct dht_lookup *l, struct cand *c, const struct krpc_msg *m)
{
	int64_t code = (m->has & KRPC_F_ERR) ? m->err_code : 0;

	if (m->y == 'r' && (m->has & KRPC_F_ID)) {
		stored(l, c);
		return;
	}
	count_put_error(l, code);
	if (m->y == 'e' && code == KRPC_ERR_SEQ) {
		if (c->has_ours) {
			stored(l, c);  /* it already held exactly ours */
			return;
		}
		c->put_state = P_CHECK;  /* ask what it holds now */
		l->st.put_checked++;
		return;
	}
	c->put_state = P_ERR;
	l->st.put_errors++;
	if (m->y == 'e' && code == KRPC_ERR_CAS)
		l->st.put_conflicts++;
}

/* The get after a 302; dht.c has already run the item through its checks (has_ours). */
void
dht_put_check_reply(struct dht_lookup *l, struct cand *c, const struct krpc_msg *m)
{
	(void)m;
	if (c->has_ours) {
		stored(l, c);
		return;
	}
	c->put_state = P_ERR;
	l->st.put_errors++;
	l->st.put_conflicts++;
}

void
dht_put_failed(struct dht_lookup *l, struct cand *c, int kind, int timeout)
{
	if (kind == Q_CHECK) {
		/* The 302 could not be explained: it stands. */
		c->put_state = P_ERR;
		l->st.put_errors++;
		l->st.put_conflicts++;
		return;
	}
	if (timeout) {
		c->put_state = P_TIMEOUT;
		l->st.put_timeouts++;
	} else {
		c->put_state = P_ERR;
		l->st.put_errors++;
	}
}

static int
put_open(const struct cand *c)
{
	return c->put_state == P_PENDING || c->put_state == P_WAIT ||
	    c->put_state == P_CHECK || c->put_state == P_CHECK_WAIT;
}

/* 1 when the put phase is over (see the rule at the top). */
int
dht_put_finished(struct dht_lookup *l, uint64_t now)
{
	size_t i, open = 0;

	for (i = 0; i < l->ncands; i++)
		if (put_open(&l->cands[i]))
			open++;
	if (open == 0)
		return 1;
	if (l->enough_at == 0 && l->put_targets > 0 && l->st.stored * 3 >= l->put_targets * 2)
		l->enough_at = now;
	if (l->enough_at != 0 && now >= l->enough_at + dht_soft_ms(l)) {
		l->st.put_pending = (unsigned)open;
		return 1;
	}
	return 0;
}

/* When the grace period after "enough stored" ends (UINT64_MAX: not running). */
uint64_t
dht_put_next(const struct dht_lookup *l)
{
	return l->enough_at != 0 ? l->enough_at + dht_soft_ms(l) : UINT64_MAX;
}

int
dht_put_result(const struct dht_lookup *l)
{
	unsigned answered = l->st.stored + l->st.put_errors;

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
