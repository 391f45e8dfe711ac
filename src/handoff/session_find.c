/* SPDX-License-Identifier: MIT */
/*
 * session_find.c — where transcripts live: the project folder(s) of a
 * directory (exact name, or the long-name prefix rule with the transcript
 * cwd as tie-break), the pickup check, lookups by id and by custom-title
 * across projects, and the remap of a published project path.
 *
 * Trust boundary: folder and file names under the Claude root are only
 * compared, never decoded; transcripts are read via session_transcript_load.
 * Published paths (from a record) are checked by published_ok() first.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "session.h"
#include "session_int.h"

#define MAX_FOLDERS 64        /* prefix matches considered for one long name */
#define MAX_LOADS 256         /* transcripts opened for one directory */

/* ---- folders ---- */

struct strv {
	char **v;
	size_t n;
};

static void
strv_free(struct strv *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Takes ownership of p (freed on failure). */
static int
strv_push(struct strv *s, char *p)
{
	char **nv;

	if ((nv = realloc(s->v, (s->n + 1) * sizeof(*nv))) == NULL) {
		free(p);
		return CCL_ERR_NOMEM;
	}
	s->v = nv;
	s->v[s->n++] = p;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
session_dir_name_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return 0;
	return i >= 1 && i <= SESSION_DIR_NAME_MAX;
}

/* Existing project folders that may hold transcripts started in dir. */
static int
folders_for(const struct session_env *env, const char *dir, struct strv *out)
{
	struct strv t = { 0 };
	struct dirent *de;
	DIR *d = NULL;
	char *name = NULL, *projects = NULL, *p = NULL;
	size_t seen = 0, nexact = 0;
	int r;

	memset(out, 0, sizeof(*out));
	if (env->root == NULL)
		return CCL_ERR_NOT_FOUND;
	if ((r = session_join(&projects, env->root, "/projects", NULL)) != 0)
		goto out;
	if (env->dir_name != NULL) {
		if (!session_dir_name_ok(env->dir_name)) {
			r = CCL_ERR_CONFIG;
			goto out;
		}
		if ((r = session_join(&p, projects, "/", env->dir_name, NULL)) != 0)
			goto out;
		if (session_is_dir(p)) {
			r = strv_push(&t, p);
			p = NULL;
			if (r != 0)
				goto out;
		}
		goto done;
	}
	if ((r = session_sanitize_path(dir, &name)) != 0 ||
	    (r = session_join(&p, projects, "/", name, NULL)) != 0)
		goto out;
	if (session_is_dir(p)) {  /* also how builds before the long-name rule named it */
		r = strv_push(&t, p);
		p = NULL;
		if (r != 0)
			goto out;
		nexact = 1;
	}
	if (strlen(name) <= SESSION_NAME_SANITIZED_MAX || (d = opendir(projects)) == NULL)
		goto done;
	/* "<first 200>-<hash>": any hash. Ours equals the 2.1.328 CLI's, but other
	 * builds (and the Node SDK) have hashed differently, so scan by prefix. */
	while ((de = readdir(d)) != NULL && seen++ < SESSION_MAX_DIRENTS && t.n < MAX_FOLDERS) {
		if (strncmp(de->d_name, name, SESSION_NAME_SANITIZED_MAX) != 0 ||
		    de->d_name[SESSION_NAME_SANITIZED_MAX] != '-' ||
		    de->d_name[SESSION_NAME_SANITIZED_MAX + 1] == '\0' || strcmp(de->d_name, name) == 0)
			continue;
		free(p);
		if ((r = session_join(&p, projects, "/", de->d_name, NULL)) != 0)
			goto out;
		if (!session_is_dir(p))
			continue;
		r = strv_push(&t, p);
		p = NULL;
		if (r != 0)
			goto out;
	}
	if (t.n - nexact > 1)  /* readdir order is arbitrary */
		qsort(t.v + nexact, t.n - nexact, sizeof(*t.v), cmp_str);
 done:
	*out = t;
	memset(&t, 0, sizeof(t));
	r = 0;
 out:
	if (d != NULL)
		closedir(d);
	strv_free(&t);
	free(name);
	free(projects);
	free(p);
	return r;
}

struct tfile {
	char *path;
	time_t sec;
	long nsec;
};

static int
tfile_newer(const void *a, const void *b)
{
	const struct tfile *x = a, *y = b;

	if (x->sec != y->sec)
		return x->sec > y->sec ? -1 : 1;
	if (x->nsec != y->nsec)
		return x->nsec > y->nsec ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* Non-empty <uuid>.jsonl files of one folder, newest first. */
static int
list_transcripts(const char *folder, struct tfile **out, size_t *nout)
{
	struct tfile *v = NULL, *nv;
	struct dirent *de;
	struct stat st;
	DIR *d;
	char *p = NULL, stem[37];
	size_t n = 0, seen = 0, i;
	int r = 0;

	*out = NULL;
	*nout = 0;
	if ((d = opendir(folder)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && seen++ < SESSION_MAX_DIRENTS) {
		if (strlen(de->d_name) != 42 || strcmp(de->d_name + 36, ".jsonl") != 0)
			continue;
		memcpy(stem, de->d_name, 36);
		stem[36] = '\0';
		if (!session_id_is_uuid(stem))
			continue;
		if ((r = session_join(&p, folder, "/", de->d_name, NULL)) != 0)
			break;
		if (!session_stat_nonempty(p, &st)) {
			free(p);
			p = NULL;
			continue;
		}
		if ((nv = realloc(v, (n + 1) * sizeof(*v))) == NULL) {
			r = CCL_ERR_NOMEM;
			break;
		}
		v = nv;
		v[n].path = p;
		v[n].sec = st.st_mtim.tv_sec;
		v[n].nsec = st.st_mtim.tv_nsec;
		n++;
		p = NULL;
	}
	closedir(d);
	free(p);
	if (r != 0) {
		for (i = 0; i < n; i++)
			free(v[i].path);
		free(v);
		return r;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), tfile_newer);
	*out = v;
	*nout = n;
	return 0;
}

static void
tfiles_free(struct tfile *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

/* Does some transcript in folder start in dir? (tie-break for long names) */
static int
folder_has_cwd(const char *folder, const char *dir)
{
	struct session_info s;
	struct tfile *v = NULL;
	size_t n = 0, i;
	int hit = 0;

	if (list_transcripts(folder, &v, &n) != 0)
		return 0;
	for (i = 0; i < n && i < 8 && !hit; i++) {
		if (session_transcript_load(v[i].path, &s) != 0)
			continue;
		hit = s.project != NULL && strcmp(s.project, dir) == 0;
		session_info_cleanup(&s);
	}
	tfiles_free(v, n);
	return hit;
}

int
session_collect(const struct session_env *env, const char *dir, struct session_list *l)
{
	struct strv f = { 0 };
	struct session_info s;
	struct tfile *v = NULL;
	size_t nv = 0, i, j, loads = 0, found = 0;
	int r;

	memset(&s, 0, sizeof(s));
	if ((r = folders_for(env, dir, &f)) != 0)
		return r == CCL_ERR_NOT_FOUND ? 0 : r;
	for (i = 0; i < f.n; i++) {
		if ((r = list_transcripts(f.v[i], &v, &nv)) != 0)
			goto out;
		for (j = 0; j < nv && found < SESSION_MAX_CANDIDATES && loads < MAX_LOADS; j++) {
			loads++;
			if (session_transcript_load(v[j].path, &s) != 0)
				continue;
			if (s.project != NULL && strcmp(s.project, dir) == 0) {
				if ((r = session_list_push(l, &s)) != 0)
					goto out;
				found++;
			}
			session_info_cleanup(&s);
		}
		tfiles_free(v, nv);
		v = NULL;
		nv = 0;
	}
	r = 0;
 out:
	session_info_cleanup(&s);
	tfiles_free(v, nv);
	strv_free(&f);
	return r;
}

int
session_project_folder(const struct session_env *env, const char *dir, char **folder, int *exists)
{
	struct strv f = { 0 };
	char *name = NULL, *own = NULL, *full = NULL, hash[16];
	size_t i, pick;
	int r;

	*folder = NULL;
	*exists = 0;
	if (env->root == NULL || !session_path_ok(dir))
		return CCL_ERR_INVALID_ARG;
	if ((r = folders_for(env, dir, &f)) != 0)
		goto out;
	if (env->dir_name != NULL) {
		*exists = f.n > 0;
		r = session_join(folder, env->root, "/projects/", env->dir_name, NULL);
		goto out;
	}
	if ((r = session_sanitize_path(dir, &name)) != 0 ||
	    (r = session_join(&full, env->root, "/projects/", name, NULL)) != 0)
		goto out;
	if (strlen(name) > SESSION_NAME_SANITIZED_MAX) {
		/* The CLI's own name for it; our hash is the 2.1.328 CLI's. */
		name[SESSION_NAME_SANITIZED_MAX] = '\0';
		session_long_name_hash(dir, hash);
		r = session_join(&own, env->root, "/projects/", name, "-", hash, NULL);
	} else
		r = session_join(&own, env->root, "/projects/", name, NULL);
	if (r != 0)
		goto out;
	/*
	 * Existing folders: the exact name; else one that holds a transcript
	 * started in dir (a build that hashed differently); else the unhashed
	 * name older builds used. A "<first 200>-*" folder of another project
	 * (same first 200 characters) is not ours.
	 */
	pick = f.n;
	for (i = 0; i < f.n && pick == f.n; i++)
		if (strcmp(f.v[i], own) == 0)
			pick = i;
	for (i = 0; i < f.n && pick == f.n; i++)
		if (folder_has_cwd(f.v[i], dir))
			pick = i;
	for (i = 0; i < f.n && pick == f.n; i++)
		if (strcmp(f.v[i], full) == 0)
			pick = i;
	if (pick < f.n) {
		*folder = f.v[pick];
		f.v[pick] = NULL;
		*exists = 1;
	} else {
		*folder = own;
		own = NULL;
	}
	r = 0;
 out:
	for (i = 0; i < f.n; i++)
		free(f.v[i]);
	free(f.v);
	free(name);
	free(own);
	free(full);
	return r;
}

/* A session named by its custom-title: the newest such transcript in the folders. */
static int
find_titled(const struct strv *f, const char *name, char **path)
{
	struct session_list l = { 0 };
	struct session_info s;
	struct tfile *v = NULL;
	size_t nv = 0, i, j;
	int r = 0;

	*path = NULL;
	memset(&s, 0, sizeof(s));
	for (i = 0; i < f->n && r == 0; i++) {
		if ((r = list_transcripts(f->v[i], &v, &nv)) != 0)
			break;
		for (j = 0; j < nv && j < MAX_LOADS && r == 0; j++) {
			if (session_transcript_load(v[j].path, &s) != 0)
				continue;
			if (s.title != NULL && strcmp(s.title, name) == 0)
				r = session_list_push(&l, &s);
			session_info_cleanup(&s);
		}
		tfiles_free(v, nv);
		v = NULL;
		nv = 0;
	}
	if (r == 0 && l.n == 0)
		r = CCL_ERR_NOT_FOUND;
	if (r == 0) {
		session_list_sort(&l);
		*path = l.v[0].transcript;
		l.v[0].transcript = NULL;
	}
	session_list_cleanup(&l);
	return r;
}

int
session_transcript_find(const struct session_env *env, const char *dir, const char *sid, char **path)
{
	struct strv f = { 0 }, hits = { 0 };
	struct session_info s;
	struct stat st;
	char *canon = NULL, *p = NULL;
	size_t i, pick = 0;
	int r;

	*path = NULL;
	memset(&s, 0, sizeof(s));
	if (session_id_check(sid) != 0)
		return CCL_ERR_INVALID_ARG;
	if ((canon = realpath(dir, NULL)) == NULL) {
		r = errno == ENOENT || errno == ENOTDIR ? CCL_ERR_NOT_FOUND : CCL_ERR_SYSTEM;
		goto out;
	}
	if ((r = folders_for(env, canon, &f)) != 0)
		goto out;
	if (!session_id_is_uuid(sid)) {  /* `claude --resume` also takes a name */
		r = find_titled(&f, sid, path);
		goto out;
	}
	for (i = 0; i < f.n; i++) {
		if ((r = session_join(&p, f.v[i], "/", sid, ".jsonl", NULL)) != 0)
			goto out;
		if (session_stat_nonempty(p, &st)) {
			r = strv_push(&hits, p);
			p = NULL;
			if (r != 0)
				goto out;
		}
		free(p);
		p = NULL;
	}
	if (hits.n == 0) {
		r = CCL_ERR_NOT_FOUND;
		goto out;
	}
	/* Several long-name folders: prefer the copy that started in dir. */
	for (i = 0; i < hits.n && hits.n > 1; i++) {
		if (session_transcript_load(hits.v[i], &s) == 0 && s.project != NULL &&
		    strcmp(s.project, canon) == 0) {
			pick = i;
			break;
		}
		session_info_cleanup(&s);
	}
	*path = hits.v[pick];
	hits.v[pick] = NULL;
	r = 0;
 out:
	session_info_cleanup(&s);
	strv_free(&hits);
	strv_free(&f);
	free(canon);
	free(p);
	return r;
}

int
session_transcript_cwd_check(const char *path, const char *published, const char *local,
    char **cwd)
{
	struct session_info s;
	char *canon = NULL;
	int r;

	*cwd = NULL;
	if ((r = session_transcript_load(path, &s)) != 0)
		return r;
	if (s.project == NULL) {
		r = CCL_ERR_FORMAT;
		goto out;
	}
	/* Claude's folder names are lossy: the folder alone does not tie it to the directory. */
	if (strcmp(s.project, published) == 0 || strcmp(s.project, local) == 0)
		r = 0;
	else if ((canon = realpath(s.project, NULL)) != NULL && strcmp(canon, local) == 0)
		r = 0;  /* recorded through a symlink to the directory */
	else
		r = CCL_ERR_CONFLICT;
	*cwd = s.project;
	s.project = NULL;
 out:
	free(canon);
	session_info_cleanup(&s);
	return r;
}

int
session_find_id(const struct session_env *env, const char *sid, char **path)
{
	struct dirent *de;
	struct stat st;
	DIR *d = NULL;
	char *projects = NULL, *p = NULL, *best = NULL;
	struct timespec bt = { 0, 0 };
	size_t seen = 0;
	int r;

	*path = NULL;
	if (!session_id_is_uuid(sid))
		return CCL_ERR_INVALID_ARG;
	if (env->root == NULL)
		return CCL_ERR_NOT_FOUND;
	if ((r = session_join(&projects, env->root, "/projects", NULL)) != 0)
		goto out;
	if ((d = opendir(projects)) == NULL) {
		r = CCL_ERR_NOT_FOUND;
		goto out;
	}
	while ((de = readdir(d)) != NULL && seen++ < SESSION_MAX_DIRENTS) {
		if (de->d_name[0] == '.')
			continue;
		if ((r = session_join(&p, projects, "/", de->d_name, "/", sid, ".jsonl", NULL)) != 0)
			goto out;
		if (session_stat_nonempty(p, &st) && (best == NULL || st.st_mtim.tv_sec > bt.tv_sec ||
		    (st.st_mtim.tv_sec == bt.tv_sec && st.st_mtim.tv_nsec > bt.tv_nsec))) {
			free(best);
			best = p;
			p = NULL;
			bt = st.st_mtim;
		}
		free(p);
		p = NULL;
	}
	if (best == NULL) {
		r = CCL_ERR_NOT_FOUND;
		goto out;
	}
	*path = best;
	best = NULL;
	r = 0;
 out:
	if (d != NULL)
		closedir(d);
	free(projects);
	free(p);
	free(best);
	return r;
}

/* The newest non-empty file in folder whose name is <sid>.jsonl ignoring case. */
static int
folder_nocase(const char *folder, const char *want, char **best, struct timespec *bt)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	char *p = NULL;
	size_t seen = 0;
	int r = 0;

	if ((d = opendir(folder)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && seen++ < SESSION_MAX_DIRENTS) {
		if (strcasecmp(de->d_name, want) != 0)
			continue;
		if ((r = session_join(&p, folder, "/", de->d_name, NULL)) != 0)
			break;
		if (session_stat_nonempty(p, &st) && (*best == NULL || st.st_mtim.tv_sec > bt->tv_sec ||
		    (st.st_mtim.tv_sec == bt->tv_sec && st.st_mtim.tv_nsec > bt->tv_nsec))) {
			free(*best);
			*best = p;
			p = NULL;
			*bt = st.st_mtim;
		}
		free(p);
		p = NULL;
	}
	closedir(d);
	free(p);
	return r;
}

int
session_find_id_nocase(const struct session_env *env, const char *sid, char **path)
{
	struct dirent *de;
	struct timespec bt = { 0, 0 };
	DIR *d = NULL;
	char *projects = NULL, *folder = NULL, *want = NULL, *best = NULL;
	size_t seen = 0;
	int r;

	*path = NULL;
	if (!session_id_is_uuid(sid))
		return CCL_ERR_INVALID_ARG;
	if (env->root == NULL)
		return CCL_ERR_NOT_FOUND;
	if ((r = session_join(&projects, env->root, "/projects", NULL)) != 0 ||
	    (r = session_join(&want, sid, ".jsonl", NULL)) != 0)
		goto out;
	if ((d = opendir(projects)) == NULL) {
		r = CCL_ERR_NOT_FOUND;
		goto out;
	}
	while ((de = readdir(d)) != NULL && seen++ < SESSION_MAX_DIRENTS) {
		if (de->d_name[0] == '.')
			continue;
		free(folder);
		if ((r = session_join(&folder, projects, "/", de->d_name, NULL)) != 0 ||
		    (r = folder_nocase(folder, want, &best, &bt)) != 0)
			goto out;
	}
	if (best == NULL) {
		r = CCL_ERR_NOT_FOUND;
		goto out;
	}
	*path = best;
	best = NULL;
	r = 0;
 out:
	if (d != NULL)
		closedir(d);
	free(projects);
	free(folder);
	free(want);
	free(best);
	return r;
}

int
session_collect_name(const struct session_env *env, const char *name, struct session_list *l)
{
	struct dirent *de;
	struct session_info s;
	struct tfile *v = NULL;
	DIR *d = NULL;
	char *projects = NULL, *folder = NULL;
	size_t nv = 0, j, seen = 0;
	int r;

	memset(&s, 0, sizeof(s));
	if (env->root == NULL)
		return 0;
	if ((r = session_join(&projects, env->root, "/projects", NULL)) != 0)
		goto out;
	if ((d = opendir(projects)) == NULL) {
		r = 0;
		goto out;
	}
	while ((de = readdir(d)) != NULL && seen++ < SESSION_MAX_DIRENTS) {
		if (de->d_name[0] == '.')
			continue;
		free(folder);
		if ((r = session_join(&folder, projects, "/", de->d_name, NULL)) != 0)
			goto out;
		if ((r = list_transcripts(folder, &v, &nv)) != 0)
			goto out;
		for (j = 0; j < nv; j++) {
			if (session_transcript_load(v[j].path, &s) != 0)
				continue;
			if (s.title != NULL && strcmp(s.title, name) == 0 &&
			    (r = session_list_push(l, &s)) != 0)
				goto out;
			session_info_cleanup(&s);
		}
		tfiles_free(v, nv);
		v = NULL;
		nv = 0;
	}
	r = 0;
 out:
	if (d != NULL)
		closedir(d);
	session_info_cleanup(&s);
	tfiles_free(v, nv);
	free(projects);
	free(folder);
	return r;
}

/* ---- remap ---- */

static int
win_abs(const char *s)
{
	return ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')) && s[1] == ':' &&
	    (s[2] == '\\' || s[2] == '/');
}

static int
is_sep(char c, int win)
{
	return c == '/' || (win && c == '\\');
}

/* Absolute (POSIX or drive letter), printable, no ".." component. */
static int
published_ok(const char *s)
{
	int win = win_abs(s);
	size_t i, start = 0;

	if (!(s[0] == '/' || win) || !session_text_ok(s, PATH_MAX - 1))
		return 0;
	for (i = 0;; i++) {
		if (s[i] == '\0' || is_sep(s[i], win)) {
			if (i - start == 2 && s[start] == '.' && s[start + 1] == '.')
				return 0;
			start = i + 1;
		}
		if (s[i] == '\0')
			return 1;
	}
}

/* Length of the publisher's home prefix (/home/u, /Users/u, /root, C:\Users\u), or 0. */
static size_t
home_prefix(const char *s)
{
	static const char *const bases[] = { "/home/", "/Users/", "/usr/home/", "/var/home/" };
	int win = win_abs(s);
	size_t i, n;

	if (strncmp(s, "/root", 5) == 0 && (s[5] == '\0' || s[5] == '/'))
		return 5;
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]) + 1; i++) {
		if (i < sizeof(bases) / sizeof(bases[0])) {
			n = strlen(bases[i]);
			if (strncmp(s, bases[i], n) != 0)
				continue;
		} else {
			if (!win || strncasecmp(s + 3, "Users", 5) != 0 || !is_sep(s[8], 1))
				continue;
			n = 9;
		}
		if (s[n] == '\0' || is_sep(s[n], win))
			continue;  /* no user component */
		while (s[n] != '\0' && !is_sep(s[n], win))
			n++;
		return n;
	}
	return 0;
}

/* new + rest-of-published (backslashes turned into '/'), canonical if a directory. */
static int
try_dir(const char *prefix, const char *rest, int win, char **local)
{
	char *cand = NULL, *canon = NULL, *c;
	int r;

	*local = NULL;
	if ((r = session_join(&cand, prefix, rest, NULL)) != 0)
		return r;
	if (win)
		for (c = cand; *c != '\0'; c++)
			if (*c == '\\')
				*c = '/';
	if (cand[0] == '/' && (canon = realpath(cand, NULL)) != NULL && session_is_dir(canon)) {
		*local = canon;
		canon = NULL;
	}
	free(cand);
	free(canon);
	return *local != NULL ? 0 : CCL_ERR_NOT_FOUND;
}

int
session_remap(const char *published, const char *home, const char *const *maps, size_t nmaps,
    char **local, enum session_remap_rule *rule, size_t *map_index)
{
	char *old = NULL;
	const char *eq;
	size_t i, n, ol;
	int win, r;

	*local = NULL;
	*rule = SESSION_REMAP_NONE;
	*map_index = 0;
	if (published == NULL || !published_ok(published))
		return CCL_ERR_FORMAT;
	for (i = 0; i < nmaps; i++)
		if ((eq = strchr(maps[i], '=')) == NULL || eq == maps[i] || eq[1] == '\0')
			return CCL_ERR_INVALID_ARG;
	win = win_abs(published);
	if (!win && try_dir(published, "", 0, local) == 0)
		return 0;
	if (home != NULL && home[0] == '/' && (n = home_prefix(published)) > 0 &&
	    try_dir(home, published + n, win, local) == 0) {
		*rule = SESSION_REMAP_HOME;
		return 0;
	}
	for (i = 0; i < nmaps; i++) {
		eq = strchr(maps[i], '=');
		free(old);
		if ((old = strndup(maps[i], (size_t)(eq - maps[i]))) == NULL)
			return CCL_ERR_NOMEM;
		ol = strlen(old);
		while (ol > 1 && is_sep(old[ol - 1], win))
			old[--ol] = '\0';
		if (strncmp(published, old, ol) != 0 ||
		    !(published[ol] == '\0' || is_sep(published[ol], win) || (ol == 1 && old[0] == '/')))
			continue;
		if (try_dir(eq + 1, published + (ol == 1 && old[0] == '/' ? 0 : ol), win, local) == 0) {
			*rule = SESSION_REMAP_MAP;
			*map_index = i;
			r = 0;
			goto out;
		}
	}
	r = CCL_ERR_NOT_FOUND;
 out:
	free(old);
	return r;
}
