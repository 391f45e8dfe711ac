#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/run.sh — cclink (C) against the JS raw-KRPC oracle and the npm bittorrent-dht client,
# in one run on one loopback testnet with per-node reply delays and loss: resolve and publish
# latency and the queries each client made the testnet answer, medians and ratios C/JS; then
# `cclink whoami` start-to-exit and Argon2id unlock time + peak RSS (see bench/README.md).
# Everything runs on 127.0.0.1; nothing reaches the public DHT or any relay.
#
# Environment (all optional):
#   BENCH_NODES=64        testnet size (64..500)
#   BENCH_DELAY=20-80     per-reply delay in ms, or LO-HI: each node gets a fixed delay from [LO, HI]
#   BENCH_JITTER=0        extra per-reply delay, uniform in [0, JITTER) ms
#   BENCH_LOSS=0.01       probability that a node drops a reply (0..1)
#   BENCH_RUNS=11         runs per client and operation
#   BENCH_RNG_SEED=1      testnet PRNG seed (node ids stay random; delays/loss repeat)
#   BENCH_CLIENTS="js c cdht btdht"   resolve/publish clients (btdht always runs last, see README)
#   BENCH_WHOAMI_RUNS=50  `cclink whoami` start-to-exit runs (0: skip)
#   BENCH_UNLOCK_RUNS=3   Argon2id unlock runs (0: skip)
#   BENCH_C_RESOLVE       command for the C resolve, {Z} is replaced by the key
#                         (default: "$CCLINK resolve {Z} --json")
#   CCLINK, CCLINK_DHT    the C binary and tests/bin/cclink-dht (make bench sets both)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
I=$TOP/tests/interop
NODE=${HARNESS_NODE:-node}
NODES=${BENCH_NODES:-64}
DELAY=${BENCH_DELAY:-20-80}
JITTER=${BENCH_JITTER:-0}
LOSS=${BENCH_LOSS:-0.01}
RUNS=${BENCH_RUNS:-11}
CLIENTS=${BENCH_CLIENTS:-js c cdht btdht}
CCLINK=${CCLINK:-$TOP/cclink}
CCLINK_DHT=${CCLINK_DHT:-$TOP/build/tests/bin/cclink-dht}
SEED_R=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a   # resolved key
SEED_C=0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c   # cclink publish
SEED_D=0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d   # cclink-dht put
SEED_J=0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e   # JS publish
SEED_B=0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b   # bittorrent-dht put

if [ ! -d "$I/node_modules/bittorrent-dht" ]; then
	echo "bench: run 'make interop-deps' first (npm ci in tests/interop)" >&2
	exit 1
fi
for b in "$CCLINK" "$CCLINK_DHT"; do
	[ -x "$b" ] || { echo "bench: $b is missing: run 'make' and 'make $CCLINK_DHT' (make bench does)" >&2; exit 1; }
done
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

# A private HOME for cclink: never the user's key, config or sessions.
export HOME="$W/home" XDG_CONFIG_HOME="$W/home/.config" XDG_CACHE_HOME="$W/home/.cache" \
	XDG_STATE_HOME="$W/home/.local/state" CCLINK_RELAYS=none
unset CCLINK_ASKPASS CLAUDE_CONFIG_DIR CLAUDE_CODE_SESSION_ID
mkdir -p "$HOME"

now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
mean() { awk '{s+=$1} END {if (NR == 0) print "-"; else printf "%d", s / NR}'; }
# slow: runs over 1.5 s (they waited for at least one query timeout, 2 s)
slow() { awk '$1 > 1500 {n++} END {print n + 0}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
jfield() { sed -n "s/.*\"$1\":\\([0-9][0-9]*\\).*/\\1/p" "$2" | head -n 1; }

# testnet query counter: SIGUSR1 makes it log "COUNT queries=N ..."; wait for the new line.
count() {
	_n0=$(grep -c ' COUNT ' "$W/tn.log")
	kill -USR1 "$TN_PID"
	_i=100
	while [ "$(grep -c ' COUNT ' "$W/tn.log")" -le "$_n0" ] && [ "$_i" -gt 0 ]; do
		sleep 0.02
		_i=$((_i - 1))
	done
	sed -n 's/.* COUNT queries=\([0-9]*\).*/\1/p' "$W/tn.log" | tail -n 1
}

set -- --nodes "$NODES" --rng-seed "${BENCH_RNG_SEED:-1}" --parent-pid $$ --max-lifetime 3600
[ "$DELAY" != 0 ] && set -- "$@" --delay "$DELAY"
[ "$JITTER" != 0 ] && set -- "$@" --jitter "$JITTER"
[ "$LOSS" != 0 ] && set -- "$@" --loss "$LOSS"
t0=$(now_ns)
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
echo "cclink bench, $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) CPU(s)$(sed -n 's/^model name[^:]*: */, /p' /proc/cpuinfo 2>/dev/null | head -n 1)"
echo "testnet: $NODES nodes up in $((($(now_ns) - t0) / 1000000)) ms; reply delay ${DELAY} ms per node, jitter ${JITTER} ms, loss ${LOSS}; clients bootstrap from 4 nodes; $RUNS runs each"

# The key everybody resolves, and the cclink identity + Claude Code session for `cclink publish`.
"$NODE" "$I/krpc-client.mjs" publish --seed "$SEED_R" --txt '_cclink={"bench":true}' --ttl 86400 >"$W/pub.json" || {
	echo "bench: publish failed" >&2
	cat "$W/pub.json" >&2
	exit 1
}
Z=$(sed -n 's/.*"z32":"\([^"]*\)".*/\1/p' "$W/pub.json")
printf '%s' "$SEED_C" >"$W/seed"
"$CCLINK" init --import "$W/seed" --no-passphrase -y >/dev/null 2>&1 || { echo "bench: cclink init failed" >&2; exit 1; }
PROJ=$W/proj
mkdir -p "$PROJ"
PROJ=$(cd "$PROJ" && pwd -P)
ENC=$(printf '%s' "$PROJ" | sed 's/[^A-Za-z0-9]/-/g')
mkdir -p "$HOME/.claude/projects/$ENC"
printf '{"type":"user","cwd":"%s","sessionId":"5e55a0b1-be9c-4c4a-9d0e-0123456789ab"}\n' "$PROJ" \
	>"$HOME/.claude/projects/$ENC/5e55a0b1-be9c-4c4a-9d0e-0123456789ab.jsonl"

# Fresh SignedPackets for the raw puts (made offline, outside the timing).
mkpacket() { "$NODE" "$I/krpc-client.mjs" make-packet --seed "$1" --txt '_cclink={"bench":"put"}' --ttl 86400 --packet-out "$2" >/dev/null; }

# measure OUT-PREFIX CMD...: one run; appends wall ms, queries, in-process ms and success
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
	_in=$(jfield "${INPROC:-none}" "$W/run.out")
	[ -n "$_in" ] && echo "$_in" >>"$_p.in"
	[ "$_rc" -eq 0 ] || { [ -s "$_p.fail" ] || sed 's/^/    /' "$W/run.err" | head -n 3 >"$_p.fail"; }
	return 0
}
# row LABEL PREFIX: the medians of a measured series
row() {
	_ok=$(cat "$2.ok" 2>/dev/null | wc -l)
	printf '  %-38s %7s %7s %5s %8s %8s %6s\n' "$1" "$(median <"$2.ms")" "$(mean <"$2.ms")" "$(slow <"$2.ms")" \
		"$(cat "$2.in" 2>/dev/null | median)" "$(median <"$2.q")" "$_ok/$RUNS"
	[ -s "$2.fail" ] && cat "$2.fail"
	return 0
}
med() { if [ -s "$1" ]; then median <"$1"; else echo -; fi; }
has() { case " $CLIENTS " in *" $1 "*) return 0 ;; esac; return 1; }
C_RESOLVE=$(printf '%s' "${BENCH_C_RESOLVE:-"$CCLINK resolve {Z} --json"}" | sed "s/{Z}/$Z/g")

n=0
while [ "$n" -lt "$RUNS" ]; do
	n=$((n + 1))
	# shellcheck disable=SC2086 # a command line
	has js && INPROC=ms measure "$W/r-js" "$NODE" "$I/krpc-client.mjs" resolve "$Z"
	has c && INPROC=elapsed_ms measure "$W/r-c" $C_RESOLVE
	has cdht && INPROC=none measure "$W/r-cdht" "$CCLINK_DHT" get "$Z" --bootstrap "$CCLINK_BOOTSTRAP"
	has c && INPROC=none measure "$W/p-c" sh -c 'cd "$1" && exec "$2" publish -y' x "$PROJ" "$CCLINK"
	if has cdht; then
		mkpacket "$SEED_D" "$W/d.sp"
		INPROC=none measure "$W/p-cdht" "$CCLINK_DHT" put "$W/d.sp" --bootstrap "$CCLINK_BOOTSTRAP"
	fi
	if has js; then
		mkpacket "$SEED_J" "$W/j.sp"
		INPROC=none measure "$W/p-js" "$NODE" "$I/krpc-client.mjs" publish-file "$W/j.sp"
	fi
done
# bittorrent-dht last: it is not read-only (BEP 43), so every run leaves a dead node in the
# testnet's routing tables, which later lookups (its own included) may wait on.
if has btdht; then
	n=0
	while [ "$n" -lt "$RUNS" ]; do
		n=$((n + 1))
		INPROC=ms measure "$W/r-bt" "$NODE" "$I/btdht-client.mjs" resolve "$Z"
		jfield bootstrapQueries "$W/run.out" >>"$W/r-bt.bq"
		mkpacket "$SEED_B" "$W/b.sp"
		INPROC=ms measure "$W/p-bt" "$NODE" "$I/btdht-client.mjs" publish "$W/b.sp"
		jfield bootstrapQueries "$W/run.out" >>"$W/p-bt.bq"
	done
	# And cclink once more, on the net bittorrent-dht left behind.
	if has c; then
		n=0
		while [ "$n" -lt "$RUNS" ]; do
			n=$((n + 1))
			# shellcheck disable=SC2086 # a command line
			INPROC=elapsed_ms measure "$W/r-c2" $C_RESOLVE
		done
	fi
fi

echo
printf '  %-38s %7s %7s %5s %8s %8s %6s\n' "$RUNS runs each" "wall ms" "(mean)" ">1.5s" "lookup" queries ok
echo "resolve"
has js && row "JS raw KRPC oracle (node)" "$W/r-js"
has c && row "cclink resolve (C)" "$W/r-c"
has cdht && row "cclink-dht get (C DHT engine only)" "$W/r-cdht"
has btdht && row "npm bittorrent-dht (node)" "$W/r-bt"
has btdht && has c && row "cclink resolve, after bittorrent-dht" "$W/r-c2"
echo "publish (lookup + put; cclink publish also resolves first)"
has c && row "cclink publish (C, full command)" "$W/p-c"
has cdht && row "cclink-dht put (C DHT engine only)" "$W/p-cdht"
has js && row "JS raw KRPC oracle publish-file" "$W/p-js"
has btdht && row "npm bittorrent-dht put (node)" "$W/p-bt"
echo "  (wall = median ms from process start to exit, then the mean and how many runs took over 1.5 s,"
echo "   i.e. waited for a 2 s query timeout; lookup = median ms by the client's own timer: JS and"
echo "   bittorrent-dht without node start-up and bootstrap, cclink its report.elapsed_ms; queries ="
echo "   median number of queries the testnet received during the run, bootstrap included)"
if has btdht; then
	echo "  bittorrent-dht bootstrap: $(med "$W/r-bt.bq") of the resolve queries, $(med "$W/p-bt.bq") of the put queries"
fi
if has c && has btdht; then
	echo "ratios C/JS (cclink / npm bittorrent-dht, medians; < 1: C is faster / sends fewer)"
	echo "  resolve wall $(ratio "$(med "$W/r-c.ms")" "$(med "$W/r-bt.ms")"), lookup $(ratio "$(med "$W/r-c.in")" "$(med "$W/r-bt.in")"), queries $(ratio "$(med "$W/r-c.q")" "$(med "$W/r-bt.q")")"
	echo "  publish wall $(ratio "$(med "$W/p-c.ms")" "$(med "$W/p-bt.ms")") (cclink publish), $(ratio "$(med "$W/p-cdht.ms")" "$(med "$W/p-bt.ms")") (cclink-dht put); queries $(ratio "$(med "$W/p-c.q")" "$(med "$W/p-bt.q")") / $(ratio "$(med "$W/p-cdht.q")" "$(med "$W/p-bt.q")")"
fi
if has c && has js; then
	echo "ratios C/JS oracle: resolve wall $(ratio "$(med "$W/r-c.ms")" "$(med "$W/r-js.ms")"), lookup $(ratio "$(med "$W/r-c.in")" "$(med "$W/r-js.in")"), queries $(ratio "$(med "$W/r-c.q")" "$(med "$W/r-js.q")"); publish wall $(ratio "$(med "$W/p-cdht.ms")" "$(med "$W/p-js.ms")") (cclink-dht put), queries $(ratio "$(med "$W/p-cdht.q")" "$(med "$W/p-js.q")")"
fi

# ---- process start-to-exit: cclink whoami (plaintext key) -------------------------------------
WR=${BENCH_WHOAMI_RUNS:-50}
if [ "$WR" -gt 0 ]; then
	: >"$W/who"
	n=0
	while [ "$n" -lt "$WR" ]; do
		n=$((n + 1))
		s=$(now_ns)
		"$CCLINK" whoami >/dev/null 2>&1 || { echo "bench: cclink whoami failed" >&2; break; }
		echo $((($(now_ns) - s) / 1000)) >>"$W/who"
	done
	echo
	echo "cclink whoami (plaintext key), process start to exit over $WR runs: median $(median <"$W/who") µs, min $(sort -n "$W/who" | head -n 1) µs"
fi

# ---- Argon2id unlock: whoami on a 1.3 envelope (m=64 MiB, t=3, p=1) without the .pub cache ----
UR=${BENCH_UNLOCK_RUNS:-3}
if [ "$UR" -gt 0 ]; then
	UH=$W/unlock
	mkdir -p "$UH/.pubky"
	cp "$TOP/tests/vectors/keys-envelope-default.bin" "$UH/.pubky/secret_key"
	chmod 700 "$UH/.pubky"
	chmod 600 "$UH/.pubky/secret_key"
	printf 'correct horse battery staple\n' >"$W/pass"
	: >"$W/un.ms"
	: >"$W/un.rss"
	TIME_BIN=""
	[ -x /usr/bin/time ] && /usr/bin/time -f '%M' -o "$W/t" true 2>/dev/null && TIME_BIN=/usr/bin/time
	n=0
	while [ "$n" -lt "$UR" ]; do
		n=$((n + 1))
		rm -f "$UH/.pubky/secret_key.pub"
		s=$(now_ns)
		if [ -n "$TIME_BIN" ]; then
			HOME=$UH "$TIME_BIN" -f '%M' -o "$W/t" "$CCLINK" --passphrase-file "$W/pass" whoami >/dev/null 2>"$W/un.err"
			rc=$?
			e=$(now_ns)
			tail -n 1 "$W/t" >>"$W/un.rss"
		else
			# No GNU time: sample VmHWM (peak RSS) from /proc while it runs.
			HOME=$UH "$CCLINK" --passphrase-file "$W/pass" whoami >/dev/null 2>"$W/un.err" &
			p=$!
			hwm=0
			while kill -0 "$p" 2>/dev/null; do
				v=$(sed -n 's/^VmHWM: *\([0-9]*\).*/\1/p' "/proc/$p/status" 2>/dev/null)
				[ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
				sleep 0.005
			done
			wait "$p"
			rc=$?
			e=$(now_ns)
			echo "$hwm" >>"$W/un.rss"
		fi
		[ "$rc" -eq 0 ] || { echo "bench: unlock failed: $(cat "$W/un.err")" >&2; break; }
		echo $(((e - s) / 1000000)) >>"$W/un.ms"
	done
	echo "Argon2id unlock (cclink whoami, 1.3 envelope m=65536 KiB t=3 p=1, no .pub cache), $UR runs:" \
		"median $(median <"$W/un.ms") ms, peak RSS $(sort -n "$W/un.rss" | tail -n 1) KiB ($([ -n "$TIME_BIN" ] && echo "GNU time %M" || echo "/proc VmHWM"))"
fi
