/* SPDX-License-Identifier: MIT */
/*
 * test_textsafe.c — the one sanitizer for untrusted text on a terminal
 * (controls, ESC sequences, C1, invalid UTF-8, bidi controls) and the JSON
 * escaper of --json output, directly and through cli_put_sanitized /
 * cli_put_json_string.
 */
#define _GNU_SOURCE
#include "testutil.h"

#include "cli.h"
#include "jsonw.h"
#include "textsafe.h"

static void
check_term(const char *in, size_t n, const char *want)
{
	struct buf_wr wr;

	buf_wr_init(&wr, 4096);
	assert_int_equal(textsafe_put(&wr, in, n), 0);
	if (buf_wr_len(&wr) != strlen(want) ||
	    (strlen(want) > 0 && memcmp(buf_wr_data(&wr), want, strlen(want)) != 0))
		fail_msg("terminal form: got '%.*s', wanted '%s'", (int)buf_wr_len(&wr),
		    buf_wr_len(&wr) > 0 ? (const char *)buf_wr_data(&wr) : "", want);
	/* The output is clean, so sanitizing it again changes nothing. */
	assert_true(textsafe_is_clean((const char *)buf_wr_data(&wr), buf_wr_len(&wr)));
	assert_int_equal(textsafe_is_clean(in, n), n == strlen(want) && (n == 0 || memcmp(in, want, n) == 0));
	buf_wr_free(&wr);
}

static void
check_json(const char *in, size_t n, const char *want)
{
	struct buf_wr wr;

	buf_wr_init(&wr, 4096);
	assert_int_equal(textsafe_json_put(&wr, in, n), 0);
	if (buf_wr_len(&wr) != strlen(want) ||
	    (strlen(want) > 0 && memcmp(buf_wr_data(&wr), want, strlen(want)) != 0))
		fail_msg("JSON form: got '%.*s', wanted '%s'", (int)buf_wr_len(&wr),
		    (const char *)buf_wr_data(&wr), want);  /* never empty: the quotes */
	assert_true(jsonw_utf8_valid(buf_wr_data(&wr), buf_wr_len(&wr)));
	buf_wr_free(&wr);
}

#define TERM(lit, want) check_term(lit, sizeof(lit) - 1, want)
#define JSON(lit, want) check_json(lit, sizeof(lit) - 1, want)

static void
test_term_plain(void **state)
{
	(void)state;
	TERM("", "");
	TERM("/home/u/my proj", "/home/u/my proj");
	TERM("laptop-1.local", "laptop-1.local");
	TERM("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
	TERM("back\\slash #(x) #{y} #[z]", "back\\slash #(x) #{y} #[z]");
	/* U+00A0 (after C1), U+202F (after the overrides), U+206A (after the isolates) stay. */
	TERM("\xc2\xa0\xe2\x80\xaf\xe2\x81\xaa", "\xc2\xa0\xe2\x80\xaf\xe2\x81\xaa");
}

static void
test_term_controls(void **state)
{
	(void)state;
	TERM("a\nb\rc\td", "a\\x0ab\\x0dc\\x09d");
	TERM("\x1b]0;trusted-laptop\x07", "\\x1b]0;trusted-laptop\\x07");
	TERM("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H");
	TERM("x\x7fy\x01", "x\\x7fy\\x01");
	TERM("a\0b", "a\\x00b");
	/* C1 controls encoded as UTF-8: U+0085 NEL, U+009B CSI, U+009D OSC. */
	TERM("\xc2\x85\xc2\x9b" "2J\xc2\x9d", "\\u0085\\u009b2J\\u009d");
	TERM("\xc2\x80\xc2\x9f", "\\u0080\\u009f");
}

static void
test_term_invalid_utf8(void **state)
{
	(void)state;
	TERM("\x9b" "31m", "\\x9b31m");            /* a raw C1 byte */
	TERM("bad\xff", "bad\\xff");
	TERM("\xc0\xaf", "\\xc0\\xaf");             /* overlong '/' */
	TERM("\xe0\x80\xaf", "\\xe0\\x80\\xaf");     /* overlong */
	TERM("\xed\xa0\x80", "\\xed\\xa0\\x80");     /* surrogate U+D800 */
	TERM("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");  /* above U+10FFFF */
	TERM("\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80");
	TERM("a\xc3", "a\\xc3");                     /* truncated at the end */
	TERM("\xe2\x82z", "\\xe2\\x82z");            /* truncated in the middle */
	TERM("\xc3\xa9\x80\xc3\xa9", "\xc3\xa9\\x80\xc3\xa9");  /* a stray continuation */
}

static void
test_term_bidi(void **state)
{
	(void)state;
	/* RLO: "evil\u202egnp.exe" would show as "evilexe.png". */
	TERM("evil\xe2\x80\xae" "gnp.exe", "evil\\u202egnp.exe");
	TERM("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae",
	    "\\u202a\\u202b\\u202c\\u202d\\u202e");
	TERM("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "\\u2066\\u2067\\u2068\\u2069");
	TERM("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c");
}

static void
test_dup(void **state)
{
	char *s = NULL;
	char big[3000];

	(void)state;
	assert_int_equal(textsafe_dup("host\x1b]0;x\x07", &s), 0);
	assert_string_equal(s, "host\\x1b]0;x\\x07");
	free(s);
	assert_int_equal(textsafe_dup("", &s), 0);
	assert_string_equal(s, "");
	free(s);
	/* The worst case: every byte escaped (4 or 6 output bytes per input byte). */
	memset(big, 0x1b, sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(textsafe_dup(big, &s), 0);
	assert_int_equal(strlen(s), 4 * (sizeof(big) - 1));
	free(s);
}

static void
test_fixed_buffer_unchanged(void **state)
{
	struct buf_wr wr;
	char mem[8];

	(void)state;
	buf_wr_init_fixed(&wr, mem, sizeof(mem));
	assert_int_equal(buf_put(&wr, "ab", 2), 0);
	assert_int_equal(textsafe_put(&wr, "\x1b\x1b", 2), CCL_ERR_TOO_LARGE);
	assert_int_equal(buf_wr_len(&wr), 2);
	assert_int_equal(textsafe_json_put(&wr, "\x01\x02", 2), CCL_ERR_TOO_LARGE);
	assert_int_equal(buf_wr_len(&wr), 2);
	assert_int_equal(textsafe_put(&wr, "cdef", 4), 0);
	assert_memory_equal(buf_wr_data(&wr), "abcdef", 6);
}

static void
test_json(void **state)
{
	(void)state;
	JSON("", "\"\"");
	JSON("/home/u/p \"q\" \\r", "\"/home/u/p \\\"q\\\" \\\\r\"");
	JSON("\b\t\n\f\r\x01\x1b\x7f", "\"\\b\\t\\n\\f\\r\\u0001\\u001b\\u007f\"");
	JSON("caf\xc3\xa9 \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
	/* C1 and bidi controls escaped (the same string once decoded). */
	JSON("\xc2\x85\xc2\x9b", "\"\\u0085\\u009b\"");
	JSON("a\xe2\x80\xae" "b\xe2\x81\xa6", "\"a\\u202eb\\u2066\"");
	JSON("\xe2\x80\xa8\xe2\x80\xa9", "\"\\u2028\\u2029\"");
	/* Invalid UTF-8 never reaches the output: U+FFFD per byte. */
	JSON("bad\xff", "\"bad\\ufffd\"");
	JSON("\x9b" "2J", "\"\\ufffd2J\"");
	JSON("\xc0\xaf\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
	JSON("a\xc3", "\"a\\ufffd\"");
	JSON("a\0b", "\"a\\u0000b\"");
}

/* What f received, as a string (the caller frees). */
static char *
captured(FILE *f)
{
	long n;
	char *b;

	assert_int_equal(fflush(f), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	b = calloc(1, (size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	return b;
}

static void
test_cli_helpers(void **state)
{
	FILE *f;
	char *got;

	(void)state;
	f = tmpfile();
	assert_non_null(f);
	cli_put_sanitized(f, "pc\x1b]0;trusted\x07 \xe2\x80\xae" "x \xc2\x9b \xff");
	got = captured(f);
	assert_string_equal(got, "pc\\x1b]0;trusted\\x07 \\u202ex \\u009b \\xff");
	free(got);
	fclose(f);
	f = tmpfile();
	assert_non_null(f);
	cli_put_json_string(f, "p\xc2\x85q\xe2\x80\xaer\xff\"");
	got = captured(f);
	assert_string_equal(got, "\"p\\u0085q\\u202er\\ufffd\\\"\"");
	free(got);
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_term_plain),
		cmocka_unit_test(test_term_controls),
		cmocka_unit_test(test_term_invalid_utf8),
		cmocka_unit_test(test_term_bidi),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_fixed_buffer_unchanged),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_cli_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
