/* SPDX-License-Identifier: MIT */
/*
 * dht.h — a sans-I/O BEP 44 lookup engine for a read-only (BEP 43) client:
 * an iterative Kademlia lookup towards SHA1(pubkey) that either collects the
 * newest valid mutable item (GET) or stores an already-signed item on the
 * closest nodes that handed out tokens (PUT).
 *
 * The engine does no I/O and keeps no clock: the caller feeds it received
 * datagrams (dht_lookup_input), pulls datagrams to send (dht_lookup_output),
 * and asks when it next needs to run (dht_lookup_next_ms). Randomness (node
 * id, transaction ids) comes from randombytes_buf. net.h has a blocking
 * driver; transport code can run the same calls from its own poll loop.
 *
 * Trust boundary: every datagram is untrusted. Replies are matched on the
 * full 4-byte transaction id AND the exact address the query went to. Items
 * are accepted only when k equals the requested key, v is at most 1000 bytes
 * and the Ed25519 signature over "3:seqi<seq>e1:v<len>:<v>" verifies; a node
 * that answers garbage, a wrong key, a bad signature or nothing is skipped.
 * Every table is capped (DHT_MAX_*). No secret ever enters this module.
 */
#ifndef CCL_DHT_H
#define CCL_DHT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "err.h"
#include "krpc.h"

#define DHT_K                   20     /* closest nodes that must answer; put targets */
#define DHT_DEFAULT_TIMEOUT_MS  2000   /* per query */
#define DHT_DEFAULT_DEADLINE_MS 10000  /* whole lookup phase */
#define DHT_DEFAULT_INFLIGHT    20     /* the K closest at once, as mainline does */
#define DHT_MAX_INFLIGHT        64
#define DHT_MAX_CANDIDATES      256
#define DHT_MAX_BOOTSTRAP       32
#define DHT_MAX_SELF            8      /* own addresses (given + learned from `ip`) */
#define DHT_MAX_QUERIES         512    /* datagrams one lookup may send */
#define DHT_MAX_NODES_PER_REPLY 32     /* compact nodes taken from one reply */
#define DHT_MAX_ERRCODES        12

enum dht_mode {
	DHT_GET = 1,
	DHT_PUT = 2,
};

#define DHT_FAM_V4 1
#define DHT_FAM_V6 2

/* A BEP 44 mutable item without salt, as pkarr uses it. */
struct dht_item {
	uint8_t k[KRPC_KEY_LEN];
	int64_t seq;
	uint8_t sig[KRPC_SIG_LEN];
	size_t vlen;
	uint8_t v[KRPC_MAX_V];
};

struct dht_params {
	enum dht_mode mode;
	/* GET: the public key looked up (target = SHA1(pubkey)). Ignored for PUT. */
	uint8_t pubkey[KRPC_KEY_LEN];
	/* PUT: the signed item to store (copied; target = SHA1(item->k)). */
	const struct dht_item *item;
	int has_cas;                    /* PUT: send cas */
	int64_t cas;
	int get_with_seq;               /* GET: send seq ("only newer than get_seq") */
	int64_t get_seq;
	/* Where to start (copied; at most DHT_MAX_BOOTSTRAP are used). */
	const struct sockaddr_storage *bootstrap;
	size_t n_bootstrap;
	/*
	 * Our own addresses, never queried (copied; optional). An unspecified IP
	 * (0.0.0.0 / ::) matches any IP with that port.
	 */
	const struct sockaddr_storage *self;
	size_t n_self;
	uint32_t timeout_ms;            /* 0: DHT_DEFAULT_TIMEOUT_MS */
	uint32_t deadline_ms;           /* 0: DHT_DEFAULT_DEADLINE_MS */
	uint32_t max_inflight;          /* 0: DHT_DEFAULT_INFLIGHT (capped at DHT_MAX_INFLIGHT);
	                                   lookup queries unanswered for timeout_ms / 4 no longer
	                                   count (at most DHT_MAX_INFLIGHT in all) */
	int families;                   /* DHT_FAM_* mask of node families used; 0: IPv4 only */
};

struct dht_errcount {
	int64_t code;
	unsigned n;
};

struct dht_stats {
	unsigned queried;        /* nodes sent a lookup query */
	unsigned responded;      /* nodes that answered one with a well-formed reply */
	unsigned timed_out;      /* nodes whose lookup query went unanswered */
	unsigned errors;         /* nodes that answered the lookup with an error or garbage */
	unsigned unreachable;    /* nodes an ICMP error said are unreachable (port closed...) */
	unsigned t2;             /* nodes asked again with a 2-byte t (they echoed only 2 bytes) */
	unsigned values;         /* valid items received (any seq) */
	unsigned rejected;       /* items rejected: wrong k, bad signature, malformed/oversized */
	unsigned put_sent;       /* PUT: nodes sent a put */
	unsigned stored;         /* PUT: OK replies + 302 from nodes already holding (seq, v) */
	unsigned put_timeouts;
	unsigned put_errors;     /* PUT: error replies not counted as stored */
	unsigned put_conflicts;  /* PUT: 301, or 302 from a node not holding our (seq, v) */
	unsigned put_checked;    /* PUT: 302s followed by a get (does it hold ours now?) */
	unsigned put_pending;    /* PUT: puts still unanswered when enough had stored */
	struct dht_errcount put_err[DHT_MAX_ERRCODES]; /* error replies per code */
	size_t n_put_err;
	unsigned sent;           /* datagrams sent */
	unsigned received;       /* datagrams given to dht_lookup_input */
	unsigned ignored;        /* of those: unparseable, unsolicited or late */
	uint64_t lookup_ms;      /* how long the lookup phase took (once it ended) */
	uint64_t put_ms;         /* PUT: how long the put phase took (once it ended) */
};

struct dht_lookup;

/*
 * Timing (the full rule is at the top of dht.c and in doc/dht-lookup.md):
 * a query that is refused, garbled or ICMP-unreachable fails at once; one
 * unanswered for the soft timeout (three round trips, within [150 ms, 3/4 timeout])
 * is passed over and the next candidate is asked. The lookup phase ends when
 * the DHT_K closest candidates that neither failed nor were passed over have
 * all answered, when nothing is left to ask, or at now_ms + deadline_ms. A
 * PUT then sends its puts and ends when each is answered or timed out, or one
 * soft timeout after two thirds of them have stored.
 *
 * A new lookup, started at now_ms (any monotonic millisecond clock; the same
 * one for every call). Returns CCL_ERR_INVALID_ARG on bad params (no usable
 * bootstrap address, a PUT without item or with vlen > KRPC_MAX_V),
 * CCL_ERR_NOMEM. Free with dht_lookup_free().
 */
CCL_MUST_CHECK int dht_lookup_new(struct dht_lookup **lp, const struct dht_params *p, uint64_t now_ms);
void dht_lookup_free(struct dht_lookup *l);

/*
 * Feed one received datagram from `from`. Queries (we answer none),
 * unsolicited or late replies are counted and ignored: returns 0 for them.
 * A datagram that is not KRPC, from an address we are waiting on, fails
 * that query. A reply that echoes only the first 2 bytes of our t is not
 * accepted; the node is asked again with a 2-byte t instead.
 * Because replies must match a 4-byte t and the address, several lookups can
 * share one socket: give every datagram to each of them.
 */
CCL_MUST_CHECK int dht_lookup_input(struct dht_lookup *l, uint64_t now_ms,
    const struct sockaddr_storage *from, const uint8_t *data, size_t len);

/*
 * Handle timeouts, then produce the next datagram to send, if any: returns 1
 * with *to and buf[0..*len) filled, 0 when nothing is due now, negative on
 * error (CCL_ERR_TOO_LARGE when cap < KRPC_MAX_DATAGRAM may not fit). Call
 * it until it returns 0 after every input and whenever next_ms elapses.
 */
CCL_MUST_CHECK int dht_lookup_output(struct dht_lookup *l, uint64_t now_ms,
    struct sockaddr_storage *to, uint8_t *buf, size_t cap, size_t *len);

/*
 * An ICMP error (port or host unreachable) for a datagram we sent to `to`:
 * the query in flight to that address fails now instead of timing out.
 * Returns 1 when a query was failed, 0 when nothing was waiting on `to`.
 */
int dht_lookup_unreachable(struct dht_lookup *l, uint64_t now_ms, const struct sockaddr_storage *to);

/* Milliseconds until the engine must run again (0: now, or done). */
uint64_t dht_lookup_next_ms(const struct dht_lookup *l, uint64_t now_ms);

/* 1 when finished (no more datagrams will be produced). */
int dht_lookup_done(const struct dht_lookup *l);

/*
 * Streaming: 1 (and *out filled) when the best valid item improved since the
 * last call, 0 otherwise. Usable while the lookup runs (pkarr returns the
 * first valid value at once).
 */
int dht_lookup_take_item(struct dht_lookup *l, struct dht_item *out);

/*
 * The outcome (meaningful once done). best (may be NULL) gets the newest
 * valid item seen (highest seq; tie → larger v), in PUT mode too; st (may be
 * NULL) the statistics. Returns:
 *   GET: 0 found; CCL_ERR_NOT_FOUND when nodes answered but none had a valid
 *        item; CCL_ERR_TIMEOUT when no node answered.
 *   PUT: 0 when stored on ≥ 1 node; CCL_ERR_CONFLICT when the lookup saw a
 *        valid item with a higher seq than ours (nothing is put then) or more
 *        than half of the nodes that answered the put said 301/302 about
 *        something else; CCL_ERR_TIMEOUT when no node answered (the lookup or
 *        the puts); CCL_ERR_NOT_FOUND when nodes answered but none gave a
 *        token; CCL_ERR_NET when every put answer was an error.
 */
CCL_MUST_CHECK int dht_lookup_result(const struct dht_lookup *l, struct dht_item *best,
    struct dht_stats *st);

/* Check a BEP 44 item: vlen ≤ KRPC_MAX_V and the signature by k verifies. */
CCL_MUST_CHECK int dht_item_verify(const struct dht_item *it);
/* 1 when a is newer than b: higher seq; on a tie the larger v (mainline's rule). */
int dht_item_newer(const struct dht_item *a, const struct dht_item *b);
/* 1 when a and b carry the same seq and v. */
int dht_item_same(const struct dht_item *a, const struct dht_item *b);
/* The DHT target of a public key: SHA1(pk). */
void dht_target(const uint8_t pk[static KRPC_KEY_LEN], uint8_t target[static KRPC_ID_LEN]);

#endif
