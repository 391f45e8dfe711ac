#!/bin/sh
# SPDX-License-Identifier: MIT
# The interop harness itself: testnet (plain, strict, faulty), relays (v7, legacy, DHT off),
# the raw KRPC client and the JS cclink v1.3 format tool, cross-checked with Debian's age.
# It does not use the C binary.
: "${CCLINK:=/nonexistent/cclink-not-needed}"
export CCLINK
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

W=$T_DIR/w
mkdir -p "$W"
SEED=2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a
Z=df9sse9bp1nuftim3yhxiuk6w6r5hddsskjygpydux7esxjstioo
SEED_B=0707070707070707070707070707070707070707070707070707070707070707
SEED_C=1111111111111111111111111111111111111111111111111111111111111111

out_has() { grep -Eq -- "$1" "$T_DIR/out"; }
json() { harness_json "$1" <"$T_DIR/out"; }
# code METHOD URL [curl options]: print the HTTP status (body to $W/body, headers to $W/hdr)
code() { m=$1 u=$2; shift 2; curl -sS -X "$m" -o "$W/body" -D "$W/hdr" -w '%{http_code}' "$@" "$u"; }
hdr() { tr -d '\r' <"$W/hdr" | grep -i "^$1:" | sed 's/^[^:]*: *//'; }
is() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; diag "got '$2', wanted '$3'"; fi; }

# ---- 1. the format tool against the vectors -------------------------------------------------
run harness_compat selftest
if [ "$RC" -eq 0 ]; then ok "cclink-compat selftest ($(tail -n 1 "$T_DIR/out"))"; else
	not_ok "cclink-compat selftest"; diag "$(grep -v '^ok' "$T_DIR/out")" "$(cat "$T_DIR/err")"; fi

# ---- 2. plain testnet: publish / resolve round trip -----------------------------------------
if ! check "testnet (8 nodes) starts and prints READY" harness_start_testnet --nodes 8; then
	done_testing
	exit 1
fi
is "CCLINK_BOOTSTRAP lists 8 loopback nodes" "$(echo "$CCLINK_BOOTSTRAP" | tr ',' '\n' | grep -c '^127\.0\.0\.1:[0-9][0-9]*$')" 8
FIRST=${CCLINK_BOOTSTRAP%%,*}
expect_exit "krpc ping (4-byte t) is answered" 0 harness_krpc ping "$FIRST"
expect_exit "resolve before publish: not found (exit 3)" 3 harness_krpc resolve "$Z"
expect_exit "krpc publish stores the packet" 0 harness_krpc publish --seed "$SEED" --txt '_cclink={"hello":"world"}' --ttl 86400 --packet-out "$W/p1.sp"
grep_out "publish reports stored >= 7 nodes" '"stored":[78]'
expect_exit "krpc resolve finds it" 0 harness_krpc resolve "$Z" --packet-out "$W/r1.sp"
is "resolved TXT value is the published one" "$(json .txt)" '{"hello":"world"}'
check "resolved SignedPacket is byte-identical to the published one" cmp -s "$W/p1.sp" "$W/r1.sp"
expect_exit "identical re-publish counts nodes that already hold it" 0 harness_krpc publish-file "$W/p1.sp"
grep_out "re-publish: 302 from holders counted as stored" '"alreadyHeld":true'
harness_krpc make-packet --seed "$SEED" --txt '_cclink=old' --ts 1000000 --packet-out "$W/old.sp" >/dev/null
expect_exit "publishing an older seq is a conflict (exit 4)" 4 harness_krpc publish-file "$W/old.sp"

# ---- 3. strict (Rust mainline >= 6) testnet -------------------------------------------------
PLAIN_BOOT=$CCLINK_BOOTSTRAP
if check "strict testnet starts" harness_start_testnet --nodes 6 --mainline-strict; then
	SFIRST=${CCLINK_BOOTSTRAP%%,*}
	expect_exit "strict: 4-byte t ping answered" 0 harness_krpc ping "$SFIRST" --timeout 1000
	expect_exit "strict: 2-byte t ping dropped" 1 harness_krpc ping "$SFIRST" --tid2 --timeout 500
	grep_out "strict: the dropped ping timed out" '"timeout":true'
	check "strict: the drop is logged" grep -q 'strict-drop .*t is 2 bytes' "$HARNESS_TESTNET_LOG"
	expect_exit "strict: put without target is dropped (nothing stored)" 1 harness_krpc publish --seed "$SEED_C" --txt _cclink=x --no-target --timeout 500
	check "strict: put-without-target drop is logged" grep -q 'put without a 20-byte target' "$HARNESS_TESTNET_LOG"
	expect_exit "strict: a well-formed put is stored" 0 harness_krpc publish --seed "$SEED_C" --txt _cclink=y
	expect_exit "strict: and resolves" 0 harness_krpc resolve "$(json .z32)"
else
	not_ok "strict testnet checks skipped: no testnet"
fi
CCLINK_BOOTSTRAP=$PLAIN_BOOT HARNESS_BOOTSTRAP=$PLAIN_BOOT
export CCLINK_BOOTSTRAP HARNESS_BOOTSTRAP

# ---- 3b. reply shaping (used by the benchmarks) ----------------------------------------------
if check "testnet with --delay 150 starts" harness_start_testnet --nodes 2 --delay 150; then
	expect_exit "delayed ping is answered" 0 harness_krpc ping "${CCLINK_BOOTSTRAP%%,*}"
	check "the reply took >= 150 ms" test "$(json .ms)" -ge 150
fi
if check "testnet with --loss 1 starts" harness_start_testnet --nodes 2 --loss 1; then
	expect_exit "every reply is lost" 1 harness_krpc ping "${CCLINK_BOOTSTRAP%%,*}" --timeout 300
fi
CCLINK_BOOTSTRAP=$PLAIN_BOOT HARNESS_BOOTSTRAP=$PLAIN_BOOT
export CCLINK_BOOTSTRAP HARNESS_BOOTSTRAP

# ---- 4. relays ------------------------------------------------------------------------------
harness_krpc make-packet --seed "$SEED" --txt '_cclink=relay one' --ttl 600 --body-out "$W/b1" >/dev/null
sleep 0.01
harness_krpc make-packet --seed "$SEED" --txt '_cclink=relay two' --ttl 600 --body-out "$W/b2" >/dev/null
if check "v7 relay starts" harness_start_relay; then
	R=$HARNESS_RELAY
	is "GET existing key (published over KRPC) -> 200" "$(code GET "$R/$Z")" 200
	tail -c +33 "$W/p1.sp" >"$W/p1.body"
	check "GET body is sig|ts|dns of the DHT packet" cmp -s "$W/body" "$W/p1.body"
	is "GET Content-Type" "$(hdr Content-Type)" 'application/pkarr.org/relays#payload'
	is "GET Cache-Control (TTL 86400)" "$(hdr Cache-Control)" 'public, max-age=86400'
	check "GET has Last-Modified and Memento-Datetime" sh -c "grep -qi '^Last-Modified:' '$W/hdr' && grep -qi '^Memento-Datetime:' '$W/hdr'"
	is "GET unknown key -> 404" "$(code GET "$R/yg4gxe7z1r7mr6orids9fh95y7gxhdsxjqi6nngsxxtakqaxr5no")" 404
	is "PUT newer -> 204" "$(code PUT "$R/$Z" --data-binary "@$W/b1")" 204
	is "PUT reports Pkarr-Dht-Stored-Nodes" "$(hdr Pkarr-Dht-Stored-Nodes)" 8
	is "PUT newer again -> 204" "$(code PUT "$R/$Z" --data-binary "@$W/b2")" 204
	is "PUT older than the cache -> 409" "$(code PUT "$R/$Z" --data-binary "@$W/b1")" 409
	is "GET CacheOnly -> 200" "$(code GET "$R/$Z?policy=CacheOnly")" 200
	check "GET returns the newest" cmp -s "$W/body" "$W/b2"
	is "If-Modified-Since in the future -> 304" "$(code GET "$R/$Z" -H 'If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT')" 304
	is "bad policy -> 400" "$(code GET "$R/$Z?policy=Sometimes")" 400
	is "bad key -> 400" "$(code GET "$R/not-a-key")" 400
	head -c 1200 /dev/zero >"$W/big"
	is "PUT > 1104 bytes -> 413" "$(code PUT "$R/$Z" --data-binary "@$W/big")" 413
	head -c 1090 /dev/zero >"$W/mid"
	is "PUT 1073..1104 bytes -> 400" "$(code PUT "$R/$Z" --data-binary "@$W/mid")" 400
	cp "$W/b2" "$W/bad"
	printf 'X' | dd of="$W/bad" bs=1 seek=10 conv=notrunc 2>/dev/null
	is "PUT bad signature -> 400" "$(code PUT "$R/$Z" --data-binary "@$W/bad")" 400
	is "OPTIONS -> 204 (CORS)" "$(code OPTIONS "$R/$Z")" 204
	expect_exit "the relay's PUT reached the DHT" 0 harness_krpc resolve "$Z"
	is "DHT now holds 'relay two'" "$(json .txt)" 'relay two'
	is "CCLINK_RELAYS is the relay URL" "$CCLINK_RELAYS" "$R"
else
	not_ok "v7 relay checks skipped"
fi
sleep 0.01
harness_krpc make-packet --seed "$SEED" --txt '_cclink=legacy' --ttl 600 --body-out "$W/b3" >/dev/null
if check "legacy (pkarr@1.3.0) relay starts" harness_start_relay --legacy; then
	L=$HARNESS_RELAY
	is "legacy PUT -> 200" "$(code PUT "$L/$Z" --data-binary "@$W/b3")" 200
	is "legacy re-PUT identical -> 500" "$(code PUT "$L/$Z" --data-binary "@$W/b3")" 500
	is "legacy GET -> 200" "$(code GET "$L/$Z")" 200
	check "legacy GET has no Content-Type" sh -c "! grep -qi '^Content-Type:' '$W/hdr'"
	is "CCLINK_RELAYS lists both relays" "$CCLINK_RELAYS" "$R,$L"
else
	not_ok "legacy relay checks skipped"
fi
if check "DHT-off relay starts" harness_start_relay --dht-off; then
	D=$HARNESS_RELAY
	is "dht-off GET unknown -> 404" "$(code GET "$D/$Z")" 404
	is "dht-off PUT -> 204" "$(code PUT "$D/$Z" --data-binary "@$W/b1")" 204
	is "dht-off GET NetworkOnly serves the cache -> 200" "$(code GET "$D/$Z?policy=NetworkOnly")" 200
	check "dht-off GET body" cmp -s "$W/body" "$W/b1"
	check "DHT-off relay logged no DHT" grep -q 'mode=dht-off bootstrap=-' "$HARNESS_RELAY_LOG"
	harness_kill "$HARNESS_RELAY_PID"
	check "harness_kill stops a relay" sh -c "! curl -s -o /dev/null '$D/'"
else
	not_ok "dht-off relay checks skipped"
fi

# ---- 5. key files ---------------------------------------------------------------------------
printf 'correct horse battery\n' >"$W/pass"
printf 'not it\n' >"$W/wrong"
K=$HOME/.pubky/secret_key
expect_exit "keygen plaintext" 0 harness_compat keygen --seed "$SEED" --out "$K"
is "plaintext key file: 64 lowercase hex, no newline" "$(od -An -v -c "$K" | tr -d ' \n' | head -c 80)" "$SEED"
is "plaintext key file size" "$(wc -c <"$K" | tr -d ' ')" 64
is "key file mode 0600" "$(stat -c %a "$K")" 600
expect_exit "loadkey plaintext" 0 harness_compat loadkey "$K"
is "loadkey prints the z32 key" "$(head -n 1 "$T_DIR/out")" "$Z"
chmod 644 "$K"
expect_exit "loadkey refuses mode 0644 like 1.3" 7 harness_compat loadkey "$K"
printf '  %s\n' "$(echo "$SEED" | tr a-f A-F)" >"$W/upper"
chmod 600 "$W/upper"
expect_exit "loadkey accepts uppercase hex and whitespace" 0 harness_compat loadkey "$W/upper"
KE=$W/secret_key.enc
expect_exit "keygen encrypted (default Argon2id 64 MiB, t=3)" 0 harness_compat keygen --seed "$SEED" --out "$KE" --passphrase-file "$W/pass"
is "envelope header: magic, version, m, t, p" "$(head -c 21 "$KE" | od -An -tx1 | tr -d ' \n')" 43434c494e4b454b01000100000000000300000001
check "envelope carries a binary age file after 53 bytes" sh -c "tail -c +54 '$KE' | head -c 21 | grep -q '^age-encryption.org/v1'"
expect_exit "loadkey encrypted" 0 harness_compat loadkey "$KE" --passphrase-file "$W/pass" --print-seed
is "loadkey encrypted: z32" "$(head -n 1 "$T_DIR/out")" "$Z"
is "loadkey encrypted: seed" "$(sed -n 2p "$T_DIR/out")" "$SEED"
expect_exit "loadkey wrong passphrase -> exit 5" 5 harness_compat loadkey "$KE" --passphrase-file "$W/wrong"
harness_compat age-identity --passphrase-file "$W/pass" --key-file "$KE" >"$W/kek.id"
tail -c +54 "$KE" >"$W/kek.age"
is "Debian age -d opens the envelope with the derived identity" "$(age -d -i "$W/kek.id" "$W/kek.age" | od -An -v -tx1 | tr -d ' \n')" "$SEED"
KF=$W/secret_key.fast
expect_exit "keygen with explicit KDF params (m=256 t=1)" 0 harness_compat keygen --seed "$SEED_B" --out "$KF" --passphrase-file "$W/pass" --kdf-m 256 --kdf-t 1
expect_exit "loadkey reads the params from the header" 0 harness_compat loadkey "$KF" --passphrase-file "$W/pass"
ZB=$(head -n 1 "$T_DIR/out")

# ---- 6. records -----------------------------------------------------------------------------
harness_compat age-identity --seed "$SEED" >"$W/self.id"
blob() { harness_json .blob <"$1" | base64 -d >"$2"; }
expect_exit "record (self)" 0 harness_compat record --key "$W/upper" --session 0f3c-self --hostname hostA --project '/home/a/proj "x"' --out "$W/r-self"
check "record keys are alphabetical with defaults omitted" grep -Eq '^\{"blob":"[A-Za-z0-9+/=]+","created_at":[0-9]+,"pubkey":"'"$Z"'","signature":"[A-Za-z0-9+/]{86}==","ttl":86400\}$' "$W/r-self"
blob "$W/r-self" "$W/self.age"
is "Debian age decrypts the self blob with the converted X25519 key" "$(age -d -i "$W/self.id" "$W/self.age")" '{"h":"hostA","p":"/home/a/proj \"x\"","s":"0f3c-self"}'
expect_exit "open (self)" 0 harness_compat open --value-file "$W/r-self" --seed "$SEED"
is "open (self): session id" "$(json .session_id)" 0f3c-self
is "open (self): project" "$(json .project)" '/home/a/proj "x"'
expect_exit "record (share) to B" 0 harness_compat record --seed "$SEED" --session 0f3c-share --share "$ZB" --burn --ttl 600 --out "$W/r-share"
check "share record carries burn and recipient" grep -q '"burn":true,.*"recipient":"'"$ZB"'"' "$W/r-share"
expect_exit "open (share) as B" 0 harness_compat open --value-file "$W/r-share" --key "$KF" --passphrase-file "$W/pass"
is "open (share): session id" "$(json .session_id)" 0f3c-share
expect_exit "open (share) as the publisher cannot decrypt (exit 5)" 5 harness_compat open --value-file "$W/r-share" --seed "$SEED"
printf '73914862\n' >"$W/pin"
printf '73914863\n' >"$W/badpin"
expect_exit "record (pin)" 0 harness_compat record --seed "$SEED" --session 0f3c-pin --pin-file "$W/pin" --out "$W/r-pin"
check "pin record carries a 32-byte pin_salt" grep -Eq '"pin_salt":"[A-Za-z0-9+/]{43}="' "$W/r-pin"
expect_exit "open (pin)" 0 harness_compat open --value-file "$W/r-pin" --pin-file "$W/pin"
is "open (pin): session id" "$(json .session_id)" 0f3c-pin
expect_exit "open (pin) with a wrong PIN -> exit 5" 5 harness_compat open --value-file "$W/r-pin" --pin-file "$W/badpin"
harness_compat age-identity --pin-file "$W/pin" --pin-salt "$(harness_json .pin_salt <"$W/r-pin")" >"$W/pin.id"
blob "$W/r-pin" "$W/pin.age"
is "Debian age decrypts the PIN blob with the PIN identity" "$(age -d -i "$W/pin.id" "$W/pin.age")" '{"h":"compat-host","p":"/tmp/compat-project","s":"0f3c-pin"}'
printf '{"h":"agehost","p":"/srv/x","s":"from-debian-age"}' | age -r "$(harness_compat age-identity --seed "$SEED" --recipient)" >"$W/from-age.age"
harness_compat record --seed "$SEED" --session unused --age-file "$W/from-age.age" --out "$W/r-age"
expect_exit "open a record whose blob Debian age encrypted" 0 harness_compat open --value-file "$W/r-age" --seed "$SEED"
is "open (age blob): session id" "$(json .session_id)" from-debian-age
sed 's/"ttl":86400/"ttl":86401/' "$W/r-self" >"$W/r-tampered"
expect_exit "tampered ttl -> bad signature (exit 6)" 6 harness_compat open --value-file "$W/r-tampered" --seed "$SEED"
expect_exit "record under another key -> exit 6" 6 harness_compat open --value-file "$W/r-self" --pubkey "$ZB" --seed "$SEED"
harness_compat record --seed "$SEED" --session old --created-at 1600000000 --ttl 60 --out "$W/r-old"
expect_exit "expired record -> exit 4" 4 harness_compat open --value-file "$W/r-old" --seed "$SEED"
expect_exit "expiry is now >= created_at + ttl (one second before: ok)" 0 harness_compat open --value-file "$W/r-old" --seed "$SEED" --now 1600000059
expect_exit "expiry is now >= created_at + ttl (at the instant: expired)" 4 harness_compat open --value-file "$W/r-old" --seed "$SEED" --now 1600000060
printf '{"blob":"","blob":"","created_at":1,"pubkey":"%s","signature":"","ttl":1}' "$Z" >"$W/r-dup"
expect_exit "duplicate known key -> malformed (exit 7)" 7 harness_compat open --value-file "$W/r-dup" --seed "$SEED"
sed 's/"ttl":86400/"ttl":8.64e4/' "$W/r-self" >"$W/r-exp"
expect_exit "exponent number for ttl -> malformed (exit 7)" 7 harness_compat open --value-file "$W/r-exp" --seed "$SEED"
sed 's/^{/{"zz_unknown":[1,{"a":null}],/' "$W/r-self" >"$W/r-unk"
expect_exit "unknown keys are ignored" 0 harness_compat open --value-file "$W/r-unk" --seed "$SEED"

# ---- 7. publish / open over the testnet and the relay -------------------------------------
expect_exit "compat publish to the testnet" 0 harness_compat publish --seed "$SEED" --session 0f3c-dht --project /p/dht
grep_out "compat publish used cas (a packet existed)" '"cas":[0-9]+'
expect_exit "compat open from the testnet" 0 harness_compat open --pubkey "$Z" --seed "$SEED"
is "open from DHT: session id" "$(json .session_id)" 0f3c-dht
if [ -n "${R:-}" ]; then
	expect_exit "compat publish through the v7 relay" 0 harness_compat publish --seed "$SEED" --session 0f3c-relay --relay "$R"
	expect_exit "compat open through the v7 relay" 0 harness_compat open --pubkey "$Z" --relay "$R" --seed "$SEED"
	is "open from relay: session id" "$(json .session_id)" 0f3c-relay
fi

# ---- 8. faults: dead, stale and forging nodes --------------------------------------------
if check "faulty testnet starts (silent, stale, forged)" harness_start_testnet --nodes 8 --silent 1 --stale-node --forged-node; then
	check "fault node addresses are exported" sh -c "[ -n '$HARNESS_SILENT' ] && [ -n '$HARNESS_STALE' ] && [ -n '$HARNESS_FORGED' ]"
	expect_exit "silent node does not answer" 1 harness_krpc ping "$HARNESS_SILENT" --timeout 300
	expect_exit "publish v1 on the faulty net" 0 harness_compat publish --seed "$SEED_B" --session v1 --timeout 500
	sleep 0.01
	expect_exit "publish v2 on the faulty net" 0 harness_compat publish --seed "$SEED_B" --session v2 --timeout 500
	expect_exit "stale node still serves v1 (validly signed)" 0 harness_krpc get-from "$HARNESS_STALE" "$ZB"
	grep_out "stale node's item verifies" '"verdict":"valid"'
	V1SEQ=$(json .seq)
	expect_exit "forged node serves an item" 0 harness_krpc get-from "$HARNESS_FORGED" "$ZB"
	grep_out "forged item has a bad signature" '"verdict":"bad signature"'
	FSEQ=$(json .seq)
	check "forged item claims a higher seq than v1" test "$FSEQ" -gt "$V1SEQ"
	expect_exit "krpc resolve picks the newest valid item" 0 harness_krpc resolve "$ZB" --timeout 500
	grep_out "resolve rejected the forged item" '"why":"bad signature"'
	check "resolved seq is newer than the stale one" test "$(json .seq)" -gt "$V1SEQ"
	expect_exit "compat open picks v2" 0 harness_compat open --pubkey "$ZB" --seed "$SEED_B" --timeout 500
	is "open on the faulty net: session v2" "$(json .session_id)" v2
	expect_exit "unknown key: the forged node's wrong-key item is rejected" 3 harness_krpc resolve "$Z" --timeout 500
	grep_out "wrong-key item rejected" '"why":"k is not the requested key"'
else
	not_ok "fault checks skipped"
fi

done_testing
