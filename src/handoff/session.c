/* SPDX-License-Identifier: MIT */
/*
 * session.c — Claude Code transcripts: the folder naming rule, the
 * transcript head/tail parsers, loading one transcript, session lists
 * (see session.h). Folder lookup and the remap are in session_find.c,
 * the detection order in session_detect.c.
 *
 * Trust boundary: transcript bytes are untrusted. They are read with caps
 * (SESSION_HEAD_MAX, SESSION_TAIL_MAX), split into lines with buf_rd, each
 * line copied and parsed by cJSON; bad lines are skipped. Paths taken from
 * them are checked by session_path_ok() before use.
 */
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "session.h"
#include "session_int.h"


/* ---- small helpers ---- */

int
session_join(char **out, const char *first, ...)
{
	struct buf_wr wr;
	va_list ap;
	const char *s;
	uint8_t *p = NULL;
	size_t n;
	int r = 0;

	*out = NULL;
	buf_wr_init(&wr, SESSION_PATH_MAX);
	va_start(ap, first);
	for (s = first; s != NULL && r == 0; s = va_arg(ap, const char *))
		r = buf_put_cstr(&wr, s);
	va_end(ap);
	if (r == 0 && (r = buf_wr_detach(&wr, &p, &n)) == 0)
		*out = (char *)p;
	buf_wr_free(&wr);
	return r;
}

/*
 * Decode one UTF-8 sequence. On an ill-formed sequence, consume its maximal
 * valid prefix (at least one byte) and return CCL_ERR_FORMAT, which is how
 * V8 turns bad bytes into one U+FFFD each.
 */
static int
utf8_next(struct buf_rd *rd, uint32_t *cp)
{
	uint8_t b, c, lo = 0x80, hi = 0xbf;
	size_t need, i;
	uint32_t v;

	*cp = 0xfffd;
	if (buf_get_u8(rd, &b) != 0)
		return CCL_ERR_TRUNCATED;
	if (b < 0x80) {
		*cp = b;
		return 0;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		need = 1; v = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		need = 2; v = b & 0x0f;
		if (b == 0xe0)
			lo = 0xa0;
		else if (b == 0xed)
			hi = 0x9f;
	} else if (b >= 0xf0 && b <= 0xf4) {
		need = 3; v = b & 0x07;
		if (b == 0xf0)
			lo = 0x90;
		else if (b == 0xf4)
			hi = 0x8f;
	} else
		return CCL_ERR_FORMAT;
	for (i = 0; i < need; i++) {
		if (buf_peek_u8(rd, &c) != 0 || c < lo || c > hi)
			return CCL_ERR_FORMAT;
		if (buf_get_u8(rd, &c) != 0)
			return CCL_ERR_FORMAT;
		v = (v << 6) | (c & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return 0;
}

int
session_text_ok(const char *s, size_t max)
{
	struct buf_rd rd;
	uint32_t cp;
	size_t n = strlen(s);

	if (n > max)
		return 0;
	buf_rd_init(&rd, s, n);
	while (buf_remaining(&rd) > 0) {
		if (utf8_next(&rd, &cp) != 0)
			return 0;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return 0;
	}
	return 1;
}

int
session_path_ok(const char *s)
{
	return s != NULL && s[0] == '/' && session_text_ok(s, PATH_MAX - 1);
}

int
session_id_is_uuid(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		    (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	}
	return 1;
}

int
session_id_check(const char *id)
{
	if (id == NULL || id[0] == '\0' || id[0] == '-' || !session_text_ok(id, SESSION_ID_MAX))
		return CCL_ERR_INVALID_ARG;
	return 0;
}

int
session_dir_within(const char *dir, const char *project, const char *home)
{
	size_t n = strlen(project);

	if (strcmp(dir, project) == 0)
		return 1;
	if (strcmp(project, "/") == 0 || (home != NULL && strcmp(project, home) == 0))
		return 0;
	while (n > 1 && project[n - 1] == '/')
		n--;
	return strncmp(dir, project, n) == 0 && dir[n] == '/';
}

static int
is_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int
session_sanitize_path(const char *path, char **out)
{
	struct buf_rd rd;
	struct buf_wr wr;
	uint32_t cp;
	uint8_t *p = NULL;
	size_t n;
	int r = 0;

	*out = NULL;
	buf_rd_init(&rd, path, strlen(path));
	buf_wr_init(&wr, SESSION_PATH_MAX * 2);
	while (r == 0 && buf_remaining(&rd) > 0) {
		if (utf8_next(&rd, &cp) != 0)
			cp = 0xfffd;
		if (is_alnum(cp))
			r = buf_put_u8(&wr, (uint8_t)cp);
		else if (cp >= 0x10000)  /* two UTF-16 code units */
			r = buf_put(&wr, "--", 2);
		else
			r = buf_put_u8(&wr, '-');
	}
	if (r == 0 && (r = buf_wr_detach(&wr, &p, &n)) == 0)
		*out = (char *)p;
	buf_wr_free(&wr);
	return r;
}

/*
 * Math.abs(Java-style String hash over UTF-16 code units).toString(36): the
 * suffix Claude Code gives long folder names. It equals the 2.1.328 CLI's
 * (e.g. "-7vqs8h" and "-8i3oe1" for 248- and 273-byte paths; tests/claude
 * compares them against the real CLI). Builds that hashed differently are
 * still found: session_find.c falls back to a "<first 200>-" prefix scan.
 */
void
session_long_name_hash(const char *path, char out[16])
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	struct buf_rd rd;
	uint32_t h = 0, cp;
	int64_t v;
	char tmp[16];
	size_t i = 0, j = 0;

	buf_rd_init(&rd, path, strlen(path));
	while (buf_remaining(&rd) > 0) {
		if (utf8_next(&rd, &cp) != 0)
			cp = 0xfffd;
		if (cp >= 0x10000) {
			h = h * 31 + (0xd800 + ((cp - 0x10000) >> 10));
			h = h * 31 + (0xdc00 + ((cp - 0x10000) & 0x3ff));
		} else
			h = h * 31 + cp;
	}
	v = (int32_t)h;
	if (v < 0)
		v = -v;
	do {
		tmp[i++] = digits[v % 36];
		v /= 36;
	} while (v > 0 && i < sizeof(tmp));
	while (i > 0)
		out[j++] = tmp[--i];
	out[j] = '\0';
}

int
session_stat_nonempty(const char *path, struct stat *st)
{
	if (stat(path, st) != 0 || !S_ISREG(st->st_mode) || st->st_size <= 0)
		return 0;
	return 1;
}

int
session_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- transcript parsing ---- */

/* 1 when line contains the literal lit (searched through buf_rd). */
static int
line_has(const uint8_t *line, size_t n, const char *lit)
{
	struct buf_rd rd;
	size_t d, l = strlen(lit);

	buf_rd_init(&rd, line, n);
	while (buf_find(&rd, (uint8_t)lit[0], &d) == 0) {
		if (buf_skip(&rd, d) != 0 || buf_remaining(&rd) < l)
			return 0;
		if (memcmp(buf_cur(&rd), lit, l) == 0)
			return 1;
		if (buf_skip(&rd, 1) != 0)
			return 0;
	}
	return 0;
}

/* Parse one line as a JSON object; NULL for anything else. */
cJSON *
session_json_parse(const uint8_t *line, size_t n)
{
	struct buf_rd rd;
	cJSON *j;
	char *copy;
	size_t d;

	buf_rd_init(&rd, line, n);
	if (n == 0 || buf_find(&rd, 0, &d) == 0)  /* an embedded NUL would cut the text */
		return NULL;
	if ((copy = malloc(n + 1)) == NULL)
		return NULL;
	if (buf_get_copy(&rd, copy, n) != 0) {
		free(copy);
		return NULL;
	}
	copy[n] = '\0';
	j = cJSON_ParseWithOpts(copy, NULL, 1);
	free(copy);
	if (j != NULL && !cJSON_IsObject(j)) {
		cJSON_Delete(j);
		j = NULL;
	}
	return j;
}

static const char *
json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) && v->valuestring != NULL ? v->valuestring : NULL;
}

static int
put_utf8(struct buf_wr *wr, uint32_t cp)
{
	uint8_t b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (uint8_t)cp; n = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xc0 | (cp >> 6)); b[1] = (uint8_t)(0x80 | (cp & 0x3f)); n = 2;
	} else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xe0 | (cp >> 12)); b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp & 0x3f)); n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | (cp >> 18)); b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f)); b[3] = (uint8_t)(0x80 | (cp & 0x3f)); n = 4;
	}
	return buf_put(wr, b, n);
}

/*
 * One line of text for a picker: valid UTF-8 only, control characters and
 * whitespace runs become one space, cut at a character boundary.
 */
static char *
preview_text(const char *s)
{
	struct buf_rd rd;
	struct buf_wr wr;
	uint32_t cp;
	uint8_t *p = NULL;
	size_t len;
	int space = 0;

	buf_rd_init(&rd, s, strlen(s));
	buf_wr_init(&wr, SESSION_PREVIEW_MAX);
	while (buf_remaining(&rd) > 0) {
		if (utf8_next(&rd, &cp) != 0 || cp <= 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			space = 1;
			continue;
		}
		if (space && buf_wr_len(&wr) > 0 && buf_put_u8(&wr, ' ') != 0)
			break;
		space = 0;
		if (put_utf8(&wr, cp) != 0)
			break;  /* full */
	}
	if (buf_wr_len(&wr) == 0 || buf_wr_detach(&wr, &p, &len) != 0)
		p = NULL;
	buf_wr_free(&wr);
	return (char *)p;
}

static const char *
user_prompt(const cJSON *j)
{
	const cJSON *msg, *content, *blk;
	const char *t;

	if ((t = json_str(j, "type")) == NULL || strcmp(t, "user") != 0)
		return NULL;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "isMeta")) ||
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "isSidechain")))
		return NULL;
	msg = cJSON_GetObjectItemCaseSensitive(j, "message");
	content = cJSON_GetObjectItemCaseSensitive(msg, "content");
	if (cJSON_IsString(content))
		t = content->valuestring;
	else {
		t = NULL;
		cJSON_ArrayForEach(blk, content) {
			const char *bt = json_str(blk, "type");
			if (bt != NULL && strcmp(bt, "text") == 0 && (t = json_str(blk, "text")) != NULL)
				break;
		}
	}
	/* Slash-command echoes and system tags are not what the user typed. */
	if (t == NULL || t[0] == '<' || t[0] == '\0')
		return NULL;
	return t;
}

static int
head_line(struct session_head *h, const uint8_t *line, size_t n)
{
	cJSON *j;
	const char *s;
	int r = 0;

	if ((j = session_json_parse(line, n)) == NULL)
		return 0;
	if (h->cwd == NULL && (s = json_str(j, "cwd")) != NULL && session_path_ok(s)) {
		if ((h->cwd = strdup(s)) == NULL) {
			r = CCL_ERR_NOMEM;
			goto out;
		}
		if ((s = json_str(j, "sessionId")) != NULL && session_id_is_uuid(s) &&
		    (h->session_id = strdup(s)) == NULL) {
			r = CCL_ERR_NOMEM;
			goto out;
		}
	}
	if (h->preview == NULL && (s = user_prompt(j)) != NULL)
		h->preview = preview_text(s);
	r = 0;
 out:
	cJSON_Delete(j);
	return r;
}

int
session_head_parse(struct session_head *h, const uint8_t *p, size_t n, int at_eof)
{
	struct buf_rd rd;
	const uint8_t *line;
	size_t d, len;
	int r;

	if (h->done || h->off > n)
		return 0;
	buf_rd_init(&rd, p, n);
	if ((r = buf_seek(&rd, h->off)) != 0)
		return r;
	while (h->lines < SESSION_HEAD_LINES && !(h->cwd != NULL && h->preview != NULL)) {
		if (buf_find(&rd, '\n', &d) == 0) {
			if ((r = buf_get_bytes(&rd, d, &line)) != 0 || (r = buf_skip(&rd, 1)) != 0)
				return r;
			len = d;
		} else if (at_eof && buf_remaining(&rd) > 0) {
			len = buf_remaining(&rd);
			if ((r = buf_get_bytes(&rd, len, &line)) != 0)
				return r;
		} else
			break;
		h->lines++;
		if (len <= SESSION_HEAD_MAX && (r = head_line(h, line, len)) != 0)
			return r;
	}
	h->off = buf_offset(&rd);
	if (h->lines >= SESSION_HEAD_LINES || (h->cwd != NULL && h->preview != NULL))
		h->done = 1;
	return 0;
}

void
session_head_cleanup(struct session_head *h)
{
	free(h->cwd);
	free(h->session_id);
	free(h->preview);
	memset(h, 0, sizeof(*h));
}

int
session_tail_title(const uint8_t *p, size_t n, int partial, char **title)
{
	struct buf_rd rd;
	const uint8_t *line;
	const char *t, *v;
	cJSON *j;
	size_t d, len;
	char *keep = NULL;
	int r;

	*title = NULL;
	buf_rd_init(&rd, p, n);
	if (partial) {
		if (buf_find(&rd, '\n', &d) != 0 || buf_skip(&rd, d + 1) != 0)
			return 0;
	}
	while (buf_remaining(&rd) > 0) {
		if (buf_find(&rd, '\n', &d) != 0)
			d = buf_remaining(&rd);  /* the file's last line */
		if ((r = buf_get_bytes(&rd, d, &line)) != 0)
			break;
		len = d;
		if (buf_remaining(&rd) > 0 && buf_skip(&rd, 1) != 0)
			break;
		if (!line_has(line, len, "\"custom-title\"") || (j = session_json_parse(line, len)) == NULL)
			continue;
		t = json_str(j, "type");
		v = json_str(j, "customTitle");
		if (t != NULL && strcmp(t, "custom-title") == 0 && v != NULL && v[0] != '\0' &&
		    session_text_ok(v, SESSION_TITLE_MAX)) {
			free(keep);
			if ((keep = strdup(v)) == NULL) {
				cJSON_Delete(j);
				return CCL_ERR_NOMEM;
			}
		}
		cJSON_Delete(j);
	}
	*title = keep;
	return 0;
}

static int
read_head(int fd, uint64_t size, struct session_head *h)
{
	uint8_t *buf = NULL, *nb;
	size_t cap = 0, len = 0, want;
	ssize_t got;
	int eof = 0, r = 0;

	while (!h->done && !eof && h->cwd == NULL && len < SESSION_HEAD_MAX) {
		want = SESSION_HEAD_CHUNK;
		if (want > SESSION_HEAD_MAX - len)
			want = SESSION_HEAD_MAX - len;
		if (len + want > cap) {
			if ((nb = realloc(buf, len + want)) == NULL) {
				r = CCL_ERR_NOMEM;
				break;
			}
			buf = nb;
			cap = len + want;
		}
		got = pread(fd, buf + len, want, (off_t)len);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			r = CCL_ERR_SYSTEM;
			break;
		}
		len += (size_t)got;
		eof = got == 0 || (uint64_t)len >= size;
		if ((r = session_head_parse(h, buf, len, eof)) != 0)
			break;
	}
	free(buf);
	return r;
}

static int
read_tail(int fd, uint64_t size, char **title)
{
	uint8_t *buf;
	size_t want = size > SESSION_TAIL_MAX ? SESSION_TAIL_MAX : (size_t)size, len = 0;
	ssize_t got;
	int r;

	*title = NULL;
	if ((buf = malloc(want + 1)) == NULL)
		return CCL_ERR_NOMEM;
	while (len < want) {
		got = pread(fd, buf + len, want - len, (off_t)(size - want + len));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	r = session_tail_title(buf, len, size > want, title);
	free(buf);
	return r;
}

void
session_info_cleanup(struct session_info *s)
{
	if (s == NULL)
		return;
	free(s->id);
	free(s->project);
	free(s->transcript);
	free(s->title);
	free(s->preview);
	memset(s, 0, sizeof(*s));
}

static int
dup_opt(const char *s, char **out)
{
	*out = NULL;
	if (s != NULL && (*out = strdup(s)) == NULL)
		return CCL_ERR_NOMEM;
	return 0;
}

int
session_info_dup(const struct session_info *src, struct session_info *dst)
{
	struct session_info t;
	int r;

	memset(dst, 0, sizeof(*dst));
	memset(&t, 0, sizeof(t));
	if ((r = dup_opt(src->id, &t.id)) != 0 || (r = dup_opt(src->project, &t.project)) != 0 ||
	    (r = dup_opt(src->transcript, &t.transcript)) != 0 ||
	    (r = dup_opt(src->title, &t.title)) != 0 || (r = dup_opt(src->preview, &t.preview)) != 0)
		goto out;
	t.mtime = src->mtime;
	t.mtime_nsec = src->mtime_nsec;
	t.size = src->size;
	t.via = src->via;
	t.flags = src->flags;
	*dst = t;
	memset(&t, 0, sizeof(t));
	r = 0;
 out:
	session_info_cleanup(&t);
	return r;
}

int
session_transcript_load(const char *path, struct session_info *out)
{
	struct session_info t;
	struct session_head h;
	struct stat st;
	const char *base;
	size_t bl;
	int fd = -1, r;

	memset(out, 0, sizeof(*out));
	memset(&t, 0, sizeof(t));
	memset(&h, 0, sizeof(h));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		r = errno == ENOENT || errno == ENOTDIR ? CCL_ERR_NOT_FOUND : CCL_ERR_SYSTEM;
		goto out;
	}
	if (fstat(fd, &st) != 0) {
		r = CCL_ERR_SYSTEM;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0) {
		r = CCL_ERR_NOT_FOUND;  /* Claude treats an empty transcript as absent */
		goto out;
	}
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	bl = strlen(base);
	if (bl > 6 && strcmp(base + bl - 6, ".jsonl") == 0)
		bl -= 6;
	if ((t.id = strndup(base, bl)) == NULL || (t.transcript = strdup(path)) == NULL) {
		r = CCL_ERR_NOMEM;
		goto out;
	}
	t.size = (uint64_t)st.st_size;
	t.mtime = st.st_mtim.tv_sec;
	t.mtime_nsec = st.st_mtim.tv_nsec;
	if ((r = read_head(fd, t.size, &h)) != 0 || (r = read_tail(fd, t.size, &t.title)) != 0)
		goto out;
	t.project = h.cwd;
	t.preview = h.preview;
	h.cwd = h.preview = NULL;
	*out = t;
	memset(&t, 0, sizeof(t));
	r = 0;
 out:
	if (fd >= 0)
		close(fd);
	session_head_cleanup(&h);
	session_info_cleanup(&t);
	return r;
}

/* ---- lists ---- */

int
session_list_push(struct session_list *l, const struct session_info *s)
{
	struct session_info *nv;
	int r;

	if (l->n >= SIZE_MAX / sizeof(*nv) - 1)
		return CCL_ERR_TOO_LARGE;
	if ((nv = realloc(l->v, (l->n + 1) * sizeof(*nv))) == NULL)
		return CCL_ERR_NOMEM;
	l->v = nv;
	if ((r = session_info_dup(s, &l->v[l->n])) != 0)
		return r;
	l->n++;
	return 0;
}

static int
newer_first(const void *a, const void *b)
{
	const struct session_info *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime > y->mtime ? -1 : 1;
	if (x->mtime_nsec != y->mtime_nsec)
		return x->mtime_nsec > y->mtime_nsec ? -1 : 1;
	return strcmp(x->id != NULL ? x->id : "", y->id != NULL ? y->id : "");
}

void
session_list_sort(struct session_list *l)
{
	size_t i;

	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), newer_first);
	for (i = 0; i < l->n && l->v[0].mtime - l->v[i].mtime <= SESSION_RECENT_SECS; i++)
		;
	l->n_recent = i;
}

void
session_list_cleanup(struct session_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		session_info_cleanup(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
