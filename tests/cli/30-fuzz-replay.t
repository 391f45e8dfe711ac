#!/bin/sh
# SPDX-License-Identifier: MIT
# Every libFuzzer target replays its committed seed corpus (tests/fuzz/corpus/NAME/), linked
# with tests/fuzz/replay.c instead of libFuzzer, so a harness whose oracle aborts on a valid
# input fails here (under make sanitize, with ASan and UBSan too). The corpora keep the
# regression inputs of bugs the fuzzers found, e.g. pkarr/item-small3-seq: the small3 seed
# without its 8 timestamp bytes is a valid DHT item at the harness's fixed seq.
. "$(dirname "$0")/lib.sh"
: "${CCLINK_FUZZ_REPLAY:?set CCLINK_FUZZ_REPLAY to the build's tests/fuzz directory (make check does)}"

for src in "$CCLINK_TOP"/tests/fuzz/fuzz_*.c; do
	n=$(basename "$src" .c)
	corpus="$CCLINK_TOP/tests/fuzz/corpus/${n#fuzz_}"
	if [ ! -d "$corpus" ]; then
		not_ok "$n: has a seed corpus at tests/fuzz/corpus/${n#fuzz_}"
		continue
	fi
	run "$CCLINK_FUZZ_REPLAY/$n" "$corpus"
	if [ "$RC" -eq 0 ] && grep -q '^replayed [1-9]' "$T_DIR/out"; then
		ok "$n replays its seed corpus ($(cat "$T_DIR/out"))"
	else
		not_ok "$n replays its seed corpus (exit $RC)"
		diag "$(tail -n 20 "$T_DIR/err")"
	fi
done
done_testing
