/* SPDX-License-Identifier: MIT */
/* version.h — the release number (from the VERSION file) and, when built from git, the commit. */
#ifndef CCLINK_VERSION
#define CCLINK_VERSION "1.4.0"
#endif
#ifdef CCLINK_GIT_REV
#define CCLINK_VERSION_STRING CCLINK_VERSION " (" CCLINK_GIT_REV ")"
#else
#define CCLINK_VERSION_STRING CCLINK_VERSION
#endif
