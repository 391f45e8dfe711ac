/* SPDX-License-Identifier: MIT */
/* identity.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_identity;
