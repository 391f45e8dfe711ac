/* SPDX-License-Identifier: MIT */
/*
 * err.h — the project's error codes. Every function below the command layer
 * returns 0 on success or one of these negative codes (OpenSSH's idiom).
 */
#ifndef CCL_ERR_H
#define CCL_ERR_H

#include <stddef.h>
#include <stdint.h>

#define CCL_MUST_CHECK __attribute__((warn_unused_result))

enum {
	CCL_OK = 0,
	CCL_ERR_INTERNAL = -1,      /* a bug: an invariant did not hold */
	CCL_ERR_NOMEM = -2,
	CCL_ERR_FORMAT = -3,        /* malformed input */
	CCL_ERR_TRUNCATED = -4,     /* input ended early */
	CCL_ERR_TRAILING = -5,      /* bytes left after a complete value */
	CCL_ERR_TOO_LARGE = -6,     /* over a size cap or a writer's capacity */
	CCL_ERR_SIG_INVALID = -7,   /* a signature does not verify */
	CCL_ERR_MAC_INVALID = -8,   /* a MAC / AEAD tag does not verify */
	CCL_ERR_WRONG_PASSPHRASE = -9,
	CCL_ERR_NOT_FOUND = -10,
	CCL_ERR_TIMEOUT = -11,
	CCL_ERR_NET = -12,
	CCL_ERR_SYSTEM = -13,       /* a system call failed; errno is kept */
	CCL_ERR_UNSUPPORTED = -14,
	CCL_ERR_INVALID_ARG = -15,  /* caller passed something unusable */
	CCL_ERR_NO_IDENTITY = -16,  /* age: no identity matched a stanza */
	CCL_ERR_AGE_HEADER = -17,   /* age: header failure */
	CCL_ERR_AGE_PAYLOAD = -18,  /* age: payload failure */
	CCL_ERR_EXPIRED = -19,
	CCL_ERR_PERMISSION = -20,   /* a file is more open than it may be */
	CCL_ERR_EXISTS = -21,
	CCL_ERR_ABORTED = -22,      /* the user said no */
	CCL_ERR_CONFLICT = -23,     /* someone published something newer */
	CCL_ERR_KEY_INVALID = -24,  /* a public key is not a valid point */
	CCL_ERR_DEPTH = -25,        /* nesting too deep */
	CCL_ERR_CRYPTO = -26,       /* a crypto primitive failed */
	CCL_ERR_AGENT = -27,        /* ssh-agent refused or failed */
	CCL_ERR_CONFIG = -28,       /* bad configuration */
	CCL_ERR_NO_TTY = -29,       /* a prompt was needed but there is no terminal */
	CCL_ERR_KEY_MISMATCH = -30, /* a record names another key than the one it was found under */
};

/* A short, static description of an error code. Never NULL. */
const char *ccl_strerror(int r);

/* Overflow-checked size arithmetic: return 1 and store the result when it fits. */
static inline int
ccl_add_ok(size_t a, size_t b, size_t *out)
{
	if (a > SIZE_MAX - b)
		return 0;
	*out = a + b;
	return 1;
}

static inline int
ccl_mul_ok(size_t a, size_t b, size_t *out)
{
	if (a != 0 && b > SIZE_MAX / a)
		return 0;
	*out = a * b;
	return 1;
}

#endif
