/* SPDX-License-Identifier: MIT */
/*
 * agent.h — our own ssh-agent client (libssh 0.10 has none that lists keys
 * or signs arbitrary data), after OpenSSH's authfd.c: the protocol of
 * draft-miller-ssh-agent over the unix socket $SSH_AUTH_SOCK.
 *
 * Two halves:
 *  - agent_msg.c: pure message building and reply parsing (no I/O; the
 *    fuzz target and the unit tests drive it). Replies are untrusted: every
 *    read goes through buf_rd, every length and count is capped before
 *    anything is allocated, and only plain ssh-ed25519 keys are usable
 *    (other types are listed by name so the user can be told why not).
 *  - agent.c: the socket (close-on-exec, non-blocking with deadlines so a
 *    stuck agent cannot hang cclink), framing (u32 length, reply capped at
 *    AGENT_MAX_REPLY_LEN before reading), REQUEST_IDENTITIES, SIGN_REQUEST.
 *
 * Never prints. Failures are negative CCL_ERR_* codes plus, where the
 * agent's side matters to the user, an enum agent_status.
 */
#ifndef CCL_AGENT_H
#define CCL_AGENT_H
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "err.h"

#define AGENT_MAX_REPLY_LEN (256 * 1024)   /* OpenSSH's cap on one message */
#define AGENT_MAX_IDENTITIES 1024
#define AGENT_MAX_BLOB_LEN 8192            /* a key blob (RSA 16384-bit fits) */
#define AGENT_MAX_COMMENT_LEN 1024
#define AGENT_MAX_TYPE_LEN 64
#define AGENT_ED25519_BLOB_LEN 51          /* string "ssh-ed25519" ‖ string pk[32] */
#define AGENT_SIG_BLOB_LEN 83              /* string "ssh-ed25519" ‖ string sig[64] */
#define AGENT_FP_LEN 50                    /* "SHA256:" + 43 base64 characters */
#define AGENT_TIMEOUT_MS 10000             /* connect, list */
#define AGENT_SIGN_TIMEOUT_MS 120000       /* a sign may wait for a confirmation (ssh-add -c) */

/* Message numbers (draft-miller-ssh-agent §5.1). */
#define AGENT_FAILURE 5
#define AGENT_SUCCESS 6
#define AGENTC_REQUEST_IDENTITIES 11
#define AGENT_IDENTITIES_ANSWER 12
#define AGENTC_SIGN_REQUEST 13
#define AGENT_SIGN_RESPONSE 14
#define AGENT_EXTENSION_FAILURE 28
#define AGENT_SSH2_FAILURE 30              /* also a failure */
#define AGENT_SSHCOM_FAILURE 102           /* ssh.com's failure */

/* What the agent (or the way to it) did, for messages that say what to do. */
enum agent_status {
	AGENT_OK = 0,
	AGENT_NO_SOCKET,      /* SSH_AUTH_SOCK unset or empty */
	AGENT_CONNECT,        /* the socket cannot be reached (errno kept) */
	AGENT_IO,             /* the connection broke or timed out */
	AGENT_PROTOCOL,       /* a reply that does not parse, oversized, wrong type */
	AGENT_REFUSED,        /* the agent answered FAILURE */
	AGENT_NO_KEYS,        /* the agent lists no key at all (empty, or locked) */
	AGENT_KEY_GONE,       /* the key is no longer in the agent */
	AGENT_BAD_SIGNATURE,  /* a signature that does not verify */
	AGENT_NOT_DETERMINISTIC, /* two signatures of one message differ */
};

enum agent_key_type {
	AGENT_KEY_OTHER = 0,
	AGENT_KEY_ED25519,        /* ssh-ed25519: the only usable kind */
	AGENT_KEY_SK_ED25519,     /* sk-ssh-ed25519@openssh.com (FIDO) */
	AGENT_KEY_ECDSA,          /* ecdsa-sha2-* */
	AGENT_KEY_SK_ECDSA,       /* sk-ecdsa-sha2-nistp256@openssh.com */
	AGENT_KEY_RSA,            /* ssh-rsa */
	AGENT_KEY_DSA,            /* ssh-dss */
	AGENT_KEY_CERT,           /* *-cert-v01@openssh.com */
};

struct agent_key {
	enum agent_key_type type;
	char type_name[AGENT_MAX_TYPE_LEN + 1]; /* printable ASCII ('?' for anything else) */
	uint8_t *blob;                 /* the key blob as the agent sent it (malloc) */
	size_t blob_len;
	char *comment;                 /* NUL-free copy (malloc); untrusted: sanitise to print */
	uint8_t pk[32];                /* AGENT_KEY_ED25519 only */
	char fp[AGENT_FP_LEN + 1];     /* SHA256:<base64 of SHA-256(blob), unpadded> */
};

struct agent_keylist {
	struct agent_key *keys;
	size_t n;
};

/* Free a list (safe on a zeroed one and twice). */
void agent_keylist_free(struct agent_keylist *l);

/* "SHA256:…" of a key blob, as ssh-keygen -l prints it. */
void agent_fingerprint(char out[static AGENT_FP_LEN + 1], const uint8_t *blob, size_t n);

/* The ssh-ed25519 key blob of pk (51 bytes). */
void agent_ed25519_blob(uint8_t out[static AGENT_ED25519_BLOB_LEN], const uint8_t pk[static 32]);

/*
 * Parse a plain ssh-ed25519 key blob exactly (type, 32-byte key, nothing
 * after). CCL_ERR_UNSUPPORTED for another well-formed type, CCL_ERR_FORMAT /
 * _TRUNCATED / _TRAILING otherwise.
 */
CCL_MUST_CHECK int agent_parse_ed25519_blob(const uint8_t *blob, size_t n, uint8_t pk[static 32]);

/* The kind of a key type name ("ssh-ed25519", "ecdsa-sha2-nistp256", …). */
enum agent_key_type agent_key_type_of(const char *name, size_t n);

/*
 * Parse a reply message body (type byte + payload, without the u32 length).
 * agent_parse_identities: IDENTITIES_ANSWER into *out (every key listed,
 * whatever its type; its pk only for ed25519). agent_parse_sign: a
 * SIGN_RESPONSE carrying an ssh-ed25519 signature into sig.
 * Errors: CCL_ERR_AGENT (a failure message), CCL_ERR_FORMAT (wrong type or
 * malformed), CCL_ERR_TRUNCATED, CCL_ERR_TRAILING, CCL_ERR_TOO_LARGE (a
 * count or length over its cap), CCL_ERR_UNSUPPORTED (a signature of another
 * type), CCL_ERR_NOMEM. On error the outputs are cleared.
 */
CCL_MUST_CHECK int agent_parse_identities(const uint8_t *msg, size_t len, struct agent_keylist *out);
CCL_MUST_CHECK int agent_parse_sign(const uint8_t *msg, size_t len, uint8_t sig[static 64]);

/* Build a SIGN_REQUEST body (type byte + payload) for blob and data, flags 0. */
CCL_MUST_CHECK int agent_build_sign_request(struct buf_wr *wr, const uint8_t *blob, size_t blob_len,
    const uint8_t *data, size_t n);

/*
 * Find the key a selector names: "SHA256:…" (its fingerprint) or a comment
 * (exact match), or NULL for "the only ssh-ed25519 key". *idx gets its
 * index. CCL_ERR_NOT_FOUND (nothing matches), CCL_ERR_CONFLICT (several
 * match, or selector is NULL and there are several ed25519 keys),
 * CCL_ERR_UNSUPPORTED (the named key is not plain ssh-ed25519).
 */
CCL_MUST_CHECK int agent_find(const struct agent_keylist *l, const char *selector, size_t *idx);

/*
 * The socket path: sock if not NULL, else $SSH_AUTH_SOCK. NULL when neither
 * is set (or it is empty).
 */
const char *agent_socket_path(const char *sock);

/*
 * List the agent's keys. Errors: CCL_ERR_AGENT with *st saying why
 * (AGENT_NO_SOCKET, _CONNECT with errno kept, _IO, _PROTOCOL, _REFUSED).
 */
CCL_MUST_CHECK int agent_list(const char *sock, struct agent_keylist *out, enum agent_status *st);

/*
 * Ask the agent to sign data with the ed25519 key blob (flags 0) and verify
 * the result against pk before returning it. Errors: CCL_ERR_AGENT with *st
 * (as agent_list, or AGENT_BAD_SIGNATURE).
 */
CCL_MUST_CHECK int agent_sign(const char *sock, const uint8_t pk[static 32],
    const uint8_t *data, size_t n, uint8_t sig[static 64], enum agent_status *st);
#endif
