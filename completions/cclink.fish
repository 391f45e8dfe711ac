# SPDX-License-Identifier: MIT
# fish completion for cclink(1). Installed as share/fish/vendor_completions.d/cclink.fish.

set -l cclink_commands publish pickup list revoke init whoami resolve ssh ssh-proxy receive republish help

function __cclink_sessions
	set -l root $HOME/.claude
	set -q CLAUDE_CONFIG_DIR; and set root $CLAUDE_CONFIG_DIR
	set -l dir $root/projects/(string replace -ra '[^A-Za-z0-9]' '-' -- $PWD)
	for f in $dir/*.jsonl
		basename $f .jsonl
	end
end

complete -c cclink -f
# Global options
complete -c cclink -l passphrase-file -r -F -d 'Read the key passphrase from FILE'
complete -c cclink -s i -l identity -r -d 'Identity to use (key file, ssh:PATH, agent)'
complete -c cclink -s v -l verbose -d 'More detail'
complete -c cclink -s q -l quiet -d 'Less output'
complete -c cclink -s h -l help -d 'Show help'
complete -c cclink -s V -l version -d 'Show the version'

# Commands
complete -c cclink -n "not __fish_seen_subcommand_from $cclink_commands" -a publish -d 'Publish the current Claude Code session'
complete -c cclink -n "not __fish_seen_subcommand_from $cclink_commands" -a pickup -d 'Resolve, verify, decrypt and resume a handoff'
complete -c cclink -n "not __fish_seen_subcommand_from $cclink_commands" -a list -d 'Show the active handoff'
complete -c cclink -n "not __fish_seen_subcommand_from $cclink_commands" -a revoke -d 'Withdraw the active handoff'
complete -c cclink -n "not __fish_seen_subcommand_from $cclink_commands" -a init -d 'Create or import the identity key'
complete -c cclink -n "not __fish_seen_subcommand_from $cclink_commands" -a whoami -d "Show this identity's public key"
complete -c cclink -n "not __fish_seen_subcommand_from $cclink_commands" -a resolve -d 'Print the PKARR records of a key'
complete -c cclink -n "not __fish_seen_subcommand_from $cclink_commands" -a ssh -d 'Hand the session over ssh and resume there'
complete -c cclink -n "not __fish_seen_subcommand_from $cclink_commands" -a ssh-proxy -d 'ProxyCommand helper'
complete -c cclink -n "not __fish_seen_subcommand_from $cclink_commands" -a receive -d 'Write a session bundle from stdin'
complete -c cclink -n "not __fish_seen_subcommand_from $cclink_commands" -a republish -d 'Store the newest packet again'
complete -c cclink -n "not __fish_seen_subcommand_from $cclink_commands" -a help -d 'Show help'
complete -c cclink -n "not __fish_seen_subcommand_from $cclink_commands" -a '(__cclink_sessions)' -d 'Session'
complete -c cclink -n "__fish_seen_subcommand_from help" -a "$cclink_commands"

# publish
complete -c cclink -n "__fish_seen_subcommand_from publish" -a '(__cclink_sessions)' -d 'Session'
complete -c cclink -n "__fish_seen_subcommand_from publish" -l ttl -x -a '30m 1h 4h 12h 24h 2d' -d 'Lifetime'
complete -c cclink -n "__fish_seen_subcommand_from publish" -l burn -d 'Revoke after the first pickup'
complete -c cclink -n "__fish_seen_subcommand_from publish" -l pin -d 'Protect with a PIN'
complete -c cclink -n "__fish_seen_subcommand_from publish pickup" -l pin-file -r -F -d 'Read the PIN from FILE'
complete -c cclink -n "__fish_seen_subcommand_from publish" -l share -x -d 'Encrypt for another identity'
complete -c cclink -n "__fish_seen_subcommand_from publish pickup" -l qr -d 'Show a QR code'
complete -c cclink -n "__fish_seen_subcommand_from publish pickup list whoami resolve revoke republish" -l json -d 'JSON output'
complete -c cclink -n "__fish_seen_subcommand_from publish" -l no-keep -d 'No keeper'
complete -c cclink -n "__fish_seen_subcommand_from publish" -l keep -d 'Keep the handoff alive until it expires'
complete -c cclink -n "__fish_seen_subcommand_from publish pickup revoke init" -s y -l yes -d 'No questions'
# pickup
complete -c cclink -n "__fish_seen_subcommand_from pickup" -l print -d 'Print the handoff'
complete -c cclink -n "__fish_seen_subcommand_from pickup" -l tmux -d 'Resume inside tmux'
complete -c cclink -n "__fish_seen_subcommand_from pickup" -l wait -x -d 'Poll for a new handoff'
complete -c cclink -n "__fish_seen_subcommand_from pickup" -l after -x -d 'Only a handoff newer than TIME'
complete -c cclink -n "__fish_seen_subcommand_from pickup receive" -l map -x -d 'Path prefix mapping OLD=NEW'
# init
complete -c cclink -n "__fish_seen_subcommand_from init" -l no-passphrase -d 'Store the key unencrypted'
complete -c cclink -n "__fish_seen_subcommand_from init" -l import -r -F -d 'Import a seed or key file'
complete -c cclink -n "__fish_seen_subcommand_from init" -l from-ssh -r -F -d 'Import an OpenSSH ed25519 key'
complete -c cclink -n "__fish_seen_subcommand_from init" -l agent -x -d 'Use a key of ssh-agent'
complete -c cclink -n "__fish_seen_subcommand_from init" -l epoch -x -d 'Epoch of the agent-derived key'
# ssh, receive
complete -c cclink -n "__fish_seen_subcommand_from ssh" -l no-sync -d 'Do not carry the transcript'
complete -c cclink -n "__fish_seen_subcommand_from ssh ssh-proxy" -l session -x -a '(__cclink_sessions)' -d 'The session'
complete -c cclink -n "__fish_seen_subcommand_from ssh ssh-proxy" -l share -x -d 'Encrypt for another identity'
complete -c cclink -n "__fish_seen_subcommand_from ssh ssh-proxy" -l ttl -x -d 'Lifetime of the record'
complete -c cclink -n "__fish_seen_subcommand_from ssh" -l wait -x -d 'How long the far side waits'
complete -c cclink -n "__fish_seen_subcommand_from ssh" -l map -x -d 'Where a path prefix here lives there'
complete -c cclink -n "__fish_seen_subcommand_from ssh" -l remote-cclink -x -d 'The cclink command there'
complete -c cclink -n "__fish_seen_subcommand_from ssh-proxy" -l no-publish -d 'Only relay'
complete -c cclink -n "__fish_seen_subcommand_from receive" -l check -d 'What this machine has for a pickup'
complete -c cclink -n "__fish_seen_subcommand_from ssh ssh-proxy" -a '(__fish_print_hostnames)' -d 'Host'
complete -c cclink -n "__fish_seen_subcommand_from receive ssh" -l force -d 'Replace a diverged transcript'
