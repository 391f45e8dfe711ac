/* SPDX-License-Identifier: MIT */
/*
 * bundle_io.h — making a session bundle from this machine's files and
 * sending it (the publishing side of `cclink ssh`), and receiving one into
 * the Claude project folder (`cclink receive`). Format: bundle.h.
 *
 * Trust boundary: bundle_recv reads an untrusted stream. Nothing is written
 * under the project folder until every file has arrived complete and
 * matches its size and SHA-256 (files are staged in a private temporary
 * directory inside the project folder, then renamed into place). Paths are
 * confined by bundle_path_ok, and no existing symlink is followed. This
 * module never prints.
 */
#ifndef CCL_BUNDLE_IO_H
#define CCL_BUNDLE_IO_H

#include <stddef.h>
#include <stdint.h>

#include "bundle.h"
#include "session.h"

/*
 * Describe the transcript <folder>/<sid>.jsonl and the regular files under
 * <folder>/<sid>/ (symlinks, special files and names bundle_path_ok refuses
 * are skipped; *skipped counts them) with their sizes and hashes. project
 * is the session's project path, as published. CCL_ERR_NOT_FOUND when the
 * transcript is missing or empty; CCL_ERR_TOO_LARGE over a bundle cap.
 */
CCL_MUST_CHECK int bundle_collect(const char *folder, const char *sid, const char *project,
    struct bundle_header *h, size_t *skipped);

/*
 * Write the bundle for h (from bundle_collect) to fd: the header, then the
 * first files[i].size bytes of each file. A file that shrank or whose
 * first bytes changed since bundle_collect fails with CCL_ERR_CONFLICT
 * (the stream is then incomplete and the receiver refuses it); growth at
 * the end (Claude appending) is fine. CCL_ERR_SYSTEM with errno (EPIPE
 * when the reader went away).
 */
CCL_MUST_CHECK int bundle_send(int fd, const char *folder, const struct bundle_header *h);

enum bundle_outcome {
	BUNDLE_NEW = 1,     /* no transcript with that id was here: written */
	BUNDLE_REPLACED,    /* the one here was a prefix of the incoming one (or --force) */
	BUNDLE_KEPT,        /* the incoming one is a prefix of the one here: nothing written */
	BUNDLE_DIVERGED,    /* neither is a prefix of the other: nothing written (no force) */
};

struct bundle_recv_opts {
	const struct session_env *env;  /* root (Claude config dir) and home */
	const char *const *maps;        /* OLD=NEW rules, as pickup takes them */
	size_t n_maps;
	int force;                      /* replace a diverged transcript */
};

struct bundle_recv_result {
	enum bundle_outcome outcome;
	struct bundle_header h;         /* the parsed header (valid once parsed) */
	char *local;                    /* local project directory (remapped) */
	char *folder;                   /* Claude project folder written into */
	enum session_remap_rule rule;
	size_t map_index;
	uint64_t here_size;             /* size of the transcript that was here */
	uint64_t diverge_at;            /* BUNDLE_DIVERGED: first differing byte */
	int parsed;                     /* 1 once h is filled */
};

void bundle_recv_result_cleanup(struct bundle_recv_result *res);

/*
 * Read a bundle from fd and install it (see the trust boundary above).
 * Errors: the header's (bundle_header_parse), CCL_ERR_TRUNCATED (the stream
 * ended early), CCL_ERR_TRAILING (bytes after the last file),
 * CCL_ERR_MAC_INVALID (a hash mismatch), CCL_ERR_NOT_FOUND (the project
 * directory does not exist here: res->h names it), CCL_ERR_EXISTS (a path
 * component here is a symlink or not a directory), CCL_ERR_SYSTEM (errno).
 * A diverged transcript without force is not an error: res->outcome says
 * BUNDLE_DIVERGED and nothing was written. In every failure nothing under
 * the project folder has changed (the folder itself may have been created).
 */
CCL_MUST_CHECK int bundle_recv(int fd, const struct bundle_recv_opts *o,
    struct bundle_recv_result *res);

#endif
