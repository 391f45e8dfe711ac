/* SPDX-License-Identifier: MIT */
/* test_keeper.c — the keeper's lock (single instance, replace, stop), interval, record lookup. */
#include "testutil.h"
#include <signal.h>
#include <sys/wait.h>
#include <sodium.h>

#include "dns.h"
#include "fsutil.h"
#include "keeper.h"
#include "signer.h"
#include "statedir.h"
#include "z32.h"

static char tmpl[] = "/tmp/cclink-keeper-XXXXXX";
static uint8_t pk[32];

static int
setup(void **state)
{
	char *d = NULL;
	int r;

	(void)state;
	if (sodium_init() < 0 || mkdtemp(tmpl) == NULL)
		return 1;
	setenv("XDG_STATE_HOME", tmpl, 1);
	memset(pk, 0x5a, sizeof(pk));
	r = statedir_make(&d);
	free(d);
	return r != 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	return system(cmd) != 0;
}

static void
test_lock_single(void **state)
{
	char *path = NULL;
	pid_t pid;
	int fd = -1;

	(void)state;
	assert_int_equal(keeper_running(pk, &pid), 0);
	assert_int_equal(pid, 0);
	assert_int_equal(keeper_lock(pk, &fd), 0);
	assert_true(fd >= 0);
	/* Seen as running (another open file description cannot share the lock). */
	assert_int_equal(keeper_running(pk, &pid), 1);
	assert_int_equal(pid, getpid());
	assert_int_equal(statedir_path(STATEDIR_LOCK, pk, &path), 0);
	assert_true(fs_exists(path));
	keeper_unlock(pk, fd);
	assert_false(fs_exists(path));
	assert_int_equal(keeper_running(pk, NULL), 0);
	/* A stale lock file (no holder) is not a running keeper, and is taken over. */
	th_put_file(path, "999999\n", 7, 0600);
	assert_int_equal(keeper_running(pk, &pid), 0);
	assert_int_equal(keeper_lock(pk, &fd), 0);
	keeper_unlock(pk, fd);
	keeper_unlock(pk, -1);  /* a no-op */
	free(path);
}

/* A child that holds the lock until SIGTERM (default action) ends it. */
static pid_t
holder(void)
{
	int p[2], fd;
	pid_t c;
	char b;

	assert_int_equal(pipe(p), 0);
	if ((c = fork()) == 0) {
		close(p[0]);
		signal(SIGTERM, SIG_DFL);
		if (keeper_lock(pk, &fd) != 0)
			_exit(1);
		(void)!write(p[1], "x", 1);
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &b, 1), 1);
	close(p[0]);
	return c;
}

static void
test_lock_replace(void **state)
{
	pid_t c, pid;
	int fd = -1, st;

	(void)state;
	c = holder();
	assert_int_equal(keeper_running(pk, &pid), 1);
	assert_int_equal(pid, c);
	/* A new keeper asks the old one to go and takes over. */
	assert_int_equal(keeper_lock(pk, &fd), 0);
	assert_int_equal(waitpid(c, &st, 0), c);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	assert_int_equal(keeper_running(pk, &pid), 1);
	assert_int_equal(pid, getpid());
	keeper_unlock(pk, fd);
	/* keeper_stop: ends the holder and waits for the lock. */
	c = holder();
	assert_int_equal(keeper_stop(pk), 0);
	assert_int_equal(waitpid(c, &st, 0), c);
	assert_int_equal(keeper_running(pk, NULL), 0);
	assert_int_equal(keeper_stop(pk), 0);  /* nothing running: fine */
}

static void
test_interval(void **state)
{
	uint64_t v;
	int i;

	(void)state;
	unsetenv("CCLINK_TEST_KEEP_INTERVAL");
	for (i = 0; i < 200; i++) {
		v = keeper_interval(3000);
		assert_true(v >= 2700 && v <= 3300);
	}
	setenv("CCLINK_TEST_KEEP_INTERVAL", "10", 1);
	for (i = 0; i < 100; i++) {
		v = keeper_interval(3000);
		assert_true(v >= 9 && v <= 11);
	}
	setenv("CCLINK_TEST_KEEP_INTERVAL", "1", 1);
	assert_int_equal(keeper_interval(3000), 1);
	/* Garbage in the test knob is ignored. */
	setenv("CCLINK_TEST_KEEP_INTERVAL", "10x", 1);
	v = keeper_interval(3000);
	assert_true(v >= 2700 && v <= 3300);
	setenv("CCLINK_TEST_KEEP_INTERVAL", "0", 1);
	v = keeper_interval(3000);
	assert_true(v >= 2700 && v <= 3300);
	setenv("CCLINK_TEST_KEEP_INTERVAL", "-5", 1);
	v = keeper_interval(3000);
	assert_true(v >= 2700 && v <= 3300);
	unsetenv("CCLINK_TEST_KEEP_INTERVAL");
	v = keeper_interval(0);
	assert_true(v >= KEEPER_DEFAULT_INTERVAL * 9 / 10 &&
	    v <= KEEPER_DEFAULT_INTERVAL * 11 / 10);
}

static void
test_record_of(void **state)
{
	struct pkarr_packet p;
	struct record rec;
	struct signer s;
	struct dns_packet *d = NULL;
	uint8_t seed[32];
	char z[Z32_KEY_LEN + 1];
	static const char bad[] = "{\"blob\":\"AAAA\"}";

	(void)state;
	memset(seed, 0x61, sizeof(seed));
	assert_int_equal(signer_from_seed(&s, seed), 0);
	z32_encode(z, s.pk, 32);
	/* No _cclink record: revoked. */
	assert_int_equal(dns_packet_new(&d), 0);
	assert_int_equal(dns_add_txt(d, "_other", z, 300, "x", 1), 0);
	assert_int_equal(pkarr_build_dns(&p, &s, 1700000000000000ULL, d), 0);
	assert_int_equal(keeper_record_of(&p, &rec), CCL_ERR_NOT_FOUND);
	dns_packet_free(d);
	/* A _cclink record that is not a valid handoff. */
	assert_int_equal(dns_packet_new(&d), 0);
	assert_int_equal(dns_add_txt(d, "_cclink", z, 300, bad, strlen(bad)), 0);
	assert_int_equal(pkarr_build_dns(&p, &s, 1700000000000001ULL, d), 0);
	assert_int_not_equal(keeper_record_of(&p, &rec), 0);
	assert_int_not_equal(keeper_record_of(&p, &rec), CCL_ERR_NOT_FOUND);
	dns_packet_free(d);
	signer_cleanup(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_single),
		cmocka_unit_test(test_lock_replace),
		cmocka_unit_test(test_interval),
		cmocka_unit_test(test_record_of),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
