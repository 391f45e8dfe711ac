/* SPDX-License-Identifier: MIT */
/* dht.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_dht;
