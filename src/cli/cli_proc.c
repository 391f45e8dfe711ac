/* SPDX-License-Identifier: MIT */
/* cli_proc.c — child processes for cclink ssh / ssh-proxy. See cli_proc.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "cli_proc.h"

static volatile sig_atomic_t stop_sig;
static volatile pid_t waiting_for;

static void
on_stop(int sig)
{
	stop_sig = sig;
	if (waiting_for > 0)
		kill(waiting_for, SIGTERM);
}

void
cli_proc_catch(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
cli_proc_signalled(void)
{
	return stop_sig;
}

static pid_t
spawn(char *const *argv, int in_fd, int out_fd, int tied)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	pid_t pid, parent = getpid();
	size_t i;

	if ((pid = fork()) != 0)
		return pid;
	/* Tied: if the parent died before prctl took effect, nobody would signal us. */
	if (tied && (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent))
		_exit(125);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	if (in_fd >= 0 && in_fd != STDIN_FILENO && dup2(in_fd, STDIN_FILENO) < 0)
		_exit(127);
	if (out_fd >= 0 && out_fd != STDOUT_FILENO && dup2(out_fd, STDOUT_FILENO) < 0)
		_exit(127);
	execvp(argv[0], argv);
	_exit(errno == ENOENT ? 127 : 126);
}

pid_t
cli_proc_spawn(char *const *argv, int in_fd, int out_fd)
{
	return spawn(argv, in_fd, out_fd, 0);
}

pid_t
cli_proc_spawn_tied(char *const *argv, int in_fd, int out_fd)
{
	return spawn(argv, in_fd, out_fd, 1);
}

void
cli_proc_watch(pid_t pid)
{
	waiting_for = pid;
	if (pid > 0 && stop_sig != 0)
		kill(pid, SIGTERM);
}

int
cli_proc_wait(pid_t pid)
{
	int st;

	waiting_for = pid;
	/* Asked to stop before the child existed: pass it on now. */
	if (stop_sig != 0)
		kill(pid, SIGTERM);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			waiting_for = 0;
			return -1;
		}
	}
	waiting_for = 0;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

int
cli_proc_run(char *const *argv, int in_fd, char **out, size_t max)
{
	char *b = NULL;
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	int p[2] = { -1, -1 }, st;

	if (out == NULL) {
		if ((pid = cli_proc_spawn(argv, in_fd, -1)) < 0)
			return -1;
		return cli_proc_wait(pid);
	}
	*out = NULL;
	if ((b = malloc(max + 1)) == NULL || pipe(p) != 0) {
		free(b);
		return -1;
	}
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	if ((pid = cli_proc_spawn(argv, in_fd, p[1])) < 0) {
		close(p[0]);
		close(p[1]);
		free(b);
		return -1;
	}
	close(p[1]);
	waiting_for = pid;
	for (;;) {
		n = read(p[0], b + len, len < max ? max - len : 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < max)
			len += (size_t)n;  /* beyond max: drained, not kept */
	}
	close(p[0]);
	b[len] = '\0';
	st = cli_proc_wait(pid);
	*out = b;
	return st;
}

char *
cli_proc_self(void)
{
	char buf[4096];
	ssize_t n;

	if ((n = readlink("/proc/self/exe", buf, sizeof(buf) - 1)) <= 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

int
cli_proc_quote(char **cmd, const char *s)
{
	size_t old = *cmd == NULL ? 0 : strlen(*cmd), n = 3, i, k;
	char *p;

	for (i = 0; s[i] != '\0'; i++)
		n += s[i] == '\'' ? 4 : 1;
	if ((p = realloc(*cmd, old + n + 1)) == NULL)
		return CCL_ERR_NOMEM;
	k = old;
	if (old > 0)
		p[k++] = ' ';
	p[k++] = '\'';
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\'') {
			memcpy(p + k, "'\\''", 4);
			k += 4;
		} else
			p[k++] = s[i];
	}
	p[k++] = '\'';
	p[k] = '\0';
	*cmd = p;
	return 0;
}
