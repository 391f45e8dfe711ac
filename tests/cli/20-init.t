#!/bin/sh
# SPDX-License-Identifier: MIT
# cclink init: plaintext and passphrase keys, --import, overwrite protection,
# non-interactive secrets (--passphrase-file, stdin, CCLINK_ASKPASS) and the
# interactive terminal prompts (a real tty, through tmux).
. "$(dirname "$0")/lib.sh"

KDIR="$HOME/.pubky"
KEY="$KDIR/secret_key"
SEED_2A=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
PK_2A=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
SEED_RFC=9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60
PK_RFC=47pjoycnsrfmxikm95jh13y88e8qnhzu5kungjpxyepgt7a8krpy  # RFC 8032 test 1 pk d75a9801…511a

sum() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
mode() { stat -c %a "$1"; }
# No temp files next to the key, ever.
no_temps() {
	if ls -A "$KDIR" 2>/dev/null | grep -q 'tmp'; then not_ok "$1"; diag "$(ls -A "$KDIR")"; else ok "$1"; fi
}
pk_out() { sed -n 's/^Public Key: pk:\([a-z0-9]*\)$/\1/p' "$T_DIR/out"; }

# --- plaintext -------------------------------------------------------------
expect_exit "init --no-passphrase" 0 "$CCLINK" init --no-passphrase
grep_out "prints the new identity" '^Public Key: pk:[ybndrfg8ejkmcpqxot1uwisza345h769]{52}$'
PK1=$(pk_out)
check "the key file is 64 bytes (no newline)" test "$(wc -c <"$KEY")" -eq 64
check "the key file is lowercase hex" grep -Eqx '[0-9a-f]{64}' "$KEY"
check "the key file is 0600" test "$(mode "$KEY")" = 600
check "the key directory is 0700" test "$(mode "$KDIR")" = 700
check "no public-key cache for a plaintext key" test ! -e "$KEY.pub"
no_temps "no temp files after init"
expect_exit "whoami works" 0 "$CCLINK" whoami
grep_out "whoami shows the key init printed" "^Public Key: pk:$PK1\$"

# --- overwrite protection ---------------------------------------------------
S1=$(sum "$KEY")
expect_exit "init refuses to overwrite without -y (no terminal)" 1 "$CCLINK" init --no-passphrase </dev/null
grep_err "and says how to overwrite" '-y'
check "the existing key is unchanged" test "$(sum "$KEY")" = "$S1"
expect_exit "init -y replaces it" 0 "$CCLINK" init -y --no-passphrase
check "with a new key" test "$(pk_out)" != "$PK1"
no_temps "no temp files after a replace"

# --- import ----------------------------------------------------------------
printf '%s' "$SEED_2A" >"$T_DIR/seed"
expect_exit "init --import FILE" 0 "$CCLINK" init -y --no-passphrase --import "$T_DIR/seed"
grep_out "imports the known seed (2a*32)" "^Public Key: pk:$PK_2A\$"
check "stored as 1.3 writes it" test "$(cat "$KEY")" = "$SEED_2A"
printf '  9D61B19DEFFD5A60BA844AF492EC2CC44449C5697B326919703BAC031CAE7F60\r\n' >"$T_DIR/seed-upper"
run "$CCLINK" init -y --no-passphrase --import - <"$T_DIR/seed-upper"
check "init --import - (stdin, uppercase, whitespace) exits 0" test "$RC" -eq 0
grep_out "imports the RFC 8032 seed" "^Public Key: pk:$PK_RFC\$"
check "stored lowercase, trimmed" test "$(cat "$KEY")" = "$SEED_RFC"
S2=$(sum "$KEY")
for bad in "" "9d61" "$(printf '%.63s' "$SEED_RFC")" "${SEED_RFC}0" "zz$(printf '%.62s' "$SEED_RFC")"; do
	printf '%s' "$bad" >"$T_DIR/bad"
	expect_exit "init --import refuses '$(printf '%.12s' "$bad")...' (${#bad} chars)" 1 \
		"$CCLINK" init -y --no-passphrase --import "$T_DIR/bad"
	grep_err "says what is wrong" 'expected 64 hex'
done
expect_exit "init --import of a missing file fails" 1 "$CCLINK" init -y --no-passphrase --import "$T_DIR/none"
check "failed imports left the key unchanged" test "$(sum "$KEY")" = "$S2"
no_temps "no temp files after failed imports"

# --- import of a passphrase-protected key file (the default key of another machine) ---
printf 'envelope passphrase\n' >"$T_DIR/envpass"
expect_exit "a passphrase-protected key to copy" 0 "$CCLINK" --passphrase-file "$T_DIR/envpass" init -y --import "$T_DIR/seed"
cp "$KEY" "$T_DIR/other-machine-key"
rm -f "$KEY" "$KEY.pub"
printf 'not the passphrase\n' >"$T_DIR/envwrong"
expect_exit "--import of a key file with the wrong passphrase fails" 1 \
	"$CCLINK" --passphrase-file "$T_DIR/envwrong" init -y --import "$T_DIR/other-machine-key"
grep_err "and says the passphrase is wrong" 'wrong passphrase for the key file'
check "and writes no key" test ! -e "$KEY"
expect_exit "--import of a key file with no passphrase source exits 2" 2 \
	"$CCLINK" init -y --import "$T_DIR/other-machine-key" </dev/null
grep_err "and names the ways to give it" 'passphrase-file FILE or CCLINK_ASKPASS'
check "and writes no key" test ! -e "$KEY"
expect_exit "--import of a passphrase-protected key file (1.3 envelope)" 0 \
	"$CCLINK" --passphrase-file "$T_DIR/envpass" init -y --import "$T_DIR/other-machine-key"
grep_out "gives the same identity" "^Public Key: pk:$PK_2A\$"
check "stays passphrase-protected (the file's passphrase)" test "$(head -c 8 "$KEY")" = CCLINKEK
rm -f "$KEY.pub"
expect_exit "which unlocks the imported key" 0 "$CCLINK" --passphrase-file "$T_DIR/envpass" whoami
expect_exit "--import of a key file with --no-passphrase" 0 \
	"$CCLINK" --passphrase-file "$T_DIR/envpass" init -y --no-passphrase --import "$T_DIR/other-machine-key"
check "writes the plaintext seed" test "$(cat "$KEY")" = "$(printf '%s' "$(cat "$T_DIR/seed")" | tr A-F a-f | tr -d ' \n')"
no_temps "no temp files after envelope imports"

# --- passphrase from a file, stdin, askpass -----------------------------------
printf 'a fine passphrase\n' >"$T_DIR/pass"
expect_exit "init --passphrase-file FILE" 0 "$CCLINK" --passphrase-file "$T_DIR/pass" init -y --import "$T_DIR/seed"
grep_out "prints the identity" "^Public Key: pk:$PK_2A\$"
grep_out "says it is passphrase-protected" 'passphrase-protected'
check "the key file is a CCLINKEK envelope" test "$(head -c 8 "$KEY")" = CCLINKEK
check "version 1, m=65536, t=3, p=1 (1.3's defaults)" \
	test "$(od -An -tx1 -j8 -N13 "$KEY" | tr -d ' \n')" = 01000100000000000300000001
check "the envelope is 0600" test "$(mode "$KEY")" = 600
check "a public-key cache is written beside it" test -f "$KEY.pub"
check "the cache is 0600" test "$(mode "$KEY.pub")" = 600
check "the cache names the key" grep -q "^pk:$PK_2A " "$KEY.pub"
no_temps "no temp files after an envelope init"
S3=$(sum "$KEY")
expect_exit "whoami needs no passphrase (cache)" 0 "$CCLINK" whoami </dev/null
grep_out "and shows the key" "^Public Key: pk:$PK_2A\$"
check "whoami did not touch the key file" test "$(sum "$KEY")" = "$S3"

printf 'a stdin passphrase\n' >"$T_DIR/pass-stdin"
run "$CCLINK" --passphrase-file - init -y <"$T_DIR/pass-stdin"
check "init --passphrase-file - (stdin) exits 0" test "$RC" -eq 0
PK3=$(pk_out)
rm -f "$KEY.pub"
run "$CCLINK" --passphrase-file - whoami <"$T_DIR/pass-stdin"
check "whoami unlocks with the stdin passphrase" test "$RC" -eq 0
grep_out "the same key" "^Public Key: pk:$PK3\$"
check "and rebuilt the cache" test -f "$KEY.pub"

expect_exit "--import - and --passphrase-file - together are refused" 2 \
	"$CCLINK" --passphrase-file - init -y --import - </dev/null

cat >"$T_DIR/askpass" <<EOF
#!/bin/sh
printf '%s\n' "\$1" >>"$T_DIR/askpass.log"
printf 'askpass secret 1\r\n'
EOF
chmod 700 "$T_DIR/askpass"
run env CCLINK_ASKPASS="$T_DIR/askpass" "$CCLINK" init -y --import "$T_DIR/seed"
check "init with CCLINK_ASKPASS exits 0" test "$RC" -eq 0
check "askpass was asked twice (passphrase and confirmation)" test "$(wc -l <"$T_DIR/askpass.log")" -eq 2
check "with the prompt as argv[1]" grep -q 'passphrase' "$T_DIR/askpass.log"
rm -f "$KEY.pub"
printf 'askpass secret 1' >"$T_DIR/pass-ask"
expect_exit "the askpass secret (CRLF dropped) unlocks the key" 0 "$CCLINK" --passphrase-file "$T_DIR/pass-ask" whoami
grep_out "to the imported key" "^Public Key: pk:$PK_2A\$"

cat >"$T_DIR/askpass-short" <<'EOF'
#!/bin/sh
echo short7!
EOF
chmod 700 "$T_DIR/askpass-short"
S4=$(sum "$KEY")
expect_exit "a passphrase under 8 characters is refused" 1 env CCLINK_ASKPASS="$T_DIR/askpass-short" "$CCLINK" init -y
grep_err "and the minimum is named" 'at least 8'
check "the key was not replaced" test "$(sum "$KEY")" = "$S4"
printf '1234567' >"$T_DIR/pass7"
expect_exit "also from --passphrase-file" 1 "$CCLINK" --passphrase-file "$T_DIR/pass7" init -y
check "the key was not replaced" test "$(sum "$KEY")" = "$S4"
cat >"$T_DIR/askpass-fail" <<'EOF'
#!/bin/sh
exit 1
EOF
chmod 700 "$T_DIR/askpass-fail"
run env CCLINK_ASKPASS="$T_DIR/askpass-fail" "$CCLINK" init -y
check "a failing askpass aborts init" test "$RC" -ne 0
check "the key was not replaced" test "$(sum "$KEY")" = "$S4"
expect_exit "no terminal, no passphrase source: exit 2" 2 "$CCLINK" init -y </dev/null
grep_err "with the ways out" 'passphrase-file'
check "the key was not replaced" test "$(sum "$KEY")" = "$S4"
no_temps "no temp files after refused inits"

# --- usage -----------------------------------------------------------------
expect_exit "help init exits 0" 0 "$CCLINK" help init
grep_out "help init prints the usage" '^Usage: cclink init'
expect_exit "init --bogus exits 2" 2 "$CCLINK" init --bogus
grep_err "with the usage on stderr" '^Usage: cclink init'
expect_exit "init stray-argument exits 2" 2 "$CCLINK" init stray
expect_exit "init --import without a path exits 2" 2 "$CCLINK" init --import
expect_exit "init -y -y exits 2" 2 "$CCLINK" init -y -y

# --- interactive, on a real terminal (tmux) ----------------------------------
if command -v tmux >/dev/null 2>&1; then
	TSOCK="$T_DIR/tmux.sock"
	kill_tmux() { tmux -S "$TSOCK" kill-server 2>/dev/null; }
	T_CLEANUP_HOOKS="$T_CLEANUP_HOOKS kill_tmux"
	# tty_run NAME ARGS...: run cclink in a fresh tmux window; status goes to $T_DIR/NAME.rc
	tty_run() {
		n=$1; shift
		rm -f "$T_DIR/$n.rc"
		tmux -f /dev/null -S "$TSOCK" new-session -d -s "$n" -x 200 -y 40 \
			"HOME='$HOME' '$CCLINK' $* 2>'$T_DIR/$n.err'; echo \$? >'$T_DIR/$n.rc'; sleep 30"
	}
	# wait_screen NAME REGEX: until the pane shows REGEX (10 s)
	wait_screen() {
		i=0
		while [ $i -lt 100 ]; do
			tmux -S "$TSOCK" capture-pane -p -t "$1" >"$T_DIR/$1.screen" 2>/dev/null
			grep -Eq -- "$2" "$T_DIR/$1.screen" && return 0
			sleep 0.1; i=$((i + 1))
		done
		return 1
	}
	wait_rc() {
		i=0
		while [ $i -lt 300 ]; do [ -s "$T_DIR/$1.rc" ] && return 0; sleep 0.1; i=$((i + 1)); done
		return 1
	}
	typeit() { tmux -S "$TSOCK" send-keys -t "$1" -l "$2"; tmux -S "$TSOCK" send-keys -t "$1" Enter; }

	S5=$(sum "$KEY")
	tty_run ow init
	check "tty: asks before overwriting" wait_screen ow 'already exists at .*Overwrite\? \[y/N\]'
	typeit ow n
	check "tty: 'n' ends init" wait_rc ow
	check "tty: with status 7 (declined)" test "$(cat "$T_DIR/ow.rc")" = 7
	check "tty: the key is kept" test "$(sum "$KEY")" = "$S5"

	tty_run mm init -y
	check "tty: asks for a passphrase" wait_screen mm 'Enter key passphrase'
	typeit mm 'first secret 1'
	check "tty: asks to confirm" wait_screen mm 'Confirm passphrase'
	typeit mm 'other secret 2'
	check "tty: mismatch ends init" wait_rc mm
	check "tty: mismatch fails" test "$(cat "$T_DIR/mm.rc")" != 0
	check "tty: and says so" grep -q 'do not match' "$T_DIR/mm.err"
	check "tty: no key was written" test "$(sum "$KEY")" = "$S5"
	check "tty: the passphrase was not echoed" test -z "$(grep 'secret' "$T_DIR/mm.screen")"

	tty_run ok init --import "$T_DIR/seed"
	check "tty: overwrite question again" wait_screen ok 'Overwrite\? \[y/N\]'
	typeit ok y
	check "tty: then the passphrase" wait_screen ok 'Enter key passphrase'
	typeit ok 'typed on a tty'
	check "tty: then the confirmation" wait_screen ok 'Confirm passphrase'
	typeit ok 'typed on a tty'
	check "tty: init completes" wait_rc ok
	check "tty: with status 0" test "$(cat "$T_DIR/ok.rc")" = 0
	check "tty: the key is an envelope" test "$(head -c 8 "$KEY")" = CCLINKEK
	tmux -S "$TSOCK" capture-pane -p -t ok >"$T_DIR/ok.screen"
	check "tty: the identity is shown" grep -q "Public Key: pk:$PK_2A" "$T_DIR/ok.screen"
	check "tty: the passphrase was not echoed" test -z "$(grep 'typed on' "$T_DIR/ok.screen")"

	rm -f "$KEY.pub"
	tty_run wh whoami
	check "tty: whoami without a cache asks for the passphrase" wait_screen wh 'Enter passphrase for .*secret_key'
	typeit wh 'typed on a tty'
	check "tty: whoami completes" wait_rc wh
	check "tty: with status 0" test "$(cat "$T_DIR/wh.rc")" = 0
	check "tty: and rebuilt the cache" test -f "$KEY.pub"
	no_temps "no temp files after the tty runs"
else
	not_ok "tmux is needed for the terminal tests"
fi

done_testing
