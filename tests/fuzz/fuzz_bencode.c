/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the strict bencode decoder: anything it accepts must
 * be walkable and must be exactly its own canonical re-encoding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bencode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
reencode(struct benc_enc *e, const struct benc_val *v)
{
	struct benc_iter it;
	struct benc_val key, val;
	int r;

	switch (v->type) {
	case BENC_INT:
		return benc_enc_int(e, v->i);
	case BENC_STR:
		return benc_enc_str(e, v->s, v->len);
	case BENC_LIST:
	case BENC_DICT:
		if ((r = v->type == BENC_LIST ? benc_enc_list(e) : benc_enc_dict(e)) != 0 ||
		    (r = benc_iter_init(&it, v)) != 0)
			return r;
		while ((r = benc_iter_next(&it, &key, &val)) == 1) {
			if (v->type == BENC_DICT && (r = benc_enc_key_n(e, key.s, key.len)) != 0)
				return r;
			if ((r = reencode(e, &val)) != 0)
				return r;
		}
		if (r < 0)
			return r;
		return benc_enc_end(e);
	}
	return CCL_ERR_INTERNAL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct benc_val v, f;
	struct benc_enc e;
	struct buf_wr wr;

	if (benc_parse(data, size, &v) != 0)
		return 0;
	if (v.type == BENC_DICT)
		(void)benc_dict_find(&v, "t", 1, &f);
	buf_wr_init(&wr, size + 1);
	benc_enc_init(&e, &wr);
	if (reencode(&e, &v) != 0 || benc_enc_finish(&e) != 0 ||
	    buf_wr_len(&wr) != size || memcmp(buf_wr_data(&wr), data, size) != 0)
		abort();  /* accepted but not canonical */
	buf_wr_free(&wr);
	return 0;
}
