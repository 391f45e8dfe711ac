/* SPDX-License-Identifier: MIT */
/* resume.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_resume;
