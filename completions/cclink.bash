# SPDX-License-Identifier: MIT
# bash completion for cclink(1). Installed as share/bash-completion/completions/cclink.

_cclink_sessions() {
	# Session ids of the current directory's Claude Code project folder (cheap: one glob).
	local root=${CLAUDE_CONFIG_DIR:-$HOME/.claude} dir f
	dir=$root/projects/${PWD//[^A-Za-z0-9]/-}
	for f in "$dir"/*.jsonl; do
		[ -e "$f" ] || continue
		f=${f##*/}
		printf '%s\n' "${f%.jsonl}"
	done
}

_cclink() {
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands="publish pickup list revoke init whoami resolve ssh ssh-proxy receive republish help"
	local global="--passphrase-file --identity -i --verbose -v --quiet -q --help -h --version -V"

	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--passphrase-file | --identity | -i) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	case $prev in
	--passphrase-file | --pin-file | --import | --from-ssh | -F)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--identity | -i)
		COMPREPLY=($(compgen -W "file ssh agent" -- "$cur") $(compgen -P ssh: -f -- "${cur#ssh:}")); return ;;
	--ttl | --wait)
		COMPREPLY=($(compgen -W "30m 1h 4h 12h 24h 2d" -- "$cur")); return ;;
	--remote-cclink)
		COMPREPLY=($(compgen -c -- "$cur")); return ;;
	--session)
		COMPREPLY=($(compgen -W "$(_cclink_sessions)" -- "$cur")); return ;;
	--after | --map | --share | --agent | --epoch)
		return ;;
	esac

	local opts
	case $cmd in
	"" | publish)
		opts="--ttl --burn --pin --pin-file --share --qr --json --yes -y --keep --no-keep --help" ;;
	pickup)
		opts="--yes -y --json --print --tmux --wait --after --qr --pin-file --map --help" ;;
	list | whoami) opts="--json --help" ;;
	revoke) opts="--yes -y --json --help" ;;
	init) opts="--no-passphrase --import --from-ssh --agent --epoch --yes -y --help" ;;
	resolve) opts="--json --help" ;;
	ssh) opts="--no-sync --force --session --share --ttl --wait --map --remote-cclink --help" ;;
	ssh-proxy) opts="--no-publish --session --share --ttl --help" ;;
	receive) opts="--force --map --check --help" ;;
	republish) opts="--json --help" ;;
	help) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
	esac

	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$global $opts" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands $(_cclink_sessions)" -- "$cur"))
		fi
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts $global" -- "$cur"))
	elif [ "$cmd" = publish ]; then
		COMPREPLY=($(compgen -W "$(_cclink_sessions)" -- "$cur"))
	elif [ "$cmd" = ssh ]; then
		COMPREPLY=($(compgen -A hostname -- "$cur"))
	fi
}
complete -F _cclink cclink
