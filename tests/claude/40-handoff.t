#!/bin/sh
# SPDX-License-Identifier: MIT
# contrib/claude-code/handoff.md as a slash command of the real Claude Code CLI
# (claude-offline): `claude -p "/handoff --ttl 1h"` runs `cclink publish` with the session's
# own id before any model call, on success and on failure; the command always succeeds and
# hands cclink's output and exit status to the model (Claude then stops at "Not logged in",
# not at "Shell command failed"). As the session's first prompt there is no transcript yet, and
# cclink says it is the current session instead of warning.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/../interop/lib.sh"
. "$(dirname "$0")/../interop/e2e-lib.sh"
. "$(dirname "$0")/lib.sh"

SEED=7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d7d
rc_machine a
check "A imports a seed" e2e_import a "$SEED"
CA=$T_DIR/a/.claude
mkdir -p "$CA/commands"
install -m 0644 "$CCLINK_TOP/contrib/claude-code/handoff.md" "$CA/commands/handoff.md"
# cclink as the `!` command finds it on PATH inside the sandboxed claude. claude-offline gave
# that claude an empty network namespace, so this wrapper brings up its loopback and a relay
# on it (tests/interop/relay.mjs, cache only), logs how it was called, then runs the real
# cclink against that relay; after a publish it reads the record back with pickup --json.
cat >"$T_DIR/a/bin/cclink" <<EOF
#!/bin/sh
{ printf 'argv=%s\n' "\$*"; printf 'session_env=%s\n' "\${CLAUDE_CODE_SESSION_ID-(unset)}"; } >>"$T_DIR/cclink-calls.log"
ip link set lo up 2>/dev/null
"$HARNESS_NODE" "$CCLINK_TOP/tests/interop/relay.mjs" --dht-off --port 0 >"$T_DIR/nsrelay.out" 2>"$T_DIR/nsrelay.log" &
rp=\$!
i=0
while [ \$i -lt 100 ] && ! grep -q READY "$T_DIR/nsrelay.out"; do sleep 0.1; i=\$((i + 1)); done
CCLINK_RELAYS=\$(sed -n 's/^READY //p' "$T_DIR/nsrelay.out")
CCLINK_BOOTSTRAP=127.0.0.1:9
export CCLINK_RELAYS CCLINK_BOOTSTRAP
"$CCLINK" "\$@"
rc=\$?
[ \$rc -eq 0 ] && "$CCLINK" pickup --json >"$T_DIR/nspickup.json" 2>"$T_DIR/nspickup.err"
kill \$rp
exit \$rc
EOF
chmod 755 "$T_DIR/a/bin/cclink"
mkdir -p "$T_DIR/proj"
P=$(cd "$T_DIR/proj" && pwd -P)
F=$(e2e_folder "$P")
calls() { sed -n "s/^$1=//p" "$T_DIR/cclink-calls.log" | tail -1; }

# ---- success ---------------------------------------------------------------------------------
rc_claude a -C "$P" -p "/handoff --ttl 1h"
rc_found "the CLI went on to the model call (Not logged in)"
if grep -q "Shell command failed" "$T_DIR/out" "$T_DIR/err"; then not_ok "no 'Shell command failed'"; else ok "no 'Shell command failed'"; fi
S=$(rc_sessions "$CA" "$F")
check "the session has a transcript now" test -n "$S"
is "cclink publish got the session's id and the arguments" "$(calls argv)" "publish $S --ttl 1h"
is "CLAUDE_CODE_SESSION_ID is set for the ! command" "$(calls session_env)" "$S"
T=$CA/projects/$F/$S.jsonl
check "the model's prompt holds exit status 0" grep -q 'cclink exit status: 0' "$T"
check "  and the pickup command" grep -q 'Pick it up on the other machine' "$T"
check "  and 'the current Claude Code session' (no transcript yet), not a warning" \
	sh -c "grep -q 'is the current Claude Code session' '$T' && ! grep -q 'no local transcript for session' '$T'"
is "the record holds the session id" "$(harness_json .session_id <"$T_DIR/nspickup.json")" "$S"
is "  and the project" "$(harness_json .project <"$T_DIR/nspickup.json")" "$P"
is "  with --ttl 1h" "$(harness_json .ttl <"$T_DIR/nspickup.json")" 3600

# ---- failure: cclink exits non-zero; Claude still gets its message --------------------------
rm -f "$T_DIR/nspickup.json"
rc_claude a -C "$P" -p "/handoff --ttl never"
rc_found "failure: the CLI still went on to the model call"
if grep -q "Shell command failed" "$T_DIR/out" "$T_DIR/err"; then not_ok "failure: no 'Shell command failed'"; else ok "failure: no 'Shell command failed'"; fi
S2=$(ls -t "$CA/projects/$F"/*.jsonl | head -1)
S2=${S2##*/}
S2=${S2%.jsonl}
check "failure: a new session" test "$S2" != "$S"
is "failure: cclink publish got that session's id" "$(calls argv)" "publish $S2 --ttl never"
T2=$CA/projects/$F/$S2.jsonl
check "failure: the model's prompt holds cclink's error" grep -q "invalid --ttl 'never'" "$T2"
check "failure: and exit status 2" grep -q 'cclink exit status: 2' "$T2"
check "failure: nothing was published" test ! -e "$T_DIR/nspickup.json"
done_testing
