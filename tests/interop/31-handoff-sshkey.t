#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end with OpenSSH keys (made by ssh-keygen here) on the loopback testnet and relay:
# `identity = ssh:PATH` publishes and picks up across two HOMEs holding the same key;
# --share to an ssh-ed25519 line, a .pub file, an age1 recipient (opened by Debian's
# `age -d -i` with an age-keygen identity) and several at once, with the clear error once the
# record no longer fits; pickup tries every local identity (key file, ~/.ssh/id_ed25519).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

SEED_B2=b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2
SEED_C=c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3
U1=dddddddd-4444-4444-8444-000000000001
U2=dddddddd-4444-4444-8444-000000000002
U3=dddddddd-4444-4444-8444-000000000003
PASS="a's ssh passphrase"
printf '%s\n' "$PASS" >"$T_DIR/pass"

if ! check "testnet starts" harness_start_testnet --nodes 8 ||
	! check "relay starts" harness_start_relay; then
	done_testing
	exit 1
fi
# a and a2: two machines with the same passphrase-protected SSH key, used in place.
# b: a plain SSH key used in place, plus a key file (seed B2).
# c: a key file (seed C) as its identity, plus ~/.ssh/id_ed25519 (another key, never configured).
e2e_machine a a2 b c
for m in a a2 b c; do mkdir -p "$T_DIR/$m/.ssh" "$T_DIR/$m/.config/cclink"; done
ssh-keygen -q -t ed25519 -N "$PASS" -C a -f "$T_DIR/a/.ssh/id_ed25519"
cp "$T_DIR/a/.ssh/id_ed25519" "$T_DIR/a2/.ssh/id_ed25519"
ssh-keygen -q -t ed25519 -N '' -C b -f "$T_DIR/b/.ssh/work_key"
ssh-keygen -q -t ed25519 -N '' -C c -f "$T_DIR/c/.ssh/id_ed25519"
printf 'identity = ssh:~/.ssh/id_ed25519\n' >"$T_DIR/a/.config/cclink/config"
printf 'identity = ssh\n' >"$T_DIR/a2/.config/cclink/config"
printf 'identity = ssh:%s\n' "$T_DIR/b/.ssh/work_key" >"$T_DIR/b/.config/cclink/config"
check "B: a key file too (seed B2)" e2e_import b "$SEED_B2"
check "C: identity C (key file)" e2e_import c "$SEED_C"
pk_of() { on "$1" "$CCLINK" --passphrase-file "$T_DIR/pass" whoami --json | harness_json .pubkey; }
ZA=$(pk_of a)
ZA2=$(pk_of a2)
ZB=$(pk_of b)
ZB2=$(on b "$CCLINK" --identity file whoami --json | harness_json .pubkey)
ZC=$(pk_of c)
is "A and A2 are the same identity" "$ZA2" "$ZA"
check "B's SSH key and B's key file differ" test -n "$ZB" -a "$ZB" != "$ZB2"
is "A's whoami names its source" "$(on a "$CCLINK" whoami --json | harness_json .kind)" ssh
is "A's SSH public key is ssh-keygen's" \
	"$(on a "$CCLINK" whoami --json | harness_json .ssh_public_key)" \
	"$(ssh-keygen -y -P "$PASS" -f "$T_DIR/a/.ssh/id_ed25519" | cut -d' ' -f1,2)"
mkdir -p "$T_DIR/a/proj"
P=$(cd "$T_DIR/a/proj" && pwd -P)
for m in a a2 b c; do
	for u in "$U1" "$U2" "$U3"; do e2e_session "$T_DIR/$m/.claude" "$P" "$u"; done
done

# ---- self handoff with identity = ssh:PATH, across two HOMEs --------------------------------
expect_exit "A publishes with its passphrase-protected SSH key (no key store)" 0 as_a -C "$P" \
	"$CCLINK" --passphrase-file "$T_DIR/pass" publish "$U1"
check "A has no cclink key file" test ! -e "$T_DIR/a/.pubky/secret_key"
expect_exit "A without a passphrase source cannot sign: exit 2" 2 as_a -C "$P" "$CCLINK" \
	publish "$U2"
grep_err "the message names the SSH key and the ways to give its passphrase" \
	"OpenSSH key $T_DIR/a/.ssh/id_ed25519 is passphrase-protected.*--passphrase-file"
printf 'wrong passphrase\n' >"$T_DIR/wrongpass"
expect_exit "A with a wrong passphrase: exit 1" 1 as_a -C "$P" "$CCLINK" \
	--passphrase-file "$T_DIR/wrongpass" publish "$U2"
grep_err "the message says so and names the key" \
	"wrong passphrase for the OpenSSH key $T_DIR/a/.ssh/id_ed25519"
claude_reset a2
expect_exit "A2 (same SSH key, other HOME) picks it up" 0 on_term a2 "$CCLINK" \
	--passphrase-file "$T_DIR/pass" pickup -y
is "A2's claude resumed U1" "$(claude_field a2 argv)" "--resume $U1"
expect_exit "B cannot open A's self record: exit 5" 5 as_b "$CCLINK" pickup "pk:$ZA" -y
grep_err "B is told it is self-encrypted" "self-encrypted by pk:$ZA"

# ---- --share to SSH public keys -------------------------------------------------------------
BLINE=$(cat "$T_DIR/b/.ssh/work_key.pub")
expect_exit "A shares to B's 'ssh-ed25519 AAAA... comment' line" 0 as_a -C "$P" "$CCLINK" \
	--passphrase-file "$T_DIR/pass" publish "$U2" --share "$BLINE"
grep_out "publish names B's key" "^Shared with: pk:$ZB"
expect_exit "the record is 1.3's share format: recipient = B's z32" 0 as_a "$CCLINK" list --json
json_is "list: recipient is B's bare key" .recipient "$ZB"
claude_reset b
expect_exit "B (identity ssh:PATH) picks it up" 0 on_term b "$CCLINK" pickup "pk:$ZA" -y
is "B's claude resumed U2" "$(claude_field b argv)" "--resume $U2"
expect_exit "C cannot: exit 5" 5 as_c "$CCLINK" pickup "pk:$ZA" -y
grep_err "C is told whom it was shared with" "shared with pk:$ZB, not with this identity"
expect_exit "A shares to B's .pub file" 0 as_a -C "$P" "$CCLINK" --passphrase-file "$T_DIR/pass" \
	publish "$U3" --share "$T_DIR/b/.ssh/work_key.pub"
expect_exit "B picks it up" 0 as_b "$CCLINK" pickup "pk:$ZA" --json
json_is "B: session U3" .session_id "$U3"
expect_exit "--share with a private key file: exit 2" 2 as_a -C "$P" "$CCLINK" \
	--passphrase-file "$T_DIR/pass" publish "$U3" --share "$T_DIR/b/.ssh/work_key"
grep_err "says to give the .pub" 'is a private key: give the recipient.s public key'
ssh-keygen -q -t rsa -b 2048 -N '' -f "$T_DIR/rsa"
expect_exit "--share with an RSA .pub: exit 2" 2 as_a -C "$P" "$CCLINK" \
	--passphrase-file "$T_DIR/pass" publish "$U3" --share "$T_DIR/rsa.pub"
grep_err "refused by name" 'an RSA key \(ssh-rsa\)'
expect_exit "--share with a broken ssh-ed25519 line: exit 2" 2 as_a -C "$P" "$CCLINK" \
	--passphrase-file "$T_DIR/pass" publish "$U3" --share "ssh-ed25519 AAAAnotbase64 x"

# ---- pickup tries every local identity --------------------------------------------------------
expect_exit "A shares to B's key file (B's active identity is its SSH key)" 0 as_a -C "$P" \
	"$CCLINK" --passphrase-file "$T_DIR/pass" publish "$U1" --share "pk:$ZB2"
claude_reset b
expect_exit "B picks it up with its key file" 0 on_term b "$CCLINK" pickup "pk:$ZA" -y
is "B's claude resumed U1" "$(claude_field b argv)" "--resume $U1"
expect_exit "A shares to C's ~/.ssh/id_ed25519 (C's identity is its key file)" 0 as_a -C "$P" \
	"$CCLINK" --passphrase-file "$T_DIR/pass" publish "$U2" --share "$T_DIR/c/.ssh/id_ed25519.pub"
claude_reset c
expect_exit "C picks it up with ~/.ssh/id_ed25519" 0 on_term c "$CCLINK" pickup "pk:$ZA" -y
is "C's claude resumed U2" "$(claude_field c argv)" "--resume $U2"

# ---- --share to age recipients -----------------------------------------------------------------
age-keygen -o "$T_DIR/age.key" 2>/dev/null
AGE_R=$(age-keygen -y "$T_DIR/age.key")
# blob_of PK: the age file of the _cclink record published under PK
blob_of() {
	on a "$CCLINK" resolve --json "pk:$1" | harness_json .records.0.value | harness_json .blob |
		base64 -d >"$T_DIR/blob.age"
}
expect_exit "A shares to an age1 recipient" 0 as_a -C "$P" "$CCLINK" --passphrase-file "$T_DIR/pass" \
	publish "$U3" --share "$AGE_R"
grep_out "publish names the age recipient" "^Shared with: $AGE_R"
blob_of "$ZA"
run age -d -i "$T_DIR/age.key" "$T_DIR/blob.age"
check "Debian age -d -i opens it" test "$RC" -eq 0
grep_out "the payload holds the session" "\"s\":\"$U3\""
expect_exit "B cannot open it: exit 5" 5 as_b "$CCLINK" pickup "pk:$ZA" -y
grep_err "B is told it was shared with the age recipient" "shared with $AGE_R, not with this identity"
# B's own age recipient (whoami) works like its key.
B_AGE=$(on b "$CCLINK" whoami --json | harness_json .age_recipients.0)
expect_exit "A shares to B's age recipient and to the age key at once" 0 as_a -C "$P" "$CCLINK" \
	--passphrase-file "$T_DIR/pass" publish "$U1" --share "$B_AGE" --share "$AGE_R"
grep_out "both recipients named" "^Only these 2 keys can decrypt it"
claude_reset b
expect_exit "B picks it up" 0 on_term b "$CCLINK" pickup "pk:$ZA" -y
is "B's claude resumed U1" "$(claude_field b argv)" "--resume $U1"
blob_of "$ZA"
run age -d -i "$T_DIR/age.key" "$T_DIR/blob.age"
check "age opens the two-recipient record too" test "$RC" -eq 0
expect_exit "the same recipient twice: exit 2" 2 as_a -C "$P" "$CCLINK" \
	--passphrase-file "$T_DIR/pass" publish "$U1" --share "$AGE_R" --share "$AGE_R"
grep_err "says it was given before" 'names a recipient given before'
TS=$(on a "$CCLINK" resolve --json "pk:$ZA" | harness_json .timestamp_us)
set --
for i in 1 2 3 4 5 6; do
	age-keygen -o "$T_DIR/age$i.key" 2>/dev/null
	set -- "$@" --share "$(age-keygen -y "$T_DIR/age$i.key")"
done
expect_exit "six recipients do not fit: exit 1" 1 as_a -C "$P" "$CCLINK" \
	--passphrase-file "$T_DIR/pass" publish "$U1" "$@"
grep_err "says it no longer fits and what to do" 'with 6 --share recipients the record would be .* share with fewer'
is "nothing was published" "$(on a "$CCLINK" resolve --json "pk:$ZA" | harness_json .timestamp_us)" "$TS"

done_testing
