/* SPDX-License-Identifier: MIT */
/*
 * identity.c — the active identity: key file, OpenSSH key file, ssh-agent. See identity.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include <sodium.h>

#include "fsutil.h"
#include "identity.h"
#include "identity_agent.h"
#include "kdf.h"
#include "keys.h"
#include "prompt.h"
#include "secret.h"
#include "z32.h"

const char *
identity_kind_name(enum identity_kind kind)
{
	switch (kind) {
	case IDENTITY_FILE: return "key file";
	case IDENTITY_SSH_FILE: return "OpenSSH key file";
	case IDENTITY_AGENT: return "ssh-agent";
	default: return "none";
	}
}

/* "~/x" → "$HOME/x"; anything else copied. */
static int
expand_home(char **out, const char *p)
{
	char *home = NULL;
	int r;

	*out = NULL;
	if (strncmp(p, "~/", 2) != 0) {
		if ((*out = strdup(p)) == NULL)
			return CCL_ERR_NOMEM;
		return 0;
	}
	if ((r = fs_home_dir(&home)) != 0)
		return CCL_ERR_CONFIG;
	r = fs_path_join(out, home, p + 2);
	free(home);
	return r;
}

int
identity_spec_parse(const char *spec, enum identity_kind *kind, char **path)
{
	*kind = IDENTITY_NONE;
	*path = NULL;
	/* No spec: the ssh-agent identity when `init --agent` recorded one, else the key file. */
	if (spec == NULL && identity_agent_active(NULL))
		spec = "agent";
	if (spec == NULL || strcmp(spec, "file") == 0) {
		*kind = IDENTITY_FILE;
		return 0;
	}
	if (strcmp(spec, "agent") == 0) {
		*kind = IDENTITY_AGENT;
		return identity_agent_path(path);
	}
	if (strcmp(spec, "ssh") == 0 || strcmp(spec, "ssh:") == 0) {
		*kind = IDENTITY_SSH_FILE;
		return expand_home(path, IDENTITY_SSH_DEFAULT);
	}
	if (strncmp(spec, "ssh:", 4) == 0) {
		*kind = IDENTITY_SSH_FILE;
		return expand_home(path, spec + 4);
	}
	return CCL_ERR_CONFIG;
}

/* The kind o selects: its spec, except that a key_file given without a spec is that file. */
static int
resolve(const struct identity_opts *o, enum identity_kind *kind, char **path)
{
	if (o != NULL && o->spec == NULL && o->key_file != NULL) {
		*kind = IDENTITY_FILE;
		*path = NULL;
		return 0;
	}
	return identity_spec_parse(o != NULL ? o->spec : NULL, kind, path);
}

int
identity_key_path(char **out, const struct identity_opts *o)
{
	enum identity_kind kind;
	int r;

	*out = NULL;
	if ((r = resolve(o, &kind, out)) != 0)
		return r;
	if (*out != NULL)
		return 0;
	if (o != NULL && o->key_file != NULL) {
		if ((*out = strdup(o->key_file)) == NULL)
			return CCL_ERR_NOMEM;
		return 0;
	}
	return fs_key_path(out);
}

void
identity_fingerprint(char out[static IDENTITY_FP_LEN + 1], const uint8_t pk[static 32])
{
	char z[Z32_KEY_LEN + 1];

	z32_encode(z, pk, 32);
	memcpy(out, z, IDENTITY_FP_LEN);
	out[IDENTITY_FP_LEN] = '\0';
}

void
identity_cleanup(struct identity *id)
{
	size_t i;

	signer_cleanup(&id->signer);
	for (i = 0; i < id->n_age_ids; i++)
		age_identity_cleanup(&id->age_ids[i]);
	free(id->age_ids);
	free(id->key_file);
	free(id->key_advert);
	sodium_memzero(id, sizeof(*id));
}

/* Ask for the passphrase of kf and decrypt it. */
static int
unlock_envelope(const struct key_file *kf, const struct identity_opts *o,
    uint8_t seed[static 32])
{
	static const char fmt[] = "Enter passphrase for %s: ";
	char *prompt = NULL, *pass = NULL;
	size_t n, passlen = 0;
	int r;

	n = strlen(kf->path) + sizeof(fmt);
	if ((prompt = malloc(n)) == NULL)
		return CCL_ERR_NOMEM;
	snprintf(prompt, n, fmt, kf->path);
	if ((r = prompt_secret(prompt, NULL, o->passphrase_file,
	    o->allow_prompt ? 0 : PROMPT_NO_INTERACTIVE, &pass, &passlen)) != 0 ||
	    (r = key_file_unlock(kf, pass, passlen, seed)) != 0)
		goto out;
	r = 0;
 out:
	secret_free(pass);
	free(prompt);
	return r;
}

/* Keep whoami passphrase-free: repair a missing, stale or wrong cache. */
static void
refresh_cache(const struct key_file *kf, const uint8_t pk[static 32])
{
	uint8_t cached[32];

	if (key_pub_load(cached, kf) == 0 && sodium_memcmp(cached, pk, 32) == 0)
		return;
	if (key_pub_save(kf, pk) != 0)
		return;  /* not fatal: the identity is loaded, the cache stays absent */
}

/* Fill rcpts from pk (what others encrypt to: its X25519 form, as 1.3). */
static int
set_rcpts(struct identity *id)
{
	int r;

	if ((r = age_recipient_from_ed25519_pk(&id->rcpts[0], id->pk)) != 0)
		return r;
	id->n_rcpts = 1;
	return 0;
}

/* The key file's seed (asking for the passphrase of an envelope). */
static int
file_seed(const char *path, const struct identity_opts *o, uint8_t seed[static 32],
    int *encrypted)
{
	struct key_file kf;
	uint8_t pk[32];
	int r;

	memset(&kf, 0, sizeof(kf));
	if ((r = key_file_read(&kf, path)) != 0)
		goto out;
	*encrypted = kf.format == KEY_FORMAT_ENVELOPE;
	if (kf.format == KEY_FORMAT_ENVELOPE)
		r = unlock_envelope(&kf, o, seed);
	else
		r = key_file_unlock(&kf, NULL, 0, seed);
	if (r != 0)
		goto out;
	if (kf.format == KEY_FORMAT_ENVELOPE && key_seed_pubkey(pk, seed) == 0)
		refresh_cache(&kf, pk);
	r = 0;
 out:
	key_file_cleanup(&kf);
	return r;
}

int
identity_load(struct identity *id, const struct identity_opts *o)
{
	static const struct identity_opts defaults = { NULL, NULL, 1, NULL };
	enum identity_kind kind;
	uint8_t *seed = NULL;
	char *path = NULL;
	int r, encrypted = 0;

	memset(id, 0, sizeof(*id));
	if (o == NULL)
		o = &defaults;
	/* The seed only ever lives in secret memory (the signer copies it there too). */
	if ((seed = secret_alloc(32)) == NULL)
		return CCL_ERR_NOMEM;
	if ((r = resolve(o, &kind, &path)) != 0)
		goto out;
	free(path);
	path = NULL;
	if ((r = identity_key_path(&path, o)) != 0)
		goto out;
	if (kind == IDENTITY_AGENT) {
		/* No seed at all: the agent signs, a derived key decrypts. */
		r = identity_agent_load(id, path);
		goto out;
	}
	if (kind == IDENTITY_SSH_FILE)
		r = identity_ssh_seed(path, o, seed, &encrypted);
	else
		r = file_seed(path, o, seed, &encrypted);
	if (r != 0 || (r = signer_from_seed(&id->signer, seed)) != 0)
		goto out;
	memcpy(id->pk, id->signer.pk, sizeof(id->pk));
	/* What is sent to this key is encrypted to its X25519 form (as 1.3 does). */
	if ((id->age_ids = calloc(1, sizeof(*id->age_ids))) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	if ((r = age_identity_from_ed25519_seed(&id->age_ids[0], seed)) != 0)
		goto out;
	id->n_age_ids = 1;
	id->age_ready = 1;
	if ((r = set_rcpts(id)) != 0)
		goto out;
	id->kind = kind;
	id->encrypted = encrypted;
	id->key_file = path;
	path = NULL;
	r = 0;
 out:
	secret_free(seed);
	free(path);
	if (r != 0)
		identity_cleanup(id);
	return r;
}

/* The key file's public key, from the plaintext or the envelope's cache. */
static int
file_public(const char *path, const struct identity_opts *o, uint8_t pk[static 32])
{
	struct identity id;
	struct key_file kf;
	uint8_t seed[32];
	int r;

	memset(&id, 0, sizeof(id));
	memset(&kf, 0, sizeof(kf));
	if ((r = key_file_read(&kf, path)) != 0)
		goto out;
	if (kf.format == KEY_FORMAT_PLAIN) {
		if ((r = key_file_unlock(&kf, NULL, 0, seed)) != 0 ||
		    (r = key_seed_pubkey(pk, seed)) != 0)
			goto out;
	} else if (key_pub_load(pk, &kf) != 0) {
		/* No usable cache: unlock (this rewrites the cache). */
		if ((r = identity_load(&id, o)) != 0)
			goto out;
		memcpy(pk, id.pk, 32);
	}
	r = 0;
 out:
	sodium_memzero(seed, sizeof(seed));
	identity_cleanup(&id);
	key_file_cleanup(&kf);
	return r;
}

int
identity_peek(struct identity *id, const struct identity_opts *o)
{
	static const struct identity_opts defaults = { NULL, NULL, 1, NULL };
	enum identity_kind kind;
	char *path = NULL;
	int r;

	memset(id, 0, sizeof(*id));
	if (o == NULL)
		o = &defaults;
	if ((r = resolve(o, &kind, &path)) != 0)
		goto out;
	free(path);
	path = NULL;
	if ((r = identity_key_path(&path, o)) != 0)
		goto out;
	if (kind == IDENTITY_AGENT) {
		/* The recorded key and derived recipient: no agent needed. */
		if ((r = identity_agent_read(path, id->pk, &id->rcpts[0], &id->agent_epoch)) != 0 ||
		    (r = age_recipient_from_ed25519_pk(&id->rcpts[1], id->pk)) != 0)
			goto out;
		id->n_rcpts = 2;
		id->kind = kind;
		id->key_file = path;
		path = NULL;
		goto out;
	}
	if (kind == IDENTITY_SSH_FILE)
		r = identity_ssh_public(path, id->pk, &id->encrypted);
	else
		r = file_public(path, o, id->pk);
	if (r != 0 || (r = set_rcpts(id)) != 0)
		goto out;
	id->kind = kind;
	id->key_file = path;
	path = NULL;
	r = 0;
 out:
	free(path);
	if (r != 0)
		identity_cleanup(id);
	return r;
}

int
identity_load_public(uint8_t pk[static 32], char **key_file, const struct identity_opts *o)
{
	struct identity id;
	int r;

	memset(pk, 0, 32);
	if (key_file != NULL)
		*key_file = NULL;
	if ((r = identity_peek(&id, o)) != 0)
		return r;
	memcpy(pk, id.pk, 32);
	if (key_file != NULL) {
		*key_file = id.key_file;
		id.key_file = NULL;
	}
	identity_cleanup(&id);
	return 0;
}

/* Does the key file itself fail with r? (To tell key errors from passphrase ones.) */
static int
key_file_fails_with(const char *path, int r)
{
	struct key_file kf;
	int got = key_file_read(&kf, path);

	key_file_cleanup(&kf);
	return got == r;
}

/* 1 when the regular file at path starts with the envelope magic. */
static int
looks_like_envelope(const char *path)
{
	char magic[KEY_ENVELOPE_MAGIC_LEN];
	struct stat st;
	int fd, yes = 0;

	/* O_NONBLOCK: a FIFO at the key path must not hang an error message. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)) < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		yes = read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) &&
		    memcmp(magic, KEY_ENVELOPE_MAGIC, sizeof(magic)) == 0;
	close(fd);
	return yes;
}

int
identity_key_dir_message(char *buf, size_t buflen, const char *path)
{
	struct passwd *pw;
	char *dir = NULL, who[64];
	mode_t mode = 0;
	uid_t owner = 0, uid = getuid();

	if (fs_dirname(&dir, path) != 0)
		return 0;
	if (fs_key_dir_check(dir, uid, &mode, &owner) != CCL_ERR_PERMISSION) {
		free(dir);
		return 0;
	}
	if ((pw = getpwuid(uid)) != NULL && pw->pw_name != NULL)
		snprintf(who, sizeof(who), "%s", pw->pw_name);
	else
		snprintf(who, sizeof(who), "%u", (unsigned)uid);
	if (owner != uid && owner != 0)
		snprintf(buf, buflen, "key directory %s is owned by another user (uid %u), who "
		    "could replace the key; refusing it. Fix it with: sudo chown %s %s && "
		    "chmod 700 %s", dir, (unsigned)owner, who, dir, dir);
	else
		snprintf(buf, buflen, "key directory %s has mode %04o: other users could replace "
		    "the key; refusing it. Fix it with: chmod 700 %s", dir, (unsigned)mode, dir);
	free(dir);
	return 1;
}

void
identity_error_message(char *buf, size_t buflen, int r, const struct identity_opts *o)
{
	const char *sys = r == CCL_ERR_SYSTEM ? strerror(errno) : ccl_strerror(r);
	const char *pf = o != NULL ? o->passphrase_file : NULL;
	char *path = NULL;
	char syscopy[128];
	struct stat st;
	mode_t mode = 0;
	int kr;
	enum identity_kind kind = IDENTITY_FILE;

	snprintf(syscopy, sizeof(syscopy), "%s", sys);
	if (resolve(o, &kind, &path) != 0) {
		snprintf(buf, buflen, "unknown identity '%s': expected 'file', 'ssh:PATH' (an "
		    "OpenSSH ed25519 private key) or 'agent' (see 'cclink init --agent')",
		    o != NULL && o->spec != NULL ? o->spec : "");
		goto out;
	}
	free(path);
	path = NULL;
	if (kind == IDENTITY_AGENT) {
		identity_agent_error_message(buf, buflen, r);
		return;
	}
	if ((kr = identity_key_path(&path, o)) != 0) {
		if (kr == CCL_ERR_NOT_FOUND)
			snprintf(buf, buflen, "cannot find the key file: HOME (%s) is not an existing "
			    "directory (the key lives in $HOME/.pubky/secret_key): set HOME to your "
			    "home directory", getenv("HOME"));
		else
			snprintf(buf, buflen, "cannot find the key file: HOME is not set to an "
			    "absolute path (the key lives in $HOME/.pubky/secret_key)");
		return;
	}
	if (kind == IDENTITY_SSH_FILE) {
		identity_ssh_error(buf, buflen, r, path, o);
		goto out;
	}
	switch (r) {
	case CCL_ERR_WRONG_PASSPHRASE:
		snprintf(buf, buflen, "wrong passphrase for %s", path);
		goto out;
	case CCL_ERR_MAC_INVALID:
		snprintf(buf, buflen, "key file %s is damaged: its encrypted part does not "
		    "verify (the file was left unchanged)", path);
		goto out;
	case CCL_ERR_NO_TTY:
		snprintf(buf, buflen, "%s is passphrase-protected and there is no terminal to "
		    "ask on: use --passphrase-file FILE or CCLINK_ASKPASS=PROGRAM", path);
		goto out;
	case CCL_ERR_ABORTED:
		snprintf(buf, buflen, "no passphrase given for %s (cancelled, or the "
		    "CCLINK_ASKPASS program failed)", path);
		goto out;
	case CCL_ERR_NOMEM:
		snprintf(buf, buflen, "out of memory");
		goto out;
	}
	/* These codes come from the key file, or from reading the passphrase. */
	if (!key_file_fails_with(path, r)) {
		if (r == CCL_ERR_NOT_FOUND || r == CCL_ERR_TOO_LARGE || r == CCL_ERR_FORMAT ||
		    r == CCL_ERR_SYSTEM)
			snprintf(buf, buflen, "cannot read the passphrase%s%s: %s",
			    pf == NULL ? "" : " from ",
			    pf == NULL ? "" : strcmp(pf, "-") == 0 ? "standard input" : pf,
			    r == CCL_ERR_FORMAT ? "it contains a NUL byte" :
			    r == CCL_ERR_TOO_LARGE ? "longer than allowed" : syscopy);
		else
			snprintf(buf, buflen, "cannot load the key %s: %s", path, syscopy);
		goto out;
	}
	switch (r) {
	case CCL_ERR_NOT_FOUND:
		snprintf(buf, buflen, "no key at %s: create one with 'cclink init' "
		    "(or import one with 'cclink init --import FILE')", path);
		break;
	case CCL_ERR_PERMISSION:
		if (identity_key_dir_message(buf, buflen, path))
			break;
		if (fs_file_mode(path, &mode) != 0)
			mode = 0;
		snprintf(buf, buflen, "key file %s has mode %04o, open to other users; "
		    "fix it with: chmod 600 %s", path, (unsigned)mode, path);
		break;
	case CCL_ERR_FORMAT:
	case CCL_ERR_TRAILING:
		if (r == CCL_ERR_FORMAT && lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
			snprintf(buf, buflen, "key file %s is not a regular file (%s): cclink "
			    "only reads a plain file there; move the key file itself to that path",
			    path, S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISDIR(st.st_mode) ?
			    "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO" : "a device or socket");
		else if (looks_like_envelope(path))
			snprintf(buf, buflen, "key file %s is a corrupt CCLINKEK envelope (the "
			    "file was left unchanged)", path);
		else
			snprintf(buf, buflen, "key file %s is corrupt: expected 64 hex characters "
			    "or a CCLINKEK envelope (the file was left unchanged)", path);
		break;
	case CCL_ERR_TRUNCATED:
		snprintf(buf, buflen, "key file %s is truncated (the file was left unchanged)",
		    path);
		break;
	case CCL_ERR_UNSUPPORTED:
		snprintf(buf, buflen, "key file %s uses an envelope version this cclink does "
		    "not know (written by a newer cclink?)", path);
		break;
	case CCL_ERR_TOO_LARGE:
		if (stat(path, &st) == 0 && st.st_size > KEY_FILE_MAX)
			snprintf(buf, buflen, "key file %s is too large to be a key (%lld bytes; "
			    "the limit is %d)", path, (long long)st.st_size, KEY_FILE_MAX);
		else
			snprintf(buf, buflen, "key file %s asks for more Argon2 memory or time than "
			    "allowed (at most %u MiB, t=%u, p=%u): corrupt, or not from cclink",
			    path, KDF_MAX_M_KIB / 1024, KDF_MAX_T, KDF_MAX_P);
		break;
	default:
		snprintf(buf, buflen, "cannot load the key %s: %s", path, syscopy);
	}
 out:
	free(path);
}

int
identity_age_ids(struct identity *id, const struct age_identity **ids, size_t *n)
{
	struct age_recipient got;
	uint8_t xsk[32];
	int r;

	*ids = NULL;
	*n = 0;
	if (!id->age_ready && id->kind == IDENTITY_AGENT) {
		if ((id->age_ids = calloc(1, sizeof(*id->age_ids))) == NULL)
			return CCL_ERR_NOMEM;
		r = identity_agent_derive(id, xsk);
		if (r == 0)
			r = age_identity_from_x25519(&id->age_ids[0], xsk);
		sodium_memzero(xsk, sizeof(xsk));
		if (r != 0) {
			free(id->age_ids);
			id->age_ids = NULL;
			return r;
		}
		id->n_age_ids = 1;
		/* The key recorded at enrolment is what others encrypt to: it must match. */
		age_identity_recipient(&id->age_ids[0], &got);
		if (sodium_memcmp(got.pk, id->rcpts[0].pk, 32) != 0)
			return CCL_ERR_KEY_MISMATCH;
		id->age_ready = 1;
	}
	if (!id->age_ready && id->n_age_ids > 0)
		id->age_ready = 1;
	*ids = id->age_ids;
	*n = id->n_age_ids;
	return 0;
}

void
identity_sign_error_message(char *buf, size_t buflen, int r, const struct identity *id)
{
	int st;

	if (id->kind == IDENTITY_AGENT && r == CCL_ERR_AGENT &&
	    (st = signer_agent_status(&id->signer)) != AGENT_OK) {
		identity_agent_message(buf, buflen, (enum agent_status)st,
		    signer_agent_socket(&id->signer), id->pk);
		return;
	}
	if (r == CCL_ERR_KEY_MISMATCH) {
		snprintf(buf, buflen, "the ssh-agent derived another decryption key than at "
		    "enrolment (is it a different agent implementation?); run 'cclink init --agent' "
		    "again");
		return;
	}
	snprintf(buf, buflen, "signing failed: %s", ccl_strerror(r));
}
