#!/bin/sh
# SPDX-License-Identifier: MIT
# The ssh-agent identity when the agent cannot or will not help: no SSH_AUTH_SOCK, a socket
# nobody listens on, an empty agent, ECDSA / RSA / sk- keys, several ed25519 keys (ask on a
# terminal, or fail with the list), a locked agent (ssh-add -x), a key removed from the agent,
# confirm keys (ssh-add -c) with an askpass that approves and one that refuses, a
# destination-restricted key (ssh-add -h), a hedged (non-deterministic) signer, and hostile
# agents (fake-agent.mjs: garbage, oversized, truncated, wrong types, bad signatures,
# silence). Each: a message naming the cause and the fix, a non-zero exit, never a crash,
# nothing written.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

U1=eeeeeeee-8888-4888-8888-000000000001
U2=eeeeeeee-8888-4888-8888-000000000002
UTIL="node $CCLINK_TOP/tests/interop/ssh-agent-util.mjs"
AGENT_PIDS=""
# agent_start NAME [VAR=VALUE...]: a real ssh-agent on $T_DIR/NAME.sock, with the given
# environment (its askpass); sets SSH_AUTH_SOCK to it.
agent_start() {
	_n=$1
	shift
	rm -f "$T_DIR/$_n.sock"
	env "$@" ssh-agent -s -a "$T_DIR/$_n.sock" >"$T_DIR/$_n.env" || return 1
	_p=$(sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p' "$T_DIR/$_n.env")
	AGENT_PIDS="$AGENT_PIDS $_p"
	SSH_AUTH_SOCK=$T_DIR/$_n.sock
	export SSH_AUTH_SOCK
}
FAKE_PIDS=""
# fake_start MODE: node fake-agent.mjs on $T_DIR/fake-MODE.sock
fake_start() {
	node "$CCLINK_TOP/tests/interop/fake-agent.mjs" "$T_DIR/fake-$1.sock" "$1" "$T_DIR/k1.pub" \
		--parent-pid $$ >"$T_DIR/fake-$1.out" 2>&1 &
	FAKE_PIDS="$FAKE_PIDS $!"
	_i=0
	while ! grep -q READY "$T_DIR/fake-$1.out" 2>/dev/null && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
	grep -q READY "$T_DIR/fake-$1.out"
}
agents_stop() {
	for _p in $AGENT_PIDS $FAKE_PIDS; do kill "$_p" 2>/dev/null; done
	return 0
}
T_CLEANUP_HOOKS="agents_stop $T_CLEANUP_HOOKS"
# not_crashed DESC: the last run ended with a status below 128 (no signal, no sanitizer abort)
not_crashed() { if [ "$RC" -lt 128 ] && ! grep -q 'Sanitizer\|runtime error' "$T_DIR/err"; then ok "$1"; else not_ok "$1 (exit $RC)"; diag "$(head -c 2000 "$T_DIR/err")"; fi; }
# grep_err_f / grep_out_f DESC STRING: a fixed string (fingerprints hold + and /)
grep_err_f() { if grep -qF -- "$2" "$T_DIR/err"; then ok "$1"; else not_ok "$1"; diag "stderr: $(head -c 2000 "$T_DIR/err")"; fi; }
grep_out_f() { if grep -qF -- "$2" "$T_DIR/out"; then ok "$1"; else not_ok "$1"; diag "stdout: $(head -c 2000 "$T_DIR/out")"; fi; }
no_record() { check "$1" test ! -e "$T_DIR/$2/.pubky/agent_key"; }

if ! check "testnet starts" harness_start_testnet --nodes 8 ||
	! check "relay starts" harness_start_relay; then
	done_testing
	exit 1
fi
ssh-keygen -q -t ed25519 -N '' -C k1@test -f "$T_DIR/k1" || exit 1
ssh-keygen -q -t ed25519 -N '' -C k2@test -f "$T_DIR/k2" || exit 1
ssh-keygen -q -t ecdsa -N '' -C ec@test -f "$T_DIR/ec" || exit 1
ssh-keygen -q -t rsa -b 2048 -N '' -C rsa@test -f "$T_DIR/rsa" || exit 1
FP1=$(ssh-keygen -lf "$T_DIR/k1.pub" | cut -d' ' -f2)
FP2=$(ssh-keygen -lf "$T_DIR/k2.pub" | cut -d' ' -f2)
FPEC=$(ssh-keygen -lf "$T_DIR/ec.pub" | cut -d' ' -f2)
e2e_machine a b
mkdir -p "$T_DIR/a/proj"
P=$(cd "$T_DIR/a/proj" && pwd -P)
e2e_session "$T_DIR/a/.claude" "$P" "$U1"

# ---- usage ---------------------------------------------------------------------------------
expect_exit "init --agent with two selectors: exit 2" 2 as_a "$CCLINK" init --agent one two
grep_err "it names the extra argument" "unexpected argument 'two'"
expect_exit "init --agent --import: exit 2" 2 as_a "$CCLINK" init --agent --import "$T_DIR/x"
grep_err "it says --agent stores no key" '--agent stores no key'
no_record "nothing written" a

# ---- no agent ------------------------------------------------------------------------------
expect_exit "no SSH_AUTH_SOCK: init --agent exits 1" 1 env -u SSH_AUTH_SOCK HOME="$T_DIR/a" "$CCLINK" init --agent
grep_err "it says SSH_AUTH_SOCK is not set and how to start an agent" 'SSH_AUTH_SOCK is not set.*ssh-agent.*ssh-add.*ssh -A'
no_record "nothing written" a
expect_exit "a socket nobody listens on: exit 1" 1 env SSH_AUTH_SOCK="$T_DIR/nobody.sock" HOME="$T_DIR/a" "$CCLINK" init --agent
grep_err "it names the socket and asks whether the agent runs" "cannot reach the ssh-agent at $T_DIR/nobody.sock .*is it running"

# ---- key types -------------------------------------------------------------------------------
check "a real ssh-agent" agent_start main
expect_exit "an empty agent: exit 1" 1 as_a "$CCLINK" init --agent
grep_err "it says the agent holds no keys" 'holds no keys, or it is locked'
ssh-add -q "$T_DIR/ec" "$T_DIR/rsa" 2>/dev/null
expect_exit "only ECDSA and RSA keys: exit 1" 1 as_a "$CCLINK" init --agent
grep_err "it says an ssh-ed25519 key is needed" 'holds no ssh-ed25519 key'
grep_err_f "it lists the keys it saw" "$FPEC  ecdsa-sha2-nistp256  ec@test  (not usable)"
expect_exit "naming the ECDSA key: exit 2" 2 as_a "$CCLINK" init --agent ec@test
grep_err_f "an ECDSA key is refused by name, with why" "$FPEC (ecdsa-sha2-nistp256) is an ECDSA key: ECDSA signatures are randomized"
expect_exit "naming the RSA key by fingerprint: exit 2" 2 as_a "$CCLINK" init --agent \
	"$(ssh-keygen -lf "$T_DIR/rsa.pub" | cut -d' ' -f2)"
grep_err "an RSA key is refused" 'is an RSA/DSA key.*needs a plain ssh-ed25519 key'
no_record "nothing written" a

# sk- (FIDO) keys need a security key to exist: the fake agent lists one built from k1's bytes.
check "fake agent listing an sk-ssh-ed25519 key" fake_start sk
expect_exit "naming the sk- key: exit 2" 2 env SSH_AUTH_SOCK="$T_DIR/fake-sk.sock" HOME="$T_DIR/a" "$CCLINK" init --agent fido@key
grep_err "an sk- key is refused with why" 'sk-ssh-ed25519@openssh.com\) is a FIDO security-key \(sk-\) key: its signatures carry a counter'

# ---- several ed25519 keys ------------------------------------------------------------------
ssh-add -q "$T_DIR/k1" "$T_DIR/k2"
expect_exit "two ed25519 keys, none named, no terminal: exit 2" 2 as_a "$CCLINK" init --agent
grep_err "it asks to name one" 'several ssh-ed25519 keys; name one'
grep_err_f "the list has the first key" "$FP1  ssh-ed25519  k1@test"
grep_err_f "the list has the second key" "$FP2  ssh-ed25519  k2@test"
no_record "nothing written" a
on_dialog a 'Choose 1-2' 2 -- "$CCLINK" init --agent >"$T_DIR/tty.out" 2>&1
check "on a terminal it asks, and the answer picks k2" grep -qF "Agent key: $FP2 k2@test" "$T_DIR/tty.out"
expect_exit "a selector that matches nothing: exit 2" 2 as_b "$CCLINK" init --agent nobody@nowhere
grep_err "it lists what the agent holds" "no key in the ssh-agent has the fingerprint or comment 'nobody@nowhere'"
expect_exit "an agent identity already recorded is kept without -y" 1 as_a "$CCLINK" init --agent k1@test
grep_err "it says so" 'already recorded.*use -y'
expect_exit "-y replaces it" 0 as_a "$CCLINK" init --agent k1@test -y
grep_out_f "now k1" "Agent key: $FP1 k1@test"

# ---- locked agent, removed key ---------------------------------------------------------------
expect_exit "A publishes (agent unlocked)" 0 as_a -C "$P" "$CCLINK" publish "$U1"
# The agent derives another key than the one recorded at enrolment (another agent, a
# non-deterministic signer): refused, not a silent failure to decrypt.
cp "$T_DIR/a/.pubky/agent_key" "$T_DIR/agent_key.good"
{ head -n 1 "$T_DIR/agent_key.good"; echo age1wq59zdhv7ks2nh7zq7swwwk90xjg4hsw54tjeqydj40d8kqk2fgstump5z; } >"$T_DIR/a/.pubky/agent_key"
expect_exit "pickup when the agent derives another key: exit 5" 5 on_term a "$CCLINK" pickup -y
grep_err "it says the agent derived another key" 'derived another decryption key than at enrolment'
printf 'garbage\n' >"$T_DIR/a/.pubky/agent_key"
expect_exit "a damaged agent_key: exit 1" 1 as_a "$CCLINK" whoami
grep_err "it says the record is damaged and how to fix it" "agent identity record .* is damaged: run 'cclink init --agent' again"
cp "$T_DIR/agent_key.good" "$T_DIR/a/.pubky/agent_key"
printf '#!/bin/sh\necho lock-pass\n' >"$T_DIR/lockpass"
chmod 755 "$T_DIR/lockpass"
check "ssh-add -x locks the agent" env SSH_ASKPASS="$T_DIR/lockpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 ssh-add -x </dev/null
expect_exit "publish with a locked agent: exit 1" 1 as_a -C "$P" "$CCLINK" publish "$U1"
grep_err "it says the agent is locked and how to unlock it" "locked: unlock it with 'ssh-add -X'"
expect_exit "whoami needs no agent" 0 as_a "$CCLINK" whoami
expect_exit "pickup with a locked agent: exit 1" 1 on_term a "$CCLINK" pickup -y
grep_err "pickup says the agent is locked" "locked: unlock it with 'ssh-add -X'"
check "ssh-add -X unlocks" env SSH_ASKPASS="$T_DIR/lockpass" SSH_ASKPASS_REQUIRE=force DISPLAY=:0 ssh-add -X </dev/null
check "ssh-add -d removes k1" ssh-add -q -d "$T_DIR/k1.pub"
expect_exit "publish after the key left the agent: exit 1" 1 as_a -C "$P" "$CCLINK" publish "$U1"
grep_err_f "it names the key and says to ssh-add it" "the key $FP1 is no longer in the ssh-agent: add it again with ssh-add"
expect_exit "pickup after the key left the agent: exit 1" 1 on_term a "$CCLINK" pickup -y
grep_err_f "the same message on pickup" "$FP1 is no longer in the ssh-agent"

# ---- confirm keys (ssh-add -c) ---------------------------------------------------------------
cat >"$T_DIR/approve" <<EOF
#!/bin/sh
printf x >>"$T_DIR/approve.log"
exit 0
EOF
printf '#!/bin/sh\nexit 1\n' >"$T_DIR/refuse"
chmod 755 "$T_DIR/approve" "$T_DIR/refuse"
check "an agent whose askpass approves" agent_start yes SSH_ASKPASS="$T_DIR/approve" SSH_ASKPASS_REQUIRE=force DISPLAY=:0
check "ssh-add -c k1" ssh-add -q -c "$T_DIR/k1"
expect_exit "init --agent with a confirm key, approved" 0 as_a "$CCLINK" init --agent -y
is "the agent asked twice (two derivation signatures)" "$(wc -c <"$T_DIR/approve.log" | tr -d ' ')" 2
expect_exit "publish with the confirm key, approved" 0 as_a -C "$P" "$CCLINK" publish "$U1"
is "two more confirmations (record and packet)" "$(wc -c <"$T_DIR/approve.log" | tr -d ' ')" 4
e2e_session "$T_DIR/a/.claude" "$P" "$U1"
claude_reset a
expect_exit "pickup with the confirm key, approved" 0 on_term a "$CCLINK" pickup -y
is "claude resumed" "$(claude_field a argv)" "--resume $U1"
check "an agent whose askpass refuses" agent_start no SSH_ASKPASS="$T_DIR/refuse" SSH_ASKPASS_REQUIRE=force DISPLAY=:0
check "ssh-add -c k1 there" ssh-add -q -c "$T_DIR/k1"
expect_exit "publish with the confirmation refused: exit 1" 1 as_a -C "$P" "$CCLINK" publish "$U1"
grep_err_f "it says the agent refused, and names ssh-add -c" "refused to sign with $FP1. If the key was added with confirmation (ssh-add -c)"
expect_exit "init --agent with the confirmation refused: exit 1" 1 as_b "$CCLINK" init --agent
grep_err "init says the same" 'refused to sign.*ssh-add -c'
no_record "nothing written" b

# ---- destination-restricted key (ssh-add -h) -------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -f "$T_DIR/hostkey" || exit 1
printf 'example.org %s\n' "$(cat "$T_DIR/hostkey.pub")" >"$T_DIR/kh"
check "an agent with a destination-restricted key" agent_start restricted
check "ssh-add -h example.org k1" ssh-add -q -H "$T_DIR/kh" -h example.org "$T_DIR/k1"
expect_exit "init --agent with a restricted key: exit 1" 1 as_b "$CCLINK" init --agent
grep_err "it names ssh-add -h and the fix" 'destination-restricted \(ssh-add -h\), cclink cannot use it: add it again without -h'
expect_exit "publish with a restricted key: exit 1" 1 as_a -C "$P" "$CCLINK" publish "$U1"
grep_err "publish says the same" 'destination-restricted'

# ---- hostile agents ----------------------------------------------------------------------
for mode in garbage oversized big-length truncated close big-count huge-blob trailing wrong-type failure sig-type bad-sig; do
	if ! fake_start "$mode"; then not_ok "fake agent $mode starts"; continue; fi
	expect_exit "fake agent '$mode': init --agent exits 1" 1 env SSH_AUTH_SOCK="$T_DIR/fake-$mode.sock" HOME="$T_DIR/b" "$CCLINK" init --agent
	not_crashed "fake agent '$mode': no crash"
	case $mode in
	failure) grep_err "'$mode': the agent refused" 'refused to sign|holds no keys' ;;
	bad-sig) grep_err "'$mode': the signature does not verify" 'returned a signature that does not verify' ;;
	close) grep_err "'$mode': the agent closed the connection" 'closed the connection' ;;
	*) grep_err "'$mode': malformed or oversized reply" 'malformed or oversized reply|closed the connection' ;;
	esac
	no_record "'$mode': nothing written" b
	# An enrolled identity (A, k1) signing through the hostile agent.
	expect_exit "fake agent '$mode': publish exits 1" 1 env SSH_AUTH_SOCK="$T_DIR/fake-$mode.sock" HOME="$T_DIR/a" sh -c "cd '$P' && '$CCLINK' publish $U2"
	not_crashed "fake agent '$mode': publish does not crash"
done
# A hedged signer: valid signatures (stock ssh-keygen -Y check-novalidate accepts them), but
# two signatures of one message differ, so no stable key can be derived from them.
$UTIL seed "$T_DIR/k1" >"$T_DIR/k1.seed"
check "fake agent signing with randomized (hedged) Ed25519" fake_start hedged
check "its signatures are valid (ssh-keygen -Y sign through it, then check)" sh -c '
	SSH_AUTH_SOCK="$1/fake-hedged.sock" ssh-keygen -q -Y sign -n t -f "$1/k1.pub" "$1/k1.seed" &&
	ssh-keygen -q -Y check-novalidate -n t -f "$1/k1.pub" -s "$1/k1.seed.sig" <"$1/k1.seed" >/dev/null' sh "$T_DIR"
expect_exit "a hedged signer: init --agent exits 1" 1 env SSH_AUTH_SOCK="$T_DIR/fake-hedged.sock" HOME="$T_DIR/b" "$CCLINK" init --agent
grep_err "it says the two signatures differ" 'signed the same message twice .* and the signatures differ'
no_record "nothing written" b
check "a silent agent" fake_start silent
expect_exit "a silent agent: init --agent gives up (exit 1)" 1 env SSH_AUTH_SOCK="$T_DIR/fake-silent.sock" HOME="$T_DIR/b" "$CCLINK" init --agent
grep_err "it says the agent did not answer in time" 'did not answer in time'
done_testing
