/* SPDX-License-Identifier: MIT */
/*
 * cmd_init.c — `cclink init`: create or import (64-hex seed, or an OpenSSH
 * ed25519 private key with --from-ssh) the identity key ~/.pubky/secret_key (passphrase envelope by default, plaintext with
 * --no-passphrase), never overwriting a key without confirmation.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "cmd_init_agent.h"
#include "fsutil.h"
#include "identity.h"
#include "identity_agent.h"
#include "keyrec.h"
#include "keys.h"
#include "prompt.h"
#include "secret.h"
#include "sshkey.h"
#include "z32.h"

#define INIT_MIN_PASSPHRASE 8

static const char init_usage[] =
    "cclink init [--no-passphrase] [--import PATH|- | --from-ssh [PATH]] [-y]\n"
    "       cclink init --agent [FINGERPRINT|COMMENT] [--epoch N] [-y]";

static void
usage(FILE *f)
{
	cli_usage_line(f, init_usage);
	fputs("\nCreate the identity key ~/.pubky/secret_key, or import a 64-hex Ed25519 seed,\n"
	    "a cclink key file from another machine, or an OpenSSH ed25519 private key.\n"
	    "The key is passphrase-protected (asked twice on the terminal, at least 8\n"
	    "characters; or read from --passphrase-file FILE or CCLINK_ASKPASS=PROGRAM).\n\n"
	    "Options:\n"
	    "  --no-passphrase  store the key unencrypted (the cclink 1.2 format)\n"
	    "  --import PATH    import the seed from PATH ('-': standard input): 64 hex\n"
	    "                   characters, or a cclink key file (~/.pubky/secret_key of\n"
	    "                   another machine; its passphrase is asked)\n"
	    "  --from-ssh [PATH] import an OpenSSH ed25519 private key (default\n"
	    "                   ~/.ssh/id_ed25519): the identity becomes that SSH key. Its\n"
	    "                   passphrase is asked like the others; with --passphrase-file\n"
	    "                   the file's one passphrase also protects the imported key\n"
	    "  --agent [KEY]    use an ssh-ed25519 key held by ssh-agent ($SSH_AUTH_SOCK), named by\n"
	    "                   its SHA256: fingerprint or comment; no secret is stored\n"
	    "  --epoch N        with --agent: derive the decryption key of epoch N (default: the\n"
	    "                   one recorded, else 0). A new N rotates that key; run the same\n"
	    "                   command on every machine that uses this agent identity\n"
	    "  -y, --yes        overwrite an existing key without asking\n"
	    "  -h, --help       show this help\n", f);
}

/* A short description of the key already at path, for the overwrite question. */
static void
describe_existing(char *buf, size_t n, const char *path)
{
	struct identity_opts o = { path, NULL, 0, NULL };
	uint8_t pk[32];
	char fp[IDENTITY_FP_LEN + 1];

	if (identity_load_public(pk, NULL, &o) == 0) {
		identity_fingerprint(fp, pk);
		snprintf(buf, n, "%s", fp);
	} else {
		snprintf(buf, n, "(unreadable or encrypted)");
	}
}

/* 0 to go ahead, or an exit status. */
static int
confirm_overwrite(const char *path, int yes)
{
	char desc[64], *q = NULL;
	size_t n;
	int r, ok = 0;

	if (!fs_exists(path) || yes)
		return EXIT_OK;
	if (!prompt_have_tty()) {
		cli_err("a key already exists at %s; it was kept (use -y to replace it)", path);
		return EXIT_FAIL;
	}
	describe_existing(desc, sizeof(desc), path);
	n = strlen(path) + strlen(desc) + 64;
	if ((q = malloc(n)) == NULL) {
		cli_err("out of memory");
		return EXIT_FAIL;
	}
	snprintf(q, n, "Key %s already exists at %s. Overwrite? [y/N] ", desc, path);
	r = prompt_yesno(q, &ok);
	free(q);
	if (r != 0 || !ok) {
		cli_err("aborted: the existing key at %s was kept", path);
		return EXIT_ABORTED;
	}
	return EXIT_OK;
}

/*
 * The seed from src: 64 hex characters, or a passphrase-protected key file
 * (the 1.3 envelope, e.g. ~/.pubky/secret_key copied from another machine),
 * whose passphrase is asked like every other secret. *srcpass keeps that
 * passphrase (with --passphrase-file it also protects the imported key).
 */
static int
import_seed(const struct ccl_ctx *ctx, const char *src, uint8_t seed[static 32], char **srcpass,
    size_t *srcpasslen)
{
	static const char fmt[] = "Enter passphrase of the key file %s: ";
	const char *name = strcmp(src, "-") == 0 ? "standard input" : src;
	uint8_t *data = NULL;
	char *prompt = NULL;
	size_t len = 0, n;
	int r, ret = EXIT_FAIL;

	if (strcmp(src, "-") == 0)
		r = fs_read_fd(STDIN_FILENO, KEY_FILE_MAX, FS_READ_SECRET, &data, &len);
	else
		r = fs_read_file(src, KEY_FILE_MAX, FS_READ_SECRET, &data, &len);
	if (r != 0) {
		cli_err("cannot read the key to import from %s: %s", name, ccl_strerror(r));
		return EXIT_FAIL;
	}
	if (key_detect(data, len) != KEY_FORMAT_ENVELOPE) {
		if (key_plain_parse(seed, data, len) != 0) {
			cli_err("invalid key in %s: expected 64 hex characters or a cclink key file",
			    name);
			goto out;
		}
		ret = EXIT_OK;
		goto out;
	}
	n = strlen(name) + sizeof(fmt);
	if ((prompt = malloc(n)) == NULL) {
		cli_err("out of memory");
		goto out;
	}
	snprintf(prompt, n, fmt, name);
	r = prompt_secret(prompt, NULL, ctx->passphrase_file, 0, srcpass, srcpasslen);
	if (r == CCL_ERR_NO_TTY) {
		cli_err("%s is passphrase-protected and there is no terminal to ask for its "
		    "passphrase: use --passphrase-file FILE or CCLINK_ASKPASS=PROGRAM", name);
		ret = EXIT_USAGE;
		goto out;
	}
	if (r != 0) {
		cli_err("cannot read the passphrase of %s: %s", name, ccl_strerror(r));
		goto out;
	}
	r = key_envelope_open(seed, data, len, *srcpass, *srcpasslen);
	if (r == CCL_ERR_WRONG_PASSPHRASE) {
		cli_err("wrong passphrase for the key file %s; no key was written", name);
		goto out;
	}
	if (r != 0) {
		cli_err("cannot open the key file %s: %s; no key was written", name,
		    ccl_strerror(r));
		goto out;
	}
	ret = EXIT_OK;
 out:
	free(prompt);
	secret_free(data);
	return ret;
}

/*
 * The seed of the OpenSSH key at path. With --passphrase-file, *sshpass
 * keeps the passphrase read (one file, one secret: it also protects the
 * imported key).
 */
static int
import_ssh(const struct ccl_ctx *ctx, const char *path, uint8_t seed[static 32], char **sshpass,
    size_t *sshpasslen)
{
	static const char fmt[] = "Enter passphrase for OpenSSH key %s: ";
	struct identity_opts o = { NULL, ctx->passphrase_file, 1, NULL };
	struct sshkey_info info;
	char msg[768], *prompt = NULL;
	size_t n;
	int r;

	if ((r = sshkey_load_public(path, &info)) != 0)
		goto out;
	if (info.encrypted) {
		n = strlen(path) + sizeof(fmt);
		if ((prompt = malloc(n)) == NULL) {
			r = CCL_ERR_NOMEM;
			goto out;
		}
		snprintf(prompt, n, fmt, path);
		if ((r = prompt_secret(prompt, NULL, ctx->passphrase_file, 0, sshpass,
		    sshpasslen)) != 0)
			goto out;
	}
	r = sshkey_load_seed(path, *sshpass, *sshpasslen, seed, &info);
 out:
	free(prompt);
	sodium_memzero(&info, sizeof(info));
	if (r == 0)
		return EXIT_OK;
	identity_ssh_error(msg, sizeof(msg), r, path, &o);
	cli_err("init: %s; no key was written", msg);
	return r == CCL_ERR_NO_TTY ? EXIT_USAGE : EXIT_FAIL;
}

static int
ask_passphrase(const struct ccl_ctx *ctx, char **pass, size_t *passlen)
{
	int r;

	r = prompt_secret("Enter key passphrase (min 8 characters): ", "Confirm passphrase: ",
	    ctx->passphrase_file, PROMPT_CONFIRM, pass, passlen);
	switch (r) {
	case 0:
		break;
	case CCL_ERR_NO_TTY:
		cli_err("no terminal to ask for a passphrase: use --passphrase-file FILE, "
		    "CCLINK_ASKPASS=PROGRAM, or --no-passphrase");
		return EXIT_USAGE;
	case CCL_ERR_CONFLICT:
		cli_err("the passphrases do not match; no key was written");
		return EXIT_FAIL;
	case CCL_ERR_ABORTED:
		cli_err("no passphrase given; no key was written");
		return EXIT_ABORTED;
	default:
		cli_err("cannot read the passphrase%s%s: %s",
		    ctx->passphrase_file != NULL ? " from " : "",
		    ctx->passphrase_file != NULL ? ctx->passphrase_file : "", ccl_strerror(r));
		return EXIT_FAIL;
	}
	if (*passlen < INIT_MIN_PASSPHRASE) {
		cli_err("the passphrase must be at least %d characters; no key was written",
		    INIT_MIN_PASSPHRASE);
		secret_free(*pass);
		*pass = NULL;
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int
cmd_init(struct ccl_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-passphrase", no_argument, NULL, 'N' },
		{ "import", required_argument, NULL, 'I' },
		{ "from-ssh", optional_argument, NULL, 'S' },
		{ "agent", no_argument, NULL, 'A' },
		{ "epoch", required_argument, NULL, 'E' },
		{ "yes", no_argument, NULL, 'y' },
		CLI_GLOBAL_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *import = NULL, *ssh_arg = NULL;
	char *path = NULL, *pass = NULL, *sshpath = NULL, *sshpass = NULL;
	char sshfp[SSHKEY_FP_LEN + 1];
	enum identity_kind kind;
	size_t sshpasslen = 0;
	int from_ssh = 0;
	char z[Z32_KEY_LEN + 1], msg[512];
	uint8_t *seed = NULL, pk[32];
	size_t passlen = 0;
	int c, g, r, ret = EXIT_FAIL, no_pass = 0, yes = 0, agent = 0, have_epoch = 0;
	uint32_t epoch = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "yh" CLI_GLOBAL_SHORTOPTS, opts, NULL)) != -1) {
		if ((g = cli_global_opt(ctx, c, optarg)) != 0) {
			if (g < 0)
				return EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'N':
			if (no_pass++)
				goto dup;
			break;
		case 'I':
			if (import != NULL)
				goto dup;
			import = optarg;
			break;
		case 'A':
			if (agent++)
				goto dup;
			break;
		case 'E':
			if (have_epoch++)
				goto dup;
			if (keyrec_parse_epoch(optarg, strlen(optarg), &epoch) != 0) {
				cli_err("init: --epoch takes a whole number from 0 to %lu, not '%s'",
				    (unsigned long)KEYREC_EPOCH_MAX, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'S':
			if (from_ssh++)
				goto dup;
			ssh_arg = optarg;
			break;
		case 'y':
			if (yes++)
				goto dup;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			cli_err("init: invalid option or missing argument: %s", argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (agent) {
		if (import != NULL || no_pass || from_ssh) {
			cli_err("init: --agent stores no key: it cannot be combined with --import, "
			    "--from-ssh or --no-passphrase");
			return EXIT_USAGE;
		}
		if (argc - optind > 1) {
			cli_err("init: unexpected argument '%s'", argv[optind + 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
		return cmd_init_agent(ctx, optind < argc ? argv[optind] : NULL,
		    have_epoch ? &epoch : NULL, yes);
	}
	if (have_epoch) {
		cli_err("init: --epoch belongs to an ssh-agent identity: use it with --agent");
		return EXIT_USAGE;
	}
	/* `--from-ssh PATH` as well as `--from-ssh=PATH`. */
	if (from_ssh && ssh_arg == NULL && optind < argc)
		ssh_arg = argv[optind++];
	if (from_ssh && import != NULL) {
		cli_err("init: --import and --from-ssh cannot be combined");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (optind != argc) {
		cli_err("init: unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (import != NULL && strcmp(import, "-") == 0 && !no_pass &&
	    ctx->passphrase_file != NULL && strcmp(ctx->passphrase_file, "-") == 0) {
		cli_err("init: standard input cannot carry both the key (--import -) and the "
		    "passphrase (--passphrase-file -)");
		return EXIT_USAGE;
	}
	if ((r = fs_key_path(&path)) != 0) {
		if (r == CCL_ERR_NOT_FOUND)
			cli_err("init: HOME (%s) does not exist or is not a directory; cannot place "
			    "the key. Set HOME to your home directory", getenv("HOME"));
		else
			cli_err("init: HOME is not set to an absolute path; cannot place the key");
		return EXIT_USAGE;
	}
	if (identity_key_dir_message(msg, sizeof(msg), path)) {
		cli_err("init: %s", msg);
		ret = EXIT_FAIL;
		goto out;
	}
	if (from_ssh && identity_spec_parse(ssh_arg != NULL ? NULL : "ssh", &kind, &sshpath) != 0) {
		cli_err("init: HOME is not set to an absolute path; give the OpenSSH key's path");
		ret = EXIT_USAGE;
		goto out;
	}
	if (from_ssh && ssh_arg != NULL && (sshpath = strdup(ssh_arg)) == NULL) {
		cli_err("out of memory");
		ret = EXIT_FAIL;
		goto out;
	}
	if ((ret = confirm_overwrite(path, yes)) != EXIT_OK)
		goto out;
	if ((seed = secret_alloc(32)) == NULL) {
		cli_err("out of memory");
		ret = EXIT_FAIL;
		goto out;
	}
	if (from_ssh) {
		if ((ret = import_ssh(ctx, sshpath, seed, &sshpass, &sshpasslen)) != EXIT_OK)
			goto out;
	} else if (import != NULL) {
		if ((ret = import_seed(ctx, import, seed, &sshpass, &sshpasslen)) != EXIT_OK)
			goto out;
	} else {
		randombytes_buf(seed, 32);
	}
	if (!no_pass && sshpass != NULL && ctx->passphrase_file != NULL) {
		/* The file held the imported key's passphrase: it protects the import too. */
		if (sshpasslen < INIT_MIN_PASSPHRASE) {
			cli_err("the passphrase must be at least %d characters to protect the cclink "
			    "key (or use --no-passphrase); no key was written", INIT_MIN_PASSPHRASE);
			ret = EXIT_FAIL;
			goto out;
		}
		pass = sshpass;
		passlen = sshpasslen;
		sshpass = NULL;
	} else if (!no_pass && (ret = ask_passphrase(ctx, &pass, &passlen)) != EXIT_OK) {
		goto out;
	}
	if ((r = key_seed_pubkey(pk, seed)) != 0 ||
	    (r = key_save(path, seed, pass, passlen)) != 0) {
		cli_err("init: cannot write %s: %s", path, ccl_strerror(r));
		ret = EXIT_FAIL;
		goto out;
	}
	z32_encode(z, pk, sizeof(pk));
	/* A key file made now is the identity: an ssh-agent identity recorded before steps aside. */
	if (identity_agent_active(NULL)) {
		char *ap = NULL;

		if (identity_agent_path(&ap) == 0 && fs_remove(ap) == 0)
			cli_info(ctx, "The ssh-agent identity is no longer used (%s removed).", ap);
		free(ap);
	}
	if (from_ssh) {
		cli_info(ctx, "Keypair imported from the OpenSSH key %s.", sshpath);
	} else {
		cli_info(ctx, "Keypair %s.", import != NULL ? "imported" : "generated");
	}
	printf("Public Key: pk:%s\n", z);
	printf("Key file: ");
	cli_put_sanitized(stdout, path);
	printf(" (%s)\n", no_pass ? "plaintext" : "passphrase-protected");
	if (from_ssh) {
		sshkey_fingerprint(sshfp, pk);
		printf("SSH fingerprint: %s\n", sshfp);
	}
	cli_info(ctx, "Next: run 'cclink' to publish your first session handoff.");
	ret = EXIT_OK;
 out:
	secret_free(seed);
	secret_free(pass);
	secret_free(sshpass);
	free(sshpath);
	free(path);
	return ret;
 dup:
	cli_err("init: option given twice");
	usage(stderr);
	return EXIT_USAGE;
}
