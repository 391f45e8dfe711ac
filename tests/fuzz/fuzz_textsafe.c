/* SPDX-License-Identifier: MIT */
/*
 * fuzz_textsafe.c — libFuzzer target for the terminal sanitizer and the JSON
 * escaper: the terminal form is always clean (so sanitizing it again is the
 * identity), clean input is left as it is, and the JSON form is valid UTF-8
 * without C1 or bidi controls.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonw.h"
#include "textsafe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf_wr a, b, j;
	const char *s = (const char *)data;

	buf_wr_init(&a, 1u << 20);
	buf_wr_init(&b, 1u << 20);
	buf_wr_init(&j, 1u << 20);
	if (textsafe_put(&a, s, size) != 0)
		abort();
	if (!textsafe_is_clean((const char *)buf_wr_data(&a), buf_wr_len(&a)))
		abort();
	if (textsafe_put(&b, (const char *)buf_wr_data(&a), buf_wr_len(&a)) != 0 ||
	    buf_wr_len(&a) != buf_wr_len(&b) ||
	    (buf_wr_len(&a) > 0 && memcmp(buf_wr_data(&a), buf_wr_data(&b), buf_wr_len(&a)) != 0))
		abort();
	if (textsafe_is_clean(s, size) &&
	    (buf_wr_len(&a) != size || (size > 0 && memcmp(buf_wr_data(&a), data, size) != 0)))
		abort();
	if (textsafe_json_put(&j, s, size) != 0 || !jsonw_utf8_valid(buf_wr_data(&j), buf_wr_len(&j)))
		abort();
	if (memchr(buf_wr_data(&j), 0x1b, buf_wr_len(&j)) != NULL)
		abort();
	buf_wr_free(&a);
	buf_wr_free(&b);
	buf_wr_free(&j);
	return 0;
}
