#!/bin/sh
# SPDX-License-Identifier: MIT
# cclink on a plain loopback DHT (npm bittorrent-dht nodes), both directions:
# a packet cclink publishes is resolved, byte for byte, by the raw-KRPC oracle and by the
# npm bittorrent-dht client, and opened by the independent JS cclink 1.3 implementation;
# packets the harness publishes (TXT, A, AAAA, CNAME, a chunked TXT) are printed right by
# `cclink resolve`. Also the transport alone (tests/bin/cclink-dht get/put).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixtures.sh"

W=$T_DIR/w
mkdir -p "$W"
SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
Z=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
SEED_B=0707070707070707070707070707070707070707070707070707070707070707
SEED_C=1111111111111111111111111111111111111111111111111111111111111111
UUID=3b9d2a3e-55c1-4f0e-9a77-0d2b6c1e8f42
DHT_TOOL=${CCLINK_DHT:-$CCLINK_TOP/build/tests/bin/cclink-dht}

if ! check "testnet (12 nodes) starts" harness_start_testnet --nodes 12; then
	done_testing
	exit 1
fi

# ---- cclink publishes, the others resolve ---------------------------------------------------
check "identity imported" fx_identity "$SEED"
fx_session "$W/proj" "$UUID"
expect_exit "resolve before any publish: not found (exit 3)" 3 "$CCLINK" resolve "$Z"
grep_err "says no packet is published" "no packet is published for pk:$Z"
fx_publish "$W/proj"
if [ "$RC" -eq 0 ]; then ok "cclink publish"; else not_ok "cclink publish (exit $RC)"; diag "$(cat "$T_DIR/err")"; fi
grep_out "reports DHT nodes that stored it" 'DHT: [0-9]+ nodes queried, [0-9]+ answered, ([1-9]|1[0-2]) stored'

expect_exit "cclink resolve --json" 0 "$CCLINK" resolve "pk:$Z" --json
C_TS=$(fx_json .timestamp_us)
C_VAL=$(fx_json .records.0.value)
fx_is "cclink resolve: one record, _cclink" "$(fx_json .records.0.name) $(fx_json .records.0.type) $(fx_json .records.1.name 2>/dev/null || echo none)" "_cclink TXT none"
fx_is "cclink resolve: source is the DHT" "$(fx_json .sources)" '["dht"]'
fx_is "cclink resolve: pubkey" "$(fx_json .pubkey)" "$Z"
fx_is "cclink resolve: TTL 86400" "$(fx_json .records.0.ttl)" 86400

expect_exit "krpc oracle resolves cclink's packet" 0 harness_krpc resolve "$Z" --hex --packet-out "$W/krpc.sp"
fx_is "oracle: seq = cclink's timestamp" "$(fx_json .seq)" "$C_TS"
fx_is "oracle: _cclink TXT = what cclink resolve printed" "$(fx_json .txt)" "$C_VAL"
fx_is "oracle: no item rejected" "$(fx_json .rejected)" '[]'
check "oracle: every node that answered holds it (>= 8 valid copies)" test "$(fx_json .valid)" -ge 8

expect_exit "the JS cclink 1.3 implementation opens cclink's record" 0 harness_compat open --packet "$W/krpc.sp" --seed "$SEED"
fx_is "   session id" "$(fx_json .session_id)" "$UUID"
fx_is "   pubkey" "$(fx_json .pubkey)" "$Z"
fx_is "   project" "$(fx_json .project)" "$(cd "$W/proj" && pwd -P)"

run "$DHT_TOOL" get "$Z" --bootstrap "$CCLINK_BOOTSTRAP"
fx_is "cclink-dht get: the same bytes as the oracle" "$(cat "$T_DIR/out")" "$(fx_sp_hex "$W/krpc.sp")"

# Publishing again gives a newer packet everywhere.
fx_publish "$W/proj"
check "second cclink publish" test "$RC" -eq 0
expect_exit "oracle resolves the second packet" 0 harness_krpc resolve "$Z"
check "its seq is newer than the first" test "$(fx_json .seq)" -gt "$C_TS"
S2=$(fx_json .seq)
expect_exit "cclink resolve" 0 "$CCLINK" resolve "$Z" --json
fx_is "cclink resolve shows the second packet" "$(fx_json .timestamp_us)" "$S2"

# ---- the harness publishes, cclink resolves ------------------------------------------------
ZB=$(fx_z32 "$SEED_B")
head -c 600 /dev/zero | tr '\0' 'x' >"$W/long"
printf 'A' >>"$W/long"
expect_exit "oracle publishes TXT, A, AAAA, CNAME and a 601-byte TXT" 0 harness_krpc publish --seed "$SEED_B" \
	--txt '_cclink={"v":1}' --txt '_foo=bar baz' --a '@=10.1.2.3' --aaaa 'www=2001:db8::1' \
	--cname 'alias=example.com' --txt-file "_long=$W/long" --ttl 600 --packet-out "$W/b.sp"
B_SEQ=$(fx_json .seq)
expect_exit "cclink resolve (text)" 0 "$CCLINK" resolve "$ZB"
grep_out "Public Key line" "^Public Key: pk:$ZB\$"
grep_out "packet time in µs" "^Packet time: .*\\($B_SEQ µs\\)\$"
grep_out "Source: DHT" '^Source: DHT$'
TAB=$(printf '\t')
grep_out "_cclink TXT" "^  _cclink${TAB}TXT${TAB}600${TAB}\\{\"v\":1\\}\$"
grep_out "_foo TXT with a space" "^  _foo${TAB}TXT${TAB}600${TAB}bar baz\$"
grep_out "apex A record as @" "^  @${TAB}A${TAB}600${TAB}10\\.1\\.2\\.3\$"
grep_out "AAAA record" "^  www${TAB}AAAA${TAB}600${TAB}2001:db8::1\$"
grep_out "CNAME record" "^  alias${TAB}CNAME${TAB}600${TAB}example\\.com\\.?\$"
check "six records listed" test "$(grep -c "^  " "$T_DIR/out")" -eq 6
expect_exit "cclink resolve --json" 0 "$CCLINK" resolve "$ZB" --json
fx_is "JSON: timestamp = the oracle's seq" "$(fx_json .timestamp_us)" "$B_SEQ"
fx_is "JSON: the record names, in packet order" \
	"$(fx_json .records | "$HARNESS_NODE" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).map(r=>r.name+"/"+r.type).join(" ")))')" \
	"_cclink/TXT _foo/TXT _long/TXT @/A www/AAAA alias/CNAME"
fx_is "JSON: the chunked 601-byte TXT is joined back exactly" "$(fx_json .records.2.value)" "$(cat "$W/long")"
run "$DHT_TOOL" get "$ZB" --bootstrap "$CCLINK_BOOTSTRAP"
fx_is "cclink-dht get: byte-identical to what the oracle published" "$(cat "$T_DIR/out")" "$(fx_sp_hex "$W/b.sp")"

# A newer harness packet replaces it.
expect_exit "oracle publishes a newer packet (v2)" 0 harness_krpc publish --seed "$SEED_B" --txt '_cclink=v2' --ttl 600
B2_SEQ=$(fx_json .seq)
expect_exit "cclink resolve" 0 "$CCLINK" resolve "$ZB" --json
fx_is "cclink resolve returns v2" "$(fx_json .timestamp_us) $(fx_json .records.0.value)" "$B2_SEQ v2"

# The largest packet: 1000 bytes of DNS (a 912-byte TXT), accepted by bittorrent-dht nodes.
head -c 912 /dev/zero | tr '\0' 'z' >"$W/v912"
expect_exit "oracle publishes a 1000-byte DNS packet" 0 harness_krpc publish --seed "$SEED_B" --txt-file "_cclink=$W/v912" --ttl 600
fx_is "   (it is 1000 bytes)" "$(fx_json .dnsLen)" 1000
expect_exit "cclink resolve" 0 "$CCLINK" resolve "$ZB" --json
fx_is "   returns the 912-byte value" "$(fx_json .records.0.value)" "$(cat "$W/v912")"

# ---- the transport alone: cclink-dht put, the others get -------------------------------------
harness_krpc make-packet --seed "$SEED_C" --txt '_cclink=from cclink-dht' --a '@=192.0.2.7' --packet-out "$W/c.sp" >/dev/null
ZC=$(fx_z32 "$SEED_C")
expect_exit "cclink-dht put stores a packet" 0 "$DHT_TOOL" put "$W/c.sp" --bootstrap "$CCLINK_BOOTSTRAP"
check "   on >= 8 nodes" test "$(fx_json .stored)" -ge 8
expect_exit "oracle resolves it" 0 harness_krpc resolve "$ZC" --packet-out "$W/c-krpc.sp"
check "   byte-identical" cmp -s "$W/c.sp" "$W/c-krpc.sp"
expect_exit "cclink resolve shows it" 0 "$CCLINK" resolve "$ZC"
grep_out "   with its A record" "^  @${TAB}A${TAB}300${TAB}192\\.0\\.2\\.7\$"

# ---- npm bittorrent-dht ----------------------------------------------------------------------
# Last: bittorrent-dht is not read-only, so once it exits every testnet node keeps a dead
# entry for it and each later complete lookup waits one query timeout (2 s) for it.
expect_exit "oracle resolves cclink's (second) packet" 0 harness_krpc resolve "$Z" --packet-out "$W/krpc2.sp"
expect_exit "npm bittorrent-dht resolves cclink's packet" 0 "$HARNESS_NODE" "$HARNESS_DIR/btdht-client.mjs" resolve "$Z" --packet-out "$W/btdht.sp"
fx_is "bittorrent-dht: signature verifies, k is the key" "$(fx_json .verified)" true
fx_is "bittorrent-dht: seq = cclink's timestamp" "$(fx_json .seq)" "$S2"
check "bittorrent-dht and the oracle got the same SignedPacket bytes" cmp -s "$W/krpc2.sp" "$W/btdht.sp"
expect_exit "bittorrent-dht resolves cclink-dht's packet" 0 "$HARNESS_NODE" "$HARNESS_DIR/btdht-client.mjs" resolve "$ZC" --packet-out "$W/c-bt.sp"
check "   byte-identical" cmp -s "$W/c.sp" "$W/c-bt.sp"

# bittorrent-dht publishes, cclink resolves.
harness_krpc make-packet --seed "$SEED_C" --txt '_cclink=from bittorrent-dht' --packet-out "$W/c2.sp" >/dev/null
expect_exit "bittorrent-dht put stores a newer packet" 0 "$HARNESS_NODE" "$HARNESS_DIR/btdht-client.mjs" publish "$W/c2.sp"
expect_exit "cclink resolve" 0 "$CCLINK" resolve "$ZC" --json
fx_is "cclink resolve returns bittorrent-dht's packet" "$(fx_json .records.0.value)" "from bittorrent-dht"
run "$DHT_TOOL" get "$ZC" --bootstrap "$CCLINK_BOOTSTRAP"
fx_is "cclink-dht get: byte-identical" "$(cat "$T_DIR/out")" "$(fx_sp_hex "$W/c2.sp")"

done_testing
