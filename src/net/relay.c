/* SPDX-License-Identifier: MIT */
/*
 * relay.c — PKARR relay client on the libcurl multi interface. See relay.h
 * for the contract and the trust boundary.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <curl/curl.h>

#include "buf.h"
#include "relay.h"
#include "version.h"
#include "z32.h"

#define POLICY_FRESH  "?policy=NetworkOnly"
#define HDR_NOCACHE   "Cache-Control: no-cache, no-store, must-revalidate"
#define HDR_STORED    "Pkarr-Dht-Stored-Nodes"
#define MIN_RETRY_MS  200  /* do not start a cache-bypass retry with less time left */

struct relay_xfer {
	struct relay_batch *b;
	size_t idx;
	CURL *easy;
	struct curl_slist *hdrs;
	char *base;
	char *url;
	int fresh;                     /* this attempt bypasses caches (Cache-Control) */
	int policy;                    /* this attempt asks ?policy=NetworkOnly */
	int retried;                   /* the cache-bypass retry was made */
	int unpolicied;                /* the retry without ?policy was made */
	struct buf_wr body;            /* fixed, over mem */
	int overflow;
	uint8_t mem[RELAY_MAX_BODY];
	char errbuf[CURL_ERROR_SIZE];
	struct relay_result res;
};

struct relay_batch {
	CURLM *multi;
	struct relay_xfer *x;
	size_t n;
	unsigned op;
	uint8_t pk[32];
	char z32[Z32_KEY_LEN + 1];
	uint8_t *payload;
	size_t payload_len;
	long timeout_ms;
	uint64_t start_ms;
	size_t *q;                     /* finished indices, in order */
	size_t q_len, q_next;
	int curl_inited;
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const char *
relay_status_str(enum relay_status s)
{
	switch (s) {
	case RELAY_PENDING: return "pending";
	case RELAY_OK: return "ok";
	case RELAY_NOT_FOUND: return "not found";
	case RELAY_CONFLICT: return "conflict";
	case RELAY_PERMANENT: return "refused";
	case RELAY_RETRY: return "busy";
	case RELAY_INVALID: return "invalid response";
	case RELAY_ERROR: return "error";
	}
	return "?";
}

int
relay_url_check(const char *base)
{
	size_t n, i, pre;

	if (base == NULL)
		return CCL_ERR_INVALID_ARG;
	n = strlen(base);
	if (strncasecmp(base, "https://", 8) == 0)
		pre = 8;
	else if (strncasecmp(base, "http://", 7) == 0)
		pre = 7;
	else
		return CCL_ERR_INVALID_ARG;
	if (n > RELAY_MAX_URL || n == pre || base[pre] == '/')
		return CCL_ERR_INVALID_ARG;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)base[i];

		if (c <= 0x20 || c >= 0x7f || c == '?' || c == '#')
			return CCL_ERR_INVALID_ARG;
	}
	return 0;
}

/* 1 when host[0..n) is a literal loopback address: 127.0.0.0/8 or [::1]. */
static int
host_is_loopback(const char *host, size_t n)
{
	char t[64];
	struct in_addr a4;
	struct in6_addr a6;

	if (n == 0 || n >= sizeof(t))
		return 0;
	if (host[0] == '[') {
		if (n < 3 || host[n - 1] != ']')
			return 0;
		memcpy(t, host + 1, n - 2);
		t[n - 2] = '\0';
		return inet_pton(AF_INET6, t, &a6) == 1 &&
		    memcmp(&a6, &in6addr_loopback, sizeof(a6)) == 0;
	}
	memcpy(t, host, n);
	t[n] = '\0';
	/* inet_pton takes only the four-part dotted quad: no "127.1", no hex. */
	return inet_pton(AF_INET, t, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

int
relay_url_secure(const char *base)
{
	const char *auth, *end, *host_end, *p;

	if (relay_url_check(base) != 0)
		return 0;
	if (strncasecmp(base, "https://", 8) == 0)
		return 1;
	/* http://: only to a loopback address named literally (no user@, no name). */
	auth = base + 7;
	end = auth + strcspn(auth, "/");
	if (memchr(auth, '@', (size_t)(end - auth)) != NULL)
		return 0;
	if (auth[0] == '[') {
		if ((host_end = memchr(auth, ']', (size_t)(end - auth))) == NULL)
			return 0;
		host_end++;
	} else if ((host_end = memchr(auth, ':', (size_t)(end - auth))) == NULL)
		host_end = end;
	if (host_end < end) {
		/* Only a port may follow the host. */
		if (*host_end != ':' || host_end + 1 == end)
			return 0;
		for (p = host_end + 1; p < end; p++)
			if (*p < '0' || *p > '9')
				return 0;
	}
	return host_is_loopback(auth, (size_t)(host_end - auth));
}

/* Write callback: bounded copy; returning short makes libcurl abort the transfer. */
static size_t
on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct relay_xfer *x = arg;
	size_t n = size * nmemb;

	if (buf_put(&x->body, p, n) != 0) {
		x->overflow = 1;
		return 0;
	}
	return n;
}

/* detail text, truncated to fit (truncation is fine for a diagnostic). */
static void __attribute__((format(printf, 2, 3)))
set_detail(struct relay_xfer *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(x->res.detail, sizeof(x->res.detail), fmt, ap) < 0)
		x->res.detail[0] = '\0';
	va_end(ap);
}

/* Printable-ASCII summary of the start of an error body into x->res.detail. */
static void
set_detail_http(struct relay_xfer *x, long code)
{
	const uint8_t *b = buf_wr_data(&x->body);
	size_t bl = buf_wr_len(&x->body), i, o;

	set_detail(x, "HTTP %ld", code);
	if (bl == 0)
		return;
	o = strlen(x->res.detail);
	if (o + 3 >= sizeof(x->res.detail))
		return;
	x->res.detail[o++] = ':';
	x->res.detail[o++] = ' ';
	for (i = 0; i < bl && o + 1 < sizeof(x->res.detail); i++) {
		if (b[i] == '\n' || b[i] == '\r')
			break;
		x->res.detail[o++] = (b[i] >= 0x20 && b[i] < 0x7f) ? (char)b[i] : '?';
	}
	x->res.detail[o] = '\0';
}

static void
finish(struct relay_xfer *x, enum relay_status st, int err)
{
	struct relay_batch *b = x->b;

	x->res.status = st;
	x->res.err = err;
	x->res.elapsed_ms = now_ms() - b->start_ms;
	if (b->q_len < b->n)
		b->q[b->q_len++] = x->idx;
}

static void
drop_easy(struct relay_xfer *x)
{
	if (x->easy != NULL) {
		curl_multi_remove_handle(x->b->multi, x->easy);
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
	}
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	free(x->url);
	x->url = NULL;
}

static int
add_header(struct relay_xfer *x, const char *h)
{
	struct curl_slist *n = curl_slist_append(x->hdrs, h);

	if (n == NULL)
		return CCL_ERR_NOMEM;
	x->hdrs = n;
	return 0;
}

#define SETOPT(opt, val) do { \
	if (curl_easy_setopt(x->easy, opt, val) != CURLE_OK) { r = CCL_ERR_NET; goto out; } \
} while (0)

/* Create the easy handle for one attempt and hand it to the multi handle. */
static int
start_xfer(struct relay_xfer *x, long timeout_ms)
{
	struct relay_batch *b = x->b;
	struct buf_wr u;
	uint8_t *url = NULL;
	size_t ul, bl = strlen(x->base);
	const char *protos = (b->op & RELAY_HTTPS_ONLY) ? "https" : "http,https";
	long conn = timeout_ms < RELAY_CONNECT_TIMEOUT_MS ? timeout_ms : RELAY_CONNECT_TIMEOUT_MS;
	int r;

	buf_wr_init(&u, RELAY_MAX_URL + 128);
	buf_wr_init_fixed(&x->body, x->mem, sizeof(x->mem));
	x->overflow = 0;
	x->errbuf[0] = '\0';
	/* <base>/<z32>: one trailing slash of the base is dropped. */
	if (bl > 0 && x->base[bl - 1] == '/')
		bl--;
	if ((r = buf_put(&u, x->base, bl)) != 0 ||
	    (r = buf_put_u8(&u, '/')) != 0 ||
	    (r = buf_put_cstr(&u, b->z32)) != 0 ||
	    (x->policy && (r = buf_put_cstr(&u, POLICY_FRESH)) != 0) ||
	    (r = buf_wr_detach(&u, &url, &ul)) != 0)
		goto out;
	x->url = (char *)url;
	url = NULL;
	if ((x->easy = curl_easy_init()) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	SETOPT(CURLOPT_URL, x->url);
	SETOPT(CURLOPT_PROTOCOLS_STR, protos);
	SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, protos);
	SETOPT(CURLOPT_FOLLOWLOCATION, 0L);
	SETOPT(CURLOPT_NOSIGNAL, 1L);
	SETOPT(CURLOPT_TIMEOUT_MS, timeout_ms);
	SETOPT(CURLOPT_CONNECTTIMEOUT_MS, conn);
	SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)RELAY_MAX_BODY);
	SETOPT(CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(CURLOPT_WRITEDATA, x);
	SETOPT(CURLOPT_ERRORBUFFER, x->errbuf);
	SETOPT(CURLOPT_USERAGENT, "cclink/" CCLINK_VERSION);
	SETOPT(CURLOPT_PRIVATE, x);
	if (b->op & RELAY_PUT) {
		if ((r = add_header(x, "Expect:")) != 0 ||
		    (r = add_header(x, "Content-Type: application/octet-stream")) != 0)
			goto out;
		SETOPT(CURLOPT_CUSTOMREQUEST, "PUT");
		SETOPT(CURLOPT_POSTFIELDS, b->payload);
		SETOPT(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)b->payload_len);
	} else {
		SETOPT(CURLOPT_HTTPGET, 1L);
		if (x->fresh && (r = add_header(x, HDR_NOCACHE)) != 0)
			goto out;
	}
	if (x->hdrs != NULL)
		SETOPT(CURLOPT_HTTPHEADER, x->hdrs);
	if (curl_multi_add_handle(b->multi, x->easy) != CURLM_OK) {
		r = CCL_ERR_NET;
		goto out;
	}
	r = 0;
 out:
	free(url);
	buf_wr_free(&u);
	if (r != 0)
		drop_easy(x);
	return r;
}

#undef SETOPT

/* Strict decimal header value; anything else counts as absent. */
static unsigned long
stored_nodes(CURL *easy)
{
	struct curl_header *h = NULL;
	unsigned long v = 0;
	const char *s;
	size_t i;

	if (curl_easy_header(easy, HDR_STORED, 0, CURLH_HEADER, -1, &h) != CURLHE_OK ||
	    h == NULL || h->value == NULL)
		return 1;
	s = h->value;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 9)
			return 1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return i == 0 ? 1 : v;
}

/* Map a status code that is not a success to a result class. */
static enum relay_status
classify(long code, int *err)
{
	switch (code) {
	case 404:
		*err = CCL_ERR_NOT_FOUND;
		return RELAY_NOT_FOUND;
	case 409:
	case 412:
	case 428:
		*err = CCL_ERR_CONFLICT;
		return RELAY_CONFLICT;
	case 400:
	case 413:
		*err = CCL_ERR_UNSUPPORTED;
		return RELAY_PERMANENT;
	case 429:
	case 503:
		*err = CCL_ERR_NET;
		return RELAY_RETRY;
	default:
		*err = CCL_ERR_NET;
		return RELAY_ERROR;
	}
}

/* Start the one cache-bypass retry pkarr's client makes; 0 when it was started. */
static int
retry_fresh(struct relay_xfer *x)
{
	struct relay_batch *b = x->b;
	uint64_t used = now_ms() - b->start_ms;

	if (x->retried || x->fresh || (b->op & RELAY_GET) == 0 ||
	    used + MIN_RETRY_MS > (uint64_t)b->timeout_ms)
		return -1;
	drop_easy(x);
	x->retried = 1;
	x->fresh = 1;
	x->policy = 1;
	return start_xfer(x, b->timeout_ms - (long)used) == 0 ? 0 : -1;
}

/*
 * pkarr@1.3.0's relay reads the query string as part of the key and answers
 * 400: ask once more without ?policy (the Cache-Control header stays).
 */
static int
retry_unpolicied(struct relay_xfer *x)
{
	struct relay_batch *b = x->b;
	uint64_t used = now_ms() - b->start_ms;

	if (!x->policy || x->unpolicied || used + MIN_RETRY_MS > (uint64_t)b->timeout_ms)
		return -1;
	drop_easy(x);
	x->unpolicied = 1;
	x->policy = 0;
	return start_xfer(x, b->timeout_ms - (long)used) == 0 ? 0 : -1;
}

static void
on_done(struct relay_xfer *x, CURLcode cc)
{
	struct relay_batch *b = x->b;
	const char *msg;
	curl_off_t ra = 0;
	long code = 0;
	int r, err = 0;
	enum relay_status st;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
	x->res.http_code = code;
	if (x->overflow || cc == CURLE_FILESIZE_EXCEEDED) {
		set_detail(x, "response over %u bytes",
		    (unsigned)RELAY_MAX_BODY);
		drop_easy(x);
		finish(x, RELAY_INVALID, CCL_ERR_TOO_LARGE);
		return;
	}
	if (cc != CURLE_OK) {
		msg = x->errbuf[0] != '\0' ? x->errbuf : curl_easy_strerror(cc);
		set_detail(x, "%s", msg);
		drop_easy(x);
		finish(x, RELAY_ERROR, cc == CURLE_OPERATION_TIMEDOUT ? CCL_ERR_TIMEOUT : CCL_ERR_NET);
		return;
	}
	if (code >= 200 && code < 300 && (b->op & RELAY_PUT)) {
		x->res.stored_nodes = stored_nodes(x->easy);
		set_detail(x, "HTTP %ld", code);
		drop_easy(x);
		finish(x, RELAY_OK, 0);
		return;
	}
	if (code >= 200 && code < 300 && buf_wr_len(&x->body) > 0) {
		r = pkarr_parse_relay(&x->res.packet, b->pk, buf_wr_data(&x->body),
		    buf_wr_len(&x->body));
		drop_easy(x);
		if (r != 0) {
			set_detail(x, "HTTP %ld: body rejected: %s",
			    code, ccl_strerror(r));
			finish(x, RELAY_INVALID, r);
			return;
		}
		x->res.has_packet = 1;
		set_detail(x, "HTTP %ld", code);
		finish(x, RELAY_OK, 0);
		return;
	}
	/* A GET answered 2xx without a body, or 304 without If-Modified-Since: retry fresh once. */
	if ((code >= 200 && code < 300) || code == 304) {
		if (retry_fresh(x) == 0)
			return;
		set_detail(x, "HTTP %ld without a packet", code);
		drop_easy(x);
		finish(x, RELAY_ERROR, CCL_ERR_FORMAT);
		return;
	}
	if (code == 400 && retry_unpolicied(x) == 0)
		return;
	st = classify(code, &err);
	if (st == RELAY_RETRY &&
	    curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
		x->res.retry_after_s = ra > 86400 ? 86400 : (long)ra;
	set_detail_http(x, code);
	drop_easy(x);
	finish(x, st, err);
}

int
relay_batch_new(struct relay_batch **out, const char *const *urls, size_t n, unsigned op,
    const uint8_t pk[static 32], const uint8_t *payload, size_t len, long timeout_ms)
{
	struct relay_batch *b = NULL;
	struct pkarr_packet chk;
	size_t i;
	int r;

	*out = NULL;
	if (n > RELAY_MAX_RELAYS || (n > 0 && urls == NULL) || timeout_ms < 0 ||
	    ((op & (RELAY_GET | RELAY_PUT)) != RELAY_GET && (op & (RELAY_GET | RELAY_PUT)) != RELAY_PUT) ||
	    (op & ~(RELAY_GET | RELAY_PUT | RELAY_FRESH | RELAY_HTTPS_ONLY)) != 0)
		return CCL_ERR_INVALID_ARG;
	for (i = 0; i < n; i++) {
		if ((r = relay_url_check(urls[i])) != 0)
			return r;
		if ((op & RELAY_HTTPS_ONLY) && strncasecmp(urls[i], "https://", 8) != 0)
			return CCL_ERR_INVALID_ARG;
		/* Plain http leaks which keys are looked up: loopback only. */
		if (!relay_url_secure(urls[i]))
			return CCL_ERR_PERMISSION;
	}
	if (op & RELAY_PUT) {
		/* Never send a body that would not verify: catches our own mistakes early. */
		if (payload == NULL || pkarr_parse_relay(&chk, pk, payload, len) != 0)
			return CCL_ERR_INVALID_ARG;
	} else if (payload != NULL || len != 0)
		return CCL_ERR_INVALID_ARG;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return CCL_ERR_NOMEM;
	b->op = op;
	b->n = n;
	b->timeout_ms = timeout_ms == 0 ? RELAY_DEFAULT_TIMEOUT_MS : timeout_ms;
	b->start_ms = now_ms();
	memcpy(b->pk, pk, 32);
	z32_encode(b->z32, pk, 32);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		r = CCL_ERR_NET;
		goto out;
	}
	b->curl_inited = 1;
	if ((b->multi = curl_multi_init()) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	if (n > 0 && ((b->x = calloc(n, sizeof(*b->x))) == NULL ||
	    (b->q = calloc(n, sizeof(*b->q))) == NULL)) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	if (op & RELAY_PUT) {
		if ((b->payload = malloc(len)) == NULL) {
			r = CCL_ERR_NOMEM;
			goto out;
		}
		memcpy(b->payload, payload, len);
		b->payload_len = len;
	}
	for (i = 0; i < n; i++) {
		b->x[i].b = b;
		b->x[i].idx = i;
		b->x[i].fresh = (op & RELAY_FRESH) != 0;
		b->x[i].policy = b->x[i].fresh;
		if ((b->x[i].base = strdup(urls[i])) == NULL) {
			r = CCL_ERR_NOMEM;
			goto out;
		}
		b->x[i].res.relay = b->x[i].base;
	}
	for (i = 0; i < n; i++)
		if ((r = start_xfer(&b->x[i], b->timeout_ms)) != 0)
			goto out;
	*out = b;
	b = NULL;
	r = 0;
 out:
	relay_batch_free(b);
	return r;
}

int
relay_batch_perform(struct relay_batch *b)
{
	struct relay_xfer *x;
	CURLMsg *m;
	char *priv;
	int running = 0, left = 0;

	if (b->n == 0)
		return 0;
	if (curl_multi_perform(b->multi, &running) != CURLM_OK)
		return CCL_ERR_NET;
	while ((m = curl_multi_info_read(b->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		priv = NULL;
		if (curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv) != CURLE_OK ||
		    priv == NULL)
			continue;
		x = (struct relay_xfer *)(void *)priv;
		if (x->easy != m->easy_handle)
			continue;
		/* m points into curl's memory: read the result before touching handles. */
		on_done(x, m->data.result);
	}
	return 0;
}

int
relay_batch_poll(struct relay_batch *b, struct pollfd *fds, size_t nfds, int timeout_ms,
    int *nready)
{
	struct curl_waitfd w[RELAY_MAX_EXTRA_FDS];
	size_t i;
	int numfds = 0, ready = 0;

	if (nready != NULL)
		*nready = 0;
	if (nfds > RELAY_MAX_EXTRA_FDS || (nfds > 0 && fds == NULL) || timeout_ms < 0)
		return CCL_ERR_INVALID_ARG;
	for (i = 0; i < nfds; i++) {
		w[i].fd = fds[i].fd;
		w[i].events = (short)(((fds[i].events & POLLIN) ? CURL_WAIT_POLLIN : 0) |
		    ((fds[i].events & POLLPRI) ? CURL_WAIT_POLLPRI : 0) |
		    ((fds[i].events & POLLOUT) ? CURL_WAIT_POLLOUT : 0));
		w[i].revents = 0;
	}
	if (curl_multi_poll(b->multi, nfds > 0 ? w : NULL, (unsigned)nfds, timeout_ms,
	    &numfds) != CURLM_OK)
		return CCL_ERR_NET;
	for (i = 0; i < nfds; i++) {
		fds[i].revents = (short)(((w[i].revents & CURL_WAIT_POLLIN) ? POLLIN : 0) |
		    ((w[i].revents & CURL_WAIT_POLLPRI) ? POLLPRI : 0) |
		    ((w[i].revents & CURL_WAIT_POLLOUT) ? POLLOUT : 0));
		if (fds[i].revents != 0)
			ready++;
	}
	if (nready != NULL)
		*nready = ready;
	return 0;
}

int
relay_batch_done(const struct relay_batch *b)
{
	return b->q_len == b->n;
}

size_t
relay_batch_count(const struct relay_batch *b)
{
	return b->n;
}

const struct relay_result *
relay_batch_result(const struct relay_batch *b, size_t i)
{
	if (i >= b->n)
		return NULL;
	return &b->x[i].res;
}

int
relay_batch_next(struct relay_batch *b, size_t *idx)
{
	if (b->q_next >= b->q_len)
		return 0;
	*idx = b->q[b->q_next++];
	return 1;
}

static void
cancel_with(struct relay_batch *b, int err, const char *why)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		struct relay_xfer *x = &b->x[i];

		if (x->res.status != RELAY_PENDING)
			continue;
		drop_easy(x);
		set_detail(x, "%s", why);
		finish(x, RELAY_ERROR, err);
	}
}

void
relay_batch_cancel(struct relay_batch *b)
{
	cancel_with(b, CCL_ERR_ABORTED, "cancelled");
}

int
relay_batch_run(struct relay_batch *b, long timeout_ms)
{
	uint64_t end = now_ms() + (timeout_ms > 0 ? (uint64_t)timeout_ms : 0), t;
	int r, wait;

	for (;;) {
		if ((r = relay_batch_perform(b)) != 0)
			return r;
		if (relay_batch_done(b))
			return 0;
		wait = 1000;
		if (timeout_ms > 0) {
			t = now_ms();
			if (t >= end) {
				cancel_with(b, CCL_ERR_TIMEOUT, "timed out");
				return 0;
			}
			if (end - t < (uint64_t)wait)
				wait = (int)(end - t);
		}
		if ((r = relay_batch_poll(b, NULL, 0, wait, NULL)) != 0)
			return r;
	}
}

void
relay_batch_free(struct relay_batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; b->x != NULL && i < b->n; i++) {
		drop_easy(&b->x[i]);
		free(b->x[i].base);
	}
	if (b->multi != NULL)
		curl_multi_cleanup(b->multi);
	free(b->x);
	free(b->q);
	free(b->payload);
	if (b->curl_inited)
		curl_global_cleanup();
	free(b);
}
