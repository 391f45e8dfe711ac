#!/bin/sh
# SPDX-License-Identifier: MIT
# cclink receive through the binary: a good bundle lands 0600 in the project folder; a
# truncated stream, a hash mismatch, trailing bytes, paths escaping the folder, a symlink
# in the folder, an oversized or future-version bundle are refused with nothing written;
# prefix keep/replace, diverged refused, --force; a missing project; --check.
. "$(dirname "$0")/lib.sh"

SID=40404040-aaaa-4000-8000-000000000001
mkdir -p "$HOME/proj"
P=$(cd "$HOME/proj" && pwd -P)
FOLDER=$HOME/.claude/projects/$(printf '%s' "$P" | sed 's/[^A-Za-z0-9]/-/g')
Z=0000000000000000000000000000000000000000000000000000000000000000
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; diag "got '$2', wanted '$3'"; fi
}
sha() { sha256sum "$1" | cut -c1-64; }
size() { wc -c <"$1" | tr -d ' '; }
# mkbundle OUT PROJECT FILE:PATH...: a bundle of those files under those bundle paths
mkbundle() {
	_o=$1 _p=$2
	shift 2
	printf 'cclink-bundle 1\nsession %s\nproject %s\n' "$SID" "$_p" >"$_o"
	for _fp in "$@"; do
		printf 'file %s %s %s\n' "$(size "${_fp%%:*}")" "$(sha "${_fp%%:*}")" "${_fp#*:}" >>"$_o"
	done
	echo end >>"$_o"
	for _fp in "$@"; do cat "${_fp%%:*}" >>"$_o"; done
}
nothing_written() {
	if [ -e "$FOLDER/$SID.jsonl" ] || [ -n "$(ls -A "$FOLDER" 2>/dev/null)" ]; then
		not_ok "$1"
		diag "$(find "$FOLDER" 2>&1)"
	else ok "$1"; fi
}
printf '{"type":"user","cwd":"%s","sessionId":"%s"}\n' "$P" "$SID" >"$T_DIR/t1"
head -c 5000 /dev/urandom >"$T_DIR/a1"
mkbundle "$T_DIR/good" "$P" "$T_DIR/t1:$SID.jsonl" "$T_DIR/a1:$SID/subagents/agent-1.jsonl"

# ---- refusals: nothing written --------------------------------------------------------------
head -c $(($(size "$T_DIR/good") - 10)) "$T_DIR/good" >"$T_DIR/trunc"
expect_exit "a truncated bundle: exit 1" 1 "$CCLINK" receive <"$T_DIR/trunc"
grep_err "it says the stream ended early" "nothing was written: the stream ended early"
nothing_written "truncated: nothing written"
head -c 120 "$T_DIR/good" >"$T_DIR/trunc2"
expect_exit "cut inside the header: exit 1" 1 "$CCLINK" receive <"$T_DIR/trunc2"
nothing_written "cut header: nothing written"
cp "$T_DIR/good" "$T_DIR/flip"
printf 'X' | dd of="$T_DIR/flip" bs=1 seek=$(($(size "$T_DIR/good") - 1)) conv=notrunc 2>/dev/null
expect_exit "a hash mismatch: exit 1" 1 "$CCLINK" receive <"$T_DIR/flip"
grep_err "it names the mismatch" "does not match its SHA-256"
nothing_written "hash mismatch: nothing written"
{ cat "$T_DIR/good"; printf 'extra'; } >"$T_DIR/trail"
expect_exit "trailing bytes: exit 1" 1 "$CCLINK" receive <"$T_DIR/trail"
grep_err "it names them" "bytes after the last file"
nothing_written "trailing bytes: nothing written"
for bad in "$SID/../../../../evil" "/etc/evil" "../$SID.jsonl" "$SID/.hidden" "$SID//x"; do
	mkbundle "$T_DIR/esc" "$P" "$T_DIR/t1:$SID.jsonl" "$T_DIR/a1:$bad"
	expect_exit "path '$bad': refused" 1 "$CCLINK" receive <"$T_DIR/esc"
	grep_err "malformed header named" "header is malformed \\(or names a path outside"
done
nothing_written "escaping paths: nothing written"
check "nothing outside the folder either" test ! -e "$HOME/.claude/evil" -a ! -e /etc/evil
printf 'cclink-bundle 1\nsession %s\nproject %s\nfile 99999999999 %s %s.jsonl\nend\n' "$SID" "$P" "$Z" "$SID" >"$T_DIR/huge"
expect_exit "an oversized bundle: exit 1" 1 "$CCLINK" receive <"$T_DIR/huge"
grep_err "it says it is over a limit" "over a size limit"
nothing_written "oversized: nothing written"
{ printf 'cclink-bundle 2\n'; tail -n +2 "$T_DIR/good"; } >"$T_DIR/v2"
expect_exit "a future version: exit 1" 1 "$CCLINK" receive <"$T_DIR/v2"
grep_err "it says to update" "newer bundle format: update cclink"
mkdir -p "$FOLDER"
ln -s "$T_DIR" "$FOLDER/$SID"
expect_exit "a symlink where the session folder goes: exit 1" 1 "$CCLINK" receive <"$T_DIR/good"
grep_err "it names the symlink" "symlink or not what it should be"
check "nothing written through the link" test ! -e "$T_DIR/subagents"
check "no transcript either" test ! -e "$FOLDER/$SID.jsonl"
rm "$FOLDER/$SID"
mkbundle "$T_DIR/noproj" /nonexistent/cclink/proj "$T_DIR/t1:$SID.jsonl"
expect_exit "a project that does not exist here: exit 8" 8 "$CCLINK" receive <"$T_DIR/noproj"
grep_err "it names the directory and --map" "'/nonexistent/cclink/proj' does not exist on this machine.*--map"
expect_exit "stdin a terminal-less empty stream: exit 1" 1 "$CCLINK" receive </dev/null
expect_exit "an unknown option: exit 2" 2 "$CCLINK" receive --bogus

# ---- good, kept, replaced, diverged, --force -------------------------------------------------
expect_exit "a good bundle: exit 0" 0 "$CCLINK" receive <"$T_DIR/good"
check "transcript written" cmp "$T_DIR/t1" "$FOLDER/$SID.jsonl"
check "folder file written" cmp "$T_DIR/a1" "$FOLDER/$SID/subagents/agent-1.jsonl"
is "transcript mode 0600" "$(stat -c %a "$FOLDER/$SID.jsonl")" 600
is "subagent mode 0600" "$(stat -c %a "$FOLDER/$SID/subagents/agent-1.jsonl")" 600
is "no staging left" "$(ls -A "$FOLDER" | grep -c cclink-recv)" 0
expect_exit "the same again: kept (exit 0)" 0 "$CCLINK" receive <"$T_DIR/good"
grep_err "it says it kept it" "already here"
{ cat "$T_DIR/t1"; echo '{"more":1}'; } >"$T_DIR/t2"
mkbundle "$T_DIR/longer" "$P" "$T_DIR/t2:$SID.jsonl"
expect_exit "a longer one: replaced (exit 0)" 0 "$CCLINK" receive <"$T_DIR/longer"
grep_err "it says it replaced" "replaced the older transcript"
check "replaced" cmp "$T_DIR/t2" "$FOLDER/$SID.jsonl"
expect_exit "the shorter one now: kept" 0 "$CCLINK" receive <"$T_DIR/good"
check "still the longer one" cmp "$T_DIR/t2" "$FOLDER/$SID.jsonl"
{ cat "$T_DIR/t1"; echo '{"other":2}'; } >"$T_DIR/t3"
mkbundle "$T_DIR/div" "$P" "$T_DIR/t3:$SID.jsonl"
expect_exit "diverged: refused (exit 1)" 1 "$CCLINK" receive <"$T_DIR/div"
grep_err "it says why and how to force" "differ from byte [0-9]+ on.*--force"
check "unchanged" cmp "$T_DIR/t2" "$FOLDER/$SID.jsonl"
expect_exit "--force: replaced" 0 "$CCLINK" receive --force <"$T_DIR/div"
check "now the forced one" cmp "$T_DIR/t3" "$FOLDER/$SID.jsonl"

# ---- --map and CLAUDE_CONFIG_DIR -------------------------------------------------------------
mkbundle "$T_DIR/other" /srv/elsewhere/proj "$T_DIR/t1:$SID.jsonl"
expect_exit "--map OLD=NEW: written for the mapped project" 0 env CLAUDE_CONFIG_DIR="$T_DIR/cc" \
	"$CCLINK" receive --map "/srv/elsewhere=$HOME" <"$T_DIR/other"
check "under CLAUDE_CONFIG_DIR, in the mapped project's folder" cmp "$T_DIR/t1" \
	"$T_DIR/cc/projects/$(basename "$FOLDER")/$SID.jsonl"

# ---- --check ---------------------------------------------------------------------------------
expect_exit "--check without identity: exit 0" 0 env PATH=/usr/bin:/bin "$CCLINK" receive --check
grep_out "pubkey null, identity missing" '"pubkey":null,"identity_missing":true'
grep_out "claude not found" '"claude":null'
done_testing
