/* SPDX-License-Identifier: MIT */
/* cli_common.h — identity loading and prompts shared by the commands. */
#ifndef CCL_CLI_COMMON_H
#define CCL_CLI_COMMON_H
#include <stddef.h>
#include <stdint.h>
#include "cli.h"
#include "identity.h"

/*
 * Load the active identity (full = with signer and decryption keys, else the
 * public key only). Prints the cause and fix on failure and returns the
 * exit status to use; 0 on success. identity_cleanup *id afterwards.
 */
int cli_identity_load(const struct ccl_ctx *ctx, struct identity *id, int full);
/*
 * Options for the active identity: the spec from --identity /
 * $CCLINK_IDENTITY, else the config file's `identity` (*spec_owned holds
 * it: free() it). 0, or an exit status after printing why.
 */
int cli_identity_opts(const struct ccl_ctx *ctx, struct identity_opts *o, char **spec_owned);
/*
 * Find the local identity match() accepts: the active one first, then the
 * key file and the OpenSSH key ~/.ssh/id_ed25519 when they are other
 * identities. The search reads public keys only (no passphrase, except what
 * the active identity itself needs); the match is then loaded in full.
 * 0: *id is loaded. -1: none matched, *id holds the active identity's
 * public side (for messages). >0: an exit status, after printing why.
 */
int cli_identity_find(const struct ccl_ctx *ctx, int (*match)(const struct identity *, void *),
    void *arg, struct identity *id);
/* Numbered picker on /dev/tty: 0 and *choice, CCL_ERR_NO_TTY, CCL_ERR_ABORTED. */
int cli_pick(const char *title, const char *const *items, size_t n, size_t *choice);
/* Wall clock, seconds. */
uint64_t cli_now(void);
#endif
