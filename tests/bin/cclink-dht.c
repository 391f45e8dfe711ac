/* SPDX-License-Identifier: MIT */
/*
 * cclink-dht — drive src/net/dht.c + src/net/net.c from the command line, for
 * interoperability tests against a loopback DHT testnet. Not installed.
 *
 *   cclink-dht get <z32|pk:z32|hex pubkey> --bootstrap host:port[,...] [opts]
 *       prints the best item as the hex of a SignedPacket
 *       (pk | sig | seq u64be | v); exit 3 when not found.
 *   cclink-dht put <file with SignedPacket bytes> --bootstrap ... [opts]
 *       prints the outcome as one JSON object; exit 0 when stored somewhere.
 *
 * Options: --timeout ms (per query), --deadline ms (lookup phase),
 * --inflight n, --cas n (put), --seq n (get: only newer), -v (stats on stderr).
 * Exit 0 success, 1 failure, 2 usage, 3 not found.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sodium.h>

#include "buf.h"
#include "dht.h"
#include "hex.h"
#include "net.h"
#include "z32.h"

#define SP_MIN 104
#define SP_MAX (104 + KRPC_MAX_V)

static void
usage(void)
{
	fprintf(stderr,
	    "usage: cclink-dht get <z32|hex pubkey> --bootstrap host:port[,...] [--timeout ms]\n"
	    "           [--deadline ms] [--inflight n] [--seq n] [-v]\n"
	    "       cclink-dht put <signed-packet-file> --bootstrap host:port[,...] [--timeout ms]\n"
	    "           [--deadline ms] [--inflight n] [--cas n] [-v]\n");
	exit(2);
}

static void
die(int r, const char *what)
{
	fprintf(stderr, "cclink-dht: %s: %s\n", what, ccl_strerror(r));
	exit(1);
}

static int
parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0')
		return -1;
	*out = (int64_t)v;
	return 0;
}

static void
parse_pubkey(const char *s, uint8_t pk[static 32])
{
	if (strlen(s) == 64 && hex_decode(pk, 32, s, 64) == 0)
		return;
	if (z32_parse_pubkey(pk, s) == 0)
		return;
	fprintf(stderr, "cclink-dht: not a public key: %s\n", s);
	exit(2);
}

/* pk(32) | sig(64) | seq u64be | v(≤1000) */
static int
parse_signed_packet(const uint8_t *p, size_t n, struct dht_item *it)
{
	struct buf_rd rd;
	uint64_t seq;
	int r;

	memset(it, 0, sizeof(*it));
	if (n < SP_MIN || n > SP_MAX)
		return CCL_ERR_FORMAT;
	buf_rd_init(&rd, p, n);
	if ((r = buf_get_copy(&rd, it->k, 32)) != 0 ||
	    (r = buf_get_copy(&rd, it->sig, 64)) != 0 ||
	    (r = buf_get_u64be(&rd, &seq)) != 0)
		return r;
	if (seq > INT64_MAX)
		return CCL_ERR_FORMAT;
	it->seq = (int64_t)seq;
	it->vlen = buf_remaining(&rd);
	if ((r = buf_get_copy(&rd, it->v, it->vlen)) != 0)
		return r;
	return dht_item_verify(it);
}

static void
print_stats(const struct dht_stats *st)
{
	size_t i;

	fprintf(stderr, "queried=%u responded=%u timed_out=%u errors=%u unreachable=%u t2=%u "
	    "values=%u rejected=%u put_sent=%u stored=%u put_timeouts=%u put_errors=%u "
	    "put_conflicts=%u put_checked=%u put_pending=%u sent=%u received=%u ignored=%u "
	    "lookup_ms=%llu put_ms=%llu",
	    st->queried, st->responded, st->timed_out, st->errors, st->unreachable, st->t2,
	    st->values, st->rejected, st->put_sent, st->stored, st->put_timeouts, st->put_errors,
	    st->put_conflicts, st->put_checked, st->put_pending, st->sent, st->received, st->ignored,
	    (unsigned long long)st->lookup_ms, (unsigned long long)st->put_ms);
	for (i = 0; i < st->n_put_err; i++)
		fprintf(stderr, " err%" PRId64 "=%u", st->put_err[i].code, st->put_err[i].n);
	fputc('\n', stderr);
}

static const char *
result_name(int r)
{
	switch (r) {
	case 0: return "ok";
	case CCL_ERR_CONFLICT: return "conflict";
	case CCL_ERR_NOT_FOUND: return "no_token";
	case CCL_ERR_TIMEOUT: return "timeout";
	case CCL_ERR_NET: return "rejected";
	}
	return "error";
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bootstrap", required_argument, NULL, 'b' },
		{ "timeout", required_argument, NULL, 't' },
		{ "deadline", required_argument, NULL, 'd' },
		{ "inflight", required_argument, NULL, 'i' },
		{ "cas", required_argument, NULL, 'c' },
		{ "seq", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct sockaddr_storage boot[NET_MAX_ADDRS], self, local;
	struct sockaddr_in *l4 = (struct sockaddr_in *)&local;
	struct net_udp sock = { -1, -1 };
	struct dht_params p;
	struct dht_lookup *l = NULL;
	struct dht_item item, best;
	struct dht_stats st;
	const char *bootstrap = NULL, *cmd, *arg;
	uint8_t file[SP_MAX + 1], sp[SP_MAX];
	char hex[2 * SP_MAX + 1];
	size_t nboot = 0, n, i;
	FILE *f;
	int verbose = 0, loopback = 1, c, r;

	memset(&p, 0, sizeof(p));
	if (sodium_init() < 0)
		die(CCL_ERR_CRYPTO, "sodium_init");
	while ((c = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		switch (c) {
		case 'b': bootstrap = optarg; break;
		case 't': if (parse_u32(optarg, &p.timeout_ms) != 0) usage(); break;
		case 'd': if (parse_u32(optarg, &p.deadline_ms) != 0) usage(); break;
		case 'i': if (parse_u32(optarg, &p.max_inflight) != 0) usage(); break;
		case 'c': if (parse_i64(optarg, &p.cas) != 0) usage(); p.has_cas = 1; break;
		case 's': if (parse_i64(optarg, &p.get_seq) != 0) usage(); p.get_with_seq = 1; break;
		case 'v': verbose = 1; break;
		default: usage();
		}
	}
	if (argc - optind != 2 || bootstrap == NULL)
		usage();
	cmd = argv[optind];
	arg = argv[optind + 1];
	if (strcmp(cmd, "get") == 0) {
		p.mode = DHT_GET;
		parse_pubkey(arg, p.pubkey);
	} else if (strcmp(cmd, "put") == 0) {
		p.mode = DHT_PUT;
		if ((f = fopen(arg, "rb")) == NULL) {
			fprintf(stderr, "cclink-dht: %s: %s\n", arg, strerror(errno));
			return 1;
		}
		n = fread(file, 1, sizeof(file), f);
		fclose(f);
		if ((r = parse_signed_packet(file, n, &item)) != 0)
			die(r, "signed packet");
		p.item = &item;
	} else
		usage();

	if ((r = net_resolve_list(bootstrap, NET_V4, boot, NET_MAX_ADDRS, &nboot)) != 0)
		die(r, "bootstrap");
	for (i = 0; i < nboot; i++)
		loopback &= boot[i].ss_family == AF_INET &&
		    (ntohl(((struct sockaddr_in *)&boot[i])->sin_addr.s_addr) >> 24) == 127;
	/* Loopback testnet: stay on loopback. */
	memset(&local, 0, sizeof(local));
	l4->sin_family = AF_INET;
	l4->sin_addr.s_addr = htonl(loopback ? INADDR_LOOPBACK : INADDR_ANY);
	if ((r = net_udp_open_at(&sock, &local)) != 0)
		die(r, "socket");
	if ((r = net_udp_local(&sock, AF_INET, &self)) != 0)
		die(r, "getsockname");
	p.bootstrap = boot;
	p.n_bootstrap = nboot;
	p.self = &self;
	p.n_self = 1;
	p.families = net_udp_families(&sock);
	if ((r = dht_lookup_new(&l, &p, net_now_ms())) != 0)
		die(r, "lookup");
	/* The engine ends itself (deadline + put timeouts); this is a backstop. */
	r = net_dht_run(&sock, l, net_now_ms() + (p.deadline_ms ? p.deadline_ms : DHT_DEFAULT_DEADLINE_MS) +
	    3 * (p.timeout_ms ? p.timeout_ms : DHT_DEFAULT_TIMEOUT_MS));
	if (r != 0 && r != CCL_ERR_TIMEOUT)
		die(r, "run");
	r = dht_lookup_result(l, &best, &st);
	if (verbose)
		print_stats(&st);
	if (p.mode == DHT_GET) {
		if (r == CCL_ERR_NOT_FOUND || r == CCL_ERR_TIMEOUT) {
			fprintf(stderr, "cclink-dht: not found (%s)\n", ccl_strerror(r));
			r = 3;
			goto out;
		}
		memcpy(sp, best.k, 32);
		memcpy(sp + 32, best.sig, 64);
		for (i = 0; i < 8; i++)
			sp[96 + i] = (uint8_t)((uint64_t)best.seq >> (56 - 8 * i));
		memcpy(sp + 104, best.v, best.vlen);
		hex_encode(hex, sp, 104 + best.vlen);
		printf("%s\n", hex);
		r = 0;
		goto out;
	}
	printf("{\"result\":\"%s\",\"stored\":%u,\"queried\":%u,\"responded\":%u,\"put_sent\":%u,"
	    "\"put_timeouts\":%u,\"put_errors\":%u,\"put_conflicts\":%u,\"errors\":{",
	    result_name(r), st.stored, st.queried, st.responded, st.put_sent, st.put_timeouts,
	    st.put_errors, st.put_conflicts);
	for (i = 0; i < st.n_put_err; i++)
		printf("%s\"%" PRId64 "\":%u", i ? "," : "", st.put_err[i].code, st.put_err[i].n);
	printf("}}\n");
	r = r == 0 ? 0 : 1;
 out:
	dht_lookup_free(l);
	net_udp_close(&sock);
	return r;
}
