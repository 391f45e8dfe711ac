/* SPDX-License-Identifier: MIT */
#include "testutil.h"
#include <unistd.h>
#include "config.h"
#include "keeper.h"

static char tmpl[] = "/tmp/cclink-config-XXXXXX";

static const char *
write_cfg(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/config", tmpl);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static int
setup(void **state)
{
	(void)state;
	unsetenv("CCLINK_BOOTSTRAP");
	unsetenv("CCLINK_RELAYS");
	unsetenv("CCLINK_TIMEOUT");
	unsetenv("CCLINK_KEEP_INTERVAL");
	return mkdtemp(tmpl) == NULL;
}

static int
teardown(void **state)
{
	char path[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/config", tmpl);
	unlink(path);
	rmdir(tmpl);
	return 0;
}

static void
test_defaults(void **state)
{
	struct ccl_config c;

	(void)state;
	assert_int_equal(config_load_file(&c, NULL), 0);
	assert_int_equal(c.n_bootstrap, 4);
	assert_string_equal(c.bootstrap[0], "router.bittorrent.com:6881");
	assert_string_equal(c.bootstrap[2], "dht.libtorrent.org:25401");
	assert_int_equal(c.n_relays, 2);
	assert_string_equal(c.relays[0], "https://pkarr.pubky.app");
	assert_int_equal(c.timeout_ms, 10000);
	config_cleanup(&c);
	/* a missing file is not an error */
	assert_int_equal(config_load_file(&c, "/nonexistent/cclink/config"), 0);
	config_cleanup(&c);
}

static void
test_file_and_env(void **state)
{
	struct ccl_config c;
	const char *p = write_cfg("# comment\n\n  bootstrap = 127.0.0.1:1, 127.0.0.1:2 \n"
	    "relays=none\nmap = /home/a=/home/b\nmap=/x=/y\ntimeout = 3s");

	(void)state;
	assert_int_equal(config_load_file(&c, p), 0);
	assert_int_equal(c.n_bootstrap, 2);
	assert_string_equal(c.bootstrap[1], "127.0.0.1:2");
	assert_int_equal(c.n_relays, 0);
	assert_int_equal(c.n_maps, 2);
	assert_string_equal(c.maps[0], "/home/a=/home/b");
	assert_int_equal(c.timeout_ms, 3000);
	config_cleanup(&c);

	setenv("CCLINK_BOOTSTRAP", "127.0.0.1:46881", 1);
	setenv("CCLINK_RELAYS", "http://127.0.0.1:9/,https://r.example", 1);
	assert_int_equal(config_load_file(&c, p), 0);
	assert_int_equal(c.n_bootstrap, 1);
	assert_int_equal(c.n_relays, 2);
	assert_string_equal(c.relays[1], "https://r.example");
	config_cleanup(&c);
	setenv("CCLINK_BOOTSTRAP", "none", 1);
	assert_int_equal(config_load_file(&c, NULL), 0);
	assert_int_equal(c.n_bootstrap, 0);
	config_cleanup(&c);
	unsetenv("CCLINK_BOOTSTRAP");
	unsetenv("CCLINK_RELAYS");
}

static void
test_bad_input(void **state)
{
	static const char *bad[] = {
		"bootstrap = 127.0.0.1\n", "bootstrap = host:0\n", "bootstrap = host:70000\n",
		"bootstrap = a:1,,b:2\n", "bootstrap = a:1,\n", "relays = ,https://a\n", "bootstrap =\n", "relays = ftp://x\n", "frobnicate = 1\n",
		"no equals sign\n", "map = relative=/x\n", "map = /x=\n", "timeout = 0\n", "timeout = 5w\n",
		"timeout = -1\n",
	};
	struct ccl_config c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const char *p = write_cfg(bad[i]);
		int r = config_load_file(&c, p);

		if (r != CCL_ERR_CONFIG)
			fail_msg("accepted bad config %zu: %s", i, bad[i]);
		assert_int_equal(c.line_err, 1);
		config_cleanup(&c);
	}
	setenv("CCLINK_RELAYS", "not a url", 1);
	assert_int_equal(config_load_file(&c, NULL), CCL_ERR_CONFIG);
	assert_string_equal(c.err_key, "CCLINK_RELAYS");
	assert_string_equal(c.err_plain_http, "");
	config_cleanup(&c);
	unsetenv("CCLINK_RELAYS");
}

/* Plain http:// relays: only to loopback, from the file and from the environment. */
static void
test_plain_http_relays(void **state)
{
	struct ccl_config c;
	const char *p;

	(void)state;
	p = write_cfg("relays = https://a.example, http://relay.example:8080\n");
	assert_int_equal(config_load_file(&c, p), CCL_ERR_CONFIG);
	assert_int_equal(c.line_err, 1);
	assert_string_equal(c.err_key, "relays");
	assert_string_equal(c.err_plain_http, "http://relay.example:8080");
	config_cleanup(&c);
	p = write_cfg("relays = http://localhost:8080\n");
	assert_int_equal(config_load_file(&c, p), CCL_ERR_CONFIG);
	assert_string_equal(c.err_plain_http, "http://localhost:8080");
	config_cleanup(&c);
	p = write_cfg("relays = http://127.0.0.1:8080, http://[::1]:9, https://r.example\n");
	assert_int_equal(config_load_file(&c, p), 0);
	assert_int_equal(c.n_relays, 3);
	config_cleanup(&c);
	setenv("CCLINK_RELAYS", "http://10.1.2.3", 1);
	assert_int_equal(config_load_file(&c, NULL), CCL_ERR_CONFIG);
	assert_int_equal(c.line_err, 0);
	assert_string_equal(c.err_key, "CCLINK_RELAYS");
	assert_string_equal(c.err_plain_http, "http://10.1.2.3");
	config_cleanup(&c);
	setenv("CCLINK_RELAYS", "http://127.0.0.1:9", 1);
	assert_int_equal(config_load_file(&c, NULL), 0);
	config_cleanup(&c);
	unsetenv("CCLINK_RELAYS");
}

static void
test_huge_line(void **state)
{
	struct ccl_config c;
	char *big = malloc(10000);

	(void)state;
	memset(big, 'a', 9998);
	big[9998] = '\n';
	big[9999] = 0;
	assert_int_equal(config_load_file(&c, write_cfg(big)), CCL_ERR_CONFIG);
	config_cleanup(&c);
	free(big);
}

static void
test_duration(void **state)
{
	uint64_t s;

	(void)state;
	assert_int_equal(config_parse_duration("90", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(config_parse_duration("30m", &s), 0);
	assert_int_equal(s, 1800);
	assert_int_equal(config_parse_duration("4h", &s), 0);
	assert_int_equal(s, 14400);
	assert_int_equal(config_parse_duration("2d", &s), 0);
	assert_int_equal(s, 172800);
	assert_int_equal(config_parse_duration("", &s), CCL_ERR_FORMAT);
	assert_int_equal(config_parse_duration("h", &s), CCL_ERR_FORMAT);
	assert_int_equal(config_parse_duration("-5", &s), CCL_ERR_FORMAT);
	assert_int_equal(config_parse_duration("5hh", &s), CCL_ERR_FORMAT);
	assert_int_equal(config_parse_duration("99999999999999999999", &s), CCL_ERR_FORMAT);
	assert_int_equal(config_parse_duration("999999999999999999d", &s), CCL_ERR_FORMAT);
}

static void
test_keep(void **state)
{
	struct ccl_config c;
	static const char *const bad[] = {
		"keep = maybe\n", "keep =\n", "keep = YES\n", "keep_interval = 59s\n",
		"keep_interval = 0\n", "keep_interval = 2d\n", "keep_interval = 5x\n",
		"keep_interval =\n", "keep_interval = 123456789012345678901234567890\n",
	};
	size_t i;

	(void)state;
	assert_int_equal(config_load_file(&c, NULL), 0);
	assert_int_equal(c.keep, 0);
	assert_int_equal(c.keep_interval, KEEPER_DEFAULT_INTERVAL);
	config_cleanup(&c);
	assert_int_equal(config_load_file(&c, write_cfg("keep = yes\nkeep_interval = 60s\n")), 0);
	assert_int_equal(c.keep, 1);
	assert_int_equal(c.keep_interval, 60);
	config_cleanup(&c);
	assert_int_equal(config_load_file(&c, write_cfg("keep = true\nkeep = no\n")), 0);
	assert_int_equal(c.keep, 0);
	config_cleanup(&c);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(config_load_file(&c, write_cfg(bad[i])), CCL_ERR_CONFIG);
		assert_int_equal(c.line_err, 1);
		config_cleanup(&c);
	}
	/* The environment wins over the file, with the same floor of 60 s. */
	setenv("CCLINK_KEEP_INTERVAL", "2h", 1);
	assert_int_equal(config_load_file(&c, write_cfg("keep_interval = 60s\n")), 0);
	assert_int_equal(c.keep_interval, 7200);
	config_cleanup(&c);
	setenv("CCLINK_KEEP_INTERVAL", "30", 1);
	assert_int_equal(config_load_file(&c, NULL), CCL_ERR_CONFIG);
	assert_string_equal(c.err_key, "CCLINK_KEEP_INTERVAL");
	config_cleanup(&c);
	unsetenv("CCLINK_KEEP_INTERVAL");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_file_and_env),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_plain_http_relays),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_keep),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
