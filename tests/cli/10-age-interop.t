#!/bin/sh
# SPDX-License-Identifier: MIT
# age interoperability: cclink-age (src/crypto/age.c) against Debian's age and
# age-keygen, in both directions, at the STREAM chunk boundaries, with several
# recipients, a wrong identity and tampered files.
. "$(dirname "$0")/lib.sh"
: "${CCLINK_AGE:=$CCLINK_TOP/build/tests/bin/cclink-age}"
A=$CCLINK_AGE
D=$T_DIR

# The oracle must be there: a missing age is a failure, never a skip.
if ! command -v age >/dev/null 2>&1 || ! command -v age-keygen >/dev/null 2>&1; then
	not_ok "age and age-keygen are installed (Debian package 'age')"
	done_testing
	exit 1
fi
ok "age and age-keygen are installed ($(age --version 2>&1))"
if [ ! -x "$A" ]; then
	not_ok "cclink-age is built at $A"
	done_testing
	exit 1
fi
ok "cclink-age is built"

# Keys: two from age-keygen, one from cclink-age.
age-keygen -o "$D/k1" 2>/dev/null && age-keygen -o "$D/k2" 2>/dev/null
check "cclink-age -k writes an identity" sh -c "'$A' -k > '$D/k3'"
R1=$(age-keygen -y "$D/k1")
R2=$(age-keygen -y "$D/k2")
R3=$(age-keygen -y "$D/k3")
check "age-keygen reads cclink-age's identity" test -n "$R3"
check "cclink-age -y matches age-keygen -y (age key)" test "$("$A" -y -i "$D/k1")" = "$R1"
check "cclink-age -y matches age-keygen -y (own key)" test "$("$A" -y -i "$D/k3")" = "$R3"
check "cclink-age -k prints the public key age-keygen derives" \
	grep -qx "# public key: $R3" "$D/k3"

# decrypts OK? FILE CT IDENTITY... : cclink-age and age both recover FILE.
# Payload sizes: empty, 1 byte, 64 KiB - 1, exactly 64 KiB, 64 KiB + 1, ~200 KiB.
for n in 0 1 65535 65536 65537 204800; do
	p="$D/p$n"
	head -c "$n" /dev/urandom > "$p"

	# cclink-age encrypts to three recipients, age decrypts with each identity.
	"$A" -r "$R1" -r "$R2" -r "$R3" < "$p" > "$D/c$n" 2>"$D/err"
	check "size $n: cclink-age encrypts to 3 recipients" test -s "$D/c$n"
	for k in k1 k2 k3; do
		check "size $n: age -d -i $k decrypts cclink-age's file" \
			sh -c "age -d -i '$D/$k' '$D/c$n' > '$D/o' && cmp -s '$p' '$D/o'"
	done
	# age encrypts to three recipients, cclink-age decrypts with each identity.
	age -r "$R1" -r "$R2" -r "$R3" -o "$D/a$n" "$p"
	for k in k1 k2 k3; do
		check "size $n: cclink-age -d -i $k decrypts age's file" \
			sh -c "'$A' -d -i '$D/$k' < '$D/a$n' > '$D/o' && cmp -s '$p' '$D/o'"
	done
	# Single recipient each way.
	check "size $n: age -> cclink-age, one recipient" \
		sh -c "age -r '$R3' < '$p' | '$A' -d -i '$D/k3' > '$D/o' && cmp -s '$p' '$D/o'"
	check "size $n: cclink-age -> age, one recipient" \
		sh -c "'$A' -r '$R1' < '$p' | age -d -i '$D/k1' > '$D/o' && cmp -s '$p' '$D/o'"
done

# An identity file with comments, blank lines and several keys.
{ echo "# created: now"; echo; grep -v '^#' "$D/k2"; echo; grep -v '^#' "$D/k1"; } > "$D/kk"
check "identity file with comments and two keys" \
	sh -c "age -r '$R1' < '$D/p1' | '$A' -d -i '$D/kk' > '$D/o' && cmp -s '$D/p1' '$D/o'"
check "two -i files" \
	sh -c "age -r '$R1' < '$D/p1' | '$A' -d -i '$D/k2' -i '$D/k1' > '$D/o' && cmp -s '$D/p1' '$D/o'"

# Wrong identity: non-zero exit and a "no match" message, both ways.
age -r "$R1" -o "$D/w" "$D/p1"
expect_exit "wrong identity: cclink-age exits 1" 1 sh -c "'$A' -d -i '$D/k2' < '$D/w'"
grep_err "wrong identity: the message says no match" "no match"
check "wrong identity: nothing on stdout" test ! -s "$D/out"
"$A" -r "$R1" < "$D/p1" > "$D/w2"
expect_exit "wrong identity: age refuses cclink-age's file too" 1 age -d -i "$D/k2" "$D/w2"

# Tampering. tamper IN OUT PERL-EXPR edits the bytes of IN ($_) into OUT.
tamper() { perl -e 'local $/; binmode STDIN; binmode STDOUT; $_ = <STDIN>; '"$3"'; print' < "$1" > "$2"; }
c="$D/a204800"
tamper "$c" "$D/t1" 'substr($_, -1, 1) ^= "\x01"'
expect_exit "last payload byte flipped: cclink-age fails" 1 sh -c "'$A' -d -i '$D/k1' < '$D/t1'"
grep_err "last payload byte flipped: payload failure" "payload failure"
tamper "$c" "$D/t2" 'substr($_, length($_) - 100000, 1) ^= "\x80"'
expect_exit "middle chunk byte flipped: cclink-age fails" 1 sh -c "'$A' -d -i '$D/k1' < '$D/t2'"
grep_err "middle chunk byte flipped: payload failure" "payload failure"
check "middle chunk byte flipped: nothing on stdout" test ! -s "$D/out"
tamper "$c" "$D/t3" 'substr($_, -10) = ""'
expect_exit "truncated file: cclink-age fails" 1 sh -c "'$A' -d -i '$D/k1' < '$D/t3'"
grep_err "truncated file: payload failure" "payload failure"
tamper "$c" "$D/t4" '$_ .= "x"'
expect_exit "trailing byte: cclink-age fails" 1 sh -c "'$A' -d -i '$D/k1' < '$D/t4'"
grep_err "trailing byte: payload failure" "payload failure"
tamper "$c" "$D/t5" 's/^--- (.)/"--- " . ($1 eq "A" ? "B" : "A")/me'
expect_exit "header MAC changed: cclink-age fails" 1 sh -c "'$A' -d -i '$D/k1' < '$D/t5'"
grep_err "header MAC changed: HMAC failure" "HMAC failure"
tamper "$c" "$D/t6" 's/^age-encryption.org\/v1/age-encryption.org\/v2/'
expect_exit "version changed: cclink-age fails" 1 sh -c "'$A' -d -i '$D/k1' < '$D/t6'"
grep_err "version changed: header failure" "header failure"
tamper "$D/c204800" "$D/t7" 'substr($_, -1, 1) ^= "\x01"'
expect_exit "age refuses cclink-age's file with a flipped byte" 1 age -d -i "$D/k1" "$D/t7"
tamper "$D/c204800" "$D/t8" 'substr($_, -10) = ""'
expect_exit "age refuses cclink-age's truncated file" 1 age -d -i "$D/k1" "$D/t8"
# Armored files are not ours to read: a header failure, not a crash.
age -a -r "$R1" -o "$D/arm" "$D/p1"
expect_exit "armored file: cclink-age fails" 1 sh -c "'$A' -d -i '$D/k1' < '$D/arm'"
grep_err "armored file: header failure" "header failure"

# Usage errors.
expect_exit "no recipient: usage, exit 2" 2 "$A"
expect_exit "malformed recipient: exit 1" 1 sh -c "'$A' -r age1nope < /dev/null"
expect_exit "uppercase recipient refused" 1 sh -c "'$A' -r '$(echo "$R1" | tr a-z A-Z)' < /dev/null"
done_testing
