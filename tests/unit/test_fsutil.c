/* SPDX-License-Identifier: MIT */
/* test_fsutil.c — paths, private directories, bounded reads, atomic private writes. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <sodium.h>

#include "fsutil.h"
#include "secret.h"

static char tmpdir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/ccl-fsutil.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static void
test_path_join(void **state)
{
	char *p = NULL;

	(void)state;
	assert_int_equal(fs_path_join(&p, "/a/b", "c"), 0);
	assert_string_equal(p, "/a/b/c");
	free(p);
	assert_int_equal(fs_path_join(&p, "/a/b/", "c"), 0);
	assert_string_equal(p, "/a/b/c");
	free(p);
	assert_int_equal(fs_path_join(&p, "/", "x"), 0);
	assert_string_equal(p, "/x");
	free(p);
}

static void
test_dirname(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "/a/b/c", "/a/b" }, { "/a/b//c", "/a/b" }, { "/x", "/" }, { "x", "." },
		{ "a/b", "a" }, { "//x", "/" },
	};
	char *p = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(fs_dirname(&p, cases[i].in), 0);
		assert_string_equal(p, cases[i].out);
		free(p);
	}
}

static void
test_home_and_key_path(void **state)
{
	char *saved = getenv("HOME") != NULL ? strdup(getenv("HOME")) : NULL;
	char *p = NULL, want[600], path[512];

	(void)state;
	setenv("HOME", tmpdir, 1);
	assert_int_equal(fs_key_dir(&p), 0);
	snprintf(want, sizeof(want), "%s/.pubky", tmpdir);
	assert_string_equal(p, want);
	free(p);
	assert_int_equal(fs_key_path(&p), 0);
	snprintf(want, sizeof(want), "%s/.pubky/secret_key", tmpdir);
	assert_string_equal(p, want);
	free(p);
	/* A HOME that names no directory: never a key path under it (nothing is created). */
	path_in(path, sizeof(path), "no/such/home");
	setenv("HOME", path, 1);
	assert_int_equal(fs_home_dir(&p), CCL_ERR_NOT_FOUND);
	assert_null(p);
	assert_int_equal(fs_key_path(&p), CCL_ERR_NOT_FOUND);
	assert_null(p);
	path_in(path, sizeof(path), "file");
	assert_int_equal(fs_write_private(path, "x", 1), 0);
	setenv("HOME", path, 1);
	assert_int_equal(fs_home_dir(&p), CCL_ERR_NOT_FOUND);
	assert_null(p);
	setenv("HOME", "relative/home", 1);
	assert_int_equal(fs_key_path(&p), CCL_ERR_CONFIG);
	assert_null(p);
	setenv("HOME", "", 1);
	assert_int_equal(fs_home_dir(&p), CCL_ERR_CONFIG);
	unsetenv("HOME");
	assert_int_equal(fs_home_dir(&p), CCL_ERR_CONFIG);
	assert_null(p);
	if (saved != NULL)
		setenv("HOME", saved, 1);
	free(saved);
}

static void
test_mkdir_p(void **state)
{
	char path[512], file[512];
	struct stat st;
	mode_t old = umask(022);

	(void)state;
	path_in(path, sizeof(path), "a/b/c");
	assert_int_equal(fs_mkdir_p(path, 0700), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	path_in(path, sizeof(path), "a");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* Existing directories are fine and left alone. */
	assert_int_equal(chmod(path, 0755), 0);
	path_in(path, sizeof(path), "a/b/c/");
	assert_int_equal(fs_mkdir_p(path, 0700), 0);
	path_in(path, sizeof(path), "a");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	/* A file in the way. */
	path_in(file, sizeof(file), "f");
	th_put_file(file, "x", 1, 0600);
	path_in(path, sizeof(path), "f/sub");
	assert_int_equal(fs_mkdir_p(path, 0700), CCL_ERR_EXISTS);
	assert_int_equal(fs_mkdir_p(file, 0700), CCL_ERR_EXISTS);
	assert_int_equal(fs_mkdir_p("", 0700), CCL_ERR_INVALID_ARG);
	umask(old);
}

static void
test_write_private(void **state)
{
	char path[512], link_target[512];
	uint8_t *data = NULL;
	size_t len = 0;
	struct stat st;
	mode_t old = umask(0);

	(void)state;
	path_in(path, sizeof(path), "key");
	assert_int_equal(fs_write_private(path, "hello", 5), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(fs_read_file(path, 100, 0, &data, &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(data, "hello", 5);
	assert_int_equal(data[5], 0);
	free(data);
	assert_int_equal(th_count_entries(tmpdir), 1);

	/* Replacing a wide file gives a 0600 file (a new inode, not O_TRUNC). */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(fs_write_private(path, "", 0), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(th_count_entries(tmpdir), 1);

	/* A symlink at the path is replaced, its target is not written through. */
	path_in(link_target, sizeof(link_target), "target");
	th_put_file(link_target, "old", 3, 0644);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(link_target, path), 0);
	assert_int_equal(fs_write_private(path, "new", 3), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(fs_read_file(link_target, 100, 0, &data, &len), 0);
	assert_memory_equal(data, "old", 3);
	free(data);
	assert_int_equal(th_count_entries(tmpdir), 2);
	umask(old);
}

static void
test_write_private_fails_cleanly(void **state)
{
	char path[512], dir[512];

	(void)state;
	path_in(path, sizeof(path), "missing/key");
	assert_int_equal(fs_write_private(path, "x", 1), CCL_ERR_SYSTEM);
	assert_int_equal(th_count_entries(tmpdir), 0);
	/* Renaming over a directory fails; the temp file must be gone. */
	path_in(dir, sizeof(dir), "isdir");
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(fs_write_private(dir, "x", 1), CCL_ERR_SYSTEM);
	assert_int_equal(th_count_entries(tmpdir), 1);
	assert_int_equal(fs_write_private("", "x", 1), CCL_ERR_INVALID_ARG);
	/* An unwritable directory (skip the check as root, who may write anyway). */
	if (geteuid() != 0) {
		assert_int_equal(chmod(dir, 0500), 0);
		path_in(path, sizeof(path), "isdir/key");
		assert_int_equal(fs_write_private(path, "x", 1), CCL_ERR_SYSTEM);
		assert_int_equal(chmod(dir, 0700), 0);
		assert_int_equal(th_count_entries(dir), 0);
	}
}

static void
test_read_caps(void **state)
{
	char path[512];
	uint8_t big[5000], *data = NULL;
	size_t len = 99;

	(void)state;
	memset(big, 'a', sizeof(big));
	path_in(path, sizeof(path), "f");
	th_put_file(path, big, 100, 0600);
	assert_int_equal(fs_read_file(path, 100, 0, &data, &len), 0);
	assert_int_equal(len, 100);
	free(data);
	assert_int_equal(fs_read_file(path, 99, 0, &data, &len), CCL_ERR_TOO_LARGE);
	assert_null(data);
	assert_int_equal(len, 0);
	th_put_file(path, big, sizeof(big), 0600);
	assert_int_equal(fs_read_file(path, sizeof(big), FS_READ_SECRET, &data, &len), 0);
	assert_int_equal(len, sizeof(big));
	assert_memory_equal(data, big, sizeof(big));
	secret_free(data);
	assert_int_equal(fs_read_file(path, sizeof(big) - 1, FS_READ_SECRET, &data, &len),
	    CCL_ERR_TOO_LARGE);
	/* Empty file. */
	th_put_file(path, "", 0, 0600);
	assert_int_equal(fs_read_file(path, 10, 0, &data, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(data[0], 0);
	free(data);
	path_in(path, sizeof(path), "nope");
	assert_int_equal(fs_read_file(path, 10, 0, &data, &len), CCL_ERR_NOT_FOUND);
	path_in(path, sizeof(path), "nope/deeper");
	assert_int_equal(fs_read_file(path, 10, 0, &data, &len), CCL_ERR_NOT_FOUND);
}

static void
test_read_permissions(void **state)
{
	static const struct { mode_t mode; int priv, notw; } cases[] = {
		{ 0600, 0, 0 }, { 0400, 0, 0 }, { 0640, CCL_ERR_PERMISSION, 0 },
		{ 0604, CCL_ERR_PERMISSION, 0 }, { 0644, CCL_ERR_PERMISSION, 0 },
		{ 0610, CCL_ERR_PERMISSION, 0 }, { 0620, CCL_ERR_PERMISSION, CCL_ERR_PERMISSION },
		{ 0602, CCL_ERR_PERMISSION, CCL_ERR_PERMISSION }, { 0700, CCL_ERR_PERMISSION, 0 },
		{ 04600, CCL_ERR_PERMISSION, 0 },
	};
	char path[512];
	uint8_t *data = NULL;
	size_t len, i;
	mode_t m;

	(void)state;
	path_in(path, sizeof(path), "k");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		th_put_file(path, "abc", 3, cases[i].mode);
		assert_int_equal(fs_file_mode(path, &m), 0);
		assert_int_equal(m, cases[i].mode);
		assert_int_equal(fs_read_file(path, 10, FS_READ_PRIVATE, &data, &len), cases[i].priv);
		if (data != NULL)
			free(data);
		data = NULL;
		assert_int_equal(fs_read_file(path, 10, FS_READ_NOT_WRITABLE, &data, &len),
		    cases[i].notw);
		free(data);
		data = NULL;
		assert_int_equal(chmod(path, 0600), 0);
		assert_int_equal(unlink(path), 0);
	}
	assert_int_equal(fs_file_mode(path, &m), CCL_ERR_NOT_FOUND);
}

/* The key directory, as ssh checks ~/.ssh: not writable by others, owned by us or root. */
static void
test_key_dir_check(void **state)
{
	static const struct { mode_t mode; int want; } cases[] = {
		{ 0700, 0 }, { 0755, 0 }, { 0750, 0 }, { 0500, 0 }, { 0711, 0 },
		{ 0777, CCL_ERR_PERMISSION }, { 0775, CCL_ERR_PERMISSION },
		{ 0770, CCL_ERR_PERMISSION }, { 0757, CCL_ERR_PERMISSION },
		{ 0702, CCL_ERR_PERMISSION }, { 0720, CCL_ERR_PERMISSION },
		{ 01777, CCL_ERR_PERMISSION }, { 01770, CCL_ERR_PERMISSION },
	};
	char dir[512], file[600];
	mode_t m;
	uid_t owner, me = getuid(), other = getuid() == 4242 ? 4243 : 4242;
	size_t i;

	(void)state;
	path_in(dir, sizeof(dir), ".pubky");
	assert_int_equal(fs_key_dir_check(dir, me, &m, &owner), CCL_ERR_NOT_FOUND);
	assert_int_equal(mkdir(dir, 0700), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(chmod(dir, cases[i].mode), 0);
		assert_int_equal(fs_key_dir_check(dir, me, &m, &owner), cases[i].want);
		assert_int_equal(m, cases[i].mode);
		assert_int_equal(owner, me);
	}
	assert_int_equal(chmod(dir, 0700), 0);
	/* Owned by someone else: simulated by asking for another uid, or made by root. */
	if (me != 0) {
		assert_int_equal(fs_key_dir_check(dir, other, &m, &owner), CCL_ERR_PERMISSION);
		assert_int_equal(owner, me);
	} else {
		assert_int_equal(chown(dir, other, (gid_t)-1), 0);
		assert_int_equal(fs_key_dir_check(dir, me, &m, &owner), CCL_ERR_PERMISSION);
		assert_int_equal(owner, other);
		/* Root-owned is fine for anyone, as ssh allows. */
		assert_int_equal(chown(dir, 0, (gid_t)-1), 0);
		assert_int_equal(fs_key_dir_check(dir, other, &m, &owner), 0);
	}
	/* A symlink to a good directory is followed; a file is not a directory. */
	path_in(file, sizeof(file), "link");
	assert_int_equal(symlink(dir, file), 0);
	assert_int_equal(fs_key_dir_check(file, me, NULL, NULL), 0);
	path_in(file, sizeof(file), "plain");
	th_put_file(file, "x", 1, 0600);
	assert_int_equal(fs_key_dir_check(file, me, NULL, NULL), CCL_ERR_FORMAT);
}

static void
test_read_regular_only(void **state)
{
	char path[512];
	uint8_t *data = NULL;
	size_t len;

	(void)state;
	assert_int_equal(fs_read_file(tmpdir, 10, FS_READ_REGULAR, &data, &len), CCL_ERR_FORMAT);
	path_in(path, sizeof(path), "fifo");
	assert_int_equal(mkfifo(path, 0600), 0);
	/* Must not block waiting for a writer. */
	assert_int_equal(fs_read_file(path, 10, FS_READ_REGULAR, &data, &len), CCL_ERR_FORMAT);
	assert_null(data);
	assert_int_equal(fs_exists(path), 1);
	path_in(path, sizeof(path), "dangling");
	assert_int_equal(symlink("/nonexistent/x", path), 0);
	assert_int_equal(fs_exists(path), 1);
	assert_int_equal(fs_read_file(path, 10, FS_READ_REGULAR, &data, &len), CCL_ERR_NOT_FOUND);
	/* FS_READ_NOFOLLOW: a link to a regular file is refused, the file itself is read. */
	{
		char target[512];

		path_in(target, sizeof(target), "target");
		assert_int_equal(fs_write_private(target, "abc", 3), 0);
		path_in(path, sizeof(path), "link");
		assert_int_equal(symlink(target, path), 0);
		assert_int_equal(fs_read_file(path, 10, FS_READ_REGULAR, &data, &len), 0);
		assert_int_equal(len, 3);
		free(data);
		data = NULL;
		assert_int_equal(fs_read_file(path, 10, FS_READ_REGULAR | FS_READ_NOFOLLOW, &data,
		    &len), CCL_ERR_FORMAT);
		assert_null(data);
		assert_int_equal(fs_read_file(target, 10, FS_READ_REGULAR | FS_READ_NOFOLLOW, &data,
		    &len), 0);
		free(data);
		data = NULL;
	}
	path_in(path, sizeof(path), "absent");
	assert_int_equal(fs_exists(path), 0);
}

/* A pipe carrying n bytes, read back through fs_read_fd. */
static int
read_pipe(size_t n, size_t max, uint8_t **data, size_t *len)
{
	int p[2], r, status;
	pid_t pid;
	size_t i;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		for (i = 0; i < n; i++)
			if (write(p[1], "z", 1) != 1)
				_exit(0);
		_exit(0);
	}
	close(p[1]);
	r = fs_read_fd(p[0], max, FS_READ_SECRET, data, len);
	close(p[0]);
	waitpid(pid, &status, 0);
	return r;
}

static void
test_read_fd_pipe(void **state)
{
	uint8_t *data = NULL;
	size_t len = 0, i;

	(void)state;
	assert_int_equal(read_pipe(10000, 10000, &data, &len), 0);
	assert_int_equal(len, 10000);
	for (i = 0; i < len; i++)
		assert_int_equal(data[i], 'z');
	assert_int_equal(data[len], 0);
	secret_free(data);
	assert_int_equal(read_pipe(10001, 10000, &data, &len), CCL_ERR_TOO_LARGE);
	assert_null(data);
	assert_int_equal(read_pipe(0, 10, &data, &len), 0);
	assert_int_equal(len, 0);
	secret_free(data);
	assert_int_equal(read_pipe(3, 0, &data, &len), CCL_ERR_TOO_LARGE);
}

static void
test_remove(void **state)
{
	char path[512];

	(void)state;
	path_in(path, sizeof(path), "gone");
	assert_int_equal(fs_remove(path), 0);
	th_put_file(path, "x", 1, 0600);
	assert_int_equal(fs_remove(path), 0);
	assert_int_equal(fs_exists(path), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_join),
		cmocka_unit_test(test_dirname),
		cmocka_unit_test_setup_teardown(test_home_and_key_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mkdir_p, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_private, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_private_fails_cleanly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_regular_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_dir_check, setup, teardown),
		cmocka_unit_test(test_read_fd_pipe),
		cmocka_unit_test_setup_teardown(test_remove, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
