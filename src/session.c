/* SPDX-License-Identifier: MIT */
/* session.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_session;
