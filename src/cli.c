/* SPDX-License-Identifier: MIT */
/* cli.c — output helpers shared by the commands. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

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

/* Length of a valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t
utf8_seq_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) { n = 2; cp = s[0] & 0x1f; }
	else if ((s[0] & 0xf0) == 0xe0) { n = 3; cp = s[0] & 0x0f; }
	else if ((s[0] & 0xf8) == 0xf0) { n = 4; cp = s[0] & 0x07; }
	else return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls (U+0080..U+009F) can drive some terminals too. */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return n;
}

void
cli_put_sanitized(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\x%02x", *p++);
			continue;
		}
		if ((n = utf8_seq_len(p)) == 0) {
			fprintf(f, "\\x%02x", *p++);
			continue;
		}
		fwrite(p, 1, n, f);
		p += n;
	}
}

void
cli_put_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p != '\0'; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}
