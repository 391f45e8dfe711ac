#!/bin/sh
# SPDX-License-Identifier: MIT
# Lying and failing relays next to an honest DHT: a relay serving a newer body with a bad
# signature, a body signed by another key, a signed body whose DNS does not parse, a
# truncated body, or answering 500 / 503 / 429. `cclink resolve` must still return the
# DHT's packet (and report the relay as failed); publish must still succeed on the DHT.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixtures.sh"

W=$T_DIR/w
mkdir -p "$W"
SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
Z=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
SEED_B=0707070707070707070707070707070707070707070707070707070707070707
T30="timeout 30"

if ! check "testnet (8 nodes) starts" harness_start_testnet --nodes 8; then
	done_testing
	exit 1
fi
DHT_BOOT=$CCLINK_BOOTSTRAP
NOW=$(($(date +%s) * 1000000))
expect_exit "the oracle publishes the honest packet" 0 harness_krpc publish --seed "$SEED" --txt _cclink=honest --ts "$NOW" --body-out "$W/honest.body"

# Bodies a lying relay serves, all claiming to be newer than the DHT's packet.
harness_krpc make-packet --seed "$SEED" --txt _cclink=forged --ts "$((NOW + 1000))" --body-out "$W/forged.body" >/dev/null
printf '\001' | dd of="$W/forged.body" bs=1 seek=5 conv=notrunc 2>/dev/null   # breaks the signature
harness_krpc make-packet --seed "$SEED_B" --txt _cclink=other-key --ts "$((NOW + 1000))" --body-out "$W/wrongkey.body" >/dev/null
"$HARNESS_NODE" --input-type=module -e '
import fs from "node:fs"
import { keyFromSeed } from "'"$HARNESS_DIR"'/lib/keys.mjs"
import { signPacket } from "'"$HARNESS_DIR"'/lib/pkarr.mjs"
const sp = signPacket(keyFromSeed(Buffer.from(process.argv[1], "hex")), BigInt(process.argv[2]), Buffer.from("signed, but not a DNS packet"))
fs.writeFileSync(process.argv[3], sp.subarray(32))' "$SEED" "$((NOW + 1000))" "$W/baddns.body"
head -c 40 "$W/honest.body" >"$W/short.body"
check "four lying bodies made" test -s "$W/forged.body" -a -s "$W/wrongkey.body" -a -s "$W/baddns.body" -a -s "$W/short.body"

# relay_case NAME RELAY-OPTIONS...: start a DHT-less relay with those options and resolve through it
relay_case() {
	_name=$1
	shift
	if ! harness_start_relay --dht-off "$@"; then not_ok "$_name: relay starts"; return; fi
	_url=$HARNESS_RELAY
	expect_exit "$_name: resolve succeeds" 0 env CCLINK_RELAYS="$_url" $T30 "$CCLINK" resolve "$Z" --json
	fx_is "$_name: it is the DHT's packet" "$(fx_json .timestamp_us) $(fx_json .records.0.value) $(fx_json .sources)" \
		"$NOW honest [\"dht\"]"
	fx_is "$_name: the relay is reported as failed" "$(fx_json .report.relays.0.status)" "$3"
	harness_kill "$HARNESS_RELAY_PID"
}
relay_case "newer body, bad signature" --serve-body "$W/forged.body" "invalid response"
relay_case "body signed by another key" --serve-body "$W/wrongkey.body" "invalid response"
relay_case "signed body, DNS does not parse" --serve-body "$W/baddns.body" "invalid response"
relay_case "truncated body" --serve-body "$W/short.body" "invalid response"
relay_case "HTTP 500" --force-status 500 error
relay_case "HTTP 503" --force-status 503 busy
relay_case "HTTP 429" --force-status 429 busy

# All of them at once.
ALL=""
FAILING=""
for o in "--serve-body $W/forged.body" "--serve-body $W/wrongkey.body" "--serve-body $W/baddns.body" \
	"--force-status 500" "--force-status 503" "--force-status 429"; do
	# shellcheck disable=SC2086 # two words
	harness_start_relay --dht-off $o || not_ok "relay $o starts"
	ALL=${ALL:+$ALL,}$HARNESS_RELAY
	case $o in --force-status*) FAILING=${FAILING:+$FAILING,}$HARNESS_RELAY ;; esac
done
expect_exit "six bad relays and the DHT: resolve succeeds" 0 env CCLINK_RELAYS="$ALL" $T30 "$CCLINK" resolve "$Z" --json
fx_is "   with the DHT's packet" "$(fx_json .timestamp_us) $(fx_json .records.0.value)" "$NOW honest"

# An honest relay holding a newer packet than the DHT wins; the largest body (1072 bytes).
head -c 912 /dev/zero | tr '\0' 'r' >"$W/v912"
harness_krpc make-packet --seed "$SEED" --txt-file "_cclink=$W/v912" --ts "$((NOW + 2000))" --body-out "$W/newer.body" >/dev/null
check "an honest relay-only cache starts" harness_start_relay --dht-off
HONEST=$HARNESS_RELAY
fx_is "   it takes a 1072-byte body (204)" "$(curl -sS -o /dev/null -w '%{http_code}' -X PUT --data-binary "@$W/newer.body" "$HONEST/$Z")" 204
expect_exit "a relay newer than the DHT: resolve" 0 env CCLINK_RELAYS="$HONEST" $T30 "$CCLINK" resolve "$Z" --json
fx_is "   returns the relay's packet" "$(fx_json .timestamp_us) $(fx_json .sources)" "$((NOW + 2000)) [\"relay\"]"
fx_is "   with the 912-byte value" "$(fx_json .records.0.value)" "$(cat "$W/v912")"
expect_exit "with the lying relays too" 0 env CCLINK_RELAYS="$ALL,$HONEST" $T30 "$CCLINK" resolve "$Z" --json
fx_is "   still the honest relay's packet" "$(fx_json .timestamp_us)" "$((NOW + 2000))"

# Without the DHT, lying relays give nothing.
run env CCLINK_RELAYS="$ALL" CCLINK_BOOTSTRAP=none $T30 "$CCLINK" resolve "$Z" --json
check "lying relays only: resolve fails with exit 1 (no usable answer, not 'not found')" test "$RC" -eq 1
fx_is "   and prints no packet" "$(fx_json .found) $(fx_json .records 2>/dev/null || echo none)" "false none"

# Publishing with failing relays still works on the DHT.
check "identity imported" fx_identity "$SEED"
fx_session "$W/proj"
run env CCLINK_RELAYS="$FAILING" $T30 sh -c 'cd "$1" && exec "$2" publish -y' x "$W/proj" "$CCLINK"
if [ "$RC" -eq 0 ]; then ok "publish with relays answering 500/503/429: stored on the DHT"; else
	not_ok "publish with relays answering 500/503/429 (exit $RC)"; diag "$(cat "$T_DIR/err")"; fi
grep_out "   no relay accepted it" 'relays: 0 of 3 accepted'
expect_exit "the oracle sees the new packet" 0 harness_krpc resolve "$Z"
check "   newer than the honest one" test "$(fx_json .seq)" -gt "$NOW"
case $(fx_json .txt) in *'"blob":'*) ok "   with a cclink record" ;; *) not_ok "   with a cclink record" ;; esac

done_testing
