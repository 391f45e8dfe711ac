/* SPDX-License-Identifier: MIT */
/*
 * cclink-session — print the Claude Code project folder cclink computes for
 * a directory, for the tests that compare it with the folder the real CLI
 * creates (tests/claude). Not installed.
 *
 *   cclink-session DIR    the folder's name under <root>/projects, for the
 *                         root and overrides of this environment (HOME,
 *                         CLAUDE_CONFIG_DIR, CLAUDE_CODE_PROJECT_DIR_NAME);
 *                         DIR is canonicalised (realpath) as Claude does
 *
 * Exit 0 and the name on stdout; 1 on failure; 2 on usage.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

int
main(int argc, char **argv)
{
	struct session_env env;
	char *canon = NULL, *folder = NULL;
	const char *base;
	int exists = 0, r;

	if (argc != 2) {
		fprintf(stderr, "usage: cclink-session DIR\n");
		return 2;
	}
	if ((canon = realpath(argv[1], NULL)) == NULL) {
		perror(argv[1]);
		return 1;
	}
	if ((r = session_env_from_process(&env)) != 0 ||
	    (r = session_project_folder(&env, canon, &folder, &exists)) != 0) {
		fprintf(stderr, "cclink-session: %s\n", ccl_strerror(r));
		free(canon);
		return 1;
	}
	base = strrchr(folder, '/');
	printf("%s\n", base != NULL ? base + 1 : folder);
	free(folder);
	free(canon);
	session_env_cleanup(&env);
	return 0;
}
