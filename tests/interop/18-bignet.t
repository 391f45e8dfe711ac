#!/bin/sh
# SPDX-License-Identifier: MIT
# A 500-node bittorrent-dht testnet: its nodes answer a `get` with their whole routing table,
# replies of 3 KB and more (more than 1500 bytes, the most cclink once read). Then a
# 64-node net whose replies are padded to 380 nodes (~10 KB), the real nodes listed last.
# cclink must resolve and publish on both (it reads datagrams up to 64 KiB and keeps the
# closest nodes of each list). No timing is asserted.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixtures.sh"

W=$T_DIR/w
mkdir -p "$W"
SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
Z=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
SEED_B=0707070707070707070707070707070707070707070707070707070707070707
DHT_TOOL=${CCLINK_DHT:-$CCLINK_TOP/build/tests/bin/cclink-dht}
T60="timeout 60"
HARNESS_WAIT=120

# reply_size ADDR: bytes of one node's answer to get(target of key B), over raw UDP.
reply_size() {
	"$HARNESS_NODE" -e '
const dgram = require("node:dgram"); const crypto = require("node:crypto")
const [host, port] = process.argv[1].split(":")
const s = dgram.createSocket("udp4")
const enc = (b) => Buffer.concat([Buffer.from(b.length + ":"), b])
const msg = Buffer.concat([Buffer.from("d1:ad2:id20:"), crypto.randomBytes(20), Buffer.from("6:target20:"),
  crypto.randomBytes(20), Buffer.from("e1:q3:get1:t4:abcd1:y1:qe")])
s.on("message", (m) => { console.log(m.length); process.exit(0) })
setTimeout(() => process.exit(1), 3000)
s.send(msg, Number(port), host)' "$1"
}

if ! check "testnet: 500 nodes" harness_start_testnet --nodes 500; then
	done_testing
	exit 1
fi
# Clients bootstrap from 4 nodes (the whole list is longer than the config allows).
CCLINK_BOOTSTRAP=$(echo "$HARNESS_BOOTSTRAP" | cut -d, -f1-4)
N1=$(echo "$HARNESS_BOOTSTRAP" | cut -d, -f2)
SZ=$(reply_size "$N1")
diag "a node of the 500-node net answers get with $SZ bytes"
check "its get replies are over 2 KB" test "${SZ:-0}" -gt 2048

check "identity imported" fx_identity "$SEED"
fx_session "$W/proj"
NOW=$(($(date +%s) * 1000000))
expect_exit "oracle publishes key B" 0 harness_krpc publish --seed "$SEED_B" --txt _cclink=big --ts "$NOW"
ZB=$(fx_z32 "$SEED_B")
expect_exit "cclink resolve on 500 nodes" 0 $T60 "$CCLINK" resolve "$ZB" --json
fx_is "   the oracle's packet" "$(fx_json .timestamp_us) $(fx_json .records.0.value)" "$NOW big"
run $T60 "$DHT_TOOL" get "$ZB" --bootstrap "$CCLINK_BOOTSTRAP"
check "cclink-dht get on 500 nodes" test "$RC" -eq 0

run $T60 sh -c 'cd "$1" && exec "$2" publish -y' x "$W/proj" "$CCLINK"
if [ "$RC" -eq 0 ]; then ok "cclink publish on 500 nodes"; else not_ok "cclink publish (exit $RC)"; diag "$(cat "$T_DIR/err")"; fi
grep_out "   stored on DHT nodes" 'DHT: [0-9]+ nodes queried, [0-9]+ answered, ([1-9]|1[0-9]|20) stored'
expect_exit "the oracle resolves cclink's packet" 0 harness_krpc resolve "$Z"
OSEQ=$(fx_json .seq)
expect_exit "cclink resolves it too" 0 $T60 "$CCLINK" resolve "$Z" --json
fx_is "   same seq" "$(fx_json .timestamp_us)" "$OSEQ"
harness_kill "$HARNESS_TESTNET_PID"

# ---- ~10 KB replies: 380 listed nodes, the real ones last -------------------------------------
if ! check "testnet: 64 nodes, replies padded to 380 nodes" harness_start_testnet --nodes 64 --pad-nodes 380; then
	done_testing
	exit 1
fi
N1=$(echo "$HARNESS_BOOTSTRAP" | cut -d, -f2)
SZ=$(reply_size "$N1")
diag "a node of the padded net answers get with $SZ bytes"
check "its get replies are over 9 KB" test "${SZ:-0}" -gt 9000
expect_exit "oracle publishes key B" 0 harness_krpc publish --seed "$SEED_B" --txt _cclink=padded --ts "$((NOW + 1))"
expect_exit "cclink resolve with 10 KB replies" 0 $T60 "$CCLINK" resolve "$ZB" --json
fx_is "   the oracle's packet" "$(fx_json .timestamp_us) $(fx_json .records.0.value)" "$((NOW + 1)) padded"
run $T60 sh -c 'cd "$1" && exec "$2" publish -y' x "$W/proj" "$CCLINK"
if [ "$RC" -eq 0 ]; then ok "cclink publish with 10 KB replies"; else not_ok "cclink publish (exit $RC)"; diag "$(cat "$T_DIR/err")"; fi
expect_exit "the oracle resolves cclink's packet" 0 harness_krpc resolve "$Z"

done_testing
