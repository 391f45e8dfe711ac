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

/* tmux turns '.' and ':' into '_'; keep the name to what it keeps as is. */
static void
tmux_name(const char *id, char name[RESUME_TMUX_NAME_MAX])
{
	size_t i;

	memcpy(name, "cc-", 3);
	for (i = 0; i < 8 && id[i] != '\0'; i++) {
		char c = id[i];
		name[3 + i] = ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '-') ? c : '_';
	}
	name[3 + i] = '\0';
}

/*
 * `tmux new-session <flag> -s NAME [-e CLAUDE_CONFIG_DIR=V] -- CLAUDE --resume ID`.
 * No -c: tmux expands formats in it (#(cmd) runs a shell command), and the
 * directory comes from a record. resume_exec() has chdir'ed into it, and tmux
 * starts a new session in its client's working directory. tmux expands -s
 * too; the name holds only [A-Za-z0-9_-]. Arguments after "--" (more than
 * one) are exec'ed as they are, never expanded.
 */
static int
new_session_argv(const struct resume_plan *p, const char *flag, const char *id, char ***out)
{
	const char *a[MAX_ARGS];
	char *envarg = NULL;
	size_t n = 0;
	int r;

	if (p->config_dir != NULL &&
	    (r = session_join(&envarg, "CLAUDE_CONFIG_DIR=", p->config_dir, NULL)) != 0)
		return r;
	a[n++] = p->tmux;
	a[n++] = "new-session";
	a[n++] = flag;
	a[n++] = "-s";
	a[n++] = p->name;
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
	free(envarg);
	return r;
}

int
resume_plan_build(const struct resume_env *env, const char *session_id, const char *dir,
    int use_tmux, struct resume_plan *plan)
{
	struct resume_plan p;
	char target[RESUME_TMUX_NAME_MAX + 1];
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
	tmux_name(session_id, p.name);
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
	} else if (env->tmux == NULL || env->tmux[0] == '\0') {
		p.mode = RESUME_TMUX;
		r = new_session_argv(&p, "-A", session_id, &p.argv);
	} else {
		/* Nested attach is refused by tmux; create detached and switch. */
		const char *has[] = { p.tmux, "has-session", "-t", target, NULL };
		const char *sw[] = { p.tmux, "switch-client", "-t", target, NULL };
		target[0] = '=';  /* exact name, not a prefix match */
		memcpy(target + 1, p.name, sizeof(p.name));
		p.mode = RESUME_TMUX_SWITCH;
		if ((r = argv_new(&p.has_argv, has)) == 0 &&
		    (r = new_session_argv(&p, "-d", session_id, &p.create_argv)) == 0)
			r = argv_new(&p.argv, sw);
	}
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
	if (plan->mode == RESUME_TMUX_SWITCH && !run_ok(plan->has_argv, 1) &&
	    !run_ok(plan->create_argv, 0)) {
		errno = EIO;
		return CCL_ERR_SYSTEM;
	}
	execv(plan->argv[0], plan->argv);
	return CCL_ERR_SYSTEM;
}
