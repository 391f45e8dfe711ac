/* SPDX-License-Identifier: MIT */
/* terminfo.c — find a terminfo entry as ncurses does (see terminfo.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "terminfo.h"

static const char *const default_dirs[] = { "/etc/terminfo", "/lib/terminfo",
	"/usr/share/terminfo", NULL };

void
terminfo_env_from_process(struct terminfo_env *env)
{
	env->terminfo = getenv("TERMINFO");
	env->terminfo_dirs = getenv("TERMINFO_DIRS");
	env->home = getenv("HOME");
	env->system = NULL;
}

/* dir/<c>/<term> or dir/<hex c>/<term>, dir given as n bytes. */
static int
in_dir(const char *dir, size_t n, const char *term)
{
	char path[PATH_MAX];
	struct stat st;
	int k;

	if (n == 0 || n > PATH_MAX / 2)
		return 0;
	k = snprintf(path, sizeof(path), "%.*s/%c/%s", (int)n, dir, term[0], term);
	if (k > 0 && (size_t)k < sizeof(path) && stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return 1;
	k = snprintf(path, sizeof(path), "%.*s/%02x/%s", (int)n, dir, (unsigned char)term[0], term);
	return k > 0 && (size_t)k < sizeof(path) && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int
in_system(const struct terminfo_env *env, const char *term)
{
	const char *const *d;

	for (d = env->system != NULL ? env->system : default_dirs; *d != NULL; d++)
		if (in_dir(*d, strlen(*d), term))
			return 1;
	return 0;
}

int
terminfo_exists(const struct terminfo_env *env, const char *term)
{
	char home[PATH_MAX];
	const char *p, *end;
	size_t i;
	int k;

	if (term == NULL || term[0] == '\0' || term[0] == '.' || strlen(term) > 128)
		return 0;
	for (i = 0; term[i] != '\0'; i++)
		if (term[i] == '/' || (unsigned char)term[i] < 0x21 || (unsigned char)term[i] > 0x7e)
			return 0;
	if (env->terminfo != NULL && env->terminfo[0] != '\0' &&
	    in_dir(env->terminfo, strlen(env->terminfo), term))
		return 1;
	if (env->home != NULL && env->home[0] == '/') {
		k = snprintf(home, sizeof(home), "%s/.terminfo", env->home);
		if (k > 0 && (size_t)k < sizeof(home) && in_dir(home, (size_t)k, term))
			return 1;
	}
	if (env->terminfo_dirs != NULL && env->terminfo_dirs[0] != '\0') {
		for (p = env->terminfo_dirs;; p = end + 1) {
			if ((end = strchr(p, ':')) == NULL)
				end = p + strlen(p);
			if (end == p ? in_system(env, term) : in_dir(p, (size_t)(end - p), term))
				return 1;
			if (*end == '\0')
				break;
		}
	}
	return in_system(env, term);
}
