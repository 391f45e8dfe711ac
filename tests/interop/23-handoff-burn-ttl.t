#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end through ./cclink: --burn (confirmed with -y or on a terminal, declined on a
# terminal, burnt by --json/--print once printed) and --ttl (expiry, invalid values, the default).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

SEED=d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4
U1=dddddddd-4444-4444-8444-000000000001
U2=dddddddd-4444-4444-8444-000000000002

if ! check "testnet starts" harness_start_testnet --nodes 8 ||
	! check "relay starts" harness_start_relay; then
	done_testing
	exit 1
fi
e2e_machine a b
check "A imports the seed" e2e_import a "$SEED"
check "B imports the same seed" e2e_import b "$SEED"
ZA=$(e2e_pk a)
mkdir -p "$T_DIR/a/proj"
P=$(cd "$T_DIR/a/proj" && pwd -P)
for m in a b; do
	for u in "$U1" "$U2"; do e2e_session "$T_DIR/$m/.claude" "$P" "$u"; done
done
has_cclink() { on a "$CCLINK" resolve "pk:$ZA" | grep -q '^  _cclink	TXT'; }

# ---- 6. --burn ----------------------------------------------------------------------------
expect_exit "publish --burn" 0 as_a -C "$P" "$CCLINK" publish "$U1" --burn
grep_out "publish says burn after reading" 'burn after reading'
check "the packet holds _cclink" has_cclink
claude_reset b
# Printing delivers the handoff: --json and --print burn, but only once the output is written.
as_b "$CCLINK" pickup --json >/dev/full 2>"$T_DIR/err"
is "pickup --json to a full disk fails (exit 1)" "$?" 1
grep_err "and says the handoff was not burnt" 'cannot write the handoff.*not burnt'
expect_exit "a failed --json did not burn it" 0 as_a "$CCLINK" list --json
json_is "still active" .active true
expect_exit "pickup --json of a burn record" 0 as_b "$CCLINK" pickup --json
json_is "--json shows burn" .burn true
json_is "--json shows the session" .session_id "$U1"
grep_err "--json burnt it" 'Burnt: the handoff record was revoked'
no_claude "--json launches nothing" b
expect_exit "--json burnt it: list -> exit 3" 3 as_a "$CCLINK" list --json
expect_exit "a second pickup --json of the burnt record finds nothing (exit 3)" 3 as_b "$CCLINK" pickup --json
check "with nothing on stdout" test ! -s "$T_DIR/out"
expect_exit "publish --burn again" 0 as_a -C "$P" "$CCLINK" publish "$U1" --burn
expect_exit "pickup --print of a burn record" 0 as_b "$CCLINK" pickup --print
grep_out "--print shows burn" 'burn after reading'
grep_err "--print burnt it" 'Burnt: the handoff record was revoked'
expect_exit "a second pickup --print finds nothing (exit 3)" 3 as_b "$CCLINK" pickup --print
no_claude "--json/--print launch nothing" b
expect_exit "publish --burn for the terminal" 0 as_a -C "$P" "$CCLINK" publish "$U1" --burn
expect_exit "it is active" 0 as_a "$CCLINK" list --json
json_is "active" .active true

run on_tty b n "$CCLINK" pickup
is "declined on the terminal: exit 7" "$RC" 7
grep_out "the terminal showed the question" 'Resume session dddddddd .*It will be burnt'
grep_out "declined: nothing changed" 'aborted; nothing was changed'
no_claude "declined: no claude" b
expect_exit "declined: the record is still there" 0 as_a "$CCLINK" list --json
json_is "declined: still active" .active true
check "declined: the packet still holds _cclink" has_cclink

run on_tty b y "$CCLINK" pickup
is "confirmed on the terminal: exit 0 (claude's)" "$RC" 0
is "confirmed on the terminal: claude resumed U1" "$(claude_field b argv)" "--resume $U1"
grep_out "confirmed on the terminal: burnt" 'Burnt'
expect_exit "burnt: list -> exit 3" 3 as_a "$CCLINK" list
expect_exit "burnt: resolve still finds a packet" 0 as_a "$CCLINK" resolve "pk:$ZA"
if has_cclink; then not_ok "burnt: no _cclink in the packet"; else ok "burnt: no _cclink in the packet"; fi

expect_exit "publish --burn again" 0 as_a -C "$P" "$CCLINK" publish "$U2" --burn
claude_reset b
expect_exit "pickup -y of a burn record" 0 on_term b "$CCLINK" pickup -y
is "claude resumed U2" "$(claude_field b argv)" "--resume $U2"
grep_err "pickup -y burnt it" 'Burnt: the handoff record was revoked'
if has_cclink; then not_ok "-y: no _cclink in the packet afterwards"; else ok "-y: no _cclink in the packet afterwards"; fi
expect_exit "-y: list -> exit 3" 3 as_b "$CCLINK" list
claude_reset b
expect_exit "a second pickup finds nothing (exit 3)" 3 as_b "$CCLINK" pickup -y
no_claude "no claude the second time" b

# A plain record is not burnt by a pickup.
expect_exit "publish without --burn" 0 as_a -C "$P" "$CCLINK" publish "$U1"
expect_exit "pickup -y" 0 on_term b "$CCLINK" pickup -y
expect_exit "a plain record stays after a pickup" 0 as_a "$CCLINK" list

# ---- 7. --ttl -----------------------------------------------------------------------------
json_field() { harness_json "$1" <"$T_DIR/out" 2>/dev/null; }
expect_exit "list --json of a default record" 0 as_a "$CCLINK" list --json
json_is "default ttl is 86400" .ttl 86400
TL=$(json_field .time_left)
check "default: about 24h left ($TL s)" test "${TL:-0}" -gt 86300 -a "${TL:-0}" -le 86400
expect_exit "list of a default record" 0 as_a "$CCLINK" list
grep_out "list shows ~24h left" 'Expires: +in (1d 0h|23h 5[0-9]m)'
expect_exit "--ttl 30m" 0 as_a -C "$P" "$CCLINK" publish "$U1" --ttl 30m --json
json_is "--ttl 30m: ttl 1800" .ttl 1800
expect_exit "--ttl 2d" 0 as_a -C "$P" "$CCLINK" publish "$U1" --ttl 2d
expect_exit "list --json" 0 as_a "$CCLINK" list --json
json_is "--ttl 2d: ttl 172800" .ttl 172800
for bad in 0 -5 abc 10x 367d 1.5h ''; do
	expect_exit "--ttl '$bad' -> exit 2" 2 as_a -C "$P" "$CCLINK" publish "$U1" --ttl "$bad"
	grep_err "--ttl '$bad': the message" "invalid --ttl"
done
expect_exit "the invalid values published nothing" 0 as_a "$CCLINK" list --json
json_is "still the 2d record" .ttl 172800

expect_exit "--ttl 2" 0 as_a -C "$P" "$CCLINK" publish "$U2" --ttl 2
sleep 3
claude_reset b
expect_exit "after 3 s: pickup -> exit 4" 4 as_b "$CCLINK" pickup -y
grep_err "the message says it expired" 'expired .* ago'
no_claude "no claude for an expired record" b
expect_exit "pickup --json of an expired record -> exit 4" 4 as_b "$CCLINK" pickup --json
expect_exit "list still shows the expired record" 0 as_a "$CCLINK" list --json
json_is "list: expired" .expired true
json_is "list: not active" .active false

done_testing
