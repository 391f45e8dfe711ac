/* SPDX-License-Identifier: MIT */
/*
 * cli_expiry.h — honest messages about how long a handoff stays reachable,
 * and the refresh pickup does after a successful resolve. Command layer.
 */
#ifndef CCL_CLI_EXPIRY_H
#define CCL_CLI_EXPIRY_H
#include <stdint.h>

#include "cli.h"
#include "cli_fetch.h"
#include "config.h"
#include "record.h"

/*
 * Explain on stderr why no handoff was found for pk (after cli_fetch_record
 * said EXIT_NOT_FOUND quietly): revoked or burnt; or which sources answered
 * without it, what this machine's own copy says (published when, TTL,
 * expired, with or without --keep, a keeper running) and what to do.
 */
void cli_expiry_explain_missing(const uint8_t pk[static 32], const struct cli_fetch *f);
/* The message for a record found but expired (published when, TTL, where). */
void cli_expiry_explain_expired(const struct cli_fetch *f, const struct record *rec);
/*
 * After a successful pickup: when some source lacked the packet (only a
 * relay had it, or DHT nodes answered without it), say so and store it back
 * from a background process. The caller must hold no key in memory.
 */
void cli_expiry_refresh(const struct ccl_ctx *ctx, const struct ccl_config *cfg,
    const struct cli_fetch *f);
#endif
