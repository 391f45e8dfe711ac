/* SPDX-License-Identifier: MIT */
/* transport.c — race the DHT and the relays in one loop; see transport.h. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "net.h"
#include "transport.h"
#include "z32.h"

#define MAX_BOOT 32

/* One operation in flight on both transports. */
struct both {
	struct net_udp udp;
	struct dht_lookup *l;
	struct relay_batch *b;
};

static void
report_init(struct transport_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->dht_rc = CCL_ERR_NOT_FOUND;
}

/* Resolve the configured bootstrap list; 0 addresses means "no DHT". */
static size_t
resolve_bootstrap(const struct transport_peers *cfg, int families, struct sockaddr_storage *out,
    struct transport_report *rep)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->n_bootstrap && n < MAX_BOOT; i++) {
		if (net_resolve(cfg->bootstrap[i], families, out, MAX_BOOT, &n) != 0 &&
		    rep->bootstrap_err[0] == '\0')
			snprintf(rep->bootstrap_err, sizeof(rep->bootstrap_err),
			    "cannot resolve bootstrap node %s", cfg->bootstrap[i]);
	}
	return n;
}

static void
both_free(struct both *x)
{
	dht_lookup_free(x->l);
	relay_batch_free(x->b);
	if (x->udp.fd4 >= 0 || x->udp.fd6 >= 0)
		net_udp_close(&x->udp);
	memset(x, 0, sizeof(*x));
	x->udp.fd4 = x->udp.fd6 = -1;
}

/*
 * Start the DHT lookup (when a bootstrap list resolves) and the relay batch
 * (possibly empty). A DHT that cannot start is reported, not fatal: the
 * relays may still do the job.
 */
static int
both_start(struct both *x, const struct transport_opts *o, struct dht_params *dp,
    unsigned relay_op, const uint8_t pk[static 32], const uint8_t *body, size_t body_len,
    struct transport_report *rep)
{
	const struct transport_peers *cfg = &o->peers;
	struct sockaddr_storage boot[MAX_BOOT], self[2];
	size_t nboot, nself = 0;
	int r;

	memset(x, 0, sizeof(*x));
	x->udp.fd4 = x->udp.fd6 = -1;
	rep->n_bootstrap = cfg->n_bootstrap;
	if (cfg->n_bootstrap > 0) {
		if ((r = net_udp_open(&x->udp, NET_V4 | NET_V6)) != 0) {
			snprintf(rep->bootstrap_err, sizeof(rep->bootstrap_err),
			    "cannot open a UDP socket: %s", ccl_strerror(r));
		} else if ((nboot = resolve_bootstrap(cfg, net_udp_families(&x->udp) == DHT_FAM_V4 ?
		    NET_V4 : NET_V4 | NET_V6, boot, rep)) > 0) {
			if (net_udp_local(&x->udp, AF_INET, &self[nself]) == 0)
				nself++;
			if (net_udp_local(&x->udp, AF_INET6, &self[nself]) == 0)
				nself++;
			dp->bootstrap = boot;
			dp->n_bootstrap = nboot;
			dp->self = self;
			dp->n_self = nself;
			dp->families = net_udp_families(&x->udp);
			if ((r = dht_lookup_new(&x->l, dp, net_now_ms())) != 0)
				return r;
			rep->dht_used = 1;
		}
	}
	if ((r = relay_batch_new(&x->b, (const char *const *)cfg->relays, cfg->n_relays, relay_op,
	    pk, body, body_len, (long)cfg->timeout_ms)) != 0)
		return r;
	rep->n_relays = cfg->n_relays;
	return 0;
}

static void
collect_relays(struct both *x, struct transport_report *rep)
{
	size_t i, n = relay_batch_count(x->b);
	const struct relay_result *res;
	struct transport_relay_report *rr;

	rep->relays_ok = rep->relays_not_found = rep->relays_conflict = rep->relays_failed = 0;
	for (i = 0; i < n && i < RELAY_MAX_RELAYS; i++) {
		res = relay_batch_result(x->b, i);
		rr = &rep->relay[i];
		snprintf(rr->url, sizeof(rr->url), "%s", res->relay);
		rr->status = res->status;
		rr->http_code = res->http_code;
		rr->stored_nodes = res->stored_nodes;
		snprintf(rr->detail, sizeof(rr->detail), "%s", res->detail);
		switch (res->status) {
		case RELAY_PENDING: break;
		case RELAY_OK: rep->relays_ok++; break;
		case RELAY_NOT_FOUND: rep->relays_not_found++; break;
		case RELAY_CONFLICT: rep->relays_conflict++; break;
		default: rep->relays_failed++; break;
		}
	}
}

/* Drive both until done or the overall deadline. */
static int
both_run(struct both *x, const struct transport_opts *o, struct transport_report *rep)
{
	uint64_t start = net_now_ms(), deadline = start + o->peers.timeout_ms, now, wait;
	struct pollfd fds[2];
	size_t nfds = 0;
	int r, dht_done, relay_done;

	if (x->udp.fd4 >= 0) {
		fds[nfds].fd = x->udp.fd4;
		fds[nfds++].events = POLLIN;
	}
	if (x->udp.fd6 >= 0) {
		fds[nfds].fd = x->udp.fd6;
		fds[nfds++].events = POLLIN;
	}
	if ((r = relay_batch_perform(x->b)) != 0)
		return r;
	for (;;) {
		now = net_now_ms();
		if (x->l != NULL && !dht_lookup_done(x->l) && (r = net_dht_pump(&x->udp, x->l, now)) != 0)
			return r;
		dht_done = x->l == NULL || dht_lookup_done(x->l);
		relay_done = relay_batch_done(x->b);
		collect_relays(x, rep);
		if (x->l != NULL)
			rep->dht_rc = dht_lookup_result(x->l, NULL, &rep->dht);
		rep->elapsed_ms = net_now_ms() - start;
		if (o->progress != NULL)
			o->progress(o->progress_arg, rep);
		if (dht_done && relay_done)
			break;
		if (now >= deadline) {
			relay_batch_cancel(x->b);
			collect_relays(x, rep);
			break;
		}
		wait = deadline - now;
		if (!dht_done) {
			uint64_t d = dht_lookup_next_ms(x->l, now);

			if (d < wait)
				wait = d;
		}
		if (wait > 1000)
			wait = 1000;  /* keep progress lively; libcurl shortens it further */
		if ((r = relay_batch_poll(x->b, dht_done ? NULL : fds, dht_done ? 0 : nfds,
		    (int)wait, NULL)) != 0)
			return r;
		if ((r = relay_batch_perform(x->b)) != 0)
			return r;
	}
	return 0;
}

int
transport_resolve(const struct transport_opts *o, const uint8_t pk[static 32],
    struct pkarr_packet *out, unsigned *sources, struct transport_report *rep_out)
{
	struct transport_report rep;
	struct dht_params dp;
	struct dht_item item;
	struct pkarr_packet cand;
	const struct relay_result *res;
	struct both x;
	int have = 0, r, dr, usable = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (sources != NULL)
		*sources = 0;
	report_init(&rep);
	memset(&dp, 0, sizeof(dp));
	dp.mode = DHT_GET;
	memcpy(dp.pubkey, pk, 32);
	if ((r = both_start(&x, o, &dp, RELAY_GET | (o->fresh ? RELAY_FRESH : 0), pk, NULL, 0,
	    &rep)) != 0)
		goto out;
	if ((r = both_run(&x, o, &rep)) != 0)
		goto out;
	/* The DHT: dht.c already checked k, the signature and the size. */
	if (x.l != NULL) {
		dr = dht_lookup_result(x.l, &item, &rep.dht);
		rep.dht_rc = dr;
		/*
		 * Nodes that answered without a valid packet: a usable "nothing
		 * here", unless all they had was items we refused.
		 */
		if (rep.dht.responded > rep.dht.rejected)
			usable = 1;
		if (dr == 0 && pkarr_from_item(&cand, item.k, item.sig, item.seq, item.v,
		    item.vlen) == 0) {
			*out = cand;
			have = 1;
			if (sources != NULL)
				*sources = TRANSPORT_SRC_DHT;
		}
	}
	/* The relays: bodies verified against pk by relay.c. */
	for (i = 0; i < relay_batch_count(x.b); i++) {
		res = relay_batch_result(x.b, i);
		/*
		 * Only a 404 or a packet counts as an answer; a relay that served
		 * garbage or a bad signature, or said busy, told us nothing.
		 */
		if (res->status == RELAY_NOT_FOUND || res->status == RELAY_OK)
			usable = 1;
		if (res->status != RELAY_OK || !res->has_packet ||
		    memcmp(res->packet.pk, pk, 32) != 0)
			continue;
		if (!have || pkarr_cmp(&res->packet, out) > 0) {
			*out = res->packet;
			have = 1;
			if (sources != NULL)
				*sources = TRANSPORT_SRC_RELAY;
		} else if (pkarr_cmp(&res->packet, out) == 0 && sources != NULL) {
			*sources |= TRANSPORT_SRC_RELAY;
		}
	}
	if (have)
		r = 0;
	else
		r = usable ? CCL_ERR_NOT_FOUND : CCL_ERR_NET;
 out:
	both_free(&x);
	if (rep_out != NULL)
		*rep_out = rep;
	return r;
}

int
transport_retry_worthwhile(const struct transport_report *rep)
{
	size_t i;

	if (rep->n_bootstrap > 0 && rep->dht.responded == 0)
		return 1;
	for (i = 0; i < rep->n_relays && i < RELAY_MAX_RELAYS; i++)
		if (rep->relay[i].status == RELAY_ERROR || rep->relay[i].status == RELAY_RETRY ||
		    rep->relay[i].status == RELAY_PENDING)
			return 1;
	return 0;
}

int
transport_publish(const struct transport_opts *o, const struct pkarr_packet *pkt,
    int has_cas, uint64_t cas, struct transport_report *rep_out)
{
	struct transport_report rep;
	struct dht_params dp;
	struct dht_item *item = NULL;
	struct buf_wr body;
	struct both x;
	int r, dr = CCL_ERR_NOT_FOUND;

	report_init(&rep);
	buf_wr_init(&body, PKARR_MAX_PACKET);
	memset(&x, 0, sizeof(x));
	x.udp.fd4 = x.udp.fd6 = -1;
	if ((item = calloc(1, sizeof(*item))) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	memcpy(item->k, pkt->pk, 32);
	memcpy(item->sig, pkt->sig, 64);
	item->seq = (int64_t)pkt->ts;
	item->vlen = pkt->dns_len;
	memcpy(item->v, pkt->dns, pkt->dns_len);
	memset(&dp, 0, sizeof(dp));
	dp.mode = DHT_PUT;
	dp.item = item;
	dp.has_cas = has_cas;
	dp.cas = (int64_t)cas;
	if ((r = pkarr_encode_relay(pkt, &body)) != 0 ||
	    (r = both_start(&x, o, &dp, RELAY_PUT, pkt->pk, buf_wr_data(&body),
	    buf_wr_len(&body), &rep)) != 0 ||
	    (r = both_run(&x, o, &rep)) != 0)
		goto out;
	if (x.l != NULL) {
		dr = dht_lookup_result(x.l, NULL, &rep.dht);
		rep.dht_rc = dr;
	}
	collect_relays(&x, &rep);
	/*
	 * A newer packet on the DHT wins over relays that took ours (v7 relays
	 * have no compare-and-swap): report the conflict so the caller re-resolves
	 * and publishes on top of it instead of losing what was published.
	 */
	if (dr == CCL_ERR_CONFLICT)
		r = CCL_ERR_CONFLICT;
	else if (rep.relays_ok > 0 || (x.l != NULL && dr == 0))
		r = 0;
	else if (rep.relays_conflict > 0)
		r = CCL_ERR_CONFLICT;
	else if (dr == CCL_ERR_TIMEOUT && rep.n_relays == 0)
		r = CCL_ERR_TIMEOUT;
	else
		r = CCL_ERR_NET;
 out:
	both_free(&x);
	free(item);
	buf_wr_free(&body);
	if (rep_out != NULL)
		*rep_out = rep;
	return r;
}

/* Build the edited DNS packet: prev's records minus u->name TXT, plus the new ones. */
static int
edit_packet(const struct pkarr_packet *prev, int have_prev, const char *origin,
    const struct transport_update *u, struct dns_packet **out)
{
	struct dns_packet *d = NULL;
	size_t removed = 0, i, rm;
	int r;

	*out = NULL;
	if (have_prev) {
		if ((r = pkarr_dns(prev, &d)) != 0)
			goto out;
	} else if ((r = dns_packet_new(&d)) != 0)
		goto out;
	if ((r = dns_remove(d, u->name, origin, DNS_TYPE_TXT, &removed)) != 0)
		goto out;
	if (u->value == NULL && removed == 0) {
		r = CCL_ERR_NOT_FOUND;
		goto out;
	}
	if (u->value != NULL &&
	    (r = dns_add_txt(d, u->name, origin, u->ttl, u->value, u->value_len)) != 0)
		goto out;
	for (i = 0; i < u->n_extra; i++) {
		if ((r = dns_remove(d, u->extra_names[i], origin, DNS_TYPE_TXT, &rm)) != 0 ||
		    (r = dns_add_txt(d, u->extra_names[i], origin, u->ttl, u->extra_values[i],
		    strlen(u->extra_values[i]))) != 0)
			goto out;
	}
	*out = d;
	d = NULL;
	r = 0;
 out:
	dns_packet_free(d);
	return r;
}

int
transport_update_txt(const struct transport_opts *o, const struct signer *s,
    const struct transport_update *u, struct pkarr_packet *prev_out, int *prev_found,
    struct pkarr_packet *published, struct transport_report *resolve_rep,
    struct transport_report *publish_rep)
{
	struct pkarr_packet *prev = NULL, *pkt = NULL;
	struct dns_packet *d = NULL;
	char origin[Z32_KEY_LEN + 1];
	int r, have_prev, attempt;

	/* Every output is defined on every path, whatever is reached (outputs cleared on entry). */
	if (prev_out != NULL)
		memset(prev_out, 0, sizeof(*prev_out));
	if (prev_found != NULL)
		*prev_found = 0;
	if (published != NULL)
		memset(published, 0, sizeof(*published));
	if (resolve_rep != NULL)
		report_init(resolve_rep);
	if (publish_rep != NULL)
		report_init(publish_rep);
	if ((prev = calloc(1, sizeof(*prev))) == NULL || (pkt = calloc(1, sizeof(*pkt))) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	z32_encode(origin, s->pk, 32);
	/* A conflict means someone published in between: look again and retry once. */
	for (attempt = 0; attempt < 2; attempt++) {
		r = transport_resolve(o, s->pk, prev, NULL, resolve_rep);
		/*
		 * After a reported conflict, our own packet may be the one that won
		 * (a relay put it on the same nodes a moment before our put did).
		 */
		if (attempt > 0 && r == 0 && pkarr_cmp(prev, pkt) == 0)
			break;
		/* Unreachable: publishing blind could drop the packet's other records. */
		if (r != 0 && r != CCL_ERR_NOT_FOUND)
			goto out;
		have_prev = r == 0;
		if (prev_found != NULL && attempt == 0)
			*prev_found = have_prev;
		if (prev_out != NULL && attempt == 0)
			*prev_out = *prev;
		dns_packet_free(d);
		d = NULL;
		if ((r = edit_packet(prev, have_prev, origin, u, &d)) != 0)
			goto out;
		if ((r = pkarr_build_dns(pkt, s, pkarr_next_ts(have_prev ? prev->ts : 0), d)) != 0)
			goto out;
		r = transport_publish(o, pkt, have_prev, have_prev ? prev->ts : 0, publish_rep);
		if (r != CCL_ERR_CONFLICT)
			break;
	}
	/* The last attempt also conflicted: did our packet win anyway? */
	if (r == CCL_ERR_CONFLICT && transport_resolve(o, s->pk, prev, NULL, NULL) == 0 &&
	    pkarr_cmp(prev, pkt) == 0)
		r = 0;
	if (r == 0 && published != NULL)
		*published = *pkt;
 out:
	dns_packet_free(d);
	free(prev);
	free(pkt);
	return r;
}
