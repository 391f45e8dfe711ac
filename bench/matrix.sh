#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/matrix.sh — cclink against npm bittorrent-dht's own client on the same loopback
# testnets (tests/interop/testnet.mjs), at 64 and 500 nodes, every node answering after a
# fixed delay of 50 ± 10 ms, in four cases:
#   honest     all nodes honest (1 % of replies lost)
#   dead30     30 % of the nodes dead after bootstrap
#   dead50     50 % dead plus 10 % of replies lost
#   garbage25  25 % of the nodes answer garbage, type-confused or self-pointing replies,
#              or are silent (half each)
# For each: resolve (`cclink resolve --json` vs `btdht-client.mjs resolve`) and publish of a
# fresh SignedPacket (`cclink-dht put` — cclink's lookup + put, the same operation as
# bittorrent-dht's `put` — vs `btdht-client.mjs publish`). Prints median, p90 and max wall
# ms (process start to exit), median queries the testnet received, successes, and the
# ratios cclink / bittorrent-dht. A measurement, not a test; see bench/README.md.
#
# Environment: BENCH_RUNS=5 (runs per client, operation and case), BENCH_SIZES="64 500",
# BENCH_CASES="honest dead30 dead50 garbage25", BENCH_RNG_SEED=1, BENCH_BTDHT=0 (cclink only),
# CCLINK, CCLINK_DHT.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
I=$TOP/tests/interop
NODE=${HARNESS_NODE:-node}
RUNS=${BENCH_RUNS:-5}
SIZES=${BENCH_SIZES:-64 500}
CASES=${BENCH_CASES:-honest dead30 dead50 garbage25}
CCLINK=${CCLINK:-$TOP/build/cclink}
CCLINK_DHT=${CCLINK_DHT:-$TOP/build/tests/bin/cclink-dht}
SEED_R=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a   # the resolved key
SEED_D=0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d   # cclink-dht put
SEED_B=0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b   # bittorrent-dht put

[ -d "$I/node_modules/bittorrent-dht" ] || { echo "bench: run 'make interop-deps' first" >&2; exit 1; }
for b in "$CCLINK" "$CCLINK_DHT"; do
	[ -x "$b" ] || { echo "bench: $b is missing (make bench builds it)" >&2; exit 1; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/cclink-matrix.XXXXXX")
TN_PID=""
stop_net() {
	if [ -n "$TN_PID" ]; then
		kill "$TN_PID" 2>/dev/null
		wait "$TN_PID" 2>/dev/null
	fi
	TN_PID=""
}
trap 'stop_net; rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
export HOME="$W/home" XDG_CONFIG_HOME="$W/home/.config" XDG_CACHE_HOME="$W/home/.cache" CCLINK_RELAYS=none
mkdir -p "$HOME"

now_ns() { date +%s%N; }
# stats FILE: "median p90 max" of the numbers in FILE
stats() {
	[ -s "$1" ] || { echo "- - -"; return; }
	sort -n "$1" | awk '{a[NR]=$1} END {if (NR == 0) {print "- - -"; exit}
		m = (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2); p = int(0.9 * NR + 0.999); if (p < 1) p = 1
		print m, a[p], a[NR]}'
}
med() { if [ -s "$1" ]; then stats "$1" | cut -d' ' -f1; else echo -; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
count() {
	_n0=$(grep -c ' COUNT ' "$W/tn.log")
	kill -USR1 "$TN_PID"
	_i=100
	while [ "$(grep -c ' COUNT ' "$W/tn.log")" -le "$_n0" ] && [ "$_i" -gt 0 ]; do sleep 0.02; _i=$((_i - 1)); done
	sed -n 's/.* COUNT queries=\([0-9]*\).*/\1/p' "$W/tn.log" | tail -n 1
}
# measure PREFIX CMD...: one run: wall ms, queries the testnet received, success
measure() {
	_p=$1
	shift
	_q0=$(count)
	_s=$(now_ns)
	"$@" >"$W/run.out" 2>"$W/run.err"
	_rc=$?
	_e=$(now_ns)
	echo $(((_e - _s) / 1000000)) >>"$_p.ms"
	echo $(($(count) - _q0)) >>"$_p.q"
	[ "$_rc" -eq 0 ] && echo 1 >>"$_p.ok"
	return 0
}
mkpacket() { "$NODE" "$I/krpc-client.mjs" make-packet --seed "$1" --txt '_cclink={"bench":"put"}' --ttl 86400 --packet-out "$2" >/dev/null; }

echo "cclink vs npm bittorrent-dht, $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) CPU(s)$(sed -n 's/^model name[^:]*: */, /p' /proc/cpuinfo 2>/dev/null | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "reply delay 40-60 ms per node; $RUNS runs per client, operation and case; wall = process start to exit (ms)"
printf '%-5s %-10s %-8s %-21s %-21s %6s %6s %5s %5s\n' nodes case op "cclink med/p90/max" "btdht med/p90/max" ratio q-rat ok-c ok-b

for n in $SIZES; do
	for c in $CASES; do
		case $c in
		honest) opts="--loss 0.01" ;;
		dead30) opts="--silent $((n * 30 / 100))" ;;
		dead50) opts="--silent $((n * 50 / 100)) --loss 0.1" ;;
		garbage25) opts="--garbage $((n * 125 / 1000)) --silent $((n * 125 / 1000))" ;;
		*) echo "bench: unknown case $c" >&2; exit 2 ;;
		esac
		rm -f "$W"/r-* "$W"/p-*
		# shellcheck disable=SC2086 # options
		"$NODE" "$I/testnet.mjs" --nodes "$n" --delay 40-60 --rng-seed "${BENCH_RNG_SEED:-1}" $opts \
			--parent-pid $$ --max-lifetime 3600 >"$W/tn.out" 2>"$W/tn.log" &
		TN_PID=$!
		i=1800
		while ! grep -q '^READY ' "$W/tn.out"; do
			i=$((i - 1))
			if [ "$i" -le 0 ] || ! kill -0 "$TN_PID" 2>/dev/null; then
				echo "bench: testnet ($n nodes, $c) did not start" >&2
				tail -n 5 "$W/tn.log" >&2
				exit 1
			fi
			sleep 0.1
		done
		CCLINK_BOOTSTRAP=$(sed -n 's/^READY //p' "$W/tn.out" | cut -d, -f1-4)
		export CCLINK_BOOTSTRAP
		"$NODE" "$I/krpc-client.mjs" publish --seed "$SEED_R" --txt '_cclink={"bench":true}' --ttl 86400 \
			--bootstrap "$(sed -n 's/^READY //p' "$W/tn.out" | cut -d, -f1-8)" >"$W/pub.json" 2>&1
		Z=$(sed -n 's/.*"z32":"\([^"]*\)".*/\1/p' "$W/pub.json")
		k=0
		while [ "$k" -lt "$RUNS" ]; do
			k=$((k + 1))
			measure "$W/r-c" "$CCLINK" resolve "$Z" --json
			mkpacket "$SEED_D" "$W/d.sp"
			measure "$W/p-c" "$CCLINK_DHT" put "$W/d.sp" --bootstrap "$CCLINK_BOOTSTRAP"
		done
		# bittorrent-dht last: it is not read-only, each run leaves a node in the tables.
		k=0
		[ "${BENCH_BTDHT:-1}" = 0 ] && k=$RUNS
		while [ "$k" -lt "$RUNS" ]; do
			k=$((k + 1))
			measure "$W/r-b" "$NODE" "$I/btdht-client.mjs" resolve "$Z"
			mkpacket "$SEED_B" "$W/b.sp"
			measure "$W/p-b" "$NODE" "$I/btdht-client.mjs" publish "$W/b.sp"
		done
		for op in r p; do
			printf '%-5s %-10s %-8s %-21s %-21s %6s %6s %5s %5s\n' "$n" "$c" "$([ $op = r ] && echo resolve || echo publish)" \
				"$(stats "$W/$op-c.ms" | tr ' ' /)" "$(stats "$W/$op-b.ms" | tr ' ' /)" \
				"$(ratio "$(med "$W/$op-c.ms")" "$(med "$W/$op-b.ms")")" \
				"$(ratio "$(med "$W/$op-c.q")" "$(med "$W/$op-b.q")")" \
				"$(cat "$W/$op-c.ok" 2>/dev/null | wc -l)/$RUNS" "$(cat "$W/$op-b.ok" 2>/dev/null | wc -l)/$RUNS"
		done
		echo "      queries (median) cclink resolve $(med "$W/r-c.q"), btdht resolve $(med "$W/r-b.q"); cclink put $(med "$W/p-c.q"), btdht put $(med "$W/p-b.q")"
		stop_net
	done
done
echo "(ratio = cclink median / bittorrent-dht median wall time; q-rat = the same for queries the"
echo " testnet received, bootstrap included; ok = successful runs: resolve found the key, publish stored)"
