#!/bin/sh
# SPDX-License-Identifier: MIT
# Publish conflicts: another tool publishes a newer packet under the same key while
# `cclink publish` runs (between its resolve and its put). Every testnet reply is delayed
# 1 s, so cclink's resolve has already read the old packet when the other put lands and
# its own put comes well after it. cclink must notice (the put's `cas` no longer matches:
# 301; or the lookup sees a higher seq) and re-resolve, so its final packet is newer than
# both and keeps the other tool's new records. The window is seconds wide; no timing is
# asserted.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixtures.sh"

W=$T_DIR/w
mkdir -p "$W"
SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
Z=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo

if ! check "testnet: 8 nodes, every reply delayed 1 s" harness_start_testnet --nodes 8 --delay 1000; then
	done_testing
	exit 1
fi
check "identity imported" fx_identity "$SEED"
fx_session "$W/proj"
# names_of: sorted "name/type/value" of a `cclink resolve --json` in $T_DIR/out
names_of() {
	"$HARNESS_NODE" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{
  for (const r of JSON.parse(s).records.map(r=>r.name+"/"+r.type+(r.name==="_cclink"?"":"/"+r.value)).sort()) console.log(r) })' <"$T_DIR/out"
}

# race LABEL KRPC-PUBLISH-ARGS...: cclink publish, and 0.3 s later the other tool publishes
race() {
	_label=$1
	shift
	(
		cd "$W/proj" && timeout 60 "$CCLINK" publish -y >"$W/pub.out" 2>"$W/pub.err"
		echo $? >"$W/pub.rc"
	) &
	_cpid=$!
	sleep 0.3
	harness_krpc publish --seed "$SEED" "$@" >"$W/other.out" 2>"$W/other.err"
	_orc=$?
	wait "$_cpid"
	fx_is "$_label: the other tool's publish succeeded" "$_orc" 0
	fx_is "$_label: cclink publish succeeded" "$(cat "$W/pub.rc")" 0
	[ "$(cat "$W/pub.rc")" = 0 ] || diag "$(cat "$W/pub.err")"
	OTHER_SEQ=$(fx_json .seq "$W/other.out")
}

expect_exit "the other tool publishes an A record first" 0 harness_krpc publish --seed "$SEED" --a '@=10.0.0.1' --ttl 600
V0=$(fx_json .seq)

# 1. The other packet is older than cclink's (wall clock), but cclink's put carries
#    cas = the seq it resolved, which the nodes no longer hold.
race "cas" --a '@=10.0.0.2' --txt '_new=appeared meanwhile' --ttl 600
check "cas: the other packet is newer than the first" test "$OTHER_SEQ" -gt "$V0"
expect_exit "cas: resolve" 0 timeout 30 "$CCLINK" resolve "$Z" --json
check "   cclink's packet is the newest" test "$(fx_json .timestamp_us)" -gt "$OTHER_SEQ"
fx_is "   it keeps the records that appeared meanwhile" "$(names_of)" "@/A/10.0.0.2
_cclink/TXT
_new/TXT/appeared meanwhile"
V1=$(fx_json .timestamp_us)

# 2. The other packet has a timestamp in the future (a skewed clock): cclink's lookup sees a
#    higher seq than its own.
FUTURE=$(($(date +%s) * 1000000 + 3600000000))
race "future seq" --a '@=10.0.0.3' --txt '_skew=from the future' --ttl 600 --ts "$FUTURE"
expect_exit "future seq: resolve" 0 timeout 30 "$CCLINK" resolve "$Z" --json
check "   cclink's packet is newer than the future one" test "$(fx_json .timestamp_us)" -gt "$FUTURE"
fx_is "   it keeps the future packet's records" "$(names_of)" "@/A/10.0.0.3
_cclink/TXT
_skew/TXT/from the future"
expect_exit "the oracle agrees" 0 harness_krpc resolve "$Z"
check "   same seq" test "$(fx_json .seq)" -gt "$FUTURE"

# 3. With a relay that accepts cclink's packet (v7 relays have no compare-and-swap): the
#    DHT's conflict must still win, or the records published meanwhile would be lost.
if check "a v7 relay on the same testnet" harness_start_relay; then
	FUTURE2=$((FUTURE + 3600000000))
	race "relay" --a '@=10.0.0.4' --txt '_relay=published meanwhile' --ttl 600 --ts "$FUTURE2"
	expect_exit "relay: resolve" 0 timeout 30 "$CCLINK" resolve "$Z" --json
	check "   cclink's packet is newer than the other one" test "$(fx_json .timestamp_us)" -gt "$FUTURE2"
	fx_is "   it keeps the records published meanwhile" "$(names_of)" "@/A/10.0.0.4
_cclink/TXT
_relay/TXT/published meanwhile"
fi

done_testing
