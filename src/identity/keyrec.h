/* SPDX-License-Identifier: MIT */
/*
 * keyrec.h — the `_cclink-key` TXT record: the extra age recipient an
 * identity advertises in its own signed PKARR packet (an ssh-agent identity's
 * derived X25519 key), so others can --share to it. The packet signature by
 * the identity's key is what binds the recipient to it.
 *
 *   _cclink-key TXT "v=1; x25519=age1…; epoch=0"
 *
 * Trust boundary: keyrec_parse takes the TXT value of a resolved (verified)
 * packet, still untrusted text: read through buf_rd, fields in any order,
 * unknown fields ignored, `v` must be 1, `x25519` must be one valid
 * recipient. Never prints.
 */
#ifndef CCL_KEYREC_H
#define CCL_KEYREC_H
#include <stddef.h>
#include <stdint.h>
#include "age.h"
#include "err.h"
#include "pkarr.h"

#define KEYREC_TXT_NAME "_cclink-key"
#define KEYREC_MAX_LEN 512

/* The largest epoch: nine decimal digits, as `_cclink-key` has carried since it was defined. */
#define KEYREC_EPOCH_MAX 999999999u
/*
 * An epoch written in decimal (the `epoch=` field, the agent record's
 * `epoch` line, `init --epoch`): 1 to 9 digits, no sign, no leading zero,
 * nothing else. 0 with *epoch set, CCL_ERR_FORMAT otherwise.
 */
CCL_MUST_CHECK int keyrec_parse_epoch(const void *p, size_t n, uint32_t *epoch);
/* The TXT value for r and epoch into out (NUL-terminated; 128 bytes suffice). */
CCL_MUST_CHECK int keyrec_encode(char *out, size_t outlen, const struct age_recipient *r,
    uint32_t epoch);
/*
 * Parse a TXT value. CCL_ERR_FORMAT (malformed, no x25519, bad recipient),
 * CCL_ERR_UNSUPPORTED (v is not 1), CCL_ERR_TOO_LARGE (over KEYREC_MAX_LEN).
 */
CCL_MUST_CHECK int keyrec_parse(const char *v, size_t n, struct age_recipient *r, uint32_t *epoch);
/*
 * The `_cclink-key` record of a packet already resolved and verified: 1 with
 * *out and *epoch filled, 0 when it has none, CCL_ERR_FORMAT (negative) when
 * it is malformed.
 */
int keyrec_from_packet(const struct pkarr_packet *pkt, struct age_recipient *out, uint32_t *epoch);
#endif
