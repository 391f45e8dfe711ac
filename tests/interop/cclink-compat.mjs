#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// cclink v1.3 formats in JS (lib/cclink.mjs), as a command-line tool for compatibility
// fixtures: key files, `_cclink` records, publishing them, opening them. See README.md.
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { parseArgs, runMain, num, UsageError, printJson } from './lib/cli.mjs'
import * as C from './lib/cclink.mjs'
import { hexSeed, keyFromSeed, parsePubkey, z32Encode, edSeedToX25519, edPkToX25519, x25519Public } from './lib/keys.mjs'
import { encodeDns, txtRecords, txtRdata, signPacket, parsePacket, txtValue, nowMicros, packetFromRelayBody } from './lib/pkarr.mjs'
import { parseAddrList } from './lib/krpc.mjs'
import { withClient, resolve as dhtResolve, publish as dhtPublish } from './lib/dht.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const USAGE = `usage: cclink-compat.mjs COMMAND [options]
  keygen (--seed HEX | --random) --out FILE [--passphrase-file F] [--kdf-m KIB --kdf-t N --kdf-p N] [--salt HEX]
  loadkey FILE [--passphrase-file F] [--print-seed] [--no-mode-check]
  age-identity (--seed HEX | --pin-file F --pin-salt B64 | --passphrase-file F --key-file FILE) [--recipient] [--json]
  record  KEY SESSION [--hostname H] [--project P] [--created-at S] [--ttl S] [--burn]
          [--share Z32 | --pin-file F [--pin-salt B64]] [--age-file F] [--record-hostname H] [--record-project P]
          [--payload-extra K=V]... [--out F] [--json]
  publish KEY SESSION ...record options... [--bootstrap H:P,... | --relay URL]... [--ts US] [--no-cas] [--packet-out F]
  open    (--value-file F [--pubkey Z32] | --packet F | --body F --pubkey Z32 | --pubkey Z32 [--bootstrap L | --relay URL])
          [--seed HEX | --key FILE [--passphrase-file F] | --pin-file F] [--now S] [--no-decrypt]
  selftest [--vectors DIR]
KEY is --seed HEX or --key FILE [--passphrase-file F]. SESSION is --session ID.
exit: 0 ok, 1 failure, 2 usage, 3 not found, 4 expired, 5 cannot decrypt, 6 bad signature/key, 7 malformed
`

const SPEC = {
  flags: ['random', 'print-seed', 'no-mode-check', 'recipient', 'json', 'burn', 'no-cas', 'no-decrypt', 'help'],
  options: ['seed', 'out', 'passphrase-file', 'kdf-m', 'kdf-t', 'kdf-p', 'salt', 'pin-file', 'pin-salt', 'key-file', 'key',
    'session', 'hostname', 'project', 'created-at', 'ttl', 'share', 'age-file', 'record-hostname', 'record-project',
    'ts', 'packet-out', 'value-file', 'pubkey', 'packet', 'body', 'now', 'vectors', 'timeout'],
  multi: ['payload-extra', 'bootstrap', 'relay']
}
const die = (m) => { throw new UsageError(m) }
const kdfParams = (o) => ({
  m: num(o['kdf-m'] ?? C.KDF_DEFAULT.m, '--kdf-m', { min: 8, max: 4 * 1024 * 1024 }),
  t: num(o['kdf-t'] ?? C.KDF_DEFAULT.t, '--kdf-t', { min: 1, max: 64 }),
  p: num(o['kdf-p'] ?? C.KDF_DEFAULT.p, '--kdf-p', { min: 1, max: 16 })
})
const passphrase = (o) => o['passphrase-file'] !== undefined ? C.readSecretFile(o['passphrase-file']) : undefined
const saltArg = (s, what) => {
  const b = /^[0-9a-fA-F]{64}$/.test(s) ? Buffer.from(s, 'hex') : C.b64Decode(s, what)
  if (b.length !== 32) die(`${what} must be 32 bytes (64 hex or base64)`)
  return b
}

async function seedFrom (o, required = true) {
  if (o.seed !== undefined) return hexSeed(o.seed)
  if (o.key !== undefined) return C.loadKeyFile(o.key, { passphrase: passphrase(o), checkMode: !o['no-mode-check'] })
  if (required) die('give --seed HEX or --key FILE')
  return null
}

async function recordFrom (o) {
  const seed = await seedFrom(o)
  let mode = 'self'
  if (o.share !== undefined && o['pin-file'] !== undefined) die('--share and --pin-file do not combine')
  if (o.share !== undefined) mode = 'share'
  if (o['pin-file'] !== undefined) mode = 'pin'
  return C.buildRecord({
    seed,
    sessionId: o.session ?? die('--session is required'),
    hostname: o.hostname ?? 'compat-host',
    project: o.project ?? '/tmp/compat-project',
    createdAt: o['created-at'] !== undefined ? BigInt(o['created-at']) : BigInt(Math.floor(Date.now() / 1000)),
    ttl: BigInt(o.ttl ?? 86400),
    burn: !!o.burn,
    mode,
    share: mode === 'share' ? parsePubkey(o.share) : null,
    pin: mode === 'pin' ? C.readSecretFile(o['pin-file']) : null,
    pinSalt: o['pin-salt'] !== undefined ? saltArg(o['pin-salt'], '--pin-salt') : null,
    ageFile: o['age-file'] !== undefined ? fs.readFileSync(o['age-file']) : null,
    recordHostname: o['record-hostname'],
    recordProject: o['record-project'],
    payloadExtra: o['payload-extra'].map((kv) => { const i = kv.indexOf('='); if (i < 0) die('--payload-extra takes K=V'); return [kv.slice(0, i), kv.slice(i + 1)] }),
    kdf: kdfParams(o)
  }).then((r) => ({ ...r, seed }))
}

async function relayGet (url, pk) {
  const res = await fetch(`${url.replace(/\/+$/, '')}/${z32Encode(pk)}?policy=NetworkOnly`, { headers: { 'Cache-Control': 'no-cache' }, signal: AbortSignal.timeout(5000) })
  if (res.status === 404) return null
  if (res.status !== 200) throw new Error(`relay ${url}: HTTP ${res.status}`)
  return packetFromRelayBody(pk, Buffer.from(await res.arrayBuffer()))
}

async function relayPut (url, sp) {
  const res = await fetch(`${url.replace(/\/+$/, '')}/${z32Encode(sp.subarray(0, 32))}`, { method: 'PUT', body: sp.subarray(32), signal: AbortSignal.timeout(10000) })
  return { relay: url, status: res.status, storedNodes: res.headers.get('pkarr-dht-stored-nodes'), ok: res.status >= 200 && res.status < 300 }
}

async function cmdOpen (o) {
  let pk = o.pubkey !== undefined ? parsePubkey(o.pubkey) : null
  let value = null
  let source
  let packetTs = null
  const fromPacket = (sp, src) => {
    const p = parsePacket(sp)
    if (!p.sigOk) throw new C.CompatError('signature', 'SignedPacket signature does not verify')
    if (!p.dnsOk) throw new C.CompatError('format', 'SignedPacket DNS does not parse')
    pk = Buffer.from(p.pk); packetTs = p.ts; source = src
    value = txtValue(p.dns, z32Encode(pk))
    if (value === null) throw new C.CompatError('notfound', 'no _cclink record in the packet (revoked?)')
  }
  if (o['value-file'] !== undefined) {
    value = fs.readFileSync(o['value-file'], 'utf8')
    source = 'value-file'
  } else if (o.packet !== undefined) {
    fromPacket(fs.readFileSync(o.packet), 'packet-file')
  } else if (o.body !== undefined) {
    if (!pk) die('--body needs --pubkey')
    fromPacket(packetFromRelayBody(pk, fs.readFileSync(o.body)), 'body-file')
  } else if (pk && o.relay.length) {
    let sp = null
    for (const url of o.relay) { sp = await relayGet(url, pk); if (sp) break }
    if (!sp) throw new C.CompatError('notfound', 'not found on the relay(s)')
    fromPacket(sp, 'relay')
  } else if (pk) {
    const seeds = parseAddrList(o.bootstrap.join(',') || process.env.CCLINK_BOOTSTRAP)
    if (!seeds.length) die('no bootstrap nodes (--bootstrap or CCLINK_BOOTSTRAP)')
    const r = await withClient({ timeout: num(o.timeout ?? 2000, '--timeout', { min: 1 }) }, (c) => dhtResolve(c, pk, seeds))
    if (!r.best) throw new C.CompatError('notfound', 'no valid packet on the DHT')
    fromPacket(Buffer.concat([pk, Buffer.from(r.best.sig), (() => { const t = Buffer.alloc(8); t.writeBigUInt64BE(r.best.ts); return t })(), r.best.dns]), 'dht')
  } else die('open needs --value-file, --packet, --body or --pubkey')

  const rec = C.parseRecord(value)
  if (!pk) pk = parsePubkey(rec.pubkey) // a bare value: verify against its own key
  C.verifyRecord(rec, pk)
  const nowSecs = o.now !== undefined ? BigInt(o.now) : BigInt(Math.floor(Date.now() / 1000))
  const meta = {
    source,
    pubkey: rec.pubkey,
    created_at: rec.created_at,
    ttl: rec.ttl,
    expires_at: C.expiresAt(rec),
    burn: rec.burn,
    recipient: rec.recipient,
    pin: rec.pin_salt !== null,
    packet_seq: packetTs
  }
  if (C.isExpired(rec, nowSecs)) {
    printJson({ ...meta, expired: true })
    throw new C.CompatError('expired', `record expired at ${C.expiresAt(rec)} (now ${nowSecs})`)
  }
  if (o['no-decrypt']) { printJson({ ...meta, expired: false }); return 0 }
  const seed = await seedFrom(o, false)
  const pin = o['pin-file'] !== undefined ? C.readSecretFile(o['pin-file']) : null
  const d = await C.decryptRecord(rec, { seed, pin, kdf: kdfParams(o) })
  printJson({ session_id: d.sessionId, project: d.project, hostname: d.hostname, ...meta, expired: false, payload: d.payload })
  return 0
}

async function cmdSelftest (o) {
  const dir = o.vectors ?? path.join(HERE, '..', 'vectors')
  const read = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))
  const results = []
  const check = (name, cond) => { results.push([name, !!cond]); process.stdout.write(`${cond ? 'ok' : 'not ok'} - ${name}\n`) }
  for (const v of read('ed2x.json').valid) {
    const seed = Buffer.from(v.ed25519_seed_hex, 'hex')
    const k = keyFromSeed(seed)
    check(`ed2x ${v.name}: Ed25519 pk`, k.pk.toString('hex') === v.ed25519_pk_hex)
    check(`ed2x ${v.name}: X25519 pk = Montgomery(ed pk)`, edPkToX25519(k.pk).toString('hex') === v.x25519_pk_hex)
    check(`ed2x ${v.name}: X25519 sk = clamp(SHA-512(seed))`, edSeedToX25519(seed).toString('hex') === v.x25519_sk_hex)
    check(`ed2x ${v.name}: X25519(sk, 9) = converted pk`, x25519Public(edSeedToX25519(seed)).toString('hex') === v.x25519_pk_hex)
  }
  const kdf = read('kdf.json')
  for (const v of kdf.hkdf_sha256 || []) {
    if (v.ikm_hex === undefined || v.salt_hex !== '') continue // cclink only uses salt-less HKDF
    const okm = crypto.hkdfSync('sha256', Buffer.from(v.ikm_hex, 'hex'), Buffer.alloc(0), Buffer.from(v.info_hex, 'hex'), Number(v.L))
    check(`hkdf ${v.name}`, Buffer.from(okm).toString('hex') === v.okm_hex)
  }
  for (const v of kdf.argon2) {
    if (v.type !== 'id' || v.secret_hex || v.ad_hex || Number(v.m_kib) > 65536) continue
    const out = await C.argon2(Buffer.from(v.password_ascii ?? '', 'latin1'), Buffer.from(v.salt_ascii ?? '', 'latin1'), { m: Number(v.m_kib), t: Number(v.t), p: Number(v.p) })
    check(`argon2id ${v.name}`, out.toString('hex') === v.tag_hex)
  }
  // The DNS encoder and SignedPacket layout against the pkarr vectors (Ed25519 is deterministic).
  const vec = read('vectors.json')
  const k2a = keyFromSeed(Buffer.from(vec.seed_2a.seed, 'hex'))
  check('seed 2a: z32', k2a.z32 === vec.seed_2a.z32)
  const v600 = fs.readFileSync(path.join(dir, 'cclink600.value'))
  const sp600 = signPacket(k2a, BigInt(vec.cclink_600.timestamp_us), encodeDns(k2a.z32, [{ name: '_cclink', type: 16, ttl: 300, rdata: txtRdata(v600) }]))
  check('cclink600: SignedPacket bytes', sp600.equals(fs.readFileSync(path.join(dir, 'cclink600.signed_packet.bin'))))
  check('cclink600: TXT value read back', txtValue(sp600.subarray(104), k2a.z32) === v600.toString('utf8'))
  const small = encodeDns(k2a.z32, [
    { name: '_cclink', type: 16, ttl: 300, rdata: txtRdata('hello') },
    { name: '@', type: 1, ttl: 300, rdata: Buffer.from([127, 0, 0, 1]) },
    { name: '_cclink', type: 16, ttl: 300, rdata: txtRdata('world') }])
  check('small_3rr: compressed DNS bytes', small.toString('hex') === vec.small_3rr.dns_hex)
  check('small_3rr: SignedPacket bytes', signPacket(k2a, BigInt(vec.small_3rr.timestamp_us), small).toString('hex') === vec.small_3rr.signed_packet_hex)
  // Round trips through every code path, with fast KDF parameters.
  const seed = Buffer.alloc(32, 0x2a)
  const kf = await C.encodeKeyFile(seed, { passphrase: Buffer.from('pass phrase'), params: { m: 256, t: 1, p: 1 } })
  check('key envelope round trip', (await C.decodeKeyFile(kf, { passphrase: Buffer.from('pass phrase') })).equals(seed))
  const other = keyFromSeed(Buffer.alloc(32, 0x07))
  for (const mode of ['self', 'share', 'pin']) {
    const r = await C.buildRecord({ seed, sessionId: 'sess-' + mode, hostname: 'h', project: '/p "q"\\', createdAt: 1700000000n, ttl: 3600n, mode, share: other.pk, pin: Buffer.from('84217593'), kdf: { m: 256, t: 1, p: 1 } })
    const rec = C.parseRecord(r.value)
    let ok = true
    try { C.verifyRecord(rec, keyFromSeed(seed).pk) } catch { ok = false }
    const d = await C.decryptRecord(rec, { seed: mode === 'share' ? Buffer.alloc(32, 0x07) : seed, pin: Buffer.from('84217593'), kdf: { m: 256, t: 1, p: 1 } })
    check(`record ${mode} round trip`, ok && d.sessionId === 'sess-' + mode && d.project === '/p "q"\\')
  }
  const bad = results.filter((x) => !x[1]).length
  process.stdout.write(`${results.length - bad} passed, ${bad} failed\n`)
  return bad ? 1 : 0
}

async function main () {
  const o = parseArgs(process.argv.slice(2), SPEC)
  const [cmd, ...pos] = o._
  if (o.help || !cmd) { process.stdout.write(USAGE); return o.help ? 0 : 2 }
  switch (cmd) {
    case 'keygen': {
      const seed = o.random ? crypto.randomBytes(32) : hexSeed(o.seed ?? die('--seed HEX or --random'))
      const out = o.out ?? die('--out FILE is required')
      const bytes = await C.encodeKeyFile(seed, { passphrase: passphrase(o), params: kdfParams(o), salt: o.salt !== undefined ? saltArg(o.salt, '--salt') : undefined })
      fs.mkdirSync(path.dirname(out), { recursive: true, mode: 0o700 })
      fs.writeFileSync(out, bytes, { mode: 0o600 })
      fs.chmodSync(out, 0o600)
      process.stdout.write(keyFromSeed(seed).z32 + '\n')
      return 0
    }
    case 'loadkey': {
      const seed = await C.loadKeyFile(pos[0] ?? o.key ?? die('loadkey needs a FILE'), { passphrase: passphrase(o), checkMode: !o['no-mode-check'] })
      process.stdout.write(keyFromSeed(seed).z32 + '\n')
      if (o['print-seed']) process.stdout.write(seed.toString('hex') + '\n')
      return 0
    }
    case 'age-identity': {
      let scalar
      if (o.seed !== undefined) scalar = edSeedToX25519(hexSeed(o.seed))
      else if (o['pin-file'] !== undefined) scalar = await C.deriveScalar(C.readSecretFile(o['pin-file']), saltArg(o['pin-salt'] ?? die('--pin-salt is required'), '--pin-salt'), C.PIN_INFO, kdfParams(o))
      else if (o['passphrase-file'] !== undefined) {
        const env = C.parseEnvelope(fs.readFileSync(o['key-file'] ?? die('--key-file is required')))
        scalar = await C.deriveScalar(C.readSecretFile(o['passphrase-file']), env.salt, C.KEY_INFO, env.params)
      } else die('give --seed, --pin-file or --passphrase-file')
      const id = C.ageIdentity(scalar)
      const rc = C.ageRecipientOfScalar(scalar)
      if (o.json) printJson({ identity: id, recipient: rc, x25519_sk: scalar.toString('hex'), x25519_pk: x25519Public(scalar).toString('hex') })
      else process.stdout.write((o.recipient ? rc : id) + '\n')
      return 0
    }
    case 'record': {
      const r = await recordFrom(o)
      if (o.out) fs.writeFileSync(o.out, r.value)
      if (o.json) printJson({ value: r.value, length: Buffer.byteLength(r.value), payload: r.payload, recipient: r.recipients[0], pubkey: r.fields.pubkey, pin_salt: r.fields.pin_salt })
      else if (!o.out) process.stdout.write(r.value + '\n')
      return 0
    }
    case 'publish': {
      const r = await recordFrom(o)
      const key = keyFromSeed(r.seed)
      const dns = encodeDns(key.z32, txtRecords(['_cclink=' + r.value], 86400))
      const seeds = parseAddrList(o.bootstrap.join(',') || (o.relay.length ? '' : process.env.CCLINK_BOOTSTRAP))
      if (!seeds.length && !o.relay.length && !o['packet-out']) die('give --bootstrap, --relay or --packet-out')
      const out = { z32: key.z32, dnsLen: dns.length, valueLength: Buffer.byteLength(r.value) }
      await withClient({ timeout: num(o.timeout ?? 2000, '--timeout', { min: 1 }) }, async (c) => {
        // Like 1.3: look at what is there first, publish newer, with cas = the current seq.
        let cur = null
        if (seeds.length && o.ts === undefined) cur = (await dhtResolve(c, key.pk, seeds)).best
        let ts = o.ts !== undefined ? BigInt(o.ts) : nowMicros()
        if (cur && cur.ts >= ts) ts = cur.ts + 1n
        const sp = signPacket(key, ts, dns)
        out.seq = ts
        if (o['packet-out']) fs.writeFileSync(o['packet-out'], sp)
        if (seeds.length) {
          const p = await dhtPublish(c, sp, seeds, { cas: cur && !o['no-cas'] ? cur.ts : undefined })
          out.dht = { stored: p.stored, conflict: p.conflict, cas: cur ? cur.ts : null }
        }
        out.relays = []
        for (const url of o.relay) out.relays.push(await relayPut(url, sp))
      })
      printJson(out)
      const dhtOk = !out.dht || (out.dht.stored > 0 && !out.dht.conflict)
      return dhtOk && out.relays.every((x) => x.ok) ? 0 : 1
    }
    case 'open':
      return cmdOpen(o)
    case 'selftest':
      return cmdSelftest(o)
    default:
      throw new UsageError('unknown command ' + cmd)
  }
}

runMain(main, USAGE)
