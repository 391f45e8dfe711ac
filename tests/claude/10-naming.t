#!/bin/sh
# SPDX-License-Identifier: MIT
# The real Claude Code CLI (offline, see claude-offline) against cclink's session discovery:
# for tricky working directories (spaces, dots, non-ASCII, an emoji, a symlink, paths over
# 200 bytes with the hashed folder name) the folder the CLI creates is the one cclink computes,
# and `cclink publish` there finds the session the CLI wrote. CLAUDE_CONFIG_DIR and
# CLAUDE_CODE_PROJECT_DIR_NAME as the CLI honours them.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/../interop/lib.sh"
. "$(dirname "$0")/../interop/e2e-lib.sh"
. "$(dirname "$0")/lib.sh"

SEED=7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a
if ! check "testnet starts" harness_start_testnet --nodes 4; then
	done_testing
	exit 1
fi
CCLINK_RELAYS=none
export CCLINK_RELAYS
rc_machine a
check "A imports a seed" e2e_import a "$SEED"
CA=$T_DIR/a/.claude

rc_claude a --version
is "the pinned CLI runs" "$(head -1 "$T_DIR/out")" "2.1.328 (Claude Code)"

# A directory of exactly N bytes below $T_DIR/w: long/<a...>/<b...>
long_dir() {
	_l=$T_DIR/w/long
	while [ $((${#_l} + 60)) -lt "$1" ]; do _l=$_l/$(printf '%059d' 0 | tr 0 x); done
	_pad=$(($1 - ${#_l} - 1))
	_l=$_l/$(printf "%0${_pad}d" 0 | tr 0 y)
	mkdir -p "$_l"
	printf '%s' "$_l"
}

# naming DESC DIR [long]: the CLI's folder for DIR is cclink's, and publish finds the CLI's
# session (with "long", a path too long for a PKARR record: publish finds it and says so).
naming() {
	_d=$(cd "$2" && pwd -P)
	_want=$(on a "$CCLINK_SESSION" "$2")
	_before=$(rc_folders "$CA")
	rc_claude a -C "$2" -p hi
	rc_found "$1: claude -p ran to the login error"
	_new=$(rc_folders "$CA" | grep -vxF -e "$_before" -e '' || true)
	[ -z "$_before" ] && _new=$(rc_folders "$CA")
	is "$1: the CLI's folder is cclink's" "$_new" "$_want"
	_sid=$(rc_sessions "$CA" "$_want")
	if [ "${3:-}" = long ]; then
		expect_exit "$1: cclink publish there" 1 as_a -C "$2" "$CCLINK" publish -y
		grep_err "$1: publish found the CLI's session" "^Session $_sid \\(newest in this directory\\)"
		grep_err "$1: and says the path is too long for a record" "The project path \\([0-9]+ bytes\\) is too long"
		return
	fi
	expect_exit "$1: cclink publish there" 0 as_a -C "$2" "$CCLINK" publish -y
	grep_err "$1: publish found the CLI's session" "^Session $_sid \\(newest in this directory\\)"
	grep_out "$1: published project is the canonical cwd" "^Project: $(printf '%s' "$_d" | sed 's/[].[*^$\\]/\\&/g')\$"
}

mkdir -p "$T_DIR/w/sp ace" "$T_DIR/w/dot.s_and_under" "$T_DIR/w/café ü 日本" "$T_DIR/w/rocket 🚀" "$T_DIR/w/real"
ln -s "$T_DIR/w/real" "$T_DIR/w/link"
naming "spaces" "$T_DIR/w/sp ace"
naming "dots and underscores" "$T_DIR/w/dot.s_and_under"
naming "non-ASCII" "$T_DIR/w/café ü 日本"
naming "emoji (two UTF-16 units)" "$T_DIR/w/rocket 🚀"
naming "symlink (the real path)" "$T_DIR/w/link"
L1=$(long_dir 248)
L2=$(long_dir 273)
is "a 248-byte path" "${#L1}" 248
naming "248-byte path (hashed name)" "$L1"
# (the same first 200 characters as the 248-byte one: a second hashed folder)
naming "273-byte path (hashed name)" "$L2" long
case $(on a "$CCLINK_SESSION" "$L2") in
*-[0-9a-z]*) ok "the long name ends in -<base36 hash>" ;;
*) not_ok "the long name ends in -<base36 hash>" ;;
esac

# ---- CLAUDE_CODE_PROJECT_DIR_NAME: only with CLAUDE_CONFIG_DIR, only [A-Za-z0-9_-]{1,64} ----
mkdir -p "$T_DIR/w/named"
P=$(cd "$T_DIR/w/named" && pwd -P)
rm -rf "$CA/projects"
# Only the variable: the CLI ignores it, so must cclink (it used to look in projects/box-1).
rc_claude a -C "$P" CLAUDE_CODE_PROJECT_DIR_NAME=box-1 -p hi
rc_found "DIR_NAME alone: claude -p ran"
is "DIR_NAME alone: the CLI used the normal folder" "$(rc_folders "$CA")" "$(e2e_folder "$P")"
S1=$(rc_sessions "$CA" "$(e2e_folder "$P")")
expect_exit "DIR_NAME alone: cclink publish finds the session" 0 as_a -C "$P" env CLAUDE_CODE_PROJECT_DIR_NAME=box-1 "$CCLINK" publish -y
grep_err "DIR_NAME alone: the CLI's session" "^Session $S1 "
# With CLAUDE_CONFIG_DIR: the folder is the name.
CR=$T_DIR/a/croot
rc_config_root "$CR"
rc_claude a -C "$P" CLAUDE_CONFIG_DIR="$CR" CLAUDE_CODE_PROJECT_DIR_NAME=box-1 -p hi
rc_found "CONFIG_DIR + DIR_NAME: claude -p ran"
is "CONFIG_DIR + DIR_NAME: the CLI's folder is the name" "$(rc_folders "$CR")" "box-1"
is "cclink computes the same" "$(on a env CLAUDE_CONFIG_DIR="$CR" CLAUDE_CODE_PROJECT_DIR_NAME=box-1 "$CCLINK_SESSION" "$P")" "box-1"
S2=$(rc_sessions "$CR" box-1)
expect_exit "CONFIG_DIR + DIR_NAME: cclink publish finds it" 0 as_a -C "$P" env CLAUDE_CONFIG_DIR="$CR" CLAUDE_CODE_PROJECT_DIR_NAME=box-1 "$CCLINK" publish -y
grep_err "CONFIG_DIR + DIR_NAME: the CLI's session" "^Session $S2 "
# A name outside [A-Za-z0-9_-]{1,64}: ignored by both.
rm -rf "$CR/projects"
rc_claude a -C "$P" CLAUDE_CONFIG_DIR="$CR" CLAUDE_CODE_PROJECT_DIR_NAME=box.2 -p hi
rc_found "CONFIG_DIR + a bad DIR_NAME: claude -p ran"
is "a bad DIR_NAME: the CLI used the normal folder" "$(rc_folders "$CR")" "$(e2e_folder "$P")"
is "cclink computes the same" "$(on a env CLAUDE_CONFIG_DIR="$CR" CLAUDE_CODE_PROJECT_DIR_NAME=box.2 "$CCLINK_SESSION" "$P")" "$(e2e_folder "$P")"
S3=$(rc_sessions "$CR" "$(e2e_folder "$P")")
expect_exit "a bad DIR_NAME: cclink publish finds it" 0 as_a -C "$P" env CLAUDE_CONFIG_DIR="$CR" CLAUDE_CODE_PROJECT_DIR_NAME=box.2 "$CCLINK" publish -y
grep_err "a bad DIR_NAME: the CLI's session" "^Session $S3 "
L65=$(printf '%065d' 0 | tr 0 z)
rm -rf "$CR/projects"
rc_claude a -C "$P" CLAUDE_CONFIG_DIR="$CR" CLAUDE_CODE_PROJECT_DIR_NAME="$L65" -p hi
is "a 65-character DIR_NAME: the CLI used the normal folder" "$(rc_folders "$CR")" "$(e2e_folder "$P")"
is "cclink computes the same" "$(on a env CLAUDE_CONFIG_DIR="$CR" CLAUDE_CODE_PROJECT_DIR_NAME="$L65" "$CCLINK_SESSION" "$P")" "$(e2e_folder "$P")"

# ---- the transcript the CLI writes (what the e2e fixtures imitate) ----------------------------
T=$CR/projects/$(e2e_folder "$P")/$(rc_sessions "$CR" "$(e2e_folder "$P")").jsonl
check "first line: queue-operation without cwd" sh -c "head -1 '$T' | grep -q '^{\"type\":\"queue-operation\"' && ! head -1 '$T' | grep -q cwd"
check "the first user line has parentUuid null, uuid, cwd, sessionId, version, gitBranch" sh -c \
	"grep -m1 '\"type\":\"user\"' '$T' | grep '\"parentUuid\":null' | grep '\"uuid\":' | grep '\"cwd\":\"$P\"' | grep '\"sessionId\":' | grep '\"version\":\"2.1.328\"' | grep -q '\"gitBranch\":'"
rc_claude a -C "$P" -n "my named session" -p hi
N=$(ls -t "$CA/projects/$(e2e_folder "$P")"/*.jsonl | head -1)
check "a named session starts with custom-title and agent-name" sh -c \
	"head -2 '$N' | grep -q '\"type\":\"custom-title\",\"customTitle\":\"my named session\"' && sed -n 2p '$N' | grep -q '\"type\":\"agent-name\"'"
# A fixture written by e2e_session is found by the CLI; an old-style one (no parentUuid) is not.
FX=bbbbbbbb-1111-4111-8111-00000000f001
OLD=bbbbbbbb-1111-4111-8111-00000000f002
e2e_session "$CA" "$P" "$FX"
rc_claude a -C "$P" -p --resume "$FX" hi
rc_found "an e2e_session fixture is found by claude --resume"
printf '{"type":"user","cwd":"%s","sessionId":"%s","message":{"role":"user","content":"hi"}}\n' "$P" "$OLD" >"$CA/projects/$(e2e_folder "$P")/$OLD.jsonl"
rc_claude a -C "$P" -p --resume "$OLD" hi
rc_not_found "a transcript without parentUuid/uuid is not"
rc_claude a -C "$P" -p --resume "$(printf '%s' "$FX" | tr a-f A-F)" hi
rc_not_found "an upper-cased id is not found (ids are case-sensitive)"
done_testing
