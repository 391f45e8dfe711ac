/* SPDX-License-Identifier: MIT */
/*
 * sockaddr.h — socket-address helpers shared by the DHT engine and the
 * network driver: normalise (IPv4-mapped IPv6 becomes IPv4), compare, and
 * classify. Pure functions, no I/O.
 */
#ifndef CCL_SOCKADDR_H
#define CCL_SOCKADDR_H
#include <stdint.h>
#include <sys/socket.h>
#include "err.h"

/* Copy family, IP and port (and scope) only; CCL_ERR_UNSUPPORTED for other families. */
CCL_MUST_CHECK int sa_norm(const struct sockaddr_storage *in, struct sockaddr_storage *out);
/* Port in host order. */
uint16_t sa_port(const struct sockaddr_storage *a);
/* 1 when both (normalised) addresses are the same IP and port. */
int sa_eq(const struct sockaddr_storage *a, const struct sockaddr_storage *b);
/* 1 for 0.0.0.0 / ::. */
int sa_unspecified(const struct sockaddr_storage *a);
/* 1 for 127/8 / ::1. */
int sa_loopback(const struct sockaddr_storage *a);
#endif
