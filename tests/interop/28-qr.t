#!/bin/sh
# SPDX-License-Identifier: MIT
# `publish --qr` renders the pickup command as a terminal QR code: the block characters
# decode to a square module grid with the three finder patterns of a QR symbol, inside a
# light quiet zone, and the pickup command is printed too.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fixtures.sh"

SEED=3131313131313131313131313131313131313131313131313131313131313131
if ! check "testnet: 4 nodes" harness_start_testnet --nodes 4; then
	done_testing
	exit 1
fi
CCLINK_RELAYS=none
export CCLINK_RELAYS
check "identity imported" fx_identity "$SEED"
fx_session "$T_DIR/proj"
fx_publish "$T_DIR/proj" --qr
if [ "$RC" -eq 0 ]; then ok "publish --qr exits 0"; else not_ok "publish --qr exits 0"; diag "$(cat "$T_DIR/err")"; fi
Z=$(fx_z32 "$SEED")
grep_out "the pickup command is printed" "cclink pickup pk:$Z"

# Decode the half-block rendering (light background) back into modules and check them.
"$HARNESS_NODE" -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n")
  .filter(l => /^[\u2588\u2580\u2584 ]+$/.test(l) && l.length > 20)
if (lines.length < 10) { console.log("no QR block found"); process.exit(1) }
const W = [...lines[0]].length
if (!lines.every(l => [...l].length === W)) { console.log("ragged rows"); process.exit(1) }
const grid = []   // 1 = dark module
for (const l of lines) {
  const top = [], bot = []
  for (const c of l) {
    top.push(c === " " || c === "\u2584" ? 1 : 0)
    bot.push(c === " " || c === "\u2580" ? 1 : 0)
  }
  grid.push(top, bot)
}
const q = 2, n = W - 2 * q
if (n < 21 || (n - 17) % 4 !== 0) { console.log("size " + n + " is not a QR version"); process.exit(1) }
for (let y = 0; y < grid.length; y++) for (let x = 0; x < W; x++) {
  const inside = y >= q && y < q + n && x >= q && x < q + n
  if (!inside && grid[y][x]) { console.log("dark module in the quiet zone at " + x + "," + y); process.exit(1) }
}
const finder = (ox, oy) => {
  for (let y = 0; y < 7; y++) for (let x = 0; x < 7; x++) {
    const ring = Math.max(Math.abs(x - 3), Math.abs(y - 3))
    const want = ring === 2 ? 0 : 1
    if (grid[q + oy + y][q + ox + x] !== want) return false
  }
  return true
}
if (!finder(0, 0) || !finder(n - 7, 0) || !finder(0, n - 7)) { console.log("finder patterns missing"); process.exit(1) }
if (finder(n - 7, n - 7)) { console.log("a fourth finder pattern"); process.exit(1) }
console.log("QR version " + ((n - 17) / 4) + ", " + n + "x" + n + " modules")
' "$T_DIR/out" >"$T_DIR/qr.txt" 2>&1
QRC=$?
diag "$(cat "$T_DIR/qr.txt")"
if [ "$QRC" -eq 0 ]; then ok "the QR block decodes to a QR symbol (three finder patterns, quiet zone)"; else not_ok "the QR block decodes to a QR symbol"; fi

expect_exit "publish --qr --json exits 0" 0 sh -c "cd '$T_DIR/proj' && '$CCLINK' publish -y --qr --json"
check "   stdout is exactly one JSON document" sh -c "'$HARNESS_NODE' -e 'JSON.parse(require(\"fs\").readFileSync(0,\"utf8\"))' <'$T_DIR/out'"
grep_err "   the QR code went to stderr" "$(printf '\342\226\210\342\226\210\342\226\210')"
# pickup --qr shows the session id as a QR code before claude starts.
mkdir -p "$T_DIR/bin"
printf '#!/bin/sh\necho "claude $*" >"%s/claude.log"\n' "$T_DIR" >"$T_DIR/bin/claude"
chmod +x "$T_DIR/bin/claude"
# (on a terminal, as pickup needs to start claude: script(1); stderr stays apart)
expect_exit "pickup -y --qr exits 0" 0 script -qfec "env PATH='$T_DIR/bin:$PATH' '$CCLINK' pickup -y --qr 2>'$T_DIR/qr.err'" /dev/null </dev/null
grep_out "   a QR block is printed" "$(printf '\342\226\210\342\226\210\342\226\210')"
check "   claude was started" grep -q -- "--resume 0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e" "$T_DIR/claude.log"
done_testing
