/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "secret.h"

void *
secret_alloc(size_t n)
{
	return sodium_malloc(n == 0 ? 1 : n);
}

void
secret_free(void *p)
{
	if (p != NULL)
		sodium_free(p);
}

char *
secret_strdup(const char *s)
{
	size_t n = strlen(s);
	char *d;

	if ((d = secret_alloc(n + 1)) == NULL)
		return NULL;
	memcpy(d, s, n + 1);
	return d;
}

void
ccl_freezero(void *p, size_t n)
{
	if (p == NULL)
		return;
	sodium_memzero(p, n);
	free(p);
}

void
ccl_freezero_str(char *s)
{
	if (s != NULL)
		ccl_freezero(s, strlen(s));
}
