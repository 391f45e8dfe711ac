/* SPDX-License-Identifier: MIT */
/* krpc.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_krpc;
