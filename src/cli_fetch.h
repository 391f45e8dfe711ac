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
};

/*
 * Resolve pk and parse + verify its `_cclink` record into *rec. Network
 * failures are retried with backoff (retries attempts after the first).
 * Returns 0, or the exit status after printing the cause: EXIT_NOT_FOUND,
 * EXIT_BAD_SIG, EXIT_FAIL. With quiet_notfound, "not found" prints nothing.
 */
int cli_fetch_record(const struct ccl_ctx *ctx, const struct ccl_config *cfg,
    const uint8_t pk[static 32], int fresh, unsigned retries, int quiet_notfound,
    struct cli_fetch *f, struct record *rec);
#endif
