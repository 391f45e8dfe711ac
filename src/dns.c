/* SPDX-License-Identifier: MIT */
/* dns.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_dns;
