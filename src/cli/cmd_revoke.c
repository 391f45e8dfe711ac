/* SPDX-License-Identifier: MIT */
/* cmd_revoke.c — `cclink revoke [-y]`: publish a newer packet without `_cclink`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_common.h"
#include "cli_net.h"
#include "handoff.h"
#include "keeper.h"
#include "prompt.h"
#include "statedir.h"
#include "transport.h"
#include "z32.h"

static const char usage_text[] = "cclink revoke [-y] [--json]";

static void
usage(FILE *f)
{
	cli_usage_line(f, usage_text);
	fputs("\nWithdraw this identity's active handoff: publish a newer PKARR packet\n"
	    "without the _cclink record (other records of the packet are kept).\n\n"
	    "Options:\n"
	    "  -y, --yes   do not ask for confirmation\n"
	    "  --json      print the result as JSON\n"
	    "  -h, --help  show this help\n\n"
	    "Exit status: 0 revoked, 3 nothing to revoke, 7 aborted, 1 failure.\n", f);
}

int
cmd_revoke(struct ccl_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "json", no_argument, NULL, 'j' },
		CLI_GLOBAL_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ccl_config cfg;
	struct identity id;
	struct transport_update u;
	struct transport_report rr, pr;
	struct pkarr_packet *pub = NULL;
	char z[Z32_KEY_LEN + 1], msg[512];
	int c, g, r, ret, yes = 0, json = 0, answer;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "yh" CLI_GLOBAL_SHORTOPTS, opts, NULL)) != -1) {
		if ((g = cli_global_opt(ctx, c, optarg)) != 0) {
			if (g < 0)
				return EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'y': yes = 1; break;
		case 'j': json = 1; break;
		case 'h': usage(stdout); return EXIT_OK;
		default:
			cli_err("revoke: invalid option '%s'", argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		cli_err("revoke: unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if ((ret = cli_config_load(&cfg)) != 0)
		return ret;
	if ((ret = cli_identity_load(ctx, &id, 1)) != 0)
		goto out_cfg;
	z32_encode(z, id.pk, 32);
	if (!yes && isatty(STDIN_FILENO) && prompt_have_tty()) {
		if (prompt_yesno("Revoke the active handoff of this identity?", &answer) != 0 ||
		    !answer) {
			cli_err("aborted; nothing was changed");
			ret = EXIT_ABORTED;
			goto out;
		}
	}
	if ((pub = calloc(1, sizeof(*pub))) == NULL) {
		ret = EXIT_FAIL;
		goto out;
	}
	memset(&u, 0, sizeof(u));
	u.name = HANDOFF_TXT_NAME;
	u.ttl = HANDOFF_DNS_TTL;
	r = cli_update_txt(ctx, &cfg, "revoking", &id.signer, id.key_advert, &u, pub, &rr, &pr);
	/* The copy republish restores from is now the revoking packet. */
	if (r == 0 && statedir_save_packet(pub, 0) != 0)
		cli_warn("cannot update the packet copy in the state directory");
	/* A keeper of this key stops now (it would also see the newer packet later). */
	if ((r == 0 || r == CCL_ERR_NOT_FOUND) && keeper_stop(id.pk) != 0)
		cli_warn("the keeper of this handoff did not stop; see 'cclink list'");
	if (r == CCL_ERR_NOT_FOUND) {
		cli_err("nothing to revoke: pk:%s has no active handoff", z);
		ret = EXIT_NOT_FOUND;
		goto out;
	}
	if (r == CCL_ERR_AGENT || r == CCL_ERR_SIG_INVALID) {
		identity_sign_error_message(msg, sizeof(msg), r, &id);
		cli_err("revoke: cannot sign the packet: %s", msg);
		ret = EXIT_FAIL;
		goto out;
	}
	if (r != 0) {
		cli_report_failure(pr.elapsed_ms ? &pr : &rr, r, "revoke");
		ret = EXIT_FAIL;
		goto out;
	}
	if (json) {
		printf("{\"revoked\":true,\"pubkey\":\"%s\",\"report\":", z);
		cli_report_json(stdout, &pr, 1);
		printf("}\n");
	} else {
		printf("Revoked the handoff of pk:%s\n", z);
		cli_report_summary(stdout, &pr, 1);
	}
	ret = EXIT_OK;
 out:
	free(pub);
	identity_cleanup(&id);
 out_cfg:
	config_cleanup(&cfg);
	return ret;
}
