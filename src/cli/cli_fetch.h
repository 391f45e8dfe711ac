/* SPDX-License-Identifier: MIT */
/*
 * cli_fetch.h — resolve a key's `_cclink` record and verify it, with the
 * messages and exit codes pickup and list share. Command layer.
 */
#ifndef CCL_CLI_FETCH_H
#define CCL_CLI_FETCH_H
#include <stdint.h>
#include "cli.h"
#include "config.h"
#include "pkarr.h"
#include "record.h"
#include "transport.h"

struct cli_fetch {
	struct pkarr_packet pkt;     /* the packet the record came from */
	unsigned sources;            /* TRANSPORT_SRC_* */
	struct transport_report rep;
	int have_record;             /* 0: the packet has no _cclink record */
	int rc;                      /* transport_resolve()'s result */
};

#define CLI_FETCH_QUIET_NOTFOUND 1  /* "not found" prints nothing */
#define CLI_FETCH_QUIET_NET      2  /* a network failure prints nothing (the caller reports it) */

/*
 * Resolve pk and parse + verify its `_cclink` record into *rec. Network
 * failures are retried by the offline policy (cli_net_retry) unless retries
 * is 0. Returns 0, or the exit status after printing the cause:
 * EXIT_NOT_FOUND, EXIT_BAD_SIG, EXIT_FAIL (f->rc tells a network failure).
 * quiet: CLI_FETCH_QUIET_* bits.
 */
int cli_fetch_record(const struct ccl_ctx *ctx, const struct ccl_config *cfg,
    const uint8_t pk[static 32], int fresh, unsigned retries, int quiet,
    struct cli_fetch *f, struct record *rec);
#endif
