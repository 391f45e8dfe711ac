/* SPDX-License-Identifier: MIT */
/*
 * net.c — UDP sockets, name resolution and the poll() driver for the DHT;
 * see net.h. The only file that calls sendto/recvfrom.
 */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/uio.h>
#include <linux/errqueue.h>

#include "buf.h"
#include "net.h"

#define NET_MAX_HOSTPORT 300       /* longest "host:port" accepted */
#define NET_PUMP_MAX_RECV 256      /* datagrams drained per socket per pump */

static socklen_t
addr_len(const struct sockaddr_storage *a)
{
	return a->ss_family == AF_INET6 ? (socklen_t)sizeof(struct sockaddr_in6) :
	    (socklen_t)sizeof(struct sockaddr_in);
}

static int
open_one(const struct sockaddr_storage *local, int *fdp)
{
	int fd, on = 1, r;

	*fdp = -1;
	fd = socket(local->ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return CCL_ERR_SYSTEM;
	if (local->ss_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) != 0)
		goto fail;
	/*
	 * ICMP errors (port or host unreachable) for what we send are queued
	 * on the socket (net_udp_recv_err), so a closed port fails a query at
	 * once instead of after its timeout. Best effort: without it we time out.
	 */
	if (local->ss_family == AF_INET)
		(void)setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
	else
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof(on));
	if (bind(fd, (const struct sockaddr *)local, addr_len(local)) != 0)
		goto fail;
	*fdp = fd;
	return 0;
 fail:
	r = errno;
	close(fd);
	errno = r;
	return CCL_ERR_SYSTEM;
}

int
net_udp_open(struct net_udp *s, int families)
{
	struct sockaddr_storage a;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&a;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&a;
	int r = CCL_ERR_INVALID_ARG;

	s->fd4 = s->fd6 = -1;
	if (families & NET_V4) {
		memset(&a, 0, sizeof(a));
		a4->sin_family = AF_INET;
		a4->sin_addr.s_addr = htonl(INADDR_ANY);
		r = open_one(&a, &s->fd4);
	}
	if (families & NET_V6) {
		memset(&a, 0, sizeof(a));
		a6->sin6_family = AF_INET6;
		a6->sin6_addr = in6addr_any;
		if (open_one(&a, &s->fd6) == 0)
			r = 0;  /* IPv6 is best effort */
	}
	if (s->fd4 < 0 && s->fd6 < 0)
		return r != 0 ? r : CCL_ERR_NET;
	return 0;
}

int
net_udp_open_at(struct net_udp *s, const struct sockaddr_storage *local)
{
	s->fd4 = s->fd6 = -1;
	if (local->ss_family == AF_INET)
		return open_one(local, &s->fd4);
	if (local->ss_family == AF_INET6)
		return open_one(local, &s->fd6);
	return CCL_ERR_INVALID_ARG;
}

void
net_udp_close(struct net_udp *s)
{
	if (s->fd4 >= 0)
		close(s->fd4);
	if (s->fd6 >= 0)
		close(s->fd6);
	s->fd4 = s->fd6 = -1;
}

int
net_udp_local(const struct net_udp *s, int family, struct sockaddr_storage *addr)
{
	socklen_t len = sizeof(*addr);
	int fd = family == AF_INET ? s->fd4 : family == AF_INET6 ? s->fd6 : -1;

	memset(addr, 0, sizeof(*addr));
	if (fd < 0)
		return CCL_ERR_INVALID_ARG;
	if (getsockname(fd, (struct sockaddr *)addr, &len) != 0)
		return CCL_ERR_SYSTEM;
	return 0;
}

int
net_udp_families(const struct net_udp *s)
{
	return (s->fd4 >= 0 ? DHT_FAM_V4 : 0) | (s->fd6 >= 0 ? DHT_FAM_V6 : 0);
}

int
net_udp_send(const struct net_udp *s, const struct sockaddr_storage *to, const uint8_t *p, size_t n)
{
	int fd = to->ss_family == AF_INET ? s->fd4 : to->ss_family == AF_INET6 ? s->fd6 : -1;
	ssize_t w;

	if (fd < 0)
		return CCL_ERR_NET;
	do
		w = sendto(fd, p, n, 0, (const struct sockaddr *)to, addr_len(to));
	while (w < 0 && errno == EINTR);
	return w >= 0 && (size_t)w == n ? 0 : CCL_ERR_NET;
}

int
net_udp_recv(int fd, struct sockaddr_storage *from, uint8_t *buf, size_t cap, size_t *n)
{
	socklen_t alen;
	ssize_t got;

	*n = 0;
	for (;;) {
		alen = sizeof(*from);
		memset(from, 0, sizeof(*from));
		/* MSG_TRUNC: the real length, so an oversized datagram is seen and dropped. */
		got = recvfrom(fd, buf, cap, MSG_TRUNC, (struct sockaddr *)from, &alen);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			/* ICMP errors from earlier sends surface here (ECONNREFUSED...). */
			if (errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH)
				continue;
			return CCL_ERR_SYSTEM;
		}
		if ((size_t)got > cap || alen > sizeof(*from))
			continue;
		*n = (size_t)got;
		return 1;
	}
}

int
net_udp_recv_err(int fd, struct sockaddr_storage *to, int *err)
{
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct sock_extended_err) + sizeof(struct sockaddr_in6))];
	} ctl;
	const struct sock_extended_err *ee;
	struct cmsghdr *cm;
	struct msghdr msg;
	struct iovec iov;
	uint8_t scratch[64];
	ssize_t got;

	*err = 0;
	for (;;) {
		memset(to, 0, sizeof(*to));
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = scratch;
		iov.iov_len = sizeof(scratch);
		msg.msg_name = to;
		msg.msg_namelen = sizeof(*to);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = ctl.b;
		msg.msg_controllen = sizeof(ctl.b);
		got = recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : CCL_ERR_SYSTEM;
		}
		for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
			if (!((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_RECVERR) ||
			    (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_RECVERR)))
				continue;
			ee = (const struct sock_extended_err *)(const void *)CMSG_DATA(cm);
			if ((ee->ee_origin == SO_EE_ORIGIN_ICMP || ee->ee_origin == SO_EE_ORIGIN_ICMP6 ||
			    ee->ee_origin == SO_EE_ORIGIN_LOCAL) &&
			    (ee->ee_errno == ECONNREFUSED || ee->ee_errno == EHOSTUNREACH ||
			    ee->ee_errno == ENETUNREACH) && msg.msg_namelen <= sizeof(*to) &&
			    (to->ss_family == AF_INET || to->ss_family == AF_INET6)) {
				*err = (int)ee->ee_errno;
				return 1;
			}
		}
		/* Another kind of queued error (e.g. a too-big notice): skip it. */
	}
}

/* ---- resolution ---- */

/* The rest of rd: a decimal port 1..65535. */
static int
parse_port(struct buf_rd *rd, char out[static 6])
{
	unsigned long v = 0;
	size_t n = buf_remaining(rd);
	uint8_t c;

	if (n == 0 || n > 5)
		return CCL_ERR_FORMAT;
	while (buf_get_u8(rd, &c) == 0) {
		if (c < '0' || c > '9')
			return CCL_ERR_FORMAT;
		v = v * 10 + (unsigned long)(c - '0');
	}
	if (v == 0 || v > 65535)
		return CCL_ERR_FORMAT;
	snprintf(out, 6, "%lu", v);
	return 0;
}

/* Split "host:port" / "[v6]:port" into NUL-terminated host and port strings. */
static int
split_hostport(const char *hp, char host[static NET_MAX_HOSTPORT + 1], char port[static 6])
{
	struct buf_rd rd, tail;
	const uint8_t *h;
	size_t len = strlen(hp), d, colon;
	int r;

	if (len == 0 || len > NET_MAX_HOSTPORT)
		return CCL_ERR_FORMAT;
	buf_rd_init(&rd, hp, len);
	if (hp[0] == '[') {
		if ((r = buf_skip(&rd, 1)) != 0 || (r = buf_find(&rd, ']', &d)) != 0 ||
		    (r = buf_get_bytes(&rd, d, &h)) != 0 || (r = buf_expect(&rd, "]:", 2)) != 0)
			return CCL_ERR_FORMAT;
	} else {
		if (buf_find(&rd, ':', &d) != 0)
			return CCL_ERR_FORMAT;  /* no port */
		tail = rd;
		if (buf_skip(&tail, d + 1) != 0 || buf_find(&tail, ':', &colon) == 0)
			return CCL_ERR_FORMAT;  /* a bare IPv6 address: brackets required */
		if ((r = buf_get_bytes(&rd, d, &h)) != 0 || (r = buf_skip(&rd, 1)) != 0)
			return CCL_ERR_FORMAT;
	}
	if (d == 0)
		return CCL_ERR_FORMAT;
	if ((r = parse_port(&rd, port)) != 0)
		return r;
	memcpy(host, h, d);
	host[d] = '\0';
	if (memchr(host, ',', d) != NULL)
		return CCL_ERR_FORMAT;
	return 0;
}

int
net_resolve(const char *hostport, int families, struct sockaddr_storage *out, size_t max, size_t *n)
{
	char host[NET_MAX_HOSTPORT + 1], port[6];
	struct addrinfo hints, *res = NULL, *ai;
	size_t i, added = 0;
	int dup, r, e;

	if (*n > max)
		return CCL_ERR_INVALID_ARG;
	if ((r = split_hostport(hostport, host, port)) != 0)
		return r;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = families == NET_V4 ? AF_INET : families == NET_V6 ? AF_INET6 : AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((e = getaddrinfo(host, port, &hints, &res)) != 0)
		return e == EAI_SYSTEM ? CCL_ERR_SYSTEM : e == EAI_MEMORY ? CCL_ERR_NOMEM : CCL_ERR_NOT_FOUND;
	for (ai = res; ai != NULL && *n < max; ai = ai->ai_next) {
		if (!((ai->ai_family == AF_INET && (families & NET_V4)) ||
		    (ai->ai_family == AF_INET6 && (families & NET_V6))) ||
		    ai->ai_addrlen > sizeof(out[0]))
			continue;
		memset(&out[*n], 0, sizeof(out[0]));
		memcpy(&out[*n], ai->ai_addr, ai->ai_addrlen);
		for (i = 0, dup = 0; i < *n && !dup; i++)
			dup = memcmp(&out[i], &out[*n], sizeof(out[0])) == 0;
		if (!dup) {
			(*n)++;
			added++;
		}
	}
	freeaddrinfo(res);
	return added > 0 ? 0 : CCL_ERR_NOT_FOUND;
}

int
net_resolve_list(const char *list, int families, struct sockaddr_storage *out, size_t max, size_t *n)
{
	char item[NET_MAX_HOSTPORT + 1];
	struct buf_rd rd;
	size_t d, len;
	uint8_t c;
	int r, any = 0;

	*n = 0;
	buf_rd_init(&rd, list, strlen(list));
	while (buf_remaining(&rd) > 0) {
		while (buf_peek_u8(&rd, &c) == 0 && (c == ' ' || c == '\t'))
			if ((r = buf_skip(&rd, 1)) != 0)
				return r;
		if (buf_find(&rd, ',', &d) != 0)
			d = buf_remaining(&rd);
		if (d > NET_MAX_HOSTPORT)
			return CCL_ERR_FORMAT;
		if ((r = buf_get_copy(&rd, item, d)) != 0)
			return r;
		if (buf_remaining(&rd) > 0 && (r = buf_skip(&rd, 1)) != 0)
			return r;
		for (len = d; len > 0 && (item[len - 1] == ' ' || item[len - 1] == '\t'); len--)
			;
		item[len] = '\0';
		if (len == 0)
			continue;
		r = net_resolve(item, families, out, max, n);
		if (r == CCL_ERR_FORMAT)
			return r;
		if (r == 0)
			any = 1;
	}
	return any ? 0 : CCL_ERR_NOT_FOUND;
}

void
net_addr_str(const struct sockaddr_storage *a, char *buf, size_t cap)
{
	char ip[INET6_ADDRSTRLEN];

	if (cap == 0)
		return;
	buf[0] = '\0';
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *a4 = (const struct sockaddr_in *)a;

		if (inet_ntop(AF_INET, &a4->sin_addr, ip, sizeof(ip)) != NULL)
			snprintf(buf, cap, "%s:%u", ip, (unsigned)ntohs(a4->sin_port));
	} else if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)a;

		if (inet_ntop(AF_INET6, &a6->sin6_addr, ip, sizeof(ip)) != NULL)
			snprintf(buf, cap, "[%s]:%u", ip, (unsigned)ntohs(a6->sin6_port));
	}
}

uint64_t
net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- the driver ---- */

int
net_dht_pump(const struct net_udp *s, struct dht_lookup *l, uint64_t now_ms)
{
	uint8_t buf[NET_RECV_MAX];
	struct sockaddr_storage peer;
	size_t n, i, k;
	int fds[2] = { s->fd4, s->fd6 }, r, err;

	for (k = 0; k < 2; k++) {
		if (fds[k] < 0)
			continue;
		for (i = 0; i < NET_PUMP_MAX_RECV; i++) {
			if ((r = net_udp_recv_err(fds[k], &peer, &err)) < 0)
				return r;
			if (r == 0)
				break;
			(void)dht_lookup_unreachable(l, now_ms, &peer);
		}
		for (i = 0; i < NET_PUMP_MAX_RECV; i++) {
			if ((r = net_udp_recv(fds[k], &peer, buf, sizeof(buf), &n)) < 0)
				return r;
			if (r == 0)
				break;
			if ((r = dht_lookup_input(l, now_ms, &peer, buf, n)) != 0)
				return r;
		}
	}
	while ((r = dht_lookup_output(l, now_ms, &peer, buf, sizeof(buf), &n)) == 1) {
		/* A datagram the kernel refused times out like any lost one. */
		if (net_udp_send(s, &peer, buf, n) != 0)
			continue;
	}
	return r;
}

int
net_dht_run(const struct net_udp *s, struct dht_lookup *l, uint64_t deadline_ms)
{
	struct pollfd pfd[2];
	uint64_t now, wait;
	nfds_t nfd;
	int r;

	for (;;) {
		now = net_now_ms();
		if ((r = net_dht_pump(s, l, now)) != 0)
			return r;
		if (dht_lookup_done(l))
			return 0;
		if (now >= deadline_ms)
			return CCL_ERR_TIMEOUT;
		wait = dht_lookup_next_ms(l, now);
		if (wait > deadline_ms - now)
			wait = deadline_ms - now;
		if (wait > INT_MAX)
			wait = INT_MAX;
		nfd = 0;
		if (s->fd4 >= 0) {
			pfd[nfd].fd = s->fd4;
			pfd[nfd].events = POLLIN;
			pfd[nfd++].revents = 0;
		}
		if (s->fd6 >= 0) {
			pfd[nfd].fd = s->fd6;
			pfd[nfd].events = POLLIN;
			pfd[nfd++].revents = 0;
		}
		if (poll(pfd, nfd, (int)wait) < 0 && errno != EINTR)
			return CCL_ERR_SYSTEM;
	}
}
