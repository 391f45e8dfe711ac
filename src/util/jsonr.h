/* SPDX-License-Identifier: MIT */
/*
 * jsonr.h — a strict JSON reader for small untrusted documents (cclink
 * records from the DHT, decrypted payloads).
 *
 * Trust boundary: parses untrusted bytes, all through struct buf_rd. It
 * accepts exactly what serde_json::from_str accepts (RFC 8259: whitespace is
 * only space, tab, LF, CR; no BOM; no leading zeros, "+", "1.", ".5"; raw
 * control characters inside strings rejected; escapes checked, \u surrogates
 * must pair; the input must be valid UTF-8; nothing after the value) with
 * two deliberate differences, both only reachable through keys the reader
 * ignores: lone \u surrogate escapes are rejected everywhere (serde_json
 * only rejects them in strings it decodes), and nesting is capped at 128
 * levels (serde_json skips unknown values of any depth).
 *
 * cJSON is not used here: it accepts trailing garbage, raw control
 * characters, a BOM, "01" and "1.", truncates strings at \u0000 and parses
 * numbers as doubles — every one of those decisions would have to be made
 * again on the raw text anyway.
 *
 * The reader validates the whole document and hands back the top-level
 * object's members as raw tokens (borrowed pointers into the input, valid as
 * long as it is); typed accessors then decode the members the caller knows.
 */
#ifndef CCL_JSONR_H
#define CCL_JSONR_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define JSONR_MAX_DEPTH 128

enum jsonr_type {
	JSONR_NULL = 1,
	JSONR_FALSE,
	JSONR_TRUE,
	JSONR_NUMBER,
	JSONR_STRING,
	JSONR_ARRAY,
	JSONR_OBJECT,
};

struct jsonr_member {
	const uint8_t *key;   /* raw key token, quotes included */
	size_t key_len;
	const uint8_t *val;   /* raw value token */
	size_t val_len;
	enum jsonr_type type;
};

/*
 * Validate s[0..len) as one JSON document whose top-level value is an
 * object, and return its members in document order (duplicates included)
 * in a calloc'd array *members of *n entries (free() it; NULL when n is 0).
 * Errors: CCL_ERR_FORMAT (syntax, not an object, invalid UTF-8),
 * CCL_ERR_TRAILING, CCL_ERR_TRUNCATED, CCL_ERR_DEPTH, CCL_ERR_NOMEM.
 */
CCL_MUST_CHECK int jsonr_object(const uint8_t *s, size_t len,
    struct jsonr_member **members, size_t *n);

/* 1 when the member's key decodes to exactly name (escapes resolved). */
int jsonr_key_is(const struct jsonr_member *m, const char *name);

/*
 * The member's string value decoded into a NUL-terminated heap string
 * (free()). CCL_ERR_FORMAT when it is not a string or decodes to a string
 * holding a NUL byte (C strings cannot carry it).
 */
CCL_MUST_CHECK int jsonr_get_string(const struct jsonr_member *m, char **out, size_t *outlen);

/*
 * The member's value as a u64, exactly as serde_json reads a u64 field:
 * digits only ("0" or no leading zero), at most 2^64-1. A sign, fraction or
 * exponent is CCL_ERR_FORMAT, as is any non-number.
 */
CCL_MUST_CHECK int jsonr_get_u64(const struct jsonr_member *m, uint64_t *v);

/* The member's value as a bool (true/false only; anything else CCL_ERR_FORMAT). */
CCL_MUST_CHECK int jsonr_get_bool(const struct jsonr_member *m, int *v);
#endif
