/* SPDX-License-Identifier: MIT */
/*
 * record.h — the cclink v1.3 handoff record (the `_cclink` TXT value) and
 * its encrypted payload, byte-compatible with the Rust cclink 1.3.
 *
 * Trust boundary: record_parse and record_payload_parse read untrusted
 * bytes (the TXT value from the DHT or a relay; the decrypted payload, which
 * is authenticated only as "from whoever could encrypt to us"). Both go
 * through the strict JSON reader (jsonr, all reads via buf_rd) after a size
 * cap. Nothing parsed is trusted before record_verify() succeeded against
 * the key the PKARR packet was resolved under.
 *
 * Wire format (doc/formats.md). Record: compact JSON, keys in alphabetical
 * order: blob (base64, std alphabet, padded), burn (omitted when false),
 * created_at (u64), hostname (omitted when empty), pin_salt (base64 of 32
 * bytes; omitted when absent), project (omitted when empty), pubkey (z32, no
 * "pk:"), recipient (omitted when absent), signature (base64 of 64 bytes),
 * ttl (u64). Signature input: compact JSON of exactly the nine keys blob,
 * burn, created_at, hostname, pin_salt, project, pubkey, recipient, ttl, with
 * null for an absent pin_salt/recipient — rebuilt from the parsed fields,
 * never taken from the received bytes.
 *
 * Reading follows serde's derive for the Rust struct: blob, created_at,
 * pubkey, signature and ttl are required; burn, hostname, pin_salt, project
 * and recipient default when missing; null only for pin_salt/recipient;
 * unknown keys ignored; a known key twice is an error. Where we are
 * stricter than 1.3's reader (which only checks these when it uses them):
 * blob, pin_salt and signature must be canonical padded base64 of the right
 * length and pubkey exact z32 at parse time; a string holding U+0000 is
 * refused; serde's array form of a struct ("[blob, burn, ...]") is refused.
 * 1.3 writes none of these. Everything else was checked against serde_json
 * differentially (random mutations of records, same accept/reject and the
 * same signable/re-encoding bytes).
 */
#ifndef CCL_RECORD_H
#define CCL_RECORD_H
#include <stddef.h>
#include <stdint.h>
#include "age.h"
#include "buf.h"
#include "err.h"
#include "signer.h"

/* Largest TXT value record_parse accepts (a DNS packet is at most 1000 bytes). */
#define RECORD_JSON_MAX 2048
/* Largest payload record_payload_parse accepts. */
#define RECORD_PAYLOAD_MAX 4096
#define RECORD_SALT_LEN 32
#define RECORD_SIG_LEN 64

/*
 * DNS budget (doc/protocol.md §4.3). A PKARR DNS packet holding only the
 * `_cclink` TXT record is
 *   12 (header) + 62 (name: 1+7 "_cclink", 1+52 z32 label, 1 root)
 *   + 10 (type, class, TTL, RDLENGTH) + rdata,
 * where rdata = len + ceil(len / 254) (one length byte per 254-byte chunk;
 * an empty value is one empty string, 1 byte). libtorrent refuses DNS
 * packets over 996 bytes, so the value can be at most 908 bytes alone
 * (84 + 908 + 4 = 996). Other records (e.g. `_cclink-key`) are added as
 * their encoded size, compression included.
 */
#define RECORD_DNS_MAX 996
#define RECORD_DNS_HEADER 12
#define RECORD_TXT_RR_FIXED (62 + 10)

struct record {
	uint8_t *blob;            /* the binary age file (heap) */
	size_t blob_len;
	int burn;
	uint64_t created_at;      /* seconds */
	char *hostname;           /* NULL or "" when empty (always, since 1.1) */
	int has_pin_salt;
	uint8_t pin_salt[RECORD_SALT_LEN];
	char *project;            /* NULL or "" when empty (always, since 1.1) */
	uint8_t pubkey[32];       /* the publisher's Ed25519 key */
	/*
	 * The recipient exactly as published, NULL when absent. Text rather than
	 * a key: 1.3 stores its --share argument verbatim, and users paste
	 * whoami's "pk:<z32>" form, so "pk:<z32>" occurs in real records and the
	 * signature covers those exact bytes. We write bare z32
	 * (record_set_recipient); record_recipient_key() decodes either form.
	 */
	char *recipient;
	uint8_t signature[RECORD_SIG_LEN];
	uint64_t ttl;             /* seconds */
};

/* Release everything a record holds and zero it. Safe on a zeroed struct. */
void record_free(struct record *rec);

/* Set the recipient to the bare z32 of pk (replacing any previous one). */
CCL_MUST_CHECK int record_set_recipient(struct record *rec, const uint8_t pk[static 32]);
/*
 * The recipient's Ed25519 key from its text ("<z32>" or "pk:<z32>").
 * CCL_ERR_NOT_FOUND when the record has none, CCL_ERR_FORMAT or
 * CCL_ERR_KEY_INVALID when the text is not such a key.
 */
CCL_MUST_CHECK int record_recipient_key(const struct record *rec, uint8_t pk[static 32]);

/* Append the canonical signable (the signature input) to wr. */
CCL_MUST_CHECK int record_signable(const struct record *rec, struct buf_wr *wr);

/*
 * Set rec->pubkey to the signer's key and sign the signable: every
 * signature goes through signer_sign (seed or ssh-agent).
 */
CCL_MUST_CHECK int record_sign(struct record *rec, const struct signer *signer);

/*
 * The TXT value: compact JSON as described above, NUL-terminated in *json
 * (malloc; free()) with its length in *len. Fails with CCL_ERR_INVALID_ARG
 * when hostname/project/recipient are not valid UTF-8.
 */
CCL_MUST_CHECK int record_encode(const struct record *rec, char **json, size_t *len);

/*
 * Parse a TXT value into *out (cleared first; record_free it, also after a
 * failure). Errors: CCL_ERR_TOO_LARGE (over RECORD_JSON_MAX), CCL_ERR_FORMAT
 * (syntax, wrong type, null where not allowed, missing required field,
 * duplicate known key, bad number, bad base64/z32, wrong length),
 * CCL_ERR_DEPTH, CCL_ERR_TRAILING, CCL_ERR_TRUNCATED, CCL_ERR_NOMEM.
 */
CCL_MUST_CHECK int record_parse(const char *json, size_t len, struct record *out);

/*
 * Verify a parsed record against the key its PKARR packet was resolved
 * under. CCL_ERR_KEY_MISMATCH when the record's pubkey field names another
 * key (a record copied under someone else's key), CCL_ERR_SIG_INVALID when
 * the signature does not verify over the rebuilt signable.
 */
CCL_MUST_CHECK int record_verify(const struct record *rec, const uint8_t packet_pk[static 32]);

/* When the record dies: created_at + ttl, saturating at 2^64-1 (as 1.3). */
uint64_t record_expires_at(const struct record *rec);
/* 1 when dead at time now (seconds): now >= created_at + ttl. */
int record_expired(const struct record *rec, uint64_t now);
/* Seconds left before the record dies at time now; 0 when dead. */
uint64_t record_time_left(const struct record *rec, uint64_t now);

/*
 * DNS budget helpers (see RECORD_DNS_MAX). record_dns_rr_len: bytes of the
 * `_cclink` TXT resource record holding a value of value_len bytes.
 * record_fits: 1 when that record plus other_dns_bytes of other records fit
 * in a DNS packet of at most RECORD_DNS_MAX bytes. record_max_value_len: the
 * longest value that still fits next to other_dns_bytes (0 if none does).
 */
size_t record_dns_rr_len(size_t value_len);
int record_fits(size_t value_len, size_t other_dns_bytes);
size_t record_max_value_len(size_t other_dns_bytes);

/*
 * Encryption helpers (in record_age.c, so that parsing links without age);
 * the caller picks the mode (self, --share, --pin, agent) and thus the
 * recipients/identities.
 * record_seal: age-encrypt payload to rcpts into rec->blob (replacing it).
 * record_open: decrypt rec->blob with the first matching identity; *pt is
 * secret memory (secret_free). Errors are age_decrypt's.
 */
CCL_MUST_CHECK int record_seal(struct record *rec, const struct age_recipient *rcpts, size_t n,
    const uint8_t *payload, size_t payload_len);
CCL_MUST_CHECK int record_open(const struct record *rec, const struct age_identity *ids, size_t n,
    uint8_t **pt, size_t *ptlen);

/* The encrypted payload {"h":hostname,"p":project,"s":session_id,...}. */
struct record_payload {
	char *h;   /* hostname */
	char *p;   /* project path */
	char *s;   /* session id */
};

/* An extra payload key (ours; appended after "s", ignored by 1.3). */
struct record_kv {
	const char *key;
	const char *value;   /* a JSON string value */
};

/*
 * Compact {"h":..,"p":..,"s":..[,extra...]} into *out (malloc; it holds
 * session metadata: ccl_freezero it). Extra keys must not be h, p or s.
 * CCL_ERR_INVALID_ARG for NULL or non-UTF-8 strings.
 */
CCL_MUST_CHECK int record_payload_encode(const char *h, const char *p, const char *s,
    const struct record_kv *extra, size_t nextra, uint8_t **out, size_t *outlen);
/*
 * Parse a decrypted payload (cleared first; record_payload_free it, also
 * after a failure). h, p, s are required strings, unknown keys are
 * ignored, duplicates of h/p/s rejected, size capped at RECORD_PAYLOAD_MAX.
 * The session id must pass record_session_id_ok (CCL_ERR_FORMAT otherwise).
 */
CCL_MUST_CHECK int record_payload_parse(const uint8_t *buf, size_t len, struct record_payload *out);
void record_payload_free(struct record_payload *pl);

/*
 * 1 when s is acceptable as a session id to hand to `claude --resume`:
 * non-empty, not starting with '-' (it would be an option), no control
 * characters (C0, DEL, C1) and no '/' (it names a transcript file,
 * <id>.jsonl, so a '/' could point outside the projects folder).
 */
int record_session_id_ok(const char *s);
#endif
