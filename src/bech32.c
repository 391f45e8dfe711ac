/* SPDX-License-Identifier: MIT */
/* bech32.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_bech32;
