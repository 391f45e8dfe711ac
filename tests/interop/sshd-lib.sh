# SPDX-License-Identifier: MIT
# sshd-lib.sh — a throwaway OpenSSH sshd on 127.0.0.1 for tests (own host key, own
# sshd_config, own authorized_keys), started and stopped by the test.
#
#   . "$(dirname "$0")/sshd-lib.sh"
#   sshd_isolate "$0" "$@"            # FIRST, before tests/cli/lib.sh: re-run this script in
#                                     # a private network namespace (unshare -n) when possible
#   . "$(dirname "$0")/../cli/lib.sh"
#   sshd_start "$T_DIR/far" "$T_DIR/id.pub" "PATH=$PATH"   || bail
#   sshd_client_config "$T_DIR/ssh_config" "$T_DIR/id"
#   ssh -F "$T_DIR/ssh_config" "$SSHD_HOST" 'echo $HOME'  # → $T_DIR/far
#   sshd_stop                                             # also runs at exit
#
# Functions (0 on success; on failure non-zero with the reason as TAP diagnostics):
#   sshd_isolate SCRIPT [ARGS...]   when `unshare -n` works (root) and `ip` exists, exec
#       SCRIPT again inside a new network namespace with only lo (up), so parallel tests
#       cannot collide on a port and nothing here can reach another network. Sets
#       SSHD_ISOLATED=1 there. Otherwise (or with SSHD_NO_ISOLATE=1) returns and the test
#       runs in the host namespace; sshd_start then picks a random free port.
#       Everything the test starts (DHT testnet, relays, agents) lives in the same namespace.
#   sshd_start HOME AUTHORIZED_KEYS [VAR=VALUE...]
#       start /usr/sbin/sshd for the current user: logins get HOME=<HOME> and each
#       VAR=VALUE (sshd_config SetEnv; e.g. PATH=... so the far side finds cclink), accept
#       only the keys in AUTHORIZED_KEYS (a file in authorized_keys format; a .pub works),
#       AllowAgentForwarding yes, AcceptEnv LANG LC_* CCLINK_*, sftp via internal-sftp.
#       The login's working directory is the passwd home, not HOME: `cd` in the command.
#       Sets SSHD_PID, SSHD_PORT, SSHD_DIR (its files), SSHD_LOG (sshd -e output, LogLevel
#       VERBOSE), SSHD_USER, SSHD_HOST (= cclink-test, the alias sshd_client_config
#       writes), SSHD_KNOWN_HOSTS (pins the host key). One sshd per test script.
#   sshd_client_config FILE [IDENTITY] [ssh_config line...]
#       write a client config for `ssh -F FILE $SSHD_HOST`: HostName 127.0.0.1, the port,
#       the user, the pinned host key (StrictHostKeyChecking yes), BatchMode yes,
#       LogLevel ERROR, no ControlMaster. IDENTITY (optional) is a private key file or a
#       .pub whose private half is in the agent ($SSH_AUTH_SOCK); with it IdentitiesOnly
#       yes. Extra arguments are appended as lines under the Host (e.g. "ForwardAgent yes").
#   sshd_stop                       stop sshd (TERM, then KILL after 2 s); registered in
#       T_CLEANUP_HOOKS by sshd_start, safe to call twice.
# Tunables: SSHD_BIN (default /usr/sbin/sshd), SSHD_WAIT (seconds to wait for the listen
# line, default 10), SSHD_NO_ISOLATE=1.
# Needs openssh-server and openssh-client (make deps installs them). When sshd runs as
# root it needs /run/sshd (its privilege-separation directory): created if missing.

SSHD_BIN="${SSHD_BIN:-/usr/sbin/sshd}"
SSHD_WAIT="${SSHD_WAIT:-10}"
SSHD_HOST=cclink-test
SSHD_PID=""

_sshd_say() {
	if command -v diag >/dev/null 2>&1; then diag "$@"; else printf '# %s\n' "$@" >&2; fi
}

sshd_isolate() {
	_s_script=$1
	shift
	[ "${SSHD_ISOLATED:-0}" = 1 ] && return 0
	[ "${SSHD_NO_ISOLATE:-0}" = 1 ] && return 0
	command -v unshare >/dev/null 2>&1 || return 0
	command -v ip >/dev/null 2>&1 || return 0
	unshare -n true 2>/dev/null || return 0
	SSHD_ISOLATED=1
	export SSHD_ISOLATED
	exec unshare -n -- sh -c 'ip link set lo up || exit 1; exec sh "$0" "$@"' "$_s_script" "$@"
}

# _sshd_port: a random port in [20000, 60000)
_sshd_port() {
	echo $((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
}

sshd_start() {
	: "${T_DIR:?source tests/cli/lib.sh first}"
	_s_home=$1 _s_ak=$2
	shift 2
	if [ ! -x "$SSHD_BIN" ]; then
		_sshd_say "no $SSHD_BIN: install openssh-server (make deps)"
		return 1
	fi
	SSHD_DIR=$T_DIR/sshd
	SSHD_USER=$(id -un)
	SSHD_LOG=$SSHD_DIR/sshd.log
	SSHD_KNOWN_HOSTS=$SSHD_DIR/known_hosts
	mkdir -p "$SSHD_DIR" "$_s_home" || return 1
	rm -f "$SSHD_DIR/host_ed25519" "$SSHD_DIR/host_ed25519.pub"
	ssh-keygen -q -t ed25519 -N '' -C cclink-test-host -f "$SSHD_DIR/host_ed25519" || return 1
	cp "$_s_ak" "$SSHD_DIR/authorized_keys" || return 1
	chmod 600 "$SSHD_DIR/authorized_keys"
	if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then mkdir -p -m 0755 /run/sshd || return 1; fi
	_s_env="HOME=$_s_home"
	for _s_kv in "$@"; do
		case $_s_kv in
		*'"'* | *'
'*)
			_sshd_say "sshd_start: a SetEnv value cannot hold a quote or newline: $_s_kv"
			return 1 ;;
		*=*) _s_env="$_s_env\" \"$_s_kv" ;;
		*) _sshd_say "sshd_start: not VAR=VALUE: $_s_kv"; return 1 ;;
		esac
	done
	case " $T_CLEANUP_HOOKS " in
	*" sshd_stop "*) ;;
	*) T_CLEANUP_HOOKS="sshd_stop $T_CLEANUP_HOOKS" ;;
	esac
	_s_try=0
	while [ $_s_try -lt 10 ]; do
		_s_try=$((_s_try + 1))
		if [ "${SSHD_ISOLATED:-0}" = 1 ]; then SSHD_PORT=2222; else SSHD_PORT=$(_sshd_port); fi
		cat >"$SSHD_DIR/sshd_config" <<EOF
# written by tests/interop/sshd-lib.sh
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $SSHD_DIR/host_ed25519
PidFile none
AuthorizedKeysFile $SSHD_DIR/authorized_keys
AllowUsers $SSHD_USER
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowAgentForwarding yes
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
X11Forwarding no
PrintMotd no
PrintLastLog no
AcceptEnv LANG LC_* CCLINK_*
SetEnv "$_s_env"
Subsystem sftp internal-sftp
LogLevel VERBOSE
EOF
		if ! "$SSHD_BIN" -t -f "$SSHD_DIR/sshd_config" >"$SSHD_LOG" 2>&1; then
			_sshd_say "sshd -t rejects the config:" "$(cat "$SSHD_LOG")"
			return 1
		fi
		: >"$SSHD_LOG"
		"$SSHD_BIN" -D -e -f "$SSHD_DIR/sshd_config" </dev/null >>"$SSHD_LOG" 2>&1 &
		SSHD_PID=$!
		_s_i=0
		while [ $_s_i -lt $((SSHD_WAIT * 20)) ]; do
			if grep -q "Server listening on 127.0.0.1 port $SSHD_PORT" "$SSHD_LOG"; then
				printf '[127.0.0.1]:%s %s\n' "$SSHD_PORT" \
					"$(cut -d' ' -f1,2 "$SSHD_DIR/host_ed25519.pub")" >"$SSHD_KNOWN_HOSTS"
				export SSHD_PID SSHD_PORT SSHD_DIR SSHD_LOG SSHD_USER SSHD_HOST SSHD_KNOWN_HOSTS
				return 0
			fi
			kill -0 "$SSHD_PID" 2>/dev/null || break
			sleep 0.05
			_s_i=$((_s_i + 1))
		done
		if kill -0 "$SSHD_PID" 2>/dev/null; then
			kill "$SSHD_PID" 2>/dev/null
			_sshd_say "sshd did not listen within $SSHD_WAIT s:" "$(cat "$SSHD_LOG")"
			SSHD_PID=""
			return 1
		fi
		wait "$SSHD_PID" 2>/dev/null
		SSHD_PID=""
		# Port taken (another test, host namespace): try another one.
		grep -q 'Cannot bind any address\|Address already in use' "$SSHD_LOG" || break
	done
	_sshd_say "sshd did not start:" "$(cat "$SSHD_LOG")"
	return 1
}

sshd_client_config() {
	_s_f=$1
	shift
	: "${SSHD_PORT:?sshd_start first}"
	{
		echo "# written by tests/interop/sshd-lib.sh"
		echo "Host $SSHD_HOST"
		echo "	HostName 127.0.0.1"
		echo "	Port $SSHD_PORT"
		echo "	User $SSHD_USER"
		echo "	UserKnownHostsFile $SSHD_KNOWN_HOSTS"
		echo "	GlobalKnownHostsFile /dev/null"
		echo "	StrictHostKeyChecking yes"
		echo "	BatchMode yes"
		echo "	LogLevel ERROR"
		echo "	ControlMaster no"
		echo "	ControlPath none"
		echo "	UpdateHostKeys no"
		if [ $# -gt 0 ]; then
			if [ -n "$1" ]; then
				echo "	IdentityFile $1"
				echo "	IdentitiesOnly yes"
			fi
			shift
		fi
		for _s_l in "$@"; do echo "	$_s_l"; done
	} >"$_s_f"
}

sshd_stop() {
	[ -n "${SSHD_PID:-}" ] || return 0
	if kill "$SSHD_PID" 2>/dev/null; then
		_s_i=0
		while kill -0 "$SSHD_PID" 2>/dev/null && [ $_s_i -lt 40 ]; do
			sleep 0.05
			_s_i=$((_s_i + 1))
		done
		kill -9 "$SSHD_PID" 2>/dev/null
	fi
	wait "$SSHD_PID" 2>/dev/null
	SSHD_PID=""
	return 0
}
