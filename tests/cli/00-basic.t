#!/bin/sh
# SPDX-License-Identifier: MIT
# The command table, help and usage errors.
. "$(dirname "$0")/lib.sh"

expect_exit "--version exits 0" 0 "$CCLINK" --version
grep_out "--version prints the name and a version" '^cclink [0-9a-z.+-]+'
expect_exit "help exits 0" 0 "$CCLINK" help
grep_out "help lists pickup" '^  pickup '
grep_out "help lists init" '^  init '
expect_exit "--help exits 0" 0 "$CCLINK" --help
expect_exit "unknown command exits 2" 2 "$CCLINK" frobnicate
grep_err "unknown command is named on stderr" "unknown command 'frobnicate'"
expect_exit "help for an unknown command exits 2" 2 "$CCLINK" help frobnicate
for c in init whoami publish pickup list revoke resolve republish; do
	expect_exit "help $c exits 0" 0 "$CCLINK" help "$c"
	grep_out "help $c prints a usage line" "^Usage: cclink"
done
expect_exit "unknown global option exits 2" 2 "$CCLINK" --frobnicate
done_testing
