/* SPDX-License-Identifier: MIT */
/*
 * net.h — UDP for the DHT: one non-blocking socket per address family bound
 * to an ephemeral port, "host:port" resolution, send/receive wrappers, and a
 * blocking poll() driver for a dht_lookup. This is the only file in cclink
 * that calls sendto/recvfrom.
 *
 * Trust boundary: received datagrams are handed to dht.c unparsed (it does
 * the checking); oversized or truncated datagrams are dropped here.
 */
#ifndef CCL_NET_H
#define CCL_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "dht.h"
#include "err.h"

#define NET_MAX_ADDRS 32          /* addresses net_resolve_list() returns at most */
#define NET_RECV_MAX  65536       /* receive buffer: any UDP datagram fits (BEP 5 sets no lower cap) */

/* The DHT's sockets. fd4/fd6 are -1 when not open; both are non-blocking. */
struct net_udp {
	int fd4;
	int fd6;
};

/* What to open. */
#define NET_V4 1
#define NET_V6 2

/*
 * Open (and bind to port 0 on the wildcard address) a UDP socket for each
 * family in `families` (NET_V4 | NET_V6). IPv6 is best effort: if it cannot
 * be opened fd6 stays -1. Fails (CCL_ERR_SYSTEM / CCL_ERR_NET) only if no
 * socket at all could be opened. Close with net_udp_close().
 */
CCL_MUST_CHECK int net_udp_open(struct net_udp *s, int families);
/*
 * Same, bound to one explicit local address (e.g. 127.0.0.1 port 0 in tests).
 * Only that address's family is opened.
 */
CCL_MUST_CHECK int net_udp_open_at(struct net_udp *s, const struct sockaddr_storage *local);
/* Close both sockets; safe on a closed or zeroed-with-(-1) struct, and twice. */
void net_udp_close(struct net_udp *s);
/* The locally bound address of the socket for `family` (AF_INET / AF_INET6). */
CCL_MUST_CHECK int net_udp_local(const struct net_udp *s, int family, struct sockaddr_storage *addr);
/* Which DHT_FAM_* families are open (for dht_params.families). */
int net_udp_families(const struct net_udp *s);

/*
 * Send one datagram to `to` through the socket of its family. Returns 0 when
 * the kernel took it, CCL_ERR_NET when it did not (no socket for that family,
 * unreachable, buffer full...): UDP is lossy anyway, the DHT times out.
 */
CCL_MUST_CHECK int net_udp_send(const struct net_udp *s, const struct sockaddr_storage *to,
    const uint8_t *p, size_t n);
/*
 * Receive one datagram from fd (s->fd4 or s->fd6) without blocking: 1 with
 * buf[0..*n) and *from filled, 0 when nothing is waiting, negative on error.
 * Datagrams longer than cap are discarded (and 0 is returned for them, so
 * loop until 0).
 */
CCL_MUST_CHECK int net_udp_recv(int fd, struct sockaddr_storage *from, uint8_t *buf, size_t cap,
    size_t *n);

/*
 * Read one queued ICMP error from fd without blocking (the sockets are
 * opened with IP_RECVERR / IPV6_RECVERR): 1 with *to = the address our
 * datagram was sent to and *err = ECONNREFUSED (port unreachable),
 * EHOSTUNREACH or ENETUNREACH; 0 when no such error is queued; negative on
 * error. Other queued errors are skipped.
 */
CCL_MUST_CHECK int net_udp_recv_err(int fd, struct sockaddr_storage *to, int *err);

/*
 * Resolve "host:port" or "[v6addr]:port" (a bare IPv6 address without
 * brackets is refused). host may be a numeric address or a name
 * (getaddrinfo; blocking).
 * Appends up to max - *n addresses of the families in `families` (NET_V4 |
 * NET_V6) to out[*n..]. CCL_ERR_FORMAT for bad syntax or port,
 * CCL_ERR_NOT_FOUND when the name does not resolve.
 */
CCL_MUST_CHECK int net_resolve(const char *hostport, int families, struct sockaddr_storage *out,
    size_t max, size_t *n);
/*
 * A comma-separated list of host:port (whitespace around items ignored).
 * Stores *n addresses (≤ max). Names that do not resolve are skipped;
 * CCL_ERR_NOT_FOUND if nothing at all resolved, CCL_ERR_FORMAT on bad syntax.
 */
CCL_MUST_CHECK int net_resolve_list(const char *list, int families, struct sockaddr_storage *out,
    size_t max, size_t *n);
/* "1.2.3.4:5" / "[::1]:5" into buf (at least 64 bytes). */
void net_addr_str(const struct sockaddr_storage *a, char *buf, size_t cap);

/* A monotonic millisecond clock (CLOCK_MONOTONIC). */
uint64_t net_now_ms(void);

/*
 * One non-blocking round for a caller that owns the poll loop: receive every
 * waiting datagram on both sockets into the lookup, then send everything the
 * lookup has to send. Call it when a socket is readable or when
 * dht_lookup_next_ms() has elapsed; then wait at most dht_lookup_next_ms()
 * with s->fd4/s->fd6 (POLLIN) among your fds.
 */
CCL_MUST_CHECK int net_dht_pump(const struct net_udp *s, struct dht_lookup *l, uint64_t now_ms);
/*
 * Drive a lookup until it is done or the absolute deadline (net_now_ms()
 * clock) passes: 0 when done, CCL_ERR_TIMEOUT at the deadline (the lookup's
 * partial result is still readable), CCL_ERR_SYSTEM when poll() fails.
 */
CCL_MUST_CHECK int net_dht_run(const struct net_udp *s, struct dht_lookup *l, uint64_t deadline_ms);

#endif
