/* SPDX-License-Identifier: MIT */
/*
 * cmd_list.c — `cclink list [--json]`: the active handoff of this identity:
 * its project when this identity can decrypt it, age, time left, burn,
 * recipient and mode.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_common.h"
#include "cli_fetch.h"
#include "cli_keyrec.h"
#include "cli_net.h"
#include "handoff.h"
#include "keeper.h"
#include "statedir.h"
#include "z32.h"

static const char usage_text[] = "cclink list [--json]";

static void
usage(FILE *f)
{
	cli_usage_line(f, usage_text);
	fputs("\nShow the active handoff of this identity: session and project (when this\n"
	    "identity can decrypt it), age, time left, burn, recipient and mode.\n\n"
	    "Options:\n"
	    "  --json      machine-readable output\n"
	    "  -h, --help  show this help\n\n"
	    "Exit status: 0 shown, 3 no active handoff, 1 failure.\n", f);
}

/* The keeper of pk, as a JSON object value or a human line. */
static void
put_keeper(const uint8_t pk[static 32], int json)
{
	char *log = NULL;
	pid_t pid;
	int running = keeper_running(pk, &pid);

	if (running && statedir_path(STATEDIR_LOG, pk, &log) != 0)
		log = NULL;
	if (json) {
		printf(",\"keeper\":{\"running\":%s", running ? "true" : "false");
		if (running) {
			printf(",\"pid\":%ld,\"log\":", (long)pid);
			if (log != NULL)
				cli_put_json_string(stdout, log);
			else
				printf("null");
		}
		printf("}");
	} else if (running) {
		printf("  Kept:      by a keeper (pid %ld) until it expires; log: ", (long)pid);
		if (log != NULL)
			cli_put_sanitized(stdout, log);
		printf("\n");
	} else {
		printf("  Kept:      no keeper (publish --keep keeps it reachable past ~2 hours)\n");
	}
	free(log);
}

int
cmd_list(struct ccl_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		CLI_GLOBAL_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ccl_config cfg;
	struct identity id;
	struct cli_fetch *f = NULL;
	struct record rec;
	struct record_payload pl;
	enum handoff_mode mode;
	const struct age_identity *lids;
	size_t n_lids;
	char z[Z32_KEY_LEN + 1], age_s[32], left_s[32], when[40];
	uint8_t pk[32];
	const char *mode_s;
	uint64_t now;
	int c, g, ret, json = 0, opened = 0, expired;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h" CLI_GLOBAL_SHORTOPTS, opts, NULL)) != -1) {
		if ((g = cli_global_opt(ctx, c, optarg)) != 0) {
			if (g < 0)
				return EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'j': json = 1; break;
		case 'h': usage(stdout); return EXIT_OK;
		default:
			cli_err("list: invalid option '%s'", argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		cli_err("list: unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	memset(&rec, 0, sizeof(rec));
	memset(&pl, 0, sizeof(pl));
	if ((ret = cli_config_load(&cfg)) != 0)
		return ret;
	if ((ret = cli_identity_load(ctx, &id, 0)) != 0)
		goto out_cfg;
	z32_encode(z, id.pk, 32);
	memcpy(pk, id.pk, 32);
	ret = EXIT_FAIL;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		goto out;
	if ((ret = cli_fetch_record(ctx, &cfg, id.pk, 0, 1, 1, f, &rec)) != 0) {
		if (ret == EXIT_NOT_FOUND) {
			if (json) {
				printf("{\"pubkey\":\"%s\",\"active\":false", z);
				put_keeper(pk, 1);
				printf("}\n");
			}
			else
				printf("No active handoff for pk:%s\n", z);
		}
		goto out;
	}
	mode = handoff_mode_of(&rec);
	lids = NULL;
	n_lids = 0;
	mode_s = mode == HANDOFF_PIN ? "pin" : mode == HANDOFF_SHARE ? "share" : "self";
	/* Only a self record is ours to decrypt; ask for a passphrase only on a terminal. */
	if (mode == HANDOFF_SELF) {
		identity_cleanup(&id);
		if (cli_identity_load(ctx, &id, 1) == 0) {
			cli_keyrec_follow_epoch(ctx, &f->pkt, &id);
			if (identity_age_ids(&id, &lids, &n_lids) == 0 &&
			    handoff_open(&rec, lids, n_lids, &pl) == 0)
				opened = 1;
		}
	}
	now = cli_now();
	expired = record_expired(&rec, now);
	cli_fmt_duration(age_s, sizeof(age_s), now > rec.created_at ? now - rec.created_at : 0);
	cli_fmt_duration(left_s, sizeof(left_s), record_time_left(&rec, now));
	cli_fmt_time(when, sizeof(when), record_expires_at(&rec));
	if (json) {
		printf("{\"pubkey\":\"%s\",\"active\":%s,\"expired\":%s,\"created_at\":%llu,\"ttl\":%llu,"
		    "\"expires\":\"%s\",\"time_left\":%llu,\"burn\":%s,\"mode\":\"%s\",\"recipient\":",
		    z, expired ? "false" : "true", expired ? "true" : "false",
		    (unsigned long long)rec.created_at, (unsigned long long)rec.ttl, when,
		    (unsigned long long)record_time_left(&rec, now), rec.burn ? "true" : "false",
		    mode_s);
		if (rec.recipient != NULL)
			cli_put_json_string(stdout, rec.recipient);
		else
			printf("null");
		printf(",\"session_id\":");
		if (opened)
			cli_put_json_string(stdout, pl.s);
		else
			printf("null");
		printf(",\"project\":");
		if (opened)
			cli_put_json_string(stdout, pl.p);
		else
			printf("null");
		put_keeper(pk, 1);
		printf("}\n");
	} else {
		printf("Handoff of pk:%s\n", z);
		if (opened) {
			printf("  Session:   ");
			cli_put_sanitized(stdout, pl.s);
			printf("\n  Project:   ");
			cli_put_sanitized(stdout, pl.p);
			printf("\n  Host:      ");
			cli_put_sanitized(stdout, pl.h);
			printf("\n");
		} else {
			printf("  Project:   (encrypted%s)\n", mode == HANDOFF_SELF ? "" :
			    mode == HANDOFF_PIN ? " with a PIN" : " for the recipient");
		}
		printf("  Published: %s ago\n", age_s);
		if (expired)
			printf("  Expired:   %s\n", when);
		else
			printf("  Expires:   in %s (%s)\n", left_s, when);
		printf("  Mode:      %s%s\n", mode_s, rec.burn ? ", burn after reading" : "");
		if (rec.recipient != NULL) {
			printf("  Recipient: ");
			cli_put_sanitized(stdout, rec.recipient);
			printf("\n");
		}
		put_keeper(pk, 0);
	}
	ret = EXIT_OK;
 out:
	free(f);
	record_payload_free(&pl);
	record_free(&rec);
	identity_cleanup(&id);
 out_cfg:
	config_cleanup(&cfg);
	return ret;
}
