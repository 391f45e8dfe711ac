/* SPDX-License-Identifier: MIT */
/* identity_agent.c — the ssh-agent identity kind; see identity_agent.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "agent_derive.h"
#include "b64.h"
#include "buf.h"
#include "fsutil.h"
#include "identity_agent.h"
#include "keyrec.h"
#include "secret.h"

#define PREFIX "ssh-ed25519 "
#define EPOCH_PREFIX "epoch "

int
identity_agent_path(char **out)
{
	char *dir = NULL;
	int r;

	*out = NULL;
	if ((r = fs_key_dir(&dir)) != 0)
		return r;
	r = fs_path_join(out, dir, IDENTITY_AGENT_FILE_NAME);
	free(dir);
	return r;
}

int
identity_agent_active(const struct identity_opts *o)
{
	char *path = NULL;
	int yes;

	if (o != NULL && o->key_file != NULL)
		return 0;
	if (identity_agent_path(&path) != 0)
		return 0;
	yes = fs_exists(path);
	free(path);
	return yes;
}

/* "epoch N", N as keyrec_parse_epoch reads it (the same number `_cclink-key` carries). */
static int
parse_epoch_line(const uint8_t *line, size_t n, uint32_t *epoch)
{
	if (n <= strlen(EPOCH_PREFIX) || memcmp(line, EPOCH_PREFIX, strlen(EPOCH_PREFIX)) != 0)
		return CCL_ERR_FORMAT;
	return keyrec_parse_epoch(line + strlen(EPOCH_PREFIX), n - strlen(EPOCH_PREFIX), epoch);
}

int
identity_agent_parse(const uint8_t *data, size_t len, uint8_t pk[static 32],
    struct age_recipient *xr, uint32_t *epoch)
{
	uint8_t blob[AGENT_ED25519_BLOB_LEN + 8];
	const uint8_t *line;
	char rc[128];
	struct buf_rd rd;
	size_t n, bl;
	int r = CCL_ERR_FORMAT;

	memset(pk, 0, 32);
	memset(xr, 0, sizeof(*xr));
	*epoch = IDENTITY_AGENT_EPOCH_DEFAULT;
	buf_rd_init(&rd, data, len);
	if (buf_get_line(&rd, 256, &line, &n) != 0 || n <= strlen(PREFIX) ||
	    memcmp(line, PREFIX, strlen(PREFIX)) != 0)
		goto out;
	line += strlen(PREFIX);
	n -= strlen(PREFIX);
	if (b64_decode(blob, sizeof(blob), &bl, (const char *)line, n, B64_STD_PAD) != 0 ||
	    agent_parse_ed25519_blob(blob, bl, pk) != 0)
		goto out;
	if (buf_get_line(&rd, 256, &line, &n) != 0 || n == 0 || n >= sizeof(rc))
		goto out;
	memcpy(rc, line, n);
	rc[n] = '\0';
	if (memchr(rc, '\0', n) != NULL || age_recipient_parse(xr, rc) != 0)
		goto out;
	/* Optional: the epoch of a rotated key. */
	if (buf_remaining(&rd) > 0 && (buf_get_line(&rd, 64, &line, &n) != 0 ||
	    parse_epoch_line(line, n, epoch) != 0))
		goto out;
	if (buf_done(&rd) != 0)
		goto out;
	r = 0;
 out:
	if (r != 0) {
		memset(pk, 0, 32);
		memset(xr, 0, sizeof(*xr));
		*epoch = IDENTITY_AGENT_EPOCH_DEFAULT;
	}
	return r;
}

int
identity_agent_read(const char *path, uint8_t pk[static 32], struct age_recipient *xr,
    uint32_t *epoch)
{
	uint8_t *data = NULL;
	size_t len = 0;
	int r;

	memset(pk, 0, 32);
	memset(xr, 0, sizeof(*xr));
	*epoch = IDENTITY_AGENT_EPOCH_DEFAULT;
	if ((r = fs_read_file(path, IDENTITY_AGENT_FILE_MAX, FS_READ_REGULAR, &data, &len)) != 0)
		return r;
	r = identity_agent_parse(data, len, pk, xr, epoch);
	free(data);
	return r;
}

int
identity_agent_write(const char *path, const uint8_t pk[static 32], const struct age_recipient *xr,
    uint32_t epoch)
{
	uint8_t blob[AGENT_ED25519_BLOB_LEN];
	char b64[128], rc[128], text[320], ep[32] = "", *dir = NULL;
	int r, n;

	agent_ed25519_blob(blob, pk);
	b64_encode(b64, blob, sizeof(blob), B64_STD_PAD);
	if ((r = age_recipient_encode(xr, rc, sizeof(rc))) != 0)
		return r;
	/* Epoch 0 writes no line: the record stays what earlier builds wrote and read. */
	if (epoch != IDENTITY_AGENT_EPOCH_DEFAULT)
		snprintf(ep, sizeof(ep), EPOCH_PREFIX "%u\n", (unsigned)epoch);
	n = snprintf(text, sizeof(text), PREFIX "%s\n%s\n%s", b64, rc, ep);
	if (n < 0 || (size_t)n >= sizeof(text))
		return CCL_ERR_INTERNAL;
	if ((r = fs_dirname(&dir, path)) != 0 || (r = fs_mkdir_p(dir, 0700)) != 0)
		goto out;
	r = fs_write_private(path, text, (size_t)n);
 out:
	free(dir);
	return r;
}

/* Sign the challenge of epoch through s and derive; sig gets the signature. */
static int
derive_with(const struct signer *s, uint32_t epoch, uint8_t xsk[static 32], uint8_t sig[static 64])
{
	uint8_t tbs[AGENT_DERIVE_TBS_LEN];
	int r;

	agent_derive_tbs(tbs, s->pk, epoch);
	if ((r = signer_sign(s, sig, tbs, sizeof(tbs))) != 0)
		return r;
	return agent_derive_key(xsk, sig, s->pk, epoch);
}

int
identity_agent_enrol(const char *sock, const uint8_t pk[static 32], uint32_t epoch,
    struct age_recipient *xr, enum agent_status *st)
{
	struct signer s;
	uint8_t sig1[64], sig2[64], xsk1[32], xsk2[32], xpk[32];
	int r;

	memset(xr, 0, sizeof(*xr));
	*st = AGENT_OK;
	if ((r = signer_from_agent(&s, sock, pk)) != 0) {
		*st = AGENT_NO_SOCKET;
		return r;
	}
	/* Twice: a signer that is not deterministic would derive a key it cannot derive again. */
	if ((r = derive_with(&s, epoch, xsk1, sig1)) != 0 ||
	    (r = derive_with(&s, epoch, xsk2, sig2)) != 0) {
		if (r == CCL_ERR_AGENT || r == CCL_ERR_SIG_INVALID)
			*st = r == CCL_ERR_SIG_INVALID ? AGENT_BAD_SIGNATURE :
			    (enum agent_status)signer_agent_status(&s);
		r = CCL_ERR_AGENT;
		goto out;
	}
	if (sodium_memcmp(sig1, sig2, 64) != 0 || sodium_memcmp(xsk1, xsk2, 32) != 0) {
		*st = AGENT_NOT_DETERMINISTIC;
		r = CCL_ERR_AGENT;
		goto out;
	}
	if (crypto_scalarmult_base(xpk, xsk1) != 0) {
		r = CCL_ERR_CRYPTO;
		goto out;
	}
	age_recipient_from_x25519(xr, xpk);
	r = 0;
 out:
	sodium_memzero(sig1, sizeof(sig1));
	sodium_memzero(sig2, sizeof(sig2));
	sodium_memzero(xsk1, sizeof(xsk1));
	sodium_memzero(xsk2, sizeof(xsk2));
	signer_cleanup(&s);
	return r;
}

int
identity_agent_derive(const struct identity *id, uint8_t xsk[static 32])
{
	uint8_t sig[64];
	int r;

	r = derive_with(&id->signer, id->agent_epoch, xsk, sig);
	sodium_memzero(sig, sizeof(sig));
	if (r != 0)
		sodium_memzero(xsk, 32);
	return r;
}

int
identity_agent_use_epoch(struct identity *id, uint32_t epoch, const struct age_recipient *xr)
{
	char advert[KEYREC_MAX_LEN], *a;
	int r;

	if (id->kind != IDENTITY_AGENT || id->age_ready)
		return CCL_ERR_INVALID_ARG;
	if ((r = keyrec_encode(advert, sizeof(advert), xr, epoch)) != 0)
		return r;
	if ((a = strdup(advert)) == NULL)
		return CCL_ERR_NOMEM;
	/* identity_age_ids checks the derived key against rcpts[0]. */
	free(id->key_advert);
	id->key_advert = a;
	id->rcpts[0] = *xr;
	id->agent_epoch = epoch;
	return 0;
}

/* Is the key pk among the agent's keys? 0 yes; CCL_ERR_AGENT with *st otherwise. */
static int
agent_holds(const char *sock, const uint8_t pk[static 32], enum agent_status *st)
{
	struct agent_keylist l;
	size_t i;
	int r;

	if ((r = agent_list(sock, &l, st)) != 0)
		return r;
	*st = l.n == 0 ? AGENT_NO_KEYS : AGENT_KEY_GONE;
	for (i = 0; i < l.n; i++)
		if (l.keys[i].type == AGENT_KEY_ED25519 && sodium_memcmp(l.keys[i].pk, pk, 32) == 0)
			*st = AGENT_OK;
	agent_keylist_free(&l);
	return *st == AGENT_OK ? 0 : CCL_ERR_AGENT;
}

int
identity_agent_load(struct identity *id, const char *path)
{
	struct age_recipient xr;
	enum agent_status st;
	char advert[KEYREC_MAX_LEN];
	int r;

	memset(id, 0, sizeof(*id));
	if ((r = identity_agent_read(path, id->pk, &xr, &id->agent_epoch)) != 0 ||
	    (r = agent_holds(NULL, id->pk, &st)) != 0 ||
	    (r = signer_from_agent(&id->signer, NULL, id->pk)) != 0)
		goto out;
	/* The derived key first (the agent decrypts it), then the converted key (1.3 compatible). */
	id->rcpts[0] = xr;
	if ((r = age_recipient_from_ed25519_pk(&id->rcpts[1], id->pk)) != 0)
		goto out;
	id->n_rcpts = 2;
	if ((r = keyrec_encode(advert, sizeof(advert), &xr, id->agent_epoch)) != 0)
		goto out;
	if ((id->key_advert = strdup(advert)) == NULL || (id->key_file = strdup(path)) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	id->kind = IDENTITY_AGENT;
	r = 0;
 out:
	if (r != 0)
		identity_cleanup(id);
	return r;
}

void
identity_agent_message(char *buf, size_t n, enum agent_status st, const char *sock,
    const uint8_t *pk)
{
	char fp[AGENT_FP_LEN + 1] = "your key";
	uint8_t blob[AGENT_ED25519_BLOB_LEN];
	const char *path = agent_socket_path(sock);
	int err = errno;

	if (pk != NULL) {
		agent_ed25519_blob(blob, pk);
		agent_fingerprint(fp, blob, sizeof(blob));
	}
	if (path == NULL)
		st = AGENT_NO_SOCKET;
	switch (st) {
	case AGENT_NO_SOCKET:
		snprintf(buf, n, "no ssh-agent: SSH_AUTH_SOCK is not set. Start one "
		    "(eval \"$(ssh-agent)\") and add your key with ssh-add, or log in with agent "
		    "forwarding (ssh -A)");
		break;
	case AGENT_CONNECT:
		snprintf(buf, n, "cannot reach the ssh-agent at %s (%s): is it running? A forwarded "
		    "agent goes away when its ssh connection closes", path, strerror(err));
		break;
	case AGENT_IO:
		snprintf(buf, n, "the ssh-agent at %s closed the connection or did not answer in "
		    "time", path);
		break;
	case AGENT_PROTOCOL:
		snprintf(buf, n, "the ssh-agent at %s sent a malformed or oversized reply; "
		    "refusing to use it", path);
		break;
	case AGENT_NO_KEYS:
		snprintf(buf, n, "the ssh-agent holds no keys, or it is locked: unlock it with "
		    "'ssh-add -X', or add the key %s with ssh-add", fp);
		break;
	case AGENT_KEY_GONE:
		snprintf(buf, n, "the key %s is no longer in the ssh-agent: add it again with "
		    "ssh-add ('ssh-add -l' lists the agent's keys)", fp);
		break;
	case AGENT_REFUSED:
		snprintf(buf, n, "the ssh-agent refused to sign with %s. If the key was added with "
		    "confirmation (ssh-add -c), the confirmation was denied or could not be shown "
		    "(the agent needs SSH_ASKPASS and a display): approve it, or add the key without "
		    "-c. If the key is destination-restricted (ssh-add -h), cclink cannot use it: add "
		    "it again without -h", fp);
		break;
	case AGENT_BAD_SIGNATURE:
		snprintf(buf, n, "the ssh-agent returned a signature that does not verify for %s; "
		    "refusing it", fp);
		break;
	case AGENT_NOT_DETERMINISTIC:
		snprintf(buf, n, "the ssh-agent signed the same message twice with %s and the "
		    "signatures differ: this agent (a hardware or hedged signer) cannot derive a "
		    "stable decryption key, so cclink cannot use it", fp);
		break;
	default:
		snprintf(buf, n, "the ssh-agent failed");
	}
}

void
identity_agent_error_message(char *buf, size_t n, int r)
{
	struct age_recipient xr;
	enum agent_status st = AGENT_OK;
	uint8_t pk[32];
	uint32_t epoch;
	char *path = NULL;
	int rr;

	if (identity_agent_path(&path) != 0) {
		snprintf(buf, n, "HOME is not set to an absolute path");
		return;
	}
	rr = identity_agent_read(path, pk, &xr, &epoch);
	if (rr == CCL_ERR_FORMAT || rr == CCL_ERR_TRUNCATED || rr == CCL_ERR_TRAILING ||
	    rr == CCL_ERR_TOO_LARGE) {
		snprintf(buf, n, "the ssh-agent identity record %s is damaged: run 'cclink init "
		    "--agent' again", path);
	} else if (rr != 0) {
		snprintf(buf, n, "cannot read the ssh-agent identity record %s: %s", path,
		    rr == CCL_ERR_SYSTEM ? strerror(errno) : ccl_strerror(rr));
	} else if (r == CCL_ERR_AGENT) {
		/* Ask the agent again to say what is wrong. */
		if (agent_holds(NULL, pk, &st) == 0)
			st = AGENT_REFUSED;
		identity_agent_message(buf, n, st, NULL, pk);
	} else if (r == CCL_ERR_KEY_MISMATCH) {
		snprintf(buf, n, "the ssh-agent derived another decryption key than at enrolment "
		    "(is it a different agent implementation?); run 'cclink init --agent' again");
	} else {
		snprintf(buf, n, "cannot load the ssh-agent identity: %s", ccl_strerror(r));
	}
	free(path);
}
