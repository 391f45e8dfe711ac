/* SPDX-License-Identifier: MIT */
/*
 * cclink-age — a tiny age(1) work-alike over src/crypto/age.c, for interoperability
 * tests against Debian's age and age-keygen. Not installed.
 *
 *   cclink-age -r RECIPIENT [-r RECIPIENT ...]   encrypt stdin to stdout
 *   cclink-age -d -i IDENTITY_FILE [-i ...]      decrypt stdin to stdout
 *   cclink-age -k                                print a new identity (age-keygen)
 *   cclink-age -y -i IDENTITY_FILE               print the identities' recipients
 *
 * Exit 0 on success, 1 on failure (the message names the age failure class:
 * "no match", "header failure", "HMAC failure", "payload failure"), 2 on usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include "age.h"
#include "secret.h"

#define CA_MAX_INPUT (256u << 20)
#define CA_MAX_KEYFILE (64u << 10)

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: cclink-age -r RECIPIENT [-r RECIPIENT ...] < in > out\n"
	    "       cclink-age -d -i IDENTITY_FILE [-i ...] < in > out\n"
	    "       cclink-age -k\n"
	    "       cclink-age -y -i IDENTITY_FILE\n");
	exit(2);
}

static const char *
failure_class(int r)
{
	switch (r) {
	case CCL_ERR_NO_IDENTITY: return "no match";
	case CCL_ERR_AGE_HEADER: return "header failure";
	case CCL_ERR_MAC_INVALID: return "HMAC failure";
	case CCL_ERR_AGE_PAYLOAD: return "payload failure";
	}
	return "error";
}

static void __attribute__((noreturn))
die(int r, const char *what)
{
	fprintf(stderr, "cclink-age: %s: %s (%s)\n", what, failure_class(r), ccl_strerror(r));
	exit(1);
}

/* Read all of f (up to max bytes) into heap memory, or secret memory when secret. */
static uint8_t *
read_all(FILE *f, size_t max, int secret, size_t *n)
{
	size_t cap = secret ? max : 65536, len = 0, got;
	uint8_t *b = secret ? secret_alloc(cap) : malloc(cap), *nb;

	for (;;) {
		if (b == NULL) {
			fprintf(stderr, "cclink-age: out of memory\n");
			exit(1);
		}
		got = fread(b + len, 1, cap - len, f);
		len += got;
		if (ferror(f)) {
			fprintf(stderr, "cclink-age: read error\n");
			exit(1);
		}
		if (len < cap)
			break;
		if (secret || cap >= max) {
			fprintf(stderr, "cclink-age: input too large\n");
			exit(1);
		}
		nb = malloc(cap * 2);
		if (nb != NULL)
			memcpy(nb, b, len);
		ccl_freezero(b, cap);
		b = nb;
		cap *= 2;
	}
	*n = len;
	return b;
}

/* Identities from a file: one AGE-SECRET-KEY-1… per line, '#' comments, blank lines. */
static size_t
load_identities(const char *path, struct age_identity *ids, size_t n, size_t max)
{
	FILE *f = fopen(path, "rb");
	char *text, *line, *save = NULL, *end;
	size_t len;
	int r;

	if (f == NULL) {
		fprintf(stderr, "cclink-age: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	text = (char *)read_all(f, CA_MAX_KEYFILE, 1, &len);
	fclose(f);
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		end = line + strlen(line);
		while (end > line && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*line == '\0' || *line == '#')
			continue;
		if (n >= max) {
			fprintf(stderr, "cclink-age: too many identities\n");
			exit(1);
		}
		if ((r = age_identity_parse(&ids[n], line)) != 0) {
			fprintf(stderr, "cclink-age: %s: malformed identity: %s\n", path, ccl_strerror(r));
			exit(1);
		}
		n++;
	}
	secret_free(text);
	return n;
}

static void
write_all(const uint8_t *p, size_t n)
{
	if (n > 0 && fwrite(p, 1, n, stdout) != n) {
		fprintf(stderr, "cclink-age: write error\n");
		exit(1);
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "cclink-age: write error\n");
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	struct age_recipient rc[AGE_MAX_STANZAS];
	struct age_identity ids[AGE_MAX_STANZAS];
	size_t nrc = 0, nids = 0, inlen, outlen, i;
	uint8_t *in, *out;
	char text[128], *sk = NULL;
	int c, r, decrypt = 0, keygen = 0, topub = 0, nidfiles = 0;

	if (sodium_init() < 0)
		return 1;
	memset(ids, 0, sizeof(ids));
	while ((c = getopt(argc, argv, "dkyr:i:")) != -1) {
		switch (c) {
		case 'd': decrypt = 1; break;
		case 'k': keygen = 1; break;
		case 'y': topub = 1; break;
		case 'r':
			if (nrc >= AGE_MAX_STANZAS)
				usage();
			if ((r = age_recipient_parse(&rc[nrc], optarg)) != 0) {
				fprintf(stderr, "cclink-age: malformed recipient '%s'\n", optarg);
				return 1;
			}
			nrc++;
			break;
		case 'i':
			nids = load_identities(optarg, ids, nids, AGE_MAX_STANZAS);
			nidfiles++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || decrypt + keygen + topub > 1)
		usage();
	if (keygen) {
		uint8_t seed[32];

		randombytes_buf(seed, sizeof(seed));
		if ((r = age_identity_from_x25519(&ids[0], seed)) != 0 ||
		    (r = age_identity_encode(&ids[0], &sk)) != 0)
			die(r, "keygen");
		sodium_memzero(seed, sizeof(seed));
		age_identity_recipient(&ids[0], &rc[0]);
		if ((r = age_recipient_encode(&rc[0], text, sizeof(text))) != 0)
			die(r, "keygen");
		printf("# public key: %s\n%s\n", text, sk);
		secret_free(sk);
		age_identity_cleanup(&ids[0]);
		return 0;
	}
	if (topub) {
		if (nidfiles == 0 || nrc > 0)
			usage();
		for (i = 0; i < nids; i++) {
			age_identity_recipient(&ids[i], &rc[0]);
			if ((r = age_recipient_encode(&rc[0], text, sizeof(text))) != 0)
				die(r, "recipient");
			printf("%s\n", text);
			age_identity_cleanup(&ids[i]);
		}
		return 0;
	}
	if (decrypt) {
		if (nidfiles == 0 || nrc > 0)
			usage();
		in = read_all(stdin, CA_MAX_INPUT, 0, &inlen);
		r = age_decrypt(ids, nids, in, inlen, &out, &outlen);
		for (i = 0; i < nids; i++)
			age_identity_cleanup(&ids[i]);
		free(in);
		if (r != 0)
			die(r, "decryption failed");
		write_all(out, outlen);
		secret_free(out);
		return 0;
	}
	if (nrc == 0 || nidfiles > 0)
		usage();
	in = read_all(stdin, CA_MAX_INPUT, 0, &inlen);
	if ((r = age_encrypt(rc, nrc, in, inlen, &out, &outlen)) != 0)
		die(r, "encryption failed");
	ccl_freezero(in, inlen);
	write_all(out, outlen);
	free(out);
	return 0;
}
