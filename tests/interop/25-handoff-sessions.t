#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end through ./cclink: which session is published (several in one project, an
# explicit id, one from another project, an unknown id, a name, a parent directory),
# CLAUDE_CONFIG_DIR on both machines, and where pickup resumes when the project path differs
# (--map, the config file's map, the publisher's home prefix, nowhere).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

SEED=0f0e0d0c0b0a09080706050403020100f0e0d0c0b0a090807060504030201000
S1=ffffffff-6666-4666-8666-000000000001
S2=ffffffff-6666-4666-8666-000000000002
S3=ffffffff-6666-4666-8666-000000000003
SQ=ffffffff-6666-4666-8666-00000000000a
SX=ffffffff-6666-4666-8666-0000000000ff
SC=ffffffff-6666-4666-8666-00000000000c
SR=ffffffff-6666-4666-8666-00000000000e

if ! check "testnet starts" harness_start_testnet --nodes 8 ||
	! check "relay starts" harness_start_relay; then
	done_testing
	exit 1
fi
e2e_machine a b
check "A imports the seed" e2e_import a "$SEED"
check "B imports the same seed" e2e_import b "$SEED"
ZA=$(e2e_pk a)
CA=$T_DIR/a/.claude
CB=$T_DIR/b/.claude
mkdir -p "$T_DIR/a/proj/sub" "$T_DIR/a/other"
P=$(cd "$T_DIR/a/proj" && pwd -P)
Q=$(cd "$T_DIR/a/other" && pwd -P)
json_field() { harness_json "$1" <"$T_DIR/out" 2>/dev/null; }
# picked: B's view of the published handoff (pickup --json) -> "session project"
picked() { as_b "$CCLINK" pickup --json 2>/dev/null | harness_json .session_id; }

# ---- 10. several sessions -------------------------------------------------------------------
e2e_session "$CA" "$P" "$S1" '20 minutes ago'
e2e_session "$CA" "$P" "$S2" '10 minutes ago'
e2e_session "$CA" "$P" "$S3" '1 minute ago'
printf '{"type":"custom-title","customTitle":"feature-x","sessionId":"%s"}\n' "$S2" \
	>>"$CA/projects/$(e2e_folder "$P")/$S2.jsonl"
touch -d '10 minutes ago' "$CA/projects/$(e2e_folder "$P")/$S2.jsonl"
e2e_session "$CA" "$Q" "$SQ" '5 minutes ago'
expect_exit "no tty, three recent sessions: publish" 0 as_a -C "$P" "$CCLINK" publish
grep_err "stderr names the newest and says there were several" "3 recent sessions in this directory; publishing the newest \\($S3\\)"
grep_out "the newest was published" "^Session: $S3"
is "B sees the newest" "$(picked)" "$S3"
run on_tty a -C "$P" 2 "$CCLINK" publish
is "on a terminal, several recent sessions: a picker (exit 0)" "$RC" 0
grep_out "picker line 1: the newest, by its first prompt" "^  1\\) ffffffff  hello from $S3  $P"
grep_out "picker line 2: by its custom title" "^  2\\) ffffffff  feature-x  $P"
grep_out "picker line 3: the oldest" "^  3\\) ffffffff  hello from $S1  $P"
grep_out "the second choice was published" "Session: $S2"
is "B sees the picked session" "$(picked)" "$S2"
run on_tty a -C "$P" q "$CCLINK" publish
is "the picker answered q: exit 7" "$RC" 7
is "nothing new: B still sees the picked session" "$(picked)" "$S2"
expect_exit "CLAUDE_CODE_SESSION_ID names the session" 0 as_a -C "$P" env CLAUDE_CODE_SESSION_ID="$S1" "$CCLINK" publish
grep_err "stderr says where it came from" "Session $S1 \\(CLAUDE_CODE_SESSION_ID\\)"
is "B sees S1" "$(picked)" "$S1"
expect_exit "explicit id of an older session" 0 as_a -C "$P" "$CCLINK" publish "$S1"
grep_err "stderr says it was given" "Session $S1 \\(given id\\)"
expect_exit "B: pickup --json" 0 as_b "$CCLINK" pickup --json
json_is "the older session was published" .session_id "$S1"
json_is "with its project" .project "$P"
expect_exit "'cclink ID' (no command) publishes that id" 0 as_a -C "$P" "$CCLINK" "$S2"
is "B sees S2" "$(picked)" "$S2"
expect_exit "a session named by its custom title" 0 as_a -C "$P" "$CCLINK" publish feature-x
grep_err "stderr says it was a name" "Session $S2 \\(given name\\)"
is "B sees S2 (by name)" "$(picked)" "$S2"
expect_exit "explicit id of a session from another project" 0 as_a -C "$P" "$CCLINK" publish "$SQ"
grep_out "publish names the other project" "^Project: $Q\$"
expect_exit "B: pickup --json" 0 as_b "$CCLINK" pickup --json
json_is "the session from the other project" .session_id "$SQ"
json_is "the published project is that session's own cwd" .project "$Q"
expect_exit "an unknown explicit id" 0 as_a -C "$P" "$CCLINK" publish "$SX"
grep_err "with a warning" "warning: no local transcript for session '$SX'; publishing it as given"
expect_exit "B: pickup --json" 0 as_b "$CCLINK" pickup --json
json_is "published as given" .session_id "$SX"
json_is "with the current directory as the project" .project "$P"
expect_exit "from a subdirectory without sessions" 0 as_a -C "$P/sub" "$CCLINK" publish
grep_err "the parent directory's newest session" "Session $S3 \\(newest in a parent directory\\)"
expect_exit "B: pickup --json" 0 as_b "$CCLINK" pickup --json
json_is "parent: the project is the parent" .project "$P"
ln -s "$P" "$T_DIR/a/link-to-proj"
expect_exit "from a symlink to the project (Claude keys on the real path)" 0 as_a -C "$T_DIR/a/link-to-proj" "$CCLINK" publish
grep_out "symlink: the real project's newest session" "^Session: $S3"
grep_out "symlink: the real path is published" "^Project: $P\$"
mkdir -p "$T_DIR/a/empty"
expect_exit "a directory with no session at all: exit 8" 8 as_a -C "$T_DIR/a/empty" "$CCLINK" publish
grep_err "the message says how to name one" 'no Claude Code session found.*cclink publish SESSION-ID'

# A project path with spaces, quotes, a backslash and non-ASCII (one astral) characters.
SU=ffffffff-6666-4666-8666-0000000000aa
PU="$T_DIR/a/proj été 🚀 \"q\" b\\s"
mkdir -p "$PU"
PU=$(cd "$PU" && pwd -P)
e2e_session "$CA" "$PU" "$SU"
e2e_session "$CB" "$PU" "$SU"
expect_exit "publish from an unusual path" 0 as_a -C "$PU" "$CCLINK" publish
grep_err "its session was found" "Session $SU \\(newest in this directory\\)"
expect_exit "B: pickup --json" 0 as_b "$CCLINK" pickup --json
json_is "unusual path: project as published" .project "$PU"
claude_reset b
expect_exit "B: pickup -y" 0 on_term b "$CCLINK" pickup -y
is "unusual path: claude runs there" "$(claude_field b cwd)" "$PU"

# ---- 11. CLAUDE_CONFIG_DIR ----------------------------------------------------------------
mkdir -p "$T_DIR/a/proj2"
P2=$(cd "$T_DIR/a/proj2" && pwd -P)
RA=$T_DIR/a/claude-root
RB=$T_DIR/b/claude-root
e2e_session "$RA" "$P2" "$SC"
expect_exit "A without CLAUDE_CONFIG_DIR: no session for proj2 (exit 8)" 8 as_a -C "$P2" "$CCLINK" publish
expect_exit "A with CLAUDE_CONFIG_DIR finds it" 0 as_a -C "$P2" env CLAUDE_CONFIG_DIR="$RA" "$CCLINK" publish
grep_out "the custom root's session" "^Session: $SC"
e2e_session "$CB" "$P2" "$SC"
claude_reset b
expect_exit "B with CLAUDE_CONFIG_DIR, transcript only under ~/.claude: exit 8" 8 as_b env CLAUDE_CONFIG_DIR="$RB" "$CCLINK" pickup -y
grep_err "the message names the custom root" "not on this machine under $RB/projects"
no_claude "no claude" b
rm -rf "$CB/projects/$(e2e_folder "$P2")"
e2e_session "$RB" "$P2" "$SC"
expect_exit "B without CLAUDE_CONFIG_DIR, transcript only under the custom root: exit 8" 8 as_b "$CCLINK" pickup -y
no_claude "no claude" b
expect_exit "B with CLAUDE_CONFIG_DIR and the transcript under it" 0 on_term b env CLAUDE_CONFIG_DIR="$RB" "$CCLINK" pickup -y
is "claude resumed SC" "$(claude_field b argv)" "--resume $SC"
is "claude got CLAUDE_CONFIG_DIR" "$(claude_field b config_dir)" "$RB"
is "claude runs in proj2" "$(claude_field b cwd)" "$P2"

# ---- 12. the project path differs on B -----------------------------------------------------
mkdir -p "$T_DIR/a/work/proj" "$T_DIR/b/work/proj"
PR=$(cd "$T_DIR/a/work/proj" && pwd -P)
BR=$(cd "$T_DIR/b/work/proj" && pwd -P)
e2e_session "$CA" "$PR" "$SR"
e2e_session "$CB" "$BR" "$SR"
expect_exit "A publishes from work/proj under its home" 0 as_a -C "$PR" "$CCLINK" publish
mv "$T_DIR/a/work" "$T_DIR/a/work.elsewhere"  # machine A's disk is not B's
claude_reset b
expect_exit "the published path does not exist on B and no rule maps it: exit 8" 8 as_b "$CCLINK" pickup -y
grep_err "the message gives the --map hint" "'$PR' does not exist on this machine.*--map $PR=/local/path"
grep_err "and the config-file form" "'map = OLD=NEW' line in the config file"
no_claude "no claude" b
expect_exit "--map without '=': exit 2" 2 as_b "$CCLINK" pickup -y --map "$T_DIR/a"
expect_exit "pickup -y --map A-HOME=B-HOME" 0 on_term b "$CCLINK" pickup -y --map "$T_DIR/a=$T_DIR/b"
is "--map: claude runs in B's copy" "$(claude_field b cwd)" "$BR"
is "--map: claude resumed SR" "$(claude_field b argv)" "--resume $SR"
grep_err "--map: stderr says how it was mapped" "is $BR here \\(map $T_DIR/a=$T_DIR/b\\)"
expect_exit "pickup --json --map" 0 as_b "$CCLINK" pickup --json --map "$T_DIR/a=$T_DIR/b"
json_is "--json: the published project" .project "$PR"
json_is "--json: the local project" .local_project "$BR"
mkdir -p "$T_DIR/b/.config/cclink"
printf '# test\nmap = /nonexistent-prefix=/tmp\nmap = %s=%s\n' "$T_DIR/a" "$T_DIR/b" >"$T_DIR/b/.config/cclink/config"
claude_reset b
expect_exit "pickup -y with a config-file map" 0 on_term b "$CCLINK" pickup -y
is "config map: claude runs in B's copy" "$(claude_field b cwd)" "$BR"
grep_err "config map: stderr says how it was mapped" "\\(map $T_DIR/a=$T_DIR/b\\)"
rm -f "$T_DIR/b/.config/cclink/config"

# The home rule: a record from a machine whose home is /home/<user> (published by the JS tool:
# the directory need not exist anywhere here).
FAKE_HOME=/home/cclink-e2e-nobody-$$
check "$FAKE_HOME does not exist here" test ! -e "$FAKE_HOME"
expect_exit "the JS tool publishes project $FAKE_HOME/work/proj" 0 harness_compat publish --seed "$SEED" --session "$SR" --project "$FAKE_HOME/work/proj" --bootstrap "$CCLINK_BOOTSTRAP" --relay "$HARNESS_RELAY"
claude_reset b
expect_exit "B: pickup -y maps the publisher's home to B's" 0 on_term b "$CCLINK" pickup -y
is "home rule: claude runs in B's copy" "$(claude_field b cwd)" "$BR"
grep_err "home rule: stderr says so" "publisher's home mapped to \\\$HOME"
expect_exit "the JS tool publishes /Users/<user>/work/proj" 0 harness_compat publish --seed "$SEED" --session "$SR" --project /Users/cclink-e2e-nobody/work/proj --bootstrap "$CCLINK_BOOTSTRAP" --relay "$HARNESS_RELAY"
claude_reset b
expect_exit "B: /Users/<user> is mapped too" 0 on_term b "$CCLINK" pickup -y
is "/Users rule: claude runs in B's copy" "$(claude_field b cwd)" "$BR"
expect_exit "the JS tool publishes a project that exists nowhere" 0 harness_compat publish --seed "$SEED" --session "$SR" --project "$FAKE_HOME/no/such/project" --bootstrap "$CCLINK_BOOTSTRAP" --relay "$HARNESS_RELAY"
claude_reset b
expect_exit "B: exit 8" 8 as_b "$CCLINK" pickup -y
grep_err "the message gives the --map hint" "--map $FAKE_HOME/no/such/project=/local/path"
no_claude "no claude" b

done_testing
