/* SPDX-License-Identifier: MIT */
/* statedir.c — the state directory and the saved packet copy; see statedir.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fsutil.h"
#include "statedir.h"
#include "z32.h"

int
statedir_dir(char **out)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *base = NULL;
	int r;

	*out = NULL;
	if (xdg != NULL && xdg[0] == '/')
		return fs_path_join(out, xdg, "cclink");
	if (home == NULL || home[0] != '/')
		return CCL_ERR_CONFIG;
	if ((r = fs_path_join(&base, home, ".local/state")) != 0)
		return r;
	r = fs_path_join(out, base, "cclink");
	free(base);
	return r;
}

int
statedir_make(char **out)
{
	char *d = NULL;
	int r;

	*out = NULL;
	if ((r = statedir_dir(&d)) != 0)
		return r;
	if ((r = fs_mkdir_p(d, 0700)) != 0) {
		free(d);
		return r;
	}
	*out = d;
	return 0;
}

int
statedir_path(enum statedir_file which, const uint8_t pk[static 32], char **out)
{
	char z[Z32_KEY_LEN + 1], name[Z32_KEY_LEN + 32], *d = NULL;
	const char *pre, *suf;
	int r;

	*out = NULL;
	switch (which) {
	case STATEDIR_PACKET: pre = "packet-"; suf = ""; break;
	case STATEDIR_KEPT: pre = "packet-"; suf = ".kept"; break;
	case STATEDIR_LOCK: pre = "keeper-"; suf = ".lock"; break;
	case STATEDIR_LOG: pre = "keeper-"; suf = ".log"; break;
	default: return CCL_ERR_INVALID_ARG;
	}
	z32_encode(z, pk, 32);
	snprintf(name, sizeof(name), "%s%s%s", pre, z, suf);
	if ((r = statedir_dir(&d)) != 0)
		return r;
	r = fs_path_join(out, d, name);
	free(d);
	return r;
}

int
statedir_save_packet(const struct pkarr_packet *pkt, int kept)
{
	struct buf_wr wr;
	char *dir = NULL, *path = NULL, *kpath = NULL;
	int r;

	buf_wr_init(&wr, PKARR_MAX_PACKET);
	if ((r = statedir_make(&dir)) != 0 ||
	    (r = statedir_path(STATEDIR_PACKET, pkt->pk, &path)) != 0 ||
	    (r = statedir_path(STATEDIR_KEPT, pkt->pk, &kpath)) != 0 ||
	    (r = pkarr_encode(pkt, &wr)) != 0)
		goto out;
	/* The flag first: a crash in between leaves "kept" on an older packet at worst. */
	if (kept)
		r = fs_write_private(kpath, "", 0);
	else
		r = fs_remove(kpath);
	if (r != 0 || (r = fs_write_private(path, buf_wr_data(&wr), buf_wr_len(&wr))) != 0)
		goto out;
	r = 0;
 out:
	buf_wr_free(&wr);
	free(dir);
	free(path);
	free(kpath);
	return r;
}

int
statedir_load_packet(const uint8_t pk[static 32], struct pkarr_packet *out, int *kept)
{
	char *path = NULL, *kpath = NULL;
	uint8_t *data = NULL;
	size_t len = 0;
	int r;

	memset(out, 0, sizeof(*out));
	if (kept != NULL)
		*kept = 0;
	if ((r = statedir_path(STATEDIR_PACKET, pk, &path)) != 0 ||
	    (r = statedir_path(STATEDIR_KEPT, pk, &kpath)) != 0)
		goto out;
	if ((r = fs_read_file(path, PKARR_MAX_PACKET, FS_READ_REGULAR, &data, &len)) != 0) {
		if (r == CCL_ERR_TOO_LARGE)
			r = CCL_ERR_FORMAT;
		goto out;
	}
	if ((r = pkarr_parse(out, data, len)) != 0)
		goto out;
	if (memcmp(out->pk, pk, 32) != 0) {
		memset(out, 0, sizeof(*out));
		r = CCL_ERR_KEY_MISMATCH;
		goto out;
	}
	if (kept != NULL)
		*kept = fs_exists(kpath);
	r = 0;
 out:
	free(data);
	free(path);
	free(kpath);
	return r;
}
