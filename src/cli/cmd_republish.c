/* SPDX-License-Identifier: MIT */
/*
 * cmd_republish.c — `cclink republish [PUBKEY] [--json]`: store the newest
 * packet of a key again, once. It looks on the DHT, on the relays and, for
 * this machine's own key, in the copy of the last packet publish saved in
 * the state directory, so a publisher can restore a handoff the DHT dropped.
 * No key is needed (a BEP 44 item can be stored again by anyone who holds
 * it). An expired handoff is never republished. For a systemd timer, see
 * contrib/systemd/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_common.h"
#include "cli_net.h"
#include "keeper.h"
#include "statedir.h"
#include "transport.h"
#include "z32.h"

static const char usage_text[] = "cclink republish [PUBKEY] [--json]";

static void
usage(FILE *f)
{
	cli_usage_line(f, usage_text);
	fputs("\nStore the newest PKARR packet of PUBKEY (default: this identity) again on the\n"
	    "DHT and the relays, once. It is looked for on the DHT, on the relays and in the\n"
	    "copy of the last packet published from this machine, so a handoff the DHT has\n"
	    "dropped can be restored. No secret key is needed; an expired handoff is never\n"
	    "republished. Run it from a timer (contrib/systemd/) instead of publish --keep.\n\n"
	    "Options:\n"
	    "  --json      print the result as JSON\n"
	    "  -h, --help  show this help\n\n"
	    "Exit status: 0 republished, 3 nothing found, 4 expired, 6 bad record, 1 failure.\n", f);
}

int
cmd_republish(struct ccl_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		CLI_GLOBAL_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ccl_config cfg;
	struct identity id;
	struct transport_opts o;
	struct transport_report rrep, prep;
	struct pkarr_packet *net = NULL, *local = NULL, *best;
	struct record rec;
	char z[Z32_KEY_LEN + 1], when[40], pubd[40];
	const char *from;
	uint8_t pk[32];
	unsigned sources = 0;
	int c, g, r, lr, ret, json = 0, have_net, have_local, have_rec = 0, kept = 0;

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
			cli_err("republish: invalid option '%s'", argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind + 1 < argc) {
		cli_err("republish: unexpected argument '%s'", argv[optind + 1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (optind < argc && z32_parse_pubkey(pk, argv[optind]) != 0) {
		cli_err("republish: '%s' is not a public key: expected pk:<z32> as printed by "
		    "'cclink whoami'", argv[optind]);
		return EXIT_USAGE;
	}
	memset(&rec, 0, sizeof(rec));
	if ((ret = cli_config_load(&cfg)) != 0)
		return ret;
	if (optind == argc) {
		if ((ret = cli_identity_load(ctx, &id, 0)) != 0)
			goto out;
		memcpy(pk, id.pk, 32);
		identity_cleanup(&id);
	}
	z32_encode(z, pk, 32);
	ret = EXIT_FAIL;
	if ((net = calloc(1, sizeof(*net))) == NULL || (local = calloc(1, sizeof(*local))) == NULL)
		goto out;
	cli_transport_opts(ctx, &cfg, &o, "resolving");
	o.fresh = 1;
	r = transport_resolve(&o, pk, net, &sources, &rrep);
	cli_progress_done();
	have_net = r == 0;
	lr = statedir_load_packet(pk, local, &kept);
	have_local = lr == 0;
	if (lr != 0 && lr != CCL_ERR_NOT_FOUND)
		cli_warn("ignoring the packet copy in the state directory: %s", ccl_strerror(lr));
	if (!have_net && !have_local) {
		if (r == CCL_ERR_NOT_FOUND) {
			cli_err("nothing to republish for pk:%s: no DHT node or relay has a packet for "
			    "this key, and this machine kept no copy of one", z);
			ret = EXIT_NOT_FOUND;
		} else {
			cli_report_failure(&rrep, r, "republish");
		}
		goto out;
	}
	if (have_net && (!have_local || pkarr_cmp(net, local) >= 0)) {
		best = net;
		from = (sources & TRANSPORT_SRC_DHT) && (sources & TRANSPORT_SRC_RELAY) ? "DHT and relay" :
		    (sources & TRANSPORT_SRC_DHT) ? "DHT" : "relay";
	} else {
		best = local;
		from = "local copy";
	}
	if ((r = keeper_record_of(best, &rec)) == 0) {
		have_rec = 1;
		cli_fmt_time(when, sizeof(when), record_expires_at(&rec));
		cli_fmt_time(pubd, sizeof(pubd), rec.created_at);
		if (record_expired(&rec, cli_now())) {
			cli_err("the newest handoff of pk:%s (published %s) expired at %s: not "
			    "republishing it. Publish a new one with 'cclink'", z, pubd, when);
			ret = EXIT_EXPIRED;
			goto out;
		}
	} else if (r != CCL_ERR_NOT_FOUND) {
		cli_err("the newest packet of pk:%s holds a bad handoff record (%s): not "
		    "republishing it", z, ccl_strerror(r));
		ret = EXIT_BAD_SIG;
		goto out;
	}
	/* No _cclink: a revoked or burnt handoff; storing that packet keeps it revoked. */
	cli_transport_opts(ctx, &cfg, &o, "republishing");
	r = keeper_store_again(&o, best, &prep);
	cli_progress_done();
	if (r == CCL_ERR_CONFLICT) {
		cli_err("republish: a newer packet for pk:%s appeared meanwhile; nothing to do", z);
		goto out;
	}
	if (r != 0) {
		cli_report_failure(&prep, r, "republish");
		goto out;
	}
	if (json) {
		printf("{\"pubkey\":\"%s\",\"republished\":true,\"from\":\"%s\",\"seq\":%llu,"
		    "\"handoff\":%s", z, from, (unsigned long long)best->ts, have_rec ? "true" : "false");
		if (have_rec)
			printf(",\"created_at\":%llu,\"ttl\":%llu,\"expires\":\"%s\"",
			    (unsigned long long)rec.created_at, (unsigned long long)rec.ttl, when);
		printf(",\"report\":");
		cli_report_json(stdout, &prep, 1);
		printf("}\n");
	} else {
		if (have_rec)
			printf("Republished the handoff of pk:%s (from the %s; published %s, expires "
			    "%s)\n", z, from, pubd, when);
		else
			printf("Republished the packet of pk:%s (from the %s; it holds no handoff: "
			    "revoked or burnt)\n", z, from);
		cli_report_summary(stdout, &prep, 1);
	}
	ret = EXIT_OK;
 out:
	if (have_rec)
		record_free(&rec);
	free(net);
	free(local);
	config_cleanup(&cfg);
	return ret;
}
