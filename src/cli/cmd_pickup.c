/* SPDX-License-Identifier: MIT */
/*
 * cmd_pickup.c — `cclink pickup [PUBKEY]`: resolve, verify both signatures,
 * check expiry, decrypt (self / share / PIN), confirm, check the transcript
 * is here, burn, then chdir into the project and exec `claude --resume`.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "cli_common.h"
#include "cli_expiry.h"
#include "cli_fetch.h"
#include "cli_keyrec.h"
#include "cli_net.h"
#include "fsutil.h"
#include "handoff.h"
#include "keeper.h"
#include "prompt.h"
#include "resume.h"
#include "secret.h"
#include "session.h"
#include "statedir.h"
#include "terminfo.h"
#include "textsafe.h"
#include "transport.h"
#include "z32.h"

#define MAX_MAPS 16

static const char usage_text[] =
    "cclink pickup [PUBKEY] [-y] [--json | --print] [--tmux] [--wait DUR [--after TIME]] [--qr]\n"
    "                     [--pin-file FILE] [--map OLD=NEW]...";

static void
usage(FILE *f)
{
	cli_usage_line(f, usage_text);
	fputs("\nResolve the handoff published under PUBKEY (default: this identity), verify\n"
	    "it, decrypt it, and resume the session here with `claude --resume` in the\n"
	    "session's project directory.\n\n"
	    "Options:\n"
	    "  -y, --yes         do not ask for confirmation\n"
	    "  --json            print the decrypted handoff as JSON; do not launch claude\n"
	    "  --print           print the decrypted handoff; do not launch claude\n"
	    "  --tmux            resume in tmux (session cclink-<id prefix>-<hash>)\n"
	    "  --wait DUR        poll until a handoff newer than the last one picked up here\n"
	    "                    (or than --after TIME, UNIX seconds) appears, for up to DUR\n"
	    "  --qr              show the session id as a QR code\n"
	    "  --pin-file FILE   read the PIN of a PIN-protected handoff from FILE ('-' = stdin)\n"
	    "  --map OLD=NEW     where the publisher's OLD path prefix lives here (repeatable)\n"
	    "  -h, --help        show this help\n\n"
	    "Without --tmux, --print or --json, standard input and output must be a terminal.\n\n"
	    "Exit status: 0 ok, 2 usage (or no terminal), 3 not found, 4 expired, 5 cannot decrypt, 6 bad signature,\n"
	    "7 aborted, 8 session data missing, 9 claude not found, 1 other failure.\n", f);
}

struct pick_opts {
	const char *pubkey;
	int yes, json, print, tmux, qr;
	uint64_t wait;
	int has_after;
	uint64_t after;
	const char *pin_file;
	const char *maps[MAX_MAPS];
	size_t n_maps;
};

static int
parse_args(struct ccl_ctx *ctx, int argc, char **argv, struct pick_opts *po)
{
	static const struct option opts[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "json", no_argument, NULL, 'j' },
		{ "print", no_argument, NULL, 'p' },
		{ "tmux", no_argument, NULL, 't' },
		{ "wait", required_argument, NULL, 'w' },
		{ "after", required_argument, NULL, 'a' },
		{ "qr", no_argument, NULL, 'Q' },
		{ "pin-file", required_argument, NULL, 'P' },
		{ "map", required_argument, NULL, 'm' },
		CLI_GLOBAL_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c, g;

	memset(po, 0, sizeof(*po));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "yh" CLI_GLOBAL_SHORTOPTS, opts, NULL)) != -1) {
		if ((g = cli_global_opt(ctx, c, optarg)) != 0) {
			if (g < 0)
				return EXIT_USAGE;
			continue;
		}
		switch (c) {
		case 'y': po->yes = 1; break;
		case 'j': po->json = 1; break;
		case 'p': po->print = 1; break;
		case 't': po->tmux = 1; break;
		case 'Q': po->qr = 1; break;
		case 'w':
			if (config_parse_duration(optarg, &po->wait) != 0 || po->wait == 0 ||
			    po->wait > 7ULL * 86400) {
				cli_err("pickup: invalid --wait '%s': use a duration like 30s, 10m, 1h", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'a':
			po->after = strtoull(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end != '\0') {
				cli_err("pickup: invalid --after '%s': UNIX seconds expected", optarg);
				return EXIT_USAGE;
			}
			po->has_after = 1;
			break;
		case 'P': po->pin_file = optarg; break;
		case 'm':
			if (po->n_maps >= MAX_MAPS || strchr(optarg, '=') == NULL || optarg[0] != '/') {
				cli_err("pickup: invalid --map '%s': use --map /old/prefix=/new/prefix", optarg);
				return EXIT_USAGE;
			}
			po->maps[po->n_maps++] = optarg;
			break;
		case 'h': usage(stdout); return -1;
		default:
			cli_err("pickup: invalid option '%s'", argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		po->pubkey = argv[optind++];
	if (optind < argc) {
		cli_err("pickup: unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (po->has_after && po->wait == 0) {
		cli_err("pickup: --after only makes sense with --wait");
		return EXIT_USAGE;
	}
	return 0;
}

/* ${XDG_STATE_HOME:-~/.local/state}/cclink/last-pickup-<z32>: created_at of the last pickup. */
static char *
state_path(const char *z)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *p;
	size_t n;

	if (xdg == NULL || xdg[0] != '/') {
		if (home == NULL || home[0] != '/')
			return NULL;
		n = strlen(home) + 80;
		if ((p = malloc(n)) != NULL)
			snprintf(p, n, "%s/.local/state/cclink/last-pickup-%s", home, z);
		return p;
	}
	n = strlen(xdg) + 80;
	if ((p = malloc(n)) != NULL)
		snprintf(p, n, "%s/cclink/last-pickup-%s", xdg, z);
	return p;
}

static uint64_t
state_read(const char *z)
{
	char *path = state_path(z);
	uint8_t *data = NULL;
	size_t len = 0;
	uint64_t v = 0;

	if (path != NULL && fs_read_file(path, 64, FS_READ_REGULAR, &data, &len) == 0)
		v = strtoull((const char *)data, NULL, 10);
	free(data);
	free(path);
	return v;
}

static void
state_write(const char *z, uint64_t created_at)
{
	char *path = state_path(z), *dir = NULL, buf[32];

	if (path == NULL)
		return;
	snprintf(buf, sizeof(buf), "%llu\n", (unsigned long long)created_at);
	if (fs_dirname(&dir, path) == 0 && fs_mkdir_p(dir, 0700) == 0 &&
	    fs_write_private(path, buf, strlen(buf)) == 0) {
		/* recorded */
	}
	free(dir);
	free(path);
}

/*
 * The record's strings (and paths derived from them) as they may be shown:
 * every one that reaches the terminal goes through textsafe.
 */
struct shown {
	char *s, *s8, *p, *h, *local;
};

static void
shown_free(struct shown *v)
{
	free(v->s);
	free(v->s8);
	free(v->p);
	free(v->h);
	free(v->local);
	memset(v, 0, sizeof(*v));
}

static int
shown_make(struct shown *v, const struct record_payload *pl, const char *local)
{
	size_t n;
	int r;

	memset(v, 0, sizeof(*v));
	if ((r = textsafe_dup(pl->s, &v->s)) != 0 || (r = textsafe_dup(pl->s, &v->s8)) != 0 ||
	    (r = textsafe_dup(pl->p, &v->p)) != 0 || (r = textsafe_dup(pl->h, &v->h)) != 0 ||
	    (r = textsafe_dup(local != NULL ? local : "", &v->local)) != 0) {
		shown_free(v);
		return r;
	}
	/* The id's first 8 bytes, not cutting a UTF-8 character. */
	for (n = strlen(v->s8) < 8 ? strlen(v->s8) : 8; n > 0 && (v->s8[n] & 0xc0) == 0x80; n--)
		;
	v->s8[n] = '\0';
	return 0;
}

/* Resolve, waiting (--wait) for a record newer than the baseline. */
static int
fetch(const struct ccl_ctx *ctx, const struct ccl_config *cfg, const struct pick_opts *po,
    const uint8_t pk[static 32], const char *z, struct cli_fetch *f, struct record *rec)
{
	uint64_t deadline, baseline, now;
	unsigned delay = 1;
	int ret;

	if (po->wait == 0) {
		if ((ret = cli_fetch_record(ctx, cfg, pk, 0, 3, 1, f, rec)) == EXIT_NOT_FOUND)
			cli_expiry_explain_missing(pk, f);
		return ret;
	}
	baseline = po->has_after ? po->after : state_read(z);
	deadline = cli_now() + po->wait;
	if (!ctx->quiet)
		cli_info(ctx, "Waiting up to %llus for a new handoff from pk:%s ...",
		    (unsigned long long)po->wait, z);
	for (;;) {
		/* Network failures are reported once, at the end (the offline policy). */
		ret = cli_fetch_record(ctx, cfg, pk, 1, 0,
		    CLI_FETCH_QUIET_NOTFOUND | CLI_FETCH_QUIET_NET, f, rec);
		if (ret == 0 && rec->created_at > baseline && !record_expired(rec, cli_now()))
			return 0;
		if (ret == 0)
			record_free(rec);
		else if (ret != EXIT_NOT_FOUND && ret != EXIT_FAIL)
			return ret;
		/* Nothing configured, or only definite refusals: waiting cannot help. */
		if (ret == EXIT_FAIL && f->rc != 0 && !transport_retry_worthwhile(&f->rep))
			break;
		now = cli_now();
		if (now >= deadline)
			break;
		sleep(now + delay > deadline ? (unsigned)(deadline - now) : delay);
		delay = delay * 2 > 5 ? 5 : delay * 2;
	}
	if (ret == EXIT_FAIL && f->rc != 0) {
		cli_report_failure(&f->rep, f->rc, "pickup --wait");
		return EXIT_FAIL;
	}
	cli_err("no new handoff from pk:%s within %llus", z, (unsigned long long)po->wait);
	return EXIT_NOT_FOUND;
}

/* Who may decrypt a record: its publisher (self) or one of its recipients. */
struct decrypt_match {
	enum handoff_mode mode;
	const uint8_t *publisher;
	const struct handoff_share *share;
	size_t n_share;
};

static int
match_record(const struct identity *cand, void *arg)
{
	const struct decrypt_match *m = arg;
	size_t i, j;

	if (m->mode == HANDOFF_SELF)
		return memcmp(m->publisher, cand->pk, 32) == 0;
	for (i = 0; i < m->n_share; i++) {
		if (m->share[i].kind == HANDOFF_SHARE_ED25519 &&
		    memcmp(m->share[i].pk, cand->pk, 32) == 0)
			return 1;
		for (j = 0; m->share[i].kind == HANDOFF_SHARE_AGE && j < cand->n_rcpts; j++)
			if (memcmp(m->share[i].pk, cand->rcpts[j].pk, 32) == 0)
				return 1;
	}
	return 0;
}

/* "pk:<z32>" or "age1…" of a recipient. */
static void
share_text(char *buf, size_t n, const struct handoff_share *sh)
{
	struct age_recipient ar;
	char z[Z32_KEY_LEN + 1];

	if (sh->kind == HANDOFF_SHARE_AGE) {
		age_recipient_from_x25519(&ar, sh->pk);
		if (age_recipient_encode(&ar, buf, n) != 0)
			snprintf(buf, n, "?");
	} else {
		z32_encode(z, sh->pk, 32);
		snprintf(buf, n, "pk:%s", z);
	}
}

/* Decrypt according to the record's mode, with messages for every refusal. */
static int
decrypt(const struct ccl_ctx *ctx, const struct pick_opts *po, const struct record *rec,
    const struct pkarr_packet *pkt, struct identity *id, int *have_id, struct record_payload *pl)
{
	const uint8_t *pk = pkt->pk;
	struct handoff_share share[HANDOFF_MAX_SHARE];
	struct decrypt_match m;
	char *pin = NULL, rz[AGE_RECIPIENT_LEN + 8], pz[Z32_KEY_LEN + 1], msg[512];
	char list[HANDOFF_MAX_SHARE * (AGE_RECIPIENT_LEN + 8)];
	const struct age_identity *ids = NULL;
	size_t pin_len = 0, i, n_ids = 0;
	int r, ret;

	z32_encode(pz, pk, 32);
	memset(&m, 0, sizeof(m));
	m.mode = handoff_mode_of(rec);
	m.publisher = pk;
	m.share = share;
	switch (m.mode) {
	case HANDOFF_PIN:
		if ((r = prompt_secret("PIN: ", NULL, po->pin_file, 0, &pin, &pin_len)) != 0) {
			cli_err("this handoff is PIN-protected: %s", r == CCL_ERR_NO_TTY ?
			    "enter the PIN on a terminal, or pass --pin-file FILE" : ccl_strerror(r));
			return r == CCL_ERR_NO_TTY ? EXIT_USAGE : EXIT_FAIL;
		}
		r = handoff_open_pin(rec, pin, pin_len, pl);
		secret_free(pin);
		if (r == CCL_ERR_NO_IDENTITY) {
			cli_err("wrong PIN: this handoff cannot be decrypted with it");
			return EXIT_DECRYPT;
		}
		break;
	case HANDOFF_SHARE:
		if ((r = handoff_recipients(rec, share, HANDOFF_MAX_SHARE, &m.n_share)) != 0) {
			cli_err("the handoff's recipient field is not a list of keys: refusing it");
			return EXIT_BAD_SIG;
		}
		/* FALLTHROUGH */
	default:
		/*
		 * Who can decrypt: a recipient of a shared record, else the publisher.
		 * Every local identity is tried (by public key) before giving up.
		 */
		if ((ret = cli_identity_find(ctx, match_record, &m, id)) > 0)
			return ret;
		*have_id = 1;
		if (ret < 0 && m.mode == HANDOFF_SHARE) {
			for (i = 0, list[0] = '\0'; i < m.n_share; i++) {
				share_text(rz, sizeof(rz), &share[i]);
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				    i ? ", " : "", rz);
			}
			cli_err("this handoff was shared with %s, not with this identity: only %s can "
			    "decrypt it", list, m.n_share == 1 ? "that key" : "those keys");
			return EXIT_DECRYPT;
		}
		if (ret < 0) {
			cli_err("this handoff is self-encrypted by pk:%s: only that identity can decrypt "
			    "it. To hand a session to another identity, publish with --share", pz);
			return EXIT_DECRYPT;
		}
		cli_keyrec_follow_epoch(ctx, pkt, id);
		/* The agent kind derives its decryption key now (one agent signature). */
		if ((r = identity_age_ids(id, &ids, &n_ids)) != 0) {
			identity_sign_error_message(msg, sizeof(msg), r, id);
			cli_err("cannot derive the decryption key: %s", msg);
			return EXIT_DECRYPT;
		}
		r = handoff_open(rec, ids, n_ids, pl);
		break;
	}
	if (r == CCL_ERR_NO_IDENTITY) {
		cli_err("this identity cannot decrypt the handoff (it was encrypted to another key)%s",
		    *have_id && id->kind == IDENTITY_AGENT ? ". If the ssh-agent identity's key was "
		    "rotated on another machine (cclink init --agent --epoch N), run the same "
		    "command here ('cclink whoami' shows this machine's epoch)" : "");
		return EXIT_DECRYPT;
	}
	if (r != 0) {
		cli_err("cannot decrypt the handoff: %s", ccl_strerror(r));
		return r == CCL_ERR_FORMAT ? EXIT_BAD_SIG : EXIT_DECRYPT;
	}
	return 0;
}

static void
print_handoff(const struct pick_opts *po, const struct record *rec, const struct record_payload *pl,
    const char *z, const char *local_dir)
{
	const char *mode = handoff_mode_of(rec) == HANDOFF_PIN ? "pin" :
	    handoff_mode_of(rec) == HANDOFF_SHARE ? "share" : "self";
	char when[40];

	cli_fmt_time(when, sizeof(when), record_expires_at(rec));
	if (po->json) {
		printf("{\"session_id\":");
		cli_put_json_string(stdout, pl->s);
		printf(",\"project\":");
		cli_put_json_string(stdout, pl->p);
		printf(",\"hostname\":");
		cli_put_json_string(stdout, pl->h);
		printf(",\"pubkey\":\"%s\",\"created_at\":%llu,\"ttl\":%llu,\"expires\":\"%s\","
		    "\"burn\":%s,\"mode\":\"%s\",\"local_project\":", z,
		    (unsigned long long)rec->created_at, (unsigned long long)rec->ttl, when,
		    rec->burn ? "true" : "false", mode);
		if (local_dir != NULL)
			cli_put_json_string(stdout, local_dir);
		else
			printf("null");
		printf("}\n");
		return;
	}
	printf("Session: ");
	cli_put_sanitized(stdout, pl->s);
	printf("\nProject: ");
	cli_put_sanitized(stdout, pl->p);
	if (local_dir != NULL && strcmp(local_dir, pl->p) != 0) {
		printf(" (here: ");
		cli_put_sanitized(stdout, local_dir);
		printf(")");
	}
	printf("\nHost: ");
	cli_put_sanitized(stdout, pl->h);
	printf("\nPublisher: pk:%s\nExpires: %s%s\nMode: %s\n", z, when,
	    rec->burn ? " (burn after reading)" : "", mode);
}

/*
 * A TERM without a terminfo entry here (ssh passes on the local one, e.g.
 * xterm-kitty): tmux would refuse to start and claude would draw badly.
 */
static void
term_fallback(void)
{
	struct terminfo_env te;
	const char *term = getenv("TERM");

	terminfo_env_from_process(&te);
	if (term == NULL || term[0] == '\0' || terminfo_exists(&te, term) ||
	    !terminfo_exists(&te, TERMINFO_FALLBACK))
		return;
	fputs("cclink: warning: this machine has no terminfo entry for TERM=", stderr);
	cli_put_sanitized(stderr, term);
	fprintf(stderr, "; using TERM=%s\n", TERMINFO_FALLBACK);
	setenv("TERM", TERMINFO_FALLBACK, 1);
}

/* Remove the record after a confirmed pickup (only the publisher can). */
static void
burn(const struct ccl_ctx *ctx, const struct ccl_config *cfg, struct identity *id,
    const uint8_t pk[static 32])
{
	struct transport_update u;
	struct transport_report rr, pr;
	struct pkarr_packet *pub = NULL;
	uint8_t own[32];
	char *kf = NULL, *spec = NULL;
	struct identity_opts io;
	int r, locked = 0;

	/* A PIN pickup has not loaded the identity yet: it may still be the publisher's. */
	if (id->signer.ops == NULL && cli_identity_opts(ctx, &io, &spec) == 0 &&
	    identity_load_public(own, &kf, &io) == 0 && memcmp(own, pk, 32) == 0) {
		identity_cleanup(id);
		if (cli_identity_load(ctx, id, 1) != 0) {
			memset(id, 0, sizeof(*id));
			locked = 1;
		}
	}
	free(kf);
	free(spec);
	if (locked) {
		cli_warn("could not burn the handoff: this identity's key could not be unlocked; "
		    "revoke it with 'cclink revoke'");
		return;
	}
	if (id->signer.ops == NULL || memcmp(id->pk, pk, 32) != 0) {
		cli_warn("this is a burn-after-reading handoff, but only its publisher's key can "
		    "revoke it; it stays published until it expires");
		return;
	}
	memset(&u, 0, sizeof(u));
	u.name = HANDOFF_TXT_NAME;
	u.ttl = HANDOFF_DNS_TTL;
	if ((pub = calloc(1, sizeof(*pub))) == NULL)
		r = CCL_ERR_NOMEM;
	else
		r = cli_update_txt(ctx, cfg, "burning", &id->signer, id->key_advert, &u, pub, &rr,
		    &pr);
	/* What republish may restore is now the burning packet, not the handoff. */
	if (r == 0 && statedir_save_packet(pub, 0) != 0)
		cli_warn("cannot update the packet copy in the state directory");
	free(pub);
	/* A keeper of the burnt handoff on this machine stops now (elsewhere: at its next round). */
	if (r == 0 && keeper_stop(pk) != 0)
		cli_warn("the keeper of the burnt handoff did not stop; see 'cclink list'");
	if (r == 0)
		cli_info(ctx, "Burnt: the handoff record was revoked.");
	else
		cli_warn("could not burn the handoff (%s); revoke it with 'cclink revoke'",
		    ccl_strerror(r));
}

/*
 * The transcript `claude --resume ID` will open: in the project folder of
 * the directory we resume in, else, for a session id, in any project folder
 * under the root, which is where the CLI (2.1.328) finds it too, from any
 * directory. A name is only looked up in the project, as the CLI does.
 */
static int
find_transcript(const struct ccl_ctx *ctx, const struct session_env *senv, const char *sid,
    const char *sid_shown, const char *local, char **transcript)
{
	char *safe = NULL;
	int r;

	*transcript = NULL;
	if ((r = session_transcript_find(senv, local, sid, transcript)) == 0)
		return 0;
	if (r == CCL_ERR_NOT_FOUND && session_id_is_uuid(sid) &&
	    session_find_id(senv, sid, transcript) == 0) {
		if (textsafe_dup(*transcript, &safe) == 0)
			cli_info(ctx, "The transcript is in another project's folder: %s (claude "
			    "--resume finds it there)", safe);
		free(safe);
		return 0;
	}
	if (textsafe_dup(senv->root, &safe) != 0)
		safe = NULL;
	cli_err("the session's transcript (%s.jsonl) is not on this machine under %s/projects. "
	    "Copy it over first (cclink ssh does this), then pick up again", sid_shown,
	    safe != NULL ? safe : "the Claude root");
	free(safe);
	return EXIT_NO_SESSION;
}

int
cmd_pickup(struct ccl_ctx *ctx, int argc, char **argv)
{
	struct pick_opts po;
	struct ccl_config cfg;
	struct cli_fetch *f = NULL;
	struct record rec;
	struct record_payload pl;
	struct identity id;
	struct session_env senv;
	struct resume_env renv;
	struct resume_plan plan;
	struct shown sh;
	enum session_remap_rule rule = SESSION_REMAP_NONE;
	const char *maps[2 * MAX_MAPS];
	char z[Z32_KEY_LEN + 1], age_s[32], q[512];
	char *local = NULL, *transcript = NULL, *safe = NULL, *cwd = NULL;
	uint8_t pk[32];
	size_t i, nmaps = 0, map_index = 0;
	int r, ret, have_cfg = 0, have_id = 0, have_senv = 0, have_plan = 0, yes;
	uint64_t now;

	memset(&rec, 0, sizeof(rec));
	memset(&pl, 0, sizeof(pl));
	memset(&id, 0, sizeof(id));
	memset(&plan, 0, sizeof(plan));
	memset(&sh, 0, sizeof(sh));
	if ((ret = parse_args(ctx, argc, argv, &po)) != 0)
		return ret < 0 ? EXIT_OK : ret;
	if (po.pubkey != NULL && (r = z32_parse_pubkey(pk, po.pubkey)) != 0) {
		cli_err("pickup: '%s' is not a public key: expected pk:<z32> as printed by "
		    "'cclink whoami' on the publishing machine", po.pubkey);
		return EXIT_USAGE;
	}
	if ((ret = cli_config_load(&cfg)) != 0)
		return ret;
	have_cfg = 1;
	if (po.pubkey == NULL) {
		if ((ret = cli_identity_load(ctx, &id, 0)) != 0)
			goto out;
		memcpy(pk, id.pk, 32);
		identity_cleanup(&id);
	}
	z32_encode(z, pk, 32);
	ret = EXIT_FAIL;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		goto out;
	if ((ret = fetch(ctx, &cfg, &po, pk, z, f, &rec)) != 0)
		goto out;
	now = cli_now();
	if (record_expired(&rec, now)) {
		cli_expiry_explain_expired(f, &rec);
		ret = EXIT_EXPIRED;
		goto out;
	}
	if ((ret = decrypt(ctx, &po, &rec, &f->pkt, &id, &have_id, &pl)) != 0)
		goto out;
	ret = EXIT_FAIL;
	if (!record_session_id_ok(pl.s)) {
		cli_err("the handoff's session id is not usable (it starts with '-' or holds control "
		    "characters): refusing it");
		ret = EXIT_BAD_SIG;
		goto out;
	}
	/* Where the project lives here: as published, the publisher's $HOME mapped, or a rule. */
	for (i = 0; i < po.n_maps; i++)
		maps[nmaps++] = po.maps[i];
	for (i = 0; i < cfg.n_maps && nmaps < 2 * MAX_MAPS; i++)
		maps[nmaps++] = cfg.maps[i];
	r = session_remap(pl.p, getenv("HOME"), maps, nmaps, &local, &rule, &map_index);
	if (po.json || po.print) {
		print_handoff(&po, &rec, &pl, z, r == 0 ? local : NULL);
		/* Printing delivers the handoff: a burn record is burnt once it is written. */
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cli_err("pickup: cannot write the handoff to standard output: %s%s",
			    strerror(errno), rec.burn ? " (it was not burnt)" : "");
			ret = EXIT_FAIL;
			goto out;
		}
		if (rec.burn)
			burn(ctx, &cfg, &id, pk);
		/* After the output, with no key in memory: store it back where it was missing
		 * (never a burnt record). */
		identity_cleanup(&id);
		if (!rec.burn)
			cli_expiry_refresh(ctx, &cfg, f);
		ret = EXIT_OK;
		goto out;
	}
	if ((r = shown_make(&sh, &pl, r == 0 ? local : NULL)) != 0 ||
	    (rule == SESSION_REMAP_MAP && (r = textsafe_dup(maps[map_index], &safe)) != 0)) {
		cli_err("pickup: %s", ccl_strerror(r));
		goto out;
	}
	if (local == NULL) {
		cli_err("the project directory '%s' does not exist on this machine. Check it out "
		    "there, or say where it lives: cclink pickup --map %s=/local/path (or a "
		    "'map = OLD=NEW' line in the config file)", sh.p, sh.p);
		ret = EXIT_NO_SESSION;
		goto out;
	}
	if (rule == SESSION_REMAP_HOME)
		cli_info(ctx, "Project %s is %s here (publisher's home mapped to $HOME)", sh.p,
		    sh.local);
	else if (rule == SESSION_REMAP_MAP)
		cli_info(ctx, "Project %s is %s here (map %s)", sh.p, sh.local, safe);
	if ((r = session_env_from_process(&senv)) != 0) {
		cli_err("pickup: cannot read the environment: %s", ccl_strerror(r));
		goto out;
	}
	have_senv = 1;
	if ((ret = find_transcript(ctx, &senv, pl.s, sh.s, local, &transcript)) != 0)
		goto out;
	/* The transcript must have been recorded in this project's directory (folder names are lossy). */
	if ((r = session_transcript_cwd_check(transcript, pl.p, local, &cwd)) != 0) {
		char *tp = NULL;

		free(safe);
		safe = NULL;
		if (textsafe_dup(transcript, &tp) != 0 ||
		    (cwd != NULL && textsafe_dup(cwd, &safe) != 0))
			cli_err("pickup: out of memory");
		else if (r == CCL_ERR_CONFLICT)
			cli_err("the transcript %s of session %s was recorded in '%s', not in '%s': it "
			    "is another project's (Claude Code can give two directories one folder). "
			    "Copy this session's transcript over (cclink ssh does this), then pick up "
			    "again", tp, sh.s, safe, sh.local);
		else if (r == CCL_ERR_FORMAT)
			cli_err("the transcript %s of session %s records no working directory, so it "
			    "cannot be tied to '%s'. Copy this session's transcript over (cclink ssh "
			    "does this), then pick up again", tp, sh.s, sh.local);
		else
			cli_err("pickup: cannot read the transcript %s: %s", tp, ccl_strerror(r));
		free(tp);
		ret = EXIT_NO_SESSION;
		goto out;
	}
	resume_env_from_process(&renv);
	renv.umask = ctx->umask_orig;
	if ((r = resume_plan_build(&renv, pl.s, local, po.tmux, &plan)) != 0) {
		if (r == CCL_ERR_NOT_FOUND)
			cli_err("'claude' was not found on PATH. Install Claude Code, then run "
			    "'cclink pickup' again");
		else
			cli_err("pickup: cannot prepare the resume: %s", ccl_strerror(r));
		ret = r == CCL_ERR_NOT_FOUND ? EXIT_NO_CLAUDE : EXIT_FAIL;
		goto out;
	}
	have_plan = 1;
	/* Without a terminal claude switches to print mode and fails: say so, burn nothing. */
	if (!po.tmux && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		cli_err("pickup: claude needs a terminal, but %s is not one; nothing was changed. Run "
		    "'cclink pickup' on a terminal, add --tmux to resume in a tmux session, or use "
		    "--print or --json to get the session in a script", !isatty(STDIN_FILENO) ?
		    "standard input" : "standard output");
		ret = EXIT_USAGE;
		goto out;
	}
	if (!po.yes && isatty(STDIN_FILENO) && prompt_have_tty()) {
		cli_fmt_duration(age_s, sizeof(age_s), now > rec.created_at ? now - rec.created_at : 0);
		snprintf(q, sizeof(q), "Resume session %s (%s) from %s, published %s ago?%s", sh.s8,
		    sh.local, sh.h, age_s, rec.burn ? " It will be burnt." : "");
		if ((r = prompt_yesno(q, &yes)) != 0 || !yes) {
			cli_err("aborted; nothing was changed");
			ret = EXIT_ABORTED;
			goto out;
		}
	}
	if (rec.burn)
		burn(ctx, &cfg, &id, pk);
	if (po.qr && cli_print_qr(stdout, pl.s) != 0)
		cli_warn("cannot render the QR code");
	state_write(z, rec.created_at);
	/* A burnt record is gone; any other is stored back where it was missing. */
	identity_cleanup(&id);
	if (!rec.burn)
		cli_expiry_refresh(ctx, &cfg, f);
	if (plan.tmux_missing)
		cli_warn("tmux is not installed; resuming in the foreground (claude ends when this "
		    "terminal or connection does; install tmux to keep it running)");
	term_fallback();
	cli_info(ctx, "Resuming session %s in %s ...", sh.s8, sh.local);
	fflush(stdout);
	fflush(stderr);
	/* Give claude the user's own core limit back. */
	{
		struct rlimit rl;

		if (getrlimit(RLIMIT_CORE, &rl) == 0) {
			rl.rlim_cur = (rlim_t)ctx->core_soft_orig;
			setrlimit(RLIMIT_CORE, &rl);
		}
	}
	r = resume_exec(&plan);
	if (r == CCL_ERR_CONFLICT)
		cli_err("a tmux session named %s already exists and was not started for this "
		    "session and directory; not attaching to it. Close it (tmux kill-session -t "
		    "'=%s') or pick up without --tmux", plan.name, plan.name);
	else
		cli_err("cannot start claude: %s", ccl_strerror(r));
	ret = EXIT_FAIL;
 out:
	if (have_plan)
		resume_plan_cleanup(&plan);
	if (have_senv)
		session_env_cleanup(&senv);
	shown_free(&sh);
	free(safe);
	free(local);
	free(transcript);
	free(cwd);
	record_payload_free(&pl);
	record_free(&rec);
	identity_cleanup(&id);
	free(f);
	if (have_cfg)
		config_cleanup(&cfg);
	return ret;
}
