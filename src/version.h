/* SPDX-License-Identifier: MIT */
#ifndef CCLINK_VERSION
#define CCLINK_VERSION "0.1.0"
#endif
