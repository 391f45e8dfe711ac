#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end through ./cclink: a record whose hostname and project path carry terminal
# escapes (OSC window title, clear screen), C1 controls and bidi overrides. Whatever reaches
# the terminal (the confirmation question, the "does not exist" error, the remap line,
# --print) shows them escaped; --json escapes C1 and bidi controls.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
U1=2a2a2a2a-7777-4777-8777-000000000001
U2=2a2a2a2a-7777-4777-8777-000000000002
ESC=$(printf '\033')
BEL=$(printf '\007')
RLO=$(printf '\342\200\256')    # U+202E RIGHT-TO-LEFT OVERRIDE
LRI=$(printf '\342\201\246')    # U+2066 LEFT-TO-RIGHT ISOLATE
CSI1=$(printf '\302\233')       # U+009B (C1 CSI)

if ! check "testnet starts" harness_start_testnet --nodes 8; then
	done_testing
	exit 1
fi
e2e_machine b
check "B imports the seed" e2e_import b "$SEED"
CB=$T_DIR/b/.claude
mkdir -p "$T_DIR/b/proj"
P=$(cd "$T_DIR/b/proj" && pwd -P)
e2e_session "$CB" "$P" "$U1"

publish() {
	harness_compat publish --seed "$SEED" "$@" >"$T_DIR/pub.out" 2>&1 ||
		{ diag "$(cat "$T_DIR/pub.out")"; return 1; }
}
# raw_absent DESC FILE BYTES: FILE does not contain BYTES (a terminal sequence, verbatim).
raw_absent() {
	if grep -qF -- "$3" "$2"; then
		not_ok "$1"
		diag "$(od -c "$2" | head -20)"
	else ok "$1"; fi
}
has() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else
		not_ok "$1"
		diag "no '$3' in: $(cat -v "$2" | head -c 2000)"
	fi
}

# ---- the confirmation question ------------------------------------------------------------------
H="trusted-laptop$ESC]0;owned$BEL$ESC[2J$RLO$LRI${CSI1}2J"
check "a record whose hostname holds escapes" publish --session "$U1" --project "$P" --hostname "$H"
claude_reset b
run on_dialog b 'Resume session' n -- "$CCLINK" pickup
is "declined: exit 7" "$RC" 7
has "the question is asked" "$T_DIR/out" "Resume session ${U1%%-*} ($P) from trusted-laptop"
raw_absent "no OSC (window title) reaches the terminal" "$T_DIR/out" "$ESC]0;"
raw_absent "no clear-screen reaches the terminal" "$T_DIR/out" "$ESC[2J"
raw_absent "no RLO reaches the terminal" "$T_DIR/out" "$RLO"
raw_absent "no LRI reaches the terminal" "$T_DIR/out" "$LRI"
raw_absent "no C1 CSI reaches the terminal" "$T_DIR/out" "$CSI1"
has "the hostname is shown escaped" "$T_DIR/out" 'trusted-laptop\x1b]0;owned\x07\x1b[2J\u202e\u2066\u009b2J'
no_claude "declined: no claude" b
expect_exit "--print" 0 as_b "$CCLINK" pickup --print
has "--print: the host escaped" "$T_DIR/out" 'Host: trusted-laptop\x1b]0;owned\x07\x1b[2J\u202e\u2066\u009b2J'
raw_absent "--print: no ESC" "$T_DIR/out" "$ESC"
expect_exit "--json" 0 as_b "$CCLINK" pickup --json
has "--json: ESC, C1 and bidi escaped" "$T_DIR/out" '"hostname":"trusted-laptop\u001b]0;owned\u0007\u001b[2J\u202e\u2066\u009b2J"'
raw_absent "--json: no raw C1" "$T_DIR/out" "$CSI1"
raw_absent "--json: no raw RLO" "$T_DIR/out" "$RLO"
json_is "--json: the hostname decodes to the published one" .hostname "$H"

# ---- the project path in errors and remap lines ---------------------------------------------------
G="/nowhere/x$ESC]0;owned$BEL$RLO${CSI1}y"
check "a record whose (missing) project path holds escapes" publish --session "$U1" --project "$G" --hostname h
expect_exit "pickup: the directory does not exist (exit 8)" 8 as_b "$CCLINK" pickup -y
has "the error names the path, escaped" "$T_DIR/err" "the project directory '/nowhere/x\\x1b]0;owned\\x07\\u202e\\u009by' does not exist"
has "the --map hint too" "$T_DIR/err" "cclink pickup --map /nowhere/x\\x1b]0;owned\\x07\\u202e\\u009by=/local/path"
raw_absent "no ESC in the error" "$T_DIR/err" "$ESC"
raw_absent "no RLO in the error" "$T_DIR/err" "$RLO"
raw_absent "no C1 in the error" "$T_DIR/err" "$CSI1"

# A path that exists here under --map: only bidi controls survive session_remap's checks.
mkdir -p "$T_DIR/b/w/evil${RLO}gnp.exe"
D=$(cd "$T_DIR/b/w/evil${RLO}gnp.exe" && pwd -P)
e2e_session "$CB" "$D" "$U2"
check "a record whose project path holds RLO" publish --session "$U2" --project "/pub/evil${RLO}gnp.exe" --hostname h
claude_reset b
expect_exit "pickup --map resumes" 0 on_term b "$CCLINK" pickup -y --map "/pub=$T_DIR/b/w"
has "the remap line shows the RLO escaped" "$T_DIR/err" 'Project /pub/evil\u202egnp.exe is '
has "and the local directory too" "$T_DIR/err" 'w/evil\u202egnp.exe here (map /pub='
raw_absent "no RLO on stderr" "$T_DIR/err" "$RLO"
is "claude resumed in the directory" "$(claude_field b cwd)" "$D"

done_testing
