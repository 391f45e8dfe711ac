/* SPDX-License-Identifier: MIT */
/*
 * resume.c — start `claude --resume ID` in the project directory, directly
 * or in tmux (see resume.h). Plans are pure data; only resume_exec() forks,
 * chdirs and execs.
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "hex.h"
#include "resume.h"
#include "session.h"
#include "session_int.h"

#define MAX_ARGS 16

void
resume_env_from_process(struct resume_env *env)
{
	memset(env, 0, sizeof(*env));
	env->path = getenv("PATH");
	env->tmux = getenv("TMUX");
	env->claude_config_dir = getenv("CLAUDE_CONFIG_DIR");
	env->umask = -1;
}

int
resume_which(const char *path, const char *name, char **out)
{
	struct stat st;
	const char *p, *end;
	char *dir = NULL, *cand = NULL;
	int r;

	*out = NULL;
	if (name[0] == '\0' || strchr(name, '/') != NULL)
		return CCL_ERR_INVALID_ARG;
	if (path == NULL)
		path = RESUME_DEFAULT_PATH;
	for (p = path;; p = end + 1) {
		if ((end = strchr(p, ':')) == NULL)
			end = p + strlen(p);
		/* Relative entries would resolve against a directory we are about to leave. */
		if (p[0] == '/') {
			if ((dir = strndup(p, (size_t)(end - p))) == NULL)
				return CCL_ERR_NOMEM;
			r = session_join(&cand, dir, "/", name, NULL);
			free(dir);
			if (r != 0)
				return r;
			if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0) {
				*out = cand;
				return 0;
			}
			free(cand);
			cand = NULL;
		}
		if (*end == '\0')
			break;
	}
	return CCL_ERR_NOT_FOUND;
}

static void
argv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* A heap argv copied from a NULL-terminated list of strings. */
static int
argv_new(char ***out, const char *const *args)
{
	char **v;
	size_t i, n;

	*out = NULL;
	for (n = 0; args[n] != NULL; n++)
		;
	if (n >= MAX_ARGS || (v = calloc(n + 1, sizeof(*v))) == NULL)
		return CCL_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		if ((v[i] = strdup(args[i])) == NULL) {
			argv_free(v);
			return CCL_ERR_NOMEM;
		}
	}
	*out = v;
	return 0;
}

/*
 * The session's key: SHA-256 of the id, a NUL and the directory, in hex. It
 * names the tmux session and is set in it as RESUME_TMUX_KEY_VAR, so an
 * existing session of that name can be checked before attaching to it.
 */
static void
tmux_key(const char *id, const char *dir, char key[RESUME_TMUX_KEY_LEN + 1])
{
	crypto_hash_sha256_state st;
	uint8_t h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)id, strlen(id) + 1);
	crypto_hash_sha256_update(&st, (const uint8_t *)dir, strlen(dir));
	crypto_hash_sha256_final(&st, h);
	hex_encode(key, h, sizeof(h));
}

/*
 * "cclink-" + the id's first 8 characters + "-" + 16 hex digits of the key.
 * The id part is only for people: it keeps [A-Za-z0-9-] and turns the rest
 * into '_' (tmux itself turns '.' and ':' into '_', and expands '#'); the
 * key part is what keeps sessions of different ids or directories apart.
 */
static void
tmux_name(const char *id, const char *key, char name[RESUME_TMUX_NAME_MAX])
{
	size_t i, n = 7;

	memcpy(name, "cclink-", 7);
	for (i = 0; i < 8 && id[i] != '\0'; i++) {
		char c = id[i];
		name[n++] = ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '-') ? c : '_';
	}
	name[n++] = '-';
	memcpy(name + n, key, 16);
	name[n + 16] = '\0';
}

/*
 * `tmux new-session <flag> -s NAME -e KEYVAR=KEY [-e CLAUDE_CONFIG_DIR=V] --
 * CLAUDE --resume ID`. No -c: tmux expands formats in it (#(cmd) runs a
 * shell command), and the directory comes from a record. resume_exec() has
 * chdir'ed into it, and tmux starts a new session in its client's working
 * directory. tmux expands -s too; the name holds only [A-Za-z0-9_-].
 * Arguments after "--" (more than one) are exec'ed as they are, never
 * expanded.
 */
static int
new_session_argv(const struct resume_plan *p, const char *flag, const char *id, char ***out)
{
	const char *a[MAX_ARGS];
	char *envarg = NULL, *keyarg = NULL;
	size_t n = 0;
	int r;

	*out = NULL;
	if ((r = session_join(&keyarg, RESUME_TMUX_KEY_VAR "=", p->key, NULL)) != 0)
		return r;
	if (p->config_dir != NULL &&
	    (r = session_join(&envarg, "CLAUDE_CONFIG_DIR=", p->config_dir, NULL)) != 0)
		goto out;
	a[n++] = p->tmux;
	a[n++] = "new-session";
	a[n++] = flag;
	a[n++] = "-s";
	a[n++] = p->name;
	/* What this session is, for the check before a later attach (hex only). */
	a[n++] = "-e";
	a[n++] = keyarg;
	if (envarg != NULL) {
		/* A running tmux server gives new sessions its own environment. */
		a[n++] = "-e";
		a[n++] = envarg;
	}
	a[n++] = "--";
	a[n++] = p->claude;
	a[n++] = "--resume";
	a[n++] = id;
	a[n] = NULL;
	r = argv_new(out, a);
 out:
	free(envarg);
	free(keyarg);
	return r;
}

/*
 * The tmux part of the plan: has-session and show-environment of the name
 * (to check an existing session before using it), then attach-or-create
 * (outside tmux), or create-detached and switch-client (inside).
 */
static int
tmux_plan(struct resume_plan *p, const char *session_id, int inside)
{
	char target[RESUME_TMUX_NAME_MAX + 1];
	const char *has[] = { p->tmux, "has-session", "-t", target, NULL };
	const char *check[] = { p->tmux, "show-environment", "-t", target, RESUME_TMUX_KEY_VAR, NULL };
	const char *sw[] = { p->tmux, "switch-client", "-t", target, NULL };
	int r;

	target[0] = '=';  /* exact name, not a prefix match */
	memcpy(target + 1, p->name, sizeof(p->name));
	if ((r = argv_new(&p->has_argv, has)) != 0 || (r = argv_new(&p->check_argv, check)) != 0)
		return r;
	if (!inside) {
		p->mode = RESUME_TMUX;
		return new_session_argv(p, "-A", session_id, &p->argv);
	}
	/* Nested attach is refused by tmux; create detached and switch. */
	p->mode = RESUME_TMUX_SWITCH;
	if ((r = new_session_argv(p, "-d", session_id, &p->create_argv)) != 0)
		return r;
	return argv_new(&p->argv, sw);
}

int
resume_plan_build(const struct resume_env *env, const char *session_id, const char *dir,
    int use_tmux, struct resume_plan *plan)
{
	struct resume_plan p;
	int r;

	memset(plan, 0, sizeof(*plan));
	memset(&p, 0, sizeof(p));
	p.umask = env->umask;
	if (session_id_check(session_id) != 0 || dir == NULL || !session_path_ok(dir))
		return CCL_ERR_INVALID_ARG;
	if ((p.dir = strdup(dir)) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	if (env->claude_config_dir != NULL && env->claude_config_dir[0] != '\0' &&
	    (p.config_dir = strdup(env->claude_config_dir)) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	if ((r = resume_which(env->path, "claude", &p.claude)) != 0)
		goto out;
	tmux_key(session_id, dir, p.key);
	tmux_name(session_id, p.key, p.name);
	if (use_tmux) {
		r = resume_which(env->path, "tmux", &p.tmux);
		if (r == CCL_ERR_NOT_FOUND)
			p.tmux_missing = 1;
		else if (r != 0)
			goto out;
	}
	if (p.tmux == NULL) {
		const char *a[] = { p.claude, "--resume", session_id, NULL };
		p.mode = RESUME_DIRECT;
		r = argv_new(&p.argv, a);
	} else
		r = tmux_plan(&p, session_id, env->tmux != NULL && env->tmux[0] != '\0');
	if (r != 0)
		goto out;
	*plan = p;
	memset(&p, 0, sizeof(p));
	r = 0;
 out:
	resume_plan_cleanup(&p);
	return r;
}

void
resume_plan_cleanup(struct resume_plan *plan)
{
	free(plan->dir);
	free(plan->claude);
	free(plan->tmux);
	free(plan->config_dir);
	argv_free(plan->argv);
	argv_free(plan->has_argv);
	argv_free(plan->check_argv);
	argv_free(plan->create_argv);
	memset(plan, 0, sizeof(*plan));
}

/* Run argv to completion; 1 when it exited 0. quiet sends its output to /dev/null. */
static int
run_ok(char *const *argv, int quiet)
{
	pid_t pid, w;
	int st, fd;

	if ((pid = fork()) < 0)
		return 0;
	if (pid == 0) {
		if (quiet && (fd = open("/dev/null", O_WRONLY)) >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			if (fd > STDERR_FILENO)
				close(fd);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	return w == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/*
 * Run argv to completion with its standard output in out (at most cap - 1
 * bytes, NUL-terminated; the rest is read and dropped) and its standard
 * error discarded; 1 when it exited 0.
 */
static int
run_output(char *const *argv, char *out, size_t cap)
{
	pid_t pid, w;
	ssize_t got;
	size_t len = 0;
	char sink[256];
	int p[2], st, fd;

	out[0] = '\0';
	if (pipe(p) != 0)
		return 0;
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return 0;
	}
	if (pid == 0) {
		close(p[0]);
		if (dup2(p[1], STDOUT_FILENO) < 0)
			_exit(127);
		if ((fd = open("/dev/null", O_WRONLY)) >= 0)
			dup2(fd, STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		if (len < cap - 1)
			got = read(p[0], out + len, cap - 1 - len);
		else
			got = read(p[0], sink, sizeof(sink));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (len < cap - 1)
			len += (size_t)got;
	}
	out[len] = '\0';
	close(p[0]);
	while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	return w == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* 1 when the existing session of the plan's name is the one this plan would start. */
static int
tmux_session_is_ours(const struct resume_plan *plan)
{
	char got[RESUME_TMUX_KEY_LEN + 64], want[RESUME_TMUX_KEY_LEN + 64];

	snprintf(want, sizeof(want), "%s=%s\n", RESUME_TMUX_KEY_VAR, plan->key);
	return run_output(plan->check_argv, got, sizeof(got)) && strcmp(got, want) == 0;
}

/* Undo what cclink changed for itself so claude starts as from a shell. */
static void
reset_process(const struct resume_plan *plan)
{
	static const int sigs[] = { SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGTSTP,
	    SIGTTIN, SIGTTOU, SIGALRM };
	sigset_t none;
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (plan->umask >= 0)
		umask((mode_t)plan->umask);
}

int
resume_exec(const struct resume_plan *plan)
{
	if (plan->argv == NULL || plan->dir == NULL)
		return CCL_ERR_INVALID_ARG;
	if (chdir(plan->dir) != 0)
		return CCL_ERR_SYSTEM;
	if (plan->config_dir != NULL && setenv("CLAUDE_CONFIG_DIR", plan->config_dir, 1) != 0)
		return CCL_ERR_SYSTEM;
	reset_process(plan);
	if (plan->mode != RESUME_DIRECT) {
		/* A session of that name is attached to only if it was started for this plan. */
		if (run_ok(plan->has_argv, 1)) {
			if (!tmux_session_is_ours(plan)) {
				errno = EEXIST;
				return CCL_ERR_CONFLICT;
			}
		} else if (plan->mode == RESUME_TMUX_SWITCH && !run_ok(plan->create_argv, 0)) {
			errno = EIO;
			return CCL_ERR_SYSTEM;
		}
	}
	execv(plan->argv[0], plan->argv);
	return CCL_ERR_SYSTEM;
}
