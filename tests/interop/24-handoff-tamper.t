#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end through ./cclink: records altered after signing (each signed field, the
# signature, a record signed by another key) published in a validly signed PKARR packet
# under the publisher's key must be refused with exit 6 and never reach claude; a project
# path too long for a PKARR packet is refused before anything is published.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

SEED=e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5
SEED_OTHER=f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6
U1=eeeeeeee-5555-4555-8555-000000000001
UL=eeeeeeee-5555-4555-8555-00000000000f

if ! check "testnet starts" harness_start_testnet --nodes 8 ||
	! check "relay starts" harness_start_relay; then
	done_testing
	exit 1
fi
e2e_machine a b
check "A imports the seed" e2e_import a "$SEED"
check "B imports the same seed" e2e_import b "$SEED"
ZA=$(e2e_pk a)
printf '%s' "$SEED_OTHER" >"$T_DIR/other.key"
chmod 600 "$T_DIR/other.key"
ZO=$(harness_compat loadkey "$T_DIR/other.key")
check "another key" test -n "$ZO" -a "$ZO" != "$ZA"
mkdir -p "$T_DIR/a/proj"
P=$(cd "$T_DIR/a/proj" && pwd -P)
e2e_session "$T_DIR/b/.claude" "$P" "$U1"
W=$T_DIR/w
mkdir -p "$W"

# publish_value FILE: publish FILE's content as the _cclink TXT of A's packet (validly signed
# by A), straight to the testnet with the independent KRPC client.
publish_value() {
	harness_krpc publish --seed "$SEED" --txt-file "_cclink=$1" --ttl 86400 >"$W/krpc.out" 2>&1 ||
		{ diag "krpc publish: $(cat "$W/krpc.out")"; return 1; }
}
# tamper FIELD: print the record in $W/good with FIELD changed, signature untouched.
tamper() {
	node -e '
const fs = require("fs")
const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"))
const f = process.argv[2]
const flip = (s, i) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1)
switch (f) {
case "blob": r.blob = flip(r.blob, 120); break
case "burn": r.burn = true; break
case "created_at": r.created_at += 1; break
case "hostname": r.hostname = "evil-host"; break
case "pin_salt": r.pin_salt = Buffer.alloc(32, 7).toString("base64"); break
case "project": r.project = "/tmp/evil"; break
case "pubkey": r.pubkey = process.argv[3]; break
case "recipient": r.recipient = process.argv[3]; break
case "ttl": r.ttl += 1; break
case "signature": { const s = Buffer.from(r.signature, "base64"); s[10] ^= 1; r.signature = s.toString("base64"); break }
default: process.exit(2)
}
process.stdout.write(JSON.stringify(r))' "$W/good" "$1" "$ZO"
}

# ---- 8. tampered records --------------------------------------------------------------------
expect_exit "the JS tool builds a self record under A's key" 0 harness_compat record --seed "$SEED" --session "$U1" --project "$P" --hostname host-a --out "$W/good"
check "publish the untampered record in A's packet" publish_value "$W/good"
claude_reset b
expect_exit "control: the untampered record is picked up" 0 on_term b "$CCLINK" pickup -y
is "control: claude resumed U1" "$(claude_field b argv)" "--resume $U1"
is "control: in the project" "$(claude_field b cwd)" "$P"
for f in blob burn created_at hostname pin_salt project pubkey recipient ttl signature; do
	tamper "$f" >"$W/bad-$f"
	if cmp -s "$W/good" "$W/bad-$f" || [ ! -s "$W/bad-$f" ]; then
		not_ok "tampered $f: the record was changed"
		continue
	fi
	check "tampered $f: published in A's packet" publish_value "$W/bad-$f"
	claude_reset b
	expect_exit "tampered $f: pickup -> exit 6" 6 as_b "$CCLINK" pickup -y
	if [ "$f" = pubkey ]; then
		grep_err "tampered $f: the message says it names another key" 'names another key as its publisher'
	else
		grep_err "tampered $f: the message says the signature is invalid" 'has an invalid signature: refusing it'
	fi
	no_claude "tampered $f: no claude" b
done
expect_exit "tampered ttl: pickup --json -> exit 6 too" 6 as_b "$CCLINK" pickup --json
check "tampered ttl: --json printed nothing" test ! -s "$T_DIR/out"
expect_exit "tampered ttl: list -> exit 6" 6 as_a "$CCLINK" list

expect_exit "the JS tool: a record signed by another key, naming it" 0 harness_compat record --seed "$SEED_OTHER" --session "$U1" --project "$P" --out "$W/other"
check "published in A's packet" publish_value "$W/other"
claude_reset b
expect_exit "another key's record under A: pickup -> exit 6" 6 as_b "$CCLINK" pickup -y
grep_err "the message says it names another key" 'names another key as its publisher'
no_claude "another key's record: no claude" b
printf '%s' "$(head -c 200 "$W/good")" >"$W/truncated"
check "a truncated record published in A's packet" publish_value "$W/truncated"
expect_exit "truncated record: pickup -> exit 6" 6 as_b "$CCLINK" pickup -y
grep_err "the message says malformed" 'is malformed'
no_claude "truncated record: no claude" b

# ---- the other records of the packet survive publish and revoke -------------------------------
quiet() { "$@" >"$W/quiet.out" 2>&1 || { diag "$(cat "$W/quiet.out")"; return 1; }; }
check "a packet with other records (TXT _other, A www) under A's key" quiet harness_krpc publish --seed "$SEED" --txt "_other=keep me" --a www=10.1.2.3 --ttl 300
expect_exit "A publishes" 0 as_a -C "$P" "$CCLINK" publish "$U1"
expect_exit "resolve" 0 as_a "$CCLINK" resolve "pk:$ZA"
grep_out "publish kept the TXT record" '^  _other	TXT	300	keep me'
grep_out "publish kept the A record" '^  www	A	300	10\.1\.2\.3'
grep_out "and added _cclink" '^  _cclink	TXT	86400	\{"blob"'
expect_exit "A revokes" 0 as_a "$CCLINK" revoke -y
expect_exit "resolve" 0 as_a "$CCLINK" resolve "pk:$ZA"
grep_out "revoke kept the TXT record" '^  _other	TXT	300	keep me'
grep_out "revoke kept the A record" '^  www	A	300	10\.1\.2\.3'
if grep -q _cclink "$T_DIR/out"; then not_ok "revoke removed _cclink"; else ok "revoke removed _cclink"; fi

# ---- 9. a project path too long for the packet ------------------------------------------------
expect_exit "A publishes a normal record" 0 as_a -C "$P" "$CCLINK" publish "$U1"
expect_exit "resolve --json" 0 as_a "$CCLINK" resolve --json "pk:$ZA"
BEFORE=$(harness_json .timestamp_us <"$T_DIR/out")
LONG=$P
i=0
while [ $i -lt 14 ]; do
	LONG=$LONG/nested-directory-level-$i-with-a-rather-long-name-x
	i=$((i + 1))
done
mkdir -p "$LONG"
check "the project path is over 700 bytes (${#LONG})" test "${#LONG}" -gt 700
F=$(e2e_folder "$LONG")
F=$(printf '%s' "$F" | cut -c1-200)-1a2b3c
mkdir -p "$T_DIR/a/.claude/projects/$F"
printf '{"type":"user","cwd":"%s","sessionId":"%s","message":{"role":"user","content":"x"}}\n' "$LONG" "$UL" \
	>"$T_DIR/a/.claude/projects/$F/$UL.jsonl"
expect_exit "publish from the long path fails" 1 as_a -C "$LONG" "$CCLINK" publish
grep_err "the long-path session was found" "Session $UL"
grep_err "the message names the size" 'the record would be [0-9]+ bytes, but at most [0-9]+ fit'
grep_err "the message names the path" "project path \\(${#LONG} bytes\\) is too long"
expect_exit "resolve --json afterwards" 0 as_a "$CCLINK" resolve --json "pk:$ZA"
is "nothing new was published" "$(harness_json .timestamp_us <"$T_DIR/out")" "$BEFORE"
expect_exit "the explicit id fails the same way" 1 as_a -C "$LONG" "$CCLINK" publish "$UL"
grep_err "explicit id: the message names the path" 'project path .* is too long'
expect_exit "resolve --json again" 0 as_a "$CCLINK" resolve --json "pk:$ZA"
is "still nothing new" "$(harness_json .timestamp_us <"$T_DIR/out")" "$BEFORE"

done_testing
