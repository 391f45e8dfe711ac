/* SPDX-License-Identifier: MIT */
/* config.c — defaults, config file and environment; see config.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "fsutil.h"
#include "keeper.h"
#include "relay.h"

static const char *const default_bootstrap[] = {
	"router.bittorrent.com:6881",
	"dht.transmissionbt.com:6881",
	"dht.libtorrent.org:25401",
	"relay.pkarr.org:6881",
};
static const char *const default_relays[] = {
	"https://pkarr.pubky.app",
	"https://pkarr.pubky.org",
};

static void
list_free(char ***l, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		free((*l)[i]);
	free(*l);
	*l = NULL;
	*n = 0;
}

static int
list_add(char ***l, size_t *n, const char *s, size_t len)
{
	char **nl, *d;

	if (*n >= CONFIG_MAX_LIST)
		return CCL_ERR_TOO_LARGE;
	if ((d = strndup(s, len)) == NULL)
		return CCL_ERR_NOMEM;
	if ((nl = realloc(*l, (*n + 1) * sizeof(*nl))) == NULL) {
		free(d);
		return CCL_ERR_NOMEM;
	}
	nl[(*n)++] = d;
	*l = nl;
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trimmed view of s[0..n). */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

/* Replace list with the comma-separated items of v ("none" = empty list). */
static int
list_set_csv(char ***l, size_t *n, const char *v, size_t vlen)
{
	const char *item, *comma;
	size_t ilen;
	int r;

	list_free(l, n);
	trim(&v, &vlen);
	if (vlen == 4 && strncmp(v, "none", 4) == 0)
		return 0;
	while (vlen > 0) {
		comma = memchr(v, ',', vlen);
		ilen = comma ? (size_t)(comma - v) : vlen;
		item = v;
		v += ilen;
		vlen -= ilen;
		if (comma) {
			v++;
			vlen--;
			if (vlen == 0)  /* a trailing comma: an item is missing */
				return CCL_ERR_FORMAT;
		}
		trim(&item, &ilen);
		if (ilen == 0 || memchr(item, ' ', ilen) != NULL)
			return CCL_ERR_FORMAT;
		if ((r = list_add(l, n, item, ilen)) != 0)
			return r;
	}
	return *n == 0 ? CCL_ERR_FORMAT : 0;
}

/* host:port with a numeric port 1..65535 ([v6]:port accepted). */
static int
check_hostport(const char *s)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (colon == NULL || colon == s || colon[1] == '\0')
		return CCL_ERR_FORMAT;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || port < 1 || port > 65535)
		return CCL_ERR_FORMAT;
	return 0;
}

/* The relay client's own rule, so a URL accepted here is one it can use. */
static int
check_url(const char *s)
{
	return relay_url_check(s) == 0 ? 0 : CCL_ERR_FORMAT;
}

int
config_parse_duration(const char *s, uint64_t *secs)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1;

	*secs = 0;
	if (*s < '0' || *s > '9')
		return CCL_ERR_FORMAT;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return CCL_ERR_FORMAT;
	if (*end != '\0') {
		switch (*end) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		default: return CCL_ERR_FORMAT;
		}
		if (end[1] != '\0')
			return CCL_ERR_FORMAT;
	}
	if (v > UINT64_MAX / mult)
		return CCL_ERR_FORMAT;
	*secs = v * mult;
	return 0;
}

static int
set_key(struct ccl_config *c, const char *k, size_t klen, const char *v, size_t vlen)
{
	size_t i;
	uint64_t secs;
	char tmp[32];
	int r;

	if (klen == 9 && strncmp(k, "bootstrap", 9) == 0) {
		if ((r = list_set_csv(&c->bootstrap, &c->n_bootstrap, v, vlen)) != 0)
			return r;
		for (i = 0; i < c->n_bootstrap; i++)
			if (check_hostport(c->bootstrap[i]) != 0)
				return CCL_ERR_FORMAT;
		return 0;
	}
	if (klen == 6 && strncmp(k, "relays", 6) == 0) {
		if ((r = list_set_csv(&c->relays, &c->n_relays, v, vlen)) != 0)
			return r;
		for (i = 0; i < c->n_relays; i++) {
			if (check_url(c->relays[i]) != 0)
				return CCL_ERR_FORMAT;
			if (!relay_url_secure(c->relays[i])) {
				snprintf(c->err_plain_http, sizeof(c->err_plain_http), "%s", c->relays[i]);
				return CCL_ERR_PERMISSION;
			}
		}
		return 0;
	}
	if (klen == 3 && strncmp(k, "map", 3) == 0) {
		const char *eq = memchr(v, '=', vlen);

		if (eq == NULL || eq == v || v[0] != '/' || (size_t)(eq - v) + 1 >= vlen ||
		    eq[1] != '/')
			return CCL_ERR_FORMAT;
		return list_add(&c->maps, &c->n_maps, v, vlen);
	}
	if (klen == 8 && strncmp(k, "identity", 8) == 0) {
		free(c->identity);
		if ((c->identity = strndup(v, vlen)) == NULL)
			return CCL_ERR_NOMEM;
		return 0;
	}
	if (klen == 7 && strncmp(k, "timeout", 7) == 0) {
		if (vlen == 0 || vlen >= sizeof(tmp))
			return CCL_ERR_FORMAT;
		memcpy(tmp, v, vlen);
		tmp[vlen] = '\0';
		if (config_parse_duration(tmp, &secs) != 0 || secs == 0 || secs > 3600)
			return CCL_ERR_FORMAT;
		c->timeout_ms = (uint32_t)(secs * 1000);
		return 0;
	}
	if (klen == 4 && strncmp(k, "keep", 4) == 0) {
		if ((vlen == 3 && strncmp(v, "yes", 3) == 0) || (vlen == 4 && strncmp(v, "true", 4) == 0))
			c->keep = 1;
		else if ((vlen == 2 && strncmp(v, "no", 2) == 0) ||
		    (vlen == 5 && strncmp(v, "false", 5) == 0))
			c->keep = 0;
		else
			return CCL_ERR_FORMAT;
		return 0;
	}
	if (klen == 13 && strncmp(k, "keep_interval", 13) == 0) {
		if (vlen == 0 || vlen >= sizeof(tmp))
			return CCL_ERR_FORMAT;
		memcpy(tmp, v, vlen);
		tmp[vlen] = '\0';
		if (config_parse_duration(tmp, &secs) != 0 || secs < CONFIG_MIN_KEEP_INTERVAL ||
		    secs > 86400)
			return CCL_ERR_FORMAT;
		c->keep_interval = secs;
		return 0;
	}
	return CCL_ERR_CONFIG;
}

static int
parse_file(struct ccl_config *c, const uint8_t *data, size_t len)
{
	struct buf_rd rd;
	const uint8_t *line;
	const char *k, *v, *eq;
	size_t n, klen, vlen;
	int r, lineno = 0;

	buf_rd_init(&rd, data, len);
	while (buf_remaining(&rd) > 0) {
		lineno++;
		if ((r = buf_get_line(&rd, 4096, &line, &n)) == CCL_ERR_TRUNCATED) {
			/* last line without a newline */
			n = buf_remaining(&rd);
			if ((r = buf_get_bytes(&rd, n, &line)) != 0)
				return r;
		} else if (r != 0) {
			c->line_err = lineno;
			return CCL_ERR_CONFIG;
		}
		k = (const char *)line;
		klen = n;
		trim(&k, &klen);
		if (klen == 0 || k[0] == '#')
			continue;
		if (memchr(k, '\0', klen) != NULL || (eq = memchr(k, '=', klen)) == NULL) {
			c->line_err = lineno;
			return CCL_ERR_CONFIG;
		}
		v = eq + 1;
		vlen = klen - (size_t)(v - k);
		klen = (size_t)(eq - k);
		trim(&k, &klen);
		trim(&v, &vlen);
		snprintf(c->err_key, sizeof(c->err_key), "%.*s", (int)(klen < 31 ? klen : 31), k);
		if (set_key(c, k, klen, v, vlen) != 0) {
			c->line_err = lineno;
			return CCL_ERR_CONFIG;
		}
	}
	c->err_key[0] = '\0';
	return 0;
}

static int
load_defaults(struct ccl_config *c)
{
	size_t i;
	int r;

	for (i = 0; i < sizeof(default_bootstrap) / sizeof(*default_bootstrap); i++)
		if ((r = list_add(&c->bootstrap, &c->n_bootstrap, default_bootstrap[i],
		    strlen(default_bootstrap[i]))) != 0)
			return r;
	for (i = 0; i < sizeof(default_relays) / sizeof(*default_relays); i++)
		if ((r = list_add(&c->relays, &c->n_relays, default_relays[i],
		    strlen(default_relays[i]))) != 0)
			return r;
	c->timeout_ms = 10000;
	c->keep_interval = KEEPER_DEFAULT_INTERVAL;
	return 0;
}

static int
load_env(struct ccl_config *c)
{
	const char *v;

	if ((v = getenv("CCLINK_BOOTSTRAP")) != NULL && set_key(c, "bootstrap", 9, v, strlen(v)) != 0) {
		snprintf(c->err_key, sizeof(c->err_key), "CCLINK_BOOTSTRAP");
		c->line_err = 0;
		return CCL_ERR_CONFIG;
	}
	if ((v = getenv("CCLINK_RELAYS")) != NULL && set_key(c, "relays", 6, v, strlen(v)) != 0) {
		snprintf(c->err_key, sizeof(c->err_key), "CCLINK_RELAYS");
		c->line_err = 0;
		return CCL_ERR_CONFIG;
	}
	if ((v = getenv("CCLINK_TIMEOUT")) != NULL && set_key(c, "timeout", 7, v, strlen(v)) != 0) {
		snprintf(c->err_key, sizeof(c->err_key), "CCLINK_TIMEOUT");
		c->line_err = 0;
		return CCL_ERR_CONFIG;
	}
	if ((v = getenv("CCLINK_KEEP_INTERVAL")) != NULL &&
	    set_key(c, "keep_interval", 13, v, strlen(v)) != 0) {
		snprintf(c->err_key, sizeof(c->err_key), "CCLINK_KEEP_INTERVAL");
		c->line_err = 0;
		return CCL_ERR_CONFIG;
	}
	return 0;
}

int
config_load_file(struct ccl_config *c, const char *path)
{
	uint8_t *data = NULL;
	size_t len = 0;
	int r;

	memset(c, 0, sizeof(*c));
	if ((r = load_defaults(c)) != 0)
		goto out;
	if (path != NULL) {
		if ((c->path = strdup(path)) == NULL) {
			r = CCL_ERR_NOMEM;
			goto out;
		}
		/* A regular file only: a FIFO there must not hang us (O_NONBLOCK + fstat). */
		r = fs_read_file(path, CONFIG_MAX_FILE, FS_READ_REGULAR, &data, &len);
		if (r == 0)
			r = parse_file(c, data, len);
		else if (r == CCL_ERR_NOT_FOUND)
			r = 0;
		if (r != 0)
			goto out;
	}
	r = load_env(c);
 out:
	free(data);
	return r;
}

int
config_parse(struct ccl_config *c, const uint8_t *data, size_t len)
{
	int r;

	memset(c, 0, sizeof(*c));
	if ((r = load_defaults(c)) != 0)
		return r;
	if (len > CONFIG_MAX_FILE)
		return CCL_ERR_TOO_LARGE;
	return parse_file(c, data, len);
}

int
config_load(struct ccl_config *c)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char path[PATH_MAX];

	if (xdg != NULL && xdg[0] == '/')
		snprintf(path, sizeof(path), "%s/cclink/config", xdg);
	else if (home != NULL && home[0] == '/')
		snprintf(path, sizeof(path), "%s/.config/cclink/config", home);
	else
		return config_load_file(c, NULL);
	return config_load_file(c, path);
}

void
config_cleanup(struct ccl_config *c)
{
	list_free(&c->bootstrap, &c->n_bootstrap);
	list_free(&c->relays, &c->n_relays);
	list_free(&c->maps, &c->n_maps);
	free(c->identity);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

void
config_peers(const struct ccl_config *c, struct transport_peers *p)
{
	memset(p, 0, sizeof(*p));
	p->bootstrap = c->bootstrap;
	p->n_bootstrap = c->n_bootstrap;
	p->relays = c->relays;
	p->n_relays = c->n_relays;
	p->timeout_ms = c->timeout_ms;
}
