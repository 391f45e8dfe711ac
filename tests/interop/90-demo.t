#!/bin/sh
# SPDX-License-Identifier: MIT
# make demo's script: a whole handoff on loopback, with narration, cleaned up afterwards.
. "$(dirname "$0")/../cli/lib.sh"

demo=$CCLINK_TOP/demo/demo.sh
TMPDIR=$T_DIR/tmp
export TMPDIR
mkdir -p "$TMPDIR"
# A HOME the demo must not touch.
mkdir -p "$HOME/.pubky" "$HOME/.claude"
before=$(find "$HOME" | sort | md5sum)

expect_exit "the demo runs to the end" 0 env CCLINK="$CCLINK" sh "$demo"
grep_out "it creates an identity" '^Public Key: pk:[a-z0-9]{52}'
grep_out "it publishes to the DHT and the relay" 'Published: DHT: .* stored; relays: 1 of 1'
grep_out "pickup starts claude --resume with the session id" 'stand-in claude\] arguments: +--resume [0-9a-f-]{36}'
grep_out "claude starts in the project" 'stand-in claude\] started in: .*/work/webapp'
grep_out "it revokes" '^Revoked the handoff'
grep_out "after the revoke nothing is published (exit 3)" 'exit status 3'
is_empty=$(find "$TMPDIR" -mindepth 1 | head -3)
if [ -z "$is_empty" ]; then ok "it removes its temporary directory"; else not_ok "it removes its temporary directory"; diag "$is_empty"; fi
after=$(find "$HOME" | sort | md5sum)
if [ "$before" = "$after" ]; then ok "the caller's HOME is untouched"; else not_ok "the caller's HOME is untouched"; fi

# Ctrl-C in the middle: the testnet and relay stop, the temporary directory goes. Ctrl-C sends
# SIGINT to the whole foreground process group; a background job of a script ignores SIGINT, so
# the demo gets its own group with SIGINT restored.
# A cclink that stalls in publish holds the demo at that step until the interrupt.
cat >"$T_DIR/slow-cclink" <<EOF2
#!/bin/sh
if [ "\$1" = publish ]; then : >"$T_DIR/publishing"; sleep 60; fi
exec "$CCLINK" "\$@"
EOF2
chmod 755 "$T_DIR/slow-cclink"
CCLINK=$T_DIR/slow-cclink perl -e 'setpgrp(0, 0); $SIG{INT} = "DEFAULT"; exec @ARGV or die' \
	sh "$demo" >"$T_DIR/int.out" 2>&1 &
pid=$!
i=0
while [ $i -lt 300 ] && ! [ -e "$T_DIR/publishing" ]; do sleep 0.1; i=$((i + 1)); done
kill -INT -$pid
wait $pid
rc=$?
if [ "$rc" -ne 0 ]; then ok "an interrupted demo exits non-zero ($rc)"; else not_ok "an interrupted demo exits non-zero"; fi
sleep 0.5
left=$(find "$TMPDIR" -mindepth 1 | head -3)
if [ -z "$left" ]; then ok "an interrupted demo removes its temporary directory"; else not_ok "an interrupted demo removes its temporary directory"; diag "$left"; fi
if pgrep -f "$TMPDIR" >/dev/null 2>&1 || pgrep -f "testnet.mjs.*--parent-pid $pid" >/dev/null; then
	not_ok "an interrupted demo stops its testnet and relay"
else ok "an interrupted demo stops its testnet and relay"; fi
done_testing
