#!/bin/sh
# SPDX-License-Identifier: MIT
# The config and key files must be regular files: a FIFO, a directory or a device there is
# refused at once with a message naming the path (opened O_NONBLOCK and fstat'd, so nothing
# hangs), and the key file and its public-key cache are not followed through a symlink
# (O_NOFOLLOW). Every run is under timeout(1): a hang fails the test (exit 124) instead of
# blocking the suite.
. "$(dirname "$0")/lib.sh"

SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
PK=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
CFG="$XDG_CONFIG_HOME/cclink/config"
KDIR="$HOME/.pubky"
KEY="$KDIR/secret_key"
T="timeout -k 5 20"
mkdir -p "$XDG_CONFIG_HOME/cclink"
mkdir -m 700 "$KDIR"
printf '%s' "$SEED" >"$KEY"
chmod 600 "$KEY"

# ---- the config file --------------------------------------------------------------------
mkfifo "$CFG"
expect_exit "a FIFO at the config path is refused, without hanging (exit 2)" 2 $T "$CCLINK" resolve "pk:$PK"
grep_err "the message names the config file and says it is not a regular file" \
	"configuration $CFG is not a regular file"
expect_exit "list with a FIFO config: exit 2, no hang" 2 $T "$CCLINK" list
expect_exit "publish with a FIFO config: exit 2, no hang" 2 $T "$CCLINK" publish
rm -f "$CFG"
mkdir "$CFG"
expect_exit "a directory at the config path is refused (exit 2)" 2 $T "$CCLINK" resolve "pk:$PK"
grep_err "the message says so" "configuration $CFG is not a regular file"
rmdir "$CFG"
ln -s /dev/zero "$CFG"
expect_exit "a symlink to a device at the config path is refused (exit 2)" 2 $T "$CCLINK" resolve "pk:$PK"
rm -f "$CFG"
# A config symlinked to a regular file (dotfile managers do this) is read.
printf 'relays = bogus\n' >"$T_DIR/real-config"
ln -s "$T_DIR/real-config" "$CFG"
expect_exit "a config symlinked to a regular file is read (its bad line is reported)" 2 \
	$T env -u CCLINK_RELAYS "$CCLINK" resolve "pk:$PK"
grep_err "the line of the linked file is named" "$CFG:1: invalid setting 'relays'"
rm -f "$CFG"

# ---- the key file -----------------------------------------------------------------------
mv "$KEY" "$T_DIR/key"
mkfifo "$KEY"
expect_exit "a FIFO at the key path is refused, without hanging (exit 1)" 1 $T "$CCLINK" whoami
grep_err "the message says it is a FIFO" "key file $KEY is not a regular file \\(a FIFO\\)"
expect_exit "init without -y does not touch the FIFO either" 1 $T "$CCLINK" init --no-passphrase
check "the FIFO is still there" test -p "$KEY"
rm -f "$KEY"
ln -s "$T_DIR/key" "$KEY"
expect_exit "a symlink at the key path is not followed (exit 1)" 1 $T "$CCLINK" whoami
grep_err "the message says it is a symbolic link" "key file $KEY is not a regular file \\(a symbolic link\\)"
rm -f "$KEY"
mv "$T_DIR/key" "$KEY"
expect_exit "the regular key file works" 0 $T "$CCLINK" whoami

# The public-key cache of an envelope is not followed through a symlink either: it is
# ignored (and rewritten) rather than trusted.
printf 'a good passphrase\n' >"$T_DIR/pw"
printf '%s' "$SEED" >"$T_DIR/seed"
expect_exit "init --import with a passphrase" 0 $T "$CCLINK" init -y --import "$T_DIR/seed" --passphrase-file "$T_DIR/pw"
check "it wrote the public-key cache" test -f "$KEY.pub"
mv "$KEY.pub" "$T_DIR/pub"
mkfifo "$KEY.pub"
expect_exit "a FIFO as the public-key cache: whoami still works, without hanging" 0 \
	$T "$CCLINK" whoami --passphrase-file "$T_DIR/pw"
grep_out "with the right key" "pk:$PK"

done_testing
