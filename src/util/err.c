/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "err.h"

const char *
ccl_strerror(int r)
{
	switch (r) {
	case CCL_OK: return "success";
	case CCL_ERR_INTERNAL: return "internal error";
	case CCL_ERR_NOMEM: return "out of memory";
	case CCL_ERR_FORMAT: return "invalid format";
	case CCL_ERR_TRUNCATED: return "truncated input";
	case CCL_ERR_TRAILING: return "unexpected trailing data";
	case CCL_ERR_TOO_LARGE: return "too large";
	case CCL_ERR_SIG_INVALID: return "signature verification failed";
	case CCL_ERR_MAC_INVALID: return "integrity check failed";
	case CCL_ERR_WRONG_PASSPHRASE: return "wrong passphrase";
	case CCL_ERR_NOT_FOUND: return "not found";
	case CCL_ERR_TIMEOUT: return "timed out";
	case CCL_ERR_NET: return "network error";
	case CCL_ERR_SYSTEM: return strerror(errno);
	case CCL_ERR_UNSUPPORTED: return "unsupported";
	case CCL_ERR_INVALID_ARG: return "invalid argument";
	case CCL_ERR_NO_IDENTITY: return "no identity matched any of the recipients";
	case CCL_ERR_AGE_HEADER: return "invalid age header";
	case CCL_ERR_AGE_PAYLOAD: return "age payload is corrupt or truncated";
	case CCL_ERR_EXPIRED: return "expired";
	case CCL_ERR_PERMISSION: return "file permissions are too open";
	case CCL_ERR_EXISTS: return "already exists";
	case CCL_ERR_ABORTED: return "aborted";
	case CCL_ERR_CONFLICT: return "a newer record was published elsewhere";
	case CCL_ERR_KEY_INVALID: return "invalid public key";
	case CCL_ERR_DEPTH: return "nesting too deep";
	case CCL_ERR_CRYPTO: return "cryptographic operation failed";
	case CCL_ERR_AGENT: return "ssh-agent error";
	case CCL_ERR_CONFIG: return "configuration error";
	case CCL_ERR_NO_TTY: return "no terminal to prompt on";
	case CCL_ERR_KEY_MISMATCH: return "record was signed for a different public key";
	}
	return "unknown error";
}
