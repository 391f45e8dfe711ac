/* SPDX-License-Identifier: MIT */
/*
 * agent_msg.c — ssh-agent messages: build requests, parse replies (no I/O).
 * See agent.h. Parses untrusted bytes from the agent socket, all through
 * buf_rd; counts and lengths are capped before allocating.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "agent.h"
#include "b64.h"

#define ED25519_NAME "ssh-ed25519"

void
agent_keylist_free(struct agent_keylist *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->keys[i].blob);
		free(l->keys[i].comment);
	}
	free(l->keys);
	l->keys = NULL;
	l->n = 0;
}

void
agent_fingerprint(char out[static AGENT_FP_LEN + 1], const uint8_t *blob, size_t n)
{
	uint8_t h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, blob, n);
	memcpy(out, "SHA256:", 7);
	b64_encode(out + 7, h, sizeof(h), B64_STD_NOPAD);
}

void
agent_ed25519_blob(uint8_t out[static AGENT_ED25519_BLOB_LEN], const uint8_t pk[static 32])
{
	static const uint8_t head[] = { 0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5',
		'5', '1', '9', 0, 0, 0, 32 };

	memcpy(out, head, sizeof(head));
	memcpy(out + sizeof(head), pk, 32);
}

/* An SSH string: u32 length (at most max), then that many bytes (borrowed). */
static int
get_string(struct buf_rd *rd, size_t max, const uint8_t **p, size_t *n)
{
	struct buf_rd save = *rd;
	uint32_t len;
	int r;

	*p = NULL;
	*n = 0;
	if ((r = buf_get_u32be(rd, &len)) != 0)
		return r;
	if (len > max) {
		*rd = save;
		return CCL_ERR_TOO_LARGE;
	}
	if ((r = buf_get_bytes(rd, len, p)) != 0) {
		*rd = save;
		return r;
	}
	*n = len;
	return 0;
}

static int
put_string(struct buf_wr *wr, const void *p, size_t n)
{
	int r;

	if (n > UINT32_MAX)
		return CCL_ERR_TOO_LARGE;
	if ((r = buf_put_u32be(wr, (uint32_t)n)) != 0 || (r = buf_put(wr, p, n)) != 0)
		return r;
	return 0;
}

static int
name_is(const uint8_t *p, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(p, lit, n) == 0;
}

static int
has_suffix(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

enum agent_key_type
agent_key_type_of(const char *name, size_t n)
{
	if (has_suffix(name, n, "-cert-v01@openssh.com"))
		return AGENT_KEY_CERT;
	if (name_is((const uint8_t *)name, n, ED25519_NAME))
		return AGENT_KEY_ED25519;
	if (name_is((const uint8_t *)name, n, "sk-ssh-ed25519@openssh.com"))
		return AGENT_KEY_SK_ED25519;
	if (n >= 11 && memcmp(name, "ecdsa-sha2-", 11) == 0)
		return AGENT_KEY_ECDSA;
	if (n >= 14 && memcmp(name, "sk-ecdsa-sha2-", 14) == 0)
		return AGENT_KEY_SK_ECDSA;
	if (name_is((const uint8_t *)name, n, "ssh-rsa"))
		return AGENT_KEY_RSA;
	if (name_is((const uint8_t *)name, n, "ssh-dss"))
		return AGENT_KEY_DSA;
	return AGENT_KEY_OTHER;
}

int
agent_parse_ed25519_blob(const uint8_t *blob, size_t n, uint8_t pk[static 32])
{
	struct buf_rd rd;
	const uint8_t *t, *k;
	size_t tn, kn;
	int r;

	memset(pk, 0, 32);
	buf_rd_init(&rd, blob, n);
	if ((r = get_string(&rd, AGENT_MAX_TYPE_LEN, &t, &tn)) != 0)
		return r;
	if (!name_is(t, tn, ED25519_NAME))
		return CCL_ERR_UNSUPPORTED;
	if ((r = get_string(&rd, 32, &k, &kn)) != 0)
		return r;
	if (kn != 32)
		return CCL_ERR_FORMAT;
	if ((r = buf_done(&rd)) != 0)
		return r;
	memcpy(pk, k, 32);
	return 0;
}

static int
is_failure(uint8_t type)
{
	return type == AGENT_FAILURE || type == AGENT_SSH2_FAILURE ||
	    type == AGENT_SSHCOM_FAILURE || type == AGENT_EXTENSION_FAILURE;
}

/* The reply type: CCL_ERR_AGENT for a failure, CCL_ERR_FORMAT for an unexpected one. */
static int
get_type(struct buf_rd *rd, uint8_t want)
{
	uint8_t type;
	int r;

	if ((r = buf_get_u8(rd, &type)) != 0)
		return r;
	if (is_failure(type))
		return buf_remaining(rd) == 0 ? CCL_ERR_AGENT : CCL_ERR_FORMAT;
	return type == want ? 0 : CCL_ERR_FORMAT;
}

/* One identity: string key_blob, string comment. */
static int
parse_key(struct buf_rd *rd, struct agent_key *k)
{
	const uint8_t *blob, *com, *tn;
	size_t bn, cn, tl, i;
	struct buf_rd brd;
	int r;

	if ((r = get_string(rd, AGENT_MAX_BLOB_LEN, &blob, &bn)) != 0 ||
	    (r = get_string(rd, AGENT_MAX_COMMENT_LEN, &com, &cn)) != 0)
		return r;
	/* The blob starts with its type name. */
	buf_rd_init(&brd, blob, bn);
	if ((r = get_string(&brd, bn, &tn, &tl)) != 0)
		return r;
	/* An unknown (even absurdly long) type is listed as unusable, not fatal. */
	for (i = 0; i < tl && i < AGENT_MAX_TYPE_LEN; i++)
		k->type_name[i] = tn[i] > 0x20 && tn[i] < 0x7f ? (char)tn[i] : '?';
	k->type_name[i] = '\0';
	k->type = agent_key_type_of((const char *)tn, tl);
	if (k->type == AGENT_KEY_ED25519 &&
	    (r = agent_parse_ed25519_blob(blob, bn, k->pk)) != 0)
		return r;
	if ((k->blob = malloc(bn > 0 ? bn : 1)) == NULL || (k->comment = malloc(cn + 1)) == NULL)
		return CCL_ERR_NOMEM;
	memcpy(k->blob, blob, bn);
	k->blob_len = bn;
	/* A NUL inside the comment would cut it short silently: show it as '?'. */
	for (i = 0; i < cn; i++)
		k->comment[i] = com[i] == 0 ? '?' : (char)com[i];
	k->comment[cn] = '\0';
	agent_fingerprint(k->fp, blob, bn);
	return 0;
}

int
agent_parse_identities(const uint8_t *msg, size_t len, struct agent_keylist *out)
{
	struct agent_keylist l = { NULL, 0 };
	struct buf_rd rd;
	uint32_t n, i;
	int r;

	memset(out, 0, sizeof(*out));
	buf_rd_init(&rd, msg, len);
	if ((r = get_type(&rd, AGENT_IDENTITIES_ANSWER)) != 0 ||
	    (r = buf_get_u32be(&rd, &n)) != 0)
		goto out;
	/* Cap the count, and never believe more keys than bytes could hold (8 each). */
	if (n > AGENT_MAX_IDENTITIES || n > buf_remaining(&rd) / 8) {
		r = n > AGENT_MAX_IDENTITIES ? CCL_ERR_TOO_LARGE : CCL_ERR_TRUNCATED;
		goto out;
	}
	if (n > 0 && (l.keys = calloc(n, sizeof(*l.keys))) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		l.n = i + 1;
		if ((r = parse_key(&rd, &l.keys[i])) != 0)
			goto out;
	}
	l.n = n;
	if ((r = buf_done(&rd)) != 0)
		goto out;
	*out = l;
	l.keys = NULL;
	l.n = 0;
	r = 0;
 out:
	agent_keylist_free(&l);
	return r;
}

int
agent_parse_sign(const uint8_t *msg, size_t len, uint8_t sig[static 64])
{
	struct buf_rd rd, srd;
	const uint8_t *t, *s;
	size_t sn, tn;
	int r;

	memset(sig, 0, 64);
	buf_rd_init(&rd, msg, len);
	if ((r = get_type(&rd, AGENT_SIGN_RESPONSE)) != 0 ||
	    (r = get_string(&rd, AGENT_MAX_BLOB_LEN, &s, &sn)) != 0 ||
	    (r = buf_done(&rd)) != 0)
		return r;
	buf_rd_init(&srd, s, sn);
	if ((r = get_string(&srd, AGENT_MAX_TYPE_LEN, &t, &tn)) != 0)
		return r;
	if (!name_is(t, tn, ED25519_NAME))
		return CCL_ERR_UNSUPPORTED;
	if ((r = get_string(&srd, 64, &s, &sn)) != 0)
		return r;
	if (sn != 64)
		return CCL_ERR_FORMAT;
	if ((r = buf_done(&srd)) != 0)
		return r;
	memcpy(sig, s, 64);
	return 0;
}

int
agent_build_sign_request(struct buf_wr *wr, const uint8_t *blob, size_t blob_len,
    const uint8_t *data, size_t n)
{
	int r;

	if ((r = buf_put_u8(wr, AGENTC_SIGN_REQUEST)) != 0 ||
	    (r = put_string(wr, blob, blob_len)) != 0 ||
	    (r = put_string(wr, data, n)) != 0 ||
	    (r = buf_put_u32be(wr, 0)) != 0)
		return r;
	return 0;
}

int
agent_find(const struct agent_keylist *l, const char *selector, size_t *idx)
{
	size_t i, hits = 0, hit = 0;

	*idx = 0;
	for (i = 0; i < l->n; i++) {
		const struct agent_key *k = &l->keys[i];

		if (selector == NULL ? k->type == AGENT_KEY_ED25519 :
		    strncmp(selector, "SHA256:", 7) == 0 ? strcmp(selector, k->fp) == 0 :
		    strcmp(selector, k->comment) == 0) {
			if (hits++ == 0)
				hit = i;
		}
	}
	if (hits == 0)
		return CCL_ERR_NOT_FOUND;
	if (hits > 1)
		return CCL_ERR_CONFLICT;
	*idx = hit;
	if (l->keys[hit].type != AGENT_KEY_ED25519)
		return CCL_ERR_UNSUPPORTED;
	return 0;
}
