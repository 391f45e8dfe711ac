/* SPDX-License-Identifier: MIT */
/* cli_keyrec.c — see cli_keyrec.h. */
#include <stdlib.h>
#include <string.h>

#include "cli_keyrec.h"
#include "cli_net.h"
#include "dns.h"
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
	struct dns_packet *dns = NULL;
	char z[Z32_KEY_LEN + 1], *value = NULL;
	size_t vlen = 0;
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
	if ((r = pkarr_dns(pkt, &dns)) != 0 ||
	    (r = dns_find_txt(dns, KEYREC_TXT_NAME, z, &value, &vlen)) != 0)
		goto out;
	if (keyrec_parse(value, vlen, out, &epoch) != 0) {
		cli_warn("pk:%s advertises a malformed %s record: ignored", z, KEYREC_TXT_NAME);
		memset(out, 0, sizeof(*out));
		goto out;
	}
	found = 1;
 out:
	free(value);
	dns_packet_free(dns);
	free(pkt);
	return found;
}
