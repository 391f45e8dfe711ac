/* SPDX-License-Identifier: MIT */
/*
 * pin.c — cclink 1.3's PIN rules and the PIN-derived X25519 identity
 * (pin.h). The PIN is read through struct buf_rd like any other input.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "jsonw.h"
#include "pin.h"

/*
 * cclink 1.3's list (src/commands/publish.rs), kept as data. Entries shorter
 * than 8 bytes can never match (rule 1 comes first); they are kept so the
 * list stays the same as 1.3's.
 */
static const char *const pin_common[] = {
	"password", "qwerty", "letmein", "welcome", "monkey", "dragon",
	"master", "iloveyou", "sunshine", "princess", "football", "baseball",
	"123456789", "12345678", "87654321", "qwertyui", "asdfghjk",
};

/* Decode one UTF-8 character (input already validated). */
static uint32_t
next_cp(struct buf_rd *rd)
{
	uint8_t c, d;
	uint32_t cp;
	int more, i;

	if (buf_get_u8(rd, &c) != 0)
		return 0;
	if (c < 0x80)
		return c;
	if (c < 0xe0) {
		cp = c & 0x1f;
		more = 1;
	} else if (c < 0xf0) {
		cp = c & 0x0f;
		more = 2;
	} else {
		cp = c & 0x07;
		more = 3;
	}
	for (i = 0; i < more; i++) {
		if (buf_get_u8(rd, &d) != 0)
			return 0;
		cp = (cp << 6) | (d & 0x3f);
	}
	return cp;
}

/*
 * Rust's to_lowercase() == word for an ASCII word. Only ASCII letters and
 * U+212A KELVIN SIGN (lowercase 'k') lowercase to ASCII; any other
 * non-ASCII character makes the comparison fail.
 */
static int
lower_equals(const char *pin, size_t len, const char *word)
{
	struct buf_rd rd;
	size_t wl = strlen(word), i = 0;
	uint32_t cp;

	buf_rd_init(&rd, pin, len);
	while (buf_remaining(&rd) > 0) {
		cp = next_cp(&rd);
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		else if (cp == 0x212a)
			cp = 'k';
		if (cp >= 0x80 || i >= wl || (uint8_t)word[i] != cp)
			return 0;
		i++;
	}
	return i == wl;
}

enum pin_rule
pin_check(const char *pin, size_t len)
{
	struct buf_rd rd;
	uint32_t first, prev, cp;
	int same = 1, up = 1, down = 1;
	size_t i;

	if (pin == NULL && len > 0)
		return PIN_NOT_UTF8;
	if (!jsonw_utf8_valid((const uint8_t *)pin, len))
		return PIN_NOT_UTF8;
	if (len < PIN_MIN_LEN)
		return PIN_TOO_SHORT;
	buf_rd_init(&rd, pin, len);
	first = prev = next_cp(&rd);
	while (buf_remaining(&rd) > 0) {
		cp = next_cp(&rd);
		if (cp != first)
			same = 0;
		if (cp != prev + 1)
			up = 0;
		if (prev == 0 || cp != prev - 1)
			down = 0;
		prev = cp;
	}
	if (same)
		return PIN_ALL_SAME;
	if (up || down)
		return PIN_SEQUENTIAL;
	for (i = 0; i < sizeof(pin_common) / sizeof(pin_common[0]); i++) {
		if (lower_equals(pin, len, pin_common[i]))
			return PIN_COMMON;
	}
	return PIN_OK;
}

int
pin_validate(const char *pin, size_t len, char *msg, size_t msglen)
{
	enum pin_rule rule = pin_check(pin, len);
	const char *m = NULL;

	switch (rule) {
	case PIN_OK:
		break;
	case PIN_TOO_SHORT:
		if (msg != NULL && msglen > 0)
			snprintf(msg, msglen, "PIN must be at least %d characters (got %zu)",
			    PIN_MIN_LEN, len);
		return CCL_ERR_INVALID_ARG;
	case PIN_ALL_SAME:
		m = "PIN rejected: all characters are the same";
		break;
	case PIN_SEQUENTIAL:
		m = "PIN rejected: sequential pattern";
		break;
	case PIN_COMMON:
		m = "PIN rejected: common word or pattern";
		break;
	case PIN_NOT_UTF8:
		m = "PIN rejected: not valid UTF-8 text";
		break;
	}
	if (msg != NULL && msglen > 0)
		snprintf(msg, msglen, "%s", m == NULL ? "" : m);
	return m == NULL ? 0 : CCL_ERR_INVALID_ARG;
}
