/* SPDX-License-Identifier: MIT */
/*
 * identity_agent.h — the ssh-agent identity kind (identity.h): its record in
 * the key store (~/.pubky/agent_key: the public key and the derived age
 * recipient, no secret), enrolment, loading, the derived decryption key
 * (agent_derive.h) and the messages for what the agent refused.
 *
 * Trust boundary: the record file is parsed through buf_rd (local but
 * untrusted: it may be damaged); agent replies are parsed in agent_msg.c.
 * Never prints.
 */
#ifndef CCL_IDENTITY_AGENT_H
#define CCL_IDENTITY_AGENT_H
#include <stddef.h>
#include <stdint.h>
#include "age.h"
#include "agent.h"
#include "err.h"
#include "identity.h"

#define IDENTITY_AGENT_FILE_MAX 1024

/* $HOME/.pubky/agent_key (malloc'd). CCL_ERR_CONFIG without a usable HOME. */
CCL_MUST_CHECK int identity_agent_path(char **out);
/* 1 when the agent identity is the active one for o (its record exists, no key_file forced). */
int identity_agent_active(const struct identity_opts *o);

/*
 * Read / write the record: "ssh-ed25519 <base64 blob>\n<age1…>\n", then
 * "epoch <N>\n" when the epoch is not 0 (a record without that line, as
 * written before rotation existed, is epoch 0). Read errors:
 * CCL_ERR_NOT_FOUND, CCL_ERR_FORMAT (damaged), those of fs_read_file.
 */
CCL_MUST_CHECK int identity_agent_read(const char *path, uint8_t pk[static 32],
    struct age_recipient *xr, uint32_t *epoch);
/* Parse the record's bytes (the same format; CCL_ERR_FORMAT when damaged). */
CCL_MUST_CHECK int identity_agent_parse(const uint8_t *data, size_t len, uint8_t pk[static 32],
    struct age_recipient *xr, uint32_t *epoch);
CCL_MUST_CHECK int identity_agent_write(const char *path, const uint8_t pk[static 32],
    const struct age_recipient *xr, uint32_t epoch);

/*
 * Enrol pk (held by the agent at sock, NULL = $SSH_AUTH_SOCK) at epoch: sign
 * the derivation challenge twice, require equal (verified) signatures, derive
 * the recipient. CCL_ERR_AGENT with *st (AGENT_NOT_DETERMINISTIC when the
 * two signatures differ).
 */
CCL_MUST_CHECK int identity_agent_enrol(const char *sock, const uint8_t pk[static 32],
    uint32_t epoch, struct age_recipient *xr, enum agent_status *st);

/* Load the agent identity recorded at path into id (no signature made yet). */
CCL_MUST_CHECK int identity_agent_load(struct identity *id, const char *path);

/* Derive the X25519 secret at id->agent_epoch with id's agent signer (one signature). */
CCL_MUST_CHECK int identity_agent_derive(const struct identity *id, uint8_t xsk[static 32]);

/*
 * Decrypt with the derived key of another epoch: the one a packet signed by
 * this very key advertises (its _cclink-key record: epoch and recipient),
 * after a rotation on another machine. Only before the key was derived
 * (identity_age_ids); the derivation must then give exactly xr
 * (CCL_ERR_KEY_MISMATCH otherwise). CCL_ERR_INVALID_ARG for another kind.
 */
CCL_MUST_CHECK int identity_agent_use_epoch(struct identity *id, uint32_t epoch,
    const struct age_recipient *xr);

/*
 * The message (cause and fix) for an agent failure with status st, for key
 * pk (NULL: not known) at socket sock (NULL: $SSH_AUTH_SOCK).
 */
void identity_agent_message(char *buf, size_t n, enum agent_status st, const char *sock,
    const uint8_t *pk);
/* The message for a failed identity_load of the active agent identity (asks the agent again). */
void identity_agent_error_message(char *buf, size_t n, int r);
#endif
