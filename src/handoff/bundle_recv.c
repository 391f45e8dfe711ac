/* SPDX-License-Identifier: MIT */
/*
 * bundle_recv.c — receive a session bundle into the Claude project folder
 * of the local project directory: stage every file in a private temporary
 * directory inside the folder, verify sizes and hashes, compare with the
 * transcript already here, and only then rename into place (transcript
 * last). See bundle_io.h for the contract.
 */
#define _XOPEN_SOURCE 700  /* nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "bundle_io.h"
#include "fsutil.h"

#define RECV_CHUNK (64 * 1024)
#define STAGE_PREFIX ".cclink-recv-"

/* The stream: bytes left over from the header read, then the descriptor. */
struct src {
	int fd;
	uint8_t *pre;
	size_t pre_len, pre_off;
};

static int
src_read(struct src *s, uint8_t *buf, size_t want, size_t *got)
{
	ssize_t n;

	*got = 0;
	if (s->pre_off < s->pre_len) {
		n = (ssize_t)(s->pre_len - s->pre_off);
		if ((size_t)n > want)
			n = (ssize_t)want;
		memcpy(buf, s->pre + s->pre_off, (size_t)n);
		s->pre_off += (size_t)n;
		*got = (size_t)n;
		return 0;
	}
	for (;;) {
		if ((n = read(s->fd, buf, want)) >= 0)
			break;
		/* A signal (Ctrl-C, hang-up) interrupts the transfer: give up, write nothing. */
		return CCL_ERR_SYSTEM;
	}
	*got = (size_t)n;
	return 0;
}

/* Read until the header parses; the rest of what was read stays in s->pre. */
static int
read_header(struct src *s, struct bundle_header *h)
{
	size_t len = 0, cap = 0, used, want;
	uint8_t *b = NULL, *nb;
	ssize_t n;
	int r;

	for (;;) {
		if (len == cap) {
			cap = cap == 0 ? RECV_CHUNK : cap * 2;
			if (cap > BUNDLE_HEADER_MAX + RECV_CHUNK)
				cap = BUNDLE_HEADER_MAX + RECV_CHUNK;
			if ((nb = realloc(b, cap)) == NULL) {
				r = CCL_ERR_NOMEM;
				goto out;
			}
			b = nb;
		}
		want = cap - len;
		if ((n = read(s->fd, b + len, want)) < 0) {
			r = CCL_ERR_SYSTEM;
			goto out;
		}
		len += (size_t)n;
		r = bundle_header_parse(b, len, h, &used);
		if (r == 0)
			break;
		if (r != CCL_ERR_TRUNCATED)
			goto out;
		if (n == 0)
			goto out;  /* the stream ended inside the header */
		if (len >= BUNDLE_HEADER_MAX + RECV_CHUNK) {
			r = CCL_ERR_TOO_LARGE;
			goto out;
		}
	}
	s->pre = b;
	s->pre_len = len;
	s->pre_off = used;
	b = NULL;
	r = 0;
 out:
	free(b);
	return r;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void
rm_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Create the directories of rel (not its last component) under base, mode 0700. */
static int
mkdirs_under(const char *base, const char *rel)
{
	char *p = NULL, *slash;
	struct stat st;
	size_t bl = strlen(base);
	int r = 0;

	if ((r = fs_path_join(&p, base, rel)) != 0)
		return r;
	for (slash = p + bl + 1; (slash = strchr(slash, '/')) != NULL; slash++) {
		*slash = '\0';
		if (lstat(p, &st) == 0) {
			if (!S_ISDIR(st.st_mode))
				r = CCL_ERR_EXISTS;  /* a symlink or a file where a directory goes */
		} else if (errno != ENOENT || mkdir(p, 0700) != 0) {
			r = CCL_ERR_SYSTEM;
		}
		*slash = '/';
		if (r != 0)
			break;
	}
	free(p);
	return r;
}

/* Stream f->size bytes into a new 0600 file stage/f->path and check the hash. */
static int
stage_file(struct src *s, const char *stage, const struct bundle_file *f)
{
	crypto_hash_sha256_state st;
	uint8_t buf[RECV_CHUNK], sha[32];
	uint64_t left = f->size;
	char *abs = NULL;
	size_t got;
	int fd = -1, r;

	if ((r = mkdirs_under(stage, f->path)) != 0 || (r = fs_path_join(&abs, stage, f->path)) != 0)
		goto out;
	if ((fd = open(abs, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
		r = errno == EEXIST || errno == ENOTDIR || errno == EISDIR ? CCL_ERR_EXISTS :
		    CCL_ERR_SYSTEM;
		goto out;
	}
	crypto_hash_sha256_init(&st);
	while (left > 0) {
		if ((r = src_read(s, buf, left > sizeof(buf) ? sizeof(buf) : (size_t)left, &got)) != 0)
			goto out;
		if (got == 0) {
			r = CCL_ERR_TRUNCATED;
			goto out;
		}
		crypto_hash_sha256_update(&st, buf, got);
		if (write(fd, buf, got) != (ssize_t)got) {
			r = CCL_ERR_SYSTEM;
			goto out;
		}
		left -= got;
	}
	crypto_hash_sha256_final(&st, sha);
	if (memcmp(sha, f->sha256, 32) != 0) {
		r = CCL_ERR_MAC_INVALID;
		goto out;
	}
	if (fsync(fd) != 0) {
		r = CCL_ERR_SYSTEM;
		goto out;
	}
	r = 0;
 out:
	if (fd >= 0)
		close(fd);
	free(abs);
	return r;
}

/*
 * Compare the staged transcript a (size na) with the one here, b (nb):
 * *at = the first differing offset, or min(na, nb) when one is a prefix.
 */
static int
compare_files(const char *a, const char *b, uint64_t *at)
{
	uint8_t x[RECV_CHUNK], y[RECV_CHUNK];
	ssize_t nx, ny = 0;
	size_t i, n;
	int fa = -1, fb = -1, r = CCL_ERR_SYSTEM;

	*at = 0;
	if ((fa = open(a, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    (fb = open(b, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		goto out;
	for (;;) {
		if ((nx = read(fa, x, sizeof(x))) < 0)
			goto out;
		/* Read the same amount from b (files are small relative to a syscall each). */
		for (n = 0; n < (size_t)nx; n += (size_t)ny)
			if ((ny = read(fb, y + n, (size_t)nx - n)) <= 0)
				break;
		if (n < (size_t)nx && ny < 0)
			goto out;
		for (i = 0; i < n && i < (size_t)nx; i++)
			if (x[i] != y[i])
				break;
		*at += i;
		if (i < (size_t)nx || nx == 0) {
			r = 0;
			break;
		}
	}
 out:
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return r;
}

/* Before anything is renamed: every target path's directories are real and targets are files. */
static int
check_targets(const char *folder, const struct bundle_header *h)
{
	struct stat st;
	char *p = NULL, *slash;
	size_t i, fl = strlen(folder);
	int r = 0;

	for (i = 0; r == 0 && i < h->n_files; i++) {
		if ((r = fs_path_join(&p, folder, h->files[i].path)) != 0)
			break;
		for (slash = p + fl + 1;;) {
			int last = (slash = strchr(slash, '/')) == NULL;

			if (!last)
				*slash = '\0';
			if (lstat(p, &st) != 0) {
				/* Missing: created at install time (below it nothing exists either). */
				if (errno != ENOENT)
					r = CCL_ERR_SYSTEM;
				break;
			}
			if (last ? !S_ISREG(st.st_mode) : !S_ISDIR(st.st_mode)) {
				r = CCL_ERR_EXISTS;  /* a symlink, or a file where a directory goes */
				break;
			}
			if (last)
				break;
			*slash++ = '/';
		}
		free(p);
		p = NULL;
	}
	return r;
}

/* Move the staged files into the folder: the folder's files first, the transcript last. */
static int
install(const char *stage, const char *folder, const struct bundle_header *h)
{
	char *from = NULL, *to = NULL;
	size_t k, i;
	int r = 0, dfd;

	for (k = 1; r == 0 && k <= h->n_files; k++) {
		i = k % h->n_files;  /* 1, 2, ..., n-1, then 0 */
		if ((r = mkdirs_under(folder, h->files[i].path)) != 0 ||
		    (r = fs_path_join(&from, stage, h->files[i].path)) != 0 ||
		    (r = fs_path_join(&to, folder, h->files[i].path)) != 0)
			break;
		if (rename(from, to) != 0)
			r = CCL_ERR_SYSTEM;
		free(from);
		free(to);
		from = to = NULL;
	}
	free(from);
	free(to);
	if (r == 0 && (dfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return r;
}

void
bundle_recv_result_cleanup(struct bundle_recv_result *res)
{
	bundle_header_cleanup(&res->h);
	free(res->local);
	free(res->folder);
	memset(res, 0, sizeof(*res));
}

int
bundle_recv(int fd, const struct bundle_recv_opts *o, struct bundle_recv_result *res)
{
	struct src s;
	struct stat st;
	char *stage = NULL, *staged = NULL, *here = NULL;
	uint8_t extra;
	size_t i, got;
	int r, exists;

	memset(res, 0, sizeof(*res));
	memset(&s, 0, sizeof(s));
	s.fd = fd;
	if ((r = read_header(&s, &res->h)) != 0)
		goto out;
	res->parsed = 1;
	if ((r = session_remap(res->h.project, o->env->home, o->maps, o->n_maps, &res->local,
	    &res->rule, &res->map_index)) != 0)
		goto out;
	if ((r = session_project_folder(o->env, res->local, &res->folder, &exists)) != 0 ||
	    (r = fs_mkdir_p(res->folder, 0700)) != 0)
		goto out;
	if ((r = fs_path_join(&stage, res->folder, STAGE_PREFIX "XXXXXX")) != 0)
		goto out;
	if (mkdtemp(stage) == NULL) {
		free(stage);
		stage = NULL;
		r = CCL_ERR_SYSTEM;
		goto out;
	}
	for (i = 0; i < res->h.n_files; i++)
		if ((r = stage_file(&s, stage, &res->h.files[i])) != 0)
			goto out;
	/* The sender closes the stream after the last file: anything more is not ours. */
	if ((r = src_read(&s, &extra, 1, &got)) != 0)
		goto out;
	if (got != 0) {
		r = CCL_ERR_TRAILING;
		goto out;
	}
	if ((r = fs_path_join(&staged, stage, res->h.files[0].path)) != 0 ||
	    (r = fs_path_join(&here, res->folder, res->h.files[0].path)) != 0)
		goto out;
	if (lstat(here, &st) != 0) {
		if (errno != ENOENT) {
			r = CCL_ERR_SYSTEM;
			goto out;
		}
		res->outcome = BUNDLE_NEW;
	} else if (!S_ISREG(st.st_mode)) {
		r = CCL_ERR_EXISTS;
		goto out;
	} else {
		res->here_size = (uint64_t)st.st_size;
		if ((r = compare_files(staged, here, &res->diverge_at)) != 0)
			goto out;
		if (res->diverge_at >= res->h.files[0].size)
			res->outcome = BUNDLE_KEPT;  /* incoming is a prefix of (or equal to) ours */
		else if (res->diverge_at >= res->here_size)
			res->outcome = BUNDLE_REPLACED;  /* ours is a prefix of the incoming one */
		else
			res->outcome = o->force ? BUNDLE_REPLACED : BUNDLE_DIVERGED;
	}
	if (res->outcome == BUNDLE_KEPT || res->outcome == BUNDLE_DIVERGED) {
		r = 0;
		goto out;
	}
	if ((r = check_targets(res->folder, &res->h)) != 0 ||
	    (r = install(stage, res->folder, &res->h)) != 0)
		goto out;
	r = 0;
 out:
	if (stage != NULL)
		rm_tree(stage);
	free(stage);
	free(staged);
	free(here);
	free(s.pre);
	return r;
}
