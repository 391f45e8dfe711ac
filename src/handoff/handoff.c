/* SPDX-License-Identifier: MIT */
/* handoff.c — build and open `_cclink` records; see handoff.h. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "handoff.h"
#include "pin.h"
#include "secret.h"
#include "z32.h"

/* The stanzas and the recipient field of a shared record. */
static int
share_recipients(const struct handoff_new *h, struct record *rec, struct age_recipient *rcpts)
{
	struct buf_wr wr;
	char txt[AGE_RECIPIENT_LEN + Z32_KEY_LEN + 8];
	uint8_t *p = NULL;
	size_t i, n = 0;
	int r;

	if (h->n_share == 0 || h->n_share > HANDOFF_MAX_SHARE)
		return CCL_ERR_INVALID_ARG;
	/* One Ed25519 key: exactly what 1.3 writes and reads. */
	if (h->n_share == 1 && h->share[0].kind == HANDOFF_SHARE_ED25519) {
		if ((r = age_recipient_from_ed25519_pk(&rcpts[0], h->share[0].pk)) != 0)
			return r;
		return record_set_recipient(rec, h->share[0].pk);
	}
	buf_wr_init(&wr, 4096);
	for (i = 0; i < h->n_share; i++) {
		if (h->share[i].kind == HANDOFF_SHARE_ED25519) {
			if ((r = age_recipient_from_ed25519_pk(&rcpts[i], h->share[i].pk)) != 0)
				goto out;
			z32_encode(txt, h->share[i].pk, 32);
		} else if (h->share[i].kind == HANDOFF_SHARE_AGE) {
			age_recipient_from_x25519(&rcpts[i], h->share[i].pk);
			if ((r = age_recipient_encode(&rcpts[i], txt, sizeof(txt))) != 0)
				goto out;
		} else {
			r = CCL_ERR_INVALID_ARG;
			goto out;
		}
		if ((i > 0 && (r = buf_put_u8(&wr, ',')) != 0) || (r = buf_put_cstr(&wr, txt)) != 0)
			goto out;
	}
	if ((r = buf_wr_detach(&wr, &p, &n)) != 0)
		goto out;
	free(rec->recipient);
	rec->recipient = (char *)p;
	r = 0;
 out:
	buf_wr_free(&wr);
	return r;
}

int
handoff_recipients(const struct record *rec, struct handoff_share *out, size_t max, size_t *n)
{
	struct age_recipient ar;
	const char *s, *e;
	char entry[AGE_RECIPIENT_LEN + 8];
	size_t len;

	*n = 0;
	if (rec->recipient == NULL)
		return CCL_ERR_NOT_FOUND;
	for (s = rec->recipient;; s = e + 1) {
		e = strchr(s, ',');
		len = e != NULL ? (size_t)(e - s) : strlen(s);
		if (len == 0 || len >= sizeof(entry))
			return CCL_ERR_FORMAT;
		if (*n == max)
			return CCL_ERR_TOO_LARGE;
		memcpy(entry, s, len);
		entry[len] = '\0';
		memset(&out[*n], 0, sizeof(out[*n]));
		if (strncmp(entry, "age1", 4) == 0) {
			if (age_recipient_parse(&ar, entry) != 0)
				return CCL_ERR_FORMAT;
			out[*n].kind = HANDOFF_SHARE_AGE;
			memcpy(out[*n].pk, ar.pk, 32);
		} else {
			if (z32_parse_pubkey(out[*n].pk, entry) != 0)
				return CCL_ERR_FORMAT;
			out[*n].kind = HANDOFF_SHARE_ED25519;
		}
		(*n)++;
		if (e == NULL)
			return 0;
	}
}

int
handoff_build(const struct handoff_new *h, const struct signer *s, char **value, size_t *len)
{
	struct record rec;
	struct age_recipient rcpts[HANDOFF_MAX_SHARE], all[HANDOFF_MAX_SHARE + HANDOFF_MAX_RCPTS];
	uint8_t *payload = NULL;
	size_t plen = 0, nr = 1, n = 0, i;
	int r;

	*value = NULL;
	*len = 0;
	memset(&rec, 0, sizeof(rec));
	memset(rcpts, 0, sizeof(rcpts));
	switch (h->mode) {
	case HANDOFF_SELF:
		r = age_recipient_from_ed25519_pk(&rcpts[0], s->pk);
		break;
	case HANDOFF_SHARE:
		r = share_recipients(h, &rec, rcpts);
		nr = h->n_share;
		break;
	case HANDOFF_PIN:
		randombytes_buf(rec.pin_salt, sizeof(rec.pin_salt));
		rec.has_pin_salt = 1;
		r = pin_derive_recipient(&rcpts[0], h->pin, h->pin_len, rec.pin_salt);
		break;
	default:
		r = CCL_ERR_INVALID_ARG;
	}
	if (r != 0)
		goto out;
	if (h->n_rcpts > HANDOFF_MAX_RCPTS || (h->n_rcpts > 0 && h->mode == HANDOFF_PIN)) {
		r = CCL_ERR_INVALID_ARG;
		goto out;
	}
	/* An identity's own list replaces the converted key of a self record; extras add up. */
	if (!(h->mode == HANDOFF_SELF && h->n_rcpts > 0))
		for (i = 0; i < nr; i++)
			all[n++] = rcpts[i];
	for (i = 0; i < h->n_rcpts; i++)
		all[n++] = h->rcpts[i];
	rec.burn = h->burn;
	rec.created_at = h->created_at;
	rec.ttl = h->ttl;
	/* hostname and project travel only inside the encrypted payload (1.1+). */
	if ((r = record_payload_encode(h->hostname, h->project, h->session_id, NULL, 0,
	    &payload, &plen)) != 0 ||
	    (r = record_seal(&rec, all, n, payload, plen)) != 0 ||
	    (r = record_sign(&rec, s)) != 0 ||
	    (r = record_encode(&rec, value, len)) != 0)
		goto out;
	r = 0;
 out:
	ccl_freezero(payload, plen);
	record_free(&rec);
	return r;
}

int
handoff_parse(const char *value, size_t len, const uint8_t packet_pk[static 32], struct record *rec)
{
	int r;

	if ((r = record_parse(value, len, rec)) != 0)
		return r;
	return record_verify(rec, packet_pk);
}

enum handoff_mode
handoff_mode_of(const struct record *rec)
{
	if (rec->has_pin_salt)
		return HANDOFF_PIN;
	if (rec->recipient != NULL)
		return HANDOFF_SHARE;
	return HANDOFF_SELF;
}

static char *
dup_or_empty(const char *s)
{
	return strdup(s != NULL ? s : "");
}

/* Parse the plaintext, or accept a bare session id (1.0's payload). */
static int
parse_plaintext(const struct record *rec, const uint8_t *pt, size_t ptlen,
    struct record_payload *pl)
{
	char *id;
	int r;

	if ((r = record_payload_parse(pt, ptlen, pl)) == 0)
		return 0;
	record_payload_free(pl);
	if (ptlen == 0 || ptlen > 256 || memchr(pt, '\0', ptlen) != NULL ||
	    (id = strndup((const char *)pt, ptlen)) == NULL)
		return CCL_ERR_FORMAT;
	if (!record_session_id_ok(id)) {
		free(id);
		return CCL_ERR_FORMAT;
	}
	pl->s = id;
	if ((pl->h = dup_or_empty(rec->hostname)) == NULL ||
	    (pl->p = dup_or_empty(rec->project)) == NULL) {
		record_payload_free(pl);
		return CCL_ERR_NOMEM;
	}
	return 0;
}

int
handoff_open(const struct record *rec, const struct age_identity *ids, size_t n,
    struct record_payload *pl)
{
	uint8_t *pt = NULL;
	size_t ptlen = 0;
	int r;

	memset(pl, 0, sizeof(*pl));
	if ((r = record_open(rec, ids, n, &pt, &ptlen)) != 0)
		return r;
	r = parse_plaintext(rec, pt, ptlen, pl);
	secret_free(pt);
	return r;
}

int
handoff_open_pin(const struct record *rec, const char *pin, size_t pin_len,
    struct record_payload *pl)
{
	struct age_identity id;
	int r;

	memset(pl, 0, sizeof(*pl));
	memset(&id, 0, sizeof(id));
	if (!rec->has_pin_salt)
		return CCL_ERR_INVALID_ARG;
	if ((r = pin_derive_identity(&id, pin, pin_len, rec->pin_salt)) == 0)
		r = handoff_open(rec, &id, 1, pl);
	age_identity_cleanup(&id);
	return r;
}
