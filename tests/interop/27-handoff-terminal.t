#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end through ./cclink on a pseudo-terminal: the key passphrase (init, publish,
# pickup) and the PIN (publish with confirmation, pickup) typed at their prompts with echo
# off, and pickup's confirmation question.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

U1=13131313-8888-4888-8888-000000000001
U2=13131313-8888-4888-8888-000000000002
PASS_A='typed passphrase A'
PASS_B='typed passphrase B'
PIN=52719384

if ! check "testnet starts" harness_start_testnet --nodes 8 ||
	! check "relay starts" harness_start_relay; then
	done_testing
	exit 1
fi
e2e_machine a b
not_echoed() {
	if grep -q -- "$2" "$T_DIR/out"; then
		not_ok "$1"
		diag "terminal: $(tr -d '\r' <"$T_DIR/out")"
	else ok "$1"; fi
}

# ---- the key passphrase on the terminal ----------------------------------------------------
run on_dialog a 'Enter key passphrase' "$PASS_A" 'Confirm passphrase' "$PASS_A" -- "$CCLINK" init
is "init on a terminal: exit 0" "$RC" 0
grep_out "init asked twice" 'Confirm passphrase'
not_echoed "init: the passphrase was not echoed" "$PASS_A"
grep_out "init: passphrase-protected" 'passphrase-protected'
printf '%s\n' "$PASS_A" >"$T_DIR/pa"
expect_exit "the JS tool opens the key with the typed passphrase" 0 harness_compat loadkey "$T_DIR/a/.pubky/secret_key" --passphrase-file "$T_DIR/pa" --print-seed
ZA=$(sed -n 1p "$T_DIR/out")
SEED=$(sed -n 2p "$T_DIR/out")
is "whoami agrees" "$(e2e_pk a)" "$ZA"
run on_dialog b 'Enter key passphrase' "$PASS_B" 'Confirm passphrase' "$PASS_B-typo" -- "$CCLINK" init
is "init with mismatched passphrases: exit 1" "$RC" 1
grep_out "init says they do not match" 'the passphrases do not match; no key was written'
check "no key was written" test ! -e "$T_DIR/b/.pubky/secret_key"
printf '%s\n' "$PASS_B" >"$T_DIR/pb"
check "B imports A's seed with its own passphrase" e2e_import b "$SEED" --passphrase-file "$T_DIR/pb"

mkdir -p "$T_DIR/a/proj"
P=$(cd "$T_DIR/a/proj" && pwd -P)
for m in a b; do
	for u in "$U1" "$U2"; do e2e_session "$T_DIR/$m/.claude" "$P" "$u"; done
done
run on_dialog a -C "$P" 'Enter passphrase for' 'not the passphrase' -- "$CCLINK" publish "$U1"
is "publish with a wrong typed passphrase: exit 1" "$RC" 1
grep_out "wrong passphrase" 'wrong passphrase for'
expect_exit "nothing published" 3 as_a "$CCLINK" resolve "pk:$ZA"
run on_dialog a -C "$P" 'Enter passphrase for .*secret_key' "$PASS_A" -- "$CCLINK" publish "$U1"
is "publish with the typed passphrase: exit 0" "$RC" 0
grep_out "published U1" "Session: $U1"
not_echoed "publish: the passphrase was not echoed" "$PASS_A"

claude_reset b
run on_dialog b 'Enter passphrase for' "$PASS_B" 'Resume session' y -- "$CCLINK" pickup
is "pickup: passphrase and confirmation typed: exit 0" "$RC" 0
grep_out "the question names the session, directory and host" "Resume session ${U1%%-*} \\($P\\) from $(hostname), published [0-9]+s ago\\?"
not_echoed "pickup: the passphrase was not echoed" "$PASS_B"
is "claude resumed U1" "$(claude_field b argv)" "--resume $U1"

# ---- the PIN on the terminal -----------------------------------------------------------------
run on_dialog a -C "$P" 'PIN for this handoff' "$PIN" 'Repeat the PIN' "${PIN}0" -- "$CCLINK" publish "$U2" --pin
is "--pin with mismatched PINs: exit 1" "$RC" 1
grep_out "the PINs do not match" 'the PINs do not match'
expect_exit "the U1 record is still the one published" 0 as_b "$CCLINK" --passphrase-file "$T_DIR/pb" pickup --json
json_is "still U1" .session_id "$U1"
run on_dialog a -C "$P" 'PIN for this handoff' "$PIN" 'Repeat the PIN' "$PIN" 'Enter passphrase for' "$PASS_A" -- "$CCLINK" publish "$U2" --pin
is "--pin typed twice, then the passphrase: exit 0" "$RC" 0
grep_out "PIN-protected" 'PIN-protected'
not_echoed "the PIN was not echoed" "$PIN"
not_echoed "the passphrase was not echoed" "$PASS_A"
run on_dialog a -C "$P" 'PIN for this handoff' 1234 'Repeat the PIN' 1234 -- "$CCLINK" publish "$U2" --pin
is "a short PIN typed on the terminal: exit 2" "$RC" 2
grep_out "the PIN rule is named" 'at least 8 characters'

claude_reset b
run on_dialog b 'PIN: ' "${PIN}1" -- "$CCLINK" pickup
is "pickup with a wrong typed PIN: exit 5" "$RC" 5
grep_out "wrong PIN" 'wrong PIN'
no_claude "no claude" b
run on_dialog b 'PIN: ' "$PIN" 'Resume session' n -- "$CCLINK" pickup
is "right PIN, then 'n': exit 7" "$RC" 7
not_echoed "the PIN was not echoed at pickup" "$PIN"
no_claude "declined: no claude" b
run on_dialog b 'PIN: ' "$PIN" 'Resume session' yes -- "$CCLINK" pickup
is "right PIN, then 'yes': exit 0" "$RC" 0
is "claude resumed U2" "$(claude_field b argv)" "--resume $U2"

done_testing
