/* SPDX-License-Identifier: MIT */
/* prompt.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_prompt;
