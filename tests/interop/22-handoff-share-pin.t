#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end through ./cclink with three identities: --share to another key, a self record
# picked up by another key, --pin with --pin-file (right and wrong PIN, the 1.3 PIN rules),
# and the option combinations 1.3 refuses.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

SEED_A=a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1
# B's key starts with "p" in z-base-32 (so "pk:" handling of a bare key is put to the test).
SEED_B=0505050505050505050505050505050505050505050505050505050505050505
SEED_C=c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3
U1=cccccccc-3333-4333-8333-000000000001
U2=cccccccc-3333-4333-8333-000000000002
U3=cccccccc-3333-4333-8333-000000000003

if ! check "testnet starts" harness_start_testnet --nodes 8 ||
	! check "relay starts" harness_start_relay; then
	done_testing
	exit 1
fi
e2e_machine a b c
check "A: identity A" e2e_import a "$SEED_A"
check "B: identity B" e2e_import b "$SEED_B"
check "C: identity C" e2e_import c "$SEED_C"
ZA=$(e2e_pk a)
ZB=$(e2e_pk b)
ZC=$(e2e_pk c)
is "B's key starts with p" "$(printf '%.1s' "$ZB")" p
check "three different keys" test -n "$ZA" -a "$ZA" != "$ZB" -a "$ZB" != "$ZC" -a "$ZA" != "$ZC"
mkdir -p "$T_DIR/a/proj"
P=$(cd "$T_DIR/a/proj" && pwd -P)
for m in a b c; do
	for u in "$U1" "$U2" "$U3"; do e2e_session "$T_DIR/$m/.claude" "$P" "$u"; done
done
# ts PK: the packet timestamp now published under PK (empty when none)
ts() { on a "$CCLINK" resolve --json "pk:$1" 2>/dev/null | harness_json .timestamp_us 2>/dev/null; }

# ---- 3. --share ---------------------------------------------------------------------------
expect_exit "--share with a value that is not a key: exit 2" 2 as_a -C "$P" "$CCLINK" publish --share pk:notakey
grep_err "the message says what a key looks like" 'is not a public key'
expect_exit "A publishes --share pk:<B>" 0 as_a -C "$P" "$CCLINK" publish "$U1" --share "pk:$ZB"
grep_out "publish says who can open it" "^Shared with: pk:$ZB"
grep_out "publish gives the pickup command with A's key" "cclink pickup pk:$ZA"
claude_reset b
expect_exit "B: pickup pk:<A> -y" 0 on_term b "$CCLINK" pickup "pk:$ZA" -y
is "B's claude resumed U1" "$(claude_field b argv)" "--resume $U1"
is "B's claude runs in the project" "$(claude_field b cwd)" "$P"
expect_exit "B: pickup pk:<A> --json" 0 as_b "$CCLINK" pickup "pk:$ZA" --json
json_is "--json: mode share" .mode share
json_is "--json: publisher A" .pubkey "$ZA"
json_is "--json: session" .session_id "$U1"
claude_reset c
expect_exit "C: pickup pk:<A> -> exit 5" 5 as_c "$CCLINK" pickup "pk:$ZA" -y
grep_err "C is told whom it was shared with" "shared with pk:$ZB, not with this identity"
no_claude "C's claude not started" c
claude_reset a
expect_exit "A picking up its own shared record -> exit 5" 5 as_a "$CCLINK" pickup -y
grep_err "A is told whom it was shared with" "shared with pk:$ZB"
no_claude "A's claude not started" a
expect_exit "list on A" 0 as_a "$CCLINK" list --json
json_is "list: mode share" .mode share
json_is "list: recipient B" .recipient "$ZB"
json_is "list: A cannot read the session" .session_id null
expect_exit "--share with a bare z32 key works too" 0 as_a -C "$P" "$CCLINK" publish "$U2" --share "$ZB"
grep_out "bare key: publish names the recipient's whole key" "^Shared with: pk:$ZB "
expect_exit "--share --json" 0 as_a -C "$P" "$CCLINK" publish "$U2" --share "$ZB" --json
json_is "publish --json: mode share" .mode share
expect_exit "B opens it" 0 as_b "$CCLINK" pickup "$ZA" --json
json_is "B: session U2" .session_id "$U2"

# ---- 4. a self record picked up by another identity ---------------------------------------
expect_exit "A publishes a self record" 0 as_a -C "$P" "$CCLINK" publish "$U1"
claude_reset b
expect_exit "B: pickup pk:<A> of a self record -> exit 5" 5 as_b "$CCLINK" pickup "pk:$ZA" -y
grep_err "B is told it is self-encrypted by A" "self-encrypted by pk:$ZA"
grep_err "and how to hand it over" 'publish with --share'
no_claude "B's claude not started" b
expect_exit "B: pickup pk:<A> --json of a self record -> exit 5" 5 as_b "$CCLINK" pickup "pk:$ZA" --json
expect_exit "B: pickup of its own (unpublished) key -> exit 3" 3 as_b "$CCLINK" pickup -y
grep_err "B is told nothing is published under its key" "no handoff found for pk:$ZB"

# ---- 5. --pin ----------------------------------------------------------------------------
printf '73914862\n' >"$T_DIR/pin"
printf '73914863\n' >"$T_DIR/badpin"
expect_exit "A publishes --pin-file" 0 as_a -C "$P" "$CCLINK" publish "$U2" --pin-file "$T_DIR/pin"
grep_out "publish says it is PIN-protected" '^PIN-protected'
claude_reset b
expect_exit "B: right PIN" 0 on_term b "$CCLINK" pickup "pk:$ZA" --pin-file "$T_DIR/pin" -y
is "B's claude resumed U2" "$(claude_field b argv)" "--resume $U2"
claude_reset c
expect_exit "C: wrong PIN -> exit 5" 5 as_c "$CCLINK" pickup "pk:$ZA" --pin-file "$T_DIR/badpin" -y
grep_err "the message says wrong PIN" 'wrong PIN'
no_claude "no claude with a wrong PIN" c
expect_exit "C: no PIN source and no tty -> exit 2" 2 as_c "$CCLINK" pickup "pk:$ZA" -y
grep_err "the message asks for --pin-file" 'PIN-protected.*--pin-file'
no_claude "no claude without a PIN" c
expect_exit "C: right PIN --json" 0 as_c "$CCLINK" pickup "pk:$ZA" --pin-file "$T_DIR/pin" --json
json_is "--json: mode pin" .mode pin
json_is "--json: session U2" .session_id "$U2"
BEFORE=$(ts "$ZA")
check "a packet is published" test -n "$BEFORE"
pinrule() {
	printf '%s\n' "$2" >"$T_DIR/rule-pin"
	expect_exit "PIN rule: $1 ('$2') -> exit 2" 2 as_a -C "$P" "$CCLINK" publish "$U3" --pin-file "$T_DIR/rule-pin"
	grep_err "PIN rule: $1: the message says why" "$3"
}
pinrule "too short" 7391486 'at least 8 characters'
pinrule "all the same" 77777777 'all characters are the same'
pinrule "ascending" 12345678 'sequential'
pinrule "descending" hgfedcba 'sequential'
pinrule "common word" password 'common word'
pinrule "common word, any case" FootBall 'common word'
is "none of the refused PINs published anything" "$(ts "$ZA")" "$BEFORE"
expect_exit "--pin with --share -> exit 2" 2 as_a -C "$P" "$CCLINK" publish "$U3" --pin-file "$T_DIR/pin" --share "pk:$ZB"
grep_err "--pin + --share: the message" '--share and --pin cannot be combined'
expect_exit "--pin (no file) with --share -> exit 2" 2 as_a -C "$P" "$CCLINK" publish "$U3" --pin --share "pk:$ZB"
expect_exit "--burn with --share -> exit 2" 2 as_a -C "$P" "$CCLINK" publish "$U3" --burn --share "pk:$ZB"
grep_err "--burn + --share: the message" '--share and --burn cannot be combined'
is "the refused combinations published nothing" "$(ts "$ZA")" "$BEFORE"

# A PIN + burn record: another identity cannot burn it; its publisher can.
expect_exit "A publishes --pin-file --burn" 0 as_a -C "$P" "$CCLINK" publish "$U3" --pin-file "$T_DIR/pin" --burn
claude_reset b
expect_exit "B picks it up with the PIN" 0 on_term b "$CCLINK" pickup "pk:$ZA" --pin-file "$T_DIR/pin" -y
is "B's claude resumed U3" "$(claude_field b argv)" "--resume $U3"
grep_err "B is told it cannot burn A's record" "only its publisher's key can revoke it"
expect_exit "the record is still published" 0 as_a "$CCLINK" list --json
json_is "still active, burn" .burn true
claude_reset a
expect_exit "A picks up its own PIN record" 0 on_term a "$CCLINK" pickup --pin-file "$T_DIR/pin" -y
is "A's claude resumed U3" "$(claude_field a argv)" "--resume $U3"
grep_err "A burns it" 'Burnt'
expect_exit "burnt: list -> exit 3" 3 as_a "$CCLINK" list

done_testing
