/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for net.c: host:port parsing and resolution (numeric only, no
 * DNS traffic), loopback UDP, and the poll() driver against a tiny KRPC peer
 * in a child process on 127.0.0.1.
 */
#include "testutil.h"
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sodium.h>
#include "dht.h"
#include "krpc.h"
#include "net.h"

static uint16_t
port_of(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)a)->sin6_port);
	return ntohs(((const struct sockaddr_in *)a)->sin_port);
}

static void
loopback0(struct sockaddr_storage *a)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)a;

	memset(a, 0, sizeof(*a));
	a4->sin_family = AF_INET;
	a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

static void
test_resolve(void **state)
{
	static const char *bad[] = {
		"", "127.0.0.1", "127.0.0.1:", ":6881", "127.0.0.1:0", "127.0.0.1:65536",
		"127.0.0.1:12a", "127.0.0.1:-1", "127.0.0.1:+1", "::1:6881", "[::1]6881", "[::1]:",
		"[::1", "127.0.0.1:123456",
	};
	struct sockaddr_storage a[NET_MAX_ADDRS];
	char s[80];
	size_t n, i;

	(void)state;
	n = 0;
	assert_int_equal(net_resolve("127.0.0.1:6881", NET_V4, a, NET_MAX_ADDRS, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].ss_family, AF_INET);
	assert_int_equal(port_of(&a[0]), 6881);
	net_addr_str(&a[0], s, sizeof(s));
	assert_string_equal(s, "127.0.0.1:6881");
	/* Appends, and drops duplicates. */
	assert_int_equal(net_resolve("10.1.2.3:1", NET_V4, a, NET_MAX_ADDRS, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(net_resolve("10.1.2.3:1", NET_V4, a, NET_MAX_ADDRS, &n), CCL_ERR_NOT_FOUND);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(net_resolve("[::1]:443", NET_V4 | NET_V6, a, NET_MAX_ADDRS, &n), 0);
	assert_int_equal(a[0].ss_family, AF_INET6);
	net_addr_str(&a[0], s, sizeof(s));
	assert_string_equal(s, "[::1]:443");
	n = 0;
	assert_int_equal(net_resolve("[::1]:443", NET_V4, a, NET_MAX_ADDRS, &n), CCL_ERR_NOT_FOUND);
	assert_int_equal(n, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = 0;
		assert_int_equal(net_resolve(bad[i], NET_V4 | NET_V6, a, NET_MAX_ADDRS, &n), CCL_ERR_FORMAT);
		assert_int_equal(n, 0);
	}
	/* The capacity is respected. */
	n = 0;
	assert_int_equal(net_resolve("127.0.0.1:1", NET_V4, a, 0, &n), CCL_ERR_NOT_FOUND);
	assert_int_equal(n, 0);

	assert_int_equal(net_resolve_list(" 127.0.0.1:1, 127.0.0.2:2 ,,127.0.0.1:1,", NET_V4, a,
	    NET_MAX_ADDRS, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(port_of(&a[1]), 2);
	assert_int_equal(net_resolve_list("127.0.0.1:1,nope", NET_V4, a, NET_MAX_ADDRS, &n), CCL_ERR_FORMAT);
	assert_int_equal(net_resolve_list("", NET_V4, a, NET_MAX_ADDRS, &n), CCL_ERR_NOT_FOUND);
	assert_int_equal(net_resolve_list("[::1]:1", NET_V4, a, NET_MAX_ADDRS, &n), CCL_ERR_NOT_FOUND);
	/* A name from /etc/hosts (no DNS query leaves the machine for it). */
	n = 0;
	if (net_resolve("localhost:80", NET_V4, a, NET_MAX_ADDRS, &n) == 0) {
		assert_true(n >= 1);
		assert_int_equal(port_of(&a[0]), 80);
	}
}

static void
test_udp(void **state)
{
	struct net_udp x, y;
	struct sockaddr_storage local, lx, ly, from;
	uint8_t big[10000], buf[NET_RECV_MAX];
	size_t n;
	int r, err;

	(void)state;
	loopback0(&local);
	assert_int_equal(net_udp_open_at(&x, &local), 0);
	assert_int_equal(net_udp_open_at(&y, &local), 0);
	assert_true(x.fd4 >= 0 && x.fd6 < 0);
	assert_int_equal(net_udp_families(&x), DHT_FAM_V4);
	assert_int_equal(net_udp_local(&x, AF_INET, &lx), 0);
	assert_int_equal(net_udp_local(&y, AF_INET, &ly), 0);
	assert_int_equal(net_udp_local(&y, AF_INET6, &from), CCL_ERR_INVALID_ARG);
	assert_true(port_of(&lx) != 0 && port_of(&lx) != port_of(&ly));
	assert_int_equal(net_udp_recv(y.fd4, &from, buf, sizeof(buf), &n), 0);  /* nothing yet */
	assert_int_equal(net_udp_send(&x, &ly, (const uint8_t *)"hello", 5), 0);
	memset(big, 'B', sizeof(big));
	assert_int_equal(net_udp_send(&x, &ly, big, sizeof(big)), 0);
	assert_int_equal(net_udp_send(&x, &ly, big, sizeof(big)), 0);
	assert_int_equal(net_udp_send(&x, &ly, (const uint8_t *)"bye", 3), 0);
	usleep(20000);
	assert_int_equal(net_udp_recv(y.fd4, &from, buf, sizeof(buf), &n), 1);
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(port_of(&from), port_of(&lx));
	/* A 10 KB datagram arrives whole in a NET_RECV_MAX buffer ... */
	assert_int_equal(net_udp_recv(y.fd4, &from, buf, sizeof(buf), &n), 1);
	assert_int_equal(n, sizeof(big));
	assert_memory_equal(buf, big, sizeof(big));
	/* ... and one longer than the buffer is dropped, the next one comes through. */
	r = net_udp_recv(y.fd4, &from, buf, 2048, &n);
	assert_int_equal(r, 1);
	assert_int_equal(n, 3);
	assert_int_equal(net_udp_recv(y.fd4, &from, buf, sizeof(buf), &n), 0);
	/* A datagram to a closed port: the ICMP error names the address it was sent to. */
	assert_int_equal(net_udp_recv_err(x.fd4, &from, &err), 0);
	net_udp_close(&y);
	assert_int_equal(net_udp_send(&x, &ly, (const uint8_t *)"anyone?", 7), 0);
	usleep(20000);
	assert_int_equal(net_udp_recv_err(x.fd4, &from, &err), 1);
	assert_int_equal(err, ECONNREFUSED);
	assert_int_equal(port_of(&from), port_of(&ly));
	assert_int_equal(net_udp_recv_err(x.fd4, &from, &err), 0);
	assert_int_equal(net_udp_recv(x.fd4, &from, buf, sizeof(buf), &n), 0);  /* not a datagram */
	/* No IPv6 socket: sending there fails cleanly. */
	{
		struct sockaddr_storage v6;
		size_t k = 0;

		assert_int_equal(net_resolve("[::1]:9", NET_V6, &v6, 1, &k), 0);
		assert_int_equal(net_udp_send(&x, &v6, (const uint8_t *)"x", 1), CCL_ERR_NET);
	}
	net_udp_close(&x);
	net_udp_close(&y);
	net_udp_close(&y);
	assert_int_equal(x.fd4, -1);
}

/* The child: a one-node DHT on fd that serves item (if any) until killed. */
static void
peer_main(int fd, const struct dht_item *item, int silent)
{
	static const uint8_t id[20] = "peer-node-id-1234567";
	struct sockaddr_storage from;
	struct krpc_msg q;
	struct krpc_reply rp;
	struct buf_wr out;
	struct pollfd pfd = { fd, POLLIN, 0 };
	uint8_t buf[NET_RECV_MAX], obuf[KRPC_MAX_DATAGRAM];
	socklen_t alen;
	ssize_t got;

	alarm(10);  /* never outlive the test */
	for (;;) {
		if (poll(&pfd, 1, -1) < 0)
			_exit(1);
		alen = sizeof(from);
		got = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &alen);
		if (got <= 0 || silent || krpc_parse(&q, buf, (size_t)got) != 0 || q.y != 'q')
			continue;
		memset(&rp, 0, sizeof(rp));
		rp.id = id;
		rp.token = (const uint8_t *)"tokn";
		rp.token_len = 4;
		rp.nodes = (const uint8_t *)"";
		rp.nodes_len = 0;
		if (krpc_is_query(&q, "get") && item != NULL) {
			rp.k = item->k;
			rp.sig = item->sig;
			rp.seq = item->seq;
			rp.v = item->v;
			rp.vlen = item->vlen;
		}
		buf_wr_init_fixed(&out, obuf, sizeof(obuf));
		if (krpc_is_query(&q, "put"))
			rp.token = NULL;
		if (krpc_build_reply(&out, q.t, q.tlen, &rp) != 0)
			_exit(2);
		if (sendto(fd, buf_wr_data(&out), buf_wr_len(&out), 0, (struct sockaddr *)&from, alen) < 0)
			_exit(3);
	}
}

static pid_t
start_peer(struct sockaddr_storage *addr, const struct dht_item *item, int silent)
{
	struct net_udp p;
	struct sockaddr_storage local;
	pid_t pid;

	loopback0(&local);
	assert_int_equal(net_udp_open_at(&p, &local), 0);
	assert_int_equal(net_udp_local(&p, AF_INET, addr), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		peer_main(p.fd4, item, silent);
	net_udp_close(&p);
	return pid;
}

static void
stop_peer(pid_t pid)
{
	int st;

	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &st, 0), pid);
}

static void
test_driver(void **state)
{
	struct sockaddr_storage peer, local, self;
	struct net_udp s;
	struct dht_params p;
	struct dht_lookup *l;
	struct dht_item item, best;
	struct dht_stats st;
	uint8_t *sp;
	size_t n;
	uint64_t t0;
	pid_t pid;

	(void)state;
	sp = th_read_file("tests/vectors/cclink600.signed_packet.bin", &n);
	memset(&item, 0, sizeof(item));
	memcpy(item.k, sp, 32);
	memcpy(item.sig, sp + 32, 64);
	item.seq = 1700000000000000LL;
	item.vlen = n - 104;
	memcpy(item.v, sp + 104, item.vlen);
	free(sp);
	assert_int_equal(dht_item_verify(&item), 0);

	/* GET from a peer that holds the item. */
	pid = start_peer(&peer, &item, 0);
	loopback0(&local);
	assert_int_equal(net_udp_open_at(&s, &local), 0);
	assert_int_equal(net_udp_local(&s, AF_INET, &self), 0);
	memset(&p, 0, sizeof(p));
	p.mode = DHT_GET;
	memcpy(p.pubkey, item.k, 32);
	p.bootstrap = &peer;
	p.n_bootstrap = 1;
	p.self = &self;
	p.n_self = 1;
	p.families = net_udp_families(&s);
	assert_int_equal(dht_lookup_new(&l, &p, net_now_ms()), 0);
	t0 = net_now_ms();
	assert_int_equal(net_dht_run(&s, l, t0 + 5000), 0);
	assert_true(net_now_ms() - t0 < 1000);
	assert_int_equal(dht_lookup_result(l, &best, &st), 0);
	assert_true(best.seq == item.seq && best.vlen == item.vlen);
	assert_memory_equal(best.v, item.v, item.vlen);
	assert_int_equal(st.responded, 1);
	dht_lookup_free(l);

	/* PUT to it: one node stored (its OK reply). */
	p.mode = DHT_PUT;
	p.item = &item;
	assert_int_equal(dht_lookup_new(&l, &p, net_now_ms()), 0);
	assert_int_equal(net_dht_run(&s, l, net_now_ms() + 5000), 0);
	assert_int_equal(dht_lookup_result(l, NULL, &st), 0);
	assert_int_equal(st.stored, 1);
	dht_lookup_free(l);
	stop_peer(pid);

	/* A silent peer: the engine gives up after its per-query timeout ... */
	pid = start_peer(&peer, NULL, 1);
	p.mode = DHT_GET;
	p.timeout_ms = 200;
	assert_int_equal(dht_lookup_new(&l, &p, net_now_ms()), 0);
	t0 = net_now_ms();
	assert_int_equal(net_dht_run(&s, l, t0 + 5000), 0);
	assert_true(net_now_ms() - t0 >= 200 && net_now_ms() - t0 < 1000);
	assert_int_equal(dht_lookup_result(l, NULL, &st), CCL_ERR_TIMEOUT);
	dht_lookup_free(l);
	/* ... and the caller's deadline can be shorter than that. */
	p.timeout_ms = 2000;
	assert_int_equal(dht_lookup_new(&l, &p, net_now_ms()), 0);
	t0 = net_now_ms();
	assert_int_equal(net_dht_run(&s, l, t0 + 150), CCL_ERR_TIMEOUT);
	assert_true(net_now_ms() - t0 >= 150 && net_now_ms() - t0 < 1000);
	assert_false(dht_lookup_done(l));
	dht_lookup_free(l);
	stop_peer(pid);
	net_udp_close(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_driver),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
