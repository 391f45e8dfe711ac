/* SPDX-License-Identifier: MIT */
/* cli_common.c — identity loading and small prompts shared by the commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_common.h"

int
cli_identity_load(const struct ccl_ctx *ctx, struct identity *id, int full)
{
	struct identity_opts o = { NULL, ctx->passphrase_file, 1 };
	char msg[512];
	int r;

	memset(id, 0, sizeof(*id));
	if (full)
		r = identity_load(id, &o);
	else
		r = identity_load_public(id->pk, &id->key_file, &o);
	if (r == 0)
		return 0;
	identity_error_message(msg, sizeof(msg), r, &o);
	cli_err("%s", msg);
	identity_cleanup(id);
	return r == CCL_ERR_NO_TTY ? EXIT_USAGE : EXIT_FAIL;
}

int
cli_pick(const char *title, const char *const *items, size_t n, size_t *choice)
{
	FILE *tty;
	char line[32];
	size_t i;
	long v;
	char *end;

	*choice = 0;
	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return CCL_ERR_NO_TTY;
	fprintf(tty, "%s\n", title);
	for (i = 0; i < n; i++) {
		fprintf(tty, "  %zu) ", i + 1);
		cli_put_sanitized(tty, items[i]);
		fputc('\n', tty);
	}
	for (;;) {
		fprintf(tty, "Choose 1-%zu [1]: ", n);
		fflush(tty);
		if (fgets(line, sizeof(line), tty) == NULL) {
			fclose(tty);
			return CCL_ERR_ABORTED;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0') {
			v = 1;
			break;
		}
		v = strtol(line, &end, 10);
		if (*end == '\0' && v >= 1 && (size_t)v <= n)
			break;
		if (line[0] == 'q') {
			fclose(tty);
			return CCL_ERR_ABORTED;
		}
	}
	fclose(tty);
	*choice = (size_t)v - 1;
	return 0;
}

uint64_t
cli_now(void)
{
	return (uint64_t)time(NULL);
}
