/* SPDX-License-Identifier: MIT */
/*
 * identity_ssh.c — the OpenSSH key file identity kind (identity = ssh:PATH,
 * and the source of `init --from-ssh`): sshkey.h does the parsing, prompt.h
 * asks for the key's passphrase. See identity.h.
 *
 * Trust boundary: the key file is untrusted and parsed by sshkey.c; this
 * file never prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "identity.h"
#include "prompt.h"
#include "secret.h"
#include "sshkey.h"

int
identity_ssh_public(const char *path, uint8_t pk[static 32], int *encrypted)
{
	struct sshkey_info info;
	uint8_t *seed;
	int r;

	memset(pk, 0, 32);
	*encrypted = 0;
	if ((r = sshkey_load_public(path, &info)) != 0)
		return r;
	/* An unencrypted key is checked whole: no passphrase is needed for that. */
	if (!info.encrypted) {
		if ((seed = secret_alloc(32)) == NULL)
			return CCL_ERR_NOMEM;
		r = sshkey_load_seed(path, NULL, 0, seed, &info);
		secret_free(seed);
		if (r != 0)
			return r;
	}
	memcpy(pk, info.pk, 32);
	*encrypted = info.encrypted;
	return 0;
}

int
identity_ssh_seed(const char *path, const struct identity_opts *o, uint8_t seed[static 32],
    int *encrypted)
{
	static const char fmt[] = "Enter passphrase for OpenSSH key %s: ";
	struct sshkey_info info;
	char *prompt = NULL, *pass = NULL;
	size_t n, passlen = 0;
	int r;

	memset(seed, 0, 32);
	*encrypted = 0;
	/* The cleartext header first: refuse what libssh must not see, before asking. */
	if ((r = sshkey_load_public(path, &info)) != 0)
		goto out;
	*encrypted = info.encrypted;
	if (info.encrypted) {
		n = strlen(path) + sizeof(fmt);
		if ((prompt = malloc(n)) == NULL) {
			r = CCL_ERR_NOMEM;
			goto out;
		}
		snprintf(prompt, n, fmt, path);
		if ((r = prompt_secret(prompt, NULL, o->passphrase_file,
		    o->allow_prompt ? 0 : PROMPT_NO_INTERACTIVE, &pass, &passlen)) != 0)
			goto out;
	}
	if ((r = sshkey_load_seed(path, pass, passlen, seed, &info)) != 0)
		goto out;
	r = 0;
 out:
	secret_free(pass);
	free(prompt);
	sodium_memzero(&info, sizeof(info));
	return r;
}

void
identity_ssh_error(char *buf, size_t buflen, int r, const char *path,
    const struct identity_opts *o)
{
	struct sshkey_info info;
	const char *pf = o != NULL ? o->passphrase_file : NULL;
	uint8_t *seed;
	int bad = 0;

	switch (r) {
	case CCL_ERR_NO_TTY:
		snprintf(buf, buflen, "the OpenSSH key %s is passphrase-protected and there is no "
		    "terminal to ask on: use --passphrase-file FILE or CCLINK_ASKPASS=PROGRAM", path);
		return;
	case CCL_ERR_ABORTED:
		snprintf(buf, buflen, "no passphrase given for the OpenSSH key %s (cancelled, or the "
		    "CCLINK_ASKPASS program failed)", path);
		return;
	case CCL_ERR_NOMEM:
		snprintf(buf, buflen, "out of memory");
		return;
	case CCL_ERR_WRONG_PASSPHRASE:
		snprintf(buf, buflen, "wrong passphrase for the OpenSSH key %s", path);
		return;
	case CCL_ERR_KEY_MISMATCH:
		snprintf(buf, buflen, "cannot use the OpenSSH key %s: the private key does not match "
		    "the file's public key: the file is corrupt or was tampered with", path);
		return;
	}
	/* Find the reason again, from the file alone (no passphrase). */
	if (sshkey_load_public(path, &info) != 0) {
		snprintf(buf, buflen, "cannot use the OpenSSH key %s: %s", path, info.why);
		return;
	}
	if (!info.encrypted && (seed = secret_alloc(32)) != NULL) {
		bad = sshkey_load_seed(path, NULL, 0, seed, &info) != 0;
		secret_free(seed);
	}
	if (bad) {
		snprintf(buf, buflen, "cannot use the OpenSSH key %s: %s", path, info.why);
		return;
	}
	if (r == CCL_ERR_NOT_FOUND || r == CCL_ERR_TOO_LARGE || r == CCL_ERR_FORMAT ||
	    r == CCL_ERR_SYSTEM)
		snprintf(buf, buflen, "cannot read the passphrase for %s%s%s: %s", path,
		    pf == NULL ? "" : " from ",
		    pf == NULL ? "" : strcmp(pf, "-") == 0 ? "standard input" : pf,
		    r == CCL_ERR_FORMAT ? "it contains a NUL byte" :
		    r == CCL_ERR_TOO_LARGE ? "longer than allowed" : ccl_strerror(r));
	else
		snprintf(buf, buflen, "cannot use the OpenSSH key %s: %s", path, ccl_strerror(r));
}
