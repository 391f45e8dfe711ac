/* SPDX-License-Identifier: MIT */
/*
 * fsutil.h — files that hold secrets: atomic private writes, bounded reads,
 * private directories, permission checks, and the paths cclink uses.
 *
 * Trust boundary: file contents are returned as bytes, never interpreted
 * here. Reads are capped before allocation; writes never truncate a file in
 * place (temp file with O_EXCL|O_NOFOLLOW in the same directory, fsync,
 * rename, fsync of the directory), so a crash leaves the old file or the new
 * one, never half of either.
 */
#ifndef CCL_FSUTIL_H
#define CCL_FSUTIL_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "err.h"

/* fs_read_file / fs_read_fd flags. */
#define FS_READ_SECRET       0x1u  /* result in secret memory (free with secret_free) */
#define FS_READ_PRIVATE      0x2u  /* refuse a mode wider than 0600: CCL_ERR_PERMISSION */
#define FS_READ_REGULAR      0x4u  /* refuse anything but a regular file: CCL_ERR_FORMAT */
#define FS_READ_NOT_WRITABLE 0x8u  /* refuse a group- or other-writable file: CCL_ERR_PERMISSION */
#define FS_READ_NOFOLLOW    0x10u  /* refuse a symbolic link (O_NOFOLLOW): CCL_ERR_FORMAT */

/* Directory (under $HOME) and file name of the identity key, as in cclink 1.3. */
#define FS_KEY_DIR_NAME ".pubky"
#define FS_KEY_FILE_NAME "secret_key"

/*
 * $HOME (a malloc'd copy). CCL_ERR_CONFIG when HOME is unset, empty or not
 * an absolute path; CCL_ERR_NOT_FOUND when it names no directory (nothing
 * is ever created in a HOME that does not exist).
 */
CCL_MUST_CHECK int fs_home_dir(char **out);
/* $HOME/.pubky (malloc'd). */
CCL_MUST_CHECK int fs_key_dir(char **out);
/* $HOME/.pubky/secret_key (malloc'd). */
CCL_MUST_CHECK int fs_key_path(char **out);
/* dir + "/" + name (malloc'd); no doubled slash when dir ends in one. */
CCL_MUST_CHECK int fs_path_join(char **out, const char *dir, const char *name);
/* The directory part of path (malloc'd): "." for a bare name, "/" for "/x". */
CCL_MUST_CHECK int fs_dirname(char **out, const char *path);

/*
 * Create path and any missing parents. Directories created here get exactly
 * mode (chmod after mkdir, so the umask cannot widen or narrow it); existing
 * ones are left alone. CCL_ERR_EXISTS when a component is not a directory.
 */
CCL_MUST_CHECK int fs_mkdir_p(const char *path, mode_t mode);

/*
 * Read a whole file (symlinks followed unless FS_READ_NOFOLLOW) of at most
 * max bytes. With FS_READ_REGULAR it is opened O_NONBLOCK and fstat'd, so a
 * FIFO or device there is refused at once instead of blocking. *out is
 * NUL-terminated one byte past *outlen; it is malloc'd, or secret memory
 * with FS_READ_SECRET. Errors: CCL_ERR_NOT_FOUND (no such file),
 * CCL_ERR_TOO_LARGE (over max), CCL_ERR_PERMISSION / CCL_ERR_FORMAT (see
 * the flags), CCL_ERR_SYSTEM (errno kept). The file is never modified.
 */
CCL_MUST_CHECK int fs_read_file(const char *path, size_t max, unsigned flags,
    uint8_t **out, size_t *outlen);
/* The same from an open descriptor (a pipe, stdin); fd is not closed. */
CCL_MUST_CHECK int fs_read_fd(int fd, size_t max, unsigned flags, uint8_t **out, size_t *outlen);

/*
 * Is dir fit to hold a secret key, as ssh requires of ~/.ssh? It must be a
 * directory (symlinks followed) owned by uid or by root, and not writable
 * by group or others (anyone who can write it can replace the key file).
 * CCL_ERR_PERMISSION when it is not, CCL_ERR_FORMAT when it is not a
 * directory, CCL_ERR_NOT_FOUND, CCL_ERR_SYSTEM. *mode (& 07777) and *owner
 * are filled whenever the directory could be examined (either may be NULL).
 */
CCL_MUST_CHECK int fs_key_dir_check(const char *dir, uid_t uid, mode_t *mode, uid_t *owner);

/* Permission bits (mode & 07777) of path, symlinks followed. CCL_ERR_NOT_FOUND if absent. */
CCL_MUST_CHECK int fs_file_mode(const char *path, mode_t *mode);
/* 1 if something (a file, a dangling symlink, ...) exists at path, else 0. */
int fs_exists(const char *path);

/*
 * Replace path atomically with len bytes of data, mode 0600: a temp file
 * ".<name>.tmp.<random>" in the same directory opened with
 * O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, written, fsync'd, renamed over path,
 * then the directory is fsync'd. On failure the temp file is removed and
 * path is untouched. The directory must exist.
 */
CCL_MUST_CHECK int fs_write_private(const char *path, const void *data, size_t len);
/* Remove path; a missing file is not an error. */
CCL_MUST_CHECK int fs_remove(const char *path);
#endif
