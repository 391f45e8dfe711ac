/* SPDX-License-Identifier: MIT */
/*
 * bundle.c — the session bundle header: parse (untrusted, through buf_rd,
 * caps before allocation), encode, and the path rule. See bundle.h and
 * doc/bundle.md.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "bundle.h"
#include "hex.h"
#include "session.h"

void
bundle_header_cleanup(struct bundle_header *h)
{
	size_t i;

	if (h == NULL)
		return;
	free(h->session_id);
	free(h->project);
	for (i = 0; i < h->n_files; i++)
		free(h->files[i].path);
	free(h->files);
	memset(h, 0, sizeof(*h));
}

static int
name_char_ok(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    c == '.' || c == '_' || c == '-' || c == '+' || c == '=' || c == '@' || c == ',';
}

int
bundle_path_ok(const char *sid, const char *path)
{
	size_t sl = strlen(sid), pl = strlen(path), i, start, depth = 0;

	if (pl == 0 || pl > BUNDLE_PATH_MAX || strncmp(path, sid, sl) != 0)
		return 0;
	if (strcmp(path + sl, ".jsonl") == 0)
		return 1;
	if (path[sl] != '/')
		return 0;
	for (start = i = sl + 1;; i++) {
		if (path[i] == '/' || path[i] == '\0') {
			/* Empty, hidden ('.', '..', our own temp names) or too long: refused. */
			if (i == start || path[start] == '.' || i - start > BUNDLE_NAME_MAX)
				return 0;
			if (++depth > BUNDLE_DEPTH_MAX)
				return 0;
			if (path[i] == '\0')
				return 1;
			start = i + 1;
		} else if (!name_char_ok((unsigned char)path[i])) {
			return 0;
		}
	}
}

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct bundle_file *)a)->path, ((const struct bundle_file *)b)->path);
}

void
bundle_files_sort(struct bundle_file *files, size_t n)
{
	if (n > 2)
		qsort(files + 1, n - 1, sizeof(*files), cmp_file);
}

/* A copy of the n bytes at p as a C string; refuses NUL bytes. */
static int
dup_text(const uint8_t *p, size_t n, char **out)
{
	*out = NULL;
	if (memchr(p, '\0', n) != NULL)
		return CCL_ERR_FORMAT;
	if ((*out = malloc(n + 1)) == NULL)
		return CCL_ERR_NOMEM;
	memcpy(*out, p, n);
	(*out)[n] = '\0';
	return 0;
}

/* An absolute path without control characters (the remap checks it further). */
static int
project_ok(const char *s)
{
	size_t i;

	if (s[0] != '/' || strlen(s) > BUNDLE_PATH_MAX * 4)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/* "KEY VALUE" line: (*val, *vn) is the value when the line starts with key and a space. */
static int
line_key(const uint8_t *line, size_t n, const char *key, const uint8_t **val, size_t *vn)
{
	size_t kl = strlen(key);

	if (n <= kl || memcmp(line, key, kl) != 0 || line[kl] != ' ')
		return 0;
	*val = line + kl + 1;
	*vn = n - kl - 1;
	return 1;
}

/* Decimal without sign or leading zeros, at most max. */
static int
parse_u64(const uint8_t *p, size_t n, uint64_t max, uint64_t *v)
{
	size_t i;

	*v = 0;
	if (n == 0 || (n > 1 && p[0] == '0'))
		return CCL_ERR_FORMAT;
	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return CCL_ERR_FORMAT;
	if (n > 20)
		return CCL_ERR_TOO_LARGE;
	for (i = 0; i < n; i++) {
		if (*v > (UINT64_MAX - (uint64_t)(p[i] - '0')) / 10)
			return CCL_ERR_TOO_LARGE;
		*v = *v * 10 + (uint64_t)(p[i] - '0');
	}
	return *v > max ? CCL_ERR_TOO_LARGE : 0;
}

/* "SIZE SHA256 PATH" into f (path checked against sid). */
static int
parse_file(const uint8_t *p, size_t n, const char *sid, struct bundle_file *f)
{
	struct buf_rd rd;
	const uint8_t *tok;
	size_t d;
	int r;

	memset(f, 0, sizeof(*f));
	buf_rd_init(&rd, p, n);
	if ((r = buf_find(&rd, ' ', &d)) != 0 || (r = buf_get_bytes(&rd, d, &tok)) != 0 ||
	    (r = parse_u64(tok, d, BUNDLE_FILE_MAX, &f->size)) != 0 ||
	    (r = buf_skip(&rd, 1)) != 0)
		return r == CCL_ERR_TOO_LARGE ? r : CCL_ERR_FORMAT;
	if (buf_get_bytes(&rd, 64, &tok) != 0 || hex_decode(f->sha256, 32, (const char *)tok, 64) != 0 ||
	    buf_expect(&rd, " ", 1) != 0)
		return CCL_ERR_FORMAT;
	/* hex_decode accepts upper case; the format is lower case only. */
	for (d = 0; d < 64; d++)
		if (tok[d] >= 'A' && tok[d] <= 'F')
			return CCL_ERR_FORMAT;
	d = buf_remaining(&rd);
	if (d > BUNDLE_PATH_MAX)
		return CCL_ERR_FORMAT;
	if ((r = buf_get_bytes(&rd, d, &tok)) != 0 || (r = dup_text(tok, d, &f->path)) != 0)
		return r;
	if (!bundle_path_ok(sid, f->path)) {
		free(f->path);
		f->path = NULL;
		return CCL_ERR_FORMAT;
	}
	return 0;
}

int
bundle_header_parse(const uint8_t *p, size_t n, struct bundle_header *out, size_t *used)
{
	struct bundle_header h;
	struct bundle_file f;
	struct buf_rd rd;
	const uint8_t *line, *val;
	size_t ln, vn, cap = 0;
	int r;

	memset(out, 0, sizeof(*out));
	memset(&h, 0, sizeof(h));
	memset(&f, 0, sizeof(f));
	*used = 0;
	buf_rd_init(&rd, p, n > BUNDLE_HEADER_MAX ? BUNDLE_HEADER_MAX : n);
	/* Magic: a different version is named as such, not as garbage. */
	if ((r = buf_get_line(&rd, BUNDLE_LINE_MAX, &line, &ln)) != 0)
		goto line_err;
	if (ln != strlen(BUNDLE_MAGIC) || memcmp(line, BUNDLE_MAGIC, ln) != 0) {
		r = (ln > 14 && memcmp(line, "cclink-bundle ", 14) == 0) ? CCL_ERR_UNSUPPORTED :
		    CCL_ERR_FORMAT;
		goto out;
	}
	if ((r = buf_get_line(&rd, BUNDLE_LINE_MAX, &line, &ln)) != 0)
		goto line_err;
	if (!line_key(line, ln, "session", &val, &vn) || (r = dup_text(val, vn, &h.session_id)) != 0 ||
	    !session_id_is_uuid(h.session_id)) {
		r = r == CCL_ERR_NOMEM ? r : CCL_ERR_FORMAT;
		goto out;
	}
	if ((r = buf_get_line(&rd, BUNDLE_LINE_MAX, &line, &ln)) != 0)
		goto line_err;
	if (!line_key(line, ln, "project", &val, &vn) || (r = dup_text(val, vn, &h.project)) != 0 ||
	    !project_ok(h.project)) {
		r = r == CCL_ERR_NOMEM ? r : CCL_ERR_FORMAT;
		goto out;
	}
	for (;;) {
		if ((r = buf_get_line(&rd, BUNDLE_LINE_MAX, &line, &ln)) != 0)
			goto line_err;
		if (ln == 3 && memcmp(line, "end", 3) == 0)
			break;
		if (!line_key(line, ln, "file", &val, &vn)) {
			r = CCL_ERR_FORMAT;
			goto out;
		}
		if (h.n_files >= BUNDLE_MAX_FILES) {
			r = CCL_ERR_TOO_LARGE;
			goto out;
		}
		if ((r = parse_file(val, vn, h.session_id, &f)) != 0)
			goto out;
		/* The transcript first, then the folder's files in strictly increasing order. */
		if (h.n_files == 0 ? strchr(f.path, '/') != NULL :
		    (strchr(f.path, '/') == NULL || strcmp(h.files[h.n_files - 1].path, f.path) >= 0)) {
			r = CCL_ERR_FORMAT;
			goto out;
		}
		if (h.total + f.size > BUNDLE_TOTAL_MAX) {
			r = CCL_ERR_TOO_LARGE;
			goto out;
		}
		if (h.n_files == cap) {
			struct bundle_file *nv;
			size_t ncap = cap == 0 ? 8 : cap * 2;

			if ((nv = reallocarray(h.files, ncap, sizeof(*nv))) == NULL) {
				r = CCL_ERR_NOMEM;
				goto out;
			}
			h.files = nv;
			cap = ncap;
		}
		h.total += f.size;
		h.files[h.n_files++] = f;
		memset(&f, 0, sizeof(f));
	}
	if (h.n_files == 0) {
		r = CCL_ERR_FORMAT;
		goto out;
	}
	*used = buf_offset(&rd);
	*out = h;
	memset(&h, 0, sizeof(h));
	r = 0;
	goto out;
 line_err:
	/* Out of bytes: more may come, unless the header cap is what stopped us. */
	if (r == CCL_ERR_TRUNCATED && n >= BUNDLE_HEADER_MAX)
		r = CCL_ERR_TOO_LARGE;
 out:
	free(f.path);
	bundle_header_cleanup(&h);
	return r;
}

int
bundle_header_encode(const struct bundle_header *h, char **out, size_t *len)
{
	struct buf_wr wr;
	char hex[65];
	size_t i;
	int r;

	*out = NULL;
	*len = 0;
	buf_wr_init(&wr, BUNDLE_HEADER_MAX);
	if ((r = buf_put_cstr(&wr, BUNDLE_MAGIC "\nsession ")) != 0 ||
	    (r = buf_put_cstr(&wr, h->session_id)) != 0 ||
	    (r = buf_put_cstr(&wr, "\nproject ")) != 0 ||
	    (r = buf_put_cstr(&wr, h->project)) != 0 ||
	    (r = buf_put_cstr(&wr, "\n")) != 0)
		goto out;
	for (i = 0; i < h->n_files; i++) {
		hex_encode(hex, h->files[i].sha256, 32);
		if ((r = buf_put_cstr(&wr, "file ")) != 0 ||
		    (r = buf_put_u64dec(&wr, h->files[i].size)) != 0 ||
		    (r = buf_put_cstr(&wr, " ")) != 0 || (r = buf_put_cstr(&wr, hex)) != 0 ||
		    (r = buf_put_cstr(&wr, " ")) != 0 || (r = buf_put_cstr(&wr, h->files[i].path)) != 0 ||
		    (r = buf_put_cstr(&wr, "\n")) != 0)
			goto out;
	}
	if ((r = buf_put_cstr(&wr, "end\n")) != 0 ||
	    (r = buf_wr_detach(&wr, (uint8_t **)out, len)) != 0)
		goto out;
	r = 0;
 out:
	buf_wr_free(&wr);
	return r;
}
