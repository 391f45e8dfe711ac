/* SPDX-License-Identifier: MIT */
/*
 * fuzz_bundle.c — libFuzzer target for the session bundle header parser
 * (bundle_header_parse): whatever it accepts must satisfy the format's
 * rules (a UUID, an absolute project, the transcript first, confined paths
 * in strictly increasing order, sizes within the caps) and re-encode to the
 * exact bytes it consumed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bundle_header h;
	char *enc = NULL;
	size_t used, len, i;
	uint64_t total = 0;

	if (bundle_header_parse(data, size, &h, &used) != 0)
		return 0;
	if (used > size || !session_id_is_uuid(h.session_id) || h.project[0] != '/' ||
	    h.n_files == 0 || h.n_files > BUNDLE_MAX_FILES)
		abort();
	for (i = 0; i < h.n_files; i++) {
		if (!bundle_path_ok(h.session_id, h.files[i].path) || h.files[i].path[0] == '/' ||
		    strstr(h.files[i].path, "/.") != NULL || h.files[i].size > BUNDLE_FILE_MAX)
			abort();
		if ((i == 0) != (strchr(h.files[i].path, '/') == NULL))
			abort();
		if (i > 1 && strcmp(h.files[i - 1].path, h.files[i].path) >= 0)
			abort();
		total += h.files[i].size;
	}
	if (total != h.total || total > BUNDLE_TOTAL_MAX)
		abort();
	/* Canonical: encoding gives back exactly the consumed bytes. */
	if (bundle_header_encode(&h, &enc, &len) != 0 || len != used || memcmp(enc, data, len) != 0)
		abort();
	free(enc);
	bundle_header_cleanup(&h);
	return 0;
}
