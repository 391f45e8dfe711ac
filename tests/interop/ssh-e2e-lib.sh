# SPDX-License-Identifier: MIT
# ssh-e2e-lib.sh — two machines over a real sshd, with real tmux, for the `cclink ssh` and
# ssh-integration tests (tests/interop/5N-*.t). Source it after tests/cli/lib.sh,
# tests/interop/lib.sh, e2e-lib.sh and sshd-lib.sh (sshd_isolate first, as sshd-lib.sh says).
#
# Machine `a` is the local side (the user at a terminal), machine `b` the far side, reached as
# $SSHD_HOST through sshd (same user, HOME=$T_DIR/b). Both share the loopback DHT testnet and
# relay. The local terminal is a tmux server of its own (socket $T_DIR/tmux-local); the far
# side's tmux (the one `cclink pickup --tmux` starts) lives under TMUX_TMPDIR=$T_DIR/far-tmux.
#
#   sshe_setup SEED            testnet, relay, machines a and b with the same identity, an ssh
#                              key, sshd (far PATH = $T_DIR/b/bin only: cclink, claude, tmux),
#                              the client config $SSHE_CFG with Host $SSHD_HOST
#   sshe_far_claude            make b's fake claude stay running (it prints FAKE-CLAUDE ...)
#   term_run NAME CMD...       run CMD as machine a in a new window NAME of the local tmux,
#                              80x24... its exit status lands in $T_DIR/NAME.rc
#   term_wait NAME REGEX       wait (up to 30 s) until the window shows REGEX; 1 if not
#   term_done NAME             wait (up to 30 s) for CMD to end; prints its status
#   term_keys NAME KEYS...     tmux send-keys to the window
#   term_show NAME             the window's text (capture-pane)
#   far_tmux ARGS...           tmux on the far side's server
#   wait_file PATH             wait (up to 30 s) until PATH exists

sshe_setup() {
	harness_start_testnet --nodes 8 || return 1
	harness_start_relay || return 1
	e2e_machine a b
	e2e_import a "$1" || return 1
	e2e_import b "$1" || return 1
	ssh-keygen -q -t ed25519 -N '' -C sshe@test -f "$T_DIR/sshkey" || return 1
	ln -sf "$CCLINK" "$T_DIR/b/bin/cclink"
	ln -sf "$(command -v tmux)" "$T_DIR/b/bin/tmux"
	mkdir -p "$T_DIR/far-tmux" "$T_DIR/tmp"
	chmod 700 "$T_DIR/far-tmux"
	sshd_start "$T_DIR/b" "$T_DIR/sshkey.pub" "PATH=$T_DIR/b/bin" \
		"XDG_CONFIG_HOME=$T_DIR/b/.config" "XDG_CACHE_HOME=$T_DIR/b/.cache" \
		"XDG_STATE_HOME=$T_DIR/b/.local/state" "CCLINK_BOOTSTRAP=$CCLINK_BOOTSTRAP" \
		"CCLINK_RELAYS=$CCLINK_RELAYS" "TMUX_TMPDIR=$T_DIR/far-tmux" || return 1
	SSHE_CFG=$T_DIR/ssh_config
	sshd_client_config "$SSHE_CFG" "$T_DIR/sshkey"
	T_CLEANUP_HOOKS="sshe_cleanup $T_CLEANUP_HOOKS"
	return 0
}

sshe_cleanup() {
	TMUX_TMPDIR=$T_DIR/far-tmux tmux kill-server 2>/dev/null
	tmux -S "$T_DIR/tmux-local" kill-server 2>/dev/null
	# A master a failing run left behind (cclink ties it to itself, but a test may fail).
	pkill -f "^ssh -S $T_DIR/tmp/cclink-ssh" 2>/dev/null
	return 0
}

sshe_far_claude() {
	cat >"$T_DIR/b/bin/claude" <<EOF
#!/bin/sh
# Fake Claude Code that stays running (as the real one does), after logging how it started.
{
	printf 'argc=%s\n' "\$#"
	printf 'argv=%s\n' "\$*"
	printf 'cwd=%s\n' "\$(pwd -P)"
	printf 'config_dir=%s\n' "\${CLAUDE_CONFIG_DIR-(unset)}"
	printf 'term=%s\n' "\${TERM-}"
	printf 'pid=%s\n' "\$\$"
} >"$T_DIR/b/claude.log"
printf 'FAKE-CLAUDE %s in %s\n' "\$*" "\$(pwd -P)"
exec /bin/sleep 100000
EOF
	chmod 755 "$T_DIR/b/bin/claude"
}

far_tmux() { TMUX_TMPDIR=$T_DIR/far-tmux tmux "$@"; }

# The local terminal: one tmux server, one window per command.
term_run() {
	_t_n=$1
	shift
	rm -f "$T_DIR/$_t_n.rc"
	{
		echo '#!/bin/sh'
		# Ctrl-C in the window is for CMD: the wrapper waits and records its status.
		echo 'trap : INT'
		echo "cd '$T_DIR/a' || exit 125"
		echo "HOME='$T_DIR/a' XDG_CONFIG_HOME='$T_DIR/a/.config' XDG_CACHE_HOME='$T_DIR/a/.cache'"
		echo "XDG_STATE_HOME='$T_DIR/a/.local/state' PATH='$T_DIR/a/bin:$PATH' TMPDIR='$T_DIR/tmp'"
		echo "CCLINK_BOOTSTRAP='$CCLINK_BOOTSTRAP' CCLINK_RELAYS='$CCLINK_RELAYS'"
		echo "export HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_STATE_HOME PATH TMPDIR CCLINK_BOOTSTRAP CCLINK_RELAYS"
		[ -n "${TERM_CD:-}" ] && echo "cd '$TERM_CD' || exit 125"
		printf '%s' '"$@"'
		echo "; echo \$? >'$T_DIR/$_t_n.rc'"
	} >"$T_DIR/$_t_n.sh"
	chmod 755 "$T_DIR/$_t_n.sh"
	if tmux -S "$T_DIR/tmux-local" has-session 2>/dev/null; then
		tmux -S "$T_DIR/tmux-local" new-window -d -n "$_t_n" "$T_DIR/$_t_n.sh" "$@"
	else
		tmux -S "$T_DIR/tmux-local" -f /dev/null new-session -d -s local -n "$_t_n" -x 100 -y 30 \
			"$T_DIR/$_t_n.sh" "$@"
		tmux -S "$T_DIR/tmux-local" set-option -g remain-on-exit on >/dev/null
		tmux -S "$T_DIR/tmux-local" set-option -g history-limit 5000 >/dev/null
	fi
}
term_show() { tmux -S "$T_DIR/tmux-local" capture-pane -p -J -S - -t "local:$1" 2>/dev/null; }
term_keys() {
	_t_n=$1
	shift
	tmux -S "$T_DIR/tmux-local" send-keys -t "local:$_t_n" "$@"
}
term_wait() {
	_t_i=0
	while [ $_t_i -lt 300 ]; do
		term_show "$1" | grep -Eq -- "$2" && return 0
		sleep 0.1
		_t_i=$((_t_i + 1))
	done
	diag "the terminal never showed /$2/:" "$(term_show "$1")"
	return 1
}
term_done() {
	wait_file "$T_DIR/$1.rc" || { diag "still running:" "$(term_show "$1")"; echo none; return 1; }
	cat "$T_DIR/$1.rc"
}
wait_file() {
	_t_i=0
	while [ ! -e "$1" ] && [ $_t_i -lt 300 ]; do
		sleep 0.1
		_t_i=$((_t_i + 1))
	done
	[ -e "$1" ]
}
