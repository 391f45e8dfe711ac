#!/bin/sh
# SPDX-License-Identifier: MIT
# The command table, help and usage errors.
. "$(dirname "$0")/lib.sh"

expect_exit "--version exits 0" 0 "$CCLINK" --version
grep_out "--version prints the name and a version" '^cclink [0-9a-z.+-]+'
grep_out "--version prints the release number of the VERSION file" "^cclink $(cat "$CCLINK_TOP/VERSION")( |\$)"
expect_exit "help help exits 0" 0 "$CCLINK" help help
grep_out "help help prints its usage" '^Usage: cclink help'
expect_exit "help config exits 0" 0 "$CCLINK" help config
for k in identity bootstrap relays map timeout keep keep_interval; do
	grep_out "help config describes '$k'" "^  $k = "
done
mkdir -p "$XDG_CONFIG_HOME/cclink"
printf 'frobnicate = 1\n' >"$XDG_CONFIG_HOME/cclink/config"
expect_exit "a config error exits 2" 2 "$CCLINK" whoami
grep_err "and points to help config" "cclink help config"
rm -f "$XDG_CONFIG_HOME/cclink/config"
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
