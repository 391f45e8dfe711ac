#!/bin/sh
# SPDX-License-Identifier: MIT
# cclink through PKARR relays (tests/interop/relay.mjs): the pkarr v7 API and the pkarr@1.3.0
# (--legacy) API; DHT unreachable but a relay up; the relay down but the DHT up; both down
# (exit 1 naming what was tried); not found (exit 3).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixtures.sh"

W=$T_DIR/w
mkdir -p "$W"
SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
Z=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
SEED_B=0707070707070707070707070707070707070707070707070707070707070707
SEED_C=1111111111111111111111111111111111111111111111111111111111111111
NOBODY=yg4gxe7z1r7mr6orids9fh95y7gxhdsxjqi6nngsxxtakqaxr5no
TAB=$(printf '\t')

if ! check "testnet (8 nodes) starts" harness_start_testnet --nodes 8; then
	done_testing
	exit 1
fi
DHT_BOOT=$CCLINK_BOOTSTRAP
CLOSED=127.0.0.1:$(fx_closed_port)
check "identity imported" fx_identity "$SEED"
fx_session "$W/proj"

# ---- v7 relay next to the DHT -----------------------------------------------------------------
check "v7 relay starts" harness_start_relay
V7=$HARNESS_RELAY
V7_PID=$HARNESS_RELAY_PID
V7_LOG=$HARNESS_RELAY_LOG
fx_publish "$W/proj"
check "publish to DHT + v7 relay" test "$RC" -eq 0
grep_out "   the relay accepted it" 'relays: 1 of 1 accepted'
# The relay logs just after it answers: give the line a moment to land.
log_has() { _i=20; while ! grep -q "$1" "$2" && [ "$_i" -gt 0 ]; do sleep 0.1; _i=$((_i - 1)); done; grep -q "$1" "$2"; }
check "   the relay got a PUT and answered 204" log_has "PUT /$Z -> 204" "$V7_LOG"
expect_exit "resolve --json" 0 "$CCLINK" resolve "$Z" --json
fx_is "   both transports returned the same packet" "$(fx_json .sources)" '["dht","relay"]'
fx_is "   the relay's report" "$(fx_json .report.relays.0.status) $(fx_json .report.relays.0.http)" "ok 200"
check "   the relay was asked with GET" log_has "GET /$Z" "$V7_LOG"
TS1=$(fx_json .timestamp_us)

# ---- DHT unreachable, relay up ---------------------------------------------------------------
CCLINK_BOOTSTRAP=$CLOSED
export CCLINK_BOOTSTRAP
fx_publish "$W/proj"
if [ "$RC" -eq 0 ]; then ok "DHT unreachable: publish through the v7 relay"; else not_ok "DHT unreachable: publish through the v7 relay (exit $RC)"; diag "$(cat "$T_DIR/err")"; fi
grep_out "   the relay accepted it" 'relays: 1 of 1 accepted'
expect_exit "DHT unreachable: resolve through the relay" 0 "$CCLINK" resolve "$Z" --json
fx_is "   source: the relay only" "$(fx_json .sources)" '["relay"]'
TS2=$(fx_json .timestamp_us)
check "   it is the new packet" test "$TS2" -gt "$TS1"
CCLINK_BOOTSTRAP=$DHT_BOOT harness_krpc resolve "$Z" >"$T_DIR/out" 2>"$T_DIR/err"
fx_is "the relay stored it on the DHT (the oracle sees the new packet)" "$(fx_json .seq)" "$TS2"
expect_exit "DHT unreachable: a key nobody published: exit 3" 3 "$CCLINK" resolve "$NOBODY"
grep_err "   no packet is published" "no packet is published for pk:$NOBODY"

# ---- relay down, DHT up -----------------------------------------------------------------------
harness_kill "$V7_PID"
CCLINK_BOOTSTRAP=$DHT_BOOT
CCLINK_RELAYS=$V7
export CCLINK_BOOTSTRAP CCLINK_RELAYS
check "the relay is down" sh -c "! curl -s -o /dev/null '$V7/'"
fx_publish "$W/proj"
if [ "$RC" -eq 0 ]; then ok "relay down: publish on the DHT"; else not_ok "relay down: publish on the DHT (exit $RC)"; diag "$(cat "$T_DIR/err")"; fi
grep_out "   stored on the DHT, the relay refused" 'DHT: 8 nodes queried, 8 answered, 8 stored; relays: 0 of 1 accepted'
expect_exit "relay down: resolve" 0 "$CCLINK" resolve "$Z" --json
fx_is "   source: the DHT" "$(fx_json .sources)" '["dht"]'
fx_is "   the relay failed" "$(fx_json .report.relays.0.status)" error
TS3=$(fx_json .timestamp_us)
check "   it is the newest packet" test "$TS3" -gt "$TS2"
expect_exit "relay down: a key nobody published: exit 3" 3 "$CCLINK" resolve "$NOBODY"

# ---- both down ----------------------------------------------------------------------------------
CCLINK_BOOTSTRAP=$CLOSED
export CCLINK_BOOTSTRAP
expect_exit "DHT and relay down: resolve exits 1" 1 timeout 30 "$CCLINK" resolve "$Z"
grep_err "   says nothing could be reached" 'no DHT node or relay could be reached'
grep_err "   names the DHT attempt" 'DHT: [0-9]+ nodes? queried, none answered'
grep_err "   names the relay and its error" "relay $V7: error"
check "   prints nothing on stdout" test ! -s "$T_DIR/out"
expect_exit "DHT and relay down: publish exits 1" 1 timeout 30 sh -c 'cd "$1" && exec "$2" publish -y' x "$W/proj" "$CCLINK"
grep_err "   says nothing could be reached" 'no DHT node or relay could be reached'
CCLINK_RELAYS=none
export CCLINK_RELAYS
expect_exit "DHT down, no relays configured: exit 1" 1 timeout 30 "$CCLINK" resolve "$Z"
grep_err "   names the DHT attempt" 'DHT: [0-9]+ nodes? queried, none answered'

# ---- relay-only cache (no DHT anywhere) ------------------------------------------------------
check "DHT-off relay starts" harness_start_relay --dht-off
CCLINK_RELAYS=$HARNESS_RELAY
CCLINK_BOOTSTRAP=none
export CCLINK_RELAYS CCLINK_BOOTSTRAP
check "identity B imported" fx_identity "$SEED_B" "$W/homeB"
fx_session "$W/projB" 6c2f1a9e-0d3b-4e5f-8a7b-1c2d3e4f5a6b "$W/homeB"
run env HOME="$W/homeB" sh -c 'cd "$1" && exec "$2" publish -y' x "$W/projB" "$CCLINK"
check "bootstrap=none: publish to the relay only" test "$RC" -eq 0
grep_out "   DHT not used" 'DHT: not used'
ZB=$(fx_z32 "$SEED_B")
expect_exit "bootstrap=none: resolve from the relay only" 0 "$CCLINK" resolve "$ZB" --json
fx_is "   source: relay; DHT unused" "$(fx_json .sources) $(fx_json .report.dht.used)" '["relay"] false'
expect_exit "it is not on the DHT (the relay has no DHT)" 3 harness_krpc resolve "$ZB" --bootstrap "$DHT_BOOT"

# ---- legacy relay (pkarr@1.3.0: PUT 200, GET first DHT answer) ----------------------------------
check "legacy relay starts" harness_start_relay --legacy
LEG=$HARNESS_RELAY
LEG_LOG=$HARNESS_RELAY_LOG
CCLINK_RELAYS=$LEG
CCLINK_BOOTSTRAP=$CLOSED
export CCLINK_RELAYS CCLINK_BOOTSTRAP
check "identity C imported" fx_identity "$SEED_C" "$W/homeC"
fx_session "$W/projC" 7d3e2b1a-4c5d-4e6f-9a8b-2c3d4e5f6a7b "$W/homeC"
run env HOME="$W/homeC" sh -c 'cd "$1" && exec "$2" publish -y' x "$W/projC" "$CCLINK"
if [ "$RC" -eq 0 ]; then ok "DHT unreachable: publish through the legacy relay"; else not_ok "DHT unreachable: publish through the legacy relay (exit $RC)"; diag "$(cat "$T_DIR/err")"; fi
ZC=$(fx_z32 "$SEED_C")
check "   the legacy relay answered the PUT with 200" log_has "PUT /$ZC -> 200" "$LEG_LOG"
expect_exit "resolve through the legacy relay" 0 "$CCLINK" resolve "$ZC" --json
fx_is "   source: relay" "$(fx_json .sources)" '["relay"]'
LTS=$(fx_json .timestamp_us)
LVAL=$(fx_json .records.0.value)
CCLINK_BOOTSTRAP=$DHT_BOOT harness_krpc resolve "$ZC" >"$T_DIR/out" 2>"$T_DIR/err"
fx_is "the legacy relay put it on the DHT: same packet" "$(fx_json .seq) $(fx_json .txt)" "$LTS $LVAL"
expect_exit "the JS cclink 1.3 implementation opens it from the legacy relay" 0 \
	harness_compat open --pubkey "$ZC" --relay "$LEG" --seed "$SEED_C"
fx_is "   session id" "$(fx_json .session_id)" 7d3e2b1a-4c5d-4e6f-9a8b-2c3d4e5f6a7b
run env HOME="$W/homeC" sh -c 'cd "$1" && exec "$2" publish -y' x "$W/projC" "$CCLINK"
check "a second publish through the legacy relay" test "$RC" -eq 0
expect_exit "resolve" 0 "$CCLINK" resolve "$ZC" --json
check "   returns the newer packet" test "$(fx_json .timestamp_us)" -gt "$LTS"
expect_exit "legacy relay: a key nobody published: exit 3" 3 "$CCLINK" resolve "$NOBODY"

# Both relays and the DHT at once: the packet comes from everywhere.
CCLINK_RELAYS=$LEG,$V7
CCLINK_BOOTSTRAP=$DHT_BOOT
export CCLINK_RELAYS CCLINK_BOOTSTRAP
expect_exit "DHT + legacy relay + dead relay: resolve" 0 "$CCLINK" resolve "$ZC" --json
fx_is "   from the DHT and a relay" "$(fx_json .sources)" '["dht","relay"]'
fx_is "   relay statuses in order" "$(fx_json .report.relays.0.status),$(fx_json .report.relays.1.status)" "ok,error"

done_testing
