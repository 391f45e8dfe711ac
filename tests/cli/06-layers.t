#!/bin/sh
# SPDX-License-Identifier: MIT
# src/ is grouped by layer and dependencies point down: every #include "x.h" of a file in
# src/LAYER/ names a header of the same layer or of a layer LAYER may use.
#   util     nothing above it          crypto   util
#   pkarr    crypto, util              net      pkarr, crypto, util (never handoff or cli)
#   identity net, pkarr, crypto, util  handoff  identity, net, pkarr, crypto, util
#   cli      everything
# No exceptions: the transport gets its settings as struct transport_peers (net/transport.h),
# which cli/config.c fills in.
. "$(dirname "$0")/lib.sh"

src=$CCLINK_TOP/src
allowed() {
	case $1 in
	util) echo "util" ;;
	crypto) echo "crypto util" ;;
	pkarr) echo "pkarr crypto util" ;;
	net) echo "net pkarr crypto util" ;;
	identity) echo "identity net pkarr crypto util" ;;
	handoff) echo "handoff identity net pkarr crypto util" ;;
	cli) echo "cli handoff identity net pkarr crypto util" ;;
	*) echo "" ;;
	esac
}
layers=$(cd "$src" && ls -d */ | tr -d /)
if [ "$(echo $layers)" = "cli crypto handoff identity net pkarr util" ]; then ok "src/ has the seven layer folders"; else
	not_ok "src/ has the seven layer folders"; diag "found: $(echo $layers)"; fi
loose=$(find "$src" -maxdepth 1 -type f -name '*.[ch]')
if [ -z "$loose" ]; then ok "no source file outside a layer folder"; else not_ok "no source file outside a layer folder"; diag "$loose"; fi

bad=""
for l in $layers; do
	for f in "$src/$l"/*.[ch]; do
		for h in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
			t=$(cd "$src" && ls */"$h" 2>/dev/null | head -1 | cut -d/ -f1)
			if [ -z "$t" ]; then bad="$bad ${f#$src/}->$h(not found)"; continue; fi
			case " $(allowed "$l") " in *" $t "*) ;; *) bad="$bad ${f#$src/}->$t/$h" ;; esac
		done
	done
done
if [ -z "$bad" ]; then ok "every include points down the layers"; else
	not_ok "every include points down the layers"; diag "$bad"; fi
done_testing
