/* SPDX-License-Identifier: MIT */
/*
 * relay.h — PKARR relay HTTP client (doc/protocol.md §5) on the libcurl multi
 * interface: one batch = the same request to several relays in parallel.
 *
 *   PUT <relay>/<z32>   body sig|ts|dns (binary), empty "Expect:" header
 *   GET <relay>/<z32>   [?policy=NetworkOnly + Cache-Control: no-cache ... with RELAY_FRESH]
 *
 * Like pkarr's client, a GET answered 2xx without a body (or 304) is asked
 * once more with the cache bypass. A fresh GET answered 400 is asked once
 * more without ?policy (pkarr@1.3.0's relay reads the query as part of the
 * key), keeping the Cache-Control header. Every retry stays inside the
 * request's timeout.
 *
 * Trust boundary: relays are untrusted. A response body is read into a fixed
 * 1104-byte buffer (the transfer is aborted beyond it) and a GET body is
 * accepted only after pkarr_parse_relay() verified it against the key the
 * URL was built from. Only http/https (https with RELAY_HTTPS_ONLY), no
 * redirects followed, connect + total timeouts always set. Error bodies are
 * reduced to printable ASCII before they reach relay_result.detail.
 *
 * The caller drives the batch: relay_batch_perform() is a non-blocking step,
 * relay_batch_poll() waits on the relays' sockets plus the caller's own fds
 * (e.g. the DHT UDP socket) through curl_multi_poll(). relay_batch_run() is
 * the blocking convenience. Library code: never prints.
 */
#ifndef CCL_RELAY_H
#define CCL_RELAY_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "pkarr.h"

#define RELAY_MAX_RELAYS          16
#define RELAY_MAX_EXTRA_FDS        8    /* caller fds per relay_batch_poll() */
#define RELAY_MAX_URL           1024    /* base URL length */
#define RELAY_MAX_BODY   PKARR_MAX_PACKET  /* response bytes read, at most */
#define RELAY_DEFAULT_TIMEOUT_MS  5000  /* total, per request */
#define RELAY_CONNECT_TIMEOUT_MS  3000  /* capped by the total */

/* relay_batch_new() op: one of RELAY_GET / RELAY_PUT, plus flags. */
#define RELAY_GET         0x1u
#define RELAY_PUT         0x2u
#define RELAY_FRESH       0x4u  /* GET: ?policy=NetworkOnly, Cache-Control: no-cache (read-after-write) */
#define RELAY_HTTPS_ONLY  0x8u  /* refuse http:// (libcurl protocol restriction) */

enum relay_status {
	RELAY_PENDING = 0,  /* still running */
	RELAY_OK,           /* PUT: 2xx. GET: 200 with a body that verified (result.packet) */
	RELAY_NOT_FOUND,    /* 404 */
	RELAY_CONFLICT,     /* 409, 412, 428: something newer is published; re-resolve, retry newer */
	RELAY_PERMANENT,    /* 400, 413: the relay refuses this request as such */
	RELAY_RETRY,        /* 429, 503: try later (retry_after_s when the relay said) */
	RELAY_INVALID,      /* the relay answered garbage: body too large, bad signature, bad DNS */
	RELAY_ERROR,        /* transport error, timeout, cancelled, or any other status */
};

struct relay_result {
	const char *relay;             /* the base URL as given (owned by the batch) */
	enum relay_status status;
	int err;                       /* 0 on RELAY_OK; else a CCL_ERR_* (TIMEOUT, NET, SIG_INVALID,
	                                  TOO_LARGE, FORMAT, ABORTED, CONFLICT, NOT_FOUND, ...) */
	long http_code;                /* last HTTP status, 0 if none arrived */
	unsigned long stored_nodes;    /* PUT 2xx: Pkarr-Dht-Stored-Nodes, 1 when absent or garbled */
	long retry_after_s;            /* Retry-After of a 429/503, else 0 */
	int has_packet;                /* GET RELAY_OK: packet holds a verified SignedPacket */
	struct pkarr_packet packet;
	uint64_t elapsed_ms;           /* from relay_batch_new() to completion */
	char detail[128];              /* human text: curl's error or "HTTP 400: <sanitised body>" */
};

struct relay_batch;  /* opaque */

/*
 * 0 when base is usable as a relay URL: http:// or https:// (case-insensitive),
 * a host, at most RELAY_MAX_URL bytes, no whitespace or control characters,
 * no '?' or '#'. CCL_ERR_INVALID_ARG otherwise.
 */
CCL_MUST_CHECK int relay_url_check(const char *base);

/*
 * 1 when base passes relay_url_check() and is https://, or plain http:// to
 * a loopback address written literally (127.0.0.0/8 as a dotted quad, or
 * [::1]) with at most a port after it; 0 otherwise (http to any other host,
 * a host name such as localhost, or a user@ part). Plain http would show
 * the network which keys are looked up and published.
 */
int relay_url_secure(const char *base);

/*
 * Prepare op on each of the n (<= RELAY_MAX_RELAYS, 0 allowed: the batch is
 * done at once) relay base URLs for key pk. For RELAY_PUT, payload/len is
 * the relay body (sig|ts|dns; see pkarr_encode_relay) and must verify for pk
 * (CCL_ERR_INVALID_ARG otherwise); it is copied. For RELAY_GET pass NULL, 0.
 * timeout_ms bounds each request (0: RELAY_DEFAULT_TIMEOUT_MS). The URL
 * strings are copied; a URL that is not relay_url_secure() is refused with
 * CCL_ERR_PERMISSION. Transfers start at the first relay_batch_perform().
 * Errors: CCL_ERR_INVALID_ARG (bad op, URL, count, payload), _NOMEM, _NET
 * (libcurl setup). Free with relay_batch_free().
 */
CCL_MUST_CHECK int relay_batch_new(struct relay_batch **out, const char *const *urls, size_t n,
    unsigned op, const uint8_t pk[static 32], const uint8_t *payload, size_t len,
    long timeout_ms);

/*
 * One non-blocking step: let libcurl move every transfer on, then collect
 * the finished ones (see relay_batch_next). 0, or CCL_ERR_NET if the multi
 * handle itself failed.
 */
CCL_MUST_CHECK int relay_batch_perform(struct relay_batch *b);

/*
 * Wait up to timeout_ms for activity on the relays' sockets or on the caller's
 * fds (nfds <= RELAY_MAX_EXTRA_FDS; fds may be NULL when nfds is 0). Only
 * fd/events of fds are read; revents are written (POLLIN/POLLPRI/POLLOUT).
 * libcurl shortens the wait to its own timers. Works when the batch is done
 * (then it waits on the caller's fds only). *nready (may be NULL) gets the
 * number of caller fds with revents. 0, or CCL_ERR_INVALID_ARG / _NET.
 */
CCL_MUST_CHECK int relay_batch_poll(struct relay_batch *b, struct pollfd *fds, size_t nfds,
    int timeout_ms, int *nready);

/* 1 when every relay has a final result. */
int relay_batch_done(const struct relay_batch *b);

/* Results: one per URL, in the order given; borrowed, valid until relay_batch_free(). */
size_t relay_batch_count(const struct relay_batch *b);
const struct relay_result *relay_batch_result(const struct relay_batch *b, size_t i);

/*
 * Completion order: returns 1 and stores in *idx the index of a relay that
 * finished since the last call, 0 when there is none. Each index is returned
 * once. Lets a resolver act on the first verified packet at once.
 */
int relay_batch_next(struct relay_batch *b, size_t *idx);

/* Stop every unfinished transfer: RELAY_ERROR with err CCL_ERR_ABORTED. */
void relay_batch_cancel(struct relay_batch *b);

/*
 * Blocking: perform/poll until every relay finished or timeout_ms passed
 * (<= 0: only the per-request timeouts apply); what is still running then
 * ends as RELAY_ERROR / CCL_ERR_TIMEOUT. 0, or CCL_ERR_NET.
 */
CCL_MUST_CHECK int relay_batch_run(struct relay_batch *b, long timeout_ms);

/* Release everything (aborting running transfers); NULL is a no-op. */
void relay_batch_free(struct relay_batch *b);

/* Short static name of a status ("ok", "not found", "conflict", ...). */
const char *relay_status_str(enum relay_status s);

#endif
