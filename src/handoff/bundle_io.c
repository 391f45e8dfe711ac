/* SPDX-License-Identifier: MIT */
/*
 * bundle_io.c — collect and send a session bundle from this machine's
 * Claude project folder. Receiving is in bundle_recv.c. See bundle_io.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "bundle_io.h"
#include "fsutil.h"

#define IO_CHUNK (64 * 1024)

struct flist {
	struct bundle_file *v;
	size_t n, cap;
	uint64_t total;
};

static int
write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, b, n)) < 0) {
			if (errno == EINTR)
				continue;
			return CCL_ERR_SYSTEM;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Hash the first `limit` bytes of an open file (all of it when it is shorter); *got = bytes read. */
static int
hash_fd(int fd, uint64_t limit, uint8_t sha[static 32], uint64_t *got)
{
	crypto_hash_sha256_state st;
	uint8_t buf[IO_CHUNK];
	ssize_t n;
	size_t want;

	*got = 0;
	crypto_hash_sha256_init(&st);
	while (*got < limit) {
		want = limit - *got > sizeof(buf) ? sizeof(buf) : (size_t)(limit - *got);
		if ((n = read(fd, buf, want)) < 0) {
			if (errno == EINTR)
				continue;
			return CCL_ERR_SYSTEM;
		}
		if (n == 0)
			break;
		crypto_hash_sha256_update(&st, buf, (size_t)n);
		*got += (uint64_t)n;
	}
	crypto_hash_sha256_final(&st, sha);
	return 0;
}

static int
add_file(struct flist *l, const char *abs, const char *rel)
{
	struct bundle_file f;
	struct stat st;
	int fd, r;

	memset(&f, 0, sizeof(f));
	if ((fd = open(abs, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) < 0)
		return errno == ENOENT ? CCL_ERR_NOT_FOUND : CCL_ERR_SYSTEM;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return CCL_ERR_NOT_FOUND;
	}
	if ((uint64_t)st.st_size > BUNDLE_FILE_MAX) {
		close(fd);
		return CCL_ERR_TOO_LARGE;
	}
	r = hash_fd(fd, (uint64_t)st.st_size, f.sha256, &f.size);
	close(fd);
	if (r != 0)
		return r;
	if (l->n >= BUNDLE_MAX_FILES || l->total + f.size > BUNDLE_TOTAL_MAX)
		return CCL_ERR_TOO_LARGE;
	if (l->n == l->cap) {
		size_t nc = l->cap == 0 ? 16 : l->cap * 2;
		struct bundle_file *nv = reallocarray(l->v, nc, sizeof(*nv));

		if (nv == NULL)
			return CCL_ERR_NOMEM;
		l->v = nv;
		l->cap = nc;
	}
	if ((f.path = strdup(rel)) == NULL)
		return CCL_ERR_NOMEM;
	l->v[l->n++] = f;
	l->total += f.size;
	return 0;
}

/* Regular files below abs (rel is its bundle path), depth-first. */
static int
walk(struct flist *l, const char *sid, const char *abs, const char *rel, size_t depth,
    size_t *skipped)
{
	DIR *d;
	struct dirent *e;
	struct stat st;
	char *ca = NULL, *cr = NULL;
	int r = 0;

	if (depth > BUNDLE_DEPTH_MAX)
		return 0;
	if ((d = opendir(abs)) == NULL)
		return errno == ENOENT || errno == ENOTDIR ? 0 : CCL_ERR_SYSTEM;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		free(ca);
		free(cr);
		ca = cr = NULL;
		if ((r = fs_path_join(&ca, abs, e->d_name)) != 0 ||
		    (r = fs_path_join(&cr, rel, e->d_name)) != 0)
			break;
		if (lstat(ca, &st) != 0)
			continue;  /* gone meanwhile */
		if (!bundle_path_ok(sid, cr) || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
			(*skipped)++;
			continue;
		}
		if (S_ISDIR(st.st_mode))
			r = walk(l, sid, ca, cr, depth + 1, skipped);
		else if ((r = add_file(l, ca, cr)) == CCL_ERR_NOT_FOUND) {
			(*skipped)++;
			r = 0;
		}
		if (r != 0)
			break;
	}
	closedir(d);
	free(ca);
	free(cr);
	return r;
}

int
bundle_collect(const char *folder, const char *sid, const char *project, struct bundle_header *out,
    size_t *skipped)
{
	struct flist l;
	struct bundle_header h;
	char *abs = NULL, *rel = NULL;
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	memset(&l, 0, sizeof(l));
	memset(&h, 0, sizeof(h));
	*skipped = 0;
	if (!session_id_is_uuid(sid) || project == NULL || project[0] != '/')
		return CCL_ERR_INVALID_ARG;
	if ((rel = malloc(strlen(sid) + sizeof(".jsonl"))) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	memcpy(rel, sid, strlen(sid));
	memcpy(rel + strlen(sid), ".jsonl", sizeof(".jsonl"));
	if ((r = fs_path_join(&abs, folder, rel)) != 0)
		goto out;
	if ((r = add_file(&l, abs, rel)) != 0)
		goto out;
	if (l.v[0].size == 0) {
		r = CCL_ERR_NOT_FOUND;
		goto out;
	}
	free(abs);
	abs = NULL;
	if ((r = fs_path_join(&abs, folder, sid)) != 0 ||
	    (r = walk(&l, sid, abs, sid, 1, skipped)) != 0)
		goto out;
	bundle_files_sort(l.v, l.n);
	if ((h.session_id = strdup(sid)) == NULL || (h.project = strdup(project)) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	h.files = l.v;
	h.n_files = l.n;
	h.total = l.total;
	memset(&l, 0, sizeof(l));
	*out = h;
	memset(&h, 0, sizeof(h));
	r = 0;
 out:
	for (i = 0; i < l.n; i++)
		free(l.v[i].path);
	free(l.v);
	bundle_header_cleanup(&h);
	free(abs);
	free(rel);
	return r;
}

/* Copy the first f->size bytes of folder/f->path to fd, checking they still hash the same. */
static int
send_file(int fd, const char *folder, const struct bundle_file *f)
{
	crypto_hash_sha256_state st;
	uint8_t buf[IO_CHUNK], sha[32];
	uint64_t left = f->size;
	char *abs = NULL;
	ssize_t n;
	int in = -1, r;

	if ((r = fs_path_join(&abs, folder, f->path)) != 0)
		return r;
	if ((in = open(abs, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		r = CCL_ERR_CONFLICT;
		goto out;
	}
	crypto_hash_sha256_init(&st);
	while (left > 0) {
		if ((n = read(in, buf, left > sizeof(buf) ? sizeof(buf) : (size_t)left)) < 0) {
			if (errno == EINTR)
				continue;
			r = CCL_ERR_SYSTEM;
			goto out;
		}
		if (n == 0) {
			r = CCL_ERR_CONFLICT;  /* it shrank */
			goto out;
		}
		crypto_hash_sha256_update(&st, buf, (size_t)n);
		if ((r = write_all(fd, buf, (size_t)n)) != 0)
			goto out;
		left -= (uint64_t)n;
	}
	crypto_hash_sha256_final(&st, sha);
	r = memcmp(sha, f->sha256, 32) == 0 ? 0 : CCL_ERR_CONFLICT;
 out:
	if (in >= 0)
		close(in);
	free(abs);
	return r;
}

int
bundle_send(int fd, const char *folder, const struct bundle_header *h)
{
	char *hdr = NULL;
	size_t len, i;
	int r;

	if ((r = bundle_header_encode(h, &hdr, &len)) != 0)
		return r;
	r = write_all(fd, hdr, len);
	free(hdr);
	for (i = 0; r == 0 && i < h->n_files; i++)
		r = send_file(fd, folder, &h->files[i]);
	return r;
}
