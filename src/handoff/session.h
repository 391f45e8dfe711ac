/* SPDX-License-Identifier: MIT */
/*
 * session.h — finding Claude Code sessions on this machine (doc/claude-code.md).
 *
 * Claude Code keeps one transcript per session in
 * <root>/projects/<folder>/<session-id>.jsonl, where <root> is
 * $CLAUDE_CONFIG_DIR or ~/.claude and <folder> is the canonical start
 * directory with every UTF-16 code unit outside [A-Za-z0-9] turned into '-'.
 * Names longer than 200 are cut to 200 and get "-" plus a base-36 hash of the
 * path; session_long_name_hash() computes the same suffix as the 2.1.328 CLI
 * (checked against it in tests/claude), but other builds have used other
 * hashes, so an existing "<first 200>-*" folder is also matched by prefix and
 * told apart by the transcript's cwd. A folder name is never decoded back
 * into a path: the project directory is the first non-empty "cwd" in the
 * transcript.
 *
 * Trust boundary: transcript files, hook state files and the process's
 * environment are untrusted. They are read with size caps (SESSION_*_MAX),
 * split into lines through buf_rd and parsed with cJSON; oversized lines and
 * malformed JSON are skipped. Strings handed out (title, preview, cwd) may
 * still hold any printable UTF-8, so callers print them sanitised.
 *
 * This module never prints and never exits.
 */
#ifndef CCL_SESSION_H
#define CCL_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "err.h"

#define SESSION_ID_MAX 256            /* longest explicit id or name accepted */
#define SESSION_NAME_SANITIZED_MAX 200 /* Claude's folder-name limit */
#define SESSION_HEAD_CHUNK (64 * 1024) /* transcript head read per step */
#define SESSION_HEAD_MAX (1024 * 1024) /* never read more of a head than this */
#define SESSION_HEAD_LINES 50         /* lines examined for the start cwd */
#define SESSION_TAIL_MAX (64 * 1024)  /* tail read for the custom-title */
#define SESSION_TITLE_MAX 512         /* longer titles are ignored */
#define SESSION_PREVIEW_MAX 120       /* bytes of the first prompt kept */
#define SESSION_STATE_MAX (16 * 1024) /* hook state file cap */
#define SESSION_MAX_DIRENTS 8192      /* entries scanned per directory */
#define SESSION_MAX_CANDIDATES 16     /* cwd candidates handed back */
#define SESSION_RECENT_SECS 3600      /* "recent": within this of the newest */

/*
 * What session_detect and friends read from the process. Every field is
 * borrowed; NULL means unset. session_env_from_process() fills it from the
 * real environment (its strings are owned and released by
 * session_env_cleanup); tests fill it by hand.
 */
struct session_env {
	const char *root;        /* Claude root: $CLAUDE_CONFIG_DIR or $HOME/.claude */
	const char *home;        /* $HOME (for the remap and the cwd walk) */
	const char *dir_name;    /* $CLAUDE_CODE_PROJECT_DIR_NAME override (see below) */
	const char *session_id;  /* $CLAUDE_CODE_SESSION_ID */
	const char *state_dir;   /* hook state: ${XDG_STATE_HOME:-$HOME/.local/state}/cclink/sessions */
	const char *cwd;         /* canonical current directory (realpath) */
	const char *tmux;        /* $TMUX ("socket,server-pid,session") */
	const char *tmux_pane;   /* $TMUX_PANE ("%N") */
	const char *tty;         /* ttyname() of fd 0, 1 or 2, e.g. /dev/pts/3 */
	pid_t pid;               /* start of the ancestor walk (getpid()); 0 = no walk */
	char *owned_[10];        /* private: strings allocated by _from_process */
};

/*
 * Fill env from getenv/getcwd/ttyname. Fails when no Claude root can be named.
 * dir_name is set exactly when the CLI uses it: $CLAUDE_CODE_PROJECT_DIR_NAME
 * with $CLAUDE_CONFIG_DIR also set and a value session_dir_name_ok() accepts;
 * otherwise the normal folder rule applies, as in the CLI.
 */
CCL_MUST_CHECK int session_env_from_process(struct session_env *env);
void session_env_cleanup(struct session_env *env);

#define SESSION_DIR_NAME_MAX 64  /* longest $CLAUDE_CODE_PROJECT_DIR_NAME the CLI takes */
/* 1 when s matches ^[A-Za-z0-9_-]{1,64}$, the CLI's rule for the override. */
int session_dir_name_ok(const char *s);

/* How a session was found. */
enum session_via {
	SESSION_VIA_NONE = 0,
	SESSION_VIA_ARG_ID,       /* explicit UUID with a local transcript */
	SESSION_VIA_ARG_NAME,     /* explicit name matched a custom-title */
	SESSION_VIA_ARG_UNKNOWN,  /* explicit argument with no local transcript */
	SESSION_VIA_ENV,          /* $CLAUDE_CODE_SESSION_ID */
	SESSION_VIA_HOOK_PID,     /* hook state of an ancestor claude process */
	SESSION_VIA_HOOK_TMUX,    /* hook state of this tmux pane */
	SESSION_VIA_HOOK_TTY,     /* hook state of this terminal */
	SESSION_VIA_CWD,          /* newest transcript started in the current dir */
	SESSION_VIA_CWD_PARENT,   /* ... started in a parent of the current dir */
};

/* Flags in session_info.flags. */
#define SESSION_F_NOT_LOCAL 0x1      /* no transcript here: transcript is NULL */
#define SESSION_F_PROJECT_GUESS 0x2  /* project is the current dir, not a transcript cwd */
#define SESSION_F_CURRENT 0x4        /* the running Claude Code session says this is its id
                                        ($CLAUDE_CODE_SESSION_ID or its hook record) */

struct session_info {
	char *id;           /* session id (file stem), or the explicit argument */
	char *project;      /* start directory: first cwd in the transcript */
	char *transcript;   /* path of <id>.jsonl, or NULL */
	char *title;        /* last custom-title, or NULL */
	char *preview;      /* first user prompt, one line, truncated; or NULL */
	time_t mtime;       /* transcript modification time */
	long mtime_nsec;
	uint64_t size;      /* transcript size in bytes */
	enum session_via via;
	unsigned flags;
};

struct session_list {
	struct session_info *v;  /* newest first */
	size_t n;
	size_t n_recent;         /* v[0..n_recent) are within SESSION_RECENT_SECS of v[0] */
};

void session_info_cleanup(struct session_info *s);
CCL_MUST_CHECK int session_info_dup(const struct session_info *src, struct session_info *dst);
void session_list_cleanup(struct session_list *l);

/*
 * Find the session to publish. arg is the explicit SESSION argument or NULL.
 * Order: (1) arg: a UUID looked up as projects/<any>/<arg>.jsonl, otherwise a
 * name matched against each transcript's last custom-title (newest wins; all
 * matches go to *cands); (2) env->session_id; (3) hook state, keyed by the
 * ancestor claude PID, then the tmux pane, then the tty; (4) the newest
 * transcript whose start cwd is env->cwd, else the nearest parent of it below
 * $HOME (every match, newest first, goes to *cands so the caller can offer a
 * picker when cands->n_recent > 1). A pane or tty hook record is only taken
 * when env->cwd is inside that session's project; otherwise it is used after
 * (4) finds nothing.
 *
 * An explicit arg or $CLAUDE_CODE_SESSION_ID without a local transcript still
 * succeeds: out->via tells which, SESSION_F_NOT_LOCAL and
 * SESSION_F_PROJECT_GUESS are set, and out->project is env->cwd (the caller
 * publishes as given and warns, as cclink 1.3 does). So does the hook record
 * of an ancestor claude process (project: the hook's cwd). When the id is
 * the running session's own ($CLAUDE_CODE_SESSION_ID, an arg equal to it, or
 * that hook record), SESSION_F_CURRENT is set too: its transcript is simply
 * not written yet (the first prompt of a session is the one running us).
 *
 * On success out->id and out->project are set (entries of *cands may have
 * a NULL project when their transcript has no cwd). Returns
 * CCL_ERR_INVALID_ARG for an arg session_id_check() refuses, CCL_ERR_CONFIG
 * for an env->dir_name that session_dir_name_ok() refuses,
 * CCL_ERR_SYSTEM when the project would be the current directory but it is
 * unknown (env->cwd NULL), CCL_ERR_NOT_FOUND when no step finds anything.
 * cands may be NULL. The hook state format is described in
 * session_detect.c and contrib/claude-code/README.md.
 */
CCL_MUST_CHECK int session_detect(const struct session_env *env, const char *arg,
    struct session_info *out, struct session_list *cands);

/*
 * A session id (or name) that is safe to hand to `claude --resume`: 1 to
 * SESSION_ID_MAX bytes, valid UTF-8, no control characters, not starting
 * with '-'. Returns 0 or CCL_ERR_INVALID_ARG.
 */
CCL_MUST_CHECK int session_id_check(const char *id);
/* 1 when s is a UUID in 8-4-4-4-12 hex form, else 0. */
int session_id_is_uuid(const char *s);

/*
 * Claude's folder name for path, without the long-name rule: every UTF-16
 * code unit outside [A-Za-z0-9] becomes '-' (invalid UTF-8 counts as one
 * U+FFFD per maximal ill-formed subsequence, as V8 decodes it). Caller frees.
 */
CCL_MUST_CHECK int session_sanitize_path(const char *path, char **out);

/*
 * Locate the project folder of canonical directory dir under env->root
 * (env->dir_name if set; else the exact name; else, for names over 200, a
 * "<first 200>-" prefix match, ties broken by the transcripts' cwd).
 * *exists is 1 when found. When not found, *folder is where a new folder
 * would go (for long names: "<first 200>-<base36 Java-style hash>", the
 * name the CLI itself gives it). Caller frees *folder.
 */
CCL_MUST_CHECK int session_project_folder(const struct session_env *env, const char *dir,
    char **folder, int *exists);

/*
 * Pickup check: is there a non-empty <sid>.jsonl in the project folder of
 * dir (canonicalised here)? On success *path is the transcript path (caller
 * frees). CCL_ERR_NOT_FOUND when absent or empty, CCL_ERR_INVALID_ARG for a
 * bad sid.
 */
CCL_MUST_CHECK int session_transcript_find(const struct session_env *env, const char *dir,
    const char *sid, char **path);

/*
 * Pickup check: was the transcript at path (found by session_transcript_find)
 * recorded in this session's directory? Its start cwd, read with the bounded
 * head parser (session_transcript_load), must be the published project path
 * (a transcript carried over from the publisher) or local, the directory it
 * was mapped to here (also through a symlink). Claude's folder names are
 * lossy (/w/my-proj and /w/my/proj share one), so the folder alone is not
 * enough. *cwd is the recorded cwd (caller frees; NULL when none).
 * CCL_ERR_CONFLICT when it is another directory, CCL_ERR_FORMAT when the
 * transcript records none, or session_transcript_load's errors.
 */
CCL_MUST_CHECK int session_transcript_cwd_check(const char *path, const char *published,
    const char *local, char **cwd);

/*
 * Find projects/<any folder>/<sid>.jsonl (regular, non-empty; the newest
 * when several) under env->root, for an explicit id or to tell the user
 * where a transcript lives. sid must be a UUID. Caller frees *path.
 * CCL_ERR_NOT_FOUND when there is none.
 */
CCL_MUST_CHECK int session_find_id(const struct session_env *env, const char *sid, char **path);

/* Which remap rule produced the local project directory. */
enum session_remap_rule {
	SESSION_REMAP_NONE = 0,  /* the published path exists here */
	SESSION_REMAP_HOME,      /* publisher's /home/<u>, /Users/<u> or /root -> $HOME */
	SESSION_REMAP_MAP,       /* an OLD=NEW rule (index in *map_index) */
};

/*
 * Find the local directory for a published project path: the path itself if
 * it is an existing directory here; else the publisher's home prefix swapped
 * for home; else the first OLD=NEW rule in maps[0..nmaps) whose OLD is the
 * path or a parent of it and whose result exists. *local is canonical
 * (realpath). Returns CCL_ERR_FORMAT for a published path that is not
 * absolute or has control characters or ".." parts, CCL_ERR_INVALID_ARG for a
 * rule without '=', CCL_ERR_NOT_FOUND when nothing exists.
 */
CCL_MUST_CHECK int session_remap(const char *published, const char *home,
    const char *const *maps, size_t nmaps, char **local,
    enum session_remap_rule *rule, size_t *map_index);

/*
 * Transcript parsing (exposed for tests and the fuzzer).
 *
 * session_head_parse examines complete lines of p[h->off..n) (a final line
 * without '\n' only when at_eof), at most SESSION_HEAD_LINES in all, and
 * records the first non-empty absolute "cwd" (with the sessionId of that
 * line) and the first user prompt. Call it again with more bytes of the
 * same file; h->off remembers the position. Lines longer than
 * SESSION_HEAD_MAX and malformed JSON are skipped. Returns 0, or
 * CCL_ERR_NOMEM.
 */
struct session_head {
	char *cwd;
	char *session_id;
	char *preview;
	size_t off;    /* bytes consumed */
	size_t lines;  /* complete lines examined */
	int done;      /* cwd and preview found, or the line cap reached */
};
CCL_MUST_CHECK int session_head_parse(struct session_head *h, const uint8_t *p, size_t n, int at_eof);
void session_head_cleanup(struct session_head *h);

/*
 * The last custom-title in p[0..n), a tail of a transcript. When partial is
 * set the bytes before the first '\n' are a cut line and are skipped.
 * *title is NULL when there is none. Returns 0 or CCL_ERR_NOMEM.
 */
CCL_MUST_CHECK int session_tail_title(const uint8_t *p, size_t n, int partial, char **title);

/*
 * Read one transcript: id (the file name without .jsonl, which is what
 * `claude --resume` looks up), start cwd as project (NULL when the head has
 * none), title, preview, mtime and size; via and flags are left 0.
 * CCL_ERR_NOT_FOUND for a missing, non-regular or empty file.
 */
CCL_MUST_CHECK int session_transcript_load(const char *path, struct session_info *out);

#endif
