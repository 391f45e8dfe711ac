#!/bin/sh
# SPDX-License-Identifier: MIT
# cclink resolve shows every byte of a TXT value: pkarr's own clients publish values with NUL
# bytes, and the value must not be cut at the first one (text: \x00 escapes; --json: \u0000).
# The packet is made and published by the independent JS client (krpc-client.mjs).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

SEED=4141414141414141414141414141414141414141414141414141414141414141
if ! check "testnet starts" harness_start_testnet --nodes 8; then
	done_testing
	exit 1
fi
CCLINK_RELAYS=none
export CCLINK_RELAYS
# "ab" NUL "cd" NUL NUL "tail", and a value that is only a NUL
printf 'ab\000cd\000\000tail' >"$T_DIR/v1"
printf '\000' >"$T_DIR/v2"
expect_exit "the JS client publishes TXT values holding NUL bytes" 0 harness_krpc publish --seed "$SEED" \
	--txt-file "_nul=$T_DIR/v1" --txt-file "_zero=$T_DIR/v2" --txt "_plain=hello"
Z=$(harness_json .z32 <"$T_DIR/out")
check "it names the key" test -n "$Z"

expect_exit "resolve finds the packet" 0 "$CCLINK" resolve "pk:$Z"
grep_out "text: the whole value, NUL bytes escaped" '^  _nul	TXT	[0-9]+	ab\\x00cd\\x00\\x00tail$'
grep_out "text: a value that is one NUL" '^  _zero	TXT	[0-9]+	\\x00$'
grep_out "text: a plain value is unchanged" '^  _plain	TXT	[0-9]+	hello$'
no_nul() { [ "$(tr -d '\000' <"$1" | wc -c)" -eq "$(wc -c <"$1")" ]; }
check "text: no raw NUL byte reaches the output" no_nul "$T_DIR/out"

expect_exit "resolve --json finds the packet" 0 "$CCLINK" resolve --json "pk:$Z"
value_of() {
	"$HARNESS_NODE" -e '
let s = ""; process.stdin.on("data", (d) => { s += d }).on("end", () => {
  const r = JSON.parse(s).records.find((x) => x.name === process.argv[1])
  process.stdout.write(r ? Buffer.from(r.value, "utf8").toString("hex") : "missing")
})' "$1" <"$T_DIR/out"
}
is "--json: the whole value, NUL bytes as \\u0000" "$(value_of _nul)" "$(od -An -tx1 "$T_DIR/v1" | tr -d ' \n')"
is "--json: a value that is one NUL" "$(value_of _zero)" 00
is "--json: a plain value" "$(value_of _plain)" 68656c6c6f
grep_out "--json escapes NUL as \\u0000" '"ab\\u0000cd\\u0000\\u0000tail"'

done_testing
