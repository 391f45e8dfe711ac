/* SPDX-License-Identifier: MIT */
/* pkarr.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_pkarr;
