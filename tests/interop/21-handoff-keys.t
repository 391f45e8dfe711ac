#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end through ./cclink with passphrase-protected key files on both machines
# (--passphrase-file, CCLINK_ASKPASS, no source at all), and key files exchanged both ways
# with the independent JS implementation of the 1.3 formats (cclink-compat.mjs).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

SEED=c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffee0101
SEED_X=1b2c3d4e5f60718293a4b5c6d7e8f9000112233445566778899aabbccddeeff0
U1=bbbbbbbb-2222-4222-8222-000000000001
U2=bbbbbbbb-2222-4222-8222-000000000002
U3=bbbbbbbb-2222-4222-8222-000000000003

if ! check "testnet starts" harness_start_testnet --nodes 8 ||
	! check "relay starts" harness_start_relay; then
	done_testing
	exit 1
fi
e2e_machine a b c d
printf 'passphrase of A\n' >"$T_DIR/pa"
printf 'the B passphrase\r\n' >"$T_DIR/pb"
printf 'not the passphrase\n' >"$T_DIR/wrong"
for m in a b; do
	cat >"$T_DIR/$m/askpass" <<EOF
#!/bin/sh
printf '%s\n' "\$1" >>"$T_DIR/$m/askpass.log"
cat "$T_DIR/p$m"
EOF
	chmod 755 "$T_DIR/$m/askpass"
done
printf '#!/bin/sh\nexit 1\n' >"$T_DIR/askpass-cancel"
chmod 755 "$T_DIR/askpass-cancel"
KA=$T_DIR/a/.pubky/secret_key
KB=$T_DIR/b/.pubky/secret_key

# ---- 2. encrypted key files on both machines ------------------------------------------
check "A: init --import with --passphrase-file" e2e_import a "$SEED" --passphrase-file "$T_DIR/pa"
check "B: init --import with another passphrase" e2e_import b "$SEED" --passphrase-file "$T_DIR/pb"
is "A's key file is a CCLINKEK envelope" "$(head -c 8 "$KA")" CCLINKEK
is "B's key file is a CCLINKEK envelope" "$(head -c 8 "$KB")" CCLINKEK
if grep -q "$SEED" "$KA" "$KB"; then not_ok "the seed is not in the key files"; else ok "the seed is not in the key files"; fi
ZA=$(e2e_pk a)
is "whoami needs no passphrase and both machines agree" "$(e2e_pk b)" "$ZA"
mkdir -p "$T_DIR/a/proj"
P=$(cd "$T_DIR/a/proj" && pwd -P)
e2e_session "$T_DIR/a/.claude" "$P" "$U1"
e2e_session "$T_DIR/b/.claude" "$P" "$U1"

expect_exit "publish without a passphrase source and no tty: exit 2" 2 as_a -C "$P" "$CCLINK" publish
grep_err "the message says why and how to fix it" 'passphrase-protected and there is no terminal.*--passphrase-file'
expect_exit "nothing was published" 3 as_a "$CCLINK" resolve "pk:$ZA"
expect_exit "publish with a wrong --passphrase-file: exit 1" 1 as_a -C "$P" "$CCLINK" --passphrase-file "$T_DIR/wrong" publish
grep_err "wrong passphrase is named" 'wrong passphrase for .*secret_key'
expect_exit "publish with a cancelled CCLINK_ASKPASS fails" 1 as_a -C "$P" env CCLINK_ASKPASS="$T_DIR/askpass-cancel" "$CCLINK" publish
grep_err "cancelled askpass is named" 'no passphrase given'
expect_exit "still nothing published" 3 as_a "$CCLINK" resolve "pk:$ZA"

expect_exit "publish with --passphrase-file" 0 as_a -C "$P" "$CCLINK" --passphrase-file "$T_DIR/pa" publish
grep_out "published U1" "^Session: $U1"
claude_reset b
expect_exit "pickup without a passphrase source and no tty: exit 2" 2 as_b "$CCLINK" pickup -y
grep_err "pickup names the missing passphrase source" 'passphrase-protected and there is no terminal'
no_claude "no claude without the passphrase" b
expect_exit "pickup with A's passphrase on B's key: exit 1" 1 as_b "$CCLINK" --passphrase-file "$T_DIR/pa" pickup -y
grep_err "pickup: wrong passphrase" 'wrong passphrase'
no_claude "no claude with a wrong passphrase" b
expect_exit "pickup with --passphrase-file (CRLF line end)" 0 on_term b "$CCLINK" --passphrase-file "$T_DIR/pb" pickup -y
is "claude resumed U1" "$(claude_field b argv)" "--resume $U1"
is "in the project" "$(claude_field b cwd)" "$P"
expect_exit "pickup --json with --passphrase-file" 0 as_b "$CCLINK" --passphrase-file "$T_DIR/pb" pickup --json
json_is "--json: session" .session_id "$U1"

e2e_session "$T_DIR/a/.claude" "$P" "$U2"
e2e_session "$T_DIR/b/.claude" "$P" "$U2"
expect_exit "publish with CCLINK_ASKPASS" 0 as_a -C "$P" env CCLINK_ASKPASS="$T_DIR/a/askpass" "$CCLINK" publish "$U2"
check "A's askpass program was asked, with a prompt naming the key file" grep -q 'passphrase for .*secret_key' "$T_DIR/a/askpass.log"
claude_reset b
expect_exit "pickup with CCLINK_ASKPASS" 0 on_term b env CCLINK_ASKPASS="$T_DIR/b/askpass" "$CCLINK" pickup -y
check "B's askpass program was asked" test -s "$T_DIR/b/askpass.log"
is "claude resumed U2" "$(claude_field b argv)" "--resume $U2"
expect_exit "list on A without a passphrase still shows the record" 0 as_a "$CCLINK" list --json
json_is "list: active" .active true
json_is "list: session unknown without the passphrase" .session_id null
expect_exit "list on A with the passphrase decrypts it" 0 as_a "$CCLINK" --passphrase-file "$T_DIR/pa" list --json
json_is "list: session with the passphrase" .session_id "$U2"
# A PIN + burn record picked up on a publisher's machine: the PIN opens it, the key burns it.
printf '73914862\n' >"$T_DIR/pin"
expect_exit "publish --pin-file --burn" 0 as_a -C "$P" "$CCLINK" --passphrase-file "$T_DIR/pa" publish "$U2" --pin-file "$T_DIR/pin" --burn
claude_reset b
# (On the terminal the burn asks for B's passphrase; an empty answer does not unlock it.)
run on_dialog b 'Enter passphrase for' '' -- "$CCLINK" pickup --pin-file "$T_DIR/pin" -y
is "B: the PIN opens it without B's passphrase" "$RC" 0
is "claude resumed U2" "$(claude_field b argv)" "--resume $U2"
grep_out "B's key could not be unlocked to burn it, and it says so" "could not burn the handoff: this identity's key could not be unlocked; revoke it with 'cclink revoke'"
if grep -q "only its publisher's key" "$T_DIR/out"; then not_ok "not told it is another publisher's record"; else ok "not told it is another publisher's record"; fi
expect_exit "not burnt" 0 as_a "$CCLINK" list
claude_reset b
expect_exit "B with its passphrase: picked up and burnt" 0 on_term b "$CCLINK" --passphrase-file "$T_DIR/pb" pickup --pin-file "$T_DIR/pin" -y
grep_err "burnt" 'Burnt'
expect_exit "burnt: list -> exit 3" 3 as_a "$CCLINK" list
expect_exit "publish U2 again" 0 as_a -C "$P" "$CCLINK" --passphrase-file "$T_DIR/pa" publish "$U2"
expect_exit "revoke without a passphrase source: exit 2" 2 as_a "$CCLINK" revoke -y
expect_exit "the record is still there" 0 as_a "$CCLINK" list
expect_exit "revoke with CCLINK_ASKPASS" 0 as_a env CCLINK_ASKPASS="$T_DIR/a/askpass" "$CCLINK" revoke -y
expect_exit "revoked" 3 as_a "$CCLINK" list

# ---- 15a. key files written by the JS 1.3 implementation load in cclink -----------------
KC=$T_DIR/c/.pubky/secret_key
expect_exit "compat keygen: plaintext key file for C" 0 harness_compat keygen --seed "$SEED_X" --out "$KC"
ZX=$(head -n 1 "$T_DIR/out")
expect_exit "cclink whoami loads it" 0 as_c "$CCLINK" whoami --json
json_is "same public key as the JS tool" .pubkey "$ZX"
rm -f "$KC"
expect_exit "compat keygen: envelope (default Argon2id parameters)" 0 harness_compat keygen --seed "$SEED_X" --out "$KC" --passphrase-file "$T_DIR/pa"
expect_exit "cclink whoami without the passphrase: exit 2 (no cache yet, no tty)" 2 as_c "$CCLINK" whoami
expect_exit "cclink whoami with the wrong passphrase: exit 1" 1 as_c "$CCLINK" --passphrase-file "$T_DIR/wrong" whoami
expect_exit "cclink whoami opens the JS envelope" 0 as_c "$CCLINK" --passphrase-file "$T_DIR/pa" whoami --json
json_is "envelope: same public key" .pubkey "$ZX"
expect_exit "now cached: whoami without the passphrase" 0 as_c "$CCLINK" whoami --json
json_is "cached public key" .pubkey "$ZX"
KD=$T_DIR/d/.pubky/secret_key
expect_exit "compat keygen: envelope with m=256 t=1 p=1" 0 harness_compat keygen --seed "$SEED" --out "$KD" --passphrase-file "$T_DIR/pb" --kdf-m 256 --kdf-t 1
expect_exit "cclink whoami opens the fast envelope" 0 on d "$CCLINK" --passphrase-file "$T_DIR/pb" whoami --json
json_is "fast envelope: the key of SEED" .pubkey "$ZA"
# A JS-written envelope is a working identity: publish from it, pick up on B.
mkdir -p "$T_DIR/d/proj"
PD=$(cd "$T_DIR/d/proj" && pwd -P)
e2e_session "$T_DIR/d/.claude" "$PD" "$U3"
e2e_session "$T_DIR/b/.claude" "$PD" "$U3"
expect_exit "publish from the JS-written envelope" 0 on d -C "$PD" "$CCLINK" --passphrase-file "$T_DIR/pb" publish
claude_reset b
expect_exit "B picks it up" 0 on_term b "$CCLINK" --passphrase-file "$T_DIR/pb" pickup -y
is "claude resumed U3 in D's project" "$(claude_field b argv) $(claude_field b cwd)" "--resume $U3 $PD"

# ---- 15b. key files written by cclink load in the JS tool --------------------------------
expect_exit "compat loadkey: cclink's envelope (A)" 0 harness_compat loadkey "$KA" --passphrase-file "$T_DIR/pa" --print-seed
is "JS: same public key" "$(sed -n 1p "$T_DIR/out")" "$ZA"
is "JS: same seed" "$(sed -n 2p "$T_DIR/out")" "$SEED"
expect_exit "compat loadkey: wrong passphrase -> 5" 5 harness_compat loadkey "$KA" --passphrase-file "$T_DIR/wrong"
expect_exit "cclink init --no-passphrase (random key) on C" 0 as_c "$CCLINK" init --no-passphrase -y
ZC=$(sed -n 's/^Public Key: pk://p' "$T_DIR/out")
check "init printed a public key" test -n "$ZC"
is "plaintext key file: 64 lowercase hex, no newline" "$(wc -c <"$KC" | tr -d ' ')/$(tr -d '0-9a-f' <"$KC" | wc -c | tr -d ' ')" 64/0
expect_exit "compat loadkey: cclink's plaintext key" 0 harness_compat loadkey "$KC"
is "JS: same public key (plaintext)" "$(head -n 1 "$T_DIR/out")" "$ZC"
expect_exit "cclink init with a passphrase (random key) on C" 0 as_c "$CCLINK" --passphrase-file "$T_DIR/pb" init -y
ZC2=$(sed -n 's/^Public Key: pk://p' "$T_DIR/out")
check "a new key" test -n "$ZC2" -a "$ZC2" != "$ZC"
expect_exit "compat loadkey: cclink's random envelope" 0 harness_compat loadkey "$KC" --passphrase-file "$T_DIR/pb"
is "JS: same public key (envelope)" "$(head -n 1 "$T_DIR/out")" "$ZC2"
is "key file mode 0600" "$(stat -c %a "$KC")" 600

done_testing
