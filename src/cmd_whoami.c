/* SPDX-License-Identifier: MIT */
/*
 * cmd_whoami.c — `cclink whoami`: this identity's public key, short
 * fingerprint and key file. Needs no passphrase while the public-key cache
 * beside an envelope is valid.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "identity.h"
#include "z32.h"

static const char whoami_usage[] = "cclink whoami [--json]";

static void
usage(FILE *f)
{
	cli_usage_line(f, whoami_usage);
	fputs("\nShow this identity's public key (pk:<z-base-32>), its short fingerprint\n"
	    "and the key file.\n\n"
	    "Options:\n"
	    "  --json      print {\"pubkey\", \"fingerprint\", \"key_file\"} as JSON\n"
	    "  -h, --help  show this help\n", f);
}

int
cmd_whoami(struct ccl_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct identity_opts o = { NULL, ctx->passphrase_file, 1 };
	char z[Z32_KEY_LEN + 1], fp[IDENTITY_FP_LEN + 1], msg[512];
	char *path = NULL;
	uint8_t pk[32];
	int c, r, json = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (json++) {
				cli_err("whoami: option given twice");
				usage(stderr);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			cli_err("whoami: invalid option: %s", argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		cli_err("whoami: unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if ((r = identity_load_public(pk, &path, &o)) != 0) {
		identity_error_message(msg, sizeof(msg), r, &o);
		cli_err("%s", msg);
		/* No way to ask, or no usable HOME: the invocation needs changing. */
		return r == CCL_ERR_NO_TTY || r == CCL_ERR_CONFIG ? EXIT_USAGE : EXIT_FAIL;
	}
	z32_encode(z, pk, sizeof(pk));
	identity_fingerprint(fp, pk);
	if (json) {
		printf("{\"pubkey\":\"%s\",\"fingerprint\":\"%s\",\"key_file\":", z, fp);
		cli_put_json_string(stdout, path);
		printf("}\n");
	} else {
		printf("Public Key: pk:%s\nFingerprint: %s\nKey file: ", z, fp);
		cli_put_sanitized(stdout, path);
		printf("\n");
	}
	free(path);
	if (fflush(stdout) != 0) {
		cli_err("whoami: cannot write to standard output");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
