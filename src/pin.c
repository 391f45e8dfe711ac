/* SPDX-License-Identifier: MIT */
/* pin.c — placeholder until the module lands (see the open issues). */
typedef int ccl_placeholder_pin;
