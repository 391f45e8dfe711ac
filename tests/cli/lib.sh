# SPDX-License-Identifier: MIT
# lib.sh — TAP helpers for the CLI tests. Source it from a tests/cli/*.t script.
# Every test gets its own temporary HOME and XDG dirs, removed on exit.
set -u
: "${CCLINK:?set CCLINK to the cclink binary (make check does)}"
: "${CCLINK_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
T_NUM=0
T_FAIL=0
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cclink-test.XXXXXX")
export HOME="$T_DIR/home"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_CACHE_HOME="$HOME/.cache"
export XDG_STATE_HOME="$HOME/.local/state"
mkdir -p "$HOME"
unset CCLINK_ASKPASS CLAUDE_CONFIG_DIR CLAUDE_CODE_SESSION_ID NO_COLOR
# Never reach the public DHT or relays from a test.
export CCLINK_BOOTSTRAP="${CCLINK_BOOTSTRAP:-127.0.0.1:9}"
export CCLINK_RELAYS="${CCLINK_RELAYS:-none}"
T_CLEANUP_HOOKS=""
t_cleanup() {
	for h in $T_CLEANUP_HOOKS; do "$h" || true; done
	rm -rf "$T_DIR"
}
trap t_cleanup EXIT

plan() { echo "1..$1"; }
ok() { T_NUM=$((T_NUM + 1)); echo "ok $T_NUM - $*"; }
not_ok() { T_NUM=$((T_NUM + 1)); T_FAIL=$((T_FAIL + 1)); echo "not ok $T_NUM - $*"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
# check DESC CMD...: pass when CMD exits 0
check() { d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# run CMD... capturing stdout to $T_DIR/out, stderr to $T_DIR/err, status to $RC
run() { "$@" >"$T_DIR/out" 2>"$T_DIR/err"; RC=$?; }
# expect_exit DESC CODE CMD...
expect_exit() {
	d=$1; want=$2; shift 2
	run "$@"
	if [ "$RC" -eq "$want" ]; then ok "$d"; else
		not_ok "$d (exit $RC, wanted $want)"; diag "stdout: $(head -c 2000 "$T_DIR/out")" "stderr: $(head -c 2000 "$T_DIR/err")"
	fi
}
# grep_out/grep_err DESC REGEX
grep_out() { if grep -Eq -- "$2" "$T_DIR/out"; then ok "$1"; else not_ok "$1"; diag "stdout: $(head -c 2000 "$T_DIR/out")"; fi; }
grep_err() { if grep -Eq -- "$2" "$T_DIR/err"; then ok "$1"; else not_ok "$1"; diag "stderr: $(head -c 2000 "$T_DIR/err")"; fi; }
done_testing() { echo "1..$T_NUM"; [ "$T_FAIL" -eq 0 ]; }
