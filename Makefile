# SPDX-License-Identifier: MIT
# cclink — plain Makefile (after wireguard-tools). See README.md for the variables.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
PKG_CONFIG ?= pkg-config
BUILD ?= build
CC ?= cc

PKGS = libsodium libargon2 libcjson libcurl libssh libqrencode
# Debian packages needed to build and test (make deps installs them).
DEB_PKGS = build-essential pkg-config libsodium-dev libargon2-dev libcjson-dev \
	libcurl4-openssl-dev libssh-dev libqrencode-dev libcmocka-dev age \
	tmux openssh-client perl valgrind util-linux iproute2

VERSION := $(shell git describe --tags --always --dirty 2>/dev/null | sed 's/^v//')

CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CFLAGS += -Wall -Wextra -Wformat=2 -Wshadow -Wpointer-arith -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wimplicit-fallthrough -Wno-unused-parameter
CFLAGS += -fstack-protector-strong -fstack-clash-protection -fPIE
ifeq ($(shell uname -m),x86_64)
CFLAGS += -fcf-protection
endif
CFLAGS += -MMD -MP
ifneq ($(VERSION),)
CFLAGS += -DCCLINK_VERSION='"$(VERSION)"'
endif
ifeq ($(WERROR),1)
CFLAGS += -Werror
endif
ifeq ($(SAN),1)
CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
else
CFLAGS += -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2
endif
LDFLAGS += -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CFLAGS += $(PKG_CFLAGS)
LDLIBS += $(PKG_LIBS)

# The library: everything below the command layer (unit tests link it).
LIB_SRCS = \
	src/err.c \
	src/buf.c \
	src/hex.c \
	src/b64.c \
	src/z32.c \
	src/bech32.c \
	src/hkdf.c \
	src/kdf.c \
	src/secret.c \
	src/signer.c \
	src/fsutil.c \
	src/age.c \
	src/keys.c \
	src/identity.c \
	src/identity_ssh.c \
	src/sshkey.c \
	src/sshkey_file.c \
	src/prompt.c \
	src/config.c \
	src/sha1.c \
	src/bencode.c \
	src/krpc.c \
	src/dht.c \
	src/dht_item.c \
	src/dht_cand.c \
	src/dht_put.c \
	src/sockaddr.c \
	src/net.c \
	src/dns.c \
	src/dns_text.c \
	src/pkarr.c \
	src/relay.c \
	src/transport.c \
	src/handoff.c \
	src/jsonw.c \
	src/textsafe.c \
	src/jsonr.c \
	src/record.c \
	src/record_age.c \
	src/pin.c \
	src/session.c \
	src/session_find.c \
	src/session_detect.c \
	src/resume.c \
	src/statedir.c \
	src/keeper.c \
	src/cli.c

# The command layer: the only code that prints for the user or exits.
CMD_SRCS = \
	src/main.c \
	src/cli_net.c \
	src/cli_qr.c \
	src/cli_common.c \
	src/cli_fetch.c \
	src/cmd_init.c \
	src/cmd_whoami.c \
	src/cmd_publish.c \
	src/cmd_pickup.c \
	src/cmd_list.c \
	src/cmd_revoke.c \
	src/cmd_resolve.c \
	src/cmd_republish.c \
	src/cmd_keeper.c \
	src/cli_expiry.c

LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/%.o)
CMD_OBJS = $(CMD_SRCS:%.c=$(BUILD)/%.o)
LIBCCLINK = $(BUILD)/libcclink.a

UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
TOOL_SRCS = tests/bin/cclink-age.c tests/bin/cclink-dht.c tests/bin/cclink-session.c
TOOL_BINS = $(TOOL_SRCS:tests/bin/%.c=$(BUILD)/tests/bin/%)
FUZZ_SRCS = $(sort $(wildcard tests/fuzz/fuzz_*.c))
# Each fuzz target linked with tests/fuzz/replay.c instead of libFuzzer: check replays the seeds
# (the harnesses discard some results on purpose, hence -Wno-unused-result there).
FUZZ_REPLAY_BINS = $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/tests/fuzz/%)

ifeq ($(V),1)
Q =
quiet = @:
else
Q = @
quiet = @printf '  %-7s %s\n'
endif

.PHONY: all check unit sanitize valgrind fuzz install uninstall clean deps check-deps interop-deps claude-deps bench
all: cclink

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -Isrc -c -o $@ $<

$(LIBCCLINK): $(LIB_OBJS)
	$(quiet) AR $@
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/cclink: $(CMD_OBJS) $(LIBCCLINK)
	$(quiet) LD $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CMD_OBJS) $(LIBCCLINK) $(LDLIBS)

# After `make`, the binary is ./cclink at the top of the tree.
ifeq ($(BUILD),build)
cclink: $(BUILD)/cclink
	$(Q)cp $< $@
else
cclink: $(BUILD)/cclink
endif

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIBCCLINK)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -Isrc -Itests/unit $(LDFLAGS) -o $@ $< $(LIBCCLINK) $(LDLIBS) -lcmocka

$(BUILD)/tests/bin/%: tests/bin/%.c $(LIBCCLINK)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIBCCLINK) $(LDLIBS)

$(BUILD)/tests/fuzz/%: tests/fuzz/%.c $(BUILD)/tests/fuzz/replay.o $(LIBCCLINK)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -Wno-unused-result -Isrc $(LDFLAGS) -o $@ $< $(BUILD)/tests/fuzz/replay.o \
	  $(LIBCCLINK) $(LDLIBS)
.SECONDARY: $(BUILD)/tests/fuzz/replay.o

# Install what the build and tests need when something is missing, then test.
check-deps:
	@missing=""; for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v node >/dev/null && command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then echo "make check: missing:$$missing"; $(MAKE) --no-print-directory deps; fi

deps:
	@SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	echo "Installing Debian packages: $(DEB_PKGS)"; \
	$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $(DEB_PKGS); \
	if ! command -v npm >/dev/null; then echo "Installing Debian packages: nodejs npm"; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends nodejs npm; fi

interop-deps: tests/interop/node_modules/.package-lock.json
tests/interop/node_modules/.package-lock.json: tests/interop/package.json tests/interop/package-lock.json
	@echo "  NPM     tests/interop (npm ci)"
	$(Q)cd tests/interop && npm ci --no-audit --no-fund --loglevel=error

# The real Claude Code CLI, pinned; tests/claude/claude-offline is the only way it is run.
claude-deps: tests/claude/node_modules/.package-lock.json
tests/claude/node_modules/.package-lock.json: tests/claude/package.json tests/claude/package-lock.json
	@echo "  NPM     tests/claude (npm ci)"
	$(Q)cd tests/claude && npm ci --no-audit --no-fund --loglevel=error

unit: $(UNIT_BINS)

PROVE_FLAGS ?= -j2
CHECK_ENV = CCLINK=$(abspath $(BUILD)/cclink) CCLINK_AGE=$(abspath $(BUILD)/tests/bin/cclink-age) \
	CCLINK_DHT=$(abspath $(BUILD)/tests/bin/cclink-dht) \
	CCLINK_SESSION=$(abspath $(BUILD)/tests/bin/cclink-session) CCLINK_TOP=$(abspath .) CMOCKA_MESSAGE_OUTPUT=TAP \
	CCLINK_FUZZ_REPLAY=$(abspath $(BUILD)/tests/fuzz)
check: check-deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/cclink $(if $(filter build,$(BUILD)),cclink) $(UNIT_BINS) $(TOOL_BINS) $(FUZZ_REPLAY_BINS) interop-deps claude-deps
	$(CHECK_ENV) prove $(PROVE_FLAGS) --exec '' $(UNIT_BINS) $(sort $(wildcard tests/cli/*.t tests/interop/*.t tests/claude/*.t))

sanitize:
	$(MAKE) BUILD=build-asan SAN=1 check

# The memcheck part of check on its own: cclink's commands and the fuzz seeds under valgrind
# (tests/valgrind/README.md). check runs these too; under SAN=1 they skip.
VALGRIND_TESTS = tests/cli/31-fuzz-replay-valgrind.t tests/interop/90-valgrind-cli.t
valgrind: check-deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/cclink $(FUZZ_REPLAY_BINS) interop-deps
	$(CHECK_ENV) prove $(PROVE_FLAGS) --exec '' $(VALGRIND_TESTS)

FUZZ_CC ?= clang
fuzz:
	@mkdir -p $(BUILD)/fuzz
	@for f in $(FUZZ_SRCS); do n=$$(basename $$f .c); echo "  FUZZ    $$n"; \
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_DEFAULT_SOURCE -Isrc $(PKG_CFLAGS) \
	  -o $(BUILD)/fuzz/$$n $$f $(LIB_SRCS) $(PKG_LIBS) || exit 1; done
	@# New inputs go to a scratch corpus; the committed seeds are read only.
	@# A crash, a leak or an oracle abort fails the target (and make) with libFuzzer's report.
	@for f in $(FUZZ_SRCS); do n=$$(basename $$f .c); mkdir -p $(BUILD)/fuzz/work-$$n; \
	  if ! $(BUILD)/fuzz/$$n -max_total_time=$${FUZZ_TIME:-20} -artifact_prefix=$(BUILD)/fuzz/$$n- \
	    $(BUILD)/fuzz/work-$$n tests/fuzz/corpus/$${n#fuzz_} >$(BUILD)/fuzz/$$n.log 2>&1; then \
	    tail -n 40 $(BUILD)/fuzz/$$n.log; echo "make fuzz: $$n failed (log: $(BUILD)/fuzz/$$n.log)"; \
	    exit 1; fi; tail -n 1 $(BUILD)/fuzz/$$n.log; done

bench: $(BUILD)/cclink $(BUILD)/tests/bin/cclink-dht interop-deps
	CCLINK=$(abspath $(BUILD)/cclink) CCLINK_DHT=$(abspath $(BUILD)/tests/bin/cclink-dht) bench/run.sh
	@# cclink vs bittorrent-dht at 64 and 500 nodes, four cases (BENCH_MATRIX=0 skips it)
	[ "$${BENCH_MATRIX:-1}" = 0 ] || CCLINK=$(abspath $(BUILD)/cclink) \
	  CCLINK_DHT=$(abspath $(BUILD)/tests/bin/cclink-dht) bench/matrix.sh

install: cclink
	install -v -d "$(DESTDIR)$(BINDIR)" && install -v -m 0755 cclink "$(DESTDIR)$(BINDIR)/cclink"
	@if [ -f man/cclink.1 ]; then install -v -d "$(DESTDIR)$(MANDIR)/man1" && install -v -m 0644 man/cclink.1 "$(DESTDIR)$(MANDIR)/man1/cclink.1"; fi
	@if [ -f completions/cclink.bash ]; then install -v -d "$(DESTDIR)$(BASHCOMPDIR)" && install -v -m 0644 completions/cclink.bash "$(DESTDIR)$(BASHCOMPDIR)/cclink"; fi
	@if [ -f completions/_cclink ]; then install -v -d "$(DESTDIR)$(ZSHCOMPDIR)" && install -v -m 0644 completions/_cclink "$(DESTDIR)$(ZSHCOMPDIR)/_cclink"; fi
	@if [ -f completions/cclink.fish ]; then install -v -d "$(DESTDIR)$(FISHCOMPDIR)" && install -v -m 0644 completions/cclink.fish "$(DESTDIR)$(FISHCOMPDIR)/cclink.fish"; fi

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/cclink" "$(DESTDIR)$(MANDIR)/man1/cclink.1" "$(DESTDIR)$(BASHCOMPDIR)/cclink" \
	  "$(DESTDIR)$(ZSHCOMPDIR)/_cclink" "$(DESTDIR)$(FISHCOMPDIR)/cclink.fish"

clean:
	rm -rf build build-asan cclink

-include $(LIB_OBJS:.o=.d) $(CMD_OBJS:.o=.d)
