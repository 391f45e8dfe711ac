/* SPDX-License-Identifier: MIT */
/* age.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_age;
