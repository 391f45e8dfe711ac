/* SPDX-License-Identifier: MIT */
/* test_statedir.c — the state directory's paths and the saved packet copy. */
#include "testutil.h"
#include <sodium.h>

#include "dns.h"
#include "fsutil.h"
#include "signer.h"
#include "statedir.h"
#include "z32.h"

static char tmpl[] = "/tmp/cclink-statedir-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || mkdtemp(tmpl) == NULL)
		return 1;
	setenv("XDG_STATE_HOME", tmpl, 1);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	return system(cmd) != 0;
}

/* A signed packet of seed byte b holding one TXT record. */
static void
make_packet(struct pkarr_packet *p, uint8_t b, uint64_t ts)
{
	struct signer s;
	struct dns_packet *d = NULL;
	uint8_t seed[32];
	char z[Z32_KEY_LEN + 1];

	memset(seed, b, sizeof(seed));
	assert_int_equal(signer_from_seed(&s, seed), 0);
	z32_encode(z, s.pk, 32);
	assert_int_equal(dns_packet_new(&d), 0);
	assert_int_equal(dns_add_txt(d, "_other", z, 300, "x=1", 3), 0);
	assert_int_equal(pkarr_build_dns(p, &s, ts, d), 0);
	dns_packet_free(d);
	signer_cleanup(&s);
}

static void
test_paths(void **state)
{
	uint8_t pk[32];
	char *p = NULL, want[256], z[Z32_KEY_LEN + 1];
	const char *home = getenv("HOME");

	(void)state;
	memset(pk, 7, sizeof(pk));
	z32_encode(z, pk, 32);
	assert_int_equal(statedir_path(STATEDIR_LOCK, pk, &p), 0);
	snprintf(want, sizeof(want), "%s/cclink/keeper-%s.lock", tmpl, z);
	assert_string_equal(p, want);
	free(p);
	assert_int_equal(statedir_path(STATEDIR_KEPT, pk, &p), 0);
	snprintf(want, sizeof(want), "%s/cclink/packet-%s.kept", tmpl, z);
	assert_string_equal(p, want);
	free(p);
	assert_int_equal(statedir_path((enum statedir_file)99, pk, &p), CCL_ERR_INVALID_ARG);
	assert_null(p);
	/* A relative XDG_STATE_HOME is ignored: ~/.local/state. */
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", "/home/u", 1);
	assert_int_equal(statedir_dir(&p), 0);
	assert_string_equal(p, "/home/u/.local/state/cclink");
	free(p);
	setenv("HOME", "nope", 1);
	assert_int_equal(statedir_dir(&p), CCL_ERR_CONFIG);
	assert_null(p);
	if (home != NULL)
		setenv("HOME", home, 1);
	setenv("XDG_STATE_HOME", tmpl, 1);
}

static void
test_save_load(void **state)
{
	struct pkarr_packet a, b, got;
	char *path = NULL, *kpath = NULL;
	struct stat st;
	int kept = -1;

	(void)state;
	make_packet(&a, 0x11, 1700000000000000ULL);
	make_packet(&b, 0x22, 1700000000000001ULL);
	assert_int_equal(statedir_load_packet(a.pk, &got, &kept), CCL_ERR_NOT_FOUND);
	assert_int_equal(statedir_save_packet(&a, 1), 0);
	assert_int_equal(statedir_load_packet(a.pk, &got, &kept), 0);
	assert_int_equal(pkarr_cmp(&got, &a), 0);
	assert_int_equal(kept, 1);
	assert_int_equal(statedir_path(STATEDIR_PACKET, a.pk, &path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Saved again without keep: the flag goes. */
	a.ts++;
	make_packet(&a, 0x11, a.ts);
	assert_int_equal(statedir_save_packet(&a, 0), 0);
	assert_int_equal(statedir_load_packet(a.pk, &got, NULL), 0);
	assert_int_equal(statedir_load_packet(a.pk, &got, &kept), 0);
	assert_int_equal(kept, 0);
	assert_int_equal(got.ts, a.ts);
	assert_int_equal(statedir_path(STATEDIR_KEPT, a.pk, &kpath), 0);
	assert_false(fs_exists(kpath));
	free(path);
	free(kpath);
	(void)b;
}

static void
test_damaged(void **state)
{
	struct pkarr_packet a, b, got;
	struct buf_wr wr;
	char *path = NULL;
	uint8_t junk[2000];
	size_t i, n;

	(void)state;
	make_packet(&a, 0x33, 1700000000000000ULL);
	make_packet(&b, 0x44, 1700000000000000ULL);
	assert_int_equal(statedir_save_packet(&a, 0), 0);
	assert_int_equal(statedir_path(STATEDIR_PACKET, a.pk, &path), 0);
	/* Another key's packet under a's name. */
	buf_wr_init(&wr, PKARR_MAX_PACKET);
	assert_int_equal(pkarr_encode(&b, &wr), 0);
	th_put_file(path, buf_wr_data(&wr), buf_wr_len(&wr), 0600);
	assert_int_equal(statedir_load_packet(a.pk, &got, NULL), CCL_ERR_KEY_MISMATCH);
	buf_wr_free(&wr);
	/* Every truncation, every flipped byte of a's own packet fails cleanly. */
	buf_wr_init(&wr, PKARR_MAX_PACKET);
	assert_int_equal(pkarr_encode(&a, &wr), 0);
	n = buf_wr_len(&wr);
	memcpy(junk, buf_wr_data(&wr), n);
	buf_wr_free(&wr);
	for (i = 0; i < n; i++) {
		th_put_file(path, junk, i, 0600);
		assert_int_not_equal(statedir_load_packet(a.pk, &got, NULL), 0);
		junk[i] ^= 0x40;
		th_put_file(path, junk, n, 0600);
		assert_int_not_equal(statedir_load_packet(a.pk, &got, NULL), 0);
		junk[i] ^= 0x40;
	}
	th_put_file(path, junk, n, 0600);
	assert_int_equal(statedir_load_packet(a.pk, &got, NULL), 0);
	/* Oversized: refused before parsing. */
	memset(junk, 'x', sizeof(junk));
	th_put_file(path, junk, sizeof(junk), 0600);
	assert_int_equal(statedir_load_packet(a.pk, &got, NULL), CCL_ERR_FORMAT);
	/* Not a regular file. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_not_equal(statedir_load_packet(a.pk, &got, NULL), 0);
	assert_int_equal(rmdir(path), 0);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
