/* SPDX-License-Identifier: MIT */
/*
 * cmd_ssh.c — `cclink ssh [OPTIONS] [SSH-OPTIONS] DESTINATION`: one
 * ControlMaster connection through the system ssh (the user's ssh_config,
 * agent, ProxyJump and known_hosts all apply; one authentication); check the
 * far side (`cclink receive --check`); publish the current session; stream
 * its bundle to `cclink receive` there; then `ssh -t ... cclink pickup --tmux
 * --wait ... --after T` so the far side resumes exactly the record just
 * published. The master is always closed (`ssh -O exit`), also on errors
 * and on SIGINT/SIGTERM/SIGHUP.
 *
 * Every remote argument is single-quoted (cli_proc_quote): no text from the
 * user, a record or the far side reaches the remote shell unquoted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>

#include "bundle_io.h"
#include "cli.h"
#include "cli_common.h"
#include "cli_proc.h"
#include "config.h"
#include "fsutil.h"
#include "identity.h"
#include "session.h"
#include "z32.h"

#define SSH_MAX_ARGS 64
#define SSH_MAX_MAPS 16
#define SSH_CHECK_MAX (64 * 1024)
#define SSH_PUBLISH_MAX (64 * 1024)

static const char usage_text[] =
    "cclink ssh [--no-sync] [--force] [--session ID] [--share KEY] [--ttl DUR] [--wait DUR]\n"
    "                  [--map OLD=NEW]... [--remote-cclink PATH] [SSH-OPTIONS] DESTINATION";

static void
usage(FILE *f)
{
	cli_usage_line(f, usage_text);
	fputs("\nHand the current Claude Code session to DESTINATION over SSH and resume it\n"
	    "there in tmux, with one command: one ssh connection (your ssh_config applies,\n"
	    "you authenticate once), publish, copy the transcript and its folder to\n"
	    "`cclink receive` there, then `cclink pickup --tmux` there. Running it again\n"
	    "reattaches to the same tmux session.\n\n"
	    "Options:\n"
	    "  --no-sync           do not copy the transcript (the far side already has it)\n"
	    "  --force             replace a transcript there that has diverged from this one\n"
	    "  --session ID        the session to hand over (default: the current one)\n"
	    "  --share KEY         encrypt for the far side's own identity (pk:<z32>)\n"
	    "  --ttl DUR           lifetime of the published record (default 24h)\n"
	    "  --wait DUR          how long the far side waits for the record (default 2m)\n"
	    "  --map OLD=NEW       where OLD (a path prefix here) lives there (repeatable)\n"
	    "  --remote-cclink P   the cclink command on the far side (default: cclink)\n"
	    "  -h, --help          show this help\n\n"
	    "SSH-OPTIONS are passed to ssh (e.g. -p PORT, -i KEY, -J JUMP, -o OPT=V, -F FILE);\n"
	    "-M -S -O -f -N -W -G -s -T -t are managed by cclink and refused.\n", f);
}

struct ssh_opts {
	int no_sync, force;
	const char *session, *share, *ttl, *wait, *remote;
	const char *maps[SSH_MAX_MAPS];
	size_t n_maps;
	char *ssh_args[SSH_MAX_ARGS];  /* the user's ssh options (borrowed) */
	size_t n_ssh;
	const char *dest;
};

/* ssh(1) options that take an argument (OpenSSH 9.x getopt string). */
static const char ssh_with_arg[] = "BbcDEeFIiJLlmOoPpQRSWw";
static const char ssh_refused[] = "MSOfNWGsTtVQ";

static int
parse_args(struct ccl_ctx *ctx, int argc, char **argv, struct ssh_opts *o)
{
	static const struct { const char *name; int has_arg; } longs[] = {
		{ "no-sync", 0 }, { "force", 0 }, { "session", 1 }, { "share", 1 }, { "ttl", 1 },
		{ "wait", 1 }, { "map", 1 }, { "remote-cclink", 1 }, { "help", 0 },
	};
	const char *a, *val;
	size_t i, j, len;
	int k;

	memset(o, 0, sizeof(*o));
	o->wait = "2m";
	o->remote = "cclink";
	for (k = 1; k < argc; k++) {
		a = argv[k];
		/* Global options in their long form; -v, -q and -i here are ssh's. */
		if (strcmp(a, "--verbose") == 0 || strcmp(a, "--quiet") == 0) {
			if (cli_global_opt(ctx, a[2], NULL) < 0)
				return EXIT_USAGE;
			continue;
		}
		if ((strcmp(a, "--passphrase-file") == 0 || strcmp(a, "--identity") == 0) && k + 1 < argc) {
			if (cli_global_opt(ctx, a[2] == 'p' ? CLI_OPT_PASSPHRASE_FILE : 'i', argv[++k]) < 0)
				return EXIT_USAGE;
			continue;
		}
		if (strncmp(a, "--", 2) == 0 && a[2] != '\0') {
			for (i = 0; i < sizeof(longs) / sizeof(longs[0]); i++) {
				len = strlen(longs[i].name);
				if (strncmp(a + 2, longs[i].name, len) == 0 &&
				    (a[2 + len] == '\0' || (a[2 + len] == '=' && longs[i].has_arg)))
					break;
			}
			if (i == sizeof(longs) / sizeof(longs[0])) {
				cli_err("ssh: unknown option '%s'", a);
				usage(stderr);
				return EXIT_USAGE;
			}
			val = NULL;
			if (longs[i].has_arg) {
				if (a[2 + len] == '=')
					val = a + 3 + len;
				else if (k + 1 < argc)
					val = argv[++k];
				else {
					cli_err("ssh: option '%s' needs a value", a);
					return EXIT_USAGE;
				}
			}
			switch (i) {
			case 0: o->no_sync = 1; break;
			case 1: o->force = 1; break;
			case 2: o->session = val; break;
			case 3: o->share = val; break;
			case 4: o->ttl = val; break;
			case 5: o->wait = val; break;
			case 6:
				if (o->n_maps >= SSH_MAX_MAPS || val[0] != '/' || strchr(val, '=') == NULL) {
					cli_err("ssh: invalid --map '%s': use --map /old/prefix=/new/prefix", val);
					return EXIT_USAGE;
				}
				o->maps[o->n_maps++] = val;
				break;
			case 7: o->remote = val; break;
			default: usage(stdout); return -1;
			}
			continue;
		}
		if (strcmp(a, "--") == 0) {
			k++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		/* An ssh option cluster such as -4vp 2222 or -oBatchMode=yes. */
		for (j = 1; a[j] != '\0'; j++) {
			if (strchr(ssh_refused, a[j]) != NULL) {
				cli_err("ssh: ssh option -%c is managed by cclink ssh and cannot be given", a[j]);
				return EXIT_USAGE;
			}
			if (strchr(ssh_with_arg, a[j]) != NULL) {
				if (a[j + 1] == '\0' && k + 1 >= argc) {
					cli_err("ssh: ssh option -%c needs a value", a[j]);
					return EXIT_USAGE;
				}
				break;
			}
		}
		if (o->n_ssh + 2 >= SSH_MAX_ARGS) {
			cli_err("ssh: too many ssh options");
			return EXIT_USAGE;
		}
		o->ssh_args[o->n_ssh++] = argv[k];
		if (a[j] != '\0' && a[j + 1] == '\0')
			o->ssh_args[o->n_ssh++] = argv[++k];
	}
	if (k >= argc) {
		cli_err("ssh: no destination: cclink ssh [OPTIONS] [SSH-OPTIONS] [user@]host");
		usage(stderr);
		return EXIT_USAGE;
	}
	o->dest = argv[k++];
	if (o->dest[0] == '-') {
		cli_err("ssh: invalid destination '%s'", o->dest);
		return EXIT_USAGE;
	}
	if (k < argc) {
		cli_err("ssh: unexpected argument '%s' after the destination: cclink ssh runs its own "
		    "remote commands", argv[k]);
		return EXIT_USAGE;
	}
	{
		uint64_t w;

		if (config_parse_duration(o->wait, &w) != 0 || w == 0 || w > 7ULL * 86400) {
			cli_err("ssh: invalid --wait '%s': use a duration like 30s, 2m, 1h", o->wait);
			return EXIT_USAGE;
		}
	}
	if (o->no_sync && o->force) {
		cli_err("ssh: --force only applies when the transcript is copied (drop --no-sync)");
		return EXIT_USAGE;
	}
	return 0;
}

/* One run: the control socket and what the steps learn. */
struct ssh_run {
	const struct ccl_ctx *ctx;
	const struct ssh_opts *o;
	char ctl_dir[64];
	char *ctl;                   /* ctl_dir/m: the ControlPath */
	int master;                  /* 1 once the master is up */
	int no_fork;                 /* ssh_config says ForkAfterAuthentication yes: override it */
	pid_t master_pid;            /* the master ssh (our child), 0 once reaped */
	char *self;                  /* this binary */
};

/*
 * ssh [-S ctl -o ControlMaster=no | master options] [extra...] USER-OPTIONS DEST [remote]
 * into argv (borrowed strings; argv has SSH_MAX_ARGS + 16 slots).
 */
static void
ssh_argv(const struct ssh_run *s, char **argv, const char *const *extra, const char *remote)
{
	size_t n = 0, i;

	argv[n++] = "ssh";
	argv[n++] = "-S";
	argv[n++] = s->ctl;
	if (s->no_fork) {
		argv[n++] = "-o";
		argv[n++] = "ForkAfterAuthentication=no";
	}
	for (i = 0; extra != NULL && extra[i] != NULL; i++)
		argv[n++] = (char *)extra[i];
	for (i = 0; i < s->o->n_ssh; i++)
		argv[n++] = s->o->ssh_args[i];
	argv[n++] = (char *)s->o->dest;
	if (remote != NULL)
		argv[n++] = (char *)remote;
	argv[n] = NULL;
}

/* A quoted remote command line: the remote cclink, then words up to NULL. */
static char *
remote_cmd(const struct ssh_run *s, const char *const *words)
{
	char *cmd = NULL;
	size_t i;

	if (cli_proc_quote(&cmd, s->o->remote) != 0)
		goto fail;
	for (i = 0; words[i] != NULL; i++)
		if (cli_proc_quote(&cmd, words[i]) != 0)
			goto fail;
	return cmd;
 fail:
	free(cmd);
	return NULL;
}

/* Wait up to 2 s for the master to end (after -O exit or a signal), then SIGTERM it. */
static void
reap_master(struct ssh_run *s)
{
	const struct timespec tick = { 0, 20 * 1000 * 1000 };
	int i;

	if (s->master_pid <= 0)
		return;
	for (i = 0; i < 100; i++) {
		if (waitpid(s->master_pid, NULL, WNOHANG) != 0)
			goto out;
		nanosleep(&tick, NULL);
	}
	kill(s->master_pid, SIGTERM);
	while (waitpid(s->master_pid, NULL, 0) < 0 && errno == EINTR)
		;
 out:
	s->master_pid = 0;
}

static void
close_master(struct ssh_run *s)
{
	static const char *const ex[] = { "-O", "exit", NULL };
	char *argv[SSH_MAX_ARGS + 16];
	int devnull;

	if (s->master) {
		ssh_argv(s, argv, ex, NULL);
		/* -O exit prints "Exit request sent." on stderr: keep the terminal clean. */
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
		{
			pid_t pid = fork();

			if (pid == 0) {
				if (devnull >= 0) {
					dup2(devnull, STDOUT_FILENO);
					dup2(devnull, STDERR_FILENO);
				}
				execvp(argv[0], argv);
				_exit(127);
			}
			if (pid > 0)
				while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
					;
		}
		if (devnull >= 0)
			close(devnull);
		s->master = 0;
	}
	reap_master(s);
	if (s->ctl != NULL) {
		unlink(s->ctl);
		free(s->ctl);
		s->ctl = NULL;
	}
	if (s->ctl_dir[0] != '\0') {
		rmdir(s->ctl_dir);
		s->ctl_dir[0] = '\0';
	}
}

/*
 * Does the user's ssh_config fork ssh into the background after
 * authentication (ForkAfterAuthentication yes, OpenSSH 8.7+)? Then the master
 * would leave us, and `ssh -O exit` would refuse to run ("cannot fork into
 * background without a command"), so every ssh we run overrides it. Asked
 * with `ssh -G` (no connection); the option is only named to an ssh that
 * printed it, so older clients never see an option they do not know.
 */
static int
config_forks(const struct ssh_run *s)
{
	static const char *const g[] = { "-G", NULL };
	char *argv[SSH_MAX_ARGS + 16], *out = NULL;
	int yes;

	/* A command ("true", never run: -G only prints the configuration), because with
	 * ForkAfterAuthentication yes ssh refuses to go on without one. */
	ssh_argv(s, argv, g, "true");
	/* One "key value" per line, keys in lower case; the first line is "host ...". */
	yes = cli_proc_run(argv, -1, &out, SSH_CHECK_MAX) == 0 && out != NULL &&
	    strstr(out, "\nforkafterauthentication yes\n") != NULL;
	free(out);
	return yes;
}

/*
 * ssh -M -N as our child, tied to us (it gets SIGTERM if we die, even by
 * SIGKILL, so no authenticated connection outlives cclink); returns once it
 * has authenticated and its control socket exists. Not -f: a daemonised
 * master would survive a cclink that cannot clean up. Prompts (passphrase,
 * host key) still reach the terminal: ssh asks on /dev/tty, and -n only
 * takes its stdin.
 */
static int
open_master(struct ssh_run *s)
{
	static const char *const ma[] = { "-M", "-N", "-n", "-o", "ControlPersist=no", NULL };
	const struct timespec tick = { 0, 20 * 1000 * 1000 };
	char *argv[SSH_MAX_ARGS + 16];
	const char *tmp = getenv("TMPDIR");
	struct stat sb;
	pid_t pid;
	int st = -1, wst;

	/* A private directory for the socket: short (sun_path is 108 bytes) and 0700. */
	snprintf(s->ctl_dir, sizeof(s->ctl_dir), "%s/cclink-ssh.XXXXXX",
	    tmp != NULL && tmp[0] == '/' && strlen(tmp) < 30 ? tmp : "/tmp");
	if (mkdtemp(s->ctl_dir) == NULL) {
		cli_err("ssh: cannot create a private directory for the ssh control socket in %s: %s",
		    s->ctl_dir, strerror(errno));
		s->ctl_dir[0] = '\0';
		return EXIT_FAIL;
	}
	if (fs_path_join(&s->ctl, s->ctl_dir, "m") != 0)
		return EXIT_FAIL;
	s->no_fork = config_forks(s);
	ssh_argv(s, argv, ma, NULL);
	if ((pid = cli_proc_spawn_tied(argv, -1, -1)) < 0) {
		cli_err("ssh: cannot start ssh: %s", strerror(errno));
		return EXIT_FAIL;
	}
	s->master_pid = pid;
	cli_proc_watch(pid);  /* a stop request now goes to it */
	for (;;) {
		if ((pid = waitpid(s->master_pid, &wst, WNOHANG)) == s->master_pid) {
			s->master_pid = 0;
			st = WIFEXITED(wst) ? WEXITSTATUS(wst) : 128 + WTERMSIG(wst);
			/*
			 * Status 0 with the socket there: the user's ssh_config forked the
			 * master into the background (ForkAfterAuthentication yes). It is up,
			 * though no longer tied to us; -O exit still closes it.
			 */
			if (st == 0 && lstat(s->ctl, &sb) == 0 && S_ISSOCK(sb.st_mode))
				s->master = 1;
			else if (st == 0)
				st = 255;  /* ended without a control socket: not connected */
			break;
		}
		if (pid < 0 && errno != EINTR)
			break;
		if (lstat(s->ctl, &sb) == 0 && S_ISSOCK(sb.st_mode)) {
			s->master = 1;  /* up, even if a signal came meanwhile: close_master stops it */
			st = 0;
			break;
		}
		if (cli_proc_signalled())
			break;
		nanosleep(&tick, NULL);
	}
	cli_proc_watch(0);
	if (cli_proc_signalled())
		return 128 + cli_proc_signalled();
	if (st == 127) {
		cli_err("ssh: the 'ssh' command was not found: install the OpenSSH client");
		return EXIT_FAIL;
	}
	if (st != 0) {
		cli_err("ssh: could not connect to %s (ssh exited with status %d; its message is "
		    "above)", s->o->dest, st);
		return EXIT_FAIL;
	}
	return 0;
}

static const char *
json_str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The last line of out as a JSON object, or NULL. */
static cJSON *
last_json(const char *out)
{
	const char *p = out, *nl;
	size_t n = strlen(out);

	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		n--;
	for (nl = out; (nl = memchr(nl, '\n', (size_t)(out + n - nl))) != NULL; nl++)
		p = nl + 1;
	return cJSON_ParseWithLength(p, (size_t)(out + n - p));
}

/*
 * `cclink receive --check` there: is cclink there, does its identity match
 * the one the record will be encrypted to, are claude and tmux there.
 */
static int
remote_check(struct ssh_run *s, const char *own_pk)
{
	static const char *const words[] = { "receive", "--check", NULL };
	static const char *const ex[] = { "-o", "ControlMaster=no", "-T", NULL };
	char *argv[SSH_MAX_ARGS + 16], *cmd = NULL, *out = NULL;
	const char *pk, *want, *err;
	uint8_t far[32], mine[32];
	cJSON *j = NULL;
	int st, ret = EXIT_FAIL;

	if ((cmd = remote_cmd(s, words)) == NULL)
		goto out;
	ssh_argv(s, argv, ex, cmd);
	st = cli_proc_run(argv, -1, &out, SSH_CHECK_MAX);
	if (cli_proc_signalled()) {
		ret = 128 + cli_proc_signalled();
		goto out;
	}
	if (st == 127) {
		cli_err("ssh: '%s' was not found on %s (on the PATH of a non-interactive ssh "
		    "command). Install cclink there, or point at it: cclink ssh --remote-cclink "
		    "PATH (e.g. .local/bin/cclink, or the cclink-remote wrapper from "
		    "share/cclink/ssh-integration)", s->o->remote, s->o->dest);
		goto out;
	}
	if (st == 255) {
		cli_err("ssh: the connection to %s failed", s->o->dest);
		goto out;
	}
	if (st != 0 || (j = last_json(out)) == NULL || !cJSON_IsObject(j)) {
		cli_err("ssh: cclink on %s does not support 'receive --check' (exit status %d): "
		    "update cclink there to this version", s->o->dest, st);
		goto out;
	}
	pk = json_str(j, "pubkey");
	want = s->o->share != NULL ? s->o->share : own_pk;
	if (pk == NULL && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "identity_missing"))) {
		cli_err("ssh: %s has no cclink identity, so it cannot decrypt the handoff. Import "
		    "this one there (cclink init --import, with the same key file), or create one "
		    "there (cclink init) and hand over with cclink ssh --share pk:THEIRS", s->o->dest);
		ret = EXIT_DECRYPT;
		goto out;
	}
	if (pk != NULL && z32_parse_pubkey(far, pk) != 0) {
		cli_err("ssh: cclink on %s answered the check with a malformed key", s->o->dest);
		goto out;
	}
	if (z32_parse_pubkey(mine, want) != 0) {
		cli_err("ssh: --share '%s' is not a public key (pk:<z32>)", want);
		ret = EXIT_USAGE;
		goto out;
	}
	if (pk == NULL) {
		err = json_str(j, "identity_error");
		cli_warn("cannot read the identity on %s without unlocking it (%s); going on",
		    s->o->dest, err != NULL ? "its key is protected" : "unknown");
	} else if (memcmp(far, mine, 32) != 0) {
		if (s->o->share != NULL)
			cli_err("ssh: the identity on %s is %.60s, not the --share key %.60s: it "
			    "could not decrypt the handoff. Use --share %.60s", s->o->dest, pk, want, pk);
		else
			cli_err("ssh: the identity on %s is %.60s, not this one (pk:%s), so it cannot "
			    "decrypt a self-encrypted handoff. Hand it to that identity: cclink ssh "
			    "--share %.60s %s (or import this key there)", s->o->dest, pk, own_pk, pk,
			    s->o->dest);
		ret = EXIT_DECRYPT;
		goto out;
	}
	if (json_str(j, "claude") == NULL) {
		cli_err("ssh: 'claude' (Claude Code) was not found on %s (on the PATH of a "
		    "non-interactive ssh command). Install it there, or use the cclink-remote "
		    "wrapper from share/cclink/ssh-integration (--remote-cclink)", s->o->dest);
		ret = EXIT_NO_CLAUDE;
		goto out;
	}
	if (json_str(j, "tmux") == NULL)
		cli_warn("tmux is not installed on %s: claude will run in the foreground there and "
		    "end when this connection ends. Install tmux there to keep it running", s->o->dest);
	ret = 0;
 out:
	cJSON_Delete(j);
	free(out);
	free(cmd);
	return ret;
}

/* Run `cclink publish --json -y ...` (this binary); *sid, *project, *created from its answer. */
static int
publish(struct ssh_run *s, char **sid, char **project, unsigned long long *created)
{
	char *argv[16], *out = NULL;
	const char *v;
	size_t n = 0;
	cJSON *j = NULL, *c;
	int st, ret = EXIT_FAIL;

	*sid = *project = NULL;
	argv[n++] = s->self;
	if (s->ctx->passphrase_file != NULL) {
		argv[n++] = "--passphrase-file";
		argv[n++] = (char *)s->ctx->passphrase_file;
	}
	if (s->ctx->identity != NULL) {
		argv[n++] = "--identity";
		argv[n++] = (char *)s->ctx->identity;
	}
	argv[n++] = "publish";
	argv[n++] = "--json";
	argv[n++] = "-y";
	if (s->o->share != NULL) {
		argv[n++] = "--share";
		argv[n++] = (char *)s->o->share;
	}
	if (s->o->ttl != NULL) {
		argv[n++] = "--ttl";
		argv[n++] = (char *)s->o->ttl;
	}
	if (s->o->session != NULL)
		argv[n++] = (char *)s->o->session;
	argv[n] = NULL;
	st = cli_proc_run(argv, -1, &out, SSH_PUBLISH_MAX);
	if (cli_proc_signalled()) {
		ret = 128 + cli_proc_signalled();
		goto out;
	}
	if (st != 0) {
		ret = st > 0 && st < 128 ? st : EXIT_FAIL;  /* publish said why */
		goto out;
	}
	if ((j = last_json(out)) == NULL || (v = json_str(j, "session_id")) == NULL ||
	    (*sid = strdup(v)) == NULL || (v = json_str(j, "project")) == NULL ||
	    (*project = strdup(v)) == NULL ||
	    !cJSON_IsNumber(c = cJSON_GetObjectItemCaseSensitive(j, "created_at"))) {
		cli_err("ssh: cannot read what publish printed");
		goto out;
	}
	*created = (unsigned long long)c->valuedouble;
	ret = 0;
 out:
	if (ret != 0) {
		free(*sid);
		free(*project);
		*sid = *project = NULL;
	}
	cJSON_Delete(j);
	free(out);
	return ret;
}

/* Stream the session's bundle to `cclink receive` there. */
static int
sync_transcript(struct ssh_run *s, const char *sid, const char *project)
{
	static const char *const ex[] = { "-o", "ControlMaster=no", "-T", NULL };
	struct session_env senv;
	struct bundle_header h;
	const char *words[8 + 2 * SSH_MAX_MAPS];
	char *argv[SSH_MAX_ARGS + 16], *cmd = NULL, *path = NULL, *folder = NULL;
	size_t n = 0, i, skipped = 0;
	int have_senv = 0, p[2] = { -1, -1 }, r, st, ret = EXIT_FAIL;
	pid_t pid;

	memset(&h, 0, sizeof(h));
	if ((r = session_env_from_process(&senv)) != 0) {
		cli_err("ssh: cannot find the Claude Code folder here: %s", ccl_strerror(r));
		goto out;
	}
	have_senv = 1;
	if (session_transcript_find(&senv, project, sid, &path) != 0 &&
	    session_find_id(&senv, sid, &path) != 0) {
		cli_err("ssh: the transcript of session %s is not on this machine, so there is nothing "
		    "to copy. If %s already has it, run cclink ssh --no-sync", sid, s->o->dest);
		ret = EXIT_NO_SESSION;
		goto out;
	}
	if ((r = fs_dirname(&folder, path)) != 0 ||
	    (r = bundle_collect(folder, sid, project, &h, &skipped)) != 0) {
		cli_err("ssh: cannot read the transcript %s: %s", path, r == CCL_ERR_TOO_LARGE ?
		    "the session is larger than a bundle may be" : ccl_strerror(r));
		goto out;
	}
	if (skipped > 0)
		cli_warn("%zu file%s in %s/%s/ not copied (symlinks, special files or unusual "
		    "names)", skipped, skipped == 1 ? "" : "s", folder, sid);
	words[n++] = "receive";
	if (s->o->force)
		words[n++] = "--force";
	for (i = 0; i < s->o->n_maps; i++) {
		words[n++] = "--map";
		words[n++] = s->o->maps[i];
	}
	words[n] = NULL;
	if ((cmd = remote_cmd(s, words)) == NULL || pipe(p) != 0)
		goto out;
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	ssh_argv(s, argv, ex, cmd);
	cli_info(s->ctx, "Copying session %s (%zu file%s, %llu bytes) to %s ...", sid, h.n_files,
	    h.n_files == 1 ? "" : "s", (unsigned long long)h.total, s->o->dest);
	if ((pid = cli_proc_spawn(argv, p[0], -1)) < 0)
		goto out;
	close(p[0]);
	p[0] = -1;
	cli_proc_watch(pid);
	r = bundle_send(p[1], folder, &h);
	close(p[1]);
	p[1] = -1;
	st = cli_proc_wait(pid);
	if (cli_proc_signalled()) {
		ret = 128 + cli_proc_signalled();
		goto out;
	}
	if (r == CCL_ERR_CONFLICT) {
		cli_err("ssh: the transcript changed while it was being sent (is claude still writing "
		    "to it?); nothing was written there. Run cclink ssh again");
		goto out;
	}
	if (st == 8) {
		ret = EXIT_NO_SESSION;  /* receive said which directory is missing */
		goto out;
	}
	if (st != 0 || r != 0) {
		cli_err("ssh: %s did not take the transcript (receive exited with status %d%s%s)",
		    s->o->dest, st, r != 0 ? "; sending: " : "", r != 0 ? ccl_strerror(r) : "");
		goto out;
	}
	ret = 0;
 out:
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	bundle_header_cleanup(&h);
	if (have_senv)
		session_env_cleanup(&senv);
	free(cmd);
	free(path);
	free(folder);
	return ret;
}

/* `ssh -t ... cclink pickup --tmux --yes --wait W --after T pk:Z` there. */
static int
remote_pickup(struct ssh_run *s, const char *own_pk, unsigned long long created)
{
	static const char *const ex[] = { "-o", "ControlMaster=no", "-t", NULL };
	const char *words[12 + 2 * SSH_MAX_MAPS];
	char *argv[SSH_MAX_ARGS + 16], *cmd = NULL, after[32], pkarg[80];
	size_t n = 0, i;
	int st;

	snprintf(after, sizeof(after), "%llu", created > 0 ? created - 1 : 0);
	snprintf(pkarg, sizeof(pkarg), "pk:%s", own_pk);
	words[n++] = "pickup";
	words[n++] = "--tmux";
	words[n++] = "--yes";
	words[n++] = "--wait";
	words[n++] = s->o->wait;
	words[n++] = "--after";
	words[n++] = after;
	for (i = 0; i < s->o->n_maps; i++) {
		words[n++] = "--map";
		words[n++] = s->o->maps[i];
	}
	words[n++] = pkarg;
	words[n] = NULL;
	if ((cmd = remote_cmd(s, words)) == NULL)
		return EXIT_FAIL;
	ssh_argv(s, argv, ex, cmd);
	st = cli_proc_run(argv, -1, NULL, 0);
	free(cmd);
	if (cli_proc_signalled())
		return 128 + cli_proc_signalled();
	switch (st) {
	case 0:
		return EXIT_OK;
	case EXIT_NO_SESSION:
		cli_err("ssh: the far side has no transcript for this session%s", s->o->no_sync ?
		    ": drop --no-sync so that cclink ssh copies it" : " (see its message above)");
		return st;
	case EXIT_DECRYPT:
		cli_err("ssh: the far side cannot decrypt the handoff: import this identity there, "
		    "or use cclink ssh --share pk:THEIRS");
		return st;
	case EXIT_NOT_FOUND:
		cli_err("ssh: the far side did not see the handoff within %s: both sides must reach "
		    "the same DHT or relays (check CCLINK_RELAYS / the config there)", s->o->wait);
		return st;
	case EXIT_NO_CLAUDE:
		cli_err("ssh: 'claude' was not found on %s: install Claude Code there", s->o->dest);
		return st;
	case 255:
		cli_err("ssh: the connection to %s ended", s->o->dest);
		return EXIT_FAIL;
	default:
		return st;
	}
}

int
cmd_ssh(struct ccl_ctx *ctx, int argc, char **argv)
{
	struct ssh_opts o;
	struct ssh_run s;
	struct identity id;
	char own_pk[Z32_KEY_LEN + 1], *sid = NULL, *project = NULL;
	unsigned long long created = 0;
	int ret;

	memset(&s, 0, sizeof(s));
	if ((ret = parse_args(ctx, argc, argv, &o)) != 0)
		return ret < 0 ? EXIT_OK : ret;
	s.ctx = ctx;
	s.o = &o;
	if ((ret = cli_identity_load(ctx, &id, 0)) != 0)
		return ret;
	z32_encode(own_pk, id.pk, 32);
	identity_cleanup(&id);
	if ((s.self = cli_proc_self()) == NULL) {
		cli_err("ssh: cannot find the cclink binary (/proc/self/exe)");
		return EXIT_FAIL;
	}
	cli_proc_catch();
	if ((ret = open_master(&s)) != 0 || (ret = remote_check(&s, own_pk)) != 0 ||
	    (ret = publish(&s, &sid, &project, &created)) != 0)
		goto out;
	if (!o.no_sync && (ret = sync_transcript(&s, sid, project)) != 0)
		goto out;
	if (cli_proc_signalled()) {
		ret = 128 + cli_proc_signalled();
		goto out;
	}
	if (!isatty(STDIN_FILENO))
		cli_warn("stdin is not a terminal, so the far side gets none: tmux cannot attach "
		    "there. Run cclink ssh from a terminal");
	cli_info(ctx, "Resuming session %s on %s ...", sid, o.dest);
	ret = remote_pickup(&s, own_pk, created);
 out:
	close_master(&s);
	if (cli_proc_signalled()) {
		cli_err("ssh: interrupted; the ssh connection was closed%s", sid != NULL && !o.no_sync ?
		    " (a transcript copy cut short is not written there)" : "");
		ret = 128 + cli_proc_signalled();
	}
	free(sid);
	free(project);
	free(s.self);
	return ret;
}
