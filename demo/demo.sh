#!/bin/sh
# SPDX-License-Identifier: MIT
# demo.sh — a whole cclink handoff on this machine, with nothing leaving it.
#
# Two "machines" are two temporary HOMEs (laptop, server). A loopback DHT testnet
# (npm bittorrent-dht nodes on 127.0.0.1) and a PKARR relay stand in for the
# Mainline DHT and the public relays. A stand-in `claude` shows how cclink started it.
# Your own HOME, keys, ~/.claude and the public DHT are never touched.
#
# Usage: demo/demo.sh [--quiet-narration]   (make demo builds cclink and runs it)
# Environment: CCLINK (the binary, default ./cclink), NODE (default node),
#              DEMO_KEEP=1 keeps the temporary directory for a look afterwards.
set -eu

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
cleanup() {
	set +e
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	if command -v tmux >/dev/null 2>&1; then tmux -S "$TMUX_SOCK" kill-server 2>/dev/null; fi
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
proj=$D/laptop/work/webapp
mkdir -p "$proj"
sid=$(cat /proc/sys/kernel/random/uuid)
folder=$(printf '%s' "$proj" | sed 's/[^A-Za-z0-9]/-/g')
mkdir -p "$D/laptop/.claude/projects/$folder"
tr=$D/laptop/.claude/projects/$folder/$sid.jsonl
printf '{"type":"user","parentUuid":null,"uuid":"%s","cwd":"%s","sessionId":"%s","version":"2.1.0","gitBranch":"main","timestamp":"%s","message":{"role":"user","content":"add a login page"}}\n' \
	"$(cat /proc/sys/kernel/random/uuid)" "$proj" "$sid" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$tr"
chmod 600 "$tr"
echo "    session $sid"

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

say "laptop: revoke the handoff"
show "cclink revoke -y"
on laptop "$CCLINK" revoke -y

say "server: nothing to pick up any more"
show "cclink pickup --print"
rc=0
on server "$CCLINK" pickup --print || rc=$?
echo "    (exit status $rc: 3 means nothing is published)"
[ "$rc" = 3 ] || die "pickup after revoke exited $rc, expected 3"

say "Done. Everything ran on 127.0.0.1 in $D, which is removed now."
