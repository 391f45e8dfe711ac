/* SPDX-License-Identifier: MIT */
/*
 * pin.h — PIN rules and PIN-derived age keys, as cclink 1.3 (--pin).
 *
 * Rules (checked in this order, as 1.3's validate_pin; messages are 1.3's):
 *  1. at least 8 bytes of UTF-8 (1.3 counts bytes: Rust's str::len);
 *  2. not all the same character;
 *  3. not sequential: every next character's code point exactly one above
 *     (or every one exactly one below) the previous one, e.g. "12345678",
 *     "hgfedcba";
 *  4. not in 1.3's list of common words, compared case-insensitively.
 * A PIN that is not valid UTF-8 is refused too (1.3 cannot even read one).
 *
 * Key: scalar = HKDF-SHA256(Argon2id(pin, salt32, m=65536 KiB, t=3, p=1),
 * salt none, info "cclink-pin-v1"), used as an age X25519 identity.
 *
 * Trust boundary: the PIN is a secret typed by the user; it is never copied
 * except into secret memory by the KDF, and never printed.
 */
#ifndef CCL_PIN_H
#define CCL_PIN_H
#include <stddef.h>
#include <stdint.h>
#include "age.h"
#include "err.h"

#define PIN_MIN_LEN 8
#define PIN_HKDF_INFO "cclink-pin-v1"

enum pin_rule {
	PIN_OK = 0,
	PIN_TOO_SHORT,     /* fewer than 8 bytes */
	PIN_ALL_SAME,      /* one character repeated */
	PIN_SEQUENTIAL,    /* ascending or descending run */
	PIN_COMMON,        /* in the common-word list */
	PIN_NOT_UTF8,      /* not valid UTF-8 */
};

/* Which rule pin[0..len) breaks first, or PIN_OK. */
enum pin_rule pin_check(const char *pin, size_t len);

/*
 * 0 when the PIN is acceptable; CCL_ERR_INVALID_ARG otherwise, with a
 * message naming the rule written to msg (NUL-terminated, truncated to
 * msglen; msg may be NULL), e.g. "PIN must be at least 8 characters (got 7)".
 */
CCL_MUST_CHECK int pin_validate(const char *pin, size_t len, char *msg, size_t msglen);

/*
 * The age identity a PIN and a record's pin_salt decrypt with (Argon2id
 * 64 MiB, then HKDF "cclink-pin-v1"). id is cleared first; release it with
 * age_identity_cleanup.
 */
CCL_MUST_CHECK int pin_derive_identity(struct age_identity *id, const char *pin, size_t len,
    const uint8_t salt[static 32]);
/* The matching recipient (what publish encrypts to). */
CCL_MUST_CHECK int pin_derive_recipient(struct age_recipient *rcpt, const char *pin, size_t len,
    const uint8_t salt[static 32]);
#endif
