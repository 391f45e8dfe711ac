/* SPDX-License-Identifier: MIT */
/*
 * test_bundle.c — the session bundle: header parse/encode (well-formed,
 * malformed, over every cap, truncated at every length, mutated), the path
 * rule, collect + send, and receive into a temporary Claude root (new,
 * kept, replaced, diverged, forced; hash mismatch, truncation, trailing
 * bytes and symlinks write nothing).
 */
#define _GNU_SOURCE
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include "testutil.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>

#include <sodium.h>

#include "bundle.h"
#include "bundle_io.h"
#include "session.h"

#define SID "11111111-2222-4333-8444-555555555555"
#define SID2 "11111111-2222-4333-8444-666666666666"
#define ZERO64 "0000000000000000000000000000000000000000000000000000000000000000"

static int
parse_str(const char *s, struct bundle_header *h, size_t *used)
{
	return bundle_header_parse((const uint8_t *)s, strlen(s), h, used);
}

static void
test_parse_ok(void **state)
{
	struct bundle_header h;
	size_t used;
	const char *s = "cclink-bundle 1\nsession " SID "\nproject /home/u/p q\n"
	    "file 5 " ZERO64 " " SID ".jsonl\n"
	    "file 0 " ZERO64 " " SID "/subagents/agent-1.jsonl\n"
	    "file 12 " ZERO64 " " SID "/tool-results/toolu_9.txt\n"
	    "end\nDATA";

	(void)state;
	assert_int_equal(parse_str(s, &h, &used), 0);
	assert_string_equal(h.session_id, SID);
	assert_string_equal(h.project, "/home/u/p q");
	assert_int_equal(h.n_files, 3);
	assert_int_equal(h.total, 17);
	assert_string_equal(h.files[2].path, SID "/tool-results/toolu_9.txt");
	assert_int_equal(used, strlen(s) - 4);
	bundle_header_cleanup(&h);
	bundle_header_cleanup(&h);  /* twice is harmless */
}

static void
expect(const char *files, int want)
{
	struct bundle_header h;
	size_t used;
	char buf[8192];

	snprintf(buf, sizeof(buf), "cclink-bundle 1\nsession " SID "\nproject /p\n%send\n", files);
	assert_int_equal(parse_str(buf, &h, &used), want);
	assert_null(h.files);
	assert_int_equal(used, 0);
}

static void
test_parse_bad(void **state)
{
	struct bundle_header h;
	size_t used;
	const char *f0 = "file 1 " ZERO64 " " SID ".jsonl\n";
	char buf[8192];

	(void)state;
	assert_int_equal(parse_str("cclink-bundle 2\n", &h, &used), CCL_ERR_UNSUPPORTED);
	assert_int_equal(parse_str("cclink-bundle 1x\n", &h, &used), CCL_ERR_UNSUPPORTED);
	assert_int_equal(parse_str("tar\n", &h, &used), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("cclink-bundle 1\nsession 1234\n", &h, &used), CCL_ERR_FORMAT);
	assert_int_equal(parse_str("cclink-bundle 1\nsession " SID "\nproject rel/p\n", &h, &used),
	    CCL_ERR_FORMAT);
	assert_int_equal(parse_str("cclink-bundle 1\nsession " SID "\nproject /a\x1b[2J\n", &h, &used),
	    CCL_ERR_FORMAT);
	assert_int_equal(parse_str("cclink-bundle 1\nproject /p\nsession " SID "\n", &h, &used),
	    CCL_ERR_FORMAT);
	expect("", CCL_ERR_FORMAT);  /* no files */
	/* The first file must be the transcript. */
	expect("file 1 " ZERO64 " " SID "/a.txt\n", CCL_ERR_FORMAT);
	expect("file 1 " ZERO64 " " SID2 ".jsonl\n", CCL_ERR_FORMAT);
	/* Paths that would leave the folder, or are not plain. */
	{
		static const char *const bad[] = {
			SID "/../x", SID "/./x", SID "/a/../../x", "/etc/passwd", "../" SID ".jsonl",
			SID "/", SID "//x", SID "/.hidden", SID "/a b", SID "/a\\b", SID "/x\x01",
			SID "/\xc3\xa9", SID ".jsonl/x", SID "x", SID "/1/2/3/4/5/6/7/8/9",
			SID2 "/x", "x/" SID ".jsonl",
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			snprintf(buf, sizeof(buf), "%sfile 1 " ZERO64 " %s\n", f0, bad[i]);
			expect(buf, CCL_ERR_FORMAT);
		}
	}
	/* Sizes and hashes. */
	snprintf(buf, sizeof(buf), "%sfile 01 " ZERO64 " " SID "/a\n", f0);
	expect(buf, CCL_ERR_FORMAT);
	snprintf(buf, sizeof(buf), "%sfile -1 " ZERO64 " " SID "/a\n", f0);
	expect(buf, CCL_ERR_FORMAT);
	snprintf(buf, sizeof(buf), "%sfile 1 %.63s " SID "/a\n", f0, ZERO64);
	expect(buf, CCL_ERR_FORMAT);
	snprintf(buf, sizeof(buf), "%sfile 1 A%.63s " SID "/a\n", f0, ZERO64);
	expect(buf, CCL_ERR_FORMAT);
	snprintf(buf, sizeof(buf), "%sfile 1 " ZERO64 "  " SID "/a\n", f0);
	expect(buf, CCL_ERR_FORMAT);
	snprintf(buf, sizeof(buf), "%sfile 99999999999999999999999 " ZERO64 " " SID "/a\n", f0);
	expect(buf, CCL_ERR_TOO_LARGE);
	snprintf(buf, sizeof(buf), "%sfile %llu " ZERO64 " " SID "/a\n", f0, BUNDLE_FILE_MAX + 1);
	expect(buf, CCL_ERR_TOO_LARGE);
	snprintf(buf, sizeof(buf), "file %llu " ZERO64 " " SID ".jsonl\nfile %llu " ZERO64 " " SID
	    "/a\nfile %llu " ZERO64 " " SID "/b\nfile %llu " ZERO64 " " SID "/c\nfile %llu " ZERO64 " "
	    SID "/d\n", BUNDLE_FILE_MAX, BUNDLE_FILE_MAX, BUNDLE_FILE_MAX, BUNDLE_FILE_MAX, 1ULL);
	expect(buf, CCL_ERR_TOO_LARGE);  /* the total */
	/* Duplicates and order. */
	snprintf(buf, sizeof(buf), "%sfile 1 " ZERO64 " " SID "/a\nfile 1 " ZERO64 " " SID "/a\n", f0);
	expect(buf, CCL_ERR_FORMAT);
	snprintf(buf, sizeof(buf), "%sfile 1 " ZERO64 " " SID "/b\nfile 1 " ZERO64 " " SID "/a\n", f0);
	expect(buf, CCL_ERR_FORMAT);
	snprintf(buf, sizeof(buf), "%s%s", f0, f0);
	expect(buf, CCL_ERR_FORMAT);
	snprintf(buf, sizeof(buf), "%sfiles 1 x\n", f0);
	expect(buf, CCL_ERR_FORMAT);
	/* A NUL inside a line. */
	{
		char nul[] = "cclink-bundle 1\nsession " SID "\nproject /p\0q\nend\n";

		assert_int_equal(bundle_header_parse((const uint8_t *)nul, sizeof(nul) - 1, &h, &used),
		    CCL_ERR_FORMAT);
	}
}

static void
test_parse_caps(void **state)
{
	struct bundle_header h;
	size_t used, n, i;
	char *big;

	(void)state;
	/* A line over BUNDLE_LINE_MAX. */
	big = malloc(BUNDLE_LINE_MAX + 256);
	assert_non_null(big);
	n = (size_t)snprintf(big, 256, "cclink-bundle 1\nsession " SID "\nproject /");
	memset(big + n, 'a', BUNDLE_LINE_MAX);
	big[n + BUNDLE_LINE_MAX] = '\n';
	assert_int_equal(bundle_header_parse((uint8_t *)big, n + BUNDLE_LINE_MAX + 1, &h, &used),
	    CCL_ERR_TOO_LARGE);
	free(big);
	/* More than BUNDLE_MAX_FILES files. */
	big = malloc(BUNDLE_HEADER_MAX);
	assert_non_null(big);
	n = (size_t)snprintf(big, 200, "cclink-bundle 1\nsession " SID "\nproject /p\nfile 0 " ZERO64
	    " " SID ".jsonl\n");
	for (i = 0; i < BUNDLE_MAX_FILES; i++)
		n += (size_t)snprintf(big + n, 200, "file 0 " ZERO64 " " SID "/f%06zu\n", i);
	n += (size_t)snprintf(big + n, 8, "end\n");
	assert_int_equal(bundle_header_parse((uint8_t *)big, n, &h, &used), CCL_ERR_TOO_LARGE);
	/* A header that never ends, up to the cap: too large, not "read more". */
	memset(big, 'x', BUNDLE_HEADER_MAX);
	memcpy(big, "cclink-bundle 1\nsession " SID "\nproject /p\n", 60);
	for (i = 100; i < BUNDLE_HEADER_MAX; i += 100)
		big[i] = '\n';
	assert_int_not_equal(bundle_header_parse((uint8_t *)big, BUNDLE_HEADER_MAX, &h, &used), 0);
	free(big);
}

static void
make_header(struct bundle_header *h)
{
	memset(h, 0, sizeof(*h));
	h->session_id = strdup(SID);
	h->project = strdup("/srv/x");
	h->n_files = 3;
	h->files = calloc(3, sizeof(*h->files));
	h->files[0].path = strdup(SID ".jsonl");
	h->files[1].path = strdup(SID "/z");
	h->files[2].path = strdup(SID "/a/b");
	h->files[0].size = 10;
	h->files[1].size = 0;
	h->files[2].size = 7;
	h->files[2].sha256[31] = 0xab;
	bundle_files_sort(h->files, h->n_files);
}

static void
test_roundtrip_and_truncation(void **state)
{
	struct bundle_header h, g;
	char *enc = NULL;
	uint8_t *mut;
	size_t len, used, i, k;
	int r;

	(void)state;
	make_header(&h);
	assert_string_equal(h.files[1].path, SID "/a/b");  /* sorted after the transcript */
	assert_int_equal(bundle_header_encode(&h, &enc, &len), 0);
	assert_int_equal(bundle_header_parse((uint8_t *)enc, len, &g, &used), 0);
	assert_int_equal(used, len);
	assert_int_equal(g.n_files, 3);
	assert_memory_equal(g.files[1].sha256, h.files[1].sha256, 32);
	bundle_header_cleanup(&g);
	/* Every proper prefix: not complete yet (or malformed), never a success. */
	for (i = 0; i < len; i++) {
		r = bundle_header_parse((uint8_t *)enc, i, &g, &used);
		assert_true(r == CCL_ERR_TRUNCATED || r == CCL_ERR_FORMAT);
	}
	/* Byte flips: clean failures, or a header that still satisfies the rules. */
	mut = malloc(len);
	assert_non_null(mut);
	for (i = 0; i < len; i++) {
		for (k = 0; k < 8; k++) {
			memcpy(mut, enc, len);
			mut[i] ^= (uint8_t)(1u << k);
			if (bundle_header_parse(mut, len, &g, &used) == 0) {
				assert_true(bundle_path_ok(g.session_id, g.files[0].path));
				assert_non_null(strstr(g.files[0].path, ".jsonl"));
				bundle_header_cleanup(&g);
			}
		}
	}
	free(mut);
	free(enc);
	bundle_header_cleanup(&h);
}

/* ---- collect, send, receive against temp directories ---- */

struct fx {
	char tmp[PATH_MAX];
	char home[PATH_MAX + 16];
	char root[PATH_MAX + 32];
	char proj[PATH_MAX + 32];
	char folder[PATH_MAX * 2];
	struct session_env env;
};

static int
rm_cb(const char *p, const struct stat *st, int f, struct FTW *w)
{
	(void)st;
	(void)w;
	return f == FTW_DP ? rmdir(p) : unlink(p);
}

static void
write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(data, f);
	fclose(f);
}

static char *
read_all(const char *path)
{
	size_t n;

	return (char *)th_read_file(path, &n);
}

static int
fx_setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	char *name = NULL;

	assert_non_null(x);
	snprintf(x->tmp, sizeof(x->tmp), "/tmp/test_bundle.XXXXXX");
	assert_non_null(mkdtemp(x->tmp));
	snprintf(x->home, sizeof(x->home), "%s/h", x->tmp);
	snprintf(x->root, sizeof(x->root), "%s/.claude", x->home);
	snprintf(x->proj, sizeof(x->proj), "%s/proj", x->home);
	assert_int_equal(mkdir(x->home, 0700), 0);
	assert_int_equal(mkdir(x->proj, 0700), 0);
	assert_int_equal(session_sanitize_path(x->proj, &name), 0);
	snprintf(x->folder, sizeof(x->folder), "%s/projects/%s", x->root, name);
	free(name);
	x->env.root = x->root;
	x->env.home = x->home;
	*state = x;
	return 0;
}

static int
fx_teardown(void **state)
{
	struct fx *x = *state;

	nftw(x->tmp, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(x);
	return 0;
}

/* Feed bytes to bundle_recv through a pipe. */
static int
recv_bytes(struct fx *x, const void *p, size_t n, int force, struct bundle_recv_result *res)
{
	struct bundle_recv_opts o;
	int fds[2], r;

	assert_true(n < 60000);  /* fits in a pipe */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], p, n), (ssize_t)n);
	close(fds[1]);
	memset(&o, 0, sizeof(o));
	o.env = &x->env;
	o.force = force;
	r = bundle_recv(fds[0], &o, res);
	close(fds[0]);
	return r;
}

/* A bundle of files {transcript, SID/sub/a.txt} with the given contents, as bytes. */
static char *
mk_bundle(const char *proj, const char *t, const char *a, size_t *len)
{
	char ht[65], ha[65], *b;
	uint8_t d[32];

	crypto_hash_sha256(d, (const uint8_t *)t, strlen(t));
	for (int i = 0; i < 32; i++)
		sprintf(ht + 2 * i, "%02x", d[i]);
	crypto_hash_sha256(d, (const uint8_t *)a, strlen(a));
	for (int i = 0; i < 32; i++)
		sprintf(ha + 2 * i, "%02x", d[i]);
	assert_true(asprintf(&b, "cclink-bundle 1\nsession " SID "\nproject %s\nfile %zu %s " SID
	    ".jsonl\nfile %zu %s " SID "/sub/a.txt\nend\n%s%s", proj, strlen(t), ht, strlen(a), ha,
	    t, a) > 0);
	*len = strlen(b);
	return b;
}

static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_recv_outcomes(void **state)
{
	struct fx *x = *state;
	struct bundle_recv_result res;
	char path[PATH_MAX * 3], *b, *got;
	size_t len;
	struct stat st;

	b = mk_bundle(x->proj, "l1\nl2\n", "tool", &len);
	assert_int_equal(recv_bytes(x, b, len, 0, &res), 0);
	assert_int_equal(res.outcome, BUNDLE_NEW);
	assert_string_equal(res.folder, x->folder);
	bundle_recv_result_cleanup(&res);
	snprintf(path, sizeof(path), "%s/" SID ".jsonl", x->folder);
	assert_string_equal((got = read_all(path)), "l1\nl2\n");
	free(got);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	snprintf(path, sizeof(path), "%s/" SID "/sub/a.txt", x->folder);
	assert_string_equal((got = read_all(path)), "tool");
	free(got);
	assert_int_equal(count_entries(x->folder), 2);  /* no staging left */
	free(b);
	/* The same again, and a prefix of it: kept. */
	b = mk_bundle(x->proj, "l1\n", "other", &len);
	assert_int_equal(recv_bytes(x, b, len, 0, &res), 0);
	assert_int_equal(res.outcome, BUNDLE_KEPT);
	bundle_recv_result_cleanup(&res);
	snprintf(path, sizeof(path), "%s/" SID "/sub/a.txt", x->folder);
	assert_string_equal((got = read_all(path)), "tool");  /* untouched */
	free(got);
	free(b);
	/* Ours is a prefix of the incoming one: replaced. */
	b = mk_bundle(x->proj, "l1\nl2\nl3\n", "tool2", &len);
	assert_int_equal(recv_bytes(x, b, len, 0, &res), 0);
	assert_int_equal(res.outcome, BUNDLE_REPLACED);
	bundle_recv_result_cleanup(&res);
	snprintf(path, sizeof(path), "%s/" SID ".jsonl", x->folder);
	assert_string_equal((got = read_all(path)), "l1\nl2\nl3\n");
	free(got);
	free(b);
	/* Diverged: nothing written; --force replaces. */
	b = mk_bundle(x->proj, "l1\nXX\n", "tool3", &len);
	assert_int_equal(recv_bytes(x, b, len, 0, &res), 0);
	assert_int_equal(res.outcome, BUNDLE_DIVERGED);
	assert_int_equal(res.diverge_at, 3);
	assert_int_equal(res.here_size, 9);
	bundle_recv_result_cleanup(&res);
	assert_string_equal((got = read_all(path)), "l1\nl2\nl3\n");
	free(got);
	assert_int_equal(recv_bytes(x, b, len, 1, &res), 0);
	assert_int_equal(res.outcome, BUNDLE_REPLACED);
	bundle_recv_result_cleanup(&res);
	assert_string_equal((got = read_all(path)), "l1\nXX\n");
	free(got);
	assert_int_equal(count_entries(x->folder), 2);
	free(b);
}

static void
test_recv_refusals(void **state)
{
	struct fx *x = *state;
	struct bundle_recv_result res;
	char path[PATH_MAX * 3], *b, *bad;
	size_t len, i;

	b = mk_bundle(x->proj, "transcript\n", "tool", &len);
	/* Truncated anywhere: nothing written. */
	for (i = 0; i < len; i += 7) {
		assert_int_not_equal(recv_bytes(x, b, i, 0, &res), 0);
		bundle_recv_result_cleanup(&res);
		assert_true(count_entries(x->folder) <= 0);
	}
	/* A flipped data byte: hash mismatch. */
	bad = strdup(b);
	bad[len - 2] ^= 1;
	assert_int_equal(recv_bytes(x, bad, len, 0, &res), CCL_ERR_MAC_INVALID);
	bundle_recv_result_cleanup(&res);
	assert_true(count_entries(x->folder) <= 0);
	free(bad);
	/* Trailing bytes. */
	bad = malloc(len + 2);
	memcpy(bad, b, len);
	memcpy(bad + len, "zz", 2);
	assert_int_equal(recv_bytes(x, bad, len + 2, 0, &res), CCL_ERR_TRAILING);
	bundle_recv_result_cleanup(&res);
	assert_true(count_entries(x->folder) <= 0);
	free(bad);
	/* A project that does not exist here. */
	free(b);
	b = mk_bundle("/nonexistent/cclink/proj", "t\n", "a", &len);
	assert_int_equal(recv_bytes(x, b, len, 0, &res), CCL_ERR_NOT_FOUND);
	assert_int_equal(res.parsed, 1);
	bundle_recv_result_cleanup(&res);
	free(b);
	/* A symlink where the session folder goes: refused, its target untouched. */
	b = mk_bundle(x->proj, "transcript\n", "tool", &len);
	mkdir(x->root, 0700);
	snprintf(path, sizeof(path), "%s/projects", x->root);
	mkdir(path, 0700);
	mkdir(x->folder, 0700);
	snprintf(path, sizeof(path), "%s/" SID, x->folder);
	assert_int_equal(symlink(x->tmp, path), 0);
	assert_int_equal(recv_bytes(x, b, len, 0, &res), CCL_ERR_EXISTS);
	bundle_recv_result_cleanup(&res);
	snprintf(path, sizeof(path), "%s/sub", x->tmp);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/" SID ".jsonl", x->folder);
	assert_int_equal(access(path, F_OK), -1);
	/* A symlinked transcript: refused too. */
	snprintf(path, sizeof(path), "%s/" SID, x->folder);
	unlink(path);
	snprintf(path, sizeof(path), "%s/" SID ".jsonl", x->folder);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(recv_bytes(x, b, len, 1, &res), CCL_ERR_EXISTS);
	bundle_recv_result_cleanup(&res);
	assert_int_equal(count_entries(x->folder), 1);
	free(b);
}

static void
test_collect_send(void **state)
{
	struct fx *x = *state;
	struct bundle_header h;
	struct bundle_recv_result res;
	char path[PATH_MAX * 3], *buf;
	size_t skipped, n;
	int fds[2];
	struct bundle_recv_opts o;
	struct fx y;

	assert_int_equal(mkdir(x->root, 0700), 0);
	snprintf(path, sizeof(path), "%s/projects", x->root);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(mkdir(x->folder, 0700), 0);
	assert_int_equal(bundle_collect(x->folder, SID, x->proj, &h, &skipped), CCL_ERR_NOT_FOUND);
	snprintf(path, sizeof(path), "%s/" SID ".jsonl", x->folder);
	write_file(path, "{\"a\":1}\n");
	snprintf(path, sizeof(path), "%s/" SID, x->folder);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/" SID "/b.txt", x->folder);
	write_file(path, "bee");
	snprintf(path, sizeof(path), "%s/" SID "/a b.txt", x->folder);  /* unusual name: skipped */
	write_file(path, "x");
	snprintf(path, sizeof(path), "%s/" SID "/l", x->folder);
	assert_int_equal(symlink("/etc/passwd", path), 0);  /* link: skipped */
	assert_int_equal(bundle_collect(x->folder, SID, x->proj, &h, &skipped), 0);
	assert_int_equal(h.n_files, 2);
	assert_int_equal(skipped, 2);
	/* Send into a pipe, receive into a second root. */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(bundle_send(fds[1], x->folder, &h), 0);
	close(fds[1]);
	memset(&y, 0, sizeof(y));
	snprintf(y.root, sizeof(y.root), "%s/root2", x->tmp);
	y.env.root = y.root;
	y.env.home = x->home;
	memset(&o, 0, sizeof(o));
	o.env = &y.env;
	assert_int_equal(bundle_recv(fds[0], &o, &res), 0);
	close(fds[0]);
	assert_int_equal(res.outcome, BUNDLE_NEW);
	snprintf(path, sizeof(path), "%s/" SID "/b.txt", res.folder);
	buf = (char *)th_read_file(path, &n);
	assert_string_equal(buf, "bee");
	free(buf);
	bundle_recv_result_cleanup(&res);
	/* The transcript changed (not appended) between collect and send: refused. */
	snprintf(path, sizeof(path), "%s/" SID ".jsonl", x->folder);
	write_file(path, "{\"b\":2}\nmore\n");
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(bundle_send(fds[1], x->folder, &h), CCL_ERR_CONFLICT);
	close(fds[1]);
	close(fds[0]);
	bundle_header_cleanup(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_caps),
		cmocka_unit_test(test_roundtrip_and_truncation),
		cmocka_unit_test_setup_teardown(test_recv_outcomes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_recv_refusals, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_collect_send, fx_setup, fx_teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
