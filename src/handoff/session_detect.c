/* SPDX-License-Identifier: MIT */
/*
 * session_detect.c — which session `cclink publish` means: the detection
 * order of session.h (explicit argument, $CLAUDE_CODE_SESSION_ID, our
 * SessionStart hook's state, the newest transcript of the current
 * directory), and reading the process environment for it.
 *
 * Hook state (written by contrib/claude-code/session-start.sh) lives in
 * ${XDG_STATE_HOME:-$HOME/.local/state}/cclink/sessions/, one small JSON
 * object per key, each rewritten atomically at every SessionStart:
 *   pid-<PID>.json              the claude process (valid while it lives;
 *                               "pid_start" = /proc starttime rejects reuse)
 *   tmux-<SERVERPID>-<PANE>.json  the tmux pane claude ran in
 *   tty-<NAME>.json             its terminal, /dev/ stripped, non-alnum -> '-'
 * with fields session_id, transcript_path, cwd, source, pid, pid_start.
 *
 * Trust boundary: state files and /proc/<pid>/stat are read with caps
 * through buf_rd/cJSON; a state file must be ours, regular and small, its
 * session id a UUID and its transcript present, or it is ignored.
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "session.h"
#include "session_int.h"

#define MAX_ANCESTORS 64
#define PROC_STAT_MAX 4096

enum hook_kind { HOOK_PID, HOOK_TMUX, HOOK_TTY };

/* ---- environment ---- */

static int
keep(struct session_env *env, size_t slot, const char *s, const char **field)
{
	*field = NULL;
	if (s == NULL || s[0] == '\0')
		return 0;
	if ((env->owned_[slot] = strdup(s)) == NULL)
		return CCL_ERR_NOMEM;
	*field = env->owned_[slot];
	return 0;
}

static int
keep_owned(struct session_env *env, size_t slot, char *s, const char **field)
{
	env->owned_[slot] = s;
	*field = s;
	return 0;
}

int
session_env_from_process(struct session_env *env)
{
	struct passwd pw, *pwp = NULL;
	char pwbuf[4096], *s = NULL;
	const char *home, *v;
	int fd, r;

	memset(env, 0, sizeof(*env));
	home = getenv("HOME");
	if ((home == NULL || home[0] != '/') && getpwuid_r(getuid(), &pw, pwbuf, sizeof(pwbuf), &pwp) == 0 &&
	    pwp != NULL && pwp->pw_dir != NULL && pwp->pw_dir[0] == '/')
		home = pwp->pw_dir;
	if (home != NULL && home[0] != '/')
		home = NULL;
	if ((r = keep(env, 0, home, &env->home)) != 0)
		goto out;
	if ((v = getenv("CLAUDE_CONFIG_DIR")) != NULL && v[0] != '\0') {
		if ((r = keep(env, 1, v, &env->root)) != 0)
			goto out;
	} else if (env->home != NULL) {
		if ((r = session_join(&s, env->home, "/.claude", NULL)) != 0)
			goto out;
		keep_owned(env, 1, s, &env->root);
		s = NULL;
	} else {
		r = CCL_ERR_CONFIG;  /* neither $CLAUDE_CONFIG_DIR nor a home directory */
		goto out;
	}
	/* The CLI honours the folder-name override only next to CLAUDE_CONFIG_DIR. */
	v = getenv("CLAUDE_CODE_PROJECT_DIR_NAME");
	if (getenv("CLAUDE_CONFIG_DIR") == NULL || getenv("CLAUDE_CONFIG_DIR")[0] == '\0' ||
	    v == NULL || !session_dir_name_ok(v))
		v = NULL;
	if ((r = keep(env, 2, v, &env->dir_name)) != 0 ||
	    (r = keep(env, 3, getenv("CLAUDE_CODE_SESSION_ID"), &env->session_id)) != 0 ||
	    (r = keep(env, 4, getenv("TMUX"), &env->tmux)) != 0 ||
	    (r = keep(env, 5, getenv("TMUX_PANE"), &env->tmux_pane)) != 0)
		goto out;
	if ((v = getenv("XDG_STATE_HOME")) != NULL && v[0] == '/')
		r = session_join(&s, v, "/cclink/sessions", NULL);
	else if (env->home != NULL)
		r = session_join(&s, env->home, "/.local/state/cclink/sessions", NULL);
	if (r != 0)
		goto out;
	keep_owned(env, 6, s, &env->state_dir);
	s = NULL;
	/* Claude names folders after the realpath of its start directory. */
	keep_owned(env, 7, realpath(".", NULL), &env->cwd);
	for (fd = 0; fd <= 2 && env->tty == NULL; fd++)
		if (isatty(fd) && (r = keep(env, 8, ttyname(fd), &env->tty)) != 0)
			goto out;
	env->pid = getpid();
	r = 0;
 out:
	free(s);
	if (r != 0)
		session_env_cleanup(env);
	return r;
}

void
session_env_cleanup(struct session_env *env)
{
	size_t i;

	for (i = 0; i < sizeof(env->owned_) / sizeof(env->owned_[0]); i++)
		free(env->owned_[i]);
	memset(env, 0, sizeof(*env));
}

/* ---- /proc ---- */

/*
 * Parent pid and start time (field 22, clock ticks since boot) of pid, from
 * /proc/<pid>/stat. The command name in parentheses may hold anything, so
 * fields are counted after its last ')'.
 */
static int
proc_stat(pid_t pid, pid_t *ppid, char start[32])
{
	struct buf_rd rd;
	const uint8_t *f;
	uint8_t buf[PROC_STAT_MAX];
	char path[64];
	size_t d, last = 0, n = 0;
	ssize_t got;
	long long v;
	int fd, field, found = 0;

	*ppid = 0;
	start[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return CCL_ERR_NOT_FOUND;
	while (n < sizeof(buf) && (got = read(fd, buf + n, sizeof(buf) - n)) > 0)
		n += (size_t)got;
	close(fd);
	buf_rd_init(&rd, buf, n);
	while (buf_find(&rd, ')', &d) == 0) {
		if (buf_skip(&rd, d + 1) != 0)
			return CCL_ERR_FORMAT;
		last = buf_offset(&rd);
		found = 1;
	}
	if (!found || buf_seek(&rd, last) != 0)
		return CCL_ERR_FORMAT;
	for (field = 3; field <= 22; field++) {  /* ") S PPID ..." */
		if (buf_expect(&rd, " ", 1) != 0)
			return CCL_ERR_FORMAT;
		if (buf_find(&rd, ' ', &d) != 0)
			d = buf_remaining(&rd);
		if (d == 0 || d >= 32 || buf_get_bytes(&rd, d, &f) != 0)
			return CCL_ERR_FORMAT;
		if (field == 4 || field == 22) {
			char tmp[32], *end;
			memcpy(tmp, f, d);
			tmp[d] = '\0';
			errno = 0;
			v = strtoll(tmp, &end, 10);
			if (errno != 0 || *end != '\0' || v < 0)
				return CCL_ERR_FORMAT;
			if (field == 4)
				*ppid = (pid_t)v;
			else
				memcpy(start, tmp, d + 1);
		}
	}
	return 0;
}

static int set_project_guess(const struct session_env *env, struct session_info *s);

/* ---- hook state ---- */

static int
state_load(const struct session_env *env, const char *key, cJSON **out, struct stat *st)
{
	struct buf_rd rd;
	const uint8_t *p;
	uint8_t buf[SESSION_STATE_MAX];
	char *path = NULL;
	size_t n = 0;
	ssize_t got;
	int fd = -1, r;

	*out = NULL;
	if (env->state_dir == NULL)
		return CCL_ERR_NOT_FOUND;
	if ((r = session_join(&path, env->state_dir, "/", key, ".json", NULL)) != 0)
		return r;
	r = CCL_ERR_NOT_FOUND;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)) < 0 ||
	    fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_uid != geteuid() ||
	    st->st_size <= 0 || st->st_size > SESSION_STATE_MAX)
		goto out;
	while (n < sizeof(buf) && (got = read(fd, buf + n, sizeof(buf) - n)) > 0)
		n += (size_t)got;
	buf_rd_init(&rd, buf, n);
	/* One object, optionally followed by a newline. */
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (buf_get_bytes(&rd, n, &p) != 0 || (*out = session_json_parse(p, n)) == NULL)
		goto out;
	r = 0;
 out:
	if (fd >= 0)
		close(fd);
	free(path);
	return r;
}

/* Fill out from the session a hook record names; NOT_FOUND if it is not usable here. */
static int
state_try(const struct session_env *env, const char *key, enum hook_kind kind, pid_t pid,
    struct session_info *out)
{
	struct session_info s;
	struct stat st, tst;
	const cJSON *jp;
	const char *sid, *tp, *base, *ps, *cwd;
	cJSON *j = NULL;
	char *path = NULL, start[32];
	pid_t ppid;
	int r;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	if ((r = state_load(env, key, &j, &st)) != 0)
		goto out;
	r = CCL_ERR_NOT_FOUND;
	if ((sid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "session_id"))) == NULL ||
	    !session_id_is_uuid(sid))
		goto out;
	if (kind == HOOK_PID) {
		jp = cJSON_GetObjectItemCaseSensitive(j, "pid");
		if (!cJSON_IsNumber(jp) || jp->valuedouble != (double)pid)
			goto out;
		ps = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "pid_start"));
		if (ps != NULL && ps[0] != '\0' && proc_stat(pid, &ppid, start) == 0 &&
		    strcmp(ps, start) != 0)
			goto out;  /* the pid was reused by another process */
	}
	/* A tty record older than the terminal belongs to an earlier login. */
	if (kind == HOOK_TTY && (env->tty == NULL || stat(env->tty, &tst) != 0 ||
	    st.st_mtim.tv_sec < tst.st_ctim.tv_sec))
		goto out;
	/* The hook's transcript_path is used when it names <sid>.jsonl; else search. */
	tp = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "transcript_path"));
	if (tp == NULL || !session_path_ok(tp) || (base = strrchr(tp, '/')) == NULL ||
	    strlen(base + 1) != 42 || strncmp(base + 1, sid, 36) != 0 ||
	    strcmp(base + 37, ".jsonl") != 0 || session_transcript_load(tp, &s) != 0) {
		if (session_find_id(env, sid, &path) != 0 || session_transcript_load(path, &s) != 0) {
			/* The running claude above us may not have written its transcript yet
			 * (its first prompt is the one running cclink). Pane and tty records
			 * outlive their session, so they need the transcript. */
			session_info_cleanup(&s);
			if (kind != HOOK_PID)
				goto out;
			if ((s.id = strdup(sid)) == NULL) {
				r = CCL_ERR_NOMEM;
				goto out;
			}
			s.flags = SESSION_F_NOT_LOCAL | SESSION_F_CURRENT;
		}
	}
	if (s.project == NULL) {
		cwd = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "cwd"));
		if (cwd == NULL || !session_path_ok(cwd)) {
			if ((s.flags & SESSION_F_CURRENT) && (r = set_project_guess(env, &s)) == 0)
				goto found;
			goto out;
		}
		if ((s.project = strdup(cwd)) == NULL) {
			r = CCL_ERR_NOMEM;
			goto out;
		}
	}
 found:
	s.via = kind == HOOK_PID ? SESSION_VIA_HOOK_PID :
	    kind == HOOK_TMUX ? SESSION_VIA_HOOK_TMUX : SESSION_VIA_HOOK_TTY;
	*out = s;
	memset(&s, 0, sizeof(s));
	r = 0;
 out:
	session_info_cleanup(&s);
	cJSON_Delete(j);
	free(path);
	return r;
}

/* "tmux-<server pid>-<pane number>" from $TMUX ("socket,pid,session") and $TMUX_PANE ("%N"). */
static int
tmux_key(const struct session_env *env, char key[64])
{
	const char *end, *beg, *pane;
	size_t i, n;

	key[0] = '\0';
	if (env->tmux == NULL || env->tmux_pane == NULL || (end = strrchr(env->tmux, ',')) == NULL)
		return 0;
	for (beg = end; beg > env->tmux && beg[-1] != ','; beg--)
		;
	if (beg == env->tmux || (n = (size_t)(end - beg)) == 0 || n > 20)
		return 0;
	pane = env->tmux_pane[0] == '%' ? env->tmux_pane + 1 : env->tmux_pane;
	if (pane[0] == '\0' || strlen(pane) > 20)
		return 0;
	for (i = 0; i < n; i++)
		if (beg[i] < '0' || beg[i] > '9')
			return 0;
	for (i = 0; pane[i] != '\0'; i++)
		if (pane[i] < '0' || pane[i] > '9')
			return 0;
	snprintf(key, 64, "tmux-%.*s-%s", (int)n, beg, pane);
	return 1;
}

/* "tty-pts-3" for /dev/pts/3. */
static int
tty_key(const struct session_env *env, char **key)
{
	const char *t;
	char *san = NULL;
	int r;

	*key = NULL;
	if (env->tty == NULL || strncmp(env->tty, "/dev/", 5) != 0 || env->tty[5] == '\0')
		return CCL_ERR_NOT_FOUND;
	t = env->tty + 5;
	if ((r = session_sanitize_path(t, &san)) != 0)
		return r;
	if (strlen(san) > 64)
		r = CCL_ERR_NOT_FOUND;
	else
		r = session_join(key, "tty-", san, NULL);
	free(san);
	return r;
}

/*
 * Hook state in order: an ancestor claude (certainly ours), then the tmux
 * pane, then the tty. Pane and tty records outlive claude, so they only win
 * when the current directory is inside the session's project; otherwise the
 * first one is handed back in *later for use after the cwd scan.
 */
static int
hook_lookup(const struct session_env *env, struct session_info *out, struct session_info *later)
{
	struct session_info s;
	char key[64], *tk = NULL, start[32];
	pid_t p = env->pid, ppid;
	size_t depth;
	int r;

	memset(out, 0, sizeof(*out));
	memset(later, 0, sizeof(*later));
	memset(&s, 0, sizeof(s));
	for (depth = 0; p > 1 && depth < MAX_ANCESTORS; depth++) {
		snprintf(key, sizeof(key), "pid-%ld", (long)p);
		if ((r = state_try(env, key, HOOK_PID, p, out)) == 0)
			goto out;
		if (r != CCL_ERR_NOT_FOUND)
			goto out;
		if (proc_stat(p, &ppid, start) != 0 || ppid <= 0 || ppid == p)
			break;  /* no /proc (not Linux), or the top */
		p = ppid;
	}
	if (tmux_key(env, key) && (r = state_try(env, key, HOOK_TMUX, 0, &s)) == 0) {
		if (env->cwd != NULL && session_dir_within(env->cwd, s.project, env->home)) {
			*out = s;
			memset(&s, 0, sizeof(s));
			goto out;
		}
		*later = s;
		memset(&s, 0, sizeof(s));
	}
	if (tty_key(env, &tk) == 0 && (r = state_try(env, tk, HOOK_TTY, 0, &s)) == 0) {
		if (env->cwd != NULL && session_dir_within(env->cwd, s.project, env->home)) {
			*out = s;
			memset(&s, 0, sizeof(s));
			goto out;
		}
		if (later->id == NULL) {
			*later = s;
			memset(&s, 0, sizeof(s));
		}
	}
	r = CCL_ERR_NOT_FOUND;
 out:
	session_info_cleanup(&s);
	free(tk);
	return r;
}

/* ---- detection ---- */

static int
set_project_guess(const struct session_env *env, struct session_info *s)
{
	if (s->project != NULL)
		return 0;
	if (env->cwd == NULL)
		return CCL_ERR_SYSTEM;
	if ((s->project = strdup(env->cwd)) == NULL)
		return CCL_ERR_NOMEM;
	s->flags |= SESSION_F_PROJECT_GUESS;
	return 0;
}

/* A session known only by name or id: published as given, from the current directory. */
static int
not_local(const struct session_env *env, const char *id, enum session_via via, struct session_info *out)
{
	struct session_info s;
	int r;

	memset(&s, 0, sizeof(s));
	if ((s.id = strdup(id)) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	s.via = via;
	s.flags = SESSION_F_NOT_LOCAL;
	if ((r = set_project_guess(env, &s)) != 0)
		goto out;
	*out = s;
	memset(&s, 0, sizeof(s));
 out:
	session_info_cleanup(&s);
	return r;
}

/*
 * The transcript of sid anywhere under the root. An explicit id typed in
 * another case matches too; out->id is then the file's stem, the spelling
 * `claude --resume` accepts.
 */
static int
by_id(const struct session_env *env, const char *sid, enum session_via via, struct session_info *out)
{
	char *path = NULL;
	int r;

	r = session_find_id(env, sid, &path);
	if (r == CCL_ERR_NOT_FOUND && via == SESSION_VIA_ARG_ID)
		r = session_find_id_nocase(env, sid, &path);
	if (r != 0 || (r = session_transcript_load(path, out)) != 0) {
		free(path);
		return r;
	}
	free(path);
	out->via = via;
	if ((r = set_project_guess(env, out)) != 0)
		session_info_cleanup(out);
	return r;
}

/* Hand out l->v[0] (and the list when the caller wants it). */
static int
pick_first(struct session_list *l, enum session_via via, struct session_info *out,
    struct session_list *cands)
{
	size_t i;
	int r;

	session_list_sort(l);
	for (i = 0; i < l->n; i++)
		l->v[i].via = via;
	if ((r = session_info_dup(&l->v[0], out)) != 0)
		return r;
	if (cands != NULL) {
		*cands = *l;
		memset(l, 0, sizeof(*l));
	}
	return 0;
}

/* The newest transcript started in env->cwd, else in its nearest parent below $HOME or /. */
static int
cwd_lookup(const struct session_env *env, struct session_info *out, struct session_list *cands)
{
	struct session_list l = { 0 };
	enum session_via via = SESSION_VIA_CWD;
	char *dir = NULL, *slash;
	int r, in_home;

	if (env->cwd == NULL)
		return CCL_ERR_NOT_FOUND;
	if ((r = session_collect(env, env->cwd, &l)) != 0)
		goto out;
	if (l.n == 0) {
		if ((dir = strdup(env->cwd)) == NULL) {
			r = CCL_ERR_NOMEM;
			goto out;
		}
		via = SESSION_VIA_CWD_PARENT;
		/* Never climb to $HOME or above it from inside it, nor to "/": a
		 * session started there is not the session of every directory below. */
		in_home = env->home != NULL && session_dir_within(env->cwd, env->home, NULL);
		while ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
			*slash = '\0';
			if (in_home && (strcmp(dir, env->home) == 0 ||
			    !session_dir_within(dir, env->home, NULL)))
				break;
			if ((r = session_collect(env, dir, &l)) != 0)
				goto out;
			if (l.n > 0)
				break;
		}
	}
	if (l.n == 0) {
		r = CCL_ERR_NOT_FOUND;
		goto out;
	}
	r = pick_first(&l, via, out, cands);
 out:
	session_list_cleanup(&l);
	free(dir);
	return r;
}

int
session_detect(const struct session_env *env, const char *arg, struct session_info *out,
    struct session_list *cands)
{
	struct session_list l = { 0 };
	struct session_info later;
	int r;

	memset(out, 0, sizeof(*out));
	memset(&later, 0, sizeof(later));
	if (cands != NULL)
		memset(cands, 0, sizeof(*cands));
	if (arg != NULL) {
		if (session_id_check(arg) != 0)
			return CCL_ERR_INVALID_ARG;
		if (session_id_is_uuid(arg)) {
			if ((r = by_id(env, arg, SESSION_VIA_ARG_ID, out)) != CCL_ERR_NOT_FOUND)
				return r;
		} else {
			if ((r = session_collect_name(env, arg, &l)) != 0)
				goto out;
			if (l.n > 0) {
				r = pick_first(&l, SESSION_VIA_ARG_NAME, out, cands);
				if (r == 0)
					r = set_project_guess(env, out);
				goto out;
			}
		}
		r = not_local(env, arg, SESSION_VIA_ARG_UNKNOWN, out);
		/* /handoff passes ${CLAUDE_SESSION_ID}: the running session, maybe not written yet. */
		if (r == 0 && env->session_id != NULL && strcmp(arg, env->session_id) == 0)
			out->flags |= SESSION_F_CURRENT;
		goto out;
	}
	if (env->session_id != NULL && session_id_is_uuid(env->session_id)) {
		if ((r = by_id(env, env->session_id, SESSION_VIA_ENV, out)) == CCL_ERR_NOT_FOUND &&
		    (r = not_local(env, env->session_id, SESSION_VIA_ENV, out)) == 0)
			out->flags |= SESSION_F_CURRENT;
		goto out;
	}
	if ((r = hook_lookup(env, out, &later)) != CCL_ERR_NOT_FOUND)
		goto out;
	if ((r = cwd_lookup(env, out, cands)) != CCL_ERR_NOT_FOUND)
		goto out;
	if (later.id != NULL) {
		*out = later;
		memset(&later, 0, sizeof(later));
		r = 0;
		goto out;
	}
	r = CCL_ERR_NOT_FOUND;
 out:
	if (r != 0) {
		session_info_cleanup(out);
		if (cands != NULL)
			session_list_cleanup(cands);
	}
	session_info_cleanup(&later);
	session_list_cleanup(&l);
	return r;
}
