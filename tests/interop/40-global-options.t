#!/bin/sh
# SPDX-License-Identifier: MIT
# Global options (--passphrase-file FILE, -v/--verbose, -q/--quiet) are accepted before and
# after the command name, as clap's global flags are in cclink 1.3, for every command.
# One loopback relay and no DHT.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
CCLINK_BOOTSTRAP=none
if ! check "relay starts (no DHT)" harness_start_relay --dht-off; then
	done_testing
	exit 1
fi

SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
PK=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
U=eeeeeeee-2222-4222-8222-000000000001
PW="$T_DIR/pw"
printf 'correct horse battery\n' >"$PW"
printf '%s' "$SEED" >"$T_DIR/seed"

# A session for publish.
mkdir -p "$T_DIR/proj"
P=$(cd "$T_DIR/proj" && pwd -P)
F=$(printf '%s' "$P" | sed 's/[^a-zA-Z0-9]/-/g')
mkdir -p "$HOME/.claude/projects/$F"
printf '{"type":"user","cwd":"%s","sessionId":"%s","message":{"role":"user","content":"hi"}}\n' \
	"$P" "$U" >"$HOME/.claude/projects/$F/$U.jsonl"

no_usage_error() {
	if grep -Eq 'invalid option|unexpected argument|unknown command' "$T_DIR/err" || [ "$RC" -eq 2 ]; then
		not_ok "$1: options accepted"
		diag "exit $RC" "stderr: $(head -c 1000 "$T_DIR/err")"
	else ok "$1: options accepted"; fi
}

# ---- init: --passphrase-file after and before the command -------------------------------
expect_exit "init --import --passphrase-file F (after)" 0 "$CCLINK" init --import "$T_DIR/seed" -y --passphrase-file "$PW" </dev/null
check "the key is an envelope" grep -q CCLINKEK "$HOME/.pubky/secret_key"
rm -rf "$HOME/.pubky"
expect_exit "--passphrase-file F init --import (before)" 0 "$CCLINK" --passphrase-file "$PW" init --import "$T_DIR/seed" -y </dev/null
check "the key is an envelope" grep -q CCLINKEK "$HOME/.pubky/secret_key"
expect_exit "init -v -q after the command" 0 "$CCLINK" init --import "$T_DIR/seed" -y -v -q --passphrase-file "$PW" </dev/null
expect_exit "--passphrase-file before and after: given twice (exit 2)" 2 \
	"$CCLINK" --passphrase-file "$PW" init -y --passphrase-file "$PW" </dev/null
grep_err "says it was given twice" 'passphrase-file given twice'

# ---- the key is unlocked with the option in either place ---------------------------------
# Without it there is no passphrase to read (no terminal): exit 2 before any network.
is_rc() { if [ "$RC" -eq "$2" ]; then ok "$1"; else not_ok "$1 (exit $RC, wanted $2)"; diag "$(head -c 1000 "$T_DIR/err")"; fi; }
run sh -c 'cd "$1" && shift && exec "$@" </dev/null' sh "$P" "$CCLINK" publish "$U"
is_rc "publish without --passphrase-file: no passphrase (exit 2)" 2
for where in before after; do
	for cmd in publish revoke; do
		case $cmd in publish) args="publish $U" ;; *) args="revoke -y" ;; esac
		if [ "$where" = before ]; then
			# shellcheck disable=SC2086
			run sh -c 'cd "$1" && shift && exec "$@" </dev/null' sh "$P" "$CCLINK" --passphrase-file "$PW" -v $args
		else
			# shellcheck disable=SC2086
			run sh -c 'cd "$1" && shift && exec "$@" </dev/null' sh "$P" "$CCLINK" $args --passphrase-file "$PW" -v
		fi
		is_rc "$cmd with --passphrase-file -v $where the command: unlocked and done" 0
	done
done

# ---- every command takes them before and after ------------------------------------------
for cmd in "whoami --json" "list --json" "revoke -y" "resolve --json pk:$PK" "pickup --json" "pickup --print" \
	"publish $U --json" "init --import $T_DIR/seed -y"; do
	g="-v --passphrase-file $PW -q"
	# shellcheck disable=SC2086
	run sh -c 'cd "$1" && shift && exec "$@" </dev/null' sh "$P" "$CCLINK" $g $cmd
	no_usage_error "cclink $g $cmd"
	rc_before=$RC
	# shellcheck disable=SC2086
	set -- $cmd
	c1=$1
	shift
	# shellcheck disable=SC2086
	run sh -c 'cd "$1" && shift && exec "$@" </dev/null' sh "$P" "$CCLINK" $c1 $g "$@"
	no_usage_error "cclink $c1 $g $*"
	if [ "$RC" -eq "$rc_before" ]; then ok "cclink $cmd: same exit ($RC) with the options before or after"; else
		not_ok "cclink $cmd: same exit with the options before ($rc_before) or after ($RC)"
	fi
done
for g in -v --verbose -q --quiet; do
	expect_exit "whoami $g" 0 "$CCLINK" whoami "$g"
	expect_exit "$g whoami" 0 "$CCLINK" "$g" whoami
done

# -q is obeyed wherever it is: publish names the session it found, unless quiet.
run sh -c 'cd "$1" && shift && exec "$@" </dev/null' sh "$P" "$CCLINK" publish "$U" --passphrase-file "$PW"
grep_err "publish says which session" "^Session $U"
run sh -c 'cd "$1" && shift && exec "$@" </dev/null' sh "$P" "$CCLINK" publish "$U" --passphrase-file "$PW" -q
if grep -q "^Session" "$T_DIR/err"; then not_ok "publish -q (after): quiet"; else ok "publish -q (after): quiet"; fi
run sh -c 'cd "$1" && shift && exec "$@" </dev/null' sh "$P" "$CCLINK" -q publish "$U" --passphrase-file "$PW"
if grep -q "^Session" "$T_DIR/err"; then not_ok "-q publish (before): quiet"; else ok "-q publish (before): quiet"; fi

# --identity SPEC / -i SPEC is global too, and overrides $CCLINK_IDENTITY wherever it is.
for args in "--identity bogus whoami" "whoami --identity bogus" "-i bogus whoami" "whoami -i bogus"; do
	# shellcheck disable=SC2086
	run "$CCLINK" $args </dev/null
	if [ "$RC" -ne 0 ] && grep -q "unknown identity 'bogus'" "$T_DIR/err"; then ok "cclink $args: the identity is used"; else
		not_ok "cclink $args: the identity is used (exit $RC)"
		diag "$(head -c 1000 "$T_DIR/err")"
	fi
done
expect_exit "whoami --identity file (after) overrides CCLINK_IDENTITY" 0 env CCLINK_IDENTITY=bogus "$CCLINK" whoami --identity file
expect_exit "--identity file whoami (before) overrides CCLINK_IDENTITY" 0 env CCLINK_IDENTITY=bogus "$CCLINK" --identity file whoami
expect_exit "--identity before and after: given twice (exit 2)" 2 "$CCLINK" -i file whoami -i file

expect_exit "help lists the global options" 0 "$CCLINK" help
grep_out "help: before or after COMMAND" 'Global options, before or after COMMAND'

done_testing
