/* SPDX-License-Identifier: MIT */
/*
 * terminfo.h — does this machine have a terminfo entry for a TERM? Used by
 * pickup to fall back to a TERM that exists (a terminal such as kitty or
 * ghostty sends its own TERM over ssh, which the far side often lacks, and
 * tmux then refuses to start: "missing or unsuitable terminal").
 *
 * Looks where ncurses looks: $TERMINFO, $HOME/.terminfo, each entry of
 * $TERMINFO_DIRS (an empty one meaning the system directories), then
 * /etc/terminfo, /lib/terminfo, /usr/share/terminfo; in each, the entry
 * <first letter>/<name> or <hex of the first letter>/<name>. Never prints.
 */
#ifndef CCL_TERMINFO_H
#define CCL_TERMINFO_H

#define TERMINFO_FALLBACK "xterm-256color"

struct terminfo_env {
	const char *terminfo;       /* $TERMINFO */
	const char *terminfo_dirs;  /* $TERMINFO_DIRS */
	const char *home;           /* $HOME */
	const char *const *system;  /* NULL-terminated system directories; NULL: the defaults */
};

/* Fill env from getenv() (system = the defaults). */
void terminfo_env_from_process(struct terminfo_env *env);

/* 1 when term names an entry found as described above; 0 for none or an unusable name. */
int terminfo_exists(const struct terminfo_env *env, const char *term);
#endif
