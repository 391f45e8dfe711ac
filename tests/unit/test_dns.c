/* SPDX-License-Identifier: MIT */
/* Unit tests for dns.c: simple-dns byte-exact encoding, decoding, hostile input. */
#include "testutil.h"
#include <cjson/cJSON.h>
#include "dns.h"

#define Z2A "df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo"

/* Encode pkt with flags into a fresh buffer; caller frees. */
static uint8_t *
encode(const struct dns_packet *pkt, unsigned flags, size_t *n)
{
	struct buf_wr w;
	uint8_t *p;

	buf_wr_init(&w, DNS_MAX_PACKET);
	assert_int_equal(dns_encode(pkt, flags, &w), 0);
	assert_int_equal(buf_wr_detach(&w, &p, n), 0);
	return p;
}

static void
assert_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	assert_int_equal(an, bn);
	assert_memory_equal(a, b, an);
}

/* doc/protocol.md §4.1 (compression): the pointers c0 14 and c0 0c. */
static void
test_small3_exact(void **state)
{
	cJSON *j = th_load_json("tests/vectors/vectors.json");
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(j, "small_3rr");
	struct dns_packet *pkt = NULL, *back = NULL;
	const uint8_t lo[4] = { 127, 0, 0, 1 };
	uint8_t *want, *got;
	size_t wn, gn;

	(void)state;
	want = th_unhex(th_jstr(s, "dns_hex"), &wn);
	assert_int_equal(dns_packet_new(&pkt), 0);
	assert_int_equal(dns_add_txt(pkt, "_cclink", Z2A, 300, "hello", 5), 0);
	assert_int_equal(dns_add_a(pkt, "@", Z2A, 300, lo), 0);
	assert_int_equal(dns_add_txt(pkt, "_cclink", Z2A, 300, "world", 5), 0);
	got = encode(pkt, 0, &gn);
	assert_bytes(got, gn, want, wn);
	/* Decode, re-encode: the same bytes. */
	assert_int_equal(dns_parse(want, wn, &back), 0);
	assert_int_equal(dns_count(back), 3);
	free(got);
	got = encode(back, 0, &gn);
	assert_bytes(got, gn, want, wn);
	free(got);
	free(want);
	dns_packet_free(pkt);
	dns_packet_free(back);
	cJSON_Delete(j);
}

static void
test_cclink600_exact(void **state)
{
	struct dns_packet *pkt = NULL, *back = NULL;
	uint8_t *val, *want, *got;
	size_t vn, wn, gn, tl;
	char *txt;

	(void)state;
	val = th_read_file("tests/vectors/cclink600.value", &vn);
	want = th_read_file("tests/vectors/cclink600.dns.bin", &wn);
	assert_int_equal(vn, 600);
	assert_int_equal(dns_packet_new(&pkt), 0);
	assert_int_equal(dns_add_txt(pkt, "_cclink", Z2A, 300, val, vn), 0);
	got = encode(pkt, 0, &gn);
	assert_bytes(got, gn, want, wn);
	assert_int_equal(dns_parse(want, wn, &back), 0);
	assert_int_equal(dns_find_txt(back, "_cclink", Z2A, &txt, &tl), 0);
	assert_bytes((uint8_t *)txt, tl, val, vn);
	assert_int_equal(txt[tl], '\0');
	free(txt);
	/* The apex has no TXT; other names are absent. */
	assert_int_equal(dns_find_txt(back, "@", Z2A, &txt, &tl), CCL_ERR_NOT_FOUND);
	assert_null(txt);
	assert_int_equal(dns_find_txt(back, "_other", Z2A, &txt, &tl), CCL_ERR_NOT_FOUND);
	free(got);
	free(val);
	free(want);
	dns_packet_free(pkt);
	dns_packet_free(back);
}

/* The dns-packet (uncompressed) vectors: decode, check, re-encode plain byte-exact. */
static void
test_pkarr_valid(void **state)
{
	cJSON *j = th_load_json("tests/vectors/pkarr_valid.json"), *e, *a;
	struct dns_packet *pkt, *c;
	struct dns_rr_text t;
	uint8_t *want, *got, *cz;
	size_t wn, gn, cn, i, k, cnt = 0;
	const char *origin;
	char exp[2048];

	(void)state;
	cJSON_ArrayForEach(e, j) {
		origin = th_jstr(e, "pubkey_z32");
		want = th_unhex(th_jstr(e, "dns_packet_hex"), &wn);
		assert_int_equal(dns_parse(want, wn, &pkt), 0);
		a = cJSON_GetObjectItemCaseSensitive(e, "decoded_answers");
		assert_int_equal(dns_count(pkt), (size_t)cJSON_GetArraySize(a));
		for (i = 0; i < dns_count(pkt); i++) {
			const cJSON *ans = cJSON_GetArrayItem(a, (int)i);
			const cJSON *data = cJSON_GetObjectItemCaseSensitive(ans, "data");

			/* Absolute names: no origin, no trailing dot. */
			assert_int_equal(dns_rr_to_text(dns_rr_at(pkt, i), NULL, &t), 0);
			assert_string_equal(t.name, th_jstr(ans, "name"));
			assert_string_equal(t.type, th_jstr(ans, "type"));
			assert_int_equal(t.ttl, cJSON_GetObjectItemCaseSensitive(ans, "ttl")->valuedouble);
			if (cJSON_IsArray(data)) {  /* TXT strings concatenate */
				exp[0] = '\0';
				for (k = 0; k < (size_t)cJSON_GetArraySize(data); k++)
					strcat(exp, cJSON_GetArrayItem(data, (int)k)->valuestring);
			} else
				snprintf(exp, sizeof(exp), "%s", data->valuestring);
			assert_string_equal(t.value, exp);
			assert_int_equal(t.value_len, strlen(exp));
			dns_rr_text_cleanup(&t);
			/* Relative to the key: "@" or the prefix before ".<z32>". */
			assert_int_equal(dns_rr_to_text(dns_rr_at(pkt, i), origin, &t), 0);
			snprintf(exp, sizeof(exp), "%s", th_jstr(ans, "name"));
			if (strcmp(exp, origin) == 0)
				strcpy(exp, "@");
			else {
				assert_true(strlen(exp) > strlen(origin) + 1);
				exp[strlen(exp) - strlen(origin) - 1] = '\0';
			}
			assert_string_equal(t.name, exp);
			dns_rr_text_cleanup(&t);
		}
		got = encode(pkt, DNS_ENC_PLAIN, &gn);
		assert_bytes(got, gn, want, wn);
		/* Compressed: never longer, and decodes to the same records. */
		cz = encode(pkt, 0, &cn);
		assert_true(cn <= wn);
		assert_int_equal(dns_parse(cz, cn, &c), 0);
		free(got);
		got = encode(c, DNS_ENC_PLAIN, &gn);
		assert_bytes(got, gn, want, wn);
		free(got);
		free(cz);
		free(want);
		dns_packet_free(c);
		dns_packet_free(pkt);
		cnt++;
	}
	assert_int_equal(cnt, 5);
	cJSON_Delete(j);
}

/* The seed2a A/AAAA/TXT/CNAME vector built through the API, plain. */
static void
test_builder_types(void **state)
{
	cJSON *j = th_load_json("tests/vectors/pkarr_valid.json"), *e = cJSON_GetArrayItem(j, 1);
	struct dns_packet *pkt = NULL;
	const uint8_t a[4] = { 104, 21, 59, 30 };
	const uint8_t a6[16] = { 0x30, 0x02, 0x0b, 0xd6, 0, 0, 0, 0, 0, 0, 0xee, 0, 0, 0x33, 0x67, 0x78 };
	uint8_t *want, *got;
	size_t wn, gn;

	(void)state;
	assert_string_equal(th_jstr(e, "name"), "seed2a_A_AAAA_TXT_CNAME");
	want = th_unhex(th_jstr(e, "dns_packet_hex"), &wn);
	assert_int_equal(dns_packet_new(&pkt), 0);
	assert_int_equal(dns_add_a(pkt, "", Z2A, 300, a), 0);
	assert_int_equal(dns_add_aaaa(pkt, "_derp_region.iroh", Z2A, 30, a6), 0);
	assert_int_equal(dns_add_txt(pkt, "_foo", Z2A, 3600, "hello world", 11), 0);
	assert_int_equal(dns_add_cname(pkt, "www." Z2A ".", Z2A, 60, "example.com."), 0);
	got = encode(pkt, DNS_ENC_PLAIN, &gn);
	assert_bytes(got, gn, want, wn);
	free(got);
	free(want);
	dns_packet_free(pkt);
	cJSON_Delete(j);
}

static void
check_name(const char *rel, const char *want_text, int want_r)
{
	uint8_t w[DNS_MAX_NAME];
	char txt[DNS_NAME_TEXT_MAX];
	size_t n;

	assert_int_equal(dns_name_from_rel(rel, Z2A, w, &n), want_r);
	if (want_r != 0)
		return;
	assert_int_equal(dns_name_to_text(w, n, NULL, txt, sizeof(txt)), 0);
	assert_string_equal(txt, want_text);
}

static void
test_names(void **state)
{
	char long63[64], long64[65], big[300];
	uint8_t w[DNS_MAX_NAME];
	char txt[DNS_NAME_TEXT_MAX];
	size_t n, i;

	(void)state;
	check_name("_cclink", "_cclink." Z2A, 0);
	check_name("_cclink.", "_cclink." Z2A, 0);
	check_name("@", Z2A, 0);
	check_name("", Z2A, 0);
	check_name(".", Z2A, 0);
	check_name(Z2A, Z2A, 0);
	check_name("_cclink." Z2A, "_cclink." Z2A, 0);
	check_name("_cclink." Z2A ".", "_cclink." Z2A, 0);
	check_name("a.b.c", "a.b.c." Z2A, 0);
	check_name("a..b", NULL, CCL_ERR_INVALID_ARG);
	check_name(".a", NULL, CCL_ERR_INVALID_ARG);
	check_name("@.a", NULL, CCL_ERR_INVALID_ARG);
	check_name("a.@", NULL, CCL_ERR_INVALID_ARG);
	memset(long63, 'x', 63);
	long63[63] = '\0';
	memset(long64, 'x', 64);
	long64[64] = '\0';
	assert_int_equal(dns_name_from_rel(long63, Z2A, w, &n), 0);
	assert_int_equal(n, 1 + 63 + 1 + 52 + 1);
	check_name(long64, NULL, CCL_ERR_INVALID_ARG);
	/* 3 x 63 + the origin: 3*64 + 53 + 1 = 246 fits; 4 x 63 does not. */
	snprintf(big, sizeof(big), "%s.%s.%s", long63, long63, long63);
	assert_int_equal(dns_name_from_rel(big, Z2A, w, &n), 0);
	assert_int_equal(n, 246);
	snprintf(big, sizeof(big), "%s.%s.%s.%s", long63, long63, long63, long63);
	check_name(big, NULL, CCL_ERR_INVALID_ARG);
	/* Exactly 255: 4 labels of 47 (48 each) + 52-byte origin (53) + root = 192+53+1 = 246; add one label of 7 -> 254. */
	for (i = 0; i < 4; i++)
		memset(big + i * 48, 'y', 47), big[i * 48 + 47] = '.';
	memcpy(big + 192, "abcdefg", 7);
	big[199] = '\0';
	assert_int_equal(dns_name_from_rel(big, Z2A, w, &n), 0);
	assert_int_equal(n, 254);
	big[199] = 'h';
	big[200] = '\0';
	assert_int_equal(dns_name_from_rel(big, Z2A, w, &n), 0);
	assert_int_equal(n, 255);
	big[200] = 'i';
	big[201] = '\0';
	assert_int_equal(dns_name_from_rel(big, Z2A, w, &n), CCL_ERR_INVALID_ARG);
	/* Origin must be one label. */
	assert_int_equal(dns_name_from_rel("a", "x.y", w, &n), CCL_ERR_INVALID_ARG);
	assert_int_equal(dns_name_from_rel("a", "", w, &n), CCL_ERR_INVALID_ARG);
	/* Text relative to the origin. */
	assert_int_equal(dns_name_from_rel("_cclink", Z2A, w, &n), 0);
	assert_int_equal(dns_name_to_text(w, n, Z2A, txt, sizeof(txt)), 0);
	assert_string_equal(txt, "_cclink");
	assert_int_equal(dns_name_from_rel("@", Z2A, w, &n), 0);
	assert_int_equal(dns_name_to_text(w, n, Z2A, txt, sizeof(txt)), 0);
	assert_string_equal(txt, "@");
	/* Another key's name is shown absolute with a trailing dot. */
	assert_int_equal(dns_name_from_rel("_cclink", "otherkey", w, &n), 0);
	assert_int_equal(dns_name_to_text(w, n, Z2A, txt, sizeof(txt)), 0);
	assert_string_equal(txt, "_cclink.otherkey.");
	/* A label that merely ends like the origin is not under it. */
	assert_int_equal(dns_name_from_rel("xx" Z2A, "other", w, &n), 0);
	assert_int_equal(dns_name_to_text(w, n, "other", txt, sizeof(txt)), 0);
	assert_string_equal(txt, "xx" Z2A);
	/* Escapes. */
	{
		const uint8_t odd[] = { 4, 'a', '.', 0x01, '\\', 1, ' ', 0 };

		assert_int_equal(dns_name_to_text(odd, sizeof(odd), NULL, txt, sizeof(txt)), 0);
		assert_string_equal(txt, "a\\.\\001\\\\.\\032");
		assert_int_equal(dns_name_to_text(odd, sizeof(odd), NULL, txt, 8), CCL_ERR_TOO_LARGE);
	}
}

static void
test_txt_chunks(void **state)
{
	struct dns_packet *pkt = NULL, *back = NULL;
	uint8_t v[1000], *got;
	size_t gn, tl, lens[] = { 0, 1, 253, 254, 255, 508, 509, 900 }, i, j, off;
	char *txt;
	const struct dns_rr *rr;

	(void)state;
	for (i = 0; i < sizeof(v); i++)
		v[i] = (uint8_t)(i * 7);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		assert_int_equal(dns_packet_new(&pkt), 0);
		assert_int_equal(dns_add_txt(pkt, "_cclink", Z2A, 60, v, lens[i]), 0);
		rr = dns_rr_at(pkt, 0);
		/* 254-byte strings, the last one shorter; empty -> one empty string. */
		off = 0;
		for (j = 0; j < (lens[i] + 253) / 254; j++) {
			size_t c = lens[i] - j * 254 > 254 ? 254 : lens[i] - j * 254;

			assert_int_equal(rr->rdata[off], c);
			off += 1 + c;
		}
		if (lens[i] == 0) {
			assert_int_equal(rr->rdlen, 1);
			assert_int_equal(rr->rdata[0], 0);
		} else
			assert_int_equal(rr->rdlen, off);
		got = encode(pkt, 0, &gn);
		assert_int_equal(dns_parse(got, gn, &back), 0);
		assert_int_equal(dns_find_txt(back, "_CCLINK", Z2A, &txt, &tl), 0);
		assert_bytes((uint8_t *)txt, tl, v, lens[i]);
		free(txt);
		free(got);
		dns_packet_free(back);
		dns_packet_free(pkt);
	}
}

/* Header + one answer named _cclink.<z32> (uncompressed) with the given type and RDATA. */
static size_t
mk1(uint8_t *p, uint16_t type, const uint8_t *rd, size_t rdlen)
{
	size_t n = 0;
	const uint8_t hdr[12] = { 0, 0, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0 };

	memcpy(p, hdr, 12);
	n = 12;
	p[n++] = 7;
	memcpy(p + n, "_cclink", 7);
	n += 7;
	p[n++] = 52;
	memcpy(p + n, Z2A, 52);
	n += 52;
	p[n++] = 0;
	p[n++] = (uint8_t)(type >> 8);
	p[n++] = (uint8_t)type;
	p[n++] = 0;
	p[n++] = 1;
	p[n++] = 0;
	p[n++] = 0;
	p[n++] = 0;
	p[n++] = 60;
	p[n++] = (uint8_t)(rdlen >> 8);
	p[n++] = (uint8_t)rdlen;
	memcpy(p + n, rd, rdlen);
	return n + rdlen;
}

static void
test_txt_255_chunks(void **state)
{
	struct dns_packet *pkt = NULL;
	uint8_t rd[600], p[800];
	size_t n, tl, i;
	char *txt;

	(void)state;
	/* Two 255-byte strings and an empty one, as other encoders may write. */
	rd[0] = 255;
	memset(rd + 1, 'a', 255);
	rd[256] = 255;
	memset(rd + 257, 'b', 255);
	rd[512] = 0;
	n = mk1(p, DNS_TYPE_TXT, rd, 513);
	assert_int_equal(dns_parse(p, n, &pkt), 0);
	assert_int_equal(dns_find_txt(pkt, "_cclink", Z2A, &txt, &tl), 0);
	assert_int_equal(tl, 510);
	for (i = 0; i < 510; i++)
		assert_int_equal(txt[i], i < 255 ? 'a' : 'b');
	free(txt);
	dns_packet_free(pkt);
	/* A string running past RDLENGTH. */
	rd[0] = 5;
	memcpy(rd + 1, "abcd", 4);
	n = mk1(p, DNS_TYPE_TXT, rd, 5);
	assert_int_not_equal(dns_parse(p, n, &pkt), 0);
	assert_null(pkt);
	/* Empty RDATA: a TXT without strings reads as an empty value. */
	n = mk1(p, DNS_TYPE_TXT, rd, 0);
	assert_int_equal(dns_parse(p, n, &pkt), 0);
	assert_int_equal(dns_find_txt(pkt, "_cclink", Z2A, &txt, &tl), 0);
	assert_int_equal(tl, 0);
	free(txt);
	dns_packet_free(pkt);
}

static void
expect_bad(const uint8_t *p, size_t n)
{
	struct dns_packet *pkt = (struct dns_packet *)1;

	assert_int_not_equal(dns_parse(p, n, &pkt), 0);
	assert_null(pkt);
}

static void
test_hostile(void **state)
{
	uint8_t p[1200];
	struct dns_packet *pkt;
	size_t n, i;

	(void)state;
	/* Z bit. */
	n = mk1(p, DNS_TYPE_A, (const uint8_t *)"\1\2\3\4", 4);
	assert_int_equal(dns_parse(p, n, &pkt), 0);
	dns_packet_free(pkt);
	p[3] |= 0x40;
	expect_bad(p, n);
	p[3] &= (uint8_t)~0x40;
	/* Trailing byte. */
	p[n] = 0;
	assert_int_equal(dns_parse(p, n + 1, &pkt), CCL_ERR_TRAILING);
	/* A with RDLENGTH 5 (not fully consumed / wrong length), AAAA with 4. */
	n = mk1(p, DNS_TYPE_A, (const uint8_t *)"\1\2\3\4\5", 5);
	expect_bad(p, n);
	n = mk1(p, DNS_TYPE_AAAA, (const uint8_t *)"\1\2\3\4", 4);
	expect_bad(p, n);
	/* RDLENGTH past the end. */
	n = mk1(p, DNS_TYPE_A, (const uint8_t *)"\1\2\3\4", 4);
	p[n - 5] = 0x10;
	expect_bad(p, n);
	/* CNAME whose name ends early inside RDATA / leaves bytes. */
	n = mk1(p, DNS_TYPE_CNAME, (const uint8_t *)"\3abc\0\0", 6);
	expect_bad(p, n);
	n = mk1(p, DNS_TYPE_CNAME, (const uint8_t *)"\3abc", 4);
	expect_bad(p, n);
	/* Unknown class. */
	n = mk1(p, DNS_TYPE_A, (const uint8_t *)"\1\2\3\4", 4);
	p[12 + 62 + 2 + 1] = 9;
	expect_bad(p, n);
	p[12 + 62 + 2] = 0x80;  /* cache-flush | 9 */
	expect_bad(p, n);
	p[12 + 62 + 2 + 1] = 1;  /* cache-flush | IN is fine */
	assert_int_equal(dns_parse(p, n, &pkt), 0);
	assert_int_equal(dns_rr_at(pkt, 0)->class, 0x8001);
	dns_packet_free(pkt);
	/* Huge counts. */
	memset(p, 0, 12);
	p[2] = 0x80;
	p[6] = p[7] = 0xff;
	expect_bad(p, 12);
	p[6] = 0;
	p[7] = 0;
	p[4] = p[5] = 0xff;  /* 65535 questions */
	expect_bad(p, 100);
	p[4] = 0;
	p[5] = 0;
	p[10] = p[11] = 0xff;  /* additional */
	expect_bad(p, 12);
	/* Header shorter than 12. */
	for (i = 0; i < 12; i++)
		expect_bad(p, i);
	/* Over the 1000-byte cap. */
	memset(p, 0, sizeof(p));
	p[2] = 0x80;
	assert_int_equal(dns_parse(p, 1001, &pkt), CCL_ERR_TOO_LARGE);

	/* Compression: a self pointer, a forward pointer, a pointer loop. */
	memset(p, 0, 12);
	p[2] = 0x80;
	p[7] = 1;
	p[12] = 0xc0;
	p[13] = 12;  /* points at itself */
	memcpy(p + 14, "\0\1\0\1\0\0\0\0\0\4\1\2\3\4", 14);
	expect_bad(p, 28);
	p[13] = 14;  /* forward */
	expect_bad(p, 28);
	p[12] = 0xc0;
	p[13] = 0;  /* into the header: backwards, header bytes 00 -> root */
	assert_int_equal(dns_parse(p, 28, &pkt), 0);
	assert_int_equal(dns_rr_at(pkt, 0)->name_len, 1);
	dns_packet_free(pkt);
	/* Label with the 0x40 / 0x80 prefix. */
	p[12] = 0x40;
	expect_bad(p, 28);
	p[12] = 0x80;
	expect_bad(p, 28);

	/* Loop through two names: name1 at 12 = "a" -> ptr to 16, name2 at 16 = "b" -> ptr to 12. */
	{
		uint8_t q[] = {
			0, 0, 0x80, 0, 0, 0, 0, 2, 0, 0, 0, 0,
			1, 'a', 0xc0, 16,  /* forward: rejected */
			0, 1, 0, 1, 0, 0, 0, 0, 0, 0,
			1, 'b', 0xc0, 12,
			0, 1, 0, 1, 0, 0, 0, 0, 0, 0,
		};
		expect_bad(q, sizeof(q));
		/* Name 2 pointing into name 1's label run but behind its own start, which then
		 * points forward again: still rejected (each jump must go before the run start). */
		q[14] = 0xc0;
		q[15] = 13;
		expect_bad(q, sizeof(q));
	}

	/* A chain of pointers longer than DNS_MAX_JUMPS, kept in the RDATA of an unknown type. */
	{
		uint8_t pk[1200];
		size_t m, k, rdstart, last, tgt, chain_len = 1 + 2 * (DNS_MAX_JUMPS + 1);

		memset(pk, 0, 12);
		pk[2] = 0x80;
		pk[7] = 2;
		m = 12;
		pk[m++] = 0;  /* RR 1: root, type 99, IN, ttl 0, RDATA = root + chain */
		memcpy(pk + m, "\0\x63\0\1\0\0\0\0", 8);
		m += 8;
		pk[m++] = (uint8_t)(chain_len >> 8);
		pk[m++] = (uint8_t)chain_len;
		rdstart = m;
		pk[m++] = 0;
		for (k = 0; k < DNS_MAX_JUMPS + 1; k++) {
			size_t prev = k == 0 ? rdstart : rdstart + 1 + 2 * (k - 1);

			pk[m++] = (uint8_t)(0xc0 | (prev >> 8));
			pk[m++] = (uint8_t)prev;
		}
		last = m - 2;
		/* RR 2: name = pointer to the last link: DNS_MAX_JUMPS + 2 jumps. */
		pk[m++] = (uint8_t)(0xc0 | (last >> 8));
		pk[m++] = (uint8_t)last;
		memcpy(pk + m, "\0\1\0\1\0\0\0\0\0\4\1\2\3\4", 14);
		m += 14;
		expect_bad(pk, m);
		/* Four links shorter: DNS_MAX_JUMPS - 2 jumps, accepted. */
		tgt = last - 8;
		pk[m - 16] = (uint8_t)(0xc0 | (tgt >> 8));
		pk[m - 15] = (uint8_t)tgt;
		assert_int_equal(dns_parse(pk, m, &pkt), 0);
		assert_int_equal(dns_count(pkt), 2);
		assert_int_equal(dns_rr_at(pkt, 1)->name_len, 1);
		dns_packet_free(pkt);
	}

	/* Names over 255 octets assembled through pointers. */
	{
		uint8_t pk[1000];
		size_t m = 12, k, first;

		memset(pk, 0, 12);
		pk[2] = 0x80;
		pk[7] = 2;
		/* RR 1: type 99 whose RDATA is 3 labels of 63 and the root. */
		first = m;
		pk[m++] = 0;
		memcpy(pk + m, "\0\x63\0\1\0\0\0\0", 8);
		m += 8;
		pk[m++] = 0;
		pk[m++] = 3 * 64 + 1;  /* 3 labels of 63 + root */
		for (k = 0; k < 3; k++) {
			pk[m++] = 63;
			memset(pk + m, 'q', 63);
			m += 63;
		}
		pk[m++] = 0;
		(void)first;
		/* RR 2: name = label of 63 then pointer to the three labels: 4*64 + 1 > 255. */
		{
			size_t tgt = m - 1 - 3 * 64;

			pk[m++] = 63;
			memset(pk + m, 'r', 63);
			m += 63;
			pk[m++] = (uint8_t)(0xc0 | (tgt >> 8));
			pk[m++] = (uint8_t)tgt;
			memcpy(pk + m, "\0\1\0\1\0\0\0\0\0\4\1\2\3\4", 14);
			m += 14;
			expect_bad(pk, m);
			/* Pointing one label further (2 x 63 left): 3*64+1 = 193, fine. */
			pk[m - 15] = (uint8_t)(tgt + 64);
			pk[m - 16] = (uint8_t)(0xc0 | ((tgt + 64) >> 8));
			assert_int_equal(dns_parse(pk, m, &pkt), 0);
			assert_int_equal(dns_rr_at(pkt, 1)->name_len, 3 * 64 + 1);
			dns_packet_free(pkt);
		}
	}
}

/* Questions are skipped, authority/additional parsed and dropped, unknown types kept raw. */
static void
test_sections(void **state)
{
	const uint8_t pk[] = {
		0x12, 0x34, 0x84, 0x00, 0, 1, 0, 2, 0, 1, 0, 1,
		/* QD: "x" A IN */
		1, 'x', 0, 0, 1, 0, 1,
		/* AN 1: ptr to "x" at 12, type 99 (unknown), RDATA 3 bytes c0 0c ff (kept verbatim) */
		0xc0, 12, 0, 99, 0, 1, 0, 0, 0, 5, 0, 3, 0xc0, 0x0c, 0xff,
		/* AN 2: "y" + ptr x, CNAME -> ptr to "y.x" */
		1, 'y', 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 7, 0, 2, 0xc0, 34,
		/* NS: root, NS -> "x" */
		0, 0, 2, 0, 1, 0, 0, 0, 1, 0, 2, 0xc0, 12,
		/* AR: root TXT "z" */
		0, 0, 16, 0, 1, 0, 0, 0, 1, 0, 2, 1, 'z',
	};
	struct dns_packet *pkt = NULL, *again = NULL;
	struct dns_rr_text t;
	size_t qd, an, ns, ar, gn;
	uint8_t *got;

	(void)state;
	assert_int_equal(dns_parse(pk, sizeof(pk), &pkt), 0);
	dns_section_counts(pkt, &qd, &an, &ns, &ar);
	assert_int_equal(qd, 1);
	assert_int_equal(an, 2);
	assert_int_equal(ns, 1);
	assert_int_equal(ar, 1);
	assert_int_equal(dns_count(pkt), 2);
	assert_int_equal(dns_rr_at(pkt, 0)->type, 99);
	assert_int_equal(dns_rr_at(pkt, 0)->rdlen, 3);
	assert_int_equal(dns_rr_to_text(dns_rr_at(pkt, 0), "x", &t), 0);
	assert_string_equal(t.name, "@");
	assert_string_equal(t.type, "TYPE99");
	assert_string_equal(t.value, "\\# 3 c00cff");
	dns_rr_text_cleanup(&t);
	assert_int_equal(dns_rr_to_text(dns_rr_at(pkt, 1), "x", &t), 0);
	assert_string_equal(t.name, "y");
	assert_string_equal(t.type, "CNAME");
	assert_string_equal(t.value, "y.x");
	assert_int_equal(t.ttl, 7);
	dns_rr_text_cleanup(&t);
	/* The CNAME target was expanded: re-encoding compresses it against the new table. */
	got = encode(pkt, 0, &gn);
	assert_int_equal(dns_parse(got, gn, &again), 0);
	assert_int_equal(dns_rr_to_text(dns_rr_at(again, 1), NULL, &t), 0);
	assert_string_equal(t.value, "y.x");
	dns_rr_text_cleanup(&t);
	free(got);
	dns_packet_free(again);
	dns_packet_free(pkt);
}

/* Names inside SVCB, MX, SOA and SRV are expanded on read and valid after a move. */
static void
test_rdata_names(void **state)
{
	struct dns_packet *pkt = NULL, *src = NULL, *back = NULL;
	struct dns_rr_text t;
	uint8_t p[600], rd[100], *got;
	size_t n, gn, m;

	(void)state;
	/* SVCB: prio 1, target = pointer to the owner's origin label (0x14), params 00 01 00 00 */
	memcpy(rd, "\0\1\xc0\x14\0\1\0\0", 8);
	n = mk1(p, DNS_TYPE_SVCB, rd, 8);
	assert_int_equal(dns_parse(p, n, &src), 0);
	assert_int_equal(dns_rr_at(src, 0)->rdlen, 2 + 54 + 4);
	/* MX 10 -> pointer at the owner name */
	memcpy(rd, "\0\x0a\xc0\x0c", 4);
	n = mk1(p, DNS_TYPE_MX, rd, 4);
	assert_int_equal(dns_parse(p, n, &pkt), 0);
	assert_int_equal(dns_rr_to_text(dns_rr_at(pkt, 0), Z2A, &t), 0);
	assert_string_equal(t.value, "10 _cclink." Z2A);
	dns_rr_text_cleanup(&t);
	/* Copy the MX and SVCB after a new leading record: the names must still resolve. */
	{
		struct dns_packet *b = NULL;

		assert_int_equal(dns_packet_new(&b), 0);
		assert_int_equal(dns_add_txt(b, "first", Z2A, 1, "v", 1), 0);
		assert_int_equal(dns_add_rr(b, dns_rr_at(src, 0)), 0);
		assert_int_equal(dns_add_rr(b, dns_rr_at(pkt, 0)), 0);
		got = encode(b, 0, &gn);
		assert_int_equal(dns_parse(got, gn, &back), 0);
		assert_int_equal(dns_count(back), 3);
		assert_int_equal(dns_rr_at(back, 1)->rdlen, dns_rr_at(src, 0)->rdlen);
		assert_memory_equal(dns_rr_at(back, 1)->rdata, dns_rr_at(src, 0)->rdata,
		    dns_rr_at(src, 0)->rdlen);
		assert_int_equal(dns_rr_to_text(dns_rr_at(back, 2), Z2A, &t), 0);
		assert_string_equal(t.value, "10 _cclink." Z2A);
		dns_rr_text_cleanup(&t);
		free(got);
		dns_packet_free(back);
		dns_packet_free(b);
	}
	dns_packet_free(pkt);
	dns_packet_free(src);
	/* SOA: two names + exactly 20 bytes. */
	m = 0;
	rd[m++] = 0xc0; rd[m++] = 0x14;
	rd[m++] = 0xc0; rd[m++] = 0x0c;
	memset(rd + m, 7, 20);
	m += 20;
	n = mk1(p, DNS_TYPE_SOA, rd, m);
	assert_int_equal(dns_parse(p, n, &pkt), 0);
	assert_int_equal(dns_rr_at(pkt, 0)->rdlen, 54 + 62 + 20);
	dns_packet_free(pkt);
	n = mk1(p, DNS_TYPE_SOA, rd, m - 1);
	expect_bad(p, n);
	/* SRV: 6 bytes + name. */
	memcpy(rd, "\0\1\0\2\0\3\xc0\x14", 8);
	n = mk1(p, DNS_TYPE_SRV, rd, 8);
	assert_int_equal(dns_parse(p, n, &pkt), 0);
	assert_int_equal(dns_rr_at(pkt, 0)->rdlen, 6 + 54);
	dns_packet_free(pkt);
	n = mk1(p, DNS_TYPE_SRV, rd, 5);
	expect_bad(p, n);
}

/* Republish: decode, replace _cclink, keep the others, encode. */
static void
test_republish(void **state)
{
	size_t n, rn, gn, tl, i = 0;
	uint8_t *sp = th_read_file("tests/vectors/small3.signed_packet.bin", &n), *got;
	struct dns_packet *pkt = NULL, *back = NULL;
	char *txt;

	(void)state;
	assert_int_equal(dns_parse(sp + 104, n - 104, &pkt), 0);
	assert_int_equal(dns_count(pkt), 3);
	/* First match wins (pkarr takes the first record). */
	assert_int_equal(dns_find_txt(pkt, "_cclink", Z2A, &txt, &tl), 0);
	assert_string_equal(txt, "hello");
	free(txt);
	assert_int_equal(dns_find(pkt, "_cclink", Z2A, DNS_TYPE_TXT, &i), 0);
	assert_int_equal(i, 0);
	i++;
	assert_int_equal(dns_find(pkt, "_cclink", Z2A, DNS_TYPE_TXT, &i), 0);
	assert_int_equal(i, 2);
	i++;
	assert_int_equal(dns_find(pkt, "_cclink", Z2A, DNS_TYPE_TXT, &i), CCL_ERR_NOT_FOUND);
	i = 0;
	assert_int_equal(dns_find(pkt, "@", Z2A, 0, &i), 0);
	assert_int_equal(i, 1);
	assert_int_equal(dns_remove(pkt, "_cclink", Z2A, DNS_TYPE_TXT, &rn), 0);
	assert_int_equal(rn, 2);
	assert_int_equal(dns_remove(pkt, "_cclink", Z2A, DNS_TYPE_TXT, &rn), 0);
	assert_int_equal(rn, 0);
	assert_int_equal(dns_add_txt(pkt, "_cclink", Z2A, 300, "new", 3), 0);
	got = encode(pkt, 0, &gn);
	assert_int_equal(dns_parse(got, gn, &back), 0);
	assert_int_equal(dns_count(back), 2);
	assert_int_equal(dns_rr_at(back, 0)->type, DNS_TYPE_A);
	assert_int_equal(dns_find_txt(back, "_cclink", Z2A, &txt, &tl), 0);
	assert_string_equal(txt, "new");
	free(txt);
	/* Encoded: A at the apex first (uncompressed), then _cclink -> pointer to the z32 label. */
	assert_int_equal(got[12], 52);
	assert_int_equal(got[12 + 53], 0);
	free(got);
	dns_packet_free(back);
	dns_packet_free(pkt);
	free(sp);
}

/* Case: stored case is kept on the wire, lookup ignores case; compression is case-sensitive. */
static void
test_case(void **state)
{
	struct dns_packet *pkt = NULL, *back = NULL;
	uint8_t *got;
	size_t gn, tl;
	char *txt;

	(void)state;
	assert_int_equal(dns_packet_new(&pkt), 0);
	assert_int_equal(dns_add_txt(pkt, "_CCLINK", Z2A, 1, "A", 1), 0);
	assert_int_equal(dns_add_txt(pkt, "_cclink", Z2A, 1, "b", 1), 0);
	got = encode(pkt, 0, &gn);
	/* Second name: "_cclink" is a different label byte-wise -> written, then c0 14. */
	assert_int_equal(got[12 + 62 + 10 + 2], 7);
	assert_memory_equal(got + 12 + 62 + 10 + 3, "_cclink", 7);
	assert_int_equal(got[12 + 62 + 10 + 10], 0xc0);
	assert_int_equal(got[12 + 62 + 10 + 11], 0x14);
	assert_int_equal(dns_parse(got, gn, &back), 0);
	assert_int_equal(dns_find_txt(back, "_cclink", Z2A, &txt, &tl), 0);
	assert_string_equal(txt, "A");
	free(txt);
	free(got);
	dns_packet_free(back);
	dns_packet_free(pkt);
}

static void
test_encode_limits(void **state)
{
	struct dns_packet *pkt = NULL;
	struct buf_wr w;
	uint8_t *v = calloc(1, 70000);
	size_t i;

	(void)state;
	assert_int_equal(dns_packet_new(&pkt), 0);
	assert_int_equal(dns_add_txt(pkt, "_cclink", Z2A, 1, v, 912), 0);
	buf_wr_init(&w, 1000);
	assert_int_equal(dns_encode(pkt, 0, &w), 0);
	assert_int_equal(buf_wr_len(&w), 1000);  /* doc/protocol.md §4.3: the largest value fits exactly */
	buf_wr_free(&w);
	buf_wr_init(&w, 996);
	assert_int_equal(buf_put(&w, "xy", 2), 0);
	assert_int_equal(dns_encode(pkt, 0, &w), CCL_ERR_TOO_LARGE);
	assert_int_equal(buf_wr_len(&w), 2);  /* left as it was */
	buf_wr_free(&w);
	dns_packet_free(pkt);
	/* Record count cap. */
	assert_int_equal(dns_packet_new(&pkt), 0);
	for (i = 0; i < DNS_MAX_RECORDS; i++)
		assert_int_equal(dns_add_txt(pkt, "a", Z2A, 1, "", 0), 0);
	assert_int_equal(dns_add_txt(pkt, "a", Z2A, 1, "", 0), CCL_ERR_TOO_LARGE);
	assert_int_equal(dns_count(pkt), DNS_MAX_RECORDS);
	/* Bad names. */
	assert_int_equal(dns_add_txt(pkt, "a..b", Z2A, 1, "", 0), CCL_ERR_INVALID_ARG);
	dns_packet_free(pkt);
	assert_int_equal(dns_packet_new(&pkt), 0);
	assert_int_equal(dns_add_txt(pkt, "a", Z2A, 1, v, 70000), CCL_ERR_TOO_LARGE);
	assert_int_equal(dns_add_cname(pkt, "a", Z2A, 1, "x..y"), CCL_ERR_INVALID_ARG);
	assert_int_equal(dns_count(pkt), 0);
	dns_packet_free(pkt);
	dns_packet_free(NULL);
	free(v);
}

/* Every truncation fails; every single-bit flip either fails or gives a packet that round-trips. */
static void
mutate(const uint8_t *orig, size_t n)
{
	struct dns_packet *pkt, *again;
	struct dns_rr_text t;
	uint8_t *m = malloc(n), *got;
	size_t i, b, gn, k, ok = 0;

	assert_non_null(m);
	for (i = 0; i < n; i++) {
		pkt = (struct dns_packet *)1;
		assert_int_not_equal(dns_parse(orig, i, &pkt), 0);
		assert_null(pkt);
	}
	for (i = 0; i < n; i++) {
		for (b = 0; b < 8; b++) {
			memcpy(m, orig, n);
			m[i] ^= (uint8_t)(1u << b);
			if (dns_parse(m, n, &pkt) != 0)
				continue;
			ok++;
			for (k = 0; k < dns_count(pkt); k++) {
				assert_int_equal(dns_rr_to_text(dns_rr_at(pkt, k), Z2A, &t), 0);
				dns_rr_text_cleanup(&t);
			}
			got = encode(pkt, 0, &gn);
			assert_int_equal(dns_parse(got, gn, &again), 0);
			assert_int_equal(dns_count(again), dns_count(pkt));
			free(got);
			dns_packet_free(again);
			dns_packet_free(pkt);
		}
	}
	assert_true(ok > 0);  /* flips in TTLs and text always parse */
	free(m);
}

static void
test_mutation(void **state)
{
	size_t n;
	uint8_t *sp = th_read_file("tests/vectors/small3.signed_packet.bin", &n);
	uint8_t *c6 = th_read_file("tests/vectors/cclink600.dns.bin", &n);

	(void)state;
	mutate(sp + 104, 124);
	mutate(c6, 687);
	free(sp);
	free(c6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small3_exact),
		cmocka_unit_test(test_cclink600_exact),
		cmocka_unit_test(test_pkarr_valid),
		cmocka_unit_test(test_builder_types),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_txt_chunks),
		cmocka_unit_test(test_txt_255_chunks),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_rdata_names),
		cmocka_unit_test(test_republish),
		cmocka_unit_test(test_case),
		cmocka_unit_test(test_encode_limits),
		cmocka_unit_test(test_mutation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
