/* SPDX-License-Identifier: MIT */
/*
 * cli_proc.h — child processes for the commands that drive other programs
 * (`cclink ssh`, `cclink ssh-proxy`): spawn with chosen descriptors, wait
 * while forwarding a termination request, capture bounded output, run this
 * very binary again, and quote words for a remote POSIX shell.
 *
 * Signals: cli_proc_catch() installs SIGINT/SIGTERM/SIGHUP handlers (no
 * SA_RESTART) that record the signal and send SIGTERM to the child being
 * waited for, and ignores SIGPIPE. cli_proc_signalled() tells the caller to
 * clean up and stop.
 */
#ifndef CCL_CLI_PROC_H
#define CCL_CLI_PROC_H
#include <stddef.h>
#include <sys/types.h>
#include "cli.h"

void cli_proc_catch(void);
/* The signal that asked us to stop, or 0. */
int cli_proc_signalled(void);

/*
 * Start argv (argv[0] looked up on PATH unless it has a '/') with the given
 * descriptors as stdin/stdout (-1: inherit; stderr is inherited). The child
 * gets default signal dispositions. Returns the pid, or -1 (errno kept).
 */
pid_t cli_proc_spawn(char *const *argv, int in_fd, int out_fd);
/*
 * The same, for a child that must not outlive us: it gets SIGTERM when this
 * process dies, however it dies (SIGKILL included; PR_SET_PDEATHSIG).
 */
pid_t cli_proc_spawn_tied(char *const *argv, int in_fd, int out_fd);
/* A stop request while no wait is under way goes to pid as SIGTERM (0: none). */
void cli_proc_watch(pid_t pid);
/*
 * Wait for pid; a stop request meanwhile is passed on as SIGTERM. Returns the
 * exit status, 128+N for a child killed by signal N, or -1.
 */
int cli_proc_wait(pid_t pid);
/* spawn + wait; stdout captured (at most max bytes, NUL-terminated, heap) when out != NULL. */
int cli_proc_run(char *const *argv, int in_fd, char **out, size_t max);

/* The path of the running cclink binary (for re-running it), heap; NULL on failure. */
char *cli_proc_self(void);

/*
 * Append s to the heap string *cmd as one word for a POSIX (or fish) shell:
 * 'single-quoted', each ' written as '\'' ; preceded by a space unless *cmd is
 * empty. Returns 0 or CCL_ERR_NOMEM.
 */
int cli_proc_quote(char **cmd, const char *s);
#endif
