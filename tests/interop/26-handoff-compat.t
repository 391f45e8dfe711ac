#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end, both ways, against the independent JS implementation of the cclink 1.3
# record rules (cclink-compat.mjs): records it publishes (self, share, PIN, burn, a pre-1.1
# bare-id payload, extra payload keys) are picked up by ./cclink; records ./cclink publishes
# (self, share, PIN, burn, ttl) are opened by it, from the DHT and from the relay.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

SEED_A=9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a
SEED_B=8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b8b
U1=12121212-7777-4777-8777-000000000001
U2=12121212-7777-4777-8777-000000000002
U3=12121212-7777-4777-8777-000000000003
U4=12121212-7777-4777-8777-000000000004
U5=12121212-7777-4777-8777-000000000005

if ! check "testnet starts" harness_start_testnet --nodes 8 ||
	! check "relay starts" harness_start_relay; then
	done_testing
	exit 1
fi
# a: A's first machine, m: A's second machine (same seed), b: identity B
e2e_machine a m b
check "A" e2e_import a "$SEED_A"
check "A's second machine" e2e_import m "$SEED_A"
check "B" e2e_import b "$SEED_B"
ZA=$(e2e_pk a)
ZB=$(e2e_pk b)
mkdir -p "$T_DIR/a/proj"
P=$(cd "$T_DIR/a/proj" && pwd -P)
for mm in a m b; do
	for u in "$U1" "$U2" "$U3" "$U4" "$U5"; do e2e_session "$T_DIR/$mm/.claude" "$P" "$u"; done
done
printf '61829374\n' >"$T_DIR/pin"
printf '61829375\n' >"$T_DIR/badpin"
cpub() { harness_compat publish --seed "$SEED_A" --project "$P" --hostname js-host --bootstrap "$CCLINK_BOOTSTRAP" --relay "$HARNESS_RELAY" "$@"; }

# ---- 15c. records published by the JS tool, picked up by cclink ------------------------------
expect_exit "JS publishes a self record" 0 cpub --session "$U1"
json_is "JS: stored on the DHT, no conflict" .dht.conflict false
json_is "JS: accepted by the relay" .relays.0.ok true
claude_reset m
expect_exit "cclink pickup -y on A's second machine" 0 on_term m "$CCLINK" pickup -y
is "claude resumed U1" "$(claude_field m argv)" "--resume $U1"
is "claude runs in the project" "$(claude_field m cwd)" "$P"
expect_exit "cclink pickup --json" 0 on m "$CCLINK" pickup --json
json_is "JS self: session" .session_id "$U1"
json_is "JS self: project" .project "$P"
json_is "JS self: hostname" .hostname js-host
json_is "JS self: mode" .mode self
expect_exit "cclink list on A shows the JS record" 0 as_a "$CCLINK" list --json
json_is "list: session" .session_id "$U1"
expect_exit "B cannot open A's JS self record (exit 5)" 5 as_b "$CCLINK" pickup "pk:$ZA" -y

expect_exit "JS publishes --share B" 0 cpub --session "$U2" --share "$ZB"
claude_reset b
expect_exit "cclink pickup pk:<A> on B" 0 on_term b "$CCLINK" pickup "pk:$ZA" -y
is "B's claude resumed U2" "$(claude_field b argv)" "--resume $U2"
expect_exit "A's second machine: shared with B (exit 5)" 5 on m "$CCLINK" pickup -y
grep_err "the message names B" "shared with pk:$ZB"

expect_exit "JS publishes --pin-file" 0 cpub --session "$U3" --pin-file "$T_DIR/pin"
claude_reset b
expect_exit "cclink pickup with the PIN on B" 0 on_term b "$CCLINK" pickup "pk:$ZA" --pin-file "$T_DIR/pin" -y
is "B's claude resumed U3" "$(claude_field b argv)" "--resume $U3"
expect_exit "cclink pickup with a wrong PIN (exit 5)" 5 as_b "$CCLINK" pickup "pk:$ZA" --pin-file "$T_DIR/badpin" -y
grep_err "wrong PIN" 'wrong PIN'

expect_exit "JS publishes --burn --ttl 600 with extra payload keys" 0 cpub --session "$U4" --burn --ttl 600 --payload-extra x=1 --payload-extra zz=future
expect_exit "cclink pickup --json" 0 on m "$CCLINK" pickup --json
json_is "JS burn: burn" .burn true
json_is "JS burn: ttl" .ttl 600
json_is "JS burn: session (extra payload keys ignored)" .session_id "$U4"
expect_exit "printing burnt the JS record: JS open finds nothing (exit 3)" 3 harness_compat open --pubkey "$ZA" --seed "$SEED_A"
expect_exit "JS publishes --burn again" 0 cpub --session "$U4" --burn --ttl 600
claude_reset m
expect_exit "cclink pickup -y burns the JS record" 0 on_term m "$CCLINK" pickup -y
is "claude resumed U4" "$(claude_field m argv)" "--resume $U4"
expect_exit "JS open: nothing left (exit 3)" 3 harness_compat open --pubkey "$ZA" --seed "$SEED_A"

# A pre-1.1 record: the payload is the bare session id, project/hostname in clear.
REC=$(harness_compat age-identity --seed "$SEED_A" --recipient)
printf '%s' "$U5" | age -r "$REC" >"$T_DIR/bare.age"
expect_exit "JS publishes a 1.0-style record (bare id payload, cleartext project)" 0 cpub --session unused --age-file "$T_DIR/bare.age" --record-project "$P" --record-hostname old-host
expect_exit "cclink pickup --json" 0 on m "$CCLINK" pickup --json
json_is "1.0 record: session from the bare payload" .session_id "$U5"
json_is "1.0 record: project from the record" .project "$P"
json_is "1.0 record: hostname from the record" .hostname old-host
claude_reset m
expect_exit "cclink pickup -y of the 1.0 record" 0 on_term m "$CCLINK" pickup -y
is "claude resumed U5" "$(claude_field m argv) $(claude_field m cwd)" "--resume $U5 $P"

# ---- 15d. records published by cclink, opened by the JS tool -----------------------------------
value() { on a "$CCLINK" resolve --json "pk:$ZA" | harness_json .records.0.value; }
B64='[A-Za-z0-9+/]+={0,2}'
SIG='[A-Za-z0-9+/]{86}=='
expect_exit "cclink publishes a self record" 0 as_a -C "$P" "$CCLINK" publish "$U1"
check "the record is canonical: alphabetical keys, defaults omitted" sh -c "printf '%s' '$(value)' | grep -Eq '^\\{\"blob\":\"$B64\",\"created_at\":[0-9]+,\"pubkey\":\"$ZA\",\"signature\":\"$SIG\",\"ttl\":86400\\}\$'"
expect_exit "JS opens it from the DHT with A's seed" 0 harness_compat open --pubkey "$ZA" --seed "$SEED_A"
json_is "JS: session" .session_id "$U1"
json_is "JS: project" .project "$P"
json_is "JS: hostname is this host" .hostname "$(hostname)"
json_is "JS: not burn" .burn false
expect_exit "JS opens it from the relay" 0 harness_compat open --pubkey "$ZA" --relay "$HARNESS_RELAY" --seed "$SEED_A"
json_is "JS (relay): session" .session_id "$U1"
expect_exit "JS with B's seed cannot decrypt it (exit 5)" 5 harness_compat open --pubkey "$ZA" --seed "$SEED_B"
expect_exit "JS checks it against another key (exit 6)" 6 harness_compat open --value-file /dev/stdin --pubkey "$ZB" --seed "$SEED_A" <<EOF
$(value)
EOF

expect_exit "cclink publishes --share B --ttl 2h" 0 as_a -C "$P" "$CCLINK" publish "$U2" --share "pk:$ZB" --ttl 2h
check "share record: recipient field, canonical order" sh -c "printf '%s' '$(value)' | grep -Eq '^\\{\"blob\":\"$B64\",\"created_at\":[0-9]+,\"pubkey\":\"$ZA\",\"recipient\":\"$ZB\",\"signature\":\"$SIG\",\"ttl\":7200\\}\$'"
expect_exit "JS opens it with B's key file (written by cclink init)" 0 harness_compat open --pubkey "$ZA" --key "$T_DIR/b/.pubky/secret_key"
json_is "JS share: session" .session_id "$U2"
json_is "JS share: project" .project "$P"
json_is "JS share: recipient" .recipient "$ZB"
json_is "JS share: ttl" .ttl 7200
expect_exit "JS with A's seed cannot decrypt the shared record (exit 5)" 5 harness_compat open --pubkey "$ZA" --seed "$SEED_A"

expect_exit "cclink publishes --pin-file --burn" 0 as_a -C "$P" "$CCLINK" publish "$U3" --pin-file "$T_DIR/pin" --burn
check "pin record: burn and pin_salt, canonical order" sh -c "printf '%s' '$(value)' | grep -Eq '^\\{\"blob\":\"$B64\",\"burn\":true,\"created_at\":[0-9]+,\"pin_salt\":\"[A-Za-z0-9+/]{43}=\",\"pubkey\":\"$ZA\",\"signature\":\"$SIG\",\"ttl\":86400\\}\$'"
expect_exit "JS opens it with the PIN" 0 harness_compat open --pubkey "$ZA" --pin-file "$T_DIR/pin"
json_is "JS pin: session" .session_id "$U3"
json_is "JS pin: project" .project "$P"
json_is "JS pin: burn" .burn true
json_is "JS pin: pin" .pin true
expect_exit "JS with a wrong PIN (exit 5)" 5 harness_compat open --pubkey "$ZA" --pin-file "$T_DIR/badpin"

done_testing
