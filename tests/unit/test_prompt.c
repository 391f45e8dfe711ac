/* SPDX-License-Identifier: MIT */
/*
 * test_prompt.c — secrets from files, stdin and CCLINK_ASKPASS programs.
 * The terminal path is exercised for real (tmux) in tests/cli/20-init.t.
 */
#include "testutil.h"

#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "prompt.h"
#include "secret.h"

static char tmpdir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/ccl-prompt.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	unsetenv(PROMPT_ASKPASS_ENV);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	unsetenv(PROMPT_ASKPASS_ENV);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
put_file(const char *name, const void *data, size_t len, mode_t mode, char *path, size_t n)
{
	int fd;

	snprintf(path, n, "%s/%s", tmpdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* Read a secret from a file holding len bytes of data; expect r (and want on success). */
static void
check_file(const void *data, size_t len, int r, const char *want)
{
	char path[512], *s = NULL;
	size_t slen = 99;

	put_file("pass", data, len, 0600, path, sizeof(path));
	assert_int_equal(prompt_secret("P: ", NULL, path, 0, &s, &slen), r);
	if (r == 0) {
		assert_non_null(s);
		assert_int_equal(slen, strlen(want));
		assert_string_equal(s, want);
		secret_free(s);
	} else {
		assert_null(s);
		assert_int_equal(slen, 0);
	}
}

static void
test_file_newlines(void **state)
{
	(void)state;
	check_file("secret", 6, 0, "secret");
	check_file("secret\n", 7, 0, "secret");
	check_file("secret\r\n", 8, 0, "secret");
	check_file("secret\n\n", 8, 0, "secret\n");     /* only one newline is dropped */
	check_file("secret\r", 7, 0, "secret\r");       /* a lone CR is part of it */
	check_file(" two words \n", 12, 0, " two words ");  /* no other trimming */
	check_file("", 0, 0, "");
	check_file("\n", 1, 0, "");
	check_file("\r\n", 2, 0, "");
	check_file("sec\0ret\n", 8, CCL_ERR_FORMAT, NULL);
}

static void
test_file_max_len(void **state)
{
	char big[PROMPT_MAX_SECRET + 3];

	(void)state;
	memset(big, 'x', sizeof(big));
	big[PROMPT_MAX_SECRET] = '\0';
	check_file(big, PROMPT_MAX_SECRET, 0, big);
	memcpy(big + PROMPT_MAX_SECRET, "\r\n", 2);
	big[PROMPT_MAX_SECRET + 2] = '\0';
	{
		char want[PROMPT_MAX_SECRET + 1];

		memset(want, 'x', PROMPT_MAX_SECRET);
		want[PROMPT_MAX_SECRET] = '\0';
		check_file(big, PROMPT_MAX_SECRET + 2, 0, want);
	}
	memset(big, 'x', sizeof(big));
	check_file(big, PROMPT_MAX_SECRET + 1, CCL_ERR_TOO_LARGE, NULL);
	check_file(big, PROMPT_MAX_SECRET + 3, CCL_ERR_TOO_LARGE, NULL);
}

static void
test_file_missing(void **state)
{
	char path[512], *s = NULL;
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/none", tmpdir);
	assert_int_equal(prompt_secret("P: ", NULL, path, 0, &s, &n), CCL_ERR_NOT_FOUND);
	assert_null(s);
}

static void
test_stdin(void **state)
{
	char path[512], *s = NULL;
	size_t n = 0;
	int saved, fd;

	(void)state;
	put_file("in", "from stdin\n", 11, 0600, path, sizeof(path));
	saved = dup(STDIN_FILENO);
	fd = open(path, O_RDONLY);
	assert_true(saved >= 0 && fd >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	/* A file wins over askpass, and is read once even with PROMPT_CONFIRM. */
	setenv(PROMPT_ASKPASS_ENV, "/nonexistent/askpass", 1);
	assert_int_equal(prompt_secret("P: ", NULL, "-", PROMPT_CONFIRM | PROMPT_NO_INTERACTIVE,
	    &s, &n), 0);
	assert_string_equal(s, "from stdin");
	assert_int_equal(n, 10);
	secret_free(s);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
}

/* An askpass script: body runs under /bin/sh with the prompt in $1. */
static void
askpass(const char *body)
{
	char script[4096], path[512];

	snprintf(script, sizeof(script), "#!/bin/sh\nD='%s'\n%s\n", tmpdir, body);
	put_file("askpass", script, strlen(script), 0700, path, sizeof(path));
	setenv(PROMPT_ASKPASS_ENV, path, 1);
}

static void
test_askpass(void **state)
{
	uint8_t *b = NULL;
	char *s = NULL, path[512];
	size_t n = 0;

	(void)state;
	askpass("printf '%s' \"$1\" >> \"$D/prompts\"; printf 'hunter22 pass\\n'");
	assert_int_equal(prompt_secret("Enter it: ", NULL, NULL, 0, &s, &n), 0);
	assert_string_equal(s, "hunter22 pass");
	assert_int_equal(n, 13);
	secret_free(s);
	/* The prompt is argv[1]. */
	snprintf(path, sizeof(path), "%s/prompts", tmpdir);
	b = th_read_file(path, &n);
	assert_string_equal((char *)b, "Enter it: ");
	free(b);
	/* Confirmation runs it twice, with each prompt. */
	assert_int_equal(prompt_secret("First: ", "Again: ", NULL, PROMPT_CONFIRM, &s, &n), 0);
	assert_string_equal(s, "hunter22 pass");
	secret_free(s);
	b = th_read_file(path, &n);
	assert_string_equal((char *)b, "Enter it: First: Again: ");
	free(b);
	/* PROMPT_NO_INTERACTIVE forbids askpass. */
	assert_int_equal(prompt_secret("P: ", NULL, NULL, PROMPT_NO_INTERACTIVE, &s, &n),
	    CCL_ERR_NO_TTY);
	assert_null(s);
}

static void
test_askpass_crlf(void **state)
{
	char *s = NULL;
	size_t n = 0;

	(void)state;
	askpass("printf 'abc\\r\\n'");
	assert_int_equal(prompt_secret("P: ", NULL, NULL, 0, &s, &n), 0);
	assert_string_equal(s, "abc");
	secret_free(s);
}

static void
test_askpass_mismatch(void **state)
{
	char *s = NULL;
	size_t n = 0;

	(void)state;
	/* A different answer each run. */
	askpass("echo x >> \"$D/count\"; printf 'pass%s\\n' \"$(wc -l < \"$D/count\")\"");
	assert_int_equal(prompt_secret("P: ", "C: ", NULL, PROMPT_CONFIRM, &s, &n),
	    CCL_ERR_CONFLICT);
	assert_null(s);
	assert_int_equal(n, 0);
	/* Same length, different bytes; and a prefix. */
	askpass("echo x >> \"$D/c2\"; if [ \"$(wc -l < \"$D/c2\")\" = 1 ]; then echo abcd; else echo abc; fi");
	assert_int_equal(prompt_secret("P: ", "C: ", NULL, PROMPT_CONFIRM, &s, &n),
	    CCL_ERR_CONFLICT);
}

static void
test_askpass_failures(void **state)
{
	char *s = NULL;
	size_t n = 0;

	(void)state;
	askpass("echo partial; exit 1");
	assert_int_equal(prompt_secret("P: ", NULL, NULL, 0, &s, &n), CCL_ERR_ABORTED);
	assert_null(s);
	askpass("kill -TERM $$");
	assert_int_equal(prompt_secret("P: ", NULL, NULL, 0, &s, &n), CCL_ERR_ABORTED);
	setenv(PROMPT_ASKPASS_ENV, "/nonexistent/askpass-program", 1);
	assert_int_equal(prompt_secret("P: ", NULL, NULL, 0, &s, &n), CCL_ERR_ABORTED);
	askpass("head -c 5000 /dev/zero | tr '\\0' x");
	assert_int_equal(prompt_secret("P: ", NULL, NULL, 0, &s, &n), CCL_ERR_TOO_LARGE);
	askpass("yes");  /* endless output: we stop reading, it dies of SIGPIPE */
	assert_int_equal(prompt_secret("P: ", NULL, NULL, 0, &s, &n), CCL_ERR_TOO_LARGE);
	askpass("printf 'a\\000b'");
	assert_int_equal(prompt_secret("P: ", NULL, NULL, 0, &s, &n), CCL_ERR_FORMAT);
	assert_null(s);
}

static void
test_askpass_empty_env_means_unset(void **state)
{
	char *s = NULL;
	size_t n = 0;

	(void)state;
	if (prompt_have_tty())
		skip();  /* would prompt on the real terminal */
	setenv(PROMPT_ASKPASS_ENV, "", 1);
	assert_int_equal(prompt_secret("P: ", NULL, NULL, 0, &s, &n), CCL_ERR_NO_TTY);
	assert_int_equal(prompt_yesno("Q? ", (int *)&n), CCL_ERR_NO_TTY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file_newlines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_max_len, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_askpass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_askpass_crlf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_askpass_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_askpass_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_askpass_empty_env_means_unset, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
