#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end through ./cclink, two machines with the same identity: publish (bare and
# `publish`), pickup (exec of claude, --json, --print), list, revoke; a missing transcript;
# pickup without a terminal; a transcript in another project's folder;
# claude missing from PATH; --wait; pickup over the relay only and over the DHT only.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

SEED=5e1f5e1f5e1f5e1f5e1f5e1f5e1f5e1f5e1f5e1f5e1f5e1f5e1f5e1f5e1f5e1f
U1=aaaaaaaa-1111-4111-8111-000000000001
U2=aaaaaaaa-1111-4111-8111-000000000002
U3=aaaaaaaa-1111-4111-8111-000000000003
U4=aaaaaaaa-1111-4111-8111-000000000004

if ! check "testnet starts" harness_start_testnet --nodes 8 ||
	! check "relay starts" harness_start_relay; then
	done_testing
	exit 1
fi
e2e_machine a b
check "A imports the seed" e2e_import a "$SEED"
check "B imports the same seed" e2e_import b "$SEED"
ZA=$(e2e_pk a)
is "A and B have the same public key" "$(e2e_pk b)" "$ZA"
mkdir -p "$T_DIR/a/proj"
P=$(cd "$T_DIR/a/proj" && pwd -P)
CA=$T_DIR/a/.claude
CB=$T_DIR/b/.claude

# ---- 1. self handoff --------------------------------------------------------------------
e2e_session "$CA" "$P" "$U1" '2 hours ago'
expect_exit "bare 'cclink' publishes the session of the current directory" 0 as_a -C "$P" "$CCLINK"
grep_out "publish names the session" "^Session: $U1"
grep_out "publish names the project" "^Project: $P\$"
# (The relay may answer 409 when cclink's own DHT put of the same packet reached the nodes
# between the relay's lookup and its put: bittorrent-dht refuses an identical re-put with 302.)
grep_out "publish reports DHT nodes and the relay" '^Published: DHT: 8 nodes queried, 8 answered, [0-8] stored; relays: [01] of 1 accepted'
check "the relay got the PUT" grep -Eq "PUT /$ZA -> (204|409)" "$HARNESS_RELAY_LOG"
grep_out "publish tells how to pick it up" 'cclink pickup'
e2e_session "$CB" "$P" "$U1"
claude_reset b
expect_exit "pickup -y on B" 0 on_term b -C "$T_DIR/b" "$CCLINK" pickup -y
check "pickup started claude" claude_ran b
is "claude got exactly --resume ID" "$(claude_field b argc) $(claude_field b argv)" "2 --resume $U1"
is "claude runs in the project directory" "$(claude_field b cwd)" "$P"
is "no CLAUDE_CONFIG_DIR invented" "$(claude_field b config_dir)" "(unset)"

e2e_session "$CA" "$P" "$U2"
expect_exit "'cclink publish' publishes the newest session" 0 as_a -C "$P" "$CCLINK" publish
grep_out "publish names the newer session" "^Session: $U2"
e2e_session "$CB" "$P" "$U2"
claude_reset b
expect_exit "pickup -y on B (second record)" 0 on_term b "$CCLINK" pickup -y
is "claude resumes the second session" "$(claude_field b argv)" "--resume $U2"
is "in the project directory" "$(claude_field b cwd)" "$P"

claude_reset b
expect_exit "pickup --json" 0 as_b "$CCLINK" pickup --json
json_is "--json: session_id" .session_id "$U2"
json_is "--json: project" .project "$P"
json_is "--json: pubkey" .pubkey "$ZA"
json_is "--json: mode" .mode self
json_is "--json: ttl 24h" .ttl 86400
json_is "--json: burn" .burn false
json_is "--json: local_project" .local_project "$P"
no_claude "--json does not launch claude" b
expect_exit "pickup --print" 0 as_b "$CCLINK" pickup --print
grep_out "--print: session" "^Session: $U2\$"
grep_out "--print: project" "^Project: $P\$"
grep_out "--print: publisher" "^Publisher: pk:$ZA\$"
no_claude "--print does not launch claude" b

expect_exit "list on A" 0 as_a "$CCLINK" list
grep_out "list shows the session" "Session: +$U2"
grep_out "list shows the project" "Project: +$P\$"
grep_out "list shows the mode" "Mode: +self"
expect_exit "list --json on B" 0 as_b "$CCLINK" list --json
json_is "list --json: active" .active true
json_is "list --json: session_id" .session_id "$U2"

expect_exit "revoke -y on A" 0 as_a "$CCLINK" revoke -y
grep_out "revoke says so" "^Revoked the handoff of pk:$ZA"
claude_reset b
expect_exit "pickup after revoke: exit 3" 3 as_b "$CCLINK" pickup -y
grep_err "pickup after revoke: the message says it was revoked" 'no active handoff.*revoked'
no_claude "pickup after revoke does not launch claude" b
expect_exit "list after revoke: exit 3" 3 as_a "$CCLINK" list
grep_out "list after revoke says so" "No active handoff for pk:$ZA"
expect_exit "resolve after revoke: a packet without _cclink" 0 as_b "$CCLINK" resolve "pk:$ZA"
if grep -q _cclink "$T_DIR/out"; then not_ok "the revoked packet holds no _cclink"; else ok "the revoked packet holds no _cclink"; fi
expect_exit "revoke again: nothing to revoke (exit 3)" 3 as_a "$CCLINK" revoke -y

# ---- 13. transcript missing on B: exit 8, no claude, no burn -----------------------------
e2e_session "$CA" "$P" "$U3"
expect_exit "publish --burn a session B does not have" 0 as_a -C "$P" "$CCLINK" publish "$U3" --burn
claude_reset b
expect_exit "pickup without the transcript: exit 8" 8 as_b "$CCLINK" pickup -y
grep_err "the message names the missing transcript" "$U3\\.jsonl.* is not on this machine"
no_claude "no claude without the transcript" b
expect_exit "not burnt: list still shows it" 0 as_a "$CCLINK" list --json
json_is "not burnt: still active" .active true
json_is "not burnt: the burn record" .session_id "$U3"
# ---- 13b. no terminal: refused before claude, nothing burnt --------------------------------
e2e_session "$CB" "$P" "$U3"
expect_exit "pickup -y with stdin and stdout not a terminal: exit 2" 2 as_b "$CCLINK" pickup -y
grep_err "the message says what to do" "claude needs a terminal.*standard input.*--tmux.*--print or --json"
no_claude "no claude without a terminal" b
expect_exit "stdout to a file (stdin a terminal): exit 2" 2 on_term b sh -c '"$0" pickup -y >"$1"' "$CCLINK" "$T_DIR/pickup.out"
grep_err "the message names standard output" "claude needs a terminal, but standard output is not one"
no_claude "no claude with stdout to a file" b
expect_exit "not burnt: still listed" 0 as_a "$CCLINK" list --json
json_is "not burnt by the refused pickups" .session_id "$U3"
rm -f "$CB/projects/$(e2e_folder "$P")/$U3.jsonl"

# ---- 13c. the transcript in another project's folder: claude --resume finds it there ------
mkdir -p "$CB/projects/-elsewhere"
cp "$CA/projects/$(e2e_folder "$P")/$U3.jsonl" "$CB/projects/-elsewhere/"
claude_reset b
expect_exit "transcript in another project's folder: picked up" 0 on_term b "$CCLINK" pickup -y
grep_err "the message says where it was found" "another project's folder: .*-elsewhere/$U3\\.jsonl"
is "claude resumes it in the project directory" "$(claude_field b cwd)" "$(cd "$P" && pwd -P)"
is "claude resumes the id" "$(claude_field b argv)" "--resume $U3"
expect_exit "and the burn record is burnt" 3 as_a "$CCLINK" list
rm -f "$CB/projects/-elsewhere/$U3.jsonl"
expect_exit "publish --burn it again" 0 as_a -C "$P" "$CCLINK" publish "$U3" --burn
claude_reset b

# ---- 14. claude not on PATH: exit 9, no burn --------------------------------------------
e2e_session "$CB" "$P" "$U3"
mkdir -p "$T_DIR/nobin"
expect_exit "claude not on PATH: exit 9" 9 as_b env PATH="$T_DIR/nobin" "$CCLINK" pickup -y
grep_err "the message says claude was not found" "'claude' was not found on PATH"
printf '#!/bin/sh\n' >"$T_DIR/nobin/claude"
chmod 644 "$T_DIR/nobin/claude"
expect_exit "a non-executable claude on PATH: exit 9" 9 as_b env PATH="$T_DIR/nobin" "$CCLINK" pickup -y
expect_exit "not burnt by the failed pickups" 0 as_a "$CCLINK" list
claude_reset b
expect_exit "with claude and the transcript the pickup works" 0 on_term b "$CCLINK" pickup -y
is "claude resumes the burn record's session" "$(claude_field b argv)" "--resume $U3"
expect_exit "and the record is burnt afterwards" 3 as_a "$CCLINK" list

# ---- 16. --wait ----------------------------------------------------------------------------
expect_exit "publish U1 again" 0 as_a -C "$P" "$CCLINK" publish "$U1"
claude_reset b
expect_exit "B picks it up (records the pickup time)" 0 on_term b "$CCLINK" pickup -y
is "B resumed U1" "$(claude_field b argv)" "--resume $U1"
expect_exit "--wait 2s: the handoff already picked up is not new (exit 3)" 3 as_b "$CCLINK" pickup --wait 2s --json
grep_err "--wait says nothing new came" 'no new handoff from pk:'
e2e_session "$CA" "$P" "$U4"
e2e_session "$CB" "$P" "$U4"
claude_reset b
T0=$(date +%s)
e2e_bg WPID as_b "$CCLINK" pickup --wait 20s --json >"$T_DIR/wait.out" 2>"$T_DIR/wait.err"
sleep 2
check "pickup --wait is still waiting before the publish" kill -0 "$WPID"
expect_exit "A publishes a new session" 0 as_a -C "$P" "$CCLINK" publish "$U4"
wait "$WPID"
WRC=$?
T1=$(date +%s)
is "pickup --wait exits 0" "$WRC" 0
is "pickup --wait returns the new record" "$(harness_json .session_id <"$T_DIR/wait.out")" "$U4"
check "pickup --wait returned well before its deadline ($((T1 - T0))s)" test $((T1 - T0)) -lt 15
no_claude "--wait --json does not launch claude" b
CT=$(harness_json .created_at <"$T_DIR/wait.out")
expect_exit "--wait --after an earlier time returns the current record at once" 0 as_b "$CCLINK" pickup --wait 10s --after $((CT - 1)) --json
json_is "--after: the current record" .session_id "$U4"
expect_exit "--wait 2s --after its own time: nothing newer (exit 3)" 3 as_b "$CCLINK" pickup --wait 2s --after "$CT" --json
expect_exit "--after without --wait: exit 2" 2 as_b "$CCLINK" pickup --after "$CT" --json

# ---- --tmux: the exec goes through tmux (a fake one that records its argv) ----------------------
cat >"$T_DIR/b/bin/tmux" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>"$T_DIR/b/tmux.log"
[ "\$1" != has-session ]
EOF
chmod 755 "$T_DIR/b/bin/tmux"
# The session: cclink-<first 8 of the id>-<16 hex of SHA-256(id NUL directory)>.
KEY=$(printf '%s\000%s' "$U4" "$P" | sha256sum | cut -c1-64)
NAME=cclink-${U4%%-*}-$(printf '%s' "$KEY" | cut -c1-16)
claude_reset b
expect_exit "pickup --tmux -y outside tmux" 0 as_b env -u TMUX "$CCLINK" pickup --tmux -y
is "tmux has-session, then new-session -A named after the id and the directory" \
	"$(tr '\n' '|' <"$T_DIR/b/tmux.log")" \
	"has-session -t =$NAME|new-session -A -s $NAME -e CCLINK_RESUME=$KEY -- $T_DIR/b/bin/claude --resume $U4|"
no_claude "claude itself is left to tmux" b
rm -f "$T_DIR/b/tmux.log"
expect_exit "pickup --tmux -y inside tmux" 0 as_b env TMUX=/tmp/fake-tmux,1,0 "$CCLINK" pickup --tmux -y
is "inside tmux: has-session, new-session -d, switch-client" "$(tr '\n' '|' <"$T_DIR/b/tmux.log")" \
	"has-session -t =$NAME|new-session -d -s $NAME -e CCLINK_RESUME=$KEY -- $T_DIR/b/bin/claude --resume $U4|switch-client -t =$NAME|"
rm -f "$T_DIR/b/bin/tmux" "$T_DIR/b/tmux.log"
claude_reset b
expect_exit "pickup --tmux -y without tmux installed" 0 as_b env PATH="$T_DIR/b/bin:/usr/local/nonexistent" "$CCLINK" pickup --tmux -y
grep_err "it says tmux is missing" 'tmux is not installed; resuming in the foreground'
is "and runs claude in the foreground" "$(claude_field b argv) $(claude_field b cwd)" "--resume $U4 $P"

# ---- 17. one transport at a time ---------------------------------------------------------
expect_exit "relay only (dead bootstrap): pickup --json" 0 as_b env CCLINK_BOOTSTRAP=127.0.0.1:9 "$CCLINK" pickup --json
json_is "relay only: session" .session_id "$U4"
expect_exit "relay only: resolve --json" 0 as_b env CCLINK_BOOTSTRAP=127.0.0.1:9 "$CCLINK" resolve --json "pk:$ZA"
json_is "relay only: the packet came from the relay" .sources '["relay"]'
json_is "relay only: the DHT was not used" .report.dht.responded 0
expect_exit "DHT only (CCLINK_RELAYS=none): pickup --json" 0 as_b env CCLINK_RELAYS=none "$CCLINK" pickup --json
json_is "DHT only: session" .session_id "$U4"
expect_exit "DHT only: resolve --json" 0 as_b env CCLINK_RELAYS=none "$CCLINK" resolve --json "pk:$ZA"
json_is "DHT only: the packet came from the DHT" .sources '["dht"]'
json_is "DHT only: no relay asked" .report.relays '[]'
claude_reset b
expect_exit "DHT only: pickup -y resumes" 0 on_term b env CCLINK_RELAYS=none "$CCLINK" pickup -y
is "DHT only: claude resumed U4" "$(claude_field b argv)" "--resume $U4"
claude_reset b
expect_exit "relay only: pickup -y resumes" 0 on_term b env CCLINK_BOOTSTRAP=127.0.0.1:9 "$CCLINK" pickup -y
is "relay only: claude resumed U4" "$(claude_field b argv)" "--resume $U4"

done_testing
