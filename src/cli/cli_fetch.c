/* SPDX-License-Identifier: MIT */
/* cli_fetch.c — resolve and verify a `_cclink` record; see cli_fetch.h. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_fetch.h"
#include "cli_net.h"
#include "dns.h"
#include "handoff.h"
#include "z32.h"

int
cli_fetch_record(const struct ccl_ctx *ctx, const struct ccl_config *cfg,
    const uint8_t pk[static 32], int fresh, unsigned retries, int quiet,
    struct cli_fetch *f, struct record *rec)
{
	struct transport_opts o;
	struct dns_packet *dns = NULL;
	char z[Z32_KEY_LEN + 1], *value = NULL;
	size_t vlen = 0;
	unsigned attempt = 0;
	int r, ret = EXIT_FAIL;

	memset(f, 0, sizeof(*f));
	memset(rec, 0, sizeof(*rec));
	z32_encode(z, pk, 32);
	cli_transport_opts(ctx, cfg, &o, "resolving");
	o.fresh = fresh;
	do {
		r = transport_resolve(&o, pk, &f->pkt, &f->sources, &f->rep);
		cli_progress_done();
	} while (retries > 0 && cli_net_retry(ctx, &f->rep, r, &attempt));
	f->rc = r;
	if (r == CCL_ERR_NOT_FOUND) {
		if (!(quiet & CLI_FETCH_QUIET_NOTFOUND))
			cli_err("no handoff found for pk:%s. Nothing is published under this key: check "
			    "that both machines use the same key ('cclink whoami'), or pass the "
			    "publisher's key: cclink pickup pk:<key>", z);
		ret = EXIT_NOT_FOUND;
		goto out;
	}
	if (r != 0) {
		if (!(quiet & CLI_FETCH_QUIET_NET))
			cli_report_failure(&f->rep, r, "resolve");
		goto out;
	}
	if ((r = pkarr_dns(&f->pkt, &dns)) != 0 ||
	    (r = dns_find_txt(dns, HANDOFF_TXT_NAME, z, &value, &vlen)) != 0) {
		if (r == CCL_ERR_NOT_FOUND) {
			if (!(quiet & CLI_FETCH_QUIET_NOTFOUND))
				cli_err("no active handoff for pk:%s: it was revoked or burnt after "
				    "pickup. Publish a new one with 'cclink'", z);
			ret = EXIT_NOT_FOUND;
		} else {
			cli_err("the packet for pk:%s is malformed: %s", z, ccl_strerror(r));
			ret = EXIT_BAD_SIG;
		}
		goto out;
	}
	f->have_record = 1;
	if ((r = handoff_parse(value, vlen, pk, rec)) != 0) {
		if (r == CCL_ERR_KEY_MISMATCH)
			cli_err("the handoff record under pk:%s names another key as its publisher: "
			    "refusing it (a copied or forged record)", z);
		else if (r == CCL_ERR_SIG_INVALID)
			cli_err("the handoff record under pk:%s has an invalid signature: refusing it", z);
		else
			cli_err("the handoff record under pk:%s is malformed (%s): refusing it", z,
			    ccl_strerror(r));
		ret = EXIT_BAD_SIG;
		goto out;
	}
	ret = 0;
 out:
	if (ret != 0)
		record_free(rec);
	free(value);
	dns_packet_free(dns);
	return ret;
}
