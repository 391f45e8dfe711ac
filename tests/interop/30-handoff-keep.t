#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end through ./cclink on a testnet whose nodes forget stored items after 15 s (and a
# relay that forgets after 15 s): publish --keep stays reachable through several expiry
# periods, without --keep it is gone with a clear message; republish restores it from the
# publisher's state copy; pickup refreshes a handoff only a relay still had; revoke, burn, a
# newer publish from another machine and a second --keep publish each stop the keeper; the
# keeper survives its terminal closing and holds no key (cmdline, environ, fds, maps, memory).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

SEED_K=f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1
SEED_N=f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2f2
SEED_E=f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4
SEED_R=f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3
U1=f1f1f1f1-2929-4929-8929-000000000001
U2=f1f1f1f1-2929-4929-8929-000000000002
EXPIRE=15
# Test-only knob: the keeper's interval in seconds (the real setting is at least 60 s).
CCLINK_TEST_KEEP_INTERVAL=4
export CCLINK_TEST_KEEP_INTERVAL

if ! check "testnet starts (items expire after ${EXPIRE}s)" harness_start_testnet --nodes 8 --expire "$EXPIRE" ||
	! check "a relay with a cache that forgets starts" harness_start_relay --forget "$EXPIRE" ||
	! check "a relay that never forgets starts" harness_start_relay --dht-off; then
	done_testing
	exit 1
fi
R1=${HARNESS_RELAYS%%,*}
R_BOTH=$HARNESS_RELAYS
CCLINK_RELAYS=$R1
export CCLINK_RELAYS

e2e_machine a b c n m r s e
for x in a b c; do check "$x imports key K" e2e_import "$x" "$SEED_K"; done
for x in n m; do check "$x imports key N" e2e_import "$x" "$SEED_N"; done
for x in r s; do check "$x imports key R" e2e_import "$x" "$SEED_R"; done
check "e imports key E" e2e_import e "$SEED_E"
ZK=$(e2e_pk a)
ZN=$(e2e_pk n)
ZR=$(e2e_pk r)
mkdir -p "$T_DIR/proj"
P=$(cd "$T_DIR/proj" && pwd -P)
for x in a b c n m r s e; do
	for u in "$U1" "$U2"; do e2e_session "$T_DIR/$x/.claude" "$P" "$u"; done
done
as_m() { on m "$@"; }
as_n() { on n "$@"; }
as_r() { on r "$@"; }
as_s() { on s "$@"; }
as_e() { on e "$@"; }
state() { printf '%s/%s/.local/state/cclink' "$T_DIR" "$1"; }
LOCK_K=$(state a)/keeper-$ZK.lock
LOG_K=$(state a)/keeper-$ZK.log

# Stop every keeper a test left behind (by the pid in its lock file).
stop_keepers() {
	for _l in "$T_DIR"/*/.local/state/cclink/keeper-*.lock; do
		[ -f "$_l" ] || continue
		_p=$(cat "$_l" 2>/dev/null)
		[ -n "$_p" ] && kill "$_p" 2>/dev/null
	done
	return 0
}
T_CLEANUP_HOOKS="stop_keepers $T_CLEANUP_HOOKS"

alive() { kill -0 "$1" 2>/dev/null; }
# gone PID LOCK: wait (up to 40 s) until the keeper has exited and its lock file is removed.
gone() {
	_i=0
	while [ $_i -lt 400 ]; do
		if ! alive "$1" && [ ! -e "$2" ]; then return 0; fi
		sleep 0.1
		_i=$((_i + 1))
	done
	diag "keeper $1 still running or lock $2 still there" "log: $(tail -n 5 "$LOG_K" 2>/dev/null)"
	return 1
}
# keepers_of Z32: how many processes run as the keeper of that key.
keepers_of() {
	_n=0
	for _c in /proc/[0-9]*/cmdline; do
		if { tr '\0' ' ' <"$_c"; } 2>/dev/null | grep -q "__keeper --ready-fd 3 pk:$1"; then _n=$((_n + 1)); fi
	done
	echo "$_n"
}
# keepers_settle Z32 N: the count of keepers_of once it is N, or after 15 s whatever it is then.
# A keeper asked to stop finishes the round it is in (resolve, then stop before its put), and
# under load that can take a moment; a keeper that never stops still fails the check.
keepers_settle() {
	_i=0
	while [ $_i -lt 150 ] && [ "$(keepers_of "$1")" != "$2" ]; do sleep 0.1; _i=$((_i + 1)); done
	keepers_of "$1"
}
json_field() { harness_json "$1" <"$T_DIR/out" 2>/dev/null; }

# ---- bad input ---------------------------------------------------------------------------
expect_exit "--keep and --no-keep together: usage error" 2 as_a -C "$P" "$CCLINK" publish "$U1" --keep --no-keep
grep_err "the error names both options" '--keep and --no-keep'
expect_exit "CCLINK_KEEP_INTERVAL below 60s is refused" 2 env CCLINK_KEEP_INTERVAL=10 "$CCLINK" list
grep_err "the error says at least 60s" 'CCLINK_KEEP_INTERVAL.*60s'
mkdir -p "$T_DIR/a/.config/cclink"
printf 'keep = maybe\n' >"$T_DIR/a/.config/cclink/config"
expect_exit "config keep = maybe is refused" 2 as_a "$CCLINK" list
grep_err "the error names the line" "config:1: invalid setting 'keep'"
rm "$T_DIR/a/.config/cclink/config"
expect_exit "the hidden keeper command refuses to run by hand" 2 as_a "$CCLINK" __keeper
expect_exit "the hidden keeper command refuses a bad key" 2 as_a "$CCLINK" __keeper pk:nope
grep_err "it says the key is bad" "'pk:nope' is not a public key"
expect_exit "republish with a bad key: usage error" 2 as_a "$CCLINK" republish pk:nope

# ---- publish: K with --keep, N without, R without (on a relay that never forgets) -------------
expect_exit "K: publish --keep" 0 as_a -C "$P" "$CCLINK" publish "$U1" --keep --json
KPID=$(json_field .keeper.pid)
check "K: publish --json names the keeper's pid ($KPID)" test -n "$KPID"
is "K: publish --json names the keeper's log" "$(json_field .keeper.log)" "$LOG_K"
check "K: the keeper runs" alive "${KPID:-0}"
is "K: its lock file holds its pid" "$(cat "$LOCK_K" 2>/dev/null)" "$KPID"
expect_exit "K: list --json" 0 as_a "$CCLINK" list --json
json_is "K: list shows the keeper running" .keeper.running true
json_is "K: list shows its pid" .keeper.pid "$KPID"
expect_exit "K: list" 0 as_a "$CCLINK" list
grep_out "K: list says it is kept" "Kept: +by a keeper \\(pid $KPID\\)"

expect_exit "N: publish without --keep" 0 as_n -C "$P" "$CCLINK" publish "$U1"
grep_out "N: publish says the DHT drops records and names --keep" 'drop records after about 2 hours; publish with --keep'
expect_exit "N: list shows no keeper" 0 as_n "$CCLINK" list --json
json_is "N: keeper.running is false" .keeper.running false
check "N: publish kept a copy of its packet" test -s "$(state n)/packet-$ZN"
CCLINK_RELAYS=$R_BOTH
expect_exit "R: publish without --keep, to both relays" 0 as_r -C "$P" "$CCLINK" publish "$U1"
CCLINK_RELAYS=$R1

expect_exit "E: publish with a 20s TTL" 0 as_e -C "$P" "$CCLINK" publish "$U1" --ttl 20

# ---- the keeper: detached, no terminal, no key ---------------------------------------------
KSID=$(awk '{print $6}' "/proc/$KPID/stat" 2>/dev/null)
is "keeper: it leads no session of ours (session is not the test's)" "$( [ "$KSID" != "$(awk '{print $6}' /proc/$$/stat)" ] && echo yes)" yes
is "keeper: no controlling terminal (tty_nr 0)" "$(awk '{print $7}' "/proc/$KPID/stat" 2>/dev/null)" 0
tr '\0' ' ' <"/proc/$KPID/cmdline" >"$T_DIR/cmdline" 2>/dev/null
check "keeper: cmdline is the hidden command and the public key" grep -q "__keeper --ready-fd 3 pk:$ZK" "$T_DIR/cmdline"
if grep -qi "$SEED_K\|secret_key\|passphrase" "$T_DIR/cmdline"; then not_ok "keeper: no key in cmdline"; else ok "keeper: no key in cmdline"; fi
if tr '\0' '\n' <"/proc/$KPID/environ" | grep -qi "$SEED_K"; then not_ok "keeper: no key in environ"; else ok "keeper: no key in environ"; fi
check "keeper: environ is readable (it holds no secret, so it is inspectable)" sh -c "tr '\\0' '\\n' </proc/$KPID/environ | grep -q '^HOME='"
ls -l "/proc/$KPID/fd/" >"$T_DIR/fds" 2>&1
check "keeper: its fds list" grep -q "keeper-$ZK.lock" "$T_DIR/fds"
if grep -q 'secret_key\|\.pubky\|\.seed' "$T_DIR/fds"; then
	not_ok "keeper: no key file open"
	diag "$(cat "$T_DIR/fds")"
else ok "keeper: no key file open"; fi
if grep -q 'secret_key\|\.pubky\|\.seed' "/proc/$KPID/maps"; then not_ok "keeper: no key file mapped"; else ok "keeper: no key file mapped"; fi
# Its memory: the seed (and so the 64-byte secret key, seed || pk) must not be anywhere in it;
# its public key must (a control that the scan reads the right memory).
memscan() {
	"$HARNESS_NODE" -e '
const fs = require("fs"); const [pid, hex] = process.argv.slice(1); const needle = Buffer.from(hex, "hex")
const fd = fs.openSync(`/proc/${pid}/mem`, "r"); let hits = 0
for (const line of fs.readFileSync(`/proc/${pid}/maps`, "utf8").split("\n")) {
  const m = /^([0-9a-f]+)-([0-9a-f]+) r/.exec(line); if (!m || /\[(vvar|vsyscall|vdso)\]/.test(line)) continue
  const lo = BigInt("0x" + m[1]), hi = BigInt("0x" + m[2])
  if (hi - lo > 268435456n) continue  // sanitizer shadow memory: reserved, not data
  for (let at = lo; at < hi; at += 1048576n) {
    const n = Number(hi - at < 1048576n ? hi - at : 1048576n); const b = Buffer.alloc(n + 32)
    let got = 0; try { got = fs.readSync(fd, b, 0, n, at) } catch { continue }
    if (b.subarray(0, got).indexOf(needle) >= 0) hits++
  }
}
process.stdout.write(String(hits) + "\n")' "$1" "$2"
}
PKHEX=$(cd "$HARNESS_DIR" && "$HARNESS_NODE" --input-type=module -e "import { parsePubkey } from './lib/keys.mjs'; process.stdout.write(parsePubkey(process.argv[1]).toString('hex'))" "$ZK")
HITS_PK=$(memscan "$KPID" "$PKHEX")
check "keeper: memory scan finds its public key (control: $HITS_PK hits)" test "${HITS_PK:-0}" -gt 0
is "keeper: the seed is nowhere in its memory" "$(memscan "$KPID" "$SEED_K")" 0

# ---- several expiry periods later ---------------------------------------------------------
diag "waiting $((EXPIRE * 3 + 5))s: three expiry periods of the testnet and the relay"
sleep $((EXPIRE * 3 + 5))
check "K: the keeper is still running" alive "$KPID"
check "K: the keeper logged its republishes" grep -q 'republished: DHT' "$LOG_K"
claude_reset b
expect_exit "K: pickup on b long after the DHT would have dropped it" 0 as_b "$CCLINK" pickup --json
json_is "K: b gets the session" .session_id "$U1"

expect_exit "N: pickup without --keep: nothing found (exit 3)" 3 as_m "$CCLINK" pickup
grep_err "N: says no relay has it" 'no relay has it either \(1 asked\)'
grep_err "N: mentions --keep and republish" 'without --keep.*cclink republish'
expect_exit "N: on the publishing machine pickup knows more" 3 as_n "$CCLINK" pickup
grep_err "N: when and with which TTL it was published, without --keep" 'This machine published it at .* with a TTL of 1d 0h .* without --keep'
expect_exit "N: republish restores it from the state copy" 0 as_n "$CCLINK" republish --json
json_is "N: republish took the local copy" .from 'local copy'
json_is "N: republish names the handoff's TTL" .ttl 86400
expect_exit "N: m picks it up after the republish" 0 as_m "$CCLINK" pickup --json
json_is "N: m gets the session" .session_id "$U1"

expect_exit "E: an expired handoff is never republished (exit 4)" 4 as_e "$CCLINK" republish
grep_err "E: republish says it expired" 'expired at .*not republishing it'
expect_exit "E: pickup on the publishing machine: nothing found (exit 3)" 3 as_e "$CCLINK" pickup
grep_err "E: pickup says when it was published, its TTL and that it expired" 'published it at .* with a TTL of 20s: it expired at'

# R: only the relay that never forgets still has it; pickup says so and stores it back.
CCLINK_RELAYS=$R_BOTH
expect_exit "R: pickup finds it on the relay" 0 as_s "$CCLINK" pickup --json
json_is "R: s gets the session" .session_id "$U1"
grep_err "R: pickup says only a relay still had it" 'only a relay still had this handoff'
CCLINK_RELAYS=$R1
on_dht() { _i=0; while [ $_i -lt 300 ]; do
	if CCLINK_RELAYS=none "$CCLINK" resolve "pk:$1" 2>/dev/null | grep -q '_cclink'; then return 0; fi
	sleep 0.1; _i=$((_i + 1)); done; return 1; }
check "R: the pickup stored it back on the DHT (found there with no relay)" on_dht "$ZR"

# ---- what stops a keeper -------------------------------------------------------------------
expect_exit "revoke on a" 0 as_a "$CCLINK" revoke -y
check "revoke: the keeper is gone, its lock file removed" gone "$KPID" "$LOCK_K"
expect_exit "revoke: list --json" 3 as_a "$CCLINK" list --json
json_is "revoke: list shows no keeper" .keeper.running false
expect_exit "republish after revoke stores the revoking packet, not the handoff" 0 as_a "$CCLINK" republish --json
json_is "republish after revoke: no handoff in it" .handoff false
expect_exit "after revoke and republish: pickup finds nothing (exit 3)" 3 as_b "$CCLINK" pickup
grep_err "after revoke: says it was revoked" 'revoked or burnt'

expect_exit "two --keep publishes: the first" 0 as_a -C "$P" "$CCLINK" publish "$U1" --keep --json
P1=$(json_field .keeper.pid)
expect_exit "two --keep publishes: the second" 0 as_a -C "$P" "$CCLINK" publish "$U2" --keep --json
P2=$(json_field .keeper.pid)
check "two --keep publishes: two different keepers were started ($P1, $P2)" test -n "$P1" -a -n "$P2" -a "$P1" != "$P2"
check "two --keep publishes: the first keeper is gone" gone "$P1" /nonexistent
check "two --keep publishes: the second runs" alive "$P2"
is "two --keep publishes: exactly one keeper for the key" "$(keepers_settle "$ZK" 1)" 1
is "two --keep publishes: the lock file holds the second" "$(cat "$LOCK_K" 2>/dev/null)" "$P2"

expect_exit "a newer publish from another machine (c, same key)" 0 as_c -C "$P" "$CCLINK" publish "$U1"
check "newer publish elsewhere: the keeper on a stops, its lock file removed" gone "$P2" "$LOCK_K"
grep -q 'a newer packet .* replaced ours' "$LOG_K" && ok "newer publish: the log says why" || not_ok "newer publish: the log says why"
is "newer publish: no keeper left" "$(keepers_settle "$ZK" 0)" 0

expect_exit "burn: publish --keep --burn" 0 as_a -C "$P" "$CCLINK" publish "$U2" --keep --burn --json
P3=$(json_field .keeper.pid)
claude_reset b
expect_exit "burn: b picks it up (and burns it)" 0 as_b "$CCLINK" pickup --json
grep_err "burn: b burnt it" 'Burnt'
check "burn: the keeper on a stops, its lock file removed" gone "${P3:-0}" "$LOCK_K"

# ---- the keeper survives its terminal closing ---------------------------------------------
(
	cd "$P" || exit 1
	HOME=$T_DIR/a XDG_CONFIG_HOME=$T_DIR/a/.config XDG_STATE_HOME=$T_DIR/a/.local/state
	export HOME XDG_CONFIG_HOME XDG_STATE_HOME
	exec setsid script -qfec "'$CCLINK' publish $U1 --keep --json >'$T_DIR/term.out'; sleep 120" \
		"$T_DIR/term.typescript" </dev/null >/dev/null 2>&1
) &
TERM_PID=$!
_i=0
while [ $_i -lt 150 ] && ! grep -q '"keeper":{' "$T_DIR/term.out" 2>/dev/null; do sleep 0.1; _i=$((_i + 1)); done
P4=$(harness_json .keeper.pid <"$T_DIR/term.out" 2>/dev/null)
check "terminal: publish --keep ran on a terminal (keeper $P4)" test -n "$P4"
SCRIPT_SID=$(awk '{print $6}' "/proc/$TERM_PID/stat" 2>/dev/null)
is "terminal: the keeper has no controlling terminal" "$(awk '{print $7}' "/proc/$P4/stat" 2>/dev/null)" 0
kill -HUP "-$SCRIPT_SID" 2>/dev/null
kill -KILL "-$SCRIPT_SID" 2>/dev/null
wait "$TERM_PID" 2>/dev/null
check "terminal: the terminal's session is gone" sh -c "! kill -0 $TERM_PID 2>/dev/null"
sleep 1
check "terminal: the keeper survived it" alive "$P4"
expect_exit "terminal: the keeper's handoff can be picked up" 0 as_b "$CCLINK" pickup --json
expect_exit "terminal: revoke" 0 as_a "$CCLINK" revoke -y
check "terminal: revoke stopped it" gone "$P4" "$LOCK_K"

# ---- keep = yes in the config, --no-keep ----------------------------------------------------
printf 'keep = yes\n' >"$T_DIR/a/.config/cclink/config"
expect_exit "config keep = yes: publish" 0 as_a -C "$P" "$CCLINK" publish "$U1" --json
P5=$(json_field .keeper.pid)
check "config keep = yes: a keeper started ($P5)" alive "${P5:-0}"
expect_exit "config keep = yes: publish --no-keep" 0 as_a -C "$P" "$CCLINK" publish "$U2" --no-keep --json
json_is "--no-keep: no keeper" .keeper null
check "--no-keep: the earlier keeper stopped, its lock file removed" gone "${P5:-0}" "$LOCK_K"
rm -f "$T_DIR/a/.config/cclink/config"
expect_exit "revoke at the end" 0 as_a "$CCLINK" revoke -y

# Under make sanitize the keepers are ASan builds: their reports land in their logs.
if grep -l 'Sanitizer\|runtime error' "$T_DIR"/*/.local/state/cclink/keeper-*.log >/dev/null 2>&1; then
	not_ok "no sanitizer report in any keeper log"
	diag "$(grep -h -A5 'Sanitizer\|runtime error' "$T_DIR"/*/.local/state/cclink/keeper-*.log | head -40)"
else ok "no sanitizer report in any keeper log"; fi

done_testing
