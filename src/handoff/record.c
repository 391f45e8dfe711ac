/* SPDX-License-Identifier: MIT */
/*
 * record.c — the cclink v1.3 record: canonical signable, TXT encoding,
 * strict parsing, verification, expiry, DNS budget, payload (record.h).
 *
 * Trust boundary: record_parse and record_payload_parse take untrusted
 * bytes; they cap the size, then read only through jsonr (buf_rd).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"
#include "jsonr.h"
#include "jsonw.h"
#include "record.h"
#include "secret.h"
#include "z32.h"

/* Writers never need more than this (a record is < 1000 bytes on the wire). */
#define RECORD_WR_MAX (64 * 1024)

enum {
	F_BLOB, F_BURN, F_CREATED_AT, F_HOSTNAME, F_PIN_SALT, F_PROJECT,
	F_PUBKEY, F_RECIPIENT, F_SIGNATURE, F_TTL, F_COUNT
};

static const char *const field_names[F_COUNT] = {
	"blob", "burn", "created_at", "hostname", "pin_salt", "project",
	"pubkey", "recipient", "signature", "ttl",
};

/* serde's defaults: these five may be missing. */
#define F_REQUIRED ((1u << F_BLOB) | (1u << F_CREATED_AT) | (1u << F_PUBKEY) | \
	(1u << F_SIGNATURE) | (1u << F_TTL))

void
record_free(struct record *rec)
{
	if (rec == NULL)
		return;
	free(rec->blob);
	free(rec->hostname);
	free(rec->project);
	free(rec->recipient);
	memset(rec, 0, sizeof(*rec));
}

int
record_set_recipient(struct record *rec, const uint8_t pk[static 32])
{
	char *s;

	if ((s = malloc(Z32_KEY_LEN + 1)) == NULL)
		return CCL_ERR_NOMEM;
	z32_encode(s, pk, 32);
	free(rec->recipient);
	rec->recipient = s;
	return 0;
}

int
record_recipient_key(const struct record *rec, uint8_t pk[static 32])
{
	memset(pk, 0, 32);
	if (rec->recipient == NULL)
		return CCL_ERR_NOT_FOUND;
	return z32_parse_pubkey(pk, rec->recipient);
}

static const char *
str_or_empty(const char *s)
{
	return s == NULL ? "" : s;
}

/* A base64 (standard, padded) string value. */
static int
put_b64(struct jsonw *j, const uint8_t *b, size_t n)
{
	size_t l = b64_encoded_len(n, B64_STD_PAD);
	char *s;
	int r;

	if ((s = malloc(l + 1)) == NULL)
		return CCL_ERR_NOMEM;
	b64_encode(s, b, n, B64_STD_PAD);
	r = jsonw_strn(j, s, l);
	free(s);
	return r;
}

static int
put_z32(struct jsonw *j, const uint8_t pk[static 32])
{
	char s[Z32_KEY_LEN + 1];

	z32_encode(s, pk, 32);
	return jsonw_strn(j, s, Z32_KEY_LEN);
}

/*
 * The record as JSON. signable: all nine signed keys, defaults written out,
 * null for absent options, no signature. Otherwise: the TXT value, defaults
 * omitted (serde's skip_serializing_if), signature included.
 */
static int
write_record(const struct record *rec, struct buf_wr *wr, int signable)
{
	const char *host = str_or_empty(rec->hostname);
	const char *proj = str_or_empty(rec->project);
	struct jsonw j;
	int r;

	if (rec->blob_len > 0 && rec->blob == NULL)
		return CCL_ERR_INVALID_ARG;
	jsonw_init(&j, wr);
	if ((r = jsonw_begin_object(&j)) != 0 ||
	    (r = jsonw_key(&j, "blob")) != 0 ||
	    (r = put_b64(&j, rec->blob, rec->blob_len)) != 0)
		return r;
	if ((signable || rec->burn) &&
	    ((r = jsonw_key(&j, "burn")) != 0 || (r = jsonw_bool(&j, rec->burn)) != 0))
		return r;
	if ((r = jsonw_key(&j, "created_at")) != 0 ||
	    (r = jsonw_u64(&j, rec->created_at)) != 0)
		return r;
	if ((signable || *host != '\0') &&
	    ((r = jsonw_key(&j, "hostname")) != 0 || (r = jsonw_str(&j, host)) != 0))
		return r;
	if (signable || rec->has_pin_salt) {
		if ((r = jsonw_key(&j, "pin_salt")) != 0)
			return r;
		r = rec->has_pin_salt ? put_b64(&j, rec->pin_salt, RECORD_SALT_LEN) :
		    jsonw_null(&j);
		if (r != 0)
			return r;
	}
	if ((signable || *proj != '\0') &&
	    ((r = jsonw_key(&j, "project")) != 0 || (r = jsonw_str(&j, proj)) != 0))
		return r;
	if ((r = jsonw_key(&j, "pubkey")) != 0 || (r = put_z32(&j, rec->pubkey)) != 0)
		return r;
	if (signable || rec->recipient != NULL) {
		if ((r = jsonw_key(&j, "recipient")) != 0)
			return r;
		r = rec->recipient != NULL ? jsonw_str(&j, rec->recipient) : jsonw_null(&j);
		if (r != 0)
			return r;
	}
	if (!signable &&
	    ((r = jsonw_key(&j, "signature")) != 0 ||
	    (r = put_b64(&j, rec->signature, RECORD_SIG_LEN)) != 0))
		return r;
	if ((r = jsonw_key(&j, "ttl")) != 0 || (r = jsonw_u64(&j, rec->ttl)) != 0 ||
	    (r = jsonw_end_object(&j)) != 0)
		return r;
	return jsonw_finish(&j);
}

int
record_signable(const struct record *rec, struct buf_wr *wr)
{
	size_t start = buf_wr_len(wr);
	int r;

	if ((r = write_record(rec, wr, 1)) != 0 && buf_truncate(wr, start) != 0)
		r = CCL_ERR_INTERNAL;
	return r;
}

int
record_sign(struct record *rec, const struct signer *signer)
{
	struct buf_wr wr;
	int r;

	buf_wr_init(&wr, RECORD_WR_MAX);
	memcpy(rec->pubkey, signer->pk, 32);
	if ((r = record_signable(rec, &wr)) != 0 ||
	    (r = signer_sign(signer, rec->signature, buf_wr_data(&wr), buf_wr_len(&wr))) != 0)
		goto out;
	r = 0;
 out:
	buf_wr_free(&wr);
	return r;
}

int
record_encode(const struct record *rec, char **json, size_t *len)
{
	struct buf_wr wr;
	uint8_t *p = NULL;
	size_t n = 0;
	int r;

	*json = NULL;
	*len = 0;
	buf_wr_init(&wr, RECORD_WR_MAX);
	if ((r = write_record(rec, &wr, 0)) != 0 ||
	    (r = buf_wr_detach(&wr, &p, &n)) != 0)
		goto out;
	*json = (char *)p;
	*len = n;
	p = NULL;
 out:
	buf_wr_free(&wr);
	free(p);
	return r;
}

/* Decode a base64 member into exactly want bytes (want 0: any length, heap). */
static int
get_b64_fixed(const struct jsonr_member *m, uint8_t *out, size_t want)
{
	char *s = NULL;
	size_t slen, n;
	int r;

	if ((r = jsonr_get_string(m, &s, &slen)) != 0)
		goto out;
	if ((r = b64_decode(out, want, &n, s, slen, B64_STD_PAD)) != 0)
		goto out;
	r = n == want ? 0 : CCL_ERR_FORMAT;
 out:
	free(s);
	return r;
}

static int
get_blob(const struct jsonr_member *m, struct record *rec)
{
	char *s = NULL;
	uint8_t *b = NULL;
	size_t slen, cap, n;
	int r;

	if ((r = jsonr_get_string(m, &s, &slen)) != 0)
		goto out;
	/* 4 characters decode to at most 3 bytes; +1 keeps malloc(0) away. */
	cap = slen / 4 * 3 + 1;
	if ((b = malloc(cap)) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	if ((r = b64_decode(b, cap, &n, s, slen, B64_STD_PAD)) != 0)
		goto out;
	rec->blob = b;
	rec->blob_len = n;
	b = NULL;
 out:
	free(s);
	free(b);
	return r;
}

static int
get_pubkey(const struct jsonr_member *m, uint8_t pk[static 32])
{
	char *s = NULL;
	size_t slen;
	int r;

	if ((r = jsonr_get_string(m, &s, &slen)) == 0)
		r = z32_decode(pk, 32, s, slen);
	free(s);
	return r == 0 ? 0 : CCL_ERR_FORMAT;
}

static int
parse_field(int f, const struct jsonr_member *m, struct record *rec)
{
	int nullable = (f == F_PIN_SALT || f == F_RECIPIENT);

	if (m->type == JSONR_NULL)
		return nullable ? 0 : CCL_ERR_FORMAT;   /* serde: Option → None */
	switch (f) {
	case F_BLOB:
		return get_blob(m, rec);
	case F_BURN:
		return jsonr_get_bool(m, &rec->burn);
	case F_CREATED_AT:
		return jsonr_get_u64(m, &rec->created_at);
	case F_HOSTNAME:
		return jsonr_get_string(m, &rec->hostname, NULL);
	case F_PIN_SALT:
		rec->has_pin_salt = 1;
		return get_b64_fixed(m, rec->pin_salt, RECORD_SALT_LEN);
	case F_PROJECT:
		return jsonr_get_string(m, &rec->project, NULL);
	case F_PUBKEY:
		return get_pubkey(m, rec->pubkey);
	case F_RECIPIENT:
		return jsonr_get_string(m, &rec->recipient, NULL);
	case F_SIGNATURE:
		return get_b64_fixed(m, rec->signature, RECORD_SIG_LEN);
	case F_TTL:
		return jsonr_get_u64(m, &rec->ttl);
	}
	return CCL_ERR_INTERNAL;
}

int
record_parse(const char *json, size_t len, struct record *out)
{
	struct jsonr_member *m = NULL;
	unsigned seen = 0;
	size_t n = 0, i;
	int f, r;

	memset(out, 0, sizeof(*out));
	if (len > RECORD_JSON_MAX)
		return CCL_ERR_TOO_LARGE;
	if (json == NULL && len > 0)
		return CCL_ERR_INVALID_ARG;
	if ((r = jsonr_object((const uint8_t *)json, len, &m, &n)) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		for (f = 0; f < F_COUNT; f++) {
			if (jsonr_key_is(&m[i], field_names[f]))
				break;
		}
		if (f == F_COUNT)
			continue;   /* unknown keys are ignored, as serde does */
		if ((seen & (1u << f)) != 0) {
			r = CCL_ERR_FORMAT;   /* duplicate field */
			goto out;
		}
		seen |= 1u << f;
		if ((r = parse_field(f, &m[i], out)) != 0)
			goto out;
	}
	if ((seen & F_REQUIRED) != F_REQUIRED) {
		r = CCL_ERR_FORMAT;   /* missing field */
		goto out;
	}
	r = 0;
 out:
	free(m);
	return r;
}

int
record_verify(const struct record *rec, const uint8_t packet_pk[static 32])
{
	struct buf_wr wr;
	int r;

	/* Public keys: no need for a constant-time compare. */
	if (memcmp(rec->pubkey, packet_pk, 32) != 0)
		return CCL_ERR_KEY_MISMATCH;
	buf_wr_init(&wr, RECORD_WR_MAX);
	if ((r = record_signable(rec, &wr)) != 0)
		goto out;
	if (crypto_sign_verify_detached(rec->signature, buf_wr_data(&wr),
	    buf_wr_len(&wr), packet_pk) != 0) {
		r = CCL_ERR_SIG_INVALID;
		goto out;
	}
	r = 0;
 out:
	buf_wr_free(&wr);
	return r;
}

uint64_t
record_expires_at(const struct record *rec)
{
	if (rec->ttl > UINT64_MAX - rec->created_at)
		return UINT64_MAX;
	return rec->created_at + rec->ttl;
}

int
record_expired(const struct record *rec, uint64_t now)
{
	return now >= record_expires_at(rec);
}

uint64_t
record_time_left(const struct record *rec, uint64_t now)
{
	uint64_t e = record_expires_at(rec);

	return now >= e ? 0 : e - now;
}

size_t
record_dns_rr_len(size_t value_len)
{
	size_t rdata;

	if (value_len > SIZE_MAX / 2)
		return SIZE_MAX;
	/* 254-byte character strings (simple-dns); "" is one empty string. */
	rdata = value_len == 0 ? 1 : value_len + (value_len + 253) / 254;
	return RECORD_TXT_RR_FIXED + rdata;
}

int
record_fits(size_t value_len, size_t other_dns_bytes)
{
	size_t total;

	if (!ccl_add_ok(RECORD_DNS_HEADER, record_dns_rr_len(value_len), &total) ||
	    !ccl_add_ok(total, other_dns_bytes, &total))
		return 0;
	return total <= RECORD_DNS_MAX;
}

size_t
record_max_value_len(size_t other_dns_bytes)
{
	size_t l;

	if (other_dns_bytes > RECORD_DNS_MAX ||
	    RECORD_DNS_MAX - other_dns_bytes < RECORD_DNS_HEADER + RECORD_TXT_RR_FIXED + 1)
		return 0;
	/* An upper bound (no chunk bytes), then down to the first that fits. */
	l = RECORD_DNS_MAX - other_dns_bytes - RECORD_DNS_HEADER - RECORD_TXT_RR_FIXED;
	while (l > 0 && !record_fits(l, other_dns_bytes))
		l--;
	return l;
}

int
record_session_id_ok(const char *s)
{
	struct buf_rd rd;
	uint8_t c, c1;

	if (s == NULL || s[0] == '\0' || s[0] == '-')
		return 0;
	buf_rd_init(&rd, s, strlen(s));
	while (buf_get_u8(&rd, &c) == 0) {
		if (c < 0x20 || c == 0x7f)
			return 0;
		/* C1 controls U+0080..U+009F (UTF-8 c2 80..c2 9f). */
		if (c == 0xc2 && buf_peek_u8(&rd, &c1) == 0 && c1 >= 0x80 && c1 <= 0x9f)
			return 0;
		/* It names a transcript file (<id>.jsonl): no path separator. */
		if (c == '/')
			return 0;
	}
	return 1;
}

int
record_payload_encode(const char *h, const char *p, const char *s,
    const struct record_kv *extra, size_t nextra, uint8_t **out, size_t *outlen)
{
	struct buf_wr wr;
	struct jsonw j;
	size_t i;
	int r;

	*out = NULL;
	*outlen = 0;
	if (h == NULL || p == NULL || s == NULL || (nextra > 0 && extra == NULL))
		return CCL_ERR_INVALID_ARG;
	for (i = 0; i < nextra; i++) {
		if (extra[i].key == NULL || extra[i].value == NULL ||
		    strcmp(extra[i].key, "h") == 0 || strcmp(extra[i].key, "p") == 0 ||
		    strcmp(extra[i].key, "s") == 0)
			return CCL_ERR_INVALID_ARG;
	}
	buf_wr_init(&wr, RECORD_WR_MAX);
	jsonw_init(&j, &wr);
	if ((r = jsonw_begin_object(&j)) != 0 ||
	    (r = jsonw_key(&j, "h")) != 0 || (r = jsonw_str(&j, h)) != 0 ||
	    (r = jsonw_key(&j, "p")) != 0 || (r = jsonw_str(&j, p)) != 0 ||
	    (r = jsonw_key(&j, "s")) != 0 || (r = jsonw_str(&j, s)) != 0)
		goto out;
	for (i = 0; i < nextra; i++) {
		if ((r = jsonw_key(&j, extra[i].key)) != 0 ||
		    (r = jsonw_str(&j, extra[i].value)) != 0)
			goto out;
	}
	if ((r = jsonw_end_object(&j)) != 0 || (r = jsonw_finish(&j)) != 0 ||
	    (r = buf_wr_detach(&wr, out, outlen)) != 0)
		goto out;
 out:
	buf_wr_free(&wr);
	return r;
}

void
record_payload_free(struct record_payload *pl)
{
	if (pl == NULL)
		return;
	ccl_freezero_str(pl->h);
	ccl_freezero_str(pl->p);
	ccl_freezero_str(pl->s);
	memset(pl, 0, sizeof(*pl));
}

int
record_payload_parse(const uint8_t *buf, size_t len, struct record_payload *out)
{
	static const char *const names[3] = { "h", "p", "s" };
	struct jsonr_member *m = NULL;
	char **dst[3];
	unsigned seen = 0;
	size_t n = 0, i;
	int f, r;

	memset(out, 0, sizeof(*out));
	dst[0] = &out->h;
	dst[1] = &out->p;
	dst[2] = &out->s;
	if (len > RECORD_PAYLOAD_MAX)
		return CCL_ERR_TOO_LARGE;
	if (buf == NULL && len > 0)
		return CCL_ERR_INVALID_ARG;
	if ((r = jsonr_object(buf, len, &m, &n)) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		for (f = 0; f < 3; f++) {
			if (jsonr_key_is(&m[i], names[f]))
				break;
		}
		if (f == 3)
			continue;
		if ((seen & (1u << f)) != 0) {
			r = CCL_ERR_FORMAT;
			goto out;
		}
		seen |= 1u << f;
		if ((r = jsonr_get_string(&m[i], dst[f], NULL)) != 0)
			goto out;
	}
	if (seen != 7 || !record_session_id_ok(out->s)) {
		r = CCL_ERR_FORMAT;
		goto out;
	}
	r = 0;
 out:
	free(m);
	return r;
}
