/* SPDX-License-Identifier: MIT */
/* keys.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_keys;
