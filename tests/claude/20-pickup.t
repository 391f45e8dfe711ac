#!/bin/sh
# SPDX-License-Identifier: MIT
# `cclink pickup` execs the real Claude Code CLI (claude-offline, unshare -n, as `claude` on
# PATH), which finds the session the real CLI wrote on the publishing machine: same path,
# --map remap, a moved project (transcript still in the old path's folder), CLAUDE_CONFIG_DIR,
# CLAUDE_CODE_PROJECT_DIR_NAME with and without CLAUDE_CONFIG_DIR, an upper-cased id; and
# pickup without a terminal is refused before claude (which would fail in print mode).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/../interop/lib.sh"
. "$(dirname "$0")/../interop/e2e-lib.sh"
. "$(dirname "$0")/lib.sh"

SEED=7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b
if ! check "testnet starts" harness_start_testnet --nodes 4; then
	done_testing
	exit 1
fi
CCLINK_RELAYS=none
CCLINK_CLAUDE_LOG=$T_DIR/claude-calls.log
export CCLINK_RELAYS CCLINK_CLAUDE_LOG
rc_machine a b
check "A imports the seed" e2e_import a "$SEED"
check "B imports the same seed" e2e_import b "$SEED"
CA=$T_DIR/a/.claude
CB=$T_DIR/b/.claude
last() { sed -n "s/^$1=//p" "$CCLINK_CLAUDE_LOG" | tail -1; }

# start_session DIR: the real CLI writes a session for DIR on A; prints its id.
start_session() {
	_f=$(e2e_folder "$(cd "$1" && pwd -P)")
	_before=$(rc_sessions "$CA" "$_f")
	rc_claude a -C "$1" -p "hello from $1"
	rc_sessions "$CA" "$_f" | grep -vxF -e "$_before" -e '' | head -1
}
# copy_to ROOT DIR ID: put A's transcript of ID into ROOT's folder for DIR (as cclink ssh would).
copy_to() {
	mkdir -p "$1/projects/$2"
	cp "$CA"/projects/*/"$3.jsonl" "$1/projects/$2/"
}

# ---- same path ------------------------------------------------------------------------------
mkdir -p "$T_DIR/proj"
P=$(cd "$T_DIR/proj" && pwd -P)
S1=$(start_session "$P")
check "the CLI wrote a session" test -n "$S1"
expect_exit "A publishes it" 0 as_a -C "$P" "$CCLINK" publish -y
copy_to "$CB" "$(e2e_folder "$P")" "$S1"
rc_term b "$CCLINK" pickup -y
is "same path: pickup exits as claude did (0 after /exit)" "$RC" 0
rc_found "same path: the real CLI resumed the session"
check "same path: the conversation is shown" grep -q "hello from" "$T_DIR/out"
is "same path: claude ran in the project" "$(last cwd)" "$P"
is "same path: claude --resume ID" "$(last argv)" "--resume $S1"

# ---- no terminal: refused before claude; the CLI itself would fail in print mode ------------
: >"$CCLINK_CLAUDE_LOG"
expect_exit "pickup -y without a terminal: exit 2" 2 as_b "$CCLINK" pickup -y
grep_err "it says what to do" "claude needs a terminal.*--tmux.*--print or --json"
is "claude was not started" "$(cat "$CCLINK_CLAUDE_LOG")" ""
rc_claude b -C "$P" --resume "$S1"
check "(the CLI itself, stdin and stdout not a terminal, fails in print mode)" \
	grep -q "No deferred tool marker found\|Provide a prompt" "$T_DIR/out" "$T_DIR/err"

# ---- an upper-cased id: published as Claude stores it ----------------------------------------
UP=$(printf '%s' "$S1" | tr a-f A-F)
expect_exit "A publishes the id in upper case" 0 as_a -C "$T_DIR" "$CCLINK" publish -y "$UP"
grep_err "the local transcript matched" "^Session $S1 \\(given id\\)"
expect_exit "B: pickup --json" 0 as_b "$CCLINK" pickup --json
json_is "the record holds the stored id" .session_id "$S1"
json_is "and the session's own project" .project "$P"
rc_term b "$CCLINK" pickup -y
rc_found "upper-cased id: the real CLI resumed it"

# ---- --map remap: the project lives elsewhere on B, the transcript in its folder ----------
mkdir -p "$T_DIR/a/work/proj" "$T_DIR/b/work/proj"
PA=$(cd "$T_DIR/a/work/proj" && pwd -P)
PB=$(cd "$T_DIR/b/work/proj" && pwd -P)
S2=$(start_session "$PA")
expect_exit "A publishes from a/work/proj" 0 as_a -C "$PA" "$CCLINK" publish -y
mv "$T_DIR/a/work" "$T_DIR/a/work.gone"
copy_to "$CB" "$(e2e_folder "$PB")" "$S2"
rc_term b "$CCLINK" pickup -y --map "$T_DIR/a=$T_DIR/b"
rc_found "--map: the real CLI resumed the session"
is "--map: claude ran in B's copy" "$(last cwd)" "$PB"
rm -rf "$CB/projects/$(e2e_folder "$PB")"

# ---- a moved project: published from /a/..., picked up at /c/..., transcript copied unchanged
# into the old path's folder. cclink used to refuse this (exit 8); claude --resume finds it.
mkdir -p "$T_DIR/c/work/proj"
PC=$(cd "$T_DIR/c/work/proj" && pwd -P)
copy_to "$CB" "$(e2e_folder "$PA")" "$S2"
rc_term b "$CCLINK" pickup -y --map "$T_DIR/a=$T_DIR/c"
is "moved project: pickup exits 0" "$RC" 0
check "moved project: cclink says where the transcript was found" grep -q "another project's folder" "$T_DIR/out"
rc_found "moved project: the real CLI resumed the session"
is "moved project: claude ran in the new place" "$(last cwd)" "$PC"

# ---- CLAUDE_CONFIG_DIR ------------------------------------------------------------------------
CR=$T_DIR/b/croot
rc_config_root "$CR"
expect_exit "A publishes S1 again" 0 as_a -C "$P" "$CCLINK" publish -y "$S1"
copy_to "$CR" "$(e2e_folder "$P")" "$S1"
rc_term b env CLAUDE_CONFIG_DIR="$CR" "$CCLINK" pickup -y
rc_found "CLAUDE_CONFIG_DIR: the real CLI resumed the session"
is "CLAUDE_CONFIG_DIR reached claude" "$(last config_dir)" "$CR"
rm -rf "$CR/projects"

# ---- CLAUDE_CODE_PROJECT_DIR_NAME with CLAUDE_CONFIG_DIR: the folder is the name ------------
copy_to "$CR" box-9 "$S1"
rc_term b env CLAUDE_CONFIG_DIR="$CR" CLAUDE_CODE_PROJECT_DIR_NAME=box-9 "$CCLINK" pickup -y
rc_found "DIR_NAME + CONFIG_DIR: the real CLI resumed the session"
check "DIR_NAME + CONFIG_DIR: found in the named folder (no 'another project' note)" sh -c "! grep -q \"another project's folder\" '$T_DIR/out'"

# ---- CLAUDE_CODE_PROJECT_DIR_NAME alone: ignored, as by the CLI ------------------------------
rc_term b env CLAUDE_CODE_PROJECT_DIR_NAME=box-9 "$CCLINK" pickup -y
rc_found "DIR_NAME alone: the real CLI resumed the session from the normal folder"
check "DIR_NAME alone: found in the project's own folder" sh -c "! grep -q \"another project's folder\" '$T_DIR/out'"
done_testing
