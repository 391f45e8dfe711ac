/* SPDX-License-Identifier: MIT */
/*
 * prompt.c — secrets from a file, an askpass program or the terminal; yes/no
 * questions on the terminal. See prompt.h.
 *
 * The terminal is put in no-echo mode only for the duration of one read.
 * A signal that would end or stop the process (SIGINT, SIGTSTP, ...) first
 * restores the terminal, then is re-raised, as readpassphrase(3) does.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>
#include <sys/wait.h>

#include <sodium.h>

#include "fsutil.h"
#include "prompt.h"
#include "secret.h"
#include "textsafe.h"

#define PROMPT_TTY "/dev/tty"
/* Longest yes/no answer kept; the rest of the line is discarded. */
#define PROMPT_MAX_ANSWER 16

static const int tty_signals[] = { SIGALRM, SIGHUP, SIGINT, SIGPIPE, SIGQUIT,
	SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU };
#define NSIGNALS (sizeof(tty_signals) / sizeof(tty_signals[0]))

/* The one signal caught while the terminal was in no-echo mode. */
static volatile sig_atomic_t caught_signal;

static void
on_signal(int sig)
{
	caught_signal = sig;
}

static int
open_tty(void)
{
	int fd = open(PROMPT_TTY, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0 && !isatty(fd)) {
		close(fd);
		return -1;
	}
	return fd;
}

int
prompt_have_tty(void)
{
	int fd = open_tty();

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static void
tty_write(int fd, const char *s)
{
	size_t n = strlen(s);
	ssize_t w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/*
 * Read one line from fd into b (cap bytes, NUL-terminated), without the
 * newline. A longer line is consumed and refused. CCL_ERR_ABORTED on end
 * of input before a newline or on a signal.
 */
static int
read_line(int fd, char *b, size_t cap, size_t *len)
{
	size_t n = 0;
	int toolong = 0;
	ssize_t got;
	char c;

	*len = 0;
	for (;;) {
		got = read(fd, &c, 1);
		if (got < 0 && errno == EINTR) {
			if (caught_signal != 0)
				return CCL_ERR_ABORTED;
			continue;
		}
		if (got < 0)
			return CCL_ERR_SYSTEM;
		if (got == 0)
			return CCL_ERR_ABORTED;
		if (c == '\n')
			break;
		if (n + 1 >= cap)
			toolong = 1;
		else
			b[n++] = c;
	}
	b[n] = '\0';
	sodium_memzero(&c, sizeof(c));
	if (toolong)
		return CCL_ERR_TOO_LARGE;
	*len = n;
	return 0;
}

/* Ask on the terminal with echo off. *out is secret memory. */
static int
tty_secret(const char *prompt, char **out, size_t *outlen)
{
	struct sigaction sa, saved_sa[NSIGNALS];
	struct termios saved, noecho;
	char *b = NULL;
	size_t i, len = 0;
	int fd, r, sig;

	*out = NULL;
	*outlen = 0;
	if ((fd = open_tty()) < 0)
		return CCL_ERR_NO_TTY;
	if (tcgetattr(fd, &saved) != 0) {
		close(fd);
		return CCL_ERR_NO_TTY;
	}
	if ((b = secret_alloc(PROMPT_MAX_SECRET + 2)) == NULL) {
		close(fd);
		return CCL_ERR_NOMEM;
	}
	caught_signal = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;  /* no SA_RESTART: a signal must interrupt read() */
	for (i = 0; i < NSIGNALS; i++)
		sigaction(tty_signals[i], &sa, &saved_sa[i]);
	noecho = saved;
	noecho.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	noecho.c_lflag |= ICANON;
	if (tcsetattr(fd, TCSAFLUSH, &noecho) != 0) {
		r = CCL_ERR_NO_TTY;
		goto out;
	}
	tty_write(fd, prompt);
	r = read_line(fd, b, PROMPT_MAX_SECRET + 2, &len);
	tty_write(fd, "\n");
	/* A secret is at most PROMPT_MAX_SECRET bytes (the buffer has slack). */
	if (r == 0 && len > PROMPT_MAX_SECRET)
		r = CCL_ERR_TOO_LARGE;
 out:
	while (tcsetattr(fd, TCSAFLUSH, &saved) != 0 && errno == EINTR)
		;
	for (i = 0; i < NSIGNALS; i++)
		sigaction(tty_signals[i], &saved_sa[i], NULL);
	close(fd);
	sig = caught_signal;
	caught_signal = 0;
	if (sig != 0) {
		/* Deliver it now that the terminal is sane again. */
		kill(getpid(), sig);
		r = CCL_ERR_ABORTED;
	}
	if (r != 0) {
		secret_free(b);
		return r;
	}
	*out = b;
	*outlen = len;
	return 0;
}

/*
 * Drop one trailing "\n" or "\r\n", refuse NUL bytes and over-long secrets.
 * b is NUL-terminated at *len; it is updated in place.
 */
static int
finish_secret(char *b, size_t *len)
{
	size_t n = *len;

	if (n > 0 && b[n - 1] == '\n') {
		n--;
		if (n > 0 && b[n - 1] == '\r')
			n--;
	}
	sodium_memzero(b + n, *len - n);
	b[n] = '\0';
	*len = n;
	if (memchr(b, '\0', n) != NULL)
		return CCL_ERR_FORMAT;
	if (n > PROMPT_MAX_SECRET)
		return CCL_ERR_TOO_LARGE;
	return 0;
}

static int
file_secret(const char *file, char **out, size_t *outlen)
{
	uint8_t *b = NULL;
	size_t len = 0;
	int r;

	*out = NULL;
	*outlen = 0;
	/* +2: room for the "\r\n" that is not part of the secret. */
	if (strcmp(file, "-") == 0)
		r = fs_read_fd(STDIN_FILENO, PROMPT_MAX_SECRET + 2, FS_READ_SECRET, &b, &len);
	else
		r = fs_read_file(file, PROMPT_MAX_SECRET + 2, FS_READ_SECRET, &b, &len);
	if (r != 0)
		return r;
	if ((r = finish_secret((char *)b, &len)) != 0) {
		secret_free(b);
		return r;
	}
	*out = (char *)b;
	*outlen = len;
	return 0;
}

/* Run the askpass program with the prompt as argv[1]; the secret is its stdout. */
static int
askpass_secret(const char *program, const char *prompt, char **out, size_t *outlen)
{
	uint8_t *b = NULL;
	size_t len = 0;
	int p[2], status, r, saved;
	pid_t pid, w;

	*out = NULL;
	*outlen = 0;
	if (pipe(p) != 0)
		return CCL_ERR_SYSTEM;
	if (fcntl(p[0], F_SETFD, FD_CLOEXEC) != 0 || fcntl(p[1], F_SETFD, FD_CLOEXEC) != 0) {
		saved = errno;
		close(p[0]);
		close(p[1]);
		errno = saved;
		return CCL_ERR_SYSTEM;
	}
	if ((pid = fork()) < 0) {
		saved = errno;
		close(p[0]);
		close(p[1]);
		errno = saved;
		return CCL_ERR_SYSTEM;
	}
	if (pid == 0) {
		if (dup2(p[1], STDOUT_FILENO) < 0)
			_exit(127);
		execlp(program, program, prompt, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	r = fs_read_fd(p[0], PROMPT_MAX_SECRET + 2, FS_READ_SECRET, &b, &len);
	close(p[0]);
	while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (r == 0 && (w != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0))
		r = CCL_ERR_ABORTED;  /* the user cancelled, or the program failed */
	if (r == 0)
		r = finish_secret((char *)b, &len);
	if (r != 0) {
		secret_free(b);
		return r;
	}
	*out = (char *)b;
	*outlen = len;
	return 0;
}

int
prompt_secret(const char *prompt, const char *confirm_prompt, const char *file,
    unsigned flags, char **out, size_t *outlen)
{
	const char *askpass = getenv(PROMPT_ASKPASS_ENV);
	char *first = NULL, *second = NULL;
	size_t flen = 0, slen = 0;
	int r;

	*out = NULL;
	*outlen = 0;
	if (file != NULL)
		return file_secret(file, out, outlen);
	if (flags & PROMPT_NO_INTERACTIVE)
		return CCL_ERR_NO_TTY;
	if (confirm_prompt == NULL)
		confirm_prompt = "Confirm: ";
	if (askpass != NULL && askpass[0] != '\0')
		r = askpass_secret(askpass, prompt, &first, &flen);
	else
		r = tty_secret(prompt, &first, &flen);
	if (r != 0)
		goto out;
	if (flags & PROMPT_CONFIRM) {
		if (askpass != NULL && askpass[0] != '\0')
			r = askpass_secret(askpass, confirm_prompt, &second, &slen);
		else
			r = tty_secret(confirm_prompt, &second, &slen);
		if (r != 0)
			goto out;
		if (flen != slen || sodium_memcmp(first, second, flen) != 0) {
			r = CCL_ERR_CONFLICT;
			goto out;
		}
	}
	*out = first;
	*outlen = flen;
	first = NULL;
	r = 0;
 out:
	secret_free(first);
	secret_free(second);
	return r;
}

int
prompt_yesno(const char *question, int *yes)
{
	char answer[PROMPT_MAX_ANSWER + 1], *shown = NULL;
	size_t len = 0;
	int fd, r;

	*yes = 0;
	/* The question may quote records: it can never drive the terminal. */
	if ((r = textsafe_dup(question, &shown)) != 0)
		return r;
	if ((fd = open_tty()) < 0) {
		free(shown);
		return CCL_ERR_NO_TTY;
	}
	tty_write(fd, shown);
	free(shown);
	r = read_line(fd, answer, sizeof(answer), &len);
	close(fd);
	if (r == CCL_ERR_TOO_LARGE)
		return 0;  /* a long answer is not a yes */
	if (r != 0)
		return r;
	*yes = strcasecmp(answer, "y") == 0 || strcasecmp(answer, "yes") == 0;
	return 0;
}
