/* SPDX-License-Identifier: MIT */
/* main.c — process hygiene, global options and the command table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <sodium.h>

#include "cli.h"
#include "keeper.h"
#include "version.h"

static const struct {
	const char *name;
	cmd_fn fn;
	const char *desc;
} commands[] = {
	{ "publish", cmd_publish, "Publish the current Claude Code session (the default command)" },
	{ "pickup", cmd_pickup, "Resolve, verify and decrypt a handoff, then resume it here" },
	{ "list", cmd_list, "Show the active handoff of this identity" },
	{ "revoke", cmd_revoke, "Withdraw the active handoff" },
	{ "init", cmd_init, "Create or import the identity key" },
	{ "whoami", cmd_whoami, "Show this identity's public key" },
	{ "resolve", cmd_resolve, "Print the PKARR records published under a key" },
	{ "ssh", cmd_ssh, "Hand the session to another host over SSH and resume it there in tmux" },
	{ "ssh-proxy", cmd_ssh_proxy, "ssh ProxyCommand: publish the session, then relay to HOST PORT" },
	{ "receive", cmd_receive, "Write a session bundle from stdin into Claude's folder (cclink ssh)" },
	{ "republish", cmd_republish, "Store the newest packet of a key again, once (no key needed)" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
show_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: cclink [--passphrase-file FILE] [-i|--identity SPEC] [-v] [-q] [COMMAND] [ARGS...]\n\n"
	    "Hand a Claude Code session from one machine to another, with no account\n"
	    "and no server: an encrypted, signed PKARR record on the Mainline DHT.\n\n"
	    "Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].desc);
	fprintf(f, "  %-9s %s\n", "help", "Show this help, or a command's help");
	fprintf(f, "\nGlobal options, before or after COMMAND:\n"
	    "  --passphrase-file FILE  read the key's passphrase from FILE ('-' = stdin)\n"
	    "  -i, --identity SPEC     the identity to use (see SPEC below)\n"
	    "  -v, --verbose           say more (repeat for more)\n"
	    "  -q, --quiet             only the result, warnings and errors\n");
	fprintf(f, "\nWith no command (or a session id), cclink publishes.\n"
	    "Run 'cclink help COMMAND' for a command's options.\n"
	    "SPEC (--identity, $CCLINK_IDENTITY, or 'identity =' in the config file):\n"
	    "'file' (~/.pubky/secret_key, the default), 'ssh:PATH' (an OpenSSH ed25519\n"
	    "private key used in place; 'ssh' alone: ~/.ssh/id_ed25519) or 'agent' (the\n"
	    "ssh-agent key of 'cclink init --agent', the default once it is recorded).\n");
}

/* `cclink help config`: what the configuration file may hold. */
static void
show_config_help(FILE *f)
{
	fputs("The configuration file is ${XDG_CONFIG_HOME:-~/.config}/cclink/config: one\n"
	    "'key = value' per line; '#' starts a comment; lists are comma-separated.\n\n"
	    "  identity = file|ssh|ssh:PATH|agent  the identity (default: file, the key\n"
	    "                            ~/.pubky/secret_key; agent once 'init --agent' ran)\n"
	    "  bootstrap = HOST:PORT,... | none   DHT bootstrap nodes (default: the public\n"
	    "                            Mainline routers)\n"
	    "  relays = URL,... | none   PKARR relays, https:// (http:// only on loopback)\n"
	    "  map = OLD=NEW             a project path prefix of the publisher and where it\n"
	    "                            lives here (repeatable; --map OLD=NEW adds more)\n"
	    "  timeout = DURATION        overall network deadline, e.g. 10s\n"
	    "  keep = yes|no             publish --keep by default\n"
	    "  keep_interval = DURATION  the keeper's republish interval (at least 60s)\n\n"
	    "Environment variables override the file: CCLINK_IDENTITY, CCLINK_BOOTSTRAP,\n"
	    "CCLINK_RELAYS, CCLINK_TIMEOUT, CCLINK_KEEP_INTERVAL; command-line options\n"
	    "override both. See man cclink.\n", f);
}

static int
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return (int)i;
	return -1;
}

/*
 * No core dumps (they would hold secrets), private files by default. Only the
 * soft core limit is lowered and the original umask is kept in ctx, so that
 * claude, exec'd at the end of a pickup, gets the user's own settings back.
 */
static void
harden_process(struct ccl_ctx *ctx)
{
	struct rlimit rl;

	ctx->umask_orig = (int)umask(077);
	if (getrlimit(RLIMIT_CORE, &rl) == 0) {
		ctx->core_soft_orig = rl.rlim_cur;
		rl.rlim_cur = 0;
		setrlimit(RLIMIT_CORE, &rl);
	}
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* Run publish with argv prefixed by the command name. */
static int
run_publish(struct ccl_ctx *ctx, int argc, char **argv)
{
	char **pub_argv;
	int i, ret;

	if ((pub_argv = calloc((size_t)argc + 2, sizeof(*pub_argv))) == NULL) {
		cli_err("out of memory");
		return EXIT_FAIL;
	}
	pub_argv[0] = "publish";
	for (i = 0; i < argc; i++)
		pub_argv[i + 1] = argv[i];
	optind = 0;
	ret = cmd_publish(ctx, argc + 1, pub_argv);
	free(pub_argv);
	return ret;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_GLOBAL_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ccl_ctx ctx = { 0 };
	char *help_argv[3];
	int c, g, idx;

	harden_process(&ctx);
	if (sodium_init() < 0) {
		cli_err("cannot initialise libsodium");
		return EXIT_FAIL;
	}

	/* Global options stop at the first non-option (the command). */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+" CLI_GLOBAL_SHORTOPTS "hV", opts, NULL)) != -1) {
		if ((g = cli_global_opt(&ctx, c, optarg)) != 0) {
			if (g < 0)
				return EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'h': show_usage(stdout); return EXIT_OK;
		case 'V': printf("cclink %s\n", CCLINK_VERSION_STRING); return EXIT_OK;
		default:
			/* An option we do not know here may belong to publish. */
			optind--;
			goto dispatch;
		}
	}
 dispatch:
	if (ctx.identity == NULL && (ctx.identity = getenv("CCLINK_IDENTITY")) != NULL &&
	    ctx.identity[0] == '\0')
		ctx.identity = NULL;
	argc -= optind;
	argv += optind;
	if (argc == 0 || argv[0][0] == '-')
		return run_publish(&ctx, argc, argv);  /* bare `cclink`, as in 1.3 */
	if (strcmp(argv[0], "help") == 0) {
		if (argc < 2) {
			show_usage(stdout);
			return EXIT_OK;
		}
		if (strcmp(argv[1], "config") == 0) {
			show_config_help(stdout);
			return EXIT_OK;
		}
		if (strcmp(argv[1], "help") == 0) {
			printf("Usage: cclink help [COMMAND | config]\n\n"
			    "Show the list of commands, the options of COMMAND, or (config) the\n"
			    "syntax of the configuration file.\n"
			    "The manual page, man cclink, has everything: configuration,\n"
			    "environment, files and exit status.\n");
			return EXIT_OK;
		}
		if ((idx = find_command(argv[1])) < 0) {
			cli_err("unknown command '%s'", argv[1]);
			show_usage(stderr);
			return EXIT_USAGE;
		}
		help_argv[0] = argv[1];
		help_argv[1] = "--help";
		help_argv[2] = NULL;
		optind = 0;
		return commands[idx].fn(&ctx, 2, help_argv);
	}
	/* The keeper publish --keep starts (not a user command). */
	if (strcmp(argv[0], KEEPER_COMMAND) == 0) {
		optind = 0;
		return cmd_keeper(&ctx, argc, argv);
	}
	if ((idx = find_command(argv[0])) >= 0) {
		optind = 0;
		return commands[idx].fn(&ctx, argc, argv);
	}
	/* `cclink <session-id-or-name>` publishes that session, as in 1.3. */
	if (strchr(argv[0], '/') == NULL && strlen(argv[0]) >= 8 &&
	    strspn(argv[0], "0123456789abcdefABCDEF-") == strlen(argv[0]))
		return run_publish(&ctx, argc, argv);
	cli_err("unknown command '%s'", argv[0]);
	show_usage(stderr);
	return EXIT_USAGE;
}
