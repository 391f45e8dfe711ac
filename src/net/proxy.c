/* SPDX-License-Identifier: MIT */
/* proxy.c — TCP stdio relay with half-close (see proxy.h). */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "proxy.h"

#define PROXY_CHUNK (64 * 1024)

int
proxy_connect(const char *host, const char *port, int *fd)
{
	struct addrinfo hints, *res = NULL, *ai;
	int s = -1, e, saved = 0;

	*fd = -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(host, port, &hints, &res)) != 0)
		return e == EAI_SYSTEM ? CCL_ERR_SYSTEM : CCL_ERR_NOT_FOUND;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol)) < 0) {
			saved = errno;
			continue;
		}
		if (connect(s, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		saved = errno;
		close(s);
		s = -1;
	}
	freeaddrinfo(res);
	if (s < 0) {
		errno = saved;
		return CCL_ERR_NET;
	}
	*fd = s;
	return 0;
}

/* Write all of p (retrying short writes and EINTR). */
static int
put_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
proxy_pump(int in_fd, int out_fd, int sock)
{
	char buf[PROXY_CHUNK];
	struct pollfd pf[2];
	int up = 1, down = 1;  /* in_fd -> sock, sock -> out_fd still open */
	ssize_t n;

	while (up || down) {
		pf[0].fd = up ? in_fd : -1;
		pf[0].events = POLLIN;
		pf[1].fd = down ? sock : -1;
		pf[1].events = POLLIN;
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return CCL_ERR_SYSTEM;
		}
		if (up && (pf[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			if ((n = read(in_fd, buf, sizeof(buf))) < 0 && errno != EINTR)
				return CCL_ERR_SYSTEM;
			if (n == 0) {
				/* ssh closed its side: tell the server, keep reading its answer. */
				shutdown(sock, SHUT_WR);
				up = 0;
			} else if (n > 0 && put_all(sock, buf, (size_t)n) != 0)
				return CCL_ERR_NET;
		}
		if (down && (pf[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			if ((n = read(sock, buf, sizeof(buf))) < 0 && errno != EINTR)
				return CCL_ERR_NET;
			if (n == 0) {
				/* The server finished sending: pass the end on, keep relaying ssh's side. */
				close(out_fd);
				down = 0;
			} else if (n > 0 && put_all(out_fd, buf, (size_t)n) != 0)
				return CCL_ERR_SYSTEM;
		}
	}
	return 0;
}
