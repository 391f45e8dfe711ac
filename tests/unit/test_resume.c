/* SPDX-License-Identifier: MIT */
/*
 * test_resume.c — the resume plan (argv for plain, tmux and inside-tmux),
 * PATH lookup, id/dir refusal, and real execs of a fake claude: directly,
 * and inside a private tmux server when tmux is installed.
 */
#define _GNU_SOURCE
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include "testutil.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "resume.h"

#define SID "0123abcd-1111-4111-8111-111111111111"

struct fx {
	char tmp[PATH_MAX];
	char bin[PATH_MAX + 16];    /* claude and a fake tmux */
	char bin2[PATH_MAX + 16];   /* claude only */
	char proj[PATH_MAX + 16];
	char out[PATH_MAX + 16];    /* what the fake claude records */
	char claude[PATH_MAX + 32];
	char claude2[PATH_MAX + 32];
	char tmux[PATH_MAX + 32];
};

static void
write_exe(const char *path, const char *body, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(body, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static int
rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(p);
}

static int
fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char tmpl[] = "/tmp/ccl-resume-XXXXXX", *canon, *script = NULL;

	assert_non_null(f);
	assert_non_null(mkdtemp(tmpl));
	canon = realpath(tmpl, NULL);
	assert_non_null(canon);
	snprintf(f->tmp, sizeof(f->tmp), "%s", canon);
	free(canon);
	snprintf(f->bin, sizeof(f->bin), "%s/bin", f->tmp);
	snprintf(f->bin2, sizeof(f->bin2), "%s/bin2", f->tmp);
	snprintf(f->proj, sizeof(f->proj), "%s/my proj", f->tmp);
	snprintf(f->out, sizeof(f->out), "%s/claude.out", f->tmp);
	assert_int_equal(mkdir(f->bin, 0700), 0);
	assert_int_equal(mkdir(f->bin2, 0700), 0);
	assert_int_equal(mkdir(f->proj, 0700), 0);
	/* The fake claude records its cwd, argv, CLAUDE_CONFIG_DIR and umask. */
	assert_int_not_equal(asprintf(&script,
	    "#!/bin/sh\n"
	    "{ pwd; for a in \"$@\"; do printf '%%s\\n' \"$a\"; done;"
	    " printf 'CCD=%%s\\n' \"${CLAUDE_CONFIG_DIR-unset}\"; printf 'UMASK=%%s\\n' \"$(umask)\"; }"
	    " > '%s.tmp' && mv '%s.tmp' '%s'\n"
	    "sleep \"${FAKE_CLAUDE_SLEEP:-0}\"\n", f->out, f->out, f->out), -1);
	snprintf(f->claude, sizeof(f->claude), "%s/claude", f->bin);
	snprintf(f->claude2, sizeof(f->claude2), "%s/claude", f->bin2);
	snprintf(f->tmux, sizeof(f->tmux), "%s/tmux", f->bin);
	write_exe(f->claude, script, 0700);
	write_exe(f->claude2, script, 0700);
	write_exe(f->tmux, "#!/bin/sh\nexit 1\n", 0700);
	free(script);
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

static void
check_argv(char **got, const char *const *want)
{
	size_t i;

	assert_non_null(got);
	for (i = 0; want[i] != NULL; i++) {
		assert_non_null(got[i]);
		assert_string_equal(got[i], want[i]);
	}
	assert_null(got[i]);
}

/* What the plan's key and tmux name must be: SHA-256(id NUL dir), "cclink-" ID8 "-" 16 hex. */
struct names {
	char key[RESUME_TMUX_KEY_LEN + 1];
	char keyenv[RESUME_TMUX_KEY_LEN + 32];
	char name[RESUME_TMUX_NAME_MAX];
	char target[RESUME_TMUX_NAME_MAX + 1];
};

static void
names_for(struct names *n, const char *id8, const char *id, const char *dir)
{
	uint8_t buf[PATH_MAX * 2], h[32];
	size_t il = strlen(id), dl = strlen(dir), i;

	assert_true(il + 1 + dl <= sizeof(buf));
	memcpy(buf, id, il + 1);
	memcpy(buf + il + 1, dir, dl);
	crypto_hash_sha256(h, buf, il + 1 + dl);
	for (i = 0; i < 32; i++)
		snprintf(n->key + 2 * i, 3, "%02x", h[i]);
	snprintf(n->keyenv, sizeof(n->keyenv), "CCLINK_RESUME=%s", n->key);
	snprintf(n->name, sizeof(n->name), "cclink-%s-%.16s", id8, n->key);
	snprintf(n->target, sizeof(n->target), "=%s", n->name);
}

static void
env_init(struct resume_env *e, const char *path)
{
	memset(e, 0, sizeof(*e));
	e->path = path;
	e->umask = -1;
}

static void
test_plan_direct(void **state)
{
	struct fx *f = *state;
	struct resume_env e;
	struct resume_plan p;

	env_init(&e, f->bin2);
	assert_int_equal(resume_plan_build(&e, SID, f->proj, 0, &p), 0);
	assert_int_equal(p.mode, RESUME_DIRECT);
	assert_int_equal(p.tmux_missing, 0);
	assert_string_equal(p.dir, f->proj);
	assert_string_equal(p.claude, f->claude2);
	assert_null(p.config_dir);
	{
		const char *want[] = { f->claude2, "--resume", SID, NULL };
		check_argv(p.argv, want);
	}
	assert_null(p.has_argv);
	assert_null(p.create_argv);
	resume_plan_cleanup(&p);
	/* tmux not asked for: direct even with tmux on PATH and inside tmux. */
	env_init(&e, f->bin);
	e.tmux = "/tmp/tmux-1/default,1,0";
	assert_int_equal(resume_plan_build(&e, SID, f->proj, 0, &p), 0);
	assert_int_equal(p.mode, RESUME_DIRECT);
	assert_null(p.tmux);
	resume_plan_cleanup(&p);
}

static void
test_plan_tmux(void **state)
{
	struct fx *f = *state;
	struct resume_env e;
	struct resume_plan p;

	struct names nm;

	names_for(&nm, "0123abcd", SID, f->proj);
	env_init(&e, f->bin);
	e.claude_config_dir = "/home/u/.claude-work";
	assert_int_equal(resume_plan_build(&e, SID, f->proj, 1, &p), 0);
	assert_int_equal(p.mode, RESUME_TMUX);
	assert_string_equal(p.key, nm.key);
	assert_string_equal(p.name, nm.name);
	assert_string_equal(p.config_dir, "/home/u/.claude-work");
	{
		const char *want[] = { f->tmux, "new-session", "-A", "-s", nm.name, "-e", nm.keyenv,
		    "-e", "CLAUDE_CONFIG_DIR=/home/u/.claude-work", "--", f->claude, "--resume", SID, NULL };
		const char *has[] = { f->tmux, "has-session", "-t", nm.target, NULL };
		const char *check[] = { f->tmux, "show-environment", "-t", nm.target, "CCLINK_RESUME", NULL };
		check_argv(p.argv, want);
		check_argv(p.has_argv, has);
		check_argv(p.check_argv, check);
		assert_null(p.create_argv);
	}
	resume_plan_cleanup(&p);
	/* No CLAUDE_CONFIG_DIR: no -e. An empty $TMUX is not "inside tmux". */
	env_init(&e, f->bin);
	e.tmux = "";
	assert_int_equal(resume_plan_build(&e, SID, f->proj, 1, &p), 0);
	assert_int_equal(p.mode, RESUME_TMUX);
	{
		const char *want[] = { f->tmux, "new-session", "-A", "-s", nm.name, "-e", nm.keyenv,
		    "--", f->claude, "--resume", SID, NULL };
		check_argv(p.argv, want);
	}
	resume_plan_cleanup(&p);
}

static void
test_plan_inside_tmux(void **state)
{
	struct fx *f = *state;
	struct resume_env e;
	struct resume_plan p;

	struct names nm;

	names_for(&nm, "0123abcd", SID, f->proj);
	env_init(&e, f->bin);
	e.tmux = "/tmp/tmux-1000/default,4242,0";
	assert_int_equal(resume_plan_build(&e, SID, f->proj, 1, &p), 0);
	assert_int_equal(p.mode, RESUME_TMUX_SWITCH);
	{
		const char *has[] = { f->tmux, "has-session", "-t", nm.target, NULL };
		const char *check[] = { f->tmux, "show-environment", "-t", nm.target, "CCLINK_RESUME", NULL };
		const char *create[] = { f->tmux, "new-session", "-d", "-s", nm.name, "-e", nm.keyenv,
		    "--", f->claude, "--resume", SID, NULL };
		const char *sw[] = { f->tmux, "switch-client", "-t", nm.target, NULL };
		check_argv(p.has_argv, has);
		check_argv(p.check_argv, check);
		check_argv(p.create_argv, create);
		check_argv(p.argv, sw);
	}
	resume_plan_cleanup(&p);
}

/* A tmux command without a command to run: no argument holds record text or a '#'. */
static void
check_no_record_text(char **v, const char *dir, const char *id)
{
	size_t i;

	assert_non_null(v);
	for (i = 1; v[i] != NULL; i++) {
		assert_null(strstr(v[i], dir));
		assert_null(strstr(v[i], id));
		assert_null(strchr(v[i], '#'));
	}
}

static void
test_plan_tmux_formats(void **state)
{
	struct fx *f = *state;
	struct resume_env e;
	struct resume_plan p;
	char dir[PATH_MAX * 2];
	const char *id = "#(touch pwned)#{pane_id}#[fg=red]";
	size_t i, n;

	snprintf(dir, sizeof(dir), "%s/x#(touch pwned)y#{session_name}z#[fg=red]", f->proj);
	env_init(&e, f->bin);
	assert_int_equal(resume_plan_build(&e, id, dir, 1, &p), 0);
	assert_int_equal(p.mode, RESUME_TMUX);
	assert_string_equal(p.dir, dir);
	for (n = 0; p.argv[n] != NULL; n++)
		;
	assert_string_equal(p.argv[n - 1], id);
	/* The id is an argument after "--", which tmux execs without expanding. */
	for (i = 0; p.argv[i] != NULL && strcmp(p.argv[i], "--") != 0; i++)
		assert_null(strchr(p.argv[i], '#'));
	assert_null(strchr(p.name, '#'));
	for (i = 0; i < n - 1; i++)
		assert_null(strstr(p.argv[i], dir));
	resume_plan_cleanup(&p);
	e.tmux = "/tmp/tmux-1000/default,4242,0";
	assert_int_equal(resume_plan_build(&e, id, dir, 1, &p), 0);
	assert_int_equal(p.mode, RESUME_TMUX_SWITCH);
	check_no_record_text(p.has_argv, dir, id);
	check_no_record_text(p.argv, dir, id);
	for (n = 0; p.create_argv[n] != NULL; n++)
		assert_null(strstr(p.create_argv[n], dir));
	assert_string_equal(p.create_argv[n - 1], id);
	resume_plan_cleanup(&p);
}

static void
test_plan_no_tmux(void **state)
{
	struct fx *f = *state;
	struct resume_env e;
	struct resume_plan p;

	env_init(&e, f->bin2);
	e.tmux = "/tmp/tmux-1000/default,4242,0";
	assert_int_equal(resume_plan_build(&e, SID, f->proj, 1, &p), 0);
	assert_int_equal(p.mode, RESUME_DIRECT);
	assert_int_equal(p.tmux_missing, 1);
	{
		const char *want[] = { f->claude2, "--resume", SID, NULL };
		check_argv(p.argv, want);
	}
	resume_plan_cleanup(&p);
}

static void
test_which(void **state)
{
	struct fx *f = *state;
	struct resume_env e;
	struct resume_plan p;
	char path[PATH_MAX * 4], noexec[PATH_MAX], asdir[PATH_MAX], *got = NULL;

	/* Not found: distinct error. */
	env_init(&e, "/nonexistent:relative::");
	assert_int_equal(resume_plan_build(&e, SID, f->proj, 0, &p), CCL_ERR_NOT_FOUND);
	assert_null(p.argv);
	/* A non-executable file and a directory called claude are skipped. */
	snprintf(noexec, sizeof(noexec), "%s/noexec", f->tmp);
	snprintf(asdir, sizeof(asdir), "%s/asdir", f->tmp);
	assert_int_equal(mkdir(noexec, 0700), 0);
	assert_int_equal(mkdir(asdir, 0700), 0);
	snprintf(path, sizeof(path), "%s/claude", noexec);
	write_exe(path, "#!/bin/sh\n", 0600);
	snprintf(path, sizeof(path), "%s/claude", asdir);
	assert_int_equal(mkdir(path, 0700), 0);
	/* Relative entries are skipped even when they would match from here. */
	assert_int_equal(chdir(f->tmp), 0);
	snprintf(path, sizeof(path), "%s:%s:bin::%s:%s", noexec, asdir, f->bin2, f->bin);
	assert_int_equal(resume_which(path, "claude", &got), 0);
	assert_string_equal(got, f->claude2);
	free(got);
	assert_int_equal(resume_which("bin", "claude", &got), CCL_ERR_NOT_FOUND);
	assert_int_equal(resume_which(path, "sub/claude", &got), CCL_ERR_INVALID_ARG);
	assert_int_equal(resume_which(path, "", &got), CCL_ERR_INVALID_ARG);
	assert_null(got);
	assert_int_equal(chdir("/"), 0);
	/* NULL PATH means the default, which has no fake claude. */
	assert_int_equal(resume_which(NULL, "ccl-no-such-program", &got), CCL_ERR_NOT_FOUND);
}

static void
test_refused(void **state)
{
	struct fx *f = *state;
	struct resume_env e;
	struct resume_plan p;
	char longid[300];
	size_t i;
	const char *bad_ids[] = { "-" SID, "--resume", "-", "", "a\x01" "b", "a\nb", "a\x1b]0;x\x07",
	    "bad\xff", "x\xc2\x85y" };
	const char *bad_dirs[] = { "relative", "", "/a\nb", "/a\x1b[1m" };

	env_init(&e, f->bin);
	for (i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		assert_int_equal(resume_plan_build(&e, bad_ids[i], f->proj, 1, &p), CCL_ERR_INVALID_ARG);
		assert_null(p.argv);
	}
	assert_int_equal(resume_plan_build(&e, NULL, f->proj, 0, &p), CCL_ERR_INVALID_ARG);
	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	assert_int_equal(resume_plan_build(&e, longid, f->proj, 0, &p), CCL_ERR_INVALID_ARG);
	for (i = 0; i < sizeof(bad_dirs) / sizeof(bad_dirs[0]); i++)
		assert_int_equal(resume_plan_build(&e, SID, bad_dirs[i], 0, &p), CCL_ERR_INVALID_ARG);
	assert_int_equal(resume_plan_build(&e, SID, NULL, 0, &p), CCL_ERR_INVALID_ARG);
	/* A name (claude --resume takes one) is fine; the tmux name stays tame. */
	assert_int_equal(resume_plan_build(&e, "my.sess:ion x", f->proj, 1, &p), 0);
	assert_memory_equal(p.name, "cclink-my_sess_-", 16);
	assert_int_equal(strlen(p.name), 32);
	assert_int_equal(p.mode, RESUME_TMUX);
	assert_string_equal(p.argv[10], "my.sess:ion x");
	resume_plan_cleanup(&p);
	assert_int_equal(resume_plan_build(&e, "ab", f->proj, 1, &p), 0);
	assert_memory_equal(p.name, "cclink-ab-", 10);
	assert_int_equal(strlen(p.name), 26);
	resume_plan_cleanup(&p);
	/* An empty plan does not exec. */
	memset(&p, 0, sizeof(p));
	assert_int_equal(resume_exec(&p), CCL_ERR_INVALID_ARG);
}

/* Read the fake claude's record, waiting up to ms for it to appear. */
static char *
wait_out(const char *path, int ms)
{
	size_t n;
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	for (; ms > 0; ms -= 20) {
		if (access(path, F_OK) == 0)
			return (char *)th_read_file(path, &n);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void
test_exec_direct(void **state)
{
	struct fx *f = *state;
	struct resume_env e;
	struct resume_plan p;
	char want[PATH_MAX * 2], *got;
	pid_t pid;
	int st;

	env_init(&e, f->bin2);
	e.claude_config_dir = "/cfg/x";
	e.umask = 022;
	assert_int_equal(resume_plan_build(&e, SID, f->proj, 1, &p), 0);  /* no tmux: direct */
	assert_int_equal(p.tmux_missing, 1);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		umask(077);  /* as cclink's main sets it */
		unsetenv("CLAUDE_CONFIG_DIR");
		signal(SIGPIPE, SIG_IGN);
		if (resume_exec(&p) != 0)
			_exit(99);
		_exit(98);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	got = wait_out(f->out, 2000);
	assert_non_null(got);
	snprintf(want, sizeof(want), "%s\n--resume\n%s\nCCD=/cfg/x\nUMASK=0022\n", f->proj, SID);
	assert_string_equal(got, want);
	free(got);
	resume_plan_cleanup(&p);
	/* A directory that vanished: an error, nothing runs. */
	env_init(&e, f->bin2);
	snprintf(want, sizeof(want), "%s/gone", f->tmp);
	assert_int_equal(resume_plan_build(&e, SID, want, 0, &p), 0);
	assert_int_equal(resume_exec(&p), CCL_ERR_SYSTEM);
	assert_int_equal(errno, ENOENT);
	resume_plan_cleanup(&p);
}

static void
test_exec_inside_tmux(void **state)
{
	struct fx *f = *state;
	struct resume_env e;
	struct resume_plan p;
	char sock[PATH_MAX * 2], cmd[PATH_MAX * 4], tmuxenv[PATH_MAX * 2], path[PATH_MAX * 2];
	char want[PATH_MAX * 2], *got, *real = NULL;
	pid_t pid;
	int st, round;

	if (resume_which("/usr/bin:/bin:/usr/local/bin", "tmux", &real) != 0) {
		/* tmux is a test dependency (make deps installs it): missing is a failure. */
		fail_msg("tmux is not installed: run 'make deps'");
		return;
	}
	/* A private server stands in for the one we would be inside. */
	snprintf(sock, sizeof(sock), "%s/tmux.sock", f->tmp);
	snprintf(cmd, sizeof(cmd), "'%s' -S '%s' -f /dev/null new-session -d -s base 'sleep 30'", real, sock);
	setenv("FAKE_CLAUDE_SLEEP", "20", 1);  /* new sessions get the server's environment */
	assert_int_equal(system(cmd), 0);
	unsetenv("FAKE_CLAUDE_SLEEP");
	snprintf(tmuxenv, sizeof(tmuxenv), "%s,1,0", sock);
	snprintf(path, sizeof(path), "%s:%s", f->bin2, "/usr/bin:/bin:/usr/local/bin");
	env_init(&e, path);
	e.tmux = tmuxenv;
	e.claude_config_dir = "/cfg/in-tmux";
	assert_int_equal(resume_plan_build(&e, SID, f->proj, 1, &p), 0);
	assert_int_equal(p.mode, RESUME_TMUX_SWITCH);
	for (round = 0; round < 2; round++) {
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			setenv("TMUX", tmuxenv, 1);  /* the tmux client finds its server here */
			if (freopen("/dev/null", "w", stderr) == NULL)  /* "no current client" */
				_exit(97);
			if (resume_exec(&p) != 0)
				_exit(99);
			_exit(98);
		}
		assert_int_equal(waitpid(pid, &st, 0), pid);
		/* switch-client fails: there is no attached client in a test. */
		assert_true(WIFEXITED(st));
		assert_int_not_equal(WEXITSTATUS(st), 99);
		if (round == 0) {
			/* The session was created detached and runs claude. */
			got = wait_out(f->out, 5000);
			assert_non_null(got);
			snprintf(want, sizeof(want), "%s\n--resume\n%s\nCCD=/cfg/in-tmux\n", f->proj, SID);
			assert_memory_equal(got, want, strlen(want));
			free(got);
			snprintf(cmd, sizeof(cmd), "'%s' -S '%s' has-session -t '=%s'", real, sock, p.name);
			assert_int_equal(system(cmd), 0);
			assert_int_equal(unlink(f->out), 0);
		} else {
			/* It exists: not created a second time. */
			got = wait_out(f->out, 500);
			assert_null(got);
		}
	}
	snprintf(cmd, sizeof(cmd), "'%s' -S '%s' kill-server", real, sock);
	assert_int_equal(system(cmd), 0);
	resume_plan_cleanup(&p);
	free(real);
}

/* Sessions of different ids (even with the same first 8 characters) or directories never share a name. */
static void
test_names_distinct(void **state)
{
	struct fx *f = *state;
	struct resume_env e;
	struct resume_plan p1, p2;
	char other[PATH_MAX * 2];
	size_t i;

	snprintf(other, sizeof(other), "%s/other", f->tmp);
	assert_int_equal(mkdir(other, 0700), 0);
	env_init(&e, f->bin);
	assert_int_equal(resume_plan_build(&e, "0123abcd-1111-4111-8111-111111111111", f->proj, 1, &p1), 0);
	assert_int_equal(resume_plan_build(&e, "0123abcd-2222-4222-8222-222222222222", f->proj, 1, &p2), 0);
	assert_string_not_equal(p1.name, p2.name);
	assert_memory_equal(p1.name, "cclink-0123abcd-", 16);
	assert_memory_equal(p2.name, "cclink-0123abcd-", 16);
	for (i = 0; p1.name[i] != '\0'; i++)
		assert_non_null(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_",
		    p1.name[i]));
	resume_plan_cleanup(&p2);
	/* The same id in another directory: another session. */
	assert_int_equal(resume_plan_build(&e, "0123abcd-1111-4111-8111-111111111111", other, 1, &p2), 0);
	assert_string_not_equal(p1.name, p2.name);
	assert_string_not_equal(p1.key, p2.key);
	resume_plan_cleanup(&p2);
	/* The same id and directory: the same session (so it is reattached). */
	assert_int_equal(resume_plan_build(&e, "0123abcd-1111-4111-8111-111111111111", f->proj, 1, &p2), 0);
	assert_string_equal(p1.name, p2.name);
	assert_string_equal(p1.key, p2.key);
	resume_plan_cleanup(&p2);
	resume_plan_cleanup(&p1);
	/* A directory that is a prefix (id + dir must not just be concatenated). */
	resume_plan_cleanup(&p1);
	assert_int_equal(resume_plan_build(&e, "0123abcd", "/ab", 1, &p1), 0);
	assert_int_equal(resume_plan_build(&e, "0123abcd/", "/b", 1, &p2), 0);
	assert_string_not_equal(p1.key, p2.key);
	resume_plan_cleanup(&p1);
	resume_plan_cleanup(&p2);
}

/*
 * A session that already has the plan's name but was not started for it
 * (no CCLINK_RESUME, or another key) is never attached or switched to.
 */
static void
test_exec_tmux_impostor(void **state)
{
	struct fx *f = *state;
	struct resume_env e;
	struct resume_plan p;
	char sock[PATH_MAX * 2], cmd[PATH_MAX * 4], tmuxenv[PATH_MAX * 2], path[PATH_MAX * 2];
	char tmpdir[PATH_MAX * 2];
	char *real = NULL;
	pid_t pid;
	int st, round;

	if (resume_which("/usr/bin:/bin:/usr/local/bin", "tmux", &real) != 0) {
		fail_msg("tmux is not installed: run 'make deps'");
		return;
	}
	snprintf(path, sizeof(path), "%s:%s", f->bin2, "/usr/bin:/bin:/usr/local/bin");
	snprintf(tmpdir, sizeof(tmpdir), "%s/tt", f->tmp);
	assert_int_equal(mkdir(tmpdir, 0700), 0);
	for (round = 0; round < 4; round++) {
		int inside = round % 2 == 0;

		/* The server: the one we are inside of, or the default one of TMUX_TMPDIR. */
		if (inside)
			snprintf(sock, sizeof(sock), "%s/tmux.sock", f->tmp);
		else
			snprintf(sock, sizeof(sock), "%s/tmux-%u/default", tmpdir, (unsigned)getuid());
		env_init(&e, path);
		snprintf(tmuxenv, sizeof(tmuxenv), "%s,1,0", sock);
		e.tmux = inside ? tmuxenv : NULL;
		assert_int_equal(resume_plan_build(&e, SID, f->proj, 1, &p), 0);
		assert_int_equal(p.mode, inside ? RESUME_TMUX_SWITCH : RESUME_TMUX);
		/* Same name; rounds 0-1 without the variable, rounds 2-3 with another key. */
		if (inside)
			snprintf(cmd, sizeof(cmd), "'%s' -S '%s' -f /dev/null new-session -d -s '%s' %s 'sleep 30'",
			    real, sock, p.name, round < 2 ? "" : "-e CCLINK_RESUME=0123");
		else
			snprintf(cmd, sizeof(cmd), "TMUX_TMPDIR='%s' '%s' -f /dev/null new-session -d -s '%s' "
			    "%s 'sleep 30'", tmpdir, real, p.name, round < 2 ? "" : "-e CCLINK_RESUME=0123");
		assert_int_equal(system(cmd), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			if (inside)
				setenv("TMUX", tmuxenv, 1);
			else {
				unsetenv("TMUX");
				setenv("TMUX_TMPDIR", tmpdir, 1);
			}
			if (freopen("/dev/null", "w", stderr) == NULL)
				_exit(97);
			st = resume_exec(&p);
			_exit(st == CCL_ERR_CONFLICT && errno == EEXIST ? 42 : 99);
		}
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 42);
		/* claude never ran, and the impostor is still there. */
		assert_int_equal(access(f->out, F_OK), -1);
		snprintf(cmd, sizeof(cmd), "'%s' -S '%s' has-session -t '=%s' && '%s' -S '%s' kill-server",
		    real, sock, p.name, real, sock);
		assert_int_equal(system(cmd), 0);
		resume_plan_cleanup(&p);
	}
	free(real);
}

static void
test_env_from_process(void **state)
{
	struct resume_env e;
	char *saved = strdup(getenv("PATH") != NULL ? getenv("PATH") : "/usr/bin:/bin");

	(void)state;
	assert_non_null(saved);
	setenv("PATH", "/x:/y", 1);
	setenv("TMUX", "/s,1,0", 1);
	setenv("CLAUDE_CONFIG_DIR", "/c", 1);
	resume_env_from_process(&e);
	assert_string_equal(e.path, "/x:/y");
	assert_string_equal(e.tmux, "/s,1,0");
	assert_string_equal(e.claude_config_dir, "/c");
	assert_int_equal(e.umask, -1);
	unsetenv("TMUX");
	unsetenv("CLAUDE_CONFIG_DIR");
	resume_env_from_process(&e);
	assert_null(e.tmux);
	assert_null(e.claude_config_dir);
	setenv("PATH", saved, 1);
	free(saved);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_plan_direct),
		T(test_plan_tmux),
		T(test_plan_inside_tmux),
		T(test_plan_tmux_formats),
		T(test_plan_no_tmux),
		T(test_which),
		T(test_refused),
		T(test_exec_direct),
		T(test_exec_inside_tmux),
		T(test_names_distinct),
		T(test_exec_tmux_impostor),
		cmocka_unit_test(test_env_from_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
