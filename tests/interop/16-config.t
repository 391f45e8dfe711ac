#!/bin/sh
# SPDX-License-Identifier: MIT
# Network configuration: malformed CCLINK_BOOTSTRAP / CCLINK_RELAYS / CCLINK_TIMEOUT are
# usage errors (exit 2, naming the variable) before anything is sent; the same settings in
# $XDG_CONFIG_HOME/cclink/config work; the environment overrides the file; `none` turns a
# transport off. Every config file written here sets both lists (a test must never fall
# back to the public defaults).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixtures.sh"

W=$T_DIR/w
mkdir -p "$W"
SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
Z=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
CONF_DIR=$XDG_CONFIG_HOME/cclink
CONF=$CONF_DIR/config
mkdir -p "$CONF_DIR"

if ! check "testnet (8 nodes) starts" harness_start_testnet --nodes 8; then
	done_testing
	exit 1
fi
DHT_BOOT=$CCLINK_BOOTSTRAP
check "relay starts" harness_start_relay
RELAY=$HARNESS_RELAY
RELAY_LOG=$HARNESS_RELAY_LOG
CLOSED=127.0.0.1:$(fx_closed_port)
expect_exit "the oracle publishes a packet" 0 harness_krpc publish --seed "$SEED" --txt _cclink=configured
SEQ=$(fx_json .seq)
check "identity imported" fx_identity "$SEED"
fx_session "$W/proj"
printf 'relays = none\nbootstrap = none\n' >"$CONF"
# gets: number of GET requests the relay logged
gets() { grep -c "GET /$Z" "$RELAY_LOG"; }

# ---- malformed environment -------------------------------------------------------------------
for bad in nocolon 127.0.0.1 127.0.0.1:0 127.0.0.1:65536 127.0.0.1:x ',127.0.0.1:6881' \
	'a b:6881' ''; do
	expect_exit "CCLINK_BOOTSTRAP='$bad': exit 2" 2 env CCLINK_BOOTSTRAP="$bad" CCLINK_RELAYS=none "$CCLINK" resolve "$Z"
	grep_err "   names CCLINK_BOOTSTRAP" 'CCLINK_BOOTSTRAP'
done
for bad in relay.example ftp://relay.example 'http://a b' ''; do
	expect_exit "CCLINK_RELAYS='$bad': exit 2" 2 env CCLINK_RELAYS="$bad" CCLINK_BOOTSTRAP=none "$CCLINK" resolve "$Z"
	grep_err "   names CCLINK_RELAYS" 'CCLINK_RELAYS'
done
expect_exit "CCLINK_TIMEOUT=soon: exit 2" 2 env CCLINK_TIMEOUT=soon "$CCLINK" resolve "$Z"
grep_err "   names CCLINK_TIMEOUT" 'CCLINK_TIMEOUT'
G0=$(gets)
run sh -c 'cd "$1" && exec env CCLINK_BOOTSTRAP=bad "$2" publish -y' x "$W/proj" "$CCLINK"
fx_is "publish with a malformed CCLINK_BOOTSTRAP: exit 2" "$RC" 2
grep_err "   names CCLINK_BOOTSTRAP" 'CCLINK_BOOTSTRAP'
expect_exit "   and nothing was published" 0 harness_krpc resolve "$Z"
fx_is "   (same packet)" "$(fx_json .seq)" "$SEQ"
expect_exit "revoke with a malformed CCLINK_RELAYS: exit 2" 2 env CCLINK_RELAYS=nope "$CCLINK" revoke -y
fx_is "the relay was never asked" "$(gets)" "$G0"

# ---- none ----------------------------------------------------------------------------------------
expect_exit "CCLINK_BOOTSTRAP=none CCLINK_RELAYS=none: exit 1" 1 env CCLINK_BOOTSTRAP=none CCLINK_RELAYS=none "$CCLINK" resolve "$Z"
grep_err "   says the DHT is disabled" 'DHT: disabled'
expect_exit "CCLINK_BOOTSTRAP=none, a relay: found through the relay" 0 env CCLINK_BOOTSTRAP=none CCLINK_RELAYS="$RELAY" "$CCLINK" resolve "$Z" --json
fx_is "   source relay, DHT unused" "$(fx_json .sources) $(fx_json .report.dht.used) $(fx_json .timestamp_us)" "[\"relay\"] false $SEQ"
G0=$(gets)
expect_exit "CCLINK_RELAYS=none: found on the DHT" 0 env CCLINK_BOOTSTRAP="$DHT_BOOT" CCLINK_RELAYS=none "$CCLINK" resolve "$Z" --json
fx_is "   source DHT, no relay in the report" "$(fx_json .sources) $(fx_json .report.relays)" '["dht"] []'
fx_is "   the relay was not asked" "$(gets)" "$G0"
expect_exit "' none ' (spaces) is none too" 0 env CCLINK_BOOTSTRAP="$DHT_BOOT" CCLINK_RELAYS=' none ' "$CCLINK" resolve "$Z" --json
fx_is "   no relay" "$(fx_json .report.relays)" '[]'

# ---- the config file -------------------------------------------------------------------------
unset CCLINK_BOOTSTRAP CCLINK_RELAYS
cat >"$CONF" <<EOF
# written by 16-config.t
bootstrap = $DHT_BOOT
relays    = $RELAY
timeout   = 20s
EOF
G0=$(gets)
expect_exit "config file: bootstrap + relays" 0 "$CCLINK" resolve "$Z" --json
fx_is "   found on both" "$(fx_json .sources) $(fx_json .timestamp_us)" "[\"dht\",\"relay\"] $SEQ"
check "   the relay from the file was asked" test "$(gets)" -gt "$G0"
check "   the DHT from the file was used" test "$(fx_json .report.dht.queried)" -ge 1
expect_exit "config file: bootstrap only (relays = none)" 0 env CCLINK_RELAYS=none "$CCLINK" resolve "$Z" --json
fx_is "   from the DHT" "$(fx_json .sources)" '["dht"]'
fx_publish "$W/proj"
check "config file: publish" test "$RC" -eq 0
grep_out "   to the DHT and the relay from the file" 'DHT: 8 nodes queried, 8 answered, 8 stored; relays: 1 of 1 accepted'

# The environment wins over the file.
cat >"$CONF" <<EOF
bootstrap = $CLOSED
relays = none
EOF
expect_exit "file: a dead bootstrap; CCLINK_BOOTSTRAP overrides it" 0 env CCLINK_BOOTSTRAP="$DHT_BOOT" "$CCLINK" resolve "$Z" --json
fx_is "   found on the DHT" "$(fx_json .sources)" '["dht"]'
expect_exit "file: relays = none; CCLINK_RELAYS overrides it" 0 env CCLINK_RELAYS="$RELAY" "$CCLINK" resolve "$Z" --json
fx_is "   found on the relay" "$(fx_json .sources)" '["relay"]'

# Malformed files: exit 2 with file and line, nothing sent.
bad_file() {
	_desc=$1 _line=$2 _key=$3
	shift 3
	printf '%s\n' "$@" >"$CONF"
	G0=$(gets)
	expect_exit "config file, $_desc: exit 2" 2 "$CCLINK" resolve "$Z"
	grep_err "   names the file, line $_line and '$_key'" "$CONF:$_line: invalid setting '$_key'"
	fx_is "   nothing sent to the relay" "$(gets)" "$G0"
}
bad_file "bootstrap without a port" 3 bootstrap "relays = $RELAY" "# comment" "bootstrap = 127.0.0.1"
bad_file "bootstrap port 0" 2 bootstrap "relays = none" "bootstrap = 127.0.0.1:0"
bad_file "relay without a scheme" 2 relays "bootstrap = $DHT_BOOT" "relays = 127.0.0.1:80"
bad_file "relay list with an empty item" 2 relays "bootstrap = $DHT_BOOT" "relays = $RELAY,,$RELAY"
bad_file "an unknown key" 3 relay "bootstrap = $DHT_BOOT" "relays = none" "relay = $RELAY"
bad_file "a bad timeout" 3 timeout "bootstrap = $DHT_BOOT" "relays = none" "timeout = forever"
printf 'bootstrap = %s\nrelays = none\nno equals sign here\n' "$DHT_BOOT" >"$CONF"
expect_exit "config file, a line without '=': exit 2" 2 "$CCLINK" resolve "$Z"
grep_err "   names the line" "$CONF:3:"
# A malformed environment variable wins even over a good file.
printf 'bootstrap = %s\nrelays = %s\n' "$DHT_BOOT" "$RELAY" >"$CONF"
expect_exit "good file, malformed CCLINK_RELAYS: exit 2" 2 env CCLINK_RELAYS=relay.example "$CCLINK" resolve "$Z"
grep_err "   names CCLINK_RELAYS" 'CCLINK_RELAYS'

done_testing
