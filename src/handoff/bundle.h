/* SPDX-License-Identifier: MIT */
/*
 * bundle.h — the session bundle: one Claude Code transcript (<id>.jsonl) and
 * its <id>/ folder (subagents, tool results) as one byte stream, for
 * `cclink receive` on the far side of an SSH connection (doc/bundle.md).
 *
 *   cclink-bundle 1\n
 *   session <uuid>\n
 *   project <absolute path>\n
 *   file <size> <sha256 hex> <relative path>\n     (one per file; the first is <id>.jsonl)
 *   end\n
 *   <the bytes of each file, in header order, back to back>
 *
 * Trust boundary: bundle_header_parse reads untrusted bytes (the stream
 * comes from another machine) through buf_rd, with caps on the header size,
 * line length, file count, each file's size and the total, checked before
 * anything is allocated. Paths are confined to "<id>.jsonl" and "<id>/..."
 * with plain components (bundle_path_ok). The file bytes themselves are
 * never interpreted. This module never prints.
 */
#ifndef CCL_BUNDLE_H
#define CCL_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define BUNDLE_MAGIC "cclink-bundle 1"
#define BUNDLE_HEADER_MAX (1024 * 1024)           /* whole header, "end" line included */
#define BUNDLE_LINE_MAX 4096                      /* one header line */
#define BUNDLE_MAX_FILES 4096
#define BUNDLE_FILE_MAX (512ULL * 1024 * 1024)    /* one file */
#define BUNDLE_TOTAL_MAX (2048ULL * 1024 * 1024)  /* all files together */
#define BUNDLE_PATH_MAX 1024                      /* one relative path */
#define BUNDLE_NAME_MAX 255                       /* one path component */
#define BUNDLE_DEPTH_MAX 8                        /* components below <id>/ */

struct bundle_file {
	char *path;          /* relative to the project folder */
	uint64_t size;
	uint8_t sha256[32];
};

struct bundle_header {
	char *session_id;    /* a UUID */
	char *project;       /* the publisher's project path (absolute) */
	struct bundle_file *files;  /* files[0] is <id>.jsonl */
	size_t n_files;
	uint64_t total;      /* sum of the sizes */
};

void bundle_header_cleanup(struct bundle_header *h);

/*
 * Parse a header from the start of p[0..n). On success *used is the number
 * of header bytes (the file data starts there). CCL_ERR_TRUNCATED when the
 * "end" line has not arrived yet (read more, up to BUNDLE_HEADER_MAX);
 * CCL_ERR_TOO_LARGE for a header, line, count or size over its cap;
 * CCL_ERR_UNSUPPORTED for another format version; CCL_ERR_FORMAT for
 * anything else malformed (a path bundle_path_ok refuses, duplicates, files
 * out of order, a first file that is not the transcript).
 */
CCL_MUST_CHECK int bundle_header_parse(const uint8_t *p, size_t n, struct bundle_header *h,
    size_t *used);

/*
 * Encode h as header text (heap, *len bytes, NUL-terminated). The files
 * must already be in canonical order (see bundle_files_sort).
 */
CCL_MUST_CHECK int bundle_header_encode(const struct bundle_header *h, char **out, size_t *len);

/*
 * 1 when path may appear in a bundle for session sid: "<sid>.jsonl", or
 * "<sid>/" followed by 1..BUNDLE_DEPTH_MAX components of [A-Za-z0-9._+=@,-]
 * that do not start with '.', each at most BUNDLE_NAME_MAX bytes.
 */
int bundle_path_ok(const char *sid, const char *path);

/* Sort files[1..n) by path (bytewise), the order the header requires. */
void bundle_files_sort(struct bundle_file *files, size_t n);

#endif
