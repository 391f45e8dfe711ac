/* SPDX-License-Identifier: MIT */
/*
 * statedir.h — cclink's state directory, ${XDG_STATE_HOME:-~/.local/state}/cclink:
 * the copy of the last packet this machine published for a key (so that
 * `cclink republish` can restore a handoff the DHT dropped, and pickup can say
 * what was published), whether it was published with --keep, and the paths
 * of the keeper's lock and log files.
 *
 * Files, per key (<z32> = the z-base32 public key):
 *   packet-<z32>        the SignedPacket bytes (pk|sig|ts|dns), mode 0600
 *   packet-<z32>.kept   present when that packet was published with --keep
 *   keeper-<z32>.lock   the keeper's lock file (flock) holding its pid
 *   keeper-<z32>.log    the keeper's log
 *
 * Trust boundary: a state file is read back through pkarr_parse (bounded,
 * signature verified) and must carry the key it is named after. Nothing here
 * holds or writes secret material: packets are public, signed data.
 */
#ifndef CCL_STATEDIR_H
#define CCL_STATEDIR_H
#include <stdint.h>

#include "err.h"
#include "pkarr.h"

enum statedir_file {
	STATEDIR_PACKET = 1,
	STATEDIR_KEPT,
	STATEDIR_LOCK,
	STATEDIR_LOG,
};

/* The state directory (malloc'd). CCL_ERR_CONFIG when neither XDG_STATE_HOME nor HOME is absolute. */
CCL_MUST_CHECK int statedir_dir(char **out);
/* The state directory, created (0700) if missing (malloc'd). */
CCL_MUST_CHECK int statedir_make(char **out);
/* The path of one of the files of pk (malloc'd); the directory may not exist. */
CCL_MUST_CHECK int statedir_path(enum statedir_file which, const uint8_t pk[static 32], char **out);

/*
 * Save pkt as the last packet published from here for pkt->pk, atomically,
 * and record whether it is kept alive (kept) by a keeper.
 */
CCL_MUST_CHECK int statedir_save_packet(const struct pkarr_packet *pkt, int kept);
/*
 * Load the last packet published from here for pk: 0 with *out (and *kept)
 * filled; CCL_ERR_NOT_FOUND when there is none; CCL_ERR_FORMAT /
 * CCL_ERR_SIG_INVALID / CCL_ERR_KEY_MISMATCH for a damaged or foreign file.
 * kept may be NULL.
 */
CCL_MUST_CHECK int statedir_load_packet(const uint8_t pk[static 32], struct pkarr_packet *out,
    int *kept);
#endif
