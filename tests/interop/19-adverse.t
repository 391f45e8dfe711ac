#!/bin/sh
# SPDX-License-Identifier: MIT
# Newest-seq correctness on the adverse nets of the benchmark: 30 % dead; 50 % dead plus 10 %
# reply loss; 25 % answering garbage, type-confused or self-pointing replies or silent. Each
# net also has a stale node (keeps serving v1) and a forged node (newer seq, bad signature).
# The oracle publishes v1 then v2; every cclink resolve must return v2 exactly, and a cclink
# publish must be resolvable by the oracle. Pass/fail only: no timing is asserted.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixtures.sh"

W=$T_DIR/w
mkdir -p "$W"
SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
Z=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
SEED_B=0707070707070707070707070707070707070707070707070707070707070707
T30="timeout 30"
check "identity imported" fx_identity "$SEED"
fx_session "$W/proj"
ZB=$(fx_z32 "$SEED_B")

# adverse NAME TESTNET-OPTIONS...: start the net, publish v1/v2, resolve 3 times, publish.
adverse() {
	_name=$1
	shift
	if ! check "$_name: testnet up" harness_start_testnet --nodes 40 --stale-node --forged-node "$@"; then
		return
	fi
	_now=$(($(date +%s) * 1000000))
	expect_exit "$_name: oracle publishes v1" 0 harness_krpc publish --seed "$SEED_B" --txt _cclink=one --ts "$_now"
	expect_exit "$_name: oracle publishes v2" 0 harness_krpc publish --seed "$SEED_B" --txt _cclink=two --ts "$((_now + 5))"
	for _i in 1 2 3; do
		expect_exit "$_name: cclink resolve #$_i" 0 $T30 "$CCLINK" resolve "$ZB" --json
		fx_is "$_name:    v2, exactly" "$(fx_json .timestamp_us) $(fx_json .records.0.value)" "$((_now + 5)) two"
	done
	run $T30 sh -c 'cd "$1" && exec "$2" publish -y' x "$W/proj" "$CCLINK"
	if [ "$RC" -eq 0 ]; then ok "$_name: cclink publish"; else not_ok "$_name: cclink publish (exit $RC)"; diag "$(cat "$T_DIR/err")"; fi
	expect_exit "$_name: the oracle resolves cclink's packet" 0 harness_krpc resolve "$Z"
	_seq=$(fx_json .seq)
	expect_exit "$_name: cclink resolves its own packet" 0 $T30 "$CCLINK" resolve "$Z" --json
	fx_is "$_name:    the same one" "$(fx_json .timestamp_us)" "$_seq"
	harness_kill "$HARNESS_TESTNET_PID"
}

adverse "30% dead" --silent 12
adverse "50% dead, 10% loss" --silent 20 --loss 0.1
adverse "25% garbage or silent" --garbage 5 --silent 5

done_testing
