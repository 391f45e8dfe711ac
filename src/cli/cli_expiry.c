/* SPDX-License-Identifier: MIT */
/* cli_expiry.c — reachability messages and the pickup refresh; see cli_expiry.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "cli_expiry.h"
#include "cli_net.h"
#include "keeper.h"
#include "statedir.h"
#include "z32.h"

static const char *
sources_text(unsigned s)
{
	if ((s & TRANSPORT_SRC_DHT) && (s & TRANSPORT_SRC_RELAY))
		return "the DHT and a relay";
	if (s & TRANSPORT_SRC_DHT)
		return "the DHT";
	if (s & TRANSPORT_SRC_RELAY)
		return "a relay";
	return "nowhere";
}

/* What this machine's own copy of its last packet says, if it has one. */
static void
explain_local(const uint8_t pk[static 32])
{
	struct pkarr_packet *pkt;
	struct record rec;
	char pubd[40], until[40], dur[32];
	pid_t pid;
	int kept = 0, running;

	if ((pkt = calloc(1, sizeof(*pkt))) == NULL)
		return;
	if (statedir_load_packet(pk, pkt, &kept) != 0) {
		cli_err("If it was published more than about 2 hours ago without --keep, the DHT "
		    "has probably dropped it: run 'cclink republish' on the publishing machine "
		    "(or publish again, with --keep to keep it reachable until it expires). "
		    "Otherwise check that both machines use the same key ('cclink whoami'), or pass "
		    "the publisher's key: cclink pickup pk:<key>");
		free(pkt);
		return;
	}
	if (keeper_record_of(pkt, &rec) != 0) {
		cli_err("This machine's last packet for this key holds no handoff: it was revoked "
		    "or burnt. Publish a new one with 'cclink'");
		free(pkt);
		return;
	}
	cli_fmt_time(pubd, sizeof(pubd), rec.created_at);
	cli_fmt_time(until, sizeof(until), record_expires_at(&rec));
	cli_fmt_duration(dur, sizeof(dur), rec.ttl);
	running = keeper_running(pk, &pid);
	if (record_expired(&rec, cli_now()))
		cli_err("This machine published it at %s with a TTL of %s: it expired at %s. "
		    "Publish a new one with 'cclink'", pubd, dur, until);
	else if (running)
		cli_err("This machine published it at %s with a TTL of %s (until %s), and its "
		    "keeper (pid %ld) is running: it stores it again at its next round, or run "
		    "'cclink republish' now", pubd, dur, until, (long)pid);
	else
		cli_err("This machine published it at %s with a TTL of %s (until %s) %s, and DHT "
		    "nodes drop records after about 2 hours: run 'cclink republish' to store it "
		    "again, and publish with --keep to keep a handoff reachable until it expires",
		    pubd, dur, until, kept ? "with --keep, but its keeper has stopped" :
		    "without --keep");
	record_free(&rec);
	free(pkt);
}

void
cli_expiry_explain_missing(const uint8_t pk[static 32], const struct cli_fetch *f)
{
	const struct transport_report *rep = &f->rep;
	char z[Z32_KEY_LEN + 1], relays[96];

	z32_encode(z, pk, 32);
	if (f->sources != 0) {
		cli_err("no active handoff for pk:%s: the newest packet (on %s) holds none; it was "
		    "revoked or burnt after pickup. Publish a new one with 'cclink'", z,
		    sources_text(f->sources));
		return;
	}
	if (rep->n_relays == 0)
		snprintf(relays, sizeof(relays), "no relay is configured");
	else if (rep->relays_not_found == rep->n_relays)
		snprintf(relays, sizeof(relays), "no relay has it either (%zu asked)", rep->n_relays);
	else
		snprintf(relays, sizeof(relays), "%u of %zu relays said they do not have it",
		    rep->relays_not_found, rep->n_relays);
	cli_err("no handoff found for pk:%s: %u DHT nodes answered without it, and %s", z,
	    rep->dht_used ? rep->dht.responded : 0, relays);
	explain_local(pk);
}

void
cli_expiry_explain_expired(const struct cli_fetch *f, const struct record *rec)
{
	char ago[32], pubd[40], dur[32];
	uint64_t now = cli_now();

	cli_fmt_duration(ago, sizeof(ago), now - record_expires_at(rec));
	cli_fmt_time(pubd, sizeof(pubd), rec->created_at);
	cli_fmt_duration(dur, sizeof(dur), rec->ttl);
	cli_err("this handoff (published %s with a TTL of %s, found on %s) expired %s ago. "
	    "Publish a new one with 'cclink' on the other machine", pubd, dur,
	    sources_text(f->sources), ago);
}

void
cli_expiry_refresh(const struct ccl_ctx *ctx, const struct ccl_config *cfg,
    const struct cli_fetch *f)
{
	struct transport_peers peers;
	unsigned want;

	if (!f->rep.dht_used)
		return;
	want = f->rep.dht.responded < DHT_K ? f->rep.dht.responded : DHT_K;
	if ((f->sources & TRANSPORT_SRC_DHT) && f->rep.dht.values >= want)
		return;
	if (!(f->sources & TRANSPORT_SRC_DHT))
		cli_info(ctx, "Note: only a relay still had this handoff (the DHT had dropped it); "
		    "storing it on the DHT again");
	config_peers(cfg, &peers);
	if (keeper_refresh_spawn(&peers, &f->pkt) != 0)
		cli_warn("could not store the handoff back on the DHT");
}
