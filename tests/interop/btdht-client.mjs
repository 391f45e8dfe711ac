#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The npm bittorrent-dht client as a second, independent DHT peer and as the benchmark
// baseline: a fresh node bootstraps to the testnet, then
//   resolve: dht.get (highest verified seq); prints {found, seq, ms, bootstrapMs, queries,
//            bootstrapQueries}, plus k/sig/v/packetHex and our own signature verdict
//            (verified) when found; --packet-out writes the SignedPacket pk|sig|seq|v.
//   publish: dht.put of the SignedPacket in FILE (pk|sig|seq|dns, e.g. from
//            krpc-client.mjs make-packet); prints {stored, ms, bootstrapMs, queries, ...}.
// Note: it is not read-only and uses 2-byte transaction ids, so it cannot talk to a
// --mainline-strict testnet.
//   node btdht-client.mjs resolve Z32 [--bootstrap H:P,...] [--packet-out SP]
//   node btdht-client.mjs publish SP-FILE [--bootstrap H:P,...]
import fs from 'node:fs'
import DHT from 'bittorrent-dht'
import { parseArgs, runMain, printJson, UsageError } from './lib/cli.mjs'
import { edVerify, parsePubkey, sha1 } from './lib/keys.mjs'
import { parseAddrList } from './lib/krpc.mjs'
import { parsePacket, signable } from './lib/pkarr.mjs'

const USAGE = 'usage: btdht-client.mjs resolve Z32 [--bootstrap H:P,...] [--timeout-ms MS] [--packet-out SP]\n' +
  '       btdht-client.mjs publish SP-FILE [--bootstrap H:P,...] [--timeout-ms MS]\n'
const toBuf = (x) => Buffer.isBuffer(x) ? x : Buffer.from(x.buffer, x.byteOffset, x.byteLength)

async function main () {
  const o = parseArgs(process.argv.slice(2), { flags: ['help'], options: ['bootstrap', 'timeout-ms', 'packet-out'] })
  if (o.help) { process.stdout.write(USAGE); return 0 }
  const cmd = o._[0]
  if ((cmd !== 'resolve' && cmd !== 'publish') || !o._[1]) throw new UsageError('resolve Z32 or publish FILE expected')
  let pk, sp
  if (cmd === 'resolve') pk = parsePubkey(o._[1])
  else {
    sp = parsePacket(fs.readFileSync(o._[1]))
    if (!sp.sigOk) throw new UsageError('the SignedPacket in ' + o._[1] + ' does not verify')
    pk = sp.pk
  }
  const boot = parseAddrList(o.bootstrap ?? process.env.CCLINK_BOOTSTRAP).map((a) => `${a.host}:${a.port}`)
  if (!boot.length) throw new UsageError('no bootstrap nodes')
  const t0 = Date.now()
  const dht = new DHT({ host: '127.0.0.1', bootstrap: boot, verify: (s, m, k) => edVerify(toBuf(k), toBuf(m), toBuf(s)) })
  let queries = 0
  const send = dht._rpc.socket.send.bind(dht._rpc.socket)
  dht._rpc.socket.send = (peer, msg, cb) => { if (msg && msg.y === 'q') queries++; return send(peer, msg, cb) }
  await new Promise((resolve) => dht.listen(0, '127.0.0.1', resolve))
  await new Promise((resolve) => dht.ready ? resolve() : dht.once('ready', resolve))
  const tb = Date.now()
  const bootQueries = queries
  const timeout = Number(o['timeout-ms'] ?? 30000)
  let out, code
  if (cmd === 'resolve') {
    const res = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ error: 'timeout' }), timeout)
      dht.get(sha1(pk), { cache: false }, (err, v) => { clearTimeout(timer); resolve(err ? { error: err.message } : { v }) })
    })
    const it = res.v
    const found = !!(it && it.v)
    out = { found, seq: it ? it.seq : null, ms: Date.now() - tb, bootstrapMs: tb - t0, queries: queries - bootQueries, bootstrapQueries: bootQueries, error: res.error || null }
    if (found) {
      const k = toBuf(it.k); const sig = toBuf(it.sig); const v = toBuf(it.v)
      const ts = Buffer.alloc(8)
      ts.writeBigUInt64BE(BigInt(it.seq))
      const packet = Buffer.concat([k, sig, ts, v])
      // Our own check of what the library handed out: the right key and a valid signature.
      out.verified = k.equals(pk) && edVerify(k, signable(BigInt(it.seq), v), sig)
      out.packetHex = packet.toString('hex')
      if (o['packet-out']) fs.writeFileSync(o['packet-out'], packet)
    }
    code = found ? 0 : 3
  } else {
    const res = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ error: 'timeout' }), timeout)
      dht.put({ k: Buffer.from(sp.pk), seq: Number(sp.ts), v: Buffer.from(sp.dns), sig: Buffer.from(sp.sig) },
        (err, key, n) => { clearTimeout(timer); resolve(err ? { error: err.message, n } : { n }) })
    })
    out = { stored: res.n || 0, seq: sp.ts, ms: Date.now() - tb, bootstrapMs: tb - t0, queries: queries - bootQueries, bootstrapQueries: bootQueries, error: res.error || null }
    code = out.stored > 0 ? 0 : 1
  }
  await new Promise((resolve) => dht.destroy(resolve))
  printJson(out)
  return code
}

runMain(main, USAGE)
