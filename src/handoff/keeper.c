/* SPDX-License-Identifier: MIT */
/* keeper.c — the keeper's lock, start, stop and the pickup refresh; see keeper.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <sodium.h>

#include "dns.h"
#include "handoff.h"
#include "keeper.h"
#include "net.h"
#include "statedir.h"
#include "transport.h"
#include "z32.h"

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The pid written in an open lock file (0 if none). */
static pid_t
read_pid(int fd)
{
	char buf[32];
	ssize_t n;
	long v;
	char *end;

	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return 0;
	buf[n] = '\0';
	v = strtol(buf, &end, 10);
	if (end == buf || v <= 1 || v > 0x7fffffffL)
		return 0;
	return (pid_t)v;
}

int
keeper_running(const uint8_t pk[static 32], pid_t *pid)
{
	char *path = NULL;
	int fd, running = 0;

	if (pid != NULL)
		*pid = 0;
	if (statedir_path(STATEDIR_LOCK, pk, &path) != 0)
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
		if (flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
			running = 1;
			if (pid != NULL)
				*pid = read_pid(fd);
		}
		close(fd);  /* drops our shared lock, if we got it */
	}
	free(path);
	return running;
}

/* Wait until nobody holds the lock at path, or the deadline (ms). */
static int
wait_free(const uint8_t pk[static 32], unsigned ms)
{
	for (; ms > 0; ms = ms > 50 ? ms - 50 : 0) {
		if (!keeper_running(pk, NULL))
			return 0;
		sleep_ms(50);
	}
	return keeper_running(pk, NULL) ? CCL_ERR_TIMEOUT : 0;
}

int
keeper_stop(const uint8_t pk[static 32])
{
	pid_t pid;

	if (!keeper_running(pk, &pid))
		return 0;
	if (pid > 1)
		kill(pid, SIGTERM);
	return wait_free(pk, KEEPER_WAIT_MS);
}

int
keeper_lock(const uint8_t pk[static 32], int *fd_out)
{
	struct stat a, b;
	char *path = NULL, buf[32];
	pid_t other;
	unsigned waited = 0;
	int fd = -1, r, signalled = 0;

	*fd_out = -1;
	if ((r = statedir_path(STATEDIR_LOCK, pk, &path)) != 0)
		return r;
	for (;;) {
		if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0) {
			r = CCL_ERR_SYSTEM;
			goto out;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			/* The previous holder may have removed the file after we opened it. */
			if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
			    a.st_dev == b.st_dev)
				break;
			close(fd);
			fd = -1;
			continue;
		}
		if (errno != EWOULDBLOCK) {
			r = CCL_ERR_SYSTEM;
			goto out;
		}
		/* Another keeper of this key: ask it to make way (once), then wait. */
		if (!signalled && (other = read_pid(fd)) > 1 && other != getpid()) {
			kill(other, SIGTERM);
			signalled = 1;
		}
		close(fd);
		fd = -1;
		if (waited >= KEEPER_WAIT_MS) {
			r = CCL_ERR_TIMEOUT;
			goto out;
		}
		sleep_ms(50);
		waited += 50;
	}
	snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, strlen(buf), 0) != (ssize_t)strlen(buf)) {
		r = CCL_ERR_SYSTEM;
		goto out;
	}
	*fd_out = fd;
	fd = -1;
	r = 0;
 out:
	if (fd >= 0)
		close(fd);
	free(path);
	return r;
}

void
keeper_unlock(const uint8_t pk[static 32], int fd)
{
	struct stat a, b;
	char *path = NULL;

	if (fd < 0)
		return;
	if (statedir_path(STATEDIR_LOCK, pk, &path) == 0 && fstat(fd, &a) == 0 &&
	    stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
		(void)unlink(path);
	free(path);
	close(fd);
}

int
keeper_record_of(const struct pkarr_packet *pkt, struct record *rec)
{
	struct dns_packet *dns = NULL;
	char z[Z32_KEY_LEN + 1], *value = NULL;
	size_t vlen = 0;
	int r;

	memset(rec, 0, sizeof(*rec));
	z32_encode(z, pkt->pk, 32);
	if ((r = pkarr_dns(pkt, &dns)) != 0 ||
	    (r = dns_find_txt(dns, HANDOFF_TXT_NAME, z, &value, &vlen)) != 0 ||
	    (r = handoff_parse(value, vlen, pkt->pk, rec)) != 0)
		goto out;
	r = 0;
 out:
	if (r != 0)
		record_free(rec);  /* a failed parse may leave fields behind */
	free(value);
	dns_packet_free(dns);
	return r;
}

/*
 * In a child of fork(): become a daemon's grandchild. Returns in the
 * grandchild only (setsid done, stdio on /dev/null, cwd "/"); the
 * intermediate child exits. keep_fd (or -1) survives as fd 3.
 */
static void
daemonize(int keep_fd)
{
	struct sigaction sa;
	struct rlimit rl;
	sigset_t none;
	long fd, maxfd;
	int nul;

	if (setsid() < 0)
		_exit(127);
	switch (fork()) {
	case -1: _exit(127);
	case 0: break;
	default: _exit(0);
	}
	if (chdir("/") != 0)
		_exit(127);
	if ((nul = open("/dev/null", O_RDWR)) < 0)
		_exit(127);
	if (dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(nul, 2) < 0)
		_exit(127);
	if (keep_fd >= 0) {
		if (keep_fd != 3 && dup2(keep_fd, 3) < 0)
			_exit(127);
		if (fcntl(3, F_SETFD, 0) != 0)
			_exit(127);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < 65536)
		maxfd = (long)rl.rlim_cur;
	else
		maxfd = 65536;
	for (fd = keep_fd >= 0 ? 4 : 3; fd < maxfd; fd++)
		(void)close((int)fd);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
}

int
keeper_spawn(const uint8_t pk[static 32], pid_t *pid_out)
{
	char z[Z32_KEY_LEN + 4], buf[64], *end;
	char *argv[] = { "cclink", KEEPER_COMMAND, "--ready-fd", "3", z, NULL };
	struct pollfd pfd;
	size_t got = 0;
	ssize_t n;
	pid_t child;
	long v;
	int p[2], st, r;

	*pid_out = 0;
	memcpy(z, "pk:", 3);
	z32_encode(z + 3, pk, 32);
	if (pipe(p) != 0)
		return CCL_ERR_SYSTEM;
	(void)fcntl(p[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(p[1], F_SETFD, FD_CLOEXEC);
	fflush(NULL);
	if ((child = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return CCL_ERR_SYSTEM;
	}
	if (child == 0) {
		close(p[0]);
		daemonize(p[1]);
		/* A fresh image: nothing of this process's memory reaches the keeper. */
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(p[1]);
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	/* The keeper answers "<pid>" once it holds the lock, or "E<code>". */
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		/* It may first wait KEEPER_WAIT_MS for an older keeper to let go. */
		if ((r = poll(&pfd, 1, 2 * KEEPER_WAIT_MS)) < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(p[0]);
			return CCL_ERR_TIMEOUT;
		}
		n = read(p[0], buf + got, sizeof(buf) - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || (got += (size_t)n) >= sizeof(buf) - 1 || memchr(buf, '\n', got) != NULL)
			break;
	}
	close(p[0]);
	buf[got] = '\0';
	if (got == 0)
		return CCL_ERR_SYSTEM;  /* it died before answering: see its log */
	if (buf[0] == 'E') {
		v = strtol(buf + 1, &end, 10);
		return v < 0 && v > -100 ? (int)v : CCL_ERR_SYSTEM;
	}
	v = strtol(buf, &end, 10);
	if (end == buf || v <= 1)
		return CCL_ERR_SYSTEM;
	*pid_out = (pid_t)v;
	return 0;
}

int
keeper_store_again(const struct transport_opts *o, const struct pkarr_packet *pkt,
    struct transport_report *rep)
{
	struct pkarr_packet *seen;
	int r;

	if ((r = transport_publish(o, pkt, 0, 0, rep)) != CCL_ERR_CONFLICT)
		return r;
	if ((seen = calloc(1, sizeof(*seen))) == NULL)
		return CCL_ERR_NOMEM;
	if (transport_resolve(o, pkt->pk, seen, NULL, NULL) == 0 && pkarr_cmp(seen, pkt) == 0)
		r = 0;
	free(seen);
	return r;
}

int
keeper_refresh_spawn(const struct transport_peers *peers, const struct pkarr_packet *pkt)
{
	struct transport_opts o;
	pid_t child;
	int st;

	fflush(NULL);
	if ((child = fork()) < 0)
		return CCL_ERR_SYSTEM;
	if (child == 0) {
		daemonize(-1);
		memset(&o, 0, sizeof(o));
		o.peers = *peers;
		(void)!keeper_store_again(&o, pkt, NULL);
		_exit(0);
	}
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	return 0;
}

uint64_t
keeper_interval(uint64_t base)
{
	const char *t = getenv("CCLINK_TEST_KEEP_INTERVAL");
	uint64_t jitter;
	char *end;
	unsigned long long v;

	if (t != NULL && t[0] >= '0' && t[0] <= '9') {
		v = strtoull(t, &end, 10);
		if (*end == '\0' && v >= 1 && v <= 86400)
			base = v;
	}
	if (base == 0)
		base = KEEPER_DEFAULT_INTERVAL;
	/* ±10 %: keepers started together do not stay in step. */
	jitter = base / 10;
	if (jitter == 0)
		return base;
	return base - jitter + randombytes_uniform((uint32_t)(2 * jitter + 1));
}
