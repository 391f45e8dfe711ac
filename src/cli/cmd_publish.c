/* SPDX-License-Identifier: MIT */
/*
 * cmd_publish.c — `cclink [publish] [SESSION]`: find the Claude Code session,
 * encrypt {host, project, session} (self, --share or --pin), sign, and
 * publish it as the `_cclink` record of this identity's PKARR packet.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_common.h"
#include "cli_keyrec.h"
#include "cli_net.h"
#include "config.h"
#include "fsutil.h"
#include "handoff.h"
#include "keyrec.h"
#include "keeper.h"
#include "pin.h"
#include "prompt.h"
#include "secret.h"
#include "session.h"
#include "sshkey.h"
#include "statedir.h"
#include "transport.h"
#include "z32.h"

static const char usage_text[] =
    "cclink [publish] [SESSION] [--ttl DUR] [--burn] [--pin | --pin-file FILE] [--share KEY] [--keep | --no-keep] [--qr] [--json] [-y]";

static void
usage(FILE *f)
{
	cli_usage_line(f, usage_text);
	fputs("\nPublish a Claude Code session so that `cclink pickup` on another machine can\n"
	    "resume it. SESSION is a session id or name; by default the current session is\n"
	    "found ($CLAUDE_CODE_SESSION_ID, the SessionStart hook, or the newest session\n"
	    "started in this directory).\n\n"
	    "Options:\n"
	    "  --ttl DUR         lifetime: seconds or 30m, 4h, 2d (default 24h)\n"
	    "  --burn            revoke the record after the first pickup\n"
	    "  --pin             protect with a PIN (asked twice; at least 8 characters)\n"
	    "  --pin-file FILE   read the PIN from FILE ('-' = stdin); implies --pin\n"
	    "  --share KEY       encrypt for another identity: pk:<z32> or <z32>, an\n"
	    "                    'ssh-ed25519 AAAA...' line or a .pub file, or an age1...\n"
	    "                    recipient; repeat it for several (while the record fits)\n"
	    "  --keep            keep it reachable until it expires: a background keeper\n"
	    "                    (no key) stores the signed packet again about hourly\n"
	    "  --no-keep         no keeper, even with 'keep = yes' in the config\n"
	    "  --qr              show the pickup command as a QR code\n"
	    "  --json            print the result as JSON\n"
	    "  -y, --yes         no questions: take the newest session when several match\n"
	    "  -h, --help        show this help\n", f);
}

struct pub_opts {
	const char *session;
	uint64_t ttl;
	int burn, pin, qr, json, yes;
	int keep;                   /* -1: config default, 0: --no-keep, 1: --keep */
	const char *pin_file;
	const char *share[HANDOFF_MAX_SHARE];
	size_t n_share;
};

static int
parse_args(struct ccl_ctx *ctx, int argc, char **argv, struct pub_opts *po)
{
	static const struct option opts[] = {
		{ "ttl", required_argument, NULL, 't' },
		{ "burn", no_argument, NULL, 'b' },
		{ "pin", no_argument, NULL, 'p' },
		{ "pin-file", required_argument, NULL, 'P' },
		{ "share", required_argument, NULL, 's' },
		{ "qr", no_argument, NULL, 'Q' },
		{ "json", no_argument, NULL, 'j' },
		{ "yes", no_argument, NULL, 'y' },
		CLI_GLOBAL_LONGOPTS,
		{ "keep", no_argument, NULL, 'k' },
		{ "no-keep", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned seen = 0;
	int c, g, bit;

	memset(po, 0, sizeof(*po));
	po->ttl = HANDOFF_DEFAULT_TTL;
	po->keep = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "yh" CLI_GLOBAL_SHORTOPTS, opts, NULL)) != -1) {
		if ((g = cli_global_opt(ctx, c, optarg)) != 0) {
			if (g < 0)
				return EXIT_USAGE;
			continue;
		}
		bit = c == 't' ? 0 : c == 'b' ? 1 : c == 'p' ? 2 : c == 'P' ? 3 : c == 's' ? 4 :
		    c == 'Q' ? 5 : c == 'j' ? 6 : c == 'y' ? 7 : c == 'k' ? 9 : c == 'K' ? 10 : 8;
		if (c != 'h' && c != '?' && c != 's' && (seen & (1u << bit))) {
			cli_err("publish: option %s given twice", argv[optind - 1 - (c == 't' ||
			    c == 'P')]);
			return EXIT_USAGE;
		}
		seen |= 1u << bit;
		switch (c) {
		case 't':
			if (config_parse_duration(optarg, &po->ttl) != 0 || po->ttl == 0 ||
			    po->ttl > 366ULL * 86400) {
				cli_err("publish: invalid --ttl '%s': use seconds or a duration like 30m, "
				    "4h, 2d (at most 366d)", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'b': po->burn = 1; break;
		case 'p': po->pin = 1; break;
		case 'P': po->pin_file = optarg; po->pin = 1; break;
		case 's':
			if (po->n_share == HANDOFF_MAX_SHARE) {
				cli_err("publish: at most %d --share recipients", HANDOFF_MAX_SHARE);
				return EXIT_USAGE;
			}
			po->share[po->n_share++] = optarg;
			break;
		case 'Q': po->qr = 1; break;
		case 'j': po->json = 1; break;
		case 'y': po->yes = 1; break;
		case 'k':
		case 'K':
			if (po->keep != -1) {
				cli_err("publish: --keep and --no-keep cannot be combined");
				return EXIT_USAGE;
			}
			po->keep = c == 'k';
			break;
		case 'h': usage(stdout); return -1;
		default:
			cli_err("publish: invalid option '%s'", argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		po->session = argv[optind++];
	if (optind < argc) {
		cli_err("publish: unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	/* The 1.3 rules: a shared record is neither PIN-protected nor burnt. */
	if (po->n_share > 0 && po->pin) {
		cli_err("publish: --share and --pin cannot be combined (the recipient's key already "
		    "protects a shared record)");
		return EXIT_USAGE;
	}
	if (po->n_share > 0 && po->burn) {
		cli_err("publish: --share and --burn cannot be combined (only the publisher can revoke "
		    "a record, and the recipient picks it up)");
		return EXIT_USAGE;
	}
	return 0;
}

/* A .pub file (or any file holding one "ssh-ed25519 AAAA…" line). */
static int
share_from_file(const char *arg, struct handoff_share *out)
{
	struct sshkey_info info;
	uint8_t *data = NULL;
	size_t len = 0;
	int r;

	if ((r = fs_read_file(arg, SSHKEY_PUBLINE_MAX, FS_READ_REGULAR, &data, &len)) != 0) {
		cli_err("publish: --share %s: cannot read the file: %s", arg,
		    r == CCL_ERR_TOO_LARGE ? "too large for a public key" : ccl_strerror(r));
		return EXIT_USAGE;
	}
	if (len > 0 && strstr((const char *)data, "PRIVATE KEY") != NULL)
		r = CCL_ERR_INVALID_ARG;
	else
		r = sshkey_parse_publine((const char *)data, len, out->pk, &info);
	ccl_freezero(data, len);
	if (r == CCL_ERR_INVALID_ARG) {
		cli_err("publish: --share %s is a private key: give the recipient's public key "
		    "(the .pub file)", arg);
		return EXIT_USAGE;
	}
	if (r != 0) {
		cli_err("publish: --share %s: %s", arg, r == CCL_ERR_UNSUPPORTED ? info.why :
		    "not an OpenSSH public key file (expected one 'ssh-ed25519 AAAA... comment' line)");
		return EXIT_USAGE;
	}
	out->kind = HANDOFF_SHARE_ED25519;
	return 0;
}

/* One --share argument: pk:<z32>/<z32>, an ssh-ed25519 line, a .pub path, age1…. */
static int
parse_share(const char *arg, struct handoff_share *out)
{
	struct sshkey_info info;
	struct age_recipient ar;
	int r;

	memset(out, 0, sizeof(*out));
	if (strncmp(arg, "age1", 4) == 0) {
		if (age_recipient_parse(&ar, arg) != 0) {
			cli_err("publish: --share '%s' is not a valid age recipient (age1..., as "
			    "age-keygen -y or 'cclink whoami' print it)", arg);
			return EXIT_USAGE;
		}
		out->kind = HANDOFF_SHARE_AGE;
		memcpy(out->pk, ar.pk, 32);
		return 0;
	}
	if (strchr(arg, ' ') != NULL || strchr(arg, '\t') != NULL) {
		if ((r = sshkey_parse_publine(arg, strlen(arg), out->pk, &info)) != 0) {
			cli_err("publish: --share '%s': %s", arg, r == CCL_ERR_UNSUPPORTED ? info.why :
			    "not an OpenSSH public key (expected 'ssh-ed25519 AAAA... [comment]')");
			return EXIT_USAGE;
		}
		out->kind = HANDOFF_SHARE_ED25519;
		return 0;
	}
	if (z32_parse_pubkey(out->pk, arg) == 0) {
		out->kind = HANDOFF_SHARE_ED25519;
		return 0;
	}
	if (strchr(arg, '/') != NULL || fs_exists(arg))
		return share_from_file(arg, out);
	cli_err("publish: --share '%s' is not a public key: expected pk:<z32> as printed by "
	    "'cclink whoami' on the recipient's machine, an 'ssh-ed25519 AAAA...' line or .pub "
	    "file, or an age1... recipient", arg);
	return EXIT_USAGE;
}

static int
parse_shares(const struct pub_opts *po, struct handoff_new *h)
{
	size_t i, j;
	int ret;

	for (i = 0; i < po->n_share; i++) {
		if ((ret = parse_share(po->share[i], &h->share[i])) != 0)
			return ret;
		for (j = 0; j < i; j++)
			if (h->share[j].kind == h->share[i].kind &&
			    memcmp(h->share[j].pk, h->share[i].pk, 32) == 0) {
				cli_err("publish: --share '%s' names a recipient given before",
				    po->share[i]);
				return EXIT_USAGE;
			}
	}
	h->n_share = po->n_share;
	return 0;
}

static const char *
via_text(enum session_via v)
{
	switch (v) {
	case SESSION_VIA_ARG_ID: return "given id";
	case SESSION_VIA_ARG_NAME: return "given name";
	case SESSION_VIA_ARG_UNKNOWN: return "given id, no local transcript";
	case SESSION_VIA_ENV: return "CLAUDE_CODE_SESSION_ID";
	case SESSION_VIA_HOOK_PID:
	case SESSION_VIA_HOOK_TMUX:
	case SESSION_VIA_HOOK_TTY: return "SessionStart hook";
	case SESSION_VIA_CWD: return "newest in this directory";
	case SESSION_VIA_CWD_PARENT: return "newest in a parent directory";
	default: return "?";
	}
}

/* Find the session; with several recent candidates, ask on a terminal. */
static int
find_session(const struct pub_opts *po, struct session_info *si)
{
	struct session_env env;
	struct session_list cands;
	const char **items = NULL;
	char **texts = NULL;
	size_t i, choice = 0, n = 0;
	int r, ret = EXIT_FAIL;

	memset(&cands, 0, sizeof(cands));
	memset(si, 0, sizeof(*si));
	if ((r = session_env_from_process(&env)) != 0) {
		cli_err("publish: cannot read the environment: %s", ccl_strerror(r));
		return EXIT_FAIL;
	}
	r = session_detect(&env, po->session, si, &cands);
	if (r == CCL_ERR_NOT_FOUND) {
		cli_err("no Claude Code session found for this directory. Start one with 'claude' "
		    "here, run cclink from inside the session, or name one: cclink publish SESSION-ID");
		ret = EXIT_NO_SESSION;
		goto out;
	}
	if (r == CCL_ERR_INVALID_ARG) {
		cli_err("publish: '%s' is not a usable session id or name (it must not start with '-' "
		    "or contain control characters)", po->session ? po->session : "");
		ret = EXIT_USAGE;
		goto out;
	}
	if (r != 0) {
		cli_err("publish: cannot find the session: %s", ccl_strerror(r));
		goto out;
	}
	n = cands.n_recent;
	if (po->session == NULL && n > 1 && !po->yes && !po->json && isatty(STDIN_FILENO) &&
	    prompt_have_tty()) {
		if ((items = calloc(n, sizeof(*items))) == NULL ||
		    (texts = calloc(n, sizeof(*texts))) == NULL)
			goto out;
		for (i = 0; i < n; i++) {
			const struct session_info *c = &cands.v[i];

			const char *label = c->title ? c->title : (c->preview ? c->preview : "");
			size_t tl = strlen(label) + strlen(c->project) + 16;

			if ((texts[i] = malloc(tl)) == NULL)
				goto out;
			snprintf(texts[i], tl, "%.8s  %s  %s", c->id, label, c->project);
			items[i] = texts[i];
		}
		if ((r = cli_pick("Several recent Claude Code sessions here:", items, n, &choice)) != 0) {
			cli_err("publish: aborted");
			ret = EXIT_ABORTED;
			goto out;
		}
		session_info_cleanup(si);
		if ((r = session_info_dup(&cands.v[choice], si)) != 0)
			goto out;
	} else if (po->session == NULL && n > 1) {
		cli_warn("%zu recent sessions in this directory; publishing the newest (%s). "
		    "Name one to choose: cclink publish SESSION-ID", n, si->id);
	}
	if ((si->flags & SESSION_F_NOT_LOCAL) && (si->flags & SESSION_F_CURRENT)) {
		fprintf(stderr, "Session %s is the current Claude Code session (its transcript is not "
		    "written yet); project: ", si->id);
		cli_put_sanitized(stderr, si->project);
		fputc('\n', stderr);
	} else if (si->flags & SESSION_F_NOT_LOCAL)
		cli_warn("no local transcript for session '%s'; publishing it as given with the "
		    "current directory as the project", si->id);
	ret = 0;
 out:
	if (ret != 0)
		session_info_cleanup(si);  /* the caller owns *si only on success */
	if (texts != NULL)
		for (i = 0; i < n; i++)
			free(texts[i]);
	free(texts);
	free(items);
	session_list_cleanup(&cands);
	session_env_cleanup(&env);
	return ret;
}

static int
read_pin(const struct pub_opts *po, char **pin, size_t *len)
{
	char msg[256];
	int r;

	*pin = NULL;
	if ((r = prompt_secret("PIN for this handoff: ", "Repeat the PIN: ", po->pin_file,
	    PROMPT_CONFIRM, pin, len)) != 0) {
		if (r == CCL_ERR_NO_TTY)
			cli_err("publish: --pin needs a terminal, CCLINK_ASKPASS, or --pin-file FILE");
		else if (r == CCL_ERR_CONFLICT)
			cli_err("publish: the PINs do not match");
		else
			cli_err("publish: cannot read the PIN: %s", ccl_strerror(r));
		return r == CCL_ERR_NO_TTY ? EXIT_USAGE : EXIT_FAIL;
	}
	if (pin_validate(*pin, *len, msg, sizeof(msg)) != 0) {
		cli_err("publish: %s", msg);
		secret_free(*pin);
		*pin = NULL;
		return EXIT_USAGE;
	}
	return 0;
}

/* What keeps the handoff reachable (a keeper or nothing). */
struct pub_keep {
	pid_t pid;                  /* 0: no keeper */
	const char *log;            /* its log file */
	uint64_t interval;          /* seconds */
};

static void
print_result(const struct pub_opts *po, const struct session_info *si, const char *own_z,
    const struct handoff_new *h, const struct transport_report *rep, const struct pub_keep *k)
{
	char when[40], dur[32], cmd[128], share_z[AGE_RECIPIENT_LEN + Z32_KEY_LEN + 8];
	struct age_recipient ar;
	size_t i;

	cli_fmt_time(when, sizeof(when), h->created_at + h->ttl);
	cli_fmt_duration(dur, sizeof(dur), h->ttl);
	snprintf(cmd, sizeof(cmd), "cclink pickup pk:%s", own_z);
	if (po->json) {
		printf("{\"session_id\":");
		cli_put_json_string(stdout, si->id);
		printf(",\"project\":");
		cli_put_json_string(stdout, si->project);
		printf(",\"hostname\":");
		cli_put_json_string(stdout, h->hostname);
		printf(",\"pubkey\":\"%s\",\"created_at\":%llu,\"ttl\":%llu,\"expires\":\"%s\","
		    "\"burn\":%s,\"mode\":\"%s\",\"pickup\":\"%s\",\"report\":", own_z,
		    (unsigned long long)h->created_at, (unsigned long long)h->ttl, when,
		    h->burn ? "true" : "false", h->mode == HANDOFF_PIN ? "pin" :
		    h->mode == HANDOFF_SHARE ? "share" : "self", cmd);
		cli_report_json(stdout, rep, 1);
		printf(",\"keeper\":");
		if (k->pid > 0) {
			printf("{\"pid\":%ld,\"interval\":%llu,\"log\":", (long)k->pid,
			    (unsigned long long)k->interval);
			cli_put_json_string(stdout, k->log);
			printf("}");
		} else {
			printf("null");
		}
		printf("}\n");
		return;
	}
	printf("Session: ");
	cli_put_sanitized(stdout, si->id);
	if (si->title != NULL) {
		printf(" (");
		cli_put_sanitized(stdout, si->title);
		printf(")");
	}
	printf("\nProject: ");
	cli_put_sanitized(stdout, si->project);
	printf("\nPublished: ");
	cli_report_summary(stdout, rep, 1);
	printf("Expires: in %s (%s)%s\n", dur, when, h->burn ? "; burn after reading" : "");
	if (k->pid > 0) {
		cli_fmt_duration(dur, sizeof(dur), k->interval);
		printf("Kept: a keeper (pid %ld, no key) stores it again about every %s until it "
		    "expires or is revoked; log: ", (long)k->pid, dur);
		cli_put_sanitized(stdout, k->log);
		printf("\n");
	} else if (h->ttl > 2 * 3600) {
		printf("Reachable: DHT nodes drop records after about 2 hours; publish with --keep "
		    "(or run 'cclink republish' hourly) to keep it reachable until it expires.\n");
	}
	for (i = 0; h->mode == HANDOFF_SHARE && i < h->n_share; i++) {
		/* From the parsed key: a bare z32 key may itself start with 'p'. */
		if (h->share[i].kind == HANDOFF_SHARE_AGE) {
			age_recipient_from_x25519(&ar, h->share[i].pk);
			if (age_recipient_encode(&ar, share_z, sizeof(share_z)) != 0)
				snprintf(share_z, sizeof(share_z), "?");
			printf("Shared with: %s", share_z);
		} else {
			z32_encode(share_z, h->share[i].pk, 32);
			printf("Shared with: pk:%s", share_z);
		}
		printf(h->n_share == 1 ? " — only that key can decrypt it.\n" : "\n");
	}
	if (h->mode == HANDOFF_SHARE && h->n_share > 1)
		printf("Only these %zu keys can decrypt it.\n", h->n_share);
	if (h->mode == HANDOFF_PIN)
		printf("PIN-protected: give the PIN to whoever picks it up.\n");
	printf("\nPick it up on the other machine with:\n  %s\n",
	    h->mode == HANDOFF_SHARE ? cmd : (h->mode == HANDOFF_PIN ? cmd : "cclink pickup"));
	if (h->mode == HANDOFF_SELF)
		printf("  (same identity there; from another identity: %s)\n", cmd);
}

int
cmd_publish(struct ccl_ctx *ctx, int argc, char **argv)
{
	struct pub_opts po;
	struct session_info si;
	struct identity id;
	struct ccl_config cfg;
	struct transport_report rrep, prep;
	struct transport_update u;
	struct handoff_new h;
	struct pub_keep k;
	struct pkarr_packet *pub = NULL;
	char host[256], own_z[Z32_KEY_LEN + 1], cmd[128], *logpath = NULL;
	uint8_t own_pk[32];
	char *pin = NULL, *value = NULL, msg[512];
	struct age_recipient share_extra[HANDOFF_MAX_SHARE];
	size_t pin_len = 0, value_len = 0, other = 0, ri;
	int r, ret, have_cfg = 0, have_si = 0, keep;

	memset(&id, 0, sizeof(id));
	memset(&k, 0, sizeof(k));
	memset(&h, 0, sizeof(h));
	if ((ret = parse_args(ctx, argc, argv, &po)) != 0)
		return ret < 0 ? EXIT_OK : ret;
	if ((ret = parse_shares(&po, &h)) != 0)
		return ret;
	if ((ret = cli_config_load(&cfg)) != 0)
		return ret;
	have_cfg = 1;
	if ((ret = find_session(&po, &si)) != 0)
		goto out;
	have_si = 1;
	if (!po.json)
		cli_info(ctx, "Session %s (%s)", si.id, si.via == SESSION_VIA_ARG_UNKNOWN &&
		    (si.flags & SESSION_F_CURRENT) ? "given id, the current session" : via_text(si.via));
	ret = EXIT_FAIL;
	if (po.pin && (ret = read_pin(&po, &pin, &pin_len)) != 0)
		goto out;
	if ((ret = cli_identity_load(ctx, &id, 1)) != 0)
		goto out;
	ret = EXIT_FAIL;
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	h.session_id = si.id;
	h.project = si.project;
	h.hostname = host;
	h.created_at = cli_now();
	h.ttl = po.ttl;
	h.burn = po.burn;
	h.mode = po.pin ? HANDOFF_PIN : po.n_share > 0 ? HANDOFF_SHARE : HANDOFF_SELF;
	h.pin = pin;
	h.pin_len = pin_len;
	/* The `_cclink-key` record shares the packet: a TXT RR whose name is 4 bytes longer. */
	other = id.key_advert != NULL ? record_dns_rr_len(strlen(id.key_advert)) + 4 : 0;
	if (h.mode == HANDOFF_SELF) {
		/* Every recipient that reaches this identity (an agent's derived key too). */
		h.rcpts = id.rcpts;
		h.n_rcpts = id.n_rcpts;
	} else if (h.mode == HANDOFF_SHARE) {
		/* A recipient may decrypt only with its agent: add the key it advertises. */
		for (ri = 0; ri < h.n_share; ri++)
			if (h.share[ri].kind == HANDOFF_SHARE_ED25519 &&
			    cli_keyrec_lookup(ctx, &cfg, h.share[ri].pk, &share_extra[h.n_rcpts]))
				h.n_rcpts++;
		h.rcpts = share_extra;
	}
	if ((r = handoff_build(&h, &id.signer, &value, &value_len)) != 0) {
		identity_sign_error_message(msg, sizeof(msg), r, &id);
		cli_err("publish: cannot build the record: %s", msg);
		goto out;
	}
	/*
	 * Too large with every recipient: keep the first (an agent identity's
	 * derived key, which this identity can decrypt) and drop the rest.
	 */
	if (!record_fits(value_len, other) && h.mode == HANDOFF_SELF && h.n_rcpts > 1) {
		free(value);
		value = NULL;
		h.n_rcpts = 1;
		if ((r = handoff_build(&h, &id.signer, &value, &value_len)) != 0) {
			identity_sign_error_message(msg, sizeof(msg), r, &id);
			cli_err("publish: cannot build the record: %s", msg);
			goto out;
		}
		if (record_fits(value_len, other))
			cli_warn("the record is encrypted to the agent-derived key only: with the "
			    "Ed25519 key as well it would not fit (a shorter project path fits both)");
	}
	/* Say why before publishing anything: the DNS packet has a hard budget. */
	if (!record_fits(value_len, other) && h.n_share + h.n_rcpts > 1 && h.mode == HANDOFF_SHARE) {
		cli_err("publish: with %zu --share recipients%s the record would be %zu bytes, but "
		    "at most %zu fit in a PKARR packet (each recipient adds about 130 bytes): share "
		    "with fewer recipients", h.n_share, h.n_rcpts > 0 ? " (and the keys they "
		    "advertise)" : "", value_len, record_max_value_len(other));
		goto out;
	}
	if (!record_fits(value_len, other)) {		cli_err("publish: the record would be %zu bytes, but at most %zu fit in a PKARR packet. "
		    "The project path (%zu bytes) is too long: publish from a shorter path or a "
		    "symlink to it.", value_len, record_max_value_len(other), strlen(si.project));
		goto out;
	}
	z32_encode(own_z, id.pk, 32);
	memcpy(own_pk, id.pk, 32);
	if ((pub = calloc(1, sizeof(*pub))) == NULL)
		goto out;
	memset(&u, 0, sizeof(u));
	u.name = HANDOFF_TXT_NAME;
	u.value = value;
	u.value_len = value_len;
	u.ttl = HANDOFF_DNS_TTL;
	/* An agent identity advertises its extra recipient in every packet it signs. */
	r = cli_update_txt(ctx, &cfg, "publishing", &id.signer, id.key_advert, &u, pub, &rrep, &prep);
	if (r == CCL_ERR_AGENT || r == CCL_ERR_SIG_INVALID) {
		identity_sign_error_message(msg, sizeof(msg), r, &id);
		cli_err("publish: cannot sign the packet: %s", msg);
		goto out;
	}
	if (r == CCL_ERR_TOO_LARGE) {
		cli_err("publish: the record (%zu bytes) does not fit next to the other records of "
		    "this key's PKARR packet (at most 996 bytes of DNS)", value_len);
		goto out;
	}
	if (r != 0) {
		cli_report_failure(r == CCL_ERR_NET && rrep.dht_used == 0 && rrep.n_relays == 0 ?
		    &rrep : (prep.elapsed_ms ? &prep : &rrep), r, "publish");
		goto out;
	}
	/* From here on no key (nor PIN): a keeper started below must not inherit one. */
	identity_cleanup(&id);
	if (pin != NULL) {
		secret_free(pin);
		pin = NULL;
	}
	keep = po.keep >= 0 ? po.keep : cfg.keep;
	if ((r = statedir_save_packet(pub, keep)) != 0) {
		cli_warn("cannot save a copy of the packet in the state directory (%s)%s",
		    ccl_strerror(r), keep ? ": no keeper started" : "");
		keep = 0;
	}
	if (keep && (r = statedir_path(STATEDIR_LOG, own_pk, &logpath)) == 0 &&
	    (r = keeper_spawn(own_pk, &k.pid)) == 0) {
		k.log = logpath;
		k.interval = cfg.keep_interval;
	} else if (keep) {
		cli_warn("could not start the keeper (%s): the handoff may become unreachable after "
		    "about 2 hours; see %s", ccl_strerror(r), logpath != NULL ? logpath : "its log");
		if (statedir_save_packet(pub, 0) != 0) {
			/* the copy stays marked as kept; list shows no keeper running */
		}
	} else if (keeper_stop(own_pk) != 0) {
		cli_warn("the keeper of an earlier handoff of this key did not stop");
	}
	print_result(&po, &si, own_z, &h, &prep, &k);
	if (po.qr) {
		/* With --json, stdout stays pure JSON: the QR code goes to stderr. */
		FILE *qf = po.json ? stderr : stdout;

		snprintf(cmd, sizeof(cmd), "cclink pickup pk:%s", own_z);
		fputc('\n', qf);
		if (cli_print_qr(qf, cmd) != 0)
			cli_warn("cannot render the QR code");
	}
	ret = EXIT_OK;
 out:
	if (pin != NULL)
		secret_free(pin);
	free(value);
	free(pub);
	free(logpath);
	identity_cleanup(&id);
	if (have_si)
		session_info_cleanup(&si);
	if (have_cfg)
		config_cleanup(&cfg);
	return ret;
}
