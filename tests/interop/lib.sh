# SPDX-License-Identifier: MIT
# lib.sh — loopback DHT testnet and PKARR relays for interop tests.
# Source it AFTER tests/cli/lib.sh (which provides T_DIR, HOME, diag and T_CLEANUP_HOOKS):
#     . "$(dirname "$0")/../cli/lib.sh"
#     . "$(dirname "$0")/lib.sh"
# Everything binds 127.0.0.1 on ephemeral ports and keeps its files in $T_DIR, so test
# scripts can run in parallel. Every process started here is stopped by PID at exit
# (harness_stop is added to T_CLEANUP_HOOKS) and also exits by itself when this shell
# dies (--parent-pid) or after HARNESS_MAX_LIFETIME seconds.
#
# Functions (each returns 0 on success, non-zero with diagnostics otherwise):
#   harness_start_testnet [testnet.mjs options]  sets CCLINK_BOOTSTRAP, HARNESS_BOOTSTRAP,
#       HARNESS_SILENT, HARNESS_STALE, HARNESS_FORGED, HARNESS_TESTNET_PID, HARNESS_TESTNET_LOG,
#       HARNESS_TESTNET_STATE
#   harness_start_relay [relay.mjs options]      sets HARNESS_RELAY (its URL), HARNESS_RELAY_PID,
#       HARNESS_RELAY_LOG, HARNESS_RELAYS (all relays started so far) and CCLINK_RELAYS=$HARNESS_RELAYS.
#       Adds --bootstrap $HARNESS_BOOTSTRAP unless given --bootstrap or --dht-off.
#   harness_kill PID                             stop one harness process (e.g. take a relay down)
#   harness_stop                                 stop them all (runs at exit anyway)
#   harness_krpc ARGS...                         node krpc-client.mjs ARGS...
#   harness_compat ARGS...                       node cclink-compat.mjs ARGS...
#   harness_json PATH                            print a field of the JSON object on stdin
#                                                (PATH like .session_id or .dht.stored)
# Tunables: HARNESS_NODE (node binary), HARNESS_WAIT (seconds to wait for READY, default 20),
#           HARNESS_MAX_LIFETIME (seconds, default 900).

: "${CCLINK_TOP:?source tests/cli/lib.sh first}"
: "${T_DIR:?source tests/cli/lib.sh first}"
HARNESS_DIR="$CCLINK_TOP/tests/interop"
HARNESS_NODE="${HARNESS_NODE:-node}"
HARNESS_WAIT="${HARNESS_WAIT:-20}"
HARNESS_MAX_LIFETIME="${HARNESS_MAX_LIFETIME:-900}"
HARNESS_PIDS=""
HARNESS_SEQ=0
HARNESS_RELAYS=""
HARNESS_BOOTSTRAP=""

case " $T_CLEANUP_HOOKS " in
*" harness_stop "*) ;;
*) T_CLEANUP_HOOKS="$T_CLEANUP_HOOKS harness_stop" ;;
esac

_harness_say() {
	if command -v diag >/dev/null 2>&1; then diag "$@"; else printf '# %s\n' "$@" >&2; fi
}

harness_krpc() { "$HARNESS_NODE" "$HARNESS_DIR/krpc-client.mjs" "$@"; }
harness_compat() { "$HARNESS_NODE" "$HARNESS_DIR/cclink-compat.mjs" "$@"; }
harness_json() {
	"$HARNESS_NODE" -e '
let s = ""; process.stdin.on("data", (d) => { s += d }).on("end", () => {
  let v = JSON.parse(s.trim().split("\n").pop())
  for (const k of process.argv[1].split(".").filter(Boolean)) v = v == null ? undefined : v[k]
  if (v === undefined) process.exit(1)
  process.stdout.write((typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)) + "\n")
})' "$1"
}

# _harness_spawn NAME SCRIPT ARGS...: start, wait for a READY line; sets _H_PID _H_OUT _H_LOG.
_harness_spawn() {
	_h_name=$1 _h_script=$2
	shift 2
	if ! command -v "$HARNESS_NODE" >/dev/null 2>&1; then
		_harness_say "harness: '$HARNESS_NODE' not found (install nodejs)"
		return 1
	fi
	if [ ! -d "$HARNESS_DIR/node_modules/bittorrent-dht" ]; then
		_harness_say "harness: $HARNESS_DIR/node_modules is missing: run 'make interop-deps' (npm ci)"
		return 1
	fi
	HARNESS_SEQ=$((HARNESS_SEQ + 1))
	_H_OUT="$T_DIR/harness-$_h_name.$HARNESS_SEQ.out"
	_H_LOG="$T_DIR/harness-$_h_name.$HARNESS_SEQ.log"
	"$HARNESS_NODE" "$HARNESS_DIR/$_h_script" --parent-pid "$$" --max-lifetime "$HARNESS_MAX_LIFETIME" \
		"$@" >"$_H_OUT" 2>"$_H_LOG" &
	_H_PID=$!
	HARNESS_PIDS="$HARNESS_PIDS $_H_PID"
	_h_tries=$((HARNESS_WAIT * 10))
	while ! grep -q '^READY ' "$_H_OUT" 2>/dev/null; do
		if ! kill -0 "$_H_PID" 2>/dev/null; then
			_harness_say "harness: $_h_script exited before READY:" "$(tail -n 20 "$_H_LOG")"
			return 1
		fi
		_h_tries=$((_h_tries - 1))
		if [ "$_h_tries" -le 0 ]; then
			_harness_say "harness: no READY from $_h_script after ${HARNESS_WAIT}s:" "$(tail -n 20 "$_H_LOG")"
			harness_kill "$_H_PID"
			return 1
		fi
		sleep 0.1
	done
	return 0
}

_harness_line() { sed -n "s/^$1 //p" "$2" | head -n 1; }

harness_start_testnet() {
	_h_state="$T_DIR/harness-testnet.$((HARNESS_SEQ + 1)).json"
	_harness_spawn testnet testnet.mjs --state "$_h_state" "$@" || return 1
	HARNESS_TESTNET_PID=$_H_PID
	HARNESS_TESTNET_LOG=$_H_LOG
	HARNESS_TESTNET_STATE=$_h_state
	HARNESS_BOOTSTRAP=$(_harness_line READY "$_H_OUT")
	HARNESS_SILENT=$(_harness_line SILENT "$_H_OUT")
	HARNESS_GARBAGE=$(_harness_line GARBAGE "$_H_OUT")
	HARNESS_STALE=$(_harness_line STALE "$_H_OUT")
	HARNESS_FORGED=$(_harness_line FORGED "$_H_OUT")
	CCLINK_BOOTSTRAP=$HARNESS_BOOTSTRAP
	export CCLINK_BOOTSTRAP HARNESS_BOOTSTRAP HARNESS_SILENT HARNESS_GARBAGE HARNESS_STALE HARNESS_FORGED \
		HARNESS_TESTNET_PID HARNESS_TESTNET_LOG HARNESS_TESTNET_STATE
	[ -n "$HARNESS_BOOTSTRAP" ]
}

harness_start_relay() {
	_h_need_boot=1
	for _h_a in "$@"; do
		case $_h_a in --bootstrap | --bootstrap=* | --dht-off) _h_need_boot=0 ;; esac
	done
	if [ "$_h_need_boot" = 1 ]; then
		if [ -z "$HARNESS_BOOTSTRAP" ]; then
			_harness_say "harness_start_relay: start a testnet first, or pass --bootstrap or --dht-off"
			return 1
		fi
		set -- --bootstrap "$HARNESS_BOOTSTRAP" "$@"
	fi
	_harness_spawn relay relay.mjs "$@" || return 1
	HARNESS_RELAY_PID=$_H_PID
	HARNESS_RELAY_LOG=$_H_LOG
	HARNESS_RELAY=$(_harness_line READY "$_H_OUT")
	HARNESS_RELAYS=${HARNESS_RELAYS:+$HARNESS_RELAYS,}$HARNESS_RELAY
	CCLINK_RELAYS=$HARNESS_RELAYS
	export CCLINK_RELAYS HARNESS_RELAY HARNESS_RELAYS HARNESS_RELAY_PID HARNESS_RELAY_LOG
	[ -n "$HARNESS_RELAY" ]
}

# harness_kill PID: SIGTERM, up to 2 s grace, then SIGKILL; reaps it.
harness_kill() {
	_h_keep=""
	for _h_p in $HARNESS_PIDS; do [ "$_h_p" = "$1" ] || _h_keep="$_h_keep $_h_p"; done
	HARNESS_PIDS=$_h_keep
	kill "$1" 2>/dev/null || return 0
	_h_i=20
	while kill -0 "$1" 2>/dev/null && [ "$_h_i" -gt 0 ]; do
		sleep 0.1
		_h_i=$((_h_i - 1))
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

harness_stop() {
	_h_all=$HARNESS_PIDS
	for _h_q in $_h_all; do kill "$_h_q" 2>/dev/null; done
	for _h_q in $_h_all; do harness_kill "$_h_q"; done
	return 0
}
