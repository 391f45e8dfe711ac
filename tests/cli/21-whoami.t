#!/bin/sh
# SPDX-License-Identifier: MIT
# cclink whoami: text and JSON output, the public-key cache of an envelope
# (no passphrase while it is valid; rebuilt when missing or stale), and keys
# written by cclink 1.3 (the fixtures of tests/vectors/README-keys.md).
. "$(dirname "$0")/lib.sh"

KDIR="$HOME/.pubky"
KEY="$KDIR/secret_key"
SEED_2A=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
PK_2A=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
PK_RFC=47pjoycnsrfmxikm95jh13y88e8qnhzu5kungjpxyepgt7a8krpy
VEC="$CCLINK_TOP/tests/vectors"

sum() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
# json_field FIELD: the value of a top-level string field of $T_DIR/out (perl's core JSON::PP)
json_field() {
	perl -MJSON::PP -e 'local $/; my $j = decode_json(<STDIN>); print $j->{$ARGV[0]} // "(missing)"' "$1" <"$T_DIR/out"
}

expect_exit "whoami without a key fails" 1 "$CCLINK" whoami
grep_err "and says how to make one" 'cclink init'
expect_exit "whoami --json without a key fails too" 1 "$CCLINK" whoami --json
check "with nothing on stdout" test ! -s "$T_DIR/out"

mkdir -m 700 "$KDIR"
printf '%s' "$SEED_2A" >"$KEY"
chmod 600 "$KEY"
expect_exit "whoami on a 1.3 plaintext key" 0 "$CCLINK" whoami
grep_out "Public Key line" "^Public Key: pk:$PK_2A\$"
grep_out "Fingerprint line (first 8 characters, as 1.3)" '^Fingerprint: df9sse9b$'
grep_out "Key file line" "^Key file: $KEY\$"
grep_out "Source line" "^Source: key file $KEY\$"
grep_out "SSH fingerprint line" '^SSH fingerprint: SHA256:[A-Za-z0-9+/]{43}$'
grep_out "Age recipient line" '^Age recipient: age1[a-z0-9]{58}$'
grep_out "SSH public key line" '^SSH public key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}$'
check "seven lines" test "$(wc -l <"$T_DIR/out")" -eq 7
check "nothing on stderr" test ! -s "$T_DIR/err"

expect_exit "whoami --json" 0 "$CCLINK" whoami --json
check "is one line of JSON" test "$(wc -l <"$T_DIR/out")" -eq 1
check "pubkey is the z32 key" test "$(json_field pubkey)" = "$PK_2A"
check "fingerprint" test "$(json_field fingerprint)" = df9sse9b
check "key_file" test "$(json_field key_file)" = "$KEY"

# A HOME with characters that need escaping.
WEIRD="$T_DIR/we\"ird\\home"
mkdir -p "$WEIRD/.pubky"
cp -p "$KEY" "$WEIRD/.pubky/secret_key"
run env HOME="$WEIRD" "$CCLINK" whoami --json
check "a key path with quote and backslash is valid JSON" test "$(json_field key_file)" = "$WEIRD/.pubky/secret_key"

# --- envelope written by 1.3 (fixture) --------------------------------------
cp "$VEC/keys-envelope-default.bin" "$KEY"
chmod 600 "$KEY"
S=$(sum "$KEY")
expect_exit "envelope without cache and no terminal: exit 2" 2 "$CCLINK" whoami </dev/null
grep_err "names the ways to give the passphrase" 'passphrase-file'
check "no cache was written" test ! -e "$KEY.pub"
printf 'correct horse battery staple\n' >"$T_DIR/pass"
expect_exit "whoami --passphrase-file on a 1.3 envelope" 0 "$CCLINK" --passphrase-file "$T_DIR/pass" whoami
grep_out "opens to the fixture's key" "^Public Key: pk:$PK_2A\$"
check "the cache was written" test -f "$KEY.pub"
check "the cache is 0600" test "$(stat -c %a "$KEY.pub")" = 600
check "the key file is byte-identical" test "$(sum "$KEY")" = "$S"
expect_exit "now whoami needs no passphrase" 0 "$CCLINK" whoami </dev/null
grep_out "same key" "^Public Key: pk:$PK_2A\$"
expect_exit "and --json too" 0 "$CCLINK" whoami --json </dev/null
check "pubkey" test "$(json_field pubkey)" = "$PK_2A"

# The key is replaced by another program (1.3 does not know the cache).
cp "$KEY.pub" "$T_DIR/old.pub"
cp "$VEC/keys-envelope-params.bin" "$KEY"
chmod 600 "$KEY"
expect_exit "a stale cache is not trusted (asks, no terminal: exit 2)" 2 "$CCLINK" whoami </dev/null
check "nothing printed as the key" test ! -s "$T_DIR/out"
printf 'p\303\244ssw\303\266rd \303\274n\303\257code 8+' >"$T_DIR/pass2"
expect_exit "the new key opens (UTF-8 passphrase, m=256 t=2 p=2 from the header)" 0 \
	"$CCLINK" --passphrase-file "$T_DIR/pass2" whoami
grep_out "to the RFC 8032 key" "^Public Key: pk:$PK_RFC\$"
check "and the cache now describes it" grep -q "^pk:$PK_RFC " "$KEY.pub"
rm -f "$KEY.pub"
expect_exit "a wrong passphrase fails" 1 "$CCLINK" --passphrase-file "$T_DIR/pass" whoami
grep_err "and says so" 'wrong passphrase'
check "and writes no cache" test ! -e "$KEY.pub"

# A cache others can write is not trusted.
expect_exit "(rebuild the cache)" 0 "$CCLINK" --passphrase-file "$T_DIR/pass2" whoami
chmod 666 "$KEY.pub"
expect_exit "a world-writable cache is ignored" 2 "$CCLINK" whoami </dev/null

expect_exit "no HOME: exit 2" 2 env -u HOME "$CCLINK" whoami
grep_err "and says why" 'HOME'

# --- usage -----------------------------------------------------------------
expect_exit "help whoami exits 0" 0 "$CCLINK" help whoami
grep_out "help whoami prints the usage" '^Usage: cclink whoami'
expect_exit "whoami --bogus exits 2" 2 "$CCLINK" whoami --bogus
grep_err "with the usage on stderr" '^Usage: cclink whoami'
expect_exit "whoami extra exits 2" 2 "$CCLINK" whoami extra
expect_exit "whoami --json --json exits 2" 2 "$CCLINK" whoami --json --json

done_testing
