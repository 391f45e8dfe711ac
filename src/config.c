/* SPDX-License-Identifier: MIT */
/* config.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_config;
