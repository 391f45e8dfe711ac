/* SPDX-License-Identifier: MIT */
/*
 * dns.h — the DNS packets PKARR signs (RFC 1035 wire format, the subset
 * pkarr uses), encoded exactly as Rust pkarr (simple-dns 0.11) writes them.
 *
 * Trust boundary: dns_parse() reads untrusted bytes (from the DHT or a relay,
 * usually after the PKARR signature verified, but the fuzzers and the
 * decoder do not rely on that). All reads go through struct buf_rd. Names are
 * decompressed with pointers allowed only strictly backwards, a jump cap,
 * labels <= 63 and names <= 255 octets; section counts are checked against
 * the bytes left before any loop; each RDATA is read through a buf_sub of
 * exactly RDLENGTH bytes that must be consumed completely.
 *
 * Deliberate strictness (documented differences from simple-dns, which
 * pkarr uses to parse): the header Z bit (0x0040) is rejected (as simple-dns
 * does); bytes after the last record, forward or self pointers, A/AAAA of the
 * wrong length and RDATA not fully consumed are rejected too (simple-dns is
 * laxer there). A packet rejected here is one no honest pkarr writer makes.
 *
 * Model: a packet is a list of answer records. Names are held in wire form
 * (uncompressed labels ending in the root byte), absolute. Callers speak in
 * names relative to an origin, the 52-character z-base-32 public key, which
 * are normalised like pkarr's normalize_name(): "_cclink" -> "_cclink.<z32>",
 * "@" or "" -> "<z32>", a name already ending in the origin label is kept; a
 * trailing '.' is dropped first. Record names keep their case on the wire
 * (simple-dns compares labels byte-exact when compressing); lookups compare
 * ASCII case-insensitively.
 *
 * Encoding: header ID 0, flags 0x8000 (QR), every record in the answer
 * section, names compressed as simple-dns does (one table for the packet;
 * for each name the first suffix already written becomes a pointer, other
 * suffixes at offsets <= 0x3FFF are remembered; labels compared byte-exact).
 * Names inside RDATA that simple-dns compresses (CNAME, NS, PTR, MX and
 * SVCB/HTTPS targets) share the table; names in SOA, SRV, RP, ... RDATA are
 * decompressed on read and written uncompressed.
 *
 * The presentation functions (dns_name_to_text, dns_rr_to_text) live in
 * dns_text.c.
 */
#ifndef CCL_DNS_H
#define CCL_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define DNS_MAX_PACKET   1000  /* PKARR's cap on the DNS packet; dns_parse refuses longer input */
#define DNS_MAX_NAME      255  /* octets of a wire name, root byte included */
#define DNS_MAX_LABEL      63
#define DNS_MAX_RECORDS   100  /* answers per packet (a 1000-byte packet holds at most 89) */
#define DNS_MAX_JUMPS      64  /* compression pointers followed per name */
#define DNS_MAX_RDATA   65535
#define DNS_TXT_CHUNK     254  /* simple-dns splits TXT values into 254-byte strings */
/* Longest presentation form of a name: every octet as \DDD, dots, NUL. */
#define DNS_NAME_TEXT_MAX (4 * DNS_MAX_NAME + 2)

#define DNS_TYPE_A       1
#define DNS_TYPE_NS      2
#define DNS_TYPE_CNAME   5
#define DNS_TYPE_SOA     6
#define DNS_TYPE_PTR    12
#define DNS_TYPE_MX     15
#define DNS_TYPE_TXT    16
#define DNS_TYPE_AAAA   28
#define DNS_TYPE_SRV    33
#define DNS_TYPE_SVCB   64
#define DNS_TYPE_HTTPS  65

#define DNS_CLASS_IN     1

/* dns_encode() flags. */
#define DNS_ENC_PLAIN  0x1u   /* no name compression (what npm dns-packet / pkarr@1.3.0 write) */

#define DNS_NO_NAME ((size_t)-1)

/* One answer record. Read-only for callers; owned by its packet. */
struct dns_rr {
	uint8_t name[DNS_MAX_NAME];  /* absolute wire name, uncompressed, root byte included */
	size_t name_len;
	uint16_t type;
	uint16_t class;              /* as on the wire (mDNS cache-flush bit kept) */
	uint32_t ttl;
	uint8_t *rdata;              /* RDATA with any embedded names expanded (pointer-free) */
	size_t rdlen;
	size_t rd_name_at;           /* offset of a compressible name in rdata, or DNS_NO_NAME */
	size_t rd_name_len;
};

struct dns_packet;  /* opaque: a list of answer records */

/* An empty packet (a builder). Free with dns_packet_free(). */
CCL_MUST_CHECK int dns_packet_new(struct dns_packet **out);
/* Release; NULL is a no-op. */
void dns_packet_free(struct dns_packet *pkt);

/*
 * Decode len bytes (<= DNS_MAX_PACKET) of untrusted DNS. On success *out is a
 * new packet holding the answer section (question, authority and additional
 * sections are validated and dropped; their counts are kept, see
 * dns_section_counts). Errors: CCL_ERR_FORMAT, _TRUNCATED, _TRAILING,
 * _TOO_LARGE, _NOMEM. *out is NULL on failure.
 */
CCL_MUST_CHECK int dns_parse(const uint8_t *p, size_t len, struct dns_packet **out);

/*
 * Append the packet as pkarr writes it to wr (ID 0, flags 0x8000, QD=NS=AR=0,
 * every record as an answer), compressed unless DNS_ENC_PLAIN. On failure
 * (CCL_ERR_TOO_LARGE when wr's maximum is reached) wr is left as it was.
 * The size cap is the writer's: use buf_wr_init(wr, 996 or 1000).
 */
CCL_MUST_CHECK int dns_encode(const struct dns_packet *pkt, unsigned flags, struct buf_wr *wr);

/* Number of answer records, and record i (NULL when out of range). */
size_t dns_count(const struct dns_packet *pkt);
const struct dns_rr *dns_rr_at(const struct dns_packet *pkt, size_t i);
/* Question/answer/authority/additional counts of a parsed packet (any may be NULL). */
void dns_section_counts(const struct dns_packet *pkt, size_t *qd, size_t *an, size_t *ns, size_t *ar);

/*
 * Normalise a relative name (see the header comment) to an absolute wire
 * name. origin is one label (the z32 key). Names are plain dotted text with
 * no escapes; empty labels ("a..b"), '@' anywhere but alone, labels over 63
 * octets and names over 255 give CCL_ERR_INVALID_ARG.
 */
CCL_MUST_CHECK int dns_name_from_rel(const char *name, const char *origin,
    uint8_t out[static DNS_MAX_NAME], size_t *len);

/*
 * Builders: append an answer record named `name` (relative, normalised
 * against origin) with the given TTL and class IN. The packet copies
 * everything. CCL_ERR_INVALID_ARG for a bad name, CCL_ERR_TOO_LARGE past
 * DNS_MAX_RECORDS records or an RDATA over 65535 bytes.
 */
/* TXT: value split into 254-byte character strings; an empty value is one empty string. */
CCL_MUST_CHECK int dns_add_txt(struct dns_packet *pkt, const char *name, const char *origin,
    uint32_t ttl, const void *value, size_t len);
CCL_MUST_CHECK int dns_add_a(struct dns_packet *pkt, const char *name, const char *origin,
    uint32_t ttl, const uint8_t addr[static 4]);
CCL_MUST_CHECK int dns_add_aaaa(struct dns_packet *pkt, const char *name, const char *origin,
    uint32_t ttl, const uint8_t addr[static 16]);
/* CNAME: target is an absolute dotted name (trailing '.' optional), not made relative to origin. */
CCL_MUST_CHECK int dns_add_cname(struct dns_packet *pkt, const char *name, const char *origin,
    uint32_t ttl, const char *target);
/* Append a copy of rr (e.g. from another packet): how "other records" survive a republish. */
CCL_MUST_CHECK int dns_add_rr(struct dns_packet *pkt, const struct dns_rr *rr);

/*
 * Remove every answer whose name equals `name` (normalised against origin,
 * compared case-insensitively) and whose type is `type` (0 = any type).
 * *removed (may be NULL) gets the count. CCL_ERR_INVALID_ARG for a bad name.
 */
CCL_MUST_CHECK int dns_remove(struct dns_packet *pkt, const char *name, const char *origin,
    uint16_t type, size_t *removed);

/*
 * Index of the first answer of the given type (0 = any) whose name equals
 * `name` (normalised, case-insensitive), searching from index *idx on; *idx
 * is updated. CCL_ERR_NOT_FOUND when there is none.
 */
CCL_MUST_CHECK int dns_find(const struct dns_packet *pkt, const char *name, const char *origin,
    uint16_t type, size_t *idx);

/*
 * The value of the first TXT answer named `name` (e.g. "_cclink"): all its
 * character strings concatenated, as pkarr reads TXT. *value is a new heap
 * buffer, NUL-terminated one past *len (the value itself may contain NUL
 * bytes and any other untrusted byte); the caller frees it.
 * CCL_ERR_NOT_FOUND when there is no such record.
 */
CCL_MUST_CHECK int dns_find_txt(const struct dns_packet *pkt, const char *name, const char *origin,
    char **value, size_t *len);

/* Concatenated character strings of a TXT record (same ownership as dns_find_txt). */
CCL_MUST_CHECK int dns_txt_value(const struct dns_rr *rr, char **value, size_t *len);

/* Presentation form of one record, for `cclink resolve`. */
struct dns_rr_text {
	char name[DNS_NAME_TEXT_MAX];  /* "@", "_cclink", "a.b" under origin; else absolute with a trailing '.' */
	char type[16];                 /* "TXT", "A", ... or "TYPE<n>" */
	uint32_t ttl;
	char *value;                   /* heap, NUL-terminated one past value_len */
	size_t value_len;
};

/*
 * Fill t for rr. Names are escaped RFC 1035-style (\. \\ \DDD), so they are
 * printable ASCII. Values: A dotted quad, AAAA RFC 5952, CNAME/NS/PTR the
 * escaped target without the trailing dot, MX "pref target", TXT the raw
 * concatenated strings (UNTRUSTED bytes: sanitise before printing), other
 * types RFC 3597 "\# len hex". Release with dns_rr_text_cleanup().
 */
CCL_MUST_CHECK int dns_rr_to_text(const struct dns_rr *rr, const char *origin, struct dns_rr_text *t);
void dns_rr_text_cleanup(struct dns_rr_text *t);

/* Escaped text of a wire name relative to origin (NULL origin: absolute, no trailing dot). */
CCL_MUST_CHECK int dns_name_to_text(const uint8_t *name, size_t len, const char *origin,
    char *out, size_t cap);

#endif
