#!/bin/sh
# SPDX-License-Identifier: MIT
# OpenSSH key files through the real binary, with keys made by ssh-keygen at test time:
# `init --from-ssh` (plain, passphrase with default and -a 100 rounds, every cipher
# `ssh -Q cipher` lists, the AEAD ones refused with the exact remedy), the imported key equal
# to `ssh-keygen -y` and `-l`, RSA/ECDSA/sk- keys refused by name, a malformed-key suite made
# by editing the bytes of real keys (each refused with its own message, no key file written),
# and `identity = ssh:PATH` (config, --identity, CCLINK_IDENTITY) used in place by whoami.
. "$(dirname "$0")/lib.sh"

K=$T_DIR/keys
mkdir -p "$K"
KEYFILE=$HOME/.pubky/secret_key
PASS="ssh key passphrase 1"
printf '%s\n' "$PASS" >"$T_DIR/pass"
printf '%s\n' "not the passphrase" >"$T_DIR/wrongpass"

# ssh_pub KEY: "ssh-ed25519 AAAA…" of a key file, per ssh-keygen (passphrase from $T_DIR/pass)
ssh_pub() { ssh-keygen -y -P "$PASS" -f "$1" | cut -d' ' -f1,2; }
ssh_fp() { ssh-keygen -l -f "$1" | cut -d' ' -f2; }
# whoami_is DESC KEY [GLOBAL-OPTIONS]: whoami shows the key's public key and fingerprint
whoami_is() {
	_d=$1 _k=$2
	shift 2
	run "$CCLINK" "$@" whoami
	if [ "$RC" -eq 0 ] && grep -qxF "SSH public key: $(ssh_pub "$_k")" "$T_DIR/out" &&
		grep -qxF "SSH fingerprint: $(ssh_fp "$_k")" "$T_DIR/out"; then
		ok "$_d"
	else
		not_ok "$_d"
		diag "exit $RC" "$(cat "$T_DIR/out" "$T_DIR/err")" "want: $(ssh_pub "$_k")"
	fi
}
# import_ok DESC KEY [INIT-OPTIONS]: init --from-ssh KEY -y ... works and whoami matches ssh-keygen
import_ok() {
	_d=$1 _k=$2
	shift 2
	rm -f "$KEYFILE" "$KEYFILE.pub"
	expect_exit "$_d: init --from-ssh" 0 "$CCLINK" --passphrase-file "$T_DIR/pass" init \
		--from-ssh "$_k" -y "$@"
	whoami_is "$_d: whoami shows ssh-keygen -y's key and -l's fingerprint" "$_k" \
		--passphrase-file "$T_DIR/pass"
}
# refused DESC KEY REGEX [GLOBAL-OPTIONS]: init --from-ssh fails (exit 1) saying REGEX, no key file
refused() {
	_d=$1 _k=$2 _re=$3
	shift 3
	rm -f "$KEYFILE" "$KEYFILE.pub"
	expect_exit "$_d: refused" 1 "$CCLINK" "$@" init --from-ssh "$_k" --no-passphrase
	grep_err "$_d: the message says why" "$_re"
	check "$_d: no key file written" test ! -e "$KEYFILE"
	check "$_d: nothing left in the key folder" test -z "$(ls -A "$HOME/.pubky" 2>/dev/null)"
}
# edit IN OUT PERL: OUT is IN with its decoded openssh-key-v1 body $b edited by PERL
edit() {
	perl -MMIME::Base64 -e '
		local $/; open(my $f, "<", $ARGV[0]) or die; my $t = <$f>;
		my ($body) = $t =~ /-----BEGIN OPENSSH PRIVATE KEY-----\n(.*)-----END/s or die;
		my $b = decode_base64($body);
		eval $ARGV[2]; die $@ if $@;
		my $e = encode_base64($b, ""); $e =~ s/(.{70})/$1\n/g;
		open(my $o, ">", $ARGV[1]) or die;
		print $o "-----BEGIN OPENSSH PRIVATE KEY-----\n$e\n-----END OPENSSH PRIVATE KEY-----\n";
	' "$1" "$2" "$3"
	chmod 600 "$2"
}

# ---- plain keys ---------------------------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -C x -f "$K/plain"
import_ok "plain key, --no-passphrase" "$K/plain" --no-passphrase
check "the import is a plaintext key file" grep -qE '^[0-9a-f]{64}$' "$KEYFILE"
import_ok "plain key, passphrase-protected import" "$K/plain"
check "the import is an envelope" sh -c "head -c 8 '$KEYFILE' | grep -q CCLINKEK"
mkdir -p "$HOME/.ssh"
cp "$K/plain" "$HOME/.ssh/id_ed25519"
rm -f "$KEYFILE"
expect_exit "init --from-ssh with no path reads ~/.ssh/id_ed25519" 0 "$CCLINK" init --from-ssh \
	--no-passphrase
grep_err "it names the key it imported" "from the OpenSSH key $HOME/.ssh/id_ed25519"
whoami_is "and whoami shows that key" "$K/plain"
expect_exit "a second init --from-ssh without -y and no terminal: refused" 1 "$CCLINK" init \
	--from-ssh --no-passphrase
grep_err "the existing key is kept" 'it was kept'
expect_exit "--from-ssh with --import: usage error" 2 "$CCLINK" init --from-ssh "$K/plain" \
	--import - -y

# ---- passphrase-protected keys ------------------------------------------------------------
ssh-keygen -q -t ed25519 -N "$PASS" -C x -f "$K/enc16"
ssh-keygen -q -t ed25519 -N "$PASS" -a 100 -C x -f "$K/enc100"
import_ok "passphrase, default rounds, --passphrase-file" "$K/enc16" --no-passphrase
import_ok "passphrase, -a 100 rounds" "$K/enc100"
cat >"$T_DIR/askpass" <<EOF
#!/bin/sh
case "\$1" in *"OpenSSH key"*) printf '%s\n' "$PASS" ;; *) exit 1 ;; esac
EOF
chmod 755 "$T_DIR/askpass"
rm -f "$KEYFILE"
expect_exit "passphrase from CCLINK_ASKPASS" 0 env CCLINK_ASKPASS="$T_DIR/askpass" "$CCLINK" \
	init --from-ssh "$K/enc16" --no-passphrase
whoami_is "CCLINK_ASKPASS import: whoami" "$K/enc16"
refused "wrong passphrase" "$K/enc16" "wrong passphrase for the OpenSSH key $K/enc16" \
	--passphrase-file "$T_DIR/wrongpass"
rm -rf "$HOME/.pubky"
expect_exit "encrypted key, no terminal, no askpass: exit 2" 2 "$CCLINK" init --from-ssh \
	"$K/enc16" --no-passphrase
grep_err "says how to give the passphrase" 'use --passphrase-file FILE or CCLINK_ASKPASS'
check "no key file" test ! -e "$KEYFILE"

# ---- every cipher ssh-keygen can write -----------------------------------------------------
for c in $(ssh -Q cipher); do
	n=$(printf '%s' "$c" | tr -c 'a-z0-9' _)
	ssh-keygen -q -t ed25519 -N "$PASS" -Z "$c" -C x -f "$K/c_$n"
	case $c in
	*gcm@openssh.com | chacha20-poly1305@openssh.com)
		refused "cipher $c" "$K/c_$n" \
			"encrypted with $c.*; re-encrypt it with: ssh-keygen -p -Z aes256-ctr -f $K/c_$n;" \
			--passphrase-file "$T_DIR/pass"
		cp "$K/c_$n" "$K/c_${n}_fixed"
		ssh-keygen -q -p -P "$PASS" -N "$PASS" -Z aes256-ctr -f "$K/c_${n}_fixed" >/dev/null
		import_ok "cipher $c after the remedy" "$K/c_${n}_fixed" --no-passphrase
		;;
	*) import_ok "cipher $c" "$K/c_$n" --no-passphrase ;;
	esac
done

# ---- other key types, refused by name ---------------------------------------------------------
ssh-keygen -q -t rsa -b 2048 -N '' -f "$K/rsa"
ssh-keygen -q -t ecdsa -N '' -f "$K/ecdsa"
ssh-keygen -q -t rsa -b 2048 -m PEM -N '' -f "$K/rsa_pem"
refused "RSA key" "$K/rsa" 'this is an RSA key \(ssh-rsa\); cclink uses only ed25519 keys'
refused "ECDSA key" "$K/ecdsa" 'this is an ECDSA key \(ecdsa-sha2-nistp256\)'
refused "RSA key in PEM format" "$K/rsa_pem" 'an RSA key in PEM format'
# An sk- key: the public blob's type string rewritten (lengths fixed up).
edit "$K/plain" "$K/sk" '
	my $t = "sk-ssh-ed25519\@openssh.com";
	my $blob = pack("N", length $t) . $t . substr($b, 39 + 4 + 15, 36);
	substr($b, 39, 4 + 51) = pack("N", length $blob) . $blob;'
refused "sk- key" "$K/sk" 'FIDO security-key .*sk-ssh-ed25519@openssh.com'
refused "a .pub file" "$K/plain.pub" 'public key \(.pub file\); give the private key file'
chmod 644 "$K/plain"
refused "a key readable by others" "$K/plain" "chmod 600 $K/plain"
chmod 600 "$K/plain"
refused "no such file" "$K/nope" "no such file"

# ---- malformed keys: bytes of real keys edited ---------------------------------------------
# Layout of the plain key (comment "x"): magic 0..14, cipher "none" 15..22, kdf 23..30,
# kdfoptions 31..34, nkeys 35..38, public key string 39..93 (key at 62), private section
# length 94..97, checkints 98..105, … padding 1,2,3,4 at the end.
head -c 200 "$K/plain" >"$K/m_truncated" && chmod 600 "$K/m_truncated"
refused "truncated file" "$K/m_truncated" 'truncated: no .-----END OPENSSH PRIVATE KEY-----. line'
edit "$K/plain" "$K/m_short" 'substr($b, -20) = ""'
refused "body cut short" "$K/m_short" 'private key section field \(or its length\) runs past the end'
edit "$K/plain" "$K/m_magic" 'substr($b, 0, 14) = "openssh-key-v2"'
refused "bad magic" "$K/m_magic" 'bad magic'
edit "$K/plain" "$K/m_check" 'substr($b, 101, 1) = chr(ord(substr($b, 101, 1)) ^ 1)'
refused "wrong checkint" "$K/m_check" 'check integers of the private section differ'
edit "$K/plain" "$K/m_cipher" 'substr($b, 19, 4) = "nope"'
refused "unknown cipher" "$K/m_cipher" "unknown cipher 'nope'"
edit "$K/plain" "$K/m_kdf" 'substr($b, 27, 4) = "nada"'
refused "unknown kdf" "$K/m_kdf" "unknown KDF 'nada'"
# Encrypted key (aes256-ctr, bcrypt): rounds at 63..66.
edit "$K/enc16" "$K/m_rounds" 'die "layout" unless substr($b, 19, 10) eq "aes256-ctr";
	substr($b, 63, 4) = pack("N", 0)'
refused "zero rounds" "$K/m_rounds" 'bcrypt KDF has zero rounds'
edit "$K/enc16" "$K/m_manyrounds" 'substr($b, 63, 4) = pack("N", 1 << 30)'
refused "absurd rounds" "$K/m_manyrounds" 'asks for 1073741824 rounds'
edit "$K/plain" "$K/m_pad" 'substr($b, -1, 1) = chr(9)'
refused "bad padding" "$K/m_pad" 'bad padding after the private key'
edit "$K/plain" "$K/m_nkeys" 'substr($b, 35, 4) = pack("N", 2)'
refused "nkeys 2" "$K/m_nkeys" 'holds 2 keys'
edit "$K/plain" "$K/m_nkeys0" 'substr($b, 35, 4) = pack("N", 0)'
refused "nkeys 0" "$K/m_nkeys0" 'holds 0 keys'
edit "$K/plain" "$K/m_len" 'substr($b, 39, 4) = pack("N", 0xffffff00)'
refused "length field past the end" "$K/m_len" 'public key field \(or its length\) runs past the end'
edit "$K/plain" "$K/m_trailing" '$b .= "zz"'
refused "bytes after the private section" "$K/m_trailing" 'unexpected bytes follow'
# The private half of another key under this key's public key (header and private section).
edit "$K/plain" "$K/m_mismatch" 'open(my $g, "<", "'"$K/enc100.pub"'") or die;
	my @w = split / /, <$g>; my $other = substr(decode_base64($w[1]), 19, 32);
	substr($b, 62, 32) = $other'
refused "private half not matching the public key" "$K/m_mismatch" \
	'private key does not match the file.s public key'
edit "$K/enc16" "$K/m_encmismatch" 'open(my $g, "<", "'"$K/plain.pub"'") or die;
	my @w = split / /, <$g>; substr($b, 94, 32) = substr(decode_base64($w[1]), 19, 32)'
refused "encrypted key whose header names another key" "$K/m_encmismatch" \
	'private key does not match' --passphrase-file "$T_DIR/pass"

# ---- identity = ssh:PATH, in place ---------------------------------------------------------
rm -rf "$HOME/.pubky"
whoami_is "--identity ssh:PATH whoami (no key store at all)" "$K/plain" --identity "ssh:$K/plain"
grep_out "Source: OpenSSH key file" "^Source: OpenSSH key file $K/plain\$"
whoami_is "-i ssh:PATH (encrypted: no passphrase needed for whoami)" "$K/enc100" -i "ssh:$K/enc100"
run env CCLINK_IDENTITY="ssh:$K/enc16" "$CCLINK" whoami --json
check "CCLINK_IDENTITY: whoami --json names the kind" grep -q '"kind":"ssh"' "$T_DIR/out"
check "whoami --json: ssh_fingerprint" grep -qF "\"ssh_fingerprint\":\"$(ssh_fp "$K/enc16")\"" "$T_DIR/out"
check "whoami --json: ssh_public_key" grep -qF "\"ssh_public_key\":\"$(ssh_pub "$K/enc16")\"" "$T_DIR/out"
check "whoami --json: age_recipients" grep -qE '"age_recipients":\["age1[a-z0-9]{58}"\]' "$T_DIR/out"
mkdir -p "$XDG_CONFIG_HOME/cclink"
printf 'identity = ssh:%s\n' "$K/plain" >"$XDG_CONFIG_HOME/cclink/config"
whoami_is "config identity = ssh:PATH" "$K/plain"
printf 'identity = ssh:~/.ssh/id_ed25519\n' >"$XDG_CONFIG_HOME/cclink/config"
whoami_is "config identity = ssh:~/PATH" "$K/plain"
printf 'identity = ssh\n' >"$XDG_CONFIG_HOME/cclink/config"
whoami_is "config identity = ssh (the default key)" "$K/plain"
whoami_is "--identity overrides the config" "$K/enc16" --identity "ssh:$K/enc16"
printf 'identity = sssh:x\n' >"$XDG_CONFIG_HOME/cclink/config"
expect_exit "an unknown identity spec: exit 2" 2 "$CCLINK" whoami
grep_err "it says what is expected" "unknown identity 'sssh:x': expected 'file', 'ssh:PATH' .* or 'agent'"
rm -f "$XDG_CONFIG_HOME/cclink/config"
expect_exit "identity ssh:PATH refuses an AEAD-encrypted key in place too" 1 "$CCLINK" \
	--identity "ssh:$K/c_chacha20_poly1305_openssh_com" whoami
grep_err "with the remedy" 'ssh-keygen -p -Z aes256-ctr -f'
expect_exit "identity ssh:PATH with a malformed key" 1 "$CCLINK" -i "ssh:$K/m_check" whoami
grep_err "says which" 'check integers'
check "no key store was created by any of this" test ! -e "$HOME/.pubky"

done_testing
