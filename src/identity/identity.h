/* SPDX-License-Identifier: MIT */
/*
 * identity.h — the active identity: an Ed25519 public key, a signer for it,
 * and the age identities that decrypt what is sent to it.
 *
 * Kinds: the key file (~/.pubky/secret_key, keys.h), an OpenSSH ed25519
 * private key file used in place (identity = ssh:PATH; sshkey.h) and an
 * ssh-ed25519 key held by ssh-agent (identity_agent.h). Callers only use pk,
 * signer, identity_age_ids and rcpts, never a seed. The kind is chosen by a
 * spec string (the config's `identity`, or the command line's --identity):
 * "file", "ssh:PATH" ("ssh" alone: ~/.ssh/id_ed25519; a leading "~/" is
 * $HOME) or "agent"; without one, the agent identity when `init --agent`
 * recorded one (~/.pubky/agent_key), else the key file.
 *
 * Trust boundary: loads files through keys.c (untrusted bytes, parsed there)
 * and secrets through prompt.c. Never prints; commands turn errors into
 * messages with identity_error_message.
 */
#ifndef CCL_IDENTITY_H
#define CCL_IDENTITY_H
#include <stddef.h>
#include <stdint.h>
#include "age.h"
#include "err.h"
#include "signer.h"

/* Characters of the short fingerprint (the first of the z32 key, as 1.3). */
#define IDENTITY_FP_LEN 8

enum identity_kind {
	IDENTITY_NONE = 0,
	IDENTITY_FILE = 1,       /* ~/.pubky/secret_key (plaintext or envelope) */
	IDENTITY_SSH_FILE = 2,   /* an OpenSSH private key file, used in place */
	IDENTITY_AGENT = 3,      /* an ssh-ed25519 key held by ssh-agent (identity_agent.c) */
};

/* Recipients an identity advertises (whoami), and so decryption keys it offers. */
#define IDENTITY_MAX_RCPTS 4
/* The OpenSSH key `ssh` with no path names. */
#define IDENTITY_SSH_DEFAULT "~/.ssh/id_ed25519"
/* The agent identity's record in the key store: public data only. */
#define IDENTITY_AGENT_FILE_NAME "agent_key"
/*
 * The epoch of an agent identity's derived key (cclink-agent-x25519-v1):
 * 0 unless rotated with `cclink init --agent --epoch N` (recorded in
 * agent_key). A new epoch gives a new decryption key for the same SSH key.
 */
#define IDENTITY_AGENT_EPOCH_DEFAULT 0

struct identity_opts {
	const char *key_file;         /* NULL: $HOME/.pubky/secret_key */
	const char *passphrase_file;  /* --passphrase-file ("-" = stdin), or NULL */
	int allow_prompt;             /* may ask: $CCLINK_ASKPASS or the terminal */
	const char *spec;             /* "file", "ssh:PATH", "agent"; NULL: agent if recorded, else file */
};

struct identity {
	enum identity_kind kind;
	uint8_t pk[32];                  /* Ed25519 public key (the PKARR key) */
	char *key_file;                  /* malloc'd; NULL if not file-backed */
	int encrypted;                   /* the key file is a passphrase envelope */
	struct signer signer;            /* every signature goes through this */
	struct age_identity *age_ids;    /* decryption list (Ed25519 → X25519); see identity_age_ids */
	size_t n_age_ids;
	/*
	 * The age recipients that reach this identity, preferred first (set by
	 * identity_peek too); self-handoffs encrypt to all of them. Key files:
	 * the converted Ed25519 key. An agent identity: the derived key first,
	 * then the converted one (which cclink 1.3 with the same seed reads).
	 */
	struct age_recipient rcpts[IDENTITY_MAX_RCPTS];
	size_t n_rcpts;
	/* The `_cclink-key` TXT value every packet of this identity carries, or NULL. */
	char *key_advert;
	uint32_t agent_epoch;            /* the agent kind: the derived key's epoch */
	int age_ready;                   /* age_ids are loaded (the agent kind derives lazily) */
};

/* "key file", "OpenSSH key file", ... for whoami's Source line. */
const char *identity_kind_name(enum identity_kind kind);

/*
 * The kind and path a spec names (*path malloc'd, NULL for the default key
 * file). CCL_ERR_CONFIG for an unknown spec, CCL_ERR_CONFIG too when "~/"
 * needs a HOME that is not set.
 */
CCL_MUST_CHECK int identity_spec_parse(const char *spec, enum identity_kind *kind, char **path);

/*
 * The public side only: kind, pk, key_file and rcpts, without a passphrase
 * where possible (as identity_load_public). No signer, no age_ids.
 */
CCL_MUST_CHECK int identity_peek(struct identity *id, const struct identity_opts *o);

/*
 * Load the full identity, asking for the passphrase when the key file is an
 * envelope (the file named by o->passphrase_file, else askpass or the
 * terminal if o->allow_prompt). An envelope's public-key cache is rewritten
 * when it is missing or stale. Errors: those of key_file_read and
 * key_file_unlock (keys.h), of prompt_secret (prompt.h), CCL_ERR_CONFIG
 * (no usable $HOME). Clean up with identity_cleanup, also after a failure.
 */
CCL_MUST_CHECK int identity_load(struct identity *id, const struct identity_opts *o);

/*
 * Just the public key, without a passphrase where possible: plaintext keys
 * directly, envelopes from their public-key cache. Without a valid cache it
 * falls back to identity_load (and so asks, then rebuilds the cache).
 * *key_file (optional, may be NULL) receives the path, malloc'd.
 */
CCL_MUST_CHECK int identity_load_public(uint8_t pk[static 32], char **key_file,
    const struct identity_opts *o);

/*
 * The decryption identities, derived on first use for the agent kind (one
 * agent signature; a confirm key asks once). Errors: those of the agent
 * (CCL_ERR_AGENT: see identity_sign_error_message), CCL_ERR_KEY_MISMATCH
 * (the agent derived another key than at enrolment).
 */
CCL_MUST_CHECK int identity_age_ids(struct identity *id, const struct age_identity **ids, size_t *n);

/*
 * A one-line message (cause and fix) for a failed signature or derivation
 * with id's signer: for the agent kind it says whether the agent refused
 * (confirmation, destination restriction), is locked, lost the key, is gone.
 */
void identity_sign_error_message(char *buf, size_t buflen, int r, const struct identity *id);

/* Wipe and release everything; safe on a zeroed struct and twice. */
void identity_cleanup(struct identity *id);

/* The key file path the options select (malloc'd). */
CCL_MUST_CHECK int identity_key_path(char **out, const struct identity_opts *o);
/*
 * When the directory of the key file at path is unfit to hold a key
 * (fs_key_dir_check: owned by another user, or writable by group or
 * others), write the cause and the chown/chmod fix to buf and return 1;
 * otherwise return 0.
 */
int identity_key_dir_message(char *buf, size_t buflen, const char *path);

/* The short fingerprint: the first IDENTITY_FP_LEN characters of the z32 key. */
void identity_fingerprint(char out[static IDENTITY_FP_LEN + 1], const uint8_t pk[static 32]);

/*
 * A one-line message for a failed identity_load* (cause and fix, with the
 * key path), for commands to print: e.g. "key file /h/.pubky/secret_key has
 * mode 0644, open to other users; fix it with: chmod 600 /h/.pubky/secret_key".
 */
void identity_error_message(char *buf, size_t buflen, int r, const struct identity_opts *o);

/*
 * The OpenSSH key file kind (identity_ssh.c), also used by `init --from-ssh`.
 * identity_ssh_seed: the seed of the key at path, asking for its passphrase
 * when it is encrypted (o->passphrase_file, else askpass or the terminal if
 * o->allow_prompt); *encrypted tells which. identity_ssh_public: the public
 * key from the cleartext header, no passphrase. identity_ssh_error: the
 * message for a failure of either (cause and fix, naming path).
 */
CCL_MUST_CHECK int identity_ssh_seed(const char *path, const struct identity_opts *o,
    uint8_t seed[static 32], int *encrypted);
CCL_MUST_CHECK int identity_ssh_public(const char *path, uint8_t pk[static 32], int *encrypted);
void identity_ssh_error(char *buf, size_t buflen, int r, const char *path,
    const struct identity_opts *o);
#endif
