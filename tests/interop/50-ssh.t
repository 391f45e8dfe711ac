#!/bin/sh
# SPDX-License-Identifier: MIT
# `cclink ssh` end to end: a real sshd on 127.0.0.1, real tmux on both sides, two HOMEs, the
# loopback DHT testnet and relay, a fake claude that stays running. The far side resumes the
# session in tmux in the right directory with the transcript and its folder byte-identical;
# detaching leaves it running; a second `cclink ssh` reattaches. Then: no tmux there, --no-sync
# without a transcript there, a diverged transcript (refused, --force replaces), cclink
# missing there, another identity there, Ctrl-C during the transfer.
. "$(dirname "$0")/sshd-lib.sh"
sshd_isolate "$0" "$@"
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"
. "$(dirname "$0")/ssh-e2e-lib.sh"

SEED=4040404040404040404040404040404040404040404040404040404040404040
S1=40404040-0000-4000-8000-000000000001
S2=42424242-0000-4000-8000-000000000002
S3=40404040-0000-4000-8000-000000000003  # the same 8-character prefix as S1
S4=44444444-0000-4000-8000-000000000004

for t in tmux ssh; do
	command -v $t >/dev/null || { not_ok "$t is installed (make deps)"; done_testing; exit 1; }
done
if ! check "testnet, relay, two machines, sshd" sshe_setup "$SEED"; then
	done_testing
	exit 1
fi
sshe_far_claude
mkdir -p "$T_DIR/work/proj"
P=$(cd "$T_DIR/work/proj" && pwd -P)
F=$(e2e_folder "$P")
CA=$T_DIR/a/.claude/projects/$F
CB=$T_DIR/b/.claude/projects/$F
SSH_CC="$CCLINK ssh -F $SSHE_CFG"
TERM_CD=$P

# ---- the session on A: a transcript and its folder (subagents, tool results) ------------
e2e_session "$T_DIR/a/.claude" "$P" "$S1" '2 minutes ago'
mkdir -p "$CA/$S1/subagents" "$CA/$S1/tool-results"
printf '{"type":"user","sessionId":"%s","isSidechain":true}\n' "$S1" >"$CA/$S1/subagents/agent-a1.jsonl"
printf '{"agentType":"general-purpose"}\n' >"$CA/$S1/subagents/agent-a1.meta.json"
head -c 300000 /dev/urandom | od -An -tx1 >"$CA/$S1/tool-results/toolu_01.txt"
ln -s /etc/passwd "$CA/$S1/tool-results/link.txt"

# ---- 1. cclink ssh: publish, copy, resume in tmux there ----------------------------------
term_run ssh1 $SSH_CC "$SSHD_HOST"
check "the local terminal shows the far side's claude" term_wait ssh1 "FAKE-CLAUDE --resume $S1 in $P"
is "far side: claude --resume ID" "$(claude_field b argv)" "--resume $S1"
is "far side: in the project directory" "$(claude_field b cwd)" "$P"
is "far side: one tmux session" "$(far_tmux list-sessions -F '#{session_name}' 2>/dev/null | wc -l)" 1
NAME=$(far_tmux list-sessions -F '#{session_name}' 2>/dev/null)
check "far side: its pane runs claude" sh -c "TMUX_TMPDIR='$T_DIR/far-tmux' tmux list-panes -a -F '#{pane_current_command}' | grep -q sleep"
check "transcript byte-identical there" cmp "$CA/$S1.jsonl" "$CB/$S1.jsonl"
check "subagent transcript byte-identical" cmp "$CA/$S1/subagents/agent-a1.jsonl" "$CB/$S1/subagents/agent-a1.jsonl"
check "subagent meta byte-identical" cmp "$CA/$S1/subagents/agent-a1.meta.json" "$CB/$S1/subagents/agent-a1.meta.json"
check "tool result byte-identical" cmp "$CA/$S1/tool-results/toolu_01.txt" "$CB/$S1/tool-results/toolu_01.txt"
check "a symlink in the folder is not copied" test ! -e "$CB/$S1/tool-results/link.txt"
is "the transcript there is 0600" "$(stat -c %a "$CB/$S1.jsonl")" 600
is "its folder's files are 0600" "$(stat -c %a "$CB/$S1/tool-results/toolu_01.txt")" 600
check "a fresh mtime there (not the 2-minute-old one)" test "$CB/$S1.jsonl" -nt "$CA/$S1.jsonl"
if [ -n "${CCLINK_SSH_CAPTURE:-}" ]; then
	{
		echo "# local terminal (a tmux window, 100x30) running: cclink ssh -F ssh_config $SSHD_HOST"
		echo "# (the far side's tmux session is attached through ssh; its status line is at the bottom)"
		term_show ssh1 | cat -s
	} >"$CCLINK_SSH_CAPTURE"
fi
CLAUDE_PID=$(claude_field b pid)
term_keys ssh1 C-b d
is "detaching: cclink ssh exits 0" "$(term_done ssh1)" 0
check "the local terminal says it detached" term_wait ssh1 "detached"
if [ -n "${CCLINK_SSH_CAPTURE:-}" ]; then
	{
		echo
		echo "# the same terminal after C-b d (detached; claude keeps running there)"
		term_show ssh1 | cat -s
		echo "# far side: tmux list-sessions"
		far_tmux list-sessions
		echo "# far side: the fake claude's log (argv, cwd)"
		cat "$T_DIR/b/claude.log"
	} >>"$CCLINK_SSH_CAPTURE"
fi
check "claude keeps running there after the detach" kill -0 "$CLAUDE_PID"
check "the far tmux session is still there" far_tmux has-session -t "=$NAME"
check "the ssh master was closed (no control directory left)" sh -c "! ls -d '$T_DIR'/tmp/cclink-ssh.* 2>/dev/null"
check "no ssh master process left" sh -c "! ps -eo args | grep -v grep | grep -q -- '-S $T_DIR/tmp/cclink-ssh'"

# ---- 2. a second cclink ssh reattaches to the same tmux session ---------------------------
term_run ssh2 $SSH_CC "$SSHD_HOST"
check "the second run shows the same claude" term_wait ssh2 "FAKE-CLAUDE --resume $S1 in $P"
is "still one tmux session there" "$(far_tmux list-sessions -F '#{session_name}' 2>/dev/null)" "$NAME"
is "claude was not started again" "$(claude_field b pid)" "$CLAUDE_PID"
term_keys ssh2 C-b d
is "detach again: exit 0" "$(term_done ssh2)" 0
check "it said the transcript there is current" term_wait ssh2 "already here"

# ---- 2b. a TERM the far side has no terminfo for: pickup falls back, tmux starts --------
term_run term1 env TERM=cclink-no-such-term $SSH_CC "$SSHD_HOST"
check "TERM without terminfo there: reattached all the same" term_wait term1 "FAKE-CLAUDE --resume $S1 in $P"
term_keys term1 C-b d
is "detach: exit 0" "$(term_done term1)" 0
check "pickup said which TERM it used" term_wait term1 "no terminfo entry for TERM=cclink-no-such-term; using TERM=xterm-256color"

# ---- 3. the transcript went on here: the far one is a prefix and is replaced --------------
printf '{"type":"user","cwd":"%s","sessionId":"%s","message":{"role":"user","content":"more"}}\n' "$P" "$S1" >>"$CA/$S1.jsonl"
term_run ssh3 $SSH_CC "$SSHD_HOST"
check "reattached" term_wait ssh3 "FAKE-CLAUDE"
check "transcript byte-identical again" cmp "$CA/$S1.jsonl" "$CB/$S1.jsonl"
term_keys ssh3 C-b d
is "detach: exit 0" "$(term_done ssh3)" 0
check "a longer transcript here: it said it replaced the older one" term_wait ssh3 "replaced the older transcript"

# ---- 4. diverged: refused, --force replaces -----------------------------------------------
e2e_session "$T_DIR/a/.claude" "$P" "$S3"
mkdir -p "$CB"
printf '{"type":"user","cwd":"%s","sessionId":"%s","message":"the far side went on alone"}\n' "$P" "$S3" >"$CB/$S3.jsonl"
cp "$CB/$S3.jsonl" "$T_DIR/s3.far"
expect_exit "a diverged transcript there: refused (exit 1)" 1 on a -C "$P" $SSH_CC --session "$S3" "$SSHD_HOST"
grep_err "receive says why and names --force" "differ from byte [0-9]+ on.*--force"
check "the far transcript is unchanged" cmp "$CB/$S3.jsonl" "$T_DIR/s3.far"
check "no staging directory left there" sh -c "! ls -d '$CB'/.cclink-recv-* 2>/dev/null"
check "master closed after the refusal" sh -c "! ls -d '$T_DIR'/tmp/cclink-ssh.* 2>/dev/null"
term_run ssh4 $SSH_CC --force --session "$S3" "$SSHD_HOST"
check "--force: resumed there" term_wait ssh4 "FAKE-CLAUDE --resume $S3 in $P"
check "--force: the transcript was replaced" cmp "$CA/$S3.jsonl" "$CB/$S3.jsonl"
term_keys ssh4 C-b d
is "detach: exit 0" "$(term_done ssh4)" 0
is "two tmux sessions there now (one per session, though the ids share a prefix)" "$(far_tmux list-sessions 2>/dev/null | wc -l)" 2

# ---- 5. --no-sync with no transcript there -------------------------------------------------
e2e_session "$T_DIR/a/.claude" "$P" "$S2"
term_run ssh5 $SSH_CC --no-sync --session "$S2" "$SSHD_HOST"
is "--no-sync, no transcript there: exit 8" "$(term_done ssh5)" 8
check "the far side names the missing transcript" term_wait ssh5 "transcript \\($S2.jsonl\\) is not on this machine"
check "cclink ssh says to drop --no-sync" term_wait ssh5 "drop --no-sync"
check "nothing was copied" test ! -e "$CB/$S2.jsonl"

# ---- 6. no tmux there: claude in the foreground, with a warning ----------------------------
rm "$T_DIR/b/bin/tmux"
claude_reset b
term_run ssh6 $SSH_CC --session "$S2" "$SSHD_HOST"
check "no tmux there: a warning that claude ends with the connection" term_wait ssh6 "tmux is not installed on $SSHD_HOST: claude will run in the foreground"
check "claude runs in the foreground there" term_wait ssh6 "FAKE-CLAUDE --resume $S2 in $P"
term_keys ssh6 C-c
check "claude ended with Ctrl-C there: cclink ssh ends" wait_file "$T_DIR/ssh6.rc"
check "the ssh master was closed" sh -c "! ls -d '$T_DIR'/tmp/cclink-ssh.* 2>/dev/null"
ln -sf "$(command -v tmux)" "$T_DIR/b/bin/tmux"

# ---- 7. cclink missing there ---------------------------------------------------------------
rm "$T_DIR/b/bin/cclink"
expect_exit "cclink missing there: exit 1" 1 on a -C "$P" $SSH_CC --session "$S2" "$SSHD_HOST"
grep_err "names the fix" "'cclink' was not found on $SSHD_HOST.*--remote-cclink"
check "master closed" sh -c "! ls -d '$T_DIR'/tmp/cclink-ssh.* 2>/dev/null"
ln -sf "$CCLINK" "$T_DIR/b/bin/cclink"

# ---- 8. claude missing there ---------------------------------------------------------------
mv "$T_DIR/b/bin/claude" "$T_DIR/b/claude.off"
expect_exit "claude missing there: exit 9" 9 on a -C "$P" $SSH_CC --session "$S2" "$SSHD_HOST"
grep_err "names the fix" "'claude' \\(Claude Code\\) was not found on $SSHD_HOST"
mv "$T_DIR/b/claude.off" "$T_DIR/b/bin/claude"

# ---- 9. another identity there --------------------------------------------------------------
mv "$T_DIR/b/.pubky" "$T_DIR/b/pubky.off"
expect_exit "no identity there: exit 5" 5 on a -C "$P" $SSH_CC --session "$S2" "$SSHD_HOST"
grep_err "names the fix" "has no cclink identity.*cclink init --import.*--share"
on b "$CCLINK" init --no-passphrase -y >/dev/null 2>&1
ZB=$(e2e_pk b)
expect_exit "another identity there: exit 5 before publishing" 5 on a -C "$P" $SSH_CC --session "$S2" "$SSHD_HOST"
grep_err "names --share with its key" "not this one.*--share pk:$ZB"
term_run share1 $SSH_CC --share "pk:$ZB" --session "$S2" "$SSHD_HOST"
check "--share pk:THEIRS: the far side's own identity decrypts and resumes" term_wait share1 "FAKE-CLAUDE --resume $S2 in $P"
term_keys share1 C-b d
is "detach: exit 0" "$(term_done share1)" 0
expect_exit "--share with a key that is not the far side's: exit 5" 5 on a -C "$P" $SSH_CC --share "pk:$(e2e_pk a)" --session "$S2" "$SSHD_HOST"
grep_err "names the far side's key" "not the --share key.*--share pk:$ZB"
rm -rf "$T_DIR/b/.pubky"
mv "$T_DIR/b/pubky.off" "$T_DIR/b/.pubky"

# ---- 9b. arguments reach the far side quoted, never evaluated by its shell --------------------
S6=46464646-0000-4000-8000-000000000006
e2e_session "$T_DIR/a/.claude" "$P" "$S6"
expect_exit "a --map with shell syntax: taken literally there (no transcript for it: exit 8)" 8 \
	on a -C "$P" $SSH_CC --no-sync --map "/q'\$(touch $T_DIR/pwned1)';touch $T_DIR/pwned2;'=/x" \
	--session "$S6" "$SSHD_HOST"
check "nothing ran on the far side" test ! -e "$T_DIR/pwned1" -a ! -e "$T_DIR/pwned2"

# ---- 10. Ctrl-C during the transfer ----------------------------------------------------------
# The far cclink stops after the first bytes of the bundle until the test opens the gate.
mkfifo "$T_DIR/gate"
rm -f "$T_DIR/b/bin/cclink"  # a symlink to $CCLINK: do not write through it
cat >"$T_DIR/b/bin/cclink" <<EOF
#!/bin/sh
if [ "\$1" = receive ] && [ "\${2:-}" != --check ]; then
	{ /usr/bin/head -c 200; : >"$T_DIR/gate.reached"; /bin/cat "$T_DIR/gate" >/dev/null; /bin/cat; } |
		"$CCLINK" "\$@"
	echo \$? >"$T_DIR/gate.rc"
	exit 0
fi
exec "$CCLINK" "\$@"
EOF
chmod 755 "$T_DIR/b/bin/cclink"
e2e_session "$T_DIR/a/.claude" "$P" "$S4"
head -c 200000 /dev/urandom | od -An -tx1 >>"$CA/$S4.jsonl"
term_run ssh10 $SSH_CC --session "$S4" "$SSHD_HOST"
check "the transfer started" wait_file "$T_DIR/gate.reached"
term_keys ssh10 C-c
is "Ctrl-C: cclink ssh exits 130" "$(term_done ssh10)" 130
check "it says the connection was closed" term_wait ssh10 "interrupted; the ssh connection was closed"
check "the master was closed" sh -c "! ls -d '$T_DIR'/tmp/cclink-ssh.* 2>/dev/null"
check "no ssh master process left" sh -c "! ps -eo args | grep -v grep | grep -q -- '-S $T_DIR/tmp/cclink-ssh'"
echo open >"$T_DIR/gate"
check "the far receive ended" wait_file "$T_DIR/gate.rc"
is "the far receive refused the cut-short bundle" "$(cat "$T_DIR/gate.rc")" 1
check "nothing was written there" test ! -e "$CB/$S4.jsonl"
check "no staging directory left there" sh -c "! ls -d '$CB'/.cclink-recv-* 2>/dev/null"
rm -f "$T_DIR/b/bin/cclink"
ln -s "$CCLINK" "$T_DIR/b/bin/cclink"

# ---- 11. pickup --tmux from inside tmux there: a detached session, then switch-client -----
# A terminal attached to a tmux session on the far side runs `cclink pickup --tmux` in it.
S5=45454545-5555-4000-8000-000000000005
e2e_session "$T_DIR/a/.claude" "$P" "$S5"
mkdir -p "$CB" && cp "$CA/$S5.jsonl" "$CB/"
expect_exit "publish S5" 0 on a -C "$P" "$CCLINK" publish "$S5"
cat >"$T_DIR/inner.sh" <<EOF
#!/bin/sh
HOME='$T_DIR/b' XDG_CONFIG_HOME='$T_DIR/b/.config' XDG_CACHE_HOME='$T_DIR/b/.cache'
XDG_STATE_HOME='$T_DIR/b/.local/state' PATH='$T_DIR/b/bin:/usr/bin:/bin'
CCLINK_BOOTSTRAP='$CCLINK_BOOTSTRAP' CCLINK_RELAYS='$CCLINK_RELAYS'
export HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_STATE_HOME PATH CCLINK_BOOTSTRAP CCLINK_RELAYS
cd '$P' && cclink pickup --tmux --yes
echo "pickup-exit=\$?"
exec /bin/sleep 100000
EOF
chmod 755 "$T_DIR/inner.sh"
far_tmux new-session -d -s outer -x 100 -y 30 "$T_DIR/inner.sh"
term_run inside env -u TMUX TMUX_TMPDIR="$T_DIR/far-tmux" tmux attach -t outer
check "inside tmux: the terminal was switched to claude's session" term_wait inside "FAKE-CLAUDE --resume $S5 in $P"
check "pickup exited 0 after switch-client" sh -c "TMUX_TMPDIR='$T_DIR/far-tmux' tmux capture-pane -p -t outer | grep -q 'pickup-exit=0'"
is "the client now shows the new session, not 'outer'" \
	"$(far_tmux list-clients -F '#{client_session}' 2>/dev/null | grep -vc '^outer$')" 1
check "and 'outer' is still there" far_tmux has-session -t =outer
term_keys inside C-b d
is "detach: exit 0" "$(term_done inside)" 0

# ---- 12. cclink killed outright (SIGKILL, no cleanup): the ssh master does not outlive it ------
S7=47474747-0000-4000-8000-000000000007
e2e_session "$T_DIR/a/.claude" "$P" "$S7"
term_run ssh12 $SSH_CC --session "$S7" "$SSHD_HOST"
check "resumed there" term_wait ssh12 "FAKE-CLAUDE --resume $S7 in $P"
CC_PID=$(pgrep -f "^$CCLINK ssh -F $SSHE_CFG --session $S7")
M_PID=$(pgrep -f "^ssh -S $T_DIR/tmp/cclink-ssh\.[^ ]*/m -M")
check "one cclink ssh and one master found" test -n "$CC_PID" -a -n "$M_PID" -a "$(echo $CC_PID $M_PID | wc -w)" = 2
kill -9 "$CC_PID"
i=0
while kill -0 "$M_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check "SIGKILL of cclink: the master ssh ends too" sh -c "! kill -0 $M_PID 2>/dev/null"
check "no ssh master process left" sh -c "! ps -eo args | grep -v grep | grep -q -- '^ssh -S $T_DIR/tmp/cclink-ssh.* -M'"
is "cclink ssh died of the SIGKILL" "$(term_done ssh12)" 137
i=0
while pgrep -f "^ssh -S $T_DIR/tmp/cclink-ssh" >/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check "the attached ssh ended with the master: no ssh of cclink left" sh -c "! pgrep -af '^ssh -S $T_DIR/tmp/cclink-ssh'"
check "claude keeps running in its tmux session there" sh -c "TMUX_TMPDIR='$T_DIR/far-tmux' tmux list-sessions -F '#{session_name}' | grep -q '^cclink-47474747-'"
# A SIGKILLed cclink cannot remove its (0700) control directory; the dead socket stays there.
rm -rf "$T_DIR"/tmp/cclink-ssh.*

# ---- 13. a passphrase-protected ssh key: the master asks once, on the terminal ---------------
S8=48484848-0000-4000-8000-000000000008
e2e_session "$T_DIR/a/.claude" "$P" "$S8"
ssh-keygen -q -t ed25519 -N 'sekrit pass' -C pp@test -f "$T_DIR/ppkey"
cat "$T_DIR/ppkey.pub" >>"$SSHD_DIR/authorized_keys"
sshd_client_config "$T_DIR/ppcfg" "$T_DIR/ppkey"
sed -i 's/BatchMode yes/BatchMode no/' "$T_DIR/ppcfg"
term_run pp env -u SSH_AUTH_SOCK "$CCLINK" ssh -F "$T_DIR/ppcfg" --session "$S8" "$SSHD_HOST"
check "the key's passphrase prompt reaches the terminal" term_wait pp "Enter passphrase for key '$T_DIR/ppkey'"
term_keys pp 'sekrit pass' Enter
check "resumed there after the passphrase" term_wait pp "FAKE-CLAUDE --resume $S8 in $P"
term_keys pp C-b d
is "detach: exit 0" "$(term_done pp)" 0
is "asked once for the whole run (one connection)" "$(term_show pp | grep -c 'Enter passphrase for key')" 1

# ---- 14. ssh_config forks the master itself (ForkAfterAuthentication yes): still closed -------
S9=49494949-0000-4000-8000-000000000009
e2e_session "$T_DIR/a/.claude" "$P" "$S9"
sshd_client_config "$T_DIR/forkcfg" "$T_DIR/sshkey" "ForkAfterAuthentication yes"
term_run fork1 "$CCLINK" ssh -F "$T_DIR/forkcfg" --session "$S9" "$SSHD_HOST"
check "resumed there" term_wait fork1 "FAKE-CLAUDE --resume $S9 in $P"
term_keys fork1 C-b d
is "detach: exit 0" "$(term_done fork1)" 0
i=0
while pgrep -f "^ssh -S $T_DIR/tmp/cclink-ssh" >/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check "the forked master was closed too" sh -c "! pgrep -af '^ssh -S $T_DIR/tmp/cclink-ssh'"
check "no control directory left" sh -c "! ls -d '$T_DIR'/tmp/cclink-ssh.* 2>/dev/null"

done_testing
