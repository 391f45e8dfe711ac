#!/bin/sh
# SPDX-License-Identifier: MIT
# contrib/claude-code/session-start.sh installed as a SessionStart hook in a throwaway
# settings.json of the real Claude Code CLI (claude-offline): `claude -p` runs it, it records
# the session, and `cclink publish` in the same terminal prefers that session over a newer
# transcript in the directory; also after `--resume` (same id) and `--fork-session` (new id).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/../interop/lib.sh"
. "$(dirname "$0")/../interop/e2e-lib.sh"
. "$(dirname "$0")/lib.sh"

SEED=7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c
if ! check "testnet starts" harness_start_testnet --nodes 4; then
	done_testing
	exit 1
fi
CCLINK_RELAYS=none
export CCLINK_RELAYS
rc_machine a
check "A imports a seed" e2e_import a "$SEED"
CA=$T_DIR/a/.claude
ST=$T_DIR/a/.local/state/cclink/sessions
mkdir -p "$CA/hooks"
install -m 0755 "$CCLINK_TOP/contrib/claude-code/session-start.sh" "$CA/hooks/cclink-session-start.sh"
# The settings.json snippet from contrib/claude-code/README.md.
cat >"$CA/settings.json" <<'JSON'
{
  "hooks": {
    "SessionStart": [
      {
        "hooks": [
          {
            "type": "command",
            "command": "\"${CLAUDE_CONFIG_DIR:-$HOME/.claude}/hooks/cclink-session-start.sh\""
          }
        ]
      }
    ]
  }
}
JSON
mkdir -p "$T_DIR/proj"
P=$(cd "$T_DIR/proj" && pwd -P)
F=$(e2e_folder "$P")
# A newer transcript in the same directory: without the hook, publish would take it.
DECOY=dddddddd-1111-4111-8111-00000000d001
e2e_session "$CA" "$P" "$DECOY" '10 minutes'

field() { sed -n "s/.*\"$2\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" "$1"; }
# claude_then_publish ARGS...: on one terminal, `claude ARGS` and then `cclink publish -y`.
claude_then_publish() {
	run on_term a -C "$P" sh -c 'claude "$@" >/dev/null 2>&1; exec "$CCLINK" publish -y' sh "$@"
}

claude_then_publish -p hi
S=$(rc_sessions "$CA" "$F" | grep -vx "$DECOY")
check "claude -p wrote a session" test -n "$S"
# (each run gets a fresh pseudo-terminal, maybe another pts number: take the newest record)
ttyrec() { ls -t "$ST"/tty-*.json 2>/dev/null | head -1; }
TTYREC=$(ttyrec)
check "the hook wrote a tty record" test -n "$TTYREC"
is "  with the session id" "$(field "$TTYREC" session_id)" "$S"
is "  source startup" "$(field "$TTYREC" source)" startup
is "  the cwd" "$(field "$TTYREC" cwd)" "$P"
PIDREC=$(ls "$ST"/pid-*.json 2>/dev/null | head -1)
check "and a pid record (claude found above the hook)" test -n "$PIDREC"
is "  for the same session" "$(field "$PIDREC" session_id)" "$S"
grep_err "publish on that terminal prefers the hook's session" "^Session $S \\(SessionStart hook\\)"
expect_exit "without the terminal's record, publish takes the newest transcript" 0 as_a -C "$P" "$CCLINK" publish -y
grep_err "  (the newer one)" "^Session $DECOY \\(newest in this directory\\)"

claude_then_publish -p --resume "$S" again
TTYREC=$(ttyrec)
is "--resume: the hook records the same session" "$(field "$TTYREC" session_id)" "$S"
is "--resume: source resume" "$(field "$TTYREC" source)" resume
grep_err "--resume: publish prefers it" "^Session $S \\(SessionStart hook\\)"

claude_then_publish -p --resume "$S" --fork-session forked
TTYREC=$(ttyrec)
FK=$(field "$TTYREC" session_id)
check "--fork-session: a new session id" test -n "$FK" -a "$FK" != "$S"
is "--fork-session: source fork" "$(field "$TTYREC" source)" fork
check "--fork-session: its transcript exists" test -s "$CA/projects/$F/$FK.jsonl"
grep_err "--fork-session: publish prefers the fork" "^Session $FK \\(SessionStart hook\\)"
done_testing
