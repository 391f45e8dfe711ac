# SPDX-License-Identifier: MIT
# lib.sh — helpers for the tests against the real Claude Code CLI (tests/claude/*.t). Source it
# after tests/cli/lib.sh, tests/interop/lib.sh and tests/interop/e2e-lib.sh.
#
# The CLI only ever runs through claude-offline (unshare -n, throwaway HOME below $T_DIR): it
# has no network and no login, but it still writes transcripts, runs SessionStart hooks and
# slash commands, and resolves --resume before it fails. So a session id is
#   found     when it gets past the lookup: print mode says "Not logged in", interactive mode
#             shows the conversation and its "run /login" status line;
#   not found when it says "No conversation found with session ID".
#
#   rc_machine NAME...          e2e machines whose `claude` on PATH is claude-offline, with
#                               onboarding done and every folder trusted (~/.claude.json)
#   rc_config_root DIR          the same .claude.json inside a CLAUDE_CONFIG_DIR
#   rc_claude NAME [-C DIR] [VAR=VALUE]... ARGS...   run `claude ARGS` as NAME, like `run`
#   rc_term NAME [-C DIR] CMD...      run CMD as NAME on a terminal; once the real CLI shows its
#                               prompt, type /exit. What the terminal showed (escape sequences
#                               removed) is in $T_DIR/out, the status in RC.
#   rc_found DESC / rc_not_found DESC   classify $T_DIR/out + $T_DIR/err as above
#   rc_sessions ROOT DIR        the session ids (file stems) in DIR's folder under ROOT/projects
#   rc_folders ROOT             the folder names under ROOT/projects

: "${T_DIR:?source tests/cli/lib.sh first}"
CCLINK_CLAUDE_SANDBOX=$T_DIR
export CCLINK_CLAUDE_SANDBOX CCLINK_TOP
RC_WRAPPER=$CCLINK_TOP/tests/claude/claude-offline
: "${CCLINK_SESSION:=$CCLINK_TOP/build/tests/bin/cclink-session}"

_rc_json='{"hasCompletedOnboarding":true,"projects":{"/":{"hasTrustDialogAccepted":true}}}'
rc_config_root() {
	mkdir -p "$1"
	printf '%s\n' "$_rc_json" >"$1/.claude.json"
}
rc_machine() {
	e2e_machine "$@"
	for _r_n in "$@"; do
		cp "$RC_WRAPPER" "$T_DIR/$_r_n/bin/claude"
		printf '%s\n' "$_rc_json" >"$T_DIR/$_r_n/.claude.json"
	done
}

# The CLI never waits for a model here; 60 s only guards against a hang.
rc_claude() {
	_r_m=$1
	shift
	_r_cd=.
	if [ "${1:-}" = -C ]; then
		_r_cd=$2
		shift 2
	fi
	_r_n=0
	for _r_a in "$@"; do
		case $_r_a in -*) break ;; *=*) _r_n=$((_r_n + 1)) ;; *) break ;; esac
	done
	# env VAR=VALUE... claude ARGS (the leading VAR=VALUE arguments stay before "claude")
	_r_i=0
	for _r_a in "$@"; do
		[ $_r_i -eq "$_r_n" ] && set -- "$@" claude
		set -- "$@" "$_r_a"
		shift
		_r_i=$((_r_i + 1))
	done
	[ $_r_i -eq "$_r_n" ] && set -- "$@" claude
	run on "$_r_m" -C "$_r_cd" timeout 60 env "$@"
}

_rc_strip() { sed 's/\x1b\[[0-9;?<>=]*[a-zA-Z~]/ /g; s/\x1b[]][^\x07]*\x07//g; s/\x1b[()][0-9A-B]//g; s/\r//g' "$1"; }
rc_term() {
	_r_m=$1
	shift
	_r_cd=.
	if [ "${1:-}" = -C ]; then
		_r_cd=$2
		shift 2
	fi
	_r_cmd=""
	for _r_a in "$@"; do
		_r_cmd="$_r_cmd '$(printf '%s' "$_r_a" | sed "s/'/'\\\\''/g")'"
	done
	_r_ts=$T_DIR/rc.typescript
	: >"$_r_ts"
	{
		# Type /exit once the prompt is up (again every second, in case a key came too early).
		_r_i=0
		while [ $_r_i -lt 60 ]; do
			sleep 1
			_r_i=$((_r_i + 1))
			if grep -q 'Resume this session with\|No conversation found\|Script done' "$_r_ts"; then break; fi
			if grep -q 'run /login' "$_r_ts"; then printf '/exit\r'; fi
		done
	} | (
		# as `on`, but stdin stays the pipe above
		cd "$_r_cd" || exit 125
		HOME=$T_DIR/$_r_m
		XDG_CONFIG_HOME=$HOME/.config
		XDG_CACHE_HOME=$HOME/.cache
		XDG_STATE_HOME=$HOME/.local/state
		PATH=$HOME/bin:$PATH
		export HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_STATE_HOME PATH
		exec setsid -w timeout 90 script -qfec "$_r_cmd" "$_r_ts"
	) >/dev/null 2>"$T_DIR/err"
	RC=$?
	_rc_strip "$_r_ts" >"$T_DIR/out"
	: >"$T_DIR/err"
}

rc_found() {
	if grep -q 'No conversation found' "$T_DIR/out" "$T_DIR/err" ||
		! grep -q 'Not logged in\|run /login' "$T_DIR/out" "$T_DIR/err"; then
		not_ok "$1"
		diag "out: $(tail -c 1500 "$T_DIR/out")" "err: $(tail -c 1500 "$T_DIR/err")"
	else ok "$1"; fi
}
rc_not_found() {
	if grep -q 'No conversation found with session ID' "$T_DIR/out" "$T_DIR/err"; then ok "$1"; else
		not_ok "$1"
		diag "out: $(tail -c 1500 "$T_DIR/out")" "err: $(tail -c 1500 "$T_DIR/err")"
	fi
}

rc_folders() { ls "$1/projects" 2>/dev/null | grep -v '^memory$' | sort; }
rc_sessions() {
	for _r_f in "$1/projects/$2"/*.jsonl; do
		[ -e "$_r_f" ] || continue
		_r_f=${_r_f##*/}
		printf '%s\n' "${_r_f%.jsonl}"
	done
}
