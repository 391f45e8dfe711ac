/* SPDX-License-Identifier: MIT */
/*
 * sha1.h — SHA-1 (FIPS 180-4). libsodium has none, and BEP 44 needs it for
 * DHT targets (target = SHA1(public key)). Only for ids, never for security.
 */
#ifndef CCL_SHA1_H
#define CCL_SHA1_H
#include <stddef.h>
#include <stdint.h>

#define SHA1_LEN 20

void sha1_digest(const uint8_t *p, size_t n, uint8_t out[static SHA1_LEN]);
#endif
