#!/bin/sh
# SPDX-License-Identifier: MIT
# `cclink publish` and `cclink revoke` edit only the _cclink TXT record of the identity's
# PKARR packet: records published by another tool under the same key (A, TXT, CNAME) are
# kept, with their TTLs, on the DHT (with a stale and a forged node) and through a relay.
# A record that no longer fits next to them is refused and nothing is published.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixtures.sh"

W=$T_DIR/w
mkdir -p "$W"
SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
Z=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
SEED_B=0707070707070707070707070707070707070707070707070707070707070707
T30="timeout 30"
TAB=$(printf '\t')

if ! check "testnet: 10 nodes with a stale and a forged node" harness_start_testnet --nodes 10 --stale-node --forged-node; then
	done_testing
	exit 1
fi
DHT_BOOT=$CCLINK_BOOTSTRAP
check "identity imported" fx_identity "$SEED"
fx_session "$W/proj"

# records_of: "name/type/ttl/value" lines of a `cclink resolve --json` in $T_DIR/out, sorted
records_of() {
	"$HARNESS_NODE" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{
  for (const r of JSON.parse(s).records.map(r=>r.name+"/"+r.type+"/"+r.ttl+"/"+r.value).sort()) console.log(r) })' <"$T_DIR/out"
}
# oracle_records: the same from krpc-client resolve (dns-packet's decoding), names made relative
oracle_records() {
	"$HARNESS_NODE" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{ const j=JSON.parse(s);
  for (const r of j.records.map(r=>{ let n=r.name===j.z32?"@":r.name.replace("."+j.z32,""); return n+"/"+r.type+"/"+r.ttl+"/"+r.data }).sort()) console.log(r) })' <"$T_DIR/out"
}
OTHERS="@/A/3600/10.0.0.1
_other/TXT/3600/keep me
www/CNAME/3600/example.org"

expect_exit "another tool publishes A, TXT and CNAME under the key" 0 harness_krpc publish --seed "$SEED" \
	--a '@=10.0.0.1' --txt '_other=keep me' --cname 'www=example.org' --ttl 3600
V0=$(fx_json .seq)
run $T30 sh -c 'cd "$1" && exec "$2" publish -y' x "$W/proj" "$CCLINK"
if [ "$RC" -eq 0 ]; then ok "cclink publish"; else not_ok "cclink publish (exit $RC)"; diag "$(cat "$T_DIR/err")"; fi
expect_exit "cclink resolve --json" 0 $T30 "$CCLINK" resolve "$Z" --json
V1=$(fx_json .timestamp_us)
check "   a newer packet" test "$V1" -gt "$V0"
fx_is "   the other records are kept, with their TTLs" "$(records_of | grep -v '^_cclink/')" "$OTHERS"
fx_is "   plus one _cclink TXT record" "$(records_of | grep -c '^_cclink/TXT/86400/{')" 1
expect_exit "the oracle resolves the same" 0 harness_krpc resolve "$Z"
fx_is "   same seq" "$(fx_json .seq)" "$V1"
fx_is "   the oracle sees the other records too" "$(oracle_records | grep -v '^_cclink/')" "$OTHERS"
fx_is "   and one _cclink" "$(oracle_records | grep -c '^_cclink/TXT/86400/')" 1

run $T30 sh -c 'cd "$1" && exec "$2" publish -y' x "$W/proj" "$CCLINK"
check "cclink publish again" test "$RC" -eq 0
expect_exit "cclink resolve --json" 0 $T30 "$CCLINK" resolve "$Z" --json
V2=$(fx_json .timestamp_us)
check "   newer" test "$V2" -gt "$V1"
fx_is "   others still kept" "$(records_of | grep -v '^_cclink/')" "$OTHERS"
fx_is "   still exactly one _cclink" "$(records_of | grep -c '^_cclink/')" 1

expect_exit "cclink revoke -y" 0 $T30 "$CCLINK" revoke -y
expect_exit "cclink resolve --json" 0 $T30 "$CCLINK" resolve "$Z" --json
V3=$(fx_json .timestamp_us)
check "   newer" test "$V3" -gt "$V2"
fx_is "   the revocation kept exactly the other records" "$(records_of)" "$OTHERS"
expect_exit "the oracle resolves the revocation" 0 harness_krpc resolve "$Z"
fx_is "   same seq" "$(fx_json .seq)" "$V3"
fx_is "   same records" "$(oracle_records)" "$OTHERS"
expect_exit "revoke again: nothing to revoke (exit 3)" 3 $T30 "$CCLINK" revoke -y
expect_exit "   and nothing was published" 0 $T30 "$CCLINK" resolve "$Z" --json
fx_is "   (same packet)" "$(fx_json .timestamp_us)" "$V3"

# ---- through a relay, the DHT unreachable ----------------------------------------------------
check "v7 relay starts" harness_start_relay
CCLINK_BOOTSTRAP=127.0.0.1:$(fx_closed_port)
export CCLINK_BOOTSTRAP
run $T30 sh -c 'cd "$1" && exec "$2" publish -y' x "$W/proj" "$CCLINK"
if [ "$RC" -eq 0 ]; then ok "relay only: cclink publish"; else not_ok "relay only: cclink publish (exit $RC)"; diag "$(cat "$T_DIR/err")"; fi
expect_exit "relay only: resolve" 0 $T30 "$CCLINK" resolve "$Z" --json
fx_is "   from the relay" "$(fx_json .sources)" '["relay"]'
check "   newer" test "$(fx_json .timestamp_us)" -gt "$V3"
fx_is "   the other records are kept" "$(records_of | grep -v '^_cclink/')" "$OTHERS"
fx_is "   one _cclink" "$(records_of | grep -c '^_cclink/')" 1
expect_exit "relay only: revoke" 0 $T30 "$CCLINK" revoke -y
expect_exit "relay only: resolve" 0 $T30 "$CCLINK" resolve "$Z" --json
fx_is "   exactly the other records" "$(records_of)" "$OTHERS"
CCLINK_BOOTSTRAP=$DHT_BOOT
CCLINK_RELAYS=none
export CCLINK_BOOTSTRAP CCLINK_RELAYS

# ---- no room left next to the other records ----------------------------------------------------
check "identity B imported" fx_identity "$SEED_B" "$W/homeB"
fx_session "$W/projB" 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d "$W/homeB"
ZB=$(fx_z32 "$SEED_B")
head -c 600 /dev/zero | tr '\0' 'y' >"$W/big"
expect_exit "another tool publishes a 600-byte TXT under key B" 0 harness_krpc publish --seed "$SEED_B" --txt-file "_big=$W/big" --ttl 3600
VB=$(fx_json .seq)
run env HOME="$W/homeB" $T30 sh -c 'cd "$1" && exec "$2" publish -y' x "$W/projB" "$CCLINK"
fx_is "cclink publish: the record does not fit (exit 1)" "$RC" 1
grep_err "   and says why" 'does not fit next to the other records'
expect_exit "the packet is unchanged" 0 harness_krpc resolve "$ZB"
fx_is "   (the other tool's)" "$(fx_json .seq) $(fx_json .txt)" "$VB null"

done_testing
