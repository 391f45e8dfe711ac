/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for relay.c against a tiny HTTP server on 127.0.0.1 (ephemeral
 * port, one thread per connection) that answers canned responses chosen by
 * the first path segment: /<route>/<z32>.
 */
#include "testutil.h"
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "pkarr.h"
#include "relay.h"
#include "signer.h"
#include "z32.h"

/* ---- the canned server -------------------------------------------------- */

#define MAX_LOG 64

struct req {
	char method[8];
	char path[256];
	char route[32];
	int has_expect;
	int nocache;
	size_t body_len;
	uint8_t body[1200];
};

static int srv_fd = -1;
static int srv_port;
static pthread_t srv_thread;
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static struct req req_log[MAX_LOG];
static size_t n_log;
static uint8_t good_body[1200], small_body[300], other_body[300];
static size_t good_len, small_len, other_len;

static void
send_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	ssize_t w;

	while (n > 0) {
		w = send(fd, b, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		b += w;
		n -= (size_t)w;
	}
}

static void
respond(int fd, int code, const char *extra, const void *body, size_t n, int with_len)
{
	char h[512];
	int l;

	l = snprintf(h, sizeof(h), "HTTP/1.1 %d X\r\nConnection: close\r\n%s", code, extra);
	if (with_len)
		l += snprintf(h + l, sizeof(h) - (size_t)l, "Content-Length: %zu\r\n", n);
	l += snprintf(h + l, sizeof(h) - (size_t)l, "\r\n");
	send_all(fd, h, (size_t)l);
	if (n > 0)
		send_all(fd, body, n);
}

/* Case-insensitive search for needle in hay. */
static const char *
ci_find(const char *hay, const char *needle)
{
	size_t nl = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, nl) == 0)
			return hay;
	return NULL;
}

static int
header_has(const char *hdrs, const char *name)
{
	const char *p = hdrs;
	size_t nl = strlen(name);

	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, nl) == 0)
			return 1;
	}
	return 0;
}

static void *
conn_main(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char buf[4096], *end;
	const char *cl;
	size_t got = 0, hl, hl2, blen = 0;
	struct req rq;
	ssize_t n;
	uint8_t big[2000];

	memset(&rq, 0, sizeof(rq));
	for (;;) {
		n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);
		if (n <= 0)
			goto done;
		got += (size_t)n;
		buf[got] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL)
			break;
		if (got == sizeof(buf) - 1)
			goto done;
	}
	hl = (size_t)(end - buf) + 4;
	sscanf(buf, "%7s %255s", rq.method, rq.path);
	for (hl2 = 0; hl2 + 1 < sizeof(rq.route) && rq.path[hl2 + 1] != '\0' &&
	    rq.path[hl2 + 1] != '/'; hl2++)
		rq.route[hl2] = rq.path[hl2 + 1];
	*end = '\0';
	rq.has_expect = header_has(buf, "Expect:");
	rq.nocache = header_has(buf, "Cache-Control: no-cache");
	if ((cl = ci_find(buf, "\r\nContent-Length:")) != NULL)
		blen = strtoul(cl + 17, NULL, 10);
	if (blen > sizeof(rq.body))
		blen = sizeof(rq.body);
	/* Body: what came with the headers, then the rest. */
	rq.body_len = got - hl < blen ? got - hl : blen;
	memcpy(rq.body, buf + hl, rq.body_len);
	while (rq.body_len < blen) {
		n = recv(fd, rq.body + rq.body_len, blen - rq.body_len, 0);
		if (n <= 0)
			break;
		rq.body_len += (size_t)n;
	}
	pthread_mutex_lock(&log_mu);
	if (n_log < MAX_LOG)
		req_log[n_log++] = rq;
	pthread_mutex_unlock(&log_mu);

	if (strcmp(rq.route, "ok") == 0) {
		if (strcmp(rq.method, "PUT") == 0)
			respond(fd, 204, "Pkarr-Dht-Stored-Nodes: 7\r\n", NULL, 0, 0);
		else
			respond(fd, 200, "Content-Type: application/pkarr.org/relays#payload\r\n",
			    good_body, good_len, 1);
	} else if (strcmp(rq.route, "ok200") == 0) {
		if (strcmp(rq.method, "PUT") == 0)
			respond(fd, 200, "", NULL, 0, 1);
		else
			respond(fd, 200, "", small_body, small_len, 1);
	} else if (strcmp(rq.route, "garbled") == 0) {
		respond(fd, 204, "Pkarr-Dht-Stored-Nodes: 12x\r\n", NULL, 0, 0);
	} else if (strcmp(rq.route, "nochunk") == 0) {
		/* 200 body without Content-Length, delimited by the close. */
		respond(fd, 200, "", good_body, good_len, 0);
	} else if (rq.route[0] == 's' && strlen(rq.route) == 4) {
		int code = atoi(rq.route + 1);

		if (code == 429 || code == 503)
			respond(fd, code, "Retry-After: 3\r\n", "slow down", 9, 1);
		else if (code == 400)
			respond(fd, code, "", "invalid signature\x01\nsecond line", 30, 1);
		else
			respond(fd, code, "", NULL, 0, 1);
	} else if (strcmp(rq.route, "big") == 0) {
		memset(big, 'A', sizeof(big));
		respond(fd, 200, "", big, sizeof(big), 0);  /* no length: the client must cut it off */
	} else if (strcmp(rq.route, "biglen") == 0) {
		memset(big, 'A', sizeof(big));
		respond(fd, 200, "", big, sizeof(big), 1);
	} else if (strcmp(rq.route, "badsig") == 0) {
		memcpy(big, good_body, good_len);
		big[10] ^= 0x01;
		respond(fd, 200, "", big, good_len, 1);
	} else if (strcmp(rq.route, "wrongkey") == 0) {
		respond(fd, 200, "", other_body, other_len, 1);
	} else if (strcmp(rq.route, "short") == 0) {
		respond(fd, 200, "", good_body, 50, 1);
	} else if (strcmp(rq.route, "empty") == 0) {
		if (strstr(rq.path, "policy=NetworkOnly") != NULL && rq.nocache)
			respond(fd, 200, "", good_body, good_len, 1);
		else
			respond(fd, 200, "", NULL, 0, 1);
	} else if (strcmp(rq.route, "jsrelay") == 0) {
		/* pkarr@1.3.0: the query string is read as part of the key. */
		if (strchr(rq.path, '?') != NULL)
			respond(fd, 400, "", "Invalid key", 11, 1);
		else
			respond(fd, 200, "", good_body, good_len, 1);
	} else if (strcmp(rq.route, "empty2") == 0) {
		respond(fd, 200, "", NULL, 0, 1);
	} else if (strcmp(rq.route, "redirect") == 0) {
		char loc[128];

		snprintf(loc, sizeof(loc), "Location: http://127.0.0.1:%d/ok/x\r\n", srv_port);
		respond(fd, 302, loc, NULL, 0, 1);
	} else if (strcmp(rq.route, "garbage") == 0) {
		send_all(fd, "hello there\r\n\r\n", 15);
	} else if (strcmp(rq.route, "hang") == 0) {
		struct pollfd p = { fd, POLLIN, 0 };

		/* Never answer; leave when the client gives up (or after 10 s). */
		while (poll(&p, 1, 10000) == 1 && recv(fd, buf, sizeof(buf), 0) > 0)
			;
	}
	/* "closed" and unknown routes: just close. */
 done:
	close(fd);
	return NULL;
}

static void *
accept_main(void *arg)
{
	pthread_t t;
	int c;

	(void)arg;
	for (;;) {
		c = accept(srv_fd, NULL, NULL);
		if (c < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		if (pthread_create(&t, NULL, conn_main, (void *)(intptr_t)c) != 0) {
			close(c);
			continue;
		}
		pthread_detach(t);
	}
}

static int
srv_start(void **state)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	size_t n;
	uint8_t *p;

	(void)state;
	p = th_read_file("tests/vectors/cclink600.relay_payload.bin", &n);
	memcpy(good_body, p, n);
	good_len = n;
	free(p);
	p = th_read_file("tests/vectors/small3.signed_packet.bin", &n);
	memcpy(small_body, p + 32, n - 32);
	small_len = n - 32;
	free(p);
	/* A valid packet for another key (seed 00 from pkarr_valid.json). */
	p = th_unhex("c45d1577e6c0d7fe24d1cd6696776a25628b438ffa10b1419dfdede3c51f8577d8447d44df"
	    "4523fa43f574d6f13a65433fa828eb280065c271fcdcaef5365c010006076d852b5458000080000000000"
	    "200000000343870696e787867717334316e346169646964656e773561707170317572666d7a647a747238"
	    "6a74346162726b646e34333565776f00000100010000000000040101010103666f6f343870696e787867"
	    "717334316e346169646964656e773561707170317572666d7a647a7472386a74346162726b646e343335"
	    "65776f00001000010000001e000403626172", &n);
	memcpy(other_body, p, n);
	other_len = n;
	free(p);

	srv_fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(srv_fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = 0;
	assert_int_equal(bind(srv_fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(srv_fd, 64), 0);
	assert_int_equal(getsockname(srv_fd, (struct sockaddr *)&a, &al), 0);
	srv_port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&srv_thread, NULL, accept_main, NULL), 0);
	return 0;
}

static int
srv_stop(void **state)
{
	(void)state;
	shutdown(srv_fd, SHUT_RDWR);
	close(srv_fd);
	pthread_join(srv_thread, NULL);
	return 0;
}

static void
log_reset(void)
{
	pthread_mutex_lock(&log_mu);
	n_log = 0;
	pthread_mutex_unlock(&log_mu);
}

/* Copy of the log entries for a route, in arrival order; returns the count. */
static size_t
log_find(const char *route, struct req *out, size_t max)
{
	size_t i, k = 0;

	pthread_mutex_lock(&log_mu);
	for (i = 0; i < n_log; i++)
		if (strcmp(req_log[i].route, route) == 0 && k < max)
			out[k++] = req_log[i];
	pthread_mutex_unlock(&log_mu);
	return k;
}

/* ---- helpers ------------------------------------------------------------ */

static char urlbuf[RELAY_MAX_RELAYS][128];

static const char **
mkurls(const char *const *routes, size_t n, const char **u)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(routes[i], "refused") == 0)
			snprintf(urlbuf[i], sizeof(urlbuf[i]), "http://127.0.0.1:1");
		else
			snprintf(urlbuf[i], sizeof(urlbuf[i]), "http://127.0.0.1:%d/%s%s", srv_port,
			    routes[i], i % 2 ? "/" : "");  /* with and without a trailing slash */
		u[i] = urlbuf[i];
	}
	return u;
}

static void
key2a(uint8_t pk[32])
{
	struct signer s;
	uint8_t seed[32];

	memset(seed, 0x2a, sizeof(seed));
	assert_int_equal(signer_from_seed(&s, seed), 0);
	memcpy(pk, s.pk, 32);
	signer_cleanup(&s);
}

static uint64_t
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static const struct relay_result *
res(struct relay_batch *b, size_t i)
{
	const struct relay_result *r = relay_batch_result(b, i);

	assert_non_null(r);
	return r;
}

/* ---- tests -------------------------------------------------------------- */

static void
test_put(void **state)
{
	const char *routes[] = { "ok", "ok200", "s404", "s409", "s412", "s428", "s429", "s503",
		"s400", "s413", "s500", "garbled", "refused" };
	size_t n = sizeof(routes) / sizeof(routes[0]), i, idx, seen = 0;
	const char *u[RELAY_MAX_RELAYS];
	struct relay_batch *b = NULL;
	struct req rq[4];
	uint8_t pk[32];
	char z[Z32_KEY_LEN + 1], want[128];
	int mark[RELAY_MAX_RELAYS] = { 0 };

	(void)state;
	key2a(pk);
	z32_encode(z, pk, 32);
	log_reset();
	mkurls(routes, n, u);
	assert_int_equal(relay_batch_new(&b, u, n, RELAY_PUT, pk, good_body, good_len, 3000), 0);
	assert_int_equal(relay_batch_count(b), n);
	assert_false(relay_batch_done(b));
	assert_int_equal(res(b, 0)->status, RELAY_PENDING);
	assert_int_equal(relay_batch_run(b, 0), 0);
	assert_true(relay_batch_done(b));
	while (relay_batch_next(b, &idx)) {
		assert_true(idx < n);
		assert_int_equal(mark[idx], 0);
		mark[idx] = 1;
		seen++;
	}
	assert_int_equal(seen, n);
	assert_int_equal(res(b, 0)->status, RELAY_OK);
	assert_int_equal(res(b, 0)->http_code, 204);
	assert_int_equal(res(b, 0)->stored_nodes, 7);
	assert_int_equal(res(b, 0)->err, 0);
	assert_string_equal(res(b, 0)->relay, u[0]);
	assert_int_equal(res(b, 1)->status, RELAY_OK);
	assert_int_equal(res(b, 1)->http_code, 200);
	assert_int_equal(res(b, 1)->stored_nodes, 1);
	assert_int_equal(res(b, 2)->status, RELAY_NOT_FOUND);
	for (i = 3; i <= 5; i++) {
		assert_int_equal(res(b, i)->status, RELAY_CONFLICT);
		assert_int_equal(res(b, i)->err, CCL_ERR_CONFLICT);
	}
	assert_int_equal(res(b, 6)->status, RELAY_RETRY);
	assert_int_equal(res(b, 6)->retry_after_s, 3);
	assert_int_equal(res(b, 7)->status, RELAY_RETRY);
	assert_int_equal(res(b, 8)->status, RELAY_PERMANENT);
	assert_string_equal(res(b, 8)->detail, "HTTP 400: invalid signature?");
	assert_int_equal(res(b, 9)->status, RELAY_PERMANENT);
	assert_int_equal(res(b, 9)->http_code, 413);
	assert_int_equal(res(b, 10)->status, RELAY_ERROR);
	assert_int_equal(res(b, 10)->http_code, 500);
	assert_int_equal(res(b, 11)->status, RELAY_OK);
	assert_int_equal(res(b, 11)->stored_nodes, 1);  /* garbled header -> default */
	assert_int_equal(res(b, 12)->status, RELAY_ERROR);
	assert_int_equal(res(b, 12)->err, CCL_ERR_NET);
	assert_int_equal(res(b, 12)->http_code, 0);
	for (i = 0; i < n; i++)
		assert_false(res(b, i)->has_packet);
	assert_null(relay_batch_result(b, n));
	/* What the server saw: PUT /ok/<z32>, the exact binary body, no Expect. */
	assert_int_equal(log_find("ok", rq, 4), 1);
	assert_string_equal(rq[0].method, "PUT");
	snprintf(want, sizeof(want), "/ok/%s", z);
	assert_string_equal(rq[0].path, want);
	assert_int_equal(rq[0].has_expect, 0);
	assert_int_equal(rq[0].body_len, good_len);
	assert_memory_equal(rq[0].body, good_body, good_len);
	assert_int_equal(log_find("ok200", rq, 4), 1);
	snprintf(want, sizeof(want), "/ok200/%s", z);  /* the base's trailing slash is dropped */
	assert_string_equal(rq[0].path, want);
	relay_batch_free(b);
}

static void
test_get(void **state)
{
	const char *routes[] = { "ok", "ok200", "s404", "big", "biglen", "badsig", "wrongkey",
		"redirect", "garbage", "closed", "short", "empty2", "nochunk", "refused" };
	size_t n = sizeof(routes) / sizeof(routes[0]);
	const char *u[RELAY_MAX_RELAYS];
	struct relay_batch *b = NULL;
	struct pkarr_packet want;
	struct req rq[4];
	uint8_t pk[32];

	(void)state;
	key2a(pk);
	log_reset();
	mkurls(routes, n, u);
	assert_int_equal(pkarr_parse_relay(&want, pk, good_body, good_len), 0);
	assert_int_equal(relay_batch_new(&b, u, n, RELAY_GET, pk, NULL, 0, 3000), 0);
	assert_int_equal(relay_batch_run(b, 10000), 0);
	assert_true(relay_batch_done(b));
	assert_int_equal(res(b, 0)->status, RELAY_OK);
	assert_int_equal(res(b, 0)->has_packet, 1);
	assert_memory_equal(&res(b, 0)->packet, &want, sizeof(want));
	assert_int_equal(res(b, 1)->status, RELAY_OK);
	assert_int_equal(res(b, 1)->packet.dns_len, 124);
	assert_int_equal(res(b, 2)->status, RELAY_NOT_FOUND);
	assert_int_equal(res(b, 2)->err, CCL_ERR_NOT_FOUND);
	assert_int_equal(res(b, 3)->status, RELAY_INVALID);
	assert_int_equal(res(b, 3)->err, CCL_ERR_TOO_LARGE);
	assert_int_equal(res(b, 4)->status, RELAY_INVALID);
	assert_int_equal(res(b, 4)->err, CCL_ERR_TOO_LARGE);
	assert_int_equal(res(b, 5)->status, RELAY_INVALID);
	assert_int_equal(res(b, 5)->err, CCL_ERR_SIG_INVALID);
	assert_int_equal(res(b, 6)->status, RELAY_INVALID);
	assert_int_equal(res(b, 6)->err, CCL_ERR_SIG_INVALID);
	assert_int_equal(res(b, 7)->status, RELAY_ERROR);  /* redirects are not followed */
	assert_int_equal(res(b, 7)->http_code, 302);
	assert_int_equal(res(b, 8)->status, RELAY_ERROR);
	assert_int_equal(res(b, 9)->status, RELAY_ERROR);
	assert_int_equal(res(b, 9)->err, CCL_ERR_NET);
	assert_int_equal(res(b, 10)->status, RELAY_INVALID);
	assert_int_equal(res(b, 10)->err, CCL_ERR_TRUNCATED);
	assert_int_equal(res(b, 11)->status, RELAY_ERROR);  /* empty even after the fresh retry */
	assert_int_equal(res(b, 11)->err, CCL_ERR_FORMAT);
	assert_int_equal(res(b, 12)->status, RELAY_OK);
	assert_int_equal(res(b, 13)->status, RELAY_ERROR);
	for (size_t i = 2; i < n; i++)
		assert_int_equal(res(b, i)->has_packet, i == 12);
	/* A plain GET: no policy, no cache header. */
	assert_int_equal(log_find("ok", rq, 4), 1);
	assert_string_equal(rq[0].method, "GET");
	assert_null(strchr(rq[0].path, '?'));
	assert_int_equal(rq[0].nocache, 0);
	assert_int_equal(log_find("empty2", rq, 4), 2);
	assert_non_null(strstr(rq[1].path, "?policy=NetworkOnly"));
	relay_batch_free(b);
}

static void
test_get_fresh(void **state)
{
	const char *routes[] = { "ok" };
	const char *u[1];
	struct relay_batch *b = NULL;
	struct req rq[4];
	uint8_t pk[32];
	char z[Z32_KEY_LEN + 1], want[128];

	(void)state;
	key2a(pk);
	z32_encode(z, pk, 32);
	log_reset();
	mkurls(routes, 1, u);
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_GET | RELAY_FRESH, pk, NULL, 0, 0), 0);
	assert_int_equal(relay_batch_run(b, 0), 0);
	assert_int_equal(res(b, 0)->status, RELAY_OK);
	assert_int_equal(log_find("ok", rq, 4), 1);
	snprintf(want, sizeof(want), "/ok/%s?policy=NetworkOnly", z);
	assert_string_equal(rq[0].path, want);
	assert_int_equal(rq[0].nocache, 1);
	relay_batch_free(b);
}

/* A fresh GET to a relay that refuses ?policy: once more without it, still no-cache. */
static void
test_policy_fallback(void **state)
{
	const char *routes[] = { "jsrelay", "s400" };
	const char *u[2];
	struct relay_batch *b = NULL;
	struct req rq[4];
	uint8_t pk[32];

	(void)state;
	key2a(pk);
	log_reset();
	mkurls(routes, 2, u);
	assert_int_equal(relay_batch_new(&b, u, 2, RELAY_GET | RELAY_FRESH, pk, NULL, 0, 3000), 0);
	assert_int_equal(relay_batch_run(b, 0), 0);
	assert_int_equal(res(b, 0)->status, RELAY_OK);
	assert_int_equal(res(b, 0)->has_packet, 1);
	assert_int_equal(log_find("jsrelay", rq, 4), 2);
	assert_non_null(strchr(rq[0].path, '?'));
	assert_null(strchr(rq[1].path, '?'));
	assert_int_equal(rq[1].nocache, 1);
	/* A relay that answers 400 either way: permanent after the one retry. */
	assert_int_equal(res(b, 1)->status, RELAY_PERMANENT);
	assert_int_equal(log_find("s400", rq, 4), 2);
	relay_batch_free(b);
	/* A plain GET gets no such retry. */
	log_reset();
	assert_int_equal(relay_batch_new(&b, u + 1, 1, RELAY_GET, pk, NULL, 0, 3000), 0);
	assert_int_equal(relay_batch_run(b, 0), 0);
	assert_int_equal(res(b, 0)->status, RELAY_PERMANENT);
	assert_int_equal(log_find("s400", rq, 4), 1);
	relay_batch_free(b);
}

/* 200 with an empty body: one retry that bypasses caches, as pkarr's client does. */
static void
test_empty_retry(void **state)
{
	const char *routes[] = { "empty" };
	const char *u[1];
	struct relay_batch *b = NULL;
	struct req rq[4];
	uint8_t pk[32];

	(void)state;
	key2a(pk);
	log_reset();
	mkurls(routes, 1, u);
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_GET, pk, NULL, 0, 3000), 0);
	assert_int_equal(relay_batch_run(b, 0), 0);
	assert_int_equal(res(b, 0)->status, RELAY_OK);
	assert_int_equal(res(b, 0)->has_packet, 1);
	assert_int_equal(log_find("empty", rq, 4), 2);
	assert_int_equal(rq[0].nocache, 0);
	assert_int_equal(rq[1].nocache, 1);
	relay_batch_free(b);
}

static void
test_timeouts(void **state)
{
	const char *routes[] = { "hang", "ok" };
	const char *u[2];
	struct relay_batch *b = NULL;
	uint8_t pk[32];
	uint64_t t0;
	size_t idx;

	(void)state;
	key2a(pk);
	mkurls(routes, 2, u);
	/* Per-request timeout; the fast relay is not held up by the slow one. */
	t0 = ms_now();
	assert_int_equal(relay_batch_new(&b, u, 2, RELAY_GET, pk, NULL, 0, 400), 0);
	assert_int_equal(relay_batch_run(b, 0), 0);
	assert_true(ms_now() - t0 < 2500);
	assert_int_equal(res(b, 0)->status, RELAY_ERROR);
	assert_int_equal(res(b, 0)->err, CCL_ERR_TIMEOUT);
	assert_int_equal(res(b, 1)->status, RELAY_OK);
	assert_true(res(b, 1)->elapsed_ms < res(b, 0)->elapsed_ms);
	assert_int_equal(relay_batch_next(b, &idx), 1);
	assert_int_equal(idx, 1);  /* the fast one finished first */
	assert_int_equal(relay_batch_next(b, &idx), 1);
	assert_int_equal(idx, 0);
	assert_int_equal(relay_batch_next(b, &idx), 0);
	relay_batch_free(b);
	/* The overall deadline of relay_batch_run. */
	t0 = ms_now();
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_GET, pk, NULL, 0, 5000), 0);
	assert_int_equal(relay_batch_run(b, 300), 0);
	assert_true(ms_now() - t0 < 2000);
	assert_int_equal(res(b, 0)->status, RELAY_ERROR);
	assert_int_equal(res(b, 0)->err, CCL_ERR_TIMEOUT);
	relay_batch_free(b);
}

/* The transport's loop: relays and its own fd in one curl_multi_poll. */
static void
test_poll_extra_fd(void **state)
{
	const char *routes[] = { "hang" };
	const char *u[1];
	struct relay_batch *b = NULL;
	struct pollfd pf[1];
	int pp[2], nready = -1;
	uint8_t pk[32];
	uint64_t t0;
	char c;

	(void)state;
	key2a(pk);
	mkurls(routes, 1, u);
	assert_int_equal(pipe(pp), 0);
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_GET, pk, NULL, 0, 5000), 0);
	assert_int_equal(relay_batch_perform(b), 0);
	pf[0].fd = pp[0];
	pf[0].events = POLLIN;
	pf[0].revents = 0;
	/* Nothing ready: waits (about) the timeout. */
	t0 = ms_now();
	assert_int_equal(relay_batch_poll(b, pf, 1, 150, &nready), 0);
	assert_int_equal(relay_batch_perform(b), 0);
	assert_int_equal(nready, 0);
	assert_int_equal(pf[0].revents, 0);
	/* The extra fd becomes readable: poll returns at once and says so. */
	assert_int_equal(write(pp[1], "x", 1), 1);
	t0 = ms_now();
	assert_int_equal(relay_batch_poll(b, pf, 1, 3000, &nready), 0);
	assert_true(ms_now() - t0 < 1000);
	assert_int_equal(nready, 1);
	assert_true(pf[0].revents & POLLIN);
	assert_int_equal(read(pp[0], &c, 1), 1);
	assert_false(relay_batch_done(b));
	relay_batch_cancel(b);
	assert_true(relay_batch_done(b));
	assert_int_equal(res(b, 0)->status, RELAY_ERROR);
	assert_int_equal(res(b, 0)->err, CCL_ERR_ABORTED);
	/* Still usable as a poller once done. */
	assert_int_equal(write(pp[1], "y", 1), 1);
	assert_int_equal(relay_batch_poll(b, pf, 1, 3000, &nready), 0);
	assert_int_equal(nready, 1);
	relay_batch_free(b);
	/* No relays at all: done at once, poll still serves the fd. */
	assert_int_equal(relay_batch_new(&b, NULL, 0, RELAY_GET, pk, NULL, 0, 0), 0);
	assert_true(relay_batch_done(b));
	assert_int_equal(relay_batch_perform(b), 0);
	assert_int_equal(relay_batch_run(b, 100), 0);
	assert_int_equal(relay_batch_poll(b, pf, 1, 3000, &nready), 0);
	assert_int_equal(nready, 1);
	assert_int_equal(relay_batch_poll(b, pf, RELAY_MAX_EXTRA_FDS + 1, 0, NULL),
	    CCL_ERR_INVALID_ARG);
	relay_batch_free(b);
	close(pp[0]);
	close(pp[1]);
}

/* Plain http only to a literal loopback address; https anywhere. */
static void
test_url_secure(void **state)
{
	const char *good[] = { "https://relay.example", "HTTPS://relay.example/x", "http://127.0.0.1",
		"http://127.0.0.1:8080", "http://127.0.0.1:8080/base/", "HTTP://127.0.0.1/",
		"http://127.1.2.3/p", "http://127.255.255.255:1", "http://[::1]", "http://[::1]:9/x",
		"http://[0:0:0:0:0:0:0:1]:9" };
	const char *bad[] = { "http://relay.example", "http://localhost:8080", "http://10.0.0.1",
		"http://128.0.0.1", "http://126.255.255.255", "http://127.1", "http://0x7f000001",
		"http://2130706433", "http://127.0.0.1.evil.example", "http://127.0.0.1@evil.example",
		"http://u@127.0.0.1", "http://[::ffff:127.0.0.1]", "http://[::2]", "http://[::1",
		"http://[::1]x", "http://127.0.0.1:", "http://127.0.0.1:80x", "http://127.0.0.1:-1",
		"http://127.0.0.01", "http://0.0.0.0", "ftp://127.0.0.1", "http://", NULL };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!relay_url_secure(good[i]))
			fail_msg("refused %s", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (relay_url_secure(bad[i]))
			fail_msg("accepted %s", bad[i] != NULL ? bad[i] : "NULL");
}

static void
test_args(void **state)
{
	const char *good[] = { "https://pkarr.pubky.app", "http://127.0.0.1:8080/base/", "HTTPS://x" };
	const char *bad[] = { "ftp://x", "http://", "https:///x", "file:///etc/passwd", "http://a b",
		"http://a?x=1", "http://a#f", "x", "", "http://a\n" };
	const char *u[RELAY_MAX_RELAYS + 1];
	char longurl[RELAY_MAX_URL + 16];
	struct relay_batch *b = (struct relay_batch *)1;
	uint8_t pk[32], junk[100] = { 0 };
	size_t i;

	(void)state;
	key2a(pk);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(relay_url_check(good[i]), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(relay_url_check(bad[i]), CCL_ERR_INVALID_ARG);
	assert_int_equal(relay_url_check(NULL), CCL_ERR_INVALID_ARG);
	memcpy(longurl, "http://", 7);
	memset(longurl + 7, 'a', sizeof(longurl) - 8);
	longurl[sizeof(longurl) - 1] = '\0';
	assert_int_equal(relay_url_check(longurl), CCL_ERR_INVALID_ARG);
	for (i = 0; i <= RELAY_MAX_RELAYS; i++)
		u[i] = good[0];
	assert_int_equal(relay_batch_new(&b, u, RELAY_MAX_RELAYS + 1, RELAY_GET, pk, NULL, 0, 0),
	    CCL_ERR_INVALID_ARG);
	assert_null(b);
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_GET | RELAY_PUT, pk, NULL, 0, 0),
	    CCL_ERR_INVALID_ARG);
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_FRESH, pk, NULL, 0, 0), CCL_ERR_INVALID_ARG);
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_GET | 0x100, pk, NULL, 0, 0),
	    CCL_ERR_INVALID_ARG);
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_GET, pk, junk, 10, 0), CCL_ERR_INVALID_ARG);
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_GET, pk, NULL, 0, -1), CCL_ERR_INVALID_ARG);
	/* A PUT body must verify for the key. */
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_PUT, pk, junk, sizeof(junk), 0),
	    CCL_ERR_INVALID_ARG);
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_PUT, pk, NULL, 0, 0), CCL_ERR_INVALID_ARG);
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_PUT, pk, other_body, other_len, 0),
	    CCL_ERR_INVALID_ARG);
	u[0] = bad[0];
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_GET, pk, NULL, 0, 0), CCL_ERR_INVALID_ARG);
	u[0] = good[1];
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_GET | RELAY_HTTPS_ONLY, pk, NULL, 0, 0),
	    CCL_ERR_INVALID_ARG);
	/* Plain http to anything but loopback: refused, whatever the caller asks. */
	u[0] = "http://relay.example";
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_GET, pk, NULL, 0, 0), CCL_ERR_PERMISSION);
	assert_null(b);
	u[0] = "http://localhost:8080";
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_GET, pk, NULL, 0, 0), CCL_ERR_PERMISSION);
	assert_null(b);
	u[0] = good[1];
	/* Valid but never run: freeing aborts cleanly. */
	assert_int_equal(relay_batch_new(&b, u, 1, RELAY_PUT, pk, good_body, good_len, 0), 0);
	relay_batch_free(b);
	relay_batch_free(NULL);
	assert_string_equal(relay_status_str(RELAY_OK), "ok");
	assert_string_equal(relay_status_str(RELAY_CONFLICT), "conflict");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_get_fresh),
		cmocka_unit_test(test_policy_fallback),
		cmocka_unit_test(test_empty_retry),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_poll_extra_fd),
		cmocka_unit_test(test_url_secure),
		cmocka_unit_test(test_args),
	};

	/* Loopback only: never through a proxy from the environment. */
	setenv("NO_PROXY", "*", 1);
	setenv("no_proxy", "*", 1);
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, srv_start, srv_stop);
}
