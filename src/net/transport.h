/* SPDX-License-Identifier: MIT */
/*
 * transport.h — PKARR over both transports at once: a DHT lookup (dht.c via
 * net.c) and the relays (relay.c, libcurl multi) driven from one poll loop.
 *
 * resolve returns the newest valid SignedPacket seen anywhere; publish stores
 * a signed packet on the closest DHT nodes and on every relay in parallel;
 * update re-resolves, edits one TXT record (keeping every other record of the
 * identity's packet), signs a packet newer than anything seen and publishes
 * it. Each reports what happened (nodes queried/answered/stored, relays
 * ok/failed) so commands can tell the user.
 *
 * Trust boundary: everything received is verified below (dht.c checks k and
 * the BEP 44 signature, relay.c/pkarr.c verify relay bodies against the key
 * from the URL); this layer only compares verified packets.
 */
#ifndef CCL_TRANSPORT_H
#define CCL_TRANSPORT_H
#include <stddef.h>
#include <stdint.h>

#include "dht.h"
#include "err.h"
#include "pkarr.h"
#include "relay.h"
#include "signer.h"

#define TRANSPORT_SRC_DHT   0x1u
#define TRANSPORT_SRC_RELAY 0x2u

struct transport_relay_report {
	char url[160];
	enum relay_status status;
	long http_code;
	unsigned long stored_nodes;
	char detail[128];
};

struct transport_report {
	size_t n_bootstrap;         /* bootstrap nodes configured (0: bootstrap = none) */
	int dht_used;               /* a bootstrap list was configured and resolved */
	int dht_rc;                 /* dht_lookup_result() */
	struct dht_stats dht;
	size_t n_relays;
	unsigned relays_ok;
	unsigned relays_not_found;
	unsigned relays_conflict;
	unsigned relays_failed;
	struct transport_relay_report relay[RELAY_MAX_RELAYS];
	uint64_t elapsed_ms;
	char bootstrap_err[128];    /* why the DHT could not be used, if it could not */
};

/* Progress callback (may be NULL): called from the loop with the running report. */
typedef void (*transport_progress_fn)(void *arg, const struct transport_report *rep);

/*
 * Where to look and for how long: the caller's settings (cli/config.c reads
 * them from the config file and the environment). The lists are borrowed.
 */
struct transport_peers {
	char *const *bootstrap;     /* host:port; none = no DHT */
	size_t n_bootstrap;
	char *const *relays;        /* base URLs; none = no relays */
	size_t n_relays;
	uint32_t timeout_ms;        /* overall deadline for one resolve/publish */
};

struct transport_opts {
	struct transport_peers peers;
	transport_progress_fn progress;
	void *progress_arg;
	int fresh;                  /* relays: bypass caches (read-after-write) */
};

/*
 * Resolve the packet of pk. 0 with *out filled (and *sources = which
 * transports returned exactly that packet); CCL_ERR_NOT_FOUND when a source
 * gave a usable "nothing here" (DHT nodes answered without a valid packet,
 * or a relay said 404); CCL_ERR_NET when no source gave a usable answer:
 * nothing could be reached, or what answered was refused (a relay serving a
 * bad signature, garbage, a busy or error status). rep (may be NULL) gets
 * the details.
 */
CCL_MUST_CHECK int transport_resolve(const struct transport_opts *o, const uint8_t pk[static 32],
    struct pkarr_packet *out, unsigned *sources, struct transport_report *rep);

/*
 * The offline policy's question, the same for every command: after a
 * CCL_ERR_NET/_TIMEOUT, could trying again help? 1 when some source is
 * configured and its failure can be transient (no DHT node answered, a
 * bootstrap name did not resolve, a relay timed out, failed to connect or
 * said busy); 0 when nothing is configured (bootstrap = none, relays =
 * none) or every relay gave a definite answer and no DHT is configured.
 */
int transport_retry_worthwhile(const struct transport_report *rep);

/*
 * Publish a signed packet (with cas = the previous seq when has_cas). 0 when
 * stored on at least one DHT node or relay; CCL_ERR_CONFLICT when a newer
 * packet exists (re-resolve and retry); CCL_ERR_NET / _TIMEOUT when it was
 * stored nowhere.
 */
CCL_MUST_CHECK int transport_publish(const struct transport_opts *o, const struct pkarr_packet *pkt,
    int has_cas, uint64_t cas, struct transport_report *rep);

/*
 * Replace (value != NULL) or remove (value == NULL) the TXT record `name` in
 * the identity's packet, keeping every other record, and publish a packet
 * newer than anything seen. prev (may be NULL) gets the packet found before
 * (prev_found says whether there was one); published (may be NULL) the new
 * one. Removing from a key that has no packet, or no such record, gives
 * CCL_ERR_NOT_FOUND and publishes nothing.
 */
struct transport_update {
	const char *name;           /* relative name, e.g. "_cclink" */
	const char *value;          /* NULL: remove */
	size_t value_len;
	uint32_t ttl;
	/* Extra TXT records to set in the same packet (e.g. "_cclink-key"), may be 0. */
	const char *const *extra_names;
	const char *const *extra_values;
	size_t n_extra;
};
CCL_MUST_CHECK int transport_update_txt(const struct transport_opts *o, const struct signer *s,
    const struct transport_update *u, struct pkarr_packet *prev, int *prev_found,
    struct pkarr_packet *published, struct transport_report *resolve_rep,
    struct transport_report *publish_rep);
#endif
