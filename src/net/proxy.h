/* SPDX-License-Identifier: MIT */
/*
 * proxy.h — a TCP stdio relay for `cclink ssh-proxy` (an ssh ProxyCommand):
 * connect to HOST:PORT and copy bytes both ways until both directions end,
 * passing each end-of-file on as a half-close (shutdown(SHUT_WR) towards
 * the server, close of the output towards ssh).
 *
 * Trust boundary: the bytes are ssh's encrypted transport and are never
 * interpreted here. This module never prints.
 */
#ifndef CCL_PROXY_H
#define CCL_PROXY_H
#include "err.h"

/*
 * Connect to host:port (every address getaddrinfo gives, in order).
 * *fd is the connected socket. CCL_ERR_NOT_FOUND when the name does not
 * resolve, CCL_ERR_NET when no address accepts (errno kept).
 */
CCL_MUST_CHECK int proxy_connect(const char *host, const char *port, int *fd);

/*
 * Copy in_fd -> sock and sock -> out_fd until both directions have ended.
 * Returns 0 when both ended with end-of-file, CCL_ERR_NET / CCL_ERR_SYSTEM
 * on an error (errno kept). Closes nothing but what the half-close needs
 * (out_fd is closed when the server's side ends).
 */
CCL_MUST_CHECK int proxy_pump(int in_fd, int out_fd, int sock);
#endif
