/* SPDX-License-Identifier: MIT */
/*
 * pkarr.h — PKARR SignedPackets (doc/protocol.md §3):
 *
 *   pk(32) | sig(64) | ts u64be µs (= BEP44 seq) | dns (<= 1000)
 *
 * sig is Ed25519 over the BEP44 signable "3:seqi<ts>e1:v<len>:<dns>" (no
 * salt). The relay body is the packet without pk; the pk comes from the URL.
 *
 * Trust boundary: pkarr_parse*() and pkarr_from_item() take untrusted bytes
 * and accept a packet only when it is complete and valid: sizes in range, pk
 * a usable Ed25519 point, ts <= INT64_MAX (it is a BEP44 seq), the signature
 * verifies, and the DNS packet parses (dns_parse). All reads go through
 * buf_rd; the signable is rebuilt here, never sliced out of the input.
 * Every signature is made through struct signer (signer.h).
 */
#ifndef CCL_PKARR_H
#define CCL_PKARR_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "dns.h"
#include "err.h"
#include "signer.h"

#define PKARR_HDR_LEN        104   /* pk + sig + ts */
#define PKARR_MAX_DNS       1000   /* pkarr / BEP44 limit on the DNS packet */
#define PKARR_MAX_DNS_BUILD  996   /* what we build: libtorrent nodes refuse more */
#define PKARR_MAX_PACKET    1104   /* PKARR_HDR_LEN + PKARR_MAX_DNS */
#define PKARR_RELAY_MIN       72   /* sig + ts */
#define PKARR_RELAY_MAX     1072
#define PKARR_SIGNABLE_MAX  (6 + 20 + 4 + 4 + 1 + PKARR_MAX_DNS)

/* A SignedPacket. Plain data: copy it by value; nothing to free. */
struct pkarr_packet {
	uint8_t pk[32];
	uint8_t sig[64];
	uint64_t ts;                  /* µs since the epoch; the BEP44 seq */
	size_t dns_len;
	uint8_t dns[PKARR_MAX_DNS];
};

/* Append signable(ts, dns) to wr. CCL_ERR_INVALID_ARG if ts > INT64_MAX or n > 1000. */
CCL_MUST_CHECK int pkarr_signable(uint64_t ts, const uint8_t *dns, size_t n, struct buf_wr *wr);

/*
 * Sign dns (n <= PKARR_MAX_DNS_BUILD bytes, must parse) at ts with s, filling
 * *out (pk = s->pk). CCL_ERR_TOO_LARGE over 996 bytes, CCL_ERR_INVALID_ARG
 * for ts > INT64_MAX, CCL_ERR_FORMAT if dns does not parse; signer errors
 * are passed on. *out is zeroed on failure.
 */
CCL_MUST_CHECK int pkarr_build(struct pkarr_packet *out, const struct signer *s, uint64_t ts,
    const uint8_t *dns, size_t n);
/* Encode d compressed (capped at 996 bytes) and sign it, as pkarr_build. */
CCL_MUST_CHECK int pkarr_build_dns(struct pkarr_packet *out, const struct signer *s, uint64_t ts,
    const struct dns_packet *d);

/*
 * Check a packet assembled by hand (every rule in the header comment).
 * 0, CCL_ERR_KEY_INVALID, CCL_ERR_SIG_INVALID, CCL_ERR_TOO_LARGE,
 * CCL_ERR_FORMAT (ts or DNS).
 */
CCL_MUST_CHECK int pkarr_verify(const struct pkarr_packet *p);

/* Parse and verify full SignedPacket bytes (104..1104). *out is zeroed on failure. */
CCL_MUST_CHECK int pkarr_parse(struct pkarr_packet *out, const uint8_t *buf, size_t len);
/* Parse and verify a relay body (sig|ts|dns, 72..1072 bytes) for the key pk (from the URL). */
CCL_MUST_CHECK int pkarr_parse_relay(struct pkarr_packet *out, const uint8_t pk[static 32],
    const uint8_t *body, size_t len);
/*
 * Assemble and verify a packet from the fields of a BEP44 mutable item
 * (k, sig, seq, v) as a DHT get reply carries them. seq < 0 is rejected.
 */
CCL_MUST_CHECK int pkarr_from_item(struct pkarr_packet *out, const uint8_t k[static 32],
    const uint8_t sig[static 64], int64_t seq, const uint8_t *v, size_t vlen);

/* Append the full SignedPacket (pk|sig|ts|dns) / the relay body (sig|ts|dns) to wr. */
CCL_MUST_CHECK int pkarr_encode(const struct pkarr_packet *p, struct buf_wr *wr);
CCL_MUST_CHECK int pkarr_encode_relay(const struct pkarr_packet *p, struct buf_wr *wr);

/*
 * Recency (pkarr more_recent_than, mainline most_recent_mutable_item): > 0
 * when a is newer than b, < 0 when older, 0 when identical. Larger ts wins;
 * on equal ts the lexicographically larger DNS bytes win.
 */
int pkarr_cmp(const struct pkarr_packet *a, const struct pkarr_packet *b);

/* Decode the packet's DNS (see dns_parse); *out is freed with dns_packet_free. */
CCL_MUST_CHECK int pkarr_dns(const struct pkarr_packet *p, struct dns_packet **out);

/*
 * A timestamp for a new packet: the wall clock in µs, but at least
 * last_seen + 1 so a republish always wins (0 = nothing seen). Capped at
 * INT64_MAX.
 */
uint64_t pkarr_next_ts(uint64_t last_seen);

#endif
