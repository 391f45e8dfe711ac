#!/bin/sh
# SPDX-License-Identifier: MIT
# The seed corpora of every fuzz target (see 30-fuzz-replay.t) replayed under valgrind
# memcheck: reads of uninitialised memory that ASan does not see. Skipped for ASan builds
# (make sanitize), where 30-fuzz-replay.t already runs them with ASan.
. "$(dirname "$0")/lib.sh"
: "${CCLINK_FUZZ_REPLAY:?set CCLINK_FUZZ_REPLAY to the build's tests/fuzz directory (make check does)}"

if ldd "$CCLINK" 2>/dev/null | grep -q 'libasan'; then
	echo "1..0 # SKIP an ASan build; valgrind runs in plain make check"
	exit 0
fi
if ! command -v valgrind >/dev/null 2>&1; then
	not_ok "valgrind is installed (Debian package valgrind; make deps installs it)"
	done_testing
	exit 1
fi
for src in "$CCLINK_TOP"/tests/fuzz/fuzz_*.c; do
	n=$(basename "$src" .c)
	run valgrind --quiet --error-exitcode=99 --leak-check=no \
		--suppressions="$CCLINK_TOP/tests/valgrind/cclink.supp" \
		"$CCLINK_FUZZ_REPLAY/$n" "$CCLINK_TOP/tests/fuzz/corpus/${n#fuzz_}"
	if [ "$RC" -eq 0 ] && [ ! -s "$T_DIR/err" ] && grep -q '^replayed [1-9]' "$T_DIR/out"; then
		ok "$n: seed corpus under memcheck ($(cat "$T_DIR/out"))"
	else
		not_ok "$n: seed corpus under memcheck (exit $RC)"
		diag "$(head -c 4000 "$T_DIR/err")"
	fi
done
done_testing
