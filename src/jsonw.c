/* SPDX-License-Identifier: MIT */
/* jsonw.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_jsonw;
