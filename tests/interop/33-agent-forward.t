#!/bin/sh
# SPDX-License-Identifier: MIT
# A forwarded ssh-agent (ssh -A) into a real sshd on 127.0.0.1 (sshd-lib.sh): the far side
# runs `cclink init --agent` through the forwarded agent, gets the same public key and the
# same derived key, and picks up what was published here with the agent identity; then it
# publishes back and this side picks it up. No key is copied anywhere.
. "$(dirname "$0")/sshd-lib.sh"
sshd_isolate "$0" "$@"
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

U1=ffffffff-9999-4999-8999-000000000001
U2=ffffffff-9999-4999-8999-000000000002
AGENT_PID=""
agent_stop() { [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null; return 0; }
T_CLEANUP_HOOKS="agent_stop $T_CLEANUP_HOOKS"

if ! check "testnet starts" harness_start_testnet --nodes 8 ||
	! check "relay starts" harness_start_relay; then
	done_testing
	exit 1
fi
eval "$(ssh-agent -s -a "$T_DIR/agent.sock")" >/dev/null
AGENT_PID=$SSH_AGENT_PID
ssh-keygen -q -t ed25519 -N '' -C fwd@test -f "$T_DIR/k1" || exit 1
check "ssh-add the key" ssh-add -q "$T_DIR/k1"
rm -f "$T_DIR/k1"   # from here on only the agent holds the secret
e2e_machine a far
FAR=$T_DIR/far
CCDIR=$(dirname "$CCLINK")
if ! check "sshd starts (key auth with the agent's key)" sshd_start "$FAR" "$T_DIR/k1.pub" \
	"PATH=$FAR/bin:$CCDIR:/usr/bin:/bin" "XDG_CONFIG_HOME=$FAR/.config" "XDG_CACHE_HOME=$FAR/.cache" \
	"XDG_STATE_HOME=$FAR/.local/state" "CCLINK_BOOTSTRAP=$CCLINK_BOOTSTRAP" "CCLINK_RELAYS=$CCLINK_RELAYS"; then
	done_testing
	exit 1
fi
diag "network namespace of its own: ${SSHD_ISOLATED:-0}"
sshd_client_config "$T_DIR/ssh_config" "$T_DIR/k1.pub" "ForwardAgent yes"
sshd_client_config "$T_DIR/ssh_config_noa" "$T_DIR/k1.pub" "ForwardAgent no"
far() { ssh -F "$T_DIR/ssh_config" "$SSHD_HOST" "$@"; }

mkdir -p "$T_DIR/a/proj"
P=$(cd "$T_DIR/a/proj" && pwd -P)
expect_exit "here: init --agent" 0 as_a "$CCLINK" init --agent
ZK=$(sed -n 's/^Public Key: pk://p' "$T_DIR/out")
XA=$(sed -n 's/^Decryption key: \(age1[a-z0-9]*\) .*/\1/p' "$T_DIR/out")

expect_exit "far side: the forwarded agent is there" 0 far 'cd && test -S "$SSH_AUTH_SOCK" && test "$SSH_AUTH_SOCK" != '"$T_DIR/agent.sock"' && ssh-add -l'
grep_out "it lists the key" 'fwd@test \(ED25519\)'
expect_exit "far side: init --agent through the forwarded agent" 0 far 'cd && cclink init --agent'
grep_out "the same public key" "^Public Key: pk:$ZK\$"
grep_out "the same derived key" "^Decryption key: $XA "
check "no secret key on the far side" test ! -e "$FAR/.pubky/secret_key"

e2e_session "$T_DIR/a/.claude" "$P" "$U1"
expect_exit "here: publish with the agent identity" 0 as_a -C "$P" "$CCLINK" publish "$U1"
e2e_session "$FAR/.claude" "$P" "$U1"
claude_reset far
# -tt: pickup starts claude only on a terminal (ssh allocates one on the far side).
expect_exit "far side: pickup -y through the forwarded agent" 0 far -tt 'cd && cclink pickup -y'
check "far side: claude started" claude_ran far
is "far side: claude resumes the session" "$(claude_field far argv)" "--resume $U1"
is "far side: in the project directory" "$(claude_field far cwd)" "$P"

expect_exit "without agent forwarding the far side cannot decrypt: exit 1" 1 \
	ssh -tt -F "$T_DIR/ssh_config_noa" "$SSHD_HOST" 'cd && cclink pickup -y'
check "it says there is no agent" grep -q 'SSH_AUTH_SOCK is not set' "$T_DIR/out" "$T_DIR/err"

mkdir -p "$FAR/proj2"
P2=$(cd "$FAR/proj2" && pwd -P)
e2e_session "$FAR/.claude" "$P2" "$U2"
expect_exit "far side: publish back through the forwarded agent" 0 far "cd '$P2' && cclink publish $U2"
e2e_session "$T_DIR/a/.claude" "$P2" "$U2"
claude_reset a
expect_exit "here: pickup of what the far side published" 0 on_term a "$CCLINK" pickup -y
is "here: claude resumes the far session" "$(claude_field a argv)" "--resume $U2"
done_testing
