/* SPDX-License-Identifier: MIT */
/*
 * resume.h — the last step of pickup: start `claude --resume ID` in the
 * session's project directory, directly or in tmux (doc/design.md §5,
 * doc/security.md).
 *
 * resume_plan_build() decides everything (claude and tmux found on PATH,
 * the exact argv vectors) without side effects, so tests check it;
 * resume_exec() carries the plan out and only returns on failure.
 *
 * Trust boundary: the session id and directory come from a record. The id
 * must pass session_id_check() (no leading '-', no control characters): it
 * becomes an argument of claude. The directory must be absolute and
 * printable. No shell is involved anywhere: every program gets an argv.
 * Neither reaches tmux where it expands formats (-c, -s, -t, -F values run
 * #(cmd) through /bin/sh): the directory is only chdir'ed into, the id is
 * only an argument of the command after "--", and session names are made of
 * [A-Za-z0-9_-]. This module never prints.
 */
#ifndef CCL_RESUME_H
#define CCL_RESUME_H

#include <sys/types.h>

#include "err.h"

#define RESUME_DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"
/* "cclink-" + 8 characters of the id + "-" + 16 hex digits of the key, NUL. */
#define RESUME_TMUX_NAME_MAX 40
#define RESUME_TMUX_KEY_LEN 64
/* Set in the tmux sessions cclink starts: the plan's key. */
#define RESUME_TMUX_KEY_VAR "CCLINK_RESUME"

enum resume_mode {
	RESUME_DIRECT = 0,   /* exec claude in the foreground */
	RESUME_TMUX,         /* exec tmux new-session -A (attach ours, or create and attach) */
	RESUME_TMUX_SWITCH,  /* inside tmux: create detached unless it exists, then switch-client */
};

/* What the plan depends on; NULL fields mean unset. */
struct resume_env {
	const char *path;               /* $PATH; NULL: RESUME_DEFAULT_PATH */
	const char *tmux;               /* $TMUX: non-empty means we run inside tmux */
	const char *claude_config_dir;  /* $CLAUDE_CONFIG_DIR, handed to claude unchanged */
	int umask;                      /* umask to restore before exec, or -1 to keep */
};

/* Fill env from getenv(); umask is -1 (the caller knows the original one). */
void resume_env_from_process(struct resume_env *env);

struct resume_plan {
	enum resume_mode mode;
	int tmux_missing;         /* tmux was asked for but is not on PATH: mode is DIRECT */
	char *dir;                /* chdir here before anything runs */
	char *claude;             /* absolute path of claude (first on PATH) */
	char *tmux;               /* absolute path of tmux, or NULL */
	char *config_dir;         /* CLAUDE_CONFIG_DIR to set, or NULL */
	int umask;                /* from resume_env */
	/* SHA-256(id, NUL, dir) in hex: set as RESUME_TMUX_KEY_VAR in the session. */
	char key[RESUME_TMUX_KEY_LEN + 1];
	/* tmux session: "cclink-" + first 8 of the id (tamed) + "-" + 16 hex of key. */
	char name[RESUME_TMUX_NAME_MAX];
	char **argv;              /* the final exec; argv[0] is the program's path */
	char **has_argv;          /* tmux modes: `tmux has-session -t =NAME` */
	char **check_argv;        /* tmux modes: `tmux show-environment -t =NAME KEYVAR` */
	char **create_argv;       /* RESUME_TMUX_SWITCH: `tmux new-session -d ...` if has fails */
};

/*
 * Build the plan for resuming session_id in dir (absolute). use_tmux asks
 * for tmux: `tmux new-session -A -s NAME -e CCLINK_RESUME=KEY
 * [-e CLAUDE_CONFIG_DIR=V] -- CLAUDE --resume ID`, or inside tmux the
 * new-session -d (unless it exists) / switch-client -t =NAME sequence;
 * without a tmux binary the plan falls back to DIRECT with tmux_missing set
 * (the caller says so). NAME depends on the whole id and the directory, so
 * two sessions never share it.
 * Returns CCL_ERR_INVALID_ARG for a refused id or directory and
 * CCL_ERR_NOT_FOUND (only) when claude is not on PATH.
 */
CCL_MUST_CHECK int resume_plan_build(const struct resume_env *env, const char *session_id,
    const char *dir, int use_tmux, struct resume_plan *plan);
void resume_plan_cleanup(struct resume_plan *plan);

/*
 * Carry the plan out: chdir(dir), set CLAUDE_CONFIG_DIR if the plan has
 * one, restore the umask and default signal dispositions, run the tmux
 * preliminaries if any, then execv(argv[0], argv). In the tmux modes an
 * existing session of the plan's name is used only if its CCLINK_RESUME is
 * the plan's key. Returns only on failure: CCL_ERR_CONFLICT (errno EEXIST)
 * when a session of that name runs something else, CCL_ERR_SYSTEM (errno
 * kept; EIO when `tmux new-session -d` failed).
 */
CCL_MUST_CHECK int resume_exec(const struct resume_plan *plan);

/*
 * The first executable regular file called name in the ':'-separated path
 * (relative and empty entries are skipped). *out is heap; CCL_ERR_NOT_FOUND
 * when there is none.
 */
CCL_MUST_CHECK int resume_which(const char *path, const char *name, char **out);

#endif
