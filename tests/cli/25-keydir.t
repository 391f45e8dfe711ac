#!/bin/sh
# SPDX-License-Identifier: MIT
# The key directory (~/.pubky), as ssh treats ~/.ssh: one that other users can write (group-
# or world-writable) or that another user owns is refused, by every command that reads the key
# and by init, with the chmod/chown fix in the message.
. "$(dirname "$0")/lib.sh"

KDIR="$HOME/.pubky"
KEY="$KDIR/secret_key"
SEED=2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b

printf '%s' "$SEED" >"$T_DIR/seed"
expect_exit "init --import" 0 "$CCLINK" init --no-passphrase --import "$T_DIR/seed" -y
check "init makes the directory 0700" test "$(stat -c %a "$KDIR")" = 700
expect_exit "whoami with a 0700 directory" 0 "$CCLINK" whoami
chmod 755 "$KDIR"
expect_exit "0755 (readable, not writable by others) is fine" 0 "$CCLINK" whoami

for m in 777 775 757 1777; do
	chmod "$m" "$KDIR"
	expect_exit "mode $m: whoami refuses the key (exit 1)" 1 "$CCLINK" whoami
	grep_err "mode $m: the message names the directory, its mode and the fix" \
		"key directory $KDIR has mode 0?$m: other users could replace the key; refusing it\\. Fix it with: chmod 700 $KDIR"
	check "mode $m: nothing on stdout" test ! -s "$T_DIR/out"
done
chmod 777 "$KDIR"
expect_exit "mode 777: publish refuses too" 1 "$CCLINK" publish 00000000-0000-4000-8000-000000000000
grep_err "publish: the directory is named" "key directory $KDIR has mode 0777"
expect_exit "mode 777: pickup refuses too" 1 "$CCLINK" pickup --json
grep_err "pickup: the directory is named" "key directory $KDIR has mode 0777"
expect_exit "mode 777: init refuses to write a key there" 1 "$CCLINK" init --no-passphrase --import "$T_DIR/seed" -y
grep_err "init: the directory and the fix" "init: key directory $KDIR has mode 0777.*chmod 700 $KDIR"
chmod 700 "$KDIR"
expect_exit "after chmod 700: whoami works again" 0 "$CCLINK" whoami

# Owned by another user (only root can make one; test_fsutil covers it for any user).
if [ "$(id -u)" -eq 0 ]; then
	chown 4242 "$KDIR"
	expect_exit "owned by uid 4242: whoami refuses the key (exit 1)" 1 "$CCLINK" whoami
	grep_err "the message names the owner and the fix" \
		"key directory $KDIR is owned by another user \\(uid 4242\\), who could replace the key; refusing it\\. Fix it with: sudo chown $(id -un) $KDIR"
	chown 0 "$KDIR"
	expect_exit "owned by root again: whoami works" 0 "$CCLINK" whoami
fi

done_testing
