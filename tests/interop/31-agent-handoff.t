#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end with an ssh-agent identity: a real `ssh-agent -a SOCKET`, keys made by
# ssh-keygen and added with ssh-add. init --agent on two machines sharing the agent (same
# key, same derived X25519 key as stock `ssh-keygen -Y sign` reproduces), publish (both
# signatures by the agent, `_cclink-key` in the packet, self record to the derived AND the
# converted key, which the JS 1.3 implementation opens with the seed), pickup, the derived
# key across agent restarts, --share to an agent identity through its `_cclink-key`, revoke
# keeps `_cclink-key`, pickup trying the other identity of the machine.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

U1=dddddddd-7777-4777-8777-000000000001
U2=dddddddd-7777-4777-8777-000000000002
U3=dddddddd-7777-4777-8777-000000000003
U4=dddddddd-7777-4777-8777-000000000004
SEED_C=7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c
UTIL="node $CCLINK_TOP/tests/interop/ssh-agent-util.mjs"

AGENT_PID=""
agent_start() {
	eval "$(ssh-agent -s -a "$T_DIR/agent.sock")" >/dev/null || return 1
	AGENT_PID=$SSH_AGENT_PID
}
agent_stop() {
	if [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null; then
		# Wait: an exiting agent unlinks its socket path, even if a new agent owns it by then.
		_i=0
		while kill -0 "$AGENT_PID" 2>/dev/null && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	fi
	AGENT_PID=""
	rm -f "$T_DIR/agent.sock"
	return 0
}
T_CLEANUP_HOOKS="agent_stop $T_CLEANUP_HOOKS"

if ! check "testnet starts" harness_start_testnet --nodes 8 ||
	! check "relay starts" harness_start_relay ||
	! check "ssh-agent starts" agent_start; then
	done_testing
	exit 1
fi
ssh-keygen -q -t ed25519 -N '' -C k1@agent-test -f "$T_DIR/k1" || exit 1
check "ssh-add the ed25519 key" ssh-add -q "$T_DIR/k1"
ZK=$($UTIL z32 "$T_DIR/k1.pub")
e2e_machine a b c d
mkdir -p "$T_DIR/a/proj"
P=$(cd "$T_DIR/a/proj" && pwd -P)

# ---- enrolment on two machines sharing the agent -------------------------------------------
expect_exit "A: init --agent (the agent's only ed25519 key)" 0 as_a "$CCLINK" init --agent
grep_out "init prints the key's PKARR form" "^Public Key: pk:$ZK\$"
FP=$(ssh-keygen -lf "$T_DIR/k1.pub" | cut -d' ' -f2)
check "init names the agent key by its SHA256 fingerprint" grep -qxF "Agent key: $FP k1@agent-test" "$T_DIR/out"
XA=$(sed -n 's/^Decryption key: \(age1[a-z0-9]*\) .*/\1/p' "$T_DIR/out")
check "init prints the derived age recipient" test -n "$XA"
check "no secret in the key store" test ! -e "$T_DIR/a/.pubky/secret_key"
is "the record holds the public key and the recipient only" \
	"$(cat "$T_DIR/a/.pubky/agent_key")" "$(cut -d' ' -f1,2 "$T_DIR/k1.pub")
$XA"
# The derivation follows cclink-agent-x25519-v1 exactly: stock ssh-keygen -Y sign through the
# same agent, and an independent HKDF/X25519 (node:crypto), give the same recipient.
$UTIL message "$T_DIR/k1.pub" 0 >"$T_DIR/m"
check "ssh-keygen -Y sign signs the challenge through the agent" \
	ssh-keygen -q -Y sign -n cclink-x25519-v1@cclink -f "$T_DIR/k1.pub" "$T_DIR/m"
is "the derived key equals the stock-tool reproduction" "$($UTIL derive "$T_DIR/k1.pub" 0 "$T_DIR/m.sig")" "$XA"
expect_exit "B: init --agent by fingerprint" 0 as_b "$CCLINK" init --agent "$FP"
grep_out "B has the same public key" "^Public Key: pk:$ZK\$"
grep_out "B derives the same key" "^Decryption key: $XA "
expect_exit "whoami on A" 0 as_a "$CCLINK" whoami --json
json_is "whoami: the agent key is the identity" .pubkey "$ZK"

# ---- publish and pickup --------------------------------------------------------------------
e2e_session "$T_DIR/a/.claude" "$P" "$U1"
expect_exit "A publishes with the agent identity" 0 as_a -C "$P" "$CCLINK" publish "$U1"
grep_out "publish names the session" "^Session: $U1"
expect_exit "the oracle resolves the packet" 0 harness_krpc resolve "$ZK"
check "the packet carries _cclink-key with the derived recipient" \
	grep -q "_cclink-key[^}]*v=1; x25519=$XA; epoch=0" "$T_DIR/out"
harness_krpc resolve "$ZK" --txt-out "$T_DIR/rec.json" >/dev/null 2>&1
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
const age = Buffer.from(r.blob, "base64").toString("latin1")
console.log((age.match(/^-> X25519 /mg) || []).length)' "$T_DIR/rec.json" >"$T_DIR/stanzas"
is "the self record is encrypted to two keys (derived, converted)" "$(cat "$T_DIR/stanzas")" 2
SEED_K=$($UTIL seed "$T_DIR/k1")
expect_exit "cclink 1.3 (JS) with the key's seed opens the record" 0 \
	harness_compat open --pubkey "$ZK" --seed "$SEED_K"
json_is "1.3 reads the session" .session_id "$U1"
expect_exit "the JS 1.3 verifies both agent signatures (no seed: --no-decrypt)" 0 \
	harness_compat open --pubkey "$ZK" --no-decrypt
e2e_session "$T_DIR/b/.claude" "$P" "$U1"
claude_reset b
expect_exit "B picks up through the agent-derived key" 0 on_term b "$CCLINK" pickup -y
is "claude resumes the session on B" "$(claude_field b argv)" "--resume $U1"
expect_exit "list on A decrypts its own record" 0 as_a "$CCLINK" list --json
json_is "list: session" .session_id "$U1"

# A longer project path: both stanzas do not fit next to _cclink-key; the derived one stays.
PL=$T_DIR/a/a-rather-long-project-directory-name/and-a-subdirectory-with-a-long-name
mkdir -p "$PL"
PL=$(cd "$PL" && pwd -P)
e2e_session "$T_DIR/a/.claude" "$PL" "$U4"
expect_exit "A publishes from a long path" 0 as_a -C "$PL" "$CCLINK" publish "$U4"
grep_err "it says the record is encrypted to the derived key only" 'encrypted to the agent-derived key only'
harness_krpc resolve "$ZK" --txt-out "$T_DIR/rec.json" >/dev/null 2>&1
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
console.log((Buffer.from(r.blob, "base64").toString("latin1").match(/^-> X25519 /mg) || []).length)' \
	"$T_DIR/rec.json" >"$T_DIR/stanzas"
is "one stanza" "$(cat "$T_DIR/stanzas")" 1
e2e_session "$T_DIR/b/.claude" "$PL" "$U4"
claude_reset b
expect_exit "B picks it up with the derived key" 0 on_term b "$CCLINK" pickup -y
is "claude resumes the long-path session" "$(claude_field b argv)" "--resume $U4"

# ---- the derived key survives agent restarts -------------------------------------------------
agent_stop
check "a new ssh-agent on the same socket" agent_start
check "the key is added again" ssh-add -q "$T_DIR/k1"
claude_reset b
expect_exit "B picks up after the agent restart" 0 on_term b "$CCLINK" pickup -y
is "same session" "$(claude_field b argv)" "--resume $U4"
expect_exit "init --agent again" 0 as_b "$CCLINK" init --agent k1@agent-test
grep_out "the derived key is the same after the restart" "^Decryption key: $XA "

# ---- --share to an agent identity through its _cclink-key ------------------------------------
check "C has a key file" e2e_import c "$SEED_C"
ZC=$(e2e_pk c)
mkdir -p "$T_DIR/c/proj"
PC=$(cd "$T_DIR/c/proj" && pwd -P)
e2e_session "$T_DIR/c/.claude" "$PC" "$U2"
expect_exit "C publishes --share pk:<agent identity>" 0 as_c -C "$PC" "$CCLINK" publish "$U2" --share "pk:$ZK"
harness_krpc resolve "$ZC" --txt-out "$T_DIR/rec2.json" >/dev/null 2>&1
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
console.log((Buffer.from(r.blob, "base64").toString("latin1").match(/^-> X25519 /mg) || []).length)' \
	"$T_DIR/rec2.json" >"$T_DIR/stanzas"
is "the share record has the recipient's converted and advertised keys" "$(cat "$T_DIR/stanzas")" 2
e2e_session "$T_DIR/b/.claude" "$PC" "$U2"
claude_reset b
expect_exit "B (agent only) picks up C's shared record" 0 on_term b "$CCLINK" pickup -y "pk:$ZC"
is "claude resumes C's session" "$(claude_field b argv)" "--resume $U2"
expect_exit "the seed of the key opens it too (1.3 compatible)" 0 \
	harness_compat open --pubkey "$ZC" --seed "$SEED_K"

# ---- burn and revoke keep _cclink-key ---------------------------------------------------------
e2e_session "$T_DIR/a/.claude" "$P" "$U3"
expect_exit "A publishes --burn" 0 as_a -C "$P" "$CCLINK" publish "$U3" --burn
e2e_session "$T_DIR/b/.claude" "$P" "$U3"
claude_reset b
expect_exit "B picks up and burns (the agent signs the revoking packet)" 0 on_term b "$CCLINK" pickup -y
grep_err "B says it burnt the record" 'Burnt'
expect_exit "the oracle resolves the burnt packet" 0 harness_krpc resolve "$ZK"
check "the burnt packet still advertises _cclink-key" grep -q "_cclink-key[^}]*x25519=$XA" "$T_DIR/out"
e2e_session "$T_DIR/a/.claude" "$P" "$U1"
expect_exit "A publishes again" 0 as_a -C "$P" "$CCLINK" publish "$U1"
expect_exit "A revokes" 0 as_a "$CCLINK" revoke -y
expect_exit "the oracle resolves the revoked packet" 0 harness_krpc resolve "$ZK"
check "the revoked packet still advertises _cclink-key" grep -q "_cclink-key[^}]*x25519=$XA" "$T_DIR/out"
check "and no longer has _cclink" sh -c '! grep -q "\"_cclink\"\|name\":\"_cclink\." "$1"' sh "$T_DIR/out"

# ---- pickup tries the other identity of the machine ------------------------------------------
# D holds a key file (seed of C) and then enrols the agent: the agent is active, but C's
# self record is still opened with the key file.
check "D imports C's seed" e2e_import d "$SEED_C"
expect_exit "D: init --agent" 0 on d "$CCLINK" init --agent
grep_err "init says the key file is kept" 'key file .* is kept'
e2e_session "$T_DIR/c/.claude" "$PC" "$U3"
expect_exit "C publishes a self record" 0 as_c -C "$PC" "$CCLINK" publish "$U3"
e2e_session "$T_DIR/d/.claude" "$PC" "$U3"
claude_reset d
expect_exit "D (agent active) picks up C's self record with its key file" 0 on_term d "$CCLINK" pickup -y "pk:$ZC"
is "claude resumes on D" "$(claude_field d argv)" "--resume $U3"
expect_exit "D's active identity is the agent" 0 on d "$CCLINK" whoami --json
json_is "whoami on D" .pubkey "$ZK"
json_is "whoami --json: kind agent" .kind agent
json_is "whoami --json: source ssh-agent" .source ssh-agent
json_is "whoami --json: the agent key's SHA256 fingerprint" .ssh_fingerprint "$FP"
json_is "whoami --json: the derived recipient first" '.age_recipients.0' "$XA"
expect_exit "--identity file picks D's key file" 0 on d "$CCLINK" --identity file whoami --json
json_is "the key file's key" .pubkey "$ZC"
expect_exit "--identity agent is the agent" 0 on d "$CCLINK" --identity agent whoami --json
json_is "the agent's key" .pubkey "$ZK"
expect_exit "whoami (text) names the source" 0 on d "$CCLINK" whoami
grep_out "Source: ssh-agent" '^Source: ssh-agent '
# and plain `init` puts a key file back in charge
expect_exit "D: init --no-passphrase -y replaces the agent identity" 0 on d "$CCLINK" init --no-passphrase -y
grep_err "init says the agent identity steps aside" "ssh-agent identity is no longer used"
check "the agent record is gone" test ! -e "$T_DIR/d/.pubky/agent_key"

# ---- a record encrypted only to the converted key: the agent cannot open it ------------------
e2e_session "$T_DIR/c/.claude" "$PC" "$U4"
expect_exit "publish with the 1.3 JS implementation: --share to the agent key (converted only)" 0 \
	harness_compat publish --seed "$SEED_C" --session "$U4" --share "$ZK" --bootstrap "$CCLINK_BOOTSTRAP"
claude_reset b
expect_exit "B (agent only) cannot decrypt it: exit 5" 5 on_term b "$CCLINK" pickup -y "pk:$ZC"
grep_err "B is told it cannot decrypt" 'cannot decrypt'
no_claude "no claude started" b

# ---- rotating the derived key: init --agent --epoch N --------------------------------------
U5=dddddddd-7777-4777-8777-000000000005
U6=dddddddd-7777-4777-8777-000000000006
expect_exit "A: init --agent --epoch 1" 0 as_a "$CCLINK" init --agent --epoch 1
X1=$(sed -n 's/^Decryption key: \(age1[a-z0-9]*\) .*/\1/p' "$T_DIR/out")
check "a new derived key, not the epoch-0 one" test -n "$X1" -a "$X1" != "$XA"
grep_out "init names the epoch" "^Decryption key: $X1 \(derived by the agent, epoch 1\)"
grep_err "init says the key was rotated and what that means" "rotated \(epoch 1, was 0\).*every machine"
is "the record gains an epoch line" "$(sed -n 3p "$T_DIR/a/.pubky/agent_key")" "epoch 1"
$UTIL message "$T_DIR/k1.pub" 1 >"$T_DIR/m1"
check "ssh-keygen -Y sign signs the epoch-1 challenge" \
	ssh-keygen -q -Y sign -n cclink-x25519-v1@cclink -f "$T_DIR/k1.pub" "$T_DIR/m1"
is "the epoch-1 key equals the stock-tool reproduction" "$($UTIL derive "$T_DIR/k1.pub" 1 "$T_DIR/m1.sig")" "$X1"
expect_exit "whoami --json on A" 0 as_a "$CCLINK" whoami --json
json_is "whoami: agent_epoch" .agent_epoch 1
json_is "whoami: the epoch-1 recipient first" '.age_recipients.0' "$X1"
expect_exit "init --agent again, without --epoch" 0 as_a "$CCLINK" init --agent
grep_out "keeps the rotated epoch" "^Decryption key: $X1 \(derived by the agent, epoch 1\)"
e2e_session "$T_DIR/a/.claude" "$P" "$U5"
expect_exit "A publishes at epoch 1" 0 as_a -C "$P" "$CCLINK" publish "$U5"
expect_exit "the oracle resolves it" 0 harness_krpc resolve "$ZK"
check "_cclink-key advertises the epoch-1 key" grep -q "_cclink-key[^}]*v=1; x25519=$X1; epoch=1" "$T_DIR/out"
# B still records epoch 0: its pickup of A's handoff (same key) follows the packet's epoch.
e2e_session "$T_DIR/b/.claude" "$P" "$U5"
claude_reset b
expect_exit "B (record at epoch 0) picks up the epoch-1 handoff" 0 on_term b "$CCLINK" pickup -y
is "claude resumes it on B" "$(claude_field b argv)" "--resume $U5"
grep_err "B says it followed the epoch and how to record it" "epoch 1; this machine records epoch 0.*init --agent --epoch 1"
is "B's record is unchanged" "$(wc -l <"$T_DIR/b/.pubky/agent_key")" 2
# A record shared by C to the agent identity now uses the epoch-1 key, which B cannot derive
# until it follows the rotation.
e2e_session "$T_DIR/c/.claude" "$PC" "$U6"
expect_exit "C publishes --share pk:<agent identity> (its _cclink-key says epoch 1)" 0 \
	as_c -C "$PC" "$CCLINK" publish "$U6" --share "pk:$ZK"
e2e_session "$T_DIR/b/.claude" "$PC" "$U6"
claude_reset b
expect_exit "B at epoch 0 cannot open C's record: exit 5" 5 on_term b "$CCLINK" pickup -y "pk:$ZC"
grep_err "it points to the rotation" "rotated on another machine.*init --agent --epoch N"
no_claude "no claude started" b
expect_exit "B: init --agent --epoch 1" 0 as_b "$CCLINK" init --agent --epoch 1
grep_out "B derives the same epoch-1 key" "^Decryption key: $X1 "
expect_exit "now B opens C's record" 0 on_term b "$CCLINK" pickup -y "pk:$ZC"
is "claude resumes C's session" "$(claude_field b argv)" "--resume $U6"
expect_exit "back to epoch 0 on A" 0 as_a "$CCLINK" init --agent --epoch 0
grep_out "epoch 0 gives the first key again" "^Decryption key: $XA \(derived by the agent, epoch 0\)"
is "epoch 0 writes the two-line record of earlier builds" "$(wc -l <"$T_DIR/a/.pubky/agent_key")" 2
# A, back at epoch 0, publishes over the epoch-1 packet: that undoes the rotation for
# sharers, and publish says so.
expect_exit "A (epoch 0) publishes over the epoch-1 packet" 0 as_a -C "$P" "$CCLINK" publish "$U5"
grep_err "it warns that the packet advertises the older key again" "last packet advertised the agent key of epoch 1.*records epoch 0.*init --agent --epoch 1"
expect_exit "A publishes again at epoch 0" 0 as_a -C "$P" "$CCLINK" publish "$U5"
check "no warning when the epoch did not go back" sh -c "! grep -q 'last packet advertised' '$T_DIR/err'"
# The largest epoch init accepts is one _cclink-key can carry: B follows it.
U7=dddddddd-7777-4777-8777-000000000007
expect_exit "A: init --agent --epoch 999999999" 0 as_a "$CCLINK" init --agent --epoch 999999999
XM=$(sed -n 's/^Decryption key: \(age1[a-z0-9]*\) .*/\1/p' "$T_DIR/out")
e2e_session "$T_DIR/a/.claude" "$P" "$U7"
expect_exit "A publishes at epoch 999999999" 0 as_a -C "$P" "$CCLINK" publish "$U7"
expect_exit "the oracle resolves it" 0 harness_krpc resolve "$ZK"
check "_cclink-key carries epoch 999999999" grep -q "_cclink-key[^}]*x25519=$XM; epoch=999999999" "$T_DIR/out"
e2e_session "$T_DIR/b/.claude" "$P" "$U7"
claude_reset b
expect_exit "B (epoch 1) follows epoch 999999999" 0 on_term b "$CCLINK" pickup -y
is "claude resumes it on B" "$(claude_field b argv)" "--resume $U7"
expect_exit "A: back to epoch 0" 0 as_a "$CCLINK" init --agent --epoch 0
# Bad values
expect_exit "--epoch without --agent: exit 2" 2 as_a "$CCLINK" init --epoch 1
grep_err "it says --epoch goes with --agent" "use it with --agent"
for v in -1 x 1.5 01 1000000000 4294967295 ''; do
	expect_exit "--epoch '$v': exit 2" 2 as_a "$CCLINK" init --agent --epoch "$v"
	grep_err "--epoch '$v': it names the range" "whole number from 0 to 999999999"
done
is "A's record is untouched by the refusals" "$(wc -l <"$T_DIR/a/.pubky/agent_key")" 2
printf 'epoch 1x\n' >>"$T_DIR/a/.pubky/agent_key"
expect_exit "a damaged epoch line: whoami fails (exit 1)" 1 as_a "$CCLINK" whoami
grep_err "it names the record and the fix" "agent_key.*damaged.*init --agent"
done_testing
