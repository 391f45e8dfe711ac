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
	tmux openssh-client openssh-server perl valgrind util-linux iproute2 mandoc zsh fish \
	debhelper dpkg-dev fakeroot lintian

# The release number lives in VERSION; the commit (when built from git) is appended.
VERSION := $(shell cat VERSION 2>/dev/null)
GIT_REV := $(shell git rev-parse --short HEAD 2>/dev/null)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)

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
ifneq ($(GIT_REV),)
CFLAGS += -DCCLINK_GIT_REV='"$(GIT_REV)"'
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

# src/ is grouped by layer; every folder is on the include path.
SRC_DIRS = src/util src/crypto src/pkarr src/net src/identity src/handoff src/cli
SRC_INC = $(addprefix -I,$(SRC_DIRS))

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CFLAGS += $(PKG_CFLAGS)
LDLIBS += $(PKG_LIBS)

# The library: everything below the command layer (unit tests link it).
LIB_SRCS = \
	src/util/err.c \
	src/util/buf.c \
	src/util/hex.c \
	src/crypto/b64.c \
	src/crypto/z32.c \
	src/crypto/bech32.c \
	src/crypto/hkdf.c \
	src/crypto/kdf.c \
	src/util/secret.c \
	src/crypto/signer.c \
	src/util/fsutil.c \
	src/crypto/age.c \
	src/identity/keys.c \
	src/identity/identity.c \
	src/identity/agent_msg.c \
	src/identity/agent.c \
	src/identity/agent_derive.c \
	src/identity/signer_agent.c \
	src/identity/keyrec.c \
	src/identity/identity_agent.c \
	src/identity/identity_ssh.c \
	src/identity/sshkey.c \
	src/identity/sshkey_file.c \
	src/identity/prompt.c \
	src/cli/config.c \
	src/crypto/sha1.c \
	src/net/bencode.c \
	src/net/krpc.c \
	src/net/dht.c \
	src/net/dht_item.c \
	src/net/dht_cand.c \
	src/net/dht_put.c \
	src/net/sockaddr.c \
	src/net/net.c \
	src/pkarr/dns.c \
	src/pkarr/dns_text.c \
	src/pkarr/pkarr.c \
	src/net/relay.c \
	src/net/transport.c \
	src/handoff/handoff.c \
	src/util/jsonw.c \
	src/util/textsafe.c \
	src/util/jsonr.c \
	src/handoff/record.c \
	src/handoff/record_age.c \
	src/handoff/pin.c \
	src/handoff/session.c \
	src/handoff/session_find.c \
	src/handoff/session_detect.c \
	src/handoff/resume.c \
	src/handoff/bundle.c \
	src/handoff/bundle_io.c \
	src/handoff/bundle_recv.c \
	src/net/proxy.c \
	src/handoff/terminfo.c \
	src/handoff/statedir.c \
	src/handoff/keeper.c \
	src/cli/cli.c

# The command layer: the only code that prints for the user or exits.
CMD_SRCS = \
	src/cli/main.c \
	src/cli/cli_net.c \
	src/cli/cli_qr.c \
	src/cli/cli_common.c \
	src/cli/cli_fetch.c \
	src/cli/cli_keyrec.c \
	src/cli/cmd_init.c \
	src/cli/cmd_init_agent.c \
	src/cli/cmd_whoami.c \
	src/cli/cmd_publish.c \
	src/cli/cmd_pickup.c \
	src/cli/cmd_list.c \
	src/cli/cmd_revoke.c \
	src/cli/cmd_resolve.c \
	src/cli/cmd_receive.c \
	src/cli/cli_proc.c \
	src/cli/cmd_ssh.c \
	src/cli/cmd_ssh_proxy.c \
	src/cli/cmd_republish.c \
	src/cli/cmd_keeper.c \
	src/cli/cli_expiry.c

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

.PHONY: FORCE all check unit sanitize valgrind fuzz install uninstall clean deps check-deps interop-deps claude-deps bench demo deb
all: cclink

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) $(SRC_INC) -c -o $@ $<

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

# The version (VERSION and the commit) is compiled into the files that include version.h.
# The stamp changes only when the version does, so `make` after a commit rebuilds exactly
# those objects and --version never shows a stale commit.
VERSION_STAMP = $(BUILD)/version.stamp
VERSION_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(shell grep -l '"version.h"' $(LIB_SRCS) $(CMD_SRCS)))
$(VERSION_OBJS): $(VERSION_STAMP)
$(VERSION_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(VERSION) $(GIT_REV)' | cmp -s - $@ || echo '$(VERSION) $(GIT_REV)' >$@
FORCE:

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIBCCLINK)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) $(SRC_INC) -Itests/unit $(LDFLAGS) -o $@ $< $(LIBCCLINK) $(LDLIBS) -lcmocka

$(BUILD)/tests/bin/%: tests/bin/%.c $(LIBCCLINK)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) $(SRC_INC) $(LDFLAGS) -o $@ $< $(LIBCCLINK) $(LDLIBS)

$(BUILD)/tests/fuzz/%: tests/fuzz/%.c $(BUILD)/tests/fuzz/replay.o $(LIBCCLINK)
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(CFLAGS) -Wno-unused-result $(SRC_INC) $(LDFLAGS) -o $@ $< $(BUILD)/tests/fuzz/replay.o \
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
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_DEFAULT_SOURCE $(SRC_INC) $(PKG_CFLAGS) \
	  -o $(BUILD)/fuzz/$$n $$f $(LIB_SRCS) $(PKG_LIBS) || exit 1; done
	@# New inputs go to a scratch corpus; the committed seeds are read only.
	@# A crash, a leak or an oracle abort fails the target (and make) with libFuzzer's report.
	@for f in $(FUZZ_SRCS); do n=$$(basename $$f .c); mkdir -p $(BUILD)/fuzz/work-$$n; \
	  if ! $(BUILD)/fuzz/$$n -max_total_time=$${FUZZ_TIME:-20} -artifact_prefix=$(BUILD)/fuzz/$$n- \
	    $(BUILD)/fuzz/work-$$n tests/fuzz/corpus/$${n#fuzz_} >$(BUILD)/fuzz/$$n.log 2>&1; then \
	    tail -n 40 $(BUILD)/fuzz/$$n.log; echo "make fuzz: $$n failed (log: $(BUILD)/fuzz/$$n.log)"; \
	    exit 1; fi; tail -n 1 $(BUILD)/fuzz/$$n.log; done

# A whole handoff on loopback, narrated (demo/demo.sh): installs what is missing, builds, runs.
demo: check-deps
	$(Q)$(MAKE) --no-print-directory $(BUILD)/cclink $(if $(filter build,$(BUILD)),cclink) interop-deps
	CCLINK=$(abspath $(BUILD)/cclink) demo/demo.sh

# A Debian package from debian/ (dpkg-buildpackage; the .deb lands in ..).
deb:
	dpkg-buildpackage -us -uc -b

bench: $(BUILD)/cclink $(BUILD)/tests/bin/cclink-dht interop-deps
	CCLINK=$(abspath $(BUILD)/cclink) CCLINK_DHT=$(abspath $(BUILD)/tests/bin/cclink-dht) bench/run.sh
	@# cclink vs bittorrent-dht at 64 and 500 nodes, four cases (BENCH_MATRIX=0 skips it)
	[ "$${BENCH_MATRIX:-1}" = 0 ] || CCLINK=$(abspath $(BUILD)/cclink) \
	  CCLINK_DHT=$(abspath $(BUILD)/tests/bin/cclink-dht) bench/matrix.sh

SHAREDIR ?= $(PREFIX)/share/cclink
# What `make install` puts under $(SHAREDIR): the ssh_config recipes, the Claude Code files.
SHARE_FILES = $(wildcard ssh-integration/* contrib/claude-code/* contrib/systemd/*)

install: $(BUILD)/cclink
	install -v -d "$(DESTDIR)$(BINDIR)" && install -v -m 0755 $(BUILD)/cclink "$(DESTDIR)$(BINDIR)/cclink"
	install -v -d "$(DESTDIR)$(MANDIR)/man1" && install -v -m 0644 man/cclink.1 "$(DESTDIR)$(MANDIR)/man1/cclink.1"
	install -v -d "$(DESTDIR)$(BASHCOMPDIR)" && install -v -m 0644 completions/cclink.bash "$(DESTDIR)$(BASHCOMPDIR)/cclink"
	install -v -d "$(DESTDIR)$(ZSHCOMPDIR)" && install -v -m 0644 completions/_cclink "$(DESTDIR)$(ZSHCOMPDIR)/_cclink"
	install -v -d "$(DESTDIR)$(FISHCOMPDIR)" && install -v -m 0644 completions/cclink.fish "$(DESTDIR)$(FISHCOMPDIR)/cclink.fish"
	@for f in $(SHARE_FILES); do [ -f "$$f" ] || continue; d="$(DESTDIR)$(SHAREDIR)/$$(basename $$(dirname $$f))"; \
	  m=0644; [ -x "$$f" ] && m=0755; install -d "$$d" && install -v -m $$m "$$f" "$$d/" || exit 1; done

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/cclink" "$(DESTDIR)$(MANDIR)/man1/cclink.1" "$(DESTDIR)$(BASHCOMPDIR)/cclink" \
	  "$(DESTDIR)$(ZSHCOMPDIR)/_cclink" "$(DESTDIR)$(FISHCOMPDIR)/cclink.fish"
	rm -rf "$(DESTDIR)$(SHAREDIR)"

clean:
	rm -rf build build-asan cclink debian/cclink debian/.debhelper debian/debhelper-build-stamp \
	  debian/files debian/cclink.substvars

-include $(LIB_OBJS:.o=.d) $(CMD_OBJS:.o=.d)
