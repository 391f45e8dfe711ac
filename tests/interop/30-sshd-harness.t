#!/bin/sh
# SPDX-License-Identifier: MIT
# Self-test of tests/interop/sshd-lib.sh: a real sshd on 127.0.0.1 with its own host key,
# config and authorized_keys; key login, the HOME/SetEnv of the far side, the pinned host
# key, a refused key, SendEnv CCLINK_*, agent forwarding, stop.
. "$(dirname "$0")/sshd-lib.sh"
sshd_isolate "$0" "$@"
. "$(dirname "$0")/../cli/lib.sh"

diag "network namespace of its own: ${SSHD_ISOLATED:-0}"
ssh-keygen -q -t ed25519 -N '' -C user@test -f "$T_DIR/id" || exit 1
ssh-keygen -q -t ed25519 -N '' -C other@test -f "$T_DIR/other" || exit 1
FAR=$T_DIR/far
if ! check "sshd starts" sshd_start "$FAR" "$T_DIR/id.pub" "PATH=/usr/bin:/bin" "CCLINK_MARK=x y"; then
	done_testing
	exit 1
fi
sshd_client_config "$T_DIR/cfg" "$T_DIR/id" "SendEnv CCLINK_SENT"
SSH="ssh -F $T_DIR/cfg"

expect_exit "key login runs a command" 0 $SSH "$SSHD_HOST" 'echo "$HOME|$PATH|$CCLINK_MARK"'
check "HOME and SetEnv reach the login" grep -qx "$FAR|/usr/bin:/bin|x y" "$T_DIR/out"
CCLINK_SENT=hello
export CCLINK_SENT
expect_exit "SendEnv CCLINK_*" 0 $SSH "$SSHD_HOST" 'echo "$CCLINK_SENT"'
check "CCLINK_SENT arrived" grep -qx hello "$T_DIR/out"
unset CCLINK_SENT

sshd_client_config "$T_DIR/cfg-other" "$T_DIR/other"
expect_exit "a key not in authorized_keys is refused" 255 ssh -F "$T_DIR/cfg-other" "$SSHD_HOST" true
check "sshd logged the refusal" grep -q 'Connection closed by authenticating user\|Failed publickey\|disconnect' "$SSHD_LOG"

# A host key other than the pinned one: the client refuses.
ssh-keygen -q -t ed25519 -N '' -f "$T_DIR/fakehost" || exit 1
printf '[127.0.0.1]:%s %s\n' "$SSHD_PORT" "$(cut -d' ' -f1,2 "$T_DIR/fakehost.pub")" >"$T_DIR/kh-wrong"
expect_exit "a wrong pinned host key is refused" 255 $SSH -o UserKnownHostsFile="$T_DIR/kh-wrong" "$SSHD_HOST" true
grep_err "the client names the host key problem" 'HOST IDENTIFICATION HAS CHANGED|Host key verification failed'

# Agent forwarding: the far side sees the forwarded agent and its key.
eval "$(ssh-agent -s -a "$T_DIR/agent.sock")" >/dev/null
AGENT_PID=$SSH_AGENT_PID
stop_agent() { kill "$AGENT_PID" 2>/dev/null; return 0; }
T_CLEANUP_HOOKS="stop_agent $T_CLEANUP_HOOKS"
ssh-add -q "$T_DIR/id" 2>/dev/null
sshd_client_config "$T_DIR/cfg-agent" "$T_DIR/id.pub" "ForwardAgent yes"
expect_exit "login with the agent's key, agent forwarded" 0 ssh -F "$T_DIR/cfg-agent" "$SSHD_HOST" \
	'test -S "$SSH_AUTH_SOCK" && ssh-add -l'
grep_out "the far side lists the forwarded key" 'user@test \(ED25519\)'

sshd_stop
expect_exit "after sshd_stop the port is closed" 255 $SSH "$SSHD_HOST" true
check "sshd_stop twice is harmless" sshd_stop
done_testing
