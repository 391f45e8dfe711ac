/* SPDX-License-Identifier: MIT */
/*
 * handoff.h — a cclink handoff as one unit: the `_cclink` TXT value built
 * from {session, project, host} in one of the 1.3 modes (self, --share,
 * --pin), and the reverse: parse, verify against the PKARR key, classify and
 * decrypt. Composes record (format), age (encryption), pin (PIN key) and the
 * signer; knows nothing about the network or the terminal.
 *
 * Trust boundary: handoff_parse takes the TXT value of a resolved packet
 * (untrusted) and accepts it only if record_parse and record_verify do;
 * the decrypted payload is parsed by record_payload_parse.
 */
#ifndef CCL_HANDOFF_H
#define CCL_HANDOFF_H
#include <stddef.h>
#include <stdint.h>

#include "age.h"
#include "err.h"
#include "record.h"
#include "signer.h"

#define HANDOFF_TXT_NAME "_cclink"
#define HANDOFF_DNS_TTL 86400
#define HANDOFF_DEFAULT_TTL 86400

enum handoff_mode {
	HANDOFF_SELF = 1,   /* encrypted to the publisher's own key */
	HANDOFF_SHARE,      /* encrypted to a recipient's key (recipient field) */
	HANDOFF_PIN,        /* encrypted to a PIN-derived key (pin_salt field) */
};

/*
 * --share recipients. One Ed25519 key is 1.3's format exactly (recipient =
 * its z32, one X25519 stanza to its converted key). Otherwise the record's
 * recipient field lists them all, comma-separated: z32 for an Ed25519 key,
 * "age1…" for an age X25519 recipient, one stanza each.
 */
#define HANDOFF_MAX_SHARE 8
enum handoff_share_kind {
	HANDOFF_SHARE_ED25519 = 1,   /* pk is an Ed25519 key (pk:, ssh-ed25519, .pub) */
	HANDOFF_SHARE_AGE,           /* pk is an X25519 key (age1…) */
};
struct handoff_share {
	enum handoff_share_kind kind;
	uint8_t pk[32];
};

struct handoff_new {
	const char *session_id;
	const char *project;
	const char *hostname;
	uint64_t created_at;
	uint64_t ttl;
	int burn;
	enum handoff_mode mode;
	struct handoff_share share[HANDOFF_MAX_SHARE];  /* HANDOFF_SHARE: 1..n_share */
	size_t n_share;
	const char *pin;               /* HANDOFF_PIN (validated by the caller) */
	size_t pin_len;
	/*
	 * Recipients (may be none): HANDOFF_SELF encrypts to these instead of
	 * the signer's converted key (an identity lists all that reach it);
	 * HANDOFF_SHARE encrypts to these as well as to the share recipients
	 * (a `_cclink-key` the recipient advertises). At most HANDOFF_MAX_RCPTS.
	 */
	const struct age_recipient *rcpts;
	size_t n_rcpts;
};
#define HANDOFF_MAX_RCPTS 8

/*
 * Build, encrypt and sign the TXT value (malloc'd JSON in *value). The size
 * is not checked here: see record_fits. CCL_ERR_KEY_INVALID for a share key
 * that has no X25519 form.
 */
CCL_MUST_CHECK int handoff_build(const struct handoff_new *h, const struct signer *s,
    char **value, size_t *len);

/*
 * The recipients a shared record names (its recipient field: "z32",
 * "pk:z32", "age1…", comma-separated). CCL_ERR_NOT_FOUND without one,
 * CCL_ERR_FORMAT for an entry that is none of these, CCL_ERR_TOO_LARGE
 * for more than max.
 */
CCL_MUST_CHECK int handoff_recipients(const struct record *rec, struct handoff_share *out,
    size_t max, size_t *n);

/* Parse and verify a TXT value found under packet_pk. record_free *rec after. */
CCL_MUST_CHECK int handoff_parse(const char *value, size_t len, const uint8_t packet_pk[static 32],
    struct record *rec);

/* The mode a verified record was published in. */
enum handoff_mode handoff_mode_of(const struct record *rec);

/*
 * Decrypt with a list of identities (self/share) and parse the payload. A
 * plaintext that is not payload JSON but a valid bare session id (what 1.0
 * wrote) is accepted, with project/host taken from the record. Errors:
 * age_decrypt's (CCL_ERR_NO_IDENTITY when no identity matches),
 * CCL_ERR_FORMAT for a payload that is neither. record_payload_free *pl.
 */
CCL_MUST_CHECK int handoff_open(const struct record *rec, const struct age_identity *ids, size_t n,
    struct record_payload *pl);
/* Decrypt a PIN record with pin (CCL_ERR_NO_IDENTITY: wrong PIN). */
CCL_MUST_CHECK int handoff_open_pin(const struct record *rec, const char *pin, size_t pin_len,
    struct record_payload *pl);
#endif
