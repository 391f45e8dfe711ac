/* SPDX-License-Identifier: MIT */
/* Unit tests for KRPC building and one-pass parsing (doc/protocol.md §6). */
#include "testutil.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include "bencode.h"
#include "dht.h"
#include "krpc.h"

static const uint8_t ID[20] = "abcdefghij0123456789";
static const uint8_t TID[4] = { 0, 0, 0, 1 };
static const uint8_t TGT[20] = "mnopqrstuvwxyz123456";

/* Append n bytes (n == 0: strlen) to a test writer. */
static void
put(struct buf_wr *wr, const void *p, size_t n)
{
	assert_int_equal(buf_put(wr, p, n ? n : strlen(p)), 0);
}

static void
assert_wr_equal(const struct buf_wr *a, const struct buf_wr *b)
{
	assert_int_equal(buf_wr_len(a), buf_wr_len(b));
	assert_memory_equal(buf_wr_data(a), buf_wr_data(b), buf_wr_len(a));
}

/* "...e1:q<m>2:roi1e1:t4:\0\0\0\x01" "1:v4:CC011:y1:qe" */
static void
put_tail(struct buf_wr *wr, const char *method)
{
	char q[128];

	snprintf(q, sizeof(q), "e1:q%zu:%s2:roi1e1:t4:", strlen(method), method);
	put(wr, q, 0);
	put(wr, TID, 4);
	put(wr, "1:v4:CC011:y1:qe", 0);
}

static void
test_build_queries(void **state)
{
	struct buf_wr got, exp;
	struct krpc_msg m;

	(void)state;
	buf_wr_init(&got, 4096);
	buf_wr_init(&exp, 4096);

	/* The example datagrams of doc/protocol.md §6.1. */
	assert_int_equal(krpc_build_ping(&got, TID, ID), 0);
	put(&exp, "d1:ad2:id20:abcdefghij0123456789", 0);
	put_tail(&exp, "ping");
	assert_wr_equal(&got, &exp);
	assert_int_equal(krpc_parse(&m, buf_wr_data(&got), buf_wr_len(&got)), 0);
	assert_int_equal(m.y, 'q');
	assert_true(krpc_is_query(&m, "ping"));
	assert_false(krpc_is_query(&m, "pin"));
	assert_true((m.has & (KRPC_F_ID | KRPC_F_RO | KRPC_F_VER)) == (KRPC_F_ID | KRPC_F_RO | KRPC_F_VER));
	assert_true(m.ro == 1);
	assert_memory_equal(m.ver, "CC01", 4);
	assert_int_equal(m.tlen, 4);
	assert_memory_equal(m.t, TID, 4);

	buf_wr_reset(&got);
	buf_wr_reset(&exp);
	assert_int_equal(krpc_build_find_node(&got, TID, ID, TGT), 0);
	put(&exp, "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456", 0);
	put_tail(&exp, "find_node");
	assert_wr_equal(&got, &exp);

	buf_wr_reset(&got);
	buf_wr_reset(&exp);
	assert_int_equal(krpc_build_get(&got, TID, ID, TGT, 0, 0), 0);
	put(&exp, "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456", 0);
	put_tail(&exp, "get");
	assert_wr_equal(&got, &exp);

	buf_wr_reset(&got);
	buf_wr_reset(&exp);
	assert_int_equal(krpc_build_get(&got, TID, ID, TGT, 1, 1700000000000000LL), 0);
	put(&exp, "d1:ad2:id20:abcdefghij01234567893:seqi1700000000000000e6:target20:mnopqrstuvwxyz123456", 0);
	put_tail(&exp, "get");
	assert_wr_equal(&got, &exp);
	assert_int_equal(krpc_parse(&m, buf_wr_data(&got), buf_wr_len(&got)), 0);
	assert_true(krpc_is_query(&m, "get"));
	assert_true((m.has & KRPC_F_SEQ) && m.seq == 1700000000000000LL);
	assert_memory_equal(m.target, TGT, 20);

	buf_wr_free(&got);
	buf_wr_free(&exp);
}

static void
test_build_put(void **state)
{
	struct buf_wr got, exp;
	struct krpc_put p;
	struct krpc_msg m;
	uint8_t *sp, target[20];
	size_t n;
	char hdr[64];

	(void)state;
	sp = th_read_file("tests/vectors/cclink600.signed_packet.bin", &n);
	assert_int_equal(n, 791);
	dht_target(sp, target);
	memset(&p, 0, sizeof(p));
	p.target = target;
	p.token = (const uint8_t *)"tokn";
	p.token_len = 4;
	p.k = sp;
	p.sig = sp + 32;
	p.seq = 1700000000000000LL;
	p.v = sp + 104;
	p.vlen = n - 104;
	buf_wr_init(&got, 4096);
	buf_wr_init(&exp, 4096);
	assert_int_equal(krpc_build_put(&got, TID, ID, &p), 0);
	put(&exp, "d1:ad2:id20:abcdefghij01234567891:k32:", 0);
	put(&exp, sp, 32);
	put(&exp, "3:seqi1700000000000000e3:sig64:", 0);
	put(&exp, sp + 32, 64);
	put(&exp, "6:target20:", 0);
	put(&exp, target, 20);
	put(&exp, "5:token4:tokn1:v687:", 0);
	put(&exp, sp + 104, 687);
	put_tail(&exp, "put");
	assert_wr_equal(&got, &exp);
	assert_true(buf_wr_len(&got) <= KRPC_MAX_DATAGRAM);

	assert_int_equal(krpc_parse(&m, buf_wr_data(&got), buf_wr_len(&got)), 0);
	assert_true(krpc_is_query(&m, "put"));
	assert_true(krpc_has_item(&m));
	assert_memory_equal(m.k, sp, 32);
	assert_memory_equal(m.target, target, 20);
	assert_int_equal(m.vlen, 687);
	assert_false(m.has & KRPC_F_CAS);

	/* With cas: "cas" sorts first. */
	buf_wr_reset(&got);
	p.has_cas = 1;
	p.cas = 42;
	assert_int_equal(krpc_build_put(&got, TID, ID, &p), 0);
	snprintf(hdr, sizeof(hdr), "d1:ad3:casi42e2:id20:");
	assert_memory_equal(buf_wr_data(&got), hdr, strlen(hdr));
	assert_int_equal(krpc_parse(&m, buf_wr_data(&got), buf_wr_len(&got)), 0);
	assert_true((m.has & KRPC_F_CAS) && m.cas == 42);

	/* Refused: no token, v too big, a writer that is too small (left untouched). */
	p.token_len = 0;
	assert_int_equal(krpc_build_put(&got, TID, ID, &p), CCL_ERR_INVALID_ARG);
	p.token_len = 4;
	p.vlen = KRPC_MAX_V + 1;
	assert_int_equal(krpc_build_put(&got, TID, ID, &p), CCL_ERR_INVALID_ARG);
	p.vlen = 687;
	{
		uint8_t small[100];
		struct buf_wr w;

		buf_wr_init_fixed(&w, small, sizeof(small));
		assert_int_equal(krpc_build_put(&w, TID, ID, &p), CCL_ERR_TOO_LARGE);
		assert_int_equal(buf_wr_len(&w), 0);
	}
	buf_wr_free(&got);
	buf_wr_free(&exp);
	free(sp);
}

/* A full get response with an item, built by krpc_build_reply. */
static void
make_reply(struct buf_wr *wr, const uint8_t *sp, size_t n, const uint8_t *nodes, size_t nodes_len)
{
	static const uint8_t ip[6] = { 127, 0, 0, 1, 0x1a, 0xe1 };
	struct krpc_reply rp;

	memset(&rp, 0, sizeof(rp));
	rp.id = ID;
	rp.ip = ip;
	rp.ip_len = 6;
	rp.token = (const uint8_t *)"tokn";
	rp.token_len = 4;
	rp.nodes = nodes;
	rp.nodes_len = nodes_len;
	rp.k = sp;
	rp.sig = sp + 32;
	rp.seq = 1700000000000000LL;
	rp.v = sp + 104;
	rp.vlen = n - 104;
	assert_int_equal(krpc_build_reply(wr, TID, 4, &rp), 0);
}

static void
test_parse_responses(void **state)
{
	struct sockaddr_storage a, b;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&a;
	struct krpc_node node;
	struct krpc_msg m;
	struct buf_wr wr, nodes;
	struct buf_rd rd;
	uint8_t *sp;
	size_t n;
	static const char ok[] = "d1:rd2:id20:abcdefghij0123456789e1:t4:\x00\x00\x00\x01" "1:y1:re";
	static const char err[] = "d1:eli302e34:Sequence number less than current.e1:t4:\x00\x00\x00\x01" "1:y1:ee";

	(void)state;
	sp = th_read_file("tests/vectors/cclink600.signed_packet.bin", &n);
	memset(&a, 0, sizeof(a));
	a4->sin_family = AF_INET;
	a4->sin_port = htons(6881);
	a4->sin_addr.s_addr = htonl(0x0a000001);
	buf_wr_init(&nodes, 1024);
	assert_int_equal(krpc_put_node(&nodes, TGT, &a), 0);
	a4->sin_port = htons(6882);
	assert_int_equal(krpc_put_node(&nodes, ID, &a), 0);
	assert_int_equal(buf_wr_len(&nodes), 52);

	buf_wr_init(&wr, 4096);
	make_reply(&wr, sp, n, buf_wr_data(&nodes), buf_wr_len(&nodes));
	assert_int_equal(krpc_parse(&m, buf_wr_data(&wr), buf_wr_len(&wr)), 0);
	assert_int_equal(m.y, 'r');
	assert_int_equal(m.bad, 0);
	assert_true(krpc_has_item(&m));
	assert_memory_equal(m.id, ID, 20);
	assert_int_equal(m.token_len, 4);
	assert_int_equal(m.nodes_len, 52);
	assert_true(m.seq == 1700000000000000LL);
	assert_int_equal(m.vlen, 687);
	assert_memory_equal(m.v, sp + 104, 687);
	assert_memory_equal(m.sig, sp + 32, 64);
	assert_true(m.has & KRPC_F_IP);
	assert_int_equal(krpc_compact_addr(m.ip, m.ip_len, &b), 0);
	assert_int_equal(b.ss_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&b)->sin_port), 6881);
	buf_rd_init(&rd, m.nodes, m.nodes_len);
	assert_int_equal(krpc_get_node(&rd, AF_INET, &node), 0);
	assert_memory_equal(node.id, TGT, 20);
	assert_int_equal(ntohs(((struct sockaddr_in *)&node.addr)->sin_port), 6881);
	assert_int_equal(krpc_get_node(&rd, AF_INET, &node), 0);
	assert_memory_equal(node.id, ID, 20);
	assert_int_equal(ntohl(((struct sockaddr_in *)&node.addr)->sin_addr.s_addr), 0x0a000001);
	assert_int_equal(krpc_get_node(&rd, AF_INET, &node), CCL_ERR_TRUNCATED);

	assert_int_equal(krpc_parse(&m, (const uint8_t *)ok, sizeof(ok) - 1), 0);
	assert_int_equal(m.y, 'r');
	assert_true(m.has == KRPC_F_ID);
	assert_false(krpc_has_item(&m));

	assert_int_equal(krpc_parse(&m, (const uint8_t *)err, sizeof(err) - 1), 0);
	assert_int_equal(m.y, 'e');
	assert_true((m.has & KRPC_F_ERR) && m.err_code == 302);
	assert_int_equal(m.err_msg_len, 34);
	/* Our own error builder produces the same bytes. */
	buf_wr_reset(&wr);
	assert_int_equal(krpc_build_error(&wr, TID, 4, 302, "Sequence number less than current."), 0);
	assert_int_equal(buf_wr_len(&wr), sizeof(err) - 1);
	assert_memory_equal(buf_wr_data(&wr), err, sizeof(err) - 1);
	/* A malformed e still marks an error. */
	assert_int_equal(krpc_parse(&m, (const uint8_t *)"d1:ei5e1:t1:x1:y1:ee", 20), 0);
	assert_int_equal(m.y, 'e');
	assert_true((m.bad & KRPC_F_ERR) && m.err_code == 0);
	assert_int_equal(krpc_parse(&m, (const uint8_t *)"d1:ele1:t1:x1:y1:ee", 19), 0);
	assert_true(m.bad & KRPC_F_ERR);

	/* IPv6 compact node and address. */
	{
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&a;
		uint8_t ip6[18];

		memset(&a, 0, sizeof(a));
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(443);
		inet_pton(AF_INET6, "2001:db8::1", &a6->sin6_addr);
		buf_wr_reset(&nodes);
		assert_int_equal(krpc_put_node(&nodes, ID, &a), 0);
		assert_int_equal(buf_wr_len(&nodes), 38);
		buf_rd_init(&rd, buf_wr_data(&nodes), 38);
		assert_int_equal(krpc_get_node(&rd, AF_INET6, &node), 0);
		assert_int_equal(memcmp(&((struct sockaddr_in6 *)&node.addr)->sin6_addr, &a6->sin6_addr, 16), 0);
		memcpy(ip6, buf_wr_data(&nodes) + 20, 18);
		assert_int_equal(krpc_compact_addr(ip6, 18, &b), 0);
		assert_int_equal(b.ss_family, AF_INET6);
		assert_int_equal(krpc_compact_addr(ip6, 7, &b), CCL_ERR_FORMAT);
	}
	buf_wr_free(&wr);
	buf_wr_free(&nodes);
	free(sp);
}

/* Build "d1:rd2:id20:<ID><extra>e1:t4:<TID>1:y1:re" (extra: sorted keys after "id"). */
static size_t
reply_with(uint8_t *out, size_t cap, const char *extra, size_t extra_len)
{
	struct buf_wr wr;

	buf_wr_init_fixed(&wr, out, cap);
	assert_int_equal(buf_put_cstr(&wr, "d1:rd2:id20:abcdefghij0123456789"), 0);
	assert_int_equal(buf_put(&wr, extra, extra_len ? extra_len : strlen(extra)), 0);
	assert_int_equal(buf_put_cstr(&wr, "e1:t4:"), 0);
	assert_int_equal(buf_put(&wr, TID, 4), 0);
	assert_int_equal(buf_put_cstr(&wr, "1:y1:re"), 0);
	return buf_wr_len(&wr);
}

static void
test_wrong_types(void **state)
{
	uint8_t d[2048], big[1200];
	struct krpc_msg m;
	size_t n;

	(void)state;
	/* Each bad field is dropped and recorded, the message still parses. */
	n = reply_with(d, sizeof(d), "1:k31:0123456789abcdef0123456789abcde", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true(!(m.has & KRPC_F_K) && (m.bad & KRPC_F_K));
	n = reply_with(d, sizeof(d), "1:ki5e", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true(m.bad & KRPC_F_K);
	n = reply_with(d, sizeof(d), "5:nodes27:nnnnnnnnnnnnnnnnnnnnnnnnnnn", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true(!(m.has & KRPC_F_NODES) && (m.bad & KRPC_F_NODES));
	n = reply_with(d, sizeof(d), "5:nodes0:", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true((m.has & KRPC_F_NODES) && m.nodes_len == 0);
	n = reply_with(d, sizeof(d), "6:nodes639:nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true(m.bad & KRPC_F_NODES6);
	n = reply_with(d, sizeof(d), "3:seq1:5", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true(m.bad & KRPC_F_SEQ);
	n = reply_with(d, sizeof(d), "3:sig63:012345678901234567890123456789012345678901234567890123456789012", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true(m.bad & KRPC_F_SIG);
	n = reply_with(d, sizeof(d), "5:tokeni1e", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true(m.bad & KRPC_F_TOKEN);
	n = reply_with(d, sizeof(d), "5:token0:", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true(m.bad & KRPC_F_TOKEN);
	n = reply_with(d, sizeof(d), "1:vi1e", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true(m.bad & KRPC_F_V);
	n = reply_with(d, sizeof(d), "1:vle", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true(m.bad & KRPC_F_V);
	/* v of 1000 bytes is fine, 1001 is not. */
	memcpy(big, "1:v1000:", 8);
	memset(big + 8, 'x', 1000);
	n = reply_with(d, sizeof(d), (const char *)big, 1008);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true((m.has & KRPC_F_V) && m.vlen == 1000);
	memcpy(big, "1:v1001:", 8);
	memset(big + 8, 'x', 1001);
	n = reply_with(d, sizeof(d), (const char *)big, 1009);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true(m.bad & KRPC_F_V);

	/* A complete item with one bad field is no item. */
	n = reply_with(d, sizeof(d), "1:k32:0123456789abcdef0123456789abcdef3:seqi1e3:sig64:"
	    "0123456789012345678901234567890123456789012345678901234567890123" "1:vi5e", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_false(krpc_has_item(&m));
	assert_false(m.has & (KRPC_F_K | KRPC_F_SIG | KRPC_F_SEQ));
	n = reply_with(d, sizeof(d), "1:k32:0123456789abcdef0123456789abcdef3:seqi1e1:v0:", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_false(krpc_has_item(&m));  /* no sig */
	n = reply_with(d, sizeof(d), "1:k32:0123456789abcdef0123456789abcdef3:seqi-1e3:sig64:"
	    "0123456789012345678901234567890123456789012345678901234567890123" "1:v0:", 0);
	assert_int_equal(krpc_parse(&m, d, n), 0);
	assert_true(krpc_has_item(&m) && m.seq == -1 && m.vlen == 0);

	/* id of the wrong length. */
	assert_int_equal(krpc_parse(&m, (const uint8_t *)"d1:rd2:id19:abcdefghij012345678e1:t1:x1:y1:re", 45), 0);
	assert_true(!(m.has & KRPC_F_ID) && (m.bad & KRPC_F_ID));
	/* Top-level ip and v of the wrong length. */
	assert_int_equal(krpc_parse(&m, (const uint8_t *)"d2:ip5:abcde1:rde1:t1:x1:v3:abc1:y1:re", 38), 0);
	assert_true((m.bad & KRPC_F_IP) && (m.bad & KRPC_F_VER));
}

static void
test_rejects(void **state)
{
	static const char *bad[] = {
		"",
		"de",
		"le",
		"i1e",
		"d1:rde1:y1:re",                            /* no t */
		"d1:rde1:t0:1:y1:re",                       /* empty t */
		"d1:rde1:t33:012345678901234567890123456789012" "1:y1:re", /* t too long */
		"d1:rde1:ti1e1:y1:re",                      /* t not a string */
		"d1:rde1:t1:x1:y1:xe",                      /* bad y */
		"d1:rde1:t1:x1:y2:rre",
		"d1:rde1:t1:xe",                            /* no y */
		"d1:ri1e1:t1:x1:y1:re",                     /* r not a dict */
		"d1:t1:x1:y1:re",                           /* no r */
		"d1:ade1:t1:x1:y1:qe",                      /* query without q */
		"d1:q4:ping1:t1:x1:y1:qe",                  /* query without a */
		"d1:t1:x1:y1:ee",                           /* error without e */
		"d1:rde1:t1:x1:y1:r",                       /* truncated */
		"d1:y1:r1:rde1:t1:xe",                      /* unsorted keys */
		"d1:rde1:t1:x1:y1:rei0e",                   /* trailing */
	};
	struct krpc_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_true(krpc_parse(&m, (const uint8_t *)bad[i], strlen(bad[i])) < 0);
		assert_int_equal(m.y, 0);
		assert_null(m.t);
	}
	/* An r alongside a query is ignored; an a alongside a response too. */
	{
		static const char both[] = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping"
		    "1:rd2:id3:xyze1:t1:x1:y1:qe";

		assert_int_equal(krpc_parse(&m, (const uint8_t *)both, sizeof(both) - 1), 0);
	}
	assert_true(m.has & KRPC_F_ID);
}

/* Every truncation and bit flip of a full response fails cleanly or parses consistently. */
static void
test_mutations(void **state)
{
	struct buf_wr wr, nodes;
	struct sockaddr_storage a;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&a;
	struct krpc_msg m;
	uint8_t *sp, d[1500];
	size_t n, len, i, bit, ok = 0;

	(void)state;
	sp = th_read_file("tests/vectors/small3.signed_packet.bin", &n);
	memset(&a, 0, sizeof(a));
	a4->sin_family = AF_INET;
	a4->sin_port = htons(6881);
	buf_wr_init(&nodes, 1024);
	assert_int_equal(krpc_put_node(&nodes, TGT, &a), 0);
	buf_wr_init(&wr, 4096);
	make_reply(&wr, sp, n, buf_wr_data(&nodes), buf_wr_len(&nodes));
	len = buf_wr_len(&wr);
	assert_true(len <= sizeof(d));
	memcpy(d, buf_wr_data(&wr), len);
	for (i = 0; i < len; i++)
		assert_true(krpc_parse(&m, d, i) < 0);
	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			d[i] ^= (uint8_t)(1u << bit);
			if (krpc_parse(&m, d, len) == 0) {
				ok++;
				/* Whatever parsed keeps the length invariants. */
				assert_true(m.tlen >= 1 && m.tlen <= KRPC_MAX_TID);
				assert_true(!(m.has & KRPC_F_NODES) || m.nodes_len % 26 == 0);
				assert_true(!(m.has & KRPC_F_V) || m.vlen <= KRPC_MAX_V);
				assert_true(!(m.has & KRPC_F_TOKEN) || (m.token_len >= 1 && m.token_len <= KRPC_MAX_TOKEN));
				assert_true(!krpc_has_item(&m) || (m.k != NULL && m.sig != NULL));
				assert_true((m.has & m.bad) == 0);
			}
			d[i] ^= (uint8_t)(1u << bit);
		}
	}
	assert_true(ok > 0);  /* flips inside string payloads keep it valid */
	buf_wr_free(&wr);
	buf_wr_free(&nodes);
	free(sp);
}

static void
test_signable(void **state)
{
	struct buf_wr wr;

	(void)state;
	buf_wr_init(&wr, 4096);
	assert_int_equal(krpc_signable(&wr, 1, (const uint8_t *)"Hello World!", 12), 0);
	assert_int_equal(buf_wr_len(&wr), strlen("3:seqi1e1:v12:Hello World!"));
	assert_memory_equal(buf_wr_data(&wr), "3:seqi1e1:v12:Hello World!", buf_wr_len(&wr));
	buf_wr_reset(&wr);
	assert_int_equal(krpc_signable(&wr, 4, (const uint8_t *)"Hello world!", 12), 0);
	assert_memory_equal(buf_wr_data(&wr), "3:seqi4e1:v12:Hello world!", buf_wr_len(&wr));
	buf_wr_reset(&wr);
	assert_int_equal(krpc_signable(&wr, 1700000000000000LL, (const uint8_t *)"", 0), 0);
	assert_memory_equal(buf_wr_data(&wr), "3:seqi1700000000000000e1:v0:", buf_wr_len(&wr));
	buf_wr_free(&wr);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_queries),
		cmocka_unit_test(test_build_put),
		cmocka_unit_test(test_parse_responses),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_signable),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
