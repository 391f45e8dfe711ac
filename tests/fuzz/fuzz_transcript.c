/* SPDX-License-Identifier: MIT */
/*
 * fuzz_transcript.c — libFuzzer target for the Claude Code transcript
 * parsers: the head parser (whole, and fed in two pieces, which must agree),
 * the tail custom-title parser, the folder-name sanitiser and the id check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

static void
check_head(const struct session_head *h)
{
	if (h->cwd != NULL && h->cwd[0] != '/')
		abort();
	if (h->session_id != NULL && !session_id_is_uuid(h->session_id))
		abort();
	if (h->preview != NULL && strlen(h->preview) > SESSION_PREVIEW_MAX)
		abort();
}

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session_head h1, h2;
	char *t = NULL, *s = NULL, *z;
	size_t cut = size > 0 ? data[0] % (size + 1) : 0;

	memset(&h1, 0, sizeof(h1));
	memset(&h2, 0, sizeof(h2));
	if (session_head_parse(&h1, data, size, 1) == 0)
		check_head(&h1);
	/* Incremental feeding gives the same result as one pass. */
	if (session_head_parse(&h2, data, cut, 0) == 0 && session_head_parse(&h2, data, size, 1) == 0) {
		check_head(&h2);
		if (!same(h1.cwd, h2.cwd) || !same(h1.preview, h2.preview) ||
		    !same(h1.session_id, h2.session_id))
			abort();
	}
	session_head_cleanup(&h1);
	session_head_cleanup(&h2);
	if (session_tail_title(data, size, 0, &t) == 0 && t != NULL && strlen(t) > SESSION_TITLE_MAX)
		abort();
	free(t);
	t = NULL;
	if (session_tail_title(data, size, 1, &t) == 0)
		free(t);
	if ((z = malloc(size + 1)) != NULL) {
		memcpy(z, data, size);
		z[size] = '\0';
		if (session_sanitize_path(z, &s) == 0) {
			size_t i;
			for (i = 0; s[i] != '\0'; i++)
				if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
				    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-'))
					abort();
			free(s);
		}
		if (session_id_check(z) == 0 && (z[0] == '-' || strchr(z, '\n') != NULL))
			abort();
		free(z);
	}
	return 0;
}
