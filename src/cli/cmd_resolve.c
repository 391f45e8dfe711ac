/* SPDX-License-Identifier: MIT */
/* cmd_resolve.c — `cclink resolve PUBKEY [--json]`: print a key's PKARR records. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_net.h"
#include "dns.h"
#include "transport.h"
#include "z32.h"

static const char usage_text[] = "cclink resolve PUBKEY [--json]";

static void
usage(FILE *f)
{
	cli_usage_line(f, usage_text);
	fprintf(f, "\nResolve PUBKEY (pk:<z32> or <z32>) on the DHT and the relays and print the\n"
	    "records of its newest valid PKARR packet: name, type, TTL, value.\n\n"
	    "  --json   machine-readable output\n\n"
	    "Exit status: 0 found, 3 no packet published (a source said so), 1 no source gave\n"
	    "a usable answer (unreachable, or only refused packets).\n");
}

static void
print_sources(FILE *f, unsigned src, int json)
{
	const char *sep = "";

	if (src & TRANSPORT_SRC_DHT) {
		fprintf(f, json ? "\"dht\"" : "DHT");
		sep = json ? "," : ", ";
	}
	if (src & TRANSPORT_SRC_RELAY)
		fprintf(f, json ? "%s\"relay\"" : "%srelay", sep);
}

int
cmd_resolve(struct ccl_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		CLI_GLOBAL_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ccl_config cfg;
	struct transport_opts o;
	struct transport_report rep;
	struct pkarr_packet *pkt = NULL;
	struct dns_packet *dns = NULL;
	struct dns_rr_text t;
	char z[Z32_KEY_LEN + 1], when[40];
	uint8_t pk[32];
	unsigned src = 0, attempt = 0;
	int c, g, json = 0, r, ret = EXIT_FAIL, have_cfg = 0;
	size_t i;

	while ((c = getopt_long(argc, argv, "h" CLI_GLOBAL_SHORTOPTS, opts, NULL)) != -1) {
		if ((g = cli_global_opt(ctx, c, optarg)) != 0) {
			if (g < 0)
				return EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'j': json = 1; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if ((r = z32_parse_pubkey(pk, argv[optind])) != 0) {
		cli_err("'%s' is not a public key: expected pk:<52 z-base-32 characters> (%s)",
		    argv[optind], ccl_strerror(r));
		return EXIT_USAGE;
	}
	if ((ret = cli_config_load(&cfg)) != 0)
		return ret;
	have_cfg = 1;
	ret = EXIT_FAIL;
	if ((pkt = calloc(1, sizeof(*pkt))) == NULL)
		goto out;
	z32_encode(z, pk, 32);
	cli_transport_opts(ctx, &cfg, &o, "resolving");
	do {
		r = transport_resolve(&o, pk, pkt, &src, &rep);
		cli_progress_done();
	} while (cli_net_retry(ctx, &rep, r, &attempt));
	if (r != 0 && json) {
		/* stdout still says what happened: no packet, and what each source answered. */
		printf("{\"pubkey\":\"%s\",\"found\":false,\"error\":\"%s\",\"report\":", z,
		    r == CCL_ERR_NOT_FOUND ? "not found" : "no usable answer");
		cli_report_json(stdout, &rep, 0);
		printf("}\n");
	}
	if (r == CCL_ERR_NOT_FOUND) {
		cli_err("no packet is published for pk:%s", z);
		if (ctx->verbose)
			cli_report_summary(stderr, &rep, 0);
		ret = EXIT_NOT_FOUND;
		goto out;
	}
	if (r != 0) {
		cli_report_failure(&rep, r, "resolve");
		goto out;
	}
	if ((r = pkarr_dns(pkt, &dns)) != 0) {
		cli_err("the packet's DNS does not parse: %s", ccl_strerror(r));
		goto out;
	}
	cli_fmt_time(when, sizeof(when), pkt->ts / 1000000);
	if (json) {
		printf("{\"pubkey\":\"%s\",\"timestamp_us\":%llu,\"time\":\"%s\",\"sources\":[", z,
		    (unsigned long long)pkt->ts, when);
		print_sources(stdout, src, 1);
		printf("],\"records\":[");
	} else {
		printf("Public Key: pk:%s\nPacket time: %s (%llu µs)\nSource: ", z, when,
		    (unsigned long long)pkt->ts);
		print_sources(stdout, src, 0);
		printf("\nRecords:\n");
	}
	for (i = 0; i < dns_count(dns); i++) {
		if ((r = dns_rr_to_text(dns_rr_at(dns, i), z, &t)) != 0) {
			cli_err("cannot show record %zu: %s", i, ccl_strerror(r));
			goto out;
		}
		if (json) {
			printf("%s{\"name\":", i ? "," : "");
			cli_put_json_string(stdout, t.name);
			printf(",\"type\":\"%s\",\"ttl\":%u,\"value\":", t.type, t.ttl);
			cli_put_json_string_n(stdout, t.value, t.value_len);
			printf("}");
		} else {
			printf("  ");
			cli_put_sanitized(stdout, t.name);
			printf("\t%s\t%u\t", t.type, t.ttl);
			cli_put_sanitized_n(stdout, t.value, t.value_len);
			printf("\n");
		}
		dns_rr_text_cleanup(&t);
	}
	if (json) {
		printf("],\"report\":");
		cli_report_json(stdout, &rep, 0);
		printf("}\n");
	} else if (ctx->verbose) {
		cli_report_summary(stderr, &rep, 0);
	}
	ret = EXIT_OK;
 out:
	dns_packet_free(dns);
	free(pkt);
	if (have_cfg)
		config_cleanup(&cfg);
	return ret;
}
