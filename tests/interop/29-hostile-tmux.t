#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end through ./cclink and a real tmux on private sockets: a shared record whose
# project path or session id holds tmux formats (#(cmd), #{var}, #[style]) is resumed with
# `pickup --tmux`, outside tmux and inside a running tmux server. tmux must never expand
# them: the command in #(...) never runs, and claude starts in exactly the checked
# directory with exactly the published id. Sessions whose ids share their first characters
# get their own tmux sessions, and an existing tmux session of the name cclink would use is
# only reattached when cclink started it for that id and directory.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

SEED=2929292929292929292929292929292929292929292929292929292929292929
U1=29292929-7777-4777-8777-000000000001
U2=29292929-7777-4777-8777-000000000002
U3=29292929-7777-4777-8777-000000000003
U4=29292929-7777-4777-8777-000000000004
TMUX_BIN=$(command -v tmux)
if ! check "tmux is installed (make deps)" test -n "$TMUX_BIN"; then
	done_testing
	exit 1
fi
if ! check "testnet starts" harness_start_testnet --nodes 8; then
	done_testing
	exit 1
fi
e2e_machine b
check "B imports the seed" e2e_import b "$SEED"
CB=$T_DIR/b/.claude
MARK=$T_DIR/pwned
# `pwn` on B's PATH: if tmux ever runs #(pwn), the marker appears.
printf '#!/bin/sh\necho "$*" >>"%s"\n' "$MARK" >"$T_DIR/b/bin/pwn"
chmod 755 "$T_DIR/b/bin/pwn"
# tmux servers of this test: outside tmux (TMUX_TMPDIR) and the one we are "inside" (-S).
TT=$T_DIR/tt
SOCK=$T_DIR/tmux.sock
mkdir -p "$TT"
chmod 700 "$TT"
tmux_stop() {
	"$TMUX_BIN" -S "$SOCK" kill-server 2>/dev/null
	TMUX_TMPDIR=$TT "$TMUX_BIN" kill-server 2>/dev/null
	return 0
}
T_CLEANUP_HOOKS="tmux_stop $T_CLEANUP_HOOKS"

# The hostile directory exists on B and holds the session's transcript.
D="$T_DIR/b/w/p#(pwn path)q#{session_name}r#[fg=red]s"
mkdir -p "$D"
D=$(cd "$D" && pwd -P)
e2e_session "$CB" "$D" "$U1"
# A session whose name (claude --resume takes one) is hostile, in a tame directory.
mkdir -p "$T_DIR/b/tame"
P=$(cd "$T_DIR/b/tame" && pwd -P)
HID='t#(pwn id)u#{session_name}v#[fg=red]w'
e2e_session "$CB" "$P" "$U2"
printf '{"type":"custom-title","customTitle":"%s","sessionId":"%s"}\n' "$HID" "$U2" \
	>>"$CB/projects/$(e2e_folder "$P")/$U2.jsonl"

publish() {
	harness_compat publish --seed "$SEED" --session "$1" --project "$2" --hostname host-a \
		>"$T_DIR/pub.out" 2>&1 || { diag "$(cat "$T_DIR/pub.out")"; return 1; }
}
# wait_claude: the fake claude runs in a tmux pane, maybe after cclink has returned; its
# log is complete once its last line (config_dir) is there.
claude_done() { grep -q '^config_dir=' "$T_DIR/b/claude.log" 2>/dev/null; }
wait_claude() {
	_i=0
	while [ $_i -lt 200 ] && ! claude_done; do sleep 0.05; _i=$((_i + 1)); done
	claude_done
}
# outside ID DIR: pickup --tmux on a terminal, no enclosing tmux.
outside() {
	claude_reset b
	run on_tty b "" timeout 60 env -u TMUX TERM=xterm TMUX_TMPDIR="$TT" "$CCLINK" pickup --tmux -y
	check "$3: outside tmux, claude ran" wait_claude
	is "$3: outside tmux, claude got the published id" "$(claude_field b argv)" "--resume $1"
	is "$3: outside tmux, claude started in the checked directory" "$(claude_field b cwd)" "$2"
	check "$3: outside tmux, no #(...) ran" test ! -e "$MARK"
	[ -e "$MARK" ] && diag "ran: $(cat "$MARK")" && rm -f "$MARK"
}
# inside ID DIR: pickup --tmux with $TMUX naming a running server (switch-client then fails:
# the test has no attached client; claude runs in the new detached session all the same).
inside() {
	claude_reset b
	tmux_stop
	check "$3: a tmux server to be inside of" on b "$TMUX_BIN" -S "$SOCK" -f /dev/null \
		new-session -d -s base 'sleep 600'
	run as_b env TMUX="$SOCK,1,0" "$CCLINK" pickup --tmux -y
	check "$3: inside tmux, claude ran" wait_claude
	is "$3: inside tmux, claude got the published id" "$(claude_field b argv)" "--resume $1"
	is "$3: inside tmux, claude started in the checked directory" "$(claude_field b cwd)" "$2"
	check "$3: inside tmux, no #(...) ran" test ! -e "$MARK"
	[ -e "$MARK" ] && diag "ran: $(cat "$MARK")" && rm -f "$MARK"
	tmux_stop
}

check "a record whose project path holds tmux formats" publish "$U1" "$D"
outside "$U1" "$D" "hostile path"
inside "$U1" "$D" "hostile path"
check "a record whose session id holds tmux formats" publish "$HID" "$P"
outside "$HID" "$P" "hostile id"
inside "$HID" "$P" "hostile id"

# ---- the tmux session name: the whole id and the directory ---------------------------------------
e2e_session "$CB" "$P" "$U3"
e2e_session "$CB" "$P" "$U4"
RUNS=$T_DIR/b/claude-runs
# A claude that keeps running (so its tmux session stays), logging every start.
cat >"$T_DIR/b/bin/claude" <<EOF
#!/bin/sh
printf '%s %s\n' "\$*" "\$(pwd -P)" >>"$RUNS"
exec sleep 600
EOF
runs() { if [ -f "$RUNS" ]; then wc -l <"$RUNS" | tr -d ' '; else echo 0; fi; }
wait_runs() {
	_i=0
	while [ $_i -lt 200 ] && [ "$(runs)" -lt "$1" ]; do sleep 0.05; _i=$((_i + 1)); done
	[ "$(runs)" -ge "$1" ]
}
name_for() { printf 'cclink-%.8s-%s' "$1" "$(printf '%s\000%s' "$1" "$2" | sha256sum | cut -c1-16)"; }
tmux_stop
check "a tmux server to be inside of" on b "$TMUX_BIN" -S "$SOCK" -f /dev/null new-session -d -s base 'sleep 600'
check "publish U3" publish "$U3" "$P"
run as_b env TMUX="$SOCK,1,0" "$CCLINK" pickup --tmux -y
check "U3 started in tmux" wait_runs 1
is "U3: claude resumed U3 in the project" "$(sed -n 1p "$RUNS")" "--resume $U3 $P"
check "its tmux session is named after the id and the directory" \
	"$TMUX_BIN" -S "$SOCK" has-session -t "=$(name_for "$U3" "$P")"
check "publish U4 (same first 8 characters as U3)" publish "$U4" "$P"
run as_b env TMUX="$SOCK,1,0" "$CCLINK" pickup --tmux -y
check "U4 started in a tmux session of its own" wait_runs 2
is "U4: claude resumed U4, not U3's session" "$(sed -n 2p "$RUNS")" "--resume $U4 $P"
check "U4's tmux session" "$TMUX_BIN" -S "$SOCK" has-session -t "=$(name_for "$U4" "$P")"
check "U3's session is still there" "$TMUX_BIN" -S "$SOCK" has-session -t "=$(name_for "$U3" "$P")"
run as_b env TMUX="$SOCK,1,0" "$CCLINK" pickup --tmux -y
is "U4 again: its running session is reused, claude not started twice" "$(runs)" 2
is "three tmux sessions: base, U3's and U4's" "$("$TMUX_BIN" -S "$SOCK" list-sessions | wc -l | tr -d ' ')" 3
tmux_stop

# A session of that very name that cclink did not start for U3 here: refused, not attached.
N3=$(name_for "$U3" "$P")
check "publish U3 again" publish "$U3" "$P"
check "inside: an impostor tmux session named $N3" on b "$TMUX_BIN" -S "$SOCK" -f /dev/null \
	new-session -d -s "$N3" 'sleep 600'
expect_exit "inside tmux: pickup --tmux refuses it (exit 1)" 1 as_b env TMUX="$SOCK,1,0" "$CCLINK" pickup --tmux -y
grep_err "the message names the session and the fix" \
	"a tmux session named $N3 already exists and was not started for this session and directory.*tmux kill-session"
is "inside: claude was not started" "$(runs)" 2
check "the impostor is left alone" "$TMUX_BIN" -S "$SOCK" has-session -t "=$N3"
tmux_stop
check "outside: an impostor tmux session named $N3" on b env TMUX_TMPDIR="$TT" "$TMUX_BIN" -f /dev/null \
	new-session -d -s "$N3" 'sleep 600'
run on_tty b "" timeout 60 env -u TMUX TERM=xterm TMUX_TMPDIR="$TT" "$CCLINK" pickup --tmux -y
is "outside tmux: pickup --tmux refuses it (exit 1)" "$RC" 1
if grep -q -- "a tmux session named $N3 already exists" "$T_DIR/out"; then
	ok "outside: the message names the session"
else
	not_ok "outside: the message names the session"
	diag "$(cat "$T_DIR/out")"
fi
is "outside: claude was not started" "$(runs)" 2
tmux_stop

done_testing
