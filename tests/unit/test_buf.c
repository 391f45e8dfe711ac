/* SPDX-License-Identifier: MIT */
#include "testutil.h"
#include <sodium.h>
#include "buf.h"

static void
test_reader_ints(void **state)
{
	const uint8_t d[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };
	struct buf_rd rd;
	uint8_t u8; uint16_t u16; uint32_t u32; uint64_t u64;

	(void)state;
	buf_rd_init(&rd, d, sizeof(d));
	assert_int_equal(buf_get_u8(&rd, &u8), 0);
	assert_int_equal(u8, 1);
	assert_int_equal(buf_get_u16be(&rd, &u16), 0);
	assert_int_equal(u16, 0x0203);
	assert_int_equal(buf_get_u32be(&rd, &u32), 0);
	assert_int_equal(u32, 0x04050607);
	assert_int_equal(buf_get_u64be(&rd, &u64), CCL_ERR_TRUNCATED);
	assert_int_equal(buf_offset(&rd), 7);  /* a failed read does not move */
	assert_int_equal(buf_remaining(&rd), 7);
	assert_int_equal(buf_seek(&rd, 6), 0);
	assert_int_equal(buf_get_u64be(&rd, &u64), 0);
	assert_true(u64 == 0x0708090a0b0c0d0eULL);
	assert_int_equal(buf_done(&rd), 0);
	assert_int_equal(buf_get_u8(&rd, &u8), CCL_ERR_TRUNCATED);
}

static void
test_reader_hostile_lengths(void **state)
{
	const uint8_t d[] = { 'a', 'b', 'c' };
	const size_t lens[] = { 4, SIZE_MAX, SIZE_MAX - 1, (size_t)0x80000000u, (size_t)0xffffffffu };
	struct buf_rd rd, child;
	const uint8_t *p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		buf_rd_init(&rd, d, sizeof(d));
		assert_int_equal(buf_skip(&rd, 1), 0);
		assert_int_equal(buf_get_bytes(&rd, lens[i], &p), CCL_ERR_TRUNCATED);
		assert_int_equal(buf_sub(&rd, lens[i], &child), CCL_ERR_TRUNCATED);
		assert_int_equal(buf_skip(&rd, lens[i]), CCL_ERR_TRUNCATED);
		assert_int_equal(buf_offset(&rd), 1);
	}
	assert_int_equal(buf_seek(&rd, 4), CCL_ERR_TRUNCATED);
	assert_int_equal(buf_seek(&rd, 3), 0);
	assert_int_equal(buf_done(&rd), 0);
}

static void
test_reader_sub_expect_line(void **state)
{
	const char *s = "age-encryption.org/v1\n-> X25519 abc\nrest";
	struct buf_rd rd, child;
	const uint8_t *line;
	size_t n;
	uint8_t c;

	(void)state;
	buf_rd_init(&rd, s, strlen(s));
	assert_int_equal(buf_expect(&rd, "age-", 4), 0);
	assert_int_equal(buf_expect(&rd, "XXX", 3), CCL_ERR_FORMAT);
	assert_int_equal(buf_get_line(&rd, 64, &line, &n), 0);
	assert_int_equal(n, strlen("encryption.org/v1"));
	assert_int_equal(buf_get_line(&rd, 5, &line, &n), CCL_ERR_TOO_LARGE);
	assert_int_equal(buf_get_line(&rd, 64, &line, &n), 0);
	assert_memory_equal(line, "-> X25519 abc", n);
	assert_int_equal(buf_get_line(&rd, 64, &line, &n), CCL_ERR_TRUNCATED);
	assert_int_equal(buf_sub(&rd, 2, &child), 0);
	assert_int_equal(buf_remaining(&child), 2);
	assert_int_equal(buf_get_u8(&child, &c), 0);
	assert_int_equal(c, 'r');
	assert_int_equal(buf_done(&child), CCL_ERR_TRAILING);
	assert_int_equal(buf_remaining(&rd), 2);
	buf_rd_init(&rd, NULL, 5);
	assert_int_equal(buf_remaining(&rd), 0);
}

static void
test_writer_growth_and_max(void **state)
{
	struct buf_wr wr;
	uint8_t *p;
	size_t n, i;

	(void)state;
	buf_wr_init(&wr, 1000);
	for (i = 0; i < 100; i++)
		assert_int_equal(buf_put(&wr, "0123456789", 10), 0);
	assert_int_equal(buf_wr_len(&wr), 1000);
	assert_int_equal(buf_put_u8(&wr, 'x'), CCL_ERR_TOO_LARGE);
	assert_int_equal(buf_wr_len(&wr), 1000);  /* unchanged */
	assert_int_equal(buf_truncate(&wr, 3), 0);
	assert_int_equal(buf_put_u64dec(&wr, 0), 0);
	assert_int_equal(buf_put_u64dec(&wr, 18446744073709551615ULL), 0);
	assert_int_equal(buf_put_i64dec(&wr, INT64_MIN), 0);
	assert_int_equal(buf_put_u16be(&wr, 0xabcd), 0);
	assert_int_equal(buf_poke_u16be(&wr, 0, 0x4142), 0);
	assert_int_equal(buf_poke_u16be(&wr, buf_wr_len(&wr) - 1, 1), CCL_ERR_INVALID_ARG);
	assert_int_equal(buf_wr_detach(&wr, &p, &n), 0);
	assert_int_equal(n, 3 + 1 + 20 + 20 + 2);
	assert_memory_equal(p, "AB2018446744073709551615-9223372036854775808", n - 2);
	assert_int_equal(p[n], 0);
	free(p);
	buf_wr_free(&wr);
}

static void
test_writer_fixed(void **state)
{
	uint8_t mem[6];
	struct buf_wr wr;

	(void)state;
	buf_wr_init_fixed(&wr, mem, sizeof(mem));
	assert_int_equal(buf_put_u32be(&wr, 0x01020304), 0);
	assert_int_equal(buf_put_u32be(&wr, 0x05060708), CCL_ERR_TOO_LARGE);
	assert_int_equal(buf_put_u16be(&wr, 0x0506), 0);
	assert_int_equal(buf_put_u8(&wr, 7), CCL_ERR_TOO_LARGE);
	assert_int_equal(buf_wr_len(&wr), 6);
	assert_memory_equal(mem, "\x01\x02\x03\x04\x05\x06", 6);
	buf_wr_free(&wr);  /* does not free caller memory */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_ints),
		cmocka_unit_test(test_reader_hostile_lengths),
		cmocka_unit_test(test_reader_sub_expect_line),
		cmocka_unit_test(test_writer_growth_and_max),
		cmocka_unit_test(test_writer_fixed),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
