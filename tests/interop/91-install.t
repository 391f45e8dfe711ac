#!/bin/sh
# SPDX-License-Identifier: MIT
# make install / make uninstall into a DESTDIR, the installed binary, and the Debian package
# (dpkg-buildpackage -us -uc -b in a copy of the tree, then lintian).
. "$(dirname "$0")/../cli/lib.sh"

top=$CCLINK_TOP
dest=$T_DIR/dest
build=$(dirname "$CCLINK")
expect_exit "make install DESTDIR=… PREFIX=/usr" 0 make -C "$top" --no-print-directory install \
	BUILD="$build" DESTDIR="$dest" PREFIX=/usr
for f in usr/bin/cclink usr/share/man/man1/cclink.1 \
	usr/share/bash-completion/completions/cclink usr/share/zsh/site-functions/_cclink \
	usr/share/fish/vendor_completions.d/cclink.fish \
	usr/share/cclink/claude-code/handoff.md usr/share/cclink/claude-code/session-start.sh \
	usr/share/cclink/ssh-integration/README.md usr/share/cclink/ssh-integration/ssh_config.alias \
	usr/share/cclink/ssh-integration/ssh_config.proxy usr/share/cclink/ssh-integration/cclink-remote \
	usr/share/cclink/systemd/cclink-republish.service usr/share/cclink/systemd/cclink-republish.timer; do
	if [ -f "$dest/$f" ]; then ok "installed $f"; else not_ok "installed $f"; fi
done
mode=$(stat -c %a "$dest/usr/bin/cclink" 2>/dev/null)
is_mode() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; diag "got $2, wanted $3"; fi; }
is_mode "the binary is 0755" "$mode" 755
is_mode "the hook script is executable" "$(stat -c %a "$dest/usr/share/cclink/claude-code/session-start.sh" 2>/dev/null)" 755
is_mode "the far-side wrapper is executable" "$(stat -c %a "$dest/usr/share/cclink/ssh-integration/cclink-remote" 2>/dev/null)" 755
is_mode "the man page is 0644" "$(stat -c %a "$dest/usr/share/man/man1/cclink.1" 2>/dev/null)" 644
expect_exit "the installed binary runs" 0 "$dest/usr/bin/cclink" --version
grep_out "and prints its version" "^cclink $(cat "$top/VERSION")"
expect_exit "make uninstall" 0 make -C "$top" --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr
left=$(find "$dest" -type f | head -5)
if [ -z "$left" ]; then ok "make uninstall removes every installed file"; else not_ok "make uninstall removes every installed file"; diag "$left"; fi

# The Debian package, built from a copy of the source tree (what git tracks or would track).
mkdir -p "$T_DIR/pkg/cclink"
(cd "$top" && git ls-files -co --exclude-standard 2>/dev/null | grep -v -e '^cclink$' -e node_modules |
	tar -cf - -T -) | tar -xf - -C "$T_DIR/pkg/cclink"
if ! command -v dpkg-buildpackage >/dev/null; then not_ok "dpkg-buildpackage is installed (make deps)"; done_testing; exit; fi
run sh -c "cd '$T_DIR/pkg/cclink' && dpkg-buildpackage -us -uc -b"
if [ "$RC" -eq 0 ]; then ok "dpkg-buildpackage -us -uc -b"; else
	not_ok "dpkg-buildpackage -us -uc -b"; diag "$(tail -20 "$T_DIR/out" "$T_DIR/err")"; fi
deb=$(ls "$T_DIR"/pkg/cclink_*.deb 2>/dev/null | head -1)
if [ -n "$deb" ]; then ok "a .deb was built"; else not_ok "a .deb was built"; fi
dpkg-deb -c "$deb" >"$T_DIR/deb.list" 2>/dev/null
for f in ./usr/bin/cclink ./usr/share/man/man1/cclink.1.gz ./usr/share/bash-completion/completions/cclink \
	./usr/share/cclink/claude-code/handoff.md ./usr/share/doc/cclink/copyright; do
	if grep -q " $f\$" "$T_DIR/deb.list"; then ok "the package holds $f"; else not_ok "the package holds $f"; fi
done
mkdir -p "$T_DIR/x" && dpkg-deb -x "$deb" "$T_DIR/x"
expect_exit "the packaged binary runs" 0 "$T_DIR/x/usr/bin/cclink" --version
if command -v lintian >/dev/null; then
	run lintian --allow-root "$deb"
	if [ "$RC" -eq 0 ] && ! grep -q '^[EW]:' "$T_DIR/out"; then ok "lintian: no errors or warnings"; else
		not_ok "lintian: no errors or warnings"; diag "$(cat "$T_DIR/out" "$T_DIR/err")"; fi
else not_ok "lintian is installed (make deps)"; fi
done_testing
