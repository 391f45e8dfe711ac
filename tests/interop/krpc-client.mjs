#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// An independent raw-KRPC pkarr client, the oracle for the C tool's DHT path.
// Every command prints one JSON object on stdout. See README.md §krpc-client.
import fs from 'node:fs'
import { parseArgs, runMain, num, UsageError, printJson } from './lib/cli.mjs'
import { KrpcClient, parseAddrList } from './lib/krpc.mjs'
import { hexSeed, keyFromSeed, parsePubkey, sha1, z32Encode, edSign } from './lib/keys.mjs'
import { encodeDns, dnsAnswers, txtRecords, txtRdata, signPacket, parsePacket, chooseNewest, relayBody, txtValue, signable, nowMicros, TYPE } from './lib/pkarr.mjs'
import { resolve, publish } from './lib/dht.mjs'

const USAGE = `usage: krpc-client.mjs COMMAND [options]
  ping HOST:PORT
  resolve Z32 [--out BODY] [--packet-out SP] [--txt-out F] [--label _cclink] [--seq N] [--hex]
  get-from HOST:PORT Z32                        one BEP44 get to one node, with a verdict
  publish --seed HEX [--txt NAME=VALUE]... [--txt-file NAME=FILE]... [--a NAME=IPV4]...
          [--aaaa NAME=IPV6]... [--cname NAME=TARGET]... [--ttl S] [--ts US] [--cas N|auto] [--packet-out SP] [--body-out BODY]
  publish-file FILE [--body --pubkey Z32] [--cas N|auto]
  publish-raw --seed HEX [--v STRING] [--ts US]   signed item whose v is not a DNS packet
  make-packet --seed HEX [--txt ...] [--ttl S] [--ts US] [--packet-out SP] [--body-out BODY]   (offline)
common: --bootstrap H:P,... (default $CCLINK_BOOTSTRAP) --timeout MS --alpha N --deadline MS
        --tid N (transaction id bytes, default 4) --tid2 --no-ro --no-version --no-target
exit: 0 ok, 1 failure, 2 usage, 3 not found, 4 conflict (not most recent)
`

const out = printJson

function packetFromOptions (o) {
  const key = keyFromSeed(hexSeed(o.seed ?? die('--seed is required')))
  const ttl = num(o.ttl ?? 300, '--ttl', { min: 0, max: 0xffffffff })
  const recs = txtRecords(o.txt, ttl)
  for (const spec of o['txt-file']) {
    const i = spec.indexOf('=')
    if (i < 0) throw new UsageError('--txt-file takes NAME=FILE')
    recs.push({ name: spec.slice(0, i), type: TYPE.TXT, ttl, rdata: txtRdata(fs.readFileSync(spec.slice(i + 1))) })
  }
  for (const spec of o.a) {
    const [name, ip] = spec.split('=')
    recs.push({ name, type: TYPE.A, ttl, rdata: Buffer.from(ip.split('.').map(Number)) })
  }
  for (const spec of o.aaaa) {
    const i = spec.indexOf('=')
    if (i < 0) throw new UsageError('--aaaa takes NAME=IPV6')
    recs.push({ name: spec.slice(0, i), type: TYPE.AAAA, ttl, rdata: ipv6Bytes(spec.slice(i + 1)) })
  }
  for (const spec of o.cname) {
    const i = spec.indexOf('=')
    if (i < 0) throw new UsageError('--cname takes NAME=TARGET')
    recs.push({ name: spec.slice(0, i), type: TYPE.CNAME, ttl, rdata: nameWire(spec.slice(i + 1)) })
  }
  const ts = o.ts !== undefined ? BigInt(o.ts) : nowMicros()
  return { key, sp: signPacket(key, ts, encodeDns(key.z32, recs)) }
}
function die (msg) { throw new UsageError(msg) }

// A domain name in uncompressed wire form (RDATA of CNAME).
function nameWire (name) {
  const labels = name.replace(/\.$/, '').split('.').filter((l) => l.length)
  const parts = labels.map((l) => {
    const b = Buffer.from(l, 'utf8')
    if (b.length > 63) throw new UsageError('label over 63 bytes in ' + name)
    return Buffer.concat([Buffer.from([b.length]), b])
  })
  return Buffer.concat([...parts, Buffer.from([0])])
}

// 16 bytes of an IPv6 address in text form (with :: allowed).
function ipv6Bytes (text) {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = tail === null ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) throw new UsageError('bad IPv6 address ' + text)
  const b = Buffer.alloc(16)
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), 2 * i))
  return b
}

function writeOutputs (o, sp) {
  if (o['packet-out']) fs.writeFileSync(o['packet-out'], sp)
  if (o['body-out']) fs.writeFileSync(o['body-out'], sp.subarray(32))
}

async function doPublish (client, o, seeds, sp) {
  const p = parsePacket(sp)
  let cas
  if (o.cas === 'auto') {
    const cur = await resolve(client, p.pk, seeds)
    if (cur.best) cas = cur.best.ts
  } else if (o.cas !== undefined) cas = BigInt(o.cas)
  const r = await publish(client, sp, seeds, { cas, noTarget: !!o['no-target'], alpha: o.alpha && num(o.alpha, '--alpha', { min: 1 }), deadline: o.deadline && num(o.deadline, '--deadline', { min: 1 }) })
  out({ cmd: 'publish', z32: z32Encode(p.pk), seq: p.ts, dnsLen: p.dns.length, cas: cas ?? null, stored: r.stored, conflict: r.conflict, newerSeen: r.newerSeen, closest: r.closest, stats: r.stats, results: r.results })
  if (r.conflict) return 4
  return r.stored > 0 ? 0 : 1
}

async function main () {
  const o = parseArgs(process.argv.slice(2), {
    flags: ['tid2', 'no-ro', 'no-version', 'no-target', 'body', 'hex', 'help'],
    options: ['bootstrap', 'timeout', 'alpha', 'deadline', 'tid', 'out', 'packet-out', 'body-out', 'txt-out', 'label', 'seq', 'seed', 'ttl', 'ts', 'cas', 'pubkey', 'v'],
    multi: ['txt', 'txt-file', 'a', 'aaaa', 'cname']
  })
  const [cmd, ...pos] = o._
  if (o.help || !cmd) { process.stdout.write(USAGE); return o.help ? 0 : 2 }
  if (cmd === 'make-packet') {
    const { key, sp } = packetFromOptions(o)
    writeOutputs(o, sp)
    out({ cmd, z32: key.z32, seq: sp.readBigUInt64BE(96), dnsLen: sp.length - 104, signedPacketHex: sp.toString('hex') })
    return 0
  }
  const seeds = parseAddrList(o.bootstrap ?? process.env.CCLINK_BOOTSTRAP)
  const client = new KrpcClient({
    timeout: num(o.timeout ?? 2000, '--timeout', { min: 1 }),
    readOnly: !o['no-ro'],
    tidLength: o.tid2 ? 2 : num(o.tid ?? 4, '--tid', { min: 1, max: 32 }),
    version: o['no-version'] ? null : undefined
  })
  await client.open()
  try {
    const lookOpts = { alpha: o.alpha && num(o.alpha, '--alpha', { min: 1 }), deadline: o.deadline && num(o.deadline, '--deadline', { min: 1 }) }
    switch (cmd) {
      case 'ping': {
        const [node] = parseAddrList(pos[0] ?? die('ping needs HOST:PORT'))
        const t0 = Date.now()
        const r = await client.query(node, 'ping', {})
        out({ cmd, node: pos[0], ms: Date.now() - t0, answered: !!r.r, timeout: !!r.timeout, error: r.error || null, id: r.r && Buffer.isBuffer(r.r.id) ? r.r.id : null, t: r.msg && r.msg.t })
        return r.r ? 0 : 1
      }
      case 'resolve': {
        if (!seeds.length) die('no bootstrap nodes (--bootstrap or CCLINK_BOOTSTRAP)')
        const pk = parsePubkey(pos[0] ?? die('resolve needs a public key'))
        const r = await resolve(client, pk, seeds, { ...lookOpts, seq: o.seq !== undefined ? BigInt(o.seq) : undefined })
        const res = { cmd, z32: z32Encode(pk), found: !!r.best, items: r.items.length, valid: r.valid.length, rejected: r.rejected, highestSigned: r.highestSigned, stats: r.stats }
        if (r.best) {
          const body = relayBody(r.best)
          res.seq = r.best.ts; res.from = r.best.from; res.dnsLen = r.best.dns.length
          res.txt = txtValue(r.best.dns, z32Encode(pk), o.label || '_cclink')
          res.sources = r.valid.filter((v) => v.ts === r.best.ts).length
          res.records = dnsAnswers(r.best.dns).map((a) => ({ name: a.name, type: a.type, ttl: a.ttl, data: a.type === 'TXT' ? Buffer.concat([].concat(a.data).map((p) => Buffer.from(p))).toString('utf8') : String(a.data) }))
          if (o.out) fs.writeFileSync(o.out, body)
          if (o['packet-out']) fs.writeFileSync(o['packet-out'], Buffer.concat([pk, body]))
          if (o['txt-out'] && res.txt !== null) fs.writeFileSync(o['txt-out'], res.txt)
          if (o.hex) { res.bodyHex = body.toString('hex'); res.packetHex = Buffer.concat([pk, body]).toString('hex') }
        }
        out(res)
        return r.best ? 0 : 3
      }
      case 'get-from': {
        const [node] = parseAddrList(pos[0] ?? die('get-from needs HOST:PORT'))
        const pk = parsePubkey(pos[1] ?? die('get-from needs a public key'))
        const r = await client.query(node, 'get', { target: sha1(pk) })
        if (!r.r) { out({ cmd, node: pos[0], answered: false, timeout: !!r.timeout, error: r.error || null }); return 1 }
        const it = { k: r.r.k, seq: r.r.seq, sig: r.r.sig, v: r.r.v, from: pos[0] }
        const hasItem = r.r.k !== undefined || r.r.v !== undefined
        const pick = hasItem ? chooseNewest(pk, [it]) : null
        out({ cmd, node: pos[0], answered: true, hasItem, seq: hasItem ? r.r.seq : null, k: Buffer.isBuffer(r.r.k) ? z32Encode(r.r.k) : null, valid: !!(pick && pick.best), verdict: pick ? (pick.best ? 'valid' : pick.rejected[0].why) : 'no item', txt: pick && pick.best ? txtValue(pick.best.dns, z32Encode(pk)) : null })
        return hasItem ? 0 : 3
      }
      case 'publish': {
        if (!seeds.length) die('no bootstrap nodes (--bootstrap or CCLINK_BOOTSTRAP)')
        const { sp } = packetFromOptions(o)
        writeOutputs(o, sp)
        return await doPublish(client, o, seeds, sp)
      }
      case 'publish-file': {
        if (!seeds.length) die('no bootstrap nodes (--bootstrap or CCLINK_BOOTSTRAP)')
        let sp = fs.readFileSync(pos[0] ?? die('publish-file needs a file'))
        if (o.body) sp = Buffer.concat([parsePubkey(o.pubkey ?? die('--body needs --pubkey')), sp])
        return await doPublish(client, o, seeds, sp)
      }
      case 'publish-raw': {
        if (!seeds.length) die('no bootstrap nodes (--bootstrap or CCLINK_BOOTSTRAP)')
        const key = keyFromSeed(hexSeed(o.seed ?? die('--seed is required')))
        const ts = o.ts !== undefined ? BigInt(o.ts) : nowMicros()
        const v = Buffer.from(o.v ?? 'not a dns packet')
        const target = sha1(key.pk)
        const look = await client.lookup(target, seeds, lookOpts)
        const results = await client.put(look.closest, { k: key.pk, seq: ts, sig: edSign(key, signable(ts, v)), v }, target, { noTarget: !!o['no-target'] })
        const stored = results.filter((x) => x.ok).length
        out({ cmd, z32: key.z32, seq: ts, stored, results })
        return stored > 0 ? 0 : 1
      }
      default:
        throw new UsageError('unknown command ' + cmd)
    }
  } finally { client.close() }
}

runMain(main, USAGE)
