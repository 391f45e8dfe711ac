/* SPDX-License-Identifier: MIT */
/*
 * replay.c — run a libFuzzer target's LLVMFuzzerTestOneInput() over files,
 * without libFuzzer: make check links every tests/fuzz/fuzz_*.c with this
 * and replays the committed seed corpora (and any regression inputs kept
 * there), so a harness that aborts on its own seeds fails the test suite and
 * the inputs also run under valgrind and ASan. Arguments are files or
 * directories (their regular files, not recursive). Exit 0 when every input
 * was read and ran; a harness that finds a bug aborts.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (1024 * 1024)

static int
replay_file(const char *path, size_t *n)
{
	FILE *f;
	uint8_t *b;
	size_t len;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return -1;
	}
	if ((b = malloc(REPLAY_MAX_INPUT)) == NULL) {
		fclose(f);
		return -1;
	}
	len = fread(b, 1, REPLAY_MAX_INPUT, f);
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "replay: cannot read %s (or over %d bytes)\n", path,
		    REPLAY_MAX_INPUT);
		fclose(f);
		free(b);
		return -1;
	}
	fclose(f);
	/* An exact-size copy, so ASan and valgrind see reads past the input. */
	{
		uint8_t *in = malloc(len ? len : 1);

		if (in == NULL) {
			free(b);
			return -1;
		}
		memcpy(in, b, len);
		free(b);
		LLVMFuzzerTestOneInput(in, len);
		free(in);
	}
	(*n)++;
	return 0;
}

int
main(int argc, char **argv)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	char path[4096];
	size_t n = 0;
	int i, bad = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: no such file: %s\n", argv[i]);
			bad = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad |= replay_file(argv[i], &n) != 0;
			continue;
		}
		if ((d = opendir(argv[i])) == NULL) {
			bad = 1;
			continue;
		}
		while ((e = readdir(d)) != NULL) {
			if ((size_t)snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name) >=
			    sizeof(path) || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
				continue;
			bad |= replay_file(path, &n) != 0;
		}
		closedir(d);
	}
	printf("replayed %zu inputs\n", n);
	return bad;
}
