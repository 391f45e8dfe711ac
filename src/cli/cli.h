/* SPDX-License-Identifier: MIT */
/*
 * cli.h — what the command layer shares: the per-run context, exit codes,
 * and output helpers (messages to stderr, machine output to stdout).
 */
#ifndef CCL_CLI_H
#define CCL_CLI_H
#include <stdio.h>
#include "err.h"

/* Exit statuses (documented in README and the man page). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,          /* any other failure */
	EXIT_USAGE = 2,         /* bad command line or configuration */
	EXIT_NOT_FOUND = 3,     /* no record published for that key */
	EXIT_EXPIRED = 4,       /* the record has expired */
	EXIT_DECRYPT = 5,       /* cannot decrypt (wrong key, wrong PIN, shared with another) */
	EXIT_BAD_SIG = 6,       /* a signature or the record does not verify */
	EXIT_ABORTED = 7,       /* the user declined */
	EXIT_NO_SESSION = 8,    /* session data missing */
	EXIT_NO_CLAUDE = 9,     /* claude not found on PATH */
};

/* Per-run context, filled by main() from global options and passed down. */
struct ccl_ctx {
	const char *passphrase_file;  /* --passphrase-file F ("-" = stdin), or NULL */
	const char *identity;         /* --identity SPEC or $CCLINK_IDENTITY; NULL: the config's */
	int identity_opt;             /* identity came from --identity (not the environment) */
	int verbose;
	int quiet;
	int umask_orig;               /* the umask before main() set 077 (restored for claude) */
	unsigned long long core_soft_orig; /* the soft RLIMIT_CORE before main() lowered it */
};

/*
 * Global options (doc/design.md §3 and the man page; clap's global flags in cclink 1.3): accepted
 * before the command (main) and after it. Each command lists
 * CLI_GLOBAL_LONGOPTS in its getopt_long table and CLI_GLOBAL_SHORTOPTS in
 * its short options, and first hands every option to cli_global_opt().
 */
#define CLI_OPT_PASSPHRASE_FILE 0x100
#define CLI_GLOBAL_SHORTOPTS "vqi:"
#define CLI_GLOBAL_LONGOPTS \
	{ "passphrase-file", required_argument, NULL, CLI_OPT_PASSPHRASE_FILE }, \
	{ "identity", required_argument, NULL, 'i' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "quiet", no_argument, NULL, 'q' }
/*
 * Apply option c (with its argument) to ctx when it is a global option:
 * 1 when it was one, 0 when it was not, -1 after printing why it is wrong
 * (a second --passphrase-file or --identity).
 */
int cli_global_opt(struct ccl_ctx *ctx, int c, const char *arg);

typedef int (*cmd_fn)(struct ccl_ctx *ctx, int argc, char **argv);

int cmd_publish(struct ccl_ctx *ctx, int argc, char **argv);
int cmd_pickup(struct ccl_ctx *ctx, int argc, char **argv);
int cmd_init(struct ccl_ctx *ctx, int argc, char **argv);
int cmd_whoami(struct ccl_ctx *ctx, int argc, char **argv);
int cmd_list(struct ccl_ctx *ctx, int argc, char **argv);
int cmd_revoke(struct ccl_ctx *ctx, int argc, char **argv);
int cmd_resolve(struct ccl_ctx *ctx, int argc, char **argv);
int cmd_ssh(struct ccl_ctx *ctx, int argc, char **argv);
int cmd_ssh_proxy(struct ccl_ctx *ctx, int argc, char **argv);
int cmd_receive(struct ccl_ctx *ctx, int argc, char **argv);
int cmd_republish(struct ccl_ctx *ctx, int argc, char **argv);
int cmd_keeper(struct ccl_ctx *ctx, int argc, char **argv);

/* "cclink: <formatted>\n" on stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "cclink: warning: <formatted>\n" on stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Informational line on stderr (suppressed by --quiet). */
void cli_info(const struct ccl_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print the help text of one command (usage + description) to f. */
void cli_usage_line(FILE *f, const char *usage);
/*
 * Write s to f in textsafe's terminal form (controls, invalid UTF-8 and bidi
 * controls shown escaped), so untrusted strings (records, DHT answers) can
 * never drive the terminal. For "%s" arguments use textsafe_dup().
 */
void cli_put_sanitized(FILE *f, const char *s);
/* Render text as a terminal QR code on f (cli_qr.c). */
int cli_print_qr(FILE *f, const char *text);
/* Write s as a JSON string literal (quotes included, textsafe's JSON form) to f. */
void cli_put_json_string(FILE *f, const char *s);
/* The same for exactly n bytes of s, NUL bytes included (a TXT value may hold them). */
void cli_put_sanitized_n(FILE *f, const char *s, size_t n);
void cli_put_json_string_n(FILE *f, const char *s, size_t n);
#endif
