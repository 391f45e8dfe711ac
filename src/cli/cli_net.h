/* SPDX-License-Identifier: MIT */
/*
 * cli_net.h — what the network commands share: loading the configuration
 * with a useful message, progress on a terminal, and one-line summaries of a
 * transport report. Command layer: prints to stderr.
 */
#ifndef CCL_CLI_NET_H
#define CCL_CLI_NET_H
#include "cli.h"
#include "config.h"
#include "transport.h"

/* Load the config; on error print what and where, return EXIT_USAGE (else 0). */
int cli_config_load(struct ccl_config *cfg);
/* Fill transport options; progress goes to stderr when it is a terminal. */
void cli_transport_opts(const struct ccl_ctx *ctx, const struct ccl_config *cfg,
    struct transport_opts *o, const char *what);
/* Clear the progress line, if one was drawn. */
void cli_progress_done(void);
/* "DHT: 20 nodes queried, 18 answered[, 12 stored]; relays: 1/2 ok" */
void cli_report_summary(FILE *f, const struct transport_report *rep, int put);
/*
 * The offline policy, one for every network command: after a failed
 * transport call (r), 1 when it is worth another try — r is a network
 * failure, fewer than CLI_NET_RETRIES retries were made (*attempt counts
 * them) and transport_retry_worthwhile() says the failure can be transient
 * — after saying so on stderr and sleeping 1 s, then 2 s. 0 otherwise:
 * report the failure (once) with cli_report_failure().
 */
#define CLI_NET_RETRIES 2
int cli_net_retry(const struct ccl_ctx *ctx, const struct transport_report *rep, int r,
    unsigned *attempt);
/*
 * Publish u (the caller fills name, value, ttl) under signer s with the
 * offline policy above: the packet also carries key_advert as the
 * `_cclink-key` record when it is not NULL (every packet of an agent
 * identity advertises it). *pub gets the packet published; the reports are
 * cleared on entry. Returns transport_update_txt's result.
 */
int cli_update_txt(const struct ccl_ctx *ctx, const struct ccl_config *cfg, const char *what,
    const struct signer *s, const char *key_advert, struct transport_update *u,
    struct pkarr_packet *pub, struct transport_report *resolve_rep,
    struct transport_report *publish_rep);
/* Explain a transport failure (nothing reachable etc.) on stderr. */
void cli_report_failure(const struct transport_report *rep, int r, const char *what);
/* Write the report as a JSON object value (no trailing newline). */
void cli_report_json(FILE *f, const struct transport_report *rep, int put);
/* Format a UNIX time (seconds) as UTC ISO 8601 into buf. */
void cli_fmt_time(char *buf, size_t n, uint64_t secs);
/* Format a duration in seconds as "2h 5m", "45s", "3d 4h". */
void cli_fmt_duration(char *buf, size_t n, uint64_t secs);
#endif
