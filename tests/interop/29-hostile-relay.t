#!/bin/sh
# SPDX-License-Identifier: MIT
# Plain http:// relays: refused (exit 2, naming the setting and the fix, before anything is
# sent) from the environment and from the config file unless the host is a literal loopback
# address (127.0.0.0/8, [::1]). A relay on 127.0.0.1 reached as http://localhost:PORT, a name,
# is refused and never sees a request; as http://127.0.0.1:PORT it is used.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

SEED=2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d
CONF=$XDG_CONFIG_HOME/cclink/config
mkdir -p "$XDG_CONFIG_HOME/cclink"

if ! check "a relay (no DHT) starts" harness_start_relay --dht-off; then
	done_testing
	exit 1
fi
LOOP=$HARNESS_RELAY
# A second relay, only ever named by host name: it must never see a request.
if ! check "a second relay starts" harness_start_relay --dht-off; then
	done_testing
	exit 1
fi
BY_NAME=http://localhost:${HARNESS_RELAY##*:}
NAMED_LOG=$HARNESS_RELAY_LOG
export CCLINK_BOOTSTRAP=none
printf '%s' "$SEED" >"$T_DIR/seed"
expect_exit "init" 0 "$CCLINK" init --no-passphrase --import "$T_DIR/seed" -y
Z=$("$CCLINK" whoami --json | harness_json .pubkey)
reqs() { grep -c "/$Z" "$1"; }

expect_exit "http://127.0.0.1:PORT: publish goes through it" 0 env CCLINK_RELAYS="$LOOP" "$CCLINK" publish 2d2d2d2d-7777-4777-8777-000000000001
expect_exit "http://127.0.0.1:PORT: resolve reads through it" 0 env CCLINK_RELAYS="$LOOP" "$CCLINK" resolve "pk:$Z"

for url in "$BY_NAME" http://relay.example http://10.0.0.1:8080 "http://127.0.0.1@relay.example"; do
	expect_exit "CCLINK_RELAYS=$url: resolve exit 2" 2 env CCLINK_RELAYS="$url" "$CCLINK" resolve "pk:$Z"
	grep_err "$url: the message names the variable, the relay and the fix" \
		"CCLINK_RELAYS: plain http relay '$url' refused: .*Use https:// \\(plain http:// is allowed only to 127\\.0\\.0\\.0/8 or \\[::1\\]\\)"
done
expect_exit "among https relays too: revoke exit 2" 2 env CCLINK_RELAYS="https://a.example,$BY_NAME" "$CCLINK" revoke -y
expect_exit "pickup exit 2" 2 env CCLINK_RELAYS="$BY_NAME" "$CCLINK" pickup --json
printf 'bootstrap = none\nrelays = %s\n' "$BY_NAME" >"$CONF"
expect_exit "config file relays = http://localhost:PORT: exit 2" 2 env -u CCLINK_RELAYS "$CCLINK" resolve "pk:$Z"
grep_err "the message names the file and line" "$CONF:2: plain http relay '$BY_NAME' refused"
is() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; diag "got '$2', wanted '$3'"; fi; }
is "the relay named by host name never saw a request" "$(reqs "$NAMED_LOG")" 0
printf 'bootstrap = none\nrelays = %s\n' "$LOOP" >"$CONF"
expect_exit "config file relays = http://127.0.0.1:PORT works" 0 env -u CCLINK_RELAYS "$CCLINK" resolve "pk:$Z"

done_testing
