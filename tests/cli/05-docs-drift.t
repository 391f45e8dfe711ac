#!/bin/sh
# SPDX-License-Identifier: MIT
# The man page and the three completion files name every command and option that
# `cclink help` lists, so that they cannot drift apart; the man page lints clean.
. "$(dirname "$0")/lib.sh"

top=$CCLINK_TOP
man=$top/man/cclink.1
bash_c=$top/completions/cclink.bash
zsh_c=$top/completions/_cclink
fish_c=$top/completions/cclink.fish

# The commands `cclink help` lists (the lines under "Commands:").
cmds=$("$CCLINK" help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$cmds" ] && ok "cclink help lists commands" || not_ok "cclink help lists commands"
# Options of a command: every -x / --long token its help prints.
opts_of() {
	# The usage lines (up to the first blank line) and the option rows (lines that start
	# with blanks and a dash); not the prose, which may quote other programs' options.
	"$CCLINK" help "$1" | perl -ne '$u = 1 if /^Usage:/; $u = 0 if /^\s*$/;
		next unless $u || /^\s+-/;
		s/^(\s+-\S+(?:,\s+-\S+)?(?:\s+\[?[A-Z]+\]?)?)\s{2,}.*/$1/ unless $u;
		while (/(?:^|[\s\[|,(])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?=[\s\]|,=)]|$)/g) { print "$1\n" }' | sort -u
}
global=$("$CCLINK" help | sed -n '1p' | perl -ne 'while (/(--[a-z][a-z0-9-]*|-[a-zA-Z])\b/g) { print "$1\n" }' | sort -u)

if command -v mandoc >/dev/null; then
	run mandoc -Tlint -W warning "$man"
	if [ "$RC" -eq 0 ] && ! [ -s "$T_DIR/out" ]; then ok "mandoc -Tlint: no warnings"; else
		not_ok "mandoc -Tlint: no warnings"; diag "$(cat "$T_DIR/out" "$T_DIR/err")"; fi
	mandoc -Tascii "$man" | col -b >"$T_DIR/man.txt"
else
	not_ok "mandoc is installed (make deps installs it)"
	: >"$T_DIR/man.txt"
fi

missing=""
for c in $cmds help; do
	grep -q -- "$c" "$bash_c" || missing="$missing bash:$c"
	grep -q -- "'$c" "$zsh_c" || grep -q -- "$c:" "$zsh_c" || missing="$missing zsh:$c"
	grep -q -- "-a $c\b\|-a '[^']*\b$c\b" "$fish_c" || grep -qw -- "$c" "$fish_c" || missing="$missing fish:$c"
	grep -Eq "^ *cclink $c( |$)|^ *$c( |$)" "$T_DIR/man.txt" || missing="$missing man:$c"
done
[ -z "$missing" ] && ok "every command is in the completions and the man page" ||
	{ not_ok "every command is in the completions and the man page"; diag "missing:$missing"; }

# fish spells --long as `-l long` and -x as `-s x`.
has_opt() {
	case $2 in
	--*) l=${2#--}
	     case $1 in fish) grep -Eq -- "-l $l( |$)" "$fish_c" ;; man) grep -q -- "$2" "$T_DIR/man.txt" ;; *) grep -q -- "$2" "$3" ;; esac ;;
	-*) s=${2#-}
	     case $1 in fish) grep -Eq -- "-s $s( |$)" "$fish_c" ;; man) grep -Eq -- "(^|[^a-z-])$2([^a-z]|$)" "$T_DIR/man.txt" ;; *) grep -Eq -- "(^|[^a-z-])$2([^a-z]|$)" "$3" ;; esac ;;
	esac
}
for c in $cmds; do
	missing=""
	for o in $(opts_of "$c") $global; do
		case $o in -h | --help | --version | -V) continue ;; esac
		has_opt bash "$o" "$bash_c" || missing="$missing bash:$o"
		has_opt zsh "$o" "$zsh_c" || missing="$missing zsh:$o"
		has_opt fish "$o" "$fish_c" || missing="$missing fish:$o"
		has_opt man "$o" "$man" || missing="$missing man:$o"
	done
	[ -z "$missing" ] && ok "every option of '$c' is in the completions and the man page" ||
		{ not_ok "every option of '$c' is in the completions and the man page"; diag "missing:$missing"; }
done

# The completion files load in their shells.
run bash -c ". '$bash_c' && complete -p cclink"
[ "$RC" -eq 0 ] && ok "bash loads the completion" || { not_ok "bash loads the completion"; diag "$(cat "$T_DIR/err")"; }
if command -v zsh >/dev/null; then
	run zsh -n "$zsh_c"; [ "$RC" -eq 0 ] && ok "zsh parses _cclink" || not_ok "zsh parses _cclink"
fi
if command -v fish >/dev/null; then
	run fish -n "$fish_c"; [ "$RC" -eq 0 ] && ok "fish parses cclink.fish" || not_ok "fish parses cclink.fish"
fi
# bash: completing the first word offers the commands.
run bash -c ". '$bash_c'; COMP_WORDS=(cclink pi); COMP_CWORD=1; _cclink; printf '%s\n' \"\${COMPREPLY[@]}\""
grep_out "bash completes 'cclink pi' to pickup" '^pickup$'
run bash -c ". '$bash_c'; COMP_WORDS=(cclink publish --t); COMP_CWORD=2; _cclink; printf '%s\n' \"\${COMPREPLY[@]}\""
grep_out "bash completes 'cclink publish --t' to --ttl" '^--ttl$'
done_testing
