#!/bin/sh
# SPDX-License-Identifier: MIT
# The ssh-integration recipes, end to end through plain `ssh -F TESTCONFIG ALIAS` against a
# real sshd, with real tmux on both sides: (1) the Host alias (LocalCommand publish,
# RemoteCommand pickup --tmux), (2) the ProxyCommand variant (cclink ssh-proxy), (3) the
# far side's cclink-remote wrapper; and cclink ssh-proxy's relay on its own (half-close,
# a failed publish does not stop the connection, a refused connection).
. "$(dirname "$0")/sshd-lib.sh"
sshd_isolate "$0" "$@"
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"
. "$(dirname "$0")/ssh-e2e-lib.sh"

SEED=4141414141414141414141414141414141414141414141414141414141414141
S1=41414141-0000-4000-8000-000000000001
S2=42414141-0000-4000-8000-000000000002
RECIPES=$CCLINK_TOP/ssh-integration

for t in tmux ssh node; do
	command -v $t >/dev/null || { not_ok "$t is installed (make deps)"; done_testing; exit 1; }
done
if ! check "testnet, relay, two machines, sshd" sshe_setup "$SEED"; then
	done_testing
	exit 1
fi
sshe_far_claude
ln -sf "$CCLINK" "$T_DIR/a/bin/cclink"  # LocalCommand and ProxyCommand run `cclink` from PATH
mkdir -p "$T_DIR/work/proj"
P=$(cd "$T_DIR/work/proj" && pwd -P)
F=$(e2e_folder "$P")
CA=$T_DIR/a/.claude/projects/$F
CB=$T_DIR/b/.claude/projects/$F
TERM_CD=$P
# The recipes carry only the record: the transcripts are already on the far side.
e2e_session "$T_DIR/a/.claude" "$P" "$S1" '5 minutes ago'
mkdir -p "$CB"
cp "$CA/$S1.jsonl" "$CB/"

# TESTCONFIG: the recipe blocks as shipped (HostName pointed at the test sshd), then the test
# sshd's port, user, key and pinned host key for every host.
TCFG=$T_DIR/testconfig
{
	sed 's/work\.example\.com/127.0.0.1/' "$RECIPES/ssh_config.alias"
	sed 's/work\.example\.com/127.0.0.1/' "$RECIPES/ssh_config.proxy"
	echo "Host *"
	sed -n 's/^	\(Port\|User\|UserKnownHostsFile\|GlobalKnownHostsFile\|StrictHostKeyChecking\|BatchMode\|LogLevel\|IdentityFile\|IdentitiesOnly\|UpdateHostKeys\)/	\1/p' "$SSHE_CFG"
} >"$TCFG"
check "the recipes parse (ssh -G)" sh -c "ssh -F '$TCFG' -G work-cc >/dev/null && ssh -F '$TCFG' -G work-ccp >/dev/null"

# ---- 1. the Host alias ------------------------------------------------------------------
term_run alias1 ssh -F "$TCFG" work-cc
check "ssh work-cc: LocalCommand published, RemoteCommand resumed in tmux" term_wait alias1 "FAKE-CLAUDE --resume $S1 in $P"
is "far side: claude --resume ID" "$(claude_field b argv)" "--resume $S1"
is "far side: in the project directory" "$(claude_field b cwd)" "$P"
is "far side: one tmux session" "$(far_tmux list-sessions 2>/dev/null | wc -l)" 1
PID1=$(claude_field b pid)
term_keys alias1 C-b d
is "detach: ssh exits 0" "$(term_done alias1)" 0
check "claude keeps running there" kill -0 "$PID1"
check "publish's output was on the terminal (LocalCommand)" term_wait alias1 "Session: $S1"
sleep 1  # records are dated in seconds: the far side takes one newer than the last it picked up
term_run alias2 ssh -F "$TCFG" work-cc
check "ssh work-cc again: reattached" term_wait alias2 "FAKE-CLAUDE --resume $S1 in $P"
is "the same claude (not started again)" "$(claude_field b pid)" "$PID1"
term_keys alias2 C-b d
is "detach: exit 0" "$(term_done alias2)" 0
expect_exit "the trade-off: a command line is refused on the alias" 255 on a -C "$P" ssh -F "$TCFG" work-cc true
grep_err "ssh says why" "Cannot execute command-line and remote command"
expect_exit "RemoteCommand=none restores it" 0 on a -C "$P" ssh -F "$TCFG" -o RemoteCommand=none -o PermitLocalCommand=no work-cc 'echo plain'
grep_out "the command ran" "^plain$"

# ---- 2. the ProxyCommand variant -----------------------------------------------------------
e2e_session "$T_DIR/a/.claude" "$P" "$S2"  # newer: the one publish now finds
cp "$CA/$S2.jsonl" "$CB/"
sleep 1  # a record newer (in seconds) than the last one picked up there
term_run proxy1 ssh -F "$TCFG" work-ccp
check "ssh work-ccp: ssh-proxy published, the far side resumed the new session" term_wait proxy1 "FAKE-CLAUDE --resume $S2 in $P"
is "far side: claude --resume S2" "$(claude_field b argv)" "--resume $S2"
term_keys proxy1 C-b d
is "detach: exit 0" "$(term_done proxy1)" 0
check "ssh-proxy said what it published" term_wait proxy1 "published session $S2 for pickup"
expect_exit "a failed publish: the connection still goes ahead" 0 on a -C "$P" ssh -F "$TCFG" \
	-o RemoteCommand=none -o "ProxyCommand=cclink ssh-proxy --ttl 0 %h %p" work-ccp 'echo through'
grep_out "the command ran through the relay" "^through$"
grep_err "the failure was reported on stderr" "publishing the session failed"

# ---- ssh-proxy's relay on its own ----------------------------------------------------------
# A server that answers only after the client's half-close: the relay must pass it on.
node -e '
const net = require("net")
const s = net.createServer({ allowHalfOpen: true }, (c) => {
  let n = 0
  c.on("data", (d) => { n += d.length })
  c.on("end", () => { c.end("got " + n + "\n") })
})
s.listen(0, "127.0.0.1", () => { require("fs").writeFileSync(process.argv[1], String(s.address().port)) })
setTimeout(() => process.exit(0), 120000)
' "$T_DIR/echo.port" &
ECHO_PID=$!
stop_echo() { kill "$ECHO_PID" 2>/dev/null; return 0; }
T_CLEANUP_HOOKS="stop_echo $T_CLEANUP_HOOKS"
wait_file "$T_DIR/echo.port"
sleep 0.2
head -c 100000 /dev/urandom >"$T_DIR/blob"
run sh -c "'$CCLINK' ssh-proxy --no-publish 127.0.0.1 \$(cat '$T_DIR/echo.port') <'$T_DIR/blob'"
is "relay: exit 0 when the connection ends" "$RC" 0
grep_out "half-close passed on: the server saw all 100000 bytes and answered" "^got 100000$"
expect_exit "relay: a refused connection is an error" 1 "$CCLINK" ssh-proxy --no-publish 127.0.0.1 1
grep_err "it says so" "cannot connect to 127.0.0.1 port 1"
expect_exit "relay: a bad port is a usage error" 2 "$CCLINK" ssh-proxy 127.0.0.1 22x
expect_exit "relay: a host that looks like an option is refused" 2 "$CCLINK" ssh-proxy -- -oProxy 22

# ---- 3. cclink-remote on the far side --------------------------------------------------------
rm "$T_DIR/b/bin/cclink"
mkdir -p "$T_DIR/b/.local/bin"
ln -s "$CCLINK" "$T_DIR/b/.local/bin/cclink"
cp "$RECIPES/cclink-remote" "$T_DIR/b/.local/bin/cclink-remote"
WRAP=$T_DIR/b/.local/bin/cclink-remote
expect_exit "without the wrapper, cclink ssh finds no cclink there" 1 on a -C "$P" "$CCLINK" ssh -F "$SSHE_CFG" --session "$S2" "$SSHD_HOST"
grep_err "and names the wrapper" "not found on $SSHD_HOST.*--remote-cclink"
term_run wrap1 "$CCLINK" ssh -F "$SSHE_CFG" --remote-cclink "$WRAP" --session "$S2" "$SSHD_HOST"
check "cclink ssh --remote-cclink cclink-remote: resumed there" term_wait wrap1 "FAKE-CLAUDE --resume $S2 in $P"
term_keys wrap1 C-b d
is "detach: exit 0" "$(term_done wrap1)" 0
rm "$T_DIR/b/.local/bin/cclink"
expect_exit "the wrapper with no cclink anywhere: exit 127" 127 on a ssh -F "$SSHE_CFG" "$SSHD_HOST" \
	"CCLINK_REMOTE_NO_LOGIN_SHELL=1 '$WRAP' --version"
grep_err "it says what to install" "cclink-remote: cclink is not installed on .*install it there"

done_testing
