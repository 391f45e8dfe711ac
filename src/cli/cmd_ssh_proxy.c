/* SPDX-License-Identifier: MIT */
/*
 * cmd_ssh_proxy.c — `cclink ssh-proxy [OPTIONS] HOST PORT`, for ssh_config's
 * `ProxyCommand cclink ssh-proxy %h %p`: publish the current session (a
 * failure is reported on stderr and the connection still goes ahead), then
 * relay stdin/stdout to HOST:PORT until the connection ends.
 *
 * stdout is ssh's transport: nothing but relayed bytes may go there, so
 * publish runs with its stdout captured and its stdin on /dev/null.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "cli_proc.h"
#include "proxy.h"

static const char usage_text[] =
    "cclink ssh-proxy [--no-publish] [--session ID] [--share KEY] [--ttl DUR] HOST PORT";

static void
usage(FILE *f)
{
	cli_usage_line(f, usage_text);
	fputs("\nAn ssh ProxyCommand: publish the current Claude Code session, then connect to\n"
	    "HOST:PORT and relay stdin/stdout until the connection ends. In ssh_config:\n"
	    "  ProxyCommand cclink ssh-proxy %h %p\n"
	    "A failed publish is reported on stderr; the connection goes ahead anyway.\n\n"
	    "Options:\n"
	    "  --no-publish   only relay\n"
	    "  --session ID   the session to publish (default: the current one)\n"
	    "  --share KEY    encrypt for another identity (pk:<z32>)\n"
	    "  --ttl DUR      lifetime of the record (default 24h)\n"
	    "  -h, --help     show this help\n", f);
}

/* Run `cclink publish --json -y ...`; one line on stderr either way. */
static void
publish(const struct ccl_ctx *ctx, const char *session, const char *share, const char *ttl)
{
	char *argv[16], *self, *out = NULL;
	const cJSON *sid;
	cJSON *j = NULL;
	size_t n = 0;
	int st, devnull;

	if ((self = cli_proc_self()) == NULL) {
		cli_warn("ssh-proxy: cannot find the cclink binary; not published");
		return;
	}
	argv[n++] = self;
	if (ctx->passphrase_file != NULL) {
		argv[n++] = "--passphrase-file";
		argv[n++] = (char *)ctx->passphrase_file;
	}
	if (ctx->identity != NULL) {
		argv[n++] = "--identity";
		argv[n++] = (char *)ctx->identity;
	}
	argv[n++] = "publish";
	argv[n++] = "--json";
	argv[n++] = "-y";
	if (share != NULL) {
		argv[n++] = "--share";
		argv[n++] = (char *)share;
	}
	if (ttl != NULL) {
		argv[n++] = "--ttl";
		argv[n++] = (char *)ttl;
	}
	if (session != NULL)
		argv[n++] = (char *)session;
	argv[n] = NULL;
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	st = cli_proc_run(argv, devnull, &out, 64 * 1024);
	if (devnull >= 0)
		close(devnull);
	if (st == 0 && out != NULL) {
		/* publish --json prints one JSON object on its last line. */
		size_t len = strlen(out);
		const char *p;

		while (len > 0 && out[len - 1] == '\n')
			out[--len] = '\0';
		p = strrchr(out, '\n');
		p = p == NULL ? out : p + 1;
		if ((j = cJSON_Parse(p)) != NULL &&
		    cJSON_IsString(sid = cJSON_GetObjectItemCaseSensitive(j, "session_id")))
			cli_info(ctx, "cclink: published session %s for pickup", sid->valuestring);
		else
			cli_info(ctx, "cclink: published the session for pickup");
	} else {
		cli_warn("ssh-proxy: publishing the session failed (status %d, reason above); "
		    "connecting anyway", st);
	}
	cJSON_Delete(j);
	free(out);
	free(self);
}

int
cmd_ssh_proxy(struct ccl_ctx *ctx, int argc, char **argv)
{
	const char *session = NULL, *share = NULL, *ttl = NULL, *host, *port;
	int k, no_publish = 0, sock = -1, r;

	for (k = 1; k < argc && argv[k][0] == '-' && argv[k][1] != '\0'; k++) {
		const char *a = argv[k];

		if (strcmp(a, "--") == 0) {
			k++;
			break;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return EXIT_OK;
		}
		if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0 || strcmp(a, "--quiet") == 0 ||
		    strcmp(a, "-q") == 0) {
			if (cli_global_opt(ctx, a[1] == '-' ? a[2] : a[1], NULL) < 0)
				return EXIT_USAGE;
			continue;
		}
		if ((strcmp(a, "--passphrase-file") == 0 || strcmp(a, "--identity") == 0 ||
		    strcmp(a, "-i") == 0) && k + 1 < argc) {
			if (cli_global_opt(ctx, a[2] == 'p' ? CLI_OPT_PASSPHRASE_FILE : 'i', argv[++k]) < 0)
				return EXIT_USAGE;
			continue;
		}
		if (strcmp(a, "--no-publish") == 0) {
			no_publish = 1;
			continue;
		}
		if ((strcmp(a, "--session") == 0 || strcmp(a, "--share") == 0 ||
		    strcmp(a, "--ttl") == 0) && k + 1 < argc) {
			*(a[3] == 'e' ? &session : a[3] == 'h' ? &share : &ttl) = argv[++k];
			continue;
		}
		cli_err("ssh-proxy: invalid option '%s'", a);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (argc - k != 2) {
		cli_err("ssh-proxy: expected HOST PORT (in ssh_config: ProxyCommand cclink ssh-proxy "
		    "%%h %%p)");
		return EXIT_USAGE;
	}
	host = argv[k];
	port = argv[k + 1];
	if (host[0] == '-' || host[0] == '\0' || port[0] == '\0' ||
	    strspn(port, "0123456789") != strlen(port)) {
		cli_err("ssh-proxy: invalid host or port '%s' '%s'", host, port);
		return EXIT_USAGE;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!no_publish)
		publish(ctx, session, share, ttl);
	if ((r = proxy_connect(host, port, &sock)) != 0) {
		cli_err("ssh-proxy: cannot connect to %s port %s: %s", host, port,
		    r == CCL_ERR_NOT_FOUND ? "no such host" : strerror(errno));
		return EXIT_FAIL;
	}
	r = proxy_pump(STDIN_FILENO, STDOUT_FILENO, sock);
	close(sock);
	if (r != 0 && errno != EPIPE && errno != ECONNRESET) {
		cli_err("ssh-proxy: relay to %s port %s failed: %s", host, port, strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
