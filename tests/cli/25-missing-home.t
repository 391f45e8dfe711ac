#!/bin/sh
# SPDX-License-Identifier: MIT
# A HOME that does not exist (or is not a directory) is an error that names it: init never
# creates it (it used to make $HOME/.pubky and all its parents and exit 0), and the other
# commands say why there is no key.
. "$(dirname "$0")/lib.sh"

NOHOME="$T_DIR/no/such/home"
printf '2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a' >"$T_DIR/seed"

expect_exit "HOME=<missing> cclink init: exit 2" 2 env HOME="$NOHOME" "$CCLINK" init --no-passphrase
grep_err "the message names HOME and its value" "HOME \\($NOHOME\\) does not exist"
check "nothing was created" test ! -e "$T_DIR/no"
expect_exit "init -y --import with a missing HOME: exit 2" 2 \
	env HOME="$NOHOME" "$CCLINK" init -y --no-passphrase --import "$T_DIR/seed"
check "still nothing created" test ! -e "$T_DIR/no"

printf 'x' >"$T_DIR/file"
expect_exit "HOME naming a regular file: exit 2" 2 env HOME="$T_DIR/file" "$CCLINK" init --no-passphrase
grep_err "the message names it" "HOME \\($T_DIR/file\\) does not exist or is not a directory"

expect_exit "whoami with a missing HOME fails" 1 env HOME="$NOHOME" "$CCLINK" whoami
grep_err "and names HOME, not a missing key" "HOME \\($NOHOME\\) is not an existing directory"
check "whoami created nothing" test ! -e "$T_DIR/no"

expect_exit "a relative HOME: exit 2" 2 env HOME=relative/home "$CCLINK" init --no-passphrase
grep_err "says HOME is not absolute" 'HOME is not set to an absolute path'

# An existing HOME still works (and .pubky is created in it).
mkdir -p "$T_DIR/real"
expect_exit "an existing HOME works" 0 env HOME="$T_DIR/real" "$CCLINK" init --no-passphrase
check "the key is in it" test -f "$T_DIR/real/.pubky/secret_key"

done_testing
