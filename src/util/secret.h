/* SPDX-License-Identifier: MIT */
/*
 * secret.h — memory for secrets. Long-lived secrets live in sodium_malloc
 * memory (guard pages, mlock, wiped on free); library-owned copies are wiped
 * with ccl_freezero before release.
 */
#ifndef CCL_SECRET_H
#define CCL_SECRET_H
#include <stddef.h>

/* sodium_malloc(n), or NULL. The memory is not initialised. */
void *secret_alloc(size_t n);
/* sodium_free (wipes); NULL is a no-op. */
void secret_free(void *p);
/* A NUL-terminated copy of s in secret memory, or NULL. */
char *secret_strdup(const char *s);
/* Wipe n bytes at p, then free(p). NULL is a no-op. */
void ccl_freezero(void *p, size_t n);
/* Wipe a NUL-terminated heap string, then free it. */
void ccl_freezero_str(char *s);
#endif
