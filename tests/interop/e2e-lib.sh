# SPDX-License-Identifier: MIT
# e2e-lib.sh — several "machines" in one test script, for the end-to-end handoff tests
# (tests/interop/2N-*.t) that drive the real ./cclink against the loopback testnet and relay.
# Source it after tests/cli/lib.sh and tests/interop/lib.sh:
#     . "$(dirname "$0")/../cli/lib.sh"
#     . "$(dirname "$0")/lib.sh"
#     . "$(dirname "$0")/e2e-lib.sh"
#
# A machine NAME is the directory $T_DIR/NAME: its HOME, with XDG_* under it, and a fake
# `claude` in $T_DIR/NAME/bin that records how it was started (argv, cwd, CLAUDE_CONFIG_DIR)
# in $T_DIR/NAME/claude.log and exits 0. Every machine shares CCLINK_BOOTSTRAP/CCLINK_RELAYS.
#
#   e2e_machine NAME...            create machines
#   on NAME [-C DIR] CMD...        run CMD as machine NAME (in DIR), in a new session without a
#                                  controlling terminal and with stdin from /dev/null, so a
#                                  prompt can never block a test run from a terminal
#   as_a / as_b / as_c ...         on a / on b / on c
#   on_tty NAME [-C DIR] INPUT CMD...  run CMD as NAME on a pseudo-terminal, typing the line INPUT
#   on_dialog NAME [-C DIR] PATTERN INPUT... -- CMD...  the same, typing each INPUT once its
#                                  PATTERN (ERE) shows on the terminal
#   e2e_folder PATH                Claude's project folder name for PATH (short paths)
#   on_term NAME [-C DIR] CMD...   run CMD as NAME with stdin and stdout on a pseudo-terminal
#   e2e_session ROOT DIR ID [TOUCH-DATE [NAME]]  write ROOT/projects/<folder DIR>/ID.jsonl, a
#                                  transcript shaped like the real CLI's (cwd=DIR, sessionId=ID)
#   e2e_transcript FILE DIR ID [NAME]  the same transcript at FILE
#   e2e_import NAME SEED [GLOBAL-OPTIONS]  cclink [GLOBAL-OPTIONS] init --import of a 64-hex
#                                  seed (no options: a plaintext key, --no-passphrase)
#   e2e_pk NAME                    print the machine's z32 public key (cclink whoami --json)
#   claude_reset NAME / claude_ran NAME / claude_field NAME KEY   the fake claude's log
#   is DESC GOT WANT               ok when GOT = WANT
#   json_is DESC PATH WANT         ok when field PATH of the JSON in $T_DIR/out is WANT
#   no_claude DESC NAME            ok when the fake claude of NAME was not started

: "${T_DIR:?source tests/cli/lib.sh first}"
E2E_BG_PIDS=""

e2e_machine() {
	for _e_n in "$@"; do
		_e_h=$T_DIR/$_e_n
		mkdir -p "$_e_h/bin" "$_e_h/.config" "$_e_h/.cache" "$_e_h/.local/state"
		cat >"$_e_h/bin/claude" <<EOF
#!/bin/sh
# Fake Claude Code for the cclink end-to-end tests: record how cclink started it.
{
	printf 'argc=%s\n' "\$#"
	printf 'argv=%s\n' "\$*"
	printf 'cwd=%s\n' "\$(pwd -P)"
	printf 'config_dir=%s\n' "\${CLAUDE_CONFIG_DIR-(unset)}"
} >"$_e_h/claude.log"
exit 0
EOF
		chmod 755 "$_e_h/bin/claude"
	done
}

on() {
	_e_m=$1
	shift
	_e_cd=.
	if [ "${1:-}" = -C ]; then
		_e_cd=$2
		shift 2
	fi
	(
		cd "$_e_cd" || exit 125
		HOME=$T_DIR/$_e_m
		XDG_CONFIG_HOME=$HOME/.config
		XDG_CACHE_HOME=$HOME/.cache
		XDG_STATE_HOME=$HOME/.local/state
		PATH=$HOME/bin:$PATH
		export HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_STATE_HOME PATH
		# Under e2e_bg: leave the pid that CMD will run as, so cleanup can stop it.
		if [ -n "${E2E_PIDFILE:-}" ]; then sh -c 'echo "$PPID"' >>"$E2E_PIDFILE"; fi
		unset E2E_PIDFILE
		exec setsid -w "$@" </dev/null
	)
}
# on_tty NAME [-C DIR] INPUT CMD...: run CMD as machine NAME on a fresh pseudo-terminal (script(1)),
# typing the line INPUT at once; the terminal's output (prompts, stderr, stdout) is on stdout.
on_tty() {
	_e_m=$1
	shift
	if [ "${1:-}" = -C ]; then
		_e_cd=$2
		shift 2
	else
		_e_cd=.
	fi
	_e_in=$1
	shift
	on_dialog "$_e_m" -C "$_e_cd" '' "$_e_in" -- "$@"
}
# on_dialog NAME [-C DIR] PATTERN INPUT [PATTERN INPUT]... -- CMD...: run CMD as NAME on a
# pseudo-terminal; each INPUT line is typed only once PATTERN (an ERE) has appeared on the
# terminal, so input meets the program after it has set up the terminal (a no-echo read
# discards what was typed before it). The terminal's output is on stdout.
on_dialog() {
	_e_m=$1
	shift
	_e_cd=.
	if [ "${1:-}" = -C ]; then
		_e_cd=$2
		shift 2
	fi
	_e_ts=$T_DIR/dialog.typescript
	rm -f "$T_DIR"/dialog.[0-9]*
	: >"$_e_ts"
	_e_n=0
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		_e_n=$((_e_n + 1))
		printf '%s' "$1" >"$T_DIR/dialog.$_e_n.pat"
		printf '%s\n' "$2" >"$T_DIR/dialog.$_e_n.in"
		shift 2
	done
	shift
	_e_cmd=""
	for _e_a in "$@"; do
		_e_cmd="$_e_cmd '$(printf '%s' "$_e_a" | sed "s/'/'\\\\''/g")'"
	done
	(
		cd "$_e_cd" || exit 125
		HOME=$T_DIR/$_e_m
		XDG_CONFIG_HOME=$HOME/.config
		XDG_CACHE_HOME=$HOME/.cache
		XDG_STATE_HOME=$HOME/.local/state
		PATH=$HOME/bin:$PATH
		SHELL=/bin/sh
		export HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_STATE_HOME PATH SHELL
		{
			_e_k=1 _e_off=1
			while [ $_e_k -le $_e_n ]; do
				# wait (up to 10 s) for the pattern in what the terminal showed since the last answer
				_e_i=0
				[ -s "$T_DIR/dialog.$_e_k.pat" ] || _e_i=200  # no pattern: type at once
				while [ $_e_i -lt 200 ] &&
					! tail -c +$_e_off "$_e_ts" | grep -Eq -f "$T_DIR/dialog.$_e_k.pat"; do
					sleep 0.05
					_e_i=$((_e_i + 1))
				done
				_e_off=$(($(wc -c <"$_e_ts") + 1))
				cat "$T_DIR/dialog.$_e_k.in"
				_e_k=$((_e_k + 1))
			done
		} | exec setsid -w script -qfec "$_e_cmd" "$_e_ts"
	)
}
# on_term NAME [-C DIR] CMD...: as `on`, but CMD's standard input and output are a fresh
# pseudo-terminal (script(1)), as when a user types the command; its stderr stays a pipe. What
# the terminal showed is on stdout (with CR LF line ends). pickup needs this to start claude.
on_term() {
	_e_m=$1
	shift
	_e_cd=.
	if [ "${1:-}" = -C ]; then
		_e_cd=$2
		shift 2
	fi
	_e_cmd=""
	for _e_a in "$@"; do
		_e_cmd="$_e_cmd '$(printf '%s' "$_e_a" | sed "s/'/'\\\\''/g")'"
	done
	# Nothing is typed: a prompt would wait forever, so the run is cut off after 2 minutes.
	on "$_e_m" -C "$_e_cd" timeout 120 script -qfec "$_e_cmd 2>&3" /dev/null 3>&2
}
as_a() { on a "$@"; }
as_b() { on b "$@"; }
as_c() { on c "$@"; }

# Claude's rule is a JS regex over UTF-16 code units: let node apply it.
e2e_folder() { node -e 'process.stdout.write(process.argv[1].replace(/[^a-zA-Z0-9]/g, "-"))' "$1"; }
_e_json_str() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }

# A transcript shaped like the ones Claude Code 2.1.328 writes (checked against the real CLI in
# tests/claude): custom-title/agent-name lines for a named session, queue-operation lines
# without cwd, then a root user line (parentUuid null, uuid, cwd, sessionId, version,
# gitBranch), an assistant reply chained to it and a last-prompt line. `claude --resume`
# finds such a file; one without parentUuid/uuid is "No conversation found".
#   e2e_transcript FILE DIR ID [NAME]
e2e_transcript() {
	_e_cwd=$(_e_json_str "$2")
	_e_u1=$(cat /proc/sys/kernel/random/uuid)
	_e_u2=$(cat /proc/sys/kernel/random/uuid)
	_e_ts=2025-01-01T00:00:00.000Z
	_e_common="\"userType\":\"external\",\"entrypoint\":\"cli\",\"cwd\":\"$_e_cwd\",\"sessionId\":\"$3\",\"version\":\"2.1.328\",\"gitBranch\":\"\""
	{
		if [ -n "${4:-}" ]; then
			_e_nm=$(_e_json_str "$4")
			printf '{"type":"custom-title","customTitle":"%s","sessionId":"%s"}\n' "$_e_nm" "$3"
			printf '{"type":"agent-name","agentName":"%s","sessionId":"%s"}\n' "$_e_nm" "$3"
		fi
		printf '{"type":"queue-operation","operation":"enqueue","timestamp":"%s","sessionId":"%s","content":"hello from %s"}\n' "$_e_ts" "$3" "$3"
		printf '{"type":"queue-operation","operation":"dequeue","timestamp":"%s","sessionId":"%s"}\n' "$_e_ts" "$3"
		printf '{"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"user","content":"hello from %s"},"uuid":"%s","timestamp":"%s",%s}\n' \
			"$3" "$_e_u1" "$_e_ts" "$_e_common"
		printf '{"parentUuid":"%s","isSidechain":false,"type":"assistant","uuid":"%s","timestamp":"%s","message":{"id":"msg_01","type":"message","role":"assistant","model":"<synthetic>","content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}},%s}\n' \
			"$_e_u1" "$_e_u2" "$_e_ts" "$_e_common"
		printf '{"type":"last-prompt","lastPrompt":"hello from %s","leafUuid":"%s","sessionId":"%s"}\n' "$3" "$_e_u2" "$3"
	} >"$1"
	chmod 600 "$1"
}

#   e2e_session ROOT DIR ID [TOUCH-DATE [NAME]]
e2e_session() {
	_e_dir=$1/projects/$(e2e_folder "$2")
	mkdir -p "$_e_dir"
	e2e_transcript "$_e_dir/$3.jsonl" "$2" "$3" "${5:-}"
	if [ -n "${4:-}" ]; then touch -d "$4" "$_e_dir/$3.jsonl"; fi
}

e2e_import() {
	_e_m=$1 _e_seed=$2
	shift 2
	printf '%s' "$_e_seed" >"$T_DIR/$_e_m.seed"
	if [ $# -eq 0 ]; then
		set -- init --no-passphrase
	else
		set -- "$@" init
	fi
	if ! on "$_e_m" "$CCLINK" "$@" --import "$T_DIR/$_e_m.seed" -y >"$T_DIR/init.out" 2>&1; then
		diag "$(cat "$T_DIR/init.out")"
		return 1
	fi
}

e2e_pk() { on "$1" "$CCLINK" whoami --json | harness_json .pubkey; }

claude_reset() { rm -f "$T_DIR/$1/claude.log"; }
claude_ran() { [ -f "$T_DIR/$1/claude.log" ]; }
claude_field() { sed -n "s/^$2=//p" "$T_DIR/$1/claude.log" 2>/dev/null; }

is() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		not_ok "$1"
		diag "got:    '$2'" "wanted: '$3'"
	fi
}
json_is() { is "$1" "$(harness_json "$2" <"$T_DIR/out" 2>/dev/null)" "$3"; }
no_claude() {
	if claude_ran "$2"; then
		not_ok "$1"
		diag "claude was started: $(cat "$T_DIR/$2/claude.log")"
	else ok "$1"; fi
}

# e2e_bg VAR CMD...: start CMD (e.g. as_b ...) in the background, the job's pid in VAR; the
# job and the processes `on` started in it are stopped at exit if still running.
e2e_bg() {
	_e_var=$1
	shift
	(
		E2E_PIDFILE=$T_DIR/bg.pids
		export E2E_PIDFILE
		"$@"
	) &
	eval "$_e_var=\$!"
	E2E_BG_PIDS="$E2E_BG_PIDS $!"
}
e2e_stop_bg() {
	for _e_p in $E2E_BG_PIDS $(cat "$T_DIR/bg.pids" 2>/dev/null); do kill "$_e_p" 2>/dev/null; done
	return 0
}
T_CLEANUP_HOOKS="e2e_stop_bg $T_CLEANUP_HOOKS"
