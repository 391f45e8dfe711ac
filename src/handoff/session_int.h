/* SPDX-License-Identifier: MIT */
/*
 * session_int.h — helpers shared by session.c (naming, transcripts),
 * session_find.c (folders, lookups, remap) and session_detect.c
 * (environment, hook state, detection order). Not for other modules.
 */
#ifndef CCL_SESSION_INT_H
#define CCL_SESSION_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "err.h"
#include "session.h"

#define SESSION_PATH_MAX 8192  /* any path we build */

struct cJSON;
/*
 * Parse n untrusted bytes (one line, no NUL) as a JSON object; NULL for
 * anything else, including trailing garbage. Caller cJSON_Delete()s.
 */
struct cJSON *session_json_parse(const uint8_t *p, size_t n);

/* Concatenate NUL-terminated strings up to a NULL; *out is heap. */
CCL_MUST_CHECK int session_join(char **out, const char *first, ...) __attribute__((sentinel));

/* 1 when path is a regular file of at least one byte (st filled). */
int session_stat_nonempty(const char *path, struct stat *st);
int session_is_dir(const char *path);
/* Base-36 Java-style String hash of path (UTF-16 code units): the CLI's long-name suffix. */
void session_long_name_hash(const char *path, char out[16]);

/* 1 when s is valid UTF-8 of at most max bytes without control characters. */
int session_text_ok(const char *s, size_t max);
/* 1 when s is an absolute POSIX path acceptable as a project directory. */
int session_path_ok(const char *s);

/*
 * 1 when dir is project or lies below it. A project that is "/" or home
 * only matches itself, so a session started in $HOME is not the session of
 * every directory under it.
 */
int session_dir_within(const char *dir, const char *project, const char *home);

/* Append a copy of s to l (kept unsorted until session_list_sort). */
CCL_MUST_CHECK int session_list_push(struct session_list *l, const struct session_info *s);
/* Sort newest first (ties: by id) and set n_recent. */
void session_list_sort(struct session_list *l);

/*
 * Every transcript whose start cwd is exactly dir, from dir's project
 * folder(s), appended to l (at most SESSION_MAX_CANDIDATES, newest first
 * by file time).
 */
CCL_MUST_CHECK int session_collect(const struct session_env *env, const char *dir,
    struct session_list *l);

/*
 * session_find_id, but the file name matched ignoring case (Claude matches
 * ids case-sensitively, so the caller then uses the stored file's stem).
 */
CCL_MUST_CHECK int session_find_id_nocase(const struct session_env *env, const char *sid,
    char **path);

/*
 * Every transcript whose last custom-title equals name, in any project,
 * appended to l.
 */
CCL_MUST_CHECK int session_collect_name(const struct session_env *env, const char *name,
    struct session_list *l);

#endif
