/* SPDX-License-Identifier: MIT */
/* bencode.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_bencode;
