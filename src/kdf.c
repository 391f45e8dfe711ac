/* SPDX-License-Identifier: MIT */
/* kdf.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_kdf;
