#!/bin/sh
# SPDX-License-Identifier: MIT
# One offline policy for every command (publish, list, revoke, resolve, pickup, pickup --wait):
# the cause is said once; retries happen only when something is configured and the failure
# can be transient; `--wait` reports a network failure as one (exit 1, not 3). A closed
# bootstrap port is an ICMP failure, reported as such. And a relay that serves a packet cclink
# refuses, with the DHT unreachable, is not "not found" (issue 10 item 10): exit 1, saying
# which source answered what; `resolve --json` still prints an object.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixtures.sh"

W=$T_DIR/w
mkdir -p "$W"
SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
Z=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
T30="timeout 30"
CLOSED=127.0.0.1:$(fx_closed_port)
check "identity imported" fx_identity "$SEED"
fx_session "$W/proj"
count_err() { grep -c -- "$1" "$T_DIR/err"; }

# ---- nothing configured: fail at once, no retries ---------------------------------------------
CCLINK_BOOTSTRAP=none
CCLINK_RELAYS=none
export CCLINK_BOOTSTRAP CCLINK_RELAYS
expect_exit "none configured: resolve exits 1" 1 $T30 "$CCLINK" resolve "$Z"
grep_err "   says nothing is configured" 'Nothing is configured'
check "   does not retry" test "$(count_err retrying)" -eq 0
expect_exit "none configured: pickup exits 1" 1 $T30 "$CCLINK" pickup -y --print
check "   does not retry" test "$(count_err retrying)" -eq 0
check "   says why once" test "$(count_err 'failed:')" -eq 1
expect_exit "none configured: pickup --wait 30s exits 1 (network), not 3" 1 $T30 "$CCLINK" pickup -y --print --wait 30s
check "   its error block once" test "$(count_err 'failed:')" -eq 1
check "   names the cause" grep -q 'Nothing is configured' "$T_DIR/err"
expect_exit "none configured: list exits 1" 1 $T30 "$CCLINK" list
check "   does not retry" test "$(count_err retrying)" -eq 0
expect_exit "none configured: revoke exits 1" 1 $T30 "$CCLINK" revoke -y
check "   does not retry" test "$(count_err retrying)" -eq 0
expect_exit "none configured: publish exits 1" 1 $T30 sh -c 'cd "$1" && exec "$2" publish -y' x "$W/proj" "$CCLINK"
check "   does not retry" test "$(count_err retrying)" -eq 0
check "   says why once" test "$(count_err 'failed:')" -eq 1

# ---- a closed bootstrap port: an ICMP failure; configured, so retried (twice) ------------------
CCLINK_BOOTSTRAP=$CLOSED
export CCLINK_BOOTSTRAP
expect_exit "closed bootstrap port: resolve exits 1" 1 $T30 "$CCLINK" resolve "$Z"
grep_err "   reports the ICMP error" 'DHT: 1 node queried, none answered \(1 unreachable: ICMP'
check "   retries twice" test "$(count_err retrying)" -eq 2
check "   says why once" test "$(count_err 'failed:')" -eq 1
expect_exit "closed bootstrap port: pickup --wait 2s exits 1, not 3" 1 $T30 "$CCLINK" pickup -y --print --wait 2s
check "   its error block once" test "$(count_err 'failed:')" -eq 1
grep_err "   names the DHT attempt" 'none answered \(1 unreachable'
expect_exit "closed bootstrap port: cclink-dht get fails" 3 $T30 "${CCLINK_DHT:-$CCLINK_TOP/build/tests/bin/cclink-dht}" get "$Z" --bootstrap "$CLOSED" -v
grep_err "   on the ICMP error, not a timeout" 'timed_out=0 errors=0 unreachable=1'

# ---- item 10: only a refused packet answered ----------------------------------------------------
NOW=$(($(date +%s) * 1000000))
harness_krpc make-packet --seed "$SEED" --txt _cclink=forged --ts "$NOW" --body-out "$W/forged.body" >/dev/null
printf '\001' | dd of="$W/forged.body" bs=1 seek=5 conv=notrunc 2>/dev/null   # breaks the signature
check "a relay serving a bad signature starts" harness_start_relay --dht-off --serve-body "$W/forged.body"
BAD=$HARNESS_RELAY
CCLINK_RELAYS=$BAD
export CCLINK_RELAYS
expect_exit "bad relay, DHT unreachable: resolve exits 1, not 3" 1 $T30 "$CCLINK" resolve "$Z"
grep_err "   says no source gave a usable answer" 'no DHT node or relay gave a usable answer'
grep_err "   names the relay's answer" "relay $BAD: invalid response"
check "   does not claim nothing is published" sh -c '! grep -q "no packet is published" "$1"' x "$T_DIR/err"
expect_exit "   resolve --json exits 1" 1 $T30 "$CCLINK" resolve "$Z" --json
fx_is "   and prints an object: not found" "$(fx_json .found)" false
fx_is "   with the relay's status" "$(fx_json .report.relays.0.status)" "invalid response"
expect_exit "bad relay, DHT unreachable: pickup exits 1, not 3" 1 $T30 "$CCLINK" pickup -y --print
check "   does not say nothing is published" sh -c '! grep -q "Nothing is published" "$1"' x "$T_DIR/err"
grep_err "   names the relay's answer" "relay $BAD: invalid response"

# A relay that says 404: that is "not found" (exit 3), and -v counts it as an answer.
check "an empty relay starts" harness_start_relay --dht-off
CCLINK_RELAYS=$HARNESS_RELAY
export CCLINK_RELAYS
expect_exit "empty relay: resolve exits 3" 3 $T30 "$CCLINK" -v resolve "$Z"
grep_err "   -v counts the relay's answer" 'relays: 1 of 1 answered, 0 with a valid packet, 1 not found'
expect_exit "   resolve --json exits 3" 3 $T30 "$CCLINK" resolve "$Z" --json
fx_is "   and prints an object: not found" "$(fx_json .found) $(fx_json .error)" "false not found"

done_testing
