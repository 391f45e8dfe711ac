// SPDX-License-Identifier: MIT
// An independent JS implementation of the Rust cclink v1.3 formats (doc/formats.md), built on
// npm packages that share no code with the C tool: age-encryption (typage) for age,
// hash-wasm for Argon2id, node:crypto for Ed25519/X25519/HKDF, @scure/base for Bech32.
//   * key file ~/.pubky/secret_key: 64 hex chars, or the "CCLINKEK" envelope
//   * the `_cclink` record: JSON, canonical signable, signature, age blob (self/share/PIN)
// Records and key files read here are untrusted: the record JSON goes through a strict
// parser that mirrors serde's rules (duplicate known keys, nulls, number forms).
import fs from 'node:fs'
import crypto from 'node:crypto'
// age-encryption and hash-wasm are loaded on first use: they dominate start-up time.
import { bech32 } from '@scure/base'
import { keyFromSeed, edSign, edVerify, edPkToX25519, edSeedToX25519, x25519Public, parsePubkey, z32Encode } from './keys.mjs'

export const KDF_DEFAULT = { m: 65536, t: 3, p: 1 }
export const ENVELOPE_MAGIC = Buffer.from('CCLINKEK')
export const ENVELOPE_HEADER = 53
export const KEY_INFO = 'cclink-key-v1'
export const PIN_INFO = 'cclink-pin-v1'

/** A failure with a distinct exit code (see cclink-compat.mjs). */
export class CompatError extends Error {
  constructor (kind, message) {
    super(message)
    this.kind = kind
    this.exitCode = { notfound: 3, expired: 4, decrypt: 5, signature: 6, format: 7 }[kind] || 1
  }
}

// ---- secrets from files ---------------------------------------------------------------

/** Read a secret (passphrase/PIN) file: one trailing "\n" or "\r\n" is not part of it. */
export function readSecretFile (path) {
  let b = path === '-' ? fs.readFileSync(0) : fs.readFileSync(path)
  if (b.length && b[b.length - 1] === 0x0a) b = b.subarray(0, b.length - (b.length > 1 && b[b.length - 2] === 0x0d ? 2 : 1))
  return Buffer.from(b)
}

// ---- KDF ------------------------------------------------------------------------------

export async function argon2 (secret, salt, { m, t, p } = KDF_DEFAULT) {
  const { argon2id } = await import('hash-wasm')
  const out = await argon2id({ password: secret, salt, iterations: t, parallelism: p, memorySize: m, hashLength: 32, outputType: 'binary' })
  return Buffer.from(out)
}

/** HKDF-SHA256 with no salt (RFC 5869: HashLen zero bytes), 32 bytes. */
export const hkdf32 = (ikm, info) => Buffer.from(crypto.hkdfSync('sha256', ikm, Buffer.alloc(0), Buffer.from(info), 32))

/** X25519 scalar = HKDF(Argon2id(secret, salt, m, t, p), info). */
export async function deriveScalar (secret, salt, info, params = KDF_DEFAULT) {
  return hkdf32(await argon2(secret, salt, params), info)
}

// ---- age ------------------------------------------------------------------------------

export const ageIdentity = (scalar) => bech32.encode('age-secret-key-', bech32.toWords(scalar), 90).toUpperCase()
export const ageRecipient = (pub) => bech32.encode('age', bech32.toWords(pub), 90)
export const ageRecipientOfScalar = (scalar) => ageRecipient(x25519Public(scalar))

/** Binary (not armored) age file encrypting pt to the given age1 recipients. */
export async function ageEncrypt (recipients, pt) {
  const { Encrypter } = await import('age-encryption')
  const e = new Encrypter()
  for (const r of recipients) e.addRecipient(r)
  return Buffer.from(await e.encrypt(new Uint8Array(pt)))
}

/** Decrypt with the given AGE-SECRET-KEY identities; CompatError('decrypt') on any failure. */
export async function ageDecrypt (identities, ct) {
  const { Decrypter } = await import('age-encryption')
  const d = new Decrypter()
  for (const i of identities) d.addIdentity(i)
  try {
    return Buffer.from(await d.decrypt(new Uint8Array(ct)))
  } catch (e) {
    throw new CompatError('decrypt', 'age: ' + (e && e.message ? e.message : e))
  }
}

/** The X25519 identity of an Ed25519 seed (converted key). */
export const seedIdentity = (seed) => ageIdentity(edSeedToX25519(seed))
/** The age recipient of an Ed25519 public key (Montgomery form). */
export const pubkeyRecipient = (pk) => ageRecipient(edPkToX25519(pk))

// ---- key file -------------------------------------------------------------------------

/** Bytes of ~/.pubky/secret_key: plaintext hex, or the envelope when a passphrase is given. */
export async function encodeKeyFile (seed, { passphrase, params = KDF_DEFAULT, salt } = {}) {
  if (passphrase === undefined || passphrase === null) return Buffer.from(seed.toString('hex'), 'latin1')
  salt = salt || crypto.randomBytes(32)
  if (salt.length !== 32) throw new Error('envelope salt must be 32 bytes')
  const scalar = await deriveScalar(passphrase, salt, KEY_INFO, params)
  const ct = await ageEncrypt([ageRecipientOfScalar(scalar)], seed)
  const h = Buffer.alloc(ENVELOPE_HEADER)
  ENVELOPE_MAGIC.copy(h, 0)
  h[8] = 0x01
  h.writeUInt32BE(params.m, 9)
  h.writeUInt32BE(params.t, 13)
  h.writeUInt32BE(params.p, 17)
  salt.copy(h, 21)
  return Buffer.concat([h, ct])
}

export function parseEnvelope (raw) {
  if (raw.length < ENVELOPE_HEADER) throw new CompatError('format', `key envelope too short (${raw.length} bytes)`)
  if (!raw.subarray(0, 8).equals(ENVELOPE_MAGIC)) throw new CompatError('format', 'not a CCLINKEK envelope')
  if (raw[8] !== 0x01) throw new CompatError('format', `unsupported envelope version ${raw[8]}`)
  return {
    params: { m: raw.readUInt32BE(9), t: raw.readUInt32BE(13), p: raw.readUInt32BE(17) },
    salt: Buffer.from(raw.subarray(21, 53)),
    ct: Buffer.from(raw.subarray(53))
  }
}

/** Seed from key-file bytes (both formats, like Rust load_keypair). */
export async function decodeKeyFile (raw, { passphrase } = {}) {
  if (raw.subarray(0, 8).equals(ENVELOPE_MAGIC)) {
    if (passphrase === undefined || passphrase === null) throw new CompatError('decrypt', 'key file is passphrase-protected: give --passphrase-file')
    const env = parseEnvelope(raw)
    const { m, t, p } = env.params
    if (m < 8 * p || m > 4 * 1024 * 1024 || t < 1 || t > 64 || p < 1 || p > 16) throw new CompatError('format', `envelope KDF parameters out of range (m=${m} t=${t} p=${p})`)
    const scalar = await deriveScalar(passphrase, env.salt, KEY_INFO, env.params)
    let seed
    try { seed = await ageDecrypt([ageIdentity(scalar)], env.ct) } catch { throw new CompatError('decrypt', 'wrong passphrase or corrupted key envelope') }
    if (seed.length !== 32) throw new CompatError('format', `decrypted envelope holds ${seed.length} bytes, not 32`)
    return seed
  }
  const text = new TextDecoder('utf-8', { fatal: true }).decode(raw).trim()
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new CompatError('format', `secret key file: expected 64 hex chars, got ${text.length} chars`)
  return Buffer.from(text, 'hex')
}

/** Load a key file, refusing modes other than 0600 like Rust cclink (unless checkMode is false). */
export async function loadKeyFile (path, { passphrase, checkMode = true } = {}) {
  if (checkMode) {
    const mode = fs.statSync(path).mode & 0o777
    if (mode !== 0o600) throw new CompatError('format', `key file ${path} has mode ${mode.toString(8).padStart(4, '0')} (expected 0600)`)
  }
  return decodeKeyFile(fs.readFileSync(path), { passphrase })
}

// ---- JSON as serde_json writes it ------------------------------------------------------

/** A JSON string with serde_json's escaping: " \ and C0 controls; "/" and non-ASCII raw. */
export function jsonString (s) {
  let out = '"'
  for (const ch of String(s)) {
    const c = ch.codePointAt(0)
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (c === 0x08) out += '\\b'
    else if (c === 0x0c) out += '\\f'
    else if (c === 0x0a) out += '\\n'
    else if (c === 0x0d) out += '\\r'
    else if (c === 0x09) out += '\\t'
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0')
    else if (c >= 0xd800 && c <= 0xdfff) throw new Error('lone surrogate in a string')
    else out += ch
  }
  return out + '"'
}

const u64 = (n) => {
  const b = BigInt(n)
  if (b < 0n || b > 0xffffffffffffffffn) throw new Error('not a u64: ' + n)
  return b.toString()
}
const optStr = (s) => s === null || s === undefined ? 'null' : jsonString(s)

/** Payload JSON {"h","p","s"} (+ extra string members after "s"). */
export function payloadJson ({ hostname, project, sessionId, extra = [] }) {
  let s = `{"h":${jsonString(hostname)},"p":${jsonString(project)},"s":${jsonString(sessionId)}`
  for (const [k, v] of extra) s += `,${jsonString(k)}:${jsonString(v)}`
  return s + '}'
}

/** The canonical signable: nine keys, fixed order, all present. */
export function signableJson (r) {
  return `{"blob":${jsonString(r.blob)},"burn":${r.burn ? 'true' : 'false'},"created_at":${u64(r.created_at)},` +
    `"hostname":${jsonString(r.hostname ?? '')},"pin_salt":${optStr(r.pin_salt)},"project":${jsonString(r.project ?? '')},` +
    `"pubkey":${jsonString(r.pubkey)},"recipient":${optStr(r.recipient)},"ttl":${u64(r.ttl)}}`
}

/** The record (TXT value): alphabetical keys, defaults omitted. */
export function recordJson (r) {
  const parts = [`"blob":${jsonString(r.blob)}`]
  if (r.burn) parts.push('"burn":true')
  parts.push(`"created_at":${u64(r.created_at)}`)
  if (r.hostname) parts.push(`"hostname":${jsonString(r.hostname)}`)
  if (r.pin_salt !== null && r.pin_salt !== undefined) parts.push(`"pin_salt":${jsonString(r.pin_salt)}`)
  if (r.project) parts.push(`"project":${jsonString(r.project)}`)
  parts.push(`"pubkey":${jsonString(r.pubkey)}`)
  if (r.recipient !== null && r.recipient !== undefined) parts.push(`"recipient":${jsonString(r.recipient)}`)
  parts.push(`"signature":${jsonString(r.signature)}`)
  parts.push(`"ttl":${u64(r.ttl)}`)
  return '{' + parts.join(',') + '}'
}

// ---- a strict JSON reader (serde_json's grammar; keeps number text and duplicate keys) ----

export function parseJsonStrict (text) {
  let i = 0
  const fail = (why) => { throw new CompatError('format', `record JSON: ${why} at ${i}`) }
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++ }
  const value = (depth) => {
    if (depth > 64) fail('nesting too deep')
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      const members = []
      ws()
      if (text[i] === '}') { i++; return { type: 'object', members } }
      for (;;) {
        ws()
        if (text[i] !== '"') fail('expected a key')
        const k = string()
        ws()
        if (text[i] !== ':') fail('expected :')
        i++
        members.push([k, value(depth + 1)])
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i] === '}') { i++; return { type: 'object', members } }
        fail('expected , or }')
      }
    }
    if (c === '[') {
      i++
      const items = []
      ws()
      if (text[i] === ']') { i++; return { type: 'array', items } }
      for (;;) {
        items.push(value(depth + 1))
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i] === ']') { i++; return { type: 'array', items } }
        fail('expected , or ]')
      }
    }
    if (c === '"') return { type: 'string', value: string() }
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(lit, i)) { i += lit.length; return { type: v === null ? 'null' : 'bool', value: v } }
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i))
    if (m && m[0] !== '-') { i += m[0].length; return { type: 'number', text: m[0], integer: !m[2] && !m[3] } }
    fail('unexpected character')
  }
  const string = () => {
    i++ // opening quote
    let s = ''
    for (;;) {
      if (i >= text.length) fail('unterminated string')
      const c = text[i++]
      if (c === '"') return s
      if (c.charCodeAt(0) < 0x20) fail('raw control character in a string')
      if (c !== '\\') { s += c; continue }
      const e = text[i++]
      const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }[e]
      if (simple !== undefined) { s += simple; continue }
      if (e !== 'u') fail('bad escape')
      const hex = () => { const h = text.slice(i, i + 4); if (!/^[0-9a-fA-F]{4}$/.test(h)) fail('bad \\u escape'); i += 4; return parseInt(h, 16) }
      const u = hex()
      if (u >= 0xd800 && u <= 0xdbff) {
        if (text[i] !== '\\' || text[i + 1] !== 'u') fail('lone leading surrogate')
        i += 2
        const lo = hex()
        if (lo < 0xdc00 || lo > 0xdfff) fail('bad trailing surrogate')
        s += String.fromCharCode(u, lo)
      } else if (u >= 0xdc00 && u <= 0xdfff) {
        fail('lone trailing surrogate')
      } else s += String.fromCharCode(u)
    }
  }
  const v = value(0)
  ws()
  if (i !== text.length) fail('trailing characters')
  return v
}

const RECORD_FIELDS = {
  blob: { kind: 'string', required: true },
  burn: { kind: 'bool', def: false },
  created_at: { kind: 'u64', required: true },
  hostname: { kind: 'string', def: '' },
  pin_salt: { kind: 'optstring', def: null },
  project: { kind: 'string', def: '' },
  pubkey: { kind: 'string', required: true },
  recipient: { kind: 'optstring', def: null },
  signature: { kind: 'string', required: true },
  ttl: { kind: 'u64', required: true }
}

/** Parse a `_cclink` TXT value into record fields, with serde's HandoffRecord rules. */
export function parseRecord (text) {
  const v = parseJsonStrict(text)
  if (v.type !== 'object') throw new CompatError('format', 'record is not a JSON object')
  const r = {}
  for (const [k, val] of v.members) {
    const f = RECORD_FIELDS[k]
    if (!f) continue // unknown keys are ignored
    if (Object.prototype.hasOwnProperty.call(r, k)) throw new CompatError('format', `duplicate field ${k}`)
    if (f.kind === 'string' && val.type === 'string') r[k] = val.value
    else if (f.kind === 'optstring' && (val.type === 'string' || val.type === 'null')) r[k] = val.type === 'null' ? null : val.value
    else if (f.kind === 'bool' && val.type === 'bool') r[k] = val.value
    else if (f.kind === 'u64' && val.type === 'number' && val.integer && !val.text.startsWith('-') && BigInt(val.text) <= 0xffffffffffffffffn) r[k] = BigInt(val.text)
    else throw new CompatError('format', `field ${k} has the wrong type`)
  }
  for (const [k, f] of Object.entries(RECORD_FIELDS)) {
    if (Object.prototype.hasOwnProperty.call(r, k)) continue
    if (f.required) throw new CompatError('format', `missing field ${k}`)
    r[k] = f.def
  }
  return r
}

const b64 = (b) => Buffer.from(b).toString('base64')
/** Standard base64 with padding, canonical (re-encoding gives the same text). */
export function b64Decode (s, what) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new CompatError('format', `${what}: not padded standard base64`)
  const b = Buffer.from(s, 'base64')
  if (b64(b) !== s) throw new CompatError('format', `${what}: non-canonical base64`)
  return b
}

// ---- records --------------------------------------------------------------------------

/**
 * Build a record. o: seed (32 bytes), sessionId, hostname, project, createdAt, ttl, burn,
 * mode 'self' | 'share' | 'pin', share (32-byte pk, for share), pin (Buffer, for pin),
 * pinSalt (32 bytes, optional), ageFile (use these ciphertext bytes as the blob),
 * recordHostname/recordProject (cleartext fields, empty since 1.1), payloadExtra [[k, v]].
 * Returns {value, fields, payload, ageFile, recipients}.
 */
export async function buildRecord (o) {
  const key = keyFromSeed(o.seed)
  const payload = payloadJson({ hostname: o.hostname ?? '', project: o.project ?? '', sessionId: o.sessionId, extra: o.payloadExtra })
  let recipient = null
  let pinSalt = null
  let rcpt
  if (o.mode === 'pin') {
    const salt = o.pinSalt || crypto.randomBytes(32)
    if (salt.length !== 32) throw new Error('PIN salt must be 32 bytes')
    rcpt = ageRecipientOfScalar(await deriveScalar(o.pin, salt, PIN_INFO, o.kdf || KDF_DEFAULT))
    pinSalt = b64(salt)
  } else if (o.mode === 'share') {
    rcpt = pubkeyRecipient(o.share)
    recipient = z32Encode(o.share)
  } else {
    rcpt = pubkeyRecipient(key.pk)
  }
  const ageFile = o.ageFile || await ageEncrypt([rcpt], Buffer.from(payload, 'utf8'))
  const fields = {
    blob: b64(ageFile),
    burn: !!o.burn,
    created_at: BigInt(o.createdAt),
    hostname: o.recordHostname ?? '',
    pin_salt: pinSalt,
    project: o.recordProject ?? '',
    pubkey: key.z32,
    recipient,
    ttl: BigInt(o.ttl)
  }
  fields.signature = b64(edSign(key, Buffer.from(signableJson(fields), 'utf8')))
  return { value: recordJson(fields), fields, payload, ageFile, recipients: [rcpt] }
}

/**
 * Verify a parsed record against the key it was resolved under (32 bytes).
 * Throws CompatError('signature') on a pubkey mismatch or a bad signature.
 */
export function verifyRecord (r, pk) {
  if (r.pubkey !== z32Encode(pk)) throw new CompatError('signature', `record pubkey ${r.pubkey} is not the key it was resolved under (${z32Encode(pk)})`)
  const sig = b64Decode(r.signature, 'signature')
  if (sig.length !== 64) throw new CompatError('signature', 'signature is not 64 bytes')
  if (!edVerify(pk, Buffer.from(signableJson(r), 'utf8'), sig)) throw new CompatError('signature', 'record signature does not verify')
}

export const expiresAt = (r) => r.created_at + r.ttl
export const isExpired = (r, nowSecs) => BigInt(nowSecs) >= expiresAt(r)

/**
 * Decrypt a verified record's blob. With a PIN when pin_salt is set, else with the seed's
 * converted X25519 key. Returns {sessionId, project, hostname, payload (text)}.
 */
export async function decryptRecord (r, { seed, pin, kdf } = {}) {
  const ct = b64Decode(r.blob, 'blob')
  let identity
  if (r.pin_salt !== null) {
    if (!pin) throw new CompatError('decrypt', 'record is PIN-protected: give --pin-file')
    const salt = b64Decode(r.pin_salt, 'pin_salt')
    if (salt.length !== 32) throw new CompatError('format', 'pin_salt is not 32 bytes')
    identity = ageIdentity(await deriveScalar(pin, salt, PIN_INFO, kdf || KDF_DEFAULT))
  } else {
    if (!seed) throw new CompatError('decrypt', 'give --seed or --key to decrypt')
    identity = seedIdentity(seed)
  }
  let pt
  try { pt = await ageDecrypt([identity], ct) } catch (e) {
    const why = r.pin_salt !== null ? 'wrong PIN' : r.recipient !== null ? `shared with ${r.recipient}, not with this key` : 'self-encrypted by another key'
    throw new CompatError('decrypt', `cannot decrypt (${why}): ${e.message}`)
  }
  const text = pt.toString('utf8')
  try {
    const p = JSON.parse(text)
    if (p && typeof p === 'object' && typeof p.s === 'string' && typeof p.h === 'string' && typeof p.p === 'string') {
      return { sessionId: p.s, project: p.p, hostname: p.h, payload: text }
    }
  } catch {}
  // Before the payload JSON, the blob held the bare session id (Rust parse_decrypted).
  return { sessionId: text, project: r.project, hostname: r.hostname, payload: text }
}

export { parsePubkey, keyFromSeed, z32Encode }
