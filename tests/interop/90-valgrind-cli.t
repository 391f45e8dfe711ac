#!/bin/sh
# SPDX-License-Identifier: MIT
# valgrind memcheck over the real cclink: a representative run of every command against the
# loopback testnet and relay (init, whoami, publish in every mode, list, resolve, pickup
# --json/--print/-y, burn, revoke; an ssh-agent identity with a rotated epoch), the same commands with no network at all (the path where
# publish/revoke once read a transport report that was never filled), and bad input.
# Each run goes through tests/valgrind/cclink-vg: exit 99 on any memcheck error, and a
# per-process report that must be empty. ASan builds (make sanitize) cannot run under
# valgrind: there this test is skipped, and plain make check runs it.
. "$(dirname "$0")/../cli/lib.sh"

if ldd "$CCLINK" 2>/dev/null | grep -q 'libasan'; then
	echo "1..0 # SKIP $CCLINK is an ASan build; valgrind runs in plain make check"
	exit 0
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	not_ok "valgrind is installed (Debian package valgrind; make deps installs it)"
	done_testing
	exit 1
fi
CCLINK_VG_REAL=$CCLINK
CCLINK_VG_LOGDIR=$T_DIR/vg
CCLINK=$CCLINK_TOP/tests/valgrind/cclink-vg
export CCLINK_VG_REAL CCLINK_VG_LOGDIR
mkdir -p "$CCLINK_VG_LOGDIR"

SEED_A=9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a
SEED_C=9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c
U1=99999999-0000-4000-8000-000000000001
U2=99999999-0000-4000-8000-000000000002

# memcheck_clean DESC: every report written so far is empty (and valgrind did run).
memcheck_clean() {
	_n=$(find "$CCLINK_VG_LOGDIR" -name 'vg.*.log' | wc -l)
	_bad=$(find "$CCLINK_VG_LOGDIR" -name 'vg.*.log' -size +0)
	if [ "$_n" -gt 0 ] && [ -z "$_bad" ]; then ok "$1 ($_n runs under memcheck, no errors)"; else
		not_ok "$1 ($_n runs under memcheck)"
		for _f in $_bad; do diag "$_f:" "$(head -c 4000 "$_f")"; done
	fi
}

e2e_machine a b c
mkdir -p "$T_DIR/a/proj"
P=$(cd "$T_DIR/a/proj" && pwd -P)
for m in a b c; do
	for u in "$U1" "$U2"; do e2e_session "$T_DIR/$m/.claude" "$P" "$u"; done
done

# ---- no network: bootstrap none, one relay on a closed port -------------------------------
expect_exit "--version" 0 "$CCLINK" --version
expect_exit "an unknown command: exit 2" 2 "$CCLINK" frobnicate
check "A imports a key" e2e_import a "$SEED_A"
check "B imports the same key" e2e_import b "$SEED_A"
check "C imports another" e2e_import c "$SEED_C"
expect_exit "whoami --json" 0 as_a "$CCLINK" whoami --json
ZA=$(harness_json .pubkey <"$T_DIR/out")
expect_exit "whoami (C)" 0 as_c "$CCLINK" whoami --json
ZC=$(harness_json .pubkey <"$T_DIR/out")
expect_exit "publish with no network: exit 1" 1 as_a -C "$P" env CCLINK_BOOTSTRAP=none \
	CCLINK_RELAYS=http://127.0.0.1:9 "$CCLINK" publish "$U1"
grep_err "the report names the relay that failed" 'relay http://127\.0\.0\.1:9: error'
grep_err "and that the DHT was not used" 'DHT: disabled'
expect_exit "revoke with no network: exit 1" 1 as_a env CCLINK_BOOTSTRAP=none \
	CCLINK_RELAYS=http://127.0.0.1:9 "$CCLINK" revoke -y
grep_err "revoke's report names the relay" 'relay http://127\.0\.0\.1:9: error'
memcheck_clean "memcheck: no network"

# ---- bad input ----------------------------------------------------------------------------
expect_exit "resolve of something that is not a key: exit 2" 2 as_a "$CCLINK" resolve pk:nope
mkdir -p "$T_DIR/c/.config/cclink"
printf 'bootstrap = \001\nrelays = nope\n' >"$T_DIR/c/.config/cclink/config"
expect_exit "a malformed config file: exit 2" 2 as_c "$CCLINK" list
rm -f "$T_DIR/c/.config/cclink/config"
printf 'zz not a key' >"$T_DIR/bad.key"
expect_exit "init --import of garbage: exit 1" 1 as_c "$CCLINK" init -y --no-passphrase --import "$T_DIR/bad.key"
memcheck_clean "memcheck: bad input"

# ---- the loopback testnet and relay ------------------------------------------------------
if ! check "testnet starts" harness_start_testnet --nodes 8 ||
	! check "relay starts" harness_start_relay; then
	done_testing
	exit 1
fi
expect_exit "publish (self)" 0 as_a -C "$P" "$CCLINK" publish "$U1"
expect_exit "list --json" 0 as_a "$CCLINK" list --json
expect_exit "resolve" 0 as_b "$CCLINK" resolve "pk:$ZA" -q
expect_exit "resolve --json -v" 0 as_b "$CCLINK" -v resolve --json "pk:$ZA"
expect_exit "pickup --json (same key on B)" 0 as_b "$CCLINK" pickup --json
json_is "  the session" .session_id "$U1"
expect_exit "pickup --print" 0 as_b "$CCLINK" pickup --print
claude_reset b
expect_exit "pickup -y resumes (fake claude, on a terminal)" 0 on_term b "$CCLINK" pickup -y
is "  claude resumed U1" "$(claude_field b argv)" "--resume $U1"
expect_exit "publish --share pk:C --json" 0 as_a -C "$P" "$CCLINK" publish "$U2" --share "pk:$ZC" --json
expect_exit "C picks up the shared record" 0 as_c "$CCLINK" pickup "pk:$ZA" --json
json_is "  C gets U2" .session_id "$U2"
expect_exit "B cannot decrypt it: exit 5" 5 as_b "$CCLINK" pickup --json
printf 'a long enough pin 1\n' >"$T_DIR/pin"
expect_exit "publish --pin-file" 0 as_a -C "$P" "$CCLINK" publish "$U1" --pin-file "$T_DIR/pin"
expect_exit "C picks up the PIN record" 0 as_c "$CCLINK" pickup "pk:$ZA" --pin-file "$T_DIR/pin" --json
json_is "  C gets U1" .session_id "$U1"
expect_exit "publish --burn" 0 as_a -C "$P" "$CCLINK" publish "$U2" --burn
expect_exit "pickup --json of the burn record burns it" 0 as_b "$CCLINK" pickup --json
expect_exit "the second pickup finds nothing: exit 3" 3 as_b "$CCLINK" pickup --json
expect_exit "publish again" 0 as_a -C "$P" "$CCLINK" publish "$U1" --ttl 1h
expect_exit "revoke -y" 0 as_a "$CCLINK" revoke -y
expect_exit "revoke --json: nothing left (exit 3)" 3 as_a "$CCLINK" revoke -y --json
memcheck_clean "memcheck: testnet and relay"

# ---- an ssh-agent identity: enrolment, a rotated epoch, its packets, following the epoch ----
AGENT_PID=""
agent_stop() { [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null; AGENT_PID=""; return 0; }
T_CLEANUP_HOOKS="agent_stop $T_CLEANUP_HOOKS"
if eval "$(ssh-agent -s -a "$T_DIR/agent.sock")" >/dev/null; then
	AGENT_PID=$SSH_AGENT_PID
	ssh-keygen -q -t ed25519 -N '' -C vg@agent -f "$T_DIR/vgk"
	ssh-add -q "$T_DIR/vgk"
	e2e_machine d e
	for m in d e; do e2e_session "$T_DIR/$m/.claude" "$P" "$U1"; done
	expect_exit "init --agent (E, epoch 0)" 0 on e "$CCLINK" init --agent
	expect_exit "init --agent --epoch 2 (D)" 0 on d "$CCLINK" init --agent --epoch 2
	expect_exit "whoami --json (agent)" 0 on d "$CCLINK" whoami --json
	expect_exit "publish (agent, epoch 2)" 0 on d -C "$P" "$CCLINK" publish "$U1"
	expect_exit "list --json (agent)" 0 on d "$CCLINK" list --json
	expect_exit "pickup --json at epoch 0 follows epoch 2" 0 on e "$CCLINK" pickup --json
	expect_exit "publish at epoch 0 over epoch 2 (warns)" 0 on e -C "$P" "$CCLINK" publish "$U1"
	expect_exit "revoke (agent)" 0 on d "$CCLINK" revoke -y
	memcheck_clean "memcheck: ssh-agent identity"
else
	not_ok "ssh-agent starts (openssh-client)"
fi

done_testing
