/* SPDX-License-Identifier: MIT */
/* cli_common.c — identity loading and small prompts shared by the commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_common.h"
#include "cli_net.h"

int
cli_identity_opts(const struct ccl_ctx *ctx, struct identity_opts *o, char **spec_owned)
{
	struct ccl_config cfg;
	int ret;

	memset(o, 0, sizeof(*o));
	*spec_owned = NULL;
	o->passphrase_file = ctx->passphrase_file;
	o->allow_prompt = 1;
	if (ctx->identity != NULL) {
		o->spec = ctx->identity;
		return 0;
	}
	if ((ret = cli_config_load(&cfg)) != 0)
		return ret;
	*spec_owned = cfg.identity;
	cfg.identity = NULL;
	config_cleanup(&cfg);
	o->spec = *spec_owned;
	return 0;
}

int
cli_identity_load(const struct ccl_ctx *ctx, struct identity *id, int full)
{
	struct identity_opts o;
	char msg[768], *spec = NULL;
	int r, ret;

	memset(id, 0, sizeof(*id));
	if ((ret = cli_identity_opts(ctx, &o, &spec)) != 0)
		return ret;
	if (full)
		r = identity_load(id, &o);
	else
		r = identity_peek(id, &o);
	if (r == 0) {
		free(spec);
		return 0;
	}
	identity_error_message(msg, sizeof(msg), r, &o);
	cli_err("%s", msg);
	free(spec);
	identity_cleanup(id);
	return r == CCL_ERR_NO_TTY || r == CCL_ERR_CONFIG ? EXIT_USAGE : EXIT_FAIL;
}

static int
same_identity(const struct identity *a, const struct identity *b)
{
	return a->kind == b->kind && a->key_file != NULL && b->key_file != NULL &&
	    strcmp(a->key_file, b->key_file) == 0;
}

int
cli_identity_find(const struct ccl_ctx *ctx, int (*match)(const struct identity *, void *),
    void *arg, struct identity *id)
{
	static const char *const others[] = { "file", "ssh", "agent" };
	struct identity_opts o;
	struct identity cand;
	char msg[768];
	size_t i;
	int r, ret;

	if ((ret = cli_identity_load(ctx, id, 0)) != 0)
		return ret;
	if (match(id, arg)) {
		identity_cleanup(id);
		return cli_identity_load(ctx, id, 1);
	}
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		memset(&o, 0, sizeof(o));
		o.passphrase_file = ctx->passphrase_file;
		o.spec = others[i];
		if (identity_peek(&cand, &o) != 0)
			continue;  /* no such identity here: not an error */
		if (same_identity(&cand, id) || !match(&cand, arg)) {
			identity_cleanup(&cand);
			continue;
		}
		identity_cleanup(&cand);
		o.allow_prompt = 1;
		if ((r = identity_load(&cand, &o)) != 0) {
			identity_error_message(msg, sizeof(msg), r, &o);
			cli_err("%s", msg);
			return r == CCL_ERR_NO_TTY ? EXIT_USAGE : EXIT_FAIL;
		}
		identity_cleanup(id);
		*id = cand;
		return 0;
	}
	return -1;
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
