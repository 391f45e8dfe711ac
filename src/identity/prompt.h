/* SPDX-License-Identifier: MIT */
/*
 * prompt.h — reading secrets (passphrases, PINs) and yes/no answers.
 *
 * Secrets never come from argv or from environment values. Sources, in
 * order: a file named by the user (--passphrase-file F, "-" = stdin); the
 * program named by $CCLINK_ASKPASS (like SSH_ASKPASS: run with the prompt as
 * argv[1], the secret is its standard output); the controlling terminal
 * (/dev/tty) with echo off. One trailing newline ("\n" or "\r\n") from a
 * file or askpass is not part of the secret. Secrets live in secret memory.
 *
 * The only output is the prompt text itself, written to /dev/tty (never to
 * stdout or stderr), so commands may redirect both freely.
 */
#ifndef CCL_PROMPT_H
#define CCL_PROMPT_H
#include <stddef.h>
#include "err.h"

/* Longest secret accepted, in bytes. */
#define PROMPT_MAX_SECRET 1024
/* Name of the askpass environment variable. */
#define PROMPT_ASKPASS_ENV "CCLINK_ASKPASS"

/* prompt_secret flags. */
#define PROMPT_CONFIRM        0x1u  /* ask twice (terminal, askpass); a file is read once */
#define PROMPT_NO_INTERACTIVE 0x2u  /* use the file only: no askpass, no terminal */

/*
 * Read a secret. file is the user's --passphrase-file (or NULL); when set it
 * is the only source. prompt is shown on the terminal or passed to askpass;
 * confirm_prompt is the second question with PROMPT_CONFIRM (NULL: a default).
 *
 * *out is NUL-terminated secret memory (secret_free), *outlen its length.
 * Errors: CCL_ERR_NO_TTY (nothing to ask: no file, no askpass, no terminal,
 * or PROMPT_NO_INTERACTIVE), CCL_ERR_CONFLICT (the confirmation differs),
 * CCL_ERR_ABORTED (end of input at the prompt, interrupted, or askpass
 * failed), CCL_ERR_TOO_LARGE (over PROMPT_MAX_SECRET), CCL_ERR_FORMAT (a NUL
 * byte), CCL_ERR_NOT_FOUND (no such file), CCL_ERR_SYSTEM.
 */
CCL_MUST_CHECK int prompt_secret(const char *prompt, const char *confirm_prompt,
    const char *file, unsigned flags, char **out, size_t *outlen);

/*
 * Ask a yes/no question on the terminal (echo on); the question is shown in
 * textsafe's terminal form. *yes is 1 for "y" or
 * "yes" (any case), 0 for anything else, including an empty answer.
 * CCL_ERR_NO_TTY without a terminal, CCL_ERR_ABORTED on end of input.
 */
CCL_MUST_CHECK int prompt_yesno(const char *question, int *yes);

/* 1 when a terminal is available for prompting (/dev/tty opens), else 0. */
int prompt_have_tty(void);
#endif
