#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// A loopback PKARR HTTP relay for the C tool's libcurl path. Default: the current pkarr v7
// relay API (doc/protocol.md §5.1), backed by the testnet through our raw KRPC client.
// --legacy: the npm pkarr@1.3.0 relay's behaviour (PUT 200, no 409, no headers).
// --dht-off: a relay-only cache with no DHT behind it. --serve-body FILE: a lying relay that
// answers every GET with 200 and FILE's bytes (a forged or wrong-key body). See README.md §relay.
// Stdout: "READY http://127.0.0.1:PORT". Stderr: one line per request.
import http from 'node:http'
import fs from 'node:fs'
import { parseArgs, runMain, num, UsageError } from './lib/cli.mjs'
import { KrpcClient, parseAddrList } from './lib/krpc.mjs'
import { parsePubkey, sha1, z32Encode } from './lib/keys.mjs'
import { parsePacket, moreRecent, clampedTtl, relayBody, chooseNewest, MAX_DNS } from './lib/pkarr.mjs'
import { resolve as dhtResolve, publish as dhtPublish } from './lib/dht.mjs'

const USAGE = `usage: relay.mjs [--bootstrap H:P,...] [--port P] [--legacy | --dht-off]
       [--max-rps N] [--min-ttl S] [--max-ttl S] [--timeout MS] [--delay MS] [--forget S]
       [--force-status CODE [--force-method PUT|GET]] [--serve-body FILE] [--pidfile F] [--parent-pid PID] [--max-lifetime S]
`
const log = (line) => process.stderr.write(`relay: ${line}\n`)
const POLICIES = ['CacheOnly', 'CacheFirst', 'NetworkOnly']

async function main () {
  const o = parseArgs(process.argv.slice(2), {
    flags: ['legacy', 'dht-off', 'help'],
    options: ['forget', 'bootstrap', 'port', 'max-rps', 'min-ttl', 'max-ttl', 'timeout', 'delay', 'force-status', 'force-method', 'serve-body', 'pidfile', 'parent-pid', 'max-lifetime']
  })
  if (o.help) { process.stdout.write(USAGE); return 0 }
  if (o.legacy && o['dht-off']) throw new UsageError('--legacy and --dht-off do not combine')
  const legacy = !!o.legacy
  const dhtOff = !!o['dht-off']
  const seeds = dhtOff ? [] : parseAddrList(o.bootstrap ?? process.env.CCLINK_BOOTSTRAP)
  if (!dhtOff && !seeds.length) throw new UsageError('no bootstrap nodes (--bootstrap, CCLINK_BOOTSTRAP, or --dht-off)')
  const minTtl = num(o['min-ttl'] ?? 300, '--min-ttl', { min: 0 })
  const maxTtl = num(o['max-ttl'] ?? 86400, '--max-ttl', { min: 0 })
  const maxRps = num(o['max-rps'] ?? 0, '--max-rps', { min: 0 })
  const delay = num(o.delay ?? 0, '--delay', { min: 0 })
  const forceStatus = o['force-status'] !== undefined ? num(o['force-status'], '--force-status', { min: 100, max: 599 }) : 0
  const forceMethod = o['force-method'] ? String(o['force-method']).toUpperCase() : null
  const serveBody = o['serve-body'] ? fs.readFileSync(o['serve-body']) : null

  let client = null
  if (!dhtOff) {
    client = new KrpcClient({ timeout: num(o.timeout ?? 2000, '--timeout', { min: 1 }) })
    await client.open()
  }
  const cache = new Map() // z32 -> {ts, dns, sig, body, seen(ms)}
  // --forget S: drop a cached packet S seconds after it was last stored or resolved (a relay's
  // cache is finite); 0 keeps it for good.
  const forgetMs = num(o.forget ?? 0, '--forget', { min: 0 }) * 1000
  if (forgetMs) {
    const get = cache.get.bind(cache)
    cache.get = (id) => {
      const c = get(id)
      if (c && Date.now() - c.seen > forgetMs) { cache.delete(id); log(`forgot ${id}`); return undefined }
      return c
    }
  }
  const hits = new Map()

  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, PUT, OPTIONS',
    'Access-Control-Allow-Headers': '*'
  }
  if (!legacy) cors['Access-Control-Expose-Headers'] = 'Pkarr-Invalid-Signed-Packet-Seq, Pkarr-Dht-Stored-Nodes'

  const reply = async (req, res, status, headers = {}, body) => {
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay))
    const h = { ...cors, ...headers }
    if (typeof body === 'string') h['Content-Type'] = h['Content-Type'] || 'text/plain; charset=utf-8'
    res.writeHead(status, h)
    res.end(status === 304 || status === 204 ? undefined : body)
    log(`${req.method} ${req.url} -> ${status}${headers['Pkarr-Dht-Stored-Nodes'] !== undefined ? ' stored=' + headers['Pkarr-Dht-Stored-Nodes'] : ''}${typeof body === 'string' && body ? ' (' + body + ')' : ''}`)
  }

  const readBody = async (req, limit) => {
    const parts = []
    let n = 0
    for await (const c of req) {
      n += c.length
      if (n > limit) return null
      parts.push(c)
    }
    return Buffer.concat(parts)
  }

  const expired = (c) => (Date.now() - c.seen) / 1000 >= clampedTtl(c.dns, minTtl, maxTtl)
  const remember = (id, p) => {
    const c = cache.get(id)
    if (!c || moreRecent(p, c) || (p.ts === c.ts && p.dns.equals(c.dns))) cache.set(id, { ...p, seen: Date.now() })
  }

  async function onPut (req, res, pk, id) {
    // pkarr@1.3.0 answers 413 above 1072 bytes; v7 (axum body limit) above 1104.
    const body = await readBody(req, legacy ? 72 + MAX_DNS : 1104)
    if (body === null) return reply(req, res, 413, { Connection: 'close' }, 'Payload Too Large')
    if (body.length < 72 || body.length > 1072) return reply(req, res, 400, {}, `Invalid SignedPacket bytes length: ${body.length + 32}`)
    const p = parsePacket(Buffer.concat([pk, body]))
    if (!p.sigOk) return reply(req, res, 400, {}, 'Invalid signature')
    if (!p.dnsOk) return reply(req, res, 400, {}, 'Invalid DNS packet')
    const pkt = { ts: p.ts, dns: Buffer.from(p.dns), sig: Buffer.from(p.sig) }
    if (dhtOff) {
      const c = cache.get(id)
      if (c && moreRecent(c, pkt)) return reply(req, res, 409, {}, 'packet is not the most recent')
      remember(id, pkt)
      return reply(req, res, 204)
    }
    if (legacy) {
      // bittorrent-dht's put semantics: success when any node accepted the item.
      const r = await dhtPublish(client, Buffer.concat([pk, body]), seeds)
      const accepted = r.results.filter((x) => x.ok).length
      if (!accepted) return reply(req, res, 500, {}, 'DHT put failed on every node')
      return reply(req, res, 200)
    }
    const c = cache.get(id)
    if (c && moreRecent(c, pkt)) return reply(req, res, 409, {}, 'packet is not the most recent')
    const r = await dhtPublish(client, Buffer.concat([pk, body]), seeds)
    if (r.conflict) return reply(req, res, 409, {}, 'packet is not the most recent (DHT)')
    if (!r.stored) {
      const why = !r.closest ? 'no closest nodes' : r.results.every((x) => x.timeout) ? 'DHT put timed out' : 'DHT returned error responses'
      return reply(req, res, 500, {}, why)
    }
    remember(id, pkt)
    return reply(req, res, 204, { 'Pkarr-Dht-Stored-Nodes': String(r.stored) })
  }

  async function onGet (req, res, pk, id, url) {
    if (legacy) {
      // pkarr@1.3.0: the first valid DHT answer, no caching, no extra headers.
      const look = await client.lookup(sha1(pk), seeds)
      for (const it of look.items) {
        const pick = chooseNewest(pk, [it])
        if (pick.best) return reply(req, res, 200, {}, relayBody(pick.best))
      }
      return reply(req, res, 404, {}, 'Not Found')
    }
    const policy = url.searchParams.get('policy') ?? 'CacheFirst'
    if (!POLICIES.includes(policy)) return reply(req, res, 400, {}, 'invalid resolve policy: ' + policy)
    const cached = cache.get(id)
    let pkt = null
    if (dhtOff || policy === 'CacheOnly') pkt = cached || null
    else if (policy === 'CacheFirst' && cached && !expired(cached)) pkt = cached
    else {
      const r = await dhtResolve(client, pk, seeds)
      if (r.stats.queried === 0) return reply(req, res, 503, {}, 'No DHT nodes were queried')
      if (r.stats.responded === 0) return reply(req, res, 503, {}, 'No queried DHT nodes responded')
      const invalidNewest = r.highestSigned !== null && (!r.best || r.best.ts < r.highestSigned)
      if (invalidNewest) {
        // The newest signed item is not a valid SignedPacket: pkarr reports it, no fallback.
        if (policy === 'CacheFirst' && cached && cached.ts >= r.highestSigned) pkt = cached
        else return reply(req, res, 404, { 'Pkarr-Invalid-Signed-Packet-Seq': String(r.highestSigned) }, 'Not Found')
      } else if (r.best) {
        remember(id, r.best)
        pkt = policy === 'NetworkOnly' ? { ...r.best, seen: Date.now() } : cache.get(id)
      } else if (policy === 'CacheFirst' && cached) {
        pkt = cached
      }
    }
    if (!pkt) return reply(req, res, 404, {}, 'Not Found')
    const headers = {
      'Content-Type': 'application/pkarr.org/relays#payload',
      'Cache-Control': `public, max-age=${clampedTtl(pkt.dns, minTtl, maxTtl)}`,
      'Last-Modified': new Date(Number(pkt.ts / 1000n)).toUTCString(),
      'Memento-Datetime': new Date(pkt.seen).toUTCString()
    }
    const ims = Date.parse(req.headers['if-modified-since'] || '')
    if (!Number.isNaN(ims) && pkt.ts <= BigInt(ims) * 1000n) return reply(req, res, 304, headers)
    return reply(req, res, 200, headers, relayBody(pkt))
  }

  const server = http.createServer(async (req, res) => {
    try {
      if (maxRps) {
        const slot = `${req.socket.remoteAddress}/${Math.floor(Date.now() / 1000)}`
        const n = (hits.get(slot) || 0) + 1
        hits.set(slot, n)
        if (hits.size > 4096) hits.clear()
        if (n > maxRps) return reply(req, res, 429, { 'Retry-After': '1', 'X-RateLimit-After': '1' }, 'Too Many Requests')
      }
      if (forceStatus && (!forceMethod || forceMethod === req.method)) {
        for await (const _ of req) {} // eslint-disable-line no-unused-vars
        return reply(req, res, forceStatus, forceStatus === 429 ? { 'Retry-After': '1' } : {}, forceStatus === 204 || forceStatus === 304 ? undefined : `forced status ${forceStatus}`)
      }
      if (serveBody && req.method === 'GET') return reply(req, res, 200, { 'Content-Type': 'application/pkarr.org/relays#payload' }, serveBody)
      const url = new URL(req.url, 'http://relay.invalid')
      if (req.method === 'OPTIONS') return reply(req, res, 204)
      const seg = decodeURIComponent(url.pathname.replace(/^\/+/, ''))
      if (seg === '' && req.method === 'GET') return reply(req, res, 200, {}, `cclink test relay (${legacy ? 'pkarr@1.3.0 legacy' : dhtOff ? 'v7 API, DHT off' : 'v7 API'}), ${cache.size} cached\n`)
      if (req.method !== 'PUT' && req.method !== 'GET') return reply(req, res, 405, { Allow: 'GET, PUT, OPTIONS' }, 'Method Not Allowed')
      let pk
      try { pk = parsePubkey(seg) } catch { return reply(req, res, 400, {}, 'Invalid public key') }
      const id = z32Encode(pk)
      if (req.method === 'PUT') return await onPut(req, res, pk, id)
      return await onGet(req, res, pk, id, url)
    } catch (e) {
      if (!res.headersSent) return reply(req, res, 500, {}, 'internal error: ' + (e && e.message))
      res.destroy()
    }
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(num(o.port ?? 0, '--port', { min: 0, max: 65535 }), '127.0.0.1', resolve)
  })
  if (o.pidfile) fs.writeFileSync(o.pidfile, `${process.pid}\n`)
  process.stdout.write(`READY http://127.0.0.1:${server.address().port}\n`)
  log(`mode=${legacy ? 'legacy' : dhtOff ? 'dht-off' : 'v7'} bootstrap=${seeds.map((s) => s.host + ':' + s.port).join(',') || '-'}`)

  let stopping = false
  const stop = (why) => {
    if (stopping) return
    stopping = true
    log('stopping: ' + why)
    if (o.pidfile) fs.rmSync(o.pidfile, { force: true })
    server.close()
    server.closeAllConnections?.()
    if (client) client.close()
    setTimeout(() => process.exit(0), 200).unref()
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGHUP', () => stop('SIGHUP'))
  if (o['parent-pid']) {
    const ppid = num(o['parent-pid'], '--parent-pid', { min: 1 })
    setInterval(() => { try { process.kill(ppid, 0) } catch { stop('parent gone') } }, 500)
  }
  if (o['max-lifetime']) setTimeout(() => stop('max lifetime'), num(o['max-lifetime'], '--max-lifetime', { min: 1 }) * 1000)
  return new Promise(() => {})
}

runMain(main, USAGE)
