/* SPDX-License-Identifier: MIT */
/* test_terminfo.c — terminfo_exists against temporary terminfo trees. */
#define _GNU_SOURCE
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include "testutil.h"

#include <limits.h>

#include "terminfo.h"

static char tmp[PATH_MAX];

static void
mk(const char *rel)
{
	char p[PATH_MAX * 2], *s;

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	for (s = p + strlen(tmp) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	close(open(p, O_WRONLY | O_CREAT, 0600));
}

static void
test_lookup(void **state)
{
	char ti[PATH_MAX + 8], dirs[PATH_MAX * 3], sys[PATH_MAX + 8];
	const char *sysdirs[] = { sys, NULL };
	struct terminfo_env e = { NULL, NULL, NULL, sysdirs };

	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/test_terminfo.XXXXXX");
	assert_non_null(mkdtemp(tmp));
	mk("ti/x/xterm-kitty");
	mk("home/.terminfo/g/ghostty");
	mk("d1/61/alacritty");  /* macOS-style hex directory */
	mk("sys/x/xterm-256color");
	mk("sys/d/dir/x");
	snprintf(ti, sizeof(ti), "%s/ti", tmp);
	snprintf(sys, sizeof(sys), "%s/sys", tmp);
	assert_true(terminfo_exists(&e, "xterm-256color"));
	assert_false(terminfo_exists(&e, "xterm-kitty"));
	e.terminfo = ti;
	assert_true(terminfo_exists(&e, "xterm-kitty"));
	snprintf(dirs, sizeof(dirs), "%s/home", tmp);
	e.home = dirs;
	assert_true(terminfo_exists(&e, "ghostty"));
	snprintf(dirs, sizeof(dirs), "%s/nowhere::%s/d1", tmp, tmp);
	e.home = NULL;
	e.terminfo_dirs = dirs;
	assert_true(terminfo_exists(&e, "alacritty"));
	assert_true(terminfo_exists(&e, "xterm-256color"));  /* the empty entry: system dirs */
	assert_false(terminfo_exists(&e, "no-such-term"));
	assert_false(terminfo_exists(&e, ""));
	assert_false(terminfo_exists(&e, NULL));
	assert_false(terminfo_exists(&e, "../x/xterm-256color"));
	assert_false(terminfo_exists(&e, "dir"));  /* a directory is not an entry */
	assert_false(terminfo_exists(&e, "xterm-256color\n"));
	assert_false(terminfo_exists(&e, ".hidden"));
	{
		char cmd[PATH_MAX + 16];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		assert_int_equal(system(cmd), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_lookup) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
