/* SPDX-License-Identifier: MIT */
/*
 * keeper.h — keeping a handoff reachable without the secret key. A BEP 44
 * item can be stored again by anyone holding the signed packet (same seq,
 * same signature), so the keeper process holds only the packet saved in the
 * state directory (statedir.h), never a key.
 *
 * This module has the pieces below the command layer: the per-key lock that
 * makes the keeper a single instance (flock on keeper-<z32>.lock, which holds
 * its pid), starting a keeper as a detached process (setsid, double fork,
 * stdio on /dev/null, then exec of cclink itself, so no memory of the
 * publishing process survives), stopping it, and the one-shot background
 * refresh that pickup uses. It prints nothing.
 *
 * Trust boundary: the lock file's pid is only trusted while the lock is held
 * (a stale pid is never signalled).
 */
#ifndef CCL_KEEPER_H
#define CCL_KEEPER_H
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "pkarr.h"
#include "record.h"
#include "transport.h"

/* The hidden command a keeper runs as: `cclink __keeper --ready-fd N pk:<z32>`. */
#define KEEPER_COMMAND "__keeper"
/* How long start/stop wait for the other process (ms). */
#define KEEPER_WAIT_MS 15000
/* Seconds between republishes: pkarr republishes hourly; BEP 44 nodes keep ~2 h. */
#define KEEPER_DEFAULT_INTERVAL 3000

/*
 * Take the keeper lock of pk and write our pid into it: 0 and *fd (keep it
 * open while running). A keeper already holding it is asked to stop
 * (SIGTERM) and waited for, up to KEEPER_WAIT_MS: CCL_ERR_TIMEOUT if it does
 * not let go. The state directory must exist.
 */
CCL_MUST_CHECK int keeper_lock(const uint8_t pk[static 32], int *fd);
/* Give the lock up: remove the lock file (still ours) and close fd. */
void keeper_unlock(const uint8_t pk[static 32], int fd);
/* 1 (and *pid) when a keeper holds the lock of pk, else 0. pid may be NULL. */
int keeper_running(const uint8_t pk[static 32], pid_t *pid);
/*
 * Stop the keeper of pk, if one runs, and wait (up to KEEPER_WAIT_MS) until
 * it has let go: 0 (also when none ran), CCL_ERR_TIMEOUT.
 */
CCL_MUST_CHECK int keeper_stop(const uint8_t pk[static 32]);
/*
 * Start a detached keeper for pk (its packet must be saved in the state
 * directory) by running this executable as `cclink __keeper`. Returns 0 and
 * *pid once the keeper holds the lock; the keeper's error code when it
 * refused (e.g. CCL_ERR_EXPIRED), CCL_ERR_TIMEOUT, CCL_ERR_SYSTEM.
 */
CCL_MUST_CHECK int keeper_spawn(const uint8_t pk[static 32], pid_t *pid);
/*
 * The handoff record (`_cclink`) in a verified packet: 0 and *rec
 * (record_free it), CCL_ERR_NOT_FOUND when the packet has none (revoked or
 * burnt), or handoff_parse's error.
 */
CCL_MUST_CHECK int keeper_record_of(const struct pkarr_packet *pkt, struct record *rec);
/*
 * Store the exact signed packet pkt again on the closest DHT nodes and the
 * relays (transport_publish without cas). A reported conflict is checked by
 * resolving: when the newest packet found is pkt itself (another client,
 * e.g. a relay, stored the same packet at the same moment), that is success.
 * 0, CCL_ERR_CONFLICT (a newer packet exists), or transport_publish's error.
 * rep (may be NULL) gets the put's report.
 */
CCL_MUST_CHECK int keeper_store_again(const struct transport_opts *o, const struct pkarr_packet *pkt,
    struct transport_report *rep);
/*
 * Store pkt again on the DHT and the relays from a detached background
 * process (after a fork; the caller carries on at once and must hold no
 * secret in memory). 0 once the process is started.
 */
CCL_MUST_CHECK int keeper_refresh_spawn(const struct transport_peers *peers,
    const struct pkarr_packet *pkt);
/*
 * The republish interval in seconds: base (the keep_interval setting; 0 =
 * KEEPER_DEFAULT_INTERVAL) with ±10 % jitter; CCLINK_TEST_KEEP_INTERVAL
 * (seconds, test-only, may be below 60) overrides it.
 */
uint64_t keeper_interval(uint64_t base);
#endif
