#!/bin/sh
# SPDX-License-Identifier: MIT
# cclink on a hostile loopback DHT: dead (silent) nodes, also as the first bootstrap node;
# a stale node that keeps serving an old, validly signed packet; a forged node that serves
# a newer seq with a bad signature for known keys and correctly signed items of another key
# for the rest. Publish v1 then v2: every resolve must return v2 (the newest valid packet),
# never the forged one, and finish (bounded by `timeout 30`; no timing is asserted).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixtures.sh"

W=$T_DIR/w
mkdir -p "$W"
SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
Z=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
SEED_B=0707070707070707070707070707070707070707070707070707070707070707
NOBODY=yg4gxe7z1r7mr6orids9fh95y7gxhdsxjqi6nngsxxtakqaxr5no
DHT_TOOL=${CCLINK_DHT:-$CCLINK_TOP/build/tests/bin/cclink-dht}
T30="timeout 30"

if ! check "testnet: 12 nodes, 3 silent, a stale and a forged node" \
	harness_start_testnet --nodes 12 --silent 3 --stale-node --forged-node --forged-key "$NOBODY"; then
	done_testing
	exit 1
fi
DEAD=${HARNESS_SILENT%%,*}
check "three silent nodes" test "$(echo "$HARNESS_SILENT" | tr ',' '\n' | grep -c .)" -eq 3
check "identity imported" fx_identity "$SEED"
fx_session "$W/proj"

# ---- cclink publishes v1, v2 ----------------------------------------------------------------------
run $T30 sh -c 'cd "$1" && exec "$2" publish -y' x "$W/proj" "$CCLINK"
if [ "$RC" -eq 0 ]; then ok "publish v1"; else not_ok "publish v1 (exit $RC)"; diag "$(cat "$T_DIR/err")"; fi
expect_exit "resolve v1" 0 $T30 "$CCLINK" resolve "$Z" --json
V1=$(fx_json .timestamp_us)
V1_VAL=$(fx_json .records.0.value)
run $T30 sh -c 'cd "$1" && exec "$2" publish -y' x "$W/proj" "$CCLINK"
if [ "$RC" -eq 0 ]; then ok "publish v2 (the forged newer seq does not make it a conflict)"; else
	not_ok "publish v2 (exit $RC)"; diag "$(cat "$T_DIR/err")"; fi

# The faults are really there.
expect_exit "the stale node still serves v1" 0 harness_krpc get-from "$HARNESS_STALE" "$Z"
fx_is "   (a valid item with v1's seq)" "$(fx_json .verdict) $(fx_json .seq)" "valid $V1"
expect_exit "the forged node serves an item" 0 harness_krpc get-from "$HARNESS_FORGED" "$Z"
fx_is "   with a bad signature" "$(fx_json .verdict)" "bad signature"
FORGED_SEQ=$(fx_json .seq)
check "   and a higher seq than anything honest" test "$FORGED_SEQ" -gt "$V1"
expect_exit "a silent node does not answer" 1 harness_krpc ping "$DEAD" --timeout 300

expect_exit "cclink resolve (finishes)" 0 $T30 "$CCLINK" resolve "$Z" --json
V2=$(fx_json .timestamp_us)
check "   returns v2: newer than v1" test "$V2" -gt "$V1"
check "   not the forged packet" test "$V2" -lt "$FORGED_SEQ"
check "   v2's record differs from v1's" test "$(fx_json .records.0.value)" != "$V1_VAL"
expect_exit "the oracle agrees" 0 harness_krpc resolve "$Z"
fx_is "   same seq" "$(fx_json .seq)" "$V2"
run $T30 "$DHT_TOOL" get "$Z" --bootstrap "$CCLINK_BOOTSTRAP"
check "cclink-dht get returns v2 too" sh -c 'test "$(cut -c 193-208 "$1")" = "$(printf %016x "$2")"' x "$T_DIR/out" "$V2"

# A dead node first in the bootstrap list.
expect_exit "dead first bootstrap node: resolve still works" 0 env CCLINK_BOOTSTRAP="$DEAD,$CCLINK_BOOTSTRAP" $T30 "$CCLINK" resolve "$Z" --json
fx_is "   and returns v2" "$(fx_json .timestamp_us)" "$V2"
expect_exit "only dead bootstrap nodes: exit 1" 1 env CCLINK_BOOTSTRAP="$HARNESS_SILENT" $T30 "$CCLINK" resolve "$Z"

# A key with only a forged item (the forged node's --forged-key) is not found.
nlog() { grep -c "forged node=.* $1" "$HARNESS_TESTNET_LOG"; }
N0=$(nlog bad-signature)
expect_exit "a key nobody published, but forged: not found (exit 3)" 3 $T30 "$CCLINK" resolve "$NOBODY"
check "   the forged node did serve it a bad-signature item" test "$(nlog bad-signature)" -gt "$N0"
expect_exit "   cclink-dht get: not found either" 3 $T30 "$DHT_TOOL" get "$NOBODY" --bootstrap "$CCLINK_BOOTSTRAP"
# Unknown keys get an item signed by another key (sha1(k) != target): ignored.
ZB=$(fx_z32 "$SEED_B")
N0=$(nlog wrong-key)
expect_exit "a key nobody published: not found (wrong-key items ignored)" 3 $T30 "$CCLINK" resolve "$ZB"
check "   the forged node served it a wrong-key item" test "$(nlog wrong-key)" -gt "$N0"

# ---- the harness publishes v1, v2 with fixed timestamps ---------------------------------------
NOW=$(($(date +%s) * 1000000))
expect_exit "oracle publishes B v1" 0 harness_krpc publish --seed "$SEED_B" --txt _cclink=one --ts "$NOW"
expect_exit "oracle publishes B v2" 0 harness_krpc publish --seed "$SEED_B" --txt _cclink=two --ts "$((NOW + 5))"
expect_exit "the stale node serves B v1" 0 harness_krpc get-from "$HARNESS_STALE" "$ZB"
fx_is "   (its first packet)" "$(fx_json .txt)" one
expect_exit "cclink resolve B" 0 $T30 "$CCLINK" resolve "$ZB" --json
fx_is "   v2, exactly" "$(fx_json .timestamp_us) $(fx_json .records.0.value)" "$((NOW + 5)) two"

done_testing
