/* SPDX-License-Identifier: MIT */
/* testutil.h — shared helpers for the cmocka unit tests. */
#ifndef CCL_TESTUTIL_H
#define CCL_TESTUTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>

/* Decode hex (test data only; aborts the test on bad input). Caller frees. */
static inline uint8_t *
th_unhex(const char *s, size_t *n)
{
	size_t i, l = strlen(s);
	uint8_t *b = malloc(l / 2 + 1);

	assert_non_null(b);
	assert_int_equal(l % 2, 0);
	for (i = 0; i < l / 2; i++) {
		unsigned v;
		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		b[i] = (uint8_t)v;
	}
	if (n != NULL)
		*n = l / 2;
	return b;
}

/* Read a whole file from tests/vectors (or any path). Caller frees. */
static inline uint8_t *
th_read_file(const char *path, size_t *n)
{
	FILE *f;
	uint8_t *b;
	long sz;
	char full[4096];
	const char *top = getenv("CCLINK_TOP");

	if (path[0] != '/' && top != NULL) {
		snprintf(full, sizeof(full), "%s/%s", top, path);
		path = full;
	}
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)sz + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)sz, f), (size_t)sz);
	b[sz] = 0;
	fclose(f);
	*n = (size_t)sz;
	return b;
}

/* Parse a JSON vector file (relative to CCLINK_TOP). cJSON_Delete it. */
static inline cJSON *
th_load_json(const char *path)
{
	size_t n;
	uint8_t *b = th_read_file(path, &n);
	cJSON *j = cJSON_ParseWithLength((const char *)b, n);

	free(b);
	assert_non_null(j);
	return j;
}

/* A string member of a vector object (the test fails when it is missing). */
static inline const char *
th_jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

/* Write a file with exactly this mode. */
static inline void
th_put_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* Number of directory entries other than . and .. */
static inline int
th_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}
#endif
