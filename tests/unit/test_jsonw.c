/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for jsonw (compact JSON writer with serde_json's escaping) and
 * jsonr (strict reader). Expected strings are written by hand from
 * serde_json's rules: `"` `\` escaped, \b \t \n \f \r short forms, other
 * control characters \u00xx in lowercase hex, `/`, DEL and non-ASCII as is.
 */
#include "testutil.h"
#include "jsonr.h"
#include "jsonw.h"

/* Escape n bytes and compare with the expected text. */
static void
check_escape(const char *in, size_t n, const char *want)
{
	struct buf_wr wr;

	buf_wr_init(&wr, 4096);
	assert_int_equal(jsonw_put_string(&wr, in, n), 0);
	assert_int_equal(buf_wr_len(&wr), strlen(want));
	assert_memory_equal(buf_wr_data(&wr), want, strlen(want));
	buf_wr_free(&wr);
}

static void
test_escape_specials(void **state)
{
	(void)state;
	check_escape("", 0, "\"\"");
	check_escape("a\"b", 3, "\"a\\\"b\"");
	check_escape("a\\b", 3, "\"a\\\\b\"");
	check_escape("/", 1, "\"/\"");
	check_escape("\b\t\n\f\r", 5, "\"\\b\\t\\n\\f\\r\"");
	check_escape("\x00", 1, "\"\\u0000\"");
	check_escape("\x01\x1a\x1f", 3, "\"\\u0001\\u001a\\u001f\"");
	check_escape("\x0b", 1, "\"\\u000b\"");
	check_escape("\x7f", 1, "\"\x7f\"");
	check_escape(" ~", 2, "\" ~\"");
}

static void
test_escape_all_controls(void **state)
{
	/* The whole table 0x00..0x1f by hand. */
	static const char *const want[32] = {
		"\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
		"\\b", "\\t", "\\n", "\\u000b", "\\f", "\\r", "\\u000e", "\\u000f",
		"\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
		"\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
	};
	char in[1], exp[16];
	int c;

	(void)state;
	for (c = 0; c < 32; c++) {
		in[0] = (char)c;
		snprintf(exp, sizeof(exp), "\"%s\"", want[c]);
		check_escape(in, 1, exp);
	}
	/* Every printable ASCII byte except " and \ passes through. */
	for (c = 0x20; c < 0x80; c++) {
		if (c == '"' || c == '\\')
			continue;
		in[0] = (char)c;
		exp[0] = '"';
		exp[1] = (char)c;
		exp[2] = '"';
		exp[3] = '\0';
		check_escape(in, 1, exp);
	}
}

static void
test_escape_unicode(void **state)
{
	(void)state;
	/* é, U+2028, U+FEFF, U+0085 (C1), 😀: all left as UTF-8. */
	check_escape("\xc3\xa9", 2, "\"\xc3\xa9\"");
	check_escape("\xe2\x80\xa8", 3, "\"\xe2\x80\xa8\"");
	check_escape("\xef\xbb\xbf", 3, "\"\xef\xbb\xbf\"");
	check_escape("\xc2\x85", 2, "\"\xc2\x85\"");
	check_escape("\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"");
	check_escape("\xf4\x8f\xbf\xbf", 4, "\"\xf4\x8f\xbf\xbf\"");
}

static void
test_escape_rejects_bad_utf8(void **state)
{
	static const char *const bad[] = {
		"\x80", "\xff", "\xc3", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80",
		"\xed\xbf\xbf", "\xf0\x80\x80\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
		"\xe2\x28\xa1", "a\xc3(",
	};
	struct buf_wr wr;
	size_t i;

	(void)state;
	buf_wr_init(&wr, 4096);
	assert_int_equal(buf_put_cstr(&wr, "x"), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(jsonw_put_string(&wr, bad[i], strlen(bad[i])), CCL_ERR_INVALID_ARG);
		assert_int_equal(buf_wr_len(&wr), 1);   /* unchanged */
		assert_false(jsonw_utf8_valid((const uint8_t *)bad[i], strlen(bad[i])));
	}
	buf_wr_free(&wr);
}

static void
test_escape_capacity(void **state)
{
	uint8_t mem[8];
	struct buf_wr wr;

	(void)state;
	buf_wr_init_fixed(&wr, mem, sizeof(mem));
	assert_int_equal(buf_put_cstr(&wr, "ab"), 0);
	/* "\u0001" needs 8 bytes with quotes: does not fit after "ab". */
	assert_int_equal(jsonw_put_string(&wr, "\x01", 1), CCL_ERR_TOO_LARGE);
	assert_int_equal(buf_wr_len(&wr), 2);
	assert_int_equal(jsonw_put_string(&wr, "xyzw", 4), 0);
	assert_int_equal(buf_wr_len(&wr), 8);
}

static void
test_structure(void **state)
{
	const char *want = "{\"a\":[1,true,false,null,\"s\",{}],\"b\":{\"c\":18446744073709551615,"
	    "\"d\":-9223372036854775808,\"e\":[]},\"f\":\"\"}";
	struct buf_wr wr;
	struct jsonw j;

	(void)state;
	buf_wr_init(&wr, 4096);
	jsonw_init(&j, &wr);
	assert_int_equal(jsonw_begin_object(&j), 0);
	assert_int_equal(jsonw_key(&j, "a"), 0);
	assert_int_equal(jsonw_begin_array(&j), 0);
	assert_int_equal(jsonw_u64(&j, 1), 0);
	assert_int_equal(jsonw_bool(&j, 1), 0);
	assert_int_equal(jsonw_bool(&j, 0), 0);
	assert_int_equal(jsonw_null(&j), 0);
	assert_int_equal(jsonw_str(&j, "s"), 0);
	assert_int_equal(jsonw_begin_object(&j), 0);
	assert_int_equal(jsonw_end_object(&j), 0);
	assert_int_equal(jsonw_end_array(&j), 0);
	assert_int_equal(jsonw_key(&j, "b"), 0);
	assert_int_equal(jsonw_begin_object(&j), 0);
	assert_int_equal(jsonw_key(&j, "c"), 0);
	assert_int_equal(jsonw_u64(&j, UINT64_MAX), 0);
	assert_int_equal(jsonw_key(&j, "d"), 0);
	assert_int_equal(jsonw_i64(&j, INT64_MIN), 0);
	assert_int_equal(jsonw_key(&j, "e"), 0);
	assert_int_equal(jsonw_begin_array(&j), 0);
	assert_int_equal(jsonw_end_array(&j), 0);
	assert_int_equal(jsonw_end_object(&j), 0);
	assert_int_equal(jsonw_key(&j, "f"), 0);
	assert_int_equal(jsonw_strn(&j, "", 0), 0);
	assert_int_equal(jsonw_end_object(&j), 0);
	assert_int_equal(jsonw_finish(&j), 0);
	assert_int_equal(buf_wr_len(&wr), strlen(want));
	assert_memory_equal(buf_wr_data(&wr), want, strlen(want));
	buf_wr_free(&wr);
}

static void
test_misuse(void **state)
{
	struct buf_wr wr;
	struct jsonw j;

	(void)state;
	buf_wr_init(&wr, 4096);

	/* A value where a key is due. */
	jsonw_init(&j, &wr);
	assert_int_equal(jsonw_begin_object(&j), 0);
	assert_int_equal(jsonw_u64(&j, 1), CCL_ERR_INTERNAL);
	/* Sticky: later calls fail with the same error. */
	assert_int_equal(jsonw_key(&j, "a"), CCL_ERR_INTERNAL);
	assert_int_equal(jsonw_finish(&j), CCL_ERR_INTERNAL);

	/* A key in an array, two keys in a row, mismatched end. */
	buf_wr_reset(&wr);
	jsonw_init(&j, &wr);
	assert_int_equal(jsonw_begin_array(&j), 0);
	assert_int_equal(jsonw_key(&j, "a"), CCL_ERR_INTERNAL);
	buf_wr_reset(&wr);
	jsonw_init(&j, &wr);
	assert_int_equal(jsonw_begin_object(&j), 0);
	assert_int_equal(jsonw_key(&j, "a"), 0);
	assert_int_equal(jsonw_key(&j, "b"), CCL_ERR_INTERNAL);
	buf_wr_reset(&wr);
	jsonw_init(&j, &wr);
	assert_int_equal(jsonw_begin_object(&j), 0);
	assert_int_equal(jsonw_end_array(&j), CCL_ERR_INTERNAL);

	/* A dangling key, an unclosed object, nothing at all. */
	buf_wr_reset(&wr);
	jsonw_init(&j, &wr);
	assert_int_equal(jsonw_begin_object(&j), 0);
	assert_int_equal(jsonw_key(&j, "a"), 0);
	assert_int_equal(jsonw_end_object(&j), CCL_ERR_INTERNAL);
	buf_wr_reset(&wr);
	jsonw_init(&j, &wr);
	assert_int_equal(jsonw_begin_object(&j), 0);
	assert_int_equal(jsonw_finish(&j), CCL_ERR_INTERNAL);
	jsonw_init(&j, &wr);
	assert_int_equal(jsonw_finish(&j), CCL_ERR_INTERNAL);

	/* Two top-level values, end at top level. */
	buf_wr_reset(&wr);
	jsonw_init(&j, &wr);
	assert_int_equal(jsonw_u64(&j, 1), 0);
	assert_int_equal(jsonw_finish(&j), 0);
	assert_int_equal(jsonw_u64(&j, 2), CCL_ERR_INTERNAL);
	jsonw_init(&j, &wr);
	assert_int_equal(jsonw_end_object(&j), CCL_ERR_INTERNAL);

	/* Bad UTF-8 in a value or key is sticky too. */
	buf_wr_reset(&wr);
	jsonw_init(&j, &wr);
	assert_int_equal(jsonw_begin_object(&j), 0);
	assert_int_equal(jsonw_key(&j, "\xff"), CCL_ERR_INVALID_ARG);
	assert_int_equal(jsonw_finish(&j), CCL_ERR_INVALID_ARG);
	jsonw_init(&j, &wr);
	assert_int_equal(jsonw_str(&j, NULL), CCL_ERR_INVALID_ARG);
	buf_wr_free(&wr);
}

static void
test_depth_and_capacity(void **state)
{
	uint8_t mem[4];
	struct buf_wr wr;
	struct jsonw j;
	int i, r = 0;

	(void)state;
	buf_wr_init(&wr, 4096);
	jsonw_init(&j, &wr);
	for (i = 0; i < 40 && r == 0; i++)
		r = jsonw_begin_array(&j);
	assert_int_equal(r, CCL_ERR_DEPTH);
	assert_int_equal(i, JSONW_MAX_DEPTH);
	buf_wr_free(&wr);

	buf_wr_init_fixed(&wr, mem, sizeof(mem));
	jsonw_init(&j, &wr);
	assert_int_equal(jsonw_begin_array(&j), 0);
	assert_int_equal(jsonw_str(&j, "abc"), CCL_ERR_TOO_LARGE);
	assert_int_equal(jsonw_finish(&j), CCL_ERR_TOO_LARGE);
}

/* jsonr: the reader, through its public accessors. */
static int
members(const char *s, struct jsonr_member **m, size_t *n)
{
	return jsonr_object((const uint8_t *)s, strlen(s), m, n);
}

static void
test_reader_basic(void **state)
{
	struct jsonr_member *m = NULL;
	size_t n, l;
	uint64_t v;
	char *s;
	int b;

	(void)state;
	assert_int_equal(members(" {\"a\" : 1 ,\t\"b\\u0062\":\"x\\u00e9\\ud83d\\ude00\\/\\n\","
	    "\r\n\"c\":[1,{\"d\":null}],\"e\":true,\"e\":false} ", &m, &n), 0);
	assert_int_equal(n, 5);
	assert_true(jsonr_key_is(&m[0], "a"));
	assert_false(jsonr_key_is(&m[0], "b"));
	assert_int_equal(jsonr_get_u64(&m[0], &v), 0);
	assert_int_equal(v, 1);
	assert_true(jsonr_key_is(&m[1], "bb"));
	assert_int_equal(jsonr_get_string(&m[1], &s, &l), 0);
	assert_string_equal(s, "x\xc3\xa9\xf0\x9f\x98\x80/\n");
	assert_int_equal(l, 9);
	free(s);
	assert_int_equal(m[2].type, JSONR_ARRAY);
	assert_int_equal(m[2].val_len, 14);
	assert_int_equal(jsonr_get_string(&m[2], &s, &l), CCL_ERR_FORMAT);
	assert_int_equal(jsonr_get_bool(&m[3], &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(jsonr_get_bool(&m[4], &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(jsonr_get_bool(&m[0], &b), CCL_ERR_FORMAT);
	free(m);

	assert_int_equal(members("{}", &m, &n), 0);
	assert_int_equal(n, 0);
	assert_null(m);
}

static void
test_reader_numbers(void **state)
{
	static const char *const good[] = { "0", "7", "1700000000", "18446744073709551615" };
	static const uint64_t goodv[] = { 0, 7, 1700000000, UINT64_MAX };
	/* Valid JSON, but not a u64 as serde_json reads one. */
	static const char *const notu64[] = {
		"-1", "-0", "1.0", "1e3", "1E3", "1e+3", "0e0", "0.5", "18446744073709551616",
		"99999999999999999999",
	};
	/* Not JSON at all. */
	static const char *const bad[] = { "01", "00", "1.", ".5", "+1", "-", "1e", "1e+", "0x10", "- 1" };
	struct jsonr_member *m;
	char doc[128];
	size_t n, i;
	uint64_t v;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(doc, sizeof(doc), "{\"n\":%s}", good[i]);
		assert_int_equal(members(doc, &m, &n), 0);
		assert_int_equal(jsonr_get_u64(&m[0], &v), 0);
		assert_true(v == goodv[i]);
		free(m);
	}
	for (i = 0; i < sizeof(notu64) / sizeof(notu64[0]); i++) {
		snprintf(doc, sizeof(doc), "{\"n\":%s}", notu64[i]);
		assert_int_equal(members(doc, &m, &n), 0);
		assert_int_equal(jsonr_get_u64(&m[0], &v), CCL_ERR_FORMAT);
		free(m);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(doc, sizeof(doc), "{\"n\":%s}", bad[i]);
		assert_int_not_equal(members(doc, &m, &n), 0);
		assert_null(m);
	}
}

static void
test_reader_rejects(void **state)
{
	static const char *const bad[] = {
		"", " ", "[]", "null", "1", "\"s\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
		"{,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "{\"a\":1}x", "{\"a\":1}{}",
		"\xef\xbb\xbf{}", "\x0b{}", "{}\x0c", "{\"a\":\"\x01\"}", "{\"a\":\"\t\"}",
		"{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"\\ud800\"}",
		"{\"a\":\"\\udc00\"}", "{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"\xff\"}",
		"{\"a\":\"\xc3\"}", "{\"a\":tru}", "{\"a\":True}", "{\"a\":nul}", "{\"a\":NaN}",
		"{\"a\":\"unterminated}", "{\"a\":[1,2}", "{\"a\":{\"b\":1]}",
	};
	struct jsonr_member *m;
	size_t n, i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = (struct jsonr_member *)1;
		assert_int_not_equal(members(bad[i], &m, &n), 0);
		assert_null(m);
		assert_int_equal(n, 0);
	}
}

static void
test_reader_depth(void **state)
{
	char doc[1024];
	struct jsonr_member *m;
	size_t n, d, i, o;

	(void)state;
	/* Total nesting d (the outer object included): 128 passes, 129 does not. */
	for (d = 127; d <= 130; d++) {
		o = (size_t)snprintf(doc, sizeof(doc), "{\"a\":");
		for (i = 0; i < d - 1; i++)
			doc[o++] = '[';
		for (i = 0; i < d - 1; i++)
			doc[o++] = ']';
		doc[o++] = '}';
		doc[o] = '\0';
		m = NULL;
		assert_int_equal(members(doc, &m, &n), d <= JSONR_MAX_DEPTH ? 0 : CCL_ERR_DEPTH);
		free(m);
	}
}

static void
test_reader_nul_string(void **state)
{
	struct jsonr_member *m;
	size_t n;
	char *s;

	(void)state;
	assert_int_equal(members("{\"a\":\"x\\u0000y\",\"b\\u0000\":1}", &m, &n), 0);
	assert_int_equal(jsonr_get_string(&m[0], &s, NULL), CCL_ERR_FORMAT);
	assert_null(s);
	/* A key with a NUL never equals a C-string name. */
	assert_false(jsonr_key_is(&m[1], "b"));
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_specials),
		cmocka_unit_test(test_escape_all_controls),
		cmocka_unit_test(test_escape_unicode),
		cmocka_unit_test(test_escape_rejects_bad_utf8),
		cmocka_unit_test(test_escape_capacity),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_depth_and_capacity),
		cmocka_unit_test(test_reader_basic),
		cmocka_unit_test(test_reader_numbers),
		cmocka_unit_test(test_reader_rejects),
		cmocka_unit_test(test_reader_depth),
		cmocka_unit_test(test_reader_nul_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
