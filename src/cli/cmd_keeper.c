/* SPDX-License-Identifier: MIT */
/*
 * cmd_keeper.c — the hidden `cclink __keeper --ready-fd N pk:<z32>`: the
 * detached process that `publish --keep` starts (keeper_spawn). It reads the
 * signed packet saved in the state directory, takes the key's keeper lock,
 * and stores that exact packet again on the closest DHT nodes and the relays
 * every keep_interval (±10 %), resolving first. It stops when the record
 * expires, when a newer packet for the key appears (a revoke, a burn or a
 * publish from elsewhere), on SIGTERM (`cclink revoke`, a newer publish here)
 * or SIGINT. It never loads a key: it was exec'd fresh, so it has none in
 * memory, and it holds no key file open. It logs to keeper-<z32>.log.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>

#include "cli.h"
#include "cli_common.h"
#include "cli_net.h"
#include "keeper.h"
#include "statedir.h"
#include "transport.h"
#include "z32.h"

static volatile sig_atomic_t stop_signal;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

static void klog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
klog(const char *fmt, ...)
{
	char when[40];
	va_list ap;

	cli_fmt_time(when, sizeof(when), cli_now());
	fprintf(stderr, "%s [%ld] ", when, (long)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

/* Tell the spawning publish how it went ("<pid>" or "E<code>"), once. */
static void
ready(int *fd, int code)
{
	char buf[32];
	ssize_t n;

	if (*fd < 0)
		return;
	if (code == 0)
		snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	else
		snprintf(buf, sizeof(buf), "E%d\n", code);
	n = write(*fd, buf, strlen(buf));
	(void)n;
	close(*fd);
	*fd = -1;
}

/* Sleep until `secs` have passed or a stop signal came. */
static void
nap(uint64_t secs)
{
	uint64_t end = cli_now() + secs, now;
	struct timespec ts;

	while (!stop_signal && (now = cli_now()) < end) {
		ts.tv_sec = (time_t)(end - now);
		ts.tv_nsec = 0;
		(void)nanosleep(&ts, NULL);  /* a signal cuts it short */
	}
}

static void
log_report(const char *what, const struct transport_report *rep, int put)
{
	char line[256];
	FILE *m;

	if ((m = fmemopen(line, sizeof(line), "w")) == NULL)
		return;
	cli_report_summary(m, rep, put);
	fclose(m);
	line[sizeof(line) - 1] = '\0';
	line[strcspn(line, "\n")] = '\0';
	klog("%s: %s", what, line);
}

/* One round: resolve; stop (1) on a newer packet; else put ours again. */
static int
round_once(const struct transport_opts *o, const struct pkarr_packet *pkt)
{
	struct pkarr_packet *seen = NULL;
	struct transport_report rep;
	int r, stop = 0;

	if ((seen = calloc(1, sizeof(*seen))) == NULL) {
		klog("out of memory");
		return 0;
	}
	r = transport_resolve(o, pkt->pk, seen, NULL, &rep);
	if (r == 0 && pkarr_cmp(seen, pkt) > 0) {
		klog("a newer packet (seq %llu) replaced ours (seq %llu): the handoff was revoked, "
		    "burnt or published again elsewhere; stopping", (unsigned long long)seen->ts,
		    (unsigned long long)pkt->ts);
		stop = 1;
		goto out;
	}
	if (stop_signal)
		goto out;  /* asked to stop: do not store it again */
	if (r == 0)
		klog("resolved: %s", pkarr_cmp(seen, pkt) == 0 ? "our packet is still there" :
		    "only an older packet was found");
	else
		klog("resolved: %s", r == CCL_ERR_NOT_FOUND ? "nothing found (dropped)" :
		    ccl_strerror(r));
	r = keeper_store_again(o, pkt, &rep);
	if (r == 0)
		log_report("republished", &rep, 1);
	else if (r == CCL_ERR_CONFLICT)
		klog("republish: a newer packet exists; checking again next round");
	else
		log_report(ccl_strerror(r), &rep, 1);
 out:
	free(seen);
	return stop;
}

int
cmd_keeper(struct ccl_ctx *ctx, int argc, char **argv)
{
	struct ccl_config cfg;
	struct transport_opts o;
	struct pkarr_packet *pkt = NULL;
	struct record rec;
	struct sigaction sa;
	char z[Z32_KEY_LEN + 1], *logpath = NULL, *dir = NULL, when[40];
	uint8_t pk[32];
	uint64_t expires, now, wait;
	int ready_fd = -1, lock_fd = -1, logfd, r, ret = EXIT_FAIL, have_cfg = 0, kept;

	(void)ctx;
	memset(&rec, 0, sizeof(rec));
	if (argc == 4 && strcmp(argv[1], "--ready-fd") == 0 && strcmp(argv[2], "3") == 0)
		ready_fd = 3;
	else if (argc != 2) {
		cli_err("%s is started by 'cclink publish --keep'", KEEPER_COMMAND);
		return EXIT_USAGE;
	}
	if (z32_parse_pubkey(pk, argv[argc - 1]) != 0) {
		cli_err("%s: '%s' is not a public key", KEEPER_COMMAND, argv[argc - 1]);
		ready(&ready_fd, CCL_ERR_INVALID_ARG);
		return EXIT_USAGE;
	}
	z32_encode(z, pk, 32);
	/* It holds no secret, so the user may inspect it (/proc/PID/...). */
	(void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	if ((r = statedir_make(&dir)) != 0 || (r = statedir_path(STATEDIR_LOG, pk, &logpath)) != 0) {
		ready(&ready_fd, r);
		goto out;
	}
	if ((logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600)) >= 0) {
		if (dup2(logfd, STDERR_FILENO) < 0) {
			/* keep /dev/null */
		}
		close(logfd);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigaction(SIGPIPE, &sa, NULL);
	if ((ret = cli_config_load(&cfg)) != 0) {
		ready(&ready_fd, CCL_ERR_CONFIG);
		goto out;
	}
	have_cfg = 1;
	ret = EXIT_FAIL;
	if ((pkt = calloc(1, sizeof(*pkt))) == NULL) {
		ready(&ready_fd, CCL_ERR_NOMEM);
		goto out;
	}
	if ((r = statedir_load_packet(pk, pkt, &kept)) != 0 || (r = keeper_record_of(pkt, &rec)) != 0) {
		klog("pk:%s: no handoff to keep (%s)", z, ccl_strerror(r));
		ready(&ready_fd, r);
		goto out;
	}
	expires = record_expires_at(&rec);
	if (cli_now() >= expires) {
		klog("pk:%s: the handoff has expired; nothing to keep", z);
		ready(&ready_fd, CCL_ERR_EXPIRED);
		goto out;
	}
	if ((r = keeper_lock(pk, &lock_fd)) != 0) {
		klog("pk:%s: cannot take the keeper lock: %s", z, ccl_strerror(r));
		ready(&ready_fd, r);
		goto out;
	}
	ready(&ready_fd, 0);
	cli_fmt_time(when, sizeof(when), expires);
	klog("keeping pk:%s (packet seq %llu) until %s", z, (unsigned long long)pkt->ts, when);
	memset(&o, 0, sizeof(o));
	config_peers(&cfg, &o.peers);
	for (;;) {
		now = cli_now();
		if (now >= expires) {
			klog("the handoff expired at %s; stopping", when);
			break;
		}
		wait = keeper_interval(cfg.keep_interval);
		if (wait > expires - now)
			wait = expires - now;
		nap(wait);
		if (stop_signal) {
			klog("stopped by signal %d", (int)stop_signal);
			break;
		}
		if (cli_now() >= expires)
			continue;
		if (round_once(&o, pkt))
			break;
	}
	ret = EXIT_OK;
 out:
	keeper_unlock(pk, lock_fd);
	record_free(&rec);
	free(pkt);
	free(logpath);
	free(dir);
	if (have_cfg)
		config_cleanup(&cfg);
	return ret;
}
