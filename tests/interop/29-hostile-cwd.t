#!/bin/sh
# SPDX-License-Identifier: MIT
# End to end through ./cclink: the transcript pickup resumes must have been recorded in the
# published project directory or in the directory it maps to here. Claude Code's folder names
# are lossy (/w/my-proj and /w/my/proj share the folder -w-my-proj), so a record naming
# /w/my/proj must not resume a transcript recorded in /w/my-proj.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/e2e-lib.sh"

SEED=2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c
U1=2c2c2c2c-7777-4777-8777-000000000001
U2=2c2c2c2c-7777-4777-8777-000000000002
U3=2c2c2c2c-7777-4777-8777-000000000003

if ! check "testnet starts" harness_start_testnet --nodes 8; then
	done_testing
	exit 1
fi
e2e_machine b
check "B imports the seed" e2e_import b "$SEED"
CB=$T_DIR/b/.claude
mkdir -p "$T_DIR/b/w/my-proj" "$T_DIR/b/w/my/proj"
DASH=$(cd "$T_DIR/b/w/my-proj" && pwd -P)
SLASH=$(cd "$T_DIR/b/w/my/proj" && pwd -P)
is "both directories share one Claude folder" "$(e2e_folder "$DASH")" "$(e2e_folder "$SLASH")"
publish() {
	harness_compat publish --seed "$SEED" --session "$1" --project "$2" --hostname host-a \
		>"$T_DIR/pub.out" 2>&1 || { diag "$(cat "$T_DIR/pub.out")"; return 1; }
}

# U1 was recorded in my-proj; the record says my/proj.
e2e_session "$CB" "$DASH" "$U1"
check "a record naming my/proj, for the transcript recorded in my-proj" publish "$U1" "$SLASH"
claude_reset b
expect_exit "pickup refuses it (exit 8)" 8 as_b "$CCLINK" pickup -y
grep_err "the message names both directories" \
	"the transcript $CB/projects/$(e2e_folder "$SLASH")/$U1.jsonl of session $U1 was recorded in '$DASH', not in '$SLASH'"
grep_err "and the fix" "Copy this session's transcript over"
no_claude "claude was not started" b
claude_reset b
check "a record naming my-proj" publish "$U1" "$DASH"
expect_exit "for my-proj the transcript is resumed" 0 on_term b "$CCLINK" pickup -y
is "claude resumed U1 in my-proj" "$(claude_field b argv) $(claude_field b cwd)" "--resume $U1 $DASH"

# A transcript carried over from the publisher records the publisher's path; the project is
# mapped here with --map.
mkdir -p "$T_DIR/b/m/proj"
M=$(cd "$T_DIR/b/m/proj" && pwd -P)
e2e_session "$CB" /pub/proj "$U2"
mkdir -p "$CB/projects/$(e2e_folder "$M")"
mv "$CB/projects/$(e2e_folder /pub/proj)/$U2.jsonl" "$CB/projects/$(e2e_folder "$M")/"
check "a record for /pub/proj" publish "$U2" /pub/proj
claude_reset b
expect_exit "mapped, the transcript records the published path: resumes" 0 \
	on_term b "$CCLINK" pickup -y --map "/pub=$T_DIR/b/m"
is "claude resumed U2 in the mapped directory" "$(claude_field b argv) $(claude_field b cwd)" "--resume $U2 $M"

# A transcript with no working directory at all cannot be tied to the directory.
mkdir -p "$CB/projects/$(e2e_folder "$SLASH")"
printf '{"type":"summary","summary":"s","leafUuid":"x"}\n{"type":"user","sessionId":"%s","message":{"role":"user","content":"hi"}}\n' \
	"$U3" >"$CB/projects/$(e2e_folder "$SLASH")/$U3.jsonl"
check "a record for a transcript without cwd" publish "$U3" "$SLASH"
claude_reset b
expect_exit "pickup refuses it (exit 8)" 8 as_b "$CCLINK" pickup -y
grep_err "the message says it records no directory" \
	"the transcript .*/$U3.jsonl of session $U3 records no working directory, so it cannot be tied to '$SLASH'"
no_claude "claude was not started" b

done_testing
