// SPDX-License-Identifier: MIT
// PKARR SignedPackets: a DNS encoder that compresses names the way Rust pkarr's simple-dns
// does (so packets match the Rust tool byte for byte), the BEP44 signable, SignedPacket
// build/parse, and the "newest valid item" choice a resolver makes. DNS decoding (untrusted
// input) is done by npm dns-packet, an implementation independent of ours and of the C tool.
import { createRequire } from 'node:module'
import { edSign, edVerify, z32Encode } from './keys.mjs'

// dns-packet is CommonJS; load it on first use (it is a noticeable part of start-up time).
const require = createRequire(import.meta.url)
let dnsPacketModule = null
const dnsPacket = () => dnsPacketModule || (dnsPacketModule = require('dns-packet'))

export const TYPE = { A: 1, CNAME: 5, TXT: 16, AAAA: 28 }
export const MAX_DNS = 1000

/** TXT RDATA: character-strings of at most 254 bytes (simple-dns), "" -> one empty string. */
export function txtRdata (value) {
  const b = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8')
  if (b.length === 0) return Buffer.from([0])
  const parts = []
  for (let off = 0; off < b.length; off += 254) {
    const chunk = b.subarray(off, Math.min(off + 254, b.length))
    parts.push(Buffer.from([chunk.length]), chunk)
  }
  return Buffer.concat(parts)
}

/** Relative record name -> absolute name under the z32 origin (pkarr normalize_name). */
export function absoluteName (origin, name) {
  let n = name.endsWith('.') ? name.slice(0, -1) : name
  if (n === '' || n === '@') return origin
  if (n === origin || n.endsWith('.' + origin)) return n
  if (n.endsWith('.@')) n = n.slice(0, -2)
  return n + '.' + origin
}

/**
 * Encode a reply packet (id 0, flags 0x8000, answers only) from
 * [{name, type, ttl, rdata}] with one compression table shared by the whole packet.
 */
export function encodeDns (origin, records) {
  const chunks = []
  let size = 0
  const emit = (b) => { chunks.push(b); size += b.length }
  const header = Buffer.alloc(12)
  header.writeUInt16BE(0x8000, 2)
  header.writeUInt16BE(records.length, 6)
  emit(header)
  const seen = new Map() // suffix text -> offset
  for (const rr of records) {
    const labels = absoluteName(origin, rr.name).split('.')
    let pointer = -1
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.')
      if (seen.has(suffix)) { pointer = seen.get(suffix); break }
      if (size <= 0x3fff) seen.set(suffix, size)
      const lb = Buffer.from(labels[i], 'utf8')
      if (lb.length === 0 || lb.length > 63) throw new Error('bad DNS label in ' + rr.name)
      emit(Buffer.concat([Buffer.from([lb.length]), lb]))
    }
    if (pointer >= 0) {
      const p = Buffer.alloc(2)
      p.writeUInt16BE(0xc000 | pointer)
      emit(p)
    } else {
      emit(Buffer.from([0]))
    }
    const fixed = Buffer.alloc(10)
    fixed.writeUInt16BE(rr.type, 0)
    fixed.writeUInt16BE(1, 2) // class IN
    fixed.writeUInt32BE(rr.ttl >>> 0, 4)
    fixed.writeUInt16BE(rr.rdata.length, 8)
    emit(fixed)
    emit(rr.rdata)
  }
  return Buffer.concat(chunks)
}

/** BEP44 signable for a salt-less mutable item: "3:seqi<seq>e1:v<len>:<v>". */
export function signable (seq, v) {
  return Buffer.concat([Buffer.from(`3:seqi${BigInt(seq)}e1:v${v.length}:`), v])
}

/** SignedPacket = pk(32) | sig(64) | ts u64be (µs) | dns. */
export function signPacket (key, ts, dns) {
  if (dns.length > MAX_DNS) throw new Error(`DNS packet is ${dns.length} bytes (max ${MAX_DNS})`)
  const t = Buffer.alloc(8)
  t.writeBigUInt64BE(BigInt(ts))
  return Buffer.concat([key.pk, edSign(key, signable(ts, dns)), t, dns])
}

/** Parse a SignedPacket; {pk, sig, ts (BigInt), dns, sigOk, dnsOk}. Throws only on bad length. */
export function parsePacket (sp) {
  if (sp.length < 104 || sp.length > 104 + MAX_DNS) throw new Error(`bad SignedPacket length ${sp.length}`)
  const pk = sp.subarray(0, 32)
  const sig = sp.subarray(32, 96)
  const ts = sp.readBigUInt64BE(96)
  const dns = sp.subarray(104)
  return { pk, sig, ts, dns, sigOk: edVerify(pk, signable(ts, dns), sig), dnsOk: dnsValid(dns) }
}

/** Relay body (sig|ts|dns) -> SignedPacket by putting the URL key in front. */
export const packetFromRelayBody = (pk, body) => Buffer.concat([pk, body])

/** The DNS packet parses (dns-packet) and the reserved Z bit is clear (simple-dns rejects it). */
export function dnsValid (dns) {
  try {
    if (dns.length < 12 || (dns.readUInt16BE(2) & 0x0040)) return false
    dnsPacket().decode(dns)
    return true
  } catch { return false }
}

/** All answers of a DNS packet as {name, type, ttl, data}. */
export function dnsAnswers (dns) {
  return dnsPacket().decode(dns).answers || []
}

/**
 * The value of the first TXT record named `label` under the origin, character-strings
 * concatenated with no separator (what pkarr does), or null.
 */
export function txtValue (dns, origin, label = '_cclink') {
  const want = absoluteName(origin, label).toLowerCase()
  for (const a of dnsAnswers(dns)) {
    if (a.type !== 'TXT' || String(a.name).toLowerCase() !== want) continue
    const parts = Array.isArray(a.data) ? a.data : [a.data]
    return Buffer.concat(parts.map((p) => Buffer.isBuffer(p) ? p : Buffer.from(p))).toString('utf8')
  }
  return null
}

/** Minimum TTL of the answers clamped to [lo, hi] (relay Cache-Control / cache expiry). */
export function clampedTtl (dns, lo = 300, hi = 86400) {
  let min = null
  try { for (const a of dnsAnswers(dns)) if (min === null || a.ttl < min) min = a.ttl } catch {}
  if (min === null) return lo
  return Math.min(Math.max(min, lo), hi)
}

/** a is more recent than b (pkarr more_recent_than): larger ts, then larger DNS bytes. */
export const moreRecent = (a, b) => a.ts !== b.ts ? a.ts > b.ts : Buffer.compare(a.dns, b.dns) > 0

/**
 * Given raw BEP44 items {k, seq, sig, v, from} seen for pk, classify them and return
 * {best, highestSigned, valid, rejected}. best is the newest item that is a valid
 * SignedPacket; highestSigned the highest seq among correctly signed items (even with bad DNS).
 */
export function chooseNewest (pk, items) {
  const valid = []
  const rejected = []
  let highestSigned = null
  for (const it of items) {
    let why = null
    if (!Buffer.isBuffer(it.k) || !it.k.equals(pk)) why = 'k is not the requested key'
    else if (!Buffer.isBuffer(it.v) || it.v.length > MAX_DNS) why = 'v missing or over 1000 bytes'
    else if (!Buffer.isBuffer(it.sig) || it.sig.length !== 64) why = 'bad sig length'
    else if (typeof it.seq !== 'number' && typeof it.seq !== 'bigint') why = 'seq is not an integer'
    else if (BigInt(it.seq) < 0n) why = 'negative seq'
    else if (!edVerify(pk, signable(it.seq, it.v), it.sig)) why = 'bad signature'
    if (!why) {
      const ts = BigInt(it.seq)
      if (highestSigned === null || ts > highestSigned) highestSigned = ts
      if (!dnsValid(it.v)) why = 'DNS does not parse'
    }
    if (why) { rejected.push({ from: it.from, why, seq: String(it.seq) }); continue }
    valid.push({ ts: BigInt(it.seq), dns: it.v, sig: it.sig, from: it.from })
  }
  let best = null
  for (const c of valid) if (!best || moreRecent(c, best)) best = c
  return { best, highestSigned, valid, rejected }
}

/** Relay body of a chosen item. */
export function relayBody (item) {
  const t = Buffer.alloc(8)
  t.writeBigUInt64BE(item.ts)
  return Buffer.concat([item.sig, t, item.dns])
}

/** Build records from "name=value" TXT specs, TTL for all. */
export function txtRecords (specs, ttl) {
  return specs.map((s) => {
    const i = s.indexOf('=')
    if (i < 0) throw new Error('TXT spec must be name=value: ' + s)
    return { name: s.slice(0, i), type: TYPE.TXT, ttl, rdata: txtRdata(s.slice(i + 1)) }
  })
}

export const originOf = (key) => z32Encode(key.pk)

/** Current time in µs as BigInt. */
export const nowMicros = () => BigInt(Date.now()) * 1000n
