/* SPDX-License-Identifier: MIT */
/* relay.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_relay;
