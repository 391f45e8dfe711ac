#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/run.sh — DHT resolve/publish latency and queries sent, on a loopback testnet with
# injected per-node delay and loss, for several clients side by side (see bench/README.md).
# Everything runs on 127.0.0.1; nothing reaches the public DHT.
#
# Environment (all optional):
#   BENCH_NODES=64        testnet size (64..500)
#   BENCH_DELAY=0         per-reply delay in ms, or LO-HI for a per-node delay drawn from [LO, HI]
#   BENCH_JITTER=0        extra per-reply delay, uniform in [0, JITTER) ms
#   BENCH_LOSS=0          probability that a node drops a reply (0..1)
#   BENCH_RUNS=5          resolves per client
#   BENCH_RNG_SEED=1      testnet PRNG seed (node ids stay random; delays/loss repeat)
#   BENCH_CLIENTS="js btdht c"
#   BENCH_C_RESOLVE       command for the C client, {Z} is replaced by the key
#                         (default: "$CCLINK resolve {Z}")
#   CCLINK                the C binary (make bench sets it)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
I=$TOP/tests/interop
NODE=${HARNESS_NODE:-node}
NODES=${BENCH_NODES:-64}
RUNS=${BENCH_RUNS:-5}
CLIENTS=${BENCH_CLIENTS:-js btdht c}
SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a

if [ ! -d "$I/node_modules/bittorrent-dht" ]; then
	echo "bench: run 'make interop-deps' first (npm ci in tests/interop)" >&2
	exit 1
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/cclink-bench.XXXXXX")
TN_PID=""
cleanup() {
	if [ -n "$TN_PID" ]; then
		kill "$TN_PID" 2>/dev/null
		wait "$TN_PID" 2>/dev/null
	fi
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
# testnet query counter (SIGUSR1 makes the testnet log "COUNT queries=N ...")
count() {
	kill -USR1 "$TN_PID"
	sleep 0.2
	sed -n 's/.*COUNT queries=\([0-9]*\).*/\1/p' "$W/tn.log" | tail -n 1
}

set -- --nodes "$NODES" --rng-seed "${BENCH_RNG_SEED:-1}" --parent-pid $$ --max-lifetime 3600
[ "${BENCH_DELAY:-0}" != 0 ] && set -- "$@" --delay "$BENCH_DELAY"
[ "${BENCH_JITTER:-0}" != 0 ] && set -- "$@" --jitter "$BENCH_JITTER"
[ "${BENCH_LOSS:-0}" != 0 ] && set -- "$@" --loss "$BENCH_LOSS"
t0=$(now_ms)
"$NODE" "$I/testnet.mjs" "$@" >"$W/tn.out" 2>"$W/tn.log" &
TN_PID=$!
i=600
while ! grep -q '^READY ' "$W/tn.out"; do
	i=$((i - 1))
	if [ "$i" -le 0 ] || ! kill -0 "$TN_PID" 2>/dev/null; then
		echo "bench: testnet did not start" >&2
		cat "$W/tn.log" >&2
		exit 1
	fi
	sleep 0.1
done
# Clients bootstrap from 4 nodes, like a real client with a few routers.
CCLINK_BOOTSTRAP=$(sed -n 's/^READY //p' "$W/tn.out" | cut -d, -f1-4)
export CCLINK_BOOTSTRAP
echo "testnet: $NODES nodes up in $(($(now_ms) - t0)) ms (delay ${BENCH_DELAY:-0} ms, jitter ${BENCH_JITTER:-0} ms, loss ${BENCH_LOSS:-0})"

"$NODE" "$I/krpc-client.mjs" publish --seed "$SEED" --txt '_cclink={"bench":true}' --ttl 86400 >"$W/pub.json" || {
	echo "bench: publish failed" >&2
	cat "$W/pub.json" >&2
	exit 1
}
Z=$(sed -n 's/.*"z32":"\([^"]*\)".*/\1/p' "$W/pub.json")
echo "publish (JS raw KRPC): $(sed -n 's/.*"stored":\([0-9]*\).*"ms":\([0-9]*\).*/stored on \1 nodes, lookup \2 ms/p' "$W/pub.json")"

printf '%-28s %6s %12s %12s %10s\n' client runs "median ms" "median qry" found
for c in $CLIENTS; do
	case $c in
	js) label="JS raw KRPC (oracle)" cmd="$NODE $I/krpc-client.mjs resolve $Z" ;;
	btdht) label="npm bittorrent-dht" cmd="$NODE $I/btdht-client.mjs resolve $Z" ;;
	c)
		label="cclink (C)"
		tmpl=${BENCH_C_RESOLVE:-"${CCLINK:-./cclink} resolve {Z}"}
		cmd=$(printf '%s' "$tmpl" | sed "s/{Z}/$Z/g")
		;;
	*) echo "bench: unknown client $c" >&2; continue ;;
	esac
	: >"$W/ms"
	: >"$W/q"
	found=0
	n=0
	while [ "$n" -lt "$RUNS" ]; do
		n=$((n + 1))
		q0=$(count)
		s=$(now_ms)
		# shellcheck disable=SC2086 # cmd is a command line
		if $cmd >"$W/run.out" 2>"$W/run.err"; then found=$((found + 1)); fi
		echo $(($(now_ms) - s)) >>"$W/ms"
		echo $(($(count) - q0)) >>"$W/q"
	done
	printf '%-28s %6s %12s %12s %10s\n' "$label" "$RUNS" "$(median <"$W/ms")" "$(median <"$W/q")" "$found/$RUNS"
	if [ "$found" -eq 0 ]; then sed 's/^/    /' "$W/run.err" | head -n 3; fi
done
echo "(ms is process start to exit; queries = queries the testnet received during the run)"
