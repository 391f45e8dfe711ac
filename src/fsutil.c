/* SPDX-License-Identifier: MIT */
/* fsutil.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_fsutil;
