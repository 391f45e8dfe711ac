/* SPDX-License-Identifier: MIT */
/*
 * dht_item.c — BEP 44 mutable items as values: the signature check (the
 * signable is rebuilt here, never sliced from a datagram), recency and the
 * DHT target of a key. No I/O; used by the lookup engine in dht.c.
 */
#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "dht.h"
#include "krpc.h"
#include "sha1.h"

/* Is (seq, v) of a newer than b? Higher seq; on a tie the lexicographically larger v. */
int
dht_item_newer(const struct dht_item *a, const struct dht_item *b)
{
	size_t m = a->vlen < b->vlen ? a->vlen : b->vlen;
	int c;

	if (a->seq != b->seq)
		return a->seq > b->seq;
	c = m == 0 ? 0 : memcmp(a->v, b->v, m);
	if (c != 0)
		return c > 0;
	return a->vlen > b->vlen;
}

int
dht_item_same(const struct dht_item *a, const struct dht_item *b)
{
	return a->seq == b->seq && a->vlen == b->vlen &&
	    (a->vlen == 0 || memcmp(a->v, b->v, a->vlen) == 0);
}

int
dht_item_verify(const struct dht_item *it)
{
	uint8_t msg[KRPC_MAX_V + 64];
	struct buf_wr wr;
	int r;

	if (it->vlen > KRPC_MAX_V)
		return CCL_ERR_TOO_LARGE;
	buf_wr_init_fixed(&wr, msg, sizeof(msg));
	if ((r = krpc_signable(&wr, it->seq, it->v, it->vlen)) != 0)
		return r;
	if (crypto_sign_ed25519_verify_detached(it->sig, buf_wr_data(&wr), buf_wr_len(&wr), it->k) != 0)
		return CCL_ERR_SIG_INVALID;
	return 0;
}

void
dht_target(const uint8_t pk[static KRPC_KEY_LEN], uint8_t target[static KRPC_ID_LEN])
{
	sha1_digest(pk, KRPC_KEY_LEN, target);
}
