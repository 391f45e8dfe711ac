/* SPDX-License-Identifier: MIT */
/* cli_keyrec.h — look up the `_cclink-key` recipient another identity advertises. */
#ifndef CCL_CLI_KEYREC_H
#define CCL_CLI_KEYREC_H
#include <stdint.h>
#include "age.h"
#include "cli.h"
#include "config.h"
#include "identity.h"
#include "pkarr.h"

/*
 * Resolve pk's packet and read its `_cclink-key` record (verified: the packet
 * is signed by pk). 1 with *out filled when there is a usable one, 0 when
 * none (no packet, no record: warns on stderr when the lookup failed or the
 * record is malformed).
 */
int cli_keyrec_lookup(const struct ccl_ctx *ctx, const struct ccl_config *cfg,
    const uint8_t pk[static 32], struct age_recipient *out);
/*
 * An ssh-agent identity decrypting its own handoff uses the epoch that the
 * handoff's packet advertises (signed by this very key), so a rotation made
 * on the publishing machine is followed here (with a note on stderr); the
 * derived key must then match the advertised one (identity_age_ids checks).
 * Does nothing for other kinds, other keys, or the recorded epoch.
 */
void cli_keyrec_follow_epoch(const struct ccl_ctx *ctx, const struct pkarr_packet *pkt,
    struct identity *id);
#endif
