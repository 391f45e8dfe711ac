/* SPDX-License-Identifier: MIT */
/* handoff.c — build and open `_cclink` records; see handoff.h. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "handoff.h"
#include "pin.h"
#include "secret.h"

int
handoff_build(const struct handoff_new *h, const struct signer *s, char **value, size_t *len)
{
	struct record rec;
	struct age_recipient rcpt, all[HANDOFF_MAX_RCPTS + 1];
	uint8_t *payload = NULL;
	size_t plen = 0, n = 1, i;
	int r;

	*value = NULL;
	*len = 0;
	memset(&rec, 0, sizeof(rec));
	memset(&rcpt, 0, sizeof(rcpt));
	switch (h->mode) {
	case HANDOFF_SELF:
		r = age_recipient_from_ed25519_pk(&rcpt, s->pk);
		break;
	case HANDOFF_SHARE:
		if ((r = age_recipient_from_ed25519_pk(&rcpt, h->share_pk)) == 0)
			r = record_set_recipient(&rec, h->share_pk);
		break;
	case HANDOFF_PIN:
		randombytes_buf(rec.pin_salt, sizeof(rec.pin_salt));
		rec.has_pin_salt = 1;
		r = pin_derive_recipient(&rcpt, h->pin, h->pin_len, rec.pin_salt);
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
	all[0] = rcpt;
	if (h->mode == HANDOFF_SELF && h->n_rcpts > 0)
		n = 0;   /* the identity's own list replaces the converted key */
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
