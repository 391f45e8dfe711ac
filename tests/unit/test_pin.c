/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the PIN rules (pin.c). The cases and messages mirror cclink
 * 1.3's own tests of validate_pin; the extra cases pin down how 1.3 counts
 * (bytes for the length, Unicode code points for the other rules).
 */
#include "testutil.h"
#include "pin.h"

static void
check(const char *pin, enum pin_rule want, const char *msg)
{
	char m[128];
	int r;

	assert_int_equal(pin_check(pin, strlen(pin)), want);
	memset(m, 'x', sizeof(m));
	r = pin_validate(pin, strlen(pin), m, sizeof(m));
	assert_int_equal(r, want == PIN_OK ? 0 : CCL_ERR_INVALID_ARG);
	assert_string_equal(m, msg);
}

static void
test_length(void **state)
{
	(void)state;
	check("1234567", PIN_TOO_SHORT, "PIN must be at least 8 characters (got 7)");
	check("abc", PIN_TOO_SHORT, "PIN must be at least 8 characters (got 3)");
	check("", PIN_TOO_SHORT, "PIN must be at least 8 characters (got 0)");
	check("validpin", PIN_OK, "");
	/* 1.3 counts bytes: 4 × "é" is 8 bytes (all the same character, though). */
	check("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", PIN_ALL_SAME, "PIN rejected: all characters are the same");
	/* 3 × "é" + "a" is 7 bytes and 4 characters. */
	check("\xc3\xa9\xc3\xa9\xc3\xa9" "a", PIN_TOO_SHORT, "PIN must be at least 8 characters (got 7)");
	/* "éèéè": 8 bytes, 4 characters, no rule broken. */
	check("\xc3\xa9\xc3\xa8\xc3\xa9\xc3\xa8", PIN_OK, "");
}

static void
test_all_same(void **state)
{
	(void)state;
	check("00000000", PIN_ALL_SAME, "PIN rejected: all characters are the same");
	check("aaaaaaaa", PIN_ALL_SAME, "PIN rejected: all characters are the same");
	check("aaaaaaaaaaaaaaaaaaaa", PIN_ALL_SAME, "PIN rejected: all characters are the same");
	check("aaaaaaab", PIN_OK, "");
}

static void
test_sequential(void **state)
{
	(void)state;
	check("12345678", PIN_SEQUENTIAL, "PIN rejected: sequential pattern");
	check("abcdefgh", PIN_SEQUENTIAL, "PIN rejected: sequential pattern");
	check("87654321", PIN_SEQUENTIAL, "PIN rejected: sequential pattern");
	check("hgfedcba", PIN_SEQUENTIAL, "PIN rejected: sequential pattern");
	check("123456789", PIN_SEQUENTIAL, "PIN rejected: sequential pattern");
	check("0123456789:;", PIN_SEQUENTIAL, "PIN rejected: sequential pattern");
	check("12345679", PIN_OK, "");
	check("ABCDEFGh", PIN_OK, "");
	/* Code points, not bytes: U+00C0..U+00C3 and 😀😁 are runs. */
	check("\xc3\x80\xc3\x81\xc3\x82\xc3\x83", PIN_SEQUENTIAL, "PIN rejected: sequential pattern");
	check("\xf0\x9f\x98\x80\xf0\x9f\x98\x81", PIN_SEQUENTIAL, "PIN rejected: sequential pattern");
	check("\xf0\x9f\x98\x81\xf0\x9f\x98\x80", PIN_SEQUENTIAL, "PIN rejected: sequential pattern");
	check("\xf0\x9f\x98\x80\xf0\x9f\x98\x82", PIN_OK, "");
}

static void
test_common(void **state)
{
	(void)state;
	check("password", PIN_COMMON, "PIN rejected: common word or pattern");
	check("qwertyui", PIN_COMMON, "PIN rejected: common word or pattern");
	check("Password", PIN_COMMON, "PIN rejected: common word or pattern");
	check("PASSWORD", PIN_COMMON, "PIN rejected: common word or pattern");
	check("iloveyou", PIN_COMMON, "PIN rejected: common word or pattern");
	check("sunshine", PIN_COMMON, "PIN rejected: common word or pattern");
	check("princess", PIN_COMMON, "PIN rejected: common word or pattern");
	check("FootBall", PIN_COMMON, "PIN rejected: common word or pattern");
	check("baseball", PIN_COMMON, "PIN rejected: common word or pattern");
	check("asdfghjk", PIN_COMMON, "PIN rejected: common word or pattern");
	/* KELVIN SIGN lowercases to 'k' in Rust's to_lowercase. */
	check("asdfghj\xe2\x84\xaa", PIN_COMMON, "PIN rejected: common word or pattern");
	check("passwords", PIN_OK, "");
	check("password ", PIN_OK, "");
	check("p\xc3\xa0ssword", PIN_OK, "");
	check("MyS3cur3P1n!", PIN_OK, "");
}

static void
test_not_utf8(void **state)
{
	char m[64];

	(void)state;
	check("abcdefg\xff", PIN_NOT_UTF8, "PIN rejected: not valid UTF-8 text");
	check("\xc3\x28qwertyu", PIN_NOT_UTF8, "PIN rejected: not valid UTF-8 text");
	/* Length-delimited: an embedded NUL is just a character. */
	assert_int_equal(pin_check("abc\0defgh", 9), PIN_OK);
	/* msg may be NULL or short (truncated, NUL-terminated). */
	assert_int_equal(pin_validate("abc", 3, NULL, 0), CCL_ERR_INVALID_ARG);
	assert_int_equal(pin_validate("abc", 3, m, 4), CCL_ERR_INVALID_ARG);
	assert_string_equal(m, "PIN");
	assert_int_equal(pin_validate("validpin", 8, NULL, 0), 0);
	assert_int_equal(pin_check(NULL, 0), PIN_TOO_SHORT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_all_same),
		cmocka_unit_test(test_sequential),
		cmocka_unit_test(test_common),
		cmocka_unit_test(test_not_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
