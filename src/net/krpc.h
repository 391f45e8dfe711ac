/* SPDX-License-Identifier: MIT */
/*
 * krpc.h — KRPC (BEP 5) messages with the BEP 44 get/put extension: build
 * the queries a read-only (BEP 43) client sends, and parse any message in
 * one pass into a struct.
 *
 * Trust boundary: krpc_parse() reads untrusted datagrams through the strict
 * bencode decoder (bencode.h) and never allocates. Every field of the result
 * is a borrowed slice of the datagram. A field of the wrong type or length is
 * not an error: it is left out of `has` and recorded in `bad`, so that the
 * caller treats it as "no value from this node". Only a datagram that is not
 * canonical bencode, or lacks a usable `t`/`y`, is rejected as a whole.
 * Nothing here checks signatures: dht.c does that.
 *
 * Queries always carry a 4-byte `t`, the 4-byte client version `v`
 * (KRPC_VERSION) and `ro`=1; put always carries `target` (doc/protocol.md §6).
 */
#ifndef CCL_KRPC_H
#define CCL_KRPC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"
#include "err.h"

#define KRPC_VERSION     "CC01"  /* top-level client version, exactly 4 bytes */
#define KRPC_TID_LEN     4       /* the transaction ids we send */
#define KRPC_MAX_TID     32      /* longest t accepted when parsing */
#define KRPC_ID_LEN      20
#define KRPC_NODE4_LEN   26      /* compact node: id, IPv4, port */
#define KRPC_NODE6_LEN   38      /* compact node: id, IPv6, port */
#define KRPC_KEY_LEN     32
#define KRPC_SIG_LEN     64
#define KRPC_MAX_V       1000    /* BEP 44 cap on v (raw bytes) */
#define KRPC_MAX_TOKEN   64
#define KRPC_MAX_SALT    64
#define KRPC_MAX_DATAGRAM 1500   /* the largest datagram built here (a put) fits */

/* BEP 5 / BEP 44 error codes, and bittorrent-dht's "verification not supported". */
#define KRPC_ERR_GENERIC   201
#define KRPC_ERR_SERVER    202
#define KRPC_ERR_PROTOCOL  203
#define KRPC_ERR_METHOD    204
#define KRPC_ERR_V_TOO_BIG 205
#define KRPC_ERR_BAD_SIG   206
#define KRPC_ERR_SALT_BIG  207
#define KRPC_ERR_CAS       301
#define KRPC_ERR_SEQ       302
#define KRPC_ERR_NO_VERIFY 400

/* Bits of krpc_msg.has / krpc_msg.bad. */
#define KRPC_F_ID     0x0001u
#define KRPC_F_TARGET 0x0002u
#define KRPC_F_TOKEN  0x0004u
#define KRPC_F_NODES  0x0008u
#define KRPC_F_NODES6 0x0010u
#define KRPC_F_K      0x0020u
#define KRPC_F_SIG    0x0040u
#define KRPC_F_SEQ    0x0080u
#define KRPC_F_V      0x0100u
#define KRPC_F_CAS    0x0200u
#define KRPC_F_SALT   0x0400u
#define KRPC_F_IP     0x0800u  /* top-level ip: 6 (IPv4) or 18 (IPv6) bytes */
#define KRPC_F_RO     0x1000u
#define KRPC_F_VER    0x2000u  /* top-level v: exactly 4 bytes */
#define KRPC_F_ERR    0x4000u  /* e = [int code, (string msg)] */
#define KRPC_F_ITEM   (KRPC_F_K | KRPC_F_SIG | KRPC_F_SEQ | KRPC_F_V)

/*
 * A parsed message. Pointers borrow from the datagram. Fields of the `a`
 * (query) or `r` (response) dict share the same members. A field is usable
 * only when its bit is set in `has`.
 */
struct krpc_msg {
	int y;                      /* 'q', 'r' or 'e' */
	const uint8_t *t;           /* 1..KRPC_MAX_TID bytes */
	size_t tlen;
	unsigned has;               /* KRPC_F_*: present and well-formed */
	unsigned bad;               /* KRPC_F_*: present but wrong type/length */
	const uint8_t *q;           /* query method name (y == 'q'), not NUL-terminated */
	size_t qlen;
	const uint8_t *id;          /* 20 */
	const uint8_t *target;      /* 20 */
	const uint8_t *token;       /* 1..KRPC_MAX_TOKEN */
	size_t token_len;
	const uint8_t *nodes;       /* a multiple of 26 bytes (may be 0) */
	size_t nodes_len;
	const uint8_t *nodes6;      /* a multiple of 38 bytes (may be 0) */
	size_t nodes6_len;
	const uint8_t *k;           /* 32 */
	const uint8_t *sig;         /* 64 */
	int64_t seq;
	const uint8_t *v;           /* 0..KRPC_MAX_V bytes, a bencoded byte string */
	size_t vlen;
	int64_t cas;
	const uint8_t *salt;        /* 0..KRPC_MAX_SALT */
	size_t salt_len;
	const uint8_t *ip;          /* 6 or 18 */
	size_t ip_len;
	int64_t ro;
	const uint8_t *ver;         /* 4 */
	int64_t err_code;           /* y == 'e' and KRPC_F_ERR */
	const uint8_t *err_msg;
	size_t err_msg_len;
};

/*
 * Parse one datagram into *m (zeroed first). Returns 0 for a canonical
 * bencoded dict with a string t of 1..KRPC_MAX_TID bytes and y in {q, r, e}
 * (with an `a` dict and a `q` string for queries, an `r` dict for responses);
 * CCL_ERR_FORMAT or a bencode error otherwise. For y == 'e' a malformed `e`
 * still parses (KRPC_F_ERR set in bad, err_code 0).
 */
CCL_MUST_CHECK int krpc_parse(struct krpc_msg *m, const uint8_t *p, size_t n);
/* 1 when the message carries a complete, well-formed BEP 44 mutable item. */
int krpc_has_item(const struct krpc_msg *m);
/* 1 when the query method equals the NUL-terminated name. */
int krpc_is_query(const struct krpc_msg *m, const char *name);

/* Query builders (append one datagram to wr). */
CCL_MUST_CHECK int krpc_build_ping(struct buf_wr *wr, const uint8_t tid[static KRPC_TID_LEN],
    const uint8_t id[static KRPC_ID_LEN]);
CCL_MUST_CHECK int krpc_build_find_node(struct buf_wr *wr, const uint8_t tid[static KRPC_TID_LEN],
    const uint8_t id[static KRPC_ID_LEN], const uint8_t target[static KRPC_ID_LEN]);
/* get(target) — with seq when with_seq ("only items newer than seq"). */
CCL_MUST_CHECK int krpc_build_get(struct buf_wr *wr, const uint8_t tid[static KRPC_TID_LEN],
    const uint8_t id[static KRPC_ID_LEN], const uint8_t target[static KRPC_ID_LEN],
    int with_seq, int64_t seq);

/*
 * The same queries with a transaction id of any length 1..KRPC_TID_LEN
 * (dht.c uses 2 bytes for nodes that echo only 2).
 */
CCL_MUST_CHECK int krpc_build_find_node_t(struct buf_wr *wr, const uint8_t *t, size_t tlen,
    const uint8_t id[static KRPC_ID_LEN], const uint8_t target[static KRPC_ID_LEN]);
CCL_MUST_CHECK int krpc_build_get_t(struct buf_wr *wr, const uint8_t *t, size_t tlen,
    const uint8_t id[static KRPC_ID_LEN], const uint8_t target[static KRPC_ID_LEN],
    int with_seq, int64_t seq);

struct krpc_put {
	const uint8_t *target;      /* 20, always sent (Rust mainline requires it) */
	const uint8_t *token;       /* the token this node returned to our get */
	size_t token_len;
	const uint8_t *k;           /* 32 */
	int64_t seq;
	const uint8_t *sig;         /* 64 */
	const uint8_t *v;           /* ≤ KRPC_MAX_V */
	size_t vlen;
	int has_cas;
	int64_t cas;
};
CCL_MUST_CHECK int krpc_build_put(struct buf_wr *wr, const uint8_t tid[static KRPC_TID_LEN],
    const uint8_t id[static KRPC_ID_LEN], const struct krpc_put *p);
CCL_MUST_CHECK int krpc_build_put_t(struct buf_wr *wr, const uint8_t *t, size_t tlen,
    const uint8_t id[static KRPC_ID_LEN], const struct krpc_put *p);

/*
 * Responses and errors (what a DHT node would send; used by test peers).
 * Optional members are left out when NULL (item: when k is NULL).
 */
struct krpc_reply {
	const uint8_t *id;          /* 20, required */
	const uint8_t *ip;          /* top-level ip, 6 or 18 bytes */
	size_t ip_len;
	const uint8_t *token;
	size_t token_len;
	const uint8_t *nodes;
	size_t nodes_len;
	const uint8_t *nodes6;
	size_t nodes6_len;
	const uint8_t *k;           /* with sig, seq and v */
	const uint8_t *sig;
	int64_t seq;
	const uint8_t *v;
	size_t vlen;
	int seq_only;               /* send seq without k/sig/v (mainline's "not newer") */
};
CCL_MUST_CHECK int krpc_build_reply(struct buf_wr *wr, const uint8_t *t, size_t tlen,
    const struct krpc_reply *r);
CCL_MUST_CHECK int krpc_build_error(struct buf_wr *wr, const uint8_t *t, size_t tlen,
    int64_t code, const char *msg);

/* BEP 44 signed bytes (no salt): "3:seqi<seq>e1:v<len>:<v>". */
CCL_MUST_CHECK int krpc_signable(struct buf_wr *wr, int64_t seq, const uint8_t *v, size_t vlen);

/* One compact node. */
struct krpc_node {
	uint8_t id[KRPC_ID_LEN];
	struct sockaddr_storage addr;  /* AF_INET or AF_INET6, port set */
};
/*
 * Read the next compact node from rd: 26 bytes when family is AF_INET
 * (`nodes`), 38 bytes when AF_INET6 (`nodes6`).
 */
CCL_MUST_CHECK int krpc_get_node(struct buf_rd *rd, int family, struct krpc_node *n);
/* Append the compact form of (id, addr): 26 or 38 bytes. */
CCL_MUST_CHECK int krpc_put_node(struct buf_wr *wr, const uint8_t id[static KRPC_ID_LEN],
    const struct sockaddr_storage *addr);
/* Compact address (ip ‖ port): 6 bytes → AF_INET, 18 bytes → AF_INET6. */
CCL_MUST_CHECK int krpc_compact_addr(const uint8_t *p, size_t n, struct sockaddr_storage *addr);

#endif
