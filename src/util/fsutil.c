/* SPDX-License-Identifier: MIT */
/*
 * fsutil.c — atomic private files, bounded reads, private directories.
 * See fsutil.h. Nothing here interprets file contents.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "fsutil.h"
#include "hex.h"
#include "secret.h"

/* First read size when the final size is unknown (pipes). */
#define FS_READ_CHUNK 4096
/* Attempts at a fresh temp name before giving up. */
#define FS_TMP_TRIES 16

int
fs_home_dir(char **out)
{
	const char *home = getenv("HOME");
	struct stat st;

	*out = NULL;
	if (home == NULL || home[0] != '/')
		return CCL_ERR_CONFIG;
	if (stat(home, &st) != 0 || !S_ISDIR(st.st_mode))
		return CCL_ERR_NOT_FOUND;
	if ((*out = strdup(home)) == NULL)
		return CCL_ERR_NOMEM;
	return 0;
}

int
fs_path_join(char **out, const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name), total;
	int slash = dl > 0 && dir[dl - 1] == '/';
	char *p;

	*out = NULL;
	if (!ccl_add_ok(dl, nl, &total) || !ccl_add_ok(total, 2, &total))
		return CCL_ERR_TOO_LARGE;
	if ((p = malloc(total)) == NULL)
		return CCL_ERR_NOMEM;
	memcpy(p, dir, dl);
	if (!slash)
		p[dl++] = '/';
	memcpy(p + dl, name, nl + 1);
	*out = p;
	return 0;
}

int
fs_key_dir(char **out)
{
	char *home = NULL;
	int r;

	*out = NULL;
	if ((r = fs_home_dir(&home)) != 0 ||
	    (r = fs_path_join(out, home, FS_KEY_DIR_NAME)) != 0)
		goto out;
	r = 0;
 out:
	free(home);
	return r;
}

int
fs_key_path(char **out)
{
	char *dir = NULL;
	int r;

	*out = NULL;
	if ((r = fs_key_dir(&dir)) != 0 ||
	    (r = fs_path_join(out, dir, FS_KEY_FILE_NAME)) != 0)
		goto out;
	r = 0;
 out:
	free(dir);
	return r;
}

int
fs_dirname(char **out, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n;
	char *p;

	*out = NULL;
	if (slash == NULL) {
		p = strdup(".");
	} else {
		/* Drop the last component and any run of slashes before it. */
		while (slash > path && slash[-1] == '/')
			slash--;
		n = slash == path ? 1 : (size_t)(slash - path);
		if ((p = malloc(n + 1)) != NULL) {
			memcpy(p, path, n);
			p[n] = '\0';
		}
	}
	if (p == NULL)
		return CCL_ERR_NOMEM;
	*out = p;
	return 0;
}

/* The part after the last slash (borrowed). */
static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash == NULL ? path : slash + 1;
}

static int
mkdir_one(const char *path, mode_t mode)
{
	struct stat st;

	if (mkdir(path, mode) == 0) {
		if (chmod(path, mode) != 0)
			return CCL_ERR_SYSTEM;
		return 0;
	}
	if (errno != EEXIST)
		return CCL_ERR_SYSTEM;
	if (stat(path, &st) != 0)
		return CCL_ERR_SYSTEM;
	if (!S_ISDIR(st.st_mode))
		return CCL_ERR_EXISTS;
	return 0;
}

int
fs_mkdir_p(const char *path, mode_t mode)
{
	char *p = NULL;
	size_t i, n;
	int r;

	if (path[0] == '\0')
		return CCL_ERR_INVALID_ARG;
	if ((p = strdup(path)) == NULL)
		return CCL_ERR_NOMEM;
	n = strlen(p);
	/* Each prefix ending before a slash, then the whole path. */
	for (i = 1; i < n; i++) {
		if (p[i] != '/' || p[i - 1] == '/')
			continue;
		p[i] = '\0';
		r = mkdir_one(p, mode);
		p[i] = '/';
		if (r != 0)
			goto out;
	}
	r = mkdir_one(p, mode);
 out:
	free(p);
	return r;
}

static void
buf_release(uint8_t *b, size_t cap, unsigned flags)
{
	if (flags & FS_READ_SECRET)
		secret_free(b);
	else
		ccl_freezero(b, cap);
}

/* Grow *b from cap to newcap bytes, keeping the first used bytes. */
static int
buf_grow(uint8_t **b, size_t cap, size_t used, size_t newcap, unsigned flags)
{
	uint8_t *nb;

	if (flags & FS_READ_SECRET)
		nb = secret_alloc(newcap);
	else
		nb = malloc(newcap);
	if (nb == NULL)
		return CCL_ERR_NOMEM;
	if (used > 0)
		memcpy(nb, *b, used);
	if (*b != NULL)
		buf_release(*b, cap, flags);
	*b = nb;
	return 0;
}

static int
check_stat(const struct stat *st, unsigned flags)
{
	if ((flags & FS_READ_REGULAR) && !S_ISREG(st->st_mode))
		return CCL_ERR_FORMAT;
	/* Any bit beyond rw for the owner: group/other access, but also x or setuid. */
	if ((flags & FS_READ_PRIVATE) && (st->st_mode & 07777 & ~(mode_t)0600) != 0)
		return CCL_ERR_PERMISSION;
	if ((flags & FS_READ_NOT_WRITABLE) && (st->st_mode & 022) != 0)
		return CCL_ERR_PERMISSION;
	return 0;
}

int
fs_read_fd(int fd, size_t max, unsigned flags, uint8_t **out, size_t *outlen)
{
	uint8_t *b = NULL;
	size_t cap = 0, len = 0, want;
	struct stat st;
	ssize_t n;
	int r, saved;

	*out = NULL;
	*outlen = 0;
	if (max >= SIZE_MAX / 2)
		return CCL_ERR_INVALID_ARG;
	if (fstat(fd, &st) != 0)
		return CCL_ERR_SYSTEM;
	if ((r = check_stat(&st, flags)) != 0)
		return r;
	/* Size a regular file's buffer from its length (+1: see EOF in one read). */
	if (S_ISREG(st.st_mode) && st.st_size >= 0 && (uint64_t)st.st_size <= max)
		want = (size_t)st.st_size + 1;
	else
		want = (max < FS_READ_CHUNK ? max : FS_READ_CHUNK) + 1;
	if ((r = buf_grow(&b, 0, 0, want, flags)) != 0)
		return r;
	cap = want;
	for (;;) {
		if (len == cap) {
			if (cap > max) {
				r = CCL_ERR_TOO_LARGE;
				goto out;
			}
			want = cap > (max + 1) / 2 ? max + 1 : cap * 2;
			if ((r = buf_grow(&b, cap, len, want, flags)) != 0)
				goto out;
			cap = want;
		}
		n = read(fd, b + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = CCL_ERR_SYSTEM;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			r = CCL_ERR_TOO_LARGE;
			goto out;
		}
	}
	if (len == cap) {
		if ((r = buf_grow(&b, cap, len, cap + 1, flags)) != 0)
			goto out;
		cap++;
	}
	b[len] = '\0';
	*out = b;
	*outlen = len;
	b = NULL;
	r = 0;
 out:
	saved = errno;
	if (b != NULL)
		buf_release(b, cap, flags);
	errno = saved;
	return r;
}

int
fs_read_file(const char *path, size_t max, unsigned flags, uint8_t **out, size_t *outlen)
{
	int fd, r, saved;
	/* O_NONBLOCK so that a FIFO where a regular file is required cannot hang us. */
	int oflags = O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    ((flags & FS_READ_REGULAR) ? O_NONBLOCK : 0) |
	    ((flags & FS_READ_NOFOLLOW) ? O_NOFOLLOW : 0);

	*out = NULL;
	*outlen = 0;
	if ((fd = open(path, oflags)) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return CCL_ERR_NOT_FOUND;
		/* O_NOFOLLOW on a symbolic link: not the regular file asked for. */
		return errno == ELOOP && (flags & FS_READ_NOFOLLOW) ? CCL_ERR_FORMAT : CCL_ERR_SYSTEM;
	}
	r = fs_read_fd(fd, max, flags, out, outlen);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

int
fs_key_dir_check(const char *dir, uid_t uid, mode_t *mode, uid_t *owner)
{
	struct stat st;

	if (mode != NULL)
		*mode = 0;
	if (owner != NULL)
		*owner = 0;
	if (stat(dir, &st) != 0)
		return errno == ENOENT || errno == ENOTDIR ? CCL_ERR_NOT_FOUND : CCL_ERR_SYSTEM;
	if (mode != NULL)
		*mode = st.st_mode & 07777;
	if (owner != NULL)
		*owner = st.st_uid;
	if (!S_ISDIR(st.st_mode))
		return CCL_ERR_FORMAT;
	if ((st.st_uid != uid && st.st_uid != 0) || (st.st_mode & 022) != 0)
		return CCL_ERR_PERMISSION;
	return 0;
}

int
fs_file_mode(const char *path, mode_t *mode)
{
	struct stat st;

	*mode = 0;
	if (stat(path, &st) != 0)
		return errno == ENOENT || errno == ENOTDIR ? CCL_ERR_NOT_FOUND : CCL_ERR_SYSTEM;
	*mode = st.st_mode & 07777;
	return 0;
}

int
fs_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static int
write_all(int fd, const uint8_t *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return CCL_ERR_SYSTEM;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
fsync_dir(const char *dir)
{
	int fd, r = 0;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return CCL_ERR_SYSTEM;
	/* Some file systems cannot fsync a directory; the rename still happened. */
	if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP)
		r = CCL_ERR_SYSTEM;
	close(fd);
	return r;
}

/* dir/.name.tmp.<12 hex> (malloc'd). */
static int
temp_name(char **out, const char *dir, const char *name)
{
	uint8_t rnd[6];
	char hex[13], *leaf = NULL;
	size_t n = strlen(name) + sizeof(".") + sizeof(".tmp.") + sizeof(hex);
	int r;

	*out = NULL;
	if ((leaf = malloc(n)) == NULL)
		return CCL_ERR_NOMEM;
	randombytes_buf(rnd, sizeof(rnd));
	hex_encode(hex, rnd, sizeof(rnd));
	strcpy(leaf, ".");
	strcat(leaf, name);
	strcat(leaf, ".tmp.");
	strcat(leaf, hex);
	r = fs_path_join(out, dir, leaf);
	free(leaf);
	return r;
}

int
fs_write_private(const char *path, const void *data, size_t len)
{
	char *dir = NULL, *tmp = NULL;
	const char *name = base_name(path);
	int fd = -1, r, saved, tries;

	if (name[0] == '\0')
		return CCL_ERR_INVALID_ARG;
	if ((r = fs_dirname(&dir, path)) != 0)
		return r;
	for (tries = 0; tries < FS_TMP_TRIES; tries++) {
		free(tmp);
		if ((r = temp_name(&tmp, dir, name)) != 0)
			goto out;
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		free(tmp);
		tmp = NULL;  /* not ours: never unlink it */
		r = CCL_ERR_SYSTEM;
		goto out;
	}
	/* The umask can only narrow 0600, but be exact. */
	if (fchmod(fd, 0600) != 0 ||
	    (r = write_all(fd, data, len)) != 0 ||
	    fsync(fd) != 0) {
		r = CCL_ERR_SYSTEM;
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		r = CCL_ERR_SYSTEM;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		r = CCL_ERR_SYSTEM;
		goto out;
	}
	free(tmp);
	tmp = NULL;
	if ((r = fsync_dir(dir)) != 0)
		goto out;
	r = 0;
 out:
	saved = errno;
	if (fd >= 0)
		close(fd);
	if (tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(dir);
	errno = saved;
	return r;
}

int
fs_remove(const char *path)
{
	if (unlink(path) != 0 && errno != ENOENT)
		return CCL_ERR_SYSTEM;
	return 0;
}
