# SPDX-License-Identifier: MIT
# fixtures.sh — the C tool's side of the interop tests: identities, fake Claude Code
# sessions and small assertions. Source it after tests/cli/lib.sh and tests/interop/lib.sh.
#
#   fx_identity SEED [HOME]      import a 64-hex seed as the (plaintext) identity of HOME
#                                (default $HOME); prints nothing, returns cclink's status
#   fx_session DIR [UUID] [HOME] a Claude Code transcript for project DIR (created), so that
#                                `cclink publish -y` run in DIR finds the session
#   fx_publish DIR [ARGS...]     run `cclink publish -y ARGS` in DIR (stdout/stderr/RC like run)
#   fx_is DESC GOT WANT          ok when the two strings are equal, else diagnostics
#   fx_json PATH [FILE]          harness_json PATH on FILE (default $T_DIR/out)
#   fx_z32 SEED                  the z-base-32 public key of a seed (krpc-client make-packet)
#   fx_closed_port               a loopback UDP/TCP port nobody listens on (just released)
#   fx_sp_hex FILE               hex of a file (od), one line

fx_identity() {
	_fx_home=${2:-$HOME}
	mkdir -p "$_fx_home"
	printf '%s' "$1" >"$T_DIR/fx-seed.$$"
	HOME=$_fx_home "$CCLINK" init --import "$T_DIR/fx-seed.$$" --no-passphrase -y >/dev/null 2>"$T_DIR/fx-init.err"
	_fx_rc=$?
	rm -f "$T_DIR/fx-seed.$$"
	[ "$_fx_rc" -eq 0 ] || diag "cclink init --import failed ($_fx_rc): $(cat "$T_DIR/fx-init.err")"
	return "$_fx_rc"
}

fx_session() {
	_fx_dir=$1
	_fx_uuid=${2:-0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e}
	_fx_home=${3:-$HOME}
	mkdir -p "$_fx_dir"
	_fx_dir=$(cd "$_fx_dir" && pwd -P)
	_fx_enc=$(printf '%s' "$_fx_dir" | sed 's/[^A-Za-z0-9]/-/g')
	mkdir -p "$_fx_home/.claude/projects/$_fx_enc"
	# Shaped like the real CLI's transcripts (see e2e_transcript in e2e-lib.sh).
	{
		printf '{"type":"queue-operation","operation":"enqueue","timestamp":"2025-01-01T00:00:00.000Z","sessionId":"%s","content":"hello"}\n' "$_fx_uuid"
		printf '{"type":"queue-operation","operation":"dequeue","timestamp":"2025-01-01T00:00:00.000Z","sessionId":"%s"}\n' "$_fx_uuid"
		printf '{"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"user","content":"hello"},"uuid":"%s","timestamp":"2025-01-01T00:00:00.000Z","userType":"external","entrypoint":"cli","cwd":"%s","sessionId":"%s","version":"2.1.328","gitBranch":""}\n' \
			"$(cat /proc/sys/kernel/random/uuid)" "$_fx_dir" "$_fx_uuid"
	} >"$_fx_home/.claude/projects/$_fx_enc/$_fx_uuid.jsonl"
}

fx_publish() {
	_fx_dir=$1
	shift
	run sh -c 'cd "$1" && shift && exec "$@"' fx "$_fx_dir" "$CCLINK" publish -y "$@"
}

fx_is() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		not_ok "$1"
		diag "got:  '$(printf '%s' "$2" | head -c 600)'" "want: '$(printf '%s' "$3" | head -c 600)'"
	fi
}

fx_json() { harness_json "$1" <"${2:-$T_DIR/out}"; }

fx_z32() { harness_krpc make-packet --seed "$1" | harness_json .z32; }

fx_closed_port() {
	"$HARNESS_NODE" -e '
const s = require("net").createServer().listen(0, "127.0.0.1", () => {
  const p = s.address().port; s.close(() => console.log(p)) })'
}

fx_sp_hex() { od -An -v -tx1 "$1" | tr -d ' \n'; }
