/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sshkey.c — libFuzzer target for the OpenSSH key parsers (sshkey.c):
 * the input as a key file text (armour, header, private section), the input
 * as the decoded openssh-key-v1 body (armoured here, so the fuzzer works on
 * the binary layout directly), and the input as a public key line. A parse
 * that succeeds must give a seed that derives the public key it reports.
 * Decryption (libssh) is not reached: encrypted keys stop at the header.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"
#include "sshkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_private(const uint8_t *text, size_t len)
{
	struct sshkey_info info;
	uint8_t seed[32], pk[32], sk[64];

	if (sshkey_parse_public(text, len, &info) == 0 && info.why[0] != '\0')
		abort();
	if (sshkey_parse_private(text, len, seed, &info) != 0) {
		if (info.why[0] == '\0' || !sodium_is_zero(seed, 32))
			abort();
		return;
	}
	crypto_sign_ed25519_seed_keypair(pk, sk, seed);
	if (memcmp(pk, info.pk, 32) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char begin[] = "-----BEGIN OPENSSH PRIVATE KEY-----\n";
	static const char end[] = "\n-----END OPENSSH PRIVATE KEY-----\n";
	static int init;
	struct sshkey_info info;
	uint8_t pk[32];
	char *text;
	size_t n;

	if (!init) {
		if (sodium_init() < 0)
			return 0;
		init = 1;
	}
	if (size > SSHKEY_TEXT_MAX)
		return 0;
	check_private(data, size);
	if (sshkey_parse_publine((const char *)data, size, pk, &info) != 0 && info.why[0] == '\0')
		abort();
	/* The same bytes as the binary body of a key file. */
	n = b64_encoded_len(size, B64_STD_PAD);
	if ((text = malloc(sizeof(begin) + n + sizeof(end))) == NULL)
		return 0;
	memcpy(text, begin, sizeof(begin) - 1);
	b64_encode(text + sizeof(begin) - 1, data, size, B64_STD_PAD);
	memcpy(text + sizeof(begin) - 1 + n, end, sizeof(end));
	check_private((const uint8_t *)text, strlen(text));
	free(text);
	return 0;
}
