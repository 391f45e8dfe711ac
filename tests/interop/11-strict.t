#!/bin/sh
# SPDX-License-Identifier: MIT
# cclink against --mainline-strict testnet nodes (Rust mainline >= 6 decoding rules: 4-byte
# t, 4-byte client version, 20-byte id, `target` in every put; anything else is dropped
# silently), both directions: cclink publishes and the oracle resolves; the oracle
# publishes and cclink resolves. None of cclink's datagrams may be dropped.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixtures.sh"

W=$T_DIR/w
mkdir -p "$W"
SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
Z=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
SEED_B=0707070707070707070707070707070707070707070707070707070707070707
SEED_C=1111111111111111111111111111111111111111111111111111111111111111
DHT_TOOL=${CCLINK_DHT:-$CCLINK_TOP/build/tests/bin/cclink-dht}
TAB=$(printf '\t')

if ! check "strict testnet (8 nodes) starts" harness_start_testnet --nodes 8 --mainline-strict; then
	done_testing
	exit 1
fi
# strict_drops: drops of datagrams that did not come from a testnet node (i.e. from a client)
strict_drops() {
	grep 'strict-drop' "$HARNESS_TESTNET_LOG" | sed 's/.* from=\([^ ]*\) .*/\1/' |
		while read -r a; do case ",$HARNESS_BOOTSTRAP," in *",$a,"*) ;; *) echo "$a" ;; esac; done | wc -l
}

# The net really is strict: a 2-byte-t client gets nothing from it.
expect_exit "the oracle with 2-byte t finds no node (the net is strict)" 1 harness_krpc ping "${CCLINK_BOOTSTRAP%%,*}" --tid2 --timeout 400
check "   and the drop is logged" test "$(strict_drops)" -ge 1
D0=$(strict_drops)

# ---- cclink publishes ------------------------------------------------------------------------
check "identity imported" fx_identity "$SEED"
fx_session "$W/proj"
expect_exit "cclink resolve before publish: not found (exit 3)" 3 "$CCLINK" resolve "$Z"
fx_publish "$W/proj"
if [ "$RC" -eq 0 ]; then ok "cclink publish on the strict net"; else not_ok "cclink publish on the strict net (exit $RC)"; diag "$(cat "$T_DIR/err")"; fi
grep_out "stored on every node (8)" 'DHT: 8 nodes queried, 8 answered, 8 stored'
expect_exit "cclink resolve --json" 0 "$CCLINK" resolve "$Z" --json
C_TS=$(fx_json .timestamp_us)
C_VAL=$(fx_json .records.0.value)
expect_exit "the oracle resolves it" 0 harness_krpc resolve "$Z" --packet-out "$W/k.sp"
fx_is "   same seq" "$(fx_json .seq)" "$C_TS"
fx_is "   same _cclink value" "$(fx_json .txt)" "$C_VAL"
check "   held by all 8 nodes" test "$(fx_json .valid)" -eq 8
expect_exit "the JS cclink 1.3 implementation opens it" 0 harness_compat open --packet "$W/k.sp" --seed "$SEED"
fx_is "   session id" "$(fx_json .session_id)" 0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e
fx_is "no datagram of cclink was dropped by a strict node" "$(strict_drops)" "$D0"

# ---- the oracle publishes --------------------------------------------------------------------
ZB=$(fx_z32 "$SEED_B")
expect_exit "the oracle publishes TXT + A" 0 harness_krpc publish --seed "$SEED_B" --txt '_cclink=strict one' --a '@=10.9.8.7' --ttl 900 --packet-out "$W/b.sp"
B_SEQ=$(fx_json .seq)
expect_exit "cclink resolve finds it" 0 "$CCLINK" resolve "$ZB"
grep_out "   TXT" "^  _cclink${TAB}TXT${TAB}900${TAB}strict one\$"
grep_out "   A" "^  @${TAB}A${TAB}900${TAB}10\\.9\\.8\\.7\$"
grep_out "   packet time" "\\($B_SEQ µs\\)"
run "$DHT_TOOL" get "$ZB" --bootstrap "$CCLINK_BOOTSTRAP"
fx_is "cclink-dht get: byte-identical" "$(cat "$T_DIR/out")" "$(fx_sp_hex "$W/b.sp")"
expect_exit "the oracle publishes a newer packet" 0 harness_krpc publish --seed "$SEED_B" --txt '_cclink=strict two' --ttl 900
expect_exit "cclink resolve" 0 "$CCLINK" resolve "$ZB" --json
fx_is "   returns the newer one" "$(fx_json .records.0.value)" "strict two"

# ---- the transport alone ---------------------------------------------------------------------
harness_krpc make-packet --seed "$SEED_C" --txt '_cclink=put by cclink-dht' --packet-out "$W/c.sp" >/dev/null
expect_exit "cclink-dht put (target in every put)" 0 "$DHT_TOOL" put "$W/c.sp" --bootstrap "$CCLINK_BOOTSTRAP"
fx_is "   stored on all 8" "$(fx_json .stored)" 8
expect_exit "the oracle resolves it" 0 harness_krpc resolve "$(fx_z32 "$SEED_C")" --packet-out "$W/c2.sp"
check "   byte-identical" cmp -s "$W/c.sp" "$W/c2.sp"

# cclink revoke on the strict net: the oracle sees the packet without _cclink.
expect_exit "cclink revoke -y" 0 "$CCLINK" revoke -y
expect_exit "the oracle resolves the revocation" 0 harness_krpc resolve "$Z" --label _cclink
check "   it is newer than the publish" test "$(fx_json .seq)" -gt "$C_TS"
fx_is "   and has no _cclink" "$(fx_json .txt)" null
fx_is "still no datagram of cclink dropped" "$(strict_drops)" "$D0"

done_testing
