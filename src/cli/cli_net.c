/* SPDX-License-Identifier: MIT */
/* cli_net.c — shared output for the network commands; see cli_net.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_net.h"
#include "keyrec.h"

static int progress_drawn;
static const char *progress_what = "";

int
cli_config_load(struct ccl_config *cfg)
{
	int r;

	if ((r = config_load(cfg)) == 0)
		return 0;
	if (r == CCL_ERR_CONFIG && cfg->err_plain_http[0] != '\0') {
		if (cfg->line_err > 0)
			fprintf(stderr, "cclink: %s:%d: ", cfg->path != NULL ? cfg->path : "config",
			    cfg->line_err);
		else
			fprintf(stderr, "cclink: %s: ", cfg->err_key);
		fputs("plain http relay '", stderr);
		cli_put_sanitized(stderr, cfg->err_plain_http);
		fputs("' refused: it would show the network which keys are looked up. Use "
		    "https:// (plain http:// is allowed only to 127.0.0.0/8 or [::1])\n", stderr);
	} else if (r == CCL_ERR_CONFIG && cfg->line_err > 0)
		cli_err("%s:%d: invalid setting '%s' (see 'cclink help config' for the syntax)",
		    cfg->path != NULL ? cfg->path : "config", cfg->line_err, cfg->err_key);
	else if (r == CCL_ERR_CONFIG)
		cli_err("invalid value in %s: expected %s", cfg->err_key,
		    strcmp(cfg->err_key, "CCLINK_BOOTSTRAP") == 0 ? "host:port[,host:port...] or none" :
		    strcmp(cfg->err_key, "CCLINK_RELAYS") == 0 ? "http(s)://host[/path][,...] or none" :
		    strcmp(cfg->err_key, "CCLINK_KEEP_INTERVAL") == 0 ?
		    "a duration from 60s to 1d, such as 50m" : "a duration such as 10s or 1m");
	else if (r == CCL_ERR_FORMAT)
		cli_err("the configuration %s is not a regular file (a FIFO, a device or a "
		    "directory): replace it with a file, or remove it", cfg->path ? cfg->path : "file");
	else
		cli_err("cannot read the configuration%s%s: %s", cfg->path ? " " : "",
		    cfg->path ? cfg->path : "", ccl_strerror(r));
	config_cleanup(cfg);
	return EXIT_USAGE;
}

static void
progress(void *arg, const struct transport_report *rep)
{
	(void)arg;
	fprintf(stderr, "\r\033[K%s: ", progress_what);
	if (rep->dht_used)
		fprintf(stderr, "DHT %u queried, %u answered", rep->dht.queried, rep->dht.responded);
	if (rep->dht.put_sent > 0)
		fprintf(stderr, ", %u stored", rep->dht.stored);
	if (rep->n_relays > 0)
		fprintf(stderr, "%srelays %u/%zu done", rep->dht_used ? "; " : "",
		    rep->relays_ok + rep->relays_not_found + rep->relays_conflict + rep->relays_failed,
		    rep->n_relays);
	progress_drawn = 1;
}

void
cli_transport_opts(const struct ccl_ctx *ctx, const struct ccl_config *cfg,
    struct transport_opts *o, const char *what)
{
	memset(o, 0, sizeof(*o));
	config_peers(cfg, &o->peers);
	if (isatty(STDERR_FILENO) && !ctx->quiet) {
		progress_what = what;
		o->progress = progress;
	}
}

void
cli_progress_done(void)
{
	if (progress_drawn)
		fputs("\r\033[K", stderr);
	progress_drawn = 0;
}

/* Relays that gave any answer (a packet, 404, conflict, a refusal, garbage, busy). */
static unsigned
relays_answered(const struct transport_report *rep)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < rep->n_relays && i < RELAY_MAX_RELAYS; i++)
		if (rep->relay[i].status != RELAY_ERROR && rep->relay[i].status != RELAY_PENDING)
			n++;
	return n;
}

void
cli_report_summary(FILE *f, const struct transport_report *rep, int put)
{
	int any = 0;

	if (rep->dht_used) {
		fprintf(f, "DHT: %u node%s queried, %u answered", rep->dht.queried,
		    rep->dht.queried == 1 ? "" : "s", rep->dht.responded);
		if (put)
			fprintf(f, ", %u stored", rep->dht.stored);
		else if (rep->dht.rejected > 0)
			fprintf(f, " (%u refused item%s)", rep->dht.rejected,
			    rep->dht.rejected == 1 ? "" : "s");
		any = 1;
	} else {
		fprintf(f, "DHT: not used%s%s", rep->bootstrap_err[0] ? " (" : "",
		    rep->bootstrap_err[0] ? rep->bootstrap_err : "");
		if (rep->bootstrap_err[0])
			fputc(')', f);
		any = 1;
	}
	if (rep->n_relays > 0 && put)
		fprintf(f, "%srelays: %u of %zu accepted", any ? "; " : "", rep->relays_ok,
		    rep->n_relays);
	else if (rep->n_relays > 0)
		fprintf(f, "%srelays: %u of %zu answered, %u with a valid packet, %u not found",
		    any ? "; " : "", relays_answered(rep), rep->n_relays, rep->relays_ok,
		    rep->relays_not_found);
	else
		fprintf(f, "%srelays: none configured", any ? "; " : "");
	fputc('\n', f);
}

int
cli_net_retry(const struct ccl_ctx *ctx, const struct transport_report *rep, int r,
    unsigned *attempt)
{
	unsigned delay;

	if ((r != CCL_ERR_NET && r != CCL_ERR_TIMEOUT) || *attempt >= CLI_NET_RETRIES ||
	    !transport_retry_worthwhile(rep))
		return 0;
	delay = 1u << *attempt;
	(*attempt)++;
	cli_progress_done();
	if (!ctx->quiet)
		cli_warn("no usable answer from the network yet; retrying in %us", delay);
	sleep(delay);
	return 1;
}

void
cli_report_failure(const struct transport_report *rep, int r, const char *what)
{
	size_t i;

	cli_progress_done();
	if (r == CCL_ERR_NET || r == CCL_ERR_TIMEOUT) {
		if (rep->dht.responded == 0 && relays_answered(rep) == 0)
			cli_err("%s failed: no DHT node or relay could be reached", what);
		else
			cli_err("%s failed: no DHT node or relay gave a usable answer", what);
		if (!rep->dht_used) {
			fprintf(stderr, "  DHT: %s\n", rep->bootstrap_err[0] ? rep->bootstrap_err :
			    rep->n_bootstrap == 0 ? "disabled (bootstrap = none)" : "not used");
		} else if (rep->dht.responded == 0) {
			fprintf(stderr, "  DHT: %u node%s queried, none answered", rep->dht.queried,
			    rep->dht.queried == 1 ? "" : "s");
			if (rep->dht.unreachable > 0)
				fprintf(stderr, " (%u unreachable: ICMP port or host unreachable)",
				    rep->dht.unreachable);
			fputc('\n', stderr);
		} else {
			fprintf(stderr, "  DHT: %u node%s queried, %u answered", rep->dht.queried,
			    rep->dht.queried == 1 ? "" : "s", rep->dht.responded);
			if (rep->dht.rejected > 0)
				fprintf(stderr, ", %u served an item that was refused (bad signature, "
				    "wrong key or malformed)", rep->dht.rejected);
			fputc('\n', stderr);
		}
		for (i = 0; i < rep->n_relays && i < RELAY_MAX_RELAYS; i++) {
			/* The detail may quote what the relay (or curl) said. */
			fprintf(stderr, "  relay %s: %s%s", rep->relay[i].url,
			    relay_status_str(rep->relay[i].status), rep->relay[i].detail[0] ? ": " : "");
			cli_put_sanitized(stderr, rep->relay[i].detail);
			fputc('\n', stderr);
		}
		if (rep->n_bootstrap == 0 && rep->n_relays == 0)
			fprintf(stderr, "  Nothing is configured: set CCLINK_BOOTSTRAP / CCLINK_RELAYS "
			    "or the config file.\n");
		else
			fprintf(stderr, "  Check the network, CCLINK_BOOTSTRAP / CCLINK_RELAYS and the "
			    "config file.\n");
	} else if (r == CCL_ERR_CONFLICT) {
		cli_err("%s failed: a newer packet for this key was published meanwhile; run it again", what);
	} else {
		cli_err("%s failed: %s", what, ccl_strerror(r));
	}
}

void
cli_report_json(FILE *f, const struct transport_report *rep, int put)
{
	size_t i;

	fprintf(f, "{\"dht\":{\"used\":%s,\"queried\":%u,\"responded\":%u,\"unreachable\":%u,"
	    "\"refused_items\":%u", rep->dht_used ? "true" : "false", rep->dht.queried,
	    rep->dht.responded, rep->dht.unreachable, rep->dht.rejected);
	if (put)
		fprintf(f, ",\"stored\":%u,\"put_sent\":%u,\"put_unanswered\":%u", rep->dht.stored,
		    rep->dht.put_sent, rep->dht.put_pending + rep->dht.put_timeouts);
	fprintf(f, "},\"relays\":[");
	for (i = 0; i < rep->n_relays && i < RELAY_MAX_RELAYS; i++) {
		fprintf(f, "%s{\"url\":", i ? "," : "");
		cli_put_json_string(f, rep->relay[i].url);
		fprintf(f, ",\"status\":");
		cli_put_json_string(f, relay_status_str(rep->relay[i].status));
		fprintf(f, ",\"http\":%ld}", rep->relay[i].http_code);
	}
	fprintf(f, "],\"elapsed_ms\":%llu}", (unsigned long long)rep->elapsed_ms);
}

void
cli_fmt_time(char *buf, size_t n, uint64_t secs)
{
	time_t t = (time_t)secs;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, n, "%llu", (unsigned long long)secs);
}

void
cli_fmt_duration(char *buf, size_t n, uint64_t s)
{
	if (s >= 86400)
		snprintf(buf, n, "%llud %lluh", (unsigned long long)(s / 86400),
		    (unsigned long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(buf, n, "%lluh %llum", (unsigned long long)(s / 3600),
		    (unsigned long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(buf, n, "%llum %llus", (unsigned long long)(s / 60),
		    (unsigned long long)(s % 60));
	else
		snprintf(buf, n, "%llus", (unsigned long long)s);
}

/*
 * An agent identity about to advertise an older epoch than its last packet
 * did was most likely rotated on another machine and not here: say so, as
 * others who --share to it now encrypt to the older key again.
 */
static void
check_epoch(const char *key_advert, const struct pkarr_packet *prev)
{
	struct age_recipient ours, theirs;
	uint32_t our_epoch, last_epoch;

	if (keyrec_parse(key_advert, strlen(key_advert), &ours, &our_epoch) != 0 ||
	    keyrec_from_packet(prev, &theirs, &last_epoch) != 1 || last_epoch <= our_epoch)
		return;
	cli_warn("this identity's last packet advertised the agent key of epoch %lu (rotated on "
	    "another machine?), but this machine records epoch %lu: the packet just published "
	    "advertises the epoch-%lu key again, and records others share to you will use it. "
	    "Run 'cclink init --agent --epoch %lu' here and publish again",
	    (unsigned long)last_epoch, (unsigned long)our_epoch, (unsigned long)our_epoch,
	    (unsigned long)last_epoch);
}

int
cli_update_txt(const struct ccl_ctx *ctx, const struct ccl_config *cfg, const char *what,
    const struct signer *s, const char *key_advert, struct transport_update *u,
    struct pkarr_packet *pub, struct transport_report *resolve_rep,
    struct transport_report *publish_rep)
{
	static const char *const kr_name = KEYREC_TXT_NAME;
	struct transport_opts o;
	struct pkarr_packet *prev = NULL;
	unsigned attempt = 0;
	int r, prev_found = 0;

	if (key_advert != NULL) {
		if ((prev = calloc(1, sizeof(*prev))) == NULL)
			return CCL_ERR_NOMEM;
		u->extra_names = &kr_name;
		u->extra_values = &key_advert;
		u->n_extra = 1;
	}
	cli_transport_opts(ctx, cfg, &o, what);
	do {
		memset(resolve_rep, 0, sizeof(*resolve_rep));
		memset(publish_rep, 0, sizeof(*publish_rep));
		r = transport_update_txt(&o, s, u, prev, prev != NULL ? &prev_found : NULL, pub,
		    resolve_rep, publish_rep);
		cli_progress_done();
	} while (cli_net_retry(ctx, publish_rep->elapsed_ms ? publish_rep : resolve_rep, r,
	    &attempt));
	if (r == 0 && prev_found)
		check_epoch(key_advert, prev);
	free(prev);
	/* u points at our locals no longer. */
	u->extra_names = NULL;
	u->extra_values = NULL;
	u->n_extra = 0;
	return r;
}
