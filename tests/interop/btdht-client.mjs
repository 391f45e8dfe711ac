#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The npm bittorrent-dht client as a benchmark baseline: a fresh node bootstraps to the
// testnet and resolves a pkarr key with dht.get (highest verified seq). Prints one JSON
// line {found, seq, ms, bootstrapMs, queries}. Note: it is not read-only and uses 2-byte
// transaction ids, so it cannot talk to a --mainline-strict testnet.
//   node btdht-client.mjs resolve Z32 [--bootstrap H:P,...]
import DHT from 'bittorrent-dht'
import { parseArgs, runMain, printJson, UsageError } from './lib/cli.mjs'
import { edVerify, parsePubkey, sha1 } from './lib/keys.mjs'
import { parseAddrList } from './lib/krpc.mjs'

const USAGE = 'usage: btdht-client.mjs resolve Z32 [--bootstrap H:P,...] [--timeout-ms MS]\n'
const toBuf = (x) => Buffer.isBuffer(x) ? x : Buffer.from(x.buffer, x.byteOffset, x.byteLength)

async function main () {
  const o = parseArgs(process.argv.slice(2), { flags: ['help'], options: ['bootstrap', 'timeout-ms'] })
  if (o.help) { process.stdout.write(USAGE); return 0 }
  if (o._[0] !== 'resolve' || !o._[1]) throw new UsageError('resolve Z32 expected')
  const pk = parsePubkey(o._[1])
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
  const res = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ error: 'timeout' }), Number(o['timeout-ms'] ?? 30000))
    dht.get(sha1(pk), { cache: false }, (err, v) => { clearTimeout(timer); resolve(err ? { error: err.message } : { v }) })
  })
  const out = { found: !!(res.v && res.v.v), seq: res.v ? res.v.seq : null, ms: Date.now() - tb, bootstrapMs: tb - t0, queries: queries - bootQueries, bootstrapQueries: bootQueries, error: res.error || null }
  await new Promise((resolve) => dht.destroy(resolve))
  printJson(out)
  return out.found ? 0 : 3
}

runMain(main, USAGE)
