/* SPDX-License-Identifier: MIT */
/*
 * config.h — user configuration: built-in defaults, then the config file
 * ${XDG_CONFIG_HOME:-~/.config}/cclink/config, then environment overrides
 * (CCLINK_BOOTSTRAP, CCLINK_RELAYS). The file is read through buf_rd with
 * line and size caps; unknown keys are an error so typos do not pass silently.
 *
 * File syntax: `key = value` lines, `#` comments, blank lines.
 *   bootstrap = host:port,host:port | none
 *   relays    = https://relay,... | none   (http:// only to 127.0.0.0/8, [::1])
 *   map       = /old/prefix=/new/prefix      (repeatable)
 *   identity  = file | ssh:PATH | agent     (identity.h; checked when used)
 *   timeout   = 10s                          (overall network deadline)
 *   keep      = yes | no                     (publish --keep by default)
 *   keep_interval = 50m                      (keeper's republish interval, >= 60s;
 *                                             env CCLINK_KEEP_INTERVAL)
 */
#ifndef CCL_CONFIG_H
#define CCL_CONFIG_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "transport.h"

#define CONFIG_MAX_FILE 65536
#define CONFIG_MAX_LIST 64
#define CONFIG_MIN_KEEP_INTERVAL 60

struct ccl_config {
	char **bootstrap;      /* host:port; empty list = DHT disabled */
	size_t n_bootstrap;
	char **relays;         /* base URLs; empty list = relays disabled */
	size_t n_relays;
	char **maps;           /* "OLD=NEW" remap rules for pickup */
	size_t n_maps;
	char *identity;        /* NULL = the default file identity */
	uint32_t timeout_ms;   /* overall deadline for one resolve/publish */
	int keep;              /* publish starts a keeper unless --no-keep */
	uint64_t keep_interval; /* seconds between a keeper's republishes */
	char *path;            /* the config file consulted (may not exist) */
	int line_err;          /* on CCL_ERR_CONFIG: the offending line (0 = env) */
	char err_key[32];      /* on CCL_ERR_CONFIG: the offending key/variable */
	/* on CCL_ERR_CONFIG: a plain http:// relay to a non-loopback host (truncated), or "" */
	char err_plain_http[128];
};

/* Load defaults, the config file (if present) and the environment. */
CCL_MUST_CHECK int config_load(struct ccl_config *c);
/* Same, from an explicit file path (tests) — NULL for none. */
CCL_MUST_CHECK int config_load_file(struct ccl_config *c, const char *path);
/* Defaults, then the config-file text data[0..len) (no environment): for tests and fuzzing. */
CCL_MUST_CHECK int config_parse(struct ccl_config *c, const uint8_t *data, size_t len);
void config_cleanup(struct ccl_config *c);
/* The transport's view of c: its bootstrap nodes, relays and timeout (borrowed from c). */
void config_peers(const struct ccl_config *c, struct transport_peers *p);
/* Parse "10", "10s", "30m", "4h", "2d" into seconds; CCL_ERR_FORMAT otherwise. */
CCL_MUST_CHECK int config_parse_duration(const char *s, uint64_t *secs);
#endif
