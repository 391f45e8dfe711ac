#!/bin/sh
# SPDX-License-Identifier: MIT
#
# cclink SessionStart hook for Claude Code.
#
# Claude Code runs this at every session start (startup, resume, clear,
# compact, fork) with JSON on stdin: {"session_id", "transcript_path", "cwd",
# "source", ...}. It records which session runs in this terminal, so that a
# plain `cclink` finds it later: after claude exited, or on Claude Code builds
# that do not set $CLAUDE_CODE_SESSION_ID for the Bash tool.
#
# State: ${XDG_STATE_HOME:-$HOME/.local/state}/cclink/sessions/<key>.json,
# one small JSON object per key, written atomically with mode 0600:
#   pid-<PID>.json                the claude process (PID found by walking up
#                                 from this hook; "pid_start" is the Linux
#                                 /proc starttime so a reused PID is rejected)
#   tmux-<SERVER PID>-<PANE>.json the tmux pane ($TMUX, $TMUX_PANE)
#   tty-<NAME>.json               claude's terminal, /dev/ stripped, every
#                                 byte outside [A-Za-z0-9] turned into '-'
#                                 (/dev/pts/3 -> tty-pts-3)
# Fields: v, session_id, transcript_path, cwd, source, pid, pid_start,
# written_at. cclink's src/handoff/session_detect.c reads them.
#
# It prints nothing on stdout (SessionStart output would become model
# context) and always exits 0, so it can never block a session.
# CCLINK_HOOK_PARSER=jq|python3|sed forces a JSON reader (for tests).

umask 077
exec >/dev/null

input=$(head -c 65536 2>/dev/null)
[ -n "$input" ] || exit 0

parser=${CCLINK_HOOK_PARSER:-}
if [ -z "$parser" ]; then
	if command -v jq >/dev/null 2>&1; then
		parser=jq
	elif command -v python3 >/dev/null 2>&1; then
		parser=python3
	else
		parser="sed"
	fi
fi

# field NAME: the top-level string NAME of the input, or nothing.
field() {
	case $parser in
	jq)
		printf '%s' "$input" | jq -r --arg k "$1" \
		    'if type == "object" and (.[$k] | type) == "string" then .[$k] else empty end' 2>/dev/null
		;;
	python3)
		printf '%s' "$input" | python3 -c '
import json, sys
try:
    v = json.load(sys.stdin).get(sys.argv[1])
except Exception:
    v = None
if isinstance(v, str):
    sys.stdout.write(v)
' "$1" 2>/dev/null
		;;
	*)
		# Last resort: "key":"value" without escapes; anything fancier is skipped.
		printf '%s' "$input" | tr -d '\n' |
		    sed -n 's/.*"'"$1"'"[[:space:]]*:[[:space:]]*"\([^"\\]*\)".*/\1/p'
		;;
	esac
}

# printable TEXT: no control characters (they would end up in JSON and paths).
printable() {
	case $1 in
	*[[:cntrl:]]*) return 1 ;;
	esac
	return 0
}

# JSON string literal body for TEXT (already printable).
json_escape() {
	printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'
}

h='[0-9a-fA-F]'
uuid="$h$h$h$h$h$h$h$h-$h$h$h$h-$h$h$h$h-$h$h$h$h-$h$h$h$h$h$h$h$h$h$h$h$h"

sid=$(field session_id)
# shellcheck disable=SC2254 # $uuid is a pattern on purpose
case $sid in
$uuid) ;;
*) exit 0 ;;
esac
tpath=$(field transcript_path)
cwd=$(field cwd)
source=$(field source)
printable "$tpath" || tpath=
printable "$cwd" || cwd=
case $source in
startup | resume | clear | compact | fork) ;;
*) source= ;;
esac

# Process helpers: /proc on Linux, ps elsewhere.
proc_ppid() {
	if [ -r "/proc/$1/stat" ]; then
		sed -n 's/.*) [^ ]* \([0-9][0-9]*\) .*/\1/p' "/proc/$1/stat" 2>/dev/null
	else
		ps -o ppid= -p "$1" 2>/dev/null | tr -d ' '
	fi
}
proc_comm() {
	if [ -r "/proc/$1/comm" ]; then
		cat "/proc/$1/comm" 2>/dev/null
	else
		ps -o comm= -p "$1" 2>/dev/null
	fi
}
proc_args() {
	if [ -r "/proc/$1/cmdline" ]; then
		tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null
	else
		ps -o args= -p "$1" 2>/dev/null
	fi
}
proc_start() {
	[ -r "/proc/$1/stat" ] || return 0
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20
}
proc_tty() {
	t=$(ps -o tty= -p "$1" 2>/dev/null | tr -d ' ')
	if [ -z "$t" ] && [ -r "/proc/$1/fd/0" ]; then
		t=$(readlink "/proc/$1/fd/0" 2>/dev/null)
	fi
	t=${t#/dev/}
	case $t in
	'' | '?' | '??' | pipe:* | socket:* | /*) t= ;;
	esac
	printf '%s' "$t"
}

# The claude process: the nearest ancestor named claude (or node/bun running
# claude's cli), at most 10 levels up.
cpid=
p=$PPID
i=0
while [ -n "$p" ] && [ "$p" -gt 1 ] 2>/dev/null && [ $i -lt 10 ]; do
	c=$(proc_comm "$p")
	c=${c##*/}
	case $c in
	claude | claude.exe)
		cpid=$p
		break
		;;
	node | bun | node.exe)
		case $(proc_args "$p") in
		*claude*)
			cpid=$p
			break
			;;
		esac
		;;
	esac
	p=$(proc_ppid "$p")
	i=$((i + 1))
done

pstart=
[ -n "$cpid" ] && pstart=$(proc_start "$cpid")
case $pstart in
*[!0-9]*) pstart= ;;
esac

dir=${XDG_STATE_HOME:-}
case $dir in
/*) ;;
*) dir=${HOME:-}/.local/state ;;
esac
case $dir in
/*) ;;
*) exit 0 ;;
esac
dir=$dir/cclink/sessions
mkdir -p "$dir" 2>/dev/null || exit 0
chmod 700 "$dir" 2>/dev/null

json="{\"v\":1,\"session_id\":\"$sid\""
[ -n "$tpath" ] && json="$json,\"transcript_path\":\"$(json_escape "$tpath")\""
[ -n "$cwd" ] && json="$json,\"cwd\":\"$(json_escape "$cwd")\""
[ -n "$source" ] && json="$json,\"source\":\"$source\""
[ -n "$cpid" ] && json="$json,\"pid\":$cpid"
[ -n "$pstart" ] && json="$json,\"pid_start\":\"$pstart\""
json="$json,\"written_at\":$(date +%s)}"

# write KEY: atomically replace <dir>/<KEY>.json.
write() {
	tmp=$(mktemp "$dir/.$1.XXXXXX" 2>/dev/null) || return 0
	if printf '%s\n' "$json" >"$tmp" && mv -f "$tmp" "$dir/$1.json"; then
		return 0
	fi
	rm -f "$tmp"
}

if [ -n "$cpid" ]; then
	write "pid-$cpid"
	tty=$(proc_tty "$cpid")
else
	tty=$(proc_tty "$PPID")
fi
if [ -n "${TMUX:-}" ] && [ -n "${TMUX_PANE:-}" ]; then
	srv=${TMUX%,*}
	srv=${srv##*,}
	pane=${TMUX_PANE#%}
	case $srv$pane in
	'' | *[!0-9]*) ;;
	*) [ -n "$srv" ] && [ -n "$pane" ] && write "tmux-$srv-$pane" ;;
	esac
fi
if [ -n "$tty" ]; then
	write "tty-$(printf '%s' "$tty" | tr -c 'A-Za-z0-9' '-')"
fi

# Forget processes that are gone.
for f in "$dir"/pid-*.json; do
	[ -e "$f" ] || continue
	p=${f##*/pid-}
	p=${p%.json}
	case $p in
	'' | *[!0-9]*) continue ;;
	esac
	kill -0 "$p" 2>/dev/null || [ -d "/proc/$p" ] || rm -f "$f"
done
exit 0
