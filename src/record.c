/* SPDX-License-Identifier: MIT */
/* record.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_record;
