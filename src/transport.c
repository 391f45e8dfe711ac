/* SPDX-License-Identifier: MIT */
/* transport.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_transport;
