/* SPDX-License-Identifier: MIT */
/* cli_keyrec.c — see cli_keyrec.h. */
#include <stdlib.h>
#include <string.h>

#include "cli_keyrec.h"
#include "cli_net.h"
#include "identity_agent.h"
#include "keyrec.h"
#include "pkarr.h"
#include "transport.h"
#include "z32.h"

int
cli_keyrec_lookup(const struct ccl_ctx *ctx, const struct ccl_config *cfg,
    const uint8_t pk[static 32], struct age_recipient *out)
{
	struct transport_opts o;
	struct transport_report rep;
	struct pkarr_packet *pkt = NULL;
	char z[Z32_KEY_LEN + 1];
	uint32_t epoch;
	int r, found = 0;

	memset(out, 0, sizeof(*out));
	z32_encode(z, pk, 32);
	if ((pkt = calloc(1, sizeof(*pkt))) == NULL)
		return 0;
	cli_transport_opts(ctx, cfg, &o, "looking up the recipient");
	r = transport_resolve(&o, pk, pkt, NULL, &rep);
	cli_progress_done();
	if (r == CCL_ERR_NOT_FOUND)
		goto out;
	if (r != 0) {
		cli_warn("could not look up pk:%s's packet (%s): encrypting to its Ed25519 key only",
		    z, ccl_strerror(r));
		goto out;
	}
	if ((r = keyrec_from_packet(pkt, out, &epoch)) < 0)
		cli_warn("pk:%s advertises a malformed %s record: ignored", z, KEYREC_TXT_NAME);
	found = r == 1;
 out:
	free(pkt);
	return found;
}

void
cli_keyrec_follow_epoch(const struct ccl_ctx *ctx, const struct pkarr_packet *pkt, struct identity *id)
{
	struct age_recipient xr;
	uint32_t epoch, recorded = id->agent_epoch;

	if (id->kind != IDENTITY_AGENT || memcmp(id->pk, pkt->pk, 32) != 0 ||
	    keyrec_from_packet(pkt, &xr, &epoch) != 1 || epoch == id->agent_epoch)
		return;
	if (identity_agent_use_epoch(id, epoch, &xr) != 0)
		return;
	cli_info(ctx, "This handoff was published with the agent key's epoch %lu; this machine "
	    "records epoch %lu. Deriving the key of epoch %lu; run 'cclink init --agent --epoch "
	    "%lu' here to follow the rotation.", (unsigned long)epoch,
	    (unsigned long)recorded, (unsigned long)epoch, (unsigned long)epoch);
}
