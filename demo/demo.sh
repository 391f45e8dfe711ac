#!/bin/sh
# SPDX-License-Identifier: MIT
# demo.sh — a whole cclink handoff on this machine, with nothing leaving it.
#
# Two "machines" are two temporary HOMEs (laptop, server). A loopback DHT testnet
# (npm bittorrent-dht nodes on 127.0.0.1) and a PKARR relay stand in for the
# Mainline DHT and the public relays. A stand-in `claude` shows how cclink started it.
# Your own HOME, keys, ~/.claude and the public DHT are never touched.
#
# Then the same over SSH in one command: `cclink ssh server` against a throwaway sshd on
# 127.0.0.1 (its own host key, accepting only a key made for the demo), which carries the
# transcript across and resumes the session in tmux there. When the demo runs as root it first
# moves into a private network namespace (unshare -n) where only loopback exists; otherwise
# everything listens on 127.0.0.1 only. That part is skipped, with the reason, when tmux,
# ssh or sshd is missing or sshd cannot start.
#
# Usage: demo/demo.sh   (make demo builds cclink and runs it)
# Environment: CCLINK (the binary, default ./cclink), NODE (default node),
#              DEMO_KEEP=1 keeps the temporary directory for a look afterwards,
#              DEMO_SSH=0 skips the `cclink ssh` part, DEMO_NETNS=0 stays in this namespace.
set -eu

# A private network namespace when we may make one: nothing the demo starts can reach, or be
# reached from, another network. The exec keeps our pid (so Ctrl-C and --parent-pid work).
if [ "${DEMO_NETNS:-1}" = 1 ] && [ "${CCLINK_DEMO_IN_NETNS:-0}" != 1 ] &&
	command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 &&
	unshare -n true 2>/dev/null; then
	CCLINK_DEMO_IN_NETNS=1 exec unshare -n -- sh -c 'ip link set lo up || exit 1; exec sh "$0" "$@"' "$0" "$@"
fi
netns=${CCLINK_DEMO_IN_NETNS:-0}
unset CCLINK_DEMO_IN_NETNS

top=$(cd "$(dirname "$0")/.." && pwd)
CCLINK=${CCLINK:-$top/cclink}
NODE=${NODE:-node}
case $CCLINK in /*) ;; *) CCLINK=$(pwd)/$CCLINK ;; esac

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then B=$(printf '\033[1m') N=$(printf '\033[0m'); else B= N=; fi
say() { printf '\n%s==> %s%s\n' "$B" "$*" "$N"; }
show() { printf '%s$ %s%s\n' "$B" "$*" "$N"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

[ -x "$CCLINK" ] || die "no cclink binary at $CCLINK (run 'make demo', or 'make' first)"
command -v "$NODE" >/dev/null 2>&1 || die "node is not installed (make deps installs it)"
[ -d "$top/tests/interop/node_modules/bittorrent-dht" ] ||
	die "the loopback testnet's npm packages are missing (make interop-deps installs them)"

D=$(mktemp -d "${TMPDIR:-/tmp}/cclink-demo.XXXXXX")
PIDS=""
TMUX_SOCK=$D/tmux.sock
# The throwaway sshd (tests/interop/sshd-lib.sh starts and stops it; it keeps its files in $T_DIR).
T_DIR=$D T_CLEANUP_HOOKS="" SSHD_ISOLATED=$netns
. "$top/tests/interop/sshd-lib.sh"
SSHD_HOST=server
cleanup() {
	set +e
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	sshd_stop
	if command -v tmux >/dev/null 2>&1; then
		tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
		[ -d "$D/far-tmux" ] && TMUX_TMPDIR=$D/far-tmux tmux kill-server 2>/dev/null
	fi
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	if [ "${DEMO_KEEP:-0}" = 1 ]; then echo "demo: kept $D"; else rm -rf "$D"; fi
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted"; exit 130' INT TERM HUP

# Nothing from the caller's environment may steer cclink to real keys, agents or sessions.
unset CLAUDE_CONFIG_DIR CLAUDE_CODE_SESSION_ID CLAUDE_CODE_PROJECT_DIR_NAME SSH_AUTH_SOCK \
	CCLINK_ASKPASS CCLINK_CONFIG CCLINK_IDENTITY XDG_CONFIG_HOME XDG_STATE_HOME XDG_CACHE_HOME TMUX || true

# wait_line FILE PREFIX: print the rest of the first line of FILE starting with PREFIX (<= 30 s).
wait_line() {
	i=0
	while [ $i -lt 300 ]; do
		l=$(sed -n "s/^$2 //p" "$1" | head -n 1)
		if [ -n "$l" ]; then printf '%s\n' "$l"; return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

[ "$netns" = 1 ] && echo "demo: running in a private network namespace (unshare -n): only loopback exists here"
say "Starting a loopback DHT testnet (16 bittorrent-dht nodes) and a PKARR relay on 127.0.0.1"
"$NODE" "$top/tests/interop/testnet.mjs" --nodes 16 --parent-pid $$ --max-lifetime 600 \
	>"$D/testnet.out" 2>"$D/testnet.log" &
PIDS="$PIDS $!"
CCLINK_BOOTSTRAP=$(wait_line "$D/testnet.out" READY) || die "the testnet did not start: $(tail -3 "$D/testnet.log")"
"$NODE" "$top/tests/interop/relay.mjs" --bootstrap "$CCLINK_BOOTSTRAP" --parent-pid $$ --max-lifetime 600 \
	>"$D/relay.out" 2>"$D/relay.log" &
PIDS="$PIDS $!"
CCLINK_RELAYS=$(wait_line "$D/relay.out" READY) || die "the relay did not start: $(tail -3 "$D/relay.log")"
export CCLINK_BOOTSTRAP CCLINK_RELAYS
echo "    DHT bootstrap: $CCLINK_BOOTSTRAP" | cut -c1-100
echo "    relay:         $CCLINK_RELAYS"

# Two machines: each a HOME with a stand-in `claude` first on its PATH.
for m in laptop server; do
	mkdir -p "$D/$m/bin"
	cat >"$D/$m/bin/claude" <<'CL'
#!/bin/sh
echo "  [stand-in claude] started in: $(pwd)"
echo "  [stand-in claude] arguments:  $*"
CL
	chmod 755 "$D/$m/bin/claude"
done
on() { m=$1; shift; (cd "$D/$m" && HOME=$D/$m PATH=$D/$m/bin:$PATH "$@"); }

say "laptop: create an identity (no passphrase, for the demo: cclink init asks for one by default)"
show "cclink init --no-passphrase"
on laptop "$CCLINK" init --no-passphrase
show "cclink whoami"
on laptop "$CCLINK" whoami

say "laptop: a Claude Code session in ~/work/webapp (a sample transcript under ~/.claude/projects/)"
# sample_session DIR PROMPT: a one-message transcript of a new session in project DIR, where
# Claude Code keeps it (~/.claude/projects/<DIR with every non-alphanumeric as ->/<id>.jsonl).
# Sets sid, folder and tr.
sample_session() {
	mkdir -p "$1"
	sid=$(cat /proc/sys/kernel/random/uuid)
	folder=$(printf '%s' "$1" | sed 's/[^A-Za-z0-9]/-/g')
	mkdir -p "$D/laptop/.claude/projects/$folder"
	tr=$D/laptop/.claude/projects/$folder/$sid.jsonl
	printf '{"type":"user","parentUuid":null,"uuid":"%s","cwd":"%s","sessionId":"%s","version":"2.1.0","gitBranch":"main","timestamp":"%s","message":{"role":"user","content":"%s"}}\n' \
		"$(cat /proc/sys/kernel/random/uuid)" "$1" "$sid" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$2" >"$tr"
	chmod 600 "$tr"
	echo "    session $sid"
}
proj=$D/laptop/work/webapp
sample_session "$proj" "add a login page"

say "server: the same identity (the laptop's key file, imported)"
cp "$D/laptop/.pubky/secret_key" "$D/laptop-key"
show "cclink init --no-passphrase --import laptop-key"
on server "$CCLINK" init --no-passphrase --import "$D/laptop-key" -y
# The transcript must exist on the server too: `cclink ssh` carries it over; here we copy it.
# Both "machines" share this disk, so the project keeps its path (on two real machines a
# path under the laptop's home is mapped to the server's home, or by --map OLD=NEW).
mkdir -p "$D/server/.claude/projects/$folder"
cp -p "$tr" "$D/server/.claude/projects/$folder/"

say "laptop: publish the session (encrypted to our own key, signed, on the DHT and the relay)"
show "cd ~/work/webapp && cclink publish -y"
(cd "$proj" && HOME=$D/laptop PATH=$D/laptop/bin:$PATH "$CCLINK" publish -y)

say "server: pick it up (resolve, verify, decrypt, cd into the project, claude --resume)"
if command -v tmux >/dev/null 2>&1; then
	show "cclink pickup -y     # here on a terminal inside a private tmux server"
	tmux -S "$TMUX_SOCK" -f /dev/null new-session -d -x 110 -y 24 -s demo \
		"cd '$D/server' && HOME='$D/server' PATH='$D/server/bin:$PATH' '$CCLINK' pickup -y; echo \"[pickup exited \$?]\"; sleep 600"
	i=0
	while [ $i -lt 200 ] && ! tmux -S "$TMUX_SOCK" capture-pane -p -t demo 2>/dev/null | grep -q 'pickup exited'; do
		sleep 0.1
		i=$((i + 1))
	done
	tmux -S "$TMUX_SOCK" capture-pane -p -t demo | sed -e '/^$/d' -e 's/^/    | /'
	tmux -S "$TMUX_SOCK" capture-pane -p -t demo | grep -q 'stand-in claude.*--resume' ||
		die "pickup did not start claude --resume"
else
	show "cclink pickup --print    # (tmux is not installed: print the handoff instead)"
	on server "$CCLINK" pickup --print
fi

# ---- The same over SSH, in one command: cclink ssh ------------------------------------------
# A throwaway sshd on 127.0.0.1 plays the server's sshd; the laptop's terminal is a window of the
# demo's tmux, where the server's tmux shows up through ssh.
ssh_skip=""
if [ "${DEMO_SSH:-1}" = 0 ]; then
	ssh_skip="DEMO_SSH=0"
elif ! command -v tmux >/dev/null 2>&1; then
	ssh_skip="tmux is not installed (make deps installs it)"
elif ! command -v ssh >/dev/null 2>&1 || ! command -v ssh-keygen >/dev/null 2>&1 || [ ! -x "$SSHD_BIN" ]; then
	ssh_skip="OpenSSH is not installed: ssh, ssh-keygen and $SSHD_BIN (make deps installs them)"
fi
if [ -z "$ssh_skip" ]; then
	say "server: a throwaway sshd on 127.0.0.1 (its own host key; it lets in only a key made for the demo)"
	mkdir -p "$D/ssh" "$D/far-tmux" "$D/server/farbin" "$D/tmp"
	chmod 700 "$D/far-tmux"
	ssh-keygen -q -t ed25519 -N '' -C cclink-demo -f "$D/ssh/id"
	ln -s "$CCLINK" "$D/server/farbin/cclink"
	ln -s "$(command -v tmux)" "$D/server/farbin/tmux"
	# Claude Code keeps running after it starts; so does this stand-in (until the demo ends).
	cat >"$D/server/farbin/claude" <<'CL'
#!/bin/sh
echo "  [stand-in claude on the server] started in: $(pwd)"
echo "  [stand-in claude on the server] arguments:  $*"
echo "  [stand-in claude on the server] (the real one would show the conversation here)"
exec sleep 600
CL
	chmod 755 "$D/server/farbin/claude"
	if sshd_start "$D/server" "$D/ssh/id.pub" "PATH=$D/server/farbin:/usr/bin:/bin" \
		"CCLINK_BOOTSTRAP=$CCLINK_BOOTSTRAP" "CCLINK_RELAYS=$CCLINK_RELAYS" \
		"TMUX_TMPDIR=$D/far-tmux" 2>"$D/sshd-start.err"; then
		sshd_client_config "$D/ssh/config" "$D/ssh/id"
		# cclink ssh asks for a terminal there. An sshd that does not run as root cannot
		# always give one (it must chown the pty; it can when /dev/pts hands out gid tty).
		if ! ssh -F "$D/ssh/config" -tt server true </dev/null >"$D/ssh/probe.out" 2>&1; then
			why=$(grep -m 1 -iE 'failed|fatal|error' "$SSHD_LOG" || tail -n 1 "$D/ssh/probe.out")
			ssh_skip="this sshd cannot give a login a terminal ($why)"
			[ "$(id -u)" = 0 ] || ssh_skip="$ssh_skip; run the demo as root to get a private sshd that can"
		fi
	else
		ssh_skip="sshd did not start: $(tail -n 3 "$D/sshd-start.err" | tr '\n' ' ')"
	fi
fi
if [ -z "$ssh_skip" ]; then
	echo "    sshd listening on 127.0.0.1:$SSHD_PORT; the laptop reaches it as 'server' (ssh_config:)"
	sed -n 's/^\t\(HostName\|Port\|IdentityFile\) /        \1 /p' "$D/ssh/config"
	say "laptop: a second session, in ~/work/api; hand it to the server over SSH"
	proj2=$D/laptop/work/api
	sample_session "$proj2" "write the API tests"
	echo "    (the server has no copy of this transcript: cclink ssh carries it over the same connection)"
	show "cd ~/work/api && cclink ssh -F ssh_config server     # in a terminal (a tmux window here)"
	tmux -S "$TMUX_SOCK" new-window -d -t demo -n ssh \
		"cd '$proj2' && HOME='$D/laptop' PATH='$D/laptop/bin:$PATH' TMPDIR='$D/tmp' '$CCLINK' ssh -F '$D/ssh/config' server; echo \"[cclink ssh exited \$?]\"; sleep 600"
	term() { tmux -S "$TMUX_SOCK" capture-pane -p -J -t demo:ssh 2>/dev/null; }
	i=0
	while [ $i -lt 600 ] && ! term | grep -q 'on the server\] arguments: .*--resume'; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "    the laptop's terminal, now showing the server's tmux session through ssh:"
	term | sed -e '/^ *$/d' -e 's/^/    | /'
	term | grep -q "on the server\] arguments: *--resume $sid" ||
		die "cclink ssh did not resume the session on the server (see above)"
	say "laptop: detach (C-b d); claude keeps running in tmux on the server"
	show "C-b d"
	tmux -S "$TMUX_SOCK" send-keys -t demo:ssh C-b d
	i=0
	while [ $i -lt 300 ] && ! term | grep -q 'cclink ssh exited'; do
		sleep 0.1
		i=$((i + 1))
	done
	term | sed -e '/^ *$/d' -e 's/^/    | /'
	term | grep -q 'cclink ssh exited 0' || die "cclink ssh did not end cleanly after the detach"
	show "ssh -F ssh_config server tmux ls     # what runs on the server now"
	ssh -F "$D/ssh/config" server tmux ls | sed 's/^/    /'
	echo "    (running 'cclink ssh server' again would reattach to it)"
else
	say "Skipping the 'cclink ssh' part: $ssh_skip"
fi

say "laptop: revoke the handoff"
show "cclink revoke -y"
on laptop "$CCLINK" revoke -y

say "server: nothing to pick up any more"
show "cclink pickup --print"
rc=0
on server "$CCLINK" pickup --print || rc=$?
echo "    (exit status $rc: 3 means nothing is published)"
[ "$rc" = 3 ] || die "pickup after revoke exited $rc, expected 3"

if [ "$netns" = 1 ]; then where="on 127.0.0.1 in a private network namespace"; else where="on 127.0.0.1"; fi
say "Done. Everything ran $where, in $D, which is removed now."
