/* SPDX-License-Identifier: MIT */
/*
 * cmd_init_agent.c — `cclink init --agent [FINGERPRINT|COMMENT]`: make an
 * ssh-ed25519 key held by ssh-agent the identity. Records the public key and
 * the derived age recipient in ~/.pubky/agent_key; no secret is stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "agent.h"
#include "cli.h"
#include "cli_common.h"
#include "cmd_init_agent.h"
#include "fsutil.h"
#include "identity_agent.h"
#include "prompt.h"
#include "z32.h"

static const char *
why_unusable(enum agent_key_type t)
{
	switch (t) {
	case AGENT_KEY_SK_ED25519:
	case AGENT_KEY_SK_ECDSA:
		return "a FIDO security-key (sk-) key: its signatures carry a counter and need a "
		    "touch, so they are never deterministic";
	case AGENT_KEY_ECDSA:
		return "an ECDSA key: ECDSA signatures are randomized, and PKARR identities are "
		    "Ed25519";
	case AGENT_KEY_RSA:
	case AGENT_KEY_DSA:
		return "an RSA/DSA key, and PKARR identities are Ed25519";
	case AGENT_KEY_CERT:
		return "a certificate";
	default:
		return "not an ssh-ed25519 key";
	}
}

/* The agent's keys, one per line, on stderr. */
static void
print_keys(const struct agent_keylist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		fprintf(stderr, "  %s  %s  ", l->keys[i].fp, l->keys[i].type_name);
		cli_put_sanitized(stderr, l->keys[i].comment);
		if (l->keys[i].type != AGENT_KEY_ED25519)
			fputs("  (not usable)", stderr);
		fputc('\n', stderr);
	}
}

/* Choose the key; an exit status on failure. */
static int
choose(const struct agent_keylist *l, const char *sel, size_t *idx)
{
	const char **items = NULL;
	size_t *map = NULL, i, n = 0, pick;
	char *line;
	int r, ret = EXIT_FAIL;

	r = agent_find(l, sel, idx);
	if (r == 0)
		return EXIT_OK;
	if (r == CCL_ERR_UNSUPPORTED) {
		cli_err("init: the agent key %s (%s) is %s; cclink needs a plain ssh-ed25519 key",
		    l->keys[*idx].fp, l->keys[*idx].type_name, why_unusable(l->keys[*idx].type));
		return EXIT_USAGE;
	}
	if (r == CCL_ERR_NOT_FOUND && sel != NULL) {
		cli_err("init: no key in the ssh-agent has the fingerprint or comment '%s'. It "
		    "holds:", sel);
		print_keys(l);
		return EXIT_USAGE;
	}
	if (r == CCL_ERR_NOT_FOUND) {
		cli_err("init: the ssh-agent holds no ssh-ed25519 key (cclink needs one; sk-, ECDSA "
		    "and RSA keys cannot be used). It holds:");
		print_keys(l);
		cli_err("add one with: ssh-keygen -t ed25519 && ssh-add");
		return EXIT_FAIL;
	}
	if (sel != NULL) {
		cli_err("init: several agent keys match '%s'; name one by its SHA256: fingerprint:",
		    sel);
		print_keys(l);
		return EXIT_USAGE;
	}
	/* Several ed25519 keys and none named: ask on the terminal, or list them. */
	if ((items = calloc(l->n, sizeof(*items))) == NULL ||
	    (map = calloc(l->n, sizeof(*map))) == NULL)
		goto out;
	for (i = 0; i < l->n; i++) {
		if (l->keys[i].type != AGENT_KEY_ED25519)
			continue;
		if ((line = malloc(strlen(l->keys[i].comment) + AGENT_FP_LEN + 4)) == NULL)
			goto out;
		sprintf(line, "%s  %s", l->keys[i].fp, l->keys[i].comment);
		items[n] = line;
		map[n++] = i;
	}
	r = prompt_have_tty() ? cli_pick("The ssh-agent holds several ssh-ed25519 keys; which one "
	    "is your cclink identity?", items, n, &pick) : CCL_ERR_NO_TTY;
	if (r == 0) {
		*idx = map[pick];
		ret = EXIT_OK;
	} else if (r == CCL_ERR_ABORTED) {
		cli_err("init: aborted; nothing was written");
		ret = EXIT_ABORTED;
	} else {
		cli_err("init: the ssh-agent holds several ssh-ed25519 keys; name one: cclink init "
		    "--agent SHA256:... (or its comment):");
		print_keys(l);
		ret = EXIT_USAGE;
	}
 out:
	if (ret == EXIT_FAIL && r == 0)
		cli_err("init: out of memory");
	for (i = 0; items != NULL && i < n; i++)
		free((void *)items[i]);
	free(items);
	free(map);
	return ret;
}

int
cmd_init_agent(struct ccl_ctx *ctx, const char *sel, const uint32_t *epoch_opt, int yes)
{
	struct agent_keylist l;
	struct age_recipient xr, old_xr;
	enum agent_status st;
	uint8_t old_pk[32];
	uint32_t epoch = IDENTITY_AGENT_EPOCH_DEFAULT, old_epoch = IDENTITY_AGENT_EPOCH_DEFAULT;
	char *path = NULL, *key_path = NULL, msg[512], z[Z32_KEY_LEN + 1], rc[128];
	size_t idx = 0;
	int r, ret = EXIT_FAIL, same_key = 0;

	memset(&l, 0, sizeof(l));
	if (identity_agent_path(&path) != 0 || fs_key_path(&key_path) != 0) {
		cli_err("init: HOME is not set to an absolute path; cannot place the identity");
		ret = EXIT_USAGE;
		goto out;
	}
	if ((r = agent_list(NULL, &l, &st)) != 0) {
		identity_agent_message(msg, sizeof(msg), st, NULL, NULL);
		cli_err("init: %s", msg);
		goto out;
	}
	if (l.n == 0) {
		identity_agent_message(msg, sizeof(msg), AGENT_NO_KEYS, NULL, NULL);
		cli_err("init: %s", msg);
		goto out;
	}
	if ((ret = choose(&l, sel, &idx)) != EXIT_OK)
		goto out;
	ret = EXIT_FAIL;
	if (identity_agent_read(path, old_pk, &old_xr, &old_epoch) == 0) {
		same_key = sodium_memcmp(old_pk, l.keys[idx].pk, 32) == 0;
		if (!same_key && !yes) {
			z32_encode(z, old_pk, 32);
			cli_err("init: an ssh-agent identity (pk:%s) is already recorded in %s; it was "
			    "kept (use -y to replace it)", z, path);
			goto out;
		}
	}
	/* Running init again keeps a rotated epoch unless --epoch says otherwise. */
	if (epoch_opt != NULL)
		epoch = *epoch_opt;
	else if (same_key)
		epoch = old_epoch;
	if ((r = identity_agent_enrol(NULL, l.keys[idx].pk, epoch, &xr, &st)) != 0) {
		identity_agent_message(msg, sizeof(msg), st, NULL, l.keys[idx].pk);
		cli_err("init: %s", msg);
		goto out;
	}
	if ((r = identity_agent_write(path, l.keys[idx].pk, &xr, epoch)) != 0) {
		cli_err("init: cannot write %s: %s", path, ccl_strerror(r));
		goto out;
	}
	if ((r = age_recipient_encode(&xr, rc, sizeof(rc))) != 0) {
		cli_err("init: %s", ccl_strerror(r));
		goto out;
	}
	z32_encode(z, l.keys[idx].pk, 32);
	cli_info(ctx, "The ssh-agent key is now this cclink identity (no secret was stored).");
	printf("Public Key: pk:%s\n", z);
	printf("Agent key: %s ", l.keys[idx].fp);
	cli_put_sanitized(stdout, l.keys[idx].comment);
	printf("\nDecryption key: %s (derived by the agent, epoch %lu)\n", rc, (unsigned long)epoch);
	printf("Identity file: ");
	cli_put_sanitized(stdout, path);
	printf("\n");
	if (same_key && epoch != old_epoch)
		cli_info(ctx, "The decryption key was rotated (epoch %lu, was %lu): handoffs made for "
		    "the old key can no longer be decrypted here, and others who --share to you pick "
		    "up the new key from your next publish. Run 'cclink init --agent --epoch %lu' on "
		    "every machine that uses this agent identity (a pickup of your own handoff "
		    "follows the new epoch by itself).", (unsigned long)epoch,
		    (unsigned long)old_epoch, (unsigned long)epoch);
	if (fs_exists(key_path))
		cli_info(ctx, "The key file %s is kept, but no longer used to publish; remove %s to "
		    "go back to it.", key_path, path);
	ret = EXIT_OK;
 out:
	agent_keylist_free(&l);
	free(path);
	free(key_path);
	return ret;
}
