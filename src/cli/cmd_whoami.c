/* SPDX-License-Identifier: MIT */
/*
 * cmd_whoami.c — `cclink whoami`: this identity's public key, short
 * fingerprint, source (key file or OpenSSH key file), OpenSSH SHA256
 * fingerprint and public key line, and age recipient(s). Needs no passphrase while the public-key cache
 * beside an envelope is valid.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "cli_common.h"
#include "identity.h"
#include "sshkey.h"
#include "z32.h"

static const char whoami_usage[] = "cclink whoami [--json]";

static void
usage(FILE *f)
{
	cli_usage_line(f, whoami_usage);
	fputs("\nShow this identity's public key (pk:<z-base-32>), its short fingerprint,\n"
	    "its source (key file, OpenSSH key file with --identity ssh:PATH, or ssh-agent\n"
	    "after init --agent), the OpenSSH SHA256 fingerprint (as ssh-keygen -l) and its\n"
	    "age recipient(s).\n\n"
	    "Options:\n"
	    "  --json      print {\"pubkey\", \"fingerprint\", \"key_file\", \"kind\",\n"
	    "              \"source\", \"ssh_fingerprint\", \"ssh_public_key\",\n"
	    "              \"age_recipients\"} as JSON\n"
	    "  -h, --help  show this help\n", f);
}

static const char *
kind_token(enum identity_kind k)
{
	return k == IDENTITY_SSH_FILE ? "ssh" : k == IDENTITY_AGENT ? "agent" : "file";
}

int
cmd_whoami(struct ccl_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		CLI_GLOBAL_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct identity id;
	char z[Z32_KEY_LEN + 1], fp[IDENTITY_FP_LEN + 1], sshfp[SSHKEY_FP_LEN + 1];
	char rc[IDENTITY_MAX_RCPTS][128], sshpub[128];
	size_t i;
	int c, g, ret, json = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h" CLI_GLOBAL_SHORTOPTS, opts, NULL)) != -1) {
		if ((g = cli_global_opt(ctx, c, optarg)) != 0) {
			if (g < 0)
				return EXIT_USAGE;
			continue;
		}
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
	if ((ret = cli_identity_load(ctx, &id, 0)) != 0)
		return ret;
	z32_encode(z, id.pk, sizeof(id.pk));
	identity_fingerprint(fp, id.pk);
	sshkey_fingerprint(sshfp, id.pk);
	if (sshkey_format_publine(sshpub, sizeof(sshpub), id.pk) != 0)
		sshpub[0] = '\0';
	for (i = 0; i < id.n_rcpts; i++)
		if (age_recipient_encode(&id.rcpts[i], rc[i], sizeof(rc[i])) != 0)
			snprintf(rc[i], sizeof(rc[i]), "?");
	if (json) {
		printf("{\"pubkey\":\"%s\",\"fingerprint\":\"%s\",\"key_file\":", z, fp);
		cli_put_json_string(stdout, id.key_file);
		printf(",\"kind\":\"%s\",\"source\":\"%s\",\"ssh_fingerprint\":\"%s\","
		    "\"ssh_public_key\":\"%s\",\"age_recipients\":[", kind_token(id.kind),
		    identity_kind_name(id.kind), sshfp, sshpub);
		for (i = 0; i < id.n_rcpts; i++)
			printf("%s\"%s\"", i ? "," : "", rc[i]);
		printf("]");
		if (id.kind == IDENTITY_AGENT)
			printf(",\"agent_epoch\":%lu", (unsigned long)id.agent_epoch);
		printf("}\n");
	} else {
		printf("Public Key: pk:%s\nFingerprint: %s\nKey file: ", z, fp);
		cli_put_sanitized(stdout, id.key_file);
		printf("\nSource: %s ", identity_kind_name(id.kind));
		cli_put_sanitized(stdout, id.key_file);
		printf("\nSSH fingerprint: %s\nSSH public key: %s\n", sshfp, sshpub);
		for (i = 0; i < id.n_rcpts; i++)
			printf("Age recipient: %s\n", rc[i]);
		if (id.kind == IDENTITY_AGENT)
			printf("Agent key epoch: %lu (the first age recipient is derived at it)\n",
			    (unsigned long)id.agent_epoch);
	}
	identity_cleanup(&id);
	if (fflush(stdout) != 0) {
		cli_err("whoami: cannot write to standard output");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
