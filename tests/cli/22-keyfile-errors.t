#!/bin/sh
# SPDX-License-Identifier: MIT
# Damaged, hostile and over-permissive key files: each one gives a clean
# error (named cause, non-zero exit, no crash) and stays byte-identical.
. "$(dirname "$0")/lib.sh"

KDIR="$HOME/.pubky"
KEY="$KDIR/secret_key"
SEED=9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60
PK=47pjoycnsrfmxikm95jh13y88e8qnhzu5kungjpxyepgt7a8krpy
PK_2A=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
FIX="$CCLINK_TOP/tests/vectors/keys-envelope-default.bin"
PASS="$T_DIR/pass"
printf 'correct horse battery staple\n' >"$PASS"
mkdir -m 700 "$KDIR"

sum() { sha256sum "$1" | cut -d' ' -f1; }
# A clean error: our own message, no sanitizer report or crash.
clean_err() {
	if grep -q '^cclink: ' "$T_DIR/err" && ! grep -Eq 'Sanitizer|runtime error|Segmentation|Aborted' "$T_DIR/err"; then
		ok "$1"
	else
		not_ok "$1"; diag "stderr: $(head -c 2000 "$T_DIR/err")"
	fi
}
# bad_key DESC REGEX: whoami (with a passphrase file, no cache) on the file at
# $KEY fails with status 1 and a message matching REGEX; the file is unchanged.
bad_key() {
	chmod 600 "$KEY"
	rm -f "$KEY.pub"
	before=$(sum "$KEY")
	expect_exit "$1: whoami fails" 1 "$CCLINK" --passphrase-file "$PASS" whoami
	clean_err "$1: clean error"
	grep_err "$1: names the cause" "$2"
	check "$1: nothing on stdout" test ! -s "$T_DIR/out"
	check "$1: file is byte-identical" test "$(sum "$KEY")" = "$before"
	check "$1: mode unchanged" test "$(stat -c %a "$KEY")" = 600
	check "$1: no cache written" test ! -e "$KEY.pub"
}
good_key() {
	chmod 600 "$KEY"
	before=$(sum "$KEY")
	expect_exit "$1: whoami works" 0 "$CCLINK" --passphrase-file "$PASS" whoami
	grep_out "$1: the right key" "^Public Key: pk:$2\$"
	check "$1: file is byte-identical" test "$(sum "$KEY")" = "$before"
}
# bytes OCTAL-ESCAPED: write raw bytes to $KEY
put() { printf "$1" >"$KEY"; }
# be32 N: 4 big-endian bytes as printf octal escapes
be32() { perl -e 'print join "", map { sprintf "\\%03o", $_ } unpack "C4", pack "N", $ARGV[0]' "$1"; }
hdr() {  # hdr VERSION M T P: magic, version, params, salt of 0x11
	printf 'CCLINKEK'; printf "\\$(printf %03o "$1")"
	printf "$(be32 "$2")$(be32 "$3")$(be32 "$4")"
	i=0; while [ $i -lt 32 ]; do printf '\021'; i=$((i + 1)); done
}

# --- plaintext ---------------------------------------------------------------
put ''
bad_key "empty file" 'corrupt'
put "$(printf '%.32s' "$SEED")"
bad_key "truncated hex (32 chars)" 'corrupt'
put "$(printf '%.63s' "$SEED")"
bad_key "63 hex chars" 'corrupt'
put "${SEED}0"
bad_key "65 hex chars" 'corrupt'
put "$(printf '%.60s' "$SEED")wxyz"
bad_key "non-hex characters" 'corrupt'
put "$(printf '%.30s' "$SEED") $(printf '%.34s' "${SEED#??????????????????????????????}")"
bad_key "a space inside the hex" 'corrupt'
put "$SEED\\000"
bad_key "a NUL after the hex" 'corrupt'
perl -e 'print "a" x 20000' >"$KEY"
bad_key "a 20000-byte file" 'too large to be a key'
put "$(echo "$SEED" | tr a-f A-F)"
good_key "uppercase hex" "$PK"
put "  \\t$SEED\\r\\n\\n"
good_key "whitespace around the hex" "$PK"

# --- envelope header -----------------------------------------------------------
put 'CCLINKEX'"$SEED"
bad_key "bad magic" 'corrupt'
{ hdr 2 65536 3 1; tail -c +54 "$FIX"; } >"$KEY"
bad_key "unknown envelope version 0x02" 'version'
{ hdr 0 65536 3 1; tail -c +54 "$FIX"; } >"$KEY"
bad_key "envelope version 0x00" 'version'
head -c 30 "$FIX" >"$KEY"
bad_key "truncated header (30 bytes)" 'truncated'
head -c 53 "$FIX" >"$KEY"
bad_key "header without an age file" 'truncated'
head -c 9 "$FIX" >"$KEY"
bad_key "magic and version only" 'truncated'
{ hdr 1 4294967295 3 1; tail -c +54 "$FIX"; } >"$KEY"
bad_key "huge m_cost (4 TiB)" 'Argon2 memory or time'
{ hdr 1 65536 4294967295 1; tail -c +54 "$FIX"; } >"$KEY"
bad_key "huge t_cost" 'Argon2 memory or time'
{ hdr 1 65536 3 4294967295; tail -c +54 "$FIX"; } >"$KEY"
bad_key "huge p_cost" 'Argon2 memory or time'
{ hdr 1 65536 0 1; tail -c +54 "$FIX"; } >"$KEY"
bad_key "t_cost 0" 'corrupt CCLINKEK envelope'
{ head -c 53 "$FIX"; printf 'not an age file at all\n'; } >"$KEY"
bad_key "payload that is not an age file" 'corrupt CCLINKEK envelope'

# --- envelope body (needs the passphrase first) ----------------------------------
cp "$FIX" "$KEY"
good_key "the intact 1.3 envelope" "$PK_2A"
LEN=$(wc -c <"$FIX")
head -c $((LEN - 20)) "$FIX" >"$KEY"
bad_key "truncated age file (20 bytes short)" 'damaged'
head -c $((LEN - 1)) "$FIX" >"$KEY"
bad_key "truncated age file (1 byte short)" 'damaged'
# Flip one bit in the payload (last byte), in the header MAC line, and in the stanza body.
flip() {  # flip OFFSET: copy of the fixture with bit 0 of byte OFFSET inverted
	perl -e 'local $/; open my $f, "<", $ARGV[0] or die; my $d = <$f>;
		substr($d, $ARGV[1], 1) = chr(ord(substr($d, $ARGV[1], 1)) ^ 1); print $d' "$FIX" "$1" >"$KEY"
}
flip $((LEN - 1))
bad_key "bit flip in the age payload" 'damaged'
MACOFF=$(perl -e 'local $/; open my $f, "<", $ARGV[0]; my $d = <$f>; print index($d, "--- ") + 8' "$FIX")
flip "$MACOFF"
bad_key "bit flip in the header MAC" 'damaged|corrupt'
flip 130
bad_key "bit flip in the X25519 stanza" 'wrong passphrase|damaged|corrupt'
flip 30
bad_key "bit flip in the salt" 'wrong passphrase'
cp "$FIX" "$KEY"
printf 'not the passphrase\n' >"$PASS"
bad_key "wrong passphrase" 'wrong passphrase'
printf 'correct horse battery staple\n' >"$PASS"

# --- permissions ----------------------------------------------------------------
cp "$FIX" "$KEY"
for m in 644 640 604 660 666 700 610; do
	chmod "$m" "$KEY"
	before=$(sum "$KEY")
	expect_exit "mode $m: refused" 1 "$CCLINK" --passphrase-file "$PASS" whoami
	clean_err "mode $m: clean error"
	grep_err "mode $m: says how to fix it" "chmod 600 $KEY"
	check "mode $m: file unchanged" test "$(sum "$KEY")" = "$before"
	check "mode $m: mode unchanged" test "$(stat -c %a "$KEY")" = "$m"
done
chmod 400 "$KEY"
expect_exit "mode 400 is accepted" 0 "$CCLINK" --passphrase-file "$PASS" whoami
chmod 600 "$KEY"
# A plaintext key, same rule.
printf '%s' "$SEED" >"$KEY"
chmod 644 "$KEY"
expect_exit "plaintext key at 0644: refused" 1 "$CCLINK" whoami
grep_err "with the chmod hint" "chmod 600 $KEY"
chmod 600 "$KEY"
# Not a regular file.
rm -f "$KEY"
mkdir "$KEY"
expect_exit "a directory at the key path is refused" 1 "$CCLINK" whoami
clean_err "cleanly"
grep_err "saying it is not a regular file" "is not a regular file \\(a directory\\)"
rmdir "$KEY"
mkfifo "$KEY"
expect_exit "a FIFO at the key path is refused (and does not hang)" 1 timeout 20 "$CCLINK" whoami
rm -f "$KEY"

# --- a bad passphrase source ------------------------------------------------------
cp "$FIX" "$KEY"
chmod 600 "$KEY"
rm -f "$KEY.pub"
expect_exit "a missing --passphrase-file" 1 "$CCLINK" --passphrase-file "$T_DIR/none" whoami
grep_err "is named as the passphrase file" "passphrase from $T_DIR/none"
check "no temp files anywhere" test -z "$(ls -A "$KDIR" | grep tmp)"

done_testing
