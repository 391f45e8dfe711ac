/* SPDX-License-Identifier: MIT */
/*
 * test_session.c — Claude Code session discovery against fake Claude roots
 * in temporary directories: the folder naming rule (doc/claude-code.md §2),
 * transcript parsing, the detection order, hook state and the remap.
 */
#define _GNU_SOURCE
/* Fixture paths are short temp dirs; the buffers are sized generously. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include "testutil.h"

#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sys/wait.h>
#include <cjson/cJSON.h>
#include <limits.h>
#include <time.h>
#include <unistd.h>

#include "session.h"
#include "session_int.h"  /* session_dir_within */

#define SID1 "11111111-1111-4111-8111-111111111111"
#define SID2 "22222222-2222-4222-8222-222222222222"
#define SID3 "33333333-3333-4333-8333-333333333333"
#define SID4 "44444444-4444-4444-8444-444444444444"

struct fx {
	char tmp[PATH_MAX];
	char root[PATH_MAX + 32];
	char home[PATH_MAX + 32];
	char state[PATH_MAX + 32];
	char proj[PATH_MAX + 64];  /* $HOME/proj, an existing project directory */
	struct session_env env;
	time_t now;
};

/* ---- helpers ---- */

static void
mkdirs(const char *path)
{
	char buf[PATH_MAX * 2];
	size_t i;

	snprintf(buf, sizeof(buf), "%s", path);
	for (i = 1; buf[i] != '\0'; i++) {
		if (buf[i] == '/') {
			buf[i] = '\0';
			if (mkdir(buf, 0700) != 0 && errno != EEXIST)
				fail_msg("mkdir %s: %s", buf, strerror(errno));
			buf[i] = '/';
		}
	}
	if (mkdir(buf, 0700) != 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", buf, strerror(errno));
}

static void
write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		fail_msg("fopen %s: %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void
set_mtime(const char *path, time_t t)
{
	struct timespec ts[2] = { { t, 0 }, { t, 0 } };

	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static int
rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(p);
}

static char *
folder_of(struct fx *f, const char *dir)
{
	char *name = NULL, *out;

	assert_int_equal(session_sanitize_path(dir, &name), 0);
	assert_int_not_equal(asprintf(&out, "%s/projects/%s", f->root, name), -1);
	free(name);
	return out;
}

/*
 * A transcript for sid started in cwd, in dir's folder (cwd's when dir is
 * NULL): a cwd-less first line as Claude writes, then a user prompt, then
 * extra (raw lines).
 */
static char *
transcript_in(struct fx *f, const char *folder_dir, const char *cwd, const char *sid,
    const char *extra, time_t mtime)
{
	char *folder = folder_of(f, folder_dir != NULL ? folder_dir : cwd), *path, *body;

	mkdirs(folder);
	assert_int_not_equal(asprintf(&path, "%s/%s.jsonl", folder, sid), -1);
	assert_int_not_equal(asprintf(&body,
	    "{\"type\":\"file-history-snapshot\",\"messageId\":\"m\",\"snapshot\":{}}\n"
	    "{\"type\":\"user\",\"cwd\":\"%s\",\"sessionId\":\"%s\",\"message\":{\"role\":\"user\","
	    "\"content\":\"hello from %s\"},\"uuid\":\"u1\",\"parentUuid\":null}\n%s",
	    cwd, sid, sid, extra != NULL ? extra : ""), -1);
	write_file(path, body, strlen(body));
	set_mtime(path, mtime);
	free(body);
	free(folder);
	return path;
}

static void
transcript(struct fx *f, const char *cwd, const char *sid, const char *extra, time_t mtime)
{
	free(transcript_in(f, NULL, cwd, sid, extra, mtime));
}

static int
fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char tmpl[] = "/tmp/ccl-session-XXXXXX", *canon;

	assert_non_null(f);
	assert_non_null(mkdtemp(tmpl));
	canon = realpath(tmpl, NULL);
	assert_non_null(canon);
	snprintf(f->tmp, sizeof(f->tmp), "%s", canon);
	free(canon);
	snprintf(f->root, sizeof(f->root), "%s/claude", f->tmp);
	snprintf(f->home, sizeof(f->home), "%s/home", f->tmp);
	snprintf(f->state, sizeof(f->state), "%s/state", f->tmp);
	snprintf(f->proj, sizeof(f->proj), "%s/proj", f->home);
	mkdirs(f->root);
	mkdirs(f->state);
	mkdirs(f->proj);
	f->env.root = f->root;
	f->env.home = f->home;
	f->env.state_dir = f->state;
	f->env.cwd = f->proj;
	f->now = time(NULL);
	*state = f;
	return 0;
}

static int
fx_teardown(void **state)
{
	struct fx *f = *state;

	nftw(f->tmp, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

/* ---- naming rule ---- */

static void
check_name(const char *path, const char *want)
{
	char *got = NULL;

	assert_int_equal(session_sanitize_path(path, &got), 0);
	assert_string_equal(got, want);
	free(got);
}

static void
test_naming_examples(void **state)
{
	(void)state;
	check_name("/home/u/my_proj", "-home-u-my-proj");
	check_name("/Users/a/.config/x", "-Users-a--config-x");
	check_name("/Users/foo/src/github.com/o/r", "-Users-foo-src-github-com-o-r");
	check_name("/home/u/.local", "-home-u--local");
	check_name("C:\\Users\\x", "C--Users-x");
	check_name("/a b+c~d@e:f-g", "-a-b-c-d-e-f-g");
	check_name("/AZaz09", "-AZaz09");
	check_name("", "");
}

static void
test_naming_utf16(void **state)
{
	(void)state;
	check_name("/caf\xc3\xa9", "-caf-");             /* é: one BMP unit */
	check_name("/\xe4\xb8\xad\xe6\x96\x87", "---");  /* two CJK BMP chars */
	check_name("/x\xf0\x9f\x98\x80y", "-x--y");      /* emoji: a surrogate pair */
	check_name("/\xf0\xa0\x80\x80", "---");          /* CJK Ext. B, astral */
	check_name("/\xe2\x82\xac", "--");               /* € */
	/* Ill-formed UTF-8: one U+FFFD per maximal subpart, as V8 decodes. */
	check_name("/\xff", "--");
	check_name("/\xe2\x82" "a", "--a");
	check_name("/\xf0\x9f\x98" "x", "--x");
	check_name("/\xed\xa0\x80", "----");             /* encoded surrogate: 3 bad bytes */
	check_name("/\xc0\xaf", "---");                  /* overlong: 2 bad bytes */
	check_name("/\x80\x80", "---");
}

static void
test_collisions_not_decoded(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	char a[PATH_MAX * 2], b[PATH_MAX * 2];

	/* a/b-c and a/b_c share one folder; the transcript cwd tells them apart. */
	snprintf(a, sizeof(a), "%s/b-c", f->home);
	snprintf(b, sizeof(b), "%s/b_c", f->home);
	mkdirs(a);
	mkdirs(b);
	transcript(f, b, SID1, NULL, f->now);
	f->env.cwd = a;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), CCL_ERR_NOT_FOUND);
	f->env.cwd = b;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_string_equal(s.id, SID1);
	assert_int_equal(s.via, SESSION_VIA_CWD);
	session_info_cleanup(&s);
}

/* A directory whose sanitized name is over 200 characters: base/<5 x 48 chars>. */
static void
long_dir(struct fx *f, const char *leaf, char *out, size_t n)
{
	snprintf(out, n, "%s/%s/%s/%s/%s/%s", f->home,
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	    "cccccccccccccccccccccccccccccccccccccccccccccccc",
	    "dddddddddddddddddddddddddddddddddddddddddddddddd", leaf);
	mkdirs(out);
}

static void
test_long_paths(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	char d1[PATH_MAX * 2], d2[PATH_MAX * 2], *name = NULL, *folder = NULL, *p = NULL;
	char f1[PATH_MAX * 3], f2[PATH_MAX * 3], path[PATH_MAX * 4];
	int exists = -1;

	long_dir(f, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-one", d1, sizeof(d1));
	long_dir(f, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-two", d2, sizeof(d2));
	assert_int_equal(session_sanitize_path(d1, &name), 0);
	assert_true(strlen(name) > 200);
	/* Not found yet: the new folder is "<first 200>-<hash>". */
	assert_int_equal(session_project_folder(&f->env, d1, &folder, &exists), 0);
	assert_int_equal(exists, 0);
	snprintf(f1, sizeof(f1), "%s/projects/%.200s-", f->root, name);
	assert_memory_equal(folder, f1, strlen(f1));
	assert_true(strlen(folder) > strlen(f1));
	free(folder);
	/* Both directories share the first 200 characters: two hashed folders. */
	snprintf(f1, sizeof(f1), "%s/projects/%.200s-1abc", f->root, name);
	snprintf(f2, sizeof(f2), "%s/projects/%.200s-0zz", f->root, name);
	mkdirs(f1);
	mkdirs(f2);
	snprintf(path, sizeof(path), "%s/%s.jsonl", f1, SID1);
	free(p);
	{
		char *body = NULL;
		assert_int_not_equal(asprintf(&body, "{\"cwd\":\"%s\",\"sessionId\":\"%s\"}\n", d1, SID1), -1);
		write_file(path, body, strlen(body));
		set_mtime(path, f->now - 100);
		free(body);
		snprintf(path, sizeof(path), "%s/%s.jsonl", f2, SID2);
		assert_int_not_equal(asprintf(&body, "{\"cwd\":\"%s\",\"sessionId\":\"%s\"}\n", d2, SID2), -1);
		write_file(path, body, strlen(body));
		set_mtime(path, f->now);  /* newer, but another project */
		free(body);
	}
	f->env.cwd = d1;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_string_equal(s.id, SID1);
	assert_string_equal(s.project, d1);
	session_info_cleanup(&s);
	f->env.cwd = d2;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_string_equal(s.id, SID2);
	session_info_cleanup(&s);
	/* The folder lookup breaks the tie with the transcripts' cwd. */
	assert_int_equal(session_project_folder(&f->env, d1, &folder, &exists), 0);
	assert_int_equal(exists, 1);
	assert_string_equal(folder, f1);
	free(folder);
	assert_int_equal(session_project_folder(&f->env, d2, &folder, &exists), 0);
	assert_string_equal(folder, f2);
	free(folder);
	/* The pickup check finds each transcript under its own prefix folder. */
	assert_int_equal(session_transcript_find(&f->env, d1, SID1, &p), 0);
	snprintf(path, sizeof(path), "%s/%s.jsonl", f1, SID1);
	assert_string_equal(p, path);
	free(p);
	assert_int_equal(session_transcript_find(&f->env, d2, SID1, &p), 0);  /* same prefix */
	free(p);
	assert_int_equal(session_transcript_find(&f->env, d1, SID3, &p), CCL_ERR_NOT_FOUND);
	free(name);
}

static void
test_long_name_hash(void **state)
{
	struct fx *f = *state;
	char path[512], *folder = NULL, want[1024];
	int exists;

	/* Math.abs(Java hashCode over UTF-16).toString(36), computed independently. */
	memset(path, 'x', sizeof(path));
	path[0] = '/';
	path[251] = '\0';
	assert_int_equal(session_project_folder(&f->env, path, &folder, &exists), 0);
	assert_int_equal(exists, 0);
	snprintf(want, sizeof(want), "%s/projects/-%.199s-v734pd", f->root, path + 1);
	assert_string_equal(folder, want);
	free(folder);
	snprintf(path, sizeof(path), "/\xf0\x9f\x98\x80%0220d", 0);
	memset(path + 5, 'y', 220);
	assert_int_equal(session_project_folder(&f->env, path, &folder, &exists), 0);
	assert_non_null(strstr(folder, "-fg2pgu"));
	assert_non_null(strstr(folder, "/---yyy"));
	free(folder);
	/* Short names are never suffixed. */
	assert_int_equal(session_project_folder(&f->env, "/home/u/my_proj", &folder, &exists), 0);
	snprintf(want, sizeof(want), "%s/projects/-home-u-my-proj", f->root);
	assert_string_equal(folder, want);
	free(folder);
	assert_int_equal(session_project_folder(&f->env, "rel", &folder, &exists), CCL_ERR_INVALID_ARG);
}

/* Another project's "<first 200>-*" folder is not ours: the CLI names ours by its own hash. */
static void
test_long_prefix_other_project(void **state)
{
	struct fx *f = *state;
	char d1[PATH_MAX * 2], d2[PATH_MAX * 2], *name = NULL, *folder = NULL, *body = NULL;
	char f1[PATH_MAX * 3], path[PATH_MAX * 4], hash[16], want[PATH_MAX * 4];
	int exists = -1;

	long_dir(f, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-one", d1, sizeof(d1));
	long_dir(f, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-two", d2, sizeof(d2));
	assert_int_equal(session_sanitize_path(d1, &name), 0);
	session_long_name_hash(d1, hash);
	snprintf(f1, sizeof(f1), "%s/projects/%.200s-%s", f->root, name, hash);
	mkdirs(f1);
	snprintf(path, sizeof(path), "%s/%s.jsonl", f1, SID1);
	assert_int_not_equal(asprintf(&body, "{\"cwd\":\"%s\",\"sessionId\":\"%s\"}\n", d1, SID1), -1);
	write_file(path, body, strlen(body));
	assert_int_equal(session_project_folder(&f->env, d1, &folder, &exists), 0);
	assert_int_equal(exists, 1);
	assert_string_equal(folder, f1);
	free(folder);
	session_long_name_hash(d2, hash);
	snprintf(want, sizeof(want), "%s/projects/%.200s-%s", f->root, name, hash);
	assert_int_equal(session_project_folder(&f->env, d2, &folder, &exists), 0);
	assert_int_equal(exists, 0);
	assert_string_equal(folder, want);
	free(folder);
	free(body);
	free(name);
}

static void
test_project_dir_name_override(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	char *folder = NULL, *path = NULL;
	int exists;

	f->env.dir_name = "sess-box-7";
	assert_int_equal(session_project_folder(&f->env, f->proj, &folder, &exists), 0);
	assert_int_equal(exists, 0);
	assert_non_null(strstr(folder, "/projects/sess-box-7"));
	mkdirs(folder);
	assert_int_not_equal(asprintf(&path, "%s/%s.jsonl", folder, SID1), -1);
	{
		char *body = NULL;
		assert_int_not_equal(asprintf(&body, "{\"cwd\":\"%s\"}\n", f->proj), -1);
		write_file(path, body, strlen(body));
		free(body);
	}
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_string_equal(s.id, SID1);
	assert_string_equal(s.transcript, path);
	session_info_cleanup(&s);
	free(path);
	assert_int_equal(session_transcript_find(&f->env, f->proj, SID1, &path), 0);
	free(path);
	free(folder);
	f->env.dir_name = "../escape";
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), CCL_ERR_CONFIG);
}

/* ---- environment ---- */

static void
test_env_from_process(void **state)
{
	struct fx *f = *state;
	struct session_env e;
	char want[PATH_MAX * 2];

	assert_int_equal(chdir(f->proj), 0);
	setenv("HOME", f->home, 1);
	unsetenv("CLAUDE_CONFIG_DIR");
	unsetenv("XDG_STATE_HOME");
	setenv("CLAUDE_CODE_SESSION_ID", SID1, 1);
	setenv("CLAUDE_CODE_PROJECT_DIR_NAME", "", 1);
	assert_int_equal(session_env_from_process(&e), 0);
	snprintf(want, sizeof(want), "%s/.claude", f->home);
	assert_string_equal(e.root, want);
	snprintf(want, sizeof(want), "%s/.local/state/cclink/sessions", f->home);
	assert_string_equal(e.state_dir, want);
	assert_string_equal(e.cwd, f->proj);
	assert_string_equal(e.session_id, SID1);
	assert_null(e.dir_name);  /* empty means unset */
	assert_int_equal(e.pid, getpid());
	session_env_cleanup(&e);
	setenv("CLAUDE_CONFIG_DIR", "/opt/claude-client1", 1);
	setenv("XDG_STATE_HOME", "/xdg", 1);
	setenv("CLAUDE_CODE_PROJECT_DIR_NAME", "box", 1);
	assert_int_equal(session_env_from_process(&e), 0);
	assert_string_equal(e.root, "/opt/claude-client1");
	assert_string_equal(e.state_dir, "/xdg/cclink/sessions");
	assert_string_equal(e.dir_name, "box");
	session_env_cleanup(&e);
	/* As the CLI: only next to CLAUDE_CONFIG_DIR, only ^[A-Za-z0-9_-]{1,64}$. */
	{
		static const char *const bad[] = { "a.b", "../x", "a b", "caf\xc3\xa9", "x/y",
		    "0123456789012345678901234567890123456789012345678901234567890123X" };
		size_t i;

		setenv("CLAUDE_CODE_PROJECT_DIR_NAME",
		    "A_z-0123456789012345678901234567890123456789012345678901234567_", 1);
		assert_int_equal(session_env_from_process(&e), 0);
		assert_non_null(e.dir_name);  /* 64 characters: taken */
		session_env_cleanup(&e);
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			setenv("CLAUDE_CODE_PROJECT_DIR_NAME", bad[i], 1);
			assert_int_equal(session_env_from_process(&e), 0);
			assert_null(e.dir_name);
			session_env_cleanup(&e);
		}
		setenv("CLAUDE_CODE_PROJECT_DIR_NAME", "box", 1);
		unsetenv("CLAUDE_CONFIG_DIR");
		assert_int_equal(session_env_from_process(&e), 0);
		assert_null(e.dir_name);  /* without CLAUDE_CONFIG_DIR the CLI ignores it */
		session_env_cleanup(&e);
		setenv("CLAUDE_CONFIG_DIR", "", 1);
		assert_int_equal(session_env_from_process(&e), 0);
		assert_null(e.dir_name);
		session_env_cleanup(&e);
		setenv("CLAUDE_CONFIG_DIR", "/opt/claude-client1", 1);
		assert_true(session_dir_name_ok("box"));
		assert_false(session_dir_name_ok(""));
		assert_false(session_dir_name_ok("."));
	}
	setenv("XDG_STATE_HOME", "relative", 1);  /* the spec says: ignore */
	assert_int_equal(session_env_from_process(&e), 0);
	snprintf(want, sizeof(want), "%s/.local/state/cclink/sessions", f->home);
	assert_string_equal(e.state_dir, want);
	session_env_cleanup(&e);
	unsetenv("CLAUDE_CONFIG_DIR");
	unsetenv("XDG_STATE_HOME");
	unsetenv("CLAUDE_CODE_SESSION_ID");
	unsetenv("CLAUDE_CODE_PROJECT_DIR_NAME");
	assert_int_equal(chdir("/"), 0);
}

/* ---- detection order ---- */

static void
test_explicit_id(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	char other[PATH_MAX * 2];

	snprintf(other, sizeof(other), "%s/other", f->home);
	mkdirs(other);
	transcript(f, other, SID1, NULL, f->now - 50);
	transcript(f, f->proj, SID2, NULL, f->now);
	/* The project is the session's own start dir, not the current one. */
	assert_int_equal(session_detect(&f->env, SID1, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_ARG_ID);
	assert_string_equal(s.id, SID1);
	assert_string_equal(s.project, other);
	assert_int_equal(s.flags, 0);
	assert_non_null(s.transcript);
	assert_string_equal(s.preview, "hello from " SID1);
	assert_int_equal(s.mtime, f->now - 50);
	session_info_cleanup(&s);
	/* Unknown id: published as given from the current directory. */
	assert_int_equal(session_detect(&f->env, SID3, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_ARG_UNKNOWN);
	assert_string_equal(s.id, SID3);
	assert_string_equal(s.project, f->proj);
	assert_null(s.transcript);
	assert_int_equal(s.flags, SESSION_F_NOT_LOCAL | SESSION_F_PROJECT_GUESS);
	session_info_cleanup(&s);
	/* Typed in upper case: the stored transcript, under the id as Claude stores it. */
	assert_int_equal(session_detect(&f->env, "11111111-1111-4111-8111-111111111111", &s, NULL), 0);
	session_info_cleanup(&s);
	{
		char up[] = SID1 "", *c;

		transcript(f, other, "abcdef01-2345-4678-9abc-def012345678", NULL, f->now - 60);
		snprintf(up, sizeof(up), "%s", "ABCDEF01-2345-4678-9ABC-DEF012345678");
		assert_int_equal(session_detect(&f->env, up, &s, NULL), 0);
		assert_int_equal(s.via, SESSION_VIA_ARG_ID);
		assert_string_equal(s.id, "abcdef01-2345-4678-9abc-def012345678");
		assert_string_equal(s.project, other);
		assert_int_equal(s.flags, 0);
		session_info_cleanup(&s);
		/* No match in any case: published as typed, as before. */
		for (c = up; *c != '\0'; c++)
			if (*c == 'A')
				*c = 'E';
		assert_int_equal(session_detect(&f->env, up, &s, NULL), 0);
		assert_int_equal(s.via, SESSION_VIA_ARG_UNKNOWN);
		assert_string_equal(s.id, up);
		session_info_cleanup(&s);
	}
	/* Refused arguments. */
	assert_int_equal(session_detect(&f->env, "-rf", &s, NULL), CCL_ERR_INVALID_ARG);
	assert_int_equal(session_detect(&f->env, "a\nb", &s, NULL), CCL_ERR_INVALID_ARG);
	assert_int_equal(session_detect(&f->env, "", &s, NULL), CCL_ERR_INVALID_ARG);
	assert_null(s.id);
}

static void
test_explicit_name(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	struct session_list l;
	char other[PATH_MAX * 2];

	snprintf(other, sizeof(other), "%s/other", f->home);
	mkdirs(other);
	/* Renamed twice: only the last custom-title counts. */
	transcript(f, other, SID1,
	    "{\"type\":\"custom-title\",\"customTitle\":\"old name\",\"sessionId\":\"" SID1 "\"}\n"
	    "{\"type\":\"assistant\",\"cwd\":\"/elsewhere\"}\n"
	    "{\"type\":\"custom-title\",\"customTitle\":\"fix the parser\",\"sessionId\":\"" SID1 "\"}\n",
	    f->now - 10);
	transcript(f, f->proj, SID2, "{\"type\":\"custom-title\",\"customTitle\":\"old name\"}\n",
	    f->now - 500);
	assert_int_equal(session_detect(&f->env, "fix the parser", &s, &l), 0);
	assert_int_equal(s.via, SESSION_VIA_ARG_NAME);
	assert_string_equal(s.id, SID1);
	assert_string_equal(s.project, other);
	assert_string_equal(s.title, "fix the parser");
	assert_int_equal(l.n, 1);
	session_info_cleanup(&s);
	session_list_cleanup(&l);
	assert_int_equal(session_detect(&f->env, "old name", &s, &l), 0);
	assert_string_equal(s.id, SID2);
	assert_int_equal(l.n, 1);
	session_info_cleanup(&s);
	session_list_cleanup(&l);
	/* Two sessions with one name: newest wins, both are candidates. */
	transcript(f, other, SID3, "{\"type\":\"custom-title\",\"customTitle\":\"old name\"}\n", f->now);
	assert_int_equal(session_detect(&f->env, "old name", &s, &l), 0);
	assert_string_equal(s.id, SID3);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1].id, SID2);
	assert_int_equal(l.v[1].via, SESSION_VIA_ARG_NAME);
	session_info_cleanup(&s);
	session_list_cleanup(&l);
	assert_int_equal(session_detect(&f->env, "no such name", &s, &l), 0);
	assert_int_equal(s.via, SESSION_VIA_ARG_UNKNOWN);
	assert_string_equal(s.id, "no such name");
	assert_int_equal(l.n, 0);
	session_info_cleanup(&s);
}

static void
test_env_var(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	char other[PATH_MAX * 2];

	snprintf(other, sizeof(other), "%s/other", f->home);
	mkdirs(other);
	transcript(f, other, SID1, NULL, f->now - 1000);
	transcript(f, f->proj, SID2, NULL, f->now);
	f->env.session_id = SID1;  /* beats the newer transcript of the cwd */
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_ENV);
	assert_string_equal(s.id, SID1);
	assert_string_equal(s.project, other);
	session_info_cleanup(&s);
	/* The explicit argument beats the variable. */
	assert_int_equal(session_detect(&f->env, SID2, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_ARG_ID);
	session_info_cleanup(&s);
	/* Set but no transcript yet: still that session, flagged. */
	f->env.session_id = SID4;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_ENV);
	assert_string_equal(s.id, SID4);
	assert_int_equal(s.flags, SESSION_F_NOT_LOCAL | SESSION_F_PROJECT_GUESS | SESSION_F_CURRENT);
	session_info_cleanup(&s);
	/* /handoff passes ${CLAUDE_SESSION_ID}, the same id: the current session too. */
	assert_int_equal(session_detect(&f->env, SID4, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_ARG_UNKNOWN);
	assert_int_equal(s.flags, SESSION_F_NOT_LOCAL | SESSION_F_PROJECT_GUESS | SESSION_F_CURRENT);
	session_info_cleanup(&s);
	/* Another unknown id is not. */
	assert_int_equal(session_detect(&f->env, SID3, &s, NULL), 0);
	assert_int_equal(s.flags, SESSION_F_NOT_LOCAL | SESSION_F_PROJECT_GUESS);
	session_info_cleanup(&s);
	/* Garbage in the variable is ignored. */
	f->env.session_id = "-x";
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_CWD);
	assert_string_equal(s.id, SID2);
	session_info_cleanup(&s);
}

static void
write_state(struct fx *f, const char *key, const char *json, time_t mtime)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s.json", f->state, key);
	write_file(path, json, strlen(json));
	chmod(path, 0600);
	if (mtime != 0)
		set_mtime(path, mtime);
}

/* This process's starttime from /proc, as the hook script records it. */
static void
own_start(char *out, size_t n)
{
	char buf[1024], *p;
	int i;
	FILE *fp = fopen("/proc/self/stat", "r");

	assert_non_null(fp);
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	p = strrchr(buf, ')');
	assert_non_null(p);
	p += 2;
	for (i = 3; i < 22; i++) {
		p = strchr(p, ' ');
		assert_non_null(p);
		p++;
	}
	snprintf(out, n, "%.*s", (int)strcspn(p, " "), p);
}

static void
test_hook_pid(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	char json[4096], key[64], start[64], other[PATH_MAX * 2], *tp;

	snprintf(other, sizeof(other), "%s/other", f->home);
	mkdirs(other);
	tp = transcript_in(f, NULL, other, SID1, NULL, f->now - 1000);
	transcript(f, f->proj, SID2, NULL, f->now);
	own_start(start, sizeof(start));
	f->env.pid = getpid();
	snprintf(key, sizeof(key), "pid-%ld", (long)getpid());
	snprintf(json, sizeof(json), "{\"session_id\":\"%s\",\"transcript_path\":\"%s\",\"cwd\":\"%s\","
	    "\"source\":\"startup\",\"pid\":%ld,\"pid_start\":\"%s\"}\n", SID1, tp, other,
	    (long)getpid(), start);
	write_state(f, key, json, 0);
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_HOOK_PID);
	assert_string_equal(s.id, SID1);
	assert_string_equal(s.project, other);
	session_info_cleanup(&s);
	/* The environment variable still comes first. */
	f->env.session_id = SID2;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_ENV);
	session_info_cleanup(&s);
	f->env.session_id = NULL;
	/* A reused pid (other start time) is not ours. */
	snprintf(json, sizeof(json), "{\"session_id\":\"%s\",\"pid\":%ld,\"pid_start\":\"1\"}",
	    SID1, (long)getpid());
	write_state(f, key, json, 0);
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_CWD);
	session_info_cleanup(&s);
	/* A record whose pid field disagrees with its key is ignored. */
	snprintf(json, sizeof(json), "{\"session_id\":\"%s\",\"pid\":1}", SID1);
	write_state(f, key, json, 0);
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_CWD);
	session_info_cleanup(&s);
	/* No transcript_path: found by id. A transcript that is gone: ignored. */
	snprintf(json, sizeof(json), "{\"session_id\":\"%s\",\"pid\":%ld}", SID1, (long)getpid());
	write_state(f, key, json, 0);
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_HOOK_PID);
	assert_string_equal(s.transcript, tp);
	session_info_cleanup(&s);
	/* No transcript (yet): still the running claude's session, flagged as current;
	 * the project is the hook's cwd, else the current directory. */
	assert_int_equal(truncate(tp, 0), 0);
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_HOOK_PID);
	assert_string_equal(s.id, SID1);
	assert_null(s.transcript);
	assert_string_equal(s.project, f->proj);
	assert_int_equal(s.flags, SESSION_F_NOT_LOCAL | SESSION_F_CURRENT | SESSION_F_PROJECT_GUESS);
	session_info_cleanup(&s);
	snprintf(json, sizeof(json), "{\"session_id\":\"%s\",\"pid\":%ld,\"cwd\":\"%s\"}", SID1,
	    (long)getpid(), other);
	write_state(f, key, json, 0);
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_HOOK_PID);
	assert_string_equal(s.project, other);
	assert_int_equal(s.flags, SESSION_F_NOT_LOCAL | SESSION_F_CURRENT);
	session_info_cleanup(&s);
	/* Hostile state: not JSON, a non-UUID id, too large. */
	write_state(f, key, "{\"session_id\":", 0);
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_CWD);
	session_info_cleanup(&s);
	snprintf(json, sizeof(json), "{\"session_id\":\"../../x\",\"pid\":%ld}", (long)getpid());
	write_state(f, key, json, 0);
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_CWD);
	session_info_cleanup(&s);
	free(tp);
}

static void
test_hook_tmux_tty(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	char json[4096], other[PATH_MAX * 2], tty[PATH_MAX * 2], sub[PATH_MAX * 2];

	snprintf(other, sizeof(other), "%s/other", f->home);
	mkdirs(other);
	transcript(f, other, SID1, NULL, f->now - 1000);
	snprintf(json, sizeof(json), "{\"session_id\":\"%s\",\"cwd\":\"%s\",\"source\":\"resume\"}",
	    SID1, other);
	f->env.tmux = "/tmp/tmux-1000/default,4242,0";
	f->env.tmux_pane = "%17";
	write_state(f, "tmux-4242-17", json, 0);
	/* Inside the recorded project (or below it): the pane's session wins. */
	snprintf(sub, sizeof(sub), "%s/src", other);
	mkdirs(sub);
	f->env.cwd = sub;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_HOOK_TMUX);
	assert_string_equal(s.id, SID1);
	session_info_cleanup(&s);
	/* Elsewhere, with a session of its own there: the cwd's session wins. */
	f->env.cwd = f->proj;
	transcript(f, f->proj, SID2, NULL, f->now - 5000);
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_CWD);
	assert_string_equal(s.id, SID2);
	session_info_cleanup(&s);
	/* Elsewhere with nothing there: the pane's session is the fallback. */
	f->env.cwd = f->home;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_HOOK_TMUX);
	session_info_cleanup(&s);
	/* Another pane of the same server: no record. */
	f->env.tmux_pane = "%18";
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), CCL_ERR_NOT_FOUND);
	f->env.tmux = NULL;
	f->env.tmux_pane = NULL;

	/* tty keys come only from /dev/ names: a path elsewhere gives none. */
	snprintf(tty, sizeof(tty), "%s/faketty", f->tmp);
	write_file(tty, "", 0);
	f->env.tty = tty;
	write_state(f, "tty-faketty", json, f->now + 60);
	f->env.cwd = f->home;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), CCL_ERR_NOT_FOUND);
	f->env.tty = NULL;
}

static void
test_hook_tty_dev(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	struct stat st;
	char json[4096], other[PATH_MAX * 2];
	const char *dev = "/dev/null";  /* a real device node stands in for the tty */

	assert_int_equal(stat(dev, &st), 0);
	snprintf(other, sizeof(other), "%s/other", f->home);
	mkdirs(other);
	transcript(f, other, SID1, NULL, f->now - 1000);
	snprintf(json, sizeof(json), "{\"session_id\":\"%s\",\"cwd\":\"%s\"}", SID1, other);
	f->env.tty = dev;
	f->env.cwd = other;
	write_state(f, "tty-null", json, st.st_ctim.tv_sec - 10);  /* an earlier login */
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_CWD);
	session_info_cleanup(&s);
	write_state(f, "tty-null", json, st.st_ctim.tv_sec + 10);
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_HOOK_TTY);
	assert_string_equal(s.id, SID1);
	session_info_cleanup(&s);
}

static void
test_cwd_newest_and_candidates(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	struct session_list l;
	char other[PATH_MAX * 2], *folder, path[PATH_MAX * 3];

	assert_int_equal(session_detect(&f->env, NULL, &s, &l), CCL_ERR_NOT_FOUND);
	snprintf(other, sizeof(other), "%s/other", f->home);
	mkdirs(other);
	transcript(f, f->proj, SID1, NULL, f->now - 7200);  /* not recent */
	transcript(f, f->proj, SID2, NULL, f->now - 600);
	transcript(f, f->proj, SID3, NULL, f->now - 60);
	transcript(f, other, SID4, NULL, f->now);           /* another project: never */
	/* A newer but empty transcript is absent to Claude, and to us. */
	folder = folder_of(f, f->proj);
	snprintf(path, sizeof(path), "%s/55555555-5555-4555-8555-555555555555.jsonl", folder);
	write_file(path, "", 0);
	/* Subagent transcripts and other files are not sessions. */
	snprintf(path, sizeof(path), "%s/agent-1234.jsonl", folder);
	write_file(path, "{\"cwd\":\"x\"}\n", 12);
	free(folder);
	assert_int_equal(session_detect(&f->env, NULL, &s, &l), 0);
	assert_int_equal(s.via, SESSION_VIA_CWD);
	assert_string_equal(s.id, SID3);
	assert_string_equal(s.project, f->proj);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.n_recent, 2);
	assert_string_equal(l.v[0].id, SID3);
	assert_string_equal(l.v[1].id, SID2);
	assert_string_equal(l.v[2].id, SID1);
	assert_int_equal(l.v[2].via, SESSION_VIA_CWD);
	session_info_cleanup(&s);
	session_list_cleanup(&l);
	/* cands may be NULL. */
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	session_info_cleanup(&s);
}

static void
test_cwd_subdirectory(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	char sub[PATH_MAX * 2], deep[PATH_MAX * 2];

	snprintf(sub, sizeof(sub), "%s/src", f->proj);
	snprintf(deep, sizeof(deep), "%s/src/lib/x", f->proj);
	mkdirs(deep);
	transcript(f, f->proj, SID1, NULL, f->now - 100);
	f->env.cwd = deep;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_CWD_PARENT);
	assert_string_equal(s.id, SID1);
	assert_string_equal(s.project, f->proj);
	session_info_cleanup(&s);
	/* The nearest parent with sessions wins, even when older. */
	transcript(f, sub, SID2, NULL, f->now - 5000);
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_string_equal(s.id, SID2);
	session_info_cleanup(&s);
	/* An exact match beats any parent. */
	transcript(f, deep, SID3, NULL, f->now - 9000);
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_CWD);
	assert_string_equal(s.id, SID3);
	session_info_cleanup(&s);
}

static void
test_cwd_home_boundary(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	char fresh[PATH_MAX * 2];

	/* A session started in $HOME is not the session of every directory in it. */
	transcript(f, f->home, SID1, NULL, f->now);
	snprintf(fresh, sizeof(fresh), "%s/fresh", f->home);
	mkdirs(fresh);
	f->env.cwd = fresh;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), CCL_ERR_NOT_FOUND);
	f->env.cwd = f->home;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_string_equal(s.id, SID1);
	session_info_cleanup(&s);
	/* Nor one started in "/" for a directory outside $HOME. */
	f->env.home = "/nonexistent-home";
	transcript(f, "/", SID2, NULL, f->now);
	f->env.cwd = fresh;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_string_equal(s.id, SID1);  /* the tmp "home" is now just a parent */
	assert_int_equal(s.via, SESSION_VIA_CWD_PARENT);
	session_info_cleanup(&s);
}

static void
test_malformed_transcripts(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	char *folder = folder_of(f, f->proj), path[PATH_MAX * 3], *body = NULL, *big;
	size_t n;

	mkdirs(folder);
	/* Garbage lines, a non-object, a relative cwd and a cwd with a newline come first. */
	snprintf(path, sizeof(path), "%s/%s.jsonl", folder, SID1);
	assert_int_not_equal(asprintf(&body, "not json\n{\"cwd\":\n[1,2]\n\"str\"\n"
	    "{\"cwd\":\"relative/x\"}\n{\"cwd\":\"/a\\nb\"}\n{\"cwd\":42}\n{\"cwd\":\"\"}\n"
	    "{\"cwd\":\"/x\"} trailing\n{\"cwd\":\"%s\",\"sessionId\":\"%s\"}\n", f->proj, SID1), -1);
	write_file(path, body, strlen(body));
	free(body);
	assert_int_equal(session_transcript_load(path, &s), 0);
	assert_string_equal(s.project, f->proj);
	assert_string_equal(s.id, SID1);
	session_info_cleanup(&s);
	/* A 200 KiB first line is skipped; the cwd after it is still found. */
	n = 200 * 1024;
	big = malloc(n + 512);
	assert_non_null(big);
	memset(big, 'a', n);
	memcpy(big, "{\"x\":\"", 6);
	snprintf(big + n, 512, "\"}\n{\"cwd\":\"%s\"}\n", f->proj);
	snprintf(path, sizeof(path), "%s/%s.jsonl", folder, SID2);
	write_file(path, big, strlen(big));
	assert_int_equal(session_transcript_load(path, &s), 0);
	assert_string_equal(s.project, f->proj);
	session_info_cleanup(&s);
	free(big);
	/* A first line over the head cap: no cwd, no crash, bounded read. */
	n = SESSION_HEAD_MAX + 4096;
	big = malloc(n + 512);
	assert_non_null(big);
	memset(big, 'b', n);
	snprintf(big + n, 512, "\n{\"cwd\":\"%s\"}\n", f->proj);
	snprintf(path, sizeof(path), "%s/%s.jsonl", folder, SID3);
	write_file(path, big, strlen(big));
	assert_int_equal(session_transcript_load(path, &s), 0);
	assert_null(s.project);
	session_info_cleanup(&s);
	free(big);
	/* The last line without a newline still counts. */
	snprintf(path, sizeof(path), "%s/%s.jsonl", folder, SID4);
	assert_int_not_equal(asprintf(&body, "{\"cwd\":\"%s\"}", f->proj), -1);
	write_file(path, body, strlen(body));
	free(body);
	assert_int_equal(session_transcript_load(path, &s), 0);
	assert_string_equal(s.project, f->proj);
	session_info_cleanup(&s);
	/* Detection skips the one without a cwd and sees the other three. */
	{
		struct session_list l;
		assert_int_equal(session_detect(&f->env, NULL, &s, &l), 0);
		assert_int_equal(l.n, 3);
		session_info_cleanup(&s);
		session_list_cleanup(&l);
	}
	/* Missing, empty, directory: not found. */
	snprintf(path, sizeof(path), "%s/none.jsonl", folder);
	assert_int_equal(session_transcript_load(path, &s), CCL_ERR_NOT_FOUND);
	write_file(path, "", 0);
	assert_int_equal(session_transcript_load(path, &s), CCL_ERR_NOT_FOUND);
	assert_int_equal(session_transcript_load(folder, &s), CCL_ERR_NOT_FOUND);
	free(folder);
}

/* ---- parsers ---- */

static const char sample[] =
    "{\"type\":\"file-history-snapshot\",\"messageId\":\"m\",\"snapshot\":{}}\n"
    "{\"type\":\"progress\",\"data\":{\"type\":\"hook_progress\"}}\n"
    "{\"type\":\"user\",\"isMeta\":true,\"message\":{\"content\":\"meta\"},\"cwd\":\"/w/p\","
    "\"sessionId\":\"" SID1 "\"}\n"
    "{\"type\":\"user\",\"message\":{\"content\":\"<command-name>/clear</command-name>\"}}\n"
    "{\"type\":\"user\",\"cwd\":\"/w/q\",\"message\":{\"role\":\"user\",\"content\":"
    "[{\"type\":\"image\"},{\"type\":\"text\",\"text\":\"  fix\\n\\tthe\\u0007  bug  \"}]}}\n"
    "{\"type\":\"custom-title\",\"customTitle\":\"t1\"}\n";

static void
test_head_parse(void **state)
{
	struct session_head h;
	size_t i, n = strlen(sample);

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_int_equal(session_head_parse(&h, (const uint8_t *)sample, n, 1), 0);
	assert_string_equal(h.cwd, "/w/p");
	assert_string_equal(h.session_id, SID1);
	assert_string_equal(h.preview, "fix the bug");
	assert_true(h.done);
	session_head_cleanup(&h);
	/* Fed in pieces, the parser gives the same answer. */
	for (i = 1; i < n; i += 7) {
		size_t k;
		memset(&h, 0, sizeof(h));
		for (k = i; k < n; k += i)
			assert_int_equal(session_head_parse(&h, (const uint8_t *)sample, k, 0), 0);
		assert_int_equal(session_head_parse(&h, (const uint8_t *)sample, n, 1), 0);
		assert_string_equal(h.cwd, "/w/p");
		assert_string_equal(h.preview, "fix the bug");
		session_head_cleanup(&h);
	}
	/* Truncated at every length: never crashes; a cwd, if any, is the right one. */
	for (i = 0; i <= n; i++) {
		memset(&h, 0, sizeof(h));
		assert_int_equal(session_head_parse(&h, (const uint8_t *)sample, i, i == n), 0);
		if (h.cwd != NULL)
			assert_string_equal(h.cwd, "/w/p");
		session_head_cleanup(&h);
	}
}

static void
test_head_line_cap(void **state)
{
	struct session_head h;
	char *buf;
	size_t i, off = 0, cap = 4096 + 64 * SESSION_HEAD_LINES;

	(void)state;
	buf = malloc(cap);
	assert_non_null(buf);
	for (i = 0; i < SESSION_HEAD_LINES; i++)
		off += (size_t)snprintf(buf + off, cap - off, "{\"n\":%zu}\n", i);
	off += (size_t)snprintf(buf + off, cap - off, "{\"cwd\":\"/late\"}\n");
	memset(&h, 0, sizeof(h));
	assert_int_equal(session_head_parse(&h, (const uint8_t *)buf, off, 1), 0);
	assert_null(h.cwd);
	assert_true(h.done);
	assert_int_equal(h.lines, SESSION_HEAD_LINES);
	session_head_cleanup(&h);
	free(buf);
}

static void
test_head_mutations(void **state)
{
	struct session_head h;
	uint8_t *m;
	size_t i, n = strlen(sample);
	int bit;

	(void)state;
	m = malloc(n);
	assert_non_null(m);
	for (i = 0; i < n; i++) {
		for (bit = 0; bit < 8; bit += 3) {
			memcpy(m, sample, n);
			m[i] ^= (uint8_t)(1u << bit);
			memset(&h, 0, sizeof(h));
			assert_int_equal(session_head_parse(&h, m, n, 1), 0);
			if (h.cwd != NULL) {
				assert_int_equal(h.cwd[0], '/');
				assert_null(strchr(h.cwd, '\n'));
			}
			if (h.session_id != NULL)
				assert_true(session_id_is_uuid(h.session_id));
			session_head_cleanup(&h);
		}
	}
	free(m);
}

static void
test_tail_title(void **state)
{
	char *t = NULL;
	const char *s;

	(void)state;
	s = "cut line\"custom-title\",\"customTitle\":\"cut\"}\n"
	    "{\"type\":\"custom-title\",\"customTitle\":\"first\"}\n"
	    "{\"type\":\"user\",\"message\":{\"content\":\"\\\"custom-title\\\"\"}}\n"
	    "{\"type\":\"custom-title\",\"customTitle\":\"second\"}\n"
	    "{\"type\":\"custom-title\",\"customTitle\":\"bad\\u001b[31m\"}\n"
	    "{\"type\":\"custom-title\",\"customTitle\":7}\n"
	    "{\"type\":\"custom-title\",\"customTitle\":\"\"}\n";
	assert_int_equal(session_tail_title((const uint8_t *)s, strlen(s), 1, &t), 0);
	assert_string_equal(t, "second");
	free(t);
	/* Not partial: the first line is whole and may be the title. */
	s = "{\"type\":\"custom-title\",\"customTitle\":\"only\"}";
	assert_int_equal(session_tail_title((const uint8_t *)s, strlen(s), 0, &t), 0);
	assert_string_equal(t, "only");
	free(t);
	assert_int_equal(session_tail_title((const uint8_t *)s, strlen(s), 1, &t), 0);
	assert_null(t);
	assert_int_equal(session_tail_title(NULL, 0, 0, &t), 0);
	assert_null(t);
}

static void
test_tail_title_big_file(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	char *folder = folder_of(f, f->proj), path[PATH_MAX * 3], *body;
	size_t n = 300 * 1024, off;

	/* Title at the end of a file far larger than the tail window. */
	mkdirs(folder);
	body = malloc(n + 1024);
	assert_non_null(body);
	off = (size_t)snprintf(body, 1024, "{\"cwd\":\"%s\"}\n", f->proj);
	while (off < n)
		off += (size_t)snprintf(body + off, n + 1024 - off, "{\"type\":\"assistant\",\"x\":\"%0100d\"}\n", 0);
	off += (size_t)snprintf(body + off, n + 1024 - off,
	    "{\"type\":\"custom-title\",\"customTitle\":\"late title\"}\n");
	snprintf(path, sizeof(path), "%s/%s.jsonl", folder, SID1);
	write_file(path, body, off);
	assert_int_equal(session_transcript_load(path, &s), 0);
	assert_string_equal(s.title, "late title");
	assert_string_equal(s.project, f->proj);
	assert_int_equal(s.size, off);
	session_info_cleanup(&s);
	free(body);
	free(folder);
}

/* ---- ids and helpers ---- */

static void
test_id_check(void **state)
{
	char longid[SESSION_ID_MAX + 2];

	(void)state;
	assert_int_equal(session_id_check(SID1), 0);
	assert_int_equal(session_id_check("my session \xc3\xa9"), 0);
	assert_int_equal(session_id_check("-" SID1), CCL_ERR_INVALID_ARG);
	assert_int_equal(session_id_check("--resume"), CCL_ERR_INVALID_ARG);
	assert_int_equal(session_id_check(""), CCL_ERR_INVALID_ARG);
	assert_int_equal(session_id_check(NULL), CCL_ERR_INVALID_ARG);
	assert_int_equal(session_id_check("a\x1b[2J"), CCL_ERR_INVALID_ARG);
	assert_int_equal(session_id_check("a\tb"), CCL_ERR_INVALID_ARG);
	assert_int_equal(session_id_check("a\x7f"), CCL_ERR_INVALID_ARG);
	assert_int_equal(session_id_check("a\xc2\x9b" "2J"), CCL_ERR_INVALID_ARG);  /* C1 CSI */
	assert_int_equal(session_id_check("bad\xff"), CCL_ERR_INVALID_ARG);
	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	assert_int_equal(session_id_check(longid), CCL_ERR_INVALID_ARG);
	longid[SESSION_ID_MAX] = '\0';
	assert_int_equal(session_id_check(longid), 0);
	assert_true(session_id_is_uuid(SID1));
	assert_true(session_id_is_uuid("ABCDEF01-2345-6789-abcd-ef0123456789"));
	assert_false(session_id_is_uuid("11111111-1111-4111-8111-11111111111"));
	assert_false(session_id_is_uuid("11111111-1111-4111-8111-1111111111111"));
	assert_false(session_id_is_uuid("11111111x1111-4111-8111-111111111111"));
	assert_false(session_id_is_uuid("g1111111-1111-4111-8111-111111111111"));
	assert_false(session_id_is_uuid(NULL));
}

static void
test_transcript_find(void **state)
{
	struct fx *f = *state;
	char *p = NULL, *want, link[PATH_MAX * 2];

	want = transcript_in(f, NULL, f->proj, SID1,
	    "{\"type\":\"custom-title\",\"customTitle\":\"named\"}\n", f->now);
	assert_int_equal(session_transcript_find(&f->env, f->proj, SID1, &p), 0);
	assert_string_equal(p, want);
	free(p);
	/* By name, as `claude --resume NAME` does. */
	assert_int_equal(session_transcript_find(&f->env, f->proj, "named", &p), 0);
	assert_string_equal(p, want);
	free(p);
	assert_int_equal(session_transcript_find(&f->env, f->proj, "other", &p), CCL_ERR_NOT_FOUND);
	/* A symlink to the project resolves to the same folder (realpath). */
	snprintf(link, sizeof(link), "%s/link", f->tmp);
	assert_int_equal(symlink(f->proj, link), 0);
	assert_int_equal(session_transcript_find(&f->env, link, SID1, &p), 0);
	free(p);
	/* Only in another project's folder: not found here. */
	assert_int_equal(session_transcript_find(&f->env, f->home, SID1, &p), CCL_ERR_NOT_FOUND);
	assert_int_equal(session_find_id(&f->env, SID1, &p), 0);
	assert_string_equal(p, want);
	free(p);
	assert_int_equal(session_find_id(&f->env, SID2, &p), CCL_ERR_NOT_FOUND);
	assert_int_equal(session_find_id(&f->env, "../x", &p), CCL_ERR_INVALID_ARG);
	/* Empty: absent. */
	assert_int_equal(truncate(want, 0), 0);
	assert_int_equal(session_transcript_find(&f->env, f->proj, SID1, &p), CCL_ERR_NOT_FOUND);
	assert_int_equal(session_find_id(&f->env, SID1, &p), CCL_ERR_NOT_FOUND);
	assert_int_equal(session_transcript_find(&f->env, f->proj, "-x", &p), CCL_ERR_INVALID_ARG);
	assert_int_equal(session_transcript_find(&f->env, "/nonexistent/dir", SID1, &p), CCL_ERR_NOT_FOUND);
	assert_null(p);
	free(want);
}

/* The lossy folder name: /p/my-proj and /p/my/proj share one folder; the cwd decides. */
static void
test_transcript_cwd_check(void **state)
{
	struct fx *f = *state;
	char dash[PATH_MAX * 2], slash[PATH_MAX * 2], link[PATH_MAX * 2], *p = NULL, *cwd = NULL;
	char *t, *folder1, *folder2, *body;

	snprintf(dash, sizeof(dash), "%s/my-proj", f->home);
	snprintf(slash, sizeof(slash), "%s/my/proj", f->home);
	mkdirs(dash);
	mkdirs(slash);
	folder1 = folder_of(f, dash);
	folder2 = folder_of(f, slash);
	assert_string_equal(folder1, folder2);
	free(folder1);
	free(folder2);
	/* Recorded in my-proj; the record names my/proj: found, but refused. */
	t = transcript_in(f, NULL, dash, SID1, NULL, f->now);
	assert_int_equal(session_transcript_find(&f->env, slash, SID1, &p), 0);
	assert_string_equal(p, t);
	assert_int_equal(session_transcript_cwd_check(p, slash, slash, &cwd), CCL_ERR_CONFLICT);
	assert_string_equal(cwd, dash);
	free(cwd);
	/* The same transcript for my-proj itself: fine. */
	assert_int_equal(session_transcript_cwd_check(p, dash, dash, &cwd), 0);
	assert_string_equal(cwd, dash);
	free(cwd);
	/* Carried over from the publisher: it records the published path. */
	assert_int_equal(session_transcript_cwd_check(p, dash, slash, &cwd), 0);
	free(cwd);
	/* Recorded through a symlink to the local directory. */
	snprintf(link, sizeof(link), "%s/link", f->tmp);
	assert_int_equal(symlink(slash, link), 0);
	free(t);
	t = transcript_in(f, slash, link, SID2, NULL, f->now);
	assert_int_equal(session_transcript_cwd_check(t, "/pub/x", slash, &cwd), 0);
	assert_string_equal(cwd, link);
	free(cwd);
	assert_int_equal(session_transcript_cwd_check(t, "/pub/x", dash, &cwd), CCL_ERR_CONFLICT);
	free(cwd);
	/* No cwd in the head: cannot be tied to the directory. */
	assert_int_not_equal(asprintf(&body, "{\"type\":\"summary\",\"summary\":\"s\"}\n"
	    "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"x\"}}\n"), -1);
	write_file(t, body, strlen(body));
	free(body);
	assert_int_equal(session_transcript_cwd_check(t, slash, slash, &cwd), CCL_ERR_FORMAT);
	assert_null(cwd);
	/* A relative or malformed cwd is not a recorded directory either. */
	body = "{\"type\":\"user\",\"cwd\":\"rel/dir\"}\n{\"cwd\":\"/a\"\n";
	write_file(t, body, strlen(body));
	assert_int_equal(session_transcript_cwd_check(t, "rel/dir", slash, &cwd), CCL_ERR_FORMAT);
	assert_null(cwd);
	assert_int_equal(session_transcript_cwd_check("/nonexistent/x.jsonl", slash, slash, &cwd),
	    CCL_ERR_NOT_FOUND);
	assert_null(cwd);
	free(t);
	free(p);
}

static void
test_dir_within(void **state)
{
	(void)state;
	assert_true(session_dir_within("/a/b", "/a/b", "/h"));
	assert_true(session_dir_within("/a/b/c", "/a/b", "/h"));
	assert_false(session_dir_within("/a/bc", "/a/b", "/h"));
	assert_false(session_dir_within("/a", "/a/b", "/h"));
	assert_false(session_dir_within("/h/x", "/h", "/h"));
	assert_true(session_dir_within("/h", "/h", "/h"));
	assert_false(session_dir_within("/x", "/", "/h"));
	assert_true(session_dir_within("/h/x", "/h", NULL));
}

/* ---- remap ---- */

static void
test_remap(void **state)
{
	struct fx *f = *state;
	enum session_remap_rule rule;
	size_t idx;
	char *local = NULL, rule1[PATH_MAX * 2], rule2[PATH_MAX * 2], mnt[PATH_MAX * 2];
	const char *maps[2];

	/* Exists as published. */
	assert_int_equal(session_remap(f->proj, f->home, NULL, 0, &local, &rule, &idx), 0);
	assert_string_equal(local, f->proj);
	assert_int_equal(rule, SESSION_REMAP_NONE);
	free(local);
	/* Another user's home on another OS maps onto ours. */
	assert_int_equal(session_remap("/home/alice/proj", f->home, NULL, 0, &local, &rule, &idx), 0);
	assert_string_equal(local, f->proj);
	assert_int_equal(rule, SESSION_REMAP_HOME);
	free(local);
	assert_int_equal(session_remap("/Users/alice/proj", f->home, NULL, 0, &local, &rule, &idx), 0);
	assert_string_equal(local, f->proj);
	free(local);
	assert_int_equal(session_remap("/root/proj", f->home, NULL, 0, &local, &rule, &idx), 0);
	assert_string_equal(local, f->proj);
	free(local);
	assert_int_equal(session_remap("C:\\Users\\bob\\proj", f->home, NULL, 0, &local, &rule, &idx), 0);
	assert_string_equal(local, f->proj);
	assert_int_equal(rule, SESSION_REMAP_HOME);
	free(local);
	assert_int_equal(session_remap("/home/alice", f->home, NULL, 0, &local, &rule, &idx), 0);
	assert_string_equal(local, f->home);
	free(local);
	/* /Users alone names no user. */
	assert_int_equal(session_remap("/Users/", f->home, NULL, 0, &local, &rule, &idx),
	    CCL_ERR_NOT_FOUND);
	/* Map rules, in order, first existing result wins. */
	snprintf(mnt, sizeof(mnt), "%s/mnt/work/proj", f->tmp);
	mkdirs(mnt);
	snprintf(rule1, sizeof(rule1), "/srv/work=%s/nope", f->tmp);
	snprintf(rule2, sizeof(rule2), "/srv/work/=%s/mnt/work", f->tmp);
	maps[0] = rule1;
	maps[1] = rule2;
	assert_int_equal(session_remap("/srv/work/proj", f->home, maps, 2, &local, &rule, &idx), 0);
	assert_string_equal(local, mnt);
	assert_int_equal(rule, SESSION_REMAP_MAP);
	assert_int_equal(idx, 1);
	free(local);
	/* A rule matches whole components only. */
	assert_int_equal(session_remap("/srv/workshop/proj", f->home, maps, 2, &local, &rule, &idx),
	    CCL_ERR_NOT_FOUND);
	/* The home rule comes before map rules. */
	snprintf(rule1, sizeof(rule1), "/home/alice=%s/mnt/work", f->tmp);
	maps[0] = rule1;
	assert_int_equal(session_remap("/home/alice/proj", f->home, maps, 1, &local, &rule, &idx), 0);
	assert_int_equal(rule, SESSION_REMAP_HOME);
	free(local);
	assert_int_equal(session_remap("/home/alice/proj", "/nonexistent", maps, 1, &local, &rule, &idx), 0);
	assert_int_equal(rule, SESSION_REMAP_MAP);
	assert_string_equal(local, mnt);
	free(local);
	/* Bad input. */
	maps[0] = "no-equals-sign";
	assert_int_equal(session_remap(f->proj, f->home, maps, 1, &local, &rule, &idx), CCL_ERR_INVALID_ARG);
	maps[0] = "=/x";
	assert_int_equal(session_remap(f->proj, f->home, maps, 1, &local, &rule, &idx), CCL_ERR_INVALID_ARG);
	assert_int_equal(session_remap("relative/proj", f->home, NULL, 0, &local, &rule, &idx), CCL_ERR_FORMAT);
	assert_int_equal(session_remap("/home/alice/../../etc", f->home, NULL, 0, &local, &rule, &idx),
	    CCL_ERR_FORMAT);
	assert_int_equal(session_remap("/home/a\nb", f->home, NULL, 0, &local, &rule, &idx), CCL_ERR_FORMAT);
	assert_int_equal(session_remap("", f->home, NULL, 0, &local, &rule, &idx), CCL_ERR_FORMAT);
	assert_int_equal(session_remap(NULL, f->home, NULL, 0, &local, &rule, &idx), CCL_ERR_FORMAT);
	assert_int_equal(session_remap("/home/alice/missing", f->home, NULL, 0, &local, &rule, &idx),
	    CCL_ERR_NOT_FOUND);
	assert_null(local);
}

/* ---- the contrib SessionStart hook, end to end ---- */

static void
hook_script(char *out, size_t n)
{
	const char *top = getenv("CCLINK_TOP");

	snprintf(out, n, "%s/contrib/claude-code/session-start.sh", top != NULL ? top : ".");
	if (access(out, R_OK) != 0)
		fail_msg("cannot read %s (set CCLINK_TOP)", out);
}

/*
 * Run the hook with input on stdin under a shell called "claude" (so the hook
 * finds it as the claude process); the shell stays alive for `linger`
 * seconds. Returns its pid (not yet reaped) .
 */
static pid_t
run_hook(struct fx *f, const char *parser, const char *input, int linger)
{
	char script[PATH_MAX], in[PATH_MAX * 2], claude[PATH_MAX * 2], xdg[PATH_MAX * 2], cmd[256];
	pid_t pid;

	hook_script(script, sizeof(script));
	snprintf(in, sizeof(in), "%s/hook-input.json", f->tmp);
	write_file(in, input, strlen(input));
	snprintf(claude, sizeof(claude), "%s/bin", f->tmp);
	mkdirs(claude);
	snprintf(claude, sizeof(claude), "%s/bin/claude", f->tmp);
	if (access(claude, F_OK) != 0)
		assert_int_equal(symlink("/bin/sh", claude), 0);
	snprintf(xdg, sizeof(xdg), "%s/xdg", f->tmp);
	snprintf(cmd, sizeof(cmd), "/bin/sh \"$0\" < \"$1\"; echo done > \"$1.done\"; exec sleep %d", linger);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("XDG_STATE_HOME", xdg, 1);
		setenv("TMUX", "/tmp/tmux-0/default,77,0", 1);
		setenv("TMUX_PANE", "%5", 1);
		if (parser != NULL)
			setenv("CCLINK_HOOK_PARSER", parser, 1);
		execl(claude, "claude", "-c", cmd, script, in, (char *)NULL);
		_exit(127);
	}
	/* Wait for the hook to finish. */
	snprintf(in, sizeof(in), "%s/hook-input.json.done", f->tmp);
	{
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		int ms;
		for (ms = 0; ms < 10000 && access(in, F_OK) != 0; ms += 20)
			nanosleep(&ts, NULL);
		assert_int_equal(access(in, F_OK), 0);
		unlink(in);
	}
	return pid;
}

static void
reap(pid_t pid)
{
	int st;

	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &st, 0), pid);
}

static int
have(const char *prog)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

static void
test_hook_script(void **state)
{
	struct fx *f = *state;
	struct session_info s;
	struct stat st;
	char other[PATH_MAX * 2], input[PATH_MAX * 4], path[PATH_MAX * 3], *tp;
	const char *parsers[] = { "jq", "python3", "sed" };
	size_t i, ran = 0;
	pid_t pid;

	snprintf(other, sizeof(other), "%s/other", f->home);
	mkdirs(other);
	tp = transcript_in(f, NULL, other, SID1, NULL, f->now - 1000);
	transcript(f, f->proj, SID2, NULL, f->now);
	snprintf(f->state, sizeof(f->state), "%s/xdg/cclink/sessions", f->tmp);
	snprintf(input, sizeof(input), "{\"session_id\":\"%s\",\"transcript_path\":\"%s\",\"cwd\":\"%s\","
	    "\"source\":\"startup\",\"hook_event_name\":\"SessionStart\"}\n", SID1, tp, other);

	/* The claude process is alive: its pid record is found from below it. */
	pid = run_hook(f, NULL, input, 30);
	snprintf(path, sizeof(path), "%s/pid-%ld.json", f->state, (long)pid);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(f->state, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	f->env.pid = pid;
	assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
	assert_int_equal(s.via, SESSION_VIA_HOOK_PID);
	assert_string_equal(s.id, SID1);
	assert_string_equal(s.project, other);
	session_info_cleanup(&s);
	reap(pid);
	/* The process is gone: a later hook run prunes its record. */
	pid = run_hook(f, NULL, input, 0);
	reap(pid);
	assert_int_not_equal(access(path, F_OK), 0);
	f->env.pid = 0;

	/* Every JSON reader produces the same tmux record. */
	for (i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++) {
		if (strcmp(parsers[i], "sed") != 0 && !have(parsers[i]))
			continue;
		ran++;
		snprintf(path, sizeof(path), "%s/tmux-77-5.json", f->state);
		unlink(path);
		pid = run_hook(f, parsers[i], input, 0);
		reap(pid);
		assert_int_equal(access(path, F_OK), 0);
		f->env.tmux = "/tmp/tmux-0/default,77,0";
		f->env.tmux_pane = "%5";
		f->env.cwd = other;
		assert_int_equal(session_detect(&f->env, NULL, &s, NULL), 0);
		assert_int_equal(s.via, SESSION_VIA_HOOK_TMUX);
		assert_string_equal(s.id, SID1);
		session_info_cleanup(&s);
		f->env.tmux = f->env.tmux_pane = NULL;
		f->env.cwd = f->proj;
	}
	assert_true(ran >= 1);

	/* Quotes and backslashes in paths survive the JSON round trip. */
	if (have("jq")) {
		cJSON *j;
		uint8_t *b;
		size_t n;
		snprintf(path, sizeof(path), "%s/tmux-77-5.json", f->state);
		pid = run_hook(f, "jq", "{\"session_id\":\"" SID3 "\",\"cwd\":\"/we\\\"ird\\\\dir\"}", 0);
		reap(pid);
		b = th_read_file(path, &n);
		assert_true(n > 1 && b[n - 1] == '\n');
		j = session_json_parse(b, n - 1);
		assert_non_null(j);
		assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "cwd")),
		    "/we\"ird\\dir");
		assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "session_id")),
		    SID3);
		cJSON_Delete(j);
		free(b);
	}

	/* Hostile input writes nothing. */
	snprintf(path, sizeof(path), "%s/tmux-77-5.json", f->state);
	unlink(path);
	pid = run_hook(f, NULL, "{\"session_id\":\"../../etc/passwd\"}", 0);
	reap(pid);
	pid = run_hook(f, NULL, "{\"session_id\":\"" SID1 "\\nx\"}", 0);
	reap(pid);
	pid = run_hook(f, NULL, "not json", 0);
	reap(pid);
	assert_int_not_equal(access(path, F_OK), 0);
	free(tp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_naming_examples),
		cmocka_unit_test(test_naming_utf16),
		T(test_collisions_not_decoded),
		T(test_long_paths),
		T(test_long_name_hash),
		T(test_long_prefix_other_project),
		T(test_project_dir_name_override),
		T(test_env_from_process),
		T(test_explicit_id),
		T(test_explicit_name),
		T(test_env_var),
		T(test_hook_pid),
		T(test_hook_tmux_tty),
		T(test_hook_tty_dev),
		T(test_cwd_newest_and_candidates),
		T(test_cwd_subdirectory),
		T(test_cwd_home_boundary),
		T(test_malformed_transcripts),
		cmocka_unit_test(test_head_parse),
		cmocka_unit_test(test_head_line_cap),
		cmocka_unit_test(test_head_mutations),
		cmocka_unit_test(test_tail_title),
		T(test_tail_title_big_file),
		cmocka_unit_test(test_id_check),
		T(test_transcript_find),
		T(test_transcript_cwd_check),
		cmocka_unit_test(test_dir_within),
		T(test_remap),
		T(test_hook_script),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
