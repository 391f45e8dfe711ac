/* SPDX-License-Identifier: MIT */
/*
 * test_identity.c — loading the active identity from the key file: full
 * (signer, age identities) and public-only (no passphrase while the cache
 * is valid), and the error messages commands print.
 */
#include "testutil.h"

#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "fsutil.h"
#include "hex.h"
#include "identity.h"
#include "keys.h"
#include "prompt.h"
#include "secret.h"

#define SEED_2A "2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a"
#define PK_2A "197f6b23e16c8532c6abc838facd5ea789be0c76b2920334039bfa8b3d368d61"
#define Z32_2A_FP "df9sse9b"  /* pk:df9sse9b… (tests/vectors/vectors.json) */

static char tmpdir[256], keyfile[400], pubfile[400], passfile[400];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/ccl-ident.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(keyfile, sizeof(keyfile), "%s/.pubky/secret_key", tmpdir);
	snprintf(pubfile, sizeof(pubfile), "%s/.pubky/secret_key.pub", tmpdir);
	snprintf(passfile, sizeof(passfile), "%s/pass", tmpdir);
	unsetenv(PROMPT_ASKPASS_ENV);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
unhex32(uint8_t out[32], const char *s)
{
	assert_int_equal(hex_decode(out, 32, s, 64), 0);
}

/*
 * The identity signs (the signature verifies under its pk), and decrypts
 * what is encrypted to its pk's X25519 form (as a 1.3 self-handoff is).
 */
static void
check_signs(const struct identity *id)
{
	static const uint8_t msg[] = "a message";
	struct age_recipient rcpt;
	uint8_t sig[64], *ct = NULL, *pt = NULL;
	size_t ctlen = 0, ptlen = 0;

	assert_int_equal(signer_sign(&id->signer, sig, msg, sizeof(msg)), 0);
	assert_int_equal(crypto_sign_ed25519_verify_detached(sig, msg, sizeof(msg), id->pk), 0);
	assert_int_equal(id->n_age_ids, 1);
	assert_int_equal(age_recipient_from_ed25519_pk(&rcpt, id->pk), 0);
	assert_int_equal(age_encrypt(&rcpt, 1, msg, sizeof(msg), &ct, &ctlen), 0);
	assert_int_equal(age_decrypt(id->age_ids, id->n_age_ids, ct, ctlen, &pt, &ptlen), 0);
	assert_int_equal(ptlen, sizeof(msg));
	assert_memory_equal(pt, msg, sizeof(msg));
	secret_free(pt);
	free(ct);
}

static void
test_fingerprint(void **state)
{
	uint8_t pk[32];
	char fp[IDENTITY_FP_LEN + 1];

	(void)state;
	unhex32(pk, PK_2A);
	identity_fingerprint(fp, pk);
	assert_int_equal(strlen(fp), IDENTITY_FP_LEN);
	assert_string_equal(fp, Z32_2A_FP);
}

static void
test_plain_identity(void **state)
{
	struct identity_opts o = { keyfile, NULL, 0, NULL };
	struct identity id;
	uint8_t seed[32], want[32], pk[32];
	char *path = NULL;

	(void)state;
	unhex32(seed, SEED_2A);
	unhex32(want, PK_2A);
	assert_int_equal(key_save(keyfile, seed, NULL, 0), 0);
	assert_int_equal(identity_load(&id, &o), 0);
	assert_int_equal(id.kind, IDENTITY_FILE);
	assert_int_equal(id.encrypted, 0);
	assert_memory_equal(id.pk, want, 32);
	assert_memory_equal(id.signer.pk, want, 32);
	assert_string_equal(id.key_file, keyfile);
	check_signs(&id);
	identity_cleanup(&id);
	identity_cleanup(&id);
	assert_int_equal(identity_load_public(pk, &path, &o), 0);
	assert_memory_equal(pk, want, 32);
	assert_string_equal(path, keyfile);
	free(path);
	assert_int_equal(identity_load_public(pk, NULL, &o), 0);
	/* No cache is made for a plaintext key. */
	assert_int_equal(fs_exists(pubfile), 0);
}

static void
test_default_path_from_home(void **state)
{
	char *saved = getenv("HOME") != NULL ? strdup(getenv("HOME")) : NULL;
	struct identity_opts o = { NULL, NULL, 0, NULL };
	uint8_t seed[32], pk[32], want[32];
	char *path = NULL;

	(void)state;
	setenv("HOME", tmpdir, 1);
	unhex32(seed, SEED_2A);
	unhex32(want, PK_2A);
	assert_int_equal(key_save(keyfile, seed, NULL, 0), 0);
	assert_int_equal(identity_load_public(pk, &path, &o), 0);
	assert_string_equal(path, keyfile);
	assert_memory_equal(pk, want, 32);
	free(path);
	assert_int_equal(identity_load_public(pk, &path, NULL), 0);
	free(path);
	unsetenv("HOME");
	assert_int_equal(identity_load_public(pk, &path, &o), CCL_ERR_CONFIG);
	assert_null(path);
	if (saved != NULL)
		setenv("HOME", saved, 1);
	free(saved);
}

static void
msg_contains(int r, const struct identity_opts *o, const char *needle)
{
	char buf[1024];

	identity_error_message(buf, sizeof(buf), r, o);
	if (strstr(buf, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", buf, needle);
}

static void
test_errors_and_messages(void **state)
{
	struct identity_opts o = { keyfile, NULL, 0, NULL };
	struct identity id;
	uint8_t seed[32], pk[32];
	char want[1024];
	int r;

	(void)state;
	r = identity_load(&id, &o);
	assert_int_equal(r, CCL_ERR_NOT_FOUND);
	msg_contains(r, &o, "cclink init");
	msg_contains(r, &o, keyfile);
	unhex32(seed, SEED_2A);
	assert_int_equal(key_save(keyfile, seed, NULL, 0), 0);
	assert_int_equal(chmod(keyfile, 0644), 0);
	r = identity_load_public(pk, NULL, &o);
	assert_int_equal(r, CCL_ERR_PERMISSION);
	snprintf(want, sizeof(want), "chmod 600 %s", keyfile);
	msg_contains(r, &o, want);
	msg_contains(r, &o, "0644");
	assert_int_equal(chmod(keyfile, 0600), 0);
	th_put_file(keyfile, "not a key", 9, 0600);
	r = identity_load(&id, &o);
	assert_int_equal(r, CCL_ERR_FORMAT);
	msg_contains(r, &o, "corrupt");
	msg_contains(r, &o, "left unchanged");
	th_put_file(keyfile, "CCLINKEK\x02", 9, 0600);
	r = identity_load(&id, &o);
	assert_int_equal(r, CCL_ERR_UNSUPPORTED);
	msg_contains(r, &o, "version");
	th_put_file(keyfile, "CCLINKEK\x01\x00\x01", 11, 0600);
	r = identity_load(&id, &o);
	assert_int_equal(r, CCL_ERR_TRUNCATED);
	msg_contains(r, &o, "truncated");
	msg_contains(CCL_ERR_WRONG_PASSPHRASE, &o, "wrong passphrase");
	msg_contains(CCL_ERR_NO_TTY, &o, "--passphrase-file");
	msg_contains(CCL_ERR_MAC_INVALID, &o, "damaged");
	/* A passphrase-file problem is told apart from a key-file problem. */
	{
		uint8_t salt[32] = { 0 };
		struct identity_opts op = { keyfile, passfile, 0, NULL };

		/* A header-valid envelope (the age body is never reached). */
		memcpy(want, "CCLINKEK\x01\x00\x00\x00\x08\x00\x00\x00\x01\x00\x00\x00\x01", 21);
		memcpy(want + 21, salt, 32);
		memcpy(want + 53, "age-encryption.org/v1\n", 22);
		th_put_file(keyfile, want, 75, 0600);
		r = identity_load(&id, &op);
		assert_int_equal(r, CCL_ERR_NOT_FOUND);
		msg_contains(r, &op, "cannot read the passphrase from");
		msg_contains(r, &op, passfile);
	}
}

/* ---- envelopes: need the age and kdf modules ---- */

/* An envelope with cheap Argon2 parameters at keyfile, and its cache. */
static void
write_envelope(const uint8_t seed[32], const char *pass, int with_cache)
{
	struct key_file kf;
	uint8_t *env = NULL, salt[32], pk[32];
	size_t envlen = 0;
	char dir[400];

	randombytes_buf(salt, sizeof(salt));
	assert_int_equal(key_envelope_seal_params(&env, &envlen, seed, pass, strlen(pass), salt,
	    64, 1, 1), 0);
	snprintf(dir, sizeof(dir), "%s/.pubky", tmpdir);
	assert_int_equal(fs_mkdir_p(dir, 0700), 0);
	assert_int_equal(fs_remove(pubfile), 0);
	assert_int_equal(fs_write_private(keyfile, env, envlen), 0);
	free(env);
	if (with_cache) {
		assert_int_equal(key_file_read(&kf, keyfile), 0);
		assert_int_equal(key_seed_pubkey(pk, seed), 0);
		assert_int_equal(key_pub_save(&kf, pk), 0);
		key_file_cleanup(&kf);
	}
}

static void
test_envelope_identity(void **state)
{
	struct identity_opts o = { keyfile, passfile, 0, NULL };
	struct identity_opts nopass = { keyfile, NULL, 0, NULL };
	struct identity id;
	uint8_t seed[32], want[32], pk[32];

	(void)state;
	unhex32(seed, SEED_2A);
	unhex32(want, PK_2A);
	write_envelope(seed, "passphrase 1", 0);
	th_put_file(passfile, "passphrase 1\n", 13, 0600);
	/* No passphrase source and no prompting allowed. */
	assert_int_equal(identity_load(&id, &nopass), CCL_ERR_NO_TTY);
	assert_int_equal(identity_load_public(pk, NULL, &nopass), CCL_ERR_NO_TTY);
	assert_int_equal(fs_exists(pubfile), 0);
	/* With the passphrase file: full identity, and the cache is written. */
	assert_int_equal(identity_load(&id, &o), 0);
	assert_int_equal(id.encrypted, 1);
	assert_memory_equal(id.pk, want, 32);
	check_signs(&id);
	identity_cleanup(&id);
	assert_int_equal(fs_exists(pubfile), 1);
	/* Now the public key needs no passphrase. */
	assert_int_equal(identity_load_public(pk, NULL, &nopass), 0);
	assert_memory_equal(pk, want, 32);
	/* Wrong passphrase. */
	th_put_file(passfile, "passphrase 2\n", 13, 0600);
	assert_int_equal(identity_load(&id, &o), CCL_ERR_WRONG_PASSPHRASE);
	identity_cleanup(&id);
}

static void
test_envelope_askpass(void **state)
{
	struct identity_opts o = { keyfile, NULL, 1, NULL };
	struct identity id;
	uint8_t seed[32];
	char script[512], path[400];

	(void)state;
	randombytes_buf(seed, sizeof(seed));
	write_envelope(seed, "from askpass", 1);
	snprintf(path, sizeof(path), "%s/askpass", tmpdir);
	snprintf(script, sizeof(script), "#!/bin/sh\necho 'from askpass'\n");
	th_put_file(path, script, strlen(script), 0700);
	setenv(PROMPT_ASKPASS_ENV, path, 1);
	assert_int_equal(identity_load(&id, &o), 0);
	identity_cleanup(&id);
	/* allow_prompt = 0 forbids askpass. */
	o.allow_prompt = 0;
	assert_int_equal(identity_load(&id, &o), CCL_ERR_NO_TTY);
	unsetenv(PROMPT_ASKPASS_ENV);
}

static void
test_stale_cache(void **state)
{
	struct identity_opts o = { keyfile, passfile, 0, NULL };
	struct identity_opts nopass = { keyfile, NULL, 0, NULL };
	struct identity id;
	uint8_t seed1[32], seed2[32], pk1[32], pk2[32], pk[32];
	uint8_t *cache = NULL;
	size_t n;

	(void)state;
	randombytes_buf(seed1, sizeof(seed1));
	randombytes_buf(seed2, sizeof(seed2));
	assert_int_equal(key_seed_pubkey(pk1, seed1), 0);
	assert_int_equal(key_seed_pubkey(pk2, seed2), 0);
	write_envelope(seed1, "pass one", 1);
	cache = th_read_file(pubfile, &n);
	/* The key is replaced behind our back, the old cache put back: never shown. */
	write_envelope(seed2, "pass two", 0);
	th_put_file(pubfile, cache, n, 0600);
	free(cache);
	assert_int_equal(identity_load_public(pk, NULL, &nopass), CCL_ERR_NO_TTY);
	th_put_file(passfile, "pass two", 8, 0600);
	assert_int_equal(identity_load_public(pk, NULL, &o), 0);
	assert_memory_equal(pk, pk2, 32);
	/* ... and the cache was repaired. */
	assert_int_equal(identity_load_public(pk, NULL, &nopass), 0);
	assert_memory_equal(pk, pk2, 32);
	/* A cache naming the wrong key for this very file is rewritten on unlock. */
	{
		struct key_file kf;

		assert_int_equal(key_file_read(&kf, keyfile), 0);
		assert_int_equal(key_pub_save(&kf, pk1), 0);
		key_file_cleanup(&kf);
	}
	assert_int_equal(identity_load_public(pk, NULL, &nopass), 0);
	assert_memory_equal(pk, pk1, 32);  /* the cache is trusted as written... */
	assert_int_equal(identity_load(&id, &o), 0);
	assert_memory_equal(id.pk, pk2, 32);
	identity_cleanup(&id);
	assert_int_equal(identity_load_public(pk, NULL, &nopass), 0);
	assert_memory_equal(pk, pk2, 32);  /* ...until an unlock corrects it */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test_setup_teardown(test_plain_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_path_from_home, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_and_messages, setup, teardown),
		/* These need the age and kdf modules. */
		cmocka_unit_test_setup_teardown(test_envelope_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_envelope_askpass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_cache, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
