/* SPDX-License-Identifier: MIT */
/* net.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_net;
