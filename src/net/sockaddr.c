/* SPDX-License-Identifier: MIT */
/* sockaddr.c — small comparisons on socket addresses; see sockaddr.h. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "err.h"
#include "sockaddr.h"

/* Keep family, IP and port only; IPv4-mapped IPv6 becomes IPv4. */
int
sa_norm(const struct sockaddr_storage *in, struct sockaddr_storage *out)
{
	const struct sockaddr_in *i4 = (const struct sockaddr_in *)in;
	const struct sockaddr_in6 *i6 = (const struct sockaddr_in6 *)in;
	struct sockaddr_in *o4 = (struct sockaddr_in *)out;
	struct sockaddr_in6 *o6 = (struct sockaddr_in6 *)out;

	memset(out, 0, sizeof(*out));
	if (in->ss_family == AF_INET) {
		o4->sin_family = AF_INET;
		o4->sin_port = i4->sin_port;
		o4->sin_addr = i4->sin_addr;
		return 0;
	}
	if (in->ss_family == AF_INET6) {
		if (IN6_IS_ADDR_V4MAPPED(&i6->sin6_addr)) {
			o4->sin_family = AF_INET;
			o4->sin_port = i6->sin6_port;
			memcpy(&o4->sin_addr, &i6->sin6_addr.s6_addr[12], 4);
			return 0;
		}
		o6->sin6_family = AF_INET6;
		o6->sin6_port = i6->sin6_port;
		o6->sin6_addr = i6->sin6_addr;
		o6->sin6_scope_id = i6->sin6_scope_id;
		return 0;
	}
	return CCL_ERR_UNSUPPORTED;
}

uint16_t
sa_port(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)a)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)a)->sin6_port);
}

/* Both normalised. */
int
sa_eq(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)a;
	const struct sockaddr_in6 *b6 = (const struct sockaddr_in6 *)b;

	if (a->ss_family != b->ss_family || sa_port(a) != sa_port(b))
		return 0;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		    ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return memcmp(&a6->sin6_addr, &b6->sin6_addr, 16) == 0 &&
	    a6->sin6_scope_id == b6->sin6_scope_id;
}

int
sa_unspecified(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr == htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)a)->sin6_addr);
}

int
sa_loopback(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)a)->sin6_addr);
}

