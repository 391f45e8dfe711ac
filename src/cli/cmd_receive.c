/* SPDX-License-Identifier: MIT */
/*
 * cmd_receive.c — `cclink receive`: the far side of `cclink ssh`. Reads a
 * session bundle (bundle.h) on stdin and installs the transcript and its
 * folder into the Claude project folder of the local project directory;
 * `--check` reports what this side has (identity, claude, tmux) as JSON.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_io.h"
#include "cli.h"
#include "cli_common.h"
#include "cli_net.h"
#include "config.h"
#include "identity.h"
#include "resume.h"
#include "session.h"
#include "version.h"
#include "z32.h"

#define MAX_MAPS 16

static const char usage_text[] = "cclink receive [--force] [--map OLD=NEW]... | --check";

static void
usage(FILE *f)
{
	cli_usage_line(f, usage_text);
	fputs("\nRead a session bundle (a transcript and its folder, as `cclink ssh` sends it)\n"
	    "on stdin and write it into the Claude Code project folder for the project\n"
	    "directory here. Nothing is written unless every file arrived intact.\n\n"
	    "Options:\n"
	    "  --force           replace a transcript here that has diverged from the incoming one\n"
	    "  --map OLD=NEW     where the sender's OLD path prefix lives here (repeatable)\n"
	    "  --check           print what this machine has for a pickup (JSON) and exit\n"
	    "  -h, --help        show this help\n", f);
}

/* A signal ends the transfer (read() returns EINTR): nothing is written. */
static void
on_signal(int sig)
{
	(void)sig;
}

static void
catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;  /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void
put_path_or_null(const char *name)
{
	char *p = NULL;

	if (resume_which(getenv("PATH"), name, &p) == 0) {
		cli_put_json_string(stdout, p);
		free(p);
	} else
		fputs("null", stdout);
}

/* {"version":..,"pubkey":"pk:.."|null,"identity_error":..|null,"claude":..|null,"tmux":..|null} */
static int
check(const struct ccl_ctx *ctx)
{
	struct identity_opts o;
	uint8_t pk[32];
	char z[Z32_KEY_LEN + 1], msg[768];
	char *kf = NULL, *spec = NULL;
	int r;

	if ((r = cli_identity_opts(ctx, &o, &spec)) != 0)
		return r;
	o.allow_prompt = 0;  /* no terminal here: ssh runs this without one */
	printf("{\"version\":");
	cli_put_json_string(stdout, CCLINK_VERSION);
	r = identity_load_public(pk, &kf, &o);
	free(kf);
	if (r == 0) {
		z32_encode(z, pk, 32);
		printf(",\"pubkey\":\"pk:%s\",\"identity_error\":null", z);
	} else {
		identity_error_message(msg, sizeof(msg), r, &o);
		printf(",\"pubkey\":null,\"identity_missing\":%s,\"identity_error\":",
		    r == CCL_ERR_NOT_FOUND ? "true" : "false");
		cli_put_json_string(stdout, msg);
	}
	printf(",\"claude\":");
	put_path_or_null("claude");
	printf(",\"tmux\":");
	put_path_or_null("tmux");
	printf("}\n");
	free(spec);
	return EXIT_OK;
}

static const char *
why(int r)
{
	switch (r) {
	case CCL_ERR_TRUNCATED: return "the stream ended early (the connection dropped or the "
	    "sender stopped)";
	case CCL_ERR_MAC_INVALID: return "a file does not match its SHA-256 in the header";
	case CCL_ERR_TRAILING: return "there are bytes after the last file";
	case CCL_ERR_TOO_LARGE: return "it is over a size limit (files, header or total)";
	case CCL_ERR_UNSUPPORTED: return "it is in a newer bundle format: update cclink here";
	case CCL_ERR_FORMAT: return "its header is malformed (or names a path outside the "
	    "session's folder)";
	case CCL_ERR_EXISTS: return "a path in the project folder here is a symlink or not what "
	    "it should be";
	case CCL_ERR_SYSTEM: return "a system call failed or the transfer was interrupted";
	default: return ccl_strerror(r);
	}
}

int
cmd_receive(struct ccl_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "map", required_argument, NULL, 'm' },
		{ "check", no_argument, NULL, 'c' },
		CLI_GLOBAL_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bundle_recv_opts o;
	struct bundle_recv_result res;
	struct session_env senv;
	struct ccl_config cfg;
	const char *maps[2 * MAX_MAPS];
	size_t i, n_maps = 0, n_opt_maps = 0;
	int c, r, ret = EXIT_FAIL, force = 0, do_check = 0, have_senv = 0;

	memset(&res, 0, sizeof(res));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h" CLI_GLOBAL_SHORTOPTS, opts, NULL)) != -1) {
		if ((r = cli_global_opt(ctx, c, optarg)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'f': force = 1; break;
		case 'c': do_check = 1; break;
		case 'm':
			if (n_opt_maps >= MAX_MAPS || strchr(optarg, '=') == NULL || optarg[0] != '/') {
				cli_err("receive: invalid --map '%s': use --map /old/prefix=/new/prefix",
				    optarg);
				return EXIT_USAGE;
			}
			maps[n_opt_maps++] = optarg;
			break;
		case 'h': usage(stdout); return EXIT_OK;
		default:
			cli_err("receive: invalid option '%s'", argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_err("receive: unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (do_check)
		return check(ctx);
	if (isatty(STDIN_FILENO)) {
		cli_err("receive: stdin is a terminal; it reads a session bundle, as `cclink ssh` "
		    "sends it");
		return EXIT_USAGE;
	}
	if ((ret = cli_config_load(&cfg)) != 0)
		return ret;
	n_maps = n_opt_maps;
	for (i = 0; i < cfg.n_maps && n_maps < 2 * MAX_MAPS; i++)
		maps[n_maps++] = cfg.maps[i];
	ret = EXIT_FAIL;
	if ((r = session_env_from_process(&senv)) != 0) {
		cli_err("receive: cannot find the Claude Code folder here (set HOME or "
		    "CLAUDE_CONFIG_DIR): %s", ccl_strerror(r));
		goto out;
	}
	have_senv = 1;
	memset(&o, 0, sizeof(o));
	o.env = &senv;
	o.maps = maps;
	o.n_maps = n_maps;
	o.force = force;
	catch_signals();
	r = bundle_recv(STDIN_FILENO, &o, &res);
	if (r == CCL_ERR_NOT_FOUND && res.parsed) {
		/* The path comes from the other machine: shown sanitised. */
		fputs("cclink: receive: the project directory '", stderr);
		cli_put_sanitized(stderr, res.h.project);
		fputs("' does not exist on this machine. Check it out here, or say where it lives: "
		    "--map OLD=/local/path (or a 'map = OLD=NEW' line in the config file)\n", stderr);
		ret = EXIT_NO_SESSION;
		goto out;
	}
	if (r != 0) {
		cli_err("receive: refused the session bundle, nothing was written: %s", why(r));
		goto out;
	}
	switch (res.outcome) {
	case BUNDLE_KEPT:
		cli_info(ctx, "Transcript %s is already here (the one here contains the incoming "
		    "one); kept it", res.h.session_id);
		break;
	case BUNDLE_DIVERGED:
		cli_err("receive: the transcript %s.jsonl here (%llu bytes) and the incoming one "
		    "(%llu bytes) differ from byte %llu on: the session went on separately on both "
		    "machines. Nothing was written; replace the one here with --force (cclink ssh "
		    "--force)", res.h.session_id, (unsigned long long)res.here_size,
		    (unsigned long long)res.h.files[0].size, (unsigned long long)res.diverge_at);
		goto out;
	default:
		cli_info(ctx, "Received session %s: %zu file%s, %llu bytes, into %s%s",
		    res.h.session_id, res.h.n_files, res.h.n_files == 1 ? "" : "s",
		    (unsigned long long)res.h.total, res.folder,
		    res.outcome == BUNDLE_REPLACED ? " (replaced the older transcript)" : "");
		break;
	}
	ret = EXIT_OK;
 out:
	bundle_recv_result_cleanup(&res);
	if (have_senv)
		session_env_cleanup(&senv);
	config_cleanup(&cfg);
	return ret;
}
