/* SPDX-License-Identifier: MIT */
/*
 * record_age.c — the record and PIN operations that need age and the KDF
 * (record_seal, record_open from record.h; pin_derive_* from pin.h). They
 * live apart from record.c and pin.c so that parsing, encoding and the PIN
 * rules link (unit tests, fuzzers) without the crypto modules.
 *
 * Trust boundary: record_open hands untrusted ciphertext to age_decrypt,
 * which parses it through buf_rd.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "age.h"
#include "kdf.h"
#include "pin.h"
#include "record.h"

int
record_seal(struct record *rec, const struct age_recipient *rcpts, size_t n,
    const uint8_t *payload, size_t payload_len)
{
	uint8_t *ct = NULL;
	size_t ctlen = 0;
	int r;

	if (n == 0 || rcpts == NULL)
		return CCL_ERR_INVALID_ARG;
	if ((r = age_encrypt(rcpts, n, payload, payload_len, &ct, &ctlen)) != 0)
		return r;
	free(rec->blob);
	rec->blob = ct;
	rec->blob_len = ctlen;
	return 0;
}

int
record_open(const struct record *rec, const struct age_identity *ids, size_t n,
    uint8_t **pt, size_t *ptlen)
{
	*pt = NULL;
	*ptlen = 0;
	if (n == 0 || ids == NULL || rec->blob == NULL)
		return CCL_ERR_INVALID_ARG;
	return age_decrypt(ids, n, rec->blob, rec->blob_len, pt, ptlen);
}

int
pin_derive_identity(struct age_identity *id, const char *pin, size_t len,
    const uint8_t salt[static 32])
{
	uint8_t scalar[32];
	int r;

	memset(id, 0, sizeof(*id));
	if (pin == NULL && len > 0)
		return CCL_ERR_INVALID_ARG;
	if ((r = kdf_derive_x25519(scalar, pin == NULL ? "" : pin, len, salt,
	    KDF_DEFAULT_M_KIB, KDF_DEFAULT_T, KDF_DEFAULT_P, PIN_HKDF_INFO)) != 0 ||
	    (r = age_identity_from_x25519(id, scalar)) != 0)
		goto out;
	r = 0;
 out:
	sodium_memzero(scalar, sizeof(scalar));
	return r;
}

int
pin_derive_recipient(struct age_recipient *rcpt, const char *pin, size_t len,
    const uint8_t salt[static 32])
{
	struct age_identity id;
	int r;

	memset(rcpt, 0, sizeof(*rcpt));
	if ((r = pin_derive_identity(&id, pin, len, salt)) != 0)
		goto out;
	age_identity_recipient(&id, rcpt);
	r = 0;
 out:
	age_identity_cleanup(&id);
	return r;
}
