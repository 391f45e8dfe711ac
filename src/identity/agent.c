/* SPDX-License-Identifier: MIT */
/*
 * agent.c — the ssh-agent socket: connect, one request, one reply, with
 * deadlines (a stuck or malicious agent cannot hang cclink). See agent.h.
 * The reply length is checked against AGENT_MAX_REPLY_LEN before anything
 * is read or allocated; the reply itself is parsed in agent_msg.c.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/socket.h>
#include <sys/un.h>

#include <sodium.h>

#include "agent.h"
#include "secret.h"

const char *
agent_socket_path(const char *sock)
{
	if (sock == NULL)
		sock = getenv("SSH_AUTH_SOCK");
	return sock != NULL && *sock != '\0' ? sock : NULL;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Wait until fd is ready for events, or the deadline passes. */
static int
wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd p;
	uint64_t now;
	int n;

	for (;;) {
		now = now_ms();
		if (now >= deadline)
			return CCL_ERR_TIMEOUT;
		p.fd = fd;
		p.events = events;
		p.revents = 0;
		n = poll(&p, 1, (int)(deadline - now > 60000 ? 60000 : deadline - now));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return CCL_ERR_SYSTEM;
		if (n > 0)
			return 0;
	}
}

static int
connect_agent(const char *path, int *fdp, uint64_t deadline)
{
	struct sockaddr_un sa;
	socklen_t sl = sizeof(sa);
	int fd, r, err = 0;

	*fdp = -1;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return CCL_ERR_SYSTEM;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0)
		return CCL_ERR_SYSTEM;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		if (errno != EINPROGRESS && errno != EAGAIN) {
			err = errno;
			close(fd);
			errno = err;
			return CCL_ERR_SYSTEM;
		}
		if ((r = wait_fd(fd, POLLOUT, deadline)) != 0) {
			err = errno;
			close(fd);
			errno = r == CCL_ERR_TIMEOUT ? ETIMEDOUT : err;
			return CCL_ERR_SYSTEM;
		}
		sl = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) != 0 || err != 0) {
			close(fd);
			errno = err != 0 ? err : errno;
			return CCL_ERR_SYSTEM;
		}
	}
	*fdp = fd;
	return 0;
}

static int
write_all(int fd, const uint8_t *p, size_t n, uint64_t deadline)
{
	ssize_t w;
	int r;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && (errno == EINTR))
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if ((r = wait_fd(fd, POLLOUT, deadline)) != 0)
				return r;
			continue;
		}
		if (w <= 0)
			return CCL_ERR_NET;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
read_all(int fd, uint8_t *p, size_t n, uint64_t deadline)
{
	ssize_t got;
	int r;

	while (n > 0) {
		got = recv(fd, p, n, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if ((r = wait_fd(fd, POLLIN, deadline)) != 0)
				return r;
			continue;
		}
		if (got == 0)
			return CCL_ERR_TRUNCATED;  /* the agent closed the connection */
		if (got < 0)
			return CCL_ERR_NET;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/*
 * Send req (type + payload) and read one reply into *reply (malloc, wiped
 * and freed by the caller). *st is set on failure.
 */
static int
request(const char *sock, const uint8_t *req, size_t reqlen, uint32_t timeout_ms,
    uint8_t **reply, size_t *replylen, enum agent_status *st)
{
	uint64_t deadline = now_ms() + timeout_ms;
	uint8_t hdr[4], *buf = NULL;
	uint32_t len = 0;
	int fd = -1, r;

	*reply = NULL;
	*replylen = 0;
	if ((sock = agent_socket_path(sock)) == NULL) {
		*st = AGENT_NO_SOCKET;
		return CCL_ERR_AGENT;
	}
	if (reqlen == 0 || reqlen > AGENT_MAX_REPLY_LEN)
		return CCL_ERR_INVALID_ARG;
	if ((r = connect_agent(sock, &fd, deadline)) != 0) {
		*st = AGENT_CONNECT;
		return CCL_ERR_AGENT;
	}
	hdr[0] = (uint8_t)(reqlen >> 24);
	hdr[1] = (uint8_t)(reqlen >> 16);
	hdr[2] = (uint8_t)(reqlen >> 8);
	hdr[3] = (uint8_t)reqlen;
	if ((r = write_all(fd, hdr, 4, deadline)) != 0 ||
	    (r = write_all(fd, req, reqlen, deadline)) != 0 ||
	    (r = read_all(fd, hdr, 4, deadline)) != 0) {
		*st = AGENT_IO;
		r = CCL_ERR_AGENT;
		goto out;
	}
	len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
	/* Cap before allocating or reading. */
	if (len == 0 || len > AGENT_MAX_REPLY_LEN) {
		*st = AGENT_PROTOCOL;
		r = CCL_ERR_AGENT;
		goto out;
	}
	if ((buf = malloc(len)) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	if ((r = read_all(fd, buf, len, deadline)) != 0) {
		*st = AGENT_IO;
		r = CCL_ERR_AGENT;
		goto out;
	}
	*reply = buf;
	*replylen = len;
	buf = NULL;
	r = 0;
 out:
	if (buf != NULL)
		ccl_freezero(buf, len);
	if (fd >= 0)
		close(fd);
	return r;
}

/* Map a parse error to the status the user is told about. */
static int
parse_failed(int r, enum agent_status *st)
{
	if (r == CCL_ERR_NOMEM)
		return r;
	*st = r == CCL_ERR_AGENT ? AGENT_REFUSED : AGENT_PROTOCOL;
	return CCL_ERR_AGENT;
}

int
agent_list(const char *sock, struct agent_keylist *out, enum agent_status *st)
{
	static const uint8_t req[1] = { AGENTC_REQUEST_IDENTITIES };
	uint8_t *reply = NULL;
	size_t len = 0;
	int r;

	memset(out, 0, sizeof(*out));
	*st = AGENT_OK;
	if ((r = request(sock, req, sizeof(req), AGENT_TIMEOUT_MS, &reply, &len, st)) != 0)
		return r;
	if ((r = agent_parse_identities(reply, len, out)) != 0)
		r = parse_failed(r, st);
	ccl_freezero(reply, len);
	return r;
}

int
agent_sign(const char *sock, const uint8_t pk[static 32], const uint8_t *data, size_t n,
    uint8_t sig[static 64], enum agent_status *st)
{
	uint8_t blob[AGENT_ED25519_BLOB_LEN], *reply = NULL;
	struct buf_wr wr;
	size_t len = 0;
	int r;

	memset(sig, 0, 64);
	*st = AGENT_OK;
	agent_ed25519_blob(blob, pk);
	buf_wr_init(&wr, AGENT_MAX_REPLY_LEN);
	if ((r = agent_build_sign_request(&wr, blob, sizeof(blob), data, n)) != 0)
		goto out;
	if ((r = request(sock, buf_wr_data(&wr), buf_wr_len(&wr), AGENT_SIGN_TIMEOUT_MS,
	    &reply, &len, st)) != 0)
		goto out;
	if ((r = agent_parse_sign(reply, len, sig)) != 0) {
		r = parse_failed(r, st);
		goto out;
	}
	/* Never trust the agent: the signature must verify against the key we asked for. */
	if (crypto_sign_ed25519_verify_detached(sig, data, n, pk) != 0) {
		memset(sig, 0, 64);
		*st = AGENT_BAD_SIGNATURE;
		r = CCL_ERR_AGENT;
		goto out;
	}
	r = 0;
 out:
	/* A signature of the derivation challenge is key material: wipe it. */
	if (reply != NULL)
		ccl_freezero(reply, len);
	buf_wr_free(&wr);
	return r;
}
