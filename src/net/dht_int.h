/* SPDX-License-Identifier: MIT */
/*
 * dht_int.h — the lookup engine's internal state, shared by dht.c (input,
 * output, scheduling, the stopping rule), dht_cand.c (the candidate table)
 * and dht_put.c (the put phase). Not part of the API: include dht.h.
 * Trust boundary as in dht.h.
 */
#ifndef CCL_DHT_INT_H
#define CCL_DHT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "dht.h"
#include "krpc.h"

/* What a transaction asked. Q_CHECK: a get after a put got 302 (does it hold ours?). */
enum { Q_FIND_NODE = 1, Q_GET, Q_FOLLOW, Q_PUT, Q_CHECK };
/* Candidate lookup state. */
enum { C_NEW, C_WAIT_FN, C_NEED_GET, C_WAIT_GET, C_DONE, C_FAILED };
/* Follow-up find_node for a get reply that had no `nodes` (bittorrent-dht with a value). */
enum { FN_NONE, FN_NEEDED, FN_WAIT, FN_DONE };
/* Put state of a candidate. */
enum { P_NONE, P_PENDING, P_WAIT, P_CHECK, P_CHECK_WAIT, P_OK, P_ERR, P_TIMEOUT };
enum { PH_LOOKUP, PH_PUT, PH_DONE };

#define DHT_T2_LEN       2     /* t length for nodes that echo only 2 bytes */
#define DHT_RTT_SAMPLES  32    /* recent round trips kept for the soft timeout */
#define DHT_SOFT_MIN_MS  150   /* soft timeout floor (capped at timeout / 4) */
#define DHT_SOFT_RTTS    3     /* soft timeout = this × the median round trip */
#define DHT_FOLLOW_MAX   8     /* follow-up find_node only to this many of the closest */
#define DHT_FAIL_SAMPLES 4     /* query outcomes before the failure rate is trusted */

struct cand {
	struct sockaddr_storage addr;     /* normalised: family, IP, port only */
	uint8_t id[KRPC_ID_LEN];
	uint8_t dist[KRPC_ID_LEN];        /* id ^ target; all 0xff while the id is unknown */
	uint8_t has_id;
	uint8_t state;
	uint8_t fn_state;
	uint8_t put_state;
	uint8_t counted;                  /* already counted in stats.responded/errors/timed_out */
	uint8_t slow;                     /* its lookup query is past the soft timeout */
	uint8_t fn_slow;                  /* its follow-up find_node is past the soft timeout */
	uint8_t has_ours;                 /* PUT: returned exactly our (seq, v) */
	uint8_t asked;                    /* counted in stats.queried */
	uint8_t tid_len;                  /* KRPC_TID_LEN, or DHT_T2_LEN once it echoed 2 bytes */
	uint8_t token_len;
	uint8_t token[KRPC_MAX_TOKEN];
};

struct txn {
	uint8_t used;
	uint8_t kind;
	uint8_t tid_len;
	uint8_t tid[KRPC_TID_LEN];
	uint8_t slow;
	uint16_t cand;
	uint64_t sent_at;
	uint64_t deadline;
	uint64_t slow_at;                 /* lookup queries: when the node is passed over */
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
	uint64_t start, put_start;        /* when the lookup and the put phase began */
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
	uint32_t rtt[DHT_RTT_SAMPLES];    /* ring of recent round trips (ms) */
	size_t nrtt;
	unsigned passed_over;             /* lookup queries that went past the soft timeout */
	unsigned put_targets;             /* PUT: nodes chosen to store */
	uint64_t enough_at;               /* PUT: when 2/3 of them had stored (0: not yet) */
	int newer_seen;                   /* PUT: a valid item with seq > ours exists */
	int have_best;
	unsigned best_gen, taken_gen;
	struct dht_item best;
	struct dht_stats st;
};

/* dht_cand.c */
int dht_addr_usable(const struct dht_lookup *l, const struct sockaddr_storage *a);
struct cand *dht_cand_by_addr(struct dht_lookup *l, const struct sockaddr_storage *a);
void dht_cand_add(struct dht_lookup *l, const uint8_t *id, const struct sockaddr_storage *a);
void dht_cand_set_id(struct dht_lookup *l, struct cand *c, const uint8_t id[static KRPC_ID_LEN]);
void dht_self_add(struct dht_lookup *l, const struct sockaddr_storage *a);
void dht_add_nodes(struct dht_lookup *l, const uint8_t *p, size_t n, int family);

/* dht.c */
uint64_t dht_soft_ms(const struct dht_lookup *l);

/* dht_put.c */
void dht_put_start(struct dht_lookup *l);
void dht_put_reply(struct dht_lookup *l, struct cand *c, const struct krpc_msg *m);
void dht_put_check_reply(struct dht_lookup *l, struct cand *c, const struct krpc_msg *m);
void dht_put_failed(struct dht_lookup *l, struct cand *c, int kind, int timeout);
int dht_put_finished(struct dht_lookup *l, uint64_t now);
uint64_t dht_put_next(const struct dht_lookup *l);
int dht_put_result(const struct dht_lookup *l);

#endif
