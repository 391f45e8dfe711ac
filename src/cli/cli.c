/* SPDX-License-Identifier: MIT */
/* cli.c — output helpers shared by the commands. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "textsafe.h"

void
cli_err(const char *fmt, ...)
{
	va_list ap;

	fputs("cclink: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("cclink: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_info(const struct ccl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx != NULL && ctx->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cli_global_opt(struct ccl_ctx *ctx, int c, const char *arg)
{
	switch (c) {
	case CLI_OPT_PASSPHRASE_FILE:
		if (ctx->passphrase_file != NULL) {
			cli_err("--passphrase-file given twice");
			return -1;
		}
		ctx->passphrase_file = arg;
		return 1;
	case 'i':
		/* The option overrides $CCLINK_IDENTITY, which main() may have applied. */
		if (ctx->identity_opt) {
			cli_err("--identity given twice");
			return -1;
		}
		ctx->identity = arg;
		ctx->identity_opt = 1;
		return 1;
	case 'v':
		ctx->verbose++;
		return 1;
	case 'q':
		ctx->quiet = 1;
		return 1;
	default:
		return 0;
	}
}

void
cli_usage_line(FILE *f, const char *usage)
{
	fprintf(f, "Usage: %s\n", usage);
}

/* Write what wr holds, or a marker when it could not be built (out of memory). */
static void
put_built(FILE *f, struct buf_wr *wr, int r)
{
	if (r == 0)
		fwrite(buf_wr_data(wr), 1, buf_wr_len(wr), f);
	else
		fputs("(?)", f);
	buf_wr_free(wr);
}

void
cli_put_sanitized(FILE *f, const char *s)
{
	struct buf_wr wr;
	size_t n = strlen(s);

	buf_wr_init(&wr, SIZE_MAX);
	put_built(f, &wr, textsafe_put(&wr, s, n));
}

void
cli_put_json_string(FILE *f, const char *s)
{
	struct buf_wr wr;
	size_t n = strlen(s);

	buf_wr_init(&wr, SIZE_MAX);
	put_built(f, &wr, textsafe_json_put(&wr, s, n));
}

void
cli_put_sanitized_n(FILE *f, const char *s, size_t n)
{
	struct buf_wr wr;

	buf_wr_init(&wr, SIZE_MAX);
	put_built(f, &wr, textsafe_put(&wr, s, n));
}

void
cli_put_json_string_n(FILE *f, const char *s, size_t n)
{
	struct buf_wr wr;

	buf_wr_init(&wr, SIZE_MAX);
	put_built(f, &wr, textsafe_json_put(&wr, s, n));
}
